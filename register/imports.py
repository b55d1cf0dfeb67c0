"""Spreadsheet import as the web app runs it (issue 11): upload → preview → commit.

Joins the pure intake engine (:mod:`register.intake`: read the file, suggest a
mapping, build the preview) with the stores: the preview is kept in
:mod:`register.store.import_previews` until someone commits it, and the commit
applies it with :func:`register.store.intake.apply_preview` inside the same
transaction that marks the preview committed. The API and the pages both call
these functions; reading and previewing run in a worker thread (CPU-bound).
"""

from __future__ import annotations

from collections import OrderedDict
from functools import partial

import anyio.to_thread
import msgspec

from register import settings
from register.intake import ColumnMapping, ImportResult, Limits, Preview, Workbook
from register.intake import build_preview, read_workbook, suggest_mapping
from register.store import import_previews
from register.store.import_previews import SavedMapping, StoredPreview
from register.store.intake import apply_preview, load_register_for_import

FILE_NAME_LENGTH = 200


def import_limits() -> Limits:
    """``IMPORT_MAX_BYTES``, ``IMPORT_MAX_ROWS``, ``IMPORT_MAX_UNZIPPED_BYTES`` (see the README)."""
    return settings.intake_limits()


def safe_file_name(name: str | None) -> str:
    """The uploaded file's name without any path, control character or excess length."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[:FILE_NAME_LENGTH] or "sheet"


# A few parsed workbooks per worker, by the file's digest: the mapping page and a
# re-preview read the same upload again.
_WORKBOOKS: OrderedDict[tuple[str, str], Workbook] = OrderedDict()
WORKBOOKS_KEPT = 4


async def workbook_of(content: bytes, file_name: str, limits: Limits | None = None) -> Workbook:
    """The file read by the engine (refusals raise :class:`IntakeError`)."""
    key = (import_previews.sha256_of(content), file_name)
    cached = _WORKBOOKS.get(key)
    if cached is not None:
        _WORKBOOKS.move_to_end(key)
        return cached
    workbook = await anyio.to_thread.run_sync(partial(read_workbook, content, file_name, limits or import_limits()))
    _WORKBOOKS[key] = workbook
    while len(_WORKBOOKS) > WORKBOOKS_KEPT:
        _WORKBOOKS.popitem(last=False)
    return workbook


async def preview_of_workbook(organisation_id: int, workbook: Workbook, mapping: ColumnMapping) -> Preview:
    register = await load_register_for_import(organisation_id)
    return await anyio.to_thread.run_sync(partial(build_preview, workbook, mapping, register))


def stored_preview(stored: StoredPreview) -> Preview:
    return Preview.from_json(stored.preview_json)


def stored_mapping(stored: StoredPreview | SavedMapping) -> ColumnMapping:
    return ColumnMapping.from_json(stored.mapping_json)


def stored_outcome(stored: StoredPreview) -> ImportResult | None:
    if stored.outcome_json is None:
        return None
    return msgspec.json.decode(stored.outcome_json, type=ImportResult)


async def upload(
    organisation_id: int,
    actor: str,
    file_name: str | None,
    content: bytes,
    mapping: ColumnMapping | None = None,
    saved_mapping_id: int | None = None,
) -> StoredPreview:
    """Read an uploaded sheet and keep its preview: the given mapping, a saved one, or the suggested one."""
    limits = import_limits()  # a file over IMPORT_MAX_BYTES is refused by the reader (code too_large: 413)
    name = safe_file_name(file_name)
    if mapping is None and saved_mapping_id is not None:
        mapping = stored_mapping(await import_previews.load_mapping(organisation_id, saved_mapping_id))
    workbook = await workbook_of(content, name, limits)
    if mapping is None:
        mapping = suggest_mapping(workbook)
    preview = await preview_of_workbook(organisation_id, workbook, mapping)
    return await import_previews.store_preview(
        organisation_id, actor, name, content, mapping.to_json(), preview.to_json()
    )


async def preview_again(
    organisation_id: int, public_id: str, mapping: ColumnMapping, version: int | None = None
) -> StoredPreview:
    """The preview of the same upload with an edited mapping (while it is pending)."""
    stored = await import_previews.load_preview(organisation_id, public_id, with_content=True)
    if not stored.pending:
        raise import_previews.Conflict(f"import preview {public_id} was already committed")
    assert stored.content is not None
    workbook = await workbook_of(stored.content, stored.file_name)
    preview = await preview_of_workbook(organisation_id, workbook, mapping)
    return await import_previews.replace_preview(
        organisation_id, public_id, mapping.to_json(), preview.to_json(), version
    )


async def uploaded_workbook(organisation_id: int, public_id: str) -> Workbook:
    """The workbook of a pending preview (for the mapping form: its sheets and headers)."""
    stored = await import_previews.load_preview(organisation_id, public_id, with_content=True)
    assert stored.content is not None
    if not stored.content:
        raise import_previews.Conflict(f"import preview {public_id} was already committed")
    return await workbook_of(stored.content, stored.file_name)


def import_name(stored: StoredPreview) -> str:
    """How the audit trail names the import: the file and the preview's id."""
    return f"{stored.file_name} ({stored.public_id[:8]})"


async def commit(organisation_id: int, public_id: str, version: int, actor: str) -> StoredPreview:
    """Apply the preview the user confirmed (at ``version``); once only, in one transaction."""

    async def apply(stored: StoredPreview) -> ImportResult:
        return await apply_preview(stored_preview(stored), organisation_id, actor, import_name(stored))

    return await import_previews.commit_preview(organisation_id, public_id, version, actor, apply)


async def save_mapping(organisation_id: int, name: str, mapping: ColumnMapping, actor: str) -> SavedMapping:
    return await import_previews.save_mapping(organisation_id, name.strip(), mapping.to_json(), actor)
