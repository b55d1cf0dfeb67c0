"""The documents page and its downloads (signed in by session; the JSON API
serves the same files to token holders). Files are built off the event loop."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Callable, Literal

import anyio.to_thread
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from register.documents import service
from register.documents.service import GeneratedDocument
from register.store import reads, readings
from register.store.procurement import list_procurement_requests
from register.web.access import Access, Permission, requires
from register.web.forms import FormState
from register.web.pages.common import language, render, today
from register.i18n import words

READ = requires(Permission.READ_REGISTER)
Language = Literal["fr", "en"] | None


def attachment(document: GeneratedDocument) -> Response[bytes]:
    return Response(
        content=document.content,
        media_type=document.media_type,
        headers={"Content-Disposition": document.content_disposition, "Cache-Control": "no-store"},
    )


async def download(build: Callable[[], GeneratedDocument]) -> Response[bytes]:
    """Build a document in a worker thread and answer it as an attachment."""
    return attachment(await anyio.to_thread.run_sync(build))


def as_of_field(raw: str | None, language_code: str) -> tuple[date | None, FormState]:
    """The page's "as of" field: a date (YYYY-MM-DD, as a date input sends
    it), or an error shown next to the field."""
    form = FormState(values={"as_of": raw or ""})
    if not raw:
        return None, form
    try:
        return date.fromisoformat(raw), form
    except ValueError:
        form.errors["as_of"] = words(language_code).gettext("Enter a date (YYYY-MM-DD).")
        return None, form


@get("/organisations/{organisation_id:int}/documents", include_in_schema=False, opt=READ)
async def documents_page(
    request: Request,
    organisation_id: FromPath[int],
    access: NamedDependency[Access],
    as_of: FromQuery[str | None] = None,
    as_stood: FromQuery[bool] = False,
) -> Template:
    """The downloads, each built as of the date chosen on the page (today by default):
    from the register as it stands, or (``as_stood``, a past date) as it stood then."""
    chosen, form = as_of_field(as_of, language(request))
    stood = as_stood and chosen is not None and chosen < today()
    if as_stood:
        form.values["as_stood"] = "true"
    statuses = await reads.list_processor_statuses(organisation_id)
    requests = (
        await list_procurement_requests(organisation_id) if access.allows(Permission.READ_PROCUREMENT) else []
    )
    return await render(
        request,
        "documents.html",
        access,
        section="documents",
        status_code=400 if form.errors else 200,
        processors=statuses,
        requests=requests,
        form=form,
        as_of=chosen,
        as_stood=stood,
        as_of_query=(f"&as_of={chosen.isoformat()}" if chosen else "") + ("&as_stood=true" if stood else ""),
    )


AsOf = FromQuery[date | None]
# True: the register as it stood at the end of the "as of" day (rebuilt from the audit trail).
AsStood = FromQuery[bool]


@get("/organisations/{organisation_id:int}/documents/gap-report.docx", include_in_schema=False, opt=READ)
async def gap_report(
    request: Request,
    organisation_id: FromPath[int],
    lang: FromQuery[Language] = None,
    as_of: AsOf = None,
    as_stood: AsStood = False,
) -> Response[bytes]:
    inputs = await service.load_register_inputs_on(organisation_id, as_of, as_stood)
    return await download(
        partial(service.build_gap_report, inputs, language=lang or language(request), as_of=as_of or today())
    )


async def register_extract(
    request: Request,
    organisation_id: int,
    file_format: service.ExtractFormat,
    lang: Language,
    as_of: date | None,
    separator: str | None = None,
    as_stood: bool = False,
) -> Response[bytes]:
    inputs = await service.load_register_inputs_on(organisation_id, as_of, as_stood)
    return await download(
        partial(
            service.build_register_extract,
            inputs,
            file_format,
            language=lang or language(request),
            as_of=as_of or today(),
            separator=separator,
        )
    )


@get("/organisations/{organisation_id:int}/documents/register-extract.docx", include_in_schema=False, opt=READ)
async def register_extract_docx(
    request: Request,
    organisation_id: FromPath[int],
    lang: FromQuery[Language] = None,
    as_of: AsOf = None,
    as_stood: AsStood = False,
) -> Response[bytes]:
    return await register_extract(request, organisation_id, "docx", lang, as_of, as_stood=as_stood)


@get("/organisations/{organisation_id:int}/documents/register-extract.xlsx", include_in_schema=False, opt=READ)
async def register_extract_xlsx(
    request: Request,
    organisation_id: FromPath[int],
    lang: FromQuery[Language] = None,
    as_of: AsOf = None,
    as_stood: AsStood = False,
) -> Response[bytes]:
    return await register_extract(request, organisation_id, "xlsx", lang, as_of, as_stood=as_stood)


@get("/organisations/{organisation_id:int}/documents/register-extract.csv", include_in_schema=False, opt=READ)
async def register_extract_csv(
    request: Request,
    organisation_id: FromPath[int],
    lang: FromQuery[Language] = None,
    as_of: AsOf = None,
    sep: FromQuery[Literal["semicolon", "comma", "tab"] | None] = None,
    as_stood: AsStood = False,
) -> Response[bytes]:
    return await register_extract(request, organisation_id, "csv", lang, as_of, sep, as_stood)


async def processor_document(
    build: Callable[..., GeneratedDocument],
    request: Request,
    processor_id: int,
    organisation_id: int,
    lang: str | None,
    as_of: date | None,
    as_stood: bool = False,
) -> Response[bytes]:
    """One processor's document, built from its organisation's register in the request's language."""
    inputs = await service.load_register_inputs_on(organisation_id, as_of, as_stood)
    return await download(
        partial(build, inputs, processor_id, language=lang or language(request), as_of=as_of or today())
    )


@get("/processors/{processor_id:int}/documents/dpa-draft.docx", include_in_schema=False, opt=READ)
async def dpa_draft(
    request: Request,
    processor_id: FromPath[int],
    access: NamedDependency[Access],
    lang: FromQuery[Language] = None,
    as_of: AsOf = None,
    as_stood: AsStood = False,
) -> Response[bytes]:
    return await processor_document(
        service.build_dpa_draft, request, processor_id, access.organisation_id, lang, as_of, as_stood
    )


@get("/processors/{processor_id:int}/documents/dpa-review-notes.docx", include_in_schema=False, opt=READ)
async def dpa_review_notes(
    request: Request,
    processor_id: FromPath[int],
    access: NamedDependency[Access],
    lang: FromQuery[Language] = None,
    as_of: AsOf = None,
    as_stood: AsStood = False,
) -> Response[bytes]:
    return await processor_document(
        service.build_dpa_review_notes, request, processor_id, access.organisation_id, lang, as_of, as_stood
    )


@get("/processors/{processor_id:int}/documents/gap-report.docx", include_in_schema=False, opt=READ)
async def processor_gap_report(
    request: Request,
    processor_id: FromPath[int],
    access: NamedDependency[Access],
    lang: FromQuery[Language] = None,
    as_of: AsOf = None,
    as_stood: AsStood = False,
) -> Response[bytes]:
    return await processor_document(
        service.build_processor_gap_report, request, processor_id, access.organisation_id, lang, as_of, as_stood
    )


@get("/processors/{processor_id:int}/documents/negotiation-letter.docx", include_in_schema=False, opt=READ)
async def negotiation_letter(
    request: Request,
    processor_id: FromPath[int],
    access: NamedDependency[Access],
    lang: FromQuery[Language] = None,
    as_of: AsOf = None,
) -> Response[bytes]:
    missing = readings.confirmed_missing_elements(await readings.list_readings(access.organisation_id, processor_id))
    return await processor_document(
        partial(service.build_negotiation_letter, missing_elements=missing),
        request, processor_id, access.organisation_id, lang, as_of,
    )


DOCUMENT_HANDLERS = [
    documents_page,
    gap_report,
    register_extract_docx,
    register_extract_xlsx,
    register_extract_csv,
    dpa_draft,
    dpa_review_notes,
    processor_gap_report,
    negotiation_letter,
]
