"""Security headers on every response (pages, API, errors alike).

A ``before_send`` hook: Litestar runs it on every message the app sends,
including the answers its exception handling writes outside any middleware.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from register.settings import hsts_max_age

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
# Public and the same for everyone: the only answers a browser or proxy may keep.
CACHEABLE_PATHS = ("/static/", "/schema")


def hsts_value() -> str | None:
    """Strict-Transport-Security when ``HSTS_MAX_AGE`` says the site is served over HTTPS."""
    max_age = hsts_max_age()
    return f"max-age={max_age}; includeSubDomains" if max_age else None


async def add_security_headers(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in SECURITY_HEADERS.items():
        headers[name] = value
    # A stricter policy set by the route (a stored file's sandbox) is kept.
    if not scope["path"].startswith(PATHS_WITHOUT_CSP) and headers.get("Content-Security-Policy") is None:
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    if not scope["path"].startswith(CACHEABLE_PATHS):
        # Signed-in pages, API JSON and downloads hold one organisation's data: never kept.
        headers["Cache-Control"] = "no-store"
    if hsts := hsts_value():
        headers["Strict-Transport-Security"] = hsts
