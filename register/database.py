"""The Piccolo engine chosen from ``DATABASE_URL`` (Piccolo reads ``DB`` here)."""

from __future__ import annotations

import sqlite3
import warnings

from piccolo.conf.apps import AppRegistry
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from register.settings import DatabaseConfig, database_url, parse_database_url, sqlite_busy_timeout


def make_engine(config: DatabaseConfig) -> SQLiteEngine | PostgresEngine:
    if config.engine == "sqlite":
        # A short wait for the write lock: past it the request answers 503 with Retry-After.
        return SQLiteEngine(path=str(config.sqlite_path), timeout=sqlite_busy_timeout())
    # No extensions: the register needs none, and creating one needs superuser.
    with warnings.catch_warnings():
        # Piccolo asks the server its version as the engine is made and warns when it cannot:
        # the first real query reports an unreachable server (in one line, from the CLI).
        warnings.filterwarnings("ignore", message=r".*Unable to (connect to database|fetch server version)")
        return PostgresEngine(config={"dsn": config.postgres_dsn}, extensions=())


def enable_sqlite_wal(path: str) -> None:
    """WAL is a property of the database file: set once, it persists."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


DATABASE = parse_database_url(database_url())
DB = make_engine(DATABASE)

APP_REGISTRY = AppRegistry(apps=["register.piccolo_app"])
