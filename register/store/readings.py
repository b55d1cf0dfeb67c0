"""DPA readings as proposals: stored with their file, applied only when the DPO confirms.

A reading is the reader's JSON (``register read-dpa --json``) kept in a
``dpa_reading`` row linked to the file it was made from. It changes nothing
in the register. :func:`confirm_reading` applies the DPO's decisions — each
Art. 28(3) item accepted, edited or rejected; the facts (breach deadline,
notice days, authorisation, governing law) accepted, edited or rejected; the
sub-processors listed in an annex added or not — in one transaction with its
audit events:

- the reading's own version is checked inside its UPDATE first, so two
  confirmations of one reading sent at once give one winner (409 for the
  others) and a decided reading cannot be decided again;
- the agreement is created when none is recorded yet, then its fields and its
  checklist rows are written through the store's audited row writes; each
  clause's note says "detected in file X, confirmed by Y on date Z" in the
  DPO's language, and the reading keeps the decisions (the evidence link).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from register.i18n import words
from register.i18n.dates import prose_date
from register.reference import load_reference
from register.store.changes import _put_clause_row, check_clause_item
from register.store.errors import Conflict, InvalidReference, NotFound, StaleVersion
from register.store.files import load_agreement_file, require_processor
from register.store.writes import insert_row, record_audit, update_row, write_transaction
from register.tables import Agreement, ClauseAssessment, DpaReading, SubProcessor
from register.vocabulary import AuditAction, ClauseStatus, ReadingDecision, ReadingStatus, SubProcessorAuthorisation

SECTION_LENGTH = 200
NOTE_LENGTH = 20_000

# Agreement field -> the reading's JSON key it is proposed from.
FACT_SOURCES: dict[str, str] = {
    "breach_notice_hours": "breach_notification_hours",
    "objection_notice_days": "subprocessor_notice_days",
    "sub_processor_authorisation": "authorisation",
    "governing_law": "governing_law",
}


@dataclass(frozen=True, slots=True)
class StoredReading:
    id: int
    file_id: int
    file_name: str
    processor_id: int
    reading: dict[str, Any]
    language: str
    status: ReadingStatus
    created_by: str
    created_at: datetime
    decisions: dict[str, Any] | None
    decided_by: str | None
    decided_at: datetime | None
    version: int

    def item_decision(self, item: str) -> dict[str, Any] | None:
        return ((self.decisions or {}).get("items") or {}).get(item)


@dataclass(frozen=True, slots=True)
class ItemChoice:
    """The DPO's decision on one item; ``edit`` replaces the proposal's status, section or note."""

    decision: ReadingDecision
    status: ClauseStatus | None = None
    section: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class FactChoice:
    decision: ReadingDecision
    value: Any = None  # for ``edit``: the value to record instead of the proposal's


@dataclass(frozen=True, slots=True)
class ReadingConfirmation:
    """Everything the DPO decided on one reading; an item or fact not named is left as it is."""

    version: int
    items: dict[str, ItemChoice] = field(default_factory=dict)
    facts: dict[str, FactChoice] = field(default_factory=dict)
    sub_processors: tuple[int, ...] = ()  # positions in the reading's sub_processors list to add


# ------------------------------------------------------------------ reads

_COLUMNS = (
    DpaReading.id,
    DpaReading.agreement_file,
    DpaReading.agreement_file.file_name,
    DpaReading.processor,
    DpaReading.reading,
    DpaReading.language,
    DpaReading.status,
    DpaReading.created_by,
    DpaReading.created_at,
    DpaReading.decisions,
    DpaReading.decided_by,
    DpaReading.decided_at,
    DpaReading.version,
)


def stored_reading(row: dict[str, Any]) -> StoredReading:
    return StoredReading(
        id=row["id"],
        file_id=row["agreement_file"],
        file_name=row["agreement_file.file_name"],
        processor_id=row["processor"],
        reading=row["reading"],
        language=row["language"],
        status=ReadingStatus(row["status"]),
        created_by=row["created_by"],
        created_at=row["created_at"],
        decisions=row["decisions"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        version=row["version"],
    )


def _in_organisation(organisation_id: int, processor_id: int) -> Any:
    return (DpaReading.processor == processor_id) & (DpaReading.processor.organisation == organisation_id)


async def list_readings(organisation_id: int, processor_id: int) -> list[StoredReading]:
    """The processor's readings, newest first."""
    rows = (
        await DpaReading.select(*_COLUMNS)
        .where(_in_organisation(organisation_id, processor_id))
        .order_by(DpaReading.id, ascending=False)
        .output(load_json=True)
    )
    return [stored_reading(row) for row in rows]


async def load_reading(organisation_id: int, processor_id: int, reading_id: int) -> StoredReading:
    row = (
        await DpaReading.select(*_COLUMNS)
        .where(_in_organisation(organisation_id, processor_id) & (DpaReading.id == reading_id))
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound("reading", reading_id)
    return stored_reading(row)


def reading_summary(reading: dict[str, Any]) -> dict[str, Any]:
    """What the audit trail keeps of a reading: each item's proposed status and the facts."""
    return {
        "items": {item: proposal.get("status") for item, proposal in (reading.get("items") or {}).items()},
        **{key: reading.get(key) for key in FACT_SOURCES.values()},
        "sub_processors": len(reading.get("sub_processors") or ()),
    }


def evidence_links(processor_readings: list[StoredReading]) -> dict[str, int]:
    """For each checklist item, the latest confirmed reading whose decision wrote it (the evidence)."""
    links: dict[str, int] = {}
    for reading in processor_readings:  # newest first
        if reading.status != ReadingStatus.CONFIRMED:
            continue
        for item, decided in ((reading.decisions or {}).get("items") or {}).items():
            if decided.get("decision") != ReadingDecision.REJECT and item not in links:
                links[item] = reading.id
    return links


def confirmed_missing_elements(processor_readings: list[StoredReading]) -> dict[str, tuple[str, ...]]:
    """For each item the latest confirmed reading accepted as proposed, the elements the reader
    found missing (an edited item is the DPO's own assessment: none listed)."""
    missing: dict[str, tuple[str, ...]] = {}
    for reading in processor_readings:  # newest first
        if reading.status != ReadingStatus.CONFIRMED:
            continue
        for item, decided in ((reading.decisions or {}).get("items") or {}).items():
            if item in missing or decided.get("decision") == ReadingDecision.REJECT:
                continue
            proposal = (reading.reading.get("items") or {}).get(item) or {}
            accepted = decided.get("decision") == ReadingDecision.ACCEPT
            missing[item] = tuple(proposal.get("missing") or ()) if accepted else ()
    return missing


# ------------------------------------------------------------------ writes


async def create_reading(
    organisation_id: int, processor_id: int, file_id: int, reading: dict[str, Any], language: str, actor: str
) -> StoredReading:
    """Store a reading of one of the processor's files as a proposal (the register is not changed)."""
    async with write_transaction(organisation_id):
        await load_agreement_file(organisation_id, processor_id, file_id)
        inserted = await DpaReading.insert(
            DpaReading(
                agreement_file=file_id,
                processor=processor_id,
                reading=reading,
                language=language,
                status=ReadingStatus.PROPOSED.value,
                created_by=actor,
            )
        ).returning(DpaReading.id)
        reading_id = inserted[0]["id"]
        await record_audit(
            organisation_id, actor, "dpa_reading", reading_id, AuditAction.CREATE, None,
            {"file_id": file_id, "processor_id": processor_id, **reading_summary(reading)},
        )
    return await load_reading(organisation_id, processor_id, reading_id)


def provenance_note(file_name: str, person: str, on: date, language: str) -> str:
    """"Detected in file X, confirmed by Y on Z." in the DPO's language."""
    return words(language).gettext(
        "Detected in file “%(file)s”, confirmed by %(person)s on %(day)s.",
        file=file_name, person=person, day=prose_date(on, language),
    )


def evidence_sections(proposal: dict[str, Any]) -> str:
    """The sections (and pages) of an item's evidence: "7.1 (p. 3), Annex II (p. 12)"."""
    places = []
    for evidence in proposal.get("evidence") or ():
        section, page = evidence.get("section"), evidence.get("page")
        place = section or ""
        if page is not None:
            place = f"{place} (p. {page})".strip()
        if place and place not in places:
            places.append(place)
    return ", ".join(places)[:SECTION_LENGTH]


def clause_values(proposal: dict[str, Any], choice: ItemChoice, provenance: str) -> dict[str, Any]:
    """The checklist row an accepted or edited item writes."""
    edited = choice.decision == ReadingDecision.EDIT
    status = choice.status if edited and choice.status is not None else ClauseStatus(proposal["status"])
    section = choice.section if edited and choice.section is not None else evidence_sections(proposal)
    note = choice.note if edited and choice.note is not None else proposal.get("reason", "")
    return {
        "status": status,
        "section": section[:SECTION_LENGTH],
        "note": "\n".join(part for part in (note.strip(), provenance) if part)[:NOTE_LENGTH],
    }


def fact_value(name: str, reading: dict[str, Any], choice: FactChoice) -> Any:
    """The value an accepted or edited fact writes to the agreement (checked: 400 naming the fact)."""
    value = choice.value if choice.decision == ReadingDecision.EDIT else reading.get(FACT_SOURCES[name])
    if name == "sub_processor_authorisation":
        if value not in (SubProcessorAuthorisation.GENERAL, SubProcessorAuthorisation.SPECIFIC):
            raise InvalidReference(name, "the authorisation is general or specific")
        return SubProcessorAuthorisation(value)
    if name == "governing_law":
        text = str(value or "").strip()
        if len(text) > SECTION_LENGTH:
            raise InvalidReference(name, "at most 200 characters")
        return text
    limit = 8760 if name == "breach_notice_hours" else 3650
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit):
        raise InvalidReference(name, f"a whole number from 0 to {limit}, or nothing")
    return value


def governing_law_text(value: Any, language: str) -> Any:
    """A country code read in the DPA becomes the country's name, as the agreement records it."""
    if isinstance(value, str) and load_reference().is_known_country(value):
        return load_reference().country_name(value, language)
    return value


def check_confirmation(reading: dict[str, Any], confirmation: ReadingConfirmation) -> None:
    proposals = reading.get("items") or {}
    for item in confirmation.items:
        check_clause_item(item)
        if item not in proposals:
            raise InvalidReference("items", f"the reading proposes nothing for {item}")
    for name in confirmation.facts:
        if name not in FACT_SOURCES:
            raise InvalidReference("facts", f"{name!r} is not a fact a reading proposes ({', '.join(FACT_SOURCES)})")
    listed = len(reading.get("sub_processors") or ())
    for position in confirmation.sub_processors:
        if not 0 <= position < listed:
            raise InvalidReference("sub_processors", f"no proposed sub-processor at position {position}")


def decisions_record(
    confirmation: ReadingConfirmation, applied_items: dict[str, dict[str, Any]], facts: dict[str, Any],
    added: list[str], person: str, on: date,
) -> dict[str, Any]:
    items = {
        item: {"decision": choice.decision.value, **({
            "status": applied_items[item]["status"].value, "section": applied_items[item]["section"],
        } if item in applied_items else {})}
        for item, choice in confirmation.items.items()
    }
    return {
        "items": items,
        "facts": {
            name: {"decision": choice.decision.value, **({"value": _plain(facts[name])} if name in facts else {})}
            for name, choice in confirmation.facts.items()
        },
        "sub_processors_added": added,
        "confirmed_by": person,
        "confirmed_on": on.isoformat(),
    }


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, SubProcessorAuthorisation) else value


async def confirm_reading(
    organisation_id: int,
    processor_id: int,
    reading_id: int,
    confirmation: ReadingConfirmation,
    actor: str,
    *,
    person: str,
    language: str,
    on: date,
) -> StoredReading:
    """Apply the DPO's decisions on a reading (see the module's docstring); one transaction."""
    async with write_transaction(organisation_id):
        current = await load_reading(organisation_id, processor_id, reading_id)
        if current.status != ReadingStatus.PROPOSED:
            raise Conflict(f"reading {reading_id} was already {current.status.value} by {current.decided_by}")
        if current.version != confirmation.version:
            raise StaleVersion("reading", reading_id, confirmation.version, current.version)
        check_confirmation(current.reading, confirmation)
        provenance = provenance_note(current.file_name, person, on, language)
        proposals = current.reading["items"]
        applied = {
            item: clause_values(proposals[item], choice, provenance)
            for item, choice in confirmation.items.items()
            if choice.decision != ReadingDecision.REJECT
        }
        facts = {
            name: fact_value(name, current.reading, choice)
            for name, choice in confirmation.facts.items()
            if choice.decision != ReadingDecision.REJECT
        }
        if "governing_law" in facts:
            facts["governing_law"] = governing_law_text(facts["governing_law"], language)
        added = [current.reading["sub_processors"][i] for i in sorted(set(confirmation.sub_processors))]
        accepted_any = bool(applied or facts or added)
        record = decisions_record(confirmation, applied, facts, [s["name"] for s in added], person, on)
        await _decide(organisation_id, current, record, accepted_any, actor)
        if applied or facts:
            agreement_id = await _agreement_with(organisation_id, processor_id, facts, actor)
            await _write_clauses(organisation_id, agreement_id, applied, actor)
        for proposal in added:
            await _add_sub_processor(organisation_id, processor_id, proposal, actor)
    return await load_reading(organisation_id, processor_id, reading_id)


async def _decide(
    organisation_id: int, current: StoredReading, record: dict[str, Any], accepted_any: bool, actor: str
) -> None:
    """Mark the reading decided, if its version is still the one read (inside the UPDATE)."""
    status = ReadingStatus.CONFIRMED if accepted_any else ReadingStatus.REJECTED
    updated = (
        await DpaReading.update(
            {
                DpaReading.status: status.value,
                DpaReading.decisions: record,
                DpaReading.decided_by: actor,
                DpaReading.decided_at: datetime.now(timezone.utc),
                DpaReading.version: current.version + 1,
            }
        )
        .where((DpaReading.id == current.id) & (DpaReading.version == current.version))
        .returning(DpaReading.id)
    )
    if not updated:
        raise StaleVersion("reading", current.id, current.version, current.version + 1)
    await record_audit(
        organisation_id, actor, "dpa_reading", current.id, AuditAction.UPDATE,
        {"status": current.status.value}, {"status": status.value, "decisions": record},
    )


async def _agreement_with(organisation_id: int, processor_id: int, facts: dict[str, Any], actor: str) -> int:
    """The processor's agreement with the accepted facts written (created when none is recorded)."""
    await require_processor(organisation_id, processor_id)
    row = await Agreement.select(Agreement.id, Agreement.version).where(Agreement.processor == processor_id).first()
    if row is None:
        created = await insert_row(Agreement, {**facts, "processor": processor_id}, organisation_id, actor)
        return created["id"]
    if facts:
        await update_row(
            Agreement, Agreement.id == row["id"], f"of processor {processor_id}", facts, row["version"],
            organisation_id, actor,
        )
    return row["id"]


async def _write_clauses(
    organisation_id: int, agreement_id: int, applied: dict[str, dict[str, Any]], actor: str
) -> None:
    """Checklist rows, at the versions read inside this (serialised) transaction."""
    versions = {
        row["item"]: row["version"]
        for row in await ClauseAssessment.select(ClauseAssessment.item, ClauseAssessment.version).where(
            ClauseAssessment.agreement == agreement_id
        )
    }
    for item, values in applied.items():
        await _put_clause_row(organisation_id, agreement_id, item, values, versions.get(item), actor)


async def _add_sub_processor(organisation_id: int, processor_id: int, proposal: dict[str, Any], actor: str) -> None:
    """A sub-processor listed in the DPA's annex, unless one of that name is recorded already."""
    name = str(proposal.get("name") or "").strip()[:200]
    if not name:
        return
    existing = await SubProcessor.select(SubProcessor.name).where(SubProcessor.processor == processor_id)
    if any(row["name"].casefold() == name.casefold() for row in existing):
        return
    reference = load_reference()
    countries = [c for c in proposal.get("countries") or () if isinstance(c, str) and reference.is_known_country(c)]
    await insert_row(
        SubProcessor,
        {"processor": processor_id, "name": name, "countries": countries, "purpose": str(proposal.get("purpose") or "")[:20_000]},
        organisation_id, actor,
    )
