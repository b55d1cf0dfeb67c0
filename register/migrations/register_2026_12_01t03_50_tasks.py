"""Remediation tasks, their comments, the calendar feeds and the reminders' sent-log (issue 13),
and the language a user's reminders are written in.

Hand-written (Piccolo cannot auto-generate migrations on SQLite): new tables,
one new column with its default (existing users keep working), and the two
unique rules over several columns, as register.tables.UNIQUE_TOGETHER lists them.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-01T03:50:30:000000"  # the notices migration has 03:50:00
VERSION = "1.38.0"
DESCRIPTION = "remediation tasks, task comments, calendar feeds, reminders sent, user language"

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


class RemediationTask(Table, tablename="remediation_task", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


# (index name, table, columns): the same list as register.tables.UNIQUE_TOGETHER
UNIQUE_INDEXES = (
    (
        "remediation_task_finding_key",
        "remediation_task",
        ("processor", "finding_code", "subject_kind", "subject_ref"),
    ),
    ("reminder_sent_user_item_key", "reminder_sent", ("user", "item")),
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


def _remediation_task(manager: MigrationManager) -> None:
    table = ("RemediationTask", "remediation_task")
    manager.add_table(class_name=table[0], tablename=table[1], schema=None, columns=None)
    _column(manager, *table, "organisation", ForeignKey, _foreign_key(Organisation, OnDelete.cascade, index=True))
    _column(manager, *table, "processor", ForeignKey, _foreign_key(Processor, OnDelete.cascade, index=True))
    _column(manager, *table, "finding_code", Varchar, _params("", length=CODE_LENGTH))
    _column(manager, *table, "subject_kind", Varchar, _params("", length=CODE_LENGTH))
    _column(manager, *table, "subject_ref", Varchar, _params("", length=SHORT_LENGTH))
    _column(manager, *table, "subject_label", Text, _params(""))
    _column(manager, *table, "owner", ForeignKey, _foreign_key(User, OnDelete.set_null, null=True, index=True))
    _column(manager, *table, "due_on", Date, _params(None, null=True))
    _column(manager, *table, "status", Varchar, _params("open", length=CODE_LENGTH))
    _column(manager, *table, "accepted_reason", Text, _params(""))
    _column(manager, *table, "accepted_until", Date, _params(None, null=True))
    _column(manager, *table, "created_by", Varchar, _params("", length=EMAIL_LENGTH))
    _column(manager, *table, "created_at", Timestamptz, _params(TimestamptzNow()))
    _column(manager, *table, "version", Integer, _params(1))


def _task_comment(manager: MigrationManager) -> None:
    table = ("TaskComment", "task_comment")
    manager.add_table(class_name=table[0], tablename=table[1], schema=None, columns=None)
    _column(manager, *table, "task", ForeignKey, _foreign_key(RemediationTask, OnDelete.cascade, index=True))
    _column(manager, *table, "author", Varchar, _params("", length=EMAIL_LENGTH))
    _column(manager, *table, "body", Text, _params(""))
    _column(manager, *table, "created_at", Timestamptz, _params(TimestamptzNow()))


def _calendar_feed(manager: MigrationManager) -> None:
    table = ("CalendarFeed", "calendar_feed")
    manager.add_table(class_name=table[0], tablename=table[1], schema=None, columns=None)
    _column(manager, *table, "user", ForeignKey, _foreign_key(User, OnDelete.cascade, unique=True))
    _column(manager, *table, "token_digest", Varchar, _params("", length=64, unique=True, index=True))
    _column(manager, *table, "prefix", Varchar, _params("", length=16))
    _column(manager, *table, "created_at", Timestamptz, _params(TimestamptzNow()))


def _reminder_sent(manager: MigrationManager) -> None:
    table = ("ReminderSent", "reminder_sent")
    manager.add_table(class_name=table[0], tablename=table[1], schema=None, columns=None)
    _column(manager, *table, "user", ForeignKey, _foreign_key(User, OnDelete.cascade, index=True))
    _column(manager, *table, "item", Varchar, _params("", length=NAME_LENGTH))
    _column(manager, *table, "sent_at", Timestamptz, _params(TimestamptzNow()))


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


class TasksMigration(MigrationManager):
    """Piccolo runs a migration's raw steps before its new tables: the unique
    indexes over the new tables are made last, still inside the migration's transaction."""

    async def _run_add_constraints(self, backwards: bool = False) -> None:
        await super()._run_add_constraints(backwards=backwards)
        if not backwards and not self.preview:
            await create_unique_indexes()


async def forwards():
    manager = TasksMigration(migration_id=ID, app_name="register", description=DESCRIPTION)
    _column(manager, "User", "app_user", "language", Varchar, _params("fr", length=2))
    _remediation_task(manager)
    _task_comment(manager)
    _calendar_feed(manager)
    _reminder_sent(manager)
    manager.add_raw_backwards(drop_unique_indexes)
    return manager
