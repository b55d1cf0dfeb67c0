"""Migrations build the schema the tables declare, on SQLite and on PostgreSQL."""

from __future__ import annotations

from register.database import DB
from register.schema_migrations import apply_migrations, pending_migrations
from register.tables import ALL_TABLES


async def _database_columns(tablename: str) -> set[str]:
    if DB.engine_type == "sqlite":
        rows = await DB._run_in_new_connection(f'PRAGMA table_info("{tablename}")')
        return {row["name"] for row in rows}
    rows = await DB._run_in_new_connection(
        "SELECT column_name FROM information_schema.columns WHERE table_name = $1", [tablename]
    )
    return {row["column_name"] for row in rows}


def test_migrations_build_every_declared_column(run, database):
    for table in ALL_TABLES:
        declared = {column._meta.db_column_name for column in table._meta.columns}
        assert run(_database_columns(table._meta.tablename)) == declared, table.__name__


def test_nothing_is_pending_after_migrating_and_migrating_again_is_a_no_op(run, database):
    assert run(pending_migrations()) == []
    assert run(apply_migrations()) == []
