"""Word, Excel and CSV documents: DPA drafts, gap reports, register extracts,
procurement memos. Each answers the file as an attachment with a safe ASCII
file name; the register is loaded on the event loop (a fixed number of
queries) and the CPU-bound assessment and building run in a worker thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Annotated, Literal

import anyio.to_thread
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from register.candidates import candidate_processor
from register.documents import service
from register.documents.service import GeneratedDocument, RegisterInputs
from register.schemas import CandidateInput
from register.store import readings
from register.web.access import Access, Permission, requires
from register.web.api.assessment import AsOf, as_of_or_today
from register.web.pages.history import checked_period

Language = Annotated[
    Literal["fr", "en"], QueryParameter(description="language of the document: fr (default) or en")
]
Separator = Annotated[
    Literal["semicolon", "comma", "tab"] | None,
    QueryParameter(
        description="CSV field separator: semicolon (default in French, for French Excel), comma (default in "
        "English) or tab"
    ),
]

AsStood = Annotated[
    bool,
    QueryParameter(
        description="true with a past as_of: build from the register as it stood at the end of that day (UTC), "
        "rebuilt from the audit trail; otherwise from the register as it stands"
    ),
]
Day = Annotated[date | None, QueryParameter(description="a day, YYYY-MM-DD (UTC)")]


def attachment(document: GeneratedDocument) -> Response[bytes]:
    return Response(
        content=document.content,
        media_type=document.media_type,
        headers={
            "Content-Disposition": document.content_disposition,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


async def generated(build: Callable[[], GeneratedDocument]) -> Response[bytes]:
    """Run ``build`` off the event loop and answer its file."""
    return attachment(await anyio.to_thread.run_sync(build))


class DocumentController(Controller):
    path = "/api/v1"
    tags = ["documents"]

    @get("/processors/{processor_id:int}/documents/dpa-draft.docx", opt=requires(Permission.READ_REGISTER))
    async def dpa_draft(
        self, processor_id: FromPath[int], lang: Language = "fr", as_of: AsOf = None
    ) -> Response[bytes]:
        """The DPA draft of a processor on the (EU) 2021/915 clauses, filled from the register."""
        inputs = await service.load_processor_inputs(processor_id)
        return await generated(
            partial(service.build_dpa_draft, inputs, processor_id, language=lang, as_of=as_of_or_today(as_of))
        )

    @get("/processors/{processor_id:int}/documents/dpa-review-notes.docx", opt=requires(Permission.READ_REGISTER))
    async def dpa_review_notes(
        self, processor_id: FromPath[int], lang: Language = "fr", as_of: AsOf = None
    ) -> Response[bytes]:
        """The reviewer's notes on the DPA draft: placeholders to complete, transfers and the SCCs
        of (EU) 2021/914 to sign, flow-down, findings. Internal: not for the vendor."""
        inputs = await service.load_processor_inputs(processor_id)
        return await generated(
            partial(service.build_dpa_review_notes, inputs, processor_id, language=lang, as_of=as_of_or_today(as_of))
        )

    @get("/processors/{processor_id:int}/documents/gap-report.docx", opt=requires(Permission.READ_REGISTER))
    async def processor_gap_report(
        self, processor_id: FromPath[int], lang: Language = "fr", as_of: AsOf = None
    ) -> Response[bytes]:
        """The gap report of one processor."""
        inputs = await service.load_processor_inputs(processor_id)
        return await generated(
            partial(
                service.build_processor_gap_report, inputs, processor_id, language=lang, as_of=as_of_or_today(as_of)
            )
        )

    @get(
        "/processors/{processor_id:int}/documents/negotiation-letter.docx", opt=requires(Permission.READ_REGISTER)
    )
    async def negotiation_letter(
        self, processor_id: FromPath[int], access: NamedDependency[Access], lang: Language = "fr", as_of: AsOf = None
    ) -> Response[bytes]:
        """The letter to the vendor listing the Art. 28(3) items its DPA lacks or covers in part (from the
        checklist, e.g. as confirmed from a reading of its DPA) with what to add, and the breach deadline
        and sub-processor authorisation to settle; dated ``as_of`` (default today)."""
        inputs = await service.load_processor_inputs(processor_id)
        missing = readings.confirmed_missing_elements(await readings.list_readings(access.organisation_id, processor_id))
        return await generated(
            partial(
                service.build_negotiation_letter, inputs, processor_id,
                language=lang, as_of=as_of_or_today(as_of), missing_elements=missing,
            )
        )

    @get("/organisations/{organisation_id:int}/documents/gap-report.docx", opt=requires(Permission.READ_REGISTER))
    async def gap_report(
        self, organisation_id: FromPath[int], lang: Language = "fr", as_of: AsOf = None, as_stood: AsStood = False
    ) -> Response[bytes]:
        """The organisation's gap report: summary, findings by processor, remediation plan, sources."""
        inputs = await service.load_register_inputs_on(organisation_id, as_of, as_stood)
        return await generated(
            partial(service.build_gap_report, inputs, language=lang, as_of=as_of_or_today(as_of))
        )

    @get(
        "/organisations/{organisation_id:int}/documents/register-extract.docx",
        opt=requires(Permission.READ_REGISTER),
    )
    async def register_extract_docx(
        self, organisation_id: FromPath[int], lang: Language = "fr", as_of: AsOf = None, as_stood: AsStood = False
    ) -> Response[bytes]:
        """Recipients and transfers part of the Art. 30 record, as Word."""
        return await _extract(organisation_id, "docx", lang, as_of, as_stood=as_stood)

    @get(
        "/organisations/{organisation_id:int}/documents/register-extract.xlsx",
        opt=requires(Permission.READ_REGISTER),
    )
    async def register_extract_xlsx(
        self, organisation_id: FromPath[int], lang: Language = "fr", as_of: AsOf = None, as_stood: AsStood = False
    ) -> Response[bytes]:
        """The register extract as an Excel workbook (processors, sub-processors, transfers)."""
        return await _extract(organisation_id, "xlsx", lang, as_of, as_stood=as_stood)

    @get(
        "/organisations/{organisation_id:int}/documents/register-extract.csv",
        opt=requires(Permission.READ_REGISTER),
    )
    async def register_extract_csv(
        self,
        organisation_id: FromPath[int],
        lang: Language = "fr",
        as_of: AsOf = None,
        sep: Separator = None,
        as_stood: AsStood = False,
    ) -> Response[bytes]:
        """The register extract's processors as CSV (UTF-8 with BOM; ";" between fields in French, "," in
        English, unless ``sep`` names another)."""
        return await _extract(organisation_id, "csv", lang, as_of, sep, as_stood)

    @get("/organisations/{organisation_id:int}/documents/changes.docx", opt=requires(Permission.READ_AUDIT))
    async def changes_report(
        self, organisation_id: FromPath[int], lang: Language = "fr", since: Day = None, until: Day = None
    ) -> Response[bytes]:
        """Every change to the register from ``since`` to ``until`` (both days included; by default the
        last 30 days), by whom, each value before and after."""
        start, end = checked_period(since, until)
        organisation, changes = await service.load_changes(organisation_id, start, end)
        return await generated(
            partial(service.build_changes_report, organisation, changes, since=start, until=end, language=lang)
        )

    @post(
        "/organisations/{organisation_id:int}/documents/procurement-memo.docx",
        status_code=200,
        opt=requires(Permission.SUBMIT_PROCUREMENT),
    )
    async def procurement_memo(
        self,
        organisation_id: FromPath[int],
        data: JSONBody[CandidateInput],
        lang: Language = "fr",
        as_of: AsOf = None,
    ) -> Response[bytes]:
        """The memo on a candidate tool (the procurement check's verdict); nothing is saved."""
        inputs = await service.load_register_inputs(organisation_id)
        candidate = candidate_processor(data, organisation_id)
        return await generated(
            partial(service.build_procurement_memo, inputs, candidate, language=lang, as_of=as_of_or_today(as_of))
        )


async def _extract(
    organisation_id: int,
    file_format: service.ExtractFormat,
    language: str,
    as_of: date | None,
    separator: str | None = None,
    as_stood: bool = False,
) -> Response[bytes]:
    inputs: RegisterInputs = await service.load_register_inputs_on(organisation_id, as_of, as_stood)
    return await generated(
        partial(
            service.build_register_extract,
            inputs,
            file_format,
            language=language,
            as_of=as_of_or_today(as_of),
            separator=separator,
        )
    )
