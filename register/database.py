"""The Piccolo engine chosen from ``DATABASE_URL`` (Piccolo reads ``DB`` here)."""

from __future__ import annotations

import sqlite3

from piccolo.conf.apps import AppRegistry
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from register.settings import DatabaseConfig, database_url, parse_database_url

SQLITE_BUSY_TIMEOUT_SECONDS = 30


def make_engine(config: DatabaseConfig) -> SQLiteEngine | PostgresEngine:
    if config.engine == "sqlite":
        return SQLiteEngine(path=str(config.sqlite_path), timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    # No extensions: the register needs none, and creating one needs superuser.
    return PostgresEngine(config={"dsn": config.postgres_dsn}, extensions=())


def enable_sqlite_wal(path: str) -> None:
    """WAL is a property of the database file: set once, it persists."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


DATABASE = parse_database_url(database_url())
DB = make_engine(DATABASE)

APP_REGISTRY = AppRegistry(apps=["register.piccolo_app"])
