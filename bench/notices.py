"""Reading and reviewing a large sub-processor list (pure: no database).

    python bench/notices.py [N]

A synthetic vendor list of N rows (default 2,000), in three shapes: a GitHub-like
Markdown table, a PostHog-like JSON list and a CSV. Times, best of 3, in the same run:

- reading each shape (register/intake/subprocessor_lists.py); the CSV goes through
  the intake's spreadsheet reader, the baseline the list reader builds on;
- the diff of the list against a processor with N/2 registered sub-processors;
- the review's assessment ("what accepting would raise": two assessments of the
  processor), beside one plain assessment of the same processor (the baseline).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from register.compliance import assess_processor  # noqa: E402
from register.compliance.model import Agreement, Processor, SubProcessor  # noqa: E402
from register.compliance.notices import Entry, compare, findings_if_accepted, register_entries  # noqa: E402
from register.intake.reading import read_workbook  # noqa: E402
from register.intake.subprocessor_lists import read_subprocessor_list  # noqa: E402
from register.vocabulary import LifecycleStatus, SubProcessorAuthorisation  # noqa: E402

COUNTRIES = ("United States", "Germany", "Ireland", "India", "Japan", "France", "Brazil", "Singapore")
CODES = ("US", "DE", "IE", "IN", "JP", "FR", "BR", "SG")


def best_of(runs: int, work) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def lists(n: int) -> tuple[str, str, bytes]:
    rows = [(f"Vendor {i} Inc.", f"Service {i % 17}", f"{COUNTRIES[i % 8]}, {COUNTRIES[(i + 3) % 8]}") for i in range(n)]
    markdown = "| Name of Subprocessor | Description of Processing | Location of Processing | Corporate Location |\n"
    markdown += "|---|---|---|---|\n" + "".join(f"| {a} | {b} | {c} | United States |\n" for a, b, c in rows)
    posthog = json.dumps([{"name": a, "reason": b, "location": c.split(", "), "type": "Vendor"} for a, b, c in rows])
    csv = ("Name;Purpose;Location\n" + "".join(f"{a};{b};{c}\n" for a, b, c in rows)).encode()
    return markdown, posthog, csv


def processor(n: int) -> Processor:
    subs = tuple(SubProcessor(i, f"Vendor {i} Inc", (CODES[i % 8],), f"Service {i % 17}") for i in range(0, n, 2))
    agreement = Agreement(1, sub_processor_authorisation=SubProcessorAuthorisation.GENERAL, objection_notice_days=30)
    return Processor(1, 1, "Big Vendor Inc.", status=LifecycleStatus.APPROVED, headquarters_country="US",
                     sub_processors=subs, agreement=agreement)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    markdown, posthog, csv = lists(n)
    print(f"sub-processor list of {n} rows (best of 3)")
    print(f"  markdown table     {best_of(3, lambda: read_subprocessor_list(markdown)) * 1000:8.1f} ms")
    print(f"  JSON               {best_of(3, lambda: read_subprocessor_list(posthog, 'list.json')) * 1000:8.1f} ms")
    print(f"  CSV (list reader)  {best_of(3, lambda: read_subprocessor_list(csv, 'list.csv')) * 1000:8.1f} ms")
    print(f"  CSV (baseline: intake's read_workbook alone) {best_of(3, lambda: read_workbook(csv, 'list.csv')) * 1000:8.1f} ms")
    vendor = processor(n)
    listed = read_subprocessor_list(markdown)
    entries = [Entry(r.name, r.countries, r.purpose, None, r.regions) for r in listed.rows]
    changes = compare(register_entries(vendor), entries, full_list=True)
    print(f"  diff against {len(vendor.sub_processors)} registered  "
          f"{best_of(3, lambda: compare(register_entries(vendor), entries, full_list=True)) * 1000:8.1f} ms")
    from datetime import date

    today = date(2026, 12, 1)
    print(f"  findings if accepted {best_of(3, lambda: findings_if_accepted(vendor, changes, as_of=today)) * 1000:8.1f} ms")
    print(f"  baseline: one assessment of the processor as it stands "
          f"{best_of(3, lambda: assess_processor(vendor, as_of=today)) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
