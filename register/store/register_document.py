"""A whole register as one JSON document built by the database, decoded in one call.

Loading 5,000 processors with everything they own is ~125,000 rows. Through
the ORM each row becomes a Python dict (with a Python converter per column),
then a dataclass: most of a second. Here the database nests every processor's
records in the statement itself, and ``msgspec`` decodes the text straight into
the core's frozen dataclasses in C. The statements are generated from the
dataclasses' fields and the Piccolo tables, so a new column reaches them with
no edit here. Lists are ordered by id, processors by legal name then id, as
the ORM's queries order them.

- SQLite: each record is written once by ``json_object`` and the lists and
  objects are joined as text (``group_concat``), so SQLite never parses its own
  output again (nesting ``json()`` calls re-parsed every record at each level:
  twice as slow). SQLite keeps booleans as 0/1, dates and timestamps as ISO
  text: the lax decoding (``strict=False``) turns them into the declared types.
- PostgreSQL: ``to_json`` of each row and ``json_agg`` of each list (no limit
  on the number of columns, unlike ``json_build_object``'s 100 arguments).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from typing import Any

import msgspec
from piccolo.columns import JSON
from piccolo.querystring import QueryString
from piccolo.table import Table

from register.compliance import model
from register.compliance.assessment import collector_paused
from register.store.records import FIELD_TO_COLUMN
from register.tables import (
    Agreement,
    ClauseAssessment,
    LibraryLink,
    LibraryVendor,
    ProcessingLocation,
    Processor,
    SubProcessor,
    SubProcessorNotice,
    TransferSafeguard,
)
from register.vocabulary import NoticeStatus

# Dataclass fields that are nested records, not columns: (child table, its model).
NESTED_LISTS = {
    "locations": (ProcessingLocation, model.Location),
    "sub_processors": (SubProcessor, model.SubProcessor),
    "safeguards": (TransferSafeguard, model.Safeguard),
}
# The sub-processor change notices awaiting a decision (only the fields the
# rules need: never the notice's rows), oldest first.
PENDING_NOTICES = "pending_notices"
PENDING_NOTICE_FILTER = f'"status" = \'{NoticeStatus.PENDING.value}\''
PENDING_NOTICE_ORDER = ("received_on", "id")
# The processor's link to the firm's vendor library (at most one): only what
# LIBRARY_CHANGE_PENDING needs, the vendor's name and latest version joined in.
LIBRARY_LINK = "library_link"
LIBRARY_LINK_FIELDS = (
    ("vendor_id", 'l."vendor"'),
    ("vendor_name", 'v."legal_name"'),
    ("accepted_version", 'l."accepted_version"'),
    ("vendor_version", 'v."version"'),
    ("dismissed_version", 'l."dismissed_version"'),
)


def _library_link_from(parent: str) -> str:
    return (
        f'FROM "{LibraryLink._meta.tablename}" l JOIN "{LibraryVendor._meta.tablename}" v ON v."id" = l."vendor" '
        f'WHERE l."processor" = {parent}."id"'
    )


def _stored_fields(table: type[Table], cls: type) -> list[tuple[str, Any]]:
    """(dataclass field, column) for each field of ``cls`` stored as a column of ``table``."""
    columns = {column._meta.db_column_name: column for column in table._meta.columns}
    pairs = []
    for field in dataclasses.fields(cls):
        column = columns.get(FIELD_TO_COLUMN.get(field.name, field.name))
        if column is not None:
            pairs.append((field.name, column))
    return pairs


# ------------------------------------------------------------------ SQLite


def _sqlite_object(table: type[Table], cls: type, alias: str) -> str:
    """``json_object(...)`` of one row's stored fields."""
    pairs = []
    for name, column in _stored_fields(table, cls):
        expression = f'{alias}."{column._meta.db_column_name}"'
        if isinstance(column, JSON):  # stored as JSON text: embed it as JSON
            expression = f"json({expression})"
        pairs.append(f"'{name}', {expression}")
    return f"json_object({', '.join(pairs)})"


def _sqlite_with_members(object_sql: str, members: list[tuple[str, str]]) -> str:
    """The object's text with more members appended, each given as JSON text:
    ``{...}`` minus its closing brace, then ``,"name":value`` for each, then ``}``."""
    tail = " || ".join(f"',\"{name}\":' || {value}" for name, value in members)
    return f"substr({object_sql}, 1, length({object_sql}) - 1) || {tail} || '}}'"


def _sqlite_array(objects_sql: str) -> str:
    """A JSON array (text) of the objects a subquery yields as ``o``, in its order."""
    return f"(SELECT '[' || coalesce(group_concat(o, ','), '') || ']' FROM ({objects_sql}))"


def _sqlite_children(
    table: type[Table], cls: type, foreign_key: str, parent: str, condition: str = "", order: tuple[str, ...] = ("id",)
) -> str:
    where = f" AND c.{condition}" if condition else ""
    order_by = ", ".join(f'c."{column}"' for column in order)
    return _sqlite_array(
        f'SELECT {_sqlite_object(table, cls, "c")} AS o FROM "{table._meta.tablename}" c '
        f'WHERE c."{foreign_key}" = {parent}."id"{where} ORDER BY {order_by}'
    )


def _only_if_notified(parent: str, children: str, empty: str) -> str:
    """``children`` for a processor with a pending notice, ``empty`` for the others. The
    ``IN`` list is uncorrelated: the database builds it once (SQLite an ephemeral index,
    PostgreSQL a hashed subplan), so a processor without a notice — nearly all — costs one
    look-up instead of a correlated subquery."""
    notified = (
        f'SELECT "processor" FROM "{SubProcessorNotice._meta.tablename}" WHERE {PENDING_NOTICE_FILTER}'
    )
    return f'(CASE WHEN {parent}."id" IN ({notified}) THEN {children} ELSE {empty} END)'


def _sqlite_pending_notices() -> str:
    children = _sqlite_children(
        SubProcessorNotice, model.ChangeNotice, "processor", "p", PENDING_NOTICE_FILTER, PENDING_NOTICE_ORDER
    )
    return _only_if_notified("p", children, "'[]'")


def _sqlite_library_link() -> str:
    pairs = ", ".join(f"'{name}', {expression}" for name, expression in LIBRARY_LINK_FIELDS)
    return f"coalesce((SELECT json_object({pairs}) {_library_link_from('p')}), 'null')"


@functools.cache
def _sqlite_rows_prefix() -> str:
    clauses = _sqlite_children(ClauseAssessment, model.ClauseAssessment, "agreement", "a")
    agreement = (
        f"coalesce((SELECT {_sqlite_with_members('a.o', [('clauses', clauses)])} FROM "
        f"(SELECT {_sqlite_object(Agreement, model.Agreement, 'a')} AS o, a.\"id\" AS id "
        f'FROM "{Agreement._meta.tablename}" a WHERE a."processor" = p."id") a), \'null\')'
    )
    members = [
        (name, _sqlite_children(table, cls, "processor", "p")) for name, (table, cls) in NESTED_LISTS.items()
    ]
    members.append(("agreement", agreement))
    members.append((PENDING_NOTICES, _sqlite_pending_notices()))
    members.append((LIBRARY_LINK, _sqlite_library_link()))
    return (
        f"SELECT p.\"id\" AS id, {_sqlite_with_members('p.o', members)} AS processor FROM "
        f"(SELECT {_sqlite_object(Processor, model.Processor, 'p')} AS o, p.\"id\" AS id, "
        f'p."legal_name" AS legal_name FROM "{Processor._meta.tablename}" p WHERE p."id" IN '
    )


def sqlite_processor_rows_statement(processor_ids_sql: str) -> str:
    """One row per processor whose id the subquery yields: its id and its JSON
    object (text) with all it owns, ordered by legal name then id."""
    return f'{_sqlite_rows_prefix()}({processor_ids_sql})) p ORDER BY p."legal_name", p."id"'


def sqlite_register_statement(processor_ids_sql: str) -> str:
    """The same processors as one JSON array (text)."""
    rows = sqlite_processor_rows_statement(processor_ids_sql)
    return f"SELECT '[' || coalesce(group_concat(processor, ','), '') || ']' FROM ({rows})"


# -------------------------------------------------------------- PostgreSQL


def _postgres_row(table: type[Table], cls: type, alias: str, extra: list[tuple[str, str]] = ()) -> str:
    """``SELECT`` list naming each stored field (and ``extra`` expressions) as the dataclass does."""
    pairs = [
        f'{alias}."{column._meta.db_column_name}" AS "{name}"' for name, column in _stored_fields(table, cls)
    ]
    pairs += [f'{value} AS "{name}"' for name, value in extra]
    return ", ".join(pairs)


def _postgres_children(
    table: type[Table], cls: type, foreign_key: str, parent: str, condition: str = "", order: tuple[str, ...] = ("id",)
) -> str:
    where = f" AND c.{condition}" if condition else ""
    order_by = ", ".join(f'r."{column}"' for column in order)
    return (
        f"(SELECT coalesce(json_agg(to_json(r) ORDER BY {order_by}), '[]'::json) FROM "
        f'(SELECT {_postgres_row(table, cls, "c")} FROM "{table._meta.tablename}" c '
        f'WHERE c."{foreign_key}" = {parent}."id"{where}) r)'
    )


def _postgres_library_link() -> str:
    pairs = ", ".join(f'{expression} AS "{name}"' for name, expression in LIBRARY_LINK_FIELDS)
    return f"(SELECT to_json(r) FROM (SELECT {pairs} {_library_link_from('p')}) r)"


@functools.cache
def _postgres_rows() -> str:
    """The processors' rows (``r``), from ``FROM`` on, up to the ids' subquery."""
    clauses = _postgres_children(ClauseAssessment, model.ClauseAssessment, "agreement", "a")
    agreement = (
        f"(SELECT to_json(r) FROM (SELECT {_postgres_row(Agreement, model.Agreement, 'a', [('clauses', clauses)])} "
        f'FROM "{Agreement._meta.tablename}" a WHERE a."processor" = p."id") r)'
    )
    nested = [(name, _postgres_children(table, cls, "processor", "p")) for name, (table, cls) in NESTED_LISTS.items()]
    nested.append(("agreement", agreement))
    pending = _postgres_children(
        SubProcessorNotice, model.ChangeNotice, "processor", "p", PENDING_NOTICE_FILTER, PENDING_NOTICE_ORDER
    )
    nested.append((PENDING_NOTICES, _only_if_notified("p", pending, "'[]'::json")))
    nested.append((LIBRARY_LINK, _postgres_library_link()))
    return (
        f"FROM (SELECT {_postgres_row(Processor, model.Processor, 'p', nested)} "
        f'FROM "{Processor._meta.tablename}" p WHERE p."id" IN '
    )


def postgres_register_statement(processor_ids: QueryString) -> QueryString:
    """The same document as :func:`sqlite_register_statement`, by PostgreSQL."""
    return QueryString(
        "SELECT coalesce(json_agg(to_json(r) ORDER BY r.\"legal_name\", r.\"id\"), '[]'::json)::text "
        f"{_postgres_rows()}({{}})) r",
        processor_ids,
    )


def postgres_processor_rows_statement(processor_ids: QueryString) -> QueryString:
    """The same rows as :func:`sqlite_processor_rows_statement`, by PostgreSQL."""
    return QueryString(
        f'SELECT r."id" AS id, to_json(r)::text AS processor {_postgres_rows()}({{}})) r '
        'ORDER BY r."legal_name", r."id"',
        processor_ids,
    )


# ------------------------------------------------------------------ common


def processor_ids_query(processor_condition: Any) -> QueryString:
    """The ids of the processors matching a Piccolo condition, as a subquery."""
    return Processor.select(Processor.id).where(processor_condition).querystrings[0]


_PROCESSOR = msgspec.json.Decoder(model.Processor, strict=False)


def decode_processors(
    rows: list[tuple[int, str]], earlier_texts: Mapping[int, str], earlier: Mapping[int, model.Processor]
) -> list[model.Processor]:
    """The processors of ``rows`` (id, JSON text); where ``earlier_texts`` holds the
    very same text for an id, the processor ``earlier`` holds is reused as it is (a change
    anywhere in what a processor owns changes its text), so a register read
    again after one write decodes one processor, and the compliance core can
    tell unchanged processors by identity
    (:func:`register.compliance.assessment.reassess_register`)."""
    processors = []
    with collector_paused():
        for pid, text in rows:
            if earlier_texts.get(pid) == text:
                processors.append(earlier[pid])
            else:
                processors.append(_PROCESSOR.decode(text))
    return processors


def decode_register(document: str | bytes | None) -> list[model.Processor]:
    """The processors of a document, with the cyclic garbage collector paused
    (:func:`register.compliance.assessment.collector_paused`): decoding 5,000
    processors allocates ~125,000 objects, and the collections their allocation
    triggered took half the decoding time."""
    if not document:
        return []
    with collector_paused():
        return msgspec.json.decode(document, type=list[model.Processor], strict=False)
