"""The Piccolo engine chosen from ``DATABASE_URL`` (Piccolo reads ``DB`` here)."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from urllib.request import pathname2url
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


class DatabaseMissing(RuntimeError):
    """The commands that read a register need an existing, migrated database."""


def missing_database_message(problem: str) -> str:
    source = (
        "DATABASE_URL is not set, so register.sqlite in the current directory is used"
        if not os.environ.get("DATABASE_URL")
        else "from DATABASE_URL"
    )
    return (
        f"{problem} ({source}). Set DATABASE_URL to the register's database "
        "(sqlite:////path/to/register.sqlite or postgresql://user@host/db) or run the command in the "
        "directory that holds register.sqlite; `register migrate` creates a new, empty register."
    )


def require_existing_database() -> None:
    """Refuse, before any connection is opened, to work on a SQLite file that
    does not exist (connecting would create an empty one) or holds no
    register. PostgreSQL databases are checked by connecting (nothing is
    created there)."""
    if not isinstance(DB, SQLiteEngine):
        return
    path = DB.path
    if not os.path.isfile(path):
        raise DatabaseMissing(missing_database_message(f"no register database at {path}"))
    # Read-only: a file that is not a database is not changed either.
    try:
        with closing(sqlite3.connect(f"file:{pathname2url(path)}?mode=ro", uri=True)) as connection:
            found = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'organisation'"
            ).fetchone()
    except sqlite3.DatabaseError:
        found = None
    if found is None:
        raise DatabaseMissing(missing_database_message(f"{path} holds no register (not migrated)"))
