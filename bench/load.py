"""Mixed reads and writes from many clients against PostgreSQL with several workers.

    python bench/load.py [--clients 50] [--seconds 60] [--workers 2] [--processors 200]

Needs PostgreSQL: BENCH_DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/register_bench, created if missing and
WIPED). Builds a register of N processors (bench/synthetic.py), starts the app
under uvicorn with W worker processes, and runs C clients for S seconds, each
with its own API token, each request drawn at random:

- 55 % the processor list (a random page, sometimes filtered or searched);
- 15 % one processor; 10 % one processor's assessment; 5 % the register's gaps;
- 10 % create a processor (a unique name); 5 % rename one of the client's own
  processors with its current version (so no conflict is expected).

Then it checks that nothing was lost: every create that answered 201 is in
the register (counted through the API), and every rename that answered 200
reads back. It prints throughput, latency percentiles per kind, errors
(anything not 2xx, and transport errors), and lost writes. Targets: 0 errors,
p99 < 1 s, nothing lost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/register_bench"
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
if not BENCH_URL.startswith("postgresql://"):
    sys.exit("bench/load.py needs PostgreSQL: set BENCH_DATABASE_URL=postgresql://…")
os.environ["DATABASE_URL"] = BENCH_URL
sys.path.insert(0, str(BENCH_DIR.parent))

import httpx  # noqa: E402

from serving import SERVER_ENVIRONMENT, free_port, percentile, process_tree_cpu_seconds, server  # noqa: E402
from synthetic import build_register, fresh_database  # noqa: E402
from register.accounts.store import create_api_token, create_user, set_membership  # noqa: E402
from register.database import DATABASE  # noqa: E402
from register.tables import Processor  # noqa: E402
from register.vocabulary import Role  # noqa: E402


async def create_database_if_missing() -> None:
    import asyncpg

    name = DATABASE.postgres_dsn.rsplit("/", 1)[1]
    admin = await asyncpg.connect(DATABASE.postgres_dsn.rsplit("/", 1)[0] + "/postgres")
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def prepare(processors: int, clients: int) -> tuple[int, list[int], list[str]]:
    await create_database_if_missing()
    await fresh_database()
    organisation_id = await build_register(processors)
    tokens = []
    for number in range(clients):
        user_id = await create_user(f"client{number}@bench.invalid", "bench-password-not-used", f"Client {number}")
        await set_membership(user_id, organisation_id, Role.DPO)
        tokens.append(await create_api_token(user_id, "load"))
    ids = [row["id"] for row in await Processor.select(Processor.id)]
    return organisation_id, ids, tokens


class Tally:
    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.created: list[str] = []
        self.renamed: dict[int, str] = {}


async def client_loop(
    number: int, base: str, token: str, organisation_id: int, ids: list[int], stop: float, tally: Tally
) -> None:
    rng = random.Random(number)
    own: dict[int, int] = {}  # processor id -> version, of the processors this client created
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        sequence = 0
        while time.perf_counter() < stop:
            draw = rng.random()
            sequence += 1
            if draw < 0.55:
                kind, params = "list", {"page": rng.randint(1, 4), "per_page": 50}
                if rng.random() < 0.3:
                    params["q"] = f"Vendor {rng.randint(0, 99):02d}"
                request = client.build_request("GET", f"/api/v1/organisations/{organisation_id}/processors", params=params)
            elif draw < 0.70:
                kind = "processor"
                request = client.build_request("GET", f"/api/v1/processors/{rng.choice(ids)}")
            elif draw < 0.80:
                kind = "assessment"
                request = client.build_request("GET", f"/api/v1/processors/{rng.choice(ids)}/assessment")
            elif draw < 0.85:
                kind = "gaps"
                request = client.build_request("GET", f"/api/v1/organisations/{organisation_id}/gaps", params={"severity": "critical"})
            elif draw < 0.95 or not own:
                kind = "create"
                name = f"Load {number:02d}-{sequence:06d}"
                request = client.build_request(
                    "POST", f"/api/v1/organisations/{organisation_id}/processors", json={"legal_name": name}
                )
            else:
                kind = "rename"
                target = rng.choice(list(own))
                name = f"Renamed {number:02d}-{sequence:06d}"
                request = client.build_request(
                    "PATCH", f"/api/v1/processors/{target}", json={"version": own[target], "trade_name": name}
                )
            start = time.perf_counter()
            try:
                response = await client.send(request)
            except httpx.HTTPError:
                tally.errors[kind] += 1
                continue
            tally.latencies[kind].append(time.perf_counter() - start)
            if not response.is_success:
                tally.errors[kind] += 1
                continue
            if kind == "create":
                body = response.json()
                own[body["id"]] = body["version"]
                tally.created.append(name)
            elif kind == "rename":
                body = response.json()
                own[body["id"]] = body["version"]
                tally.renamed[body["id"]] = name


async def run_load(base: str, tokens: list[str], organisation_id: int, ids: list[int], seconds: float) -> Tally:
    tally = Tally()
    stop = time.perf_counter() + seconds
    await asyncio.gather(
        *(client_loop(n, base, token, organisation_id, ids, stop, tally) for n, token in enumerate(tokens))
    )
    return tally


async def lost_writes(base: str, token: str, organisation_id: int, tally: Tally) -> int:
    """Creates and renames acknowledged but not found afterwards, read through the API."""
    names: dict[int, tuple[str, str]] = {}
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
        page = 1
        while True:
            body = (
                await client.get(f"/api/v1/organisations/{organisation_id}/processors", params={"page": page, "per_page": 200})
            ).raise_for_status().json()
            for item in body["items"]:
                names[item["id"]] = (item["legal_name"], item["trade_name"])
            if page * 200 >= body["total"]:
                break
            page += 1
    legal_names = {legal for legal, _ in names.values()}
    missing_creates = sum(1 for name in tally.created if name not in legal_names)
    missing_renames = sum(1 for pid, name in tally.renamed.items() if names.get(pid, ("", ""))[1] != name)
    return missing_creates + missing_renames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--processors", type=int, default=200)
    args = parser.parse_args()

    organisation_id, ids, tokens = asyncio.run(prepare(args.processors, args.clients))
    print(
        f"database: {DATABASE.description}; {args.processors} processors; {args.clients} clients; "
        f"{args.workers} workers; {args.seconds:.0f} s"
    )
    arguments = ["register.app:create_app", "--factory", "--workers", str(args.workers)]
    with server(arguments, free_port(), SERVER_ENVIRONMENT) as base:
        server_cpu, client_cpu, started = process_tree_cpu_seconds(base.pid), time.process_time(), time.perf_counter()
        tally = asyncio.run(run_load(base, tokens, organisation_id, ids, args.seconds))
        elapsed = time.perf_counter() - started
        server_cpu = process_tree_cpu_seconds(base.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        lost = asyncio.run(lost_writes(base, tokens[0], organisation_id, tally))

    everything = [latency for latencies in tally.latencies.values() for latency in latencies]
    errors = sum(tally.errors.values())
    print(f"{'kind':<12} {'answers':>8} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for kind, latencies in sorted(tally.latencies.items()):
        print(
            f"{kind:<12} {len(latencies):>8} {tally.errors[kind]:>7} "
            f"{percentile(latencies, 0.5) * 1000:>8.1f} {percentile(latencies, 0.99) * 1000:>8.1f}"
        )
    print(
        f"all: {len(everything) / args.seconds:.0f} req/s, p50 {statistics.median(everything) * 1000:.1f} ms, "
        f"p99 {percentile(everything, 0.99) * 1000:.1f} ms; errors {errors} (target 0); "
        f"p99 target < 1,000 ms"
    )
    cores = os.cpu_count() or 1
    print(
        f"CPU over the run ({cores} cores = {cores * 100} %): server workers {server_cpu / elapsed:.0%}, "
        f"load generator {client_cpu / elapsed:.0%} (PostgreSQL and other processes: the rest)"
    )
    print(f"writes acknowledged: {len(tally.created)} creates, {len(tally.renamed)} renamed processors; lost: {lost} (target 0)")


if __name__ == "__main__":
    main()
