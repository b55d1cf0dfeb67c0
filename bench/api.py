"""The API's read path against bare Litestar returning the same bytes, in one run.

    python bench/api.py [--processors 50] [--clients 10] [--seconds 10]

Builds a register of N processors (bench/synthetic.py) in a fresh database (a
temporary SQLite file, or the PostgreSQL database named by BENCH_DATABASE_URL,
which it wipes), then starts two servers under uvicorn, one worker each:

- the register app (``register.app:create_app``);
- a bare Litestar app (bench/bare_app.py) answering the exact bytes of the
  register's processor list, with no authentication and no database.

It drives both with the same client (httpx, C clients in one process, keep-alive)
for the same time, and prints requests per second and latency percentiles,
then the register's throughput as a share of the bare app's (target: at least
50 %), and the p50 of one processor's assessment (target: under 5 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
BENCH_URL = os.environ.get("BENCH_DATABASE_URL")
_tmp = Path(tempfile.mkdtemp(prefix="register-bench-api-"))
os.environ["DATABASE_URL"] = BENCH_URL or f"sqlite:///{_tmp / 'bench.sqlite'}"
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from serving import SERVER_ENVIRONMENT, free_port, percentile, server  # noqa: E402
from synthetic import build_register, fresh_database  # noqa: E402
from register.accounts.store import create_api_token, create_user, set_membership  # noqa: E402
from register.database import DATABASE  # noqa: E402
from register.tables import Processor  # noqa: E402
from register.vocabulary import Role  # noqa: E402

async def prepare(processors: int) -> tuple[int, int, str]:
    """A migrated database with one organisation of ``processors`` processors and a DPO's token."""
    await fresh_database()
    organisation_id = await build_register(processors)
    user_id = await create_user("bench@bench.invalid", "bench-password-not-used", "Bench")
    await set_membership(user_id, organisation_id, Role.DPO)
    token = await create_api_token(user_id, "bench")
    first = await Processor.select(Processor.id).order_by(Processor.id).first()
    return organisation_id, first["id"], token


async def drive(url: str, headers: dict[str, str], clients: int, seconds: float) -> tuple[int, list[float]]:
    """``clients`` concurrent loops of GET url for ``seconds``; answers counted and timed."""
    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=30) as client:
        for _ in range(clients):  # warm the connections and the server's caches
            (await client.get(url)).raise_for_status()
        stop = time.perf_counter() + seconds

        async def loop() -> None:
            nonlocal failures
            while time.perf_counter() < stop:
                start = time.perf_counter()
                response = await client.get(url)
                latencies.append(time.perf_counter() - start)
                failures += response.status_code != 200

        await asyncio.gather(*(loop() for _ in range(clients)))
    if failures:
        raise RuntimeError(f"{failures} answers were not 200 from {url}")
    return len(latencies), latencies


def report(label: str, count: int, latencies: list[float], seconds: float) -> float:
    rate = count / seconds
    print(
        f"{label:<44} {rate:8.0f} req/s   p50 {percentile(latencies, 0.5) * 1000:6.1f} ms"
        f"   p99 {percentile(latencies, 0.99) * 1000:6.1f} ms"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processors", type=int, default=50)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=10.0, help="per side, split in alternating rounds")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    organisation_id, processor_id, token = asyncio.run(prepare(args.processors))
    auth = {"Authorization": f"Bearer {token}"}
    list_path = f"/api/v1/organisations/{organisation_id}/processors"
    print(
        f"database: {DATABASE.description}; {args.processors} processors; {args.clients} clients; "
        f"{args.seconds:.0f} s per side in {args.rounds} alternating rounds"
    )
    body_file = _tmp / "body.json"
    bare_arguments = ["bare_app:app", "--app-dir", str(BENCH_DIR)]
    with server(["register.app:create_app", "--factory"], free_port(), SERVER_ENVIRONMENT) as register_url:
        body = httpx.get(register_url + list_path, headers=auth).raise_for_status().content
        body_file.write_bytes(body)
        print(f"processor list: {len(body):,} bytes")
        with server(bare_arguments, free_port(), {"BARE_BODY_FILE": str(body_file)}) as bare_url:
            # Alternating rounds share out the noise of a busy machine between the two sides.
            ours: tuple[int, list[float]] = (0, [])
            bare: tuple[int, list[float]] = (0, [])
            slice_seconds = args.seconds / args.rounds
            for _ in range(args.rounds):
                count, latencies = asyncio.run(drive(register_url + list_path, auth, args.clients, slice_seconds))
                ours = (ours[0] + count, ours[1] + latencies)
                count, latencies = asyncio.run(drive(bare_url + list_path, {}, args.clients, slice_seconds))
                bare = (bare[0] + count, bare[1] + latencies)
        ours_rate = report("register: GET processor list (token)", *ours, args.seconds)
        bare_rate = report("bare Litestar: the same bytes", *bare, args.seconds)
        assessment_seconds = min(args.seconds, 5)
        count, latencies = asyncio.run(
            drive(f"{register_url}/api/v1/processors/{processor_id}/assessment", auth, 1, assessment_seconds)
        )
        report("register: one processor's assessment, 1 client", count, latencies, assessment_seconds)

    print(f"register / bare Litestar throughput: {ours_rate / bare_rate:.0%} (target >= 50 %)")
    print(f"one processor's assessment p50: {percentile(latencies, 0.5) * 1000:.1f} ms (target < 5 ms)")


if __name__ == "__main__":
    main()
