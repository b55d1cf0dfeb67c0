"""Reading the audit trail for the register's history (see :mod:`register.history`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import anyio.to_thread
from datetime import date, datetime, time, timedelta, timezone

from register.compliance import assess_register, model
from register.compliance.results import RegisterAssessment
from register.history.report import Change, changes_between
from register.history.replay import (
    NOTICE,
    REGISTER_ENTITIES,
    RegisterRows,
    TrailEvent,
    organisation_of,
    pending_notices_at,
    processors_of,
    replay,
)
from register.store.errors import NotFound
from register.store.records import snapshot
from register.tables import (
    Agreement,
    AuditEvent,
    ClauseAssessment,
    Organisation,
    ProcessingLocation,
    Processor,
    SubProcessor,
    SubProcessorNotice,
    TransferSafeguard,
)


@dataclass(frozen=True, slots=True)
class PastRegister:
    """An organisation's register as it stood at ``moment``."""

    moment: datetime
    organisation: model.Organisation
    processors: list[model.Processor]
    gaps: int  # events recorded before the trail held full images (see replay)


def end_of_day(day: date) -> datetime:
    """The last moment of ``day`` (UTC): "as it stood on that date" includes that day's changes."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=timezone.utc) - timedelta(microseconds=1)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


async def trail_events(
    organisation_id: int,
    until: datetime | None = None,
    since: datetime | None = None,
    entities: tuple[str, ...] = REGISTER_ENTITIES,
) -> list[TrailEvent]:
    """The organisation's audit events about its register, oldest first (one query)."""
    condition = (AuditEvent.organisation_id == organisation_id) & AuditEvent.entity.is_in(list(entities))
    if until is not None:
        condition &= AuditEvent.occurred_at <= until
    if since is not None:
        condition &= AuditEvent.occurred_at >= since
    rows = await AuditEvent.select().where(condition).order_by(AuditEvent.id).output(load_json=True)
    return [TrailEvent(**{k: row[k] for k in TrailEvent.__dataclass_fields__}) for row in rows]


def rebuilt(
    events: list[TrailEvent], notice_events: list[TrailEvent] = (), notice_rows: list[dict] = ()
) -> tuple[RegisterRows, list[model.Processor]]:
    rows = replay(events)
    return rows, processors_of(rows, pending_notices_at(notice_events, notice_rows))


async def notice_trail(organisation_id: int, moment: datetime) -> tuple[list[TrailEvent], list[dict]]:
    """The notices' events up to ``moment`` and their rows' fixed facts (two queries)."""
    events = await trail_events(organisation_id, until=moment, entities=(NOTICE,))
    if not events:
        return [], []
    rows = await SubProcessorNotice.select(
        SubProcessorNotice.id, SubProcessorNotice.processor, SubProcessorNotice.received_on
    ).where(SubProcessorNotice.organisation == organisation_id)
    return events, rows


async def register_at(organisation_id: int, moment: datetime) -> PastRegister:
    """The register as it stood at ``moment``; NotFound if the organisation did not exist yet.
    The replay is CPU-bound (seconds for thousands of processors): it runs in a worker thread."""
    events = await trail_events(organisation_id, until=moment)
    notice_events, notice_rows = await notice_trail(organisation_id, moment)
    rows, processors = await anyio.to_thread.run_sync(rebuilt, events, notice_events, notice_rows)
    organisation = organisation_of(rows)
    if organisation is None:
        raise NotFound("organisation at that date", organisation_id)
    return PastRegister(moment, organisation, processors, len(rows.gaps))


async def register_on(organisation_id: int, day: date) -> PastRegister:
    """The register as it stood at the end of ``day``, rebuilt once per revision of the
    organisation and kept in the bounded history cache (:data:`register.store.snapshots.HISTORIES`,
    least recently used dropped first): any audited write gives a new revision, so a copy
    is never served once the trail it was rebuilt from has grown. NotFound is not cached."""
    from register.store import snapshots

    revision = await snapshots.organisation_revision(organisation_id)
    return await snapshots.HISTORIES.get(
        (organisation_id, day), revision, lambda: register_at(organisation_id, end_of_day(day))
    )


async def assessed_register_on(organisation_id: int, day: date) -> tuple[PastRegister, RegisterAssessment]:
    """The register as it stood at the end of ``day`` and its assessment as of that day
    (in a worker thread), both cached per revision like :func:`register_on`."""
    from register.store import snapshots

    revision = await snapshots.organisation_revision(organisation_id)

    async def assessed() -> tuple[PastRegister, RegisterAssessment]:
        past = await register_on(organisation_id, day)
        return past, await anyio.to_thread.run_sync(partial(assess_register, past.processors, as_of=day))

    return await snapshots.HISTORIES.get((organisation_id, day, "assessment"), revision, assessed)


async def written_register(organisation_id: int) -> dict[str, object]:
    """Every row of an organisation's register as audit snapshots (an import's after-image)."""
    owned = Processor.organisation == organisation_id
    processor_ids = Processor.select(Processor.id).where(owned)
    organisation = await Organisation.select().where(Organisation.id == organisation_id).first()
    written: dict[str, object] = {"organisation": snapshot(organisation)}
    for entity, table in (
        ("processor", Processor),
        ("location", ProcessingLocation),
        ("sub_processor", SubProcessor),
        ("agreement", Agreement),
        ("safeguard", TransferSafeguard),
    ):
        condition = owned if table is Processor else table.processor.is_in(processor_ids)
        rows = await table.select().where(condition).order_by(table.id).output(load_json=True)
        written[entity] = [snapshot(row) for row in rows]
    agreement_ids = Agreement.select(Agreement.id).where(Agreement.processor.is_in(processor_ids))
    clauses = await ClauseAssessment.select().where(ClauseAssessment.agreement.is_in(agreement_ids)).order_by(
        ClauseAssessment.id
    )
    written["clause_assessment"] = [snapshot(row) for row in clauses]
    return written


async def changes_on_days(organisation_id: int, since: date, until: date) -> list[Change]:
    """Every change recorded from the start of ``since`` to the end of ``until`` (one query)."""
    events = await trail_events(organisation_id, until=end_of_day(until))
    return await anyio.to_thread.run_sync(partial(changes_between, events, start_of_day(since), end_of_day(until)))
