"""Piccolo app config: the register's tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from register.tables import ALL_TABLES

APP_CONFIG = AppConfig(
    app_name="register",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=list(ALL_TABLES),
    migration_dependencies=[],
    commands=[],
)
