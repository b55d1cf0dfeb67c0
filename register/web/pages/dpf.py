"""DPF certifications: upload the DPF participants list, review the proposed
matches with the register's US processors and sub-processors, confirm some.

Nothing is written until the DPO confirms: the proposals page carries each
proposal's record, the version read and the value to record; confirming
writes them in one audited transaction (a record changed in between refuses
the whole batch with 409)."""

from __future__ import annotations

from datetime import date

import anyio.to_thread
from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from register.i18n import words
from register.intake.dpf_list import DpfList, match_participants, parse_key, read_dpf_list
from register.intake.model import IntakeError
from register.settings import intake_limits
from register.store.dpf import DpfDecision, apply_dpf_checks, load_dpf_candidates
from register.store.errors import InvalidReference
from register.web.access import Access, Permission, requires
from register.web.forms import FormState
from register.web.pages.common import language, render, see_other, today

EDIT = requires(Permission.EDIT_REGISTER)
PASTED_NAME = "pasted.csv"


def refusal_text(error: IntakeError, language_code: str) -> str:
    said = words(language_code)
    if error.code == "header_missing":
        return said.gettext("No column names the organisation (for example “Organization Name”) in the first 20 rows.")
    if error.code == "empty":
        return said.gettext("The list names no participant.")
    if error.code in ("too_large", "too_many_rows", "zip_bomb"):
        return said.gettext("The file is too large to be read.")
    return said.gettext("The file cannot be read as a CSV, xlsx or ods list.")


@get("/organisations/{organisation_id:int}/dpf", include_in_schema=False, opt=EDIT)
async def dpf_page(
    request: Request, organisation_id: FromPath[int], access: NamedDependency[Access], confirmed: FromQuery[int | None] = None
) -> Template:
    return await upload_page(request, access, FormState(), confirmed=confirmed)


async def upload_page(
    request: Request, access: Access, form: FormState, status_code: int = 200, confirmed: int | None = None
) -> Template:
    return await render(
        request, "dpf.html", access, section="processors", form=form, status_code=status_code, confirmed=confirmed
    )


async def uploaded_list(request: Request) -> tuple[bytes, str]:
    data = await request.form()
    upload = data.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        return await upload.read(), upload.filename
    return str(data.get("text", "")).encode("utf-8"), PASTED_NAME


@post("/organisations/{organisation_id:int}/dpf", include_in_schema=False, opt=EDIT)
async def dpf_proposals(request: Request, organisation_id: FromPath[int], access: NamedDependency[Access]) -> Template:
    """Read the uploaded list and show what it would change (nothing is written)."""
    content, filename = await uploaded_list(request)
    form = FormState()
    dpf: DpfList | None = None
    if not content.strip():
        form.errors["file"] = words(language(request)).gettext("Choose the DPF list file, or paste its content.")
    else:
        try:
            dpf = await anyio.to_thread.run_sync(read_dpf_list, content, filename, intake_limits())
        except IntakeError as error:
            form.errors["file"] = refusal_text(error, language(request))
    if dpf is None:
        return await upload_page(request, access, form, 400)
    proposals = match_participants(dpf, await load_dpf_candidates(organisation_id))
    return await render(
        request, "dpf_proposals.html", access, section="processors",
        dpf=dpf, proposals=proposals, checked_on=today(), form=FormState(values={"checked_on": today().isoformat()}),
    )


@post("/organisations/{organisation_id:int}/dpf/confirm", include_in_schema=False, opt=EDIT)
async def confirm_dpf(
    request: Request, organisation_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    """Record the confirmed proposals (dpf_certified and the check date) in one transaction."""
    data = await request.form()
    said = words(language(request))
    form = FormState(values={"checked_on": str(data.get("checked_on", ""))})
    decisions = []
    try:
        for key in data.getall("proposal", []):
            kind, record_id, version, certified = parse_key(str(key))
            decisions.append(DpfDecision(kind, record_id, version, certified))
    except ValueError:
        form.errors["proposal"] = said.gettext("The proposals sent are not the ones shown: upload the list again.")
    try:
        checked_on = date.fromisoformat(form.values["checked_on"])
    except ValueError:
        form.errors["checked_on"] = said.gettext("Enter a date (YYYY-MM-DD).")
    if not decisions and not form.errors:
        form.errors["proposal"] = said.gettext("Choose at least one proposal to confirm.")
    if form.valid:
        try:
            count = await apply_dpf_checks(
                organisation_id, decisions, checked_on, access.actor, str(data.get("source", ""))[:200]
            )
            return see_other(f"/organisations/{organisation_id}/dpf?confirmed={count}")
        except InvalidReference:
            form.errors["proposal"] = said.gettext("Choose at least one proposal to confirm.")
    return await upload_page(request, access, form, 400)


DPF_HANDLERS = [dpf_page, dpf_proposals, confirm_dpf]
