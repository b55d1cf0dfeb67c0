"""Vendor questionnaires (issue 14): the link sent to a vendor, its answers, and the
DPO's field-by-field decisions on them.

Hand-written (Piccolo cannot auto-generate migrations on SQLite): one new table.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, Bytea, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T06:15:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "vendor questionnaires"

NAME_LENGTH = 200
EMAIL_LENGTH = 254
CODE_LENGTH = 40


class Organisation(Table, tablename="organisation", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Processor(Table, tablename="processor", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


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


def _foreign_key(references, on_delete, *, index: bool = False) -> dict:
    return {
        "references": references,
        "on_delete": on_delete,
        "on_update": OnUpdate.cascade,
        "target_column": None,
        **_params(None, index=index),
    }


def _column(manager: MigrationManager, column: str, column_class, params: dict) -> None:
    manager.add_column(
        table_class_name="VendorQuestionnaire",
        tablename="vendor_questionnaire",
        column_name=column,
        db_column_name=column,
        column_class_name=column_class.__name__,
        column_class=column_class,
        params=params,
        schema=None,
    )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="register", description=DESCRIPTION)
    manager.add_table(class_name="VendorQuestionnaire", tablename="vendor_questionnaire", schema=None, columns=None)
    _column(manager, "organisation", ForeignKey, _foreign_key(Organisation, OnDelete.cascade, index=True))
    _column(manager, "processor", ForeignKey, _foreign_key(Processor, OnDelete.cascade, index=True))
    _column(manager, "token_digest", Varchar, _params("", length=64, unique=True, index=True))
    _column(manager, "prefix", Varchar, _params("", length=16))
    _column(manager, "language", Varchar, _params("fr", length=2))
    _column(manager, "recipient", Varchar, _params("", length=EMAIL_LENGTH))
    _column(manager, "expires_at", Timestamptz, _params(TimestamptzNow()))
    _column(manager, "revoked_at", Timestamptz, _params(None, null=True))
    _column(manager, "status", Varchar, _params("open", length=CODE_LENGTH, index=True))
    _column(manager, "answers", JSON, _params("{}"))
    _column(manager, "dpa_content", Bytea, _params(b""))
    _column(manager, "dpa_name", Varchar, _params("", length=NAME_LENGTH))
    _column(manager, "saved_at", Timestamptz, _params(None, null=True))
    _column(manager, "submitted_at", Timestamptz, _params(None, null=True))
    _column(manager, "agreement_file_id", Integer, _params(None, null=True))
    _column(manager, "reading_id", Integer, _params(None, null=True))
    _column(manager, "created_by", Varchar, _params("", length=EMAIL_LENGTH))
    _column(manager, "created_at", Timestamptz, _params(TimestamptzNow()))
    _column(manager, "decisions", JSON, _params(None, null=True))
    _column(manager, "decided_by", Varchar, _params(None, null=True, length=EMAIL_LENGTH))
    _column(manager, "decided_at", Timestamptz, _params(None, null=True))
    _column(manager, "version", Integer, _params(1))
    return manager
