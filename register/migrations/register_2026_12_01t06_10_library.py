"""Firms and the vendor library (issue 14): a firm, its members and client organisations,
the library's vendors with every version of their facts, their DPA files, and the links
from a client's processor to a library vendor.

Hand-written (Piccolo cannot auto-generate migrations on SQLite): new tables only, and
the unique rules over several columns as register.tables.UNIQUE_TOGETHER lists them.
Add-only: no existing column changes.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, BigInt, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-01T06:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "firm, firm_member, firm_client, library_vendor(_version), library_file, library_link"

NAME_LENGTH = 200
SHORT_LENGTH = 100
EMAIL_LENGTH = 254
CODE_LENGTH = 40


class Organisation(Table, tablename="organisation", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Processor(Table, tablename="processor", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class User(Table, tablename="app_user", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Firm(Table, tablename="firm", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class LibraryVendor(Table, tablename="library_vendor", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


# (index name, table, columns): the same list as register.tables.UNIQUE_TOGETHER
UNIQUE_INDEXES = (
    ("firm_member_firm_user_key", "firm_member", ("firm", "user")),
    ("library_vendor_firm_name_key", "library_vendor", ("firm", "legal_name")),
    ("library_vendor_version_key", "library_vendor_version", ("vendor", "version")),
)


def _params(default, *, null: bool = False, unique: bool = False, index: bool = False, **extra) -> dict:
    return {
        "default": default,
        "null": null,
        "primary_key": False,
        "unique": unique,
        "index": index,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        **extra,
    }


def _foreign_key(references, on_delete, *, null: bool = False, unique: bool = False, index: bool = False) -> dict:
    return {
        "references": references,
        "on_delete": on_delete,
        "on_update": OnUpdate.cascade,
        "target_column": None,
        **_params(None, null=null, unique=unique, index=index),
    }


def _column(manager: MigrationManager, class_name: str, tablename: str, column: str, column_class, params: dict) -> None:
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


def _table(manager: MigrationManager, class_name: str, tablename: str) -> tuple[str, str]:
    manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
    return class_name, tablename


def _firm(manager: MigrationManager) -> None:
    table = _table(manager, "Firm", "firm")
    _column(manager, *table, "name", Varchar, _params("", length=NAME_LENGTH, unique=True))
    _column(manager, *table, "created_by", Varchar, _params("", length=EMAIL_LENGTH))
    _column(manager, *table, "created_at", Timestamptz, _params(TimestamptzNow()))
    _column(manager, *table, "version", Integer, _params(1))


def _firm_member(manager: MigrationManager) -> None:
    table = _table(manager, "FirmMember", "firm_member")
    _column(manager, *table, "firm", ForeignKey, _foreign_key(Firm, OnDelete.cascade, index=True))
    _column(manager, *table, "user", ForeignKey, _foreign_key(User, OnDelete.cascade, index=True))
    _column(manager, *table, "role", Varchar, _params("member", length=CODE_LENGTH))
    _column(manager, *table, "created_at", Timestamptz, _params(TimestamptzNow()))


def _firm_client(manager: MigrationManager) -> None:
    table = _table(manager, "FirmClient", "firm_client")
    _column(manager, *table, "firm", ForeignKey, _foreign_key(Firm, OnDelete.cascade, index=True))
    _column(manager, *table, "organisation", ForeignKey, _foreign_key(Organisation, OnDelete.cascade, unique=True))
    _column(manager, *table, "attached_by", Varchar, _params("", length=EMAIL_LENGTH))
    _column(manager, *table, "attached_at", Timestamptz, _params(TimestamptzNow()))


def _library_vendor(manager: MigrationManager) -> None:
    table = _table(manager, "LibraryVendor", "library_vendor")
    _column(manager, *table, "firm", ForeignKey, _foreign_key(Firm, OnDelete.cascade, index=True))
    _column(manager, *table, "legal_name", Varchar, _params("", length=NAME_LENGTH))
    _column(manager, *table, "facts", JSON, _params("{}"))
    _column(manager, *table, "recorded", JSON, _params("{}"))
    _column(manager, *table, "created_by", Varchar, _params("", length=EMAIL_LENGTH))
    _column(manager, *table, "created_at", Timestamptz, _params(TimestamptzNow()))
    _column(manager, *table, "updated_by", Varchar, _params("", length=EMAIL_LENGTH))
    _column(manager, *table, "updated_at", Timestamptz, _params(TimestamptzNow()))
    _column(manager, *table, "version", Integer, _params(1))


def _library_vendor_version(manager: MigrationManager) -> None:
    table = _table(manager, "LibraryVendorVersion", "library_vendor_version")
    _column(manager, *table, "vendor", ForeignKey, _foreign_key(LibraryVendor, OnDelete.cascade, index=True))
    _column(manager, *table, "version", Integer, _params(0))
    _column(manager, *table, "facts", JSON, _params("{}"))
    _column(manager, *table, "recorded_by", Varchar, _params("", length=EMAIL_LENGTH))
    _column(manager, *table, "recorded_at", Timestamptz, _params(TimestamptzNow()))


def _library_file(manager: MigrationManager) -> None:
    table = _table(manager, "LibraryFile", "library_file")
    _column(manager, *table, "vendor", ForeignKey, _foreign_key(LibraryVendor, OnDelete.cascade, index=True))
    _column(manager, *table, "file_name", Varchar, _params("", length=NAME_LENGTH))
    _column(manager, *table, "media_type", Varchar, _params("", length=SHORT_LENGTH))
    _column(manager, *table, "size", BigInt, _params(0))
    _column(manager, *table, "sha256", Varchar, _params("", length=64, index=True))
    _column(manager, *table, "uploaded_by", Varchar, _params("", length=EMAIL_LENGTH))
    _column(manager, *table, "uploaded_at", Timestamptz, _params(TimestamptzNow()))


def _library_link(manager: MigrationManager) -> None:
    table = _table(manager, "LibraryLink", "library_link")
    _column(manager, *table, "organisation", ForeignKey, _foreign_key(Organisation, OnDelete.cascade, index=True))
    _column(manager, *table, "processor", ForeignKey, _foreign_key(Processor, OnDelete.cascade, unique=True))
    _column(manager, *table, "vendor", ForeignKey, _foreign_key(LibraryVendor, OnDelete.cascade, index=True))
    _column(manager, *table, "accepted_version", Integer, _params(0))
    _column(manager, *table, "dismissed_version", Integer, _params(None, null=True))
    _column(manager, *table, "linked_by", Varchar, _params("", length=EMAIL_LENGTH))
    _column(manager, *table, "linked_at", Timestamptz, _params(TimestamptzNow()))
    _column(manager, *table, "decided_by", Varchar, _params("", length=EMAIL_LENGTH))
    _column(manager, *table, "decided_at", Timestamptz, _params(None, null=True))
    _column(manager, *table, "version", Integer, _params(1))


async def _run(sql: str) -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_ddl(sql)  # inside the migration's transaction


async def create_unique_indexes() -> None:
    for name, table, columns in UNIQUE_INDEXES:
        listed = ", ".join(f'"{column}"' for column in columns)
        await _run(f'CREATE UNIQUE INDEX IF NOT EXISTS "{name}" ON "{table}" ({listed})')


async def drop_unique_indexes() -> None:
    for name, _, _ in UNIQUE_INDEXES:
        await _run(f'DROP INDEX IF EXISTS "{name}"')


class LibraryMigration(MigrationManager):
    """The unique indexes over the new tables are made after the tables, inside the migration."""

    async def _run_add_constraints(self, backwards: bool = False) -> None:
        await super()._run_add_constraints(backwards=backwards)
        if not backwards and not self.preview:
            await create_unique_indexes()


async def forwards():
    manager = LibraryMigration(migration_id=ID, app_name="register", description=DESCRIPTION)
    _firm(manager)
    _firm_member(manager)
    _firm_client(manager)
    _library_vendor(manager)
    _library_vendor_version(manager)
    _library_file(manager)
    _library_link(manager)
    manager.add_raw_backwards(drop_unique_indexes)
    return manager
