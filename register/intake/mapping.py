"""A suggested :class:`ColumnMapping` from a workbook's headers (French and English)."""

from __future__ import annotations

from register.intake.model import ColumnMapping, Workbook


def suggest_mapping(workbook: Workbook) -> ColumnMapping:
    raise NotImplementedError
