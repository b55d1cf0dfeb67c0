"""Spreadsheet import (issue 11): saved column mappings and stored import previews.

- ``import_mapping``: a column mapping saved per organisation under a name,
  unique per organisation (a hand-made unique index over two columns, as in
  register_2026_12_01t01_06_races);
- ``import_preview``: an uploaded sheet waiting for confirmation, under a
  random public id, with its file, mapping, preview, status and expiry.

Hand-written (Piccolo cannot auto-generate migrations on SQLite): new tables
only, nothing existing changes.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, Bytea, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-01T03:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "import_mapping and import_preview (spreadsheet import)"

NAME_LENGTH = 200
SHORT_LENGTH = 100
EMAIL_LENGTH = 254
CODE_LENGTH = 40
MAPPING_NAME_INDEX = ("import_mapping_organisation_name_key", "import_mapping", ("organisation", "name"))


class Organisation(Table, tablename="organisation", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name="id",
        secret=False,
    )


def _params(default, *, null: bool = False, **extra) -> dict:
    return {
        "default": default,
        "null": null,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        **extra,
    }


def _organisation_key() -> dict:
    return {
        **_params(None, index=True),
        "references": Organisation,
        "on_delete": OnDelete.cascade,
        "on_update": OnUpdate.cascade,
        "target_column": None,
    }


def _add(manager: MigrationManager, class_name: str, tablename: str, column: str, column_class, params: dict) -> None:
    manager.add_column(
        table_class_name=class_name,
        tablename=tablename,
        column_name=column,
        db_column_name=column,
        column_class_name=column_class.__name__,
        column_class=column_class,
        params=params,
        schema=None,
    )


def _mapping_table(manager: MigrationManager) -> None:
    name, table = "ImportMapping", "import_mapping"
    manager.add_table(class_name=name, tablename=table, schema=None, columns=None)
    _add(manager, name, table, "organisation", ForeignKey, _organisation_key())
    _add(manager, name, table, "name", Varchar, _params("", length=NAME_LENGTH))
    _add(manager, name, table, "mapping", JSON, _params("{}"))
    _add(manager, name, table, "saved_by", Varchar, _params("", length=EMAIL_LENGTH))
    _add(manager, name, table, "saved_at", Timestamptz, _params(TimestamptzNow()))
    _add(manager, name, table, "version", Integer, _params(1))


def _preview_table(manager: MigrationManager) -> None:
    name, table = "ImportPreview", "import_preview"
    manager.add_table(class_name=name, tablename=table, schema=None, columns=None)
    _add(manager, name, table, "public_id", Varchar, _params("", length=SHORT_LENGTH, unique=True, index=True))
    _add(manager, name, table, "organisation", ForeignKey, _organisation_key())
    _add(manager, name, table, "created_by", Varchar, _params("", length=EMAIL_LENGTH))
    _add(manager, name, table, "created_at", Timestamptz, _params(TimestamptzNow()))
    _add(manager, name, table, "expires_at", Timestamptz, _params(TimestamptzNow(), index=True))
    _add(manager, name, table, "file_name", Varchar, _params("", length=NAME_LENGTH))
    _add(manager, name, table, "sha256", Varchar, _params("", length=64))
    _add(manager, name, table, "size_bytes", Integer, _params(0))
    _add(manager, name, table, "content", Bytea, _params(b""))
    _add(manager, name, table, "mapping", JSON, _params("{}"))
    _add(manager, name, table, "preview", JSON, _params("{}"))
    _add(manager, name, table, "status", Varchar, _params("pending", length=CODE_LENGTH))
    _add(manager, name, table, "committed_by", Varchar, _params(None, null=True, length=EMAIL_LENGTH))
    _add(manager, name, table, "committed_at", Timestamptz, _params(None, null=True))
    _add(manager, name, table, "outcome", JSON, _params(None, null=True))
    _add(manager, name, table, "version", Integer, _params(1))


async def _run(sql: str) -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_ddl(sql)  # inside the migration's transaction


async def create_mapping_name_index() -> None:
    name, table, columns = MAPPING_NAME_INDEX
    listed = ", ".join(f'"{column}"' for column in columns)
    await _run(f'CREATE UNIQUE INDEX IF NOT EXISTS "{name}" ON "{table}" ({listed})')


async def drop_mapping_name_index() -> None:
    await _run(f'DROP INDEX IF EXISTS "{MAPPING_NAME_INDEX[0]}"')


class TablesThenIndex(MigrationManager):
    """Piccolo runs ``add_raw`` steps before it creates tables: the unique index over two
    columns of a table this migration creates is made right after the tables instead."""

    async def _run_add_tables(self, backwards: bool = False):
        if backwards:
            await drop_mapping_name_index()
        await super()._run_add_tables(backwards=backwards)
        if not backwards:
            await create_mapping_name_index()


async def forwards():
    manager = TablesThenIndex(migration_id=ID, app_name="register", description=DESCRIPTION)
    _mapping_table(manager)
    _preview_table(manager)
    return manager
