"""Rebuild an organisation's register from its audit trail (pure).

Every audited write records the row it wrote as a full after-image (field
names, ISO dates: :func:`register.store.records.snapshot`), so replaying an
organisation's events in order, up to a moment, gives its rows as they stood
at that moment. The database's own side effects, which write no event, are
replayed as the schema defines them:

- deleting a processor deletes its locations, sub-processors, safeguards,
  agreement and clause rows (``ON DELETE CASCADE``) and empties the
  ``registered_processor`` of the sub-processors that named it (``SET NULL``);
- deleting a sub-processor deletes the safeguards of its flow; deleting an
  agreement deletes its clause rows; deleting the organisation, everything.

Two kinds of events recorded before the history existed are incomplete, and
what they lack is listed in :attr:`RegisterRows.gaps` rather than guessed:

- a JSON import (``register import``, the demo) recorded only a summary; it
  now records every row it wrote (``after["register"]``);
- the first version of the spreadsheet import recorded each created processor
  with its locations, sub-processors, safeguards and agreement nested but
  without their ids: those rows are rebuilt with temporary negative ids, and
  the first later event naming the real row (which carries its before-image)
  replaces the temporary one. (The import now records one event per row.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

import msgspec

from register.compliance import model
from register.store.records import processors_from_rows

ORGANISATION = "organisation"
CHILD_ENTITIES = ("processor", "location", "sub_processor", "agreement", "clause_assessment", "safeguard")
REGISTER_ENTITIES = (ORGANISATION, *CHILD_ENTITIES)
# Keys of a bulk-created processor's after-image that hold its records, by entity.
NESTED = {"locations": "location", "sub_processors": "sub_processor", "safeguards": "safeguard"}
# What identifies a record of one processor when its id is unknown.
NATURAL_KEYS = {
    "location": ("country", "activity"),
    "sub_processor": ("name",),
    "safeguard": ("country", "mechanism"),
    "agreement": (),
}


@dataclass(frozen=True, slots=True)
class TrailEvent:
    """One audit event, as the store reads it."""

    id: int
    occurred_at: datetime
    actor: str
    entity: str
    entity_id: int | None
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(slots=True)
class RegisterRows:
    """An organisation's rows at one moment: entity → id → row (field names)."""

    organisation: dict[str, Any] | None = None
    tables: dict[str, dict[int, dict[str, Any]]] = field(
        default_factory=lambda: {entity: {} for entity in CHILD_ENTITIES}
    )
    gaps: list[TrailEvent] = field(default_factory=list)  # events that could not be fully replayed
    _next_temporary: int = -1

    def temporary_id(self) -> int:
        self._next_temporary -= 1
        return self._next_temporary + 1


def replay(events: Iterable[TrailEvent]) -> RegisterRows:
    """The rows left by ``events`` (in the order they were recorded)."""
    rows = RegisterRows()
    for event in events:
        apply_event(rows, event)
    return rows


def apply_event(rows: RegisterRows, event: TrailEvent) -> None:
    if event.entity == ORGANISATION:
        apply_organisation_event(rows, event)
    elif event.entity in CHILD_ENTITIES:
        if event.action in ("create", "update"):
            put_row(rows, event)
        elif event.action == "delete" and event.entity_id is not None:
            forget_temporary(rows, event.entity, event.before)
            delete_rows(rows, event.entity, {event.entity_id})
    # Other entities (members, procurement requests, an import's summary) are not the register.


def apply_organisation_event(rows: RegisterRows, event: TrailEvent) -> None:
    if event.action in ("create", "update") and event.after is not None:
        rows.organisation = dict(event.after)
    elif event.action == "delete":
        rows.organisation = None
        for table in rows.tables.values():
            table.clear()
    elif event.action == "import":
        written = (event.after or {}).get("register")
        if written is None:
            rows.gaps.append(event)
            return
        rows.organisation = dict(written[ORGANISATION])
        for entity in CHILD_ENTITIES:
            for row in written.get(entity, []):
                rows.tables[entity][row["id"]] = dict(row)


def put_row(rows: RegisterRows, event: TrailEvent) -> None:
    after = event.after
    if after is None:
        return
    nested = (*NESTED, "agreement", "import") if event.entity == "processor" else ()
    row = {key: value for key, value in after.items() if key not in nested}
    row_id = row.get("id", event.entity_id)
    if row_id is None:
        rows.gaps.append(event)
        return
    row["id"] = row_id
    if row_id not in rows.tables[event.entity]:
        forget_temporary(rows, event.entity, event.before or row)
    rows.tables[event.entity][row_id] = row
    if event.entity == "processor" and event.action == "create" and any(key in after for key in NESTED):
        put_nested_records(rows, row_id, after)


def put_nested_records(rows: RegisterRows, processor_id: int, after: dict[str, Any]) -> None:
    """A bulk-created processor's records, which its event holds without their ids."""
    sub_ids: dict[str, int] = {}
    for key in ("locations", "sub_processors", "safeguards"):
        entity = NESTED[key]
        for record in after.get(key) or []:
            if record is None:
                continue
            row = {k: v for k, v in record.items() if k != "sub"}
            row.update(id=rows.temporary_id(), processor=processor_id)
            if entity == "sub_processor":
                sub_ids[row["name"]] = row["id"]
            if entity == "safeguard":
                row["sub_processor_id"] = sub_ids.get(record.get("sub") or "")
            rows.tables[entity][row["id"]] = row
    agreement = after.get("agreement")
    if isinstance(agreement, dict):
        row = {**agreement, "id": rows.temporary_id(), "processor": processor_id}
        rows.tables["agreement"][row["id"]] = row


def forget_temporary(rows: RegisterRows, entity: str, known: dict[str, Any] | None) -> None:
    """Drop the temporary row that a row now known by its id stood for."""
    if known is None or entity not in NATURAL_KEYS:
        return
    keys = ("processor", *NATURAL_KEYS[entity])
    table = rows.tables[entity]
    for row_id, row in list(table.items()):
        if row_id < 0 and all(row.get(k) == known.get(k) for k in keys):
            del table[row_id]
            if entity == "sub_processor" and known.get("id") is not None:
                for safeguard in rows.tables["safeguard"].values():
                    if safeguard.get("sub_processor_id") == row_id:
                        safeguard["sub_processor_id"] = known["id"]
            return


def delete_rows(rows: RegisterRows, entity: str, ids: set[int]) -> None:
    """Delete rows and what the schema deletes or empties with them."""
    tables = rows.tables
    for row_id in ids:
        tables[entity].pop(row_id, None)
    if entity == "processor":
        for child in ("location", "sub_processor", "agreement", "safeguard"):
            owned = {i for i, row in tables[child].items() if row.get("processor") in ids}
            if owned:
                delete_rows(rows, child, owned)
        for sub in tables["sub_processor"].values():
            if sub.get("registered_processor_id") in ids:
                sub["registered_processor_id"] = None
    elif entity == "sub_processor":
        flows = {i for i, row in tables["safeguard"].items() if row.get("sub_processor_id") in ids}
        for row_id in flows:
            tables["safeguard"].pop(row_id)
    elif entity == "agreement":
        clauses = {i for i, row in tables["clause_assessment"].items() if row.get("agreement") in ids}
        for row_id in clauses:
            tables["clause_assessment"].pop(row_id)


# ------------------------------------------------------------------ to core values


def organisation_of(rows: RegisterRows) -> model.Organisation | None:
    if rows.organisation is None:
        return None
    return msgspec.convert(rows.organisation, model.Organisation)


NOTICE = "sub_processor_notice"
NOTICE_FIELDS = ("id", "received_on", "stated_notice_days", "stated_business_days", "status")


def pending_notices_at(
    notice_events: Iterable[TrailEvent], notice_rows: Iterable[dict[str, Any]]
) -> dict[int, list[dict[str, Any]]]:
    """The sub-processor change notices awaiting a decision after ``notice_events`` (the
    notices' audit events up to the moment, in order), by processor, oldest first.

    A notice's events hold its status and stated period but not its processor nor
    its date received, which never change: those come from ``notice_rows`` (the
    notices' rows as stored: ``id``, ``processor``, ``received_on``). A notice whose
    row is gone (its processor deleted since) is left out."""
    status: dict[int, dict[str, Any]] = {}
    for event in notice_events:
        if event.entity_id is None:
            continue
        if event.action == "delete":
            status.pop(event.entity_id, None)
        elif event.after is not None:
            status[event.entity_id] = event.after
    by_processor: dict[int, list[dict[str, Any]]] = {}
    for row in sorted(notice_rows, key=lambda row: (row["received_on"], row["id"])):
        after = status.get(row["id"])
        if after is None or after.get("status") != "pending":
            continue
        by_processor.setdefault(row["processor"], []).append({
            "id": row["id"],
            "received_on": row["received_on"],
            "stated_notice_days": after.get("stated_notice_days"),
            "stated_business_days": bool(after.get("stated_business_days")),
            "status": "pending",
        })
    return by_processor


def processors_of(
    rows: RegisterRows, pending_notices: dict[int, list[dict[str, Any]]] | None = None
) -> list[model.Processor]:
    """The register's processors as :func:`register.store.reads.load_register` returns them
    (with ``pending_notices``, by processor: :func:`pending_notices_at`)."""
    tables = rows.tables
    processors = sorted(tables["processor"].values(), key=lambda row: (row["legal_name"], row["id"]))
    agreement_owner = {row["id"]: row["processor"] for row in tables["agreement"].values()}
    return processors_from_rows(
        processors,
        grouped(tables["location"].values(), "processor"),
        grouped(tables["sub_processor"].values(), "processor"),
        {row["processor"]: row for row in tables["agreement"].values()},
        grouped(
            ({**row, "_processor": agreement_owner.get(row["agreement"])} for row in tables["clause_assessment"].values()),
            "_processor",
        ),
        grouped(tables["safeguard"].values(), "processor"),
        pending_notices,
    )


def grouped(rows: Iterable[dict[str, Any]], key: str) -> dict[int, list[dict[str, Any]]]:
    """Rows by owner, each list in id order (the order the store reads them in)."""
    owners: dict[int, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda row: row["id"]):
        owners.setdefault(row[key], []).append(row)
    return owners
