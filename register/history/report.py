"""What changed between two moments: the audit events as a person reads them (pure).

:func:`changes_between` replays the trail up to the end of the period (so
each change is told with the names the register held at the time, e.g. the
processor a deleted location belonged to) and keeps the events inside the
period. :func:`worded_changes` words them in a language: field labels and
vocabulary values translated, dates in the language's form, countries by
name, references to other records by their names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

from register.history.replay import CHILD_ENTITIES, ORGANISATION, RegisterRows, TrailEvent, apply_event
from register.i18n.dates import prose_date
from register.i18n.terms import has_term, term
from register.reference import load_reference

# Bookkeeping columns that are not facts of the register.
NOT_FACTS = frozenset({
    "id", "version", "created_at", "updated_at", "revision", "processor", "agreement", "organisation_id",
})
# field → vocabulary key prefix of its values (see register.i18n.terms.VOCABULARY_KEY_PREFIXES)
VOCABULARY_FIELDS = {
    "category": "category",
    "role": "role",
    "prospection_use": "prospection",
    "activity": "activity",
    "flowdown": "tristate",
    "sub_processor_authorisation": "authorisation",
    "mechanism": "mechanism",
}
STATUS_VOCABULARY = {"processor": "status", "clause_assessment": "clause_status"}
# What a bulk-created processor's after-image nests (see register.history.replay).
NESTED_KEYS = frozenset({"locations", "sub_processors", "safeguards", "agreement", "import"})
COUNTRY_FIELDS = frozenset({"country", "headquarters_country"})
DATE_SUFFIX = "_on"


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class Change:
    """One audited change of the register, with the names it needs to be told."""

    occurred_at: datetime
    actor: str
    entity: str
    action: str
    processor: str  # the processor concerned ("" for the organisation)
    subject: str  # the record itself, when it is not the processor (a country, a name, an item)
    fields: tuple[FieldChange, ...]


# Fields that name another record by id: told by that record's name.
REFERENCE_FIELDS = {"registered_processor_id": ("processor", "legal_name"), "sub_processor_id": ("sub_processor", "name")}


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """The fields an audit event changed (every field for a creation or deletion);
    an import's copy of every row it wrote (``register``) is not a field."""
    before, after = before or {}, after or {}
    ignored = {"version", "updated_at", "created_at", "register"}
    return sorted(
        key for key in set(before) | set(after) if key not in ignored and before.get(key) != after.get(key)
    )


def is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False


def fact_changes(event: TrailEvent, named_before: dict[str, str], after_rows: RegisterRows) -> tuple[FieldChange, ...]:
    """Changed facts; a creation lists what it filled in, a deletion nothing (its subject says it).
    References to other records are replaced by their names (``named_before``: the names
    the old references had just before the event; the new ones are read just after)."""
    if event.action in ("delete", "import"):
        return ()
    before, after = event.before or {}, event.after or {}
    names = [name for name in changed_fields(event.before, event.after) if name not in NOT_FACTS]
    if event.action == "create":
        names = [
            name for name in names
            if not is_blank(after.get(name)) and not isinstance(after.get(name), dict) and name not in NESTED_KEYS
        ]
    found = []
    for name in names:
        old, new = before.get(name), after.get(name)
        if name in REFERENCE_FIELDS:
            entity, label = REFERENCE_FIELDS[name]
            old = named_before.get(name, f"#{old}") if old is not None else None
            row = after_rows.tables[entity].get(new) if new is not None else None
            new = (row or {}).get(label, f"#{new}") if new is not None else None
        found.append(FieldChange(name, old, new))
    return tuple(found)


def subject_of(rows: RegisterRows, event: TrailEvent) -> tuple[str, str]:
    """(processor name, subject) of an event, read in the register as it stood just before it."""
    record = event.after or event.before or {}
    if event.entity == ORGANISATION:
        return "", record.get("name", "")
    if event.entity == "processor":
        return record.get("legal_name", ""), ""
    processor_id = record.get("processor")
    if event.entity == "clause_assessment":
        agreement = rows.tables["agreement"].get(record.get("agreement"))
        processor_id = agreement.get("processor") if agreement else None
    processor = rows.tables["processor"].get(processor_id) if processor_id is not None else None
    name = processor.get("legal_name", "") if processor else ""
    if event.entity == "sub_processor":
        return name, record.get("name", "")
    if event.entity == "clause_assessment":
        return name, record.get("item", "")
    if event.entity in ("location", "safeguard"):
        return name, record.get("country", "")
    return name, ""


def referenced_names(rows: RegisterRows, record: dict[str, Any] | None) -> dict[str, str]:
    """The names of the records ``record`` refers to, as they are in ``rows``."""
    named = {}
    for field, (entity, label) in REFERENCE_FIELDS.items():
        target = rows.tables[entity].get((record or {}).get(field))
        if target is not None:
            named[field] = target.get(label, "")
    return named


def changes_between(events: Iterable[TrailEvent], since: datetime, until: datetime) -> list[Change]:
    """The changes recorded in [since, until], oldest first; ``events`` are the trail up to ``until``."""
    rows = RegisterRows()
    found: list[Change] = []
    for event in events:
        if event.occurred_at > until:
            break
        if event.occurred_at < since or not (event.entity == ORGANISATION or event.entity in CHILD_ENTITIES):
            apply_event(rows, event)
            continue
        processor, subject = subject_of(rows, event)
        named_before = referenced_names(rows, event.before)
        apply_event(rows, event)
        if not processor:  # a record created with its processor (bulk) is found once applied
            processor = subject_of(rows, event)[0]
        found.append(Change(
            occurred_at=event.occurred_at,
            actor=event.actor,
            entity=event.entity,
            action=event.action,
            processor=processor,
            subject=subject,
            fields=fact_changes(event, named_before, rows),
        ))
    return found


# ------------------------------------------------------------------ wording


@dataclass(frozen=True, slots=True)
class WordedField:
    label: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class WordedChange:
    occurred_at: datetime
    actor: str
    what: str  # "Sub-processor" / "Sous-traitant ultérieur"
    action: str  # "Created" / "Créé"
    processor: str
    subject: str
    fields: tuple[WordedField, ...]


def field_label(field: str, language: str) -> str:
    key = f"field.{field}"
    return term(key, language) if has_term(key) else field.replace("_", " ")


def worded_value(change: Change, field: str, value: Any, language: str) -> str:
    """A value as the register's pages show it, in ``language``."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return term("value.yes" if value else "value.no", language)
    prefix = STATUS_VOCABULARY.get(change.entity) if field == "status" else VOCABULARY_FIELDS.get(field)
    if prefix and has_term(f"{prefix}.{value}"):
        return term(f"{prefix}.{value}", language)
    if field in COUNTRY_FIELDS and isinstance(value, str):
        return load_reference().country_name(value, language)
    if field == "countries" and isinstance(value, list):
        return ", ".join(load_reference().country_name(code, language) for code in value)
    if field == "sub_processor_id" and isinstance(value, int):
        return f"#{value}"
    if field == "item" and isinstance(value, str):
        return article_28_item(value, language)
    if field.endswith(DATE_SUFFIX) and isinstance(value, str):
        try:
            return prose_date(date.fromisoformat(value), language)
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def article_28_item(item: str, language: str) -> str:
    for known in load_reference().art28_items:
        if known.id == item:
            return known.provision_in(language)
    return item


def worded_changes(changes: Iterable[Change], language: str) -> list[WordedChange]:
    worded = []
    for change in changes:
        subject = change.subject
        if change.entity in ("location", "safeguard") and subject:
            subject = load_reference().country_name(subject, language)
        elif change.entity == "clause_assessment" and subject:
            subject = article_28_item(subject, language)
        worded.append(WordedChange(
            occurred_at=change.occurred_at,
            actor=change.actor,
            what=term(f"entity.{change.entity}", language),
            action=term(f"audit_action.{change.action}", language),
            processor=change.processor,
            subject=subject,
            fields=tuple(
                WordedField(
                    field_label(f.field, language),
                    worded_value(change, f.field, f.before, language) if change.action != "create" else "",
                    worded_value(change, f.field, f.after, language),
                )
                for f in change.fields
            ),
        ))
    return worded
