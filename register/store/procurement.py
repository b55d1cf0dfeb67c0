"""Procurement requests: a tool submitted for review, queued for the DPO's decision.

The candidate is kept as submitted (a ``CandidateInput`` document); its
verdict is computed by the compliance core whenever it is read, as of that
day. Approving a request adds the tool to the register in the same
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Sequence

import msgspec

from register.schemas import CandidateInput
from register.store.changes import insert_processor_with_records
from register.store.errors import Conflict, InvalidReference, NotFound, StaleVersion
from register.store.reads import organisation_row
from register.store.writes import record_audit, write_transaction
from register.tables import ProcurementRequest as RequestTable
from register.vocabulary import AuditAction, LifecycleStatus, ProcurementStatus

DECISIONS = (
    ProcurementStatus.APPROVED,
    ProcurementStatus.APPROVED_WITH_CONDITIONS,
    ProcurementStatus.REJECTED,
)
ENTITY = "procurement_request"


@dataclass(frozen=True, slots=True)
class ProcurementRequest:
    id: int
    organisation_id: int
    tool_name: str
    purpose: str
    candidate: CandidateInput
    status: ProcurementStatus
    submitted_by: str
    submitted_at: datetime
    decision_reasons: str
    decided_by: str | None
    decided_at: datetime | None
    processor_id: int | None
    version: int
    decision_conditions: tuple[str, ...] = ()  # the DPO's, as entered
    decided_role: str = ""  # the decider's role when deciding (dpo, admin)


def _request_from_row(row: dict[str, Any]) -> ProcurementRequest:
    candidate = row["candidate"]
    if isinstance(candidate, str):
        candidate = msgspec.json.decode(candidate)
    return ProcurementRequest(
        id=row["id"],
        organisation_id=row["organisation"],
        tool_name=row["tool_name"],
        purpose=row["purpose"],
        candidate=msgspec.convert(candidate, CandidateInput),
        status=ProcurementStatus(row["status"]),
        submitted_by=row["submitted_by"],
        submitted_at=row["submitted_at"],
        decision_reasons=row["decision_reasons"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        processor_id=row["processor"],
        version=row["version"],
        decision_conditions=tuple(line for line in (row.get("decision_conditions") or "").splitlines() if line),
        decided_role=row.get("decided_role") or "",
    )


def _in_organisation(organisation_id: int, request_id: int) -> Any:
    return (RequestTable.id == request_id) & (RequestTable.organisation == organisation_id)


async def _request_row(organisation_id: int, request_id: int) -> dict[str, Any]:
    row = await RequestTable.select().where(_in_organisation(organisation_id, request_id)).first()
    if row is None:
        raise NotFound("procurement request", request_id)
    return row


async def submit_procurement_request(
    organisation_id: int, candidate: CandidateInput, purpose: str, actor: str
) -> ProcurementRequest:
    async with write_transaction(organisation_id):
        await organisation_row(organisation_id)
        inserted = await RequestTable.insert(
            RequestTable(
                organisation=organisation_id,
                tool_name=candidate.trade_name or candidate.legal_name,
                purpose=purpose,
                candidate=msgspec.to_builtins(candidate),
                submitted_by=actor,
            )
        ).returning(RequestTable.id)
        row = await _request_row(organisation_id, inserted[0]["id"])
        await record_audit(organisation_id, actor, ENTITY, row["id"], AuditAction.CREATE, None, _summary(row))
    return _request_from_row(row)


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("tool_name", "purpose", "status", "decision_reasons", "decision_conditions", "decided_by", "decided_role")
    return {key: row.get(key) for key in keys}


async def list_procurement_requests(
    organisation_id: int, status: str | None = None
) -> list[ProcurementRequest]:
    condition = RequestTable.organisation == organisation_id
    if status is not None:
        condition &= RequestTable.status == status
    rows = await RequestTable.select().where(condition).order_by(RequestTable.id, ascending=False)
    return [_request_from_row(row) for row in rows]


async def load_procurement_request(organisation_id: int, request_id: int) -> ProcurementRequest:
    return _request_from_row(await _request_row(organisation_id, request_id))


async def procurement_request_organisation(request_id: int) -> int:
    row = await RequestTable.select(RequestTable.organisation).where(RequestTable.id == request_id).first()
    if row is None:
        raise NotFound("procurement request", request_id)
    return row["organisation"]


async def decide_procurement_request(
    organisation_id: int,
    request_id: int,
    decision: str,
    reasons: str,
    version: int,
    actor: str,
    conditions: Sequence[str] = (),
    role: str = "",
) -> ProcurementRequest:
    """Record the DPO's decision with its reasons and conditions; an approval
    adds the tool to the register. ``role``: the decider's role, for the memo."""
    if decision not in DECISIONS:
        raise InvalidReference("decision", f"one of {', '.join(d.value for d in DECISIONS)}")
    if not reasons.strip():
        raise InvalidReference("reasons", "give the reasons for the decision")
    conditions = [c.strip() for c in conditions if c.strip()]
    if decision != ProcurementStatus.APPROVED_WITH_CONDITIONS:
        conditions = []  # only an approval with conditions carries them
    elif not conditions:
        raise InvalidReference("conditions", "list the conditions of the approval")
    async with write_transaction(organisation_id):
        before = await _request_row(organisation_id, request_id)
        if before["version"] != version:
            raise StaleVersion(ENTITY, request_id, version, before["version"])
        if before["status"] != ProcurementStatus.PENDING:
            raise Conflict(f"procurement request {request_id} was already decided ({before['status']})")
        request = _request_from_row(before)
        processor_id = None
        if decision != ProcurementStatus.REJECTED:
            processor_id = await insert_processor_with_records(
                organisation_id, request.candidate, actor, LifecycleStatus.APPROVED.value
            )
        decided = await RequestTable.update(
            {
                RequestTable.status: decision,
                RequestTable.decision_reasons: reasons.strip(),
                RequestTable.decision_conditions: "\n".join(conditions),
                RequestTable.decided_by: actor,
                RequestTable.decided_role: role,
                RequestTable.decided_at: datetime.now(timezone.utc),
                RequestTable.processor: processor_id,
                RequestTable.version: version + 1,
            }
        ).where(
            (RequestTable.id == request_id)
            & (RequestTable.version == version)
            & (RequestTable.status == ProcurementStatus.PENDING.value)
        ).returning(RequestTable.id)
        if not decided:  # decided meanwhile: the processor added above is rolled back
            raise StaleVersion(ENTITY, request_id, version, version + 1)
        after = await _request_row(organisation_id, request_id)
        await record_audit(
            organisation_id, actor, ENTITY, request_id, AuditAction.UPDATE, _summary(before), _summary(after)
        )
    return _request_from_row(after)
