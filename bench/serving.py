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


class ServerURL(str):
    """The server's base URL, knowing the id of the process serving it."""

    pid: int


def process_tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its living descendants
    (uvicorn's workers), read from /proc (Linux)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, wanted = 0.0, [pid]
    while wanted:
        current = wanted.pop()
        total += times.get(current, 0.0)
        wanted.extend(child for child, parent in parents.items() if parent == current)
    return total


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(arguments: list[str], port: int, environment: dict[str, str]) -> Iterator[ServerURL]:
    """A uvicorn server on 127.0.0.1:port, stopped on exit."""
    command = [
        sys.executable, "-m", "uvicorn", *arguments,
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **environment})
    base = ServerURL(f"http://127.0.0.1:{port}")
    base.pid = process.pid
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
