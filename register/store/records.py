"""Conversions between database rows and the core's plain values.

Columns and dataclass fields share their names; the few exceptions (foreign
keys, which Piccolo names after the referenced table) are listed here once.
Rows become dataclasses through ``msgspec.convert``, which builds a whole
register (hundreds of thousands of nested records) in C, enums and tuples
included.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

import msgspec

from register.compliance import model
from register.store.errors import InvalidReference

T = TypeVar("T")

# dataclass field -> column, where they differ
FIELD_TO_COLUMN = {
    "organisation_id": "organisation",
    "registered_processor_id": "registered_processor",
    "sub_processor_id": "sub_processor",
}
COLUMN_TO_FIELD = {column: field for field, column in FIELD_TO_COLUMN.items()}
# JSON array columns, stored as text on SQLite and PostgreSQL alike
JSON_LIST_COLUMNS = {
    "certifications", "data_categories", "data_subject_categories", "purposes", "countries",
}


def field_names(row: dict[str, Any]) -> dict[str, Any]:
    """A row keyed by dataclass field names, with JSON array columns decoded."""
    values = {}
    for column, value in row.items():
        if column in JSON_LIST_COLUMNS and isinstance(value, str):
            value = msgspec.json.decode(value)
        values[COLUMN_TO_FIELD.get(column, column)] = value
    return values


def from_row(cls: type[T], row: dict[str, Any]) -> T:
    """Build dataclass ``cls`` from one row."""
    return msgspec.convert(field_names(row), cls)


def to_columns(values: dict[str, Any]) -> dict[str, Any]:
    """API field names -> column names, enums to their values, tuples to lists."""
    columns: dict[str, Any] = {}
    for name, value in values.items():
        refuse_nul(name, value)
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, tuple):
            value = list(value)
        columns[FIELD_TO_COLUMN.get(name, name)] = value
    return columns


def refuse_nul(name: str, value: Any) -> None:
    """The last guard before the database: PostgreSQL cannot store NUL, so neither engine does."""
    texts = value if isinstance(value, (list, tuple)) else (value,)
    if any(isinstance(text, str) and "\x00" in text for text in texts):
        raise InvalidReference(name, "the text contains a NUL character (U+0000), which cannot be stored")


def snapshot(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """A JSON-ready copy of a row for the audit trail (field names, ISO dates)."""
    if row is None:
        return None
    return {key: _jsonable(value) for key, value in field_names(row).items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def processors_from_rows(
    processor_rows: list[dict[str, Any]],
    locations_of: dict[int, list[dict[str, Any]]],
    sub_processors_of: dict[int, list[dict[str, Any]]],
    agreement_of: dict[int, dict[str, Any]],
    clauses_of: dict[int, list[dict[str, Any]]],
    safeguards_of: dict[int, list[dict[str, Any]]],
    pending_notices_of: dict[int, list[dict[str, Any]]] | None = None,
    library_link_of: dict[int, dict[str, Any]] | None = None,
) -> list[model.Processor]:
    """Nest each processor's records under it, then convert all in one call."""
    documents = []
    for row in processor_rows:
        processor_id = row["id"]
        document = field_names(row)
        document["locations"] = locations_of.get(processor_id, [])
        document["sub_processors"] = [field_names(r) for r in sub_processors_of.get(processor_id, [])]
        document["safeguards"] = [field_names(r) for r in safeguards_of.get(processor_id, [])]
        agreement = agreement_of.get(processor_id)
        if agreement is not None:
            agreement = {**agreement, "clauses": clauses_of.get(processor_id, [])}
        document["agreement"] = agreement
        document["pending_notices"] = [
            {key: value for key, value in notice.items() if key != "processor"}
            for notice in (pending_notices_of or {}).get(processor_id, [])
        ]
        link = (library_link_of or {}).get(processor_id)
        document["library_link"] = None if link is None else {k: v for k, v in link.items() if k != "processor"}
        documents.append(document)
    return msgspec.convert(documents, list[model.Processor])
