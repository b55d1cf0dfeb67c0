"""What an import would do, row by row: a pure function of the sheet, the
mapping and the organisation's register.

Rows are replayed in order over a copy of the register (:class:`Planned`,
one per processor key): the first row of a key absent from the register
creates it, any row that changes something is an update, the others are
unchanged. The same replay, run again inside the commit's transaction on
the register as it then is, must give the same plan (else the commit is
refused: the register changed since the preview); its final states are what
the commit writes.

An import adds and updates, it never deletes: an empty cell leaves the
register's value, a list (purposes, locations, sub-processors, transfer
tools) gains the items it lacks. So re-importing the same file changes
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

import msgspec

from register.compliance import model
from register.intake.cnil import cnil_records
from register.intake.fields import DATE, FIELDS, LIST
from register.i18n import N_
from register.i18n.validation import field_of, reason_message, reason_of
from register.intake.model import (
    NAME_AND_COUNTRY,
    CellError,
    cell_problem,
    problem,
    AgreementProposal,
    ColumnMapping,
    Counts,
    FieldChange,
    IntakeError,
    Preview,
    PreviewRow,
    Problem,
    ProcessorProposal,
    Workbook,
)
from register.intake.rows import ReadRow, read_mapped_rows
from register.intake.names import legal_name_key as name_key  # "Acme SAS" is "acme"
from register.intake.values import fold
from register.schemas import AgreementInput, LocationInput, ProcessorInput, SafeguardInput, SubProcessorInput


@dataclass(frozen=True, slots=True)
class ImportRegister:
    """The organisation's register as the preview compares rows with it."""

    organisation_id: int
    revision: int
    processors: tuple[model.Processor, ...]


# ------------------------------------------------------------------ keys


def website_key(url: str) -> str:
    text = fold(re.sub(r"^https?://(www\.)?", "", url.strip().lower()).rstrip("/"))
    return text


def key_of(field_name: str, value: Any) -> str:
    if value in (None, ""):
        return ""
    if field_name == "legal_name" or field_name == "trade_name":
        return name_key(str(value))
    if field_name == "website":
        return website_key(str(value))
    if field_name == "id":
        return str(value)
    return fold(str(value))


# ------------------------------------------------------------------ planned state of one processor


@dataclass(slots=True)
class Planned:
    """One processor as the import would leave it (existing, or to be created)."""

    processor_id: int | None
    version: int | None
    fields: dict[str, Any]
    locations: list[dict[str, Any]] = field(default_factory=list)  # country, activity, note, id, version
    subs: list[dict[str, Any]] = field(default_factory=list)  # name, countries, purpose, flowdown, dpf_checked_on, id, version
    safeguards: list[dict[str, Any]] = field(default_factory=list)  # country, mechanism, sub, scc_module, signed_on, tia_on, id, version
    agreement: dict[str, Any] | None = None  # signed_on, ends_on, reference, id, version
    created_here: bool = False  # created by an earlier row of this import

    @property
    def is_new(self) -> bool:
        return self.processor_id is None

    def copy(self) -> "Planned":
        """A copy a row can change (values are replaced, never changed in place)."""
        return Planned(
            self.processor_id, self.version, dict(self.fields),
            [dict(location) for location in self.locations], [dict(sub) for sub in self.subs],
            [dict(safeguard) for safeguard in self.safeguards],
            None if self.agreement is None else dict(self.agreement), self.created_here,
        )


PROCESSOR_FIELDS = tuple(name for name in ProcessorInput.__struct_fields__)


def planned_of(processor: model.Processor) -> Planned:
    subs_by_id = {sub.id: sub.name for sub in processor.sub_processors}
    agreement = processor.agreement
    return Planned(
        processor_id=processor.id,
        version=processor.version,
        fields={name: _plain(getattr(processor, name)) for name in PROCESSOR_FIELDS},
        locations=[{"country": l.country, "activity": str(l.activity), "note": l.note, "id": l.id, "version": l.version}
                   for l in processor.locations],
        subs=[{"name": s.name, "countries": list(s.countries), "purpose": s.purpose, "flowdown": str(s.flowdown),
               "dpf_checked_on": s.dpf_checked_on, "id": s.id, "version": s.version} for s in processor.sub_processors],
        safeguards=[{"country": g.country, "mechanism": str(g.mechanism), "sub": subs_by_id.get(g.sub_processor_id),
                     "scc_module": g.scc_module, "signed_on": g.signed_on, "tia_on": g.tia_on, "id": g.id,
                     "version": g.version} for g in processor.safeguards],
        agreement=None if agreement is None else {
            "signed_on": agreement.signed_on, "ends_on": agreement.ends_on, "reference": agreement.reference,
            "id": agreement.id, "version": agreement.version,
        },
    )


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "value") and not isinstance(value, (date, datetime)):
        return value.value  # an enum
    return value


def describe(value: Any) -> Any:
    """A value as the preview shows it (JSON-friendly)."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


# ------------------------------------------------------------------ one row over a planned processor


def replay(planned: Planned, proposal: ProcessorProposal) -> list[FieldChange]:
    """Apply one row's proposal to ``planned`` and return what it changed."""
    changes: list[FieldChange] = []
    for name, value in proposal.fields.items():
        if name == "id" or value is None or value == "" or value == []:
            continue
        if FIELDS[name].kind == DATE and isinstance(value, str):
            value = date.fromisoformat(value)  # a preview reloaded from JSON
        old = planned.fields.get(name)
        if name == "legal_name" and old and name_key(old) == name_key(value):
            continue  # the same name spelt otherwise ("ACME" / "Acme SAS"): the register's stays
        if FIELDS[name].kind == LIST:
            new = list(old or []) + [item for item in value if item not in (old or [])]
        else:
            new = value
        if new != old:
            changes.append(FieldChange(name, describe(old), describe(new)))
            planned.fields[name] = new
    for location in proposal.locations:
        if not any(l["country"] == location.country and l["activity"] == location.activity for l in planned.locations):
            planned.locations.append({"country": location.country, "activity": location.activity, "note": location.note,
                                      "id": None, "version": None})
            changes.append(FieldChange("location", None, _location_text(location.country, location.activity, location.note)))
    for sub in proposal.sub_processors:
        changes += _replay_sub(planned, sub)
    for safeguard in proposal.safeguards:
        changes += _replay_safeguard(planned, safeguard)
    if proposal.agreement is not None:
        changes += _replay_agreement(planned, proposal.agreement)
    return changes


def _location_text(country: str, activity: str, note: str) -> str:
    return f"{country} ({activity})" + (f" — {note}" if note else "")


def _replay_sub(planned: Planned, sub: Any) -> list[FieldChange]:
    for existing in planned.subs:
        if name_key(existing["name"]) == name_key(sub.name):
            changes = []
            countries = existing["countries"] + [c for c in sub.countries if c not in existing["countries"]]
            for name, new in (("countries", countries), ("purpose", sub.purpose), ("flowdown", sub.flowdown),
                              ("dpf_checked_on", sub.dpf_checked_on)):
                if new not in (None, "") and new != existing[name]:
                    changes.append(FieldChange(f"sub_processor.{existing['name']}.{name}", describe(existing[name]), describe(new)))
                    existing[name] = new
            return changes
    planned.subs.append({"name": sub.name, "countries": list(sub.countries), "purpose": sub.purpose or "",
                         "flowdown": sub.flowdown or "unknown", "dpf_checked_on": sub.dpf_checked_on,
                         "id": None, "version": None})
    return [FieldChange("sub_processor", None, sub.name + (f" ({', '.join(sub.countries)})" if sub.countries else ""))]


def _replay_safeguard(planned: Planned, safeguard: Any) -> list[FieldChange]:
    sub = None
    if safeguard.sub_processor:
        sub = next((s["name"] for s in planned.subs if name_key(s["name"]) == name_key(safeguard.sub_processor)), None)
        if sub is None:
            raise CellError(N_("the transfer tool names the sub-processor “%(value)s”, which the processor does not have"),
                            value=safeguard.sub_processor)
    for existing in planned.safeguards:
        if (existing["sub"], existing["country"], existing["mechanism"]) == (sub, safeguard.country, safeguard.mechanism):
            changes = []
            for name in ("scc_module", "signed_on", "tia_on"):
                new = getattr(safeguard, name)
                if new is not None and new != existing[name]:
                    label = f"safeguard.{safeguard.country}.{safeguard.mechanism}.{name}"
                    changes.append(FieldChange(label, describe(existing[name]), describe(new)))
                    existing[name] = new
            return changes
    planned.safeguards.append({"country": safeguard.country, "mechanism": safeguard.mechanism, "sub": sub,
                               "scc_module": safeguard.scc_module, "signed_on": safeguard.signed_on,
                               "tia_on": safeguard.tia_on, "id": None, "version": None})
    text = f"{safeguard.mechanism} → {safeguard.country}" + (f" ({sub})" if sub else "")
    if safeguard.signed_on:
        text += f", {safeguard.signed_on.isoformat()}"
    return [FieldChange("safeguard", None, text)]


def _replay_agreement(planned: Planned, agreement: AgreementProposal) -> list[FieldChange]:
    proposed = {"signed_on": agreement.signed_on, "ends_on": agreement.ends_on, "reference": agreement.reference}
    if planned.agreement is None:
        planned.agreement = {**proposed, "id": None, "version": None}
        return [FieldChange("agreement", None, {k: describe(v) for k, v in proposed.items() if v not in (None, "")})]
    changes = []
    for name, new in proposed.items():
        if new not in (None, "") and new != planned.agreement[name]:
            changes.append(FieldChange(f"agreement.{name}", describe(planned.agreement[name]), describe(new)))
            planned.agreement[name] = new
    return changes


# The import's field (its column, its label) a refused value of each input struct is about.
LOCATION_FIELDS = {"country": "locations", "activity": "locations", "note": "locations"}
SUB_PROCESSOR_FIELDS = dict.fromkeys(("name", "countries", "purpose", "flowdown", "dpf_checked_on"), "sub_processors")
SAFEGUARD_FIELDS = {"country": "transfer_country", "mechanism": "transfer_mechanism", "scc_module": "scc_module",
                    "signed_on": "transfer_signed_on", "tia_on": "transfer_signed_on"}
AGREEMENT_FIELDS = {"signed_on": "dpa_signed_on", "ends_on": "dpa_ends_on", "reference": "dpa_reference"}


def check_planned(planned: Planned) -> None:
    """The register's own validation (the API's input structs) on the planned processor;
    a refusal is a :class:`CellError` naming the import's field, in the register's words."""
    _check(ProcessorInput, {k: v for k, v in planned.fields.items() if k in PROCESSOR_FIELDS}, {})
    for location in planned.locations:
        _check(LocationInput, {k: location[k] for k in LOCATION_FIELDS}, LOCATION_FIELDS)
    for sub in planned.subs:
        _check(SubProcessorInput, {k: sub[k] for k in SUB_PROCESSOR_FIELDS}, SUB_PROCESSOR_FIELDS)
    for safeguard in planned.safeguards:
        _check(SafeguardInput, {k: safeguard[k] for k in SAFEGUARD_FIELDS}, SAFEGUARD_FIELDS)
    if planned.agreement is not None:
        _check(AgreementInput, {k: planned.agreement[k] for k in AGREEMENT_FIELDS}, AGREEMENT_FIELDS)


def _check(struct_type: type, values: dict[str, Any], import_fields: dict[str, str]) -> None:
    try:
        msgspec.convert(values, struct_type)
    except msgspec.ValidationError as error:
        raise refused_value(str(error), import_fields) from None


def refused_value(message: str, import_fields: dict[str, str]) -> CellError:
    """A struct's English refusal as the import's problem: the field it is about and the
    reason in the register's words (French or English where it is shown)."""
    name, detail = field_of(message)
    field_name = import_fields.get(name, name if name in FIELDS else "")
    reason = reason_of(detail)
    about = {"field": field_name} if field_name else {}  # where the problem is: "ligne 4, Site web : …"
    if reason is None:  # a check the register's words do not name: which field, not msgspec's English
        return CellError(N_("the register refuses this value"), **about)
    key, values = reason
    bound = {"n": values["n"]} if "n" in values else {}  # the only value the reasons' texts show
    return CellError(reason_message(key), **bound, **about)


# ------------------------------------------------------------------ the plan


@dataclass(slots=True)
class Plan:
    rows: list[PreviewRow]
    planned: dict[str, Planned]  # by key: every processor the import creates or touches
    original: dict[str, Planned]  # by key: the register's state before the import (existing ones)


class RegisterIndex:
    """The register's processors by the mapping's key."""

    def __init__(self, register: ImportRegister, mapping: ColumnMapping) -> None:
        self.mapping = mapping
        self.by_key: dict[str, list[model.Processor]] = {}
        self.by_name: dict[str, list[model.Processor]] = {}
        for processor in register.processors:
            self.by_name.setdefault(name_key(processor.legal_name), []).append(processor)
            for key in self.keys_of_processor(processor):
                self.by_key.setdefault(key, []).append(processor)

    def keys_of_processor(self, processor: model.Processor) -> list[str]:
        key = self.mapping.key
        if key == NAME_AND_COUNTRY:
            return [f"{name_key(processor.legal_name)}|{processor.headquarters_country or ''}"]
        if key == "id":
            return [str(processor.id)]
        if key == "dpa_reference":
            return [key_of(key, processor.agreement.reference)] if processor.agreement else []
        return [key_of(key, getattr(processor, key))]

    def row_key(self, proposal: ProcessorProposal) -> str:
        fields = proposal.fields
        key = self.mapping.key
        if key == NAME_AND_COUNTRY:
            return f"{name_key(fields.get('legal_name') or '')}|{fields.get('headquarters_country') or ''}"
        if key == "dpa_reference":
            return key_of(key, proposal.agreement.reference if proposal.agreement else "")
        return key_of(key, fields.get(key))

    def find(self, key: str, proposal: ProcessorProposal) -> model.Processor | None:
        """The processor a row updates; ValueError when several could be meant."""
        found = self.by_key.get(key, [])
        if not found and self.mapping.key == NAME_AND_COUNTRY and not proposal.fields.get("headquarters_country"):
            # The row does not say the country: the name alone decides, when it is unique.
            found = self.by_name.get(name_key(proposal.fields.get("legal_name") or ""), [])
        if len(found) > 1:
            raise CellError(
                N_("%(count)s processors of the register match “%(value)s”: map the headquarters country, "
                   "or pick a key column that tells them apart"),
                count=len(found), value=proposal.fields.get("legal_name") or "",
            )
        return found[0] if found else None


def plan_rows(reads: Iterable[ReadRow], mapping: ColumnMapping, register: ImportRegister) -> Plan:
    index = RegisterIndex(register, mapping)
    planned: dict[str, Planned] = {}
    original: dict[str, Planned] = {}
    aliases: dict[str, str] = {}
    rows: list[PreviewRow] = []
    for read in reads:
        rows.append(plan_row(read, index, planned, original, aliases))
    return Plan(rows, planned, original)


def plan_row(
    read: ReadRow, index: RegisterIndex, planned: dict[str, Planned], original: dict[str, Planned],
    aliases: dict[str, str],
) -> PreviewRow:
    """One row replayed over ``planned``: by processor ("#id") for those of the register (two
    row keys may reach one, e.g. with and without its country), by row key for new ones."""
    base = {"sheet": read.sheet, "row": read.row, "label": read.label}
    if read.problems:
        return PreviewRow(**base, action="error", key="", problems=read.problems + read.warnings, proposal=read.proposal)
    key = index.row_key(read.proposal)
    if not key:
        empty_key = problem("key_missing", N_("the key column is empty"), sheet=read.sheet, row=read.row,
                            field=index.mapping.key if index.mapping.key != NAME_AND_COUNTRY else "legal_name")
        return PreviewRow(**base, action="error", key="", problems=[empty_key], proposal=read.proposal)
    try:
        planned_key = aliases.get(key)
        if planned_key is None:
            existing = index.find(key, read.proposal)
            if existing is None and index.mapping.key == "id":
                raise CellError(N_("no processor %(value)s in this register (the key is the processor's id)"), value=key)
            planned_key = key if existing is None else f"#{existing.id}"
            if planned_key not in planned:
                target = planned_of(existing) if existing is not None else Planned(None, None, {})
            else:
                target = planned[planned_key]
        else:
            target = planned[planned_key]
        trial = target.copy()
        changes = replay(trial, read.proposal)
        if changes:  # unchanged, it is the register's own (valid) state
            check_planned(trial)
    except ValueError as error:
        refused = cell_problem(error, "row_invalid", sheet=read.sheet, row=read.row)
        return PreviewRow(**base, action="error", key=key, problems=[refused] + read.warnings, proposal=read.proposal)
    aliases[key] = planned_key
    if planned_key not in planned and not target.is_new:
        original[planned_key] = target.copy()
    if trial.is_new and not target.created_here:
        action = "create"
        trial.created_here = True
    elif changes:
        action = "update"
    else:
        action = "unchanged"
    planned[planned_key] = trial
    return PreviewRow(**base, action=action, key=key, processor_id=trial.processor_id,  # type: ignore[arg-type]
                      processor_version=trial.version, changes=changes, problems=read.warnings,
                      proposal=read.proposal)


def read_rows(workbook: Workbook, mapping: ColumnMapping) -> tuple[list[ReadRow], list[Problem]]:
    if mapping.kind == "cnil":
        records, notes = cnil_records(workbook)
        return [ReadRow(r.sheet, r.row, r.name, r.proposal, r.problems, r.warnings) for r in records], notes
    return read_mapped_rows(workbook, mapping), []


def count(rows: list[PreviewRow]) -> Counts:
    tally = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
    for row in rows:
        tally[row.action] += 1
    return Counts(**tally)


def build_preview(
    workbook: Workbook, mapping: ColumnMapping, register: ImportRegister, *, now: datetime | None = None
) -> Preview:
    """Row by row, what importing ``workbook`` through ``mapping`` would do to ``register``."""
    from register.intake.fields import check_mapping

    check_mapping(mapping)
    reads, notes = read_rows(workbook, mapping)
    if not reads:
        raise IntakeError("empty", N_("the sheet has no row to import under its headers"), sheet=mapping.sheet or None)
    plan = plan_rows(reads, mapping, register)
    return Preview(
        organisation_id=register.organisation_id,
        source=workbook.filename,
        kind=mapping.kind,
        mapping=mapping,
        register_revision=register.revision,
        rows=plan.rows,
        counts=count(plan.rows),
        notes=list(workbook.notes) + notes,
        created_at=now or datetime.now(timezone.utc),
    )


def replan(preview: Preview, register: ImportRegister) -> Plan:
    """The preview's rows replayed on ``register`` (the commit's check and its final states)."""
    reads = [
        ReadRow(row.sheet, row.row, row.label, row.proposal,
                [p for p in row.problems if row.action == "error"], [p for p in row.problems if row.action != "error"])
        for row in preview.rows
        if row.proposal is not None
    ]
    return plan_rows(reads, preview.mapping, register)
