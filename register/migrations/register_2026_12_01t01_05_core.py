"""Brazil's LGPD scope fact on processors and sub-processors (issue 9).

Recorded like the other recipient scope facts (dpf_certified, pipeda_scope):
a nullable boolean, NULL meaning unknown, which the rules never count as
covered. Add-only: no existing column changes.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T01:05:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "lgpd_scope on processor and sub_processor"

_PARAMS = {
    "default": None,
    "null": True,
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
    for class_name, tablename in (("Processor", "processor"), ("SubProcessor", "sub_processor")):
        manager.add_column(
            table_class_name=class_name,
            tablename=tablename,
            column_name="lgpd_scope",
            db_column_name="lgpd_scope",
            column_class_name="Boolean",
            column_class=Boolean,
            params=dict(_PARAMS),
            schema=None,
        )
    return manager
