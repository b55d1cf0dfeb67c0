"""Vendor questionnaire pages.

The DPO's side: a processor's questionnaires, a new link (shown once, with the
e-mail to copy), revocation, and the review of a proposal field by field.
The vendor's side: ``/q/<token>``, public, the token its only key; a wrong,
expired, revoked or used-up token answers the same 404 page. It is rate-limited
per link and per address, carries a CSRF token (the cookie Litestar sets on the
GET, as on the sign-in page), caps every field and the body, checks the DPA like
every upload, and works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from register.i18n import words
from register.intake.questionnaire import (
    FIELD_LABELS,
    INFORMATION_FIELDS,
    PROPOSAL_FIELDS,
    SECURITY_MEASURES,
    TRANSFER_TOOLS,
    blank_answers,
    edit_text,
    parse_edit,
    read_answers,
    sub_processor_rows,
)
from register.reference import load_reference
from register.settings import files_max_bytes, questionnaire_settings
from register.store import questionnaires
from register.store.errors import Conflict, InvalidReference, NotFound, StaleVersion
from register.store.files import FileRefused
from register.web import forms
from register.web.access import PUBLIC, Access, Permission, requires
from register.web.pages.common import language, render, see_other
from register.web.questionnaires import (
    invitation_email,
    questionnaire_url,
    read_vendor_dpa,
    seconds_to_wait,
)

READ = requires(Permission.READ_REGISTER)
EDIT = requires(Permission.EDIT_REGISTER)
PUBLIC_PATH = "/q/{token:str}"
NO_STORE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}


def list_path(processor_id: int) -> str:
    return f"/processors/{processor_id}/questionnaires"


def review_path(questionnaire_id: int) -> str:
    return f"/questionnaires/{questionnaire_id}"


# ------------------------------------------------------------------ the DPO's side


async def list_page(
    request: Request, access: Access, processor_id: int, created: dict[str, Any] | None = None,
    error: str = "", status_code: int = 200,
) -> Template:
    from register.store import reads

    processor = await reads.load_processor(processor_id, access.organisation_id)
    return await render(
        request, "questionnaires.html", access, section="processors", status_code=status_code,
        processor=processor, questionnaires=await questionnaires.list_questionnaires(access.organisation_id, processor_id),
        now=questionnaires.now_utc(), created=created, error=error,
        expiry_days=questionnaire_settings().expiry_days,
    )  # fmt: skip


@get("/processors/{processor_id:int}/questionnaires", include_in_schema=False, opt=READ)
async def show_questionnaires(request: Request, processor_id: FromPath[int], access: NamedDependency[Access]) -> Template:
    return await list_page(request, access, processor_id)


@post("/processors/{processor_id:int}/questionnaires", include_in_schema=False, opt=EDIT)
async def create_questionnaire(request: Request, processor_id: FromPath[int], access: NamedDependency[Access]) -> Template:
    """A new link, shown once on the page that answers, with the e-mail to copy."""
    form = await request.form()
    chosen = form.get("language") if form.get("language") in ("fr", "en") else language(request)
    try:
        questionnaire, token = await questionnaires.create_questionnaire(
            access.organisation_id, processor_id, chosen, str(form.get("recipient") or "")[:300],
            questionnaire_settings().expiry_days, access.actor,
        )
    except InvalidReference as error:
        return await list_page(request, access, processor_id, error=str(error), status_code=400)
    url = questionnaire_url(request, token, questionnaire.language)
    organisation_name = await questionnaires.organisation_name(access.organisation_id)
    from register.store import reads

    processor = await reads.load_processor(processor_id, access.organisation_id)
    email = invitation_email(
        questionnaire, url, organisation_name, processor.legal_name,
        access.account.display_name or access.account.email,
    )
    return await list_page(request, access, processor_id, created={"url": url, "email": email, "id": questionnaire.id})


@post("/questionnaires/{questionnaire_id:int}/revoke", include_in_schema=False, opt=EDIT)
async def revoke_questionnaire(questionnaire_id: FromPath[int], access: NamedDependency[Access]) -> Redirect:
    revoked = await questionnaires.revoke_questionnaire(access.organisation_id, questionnaire_id, access.actor)
    return see_other(list_path(revoked.processor_id))


async def review_page(
    request: Request, access: Access, questionnaire_id: int, errors: dict[str, str] | None = None,
    edits: dict[str, str] | None = None, chosen: dict[str, str] | None = None, status_code: int = 200,
) -> Template:
    proposal = await questionnaires.load_proposal(access.organisation_id, questionnaire_id)
    answers = proposal.questionnaire.answers
    return await render(
        request, "questionnaire_review.html", access, section="processors", status_code=status_code,
        proposal=proposal, q=proposal.questionnaire, p=proposal.processor, labels=FIELD_LABELS,
        edits={c.name: (edits or {}).get(c.name, edit_text(c.name, c.proposed)) for c in proposal.changes},
        chosen=chosen or {}, errors=errors or {}, now=questionnaires.now_utc(),
        information={name: answers.get(name) for name in INFORMATION_FIELDS}, tools=TRANSFER_TOOLS,
    )  # fmt: skip


@get("/questionnaires/{questionnaire_id:int}", include_in_schema=False, opt=READ)
async def show_questionnaire(request: Request, questionnaire_id: FromPath[int], access: NamedDependency[Access]) -> Template:
    return await review_page(request, access, questionnaire_id)


@post("/questionnaires/{questionnaire_id:int}/decision", include_in_schema=False, opt=EDIT)
async def decide_questionnaire(
    request: Request, questionnaire_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    """Apply the DPO's field-by-field decisions (one transaction); the form again on a bad edit
    (400, naming the field) or a proposal decided meanwhile (409)."""
    form = await request.form()
    said = words(language(request))
    countries = load_reference().countries
    decisions: dict[str, questionnaires.FieldDecision] = {}
    errors: dict[str, str] = {}
    edits: dict[str, str] = {}
    chosen: dict[str, str] = {}
    for name in PROPOSAL_FIELDS:
        decision = str(form.get(f"decision__{name}") or "")
        if not decision:
            continue
        chosen[name] = decision
        raw = str(form.get(f"edit__{name}") or "")[:20_000]
        edits[name] = raw
        if decision == "edit":
            try:
                decisions[name] = questionnaires.FieldDecision("edit", parse_edit(name, raw, countries, language(request)))
            except ValueError as problem:
                errors[name] = said.gettext("%(field)s: %(problem)s", field=said.gettext(PROPOSAL_FIELDS[name]), problem=str(problem))
        else:
            decisions[name] = questionnaires.FieldDecision(decision)
    version = str(form.get("version") or "")
    if not version.isdigit():
        errors[forms.FORM_ERROR] = said.gettext("Reload the page, then decide again.")
    if errors:
        return await review_page(request, access, questionnaire_id, errors, edits, chosen, status_code=400)
    try:
        await questionnaires.decide_proposal(access.organisation_id, questionnaire_id, int(version), decisions, access.actor)
    except (StaleVersion, Conflict):
        message = said.gettext("This proposal was decided or changed in the meantime: reload the page to see it.")
        return await review_page(request, access, questionnaire_id, {forms.FORM_ERROR: message}, edits, chosen, status_code=409)
    except InvalidReference as error:
        return await review_page(request, access, questionnaire_id, forms.store_error(error, language(request)), edits, chosen, status_code=400)
    return see_other(review_path(questionnaire_id))


# ------------------------------------------------------------------ the vendor's side


def not_found() -> NotFoundException:
    return NotFoundException("not found")


def too_many(request: Request, retry_after: int) -> Template:
    return Template("error.html", status_code=429, context={"status_code": 429, "account": None},
                    headers={"Retry-After": str(retry_after), **NO_STORE})  # fmt: skip


def vendor_page(
    request: Request, view: questionnaires.VendorView, token: str, answers: dict[str, Any],
    errors: dict[str, str] | None = None, saved: bool = False, status_code: int = 200,
) -> Template:
    from register.web.countries import country_choices

    lang = language(request)
    return Template(
        "questionnaire_public.html", status_code=status_code, headers=NO_STORE,
        context={
            "account": None, "view": view, "token": token, "a": {**blank_answers(), **answers},
            "errors": errors or {}, "saved": saved, "tools": TRANSFER_TOOLS,
            "measures": SECURITY_MEASURES, "labels": FIELD_LABELS, "countries": country_choices(lang),
            "rows": sub_processor_rows(answers), "max_megabytes": max(1, files_max_bytes() // (1024 * 1024)),
        },
    )  # fmt: skip


async def _opened(request: Request, token: str) -> questionnaires.VendorView | Template:
    wait = await seconds_to_wait(request, token)
    if wait:
        return too_many(request, wait)
    view = await questionnaires.open_by_token(token)
    if view is None:
        raise not_found()
    return view


@get(PUBLIC_PATH, opt=PUBLIC, include_in_schema=False)
async def vendor_questionnaire(request: Request, token: FromPath[str]) -> Template | Redirect:
    opened = await _opened(request, token)
    if isinstance(opened, Template):
        return opened
    if request.query_params.get("lang") not in ("fr", "en"):  # the sender's language, until the vendor switches
        return Redirect(f"/q/{token}?lang={opened.questionnaire.language}", status_code=303)
    return vendor_page(request, opened, token, opened.questionnaire.answers, saved=request.query_params.get("saved") == "1")


@post(PUBLIC_PATH, opt=PUBLIC, include_in_schema=False, request_max_body_size=None, status_code=200)
async def answer_questionnaire(request: Request, token: FromPath[str]) -> Template | Redirect:
    """Save the draft, or send the answers (the link is then used up)."""
    opened = await _opened(request, token)
    if isinstance(opened, Template):
        return opened
    form = await request.form()
    lang = language(request)
    submitting = form.get("action") == "submit"

    def values(name: str) -> list[str]:
        return [value for value in form.getall(name, []) if isinstance(value, str)]

    answers, errors = read_answers(values, load_reference().countries, lang, submitting=submitting)
    dpa = None
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        content = await upload.read()
        await upload.close()
        dpa = (content, upload.filename)
    if errors:
        return vendor_page(request, opened, token, answers, errors, status_code=400)
    try:
        if submitting:
            await questionnaires.submit_answers(token, answers, dpa, read_vendor_dpa)
        else:
            await questionnaires.save_answers(token, answers, dpa)
    except FileRefused as refusal:
        return vendor_page(request, opened, token, answers, {"dpa": refusal.reason.message(lang)}, status_code=refusal.status)
    except NotFound:
        raise not_found() from None
    if submitting:  # the link is used up: the thanks are on a page of their own (no resubmission on reload)
        return Redirect(f"/questionnaire-sent?lang={lang}", status_code=303)
    return Redirect(f"/q/{token}?lang={lang}&saved=1", status_code=303)


@get("/questionnaire-sent", opt=PUBLIC, include_in_schema=False)
async def questionnaire_sent() -> Template:
    """The vendor's thanks after sending (it names nothing: the link is used up)."""
    return Template("questionnaire_sent.html", headers=NO_STORE, context={"account": None})


QUESTIONNAIRE_HANDLERS = [
    questionnaire_sent,
    show_questionnaires,
    create_questionnaire,
    revoke_questionnaire,
    show_questionnaire,
    decide_questionnaire,
    vendor_questionnaire,
    answer_questionnaire,
]
