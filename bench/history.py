"""The register's history: rebuilding a register from its audit trail.

    python bench/history.py [N] [UPDATES]

Builds a register of N processors (default 2,000; bench/synthetic.py), records
the import event a JSON import records (every row written), then makes UPDATES audited changes through the store (default 2,000:
processor, sub-processor and safeguard updates). Prints, median of several
runs each:

- the live register loaded from its tables (the baseline: ``load_register``);
- the register rebuilt at "now" from the trail (``register_at``), which must
  equal it (checked once);
- the changes of the whole period worded in French (``changes_on_days``);
- the history page's read of a date (``assessed_register_on``: rebuilt and
  assessed): the first read (a replay and an assessment, the cost before the
  history cache) and the next reads at the same revision (served from the
  cache), then the first read after one more audited write (a new revision:
  rebuilt again).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

BENCH_URL = os.environ.get("BENCH_DATABASE_URL")
_tmp = Path(tempfile.mkdtemp(prefix="register-bench-history-"))
os.environ["DATABASE_URL"] = BENCH_URL or f"sqlite:///{_tmp / 'bench.sqlite'}"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import build_register, fresh_database  # noqa: E402
from register.database import DATABASE  # noqa: E402
from register.history.report import worded_changes  # noqa: E402
from register.store import changes, history, reads  # noqa: E402
from register.store.writes import record_audit, write_transaction  # noqa: E402
from register.vocabulary import AuditAction  # noqa: E402

RUNS = 3


async def timed(work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = await work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


async def make_changes(organisation_id: int, count: int) -> None:
    register = await reads.load_register(organisation_id)
    for index in range(count):
        processor = register[index % len(register)]
        kind = index % 3
        if kind == 0:
            updated = await changes.update_processor(
                organisation_id, processor.id, {"trade_name": f"T{index}"}, processor.version, "bench")
        elif kind == 1 and processor.sub_processors:
            sub = processor.sub_processors[0]
            updated = await changes.update_child(
                "sub_processor", organisation_id, processor.id, sub.id, {"purpose": f"p{index}"}, sub.version, "bench")
        elif processor.safeguards:
            safeguard = processor.safeguards[0]
            updated = await changes.update_child(
                "safeguard", organisation_id, processor.id, safeguard.id, {"supplementary_measures": f"m{index}"},
                safeguard.version, "bench")
        else:
            continue
        register[index % len(register)] = updated


async def main(n: int, updates: int) -> None:
    await fresh_database()
    organisation_id = await build_register(n)
    started = time.perf_counter()
    async with write_transaction(organisation_id):  # what an import records (register/store/portability.py)
        await record_audit(organisation_id, "bench", "organisation", organisation_id, AuditAction.IMPORT, None,
                           {"name": "Bench", "register": await history.written_register(organisation_id)})
    imported = time.perf_counter() - started
    await make_changes(organisation_id, updates)
    print(f"database: {DATABASE.description}; {n} processors, import event recorded in {imported:.1f} s, then {updates} audited changes")
    live_time, live = await timed(lambda: reads.load_register(organisation_id))
    rebuilt_time, past = await timed(lambda: history.register_at(organisation_id, datetime.now(timezone.utc)))
    assert sorted(past.processors, key=lambda p: p.id) == sorted(live, key=lambda p: p.id), "rebuilt != live"

    async def report():
        found = await history.changes_on_days(organisation_id, date(2000, 1, 1), date.today())
        return worded_changes(found, "fr")

    report_time, worded = await timed(report)
    print(f"live register (load_register, baseline):  {live_time * 1000:8.0f} ms")
    print(f"rebuilt from the trail (register_at now): {rebuilt_time * 1000:8.0f} ms "
          f"({rebuilt_time / live_time:.1f}x the live load; equal: yes)")
    print(f"changes of the whole period, worded (fr): {report_time * 1000:8.0f} ms for {len(worded)} changes")

    from register.store import snapshots

    today = date.today()
    snapshots.clear_caches()
    started = time.perf_counter()
    await history.assessed_register_on(organisation_id, today)
    first = time.perf_counter() - started
    warm, _ = await timed(lambda: history.assessed_register_on(organisation_id, today))
    await make_changes(organisation_id, 1)
    started = time.perf_counter()
    await history.assessed_register_on(organisation_id, today)
    after_write = time.perf_counter() - started
    print(f"history page's register of a date (rebuilt + assessed): first read {first * 1000:8.0f} ms "
          f"(no cache: every read cost this), next reads {warm * 1000:8.2f} ms (cached, same revision), "
          f"after one more write {after_write * 1000:8.0f} ms (a new revision: rebuilt)")


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    asyncio.run(main(*(arguments + [2000, 2000][len(arguments):])))
