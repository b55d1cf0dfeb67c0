"""What an import would do, row by row: a pure function of the sheet, the mapping and the register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from register.compliance import model
from register.intake.model import ColumnMapping, Preview, Workbook


@dataclass(frozen=True, slots=True)
class ImportRegister:
    """The organisation's register as the preview compares rows with it."""

    organisation_id: int
    revision: int
    processors: tuple[model.Processor, ...]


def build_preview(
    workbook: Workbook, mapping: ColumnMapping, register: ImportRegister, *, now: datetime | None = None
) -> Preview:
    raise NotImplementedError
