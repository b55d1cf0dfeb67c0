"""read_dpa(): the whole reading, from bytes to a DpaReading."""

from __future__ import annotations

from register.i18n import DEFAULT_LANGUAGE, check_language
from register.reading.errors import ReadingError
from register.reading.model import DpaReading
from register.reading.sniff import DOCM, PDF, SUPPORTED_MEDIA_TYPES, sniff_media_type

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # the upload cap of issue 12 (configurable by the caller)
DEFAULT_MAX_EXPANDED_BYTES = 200 * 1024 * 1024  # .docx/.odt: declared decompressed size of all entries


def read_dpa(
    content: bytes,
    *,
    filename: str | None = None,
    language: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_expanded_bytes: int = DEFAULT_MAX_EXPANDED_BYTES,
) -> DpaReading:
    """Read a vendor's DPA. ``language`` is the language of the reasons (fr/en).

    ``filename`` is informative only (the type is sniffed from the content).
    Raises :class:`ReadingError` (with a stable ``code``) for a file that cannot be read.
    """
    from register.reading.analysis import analyse
    from register.reading.extract import extract_text

    language = check_language(language or DEFAULT_LANGUAGE)
    if not content:
        raise ReadingError("empty")
    if len(content) > max_bytes:
        raise ReadingError("too_large", size=_megabytes(len(content)), limit=_megabytes(max_bytes))
    media_type = sniff_media_type(content)
    if media_type == DOCM:
        raise ReadingError("macros")
    if media_type not in SUPPORTED_MEDIA_TYPES:
        raise ReadingError("unsupported", media_type=media_type or "binary")
    extracted = extract_text(content, media_type, max_expanded_bytes=max_expanded_bytes)
    if not any(block.text.strip() for block in extracted.blocks):
        raise ReadingError("no_text" if media_type == PDF else "no_content")
    return analyse(extracted, language=language)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")
