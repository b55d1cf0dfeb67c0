"""Reads without the ORM's cost per query, for the hot paths.

Authentication (a token's account), the guard (a processor's organisation) and
the read caches (an organisation's revision) each ask one tiny question per
request, and loading a whole register runs six large selects. Piccolo opens a
new SQLite connection, in a new thread, for every query outside a transaction,
and hops between threads for every step of it. Here, on SQLite, each thread
keeps one read-only connection to the database file (WAL: every statement sees
the last committed write, and readers never wait for the writer): a small
look-up runs at once on the event loop's thread, and a large statement runs in
one worker thread (a whole register, as one JSON document:
:mod:`register.store.register_document`). Inside a transaction, and on PostgreSQL (whose pool already
keeps its connections), the queries go through Piccolo as usual.

Small statements use ``{}`` placeholders, as Piccolo's ``raw`` does.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any, Sequence

import anyio.to_thread
from piccolo.engine.sqlite import SQLiteEngine, dict_factory
from piccolo.querystring import QueryString

from register.tables import Organisation

# A reader waits this long at most for a checkpoint to finish (WAL readers
# otherwise never wait).
READ_TIMEOUT_SECONDS = 2.0

_per_thread = threading.local()


def _reader(engine: SQLiteEngine) -> sqlite3.Connection:
    """This thread's read-only connection to the engine's file (reopened if the file
    changed). Same type conversions as Piccolo's own connections."""
    current: tuple[str, sqlite3.Connection] | None = getattr(_per_thread, "reader", None)
    if current is not None and current[0] == engine.path:
        return current[1]
    if current is not None:
        current[1].close()
    connection = sqlite3.connect(**{**engine.connection_kwargs, "timeout": READ_TIMEOUT_SECONDS})
    connection.row_factory = dict_factory
    connection.execute("PRAGMA query_only = ON")
    _per_thread.reader = (engine.path, connection)
    return connection


def _execute(connection: sqlite3.Connection, sql: str, arguments: Sequence[Any]) -> list[dict[str, Any]]:
    """Every statement of this module runs here (the tests count them)."""
    return connection.execute(sql, arguments).fetchall()


def _sqlite_outside_transaction(engine: Any) -> bool:
    return isinstance(engine, SQLiteEngine) and engine.current_transaction.get() is None


async def fetch_rows(statement: str, *values: Any) -> list[dict[str, Any]]:
    """Rows of a small read-only statement, as dicts."""
    engine = Organisation._meta.db
    if _sqlite_outside_transaction(engine):
        return _execute(_reader(engine), statement.replace("{}", "?"), values)
    return await Organisation.raw(statement, *values)


def outside_transaction() -> bool:
    return Organisation._meta.db.current_transaction.get() is None


async def fetch_querystring_value(querystring: QueryString) -> Any | None:
    """The one value a statement yields, through the engine (its pool on PostgreSQL)."""
    rows = await Organisation._meta.db.run_querystring(querystring)
    return next(iter(rows[0].values())) if rows else None


def reads_sqlite_directly() -> bool:
    """True where :func:`fetch_large_value` may be used: SQLite, outside a transaction."""
    return _sqlite_outside_transaction(Organisation._meta.db)


def _first_value_of(engine: SQLiteEngine, statement: str, arguments: Sequence[Any]) -> Any | None:
    rows = _execute(_reader(engine), statement, arguments)
    return next(iter(rows[0].values())) if rows else None


async def fetch_large_value(statement: str, arguments: Sequence[Any]) -> Any | None:
    """The one value a large SQLite statement (``?`` placeholders) yields, computed in
    a worker thread; only where :func:`reads_sqlite_directly`."""
    return await anyio.to_thread.run_sync(_first_value_of, Organisation._meta.db, statement, arguments)


async def fetch_large_rows(statement: str, arguments: Sequence[Any]) -> list[dict[str, Any]]:
    """The rows of a large SQLite statement (``?`` placeholders), fetched in a
    worker thread; only where :func:`reads_sqlite_directly`."""
    engine = Organisation._meta.db
    return await anyio.to_thread.run_sync(lambda: _execute(_reader(engine), statement, arguments))


async def fetch_value(statement: str, *values: Any) -> Any | None:
    """The first column of the first row, or ``None`` when there is no row."""
    rows = await fetch_rows(statement, *values)
    return next(iter(rows[0].values())) if rows else None
