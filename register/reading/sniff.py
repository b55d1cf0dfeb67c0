"""The media type of a file from its content, never from its name."""

from __future__ import annotations

import io
import re
import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCM = "application/vnd.ms-word.document.macroEnabled.12"
ODT = "application/vnd.oasis.opendocument.text"
TEXT = "text/plain"
MARKDOWN = "text/markdown"
HTML = "text/html"
LEGACY_DOC = "application/msword"
RTF = "application/rtf"
ZIP = "application/zip"

SUPPORTED_MEDIA_TYPES: frozenset[str] = frozenset({PDF, DOCX, ODT, TEXT, MARKDOWN, HTML})

# The extension a stored file is given back under (downloads), by media type.
EXTENSIONS: dict[str, str] = {
    PDF: ".pdf",
    DOCX: ".docx",
    ODT: ".odt",
    TEXT: ".txt",
    MARKDOWN: ".md",
    HTML: ".html",
}

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|div|p|h[1-6]|table|section|article)\b", re.I | re.S)
_MARKDOWN_HINT = re.compile(r"^(#{1,6} |\s*[-*] |\s*\d+\. |\|.*\|\s*$|>\s)|\*\*[^*\n]+\*\*|\[[^\]\n]+\]\([^)\n]+\)", re.M)


def sniff_media_type(content: bytes) -> str | None:
    """The media type of ``content``, or None when it is binary and not recognised.

    Office formats are told apart by the zip's own entries (ODF's ``mimetype``,
    OOXML's ``[Content_Types].xml``); a macro-enabled Word file is reported as such
    (``DOCM``), and refused by the reader. Text is told from HTML and Markdown by
    its first lines.
    """
    head = content[:2048]
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in content[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(content)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return LEGACY_DOC
    if head.startswith(b"{\\rtf"):
        return RTF
    text = decode_text(content[:65536], strict=True)
    if text is None:
        return None
    if _HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")) or re.search(r"<html\b|<body\b", text[:4096], re.I):
        return HTML
    if len(_MARKDOWN_HINT.findall(text[:65536])) >= 3 and re.search(r"^#{1,6} |\*\*|\|\s*-{3,}", text[:65536], re.M):
        return MARKDOWN
    return TEXT


def _sniff_zip(content: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        if "mimetype" in names:
            mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
            return mimetype or ZIP
        if "[Content_Types].xml" in names:
            types = archive.read("[Content_Types].xml")[:200_000]
            if b"macroEnabled" in types or "word/vbaProject.bin" in names:
                return DOCM
            if b"wordprocessingml.document.main+xml" in types or b"wordprocessingml.template.main+xml" in types:
                return DOCX
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        # A damaged archive: its local headers still name what it was meant to be.
        if content[30:38] == b"mimetype" and b"opendocument.text" in content[:200]:
            return ODT
        if b"word/document.xml" in content or b"[Content_Types].xml" in content[:4096]:
            return DOCM if b"vbaProject.bin" in content else DOCX
        return ZIP
    return ZIP


def decode_text(content: bytes, *, strict: bool = False) -> str | None:
    """Decode text bytes: BOMs, UTF-8, else Windows-1252. None (strict) for binary."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", "replace")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", "replace")
    if b"\x00" in content[:8192]:
        return None if strict else content.replace(b"\x00", b"").decode("utf-8", "replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(content) - 4:  # a character cut at the end of a sample
            return content[: error.start].decode("utf-8")
    text = content.decode("cp1252", "replace")
    if strict and sum(1 for char in text[:8192] if ord(char) < 32 and char not in "\t\r\n\f") > 8:
        return None
    return text
