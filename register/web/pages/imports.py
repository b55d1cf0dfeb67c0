"""Spreadsheet import pages (issue 11): upload → mapping → preview → confirm → result.

Every step is a plain HTML form (no JavaScript needed), each POST carries the
CSRF token, and nothing reaches the register before the confirmation. The
work is done by :mod:`register.imports` (the same functions the API calls);
this module only reads forms and shapes what the templates show, in the
session's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, PathParameter, QueryParameter
from litestar.response import Redirect, Template

from register import imports
from babel.numbers import format_decimal

from register.i18n import N_, cldr_locale, words
from register.i18n.dates import table_date
from register.i18n.terms import has_term, term
from register.intake import ColumnMapping, IntakeError, Preview, PreviewRow, Problem, Workbook
from register.intake.fields import FIELDS, KEY_FIELDS
from register.intake.model import NAME_AND_COUNTRY
from register.intake.wording import field_label as intake_field_label
from register.intake.wording import problem_text
from register.intake.wording import render as render_problem
from register.intake.wording import where as problem_place
from register.reference import load_reference
from register.schemas import MAX_ID
from register.store import import_previews, reads
from register.store.errors import Conflict, NotFound, StaleVersion, StoreError
from register.web.access import Access, Permission, requires
from register.web.api.imports import UPLOAD_BODY_CAP
from register.web.forms import FORM_ERROR, store_error
from register.web.pages.common import language, render, see_other

PreviewId = Annotated[str, PathParameter(min_length=8, max_length=100, pattern="^[A-Za-z0-9_-]+$")]
ROWS_PER_PAGE = 100
ACTIONS = ("create", "update", "unchanged", "error")
IGNORED = ""  # the select's value for a column left out of the import

# What a preview's changes name besides the mappable fields (labelled by register.intake.wording).
CHANGE_LABELS: dict[str, str] = {
    "location": N_("Processing location"),
    "sub_processor": N_("Sub-processor"),
    "safeguard": N_("Transfer tool"),
    "agreement": N_("Agreement (DPA)"),
    "agreement.signed_on": N_("DPA signed on"),
    "agreement.ends_on": N_("DPA ends on"),
    "agreement.reference": N_("DPA reference"),
    "agreement.effective_on": N_("DPA effective on"),
}
KEY_LABELS: dict[str, str] = {NAME_AND_COUNTRY: N_("Legal name and headquarters country")}
# A row's badge, and the heading of the rows of each kind.
ACTION_LABELS: dict[str, str] = {
    "create": N_("Create"),
    "update": N_("Update"),
    "unchanged": N_("No change"),
    "error": N_("Error"),
}
COUNT_LABELS: dict[str, str] = {
    "create": N_("To create"),
    "update": N_("To update"),
    "unchanged": N_("Without change"),
    "error": N_("In error"),
}
KIND_LABELS: dict[str, str] = {
    "columns": N_("A sheet read through its columns"),
    "extract": N_("This register's own extract"),
    "cnil": N_("The CNIL's register workbook"),
}
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SAFEGUARD_TEXT = re.compile(r"^(?P<mechanism>[a-z0-9_]+) → (?P<country>[A-Z]{2})(?P<rest>.*)$", re.S)  # "scc_2021 → US"
LOCATION_TEXT = re.compile(r"^(?P<country>[A-Z]{2}) \((?P<activity>[a-z_]+)\)(?P<rest>.*)$", re.S)  # "DE (hosting)"
COUNTRY_FIELDS = {"headquarters_country", "transfer_country", "country"}
VOCABULARY_FIELDS = {"category": "category", "role": "role", "status": "status"}


def imports_path(organisation_id: int) -> str:
    return f"/organisations/{organisation_id}/imports"


def preview_path(organisation_id: int, public_id: str) -> str:
    return f"{imports_path(organisation_id)}/{public_id}"


# ------------------------------------------------------------------ shown in the UI's language


def field_label(name: str, lang: str) -> str:
    """A mappable field by the engine's label; what else a change names (a location, the DPA's date…) by ours."""
    marked = CHANGE_LABELS.get(name)
    return words(lang).gettext(marked) if marked else intake_field_label(name, lang)


def shown_value(field: str, value: Any, lang: str) -> str:
    """A value of a preview (old or new) as a person reads it; "" for nothing."""
    said = words(lang)
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return said.gettext("Yes") if value else said.gettext("No")
    if isinstance(value, list):
        return "; ".join(shown_value(field, item, lang) for item in value)
    if isinstance(value, dict):
        return shown_record(value, lang)
    if isinstance(value, str):
        tool = SAFEGUARD_TEXT.match(value)
        if tool and has_term(f"mechanism.{tool.group('mechanism')}"):
            country = load_reference().country_name(tool.group("country"), lang)
            return f"{term('mechanism.' + tool.group('mechanism'), lang)} → {country}{tool.group('rest')}"
        located = LOCATION_TEXT.match(value)
        if located and has_term(f"activity.{located.group('activity')}"):
            country = load_reference().country_name(located.group("country"), lang)
            return f"{country} ({term('activity.' + located.group('activity'), lang)}){located.group('rest')}"
        if ISO_DAY.match(value):
            return table_date(date.fromisoformat(value), lang)
        if field in COUNTRY_FIELDS and re.fullmatch(r"[A-Z]{2}", value):
            return load_reference().country_name(value, lang)
        group = VOCABULARY_FIELDS.get(field)
        if group and has_term(f"{group}.{value}"):
            return term(f"{group}.{value}", lang)
    return str(value)


def shown_record(record: dict[str, Any], lang: str) -> str:
    """A location, sub-processor or transfer tool of a preview, on one line."""
    head = record.get("name") or ""
    countries = record.get("countries") or ([record["country"]] if record.get("country") else [])
    named = ", ".join(load_reference().country_name(code, lang) for code in countries if isinstance(code, str))
    mechanism = record.get("mechanism")
    extra = term(f"mechanism.{mechanism}", lang) if mechanism and has_term(f"mechanism.{mechanism}") else ""
    activity = record.get("activity")
    if activity and has_term(f"activity.{activity}"):
        extra = term(f"activity.{activity}", lang)
    onward = record.get("sub_processor") or ""
    if head or named or extra:
        return " — ".join(part for part in (head, named, extra, onward) if part)
    # an agreement's dates and reference: each with its label
    said = words(lang)
    return "; ".join(
        said.gettext("%(label)s: %(text)s", label=field_label(f"agreement.{key}", lang),
                     text=shown_value(key, value, lang))
        for key, value in record.items()
        if value not in (None, "", [])
    )


@dataclass(frozen=True, slots=True)
class ShownChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class ShownProblem:
    text: str
    place: str


@dataclass(frozen=True, slots=True)
class ShownRow:
    sheet: str
    row: int
    action: str
    action_label: str
    label: str
    processor_id: int | None
    changes: list[ShownChange]
    problems: list[ShownProblem]


def shown_problem(problem: Problem, lang: str) -> ShownProblem:
    """The engine's reason in the page's language, and the cell it is about."""
    text = render_problem(problem.template, problem.params, lang) if problem.template else problem.message
    return ShownProblem(text[:1].upper() + text[1:], problem_place(problem, lang))


def shown_row(row: PreviewRow, lang: str) -> ShownRow:
    return ShownRow(
        sheet=row.sheet,
        row=row.row,
        action=row.action,
        action_label=words(lang).gettext(ACTION_LABELS[row.action]),
        label=row.label,
        processor_id=row.processor_id,
        changes=[
            ShownChange(field_label(c.field, lang), shown_value(c.field, c.old, lang), shown_value(c.field, c.new, lang))
            for c in row.changes
        ],
        problems=[shown_problem(p, lang) for p in row.problems],
    )


# ------------------------------------------------------------------ upload


def friendly_refusal(error: IntakeError | StoreError, lang: str) -> str:
    if isinstance(error, IntakeError):
        return problem_text(error.problem, lang)
    return store_error(error, lang).get(FORM_ERROR) or str(error)


async def imports_home(request: Request, access: Access, error: str = "", status_code: int = 200) -> Template:
    lang = language(request)
    stored = await import_previews.list_previews(access.organisation_id)
    limits = imports.import_limits()
    return await render(
        request,
        "imports.html",
        access,
        section="processors",
        status_code=status_code,
        error=error,
        previews=[(p, imports.stored_preview(p).counts) for p in stored],
        mappings=await import_previews.list_mappings(access.organisation_id),
        max_megabytes=format_decimal(round(limits.max_bytes / 1_048_576, 1), locale=cldr_locale(lang)),
        max_rows=format_decimal(limits.max_rows, locale=cldr_locale(lang)),
    )


@get("/organisations/{organisation_id:int}/imports", include_in_schema=False, opt=requires(Permission.EDIT_REGISTER))
async def import_page(request: Request, access: NamedDependency[Access]) -> Template:
    return await imports_home(request, access)


def saved_mapping_id(raw: Any) -> int | None:
    text = str(raw or "").strip()
    if not text.isdigit():
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


@post(
    "/organisations/{organisation_id:int}/imports",
    include_in_schema=False,
    opt=requires(Permission.EDIT_REGISTER),
    request_max_body_size=UPLOAD_BODY_CAP,
)
async def upload_sheet(
    request: Request, organisation_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    lang = language(request)
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await imports_home(request, access, words(lang).gettext("Choose a file to import."), 400)
    content = await upload.read()
    try:
        stored = await imports.upload(
            organisation_id, access.actor, upload.filename, content,
            saved_mapping_id=saved_mapping_id(form.get("mapping_id")),
        )
    except IntakeError as error:
        status = 413 if error.code == "too_large" else 400
        return await imports_home(request, access, friendly_refusal(error, lang), status)
    except StoreError as error:
        return await imports_home(request, access, friendly_refusal(error, lang), 400)
    return see_other(f"{preview_path(organisation_id, stored.public_id)}/mapping")


# ------------------------------------------------------------------ mapping


@dataclass(frozen=True, slots=True)
class ColumnChoice:
    index: int
    header: str
    field: str  # the field it fills, or IGNORED


def sheet_headers(workbook: Workbook, sheet_name: str, header_row: int) -> list[str]:
    """The cells of the header row, as text (blank headers kept, so indexes match the columns)."""
    sheet = workbook.sheet(sheet_name) if sheet_name else workbook.sheets[0]
    for row in sheet.rows:
        if row.number == header_row:
            return ["" if cell is None else str(cell).strip() for cell in row.cells]
    return []


def column_choices(headers: list[str], mapping: ColumnMapping) -> list[ColumnChoice]:
    field_of_header = {header: field for field, header in mapping.columns.items()}
    return [
        ColumnChoice(index, header, field_of_header.get(header, IGNORED))
        for index, header in enumerate(headers)
        if header
    ]


def field_options(lang: str) -> list[tuple[str, str]]:
    return [(name, field_label(name, lang)) for name in FIELDS]


def key_options(lang: str) -> list[tuple[str, str]]:
    return [(NAME_AND_COUNTRY, words(lang).gettext(KEY_LABELS[NAME_AND_COUNTRY]))] + [
        (name, field_label(name, lang)) for name in KEY_FIELDS
    ]


async def mapping_page(
    request: Request,
    access: Access,
    public_id: str,
    mapping: ColumnMapping,
    errors: dict[str, str] | None = None,
    save_as: str = "",
    status_code: int = 200,
) -> Template:
    lang = language(request)
    stored = await import_previews.load_preview(access.organisation_id, public_id)
    if not stored.pending:
        raise Conflict(f"import preview {public_id} was already committed")
    workbook = await imports.uploaded_workbook(access.organisation_id, public_id)
    sheet_name = mapping.sheet or (workbook.sheets[0].name if workbook.sheets else "")
    try:
        headers = sheet_headers(workbook, sheet_name, mapping.header_row)
    except IntakeError as error:
        headers = []
        errors = {**(errors or {}), "sheet": friendly_refusal(error, lang)}
    preview = imports.stored_preview(stored)
    return await render(
        request,
        "import_mapping.html",
        access,
        section="processors",
        status_code=status_code,
        stored=stored,
        counts=preview.counts,
        mapping=mapping,
        kind_label=words(lang).gettext(KIND_LABELS.get(mapping.kind, KIND_LABELS["columns"])),
        sheets=[(s.name, s.hidden) for s in workbook.sheets],
        sheet_name=sheet_name,
        columns=column_choices(headers, mapping),
        fields=field_options(lang),
        keys=key_options(lang),
        notes=list(dict.fromkeys(shown_problem(p, lang) for p in [*workbook.notes, *preview.notes])),
        mappings=await import_previews.list_mappings(access.organisation_id),
        errors=errors or {},
        save_as=save_as,
        action=f"{preview_path(access.organisation_id, public_id)}/mapping",
    )


@get(
    "/organisations/{organisation_id:int}/imports/{preview_id:str}/mapping",
    include_in_schema=False,
    opt=requires(Permission.EDIT_REGISTER),
)
async def edit_mapping(
    request: Request,
    organisation_id: FromPath[int],
    preview_id: PreviewId,
    access: NamedDependency[Access],
    mapping_id: Annotated[str, QueryParameter(max_length=12)] = "",
    sheet: Annotated[str, QueryParameter(max_length=200)] = "",
    header_row: Annotated[str, QueryParameter(max_length=6)] = "",
) -> Template | Redirect:
    """The mapping in use; ``mapping_id`` loads a saved one, ``sheet``/``header_row`` show other headers."""
    stored = await import_previews.load_preview(organisation_id, preview_id)
    if not stored.pending:  # committed: its result
        return see_other(preview_path(organisation_id, preview_id))
    mapping = imports.stored_mapping(stored)
    chosen = saved_mapping_id(mapping_id)
    if chosen is not None:
        mapping = imports.stored_mapping(await import_previews.load_mapping(organisation_id, chosen))
    if sheet or header_row.isdigit():
        mapping = ColumnMapping(
            kind=mapping.kind,
            sheet=sheet or mapping.sheet,
            header_row=int(header_row) if header_row.isdigit() and 0 < int(header_row) < 1_000_000 else mapping.header_row,
            columns=mapping.columns,
            key=mapping.key,
            language=mapping.language,
        )
    return await mapping_page(request, access, preview_id, mapping)


def mapping_of_form(form: Any, headers: list[str], current: ColumnMapping, lang: str) -> tuple[ColumnMapping | None, dict[str, str]]:
    """The mapping the form describes, or the errors naming its fields."""
    said = words(lang)
    errors: dict[str, str] = {}
    columns: dict[str, str] = {}
    for index, header in enumerate(headers):
        chosen = str(form.get(f"column__{index}", IGNORED) or IGNORED)
        if chosen == IGNORED or not header:
            continue
        if chosen not in FIELDS:
            errors[f"column__{index}"] = said.gettext("Choose a field from the list.")
        elif chosen in columns:
            errors[f"column__{index}"] = said.gettext("This field is already filled by column “%(header)s”.", header=columns[chosen])
        else:
            columns[chosen] = header
    key = str(form.get("key") or NAME_AND_COUNTRY)
    if key != NAME_AND_COUNTRY and key not in KEY_FIELDS:
        errors["key"] = said.gettext("Choose a field from the list.")
    elif key != NAME_AND_COUNTRY and key not in columns:
        errors["key"] = said.gettext("The matching key must be one of the columns imported.")
    if current.kind == "columns" and "legal_name" not in columns:
        errors["__form__"] = said.gettext("Choose the column holding the processors' legal names.")
    chosen_language = str(form.get("language") or current.language)
    if chosen_language not in ("fr", "en"):
        errors["language"] = said.gettext("Choose a field from the list.")
    if errors:
        return None, errors
    return ColumnMapping(
        kind=current.kind,
        sheet=str(form.get("sheet") or current.sheet),
        header_row=current.header_row,
        columns=columns,
        key=key,
        language=chosen_language,  # type: ignore[arg-type]
    ), {}


@post(
    "/organisations/{organisation_id:int}/imports/{preview_id:str}/mapping",
    include_in_schema=False,
    opt=requires(Permission.EDIT_REGISTER),
)
async def submit_mapping(
    request: Request, organisation_id: FromPath[int], preview_id: PreviewId, access: NamedDependency[Access]
) -> Template | Redirect:
    lang = language(request)
    form = await request.form()
    stored = await import_previews.load_preview(organisation_id, preview_id)
    current = imports.stored_mapping(stored)
    header_row = str(form.get("header_row") or "")
    if header_row.isdigit() and 0 < int(header_row) < 1_000_000:
        current = ColumnMapping(kind=current.kind, sheet=str(form.get("sheet") or current.sheet),
                                header_row=int(header_row), columns=current.columns, key=current.key,
                                language=current.language)
    workbook = await imports.uploaded_workbook(organisation_id, preview_id)
    save_as = str(form.get("save_as") or "").strip()
    try:
        headers = sheet_headers(workbook, current.sheet or workbook.sheets[0].name, current.header_row)
    except IntakeError as error:
        return await mapping_page(request, access, preview_id, current, {"sheet": friendly_refusal(error, lang)},
                                  save_as, 400)
    mapping, errors = mapping_of_form(form, headers, current, lang)
    if len(save_as) > 200 or "\x00" in save_as:
        errors["save_as"] = words(lang).gettext("At most 200 characters.")
    if mapping is None or errors:
        return await mapping_page(request, access, preview_id, mapping or current, errors, save_as, 400)
    try:
        if save_as:  # saved first: the preview made next is the one confirmed
            await imports.save_mapping(organisation_id, save_as, mapping, access.actor)
        await imports.preview_again(organisation_id, preview_id, mapping)
    except IntakeError as error:
        return await mapping_page(request, access, preview_id, mapping, {"__form__": friendly_refusal(error, lang)},
                                  save_as, 400)
    except (Conflict, StaleVersion) as error:
        return await mapping_page(request, access, preview_id, mapping, {"__form__": friendly_refusal(error, lang)},
                                  save_as, 409)
    return see_other(preview_path(organisation_id, preview_id))


# ------------------------------------------------------------------ preview, confirm, result


async def preview_page(
    request: Request,
    access: Access,
    public_id: str,
    action: str = "",
    page: int = 1,
    error: str = "",
    status_code: int = 200,
) -> Template:
    lang = language(request)
    stored = await import_previews.load_preview(access.organisation_id, public_id)
    preview: Preview = imports.stored_preview(stored)
    rows = [r for r in preview.rows if not action or r.action == action]
    pages = max(1, -(-len(rows) // ROWS_PER_PAGE))
    page = min(max(page, 1), pages)
    shown = [shown_row(r, lang) for r in rows[(page - 1) * ROWS_PER_PAGE: page * ROWS_PER_PAGE]]
    outcome = imports.stored_outcome(stored)
    imported: list[tuple[int, str]] = []
    if outcome is not None:
        names = {p.id: p.trade_name or p.legal_name for p in await reads.list_processor_statuses(access.organisation_id)}
        imported = [(pid, names[pid]) for pid in [*outcome.created, *outcome.updated] if pid in names]
    return await render(
        request,
        "import_preview.html",
        access,
        section="processors",
        status_code=status_code,
        stored=stored,
        preview=preview,
        counts=preview.counts,
        kind_label=words(lang).gettext(KIND_LABELS.get(preview.kind, KIND_LABELS["columns"])),
        key_label=dict(key_options(lang)).get(preview.mapping.key, preview.mapping.key),
        notes=[shown_problem(p, lang) for p in preview.notes],
        rows=shown,
        action=action,
        actions=[(a, words(lang).gettext(COUNT_LABELS[a])) for a in ACTIONS],
        page=page,
        pages=pages,
        outcome=outcome,
        imported=imported,
        error=error,
        here=preview_path(access.organisation_id, public_id),
    )


@get(
    "/organisations/{organisation_id:int}/imports/{preview_id:str}",
    include_in_schema=False,
    opt=requires(Permission.EDIT_REGISTER),
)
async def show_preview(
    request: Request,
    preview_id: PreviewId,
    access: NamedDependency[Access],
    action: Annotated[str, QueryParameter(max_length=20)] = "",
    page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
) -> Template:
    return await preview_page(request, access, preview_id, action if action in ACTIONS else "", page)


def version_of(form: Any) -> int | None:
    text = str(form.get("version") or "")
    return int(text) if text.isdigit() and 1 <= int(text) <= MAX_ID else None


@post(
    "/organisations/{organisation_id:int}/imports/{preview_id:str}/commit",
    include_in_schema=False,
    opt=requires(Permission.EDIT_REGISTER),
)
async def commit_import(
    request: Request, organisation_id: FromPath[int], preview_id: PreviewId, access: NamedDependency[Access]
) -> Template | Redirect:
    lang = language(request)
    said = words(lang)
    version = version_of(await request.form())
    if version is None:
        return await preview_page(request, access, preview_id, error=said.gettext("Reload the page, then confirm again."),
                                  status_code=400)
    try:
        await imports.commit(organisation_id, preview_id, version, access.actor)
    except NotFound:
        raise
    except StaleVersion:
        return await preview_page(request, access, preview_id, status_code=409, error=said.gettext(
            "The mapping of this import was changed in the meantime: check the preview below, then confirm again."))
    except Conflict as error:
        text = (said.gettext("This import was already committed.") if "already committed" in str(error)
                else said.gettext("The register changed since this preview was made: go back to the mapping and preview the file again."))
        return await preview_page(request, access, preview_id, status_code=409, error=text)
    return see_other(preview_path(organisation_id, preview_id))


@post(
    "/organisations/{organisation_id:int}/imports/{preview_id:str}/delete",
    include_in_schema=False,
    opt=requires(Permission.EDIT_REGISTER),
)
async def discard_import(organisation_id: FromPath[int], preview_id: PreviewId) -> Redirect:
    await import_previews.delete_preview(organisation_id, preview_id)
    return see_other(imports_path(organisation_id))


@post(
    "/organisations/{organisation_id:int}/import-mappings/{mapping_id:int}/delete",
    include_in_schema=False,
    opt=requires(Permission.EDIT_REGISTER),
)
async def delete_saved_mapping(
    organisation_id: FromPath[int], mapping_id: FromPath[int], access: NamedDependency[Access]
) -> Redirect:
    await import_previews.delete_mapping(organisation_id, mapping_id, access.actor)
    return see_other(imports_path(organisation_id))


IMPORT_PAGE_HANDLERS = [
    import_page,
    upload_sheet,
    edit_mapping,
    submit_mapping,
    show_preview,
    commit_import,
    discard_import,
    delete_saved_mapping,
]
