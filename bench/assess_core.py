"""Speed of the pure compliance core: assess a synthetic register.

    python bench/assess_core.py [N]

N processors (default 5,000), each with 3 locations, 4 sub-processors, a DPA
with every Art. 28(3) item assessed and a few safeguards. Two registers:

- typical: one sub-processor entry in ten is a registered processor, one of
  the 200 "platform" vendors (clouds, e-mail senders) that many vendors use;
- dense chains: every processor's first sub-processor is a registered
  processor picked at random, so every chain runs deep through the register
  and loops (a stress case).

Prints the best and median of 5 runs of ``assess_register`` on one core,
after one warm-up run (which loads the reference data). No database:
bench/assess.py measures the whole path.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from register.compliance import assess_register  # noqa: E402
from register.compliance.model import (  # noqa: E402
    Agreement,
    ClauseAssessment,
    Location,
    Processor,
    Safeguard,
    SubProcessor,
)
from register.reference import load_reference  # noqa: E402
from register.vocabulary import (  # noqa: E402
    ClauseStatus,
    LifecycleStatus,
    LocationActivity,
    ProspectionUse,
    SubProcessorAuthorisation,
    TransferMechanism,
    Tristate,
)

AS_OF = date(2026, 11, 29)
COUNTRIES = ["FR", "DE", "IE", "NL", "US", "GB", "CH", "JP", "CA", "IN", "BR", "SG"]


def registered_target(rng: random.Random, n: int, k: int, dense: bool) -> int | None:
    """The registered processor a sub-processor entry is, if any."""
    if dense:
        return rng.randint(1, n) if k == 0 else None
    return rng.randint(1, min(200, n)) if rng.random() < 0.1 else None


def synthetic_register(n: int, *, dense: bool = False, seed: int = 7) -> list[Processor]:
    rng = random.Random(seed)
    items = load_reference().art28_item_ids()
    statuses = list(ClauseStatus)
    processors = []
    for pid in range(1, n + 1):
        locations = tuple(
            Location(
                id=pid * 10 + k, country=rng.choice(COUNTRIES), activity=rng.choice(list(LocationActivity))
            )
            for k in range(3)
        )
        subs = tuple(
            SubProcessor(
                id=pid * 10 + k,
                name=f"Sub {pid}-{k}",
                countries=(rng.choice(COUNTRIES),),
                flowdown=rng.choice(list(Tristate)),
                registered_processor_id=registered_target(rng, n, k, dense),
                dpf_certified=rng.choice([True, False, None]),
                dpf_checked_on=date(2026, rng.randint(1, 11), 1) if rng.random() < 0.5 else None,
            )
            for k in range(4)
        )
        safeguards = tuple(
            Safeguard(
                id=pid * 10 + k,
                country=rng.choice(["US", "IN", "SG", "BR"]),
                mechanism=rng.choice(
                    [TransferMechanism.SCC_2021, TransferMechanism.SCC_PRE_2021, TransferMechanism.BCR]
                ),
                sub_processor_id=rng.choice([None, subs[1].id]),
                scc_module=rng.choice([2, 3, None]),
                tia_on=date(2025, rng.randint(1, 12), 1) if rng.random() < 0.7 else None,
            )
            for k in range(2)
        )
        agreement = Agreement(
            id=pid,
            signed_on=date(2024, 1, 1) if rng.random() < 0.9 else None,
            ends_on=date(2026, 6, 30) if rng.random() < 0.1 else None,
            sub_processor_authorisation=rng.choice(list(SubProcessorAuthorisation)),
            breach_notice_hours=rng.choice([None, 24, 48, 72]),
            clauses=tuple(
                ClauseAssessment(id=j, item=item, status=rng.choices(statuses, weights=[8, 1, 1, 1])[0])
                for j, item in enumerate(items)
            ),
        )
        processors.append(
            Processor(
                id=pid,
                organisation_id=1,
                legal_name=f"Vendor {pid:05d}",
                headquarters_country=rng.choice(COUNTRIES),
                status=rng.choice([LifecycleStatus.APPROVED] * 4 + [LifecycleStatus.UNDER_REVIEW]),
                prospection_use=rng.choice([*ProspectionUse, None]),
                opt_out_offered=rng.choice([True, False, None]),
                prior_consent_collected=rng.choice([True, None]),
                indirect_collection=rng.choice([True, False, None]),
                retention_months=rng.choice([12, 36, 48, None]),
                special_category_data=rng.choice([False, True, None]),
                security_measures=rng.choice(["", "ISO 27001"]),
                next_review_on=date(2026, rng.randint(1, 12), 1),
                dpf_certified=rng.choice([True, False, None]),
                locations=locations,
                sub_processors=subs,
                agreement=agreement,
                safeguards=safeguards,
            )
        )
    return processors


def measure(processors: list[Processor], label: str) -> None:
    result = assess_register(processors, as_of=AS_OF)  # warm-up: loads the reference
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        result = assess_register(processors, as_of=AS_OF)
        timings.append(time.perf_counter() - start)
    routes = sum(len(p.transfers) for p in result.processors)
    print(
        f"{label}: {len(processors)} processors (3 locations, 4 sub-processors each), "
        f"{routes} transfer routes, {len(result.findings)} findings: "
        f"best {min(timings) * 1000:.0f} ms, median {sorted(timings)[2] * 1000:.0f} ms"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    measure(synthetic_register(n), "typical")
    measure(synthetic_register(n, dense=True), "dense chains")


if __name__ == "__main__":
    main()
