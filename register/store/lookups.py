"""Small look-ups made on every request, without the ORM's cost per query.

Authentication (a token's account), the guard (a processor's organisation) and
the read caches (an organisation's revision) each ask one tiny question per
request. Piccolo opens a new SQLite connection, in a new thread, for every
query outside a transaction: more than the question itself costs. Here, on
SQLite, each thread keeps one read-only connection to the database file (WAL:
every statement sees the last committed write, and readers never wait for the
writer), and the statement runs at once; on PostgreSQL the pool already keeps
its connections, so the query goes through Piccolo.

Statements use ``{}`` placeholders, as Piccolo's ``raw`` does.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine

from register.tables import Organisation

# A reader waits this long at most for a checkpoint to finish (WAL readers
# otherwise never wait).
READ_TIMEOUT_SECONDS = 2.0

_per_thread = threading.local()


def _reader(path: str) -> sqlite3.Connection:
    """This thread's read-only connection to ``path`` (reopened if the file changed)."""
    current: tuple[str, sqlite3.Connection] | None = getattr(_per_thread, "reader", None)
    if current is not None and current[0] == path:
        return current[1]
    if current is not None:
        current[1].close()
    connection = sqlite3.connect(path, timeout=READ_TIMEOUT_SECONDS, isolation_level=None)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA query_only = ON")
    _per_thread.reader = (path, connection)
    return connection


async def fetch_rows(statement: str, *values: Any) -> list[dict[str, Any]]:
    """Rows of a small read-only statement, as dicts."""
    engine = Organisation._meta.db
    if isinstance(engine, SQLiteEngine):
        cursor = _reader(engine.path).execute(statement.replace("{}", "?"), values)
        return [dict(row) for row in cursor.fetchall()]
    return await Organisation.raw(statement, *values)


async def fetch_value(statement: str, *values: Any) -> Any | None:
    """The first column of the first row, or ``None`` when there is no row."""
    rows = await fetch_rows(statement, *values)
    return next(iter(rows[0].values())) if rows else None
