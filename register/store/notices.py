"""Sub-processor change notices: stored proposals, reviewed, accepted or objected to.

A notice (or a snapshot of the vendor's list) is stored as read; the review
(diff, deadline, findings if accepted) is computed by the compliance core each
time it is read, against the register as it stands. Accepting applies the
changes to the processor's sub-processors and marks the notice accepted in one
transaction, audited; the notice's UPDATE names the status and version it read,
so two acceptances at once have one winner and the loser changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

import msgspec

from register.compliance import settings_from_reference
from register.compliance.context import RuleContext
from register.compliance.model import Finding, Processor
from register.compliance.notices import (
    Change,
    Deadline,
    Entry,
    PendingNotice,
    compare,
    diff_counts,
    findings_if_accepted,
    notice_findings,
    objection_deadline,
    register_entries,
)
from register.compliance.renames import Rename, likely_renames
from register.intake.subprocessor_lists import ListedSubProcessor, ListProblem, SubProcessorList
from register.store.errors import Conflict, InvalidReference, NotFound, StaleVersion
from register.store.reads import load_processor, load_processor_chain
from register.store.writes import delete_row, insert_row, record_audit, update_row, write_transaction
from register.tables import Processor as ProcessorTable
from register.tables import SubProcessor as SubProcessorTable
from register.tables import SubProcessorNotice as NoticeTable
from register.vocabulary import AuditAction, NoticeChannel, NoticeKind, NoticeStatus

ENTITY = "sub_processor_notice"
MAX_CONTENT_CHARS = 1_000_000  # the text kept as received (the rows are kept whole)


@dataclass(frozen=True, slots=True)
class Notice:
    id: int
    organisation_id: int
    processor_id: int
    kind: NoticeKind
    channel: NoticeChannel
    received_on: date
    source: str
    content: str
    rows: tuple[ListedSubProcessor, ...]
    problems: tuple[ListProblem, ...]
    stated_notice_days: int | None
    stated_business_days: bool
    status: NoticeStatus
    created_by: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    objection_reasons: str
    objection_sent_on: date | None
    objection_sent_via: str
    objection_proof: str
    version: int
    applied: dict[str, list[str]] | None = None  # on acceptance: names added, changed, removed

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(Entry(r.name, r.countries, r.purpose, None, r.regions) for r in self.rows)


@dataclass(frozen=True, slots=True)
class NoticeReview:
    """A notice with everything the DPO needs to decide."""

    notice: Notice
    processor: Processor
    changes: tuple[Change, ...]  # against the register's sub-processors
    since_previous: tuple[Change, ...] | None  # against the previous notice of the processor
    previous_id: int | None
    deadline: Deadline
    findings_if_accepted: tuple[Finding, ...]
    status_findings: tuple[Finding, ...]  # change pending / deadline passed
    counts: dict[str, int]
    renames: tuple[Rename, ...] = ()  # removals and additions likely one sub-processor renamed (to confirm)


@dataclass(frozen=True, slots=True)
class ObjectionDeadline:
    organisation_id: int
    processor_id: int
    processor_name: str
    notice_id: int
    received_on: date
    deadline: date
    path: str


def _notice_from_row(row: dict[str, Any]) -> Notice:
    def decoded(value: Any) -> Any:
        return msgspec.json.decode(value) if isinstance(value, (str, bytes)) else value

    return Notice(
        id=row["id"],
        organisation_id=row["organisation"],
        processor_id=row["processor"],
        kind=NoticeKind(row["kind"]),
        channel=NoticeChannel(row["channel"]),
        received_on=row["received_on"],
        source=row["source"],
        content=row["content"],
        rows=msgspec.convert(decoded(row["rows"]) or [], tuple[ListedSubProcessor, ...]),
        problems=msgspec.convert(decoded(row["problems"]) or [], tuple[ListProblem, ...]),
        stated_notice_days=row["stated_notice_days"],
        stated_business_days=bool(row["stated_business_days"]),
        status=NoticeStatus(row["status"]),
        created_by=row["created_by"],
        created_at=row["created_at"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        objection_reasons=row["objection_reasons"],
        objection_sent_on=row["objection_sent_on"],
        objection_sent_via=row["objection_sent_via"],
        objection_proof=row["objection_proof"],
        version=row["version"],
        applied=decoded(row.get("applied")),
    )


def _in_organisation(organisation_id: int, notice_id: int) -> Any:
    return (NoticeTable.id == notice_id) & (NoticeTable.organisation == organisation_id)


async def _notice_row(organisation_id: int, notice_id: int) -> dict[str, Any]:
    row = await NoticeTable.select().where(_in_organisation(organisation_id, notice_id)).first()
    if row is None:
        raise NotFound("notice", notice_id)
    return row


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    # The dates stay on the notice's row (the audit page shows values as stored: no ISO date in prose).
    keys = ("channel", "source", "status", "stated_notice_days", "stated_business_days", "decided_by",
            "objection_reasons", "objection_sent_via", "objection_proof", "applied")  # fmt: skip
    summary = {key: row.get(key) for key in keys}
    summary["notice_kind"] = row.get("kind")
    summary["rows"] = len(msgspec.json.decode(row["rows"]) if isinstance(row["rows"], str) else row["rows"] or [])
    return summary


# ------------------------------------------------------------------ reads


async def notice_organisation(notice_id: int) -> int:
    row = await NoticeTable.select(NoticeTable.organisation).where(NoticeTable.id == notice_id).first()
    if row is None:
        raise NotFound("notice", notice_id)
    return row["organisation"]


async def load_notice(organisation_id: int, notice_id: int) -> Notice:
    return _notice_from_row(await _notice_row(organisation_id, notice_id))


async def list_notices(organisation_id: int, processor_id: int) -> list[Notice]:
    """The processor's notices, latest received first."""
    if not await ProcessorTable.exists().where(
        (ProcessorTable.id == processor_id) & (ProcessorTable.organisation == organisation_id)
    ):
        raise NotFound("processor", processor_id)
    rows = await NoticeTable.select().where(
        (NoticeTable.processor == processor_id) & (NoticeTable.organisation == organisation_id)
    ).order_by(NoticeTable.received_on, ascending=False).order_by(NoticeTable.id, ascending=False)
    return [_notice_from_row(row) for row in rows]


async def _previous_notice(notice: Notice) -> Notice | None:
    """The processor's notice received just before this one (the previous snapshot)."""
    rows = await NoticeTable.select().where(
        (NoticeTable.processor == notice.processor_id)
        & (NoticeTable.organisation == notice.organisation_id)
        & (NoticeTable.id != notice.id)
        & (NoticeTable.received_on <= notice.received_on)
    ).order_by(NoticeTable.received_on, ascending=False).order_by(NoticeTable.id, ascending=False)
    for row in rows:
        if row["received_on"] < notice.received_on or row["id"] < notice.id:
            return _notice_from_row(row)
    return None


def pending_notice(notice: Notice, processor: Processor, changes: tuple[Change, ...]) -> PendingNotice:
    counts = diff_counts(changes)
    return PendingNotice(
        notice_id=notice.id,
        kind=notice.kind,
        received_on=notice.received_on,
        deadline=notice_deadline(notice, processor),
        added=counts["added"],
        removed=counts["removed"],
        changed=counts["changed"],
    )


def notice_deadline(notice: Notice, processor: Processor) -> Deadline:
    return objection_deadline(
        notice.received_on, processor.agreement, notice.stated_notice_days, notice.stated_business_days
    )


async def review_notice(organisation_id: int, notice_id: int, as_of: date) -> NoticeReview:
    notice = await load_notice(organisation_id, notice_id)
    chain = await load_processor_chain(notice.processor_id, organisation_id)
    processor = chain[notice.processor_id]
    full_list = notice.kind == NoticeKind.FULL_LIST
    changes = compare(register_entries(processor), notice.entries, full_list=full_list)
    previous = await _previous_notice(notice)
    since_previous = None
    if previous is not None:
        since_previous = compare(previous.entries, notice.entries, full_list=full_list and previous.kind == NoticeKind.FULL_LIST)
    settings = settings_from_reference()
    ctx = RuleContext(as_of=as_of, settings=settings)
    status_findings: tuple[Finding, ...] = ()
    if notice.status == NoticeStatus.PENDING:
        status_findings = notice_findings(processor, [pending_notice(notice, processor, changes)], ctx)
    return NoticeReview(
        notice=notice,
        processor=processor,
        changes=changes,
        since_previous=since_previous,
        previous_id=previous.id if previous else None,
        deadline=notice_deadline(notice, processor),
        findings_if_accepted=findings_if_accepted(processor, changes, as_of=as_of, registry=chain, settings=settings)
        if notice.status == NoticeStatus.PENDING
        else (),
        status_findings=status_findings,
        counts=diff_counts(changes),
        renames=likely_renames(changes) if notice.status == NoticeStatus.PENDING else (),
    )


@dataclass(frozen=True, slots=True)
class PendingDecision:
    """A notice of the processor awaiting the DPO's decision, with its finding."""

    notice: Notice
    deadline: Deadline
    finding: Finding


async def pending_decisions(organisation_id: int, processor: Processor, as_of: date) -> list[PendingDecision]:
    """The processor's notices awaiting a decision (one query): for the processor's page,
    each with SUBPROCESSOR_CHANGE_PENDING or SUBPROCESSOR_OBJECTION_LAPSED."""
    rows = await NoticeTable.select().where(
        (NoticeTable.organisation == organisation_id)
        & (NoticeTable.processor == processor.id)
        & (NoticeTable.status == NoticeStatus.PENDING.value)
    ).order_by(NoticeTable.received_on)
    found = [_notice_from_row(row) for row in rows]
    if not found:
        return []
    ctx = RuleContext(as_of=as_of, settings=settings_from_reference())
    pending = [
        pending_notice(n, processor, compare(register_entries(processor), n.entries, full_list=n.kind == NoticeKind.FULL_LIST))
        for n in found
    ]
    findings = notice_findings(processor, pending, ctx)
    return [PendingDecision(n, p.deadline, f) for n, p, f in zip(found, pending, findings, strict=True)]


async def open_objection_deadlines(organisation_id: int) -> list[ObjectionDeadline]:
    """Every pending notice of the organisation with a known objection deadline, soonest
    first (for calendars and reminders). Two queries plus one per processor concerned."""
    rows = await NoticeTable.select().where(
        (NoticeTable.organisation == organisation_id) & (NoticeTable.status == NoticeStatus.PENDING.value)
    )
    deadlines: list[ObjectionDeadline] = []
    processors: dict[int, Processor] = {}
    for row in rows:
        notice = _notice_from_row(row)
        processor = processors.get(notice.processor_id)
        if processor is None:
            processor = processors[notice.processor_id] = await load_processor(notice.processor_id, organisation_id)
        deadline = notice_deadline(notice, processor).deadline
        if deadline is None:
            continue
        deadlines.append(
            ObjectionDeadline(
                organisation_id=organisation_id,
                processor_id=processor.id,
                processor_name=processor.display_name,
                notice_id=notice.id,
                received_on=notice.received_on,
                deadline=deadline,
                path=f"/notices/{notice.id}",
            )
        )
    return sorted(deadlines, key=lambda d: (d.deadline, d.notice_id))


# ------------------------------------------------------------------ writes


async def record_notice(
    organisation_id: int,
    processor_id: int,
    listed: SubProcessorList,
    *,
    kind: NoticeKind,
    channel: NoticeChannel,
    received_on: date,
    source: str,
    content: str,
    actor: str,
    stated_notice_days: int | None = None,
    stated_business_days: bool | None = None,
) -> Notice:
    """Store a notice as read; the period it states is the reader's unless given."""
    if not listed.rows:
        raise InvalidReference("content", "no sub-processor could be read from the notice or list")
    days = stated_notice_days if stated_notice_days is not None else listed.stated_notice_days
    business = stated_business_days if stated_business_days is not None else (
        listed.stated_business_days if stated_notice_days is None else False
    )
    async with write_transaction(organisation_id):
        if not await ProcessorTable.exists().where(
            (ProcessorTable.id == processor_id) & (ProcessorTable.organisation == organisation_id)
        ):
            raise NotFound("processor", processor_id)
        inserted = await NoticeTable.insert(
            NoticeTable(
                organisation=organisation_id,
                processor=processor_id,
                kind=kind.value,
                channel=channel.value,
                received_on=received_on,
                source=source[:500],
                content=content[:MAX_CONTENT_CHARS],
                rows=msgspec.to_builtins(listed.rows),
                problems=msgspec.to_builtins(listed.problems),
                stated_notice_days=days,
                stated_business_days=bool(business),
                created_by=actor,
            )
        ).returning(NoticeTable.id)
        row = await _notice_row(organisation_id, inserted[0]["id"])
        await record_audit(organisation_id, actor, ENTITY, row["id"], AuditAction.CREATE, None, _summary(row))
    return _notice_from_row(row)


async def _pending_row(organisation_id: int, notice_id: int, version: int) -> dict[str, Any]:
    row = await _notice_row(organisation_id, notice_id)
    if row["version"] != version:
        raise StaleVersion(ENTITY, notice_id, version, row["version"])
    if row["status"] != NoticeStatus.PENDING.value:
        raise Conflict(f"notice {notice_id} was already decided ({row['status']})")
    return row


async def _mark_decided(
    organisation_id: int, notice_id: int, version: int, changes: dict[Any, Any], actor: str, before: dict[str, Any]
) -> Notice:
    """The notice's UPDATE, conditioned on the status and version read (one winner)."""
    decided = await NoticeTable.update(
        {
            **changes,
            NoticeTable.decided_by: actor,
            NoticeTable.decided_at: datetime.now(timezone.utc),
            NoticeTable.version: version + 1,
        }
    ).where(
        _in_organisation(organisation_id, notice_id)
        & (NoticeTable.version == version)
        & (NoticeTable.status == NoticeStatus.PENDING.value)
    ).returning(NoticeTable.id)
    if not decided:  # decided meanwhile: everything above is rolled back
        raise StaleVersion(ENTITY, notice_id, version, version + 1)
    after = await _notice_row(organisation_id, notice_id)
    await record_audit(organisation_id, actor, ENTITY, notice_id, AuditAction.UPDATE, _summary(before), _summary(after))
    return _notice_from_row(after)


async def accept_notice(
    organisation_id: int, notice_id: int, version: int, actor: str, renames: Sequence[int] = ()
) -> Notice:
    """Apply the notice to the processor's sub-processors (added inserted, changed updated,
    absent from a full list removed), each audited, and mark it accepted: one transaction.

    ``renames``: the ids of registered sub-processors the DPO confirmed as renamed, each
    one of the notice's likely renames (:func:`register.compliance.renames.likely_renames`):
    that sub-processor is updated to its new name (and the countries and purpose listed),
    keeping its facts and transfer tools, instead of being removed and added anew."""
    async with write_transaction(organisation_id):
        before = await _pending_row(organisation_id, notice_id, version)
        notice = _notice_from_row(before)
        processor = await load_processor(notice.processor_id, organisation_id)
        changes = compare(register_entries(processor), notice.entries, full_list=notice.kind == NoticeKind.FULL_LIST)
        confirmed = confirmed_renames(changes, renames)
        applied = await _apply_changes(organisation_id, processor, changes, actor, confirmed)
        return await _mark_decided(
            organisation_id, notice_id, version,
            {NoticeTable.status: NoticeStatus.ACCEPTED.value, NoticeTable.applied: applied}, actor, before,
        )


def confirmed_renames(changes: tuple[Change, ...], sub_processor_ids: Sequence[int]) -> tuple[Rename, ...]:
    """The likely renames the DPO confirmed; an id that is not one of them is refused."""
    likely = {rename.sub_processor_id: rename for rename in likely_renames(changes)}
    unknown = [i for i in sub_processor_ids if i not in likely]
    if unknown:
        raise InvalidReference(
            "renames", f"sub-processor {unknown[0]} is not one the notice likely renames (reload the notice)"
        )
    return tuple(likely[i] for i in dict.fromkeys(sub_processor_ids))


async def _apply_changes(
    organisation_id: int, processor: Processor, changes: tuple[Change, ...], actor: str, renames: tuple[Rename, ...] = ()
) -> dict:
    versions = {s.id: s.version for s in processor.sub_processors}
    applied: dict[str, list[str]] = {"added": [], "changed": [], "removed": []}
    renamed_before = {id(rename.before) for rename in renames}
    renamed_after = {id(rename.after) for rename in renames}
    for rename in renames:
        sub_id = rename.sub_processor_id
        values: dict[str, Any] = {"name": rename.after.name}
        if rename.after.countries:
            values["countries"] = list(rename.after.countries)
        if rename.after.purpose:
            values["purpose"] = rename.after.purpose
        await update_row(
            SubProcessorTable, (SubProcessorTable.id == sub_id) & (SubProcessorTable.processor == processor.id),
            sub_id, values, versions[sub_id], organisation_id, actor,
        )
        applied.setdefault("renamed", []).append(f"{rename.before.name} → {rename.after.name}")
    for change in changes:
        if id(change.before) in renamed_before or id(change.after) in renamed_after:
            continue
        if change.kind == "added" and change.after is not None:
            await insert_row(
                SubProcessorTable,
                {"processor": processor.id, "name": change.after.name, "countries": list(change.after.countries),
                 "purpose": change.after.purpose},
                organisation_id, actor,
            )
        elif change.kind == "changed" and change.before is not None and change.after is not None:
            sub_id = change.before.sub_processor_id
            values: dict[str, Any] = {}
            if "countries" in change.changed:
                values["countries"] = list(change.after.countries)
            if "purpose" in change.changed:
                values["purpose"] = change.after.purpose
            await update_row(
                SubProcessorTable, (SubProcessorTable.id == sub_id) & (SubProcessorTable.processor == processor.id),
                sub_id, values, versions[sub_id], organisation_id, actor,
            )
        elif change.kind == "removed" and change.before is not None:
            sub_id = change.before.sub_processor_id
            await delete_row(
                SubProcessorTable, (SubProcessorTable.id == sub_id) & (SubProcessorTable.processor == processor.id),
                sub_id, organisation_id, actor,
            )
        else:
            continue
        applied[change.kind].append(change.name)
    return applied


async def object_to_notice(organisation_id: int, notice_id: int, version: int, reasons: str, actor: str) -> Notice:
    """Record the objection and its reasons; the register's sub-processors stay as they are."""
    reasons = reasons.strip()
    if not reasons:
        raise InvalidReference("reasons", "give the reasons for the objection")
    async with write_transaction(organisation_id):
        before = await _pending_row(organisation_id, notice_id, version)
        return await _mark_decided(
            organisation_id, notice_id, version,
            {NoticeTable.status: NoticeStatus.OBJECTED.value, NoticeTable.objection_reasons: reasons}, actor, before,
        )


async def record_objection_sent(
    organisation_id: int, notice_id: int, version: int, sent_on: date, via: str, proof: str, actor: str
) -> Notice:
    """When and how the objection letter was sent (and the proof kept)."""
    if not via.strip():
        raise InvalidReference("sent_via", "say how the objection was sent (an e-mail address, registered post…)")
    async with write_transaction(organisation_id):
        before = await _notice_row(organisation_id, notice_id)
        if before["status"] != NoticeStatus.OBJECTED.value:
            raise Conflict(f"notice {notice_id} has no objection to send ({before['status']})")
        if before["version"] != version:
            raise StaleVersion(ENTITY, notice_id, version, before["version"])
        updated = await NoticeTable.update(
            {
                NoticeTable.objection_sent_on: sent_on,
                NoticeTable.objection_sent_via: via.strip()[:200],
                NoticeTable.objection_proof: proof.strip(),
                NoticeTable.version: version + 1,
            }
        ).where(_in_organisation(organisation_id, notice_id) & (NoticeTable.version == version)).returning(NoticeTable.id)
        if not updated:
            raise StaleVersion(ENTITY, notice_id, version, version + 1)
        after = await _notice_row(organisation_id, notice_id)
        await record_audit(organisation_id, actor, ENTITY, notice_id, AuditAction.UPDATE, _summary(before), _summary(after))
    return _notice_from_row(after)
