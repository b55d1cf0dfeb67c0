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

from register.candidates import candidate_of_answers, candidate_processor
from register.compliance.results import ProcurementVerdict
from register.documents import service
from register.documents.procurement_memo import MemoDecision, MemoRequest
from register.store import procurement
from register.store.errors import StoreError
from register.store.members import Member, list_members
from register.store.procurement import DECISIONS, ProcurementRequest
from register.verdicts import verdicts_for
from register.vocabulary import ProcurementStatus
from register.web import forms
from register.web.access import Access, Permission, requires
from register.web.countries import country_choices, country_name
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
    choices = country_choices(language(request))
    return await render(
        request,
        "procurement_form.html",
        access,
        section="procurement",
        status_code=status_code,
        form=state,
        fieldsets=forms.REQUEST_FORM,
        action=f"/organisations/{access.organisation_id}/procurement",
        options={},
        countries=choices,
        country_codes={code for code, _ in choices},
        country_rows=forms.DATA_COUNTRY_ROWS,
    )


@get(
    "/organisations/{organisation_id:int}/procurement/new",
    include_in_schema=False,
    opt=requires(Permission.SUBMIT_PROCUREMENT),
)
async def new_request(request: Request, access: NamedDependency[Access]) -> Template:
    return await request_form(request, access, forms.blank_request())


@post(
    "/organisations/{organisation_id:int}/procurement",
    include_in_schema=False,
    opt=requires(Permission.SUBMIT_PROCUREMENT),
)
async def submit_request(
    request: Request, organisation_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    answers, state = forms.read_request(await request.form(), language(request))
    if answers is not None:
        candidate = candidate_of_answers(answers, language(request))
        try:
            submitted = await procurement.submit_procurement_request(
                organisation_id, candidate, answers["purpose"], access.actor
            )
            return see_other(request_path(submitted.id))
        except StoreError as error:
            state.errors = forms.store_error(error, language(request))
    return await request_form(request, access, state, status_code=400)


SUGGESTED = {"approve": "approved", "approve_with_conditions": "approved_with_conditions", "reject": "rejected"}


def suggested_decision(verdict: ProcurementVerdict, version: int, lang: str) -> forms.FormState:
    """The decision form as the register's opinion suggests it: its decision, and
    its conditions (not the blocking points) as the DPO's conditions to edit."""
    conditions = [c.text.in_language(lang) for c in verdict.conditions if c.when != "blocking"]
    return forms.FormState(
        values={"decision": SUGGESTED[verdict.decision], "reasons": "", "conditions": "\n".join(conditions)},
        version=version,
    )


async def request_page(
    request: Request,
    access: Access,
    request_id: int,
    decision: forms.FormState | None = None,
    status_code: int = 200,
) -> Template:
    found = await procurement.load_procurement_request(access.organisation_id, request_id)
    [(found, verdict)] = await with_verdicts(access.organisation_id, [found])
    lang = language(request)
    return await render(
        request,
        "procurement_request.html",
        access,
        section="procurement",
        status_code=status_code,
        item=found,
        verdict=verdict,
        decision=decision or suggested_decision(verdict, found.version, lang),
        decisions=[d.value for d in DECISIONS],
        country_name=partial(country_name, language=lang),
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
                conditions=forms.decision_conditions(state), role=access.role.value,
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
    memo_request = memo_request_of(found, await list_members(access.organisation_id))
    return await download(
        partial(
            service.build_procurement_memo, inputs, candidate,
            language=lang or language(request), as_of=as_of or today(), request=memo_request,
        )
    )


def memo_request_of(found: ProcurementRequest, members: list[Member]) -> MemoRequest:
    """The request as the memo states it: people by their names where the register knows them."""
    names = {member.email: member.display_name for member in members if member.display_name}
    decision = None
    if found.status != ProcurementStatus.PENDING and found.decided_at is not None:
        decision = MemoDecision(
            status=found.status.value,
            reasons=found.decision_reasons,
            conditions=found.decision_conditions,
            decided_by=names.get(found.decided_by or "", found.decided_by or ""),
            role=found.decided_role,
            decided_on=found.decided_at.date(),
        )
    return MemoRequest(
        requested_by=names.get(found.submitted_by, found.submitted_by),
        requested_on=found.submitted_at.date(),
        purpose=found.purpose,
        decision=decision,
    )


PROCUREMENT_HANDLERS = [
    procurement_queue,
    new_request,
    submit_request,
    show_request,
    decide_request,
    request_memo,
]
