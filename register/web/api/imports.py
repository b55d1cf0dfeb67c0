"""Spreadsheet import over the API (issue 11): upload → preview id → commit; saved mappings.

Every route is about one organisation (in the path) and every query names it:
another organisation's preview answers 404. Reading a preview needs
``read_register`` (it shows the register's values); uploading, previewing
again, committing, discarding and saving mappings need ``edit_register``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody, PathParameter

from register import imports
from register.intake import ColumnMapping, Counts, ImportResult, IntakeError, Preview
from register.intake.fields import check_mapping
from register.schemas import MAX_ID, NO_NUL, Version
from register.store import import_previews
from register.store.errors import NotFound
from register.store.import_previews import SavedMapping, StoredPreview
from register.web.access import Access, Permission, requires

ORGANISATION = "/api/v1/organisations/{organisation_id:int}"
PreviewId = Annotated[
    str, PathParameter(min_length=8, max_length=100, pattern="^[A-Za-z0-9_-]+$", description="the preview's id")
]
MappingName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=NO_NUL)]
# The body cap of the upload route: the file cap plus room for the form's other parts.
# A smaller IMPORT_MAX_BYTES is enforced on the file itself (413 with the reason).
UPLOAD_BODY_CAP = imports.import_limits().max_bytes + 1024 * 1024


@dataclass
class Upload:
    """multipart/form-data: the sheet, and optionally the mapping to use."""

    file: UploadFile
    mapping: str | None = None  # a ColumnMapping as JSON; without it, mapping_id's or the suggested one
    mapping_id: int | None = None  # a saved mapping of the organisation


class MappingEdit(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    mapping: ColumnMapping
    version: Version | None = None  # the preview's version you edited (409 when stale)


class CommitRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    version: Version  # the preview's version you confirm


class MappingInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: MappingName
    mapping: ColumnMapping


class ImportPreviewAnswer(msgspec.Struct, kw_only=True):
    """A stored import preview; ``preview`` is left out of lists."""

    id: str
    organisation_id: int
    file_name: str
    sha256: str
    size_bytes: int
    created_by: str
    created_at: datetime
    expires_at: datetime
    status: str  # pending | committed
    version: int
    counts: Counts
    mapping: ColumnMapping
    preview: Preview | None = None
    committed_by: str | None = None
    committed_at: datetime | None = None
    outcome: ImportResult | None = None  # what the commit did


class SavedMappingAnswer(msgspec.Struct, kw_only=True):
    id: int
    name: str
    mapping: ColumnMapping
    saved_by: str
    saved_at: datetime
    version: int


def preview_answer(stored: StoredPreview, with_rows: bool = True) -> ImportPreviewAnswer:
    preview = imports.stored_preview(stored)
    return ImportPreviewAnswer(
        id=stored.public_id,
        organisation_id=stored.organisation_id,
        file_name=stored.file_name,
        sha256=stored.sha256,
        size_bytes=stored.size_bytes,
        created_by=stored.created_by,
        created_at=stored.created_at,
        expires_at=stored.expires_at,
        status=stored.status,
        version=stored.version,
        counts=preview.counts,
        mapping=imports.stored_mapping(stored),
        preview=preview if with_rows else None,
        committed_by=stored.committed_by,
        committed_at=stored.committed_at,
        outcome=imports.stored_outcome(stored),
    )


def mapping_answer(saved: SavedMapping) -> SavedMappingAnswer:
    return SavedMappingAnswer(
        id=saved.id,
        name=saved.name,
        mapping=imports.stored_mapping(saved),
        saved_by=saved.saved_by,
        saved_at=saved.saved_at,
        version=saved.version,
    )


def checked(mapping: ColumnMapping) -> ColumnMapping:
    check_mapping(mapping)  # unknown fields, a key it does not map… (IntakeError: 400)
    return mapping


class ImportController(Controller):
    path = ORGANISATION
    tags = ["import"]

    @post(
        "/imports",
        opt=requires(Permission.EDIT_REGISTER),
        request_max_body_size=UPLOAD_BODY_CAP,
        summary="Upload a spreadsheet (xlsx, ods, csv) and get its import preview",
    )
    async def upload_sheet(
        self,
        organisation_id: FromPath[int],
        data: Annotated[Upload, Body(media_type=RequestEncodingType.MULTI_PART)],
        access: NamedDependency[Access],
    ) -> ImportPreviewAnswer:
        """Nothing is written to the register: the preview is kept under a random id until it is
        committed or expires. Without ``mapping`` or ``mapping_id`` the suggested mapping is used
        (the answer shows it)."""
        if not isinstance(data.file, UploadFile):
            raise IntakeError("empty", "file: send the spreadsheet as the multipart part 'file'")
        mapping = checked(ColumnMapping.from_json(data.mapping)) if data.mapping else None
        if data.mapping_id is not None and not 1 <= data.mapping_id <= MAX_ID:
            raise NotFound(import_previews.MAPPING_ENTITY, data.mapping_id)
        content = await data.file.read()
        stored = await imports.upload(
            organisation_id, access.actor, data.file.filename, content, mapping, data.mapping_id
        )
        return preview_answer(stored)

    @get("/imports", opt=requires(Permission.READ_REGISTER), summary="The organisation's import previews")
    async def list_imports(self, organisation_id: FromPath[int]) -> list[ImportPreviewAnswer]:
        """Pending and recently committed previews, newest first, without their rows."""
        return [preview_answer(p, with_rows=False) for p in await import_previews.list_previews(organisation_id)]

    @get("/imports/{preview_id:str}", opt=requires(Permission.READ_REGISTER), summary="One import preview")
    async def get_import(self, organisation_id: FromPath[int], preview_id: PreviewId) -> ImportPreviewAnswer:
        return preview_answer(await import_previews.load_preview(organisation_id, preview_id))

    @put(
        "/imports/{preview_id:str}/mapping",
        opt=requires(Permission.EDIT_REGISTER),
        summary="Preview the same upload again with an edited mapping",
    )
    async def edit_mapping(
        self, organisation_id: FromPath[int], preview_id: PreviewId, data: JSONBody[MappingEdit]
    ) -> ImportPreviewAnswer:
        stored = await imports.preview_again(organisation_id, preview_id, checked(data.mapping), data.version)
        return preview_answer(stored)

    @post(
        "/imports/{preview_id:str}/commit",
        status_code=200,
        opt=requires(Permission.EDIT_REGISTER),
        summary="Import the previewed rows into the register (once)",
    )
    async def commit_import(
        self,
        organisation_id: FromPath[int],
        preview_id: PreviewId,
        data: JSONBody[CommitRequest],
        access: NamedDependency[Access],
    ) -> ImportPreviewAnswer:
        """One transaction, audited under the import's name. A preview commits once: a second
        commit, or one naming a stale version, answers 409 and changes nothing. The answer carries
        the ``outcome`` (processor ids created and updated), not the rows again."""
        stored = await imports.commit(organisation_id, preview_id, data.version, access.actor)
        return preview_answer(stored, with_rows=False)

    @delete("/imports/{preview_id:str}", opt=requires(Permission.EDIT_REGISTER), summary="Discard a pending preview")
    async def discard_import(self, organisation_id: FromPath[int], preview_id: PreviewId) -> None:
        await import_previews.delete_preview(organisation_id, preview_id)


class ImportMappingController(Controller):
    path = ORGANISATION
    tags = ["import"]

    @get("/import-mappings", opt=requires(Permission.READ_REGISTER), summary="Saved column mappings")
    async def list_mappings(self, organisation_id: FromPath[int]) -> list[SavedMappingAnswer]:
        return [mapping_answer(m) for m in await import_previews.list_mappings(organisation_id)]

    @post(
        "/import-mappings",
        status_code=200,
        opt=requires(Permission.EDIT_REGISTER),
        summary="Save a column mapping under a name (replaces the one of that name)",
    )
    async def save_mapping(
        self, organisation_id: FromPath[int], data: JSONBody[MappingInput], access: NamedDependency[Access]
    ) -> SavedMappingAnswer:
        saved = await imports.save_mapping(organisation_id, data.name, checked(data.mapping), access.actor)
        return mapping_answer(saved)

    @delete(
        "/import-mappings/{mapping_id:int}", opt=requires(Permission.EDIT_REGISTER), summary="Delete a saved mapping"
    )
    async def delete_mapping(
        self, organisation_id: FromPath[int], mapping_id: FromPath[int], access: NamedDependency[Access]
    ) -> None:
        await import_previews.delete_mapping(organisation_id, mapping_id, access.actor)


IMPORT_CONTROLLERS = [ImportController, ImportMappingController]
