"""What every page needs: the caller's organisations (for the switcher), the
current organisation and role, what the role may do, and the UI language."""

from __future__ import annotations

from datetime import date
from typing import Any, Sequence


from litestar import Request
from litestar.response import Redirect, Template

from register.compliance.model import Processor
from register.compliance.results import RegisterAssessment
from register.store import reads, snapshots
from register.web import forms
from register.web.access import Access, Permission
from register.i18n import language_of

FORM_ENCTYPE = "application/x-www-form-urlencoded"


def today() -> date:
    return date.today()


async def assessed_register(organisation_id: int) -> tuple[Sequence[Processor], RegisterAssessment]:
    """The organisation's register and its assessment as of today, computed once per
    revision of the register (see :mod:`register.store.snapshots`)."""
    snapshot, assessment = await snapshots.register_assessment(organisation_id, today())
    return snapshot.processors, assessment


def permissions(access: Access | None) -> dict[str, bool]:
    """``can.<permission>`` for the templates: what to show, never what to allow
    (the guard decides that on every request)."""
    return {p.value: access is not None and access.allows(p) for p in Permission}


async def render(
    request: Request,
    template: str,
    access: Access | None = None,
    section: str = "",
    status_code: int = 200,
    **context: Any,
) -> Template:
    """A page in the layout: ``section`` marks the navigation entry of the page."""
    account = request.user
    organisations = await reads.list_organisations_of(list(account.memberships))
    current_id = access.organisation_id if access is not None else getattr(request.auth, "organisation_id", None)
    organisation = next((o for o in organisations if o.id == current_id), None)
    return Template(
        template_name=template,
        status_code=status_code,
        context={
            "account": account,
            "organisations": organisations,
            "organisation": organisation,
            "role": access.role.value if access is not None else None,
            "can": permissions(access),
            "section": section,
            "today": today(),
            **context,
        },
    )


def see_other(path: str) -> Redirect:
    """After a successful POST: show the result with a GET (no resubmission on reload)."""
    return Redirect(path, status_code=303)


def language(request: Request) -> str:
    return language_of(request)


async def record_form_page(
    request: Request,
    access: Access,
    *,
    form: forms.FormState,
    fieldsets: Any,
    action: str,
    title_key: str,
    processor: Processor | None,
    back: str,
    options: dict | None = None,
    with_countries: bool = True,
    status_code: int = 200,
) -> Template:
    """The form page for a processor or one of its records (``record_form.html``)."""
    return await render(
        request,
        "record_form.html",
        access,
        section="processors",
        status_code=status_code,
        form=form,
        fieldsets=fieldsets,
        action=action,
        title_key=title_key,
        processor=processor,
        back=back,
        options=options or {},
        countries=forms.country_choices(language(request)) if with_countries else [],
    )
