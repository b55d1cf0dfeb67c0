"""Time storing a vendor's DPA and confirming a reading, against plain baselines.

    DATABASE_URL=sqlite:////tmp/bench-files.sqlite python bench/dpa_files.py

On the configured database (wiped and migrated: never point it at a register
you keep) and a temporary FILES_DIR, prints best-of-k wall times of:

- ``add_agreement_file`` for 1, 10 and 50 MB (sniffing, SHA-256, temporary
  file fsynced, rename and row with its audit event in one transaction),
  against the baseline of writing the same bytes to a file and fsyncing it;
- ``confirm_reading`` of a reading whose nine items, four facts and one
  sub-processor are all accepted (one transaction: the reading's versioned
  UPDATE, the agreement, nine checklist rows, a sub-processor, their audit
  events), against the baseline of ``put_clauses`` writing the same nine
  checklist rows alone.
"""

from __future__ import annotations

import asyncio
import copy
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("FILES_DIR", tempfile.mkdtemp(prefix="bench-files-"))

from bench.synthetic import fresh_database  # noqa: E402
from register.reading import ITEM_IDS  # noqa: E402
from register.store import changes, files, readings  # noqa: E402
from register.store.readings import ItemChoice, FactChoice, ReadingConfirmation  # noqa: E402
from register.vocabulary import ReadingDecision  # noqa: E402

ROUNDS = 5
ACCEPT = ReadingDecision.ACCEPT
READING = {
    "items": {
        item: {"status": "present", "evidence": [{"section": "4.1", "page": 2, "text": "The Processor shall…"}],
               "reason": "found", "found": [], "missing": [], "via_scc": False, "contradiction": False}
        for item in ITEM_IDS
    },
    "breach_notification_hours": 48, "subprocessor_notice_days": 30, "authorisation": "general",
    "governing_law": "FR", "sub_processors": [{"name": "Hosting SAS", "countries": ["FR"], "purpose": "Hosting"}],
}


def best(times: list[float]) -> float:
    return min(times) * 1000


def text_of(size: int) -> bytes:
    line = b"1.1 The Processor shall process Personal Data only on documented instructions.\n"
    return (line * (size // len(line) + 1))[:size]


def baseline_write(content: bytes, folder: Path) -> None:
    path = folder / "baseline.bin"
    with path.open("wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()


async def main() -> None:
    await fresh_database()
    organisation = await changes.create_organisation({"name": "Bench", "country": "FR"}, "bench")
    processor = await changes.create_processor(organisation.id, {"legal_name": "Vendor SAS"}, "bench")
    folder = Path(os.environ["FILES_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    print(f"FILES_DIR {folder}")
    print(f"{'upload':<12}{'store (ms)':>12}{'write+fsync (ms)':>18}{'ratio':>8}")
    for megabytes in (1, 10, 50):
        store_times, base_times = [], []
        for round_ in range(ROUNDS):
            content = text_of(megabytes * 1024 * 1024 - round_ - 1)  # a new digest each round
            start = time.perf_counter()
            await files.add_agreement_file(organisation.id, processor.id, content, "dpa.txt", "bench")
            store_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            baseline_write(content, folder)
            base_times.append(time.perf_counter() - start)
        print(f"{megabytes:>4} MB     {best(store_times):>12.1f}{best(base_times):>18.1f}"
              f"{best(store_times) / best(base_times):>8.1f}")

    stored = (await files.list_agreement_files(organisation.id, processor.id))[0]
    confirm_times, base_times = [], []
    for _ in range(ROUNDS):
        reading = await readings.create_reading(organisation.id, processor.id, stored.id, copy.deepcopy(READING), "en", "bench")
        confirmation = ReadingConfirmation(
            version=reading.version,
            items={item: ItemChoice(ACCEPT) for item in ITEM_IDS},
            facts={name: FactChoice(ACCEPT) for name in readings.FACT_SOURCES},
            sub_processors=(0,),
        )
        start = time.perf_counter()
        await readings.confirm_reading(
            organisation.id, processor.id, reading.id, confirmation, "bench", person="Bench", language="en",
            on=__import__("datetime").date.today(),
        )
        confirm_times.append(time.perf_counter() - start)
        current = {c.item: c for c in (await changes.load_processor(processor.id)).agreement.clauses}
        start = time.perf_counter()
        await changes.put_clauses(
            organisation.id, processor.id,
            [(item, {"status": "present", "section": "4.1", "note": "n"}, current[item].version) for item in ITEM_IDS],
            "bench",
        )
        base_times.append(time.perf_counter() - start)
    print(f"confirm a reading (9 items, 4 facts, 1 sub-processor): {best(confirm_times):.1f} ms; "
          f"baseline put_clauses (9 rows): {best(base_times):.1f} ms; "
          f"ratio {best(confirm_times) / best(base_times):.1f}")


if __name__ == "__main__":
    asyncio.run(main())
