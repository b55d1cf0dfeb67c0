"""Serving the app for the benches: uvicorn subprocesses on free local ports."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

ROOT = Path(__file__).resolve().parent.parent

# The servers run with what the bench needs and nothing it would measure instead:
# no access log, a fixed secret, and API rate limits far above the load (still
# counted, so their cost is in the figures).
SERVER_ENVIRONMENT = {
    "SECRET_KEY": "bench-only-secret",
    "COOKIE_SECURE": "false",
    "API_RATE_LIMIT_PER_TOKEN": "1000000000",
    "API_RATE_LIMIT_PER_ADDRESS": "1000000000",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(arguments: list[str], port: int, environment: dict[str, str]) -> Iterator[str]:
    """A uvicorn server on 127.0.0.1:port, stopped on exit."""
    command = [
        sys.executable, "-m", "uvicorn", *arguments,
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **environment})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"server did not start: {' '.join(command)}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1] if len(values) > 1 else values[0]
