"""Pages of the firm's vendor library: the firms and libraries the user may read, a firm's
library (with a form to add a vendor), a vendor's facts with who recorded each and when
(and, for the firm's admins, which clients use it), and, in a client's register, the
processor's link to the library with the change to review (accept or dismiss)."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from register.compliance.library import FACT_NAMES, VendorClause, VendorFacts, VendorLocation, VendorSubProcessor
from register.i18n import words
from register.reference import load_reference
from register.store import library, library_files, reads
from register.store.files import FileRefused
from register.web.downloads import stored_file_response
from register.store.errors import Conflict, InvalidReference, NotFound, StaleVersion
from register.vocabulary import ClauseStatus, LocationActivity, Role
from register.web.access import SIGNED_IN, Access, FirmAccess, FirmPermission, Permission, requires, requires_firm
from register.web.pages.common import language, render, see_other

COUNTRY_CODE_LENGTH = 2
MAX_LINES = 1000


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _number(form: Any, name: str) -> int:
    text = _text(form, name)
    return int(text) if text.isdigit() and len(text) < 10 else 0


def _country(value: str, field: str, said: Any) -> str:
    code = value.strip().upper()
    if len(code) != COUNTRY_CODE_LENGTH or not code.isalpha() or not code.isascii():
        raise InvalidReference(field, said.gettext("“%(value)s” is not a two-letter country code (FR, IE, US…).", value=value))
    return code


def _lines(form: Any, name: str) -> list[str]:
    lines = [line.strip() for line in _text(form, name).splitlines() if line.strip()]
    if len(lines) > MAX_LINES:
        raise InvalidReference(name, "too many lines")
    return lines


def _tristate(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def read_locations(form: Any, said: Any) -> tuple[VendorLocation, ...]:
    """One location a line: a country code, then optionally the activity (hosting,
    support_access, processing), e.g. ``US support_access``."""
    found = []
    for line in _lines(form, "locations"):
        parts = line.replace(",", " ").split()
        activity = LocationActivity.HOSTING
        if len(parts) > 1:
            try:
                activity = LocationActivity(parts[1].lower())
            except ValueError:
                raise InvalidReference("locations", said.gettext("Unknown activity “%(value)s” (hosting, support_access, processing).", value=parts[1])) from None
        found.append(VendorLocation(_country(parts[0], "locations", said), activity))
    return tuple(found)


def read_sub_processors(form: Any, said: Any) -> tuple[VendorSubProcessor, ...]:
    """One sub-processor a line: ``name | countries | purpose | DPF (yes/no)``."""
    found = []
    for line in _lines(form, "sub_processors"):
        cells = [cell.strip() for cell in line.split("|")] + ["", "", ""]
        if not cells[0]:
            raise InvalidReference("sub_processors", said.gettext("Every sub-processor line starts with its name."))
        countries = tuple(_country(c, "sub_processors", said) for c in cells[1].replace(",", " ").split())
        found.append(VendorSubProcessor(cells[0][:200], countries, cells[2][:2000], _tristate(cells[3].lower())))
    return tuple(found)


def read_clauses(form: Any) -> tuple[VendorClause, ...]:
    clauses = []
    for item in load_reference().art28_item_ids():
        value = _text(form, f"clause__{item}")
        if value and value != ClauseStatus.UNASSESSED.value:
            try:
                clauses.append(VendorClause(item, ClauseStatus(value)))
            except ValueError:
                raise InvalidReference("clauses", f"unknown status {value!r}") from None
    return tuple(clauses)


def read_vendor_form(form: Any, said: Any) -> VendorFacts:
    """The vendor's facts from the form; a bad value raises InvalidReference naming the field."""
    checked_on = None
    if _text(form, "dpf_checked_on"):
        try:
            checked_on = date.fromisoformat(_text(form, "dpf_checked_on"))
        except ValueError:
            raise InvalidReference("dpf_checked_on", said.gettext("Enter the date of the check (YYYY-MM-DD).")) from None
    country = _text(form, "country")
    return VendorFacts(
        legal_name=_text(form, "legal_name")[:200],
        trade_name=_text(form, "trade_name")[:200],
        website=_text(form, "website")[:500],
        country=_country(country, "country", said) if country else None,
        locations=read_locations(form, said),
        sub_processors=read_sub_processors(form, said),
        certifications=tuple(line[:200] for line in _lines(form, "certifications")),
        dpf_certified=_tristate(_text(form, "dpf_certified")),
        dpf_checked_on=checked_on,
        clauses=read_clauses(form),
    )


def vendor_form_values(facts: VendorFacts | None, form: Any = None) -> dict[str, str]:
    """The form's values: from the vendor's facts, or as sent back after an error."""
    if form is not None:
        names = ("legal_name", "trade_name", "website", "country", "locations", "sub_processors", "certifications",
                 "dpf_certified", "dpf_checked_on", "version")  # fmt: skip
        values = {name: _text(form, name) for name in names}
        values.update({f"clause__{item}": _text(form, f"clause__{item}") for item in load_reference().art28_item_ids()})
        return values
    if facts is None:
        return {"dpf_certified": "", "country": ""}
    values = {
        "legal_name": facts.legal_name,
        "trade_name": facts.trade_name,
        "website": facts.website,
        "country": facts.country or "",
        "locations": "\n".join(f"{loc.country} {loc.activity.value}" for loc in facts.locations),
        "sub_processors": "\n".join(
            f"{s.name} | {' '.join(s.countries)} | {s.purpose} | {'' if s.dpf_certified is None else 'yes' if s.dpf_certified else 'no'}"
            for s in facts.sub_processors
        ),
        "certifications": "\n".join(facts.certifications),
        "dpf_certified": "" if facts.dpf_certified is None else "yes" if facts.dpf_certified else "no",
        "dpf_checked_on": facts.dpf_checked_on.isoformat() if facts.dpf_checked_on else "",
    }
    values.update({f"clause__{c.item}": c.status.value for c in facts.clauses})
    return values


def error_text(error: InvalidReference) -> str:
    return f"{error.field} — {str(error).split(': ', 1)[-1]}"


# ------------------------------------------------------------------ the firm's library


@get("/library", include_in_schema=False, opt=SIGNED_IN)
async def show_libraries(request: Request) -> Template:
    account = request.user
    firms = await library.firms_of_user(account.id, account.memberships)
    return await render(request, "library.html", None, firms=firms)


async def firm_page(
    request: Request, firm_access: FirmAccess, values: dict[str, str] | None = None, error: str = "", status_code: int = 200,
    firm_error: str = "",
) -> Template:
    firm_id = firm_access.firm_id
    admin = firm_access.standing.is_admin
    administered = [org for org, role in firm_access.account.memberships.items() if role == Role.ADMIN]
    return await render(
        request, "library_firm.html", None, status_code=status_code,
        firm=await library.load_firm(firm_id), standing=firm_access.standing,
        vendors=await library.list_vendors(firm_id),
        members=await library.list_firm_members(firm_id) if admin else None,
        clients=await library.list_firm_clients(firm_id) if admin else None,
        values=values or vendor_form_values(None), error=error,
        items=load_reference().art28_items, statuses=list(ClauseStatus),
        attachable=await library.organisations_without_firm(administered) if admin else [],
        administered=set(administered), firm_error=firm_error,
    )


@get("/firms/{firm_id:int}", include_in_schema=False, opt=requires_firm(FirmPermission.READ_LIBRARY))
async def show_firm(request: Request, firm_id: FromPath[int], firm_access: NamedDependency[FirmAccess]) -> Template:
    return await firm_page(request, firm_access)


@post("/firms/{firm_id:int}/vendors", include_in_schema=False, opt=requires_firm(FirmPermission.EDIT_LIBRARY))
async def add_vendor(
    request: Request, firm_id: FromPath[int], firm_access: NamedDependency[FirmAccess]
) -> Template | Redirect:
    form = await request.form()
    said = words(language(request))
    try:
        vendor = await library.create_vendor(firm_id, read_vendor_form(form, said), firm_access.actor)
    except InvalidReference as error:
        return await firm_page(request, firm_access, vendor_form_values(None, form), error_text(error), 400)
    except Conflict:
        message = said.gettext("The library already has a vendor with this legal name.")
        return await firm_page(request, firm_access, vendor_form_values(None, form), message, 400)
    return see_other(f"/library/vendors/{vendor.id}")


# ------------------------------------------------------------------ the firm's members and clients (firm admins)


async def _firm_change(request: Request, firm_access: FirmAccess, change) -> Template | Redirect:
    """Run a change of the firm's members or clients; a refusal shows the firm page with the reason."""
    said = words(language(request))
    try:
        await change(said)
    except InvalidReference as error:
        return await firm_page(request, firm_access, firm_error=error_text(error), status_code=400)
    except Conflict as error:
        return await firm_page(request, firm_access, firm_error=_conflict_text(error, said), status_code=400)
    except NotFound:
        return await firm_page(request, firm_access, firm_error=said.gettext("Already done by someone else: the page shows the firm as it is now."), status_code=404)
    return see_other(f"/firms/{firm_access.firm_id}")


def _conflict_text(error: Conflict, said: Any) -> str:
    if "admin" in str(error):
        return said.gettext("The firm needs at least one admin.")
    if "belongs to a firm" in str(error):
        return said.gettext("This organisation already belongs to a firm.")
    return said.gettext("Already done by someone else: the page shows the firm as it is now.")


def _check_organisation_admin(firm_access: FirmAccess, organisation_id: int, said: Any) -> None:
    if firm_access.account.role_in(organisation_id) != Role.ADMIN:
        raise InvalidReference("organisation_id", said.gettext("Choose an organisation you are an admin of."))


@post("/firms/{firm_id:int}/members", include_in_schema=False, opt=requires_firm(FirmPermission.MANAGE_FIRM))
async def set_member(request: Request, firm_id: FromPath[int], firm_access: NamedDependency[FirmAccess]) -> Template | Redirect:
    form = await request.form()

    async def change(said: Any) -> None:
        from register.accounts.store import user_id_by_email

        role = _text(form, "role")
        if role not in library.FIRM_ROLES:
            raise InvalidReference("role", said.gettext("Choose admin or member."))
        try:
            user_id = await user_id_by_email(_text(form, "email"))
        except NotFound:
            raise InvalidReference("email", said.gettext("No user has this e-mail address.")) from None
        await library.set_firm_member(firm_id, user_id, role, firm_access.actor)

    return await _firm_change(request, firm_access, change)


@post("/firms/{firm_id:int}/members/remove", include_in_schema=False, opt=requires_firm(FirmPermission.MANAGE_FIRM))
async def remove_member(request: Request, firm_id: FromPath[int], firm_access: NamedDependency[FirmAccess]) -> Template | Redirect:
    form = await request.form()

    async def change(said: Any) -> None:
        await library.remove_firm_member(firm_id, _number(form, "user_id"), firm_access.actor)

    return await _firm_change(request, firm_access, change)


@post("/firms/{firm_id:int}/clients", include_in_schema=False, opt=requires_firm(FirmPermission.MANAGE_FIRM))
async def attach_client(request: Request, firm_id: FromPath[int], firm_access: NamedDependency[FirmAccess]) -> Template | Redirect:
    form = await request.form()

    async def change(said: Any) -> None:
        organisation_id = _number(form, "organisation_id")
        _check_organisation_admin(firm_access, organisation_id, said)
        await library.attach_organisation(firm_id, organisation_id, firm_access.actor)

    return await _firm_change(request, firm_access, change)


@post("/firms/{firm_id:int}/clients/remove", include_in_schema=False, opt=requires_firm(FirmPermission.MANAGE_FIRM))
async def detach_client(request: Request, firm_id: FromPath[int], firm_access: NamedDependency[FirmAccess]) -> Template | Redirect:
    form = await request.form()

    async def change(said: Any) -> None:
        organisation_id = _number(form, "organisation_id")
        _check_organisation_admin(firm_access, organisation_id, said)
        await library.detach_organisation(firm_id, organisation_id, firm_access.actor)

    return await _firm_change(request, firm_access, change)


async def vendor_page(
    request: Request, firm_access: FirmAccess, vendor_id: int, values: dict[str, str] | None = None,
    error: str = "", status_code: int = 200, proposed_from: library_files.VendorFile | None = None,
    proposed: dict[str, ClauseStatus] | None = None,
) -> Template:
    firm_id = firm_access.firm_id
    vendor = await library.load_vendor(firm_id, vendor_id)
    return await render(
        request, "library_vendor.html", None, status_code=status_code,
        firm=await library.load_firm(firm_id), standing=firm_access.standing, vendor=vendor,
        fact_names=FACT_NAMES, versions=await library.vendor_versions(firm_id, vendor_id),
        clients=await library.linked_clients(firm_id, vendor_id) if firm_access.standing.is_admin else None,
        values=values or {**vendor_form_values(vendor.facts), "version": str(vendor.version)}, error=error,
        items=load_reference().art28_items, statuses=list(ClauseStatus),
        files=await library_files.list_vendor_files(firm_id, vendor_id), proposed_from=proposed_from,
        proposed=proposed or {},
    )


@get("/library/vendors/{vendor_id:int}", include_in_schema=False, opt=requires_firm(FirmPermission.READ_LIBRARY))
async def show_vendor(request: Request, vendor_id: FromPath[int], firm_access: NamedDependency[FirmAccess]) -> Template:
    return await vendor_page(request, firm_access, vendor_id)


@post("/library/vendors/{vendor_id:int}", include_in_schema=False, opt=requires_firm(FirmPermission.EDIT_LIBRARY))
async def edit_vendor(
    request: Request, vendor_id: FromPath[int], firm_access: NamedDependency[FirmAccess]
) -> Template | Redirect:
    form = await request.form()
    said = words(language(request))
    try:
        await library.update_vendor(
            firm_access.firm_id, vendor_id, read_vendor_form(form, said), _number(form, "version"), firm_access.actor
        )
    except InvalidReference as error:
        return await vendor_page(request, firm_access, vendor_id, vendor_form_values(None, form), error_text(error), 400)
    except (StaleVersion, Conflict):
        message = said.gettext("The vendor was changed meanwhile (or the name is taken): the page shows it as it is now.")
        return await vendor_page(request, firm_access, vendor_id, None, message, 400)
    return see_other(f"/library/vendors/{vendor_id}")


@post("/library/vendors/{vendor_id:int}/files", include_in_schema=False, opt=requires_firm(FirmPermission.EDIT_LIBRARY))
async def upload_vendor_file(
    request: Request, vendor_id: FromPath[int], firm_access: NamedDependency[FirmAccess]
) -> Template | Redirect:
    form = await request.form()
    upload = form.get("file")
    said = words(language(request))
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await vendor_page(request, firm_access, vendor_id, error=said.gettext("Choose a file to upload."), status_code=400)
    content = await upload.read()
    try:
        await library_files.add_vendor_file(firm_access.firm_id, vendor_id, content, upload.filename, firm_access.actor)
    except FileRefused as error:
        return await vendor_page(request, firm_access, vendor_id, error=error.reason.message(language(request)),
                                 status_code=error.status)
    return see_other(f"/library/vendors/{vendor_id}")


@get(
    "/library/vendors/{vendor_id:int}/files/{library_file_id:int}/content", include_in_schema=False,
    opt=requires_firm(FirmPermission.READ_LIBRARY),
)
async def download_vendor_file(
    vendor_id: FromPath[int], library_file_id: FromPath[int], firm_access: NamedDependency[FirmAccess]
) -> Response[bytes]:
    stored = await library_files.load_vendor_file(firm_access.firm_id, vendor_id, library_file_id)
    return stored_file_response(stored, await library_files.vendor_file_content(firm_access.firm_id, stored))


@get(
    "/library/vendors/{vendor_id:int}/files/{library_file_id:int}/reading", include_in_schema=False,
    opt=requires_firm(FirmPermission.READ_LIBRARY),
)
async def read_vendor_file(
    request: Request, vendor_id: FromPath[int], library_file_id: FromPath[int], firm_access: NamedDependency[FirmAccess]
) -> Template:
    """The vendor page with the Art. 28 statuses the reader proposes (shown to every reader; in the
    keepers' form, saved only when they confirm by saving a new version)."""
    firm_id = firm_access.firm_id
    vendor = await library.load_vendor(firm_id, vendor_id)
    stored = await library_files.load_vendor_file(firm_id, vendor_id, library_file_id)
    try:
        proposed = await library_files.proposed_clause_statuses(firm_id, vendor_id, library_file_id, language(request))
    except FileRefused as error:
        return await vendor_page(request, firm_access, vendor_id, error=error.reason.message(language(request)),
                                 status_code=error.status)
    values = {**vendor_form_values(vendor.facts), "version": str(vendor.version)}
    values.update({f"clause__{item}": status.value for item, status in proposed.items()})
    return await vendor_page(request, firm_access, vendor_id, values, proposed_from=stored, proposed=proposed)


# ------------------------------------------------------------------ a client's link


def link_path(processor_id: int) -> str:
    return f"/processors/{processor_id}/library-link"


async def link_page(request: Request, access: Access, processor_id: int, error: str = "", status_code: int = 200) -> Template:
    processor = await reads.load_processor(processor_id, access.organisation_id)
    review = await library.link_of_processor(access.organisation_id, processor_id)
    vendors = [] if review is not None else await library.vendors_for_organisation(access.organisation_id)
    return await render(
        request, "library_link.html", access, section="processors", status_code=status_code,
        p=processor, review=review, vendors=vendors, error=error,
    )


@get("/processors/{processor_id:int}/library-link", include_in_schema=False, opt=requires(Permission.READ_REGISTER))
async def show_link(request: Request, processor_id: FromPath[int], access: NamedDependency[Access]) -> Template:
    return await link_page(request, access, processor_id)


@post("/processors/{processor_id:int}/library-link", include_in_schema=False, opt=requires(Permission.EDIT_REGISTER))
async def link_processor(
    request: Request, processor_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    form = await request.form()
    said = words(language(request))
    try:
        await library.link_processor(access.organisation_id, processor_id, _number(form, "vendor_id"), access.actor)
    except InvalidReference:
        return await link_page(request, access, processor_id, said.gettext("Choose a vendor of your firm's library."), 400)
    except (Conflict, StaleVersion):
        return await link_page(request, access, processor_id, said.gettext("This processor is already linked to the library."), 400)
    return see_other(link_path(processor_id))


@post("/processors/{processor_id:int}/library-link/decision", include_in_schema=False, opt=requires(Permission.EDIT_REGISTER))
async def decide_change(
    request: Request, processor_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    form = await request.form()
    said = words(language(request))
    decision = _text(form, "decision")
    arguments = (access.organisation_id, processor_id, _number(form, "version"), _number(form, "vendor_version"), access.actor)
    try:
        if decision == "accept":
            await library.accept_change(*arguments)
        elif decision == "dismiss":
            await library.dismiss_change(*arguments)
        else:
            return await link_page(request, access, processor_id, said.gettext("Choose to accept or to dismiss the change."), 400)
    except (StaleVersion, Conflict):
        message = said.gettext("The link was decided or changed meanwhile: the page shows it as it is now.")
        return await link_page(request, access, processor_id, message, 400)
    return see_other(link_path(processor_id))


@post("/processors/{processor_id:int}/library-link/unlink", include_in_schema=False, opt=requires(Permission.EDIT_REGISTER))
async def unlink_processor(
    request: Request, processor_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    form = await request.form()
    said = words(language(request))
    try:
        await library.unlink_processor(access.organisation_id, processor_id, _number(form, "version"), access.actor)
    except StaleVersion:
        message = said.gettext("The link was decided or changed meanwhile: the page shows it as it is now.")
        return await link_page(request, access, processor_id, message, 400)
    return see_other(link_path(processor_id))


LIBRARY_PAGE_HANDLERS = [
    show_libraries, show_firm, add_vendor, set_member, remove_member, attach_client, detach_client, show_vendor, edit_vendor, upload_vendor_file, download_vendor_file,
    read_vendor_file, show_link, link_processor, decide_change, unlink_processor,
]
