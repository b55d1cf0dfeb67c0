"""Stored files sent back: as attachments, never rendered by the browser."""

from __future__ import annotations

from urllib.parse import quote

from litestar import Response

from register.documents.common import safe_filename
from register.reading import EXTENSIONS
from register.store.files import StoredFile

# An uploaded HTML file must not run as a page of the register, even if opened inline.
SANDBOX_POLICY = "sandbox; default-src 'none'"


def content_disposition(file_name: str, extension: str) -> str:
    """``attachment`` with an ASCII fallback name and the real name in RFC 5987 form."""
    stem = file_name.rsplit(".", 1)[0]
    fallback = safe_filename(stem, extension=extension)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def stored_file_response(stored: StoredFile, content: bytes) -> Response[bytes]:
    extension = EXTENSIONS.get(stored.media_type, ".bin").lstrip(".")
    return Response(
        content=content,
        media_type=stored.media_type,
        headers={
            "Content-Disposition": content_disposition(stored.file_name, extension),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": SANDBOX_POLICY,
            "Cache-Control": "no-store",
        },
    )
