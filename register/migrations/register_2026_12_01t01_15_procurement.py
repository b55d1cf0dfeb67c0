"""The DPO's decision on a procurement request, as the memo signs it (issue 9).

- ``decision_conditions``: the conditions the DPO set, one per line (the
  register suggests them from its opinion; the DPO edits them);
- ``decided_role``: the decider's role in the organisation when deciding
  (dpo, admin), for the memo's sign-off.

Add-only: no existing column changes.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Text, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T01:15:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "decision_conditions and decided_role on procurement_request"

_PARAMS = {
    "default": "",
    "null": False,
    "primary_key": False,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="register", description=DESCRIPTION)
    manager.add_column(
        table_class_name="ProcurementRequest",
        tablename="procurement_request",
        column_name="decision_conditions",
        db_column_name="decision_conditions",
        column_class_name="Text",
        column_class=Text,
        params=dict(_PARAMS),
        schema=None,
    )
    manager.add_column(
        table_class_name="ProcurementRequest",
        tablename="procurement_request",
        column_name="decided_role",
        db_column_name="decided_role",
        column_class_name="Varchar",
        column_class=Varchar,
        params={**_PARAMS, "length": 40},
        schema=None,
    )
    return manager
