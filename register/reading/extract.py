"""Text with its structure (placeholder: plain text only; the other formats follow)."""

from __future__ import annotations

from register.reading.model import Block, ExtractedText
from register.reading.sniff import decode_text


def extract_text(content: bytes, media_type: str, *, max_expanded_bytes: int) -> ExtractedText:
    text = decode_text(content) or ""
    blocks = tuple(Block(text=part.strip()) for part in text.split("\n\n") if part.strip())
    return ExtractedText(media_type=media_type, blocks=blocks, pages=None)
