"""Applying a reviewed spreadsheet import (:class:`register.intake.Preview`) in one transaction."""

from __future__ import annotations

from register.intake.model import ImportResult, Preview
from register.intake.preview import ImportRegister


async def load_register_for_import(organisation_id: int) -> ImportRegister:
    raise NotImplementedError


async def apply_preview(preview: Preview, organisation_id: int, actor: str, import_name: str) -> ImportResult:
    raise NotImplementedError
