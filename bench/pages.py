"""The processor list page of a large register, cold and warm.

    python bench/pages.py [N]

Builds a register of N processors (default 5,000; bench/synthetic.py) in a
fresh database (a temporary SQLite file, or BENCH_DATABASE_URL, which it
wipes), signs a DPO in, and times GET /organisations/{id}/processors in the
app's own event loop (no network):

- cold: the worker's caches emptied, so the whole register is loaded and
  assessed (the baseline: what every request cost before the caches);
- after a change: a processor was added, so the register is read again, but
  only the new processor is decoded and assessed (the others' objects and
  assessments are reused, register.store.snapshots);
- warm: nothing changed since the last request, so the assessed register comes
  from the cache keyed by the organisation's revision (target: < 200 ms).

Prints the median of several runs of each.
"""

from __future__ import annotations

import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH_URL = os.environ.get("BENCH_DATABASE_URL")
_tmp = Path(tempfile.mkdtemp(prefix="register-bench-pages-"))
os.environ["DATABASE_URL"] = BENCH_URL or f"sqlite:///{_tmp / 'bench.sqlite'}"
os.environ.setdefault("SECRET_KEY", "bench-only-secret")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from synthetic import build_register, fresh_database  # noqa: E402
from register.accounts.store import create_user, open_session, set_membership  # noqa: E402
from register.app import create_app  # noqa: E402
from register.database import DATABASE  # noqa: E402
from register.store import changes  # noqa: E402
from register.store.snapshots import clear_caches  # noqa: E402
from register.vocabulary import Role  # noqa: E402
from register.web.authentication import SESSION_COOKIE  # noqa: E402

RUNS = 5
logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request would drown the figures


async def main(n: int) -> None:
    await fresh_database()
    organisation_id = await build_register(n)
    user_id = await create_user("dpo@bench.invalid", "bench-password-not-used", "DPO")
    await set_membership(user_id, organisation_id, Role.DPO)
    session = await open_session(user_id)
    app = create_app(connection_pool=DATABASE.engine == "postgres")
    url = f"/organisations/{organisation_id}/processors"
    print(f"database: {DATABASE.description}; {n} processors")
    async with app.lifespan() if hasattr(app, "lifespan") else _nothing():
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://bench", cookies={SESSION_COOKIE: session}
        ) as client:

            async def timed() -> float:
                start = time.perf_counter()
                response = await client.get(url)
                response.raise_for_status()
                return time.perf_counter() - start

            cold, changed, warm = [], [], []
            for number in range(RUNS):
                clear_caches()
                cold.append(await timed())
                await changes.create_processor(organisation_id, {"legal_name": f"Newcomer {number}"}, "bench")
                changed.append(await timed())
                warm.append(statistics.median([await timed() for _ in range(3)]))
    print(f"processor list page, cold (caches emptied: load + assess all): {statistics.median(cold) * 1000:7.0f} ms")
    print(f"processor list page, after a change (one processor added):   {statistics.median(changed) * 1000:7.0f} ms")
    print(f"processor list page, warm (cached by revision):               {statistics.median(warm) * 1000:7.0f} ms (target < 200 ms)")
    print(
        f"speed-up over the cold page: after a change {statistics.median(cold) / statistics.median(changed):.1f}x, "
        f"warm {statistics.median(cold) / statistics.median(warm):.0f}x"
    )


class _nothing:
    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> None:
        return None


if __name__ == "__main__":
    size = int(next((a for a in sys.argv[1:] if a.isdigit()), 5000))
    asyncio.run(main(size))
