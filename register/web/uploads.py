"""File uploads (vendors' DPAs): the body's size is capped before anything reads it.

Upload routes take a multipart form with one ``file`` field. Litestar's own
body limit is turned off on them (``request_max_body_size=None``) and
:func:`upload_size_middleware` applies ``FILES_MAX_BYTES`` (plus room for the
form's framing) instead, read from the environment at each request: a
``Content-Length`` above it answers 413 before a byte is read, and a body
sent without one is counted as it arrives. It runs before the CSRF check,
which parses page forms. The file itself is then checked against the exact
limit by the store (:func:`register.store.files.check_size`).
"""

from __future__ import annotations

import re
from typing import Any

from litestar.datastructures import UploadFile
from litestar.exceptions import ClientException
from litestar.status_codes import HTTP_413_REQUEST_ENTITY_TOO_LARGE
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from register.settings import files_max_bytes
from register.store.files import FileRefused

# Boundaries, part headers, the CSRF token: far less than this.
FORM_OVERHEAD_BYTES = 64 * 1024
# The processor's DPA files, and the vendor questionnaire (its DPA with the answers).
UPLOAD_PATHS = re.compile(r"^((/api/v1)?/processors/\d+/agreement/files/?|/q/[^/]{1,200})$")


class UploadTooLarge(ClientException):
    status_code = HTTP_413_REQUEST_ENTITY_TOO_LARGE


def body_limit() -> int:
    return files_max_bytes() + FORM_OVERHEAD_BYTES


def too_large() -> UploadTooLarge:
    return UploadTooLarge(f"file: the upload is larger than the limit of {files_max_bytes()} bytes (FILES_MAX_BYTES)")


def declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def upload_size_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or not UPLOAD_PATHS.match(scope["path"]):
            await app(scope, receive, send)
            return
        limit = body_limit()
        length = declared_length(scope)
        if length is not None and length > limit:
            raise too_large()
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise too_large()
            return message

        await app(scope, counted, send)

    return middleware


async def uploaded_file(form: Any) -> tuple[bytes, str]:
    """The bytes and name of the form's ``file`` field (400 naming the field when there is none)."""
    upload = form.get("file") if form is not None else None
    if not isinstance(upload, UploadFile):
        raise FileRefused("choose a file to upload (form field 'file')")
    content = await upload.read()
    await upload.close()
    return content, upload.filename or ""
