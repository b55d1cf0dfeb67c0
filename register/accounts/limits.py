"""Fixed-window counters in the database, shared by every worker and host.

A hit is counted by one atomic statement (``INSERT … ON CONFLICT DO UPDATE
… RETURNING``), on SQLite and PostgreSQL alike, *before* the thing it
limits is done: N parallel requests get N distinct counts, so no more than
the limit ever get through. Windows are fixed (they start at multiples of
their length): at a window's edge a client may get up to twice the limit
over a short span, the accepted price of one statement per request.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Sequence

from register.tables import RateCounter


@dataclass(frozen=True, slots=True)
class Window:
    index: int
    ends_at: datetime

    def seconds_left(self, moment: datetime) -> int:
        return max(1, math.ceil((self.ends_at - moment).total_seconds()))


def window_at(moment: datetime, seconds: int) -> Window:
    index = int(moment.timestamp()) // seconds
    return Window(index, datetime.fromtimestamp((index + 1) * seconds, tz=timezone.utc))


def counter_key(bucket: str, seconds: int, window: Window) -> str:
    """A fixed-length key: a digest of the bucket (which may hold any typed text) and the window."""
    return f"{hashlib.sha256(bucket.encode()).hexdigest()[:40]}:{seconds}:{window.index}"


_UPSERT = (
    "INSERT INTO rate_counter (key, hits, expires_at) VALUES {rows} "
    "ON CONFLICT (key) DO UPDATE SET hits = rate_counter.hits + {step} "
    "RETURNING key, hits"
)
# On PostgreSQL the same upsert does not wait for its commit to reach the disk
# (``synchronous_commit`` off for this statement's own transaction only). Every
# API request counts a hit, all of them on the row of one address bucket, and
# that row stays locked until the commit returns: waiting for each flush
# queued every request of every worker behind the disk. A crash may forget the
# last fraction of a second of hits; the count itself stays atomic.
_POSTGRES_UPSERT = (
    "WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)) "
    "INSERT INTO rate_counter (key, hits, expires_at) "
    "SELECT counted.key, counted.hits, counted.expires_at FROM relaxed, (VALUES {rows}) "
    "AS counted (key, hits, expires_at) "
    "ON CONFLICT (key) DO UPDATE SET hits = rate_counter.hits + {step} "
    "RETURNING key, hits"
)


async def _add(buckets: Sequence[str], seconds: int, moment: datetime, step: int) -> dict[str, int]:
    window = window_at(moment, seconds)
    keys = {counter_key(bucket, seconds, window): bucket for bucket in buckets}
    # A fixed order: two statements touching the same keys lock them in the same order (no deadlock).
    ordered = sorted(keys)
    if RateCounter._meta.db.engine_type == "postgres":
        statement, row = _POSTGRES_UPSERT, "({}::varchar, " + str(max(step, 0)) + ", {}::timestamptz)"
    else:
        statement, row = _UPSERT, "({}, " + str(max(step, 0)) + ", {})"
    values: list[object] = []
    for key in ordered:
        values += [key, window.ends_at + timedelta(seconds=seconds)]
    result = await RateCounter.raw(statement.format(rows=", ".join(row for _ in ordered), step=int(step)), *values)
    return {keys[row["key"]]: row["hits"] for row in result}


async def count_hits(buckets: Sequence[str], seconds: int, moment: datetime | None = None) -> dict[str, int]:
    """Count one hit in each bucket's current window; returns each bucket's count so far (this hit included)."""
    return await _add(buckets, seconds, moment or datetime.now(timezone.utc), 1)


async def forgive_hits(buckets: Sequence[str], seconds: int, moment: datetime | None = None) -> None:
    """Take back one hit (e.g. a sign-in that turned out right is not a failure)."""
    await _add(buckets, seconds, moment or datetime.now(timezone.utc), -1)


class ProcessCounters:
    """The same fixed windows, counted in this process's memory.

    Exact wherever one process serves every request — SQLite, where ``serve``
    refuses several workers — and it spares every API request a database write
    (a write per read would queue every reader behind SQLite's single writer).
    """

    def __init__(self) -> None:
        self._hits: dict[str, int] = {}
        self._window: tuple[int, int] | None = None  # (seconds, index) counted now

    def count_hits(self, buckets: Sequence[str], seconds: int, moment: datetime) -> dict[str, int]:
        window = window_at(moment, seconds)
        if self._window != (seconds, window.index):
            self._hits.clear()  # a new window starts every count afresh
            self._window = (seconds, window.index)
        counts = {}
        for bucket in buckets:
            key = counter_key(bucket, seconds, window)
            self._hits[key] = counts[bucket] = self._hits.get(key, 0) + 1
        return counts


async def purge_expired_counters(moment: datetime | None = None) -> int:
    moment = moment or datetime.now(timezone.utc)
    rows = await RateCounter.delete().where(RateCounter.expires_at < moment).returning(RateCounter.id)
    return len(rows)
