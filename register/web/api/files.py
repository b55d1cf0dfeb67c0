"""The files of a processor's agreement (vendors' DPAs): upload, list, download, delete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from litestar import Controller, Response, delete, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody

from register.schemas import ReadingDecisionsInput
from register.store import files, readings
from register.store.files import StoredFile
from register.store.readings import StoredReading
from register.web.access import Access, Permission, requires
from register.web.api.documents import Language
from register.web.downloads import stored_file_response
from register.web.dpa_readings import confirmation_of, person_of, read_stored_file
from register.web.uploads import uploaded_file

@dataclass
class FileUpload:
    """The multipart form of an upload: one file in the field ``file``."""

    file: UploadFile


FILES_PATH = "/api/v1/processors/{processor_id:int}/agreement/files"


class AgreementFileController(Controller):
    """Each uploaded version of the vendor's DPA: metadata here, bytes from ``/content``."""

    path = FILES_PATH
    tags = ["agreement files"]

    @get("/", opt=requires(Permission.READ_REGISTER))
    async def list_files(self, processor_id: FromPath[int], access: NamedDependency[Access]) -> list[StoredFile]:
        """The processor's files, oldest first (the last one is the latest version)."""
        await files.require_processor(access.organisation_id, processor_id)
        return await files.list_agreement_files(access.organisation_id, processor_id)

    @post("/", opt=requires(Permission.EDIT_REGISTER), request_max_body_size=None)
    async def upload_file(
        self,
        processor_id: FromPath[int],
        data: Annotated[FileUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        access: NamedDependency[Access],
    ) -> StoredFile:
        """Upload a version of the vendor's DPA (multipart form, field ``file``): .pdf, .docx, .odt,
        .txt, .md or .html, recognised from its content; at most ``FILES_MAX_BYTES`` (413 above it,
        415 for another kind of file)."""
        content, name = await uploaded_file({"file": data.file})
        return await files.add_agreement_file(access.organisation_id, processor_id, content, name, access.actor)

    @get("/{file_id:int}", opt=requires(Permission.READ_REGISTER))
    async def get_file(
        self, processor_id: FromPath[int], file_id: FromPath[int], access: NamedDependency[Access]
    ) -> StoredFile:
        return await files.load_agreement_file(access.organisation_id, processor_id, file_id)

    @get(
        "/{file_id:int}/content",
        opt=requires(Permission.READ_REGISTER),
        media_type="application/octet-stream",
        responses=None,
    )
    async def download_file(
        self, processor_id: FromPath[int], file_id: FromPath[int], access: NamedDependency[Access]
    ) -> Response[bytes]:
        """The file as uploaded, as an attachment, with its sniffed media type."""
        stored = await files.load_agreement_file(access.organisation_id, processor_id, file_id)
        return stored_file_response(stored, await files.file_content(access.organisation_id, stored))

    @delete("/{file_id:int}", opt=requires(Permission.EDIT_REGISTER))
    async def delete_file(
        self, processor_id: FromPath[int], file_id: FromPath[int], access: NamedDependency[Access]
    ) -> None:
        """Delete the file and the readings made from it (audited); nothing else in the register changes."""
        await files.delete_agreement_file(access.organisation_id, processor_id, file_id, access.actor)


class DpaReadingController(Controller):
    """Readings of the vendor's DPA: proposals the DPO confirms item by item."""

    path = "/api/v1/processors/{processor_id:int}/agreement"
    tags = ["agreement files"]

    @post("/files/{file_id:int}/readings", opt=requires(Permission.EDIT_REGISTER))
    async def read_file(
        self, processor_id: FromPath[int], file_id: FromPath[int], access: NamedDependency[Access], lang: Language = "fr"
    ) -> StoredReading:
        """Read the file (Art. 28(3) items with their evidence, facts, sub-processors) and store the reading
        as a proposal; nothing in the register changes. ``lang``: the language of the reasons. A file the
        reader cannot read (no text layer, encrypted, damaged) answers 422 saying why."""
        return await read_stored_file(access, processor_id, file_id, lang)

    @get("/readings", opt=requires(Permission.READ_REGISTER))
    async def list_readings(self, processor_id: FromPath[int], access: NamedDependency[Access]) -> list[StoredReading]:
        """The processor's readings, newest first."""
        await files.require_processor(access.organisation_id, processor_id)
        return await readings.list_readings(access.organisation_id, processor_id)

    @get("/readings/{reading_id:int}", opt=requires(Permission.READ_REGISTER))
    async def get_reading(
        self, processor_id: FromPath[int], reading_id: FromPath[int], access: NamedDependency[Access]
    ) -> StoredReading:
        return await readings.load_reading(access.organisation_id, processor_id, reading_id)

    @post("/readings/{reading_id:int}/decisions", status_code=200, opt=requires(Permission.EDIT_REGISTER))
    async def decide_reading(
        self,
        processor_id: FromPath[int],
        reading_id: FromPath[int],
        data: JSONBody[ReadingDecisionsInput],
        access: NamedDependency[Access],
        lang: Language = "fr",
    ) -> StoredReading:
        """Apply the DPO's decisions in one transaction: accepted or edited items update the Art. 28(3)
        checklist (note: "detected in file X, confirmed by Y on date Z", in ``lang``), accepted facts the
        agreement, accepted sub-processors are added. ``version`` is the reading's; a decided or stale
        reading answers 409."""
        return await readings.confirm_reading(
            access.organisation_id, processor_id, reading_id, confirmation_of(data), access.actor,
            person=person_of(access), language=lang, on=date.today(),
        )
