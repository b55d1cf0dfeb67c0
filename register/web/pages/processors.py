"""The processor list (search, filters, sorting, pages), a processor's page, and
the forms to create, edit and delete a processor."""

from __future__ import annotations

from typing import Annotated

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from register.compliance import assess_processor
from register.compliance.transfers import tools_being_negotiated
from register.reference import load_reference
from register.store import changes, files, library, notices, reads, readings, snapshots
from register.store.errors import StoreError
from register.vocabulary import LifecycleStatus, ProcessorCategory, Severity
from register.web import forms
from register.web.access import Access, Permission, requires
from register.web.pages.common import assessed_register, language, record_form_page, render, see_other, today
from register.web.pages.links import fix_link
from register.web.pages.summaries import SORTS, ListQuery, processor_list, score_gauge

Text = Annotated[str, QueryParameter(max_length=200)]
Code = Annotated[str, QueryParameter(max_length=40)]


def processor_path(processor_id: int) -> str:
    return f"/processors/{processor_id}"


def list_query(q: str, status: str, category: str, country: str, severity: str, sort: str, page: int) -> ListQuery:
    """Unknown filter values are ignored rather than refused (a hand-edited URL still shows a list)."""
    return ListQuery(
        q=q.strip(),
        status=status if status in LifecycleStatus._value2member_map_ else "",
        category=category if category in ProcessorCategory._value2member_map_ else "",
        country=country.strip().upper() if load_reference().is_known_country(country.strip().upper()) else "",
        severity=severity if severity in Severity._value2member_map_ else "",
        sort=sort if sort in SORTS else "name",
        page=max(page, 1),
    )


@get("/organisations/{organisation_id:int}/processors", include_in_schema=False, opt=requires(Permission.LIST_PROCESSORS))
async def processor_index(
    request: Request,
    organisation_id: FromPath[int],
    access: NamedDependency[Access],
    q: Text = "",
    status: Code = "",
    category: Code = "",
    country: Code = "",
    severity: Code = "",
    sort: Code = "name",
    page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
) -> Template:
    query = list_query(q, status, category, country, severity, sort, page)
    if not access.allows(Permission.READ_REGISTER):
        statuses = await reads.list_processor_statuses(organisation_id)
        return await render(request, "processor_statuses.html", access, section="processors", statuses=statuses)
    register, assessment = await assessed_register(organisation_id)
    return await render(
        request,
        "processors.html",
        access,
        section="processors",
        query=query,
        listing=processor_list(register, assessment, query),
        register_size=len(register),
        statuses=[s.value for s in LifecycleStatus],
        categories=[c.value for c in ProcessorCategory],
        severities=[s.value for s in Severity],
        countries=forms.country_choices(language(request)),
        sorts=SORTS,
    )


@get("/processors/{processor_id:int}", include_in_schema=False, opt=requires(Permission.READ_REGISTER))
async def processor_page(request: Request, processor_id: FromPath[int], access: NamedDependency[Access]) -> Template:
    registry = (await snapshots.register_snapshot(access.organisation_id)).registry
    processor = registry.get(processor_id)
    if processor is None:
        raise reads.NotFound("processor", processor_id)
    as_of = today()
    assessment = assess_processor(processor, as_of=as_of, registry=registry)
    reference = load_reference()
    return await render(
        request,
        "processor.html",
        access,
        section="processors",
        processor=processor,
        assessment=assessment,
        gauge=score_gauge(assessment.score),
        fixes=[fix_link(f, processor) for f in assessment.findings],
        sub_names={s.id: s.name for s in processor.sub_processors},
        # Contractual tools not signed today: shown as being negotiated, never as in place.
        negotiating=tools_being_negotiated(processor, as_of),
        registry=registry,
        art28_items=reference.art28_items,
        clauses={c.item: c for c in processor.agreement.clauses} if processor.agreement else {},
        scc_modules=reference.scc_modules,
        stored_files=await files.list_agreement_files(access.organisation_id, processor_id),
        evidence=readings.evidence_links(await readings.list_readings(access.organisation_id, processor_id)),
        pending_notices=await notices.pending_decisions(access.organisation_id, processor, as_of),
        library_state=await library.processor_library_state(access.organisation_id, processor),
    )


# ------------------------------------------------------------------ create, edit


async def processor_form(
    request: Request, access: Access, state: forms.FormState, action: str, processor=None, status_code: int = 200
) -> Template:
    return await record_form_page(
        request,
        access,
        form=state,
        fieldsets=forms.PROCESSOR.fieldsets,
        action=action,
        title_key="title.edit_processor" if processor else "title.new_processor",
        processor=processor,
        back=processor_path(processor.id) if processor else f"/organisations/{access.organisation_id}/processors",
        status_code=status_code,
    )


@get("/organisations/{organisation_id:int}/processors/new", include_in_schema=False, opt=requires(Permission.EDIT_REGISTER))
async def new_processor(request: Request, organisation_id: FromPath[int], access: NamedDependency[Access]) -> Template:
    state = forms.FormState(values=forms.blank_values(forms.PROCESSOR.fields))
    return await processor_form(request, access, state, f"/organisations/{organisation_id}/processors")


@post("/organisations/{organisation_id:int}/processors", include_in_schema=False, opt=requires(Permission.EDIT_REGISTER))
async def create_processor(
    request: Request, organisation_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    values, state = forms.PROCESSOR.read(await request.form(), language(request))
    if values is not None:
        try:
            created = await changes.create_processor(organisation_id, values, access.actor)
            return see_other(processor_path(created.id))
        except StoreError as error:
            state.errors = forms.store_error(error, language(request))
    return await processor_form(request, access, state, f"/organisations/{organisation_id}/processors", status_code=400)


@get("/processors/{processor_id:int}/edit", include_in_schema=False, opt=requires(Permission.EDIT_REGISTER))
async def edit_processor(request: Request, processor_id: FromPath[int], access: NamedDependency[Access]) -> Template:
    processor = await reads.load_processor(processor_id, access.organisation_id)
    state = forms.FormState(values=forms.values_of(processor, forms.PROCESSOR.fields), version=processor.version)
    return await processor_form(request, access, state, processor_path(processor_id), processor)


@post("/processors/{processor_id:int}", include_in_schema=False, opt=requires(Permission.EDIT_REGISTER))
async def update_processor(
    request: Request, processor_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    processor = await reads.load_processor(processor_id, access.organisation_id)
    values, state = forms.PROCESSOR.read(await request.form(), language(request))
    if values is not None:
        try:
            await changes.update_processor(
                access.organisation_id, processor_id, values, state.version or 0, access.actor
            )
            return see_other(processor_path(processor_id))
        except StoreError as error:
            state.errors = forms.store_error(error, language(request))
    return await processor_form(request, access, state, processor_path(processor_id), processor, status_code=400)


@get("/processors/{processor_id:int}/delete", include_in_schema=False, opt=requires(Permission.EDIT_REGISTER))
async def confirm_processor_deletion(
    request: Request, processor_id: FromPath[int], access: NamedDependency[Access]
) -> Template:
    processor = await reads.load_processor(processor_id, access.organisation_id)
    return await render(request, "confirm_delete.html", access, section="processors", processor=processor)


@post("/processors/{processor_id:int}/delete", include_in_schema=False, opt=requires(Permission.EDIT_REGISTER))
async def delete_processor(request: Request, processor_id: FromPath[int], access: NamedDependency[Access]) -> Redirect:
    await changes.delete_processor(access.organisation_id, processor_id, access.actor)
    return see_other(f"/organisations/{access.organisation_id}/processors")


PROCESSOR_HANDLERS = [
    processor_index,
    processor_page,
    new_processor,
    create_processor,
    edit_processor,
    update_processor,
    confirm_processor_deletion,
    delete_processor,
]
