"""Vendor questionnaires: links sent to vendors, their answers as proposals, the DPO's decisions.

Lifecycle
    ``open`` (the link works until it expires or is revoked; the vendor saves its
    draft as often as it likes) → ``submitted`` (the link is used up: a proposal
    waiting for the DPO; a new version needs a new link) → ``decided`` (the DPO
    accepted, edited or rejected each field; the accepted ones were applied).

Atomicity
    Every transition is one UPDATE naming the state it expects (status, not revoked,
    not expired, and for decisions the version read): two submissions or two
    decisions at once have one winner, the loser changes nothing (404 for a vendor,
    409 for a DPO). A decision applies the accepted fields to the processor (its
    row, locations, sub-processors, agreement), each write audited, and marks the
    questionnaire decided, in one transaction.

The token is the vendor's only key: only its SHA-256 digest is stored, and a
wrong, expired, revoked or used-up token are the same "not found".
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import anyio.to_thread

from register.accounts.secrets import token_digest
from register.compliance.model import Processor
from register.compliance.notices import Entry, compare, register_entries
from register.intake.questionnaire import PROPOSAL_FIELDS, FieldChange, field_changes, proposed_values
from register.reading import EXTENSIONS
from register.store.errors import Conflict, InvalidReference, NotFound, StaleVersion
from register.store.files import (
    _place,
    _write_incoming,
    blob_path,
    check_size,
    clean_file_name,
    media_type_of,
    stored_file,
)
from register.store.notices import _apply_changes
from register.store.reads import load_processor
from register.store.writes import delete_row, insert_row, record_audit, update_row, write_transaction
from register.tables import Agreement, AgreementFile, DpaReading, Organisation, ProcessingLocation
from register.tables import Processor as ProcessorTable
from register.tables import VendorQuestionnaire as QuestionnaireTable
from register.vocabulary import AuditAction, LocationActivity, ReadingStatus

ENTITY = "questionnaire"
TOKEN_PREFIX = "vq_"
OPEN, SUBMITTED, DECIDED = "open", "submitted", "decided"
DECISIONS = ("accept", "edit", "reject")
PROCESSOR_FIELDS = ("legal_name", "address", "privacy_contact", "contact_email", "certifications",
                    "dpf_certified", "security_measures")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Questionnaire:
    id: int
    organisation_id: int
    processor_id: int
    prefix: str
    language: str
    recipient: str
    expires_at: datetime
    revoked_at: datetime | None
    status: str
    answers: dict[str, Any]
    dpa_name: str
    saved_at: datetime | None
    submitted_at: datetime | None
    agreement_file_id: int | None
    reading_id: int | None
    created_by: str
    created_at: datetime
    decisions: dict[str, Any] | None
    decided_by: str | None
    decided_at: datetime | None
    version: int

    def usable(self, now: datetime) -> bool:
        """Whether the link still opens the form."""
        return self.status == OPEN and self.revoked_at is None and self.expires_at > now

    def state(self, now: datetime) -> str:
        """open | expired | revoked | submitted | decided (for the lists)."""
        if self.status != OPEN:
            return self.status
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else OPEN


@dataclass(frozen=True, slots=True)
class Proposal:
    """A submitted questionnaire with what the DPO needs to decide: each field old → new."""

    questionnaire: Questionnaire
    processor: Processor
    changes: tuple[FieldChange, ...]


def _decoded(value: Any) -> Any:
    import msgspec

    return msgspec.json.decode(value) if isinstance(value, (str, bytes)) and value else value


def _questionnaire(row: dict[str, Any]) -> Questionnaire:
    return Questionnaire(
        id=row["id"], organisation_id=row["organisation"], processor_id=row["processor"], prefix=row["prefix"],
        language=row["language"], recipient=row["recipient"], expires_at=row["expires_at"],
        revoked_at=row["revoked_at"], status=row["status"], answers=_decoded(row["answers"]) or {},
        dpa_name=row["dpa_name"], saved_at=row["saved_at"], submitted_at=row["submitted_at"],
        agreement_file_id=row["agreement_file_id"], reading_id=row["reading_id"], created_by=row["created_by"],
        created_at=row["created_at"], decisions=_decoded(row["decisions"]), decided_by=row["decided_by"],
        decided_at=row["decided_at"], version=row["version"],
    )  # fmt: skip


_COLUMNS = [c for c in QuestionnaireTable.all_columns() if c._meta.name not in ("dpa_content", "token_digest")]


def _in_organisation(organisation_id: int, questionnaire_id: int) -> Any:
    return (QuestionnaireTable.id == questionnaire_id) & (QuestionnaireTable.organisation == organisation_id)


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    """What the audit trail keeps of a questionnaire (never the token, never the file's bytes)."""
    keys = ("processor", "prefix", "language", "recipient", "status", "dpa_name", "agreement_file_id",
            "reading_id", "decisions", "decided_by")  # fmt: skip
    summary = {key: _decoded(row.get(key)) if key == "decisions" else row.get(key) for key in keys}
    summary["revoked"] = row.get("revoked_at") is not None
    return summary


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


# ------------------------------------------------------------------ the DPO's side: reads


async def questionnaire_organisation(questionnaire_id: int) -> int:
    row = await QuestionnaireTable.select(QuestionnaireTable.organisation).where(
        QuestionnaireTable.id == questionnaire_id
    ).first()
    if row is None:
        raise NotFound("questionnaire", questionnaire_id)
    return row["organisation"]


async def load_questionnaire(organisation_id: int, questionnaire_id: int) -> Questionnaire:
    row = await QuestionnaireTable.select(*_COLUMNS).where(_in_organisation(organisation_id, questionnaire_id)).first()
    if row is None:
        raise NotFound("questionnaire", questionnaire_id)
    return _questionnaire(row)


async def list_questionnaires(organisation_id: int, processor_id: int) -> list[Questionnaire]:
    """The processor's questionnaires, newest first."""
    if not await ProcessorTable.exists().where(
        (ProcessorTable.id == processor_id) & (ProcessorTable.organisation == organisation_id)
    ):
        raise NotFound("processor", processor_id)
    rows = await QuestionnaireTable.select(*_COLUMNS).where(
        (QuestionnaireTable.organisation == organisation_id) & (QuestionnaireTable.processor == processor_id)
    ).order_by(QuestionnaireTable.id, ascending=False)
    return [_questionnaire(row) for row in rows]


def current_values(processor: Processor) -> dict[str, Any]:
    """The register's values of the fields a questionnaire proposes."""
    agreement = processor.agreement
    return {
        "legal_name": processor.legal_name,
        "address": processor.address,
        "privacy_contact": processor.privacy_contact,
        "contact_email": processor.contact_email,
        "countries": list(dict.fromkeys(location.country for location in processor.locations)),
        "sub_processors": [
            {"name": s.name, "countries": list(s.countries), "purpose": s.purpose} for s in processor.sub_processors
        ],
        "certifications": list(processor.certifications),
        "dpf_certified": processor.dpf_certified,
        "security_measures": processor.security_measures,
        "breach_notice_hours": agreement.breach_notice_hours if agreement is not None else None,
    }


async def load_proposal(organisation_id: int, questionnaire_id: int) -> Proposal:
    questionnaire = await load_questionnaire(organisation_id, questionnaire_id)
    processor = await load_processor(questionnaire.processor_id, organisation_id)
    proposed = proposed_values(questionnaire.answers, questionnaire.language) if questionnaire.status != OPEN else {}
    return Proposal(questionnaire, processor, tuple(field_changes(current_values(processor), proposed)))


# ------------------------------------------------------------------ the DPO's side: writes


def new_questionnaire_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


async def create_questionnaire(
    organisation_id: int, processor_id: int, language: str, recipient: str, expiry_days: int, actor: str
) -> tuple[Questionnaire, str]:
    """A new link for the processor's vendor; the token is returned once and never stored."""
    if language not in ("fr", "en"):
        raise InvalidReference("language", "fr or en")
    recipient = recipient.strip()
    if len(recipient) > 254:
        raise InvalidReference("recipient", "at most 254 characters")
    token = new_questionnaire_token()
    async with write_transaction(organisation_id):
        if not await ProcessorTable.exists().where(
            (ProcessorTable.id == processor_id) & (ProcessorTable.organisation == organisation_id)
        ):
            raise NotFound("processor", processor_id)
        inserted = await QuestionnaireTable.insert(
            QuestionnaireTable(
                organisation=organisation_id, processor=processor_id, token_digest=token_digest(token),
                prefix=token[: len(TOKEN_PREFIX) + 6], language=language, recipient=recipient,
                expires_at=now_utc() + timedelta(days=expiry_days), status=OPEN, answers={}, created_by=actor,
            )
        ).returning(QuestionnaireTable.id)
        questionnaire_id = inserted[0]["id"]
        row = await QuestionnaireTable.select().where(QuestionnaireTable.id == questionnaire_id).first()
        await record_audit(organisation_id, actor, ENTITY, questionnaire_id, AuditAction.CREATE, None, _summary(row))
    return await load_questionnaire(organisation_id, questionnaire_id), token


async def revoke_questionnaire(organisation_id: int, questionnaire_id: int, actor: str) -> Questionnaire:
    """Stop an open link at once (idempotent: revoking a revoked or used link changes nothing)."""
    async with write_transaction(organisation_id):
        before = await QuestionnaireTable.select().where(_in_organisation(organisation_id, questionnaire_id)).first()
        if before is None:
            raise NotFound("questionnaire", questionnaire_id)
        revoked = await QuestionnaireTable.update(
            {QuestionnaireTable.revoked_at: now_utc(), QuestionnaireTable.version: QuestionnaireTable.version + 1,
             QuestionnaireTable.dpa_content: b""}
        ).where(
            _in_organisation(organisation_id, questionnaire_id)
            & (QuestionnaireTable.status == OPEN)
            & QuestionnaireTable.revoked_at.is_null()
        ).returning(QuestionnaireTable.id)
        if revoked:
            after = await QuestionnaireTable.select().where(QuestionnaireTable.id == questionnaire_id).first()
            await record_audit(
                organisation_id, actor, ENTITY, questionnaire_id, AuditAction.UPDATE, _summary(before), _summary(after)
            )
    return await load_questionnaire(organisation_id, questionnaire_id)


# ------------------------------------------------------------------ the vendor's side


@dataclass(frozen=True, slots=True)
class VendorView:
    """What the vendor's page shows: its questionnaire, the client's name, the processor's name."""

    questionnaire: Questionnaire
    organisation_name: str
    processor_name: str


def _usable(digest: str, moment: datetime) -> Any:
    return (
        (QuestionnaireTable.token_digest == digest)
        & (QuestionnaireTable.status == OPEN)
        & QuestionnaireTable.revoked_at.is_null()
        & (QuestionnaireTable.expires_at > moment)
    )


async def open_by_token(token: str) -> VendorView | None:
    """The questionnaire the token opens, or None (wrong, expired, revoked or used up: all alike)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = await QuestionnaireTable.select(
        *_COLUMNS, QuestionnaireTable.organisation.name, QuestionnaireTable.processor.legal_name
    ).where(_usable(token_digest(token), now_utc())).first()
    if row is None:
        return None
    return VendorView(_questionnaire(row), row["organisation.name"], row["processor.legal_name"])


async def save_answers(token: str, answers: dict[str, Any], dpa: tuple[bytes, str] | None) -> Questionnaire:
    """Keep the vendor's draft (and its DPA, checked, until submission); NotFound when the link is no longer usable."""
    values: dict[Any, Any] = {QuestionnaireTable.answers: answers, QuestionnaireTable.saved_at: now_utc()}
    if dpa is not None:
        content, name = dpa
        check_size(len(content))
        media_type = media_type_of(content)
        values[QuestionnaireTable.dpa_content] = content
        values[QuestionnaireTable.dpa_name] = clean_file_name(name, EXTENSIONS[media_type])
    saved = await QuestionnaireTable.update(values).where(_usable(token_digest(token), now_utc())).returning(
        *_COLUMNS
    )
    if not saved:
        raise NotFound("questionnaire", "token")
    return _questionnaire(saved[0])


ReadFile = Any  # (content, file name, language) -> the reader's JSON, or None when the file cannot be read


async def submit_answers(
    token: str, answers: dict[str, Any], dpa: tuple[bytes, str] | None, read_file: ReadFile
) -> Questionnaire:
    """Send the answers: the link is used up, the answers become a proposal (audited), and the DPA
    (uploaded now or with a draft) becomes one of the processor's agreement files with a reading.
    Nothing else of the register changes."""
    digest = token_digest(token)
    view = await open_by_token(token)
    if view is None:
        raise NotFound("questionnaire", "token")
    questionnaire = view.questionnaire
    organisation_id, processor_id = questionnaire.organisation_id, questionnaire.processor_id
    content, name = dpa if dpa is not None else (await _draft_dpa(digest), questionnaire.dpa_name)
    media_type = ""
    if content:
        check_size(len(content))
        media_type = media_type_of(content)
        name = clean_file_name(name, EXTENSIONS[media_type])
    reading = await read_file(content, name, questionnaire.language) if content else None
    actor = f"questionnaire {questionnaire.prefix}…"  # the vendor has no account: its link names it
    incoming = await anyio.to_thread.run_sync(_write_incoming, content) if content else None
    try:
        async with write_transaction(organisation_id):
            submitted = await QuestionnaireTable.update(
                {QuestionnaireTable.answers: answers, QuestionnaireTable.status: SUBMITTED,
                 QuestionnaireTable.submitted_at: now_utc(), QuestionnaireTable.saved_at: now_utc(),
                 QuestionnaireTable.dpa_content: b"", QuestionnaireTable.dpa_name: name if content else "",
                 QuestionnaireTable.version: QuestionnaireTable.version + 1}
            ).where(_usable(digest, now_utc())).returning(QuestionnaireTable.id)
            if not submitted:  # sent twice at once, revoked or expired meanwhile: nothing is written
                raise NotFound("questionnaire", "token")
            file_id = reading_id = None
            if incoming is not None:
                file_id, reading_id = await _keep_dpa(
                    organisation_id, processor_id, incoming, content, name, media_type, reading,
                    questionnaire.language, actor,
                )  # fmt: skip
                await QuestionnaireTable.update(
                    {QuestionnaireTable.agreement_file_id: file_id, QuestionnaireTable.reading_id: reading_id}
                ).where(QuestionnaireTable.id == questionnaire.id)
            after = await QuestionnaireTable.select().where(QuestionnaireTable.id == questionnaire.id).first()
            summary = _summary(after)
            summary["proposed"] = sorted(proposed_values(answers, questionnaire.language))
            await record_audit(organisation_id, actor, ENTITY, questionnaire.id, AuditAction.UPDATE,
                               {"status": OPEN}, summary)  # fmt: skip
    finally:
        if incoming is not None:
            incoming.unlink(missing_ok=True)
    return await load_questionnaire(organisation_id, questionnaire.id)


async def _draft_dpa(digest: str) -> bytes:
    row = await QuestionnaireTable.select(QuestionnaireTable.dpa_content).where(
        QuestionnaireTable.token_digest == digest
    ).first()
    return bytes(row["dpa_content"] or b"") if row else b""


async def _keep_dpa(
    organisation_id: int, processor_id: int, incoming: Any, content: bytes, name: str, media_type: str,
    reading: dict[str, Any] | None, language: str, actor: str,
) -> tuple[int, int | None]:
    """The DPA as an agreement file of the processor and, when it could be read, a reading (a proposal)."""
    digest = hashlib.sha256(content).hexdigest()
    target = blob_path(organisation_id, digest)
    placed = _place(incoming, target)
    try:
        row = await insert_row(
            AgreementFile,
            {"processor": processor_id, "file_name": name, "media_type": media_type, "size": len(content),
             "sha256": digest, "uploaded_by": actor},
            organisation_id, actor,
        )  # fmt: skip
        reading_id = None
        if reading is not None:
            inserted = await DpaReading.insert(
                DpaReading(agreement_file=row["id"], processor=processor_id, reading=reading, language=language,
                           status=ReadingStatus.PROPOSED.value, created_by=actor)
            ).returning(DpaReading.id)
            reading_id = inserted[0]["id"]
            await record_audit(organisation_id, actor, "dpa_reading", reading_id, AuditAction.CREATE, None,
                               {"file_id": row["id"], "processor_id": processor_id})  # fmt: skip
    except BaseException:
        if placed:
            target.unlink(missing_ok=True)
        raise
    return stored_file(row).id, reading_id


# ------------------------------------------------------------------ the DPO's decision


@dataclass(frozen=True, slots=True)
class FieldDecision:
    decision: str  # accept | edit | reject
    value: Any = None  # for edit: the value to record instead of the vendor's


async def decide_proposal(
    organisation_id: int, questionnaire_id: int, version: int, decisions: dict[str, FieldDecision], actor: str
) -> Questionnaire:
    """Apply the accepted and edited fields to the register, record every decision (a field not
    named is rejected), and mark the questionnaire decided: one transaction, audited."""
    for name, choice in decisions.items():
        if name not in PROPOSAL_FIELDS:
            raise InvalidReference(f"decisions.{name}", "not a field of the questionnaire")
        if choice.decision not in DECISIONS:
            raise InvalidReference(f"decisions.{name}", "accept, edit or reject")
        if choice.decision == "edit" and choice.value is None:
            raise InvalidReference(f"decisions.{name}", "give the value to record")
    async with write_transaction(organisation_id):
        before = await QuestionnaireTable.select().where(_in_organisation(organisation_id, questionnaire_id)).first()
        if before is None:
            raise NotFound("questionnaire", questionnaire_id)
        if before["version"] != version:
            raise StaleVersion(ENTITY, questionnaire_id, version, before["version"])
        if before["status"] != SUBMITTED:
            raise Conflict(f"questionnaire {questionnaire_id} has no proposal to decide ({before['status']})")
        # The questionnaire's own UPDATE first, conditioned on what was read: one winner.
        questionnaire = _questionnaire({**before, "answers": before["answers"], "decisions": None})
        proposed = proposed_values(questionnaire.answers, questionnaire.language)
        values = {
            name: (proposed[name] if choice.decision == "accept" else choice.value)
            for name, choice in decisions.items()
            if choice.decision != "reject" and name in proposed
        }
        record = {
            name: {"decision": decisions[name].decision if name in decisions else "reject",
                   "proposed": proposed[name],
                   **({"recorded": values[name]} if name in values else {})}
            for name in proposed
        }  # fmt: skip
        decided = await QuestionnaireTable.update(
            {QuestionnaireTable.status: DECIDED, QuestionnaireTable.decisions: record,
             QuestionnaireTable.decided_by: actor, QuestionnaireTable.decided_at: now_utc(),
             QuestionnaireTable.version: version + 1}
        ).where(
            _in_organisation(organisation_id, questionnaire_id)
            & (QuestionnaireTable.version == version)
            & (QuestionnaireTable.status == SUBMITTED)
        ).returning(QuestionnaireTable.id)
        if not decided:
            raise StaleVersion(ENTITY, questionnaire_id, version, version + 1)
        await _apply(organisation_id, questionnaire.processor_id, values, actor)
        after = await QuestionnaireTable.select().where(QuestionnaireTable.id == questionnaire_id).first()
        await record_audit(organisation_id, actor, ENTITY, questionnaire_id, AuditAction.UPDATE,
                           _summary(before), _summary(after))  # fmt: skip
    return await load_questionnaire(organisation_id, questionnaire_id)


async def _apply(organisation_id: int, processor_id: int, values: dict[str, Any], actor: str) -> None:
    """Write the decided values to the register (each write audited by the store's row writes)."""
    processor = await load_processor(processor_id, organisation_id)
    columns = {name: values[name] for name in PROCESSOR_FIELDS if name in values}
    if "legal_name" in columns and not str(columns["legal_name"]).strip():
        raise InvalidReference("decisions.legal_name", "a legal name is required")
    if columns:
        await update_row(
            ProcessorTable, (ProcessorTable.id == processor_id) & (ProcessorTable.organisation == organisation_id),
            processor_id, columns, processor.version, organisation_id, actor,
        )
    if "countries" in values:
        await _apply_countries(organisation_id, processor, list(values["countries"]), actor)
    if "sub_processors" in values:
        entries = tuple(Entry(row["name"], tuple(row.get("countries") or ()), row.get("purpose") or "")
                        for row in values["sub_processors"])  # fmt: skip
        await _apply_changes(organisation_id, processor, compare(register_entries(processor), entries, full_list=True), actor)
    if "breach_notice_hours" in values:
        await _apply_breach_hours(organisation_id, processor, int(values["breach_notice_hours"]), actor)


async def _apply_countries(organisation_id: int, processor: Processor, countries: list[str], actor: str) -> None:
    """The vendor's list is the whole list: new countries become locations, absent ones are removed."""
    recorded = {location.country for location in processor.locations}
    for country in countries:
        if country not in recorded:
            await insert_row(
                ProcessingLocation,
                {"processor": processor.id, "country": country, "activity": LocationActivity.PROCESSING.value},
                organisation_id, actor,
            )
    for location in processor.locations:
        if location.country not in countries:
            await delete_row(
                ProcessingLocation,
                (ProcessingLocation.id == location.id) & (ProcessingLocation.processor == processor.id),
                location.id, organisation_id, actor,
            )


async def _apply_breach_hours(organisation_id: int, processor: Processor, hours: int, actor: str) -> None:
    if processor.agreement is None:
        await insert_row(Agreement, {"processor": processor.id, "breach_notice_hours": hours}, organisation_id, actor)
        return
    await update_row(
        Agreement, Agreement.processor == processor.id, processor.id, {"breach_notice_hours": hours},
        processor.agreement.version, organisation_id, actor,
    )


async def organisation_name(organisation_id: int) -> str:
    row = await Organisation.select(Organisation.name).where(Organisation.id == organisation_id).first()
    return row["name"] if row else ""
