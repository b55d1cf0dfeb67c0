"""A whole register as one JSON document built by SQLite, decoded in one call.

Loading 5,000 processors with everything they own is ~125,000 rows. Through
the ORM each row becomes a Python dict (with a Python converter per column),
then a dataclass: most of a second. Here SQLite's JSON functions nest every
processor's records in the statement itself (``json_object`` per row,
``json_group_array`` per list, rows in the same order as the ORM's queries),
and ``msgspec`` decodes the text straight into the core's frozen dataclasses
in C. The statement is generated from the dataclasses' fields and the Piccolo
tables, so a new column reaches it with no edit here.

SQLite keeps booleans as 0/1, dates and timestamps as ISO text: the lax
decoding (``strict=False``) turns them into the declared types.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import msgspec
from piccolo.columns import JSON
from piccolo.table import Table

from register.compliance import model
from register.store.records import FIELD_TO_COLUMN
from register.tables import (
    Agreement,
    ClauseAssessment,
    ProcessingLocation,
    Processor,
    SubProcessor,
    TransferSafeguard,
)

# Dataclass fields that are nested records, not columns: (child table, its model,
# ordering column) — lists ordered by id, as the ORM path orders them.
NESTED_LISTS = {
    "locations": (ProcessingLocation, model.Location),
    "sub_processors": (SubProcessor, model.SubProcessor),
    "safeguards": (TransferSafeguard, model.Safeguard),
}


def _column_pairs(table: type[Table], cls: type, alias: str) -> list[str]:
    """``'field', alias.column`` for each dataclass field stored as a column of ``table``."""
    columns = {column._meta.db_column_name: column for column in table._meta.columns}
    pairs = []
    for field in dataclasses.fields(cls):
        column = columns.get(FIELD_TO_COLUMN.get(field.name, field.name))
        if column is None:
            continue
        expression = f'{alias}."{column._meta.db_column_name}"'
        if isinstance(column, JSON):  # stored as JSON text: embed it as JSON
            expression = f"json({expression})"
        pairs.append(f"'{field.name}', {expression}")
    return pairs


def _array_of(select_objects: str) -> str:
    """A JSON array of the objects a subquery yields, in its order ('[]' when none)."""
    return f"(SELECT json_group_array(json(object)) FROM ({select_objects}))"


def _child_list(table: type[Table], cls: type, parent: str) -> str:
    tablename = table._meta.tablename
    pairs = ", ".join(_column_pairs(table, cls, "c"))
    return _array_of(
        f'SELECT json_object({pairs}) AS object FROM "{tablename}" c '
        f'WHERE c."processor" = {parent}."id" ORDER BY c."id"'
    )


def _agreement(parent: str) -> str:
    """The processor's agreement with its clause rows, or null."""
    clauses = _array_of(
        "SELECT json_object({pairs}) AS object FROM \"{table}\" k WHERE k.\"agreement\" = a.\"id\" ORDER BY k.\"id\"".format(
            pairs=", ".join(_column_pairs(ClauseAssessment, model.ClauseAssessment, "k")),
            table=ClauseAssessment._meta.tablename,
        )
    )
    pairs = ", ".join([*_column_pairs(Agreement, model.Agreement, "a"), f"'clauses', json({clauses})"])
    return (
        f'json((SELECT json_object({pairs}) FROM "{Agreement._meta.tablename}" a '
        f'WHERE a."processor" = {parent}."id"))'
    )


@functools.cache
def register_statement_prefix() -> str:
    """The statement, up to the condition choosing the processors (``p``)."""
    pairs = _column_pairs(Processor, model.Processor, "p")
    for field, (table, cls) in NESTED_LISTS.items():
        pairs.append(f"'{field}', json({_child_list(table, cls, 'p')})")
    pairs.append(f"'agreement', {_agreement('p')}")
    return (
        f"SELECT json_group_array(json(object)) FROM (SELECT json_object({', '.join(pairs)}) AS object "
        f'FROM "{Processor._meta.tablename}" p WHERE p."id" IN '
    )


def register_statement(processor_ids_sql: str) -> str:
    """Every processor whose id the subquery ``processor_ids_sql`` yields, with all it
    owns, as one JSON array ordered by legal name then id."""
    return f'{register_statement_prefix()}({processor_ids_sql}) ORDER BY p."legal_name", p."id")'


def decode_register(document: str | bytes | None) -> list[model.Processor]:
    if not document:
        return []
    return msgspec.json.decode(document, type=list[model.Processor], strict=False)


def processor_ids_query(processor_condition: Any) -> tuple[str, list[Any]]:
    """The SQL and arguments of the ids of the processors matching a Piccolo condition."""
    query = Processor.select(Processor.id).where(processor_condition)
    return query.querystrings[0].compile_string(engine_type="sqlite")
