"""Forms for what a processor owns: locations, sub-processors, transfer
safeguards, its agreement (DPA) and the agreement's Art. 28 checklist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from register.compliance.model import Processor
from register.reference import load_reference
from register.store import changes, reads
from register.store.errors import NotFound, StoreError
from register.web import forms
from register.web.access import Access, Permission, requires
from register.web.pages.common import language, record_form_page, render, see_other
from register.web.pages.processors import processor_path

EDIT = requires(Permission.EDIT_REGISTER)


@dataclass(frozen=True, slots=True)
class OwnedKind:
    """One kind of record a processor owns, as the store and the forms know it."""

    kind: str  # the store's name: "location" | "sub_processor" | "safeguard"
    segment: str  # in URLs
    form: forms.RecordForm
    add: Callable[..., Awaitable[Processor]]
    records: Callable[[Processor], tuple]


LOCATIONS = OwnedKind("location", "locations", forms.LOCATION, changes.add_location, lambda p: p.locations)
SUB_PROCESSORS = OwnedKind(
    "sub_processor", "sub-processors", forms.SUB_PROCESSOR, changes.add_sub_processor, lambda p: p.sub_processors
)
SAFEGUARDS = OwnedKind("safeguard", "safeguards", forms.SAFEGUARD, changes.add_safeguard, lambda p: p.safeguards)


def owned(kind: OwnedKind, processor: Processor, record_id: int) -> Any:
    found = next((r for r in kind.records(processor) if r.id == record_id), None)
    if found is None:
        raise NotFound(kind.kind, record_id)
    return found


async def reference_options(kind: OwnedKind, processor: Processor, organisation_id: int) -> dict[str, list]:
    """Choices that depend on the record: a safeguard's sub-processor, a sub-processor's register entry."""
    if kind is SAFEGUARDS:
        return {"sub_processor_id": [(s.id, s.name) for s in processor.sub_processors]}
    if kind is SUB_PROCESSORS:
        statuses = await reads.list_processor_statuses(organisation_id)
        return {
            "registered_processor_id": [
                (s.id, s.trade_name or s.legal_name) for s in statuses if s.id != processor.id
            ]
        }
    return {}


async def owned_form(
    request: Request,
    access: Access,
    kind: OwnedKind,
    processor: Processor,
    state: forms.FormState,
    action: str,
    editing: bool,
    status_code: int = 200,
) -> Template:
    return await record_form_page(
        request,
        access,
        form=state,
        fieldsets=kind.form.fieldsets,
        action=action,
        title_key=f"title.{'edit' if editing else 'new'}_{kind.kind}",
        processor=processor,
        back=f"{processor_path(processor.id)}#{kind.segment}",
        options=await reference_options(kind, processor, access.organisation_id),
        status_code=status_code,
    )


PREFILL_MAX_LENGTH = 200


def _prefilled(kind: OwnedKind, request: Request) -> dict[str, str]:
    """What a finding's "fix" link knows already (country, sub-processor, mechanism, SCC module…):
    fields of the form only, shown in the form and validated like typed values when saved."""
    names = {spec.name for spec in kind.form.fields}
    given = {name: str(request.query_params.get(name, "")) for name in names}
    return {k: v for k, v in given.items() if v and len(v) <= PREFILL_MAX_LENGTH}


def owned_handlers(kind: OwnedKind) -> list:
    """New/create/edit/update/delete pages for one kind of owned record."""
    base = "/processors/{processor_id:int}/" + kind.segment
    record = "{" + f"{kind.kind}_id" + ":int}"  # location_id, sub_processor_id, safeguard_id
    name = kind.kind

    @get(f"{base}/new", include_in_schema=False, opt=EDIT, name=f"new_{name}")
    async def new(request: Request, processor_id: FromPath[int], access: NamedDependency[Access]) -> Template:
        processor = await reads.load_processor(processor_id, access.organisation_id)
        state = forms.FormState(values=forms.blank_values(kind.form.fields, **_prefilled(kind, request)))
        return await owned_form(request, access, kind, processor, state, _path(processor_id, kind), False)

    @post(base, include_in_schema=False, opt=EDIT, name=f"create_{name}")
    async def create(
        request: Request, processor_id: FromPath[int], access: NamedDependency[Access]
    ) -> Template | Redirect:
        processor = await reads.load_processor(processor_id, access.organisation_id)
        values, state = kind.form.read(await request.form(), language(request))
        if values is not None:
            try:
                await kind.add(access.organisation_id, processor_id, values, access.actor)
                return see_other(f"{processor_path(processor_id)}#{kind.segment}")
            except StoreError as error:
                state.errors = forms.store_error(error, language(request))
        return await owned_form(
            request, access, kind, processor, state, _path(processor_id, kind), False, status_code=400
        )

    async def edit(request: Request, processor_id: int, record_id: int, access: Access) -> Template:
        processor = await reads.load_processor(processor_id, access.organisation_id)
        current = owned(kind, processor, record_id)
        values = {**forms.values_of(current, kind.form.fields), **_prefilled(kind, request)}
        state = forms.FormState(values=values, version=current.version)
        return await owned_form(
            request, access, kind, processor, state, _path(processor_id, kind, record_id), True
        )

    async def update(request: Request, processor_id: int, record_id: int, access: Access) -> Template | Redirect:
        processor = await reads.load_processor(processor_id, access.organisation_id)
        owned(kind, processor, record_id)
        values, state = kind.form.read(await request.form(), language(request))
        if values is not None:
            try:
                await changes.update_child(
                    kind.kind, access.organisation_id, processor_id, record_id, values,
                    state.version or 0, access.actor,
                )
                return see_other(f"{processor_path(processor_id)}#{kind.segment}")
            except StoreError as error:
                state.errors = forms.store_error(error, language(request))
        return await owned_form(
            request, access, kind, processor, state, _path(processor_id, kind, record_id), True, status_code=400
        )

    async def remove(processor_id: int, record_id: int, access: Access) -> Redirect:
        await changes.delete_child(kind.kind, access.organisation_id, processor_id, record_id, access.actor)
        return see_other(f"{processor_path(processor_id)}#{kind.segment}")

    return [new, create, *_record_routes(kind, base, record, edit, update, remove)]


def _path(processor_id: int, kind: OwnedKind, record_id: int | None = None) -> str:
    path = f"{processor_path(processor_id)}/{kind.segment}"
    return f"{path}/{record_id}" if record_id is not None else path


def _record_routes(kind: OwnedKind, base: str, record: str, edit, update, remove) -> list:
    """The routes naming one record: its path parameter differs by kind (location_id, …)."""
    parameter = record[1:].split(":")[0]
    name = kind.kind

    @get(f"{base}/{record}/edit", include_in_schema=False, opt=EDIT, name=f"edit_{name}")
    async def edit_page(request: Request, processor_id: FromPath[int], access: NamedDependency[Access]) -> Template:
        return await edit(request, processor_id, int(request.path_params[parameter]), access)

    @post(f"{base}/{record}", include_in_schema=False, opt=EDIT, name=f"update_{name}")
    async def update_record(
        request: Request, processor_id: FromPath[int], access: NamedDependency[Access]
    ) -> Template | Redirect:
        return await update(request, processor_id, int(request.path_params[parameter]), access)

    @post(f"{base}/{record}/delete", include_in_schema=False, opt=EDIT, name=f"delete_{name}")
    async def delete_record(request: Request, processor_id: FromPath[int], access: NamedDependency[Access]) -> Redirect:
        return await remove(processor_id, int(request.path_params[parameter]), access)

    return [edit_page, update_record, delete_record]


# ------------------------------------------------------------------ the agreement


async def agreement_form(
    request: Request, access: Access, processor: Processor, state: forms.FormState, status_code: int = 200
) -> Template:
    return await record_form_page(
        request,
        access,
        form=state,
        fieldsets=forms.AGREEMENT.fieldsets,
        action=f"{processor_path(processor.id)}/agreement",
        title_key="title.edit_agreement" if processor.agreement else "title.new_agreement",
        processor=processor,
        back=f"{processor_path(processor.id)}#agreement",
        with_countries=False,
        status_code=status_code,
    )


@get("/processors/{processor_id:int}/agreement", include_in_schema=False, opt=EDIT)
async def edit_agreement(request: Request, processor_id: FromPath[int], access: NamedDependency[Access]) -> Template:
    processor = await reads.load_processor(processor_id, access.organisation_id)
    agreement = processor.agreement
    if agreement is None:
        state = forms.FormState(values=forms.blank_values(forms.AGREEMENT.fields))
    else:
        state = forms.FormState(values=forms.values_of(agreement, forms.AGREEMENT.fields), version=agreement.version)
    return await agreement_form(request, access, processor, state)


@post("/processors/{processor_id:int}/agreement", include_in_schema=False, opt=EDIT)
async def save_agreement(
    request: Request, processor_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    processor = await reads.load_processor(processor_id, access.organisation_id)
    values, state = forms.AGREEMENT.read(await request.form(), language(request))
    if values is not None:
        try:
            if processor.agreement is None:
                await changes.create_agreement(access.organisation_id, processor_id, values, access.actor)
            else:
                await changes.update_agreement(
                    access.organisation_id, processor_id, values, state.version or 0, access.actor
                )
            return see_other(f"{processor_path(processor_id)}#agreement")
        except StoreError as error:
            state.errors = forms.store_error(error, language(request))
    return await agreement_form(request, access, processor, state, status_code=400)


@post("/processors/{processor_id:int}/agreement/delete", include_in_schema=False, opt=EDIT)
async def delete_agreement(processor_id: FromPath[int], access: NamedDependency[Access]) -> Redirect:
    await changes.delete_agreement(access.organisation_id, processor_id, access.actor)
    return see_other(f"{processor_path(processor_id)}#agreement")


# ------------------------------------------------------------------ the Art. 28 checklist


async def checklist_page(
    request: Request, access: Access, processor: Processor, state: forms.FormState, status_code: int = 200
) -> Template:
    return await render(
        request,
        "clauses.html",
        access,
        section="processors",
        status_code=status_code,
        processor=processor,
        form=state,
        items=load_reference().art28_items,
        status_field=forms.CLAUSE_STATUS,
        field_name=forms.clause_field,
    )


def _agreement_clauses(processor: Processor) -> dict[str, Any]:
    if processor.agreement is None:
        raise NotFound("agreement of processor", processor.id)
    return {clause.item: clause for clause in processor.agreement.clauses}


@get("/processors/{processor_id:int}/agreement/clauses", include_in_schema=False, opt=EDIT)
async def edit_checklist(request: Request, processor_id: FromPath[int], access: NamedDependency[Access]) -> Template:
    processor = await reads.load_processor(processor_id, access.organisation_id)
    current = _agreement_clauses(processor)
    items = load_reference().art28_item_ids()
    state = forms.FormState(values=forms.checklist_values(items, current))
    return await checklist_page(request, access, processor, state)


@post("/processors/{processor_id:int}/agreement/clauses", include_in_schema=False, opt=EDIT)
async def save_checklist(
    request: Request, processor_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    """Every item is validated first; then the items that changed are saved in one transaction."""
    processor = await reads.load_processor(processor_id, access.organisation_id)
    current = _agreement_clauses(processor)
    data = await request.form()
    rows, state = forms.read_checklist(data, load_reference().art28_item_ids(), current, language(request))
    if state.valid:
        try:
            changed = [(row.item, row.values, row.version) for row in rows if row.changed and row.values is not None]
            if changed:
                await changes.put_clauses(access.organisation_id, processor_id, changed, access.actor)
            return see_other(f"{processor_path(processor_id)}#checklist")
        except StoreError as error:
            state.errors = forms.store_error(error, language(request))
    for item in current:
        state.values.setdefault(forms.clause_field(item, "version"), str(current[item].version))
    return await checklist_page(request, access, processor, state, status_code=400)


RECORD_HANDLERS = [
    *owned_handlers(LOCATIONS),
    *owned_handlers(SUB_PROCESSORS),
    *owned_handlers(SAFEGUARDS),
    edit_agreement,
    save_agreement,
    delete_agreement,
    edit_checklist,
    save_checklist,
]
