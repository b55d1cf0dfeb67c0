"""Sub-processor change notices (issue 13): the vendor's notices and list snapshots,
proposals waiting for the DPO's decision, and the unit of the agreement's Clause 7.7
period (business days or calendar days).

Hand-written (Piccolo cannot auto-generate migrations on SQLite): one new table and
one new column, each with the type, nullability and default ``register.tables``
declares. Add-only: no existing column changes.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, Boolean, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T03:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "sub_processor_notice; objection_notice_business_days on agreement"

NAME_LENGTH = 200
URL_LENGTH = 500
EMAIL_LENGTH = 254
CODE_LENGTH = 40


class Organisation(Table, tablename="organisation", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, db_column_name="id")


class Processor(Table, tablename="processor", schema=None):
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


NOTICE_COLUMNS = (
    ("organisation", ForeignKey, _foreign_key(Organisation)),
    ("processor", ForeignKey, _foreign_key(Processor)),
    ("kind", Varchar, _params("change", length=CODE_LENGTH)),
    ("channel", Varchar, _params("email", length=CODE_LENGTH)),
    ("received_on", Date, _params(None)),
    ("source", Varchar, _params("", length=URL_LENGTH)),
    ("content", Text, _params("")),
    ("rows", JSON, _params("[]")),
    ("problems", JSON, _params("[]")),
    ("stated_notice_days", Integer, _params(None, null=True)),
    ("stated_business_days", Boolean, _params(False)),
    ("status", Varchar, _params("pending", length=CODE_LENGTH, index=True)),
    ("created_by", Varchar, _params("", length=EMAIL_LENGTH)),
    ("created_at", Timestamptz, _params(TimestamptzNow())),
    ("decided_by", Varchar, _params(None, null=True, length=EMAIL_LENGTH)),
    ("decided_at", Timestamptz, _params(None, null=True)),
    ("objection_reasons", Text, _params("")),
    ("applied", JSON, _params(None, null=True)),
    ("objection_sent_on", Date, _params(None, null=True)),
    ("objection_sent_via", Varchar, _params("", length=NAME_LENGTH)),
    ("objection_proof", Text, _params("")),
    ("version", Integer, _params(1)),
)


def _add_column(manager: MigrationManager, class_name: str, tablename: str, name: str, column_class, params) -> None:
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
    manager.add_table(
        class_name="SubProcessorNotice", tablename="sub_processor_notice", schema=None, columns=None
    )
    for name, column_class, params in NOTICE_COLUMNS:
        _add_column(manager, "SubProcessorNotice", "sub_processor_notice", name, column_class, params)
    _add_column(manager, "Agreement", "agreement", "objection_notice_business_days", Boolean, _params(False))
    return manager
