"""Organisation.revision: moved by every audited change, keys the read caches."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt

ID = "2026-12-01T01:10:00:000001"
VERSION = "1.38.0"
DESCRIPTION = "organisation revision for the read caches"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="register", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Organisation",
        tablename="organisation",
        column_name="revision",
        db_column_name="revision",
        column_class_name="BigInt",
        column_class=BigInt,
        params={"default": 0, "null": False, "primary_key": False, "unique": False, "index": False},
        schema=None,
    )
    return manager
