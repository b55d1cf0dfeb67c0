"""Addresses and contact persons (Annexes I and IV of the DPA), and the options
and Annex III assistance measures of the (EU) 2021/915 clauses on the agreement.

Hand-written (Piccolo cannot auto-generate migrations on SQLite): columns only,
each with the default the table declares, so existing rows stay valid.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean, Text, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T01:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "DPA: addresses, contact persons, 2021/915 options and assistance measures"

NAME_LENGTH = 200
EMAIL_LENGTH = 254

CONTACT_TABLES = (
    ("Organisation", "organisation"),
    ("Processor", "processor"),
    ("SubProcessor", "sub_processor"),
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


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="register", description=DESCRIPTION)
    for class_name, tablename in CONTACT_TABLES:
        _add(manager, class_name, tablename, "address", Text, _params(""))
        _add(manager, class_name, tablename, "contact_name", Varchar, _params("", length=NAME_LENGTH))
        _add(manager, class_name, tablename, "contact_position", Varchar, _params("", length=NAME_LENGTH))
        _add(manager, class_name, tablename, "contact_email", Varchar, _params("", length=EMAIL_LENGTH))
    _add(manager, "Agreement", "agreement", "docking_clause", Boolean, _params(None, null=True))
    _add(manager, "Agreement", "agreement", "assistance_measures", Text, _params(""))
    _add(manager, "Agreement", "agreement", "breach_assistance_measures", Text, _params(""))
    return manager
