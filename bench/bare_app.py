"""Bare Litestar answering fixed bytes: the ceiling bench/api.py compares against.

The bytes come from the file named by BARE_BODY_FILE (the register's own
answer), served as JSON on every path under /api/, plus /health.
"""

from __future__ import annotations

import os
from pathlib import Path

from litestar import Litestar, Response, get

BODY = Path(os.environ["BARE_BODY_FILE"]).read_bytes()


@get("/api/{path:path}")
async def fixed_answer(path: str) -> Response[bytes]:
    return Response(BODY, media_type="application/json")


@get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


app = Litestar(route_handlers=[fixed_answer, health])
