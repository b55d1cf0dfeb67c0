"""Load and assess a 5,000-processor register from the database.

    python bench/assess.py [N]

Builds a register of N processors (default 5,000; 3 locations, 4
sub-processors — one of them a registered processor, so chains are followed —,
a DPA with every Art. 28(3) item assessed, 2 safeguards each) in a fresh
database: a temporary SQLite file, or the PostgreSQL database named by
BENCH_DATABASE_URL (which it wipes). Then it times, in the same run:

- ``load_register``: the whole register in one statement (one JSON document
  the database builds itself), beside the same load through the ORM's six
  selects (what transactions use);
- ``assess_register``: the pure core over all of it;
- ``reassess_register`` after one change (a registered hosting provider gains
  a location): only the processors whose chains reach it are assessed again;
- the baseline: loading processor by processor (``load_processor`` per id,
  the N+1 pattern), on a sample, extrapolated to N;
- then, with a pending sub-processor change notice recorded for one processor
  in ten (each a 20-row list: the rows stay on the notice, only its date and
  period are loaded), the load and the assessment again (the figures above
  are the baseline).

Prints the figures (wall and CPU time) and the query counts; best of 3 runs
for each timing.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import replace
import sys
import tempfile
import time
from pathlib import Path

BENCH_URL = os.environ.get("BENCH_DATABASE_URL")
_tmp = Path(tempfile.mkdtemp(prefix="register-bench-"))
os.environ["DATABASE_URL"] = BENCH_URL or f"sqlite:///{_tmp / 'bench.sqlite'}"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import AS_OF, build_register, fresh_database  # noqa: E402
from register.compliance import assess_register, reassess_register  # noqa: E402
from register.compliance.assessment import changed_chains  # noqa: E402
from register.compliance.model import Location  # noqa: E402
from register.vocabulary import LocationActivity  # noqa: E402
from register.database import DATABASE, DB  # noqa: E402
from register.store.reads import load_processor, load_register  # noqa: E402

BASELINE_SAMPLE = 200


class QueryCount:
    value = 0


def count_queries() -> None:
    engine_class = type(DB)
    original = engine_class.run_querystring

    async def counting(self, querystring, *args, **kwargs):
        QueryCount.value += 1
        return await original(self, querystring, *args, **kwargs)

    engine_class.run_querystring = counting
    # and the statements that bypass the engine on SQLite (register/store/lookups.py)
    from register.store import lookups

    direct = lookups._execute

    def counting_direct(connection, sql, arguments):
        QueryCount.value += 1
        return direct(connection, sql, arguments)

    lookups._execute = counting_direct


class Timing(float):
    """Best wall-clock seconds of the runs, with the best CPU seconds of this
    process (all its threads) beside it: on a machine shared with other work,
    wall time also counts the waits for a core, CPU time does not."""

    cpu: float

    def __str__(self) -> str:
        return f"{self * 1000:8.0f} ms (CPU {self.cpu * 1000:.0f} ms)"


async def best_of(runs: int, action):
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = await action()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    timing = Timing(best)
    timing.cpu = best_cpu
    return timing, result


async def main(n: int) -> None:
    await fresh_database()
    start = time.perf_counter()
    organisation = await build_register(n)
    print(f"database: {DATABASE.description}")
    print(f"built {n} processors (3 locations, 4 sub-processors, 14 clause rows, 2 safeguards each) in {time.perf_counter() - start:.1f} s")
    count_queries()

    QueryCount.value = 0
    load_time, register = await best_of(3, lambda: load_register(organisation))
    load_queries = QueryCount.value // 3

    async def load_through_the_orm():
        async with DB.transaction():  # inside a transaction the store reads through Piccolo's six selects
            return await load_register(organisation)

    QueryCount.value = 0
    orm_time, through_orm = await best_of(3, load_through_the_orm)
    orm_queries = QueryCount.value // 3
    assert through_orm == register, "the two load paths must build the same register"

    async def assess():
        return assess_register(register, as_of=AS_OF)

    assess_time, assessment = await best_of(3, assess)
    findings = sum(len(p.findings) for p in assessment.processors)

    # After one change (a hosting provider other processors chain to gets a new
    # location): only the processors whose chains changed are assessed again.
    host_id = next(s.registered_processor_id for p in register for s in p.sub_processors if s.registered_processor_id)
    changed = [
        replace(p, locations=(*p.locations, Location(None, "IN", LocationActivity.HOSTING))) if p.id == host_id else p
        for p in register
    ]
    before = ({p.id: p for p in register}, assessment)

    async def reassess():
        return reassess_register(changed, as_of=AS_OF, before=before)

    reassess_time, reassessed = await best_of(3, reassess)
    again = len(changed_chains(before[0], {p.id: p for p in changed}))
    assert reassessed == assess_register(changed, as_of=AS_OF), "the reassessment must equal a full one"

    sample = [p.id for p in register[:BASELINE_SAMPLE]]
    QueryCount.value = 0

    async def one_by_one():
        return [await load_processor(pid) for pid in sample]

    sample_time, _ = await best_of(1, one_by_one)
    per_processor_queries = QueryCount.value / len(sample)
    baseline_time = sample_time / len(sample) * n

    print(f"load_register:   {load_time}  {load_queries} queries for {len(register)} processors")
    print(f"  baseline, the same through the ORM's selects: {orm_time}  {orm_queries} queries")
    print(f"assess_register: {assess_time}  {findings} findings, register score {assessment.score}")
    print(
        f"load + assess:   {(load_time + assess_time) * 1000:8.0f} ms "
        f"(CPU {(load_time.cpu + assess_time.cpu) * 1000:.0f} ms)  (aim < 1,000 ms)"
    )
    print(
        f"reassess_register after one change: {reassess_time}  "
        f"({again} processors assessed again, the rest reused; same answer as a full run)"
    )
    print(
        f"baseline (load_processor per id, N+1): {baseline_time * 1000:8.0f} ms for {n} "
        f"(measured on {len(sample)}: {sample_time * 1000:.0f} ms, {per_processor_queries:.0f} queries each, "
        f"{per_processor_queries * n:.0f} in all)"
    )
    print(f"speed-up of the fixed-query load over the baseline: {baseline_time / load_time:.1f}x")

    notified = await record_pending_notices(organisation, [p.id for p in register[::10]])
    QueryCount.value = 0
    notices_load_time, with_notices = await best_of(3, lambda: load_register(organisation))
    notices_assess_time, notices_assessment = await best_of(3, lambda: _assessed(with_notices))
    raised = sum(f.subject.kind == "notice" for p in notices_assessment.processors for f in p.findings)
    print(
        f"with {notified} pending notices: load_register {notices_load_time}, assess_register {notices_assess_time}  "
        f"({raised} notice findings; baseline: the figures above)"
    )


async def _assessed(register):
    return assess_register(register, as_of=AS_OF)


async def record_pending_notices(organisation: int, processor_ids: list[int]) -> int:
    """One pending notice (a 20-row list, 30 days stated) per processor given, inserted in bulk."""
    from datetime import timedelta

    from register.tables import SubProcessorNotice

    rows = [{"name": f"Vendor {i} Inc.", "countries": ["US"], "purpose": "Hosting"} for i in range(20)]
    await SubProcessorNotice.insert(*[
        SubProcessorNotice(organisation=organisation, processor=pid, kind="change", channel="email",
                           received_on=AS_OF - timedelta(days=index % 60), rows=rows, stated_notice_days=30)
        for index, pid in enumerate(processor_ids)
    ])
    return len(processor_ids)


if __name__ == "__main__":
    size = int(next((a for a in sys.argv[1:] if a.isdigit()), 5000))
    asyncio.run(main(size))
