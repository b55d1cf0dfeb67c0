"""API rate limits per token and per address (HTTP 429 with Retry-After).

On PostgreSQL the counts live in the database (:mod:`register.accounts.limits`):
every worker and host behind one PostgreSQL shares them, and one statement per
API request counts both buckets. On SQLite one process serves everything (``serve``
refuses several workers), so the same windows are counted in its memory, sparing
each API request a write. Limits come from ``API_RATE_LIMIT_PER_TOKEN``,
``API_RATE_LIMIT_PER_ADDRESS`` and ``API_RATE_LIMIT_WINDOW`` (0 turns one off).
"""

from __future__ import annotations

from datetime import datetime, timezone

import msgspec
from litestar.status_codes import HTTP_429_TOO_MANY_REQUESTS
from litestar.types import ASGIApp, Receive, Scope, Send

from register.accounts.limits import ProcessCounters, count_hits, window_at
from register.database import DATABASE
from register.settings import RateLimits, api_rate_limits
from register.web.addresses import client_address
from register.web.authentication import is_api_path


def bearer_token(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    return None


def limited_buckets(scope: Scope, limits: RateLimits) -> dict[str, int]:
    """The buckets this request counts against, with their limits."""
    buckets = {}
    token = bearer_token(scope)
    if limits.per_token and token:
        buckets[f"api-token:{token}"] = limits.per_token  # hashed before it is stored
    if limits.per_address:
        buckets[f"api-address:{client_address(scope)}"] = limits.per_address
    return buckets


async def too_many_requests(send: Send, retry_after: int, which: str) -> None:
    body = msgspec.json.encode(
        {
            "status_code": HTTP_429_TOO_MANY_REQUESTS,
            "detail": f"rate limit exceeded ({which}); retry in {retry_after} s",
        }
    )
    await send(
        {
            "type": "http.response.start",
            "status": HTTP_429_TOO_MANY_REQUESTS,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(retry_after).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def rate_limit_middleware(app: ASGIApp) -> ASGIApp:
    limits = api_rate_limits()
    in_process = ProcessCounters() if DATABASE.engine == "sqlite" else None

    async def counted(buckets: list[str], moment: datetime) -> dict[str, int]:
        if in_process is not None:
            return in_process.count_hits(buckets, limits.window_seconds, moment)
        return await count_hits(buckets, limits.window_seconds, moment)

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_api_path(scope["path"]):
            await app(scope, receive, send)
            return
        buckets = limited_buckets(scope, limits)
        if buckets:
            moment = datetime.now(timezone.utc)
            counts = await counted(list(buckets), moment)
            over = [bucket for bucket, limit in buckets.items() if counts[bucket] > limit]
            if over:
                retry_after = window_at(moment, limits.window_seconds).seconds_left(moment)
                await too_many_requests(send, retry_after, "per token" if over[0].startswith("api-token:") else "per address")
                return
        await app(scope, receive, send)

    return middleware
