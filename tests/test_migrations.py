"""Migrations build the schema the tables declare, on SQLite and on PostgreSQL."""

from __future__ import annotations

from register.database import DB
from register.schema_migrations import apply_migrations, pending_migrations
from register.tables import ALL_TABLES, UNIQUE_TOGETHER


# PostgreSQL's information_schema names -> the column types Piccolo declares
POSTGRES_TYPES = {
    "integer": "INTEGER", "bigint": "BIGINT", "text": "TEXT", "boolean": "BOOLEAN", "date": "DATE", "json": "JSON",
    "timestamp with time zone": "TIMESTAMPTZ", "bytea": "BYTEA",
}


async def _database_columns(tablename: str) -> dict[str, tuple[str, bool]]:
    """Each column's (type, nullable) as the database holds it."""
    if DB.engine_type == "sqlite":
        rows = await DB._run_in_new_connection(f'PRAGMA table_info("{tablename}")')
        return {row["name"]: (row["type"].upper(), not row["notnull"] and not row["pk"]) for row in rows}
    rows = await DB._run_in_new_connection(
        "SELECT column_name, data_type, character_maximum_length, is_nullable "
        "FROM information_schema.columns WHERE table_name = $1",
        [tablename],
    )
    return {
        row["column_name"]: (
            f"VARCHAR({row['character_maximum_length']})"
            if row["data_type"] == "character varying"
            else POSTGRES_TYPES.get(row["data_type"], row["data_type"]),
            row["is_nullable"] == "YES",
        )
        for row in rows
    }


async def _database_unique_indexes(tablename: str) -> set[tuple[str, ...]]:
    """The column lists of the table's unique indexes and constraints (primary key aside)."""
    if DB.engine_type == "sqlite":
        indexes = await DB._run_in_new_connection(f'PRAGMA index_list("{tablename}")')
        found = set()
        for index in indexes:
            if index["unique"] and index["origin"] != "pk":
                columns = await DB._run_in_new_connection(f'PRAGMA index_info("{index["name"]}")')
                found.add(tuple(c["name"] for c in sorted(columns, key=lambda c: c["seqno"])))
        return found
    rows = await DB._run_in_new_connection(
        "SELECT array_agg(a.attname::text ORDER BY k.position) AS columns "
        "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
        "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) "
        "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
        "WHERE t.relname = $1 AND i.indisunique AND NOT i.indisprimary GROUP BY i.indexrelid",
        [tablename],
    )
    return {tuple(row["columns"]) for row in rows}


def _declared_columns(table) -> dict[str, tuple[str, bool]]:
    return {
        column._meta.db_column_name: (
            # SERIAL is PostgreSQL's shorthand for an integer fed by a sequence
            column.column_type.upper().replace("SERIAL", "INTEGER"),
            column._meta.null and not column._meta.primary_key,
        )
        for column in table._meta.columns
    }


def _declared_unique(table) -> set[tuple[str, ...]]:
    single = {(c._meta.db_column_name,) for c in table._meta.columns if c._meta.unique and not c._meta.primary_key}
    return single | set(UNIQUE_TOGETHER.get(table._meta.tablename, ()))


def test_migrations_build_every_declared_column_with_its_type_and_nullability(run, database):
    for table in ALL_TABLES:
        assert run(_database_columns(table._meta.tablename)) == _declared_columns(table), table.__name__


def test_migrations_build_every_unique_rule(run, database):
    for table in ALL_TABLES:
        assert run(_database_unique_indexes(table._meta.tablename)) == _declared_unique(table), table.__name__
    assert ("agreement", "item") in run(_database_unique_indexes("clause_assessment"))
    assert ("organisation", "user") in run(_database_unique_indexes("membership"))


def test_nothing_is_pending_after_migrating_and_migrating_again_is_a_no_op(run, database):
    assert run(pending_migrations()) == []
    assert run(apply_migrations()) == []


def test_every_migration_has_its_own_id():
    """Two migrations with one id: Piccolo applies one and silently skips the other."""
    import importlib
    import pkgutil

    import register.migrations as package

    ids = [
        importlib.import_module(f"{package.__name__}.{module.name}").ID
        for module in pkgutil.iter_modules(package.__path__)
    ]
    assert len(ids) == len(set(ids)), sorted(ids)
