"""Read caches keyed by an organisation's revision.

Every audited change gives ``organisation.revision`` a new random tag in its own
transaction (:func:`register.store.writes.record_audit`), so a value computed
from the register at revision R stays right for as long as the database still
says R (a restored database cannot bring back a tag by counting from zero).
Each read learns the revision (one small query, or the API token's own query:
``request_revisions``) and reuses what this process computed at that revision:
the loaded register, its assessment as of a date, an encoded API answer.
Several workers each keep their own copies and all compare against the same
revision, so none serves a stale answer. At a new revision the register and its
assessment are computed from the previous ones: unchanged processors keep their
objects and their assessments, only what changed is decoded and assessed.

The revision is read *before* the register it labels: a write committed in
between makes the copy newer than its label, never older, and the next read
(seeing the new revision) simply reloads.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any, Awaitable, Callable, Hashable, TypeVar

import anyio.to_thread

from register.compliance import assess_register, reassess_register
from register.compliance.model import Processor
from register.compliance.results import RegisterAssessment
from register.settings import cache_sizes
from register.store.errors import NotFound
from register.store.lookups import fetch_value
from register.store.reads import load_register_rows
from register.store.register_document import decode_processors

T = TypeVar("T")


# The revisions of the caller's organisations as read when the request was
# authenticated (an API read: the token's query reads them too, sparing each
# read one query). Read at the start of the request, before any data, so the
# rule above holds: a write committed since makes the data newer than its
# label, never older; a write acknowledged before the request started is seen.
# Set per request task, for reads only; otherwise the database is asked.
request_revisions: ContextVar[Mapping[int, int] | None] = ContextVar("request_revisions", default=None)


async def organisation_revision(organisation_id: int) -> int:
    known = request_revisions.get()
    if known is not None and organisation_id in known:
        return known[organisation_id]
    revision = await fetch_value("SELECT revision FROM organisation WHERE id = {}", organisation_id)
    if revision is None:
        raise NotFound("organisation", organisation_id)
    return revision


class RevisionCache:
    """At most ``size`` values, each stored with the revision it was computed at
    (least recently used dropped first). Concurrent misses of one key wait for
    a single computation."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._locks: dict[Hashable, tuple[asyncio.AbstractEventLoop, asyncio.Lock]] = {}
        self.hits = 0
        self.misses = 0

    def _fresh(self, key: Hashable, revision: int) -> tuple[bool, Any]:
        entry = self._entries.get(key)
        if entry is not None and entry[0] == revision:
            self._entries.move_to_end(key)
            return True, entry[1]
        return False, None

    async def get(self, key: Hashable, revision: int, compute: Callable[[], Awaitable[T]]) -> T:
        found, value = self._fresh(key, revision)
        if found:
            self.hits += 1
            return value
        async with self._lock(key):
            found, value = self._fresh(key, revision)  # computed while we waited
            if found:
                self.hits += 1
                return value
            self.misses += 1
            value = await compute()
            self._entries[key] = (revision, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                evicted, _ = self._entries.popitem(last=False)
                self._locks.pop(evicted, None)
        return value

    def _lock(self, key: Hashable) -> asyncio.Lock:
        """The key's lock for the running event loop: a lock waited on is bound to its loop,
        and one process may run several loops over time (the command line, tests, a server
        started again), so a lock left by another loop is replaced, never reused."""
        loop = asyncio.get_running_loop()
        held = self._locks.get(key)
        if held is None or held[0] is not loop:
            held = self._locks[key] = (loop, asyncio.Lock())
        return held[1]

    def latest(self, key: Hashable) -> tuple[int, Any] | None:
        """The (revision, value) last computed for ``key``, whatever its revision:
        a starting point for computing the value at a newer revision, never an
        answer by itself."""
        return self._entries.get(key)

    def clear(self) -> None:
        self._entries.clear()
        self._locks.clear()


@dataclass(frozen=True, slots=True)
class RegisterSnapshot:
    """An organisation's whole register as loaded at one revision."""

    organisation_id: int
    revision: int
    processors: tuple[Processor, ...]
    registry: dict[int, Processor]
    # Each processor's JSON text as loaded: the next load (at a newer revision)
    # reuses the objects of the processors whose text did not change.
    texts: dict[int, str]


_sizes = cache_sizes()
REGISTERS = RevisionCache(_sizes.registers)
ASSESSMENTS = RevisionCache(_sizes.assessments)
ANSWERS = RevisionCache(_sizes.answers)
# Registers rebuilt from the audit trail (and their assessments) by organisation and
# date: register/store/history.py, the history pages and "as it stood" documents.
HISTORIES = RevisionCache(_sizes.histories)


async def register_snapshot(organisation_id: int, revision: int | None = None) -> RegisterSnapshot:
    """The register at its current revision (loaded once per revision and process)."""
    if revision is None:
        revision = await organisation_revision(organisation_id)

    async def load() -> RegisterSnapshot:
        rows = await load_register_rows(organisation_id)
        earlier = REGISTERS.latest(organisation_id)
        texts, registry = ({}, {}) if earlier is None else (earlier[1].texts, earlier[1].registry)
        processors = tuple(decode_processors(rows, texts, registry))
        return RegisterSnapshot(
            organisation_id, revision, processors, {p.id: p for p in processors}, dict(rows)
        )

    return await REGISTERS.get(organisation_id, revision, load)


async def register_assessment(organisation_id: int, as_of: date) -> tuple[RegisterSnapshot, RegisterAssessment]:
    """The register and its assessment as of ``as_of``, computed once per revision
    in a worker thread (CPU-bound: ~0.6 s for 5,000 processors). After a change,
    only the processors whose chains changed are assessed again; the others'
    assessments are taken from the one this process computed last
    (:func:`register.compliance.reassess_register`, same answer as a full run)."""
    snapshot = await register_snapshot(organisation_id)
    key = (organisation_id, as_of)

    async def assess() -> tuple[RegisterSnapshot, RegisterAssessment]:
        earlier = ASSESSMENTS.latest(key)
        if earlier is None:
            run = partial(assess_register, snapshot.processors, as_of=as_of)
        else:
            earlier_snapshot, earlier_assessment = earlier[1]
            run = partial(
                reassess_register,
                snapshot.processors,
                as_of=as_of,
                before=(earlier_snapshot.registry, earlier_assessment),
            )
        return snapshot, await anyio.to_thread.run_sync(run)

    _, assessment = await ASSESSMENTS.get(key, snapshot.revision, assess)
    return snapshot, assessment


async def cached_answer(
    organisation_id: int, key: Hashable, compute: Callable[[], Awaitable[bytes]]
) -> bytes:
    """An encoded answer about the organisation's register, recomputed when it changed."""
    revision = await organisation_revision(organisation_id)
    return await ANSWERS.get((organisation_id, key), revision, compute)


def clear_caches() -> None:
    for cache in (REGISTERS, ASSESSMENTS, ANSWERS, HISTORIES):
        cache.clear()
