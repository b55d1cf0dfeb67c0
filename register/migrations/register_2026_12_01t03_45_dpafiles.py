"""Files of a processor's agreement (the vendor's DPA, by version) and the DPA
readings proposed from them (issue 12).

Hand-written (Piccolo cannot auto-generate migrations on SQLite): two new
tables, each column with the type, nullability and default ``register.tables``
declares. Add-only: no existing table changes.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, BigInt, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T03:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "agreement_file and dpa_reading"

NAME_LENGTH = 200
SHORT_LENGTH = 100
EMAIL_LENGTH = 254
CODE_LENGTH = 40


class Processor(Table, tablename="processor", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, db_column_name="id")


class AgreementFile(Table, tablename="agreement_file", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, db_column_name="id")


def _params(default, *, null: bool = False, index: bool = False, **extra) -> dict:
    return {
        "default": default,
        "null": null,
        "primary_key": False,
        "unique": False,
        "index": index,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        **extra,
    }


def _foreign_key(references: type[Table]) -> dict:
    params = _params(None, index=True, references=references, on_delete=OnDelete.cascade)
    params.update(on_update=OnUpdate.cascade, target_column=None)
    return params


AGREEMENT_FILE_COLUMNS = (
    ("processor", ForeignKey, _foreign_key(Processor)),
    ("file_name", Varchar, _params("", length=NAME_LENGTH)),
    ("media_type", Varchar, _params("", length=SHORT_LENGTH)),
    ("size", BigInt, _params(0)),
    ("sha256", Varchar, _params("", length=64, index=True)),
    ("uploaded_by", Varchar, _params("", length=EMAIL_LENGTH)),
    ("uploaded_at", Timestamptz, _params(TimestamptzNow())),
)

DPA_READING_COLUMNS = (
    ("agreement_file", ForeignKey, _foreign_key(AgreementFile)),
    ("processor", ForeignKey, _foreign_key(Processor)),
    ("reading", JSON, _params("{}")),
    ("language", Varchar, _params("", length=2)),
    ("status", Varchar, _params("proposed", length=CODE_LENGTH, index=True)),
    ("created_by", Varchar, _params("", length=EMAIL_LENGTH)),
    ("created_at", Timestamptz, _params(TimestamptzNow())),
    ("decisions", JSON, _params(None, null=True)),
    ("decided_by", Varchar, _params(None, null=True, length=EMAIL_LENGTH)),
    ("decided_at", Timestamptz, _params(None, null=True)),
    ("version", Integer, _params(1)),
)


def _add_table(manager: MigrationManager, class_name: str, tablename: str, columns: tuple) -> None:
    manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
    for name, column_class, params in columns:
        manager.add_column(
            table_class_name=class_name,
            tablename=tablename,
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="register", description=DESCRIPTION)
    _add_table(manager, "AgreementFile", "agreement_file", AGREEMENT_FILE_COLUMNS)
    _add_table(manager, "DpaReading", "dpa_reading", DPA_READING_COLUMNS)
    return manager
