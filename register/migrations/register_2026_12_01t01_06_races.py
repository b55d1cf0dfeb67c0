"""One row per Art. 28 item of an agreement, one membership per user and organisation.

Hand-written: Piccolo's columns cannot declare a unique constraint over two
columns. Rows that an earlier race duplicated are merged first (the latest
row of each pair is kept), so the unique indexes can be built.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-01T01:06:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique (agreement, item) and (organisation, user)"

# (index name, table, columns): the same list as register.tables.UNIQUE_TOGETHER
UNIQUE_INDEXES = (
    ("clause_assessment_agreement_item_key", "clause_assessment", ("agreement", "item")),
    ("membership_organisation_user_key", "membership", ("organisation", "user")),
)


async def _run(sql: str) -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_ddl(sql)  # inside the migration's transaction


async def create_unique_indexes() -> None:
    for name, table, columns in UNIQUE_INDEXES:
        listed = ", ".join(f'"{column}"' for column in columns)
        await _run(
            f'DELETE FROM "{table}" WHERE "id" NOT IN '
            f'(SELECT MAX("id") FROM "{table}" GROUP BY {listed})'
        )
        await _run(f'CREATE UNIQUE INDEX IF NOT EXISTS "{name}" ON "{table}" ({listed})')


async def drop_unique_indexes() -> None:
    for name, _, _ in UNIQUE_INDEXES:
        await _run(f'DROP INDEX IF EXISTS "{name}"')


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="register", description=DESCRIPTION)
    manager.add_raw(create_unique_indexes)
    manager.add_raw_backwards(drop_unique_indexes)
    return manager
