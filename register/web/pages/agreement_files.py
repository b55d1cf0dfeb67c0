"""The vendor's DPA files of a processor (upload, download, delete, read) and the review
page where the DPO accepts, edits or rejects what the reader proposes."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from register.compliance.model import Processor
from register.i18n import words
from register.reading import ITEM_IDS
from register.reference import load_reference
from register.schemas import ReadingDecisionsInput
from register.settings import files_max_bytes
from register.store import files, reads, readings
from register.store.errors import Conflict, StaleVersion, StoreError
from register.store.files import FileRefused
from register.store.readings import FACT_SOURCES, StoredReading
from register.vocabulary import ClauseStatus, ReadingDecision, ReadingStatus
from register.web import forms
from register.web.access import Access, Permission, requires
from register.web.downloads import stored_file_response
from register.web.dpa_readings import confirmation_of, person_of, read_stored_file, reason_in
from register.web.pages.common import language, render, see_other, today
from register.web.pages.processors import processor_path
from register.web.uploads import uploaded_file

READ = requires(Permission.READ_REGISTER)
EDIT = requires(Permission.EDIT_REGISTER)
FACT_NAMES = tuple(FACT_SOURCES)


def files_path(processor_id: int) -> str:
    return f"{processor_path(processor_id)}/agreement/files"


def reading_path(processor_id: int, reading_id: int) -> str:
    return f"{processor_path(processor_id)}/agreement/readings/{reading_id}"


async def files_page(
    request: Request, access: Access, processor_id: int, error: str = "", status_code: int = 200
) -> Template:
    processor = await reads.load_processor(processor_id, access.organisation_id)
    return await render(
        request,
        "agreement_files.html",
        access,
        section="processors",
        status_code=status_code,
        processor=processor,
        stored_files=await files.list_agreement_files(access.organisation_id, processor_id),
        readings=await readings.list_readings(access.organisation_id, processor_id),
        error=error,
        max_megabytes=max(1, files_max_bytes() // (1024 * 1024)),
    )


def refusal_message(error: StoreError, language_code: str) -> str:
    if isinstance(error, FileRefused):
        return error.reason.message(language_code)
    if isinstance(error, (StaleVersion, Conflict)):
        return words(language_code).gettext(
            "This reading was decided or changed in the meantime: reload the page to see it."
        )
    return " ".join(forms.store_error(error, language_code).values())


@get("/processors/{processor_id:int}/agreement/files", include_in_schema=False, opt=READ)
async def agreement_files(request: Request, processor_id: FromPath[int], access: NamedDependency[Access]) -> Template:
    return await files_page(request, access, processor_id)


@post("/processors/{processor_id:int}/agreement/files", include_in_schema=False, opt=EDIT, request_max_body_size=None)
async def upload_agreement_file(
    request: Request, processor_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    try:
        content, name = await uploaded_file(await request.form())
        await files.add_agreement_file(access.organisation_id, processor_id, content, name, access.actor)
    except FileRefused as error:
        return await files_page(
            request, access, processor_id, refusal_message(error, language(request)), status_code=error.status
        )
    return see_other(files_path(processor_id))


@get("/processors/{processor_id:int}/agreement/files/{file_id:int}/content", include_in_schema=False, opt=READ)
async def download_agreement_file(
    processor_id: FromPath[int], file_id: FromPath[int], access: NamedDependency[Access]
) -> Response[bytes]:
    stored = await files.load_agreement_file(access.organisation_id, processor_id, file_id)
    return stored_file_response(stored, await files.file_content(access.organisation_id, stored))


@post("/processors/{processor_id:int}/agreement/files/{file_id:int}/delete", include_in_schema=False, opt=EDIT)
async def delete_agreement_file(
    processor_id: FromPath[int], file_id: FromPath[int], access: NamedDependency[Access]
) -> Redirect:
    await files.delete_agreement_file(access.organisation_id, processor_id, file_id, access.actor)
    return see_other(files_path(processor_id))


@post("/processors/{processor_id:int}/agreement/files/{file_id:int}/read", include_in_schema=False, opt=EDIT)
async def read_agreement_file(
    request: Request, processor_id: FromPath[int], file_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    """Read the file (in a worker thread) and open the review of what was found."""
    try:
        reading = await read_stored_file(access, processor_id, file_id, language(request))
    except FileRefused as error:
        return await files_page(
            request, access, processor_id, refusal_message(error, language(request)), status_code=error.status
        )
    return see_other(reading_path(processor_id, reading.id))


# ------------------------------------------------------------------ the review


def default_decisions(reading: StoredReading) -> dict[str, str]:
    """The form as first shown: every item and every fact the reading states accepted, to confirm or change."""
    values: dict[str, str] = {"version": str(reading.version)}
    for item, proposal in (reading.reading.get("items") or {}).items():
        values[f"decision__{item}"] = ReadingDecision.ACCEPT.value
        values[f"status__{item}"] = proposal.get("status", "")
    for name, source in FACT_SOURCES.items():
        proposed = reading.reading.get(source)
        values[f"fact__{name}"] = (ReadingDecision.ACCEPT if proposed is not None else ReadingDecision.REJECT).value
        values[f"value__{name}"] = "" if proposed is None else str(proposed)
    return values


def read_decisions(form: Any, reading: StoredReading) -> ReadingDecisionsInput:
    """The review form as the API's decisions (unknown choices are refused by the struct: 400)."""
    items = {}
    for item in reading.reading.get("items") or {}:
        decision = str(form.get(f"decision__{item}", ReadingDecision.REJECT.value))
        choice: dict[str, Any] = {"decision": decision}
        if decision == ReadingDecision.EDIT:
            choice |= {
                "status": str(form.get(f"status__{item}", "")) or None,
                "section": str(form.get(f"section__{item}", "")),
                "note": str(form.get(f"note__{item}", "")),
            }
        items[item] = choice
    facts = {}
    for name in FACT_NAMES:
        decision = str(form.get(f"fact__{name}", ReadingDecision.REJECT.value))
        value: Any = str(form.get(f"value__{name}", "")).strip()
        if name in ("breach_notice_hours", "objection_notice_days"):
            value = int(value) if value.isdigit() else (None if not value else value)
        facts[name] = {"decision": decision, "value": value if value != "" else None}
    positions = [int(v) for v in form.getall("sub_processor", []) if str(v).isdigit()] if hasattr(form, "getall") else []
    version = str(form.get("version", ""))
    document = {"version": int(version) if version.isdigit() else 0, "items": items, "facts": facts,
                "sub_processors": positions}
    return msgspec.convert(document, ReadingDecisionsInput)


async def review_page(
    request: Request,
    access: Access,
    processor: Processor,
    reading: StoredReading,
    values: dict[str, str],
    error: str = "",
    status_code: int = 200,
) -> Template:
    reference = load_reference()
    return await render(
        request,
        "dpa_reading.html",
        access,
        section="processors",
        status_code=status_code,
        processor=processor,
        reading=reading,
        proposals=reading.reading.get("items") or {},
        items=[item for item in reference.art28_items if item.id in ITEM_IDS],
        values=values,
        error=error,
        statuses=[s.value for s in ClauseStatus if s != ClauseStatus.UNASSESSED],
        decisions=[d.value for d in ReadingDecision],
        fact_names=FACT_NAMES,
        fact_sources=FACT_SOURCES,
        proposed=reading.status == ReadingStatus.PROPOSED,
        country_label=lambda code: country_label(code, language(request)),
        reason_in=reason_in,
    )


def country_label(code: Any, language_code: str) -> str:
    """A country code read in the DPA by name, when the reference knows it; else as read."""
    reference = load_reference()
    text = str(code or "")
    return reference.country_name(text, language_code) if reference.is_known_country(text) else text



@get("/processors/{processor_id:int}/agreement/readings/{reading_id:int}", include_in_schema=False, opt=READ)
async def review_reading(
    request: Request, processor_id: FromPath[int], reading_id: FromPath[int], access: NamedDependency[Access]
) -> Template:
    processor = await reads.load_processor(processor_id, access.organisation_id)
    reading = await readings.load_reading(access.organisation_id, processor_id, reading_id)
    return await review_page(request, access, processor, reading, default_decisions(reading))


@post("/processors/{processor_id:int}/agreement/readings/{reading_id:int}", include_in_schema=False, opt=EDIT)
async def confirm_reading(
    request: Request, processor_id: FromPath[int], reading_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    """Apply the DPO's decisions in one transaction, then show the checklist they updated."""
    processor = await reads.load_processor(processor_id, access.organisation_id)
    reading = await readings.load_reading(access.organisation_id, processor_id, reading_id)
    form = await request.form()
    values = {key: str(value) for key, value in form.items()}
    try:
        decisions = read_decisions(form, reading)
        await readings.confirm_reading(
            access.organisation_id, processor_id, reading_id, confirmation_of(decisions), access.actor,
            person=person_of(access), language=language(request), on=today(),
        )
    except msgspec.ValidationError as error:
        message = words(language(request)).gettext("Check the decisions: %(reason)s", reason=str(error))
        return await review_page(request, access, processor, reading, values, message, status_code=400)
    except StoreError as error:
        status = 409 if isinstance(error, (StaleVersion, Conflict)) else 400
        return await review_page(
            request, access, processor, reading, values, refusal_message(error, language(request)), status_code=status
        )
    return see_other(f"{processor_path(processor_id)}#checklist")


AGREEMENT_FILE_HANDLERS = [
    agreement_files,
    upload_agreement_file,
    download_agreement_file,
    delete_agreement_file,
    read_agreement_file,
    review_reading,
    confirm_reading,
]
