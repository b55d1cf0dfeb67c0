"""Changes to the register: each in one transaction with its audit event.

A failed write leaves the database as it was: validation of references
happens inside the same transaction, before anything is written, and any
error rolls the whole change back. Updates carry the version the caller
read; a stale one raises :class:`StaleVersion` and changes nothing.

Concurrent writes follow one rule, on both engines:

1. A write about an organisation's data first locks that organisation's row
   (``SELECT … FOR NO KEY UPDATE`` on PostgreSQL; SQLite's immediate
   transaction already holds the database's write lock). Writes to one
   register are therefore serialised, and every check made inside the
   transaction ("no agreement yet", "still pending", "one admin left") still
   holds when the write happens. Reads take no lock.
2. An update names the version it read inside the UPDATE's WHERE.
3. Every "one … per …" rule is also a unique constraint; a violation (or a
   deadlock PostgreSQL broke) is a :class:`Conflict` (409), never a 500.
"""

from __future__ import annotations

import sqlite3
import secrets
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from typing import Any, AsyncIterator

import asyncpg
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

from register.store.errors import Conflict, InvalidReference, NotFound, StaleVersion
from register.store.records import snapshot, to_columns
from register.tables import (
    Agreement,
    AgreementFile,
    AuditEvent,
    ClauseAssessment,
    DpaReading,
    Organisation,
    ProcessingLocation,
    Processor,
    RemediationTask,
    SubProcessor,
    TaskComment,
    TransferSafeguard,
)
from register.vocabulary import AuditAction

SYSTEM_ACTOR = "system"

ENTITY_NAMES: dict[type[Table], str] = {
    Organisation: "organisation",
    Processor: "processor",
    ProcessingLocation: "location",
    SubProcessor: "sub_processor",
    Agreement: "agreement",
    ClauseAssessment: "clause_assessment",
    TransferSafeguard: "safeguard",
    AgreementFile: "agreement_file",
    DpaReading: "dpa_reading",
    RemediationTask: "task",
    TaskComment: "task_comment",
}
TIMESTAMPED = (Organisation, Processor)


@asynccontextmanager
async def write_transaction(organisation_id: int | None = None) -> AsyncIterator[None]:
    """One atomic write, serialised with the other writes to ``organisation_id`` (see above).

    On SQLite it takes the write lock at once (no upgrade deadlock).
    """
    engine = Processor._meta.db
    try:
        if isinstance(engine, SQLiteEngine):
            async with engine.transaction(transaction_type=TransactionType.immediate):
                yield
        else:
            async with engine.transaction():
                if organisation_id is not None:
                    await lock_organisation(organisation_id)
                yield
    except CONSTRAINT_ERRORS as error:
        raise Conflict(f"this change conflicts with the stored data ({constraint_reason(error)})") from None


async def lock_organisation(organisation_id: int) -> None:
    """Hold the organisation's row until the transaction ends (PostgreSQL)."""
    await Organisation.select(Organisation.id).where(Organisation.id == organisation_id).lock_rows(
        "NO KEY UPDATE"
    )


# Integrity errors of both engines; on PostgreSQL also the deadlock it broke by aborting us.
CONSTRAINT_ERRORS: tuple[type[Exception], ...] = (
    sqlite3.IntegrityError,
    asyncpg.IntegrityConstraintViolationError,
    asyncpg.DeadlockDetectedError,
)


def constraint_reason(error: Exception) -> str:
    if isinstance(error, asyncpg.UniqueViolationError) or "UNIQUE" in str(error):
        return "it already exists; reload and try again"
    if isinstance(error, asyncpg.DeadlockDetectedError):
        return "another change was saved at the same time; try again"
    return "it refers to something that no longer exists; reload and try again"


def new_revision_tag() -> int:
    """A fresh, unpredictable-in-practice revision tag (62 bits fit both engines' BIGINT)."""
    return secrets.randbits(62)


async def record_audit(
    organisation_id: int | None,
    actor: str,
    entity: str,
    entity_id: int | None,
    action: AuditAction,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Record one change of an organisation's register (call inside its transaction).

    An audited change is what gives the organisation a new ``revision`` tag: the
    read caches (:mod:`register.store.snapshots`) compare it, so every worker
    sees the change as soon as the transaction commits.
    """
    if organisation_id is not None:
        await Organisation.update({Organisation.revision: new_revision_tag()}).where(
            Organisation.id == organisation_id
        )
    await AuditEvent.insert(
        AuditEvent(
            organisation_id=organisation_id,
            actor=actor,
            entity=entity,
            entity_id=entity_id,
            action=action.value,
            before=snapshot(before),
            after=snapshot(after),
        )
    )


async def _select_row(table: type[Table], condition: Any) -> dict[str, Any] | None:
    return await table.select().where(condition).output(load_json=True).first()


async def insert_row(
    table: type[Table], columns: dict[str, Any], organisation_id: int | None, actor: str
) -> dict[str, Any]:
    """Insert one row and its audit event (call inside a transaction)."""
    inserted = await table.insert(table(**to_columns(columns))).returning(table.id)
    row = await _select_row(table, table.id == inserted[0]["id"])
    assert row is not None
    entity = ENTITY_NAMES[table]
    if table is Organisation:  # a new organisation's trail starts with its creation
        organisation_id = row["id"]
    await record_audit(organisation_id, actor, entity, row["id"], AuditAction.CREATE, None, row)
    return row


async def update_row(
    table: type[Table],
    condition: Any,
    ref: object,
    columns: dict[str, Any],
    expected_version: int,
    organisation_id: int | None,
    actor: str,
) -> dict[str, Any]:
    """Apply ``columns`` to the one row matching ``condition`` if its version is current."""
    entity = ENTITY_NAMES[table]
    before = await _select_row(table, condition)
    if before is None:
        raise NotFound(entity, ref)
    if before["version"] != expected_version:
        raise StaleVersion(entity, ref, expected_version, before["version"])
    changes = to_columns(columns)
    changes["version"] = expected_version + 1
    if table in TIMESTAMPED:
        changes["updated_at"] = datetime.now(timezone.utc)
    updated = (
        await table.update(changes)
        .where((table.id == before["id"]) & (table.version == expected_version))
        .returning(table.id)
    )
    if not updated:  # changed between our read and our write
        raise StaleVersion(entity, ref, expected_version, expected_version + 1)
    after = await _select_row(table, table.id == before["id"])
    await record_audit(organisation_id, actor, entity, before["id"], AuditAction.UPDATE, before, after)
    assert after is not None
    return after


async def delete_row(
    table: type[Table], condition: Any, ref: object, organisation_id: int | None, actor: str
) -> None:
    entity = ENTITY_NAMES[table]
    before = await _select_row(table, condition)
    if before is None:
        raise NotFound(entity, ref)
    await table.delete().where(table.id == before["id"])
    await record_audit(organisation_id, actor, entity, before["id"], AuditAction.DELETE, before, None)


# ------------------------------------------------------------ reference checks


async def check_registered_processor(
    organisation_id: int, processor_id: int | None, registered_processor_id: int | None
) -> None:
    """A sub-processor may name a processor of the same register, not itself."""
    if registered_processor_id is None:
        return
    if registered_processor_id == processor_id:
        raise InvalidReference("registered_processor_id", "a processor cannot be its own sub-processor")
    found = await Processor.exists().where(
        (Processor.id == registered_processor_id) & (Processor.organisation == organisation_id)
    )
    if not found:
        raise InvalidReference(
            "registered_processor_id",
            f"no processor {registered_processor_id} in this organisation's register",
        )


async def check_safeguard_sub_processor(processor_id: int, sub_processor_id: int | None) -> None:
    if sub_processor_id is None:
        return
    found = await SubProcessor.exists().where(
        (SubProcessor.id == sub_processor_id) & (SubProcessor.processor == processor_id)
    )
    if not found:
        raise InvalidReference(
            "sub_processor_id", f"no sub-processor {sub_processor_id} of processor {processor_id}"
        )


async def check_no_agreement(processor_id: int) -> None:
    if await Agreement.exists().where(Agreement.processor == processor_id):
        raise Conflict(
            f"processor {processor_id} already has an agreement: update it (with its version) instead"
        )
