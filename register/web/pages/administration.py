"""The audit trail (read by auditors, DPOs and admins) and the organisation's
members (managed by its admins)."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from register.history.report import changed_fields
from register.store import changes, reads
from register.store.audit import load_audit_page
from register.store.errors import NotFound, StoreError
from register.store.members import add_member, list_members, remove_member, revoke_member_tokens
from register.vocabulary import Role
from register.schemas import MAX_ID
from register.web import forms
from register.web.access import Access, Permission, requires
from register.web.pages.common import language, record_form_page, render, see_other
from register.i18n import words
from register.i18n.dates import table_date
from register.i18n.terms import has_term, term

AUDIT_PER_PAGE = 50
MANAGE = requires(Permission.MANAGE_ORGANISATION)

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def audit_value(name: str, value: object, lang: str) -> str:
    """A recorded value as the audit trail shows it: dates in the page's language,
    what a task is about by its name, anything else as stored (JSON)."""
    if isinstance(value, str) and ISO_DAY.match(value):
        try:
            return table_date(date.fromisoformat(value), lang)
        except ValueError:
            pass
    if name == "subject_kind" and isinstance(value, str) and has_term(f"entity.{value}"):
        return term(f"entity.{value}", lang)
    return json.dumps(value, ensure_ascii=False)


@get("/organisations/{organisation_id:int}/audit", include_in_schema=False, opt=requires(Permission.READ_AUDIT))
async def audit_trail(
    request: Request,
    organisation_id: FromPath[int],
    access: NamedDependency[Access],
    page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
) -> Template:
    events = await load_audit_page(organisation_id, page, AUDIT_PER_PAGE)
    pages = max(1, -(-events.total // AUDIT_PER_PAGE))
    return await render(
        request,
        "audit.html",
        access,
        section="audit",
        events=events,
        pages=pages,
        changes={event.id: changed_fields(event.before, event.after) for event in events.items},
        page_params=lambda number: {"page": str(number)},
        audit_value=lambda name, value: audit_value(name, value, language(request)),
    )


async def members_page(
    request: Request,
    access: Access,
    state: forms.FormState | None = None,
    status_code: int = 200,
    created: dict[str, str] | None = None,
    revoked: int | None = None,
) -> Template:
    return await render(
        request,
        "members.html",
        access,
        section="members",
        status_code=status_code,
        members=await list_members(access.organisation_id),
        roles=[r.value for r in Role],
        form=state or forms.FormState(values={"email": "", "role": Role.AUDITOR.value}),
        created=created,
        revoked=revoked,
    )


@get("/organisations/{organisation_id:int}/members", include_in_schema=False, opt=MANAGE)
async def members(request: Request, access: NamedDependency[Access]) -> Template:
    return await members_page(request, access)


@post("/organisations/{organisation_id:int}/members", include_in_schema=False, opt=MANAGE)
async def set_member(request: Request, access: NamedDependency[Access]) -> Template | Redirect:
    """Add a member (creating the account if needed), or change a member's role."""
    data = await request.form()
    state = forms.FormState(values={"email": str(data.get("email", "")).strip(), "role": str(data.get("role", ""))})
    if state.values["role"] not in Role._value2member_map_:
        state.errors["role"] = words(language(request)).gettext("Choose a value from the list.")
    if "@" not in state.values["email"] or "\x00" in state.values["email"]:
        state.errors["email"] = words(language(request)).gettext("Enter an e-mail address.")
    if state.valid:
        try:
            temporary_password = await add_member(
                access.organisation_id, state.values["email"], Role(state.values["role"]), access.actor
            )
        except (StoreError, ValueError) as error:
            state.errors = _member_error(error, language(request))
        else:
            if temporary_password is None:
                return see_other(f"/organisations/{access.organisation_id}/members")
            # Shown once, on this answer only: it is stored nowhere in clear.
            created = {"email": state.values["email"], "password": temporary_password}
            return await members_page(request, access, created=created)
    return await members_page(request, access, state, status_code=400)


def _member_error(error: Exception, lang: str) -> dict[str, str]:
    if isinstance(error, NotFound):
        return {"email": words(lang).gettext("No account with this address: create it first (register createuser).")}
    if isinstance(error, ValueError):
        return {"email": words(lang).gettext("Enter an e-mail address.")}
    return {forms.FORM_ERROR: words(lang).gettext("The organisation must keep at least one admin.")}


@post("/organisations/{organisation_id:int}/members/remove", include_in_schema=False, opt=MANAGE)
async def remove(request: Request, access: NamedDependency[Access]) -> Template | Redirect:
    data = await request.form()
    user_id = str(data.get("user_id", ""))
    state = forms.FormState(values={"email": "", "role": Role.AUDITOR.value})
    if user_id.isdigit() and int(user_id) <= MAX_ID:
        try:
            await remove_member(access.organisation_id, int(user_id), access.actor)
            return see_other(f"/organisations/{access.organisation_id}/members")
        except StoreError as error:
            state.errors = _member_error(error, language(request))
    return await members_page(request, access, state, status_code=400)


@post("/organisations/{organisation_id:int}/members/revoke-tokens", include_in_schema=False, opt=MANAGE)
async def revoke_tokens(request: Request, access: NamedDependency[Access]) -> Template:
    """Revoke every API token of a member; the page says how many were revoked."""
    data = await request.form()
    user_id = str(data.get("user_id", ""))
    state = forms.FormState(values={"email": "", "role": Role.AUDITOR.value})
    if user_id.isdigit():
        try:
            revoked = await revoke_member_tokens(access.organisation_id, int(user_id), access.actor)
            return await members_page(request, access, revoked=revoked)
        except StoreError as error:
            state.errors = _member_error(error, language(request))
    else:
        state.errors = {forms.FORM_ERROR: words(language(request)).gettext("No account with this address: create it first (register createuser).")}
    return await members_page(request, access, state, status_code=400)



# ------------------------------------------------------------------ the organisation's details


def organisation_path(organisation_id: int) -> str:
    return f"/organisations/{organisation_id}/details"


async def organisation_form(
    request: Request, access: Access, state: forms.FormState, status_code: int = 200
) -> Template:
    path = organisation_path(access.organisation_id)
    return await record_form_page(
        request,
        access,
        form=state,
        fieldsets=forms.ORGANISATION.fieldsets,
        action=path,
        title_key="title.edit_organisation",
        processor=None,
        back=f"/organisations/{access.organisation_id}",
        status_code=status_code,
    )


@get("/organisations/{organisation_id:int}/details", include_in_schema=False, opt=MANAGE)
async def organisation_details(request: Request, access: NamedDependency[Access]) -> Template:
    """Name, country, DPO, postal address and contact person (Annex I of the DPA)."""
    organisation = await reads.load_organisation(access.organisation_id)
    state = forms.FormState(
        values=forms.values_of(organisation, forms.ORGANISATION.fields), version=organisation.version
    )
    return await organisation_form(request, access, state)


@post("/organisations/{organisation_id:int}/details", include_in_schema=False, opt=MANAGE)
async def save_organisation_details(request: Request, access: NamedDependency[Access]) -> Template | Redirect:
    values, state = forms.ORGANISATION.read(await request.form(), language(request))
    if values is not None:
        try:
            await changes.update_organisation(access.organisation_id, values, state.version or 0, access.actor)
            return see_other(organisation_path(access.organisation_id))
        except StoreError as error:
            state.errors = forms.store_error(error, language(request))
    return await organisation_form(request, access, state, status_code=400)


ADMINISTRATION_HANDLERS = [
    audit_trail, members, set_member, remove, revoke_tokens, organisation_details, save_organisation_details,
]
