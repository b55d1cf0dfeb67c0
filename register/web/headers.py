"""Security headers on every response (pages, API, errors alike).

A ``before_send`` hook: Litestar runs it on every message the app sends,
including the answers its exception handling writes outside any middleware.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# The interactive API docs load their viewer's scripts: CSP is left to them.
PATHS_WITHOUT_CSP = ("/schema",)


async def add_security_headers(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in SECURITY_HEADERS.items():
        headers[name] = value
    if not scope["path"].startswith(PATHS_WITHOUT_CSP):
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
