"""Conversions between database rows and the core's plain values.

Columns and dataclass fields share their names; the few exceptions (foreign
keys, which Piccolo names after the referenced table) are listed here once.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any

from register.compliance import model

# dataclass field -> column, where they differ
FIELD_TO_COLUMN = {
    "organisation_id": "organisation",
    "registered_processor_id": "registered_processor",
    "sub_processor_id": "sub_processor",
}
COLUMN_TO_FIELD = {column: field for field, column in FIELD_TO_COLUMN.items()}


@cache
def _field_types(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _plain_type(annotation: Any) -> Any:
    """``X | None`` -> ``X``; other annotations unchanged."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return members[0] if len(members) == 1 else annotation
    return annotation


def _coerce(annotation: Any, value: Any) -> Any:
    if value is None:
        return None
    target = _plain_type(annotation)
    if typing.get_origin(target) is tuple:
        if isinstance(value, str):
            value = json.loads(value)
        return tuple(value)
    if isinstance(target, type):
        if issubclass(target, Enum):
            return target(value)
        if target is bool:
            return bool(value)
        if target is date and isinstance(value, str):
            return date.fromisoformat(value)
    return value


def from_row(cls: type, row: dict[str, Any], **nested: Any) -> Any:
    """Build dataclass ``cls`` from a row; ``nested`` supplies owned records."""
    values: dict[str, Any] = {}
    hints = _field_types(cls)
    for field in dataclasses.fields(cls):
        if field.name in nested:
            values[field.name] = nested[field.name]
            continue
        column = FIELD_TO_COLUMN.get(field.name, field.name)
        if column in row:
            values[field.name] = _coerce(hints[field.name], row[column])
    return cls(**values)


def to_columns(values: dict[str, Any]) -> dict[str, Any]:
    """API field names -> column names, enums to their values, tuples to lists."""
    columns: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, tuple):
            value = list(value)
        columns[FIELD_TO_COLUMN.get(name, name)] = value
    return columns


def snapshot(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """A JSON-ready copy of a row for the audit trail (field names, ISO dates)."""
    if row is None:
        return None
    return {COLUMN_TO_FIELD.get(key, key): _jsonable(value) for key, value in row.items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def processor_from_rows(
    row: dict[str, Any],
    locations: list[dict[str, Any]],
    sub_processors: list[dict[str, Any]],
    agreement: dict[str, Any] | None,
    clauses: list[dict[str, Any]],
    safeguards: list[dict[str, Any]],
) -> model.Processor:
    agreement_value = None
    if agreement is not None:
        agreement_value = from_row(
            model.Agreement,
            agreement,
            clauses=tuple(from_row(model.ClauseAssessment, c) for c in clauses),
        )
    return from_row(
        model.Processor,
        row,
        locations=tuple(from_row(model.Location, r) for r in locations),
        sub_processors=tuple(from_row(model.SubProcessor, r) for r in sub_processors),
        agreement=agreement_value,
        safeguards=tuple(from_row(model.Safeguard, r) for r in safeguards),
    )
