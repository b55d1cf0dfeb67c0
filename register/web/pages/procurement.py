"""Procurement: a request form a non-lawyer can fill, the verdict shown at
once, the queue a DPO decides with reasons, the memo to download."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated, Literal

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from register.candidates import candidate_processor
from register.compliance.results import ProcurementVerdict
from register.documents import service
from register.store import procurement
from register.store.errors import StoreError
from register.store.procurement import DECISIONS, ProcurementRequest
from register.verdicts import verdicts_for
from register.vocabulary import ProcurementStatus
from register.web import forms
from register.web.access import Access, Permission, requires
from register.web.pages.common import language, render, see_other, today
from register.web.pages.documents import download

STATUS_FILTERS = tuple(s.value for s in ProcurementStatus)


def request_path(request_id: int) -> str:
    return f"/procurement/{request_id}"


async def with_verdicts(
    organisation_id: int, requests: list[ProcurementRequest]
) -> list[tuple[ProcurementRequest, ProcurementVerdict]]:
    return list(zip(requests, await verdicts_for(organisation_id, requests, today()), strict=True))


@get(
    "/organisations/{organisation_id:int}/procurement",
    include_in_schema=False,
    opt=requires(Permission.READ_PROCUREMENT),
)
async def procurement_queue(
    request: Request,
    organisation_id: FromPath[int],
    access: NamedDependency[Access],
    status: Annotated[str, QueryParameter(max_length=40)] = "",
) -> Template:
    chosen = status if status in STATUS_FILTERS else ""
    requests = await procurement.list_procurement_requests(organisation_id, chosen or None)
    pending = [r for r in requests if r.status == ProcurementStatus.PENDING]
    decided = [r for r in requests if r.status != ProcurementStatus.PENDING]
    return await render(
        request,
        "procurement_queue.html",
        access,
        section="procurement",
        requests=await with_verdicts(organisation_id, pending + decided),
        status=chosen,
        statuses=STATUS_FILTERS,
    )


async def request_form(
    request: Request, access: Access, state: forms.FormState, status_code: int = 200
) -> Template:
    return await render(
        request,
        "procurement_form.html",
        access,
        section="procurement",
        status_code=status_code,
        form=state,
        fieldsets=forms.REQUEST.fieldsets,
        action=f"/organisations/{access.organisation_id}/procurement",
        options={},
        countries=forms.country_choices(language(request)),
    )


@get(
    "/organisations/{organisation_id:int}/procurement/new",
    include_in_schema=False,
    opt=requires(Permission.SUBMIT_PROCUREMENT),
)
async def new_request(request: Request, access: NamedDependency[Access]) -> Template:
    values = forms.blank_values(forms.REQUEST.fields, dpa="unknown")
    return await request_form(request, access, forms.FormState(values=values))


@post(
    "/organisations/{organisation_id:int}/procurement",
    include_in_schema=False,
    opt=requires(Permission.SUBMIT_PROCUREMENT),
)
async def submit_request(
    request: Request, organisation_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    answers, state = forms.REQUEST.read(await request.form(), language(request))
    if answers is not None:
        candidate = forms.candidate_of(answers, language(request))
        try:
            submitted = await procurement.submit_procurement_request(
                organisation_id, candidate, answers["purpose"], access.actor
            )
            return see_other(request_path(submitted.id))
        except StoreError as error:
            state.errors = forms.store_error(error, language(request))
    return await request_form(request, access, state, status_code=400)


async def request_page(
    request: Request,
    access: Access,
    request_id: int,
    decision: forms.FormState | None = None,
    status_code: int = 200,
) -> Template:
    found = await procurement.load_procurement_request(access.organisation_id, request_id)
    [(found, verdict)] = await with_verdicts(access.organisation_id, [found])
    suggested = {"approve": "approved", "approve_with_conditions": "approved_with_conditions", "reject": "rejected"}
    if decision is None:
        decision = forms.FormState(
            values={"decision": suggested[verdict.decision], "reasons": ""}, version=found.version
        )
    return await render(
        request,
        "procurement_request.html",
        access,
        section="procurement",
        status_code=status_code,
        item=found,
        verdict=verdict,
        decision=decision,
        decisions=[d.value for d in DECISIONS],
    )


@get("/procurement/{request_id:int}", include_in_schema=False, opt=requires(Permission.READ_PROCUREMENT))
async def show_request(request: Request, request_id: FromPath[int], access: NamedDependency[Access]) -> Template:
    return await request_page(request, access, request_id)


@post(
    "/procurement/{request_id:int}/decision",
    include_in_schema=False,
    opt=requires(Permission.DECIDE_PROCUREMENT),
)
async def decide_request(
    request: Request, request_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    state = forms.read_decision(await request.form(), language(request))
    if state.valid:
        try:
            await procurement.decide_procurement_request(
                access.organisation_id, request_id, state.values["decision"], state.values["reasons"],
                state.version or 0, access.actor,
            )
            return see_other(request_path(request_id))
        except StoreError as error:
            state.errors = forms.store_error(error, language(request))
    return await request_page(request, access, request_id, state, status_code=400)


@get(
    "/procurement/{request_id:int}/memo.docx",
    include_in_schema=False,
    opt=requires(Permission.READ_PROCUREMENT),
)
async def request_memo(
    request: Request,
    request_id: FromPath[int],
    access: NamedDependency[Access],
    lang: FromQuery[Literal["fr", "en"] | None] = None,
    as_of: FromQuery[date | None] = None,
) -> Response[bytes]:
    found = await procurement.load_procurement_request(access.organisation_id, request_id)
    inputs = await service.load_register_inputs(access.organisation_id)
    candidate = candidate_processor(found.candidate, access.organisation_id)
    return await download(
        partial(
            service.build_procurement_memo, inputs, candidate, language=lang or language(request), as_of=as_of or today()
        )
    )


PROCUREMENT_HANDLERS = [
    procurement_queue,
    new_request,
    submit_request,
    show_request,
    decide_request,
    request_memo,
]
