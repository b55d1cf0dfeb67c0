"""Applying Piccolo migrations: the only way the register's schema is made."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import ForwardsMigrationManager
from piccolo.apps.migrations.tables import Migration

from register.database import DATABASE, enable_sqlite_wal

APP_NAME = "register"


class MigrationFailed(RuntimeError):
    """A migration did not apply; the message carries Piccolo's reason."""


async def pending_migrations() -> list[str]:
    """Ids of the migrations not yet applied to the configured database."""
    manager = ForwardsMigrationManager(app_name=APP_NAME)
    await manager.create_migration_table()
    app_config = manager.get_app_config(app_name=APP_NAME)
    modules = manager.get_migration_modules(app_config.resolved_migrations_folder_path)
    applied = await Migration.get_migrations_which_ran(app_name=APP_NAME)
    return sorted(set(manager.get_migration_ids(modules)) - set(applied))


async def unapplied_migrations() -> list[str]:
    """Ids of the migrations the configured database lacks, read without
    writing anything (unlike :func:`pending_migrations`, which creates
    Piccolo's migration table when it is missing)."""
    manager = ForwardsMigrationManager(app_name=APP_NAME)
    app_config = manager.get_app_config(app_name=APP_NAME)
    known = manager.get_migration_ids(manager.get_migration_modules(app_config.resolved_migrations_folder_path))
    if not await Migration.table_exists().run():
        return sorted(known)
    applied = await Migration.get_migrations_which_ran(app_name=APP_NAME)
    return sorted(set(known) - set(applied))


async def apply_migrations() -> list[str]:
    """Apply pending migrations; returns their ids (empty when up to date)."""
    if DATABASE.engine == "sqlite":
        assert DATABASE.sqlite_path is not None
        DATABASE.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        enable_sqlite_wal(str(DATABASE.sqlite_path))
    pending = await pending_migrations()
    if not pending:
        return []
    progress = io.StringIO()
    with contextlib.redirect_stdout(progress):  # Piccolo narrates with emoji; we summarise
        result = await ForwardsMigrationManager(app_name=APP_NAME).run()
    if not result.success:
        raise MigrationFailed(f"{result.message}\n{progress.getvalue()}")
    return pending
