"""A synthetic register for the benchmarks: N processors with what each owns.

Import it after DATABASE_URL is set (``register.database`` reads it once).
Each processor has 3 locations, 4 sub-processors (one in two of the first ones
hosts with one of the register's own cloud providers, followed as a chain), a
DPA with every Art. 28(3) item assessed and 2 transfer safeguards.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from register.database import DATABASE
from register.reference import load_reference
from register.schema_migrations import apply_migrations
from register.tables import (
    Agreement,
    ClauseAssessment,
    Organisation,
    ProcessingLocation,
    Processor,
    SubProcessor,
    TransferSafeguard,
)

COUNTRIES = ["FR", "DE", "IE", "NL", "US", "GB", "CH", "JP", "CA", "IN", "BR", "SG"]
CHUNK = 500
AS_OF = date(2026, 11, 29)


async def fresh_database() -> None:
    """The configured database, empty and migrated (a PostgreSQL schema is wiped first)."""
    if DATABASE.engine == "postgres":
        import asyncpg

        connection = await asyncpg.connect(DATABASE.postgres_dsn)
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        await connection.close()
    await apply_migrations()


async def insert_chunked(table, rows) -> None:
    for start in range(0, len(rows), CHUNK):
        await table.insert(*rows[start : start + CHUNK])


async def build_register(n: int) -> int:
    rng = random.Random(5000)
    items = load_reference().art28_item_ids()
    organisation = (await Organisation.insert(Organisation(name="Bench", country="FR")).returning(Organisation.id))[0]["id"]
    await insert_chunked(
        Processor,
        [
            Processor(
                organisation=organisation,
                legal_name=f"Vendor {i:05d}",
                headquarters_country=rng.choice(COUNTRIES),
                status="approved",
                prospection_use=rng.choice(["none", "b2b", "b2c"]),
                opt_out_offered=rng.random() < 0.8,
                prior_consent_collected=rng.random() < 0.7,
                indirect_collection=rng.random() < 0.3,
                source_disclosed=rng.random() < 0.5,
                retention_months=rng.choice([None, 12, 36, 60]),
                security_measures=rng.choice(["", "TLS, encryption at rest"]),
                dpf_certified=rng.random() < 0.5,
                dpf_checked_on=AS_OF - timedelta(days=rng.randint(0, 700)),
                next_review_on=AS_OF + timedelta(days=rng.randint(-200, 300)),
                data_categories=["identity", "e-mail"],
            )
            for i in range(n)
        ],
    )
    ids = [r["id"] for r in await Processor.select(Processor.id).order_by(Processor.id)]
    hosts = ids[: max(1, n // 100)]
    await insert_chunked(
        ProcessingLocation,
        [ProcessingLocation(processor=p, country=rng.choice(COUNTRIES)) for p in ids for _ in range(3)],
    )
    await insert_chunked(
        SubProcessor,
        [
            SubProcessor(
                processor=p,
                name=f"Sub {p}-{k}",
                countries=[rng.choice(COUNTRIES)],
                flowdown=rng.choice(["yes", "no", "unknown"]),
                # Half the vendors host with one of the register's own cloud
                # providers (the first 1%), which is followed as a chain.
                registered_processor=rng.choice(hosts) if k == 0 and p not in hosts and rng.random() < 0.5 else None,
            )
            for p in ids
            for k in range(4)
        ],
    )
    await insert_chunked(
        Agreement,
        [
            Agreement(
                processor=p,
                signed_on=AS_OF - timedelta(days=400),
                effective_on=AS_OF - timedelta(days=400),
                ends_on=AS_OF + timedelta(days=rng.randint(-100, 900)),
                sub_processor_authorisation="general",
                objection_notice_days=30,
                breach_notice_hours=rng.choice([None, 24, 48, 72]),
            )
            for p in ids
        ],
    )
    agreements = await Agreement.select(Agreement.id)
    await insert_chunked(
        ClauseAssessment,
        [
            ClauseAssessment(agreement=a["id"], item=item, status=rng.choice(["present", "partial", "absent", "unassessed"]))
            for a in agreements
            for item in items
        ],
    )
    await insert_chunked(
        TransferSafeguard,
        [
            TransferSafeguard(
                processor=p,
                country=rng.choice(COUNTRIES),
                mechanism=rng.choice(["scc_2021", "dpf", "bcr", "scc_pre_2021"]),
                scc_module=rng.choice([2, 3]),
                tia_on=AS_OF - timedelta(days=rng.randint(0, 900)),
            )
            for p in ids
            for _ in range(2)
        ],
    )
    return organisation
