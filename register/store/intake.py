"""Applying a reviewed spreadsheet import (:class:`register.intake.Preview`) in one transaction.

Inside the transaction the preview's rows are replayed on the register as it
now is (:func:`register.intake.preview.replan`). If that gives another plan
than the one the user reviewed — a processor was created, changed or
deleted meanwhile in a way that touches the import — the commit is refused
with :class:`Conflict` (409) and nothing is written.

Processors the import creates are written in bulk (a few statements per
hundred processors, with one audit event each naming the import); those it
updates go through the store's usual audited writes (``update_row``,
``insert_row``: version checks included). One ``import`` audit event sums up.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

import msgspec
from piccolo.columns import JSON
from piccolo.columns.defaults.base import Default
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

from register.intake.model import ImportResult, Preview
from register.intake.preview import ImportRegister, Planned, replan
from register.store.errors import Conflict, NotFound
from register.store.reads import load_register, organisation_row
from register.store.records import snapshot, to_columns
from register.store.snapshots import organisation_revision
from register.store.writes import insert_row, record_audit, update_row, write_transaction
from register.tables import (
    Agreement,
    AuditEvent,
    ProcessingLocation,
    Processor,
    SubProcessor,
    TransferSafeguard,
)
from register.vocabulary import AuditAction

# Bound parameters per INSERT: under SQLite's (32,766) and PostgreSQL's (32,767) limits.
PARAMETERS_PER_STATEMENT = 30_000
IMPORT_ENTITY = "import"


async def load_register_for_import(organisation_id: int) -> ImportRegister:
    """The organisation's register and revision tag (NotFound if there is no such organisation)."""
    await organisation_row(organisation_id)
    revision = await organisation_revision(organisation_id)
    processors = await load_register(organisation_id)
    return ImportRegister(organisation_id, revision, tuple(processors))


async def apply_preview(preview: Preview, organisation_id: int, actor: str, import_name: str) -> ImportResult:
    """Write what ``preview`` showed, or nothing (Conflict when the register changed under it)."""
    if preview.organisation_id != organisation_id:
        raise NotFound("import preview of organisation", organisation_id)
    async with write_transaction(organisation_id):
        register = await load_register_for_import(organisation_id)
        plan = replan(preview, register)
        check_same_plan(preview, plan.rows)
        creates = [planned for planned in plan.planned.values() if planned.is_new]
        updates = [(plan.original[key], planned) for key, planned in plan.planned.items()
                   if not planned.is_new and key in plan.original]
        created = await create_processors(organisation_id, creates, actor, import_name)
        updated = [
            planned.processor_id for original, planned in updates
            if await update_processor(organisation_id, original, planned, actor)
        ]
        counts = preview.counts
        await record_audit(
            organisation_id, actor, IMPORT_ENTITY, None, AuditAction.IMPORT, None,
            {"name": import_name, "source": preview.source, "kind": preview.kind,
             "created": len(created), "updated": len(updated), "unchanged": counts.unchanged, "errors": counts.error},
        )
    return ImportResult(created=created, updated=[i for i in updated if i is not None],
                        unchanged=counts.unchanged, errors=counts.error)


def check_same_plan(preview: Preview, rows: Iterable[Any]) -> None:
    """Every row must do now what the preview said it would."""
    shown = [row for row in preview.rows if row.proposal is not None]
    for before, now in zip(shown, rows):
        if (before.action, before.processor_id, before.changes) != (now.action, now.processor_id, now.changes):
            raise Conflict(
                f"the register changed since the preview (sheet {before.sheet!r}, row {before.row}, "
                f"{before.label}: previewed {before.action}, now {now.action}); preview the file again"
            )


# ------------------------------------------------------------------ creating in bulk


async def insert_many(table: type[Table], rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` (field values; the others take the column's default) in a few
    multi-row INSERTs; their ids, in order.

    Written as one parameterised statement per batch rather than one Piccolo
    object per row: building 45,000 row objects took Piccolo about 11 s of
    the 5,000-processor commit (bench/import.py).
    """
    if not rows:
        return []
    columns = [column for column in table._meta.columns if not column._meta.primary_key]
    names = [column._meta.name for column in columns]
    defaults = [plain_value(column.get_default_value()) for column in columns]
    json_columns = {column._meta.name for column in columns if isinstance(column, JSON)}
    quoted = ", ".join(f'"{column._meta.db_column_name}"' for column in columns)
    row_placeholders = "(" + ", ".join(["{}"] * len(columns)) + ")"
    batch = max(1, PARAMETERS_PER_STATEMENT // len(columns))
    ids: list[int] = []
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        arguments: list[Any] = []
        for row in chunk:
            values = to_columns(row)
            for name, default in zip(names, defaults):
                value = values.get(name, default)
                if name in json_columns and value is not None and not isinstance(value, str):
                    value = msgspec.json.encode(value).decode()
                arguments.append(value)
        sql = (f'INSERT INTO "{table._meta.tablename}" ({quoted}) VALUES '
               + ", ".join([row_placeholders] * len(chunk)) + ' RETURNING "id"')
        inserted = await run_in_transaction(table, sql, arguments)
        if len(inserted) != len(chunk):
            raise Conflict(f"{len(chunk)} rows sent, {len(inserted)} inserted")
        ids += inserted
    return ids


async def run_in_transaction(table: type[Table], sql: str, arguments: list[Any]) -> list[Any]:
    """The first column of each row ``sql`` (``{}`` placeholders) returns, run on the
    current transaction's own connection: Piccolo's query string takes ~3 s to bind the
    150,000 values of a 5,000-processor import, the drivers a fraction of that."""
    engine = table._meta.db
    transaction = engine.current_transaction.get()
    if transaction is None:
        raise RuntimeError("run_in_transaction() needs write_transaction()")
    if isinstance(engine, SQLiteEngine):
        cursor = await transaction.connection.execute(sql.replace("{}", "?"), arguments)
        rows = await cursor.fetchall()
        await cursor.close()
    else:
        pieces = sql.split("{}")
        numbered = pieces[0] + "".join(f"${index}{piece}" for index, piece in enumerate(pieces[1:], start=1))
        rows = await transaction.connection.fetch(numbered, *arguments)
    return [next(iter(row.values())) if isinstance(row, dict) else row[0] for row in rows]


def plain_value(value: Any) -> Any:
    """A column default as a value: an enum's value, "now" as the current time."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Default):
        return value.python()
    return value


def processor_columns(planned: Planned, organisation_id: int) -> dict[str, Any]:
    return {**planned.fields, "organisation_id": organisation_id}


async def create_processors(
    organisation_id: int, creates: list[Planned], actor: str, import_name: str
) -> list[int]:
    if not creates:
        return []
    ids = await insert_many(Processor, [processor_columns(p, organisation_id) for p in creates])
    locations, subs, owners_of_subs = [], [], []
    for processor_id, planned in zip(ids, creates):
        locations += [location_columns(location, processor_id) for location in planned.locations]
        for sub in planned.subs:
            subs.append(sub_columns(sub, processor_id))
            owners_of_subs.append((processor_id, sub["name"]))
    await insert_many(ProcessingLocation, locations)
    sub_ids = dict(zip(owners_of_subs, await insert_many(SubProcessor, subs)))
    safeguards, agreements = [], []
    for processor_id, planned in zip(ids, creates):
        safeguards += [safeguard_columns(s, processor_id, sub_ids.get((processor_id, s["sub"]))) for s in planned.safeguards]
        if planned.agreement is not None:
            agreements.append(agreement_columns(planned.agreement, processor_id))
    await insert_many(TransferSafeguard, safeguards)
    await insert_many(Agreement, agreements)
    await insert_many(AuditEvent, [
        {"organisation_id": organisation_id, "actor": actor, "entity": "processor", "entity_id": processor_id,
         "action": AuditAction.CREATE.value, "before": None,
         "after": created_snapshot(processor_id, planned, import_name)}
        for processor_id, planned in zip(ids, creates)
    ])
    return ids


def created_snapshot(processor_id: int, planned: Planned, import_name: str) -> dict[str, Any]:
    def plain(records: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
        return [snapshot({k: v for k, v in record.items() if k not in ("id", "version")}) for record in records]

    return {
        **(snapshot({"id": processor_id, **planned.fields}) or {}),
        "locations": plain(planned.locations),
        "sub_processors": plain(planned.subs),
        "safeguards": plain(planned.safeguards),
        "agreement": plain([planned.agreement])[0] if planned.agreement else None,
        "import": import_name,
    }


def location_columns(location: dict[str, Any], processor_id: int) -> dict[str, Any]:
    return {"country": location["country"], "activity": location["activity"], "note": location["note"],
            "processor": processor_id}


def sub_columns(sub: dict[str, Any], processor_id: int) -> dict[str, Any]:
    return {"name": sub["name"], "countries": list(sub["countries"]), "purpose": sub["purpose"] or "",
            "flowdown": sub["flowdown"] or "unknown", "dpf_checked_on": sub["dpf_checked_on"],
            "processor": processor_id}


def safeguard_columns(safeguard: dict[str, Any], processor_id: int, sub_id: int | None) -> dict[str, Any]:
    return {"country": safeguard["country"], "mechanism": safeguard["mechanism"], "scc_module": safeguard["scc_module"],
            "signed_on": safeguard["signed_on"], "tia_on": safeguard["tia_on"], "sub_processor": sub_id,
            "processor": processor_id}


def agreement_columns(agreement: dict[str, Any], processor_id: int) -> dict[str, Any]:
    return {"signed_on": agreement["signed_on"], "ends_on": agreement["ends_on"],
            "reference": agreement["reference"] or "", "processor": processor_id}


# ------------------------------------------------------------------ updating, through the audited writes


async def update_processor(organisation_id: int, original: Planned, planned: Planned, actor: str) -> bool:
    """Write the differences between ``original`` and ``planned``; True if anything was written."""
    processor_id = planned.processor_id
    assert processor_id is not None and original.version is not None
    written = False
    condition = (Processor.id == processor_id) & (Processor.organisation == organisation_id)
    changed = {name: value for name, value in planned.fields.items() if original.fields.get(name) != value}
    if changed:
        await update_row(Processor, condition, processor_id, changed, original.version, organisation_id, actor)
        written = True
    for location in planned.locations:
        if location["id"] is None:
            await insert_row(ProcessingLocation, location_columns(location, processor_id), organisation_id, actor)
            written = True
    sub_ids = {sub["name"]: sub["id"] for sub in original.subs}
    before_subs = {sub["id"]: sub for sub in original.subs}
    for sub in planned.subs:
        if sub["id"] is None:
            row = await insert_row(SubProcessor, sub_columns(sub, processor_id), organisation_id, actor)
            sub_ids[sub["name"]] = row["id"]
            written = True
        elif sub != before_subs[sub["id"]]:
            values = {k: v for k, v in sub_columns(sub, processor_id).items() if k != "processor"}
            await update_row(SubProcessor, (SubProcessor.id == sub["id"]) & (SubProcessor.processor == processor_id),
                             sub["id"], values, sub["version"], organisation_id, actor)
            written = True
    before_safeguards = {s["id"]: s for s in original.safeguards}
    for safeguard in planned.safeguards:
        columns = safeguard_columns(safeguard, processor_id, sub_ids.get(safeguard["sub"]))
        if safeguard["id"] is None:
            await insert_row(TransferSafeguard, columns, organisation_id, actor)
            written = True
        elif safeguard != before_safeguards[safeguard["id"]]:
            values = {k: columns[k] for k in ("scc_module", "signed_on", "tia_on")}
            condition_safeguard = (TransferSafeguard.id == safeguard["id"]) & (TransferSafeguard.processor == processor_id)
            await update_row(TransferSafeguard, condition_safeguard, safeguard["id"], values, safeguard["version"],
                             organisation_id, actor)
            written = True
    if planned.agreement is not None and planned.agreement != original.agreement:
        columns = agreement_columns(planned.agreement, processor_id)
        if planned.agreement["id"] is None:
            await insert_row(Agreement, columns, organisation_id, actor)
        else:
            values = {k: columns[k] for k in ("signed_on", "ends_on", "reference")}
            await update_row(Agreement, Agreement.processor == processor_id, f"of processor {processor_id}",
                             values, planned.agreement["version"], organisation_id, actor)
        written = True
    return written
