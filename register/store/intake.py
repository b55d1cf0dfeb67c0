"""Applying a reviewed spreadsheet import (:class:`register.intake.Preview`) in one transaction.

Inside the transaction the preview's rows are replayed on the register as it
now is (:func:`register.intake.preview.replan`). If that gives another plan
than the one the user reviewed — a processor was created, changed or
deleted meanwhile in a way that touches the import — the commit is refused
with :class:`Conflict` (409) and nothing is written.

The writes are made in bulk, on the transaction's own connection (the
store's row-at-a-time writes took ~20 ms per processor: 100 s for 5,000;
bench/import.py): multi-row INSERTs for what is created, one UPDATE per
changed row, grouped, with its version in the WHERE (a row at another
version is a Conflict). The audit trail is the one ``insert_row`` and
``update_row`` keep — one event per row created or updated (processor,
location, sub-processor, safeguard, agreement) with the row before and after
— inserted together, plus one ``import`` event naming the import, its file
and the processors it created and updated (which also gives the
organisation its new revision tag).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import datetime, timezone
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
from register.store.records import FIELD_TO_COLUMN, snapshot, to_columns
from register.store.snapshots import organisation_revision
from register.store.writes import ENTITY_NAMES, record_audit, write_transaction
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
        trail = AuditTrail(organisation_id, actor)
        created = await create_processors(organisation_id, creates, trail)
        updated = await update_processors(updates, trail)
        await insert_many(AuditEvent, trail.events, by_column=True)
        counts = preview.counts
        await record_audit(
            organisation_id, actor, IMPORT_ENTITY, None, AuditAction.IMPORT, None,
            {"name": import_name, "source": preview.source, "kind": preview.kind,
             "created": len(created), "updated": len(updated), "unchanged": counts.unchanged, "errors": counts.error,
             "created_processors": created, "updated_processors": updated},
        )
    return ImportResult(created=created, updated=updated, unchanged=counts.unchanged, errors=counts.error)


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


async def insert_many(table: type[Table], rows: list[dict[str, Any]], *, by_column: bool = False) -> list[dict[str, Any]]:
    """Insert ``rows`` (field values; the others take the column's default) in a few
    multi-row INSERTs; the rows as stored (every column, by column name, ``id`` included), in order.
    ``by_column``: the rows are already by column name and plain (the audit events), as they go.

    Written as one parameterised statement per batch rather than one Piccolo
    object per row: building 45,000 row objects took Piccolo about 11 s of
    the 5,000-processor commit (bench/import.py).
    """
    if not rows:
        return []
    columns = [column for column in table._meta.columns if not column._meta.primary_key]
    names = [column._meta.name for column in columns]
    defaults = {column._meta.name: plain_value(column.get_default_value()) for column in columns}
    json_columns = {column._meta.name for column in columns if isinstance(column, JSON)}
    quoted = ", ".join(f'"{column._meta.db_column_name}"' for column in columns)
    row_placeholders = "(" + ", ".join(["{}"] * len(columns)) + ")"
    batch = max(1, PARAMETERS_PER_STATEMENT // len(columns))
    stored = [{**defaults, **(row if by_column else columns_of(table, row))} for row in rows]
    for start in range(0, len(stored), batch):
        chunk = stored[start:start + batch]
        arguments = [stored_value(row[name], name in json_columns) for row in chunk for name in names]
        sql = (f'INSERT INTO "{table._meta.tablename}" ({quoted}) VALUES '
               + ", ".join([row_placeholders] * len(chunk)) + ' RETURNING "id"')
        inserted = await run_in_transaction(table, sql, arguments)
        if len(inserted) != len(chunk):
            raise Conflict(f"{len(chunk)} rows sent, {len(inserted)} inserted")
        for row, row_id in zip(chunk, inserted):
            row["id"] = row_id
    return stored


def columns_of(table: type[Table], row: dict[str, Any]) -> dict[str, Any]:
    """``to_columns`` for ``table``: a field named like one of its columns keeps its name
    (the audit table's ``organisation_id`` is a column, not the organisation foreign key)."""
    columns = to_columns(row)
    for field, column in kept_field_names(table):
        if field in row:
            columns[field] = columns.pop(column)
    return columns


@functools.cache
def kept_field_names(table: type[Table]) -> tuple[tuple[str, str], ...]:
    names = {column._meta.name for column in table._meta.columns}
    return tuple((field, column) for field, column in FIELD_TO_COLUMN.items() if field in names and column not in names)


class AuditTrail:
    """The audit events of an import, one per row written as ``insert_row`` and ``update_row``
    record them (entity, id, the row before and after), inserted together at the end."""

    def __init__(self, organisation_id: int, actor: str) -> None:
        self.organisation_id = organisation_id
        self.actor = actor
        self.events: list[dict[str, Any]] = []

    def record(self, table: type[Table], action: AuditAction, before: dict[str, Any] | None,
               after: dict[str, Any] | None) -> None:
        self.events.append({
            "organisation_id": self.organisation_id, "actor": self.actor, "entity": ENTITY_NAMES[table],
            "entity_id": (after or before or {}).get("id"), "action": action.value,
            "before": snapshot(before), "after": snapshot(after),
        })

    async def insert(self, table: type[Table], rows: list[dict[str, Any]]) -> list[int]:
        """Insert ``rows`` in bulk and record their creation; their ids."""
        stored = await insert_many(table, rows)
        for row in stored:
            self.record(table, AuditAction.CREATE, None, row)
        return [row["id"] for row in stored]

    async def update(self, table: type[Table], updates: list[tuple[int, int, dict[str, Any]]]) -> None:
        """Update rows in bulk (see :func:`update_many`) and record each before and after."""
        if not updates:
            return
        before = {row["id"]: row for row in await select_rows(table, [row_id for row_id, _, _ in updates])}
        for row_id, version, _ in updates:
            if row_id not in before or before[row_id]["version"] != version:
                raise Conflict(f"{ENTITY_NAMES[table]} {row_id} was changed meanwhile; preview the file again")
        written = await update_many(table, updates)
        for row_id, version, values in updates:
            after = {**before[row_id], **to_columns(values), **written}
            after["version"] = version + 1
            self.record(table, AuditAction.UPDATE, before[row_id], after)


async def select_rows(table: type[Table], ids: list[int]) -> list[dict[str, Any]]:
    """The rows of ``ids``, JSON columns decoded (as ``update_row`` reads them)."""
    rows: list[dict[str, Any]] = []
    for start in range(0, len(ids), 10_000):
        rows += await table.select().where(table.id.is_in(ids[start:start + 10_000])).output(load_json=True)
    return rows


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
        rows = await transaction.connection.fetch(numbered_placeholders(sql), *arguments)
    return [next(iter(row.values())) if isinstance(row, dict) else row[0] for row in rows]


def stored_value(value: Any, is_json: bool) -> Any:
    """A value as the driver binds it (JSON columns as their text, as Piccolo stores them)."""
    if is_json and value is not None and not isinstance(value, str):
        return msgspec.json.encode(value).decode()
    return value


def plain_value(value: Any) -> Any:
    """A column default as a value: an enum's value, "now" as the current time."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Default):
        return value.python()
    return value


def processor_columns(planned: Planned, organisation_id: int) -> dict[str, Any]:
    return {**planned.fields, "organisation_id": organisation_id}


async def create_processors(organisation_id: int, creates: list[Planned], trail: AuditTrail) -> list[int]:
    if not creates:
        return []
    ids = await trail.insert(Processor, [processor_columns(p, organisation_id) for p in creates])
    locations, subs, owners_of_subs = [], [], []
    for processor_id, planned in zip(ids, creates):
        locations += [location_columns(location, processor_id) for location in planned.locations]
        for sub in planned.subs:
            subs.append(sub_columns(sub, processor_id))
            owners_of_subs.append((processor_id, sub["name"]))
    await trail.insert(ProcessingLocation, locations)
    sub_ids = dict(zip(owners_of_subs, await trail.insert(SubProcessor, subs)))
    safeguards, agreements = [], []
    for processor_id, planned in zip(ids, creates):
        safeguards += [safeguard_columns(s, processor_id, sub_ids.get((processor_id, s["sub"]))) for s in planned.safeguards]
        if planned.agreement is not None:
            agreements.append(agreement_columns(planned.agreement, processor_id))
    await trail.insert(TransferSafeguard, safeguards)
    await trail.insert(Agreement, agreements)
    return ids


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


# ------------------------------------------------------------------ updating in bulk


async def update_many(table: type[Table], updates: list[tuple[int, int, dict[str, Any]]]) -> dict[str, Any]:
    """``(id, version read, field values)``: each row updated if still at that version, its version
    bumped (and ``updated_at`` set where the table has it). Rows changing the same columns share
    one statement run with ``executemany`` on the transaction's connection (one round trip per
    group, where a statement per row cost a thread hop each on SQLite). Inside
    ``write_transaction`` nothing else writes to the organisation's register; the version in
    the WHERE still guards, and a row count short of the updates is a Conflict (SQLite reports it;
    asyncpg's executemany does not)."""
    if not updates:
        return {}
    json_columns = {column._meta.name for column in table._meta.columns if isinstance(column, JSON)}
    timestamped = "updated_at" in {column._meta.name for column in table._meta.columns}
    now = datetime.now(timezone.utc)
    groups: dict[tuple[str, ...], list[list[Any]]] = {}
    for row_id, version, values in updates:
        columns = to_columns(values)
        arguments = [stored_value(value, name in json_columns) for name, value in columns.items()]
        arguments += [version + 1] + ([now] if timestamped else []) + [row_id, version]
        groups.setdefault(tuple(columns), []).append(arguments)
    for names, rows in groups.items():
        assignments = [f'"{name}" = {{}}' for name in names] + ['"version" = {}']
        if timestamped:
            assignments.append('"updated_at" = {}')
        sql = f'UPDATE "{table._meta.tablename}" SET {", ".join(assignments)} WHERE "id" = {{}} AND "version" = {{}}'
        changed = await execute_many(table, sql, rows)
        if changed is not None and changed != len(rows):
            raise Conflict(f"{ENTITY_NAMES[table]}: {len(rows) - changed} row(s) changed meanwhile; preview the file again")
    return {"updated_at": now} if timestamped else {}


async def execute_many(table: type[Table], sql: str, rows: list[list[Any]]) -> int | None:
    """Run ``sql`` (``{}`` placeholders) once per row on the transaction's connection; the rows
    it changed when the driver says (SQLite), else None."""
    engine = table._meta.db
    transaction = engine.current_transaction.get()
    if transaction is None:
        raise RuntimeError("execute_many() needs write_transaction()")
    if isinstance(engine, SQLiteEngine):
        cursor = await transaction.connection.executemany(sql.replace("{}", "?"), rows)
        changed = cursor.rowcount
        await cursor.close()
        return changed
    await transaction.connection.executemany(numbered_placeholders(sql), rows)
    return None


def numbered_placeholders(sql: str) -> str:
    """``{}`` placeholders as PostgreSQL's ``$1, $2, …``."""
    pieces = sql.split("{}")
    return pieces[0] + "".join(f"${index}{piece}" for index, piece in enumerate(pieces[1:], start=1))


CHILDREN = ("locations", "subs", "safeguards", "agreement")


def changed_names(original: Planned, planned: Planned) -> list[str]:
    """The fields and children an import changes."""
    fields = [name for name, value in planned.fields.items() if original.fields.get(name) != value]
    return fields + [name for name in CHILDREN if getattr(original, name) != getattr(planned, name)]


SUB_FIELDS = ("countries", "purpose", "flowdown", "dpf_checked_on")
SAFEGUARD_FIELDS = ("scc_module", "signed_on", "tia_on")
AGREEMENT_FIELDS = ("signed_on", "ends_on", "reference")


async def update_processors(pairs: list[tuple[Planned, Planned]], trail: AuditTrail) -> list[int]:
    """Write the differences between each ``(original, planned)`` pair in bulk; the ids of the
    processors written."""
    processors, subs, safeguards, agreements = [], [], [], []
    new_locations, new_subs, new_sub_owners, new_agreements = [], [], [], []
    pending_safeguards: list[tuple[dict[str, Any], int]] = []
    sub_ids: dict[tuple[int, str], int] = {}
    updated = []
    for original, planned in pairs:
        processor_id = planned.processor_id
        assert processor_id is not None and original.version is not None
        if not changed_names(original, planned):
            continue
        updated.append(processor_id)
        changed = {name: value for name, value in planned.fields.items() if original.fields.get(name) != value}
        if changed:
            processors.append((processor_id, original.version, changed))
        new_locations += [location_columns(l, processor_id) for l in planned.locations if l["id"] is None]
        before_subs = {sub["id"]: sub for sub in original.subs}
        for sub in planned.subs:
            if sub["id"] is None:
                new_subs.append(sub_columns(sub, processor_id))
                new_sub_owners.append((processor_id, sub["name"]))
            else:
                sub_ids[(processor_id, sub["name"])] = sub["id"]
                if sub != before_subs[sub["id"]]:
                    subs.append((sub["id"], sub["version"], {name: sub[name] for name in SUB_FIELDS}))
        before_safeguards = {safeguard["id"]: safeguard for safeguard in original.safeguards}
        for safeguard in planned.safeguards:
            if safeguard["id"] is None:
                pending_safeguards.append((safeguard, processor_id))
            elif safeguard != before_safeguards[safeguard["id"]]:
                safeguards.append((safeguard["id"], safeguard["version"],
                                   {name: safeguard[name] for name in SAFEGUARD_FIELDS}))
        if planned.agreement is not None and planned.agreement != original.agreement:
            if planned.agreement["id"] is None:
                new_agreements.append(agreement_columns(planned.agreement, processor_id))
            else:
                values = {name: planned.agreement[name] or ("" if name == "reference" else None)
                          for name in AGREEMENT_FIELDS}
                agreements.append((planned.agreement["id"], planned.agreement["version"], values))
    await trail.update(Processor, processors)
    await trail.update(SubProcessor, subs)
    await trail.update(TransferSafeguard, safeguards)
    await trail.update(Agreement, agreements)
    await trail.insert(ProcessingLocation, new_locations)
    sub_ids.update(zip(new_sub_owners, await trail.insert(SubProcessor, new_subs)))
    await trail.insert(TransferSafeguard, [
        safeguard_columns(safeguard, processor_id, sub_ids.get((processor_id, safeguard["sub"])) if safeguard["sub"] else None)
        for safeguard, processor_id in pending_safeguards
    ])
    await trail.insert(Agreement, new_agreements)
    return updated
