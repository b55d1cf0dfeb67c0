"""The calendar feed and the digest's agenda of a large register.

    python bench/reminders.py [N] [TASKS]

Builds a register of N processors (default 5,000; bench/synthetic.py) in a fresh
database (a temporary SQLite file, or BENCH_DATABASE_URL, which it wipes), a DPO
owning TASKS remediation tasks (default 500), and times, as medians of 5 runs:

- baseline: loading and assessing the register, the cost every cold page pays;
- agenda, cold and warm: the user's dated items (register deadlines + tasks'
  states from the assessment), right after a change / from the revision cache;
- feed: the agenda written as iCalendar (the GET /calendar/<token>.ics body, built
  once per state of the registers and then served from the answers cache);
- task views: the TASKS tasks' states derived from the cached assessment.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BENCH_URL = os.environ.get("BENCH_DATABASE_URL")
_tmp = Path(tempfile.mkdtemp(prefix="register-bench-reminders-"))
os.environ["DATABASE_URL"] = BENCH_URL or f"sqlite:///{_tmp / 'bench.sqlite'}"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import build_register, fresh_database  # noqa: E402
from register.accounts.store import create_user, load_account, set_membership  # noqa: E402
from register.compliance.remediation import finding_key  # noqa: E402
from register.documents.calendar import agenda_calendar  # noqa: E402
from register.store import snapshots  # noqa: E402
from register.store.reminders import user_agenda  # noqa: E402
from register.store.tasks import task_views  # noqa: E402
from register.tables import RemediationTask  # noqa: E402
from register.vocabulary import Role  # noqa: E402

TODAY = date.today()


async def timed(step, runs: int = 5, before=None) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        await step()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


async def main(n: int, task_count: int) -> None:
    await fresh_database()
    organisation_id = await build_register(n)
    user_id = await create_user("dpo@bench.invalid", "bench-password-long-enough")
    await set_membership(user_id, organisation_id, Role.DPO)
    _, assessment = await snapshots.register_assessment(organisation_id, TODAY)
    keys = list(dict.fromkeys(k for k in map(finding_key, assessment.findings) if k))[:task_count]
    await RemediationTask.insert(*[
        RemediationTask(organisation=organisation_id, processor=k.processor_id, finding_code=k.code,
                        subject_kind=k.subject_kind, subject_ref=k.subject_ref, owner=user_id,
                        due_on=TODAY + timedelta(days=i % 60 - 10))
        for i, k in enumerate(keys)
    ])
    account = await load_account(user_id)

    async def assess():
        await snapshots.register_assessment(organisation_id, TODAY)

    async def agenda():
        return await user_agenda(user_id, account.memberships, TODAY)

    items = await agenda()

    async def feed():
        agenda_calendar(items, "fr", "https://register.example", TODAY)

    async def views():
        await task_views(organisation_id, TODAY)

    baseline = await timed(assess, before=snapshots.clear_caches)
    cold = await timed(agenda, before=snapshots.clear_caches)
    warm = await timed(agenda)
    ics = await timed(feed)
    tasks = await timed(views)
    body = agenda_calendar(items, "fr", "https://register.example", TODAY)
    print(f"register: {n} processors, {len(keys)} tasks, {len(items)} agenda items, feed {len(body) // 1024} KiB")
    print(f"baseline  load + assess the register (cold) {baseline:8.0f} ms")
    print(f"agenda    cold (after a change)              {cold:8.0f} ms  ({cold / baseline:.2f}x baseline)")
    print(f"agenda    warm (revision cache)              {warm:8.0f} ms  ({warm / baseline:.2f}x baseline)")
    print(f"feed      iCalendar body of the agenda       {ics:8.0f} ms")
    print(f"tasks     {len(keys)} states from the assessment   {tasks:8.0f} ms")


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(arguments + [5000, 500][len(arguments):])))
