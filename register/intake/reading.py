"""Bytes to a :class:`Workbook`: xlsx and ods through python-calamine, csv through the stdlib."""

from __future__ import annotations

from register.intake.model import Limits, Workbook


def read_workbook(content: bytes, filename: str, limits: Limits | None = None) -> Workbook:
    raise NotImplementedError
