"""Sheet rows to processor proposals, through a column mapping.

Each data row becomes a :class:`ReadRow`: the proposal its mapped cells
make, and the problems of the cells that could not be read (naming the
sheet, row and column). A row with an unreadable cell is an error row:
nothing of it is imported.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from register.i18n import words
from register.i18n.terms import term
from register.intake.fields import (
    BOOLEAN, CHOICE, COUNTRIES, COUNTRY, DATE, DPA_SUMMARY, FIELDS, INTEGER, LIST, MECHANISM, TEXT,
)
from register.i18n import N_
from register.intake.fields import NO_NAME_COLUMN
from register.intake.model import (
    AgreementProposal,
    Cell,
    CellError,
    cell_problem,
    problem,
    ColumnMapping,
    IntakeError,
    LocationProposal,
    Problem,
    ProcessorProposal,
    SafeguardProposal,
    Sheet,
    SubProcessorProposal,
    Workbook,
)
from register.intake.reading import column_letter
from register.intake.values import (
    fold,
    label_index,
    parse_boolean,
    parse_choice,
    parse_countries,
    parse_country,
    parse_date,
    parse_integer,
    parse_list,
    parse_mechanism,
    split_list,
    text_of,
)
from register.vocabulary import SCC_MODULES, LocationActivity, TransferMechanism

MAX_TEXT = 5000  # characters of one text cell (the register's longest free texts)
NAME_LENGTH = 200


@dataclass(slots=True)
class ReadRow:
    sheet: str
    row: int
    label: str
    proposal: ProcessorProposal
    problems: list[Problem] = field(default_factory=list)  # errors: the row is not imported
    warnings: list[Problem] = field(default_factory=list)  # imported, but the user should know


def mapped_positions(sheet: Sheet, mapping: ColumnMapping) -> dict[str, int]:
    """field → column index, from the header row; a mapped header missing from the sheet is refused."""
    headers: list[str] = []
    for row in sheet.rows:
        if row.number == mapping.header_row:
            headers = [text_of(cell) for cell in row.cells]
            break
    if not headers:
        raise IntakeError("header_missing", N_("this row is empty: it should hold the headers"),
                          sheet=sheet.name, row=mapping.header_row)
    by_header = {}
    for index, header in enumerate(headers):
        if header:
            by_header.setdefault(header, index)
            by_header.setdefault(fold(header), index)
    positions = {}
    for field_name, header in mapping.columns.items():
        index = by_header.get(header, by_header.get(fold(header)))
        if index is None:
            raise IntakeError("header_missing", N_("no column headed “%(header)s” (mapped to %(field)s)"),
                              sheet=sheet.name, row=mapping.header_row, header=header, field=field_name)
        positions[field_name] = index
    return positions


def read_mapped_rows(workbook: Workbook, mapping: ColumnMapping) -> list[ReadRow]:
    sheet = workbook.sheet(mapping.sheet)
    if "legal_name" not in mapping.columns:
        raise IntakeError("mapping_invalid", NO_NAME_COLUMN)
    positions = mapped_positions(sheet, mapping)
    rows = [
        read_row(sheet.name, row.number, row.cells, positions, mapping.language)
        for row in sheet.rows
        if row.number > mapping.header_row
    ]
    if mapping.kind == "extract" and workbook.format != "csv":
        add_extract_sheets(workbook, mapping, rows)
    return rows


def read_row(sheet: str, number: int, cells: list[Cell], positions: dict[str, int], language: str) -> ReadRow:
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for field_name, index in positions.items():
        cell = cells[index] if index < len(cells) else None
        try:
            values[field_name] = read_cell(field_name, cell, language)
        except ValueError as error:
            problems.append(cell_problem(error, "cell_invalid", sheet=sheet, row=number, column=column_letter(index),
                                         field=field_name))
    name = values.get("legal_name") or ""
    if not name and not problems:
        problems.append(problem("name_missing", N_("the processor's name is empty"), sheet=sheet, row=number,
                                column=column_letter(positions["legal_name"])))
    return ReadRow(sheet, number, name or f"#{number}", proposal_of(values), problems)


def read_cell(field_name: str, cell: Cell, language: str) -> Any:
    """One mapped cell as the field's value (ValueError with the reason when it cannot be)."""
    kind = FIELDS[field_name].kind
    if kind == TEXT:
        text = text_of(cell)
        limit = NAME_LENGTH if field_name in ("legal_name", "trade_name", "internal_owner", "privacy_contact",
                                              "contact_name", "dpa_reference") else MAX_TEXT
        if len(text) > limit:
            raise CellError(N_("%(length)s characters; at most %(limit)s"), length=len(text), limit=limit)
        if "\x00" in text:
            raise CellError(N_("the text contains a NUL character"))
        return text
    if kind == LIST:
        if field_name == "sub_processors":
            return parse_sub_processors(cell, language)
        return parse_list(cell)
    if kind == COUNTRY:
        return parse_country(cell)
    if kind == COUNTRIES:
        return parse_locations(cell, language)
    if kind == DATE:
        return parse_date(cell)
    if kind == BOOLEAN:
        return parse_boolean(cell)
    if kind == INTEGER:
        number = parse_integer(cell)
        if field_name == "scc_module" and number is not None and number not in SCC_MODULES:
            raise CellError(N_("SCC module %(value)s does not exist (1 to 4)"), value=number)
        if number is not None and number < 0:
            raise CellError(N_("a negative number"))
        return number
    if kind == CHOICE:
        return parse_choice(cell, FIELDS[field_name].choices)
    if kind == MECHANISM:
        return parse_mechanism(cell)
    if kind == DPA_SUMMARY:
        return parse_dpa_summary(cell, language)
    raise AssertionError(kind)


# ------------------------------------------------------------------ the extract's composite cells


@functools.cache
def extract_words(message: str, context: str = "") -> frozenset[str]:
    """A message of the extract, folded, in both languages ("None recorded", "Unknown")."""
    return frozenset(
        fold(words(language).pgettext(context, message) if context else words(language).gettext(message))
        for language in ("fr", "en")
    )


def none_recorded(text: str) -> bool:
    return fold(text) in extract_words("None recorded", "document none recorded")


def parse_locations(cell: Cell, language: str) -> list[LocationProposal]:
    """Countries, one per item; the extract writes "France (Hosting) — note; …"."""
    text = text_of(cell)
    if not text or none_recorded(text):
        return []
    if "(" not in text and "—" not in text:
        return [LocationProposal(country=code) for code in parse_countries(text)]
    activities = label_index("LocationActivity")
    locations = []
    for item in split_list(text, re.compile(r"\s*(?:;|\r?\n)\s*")):
        match = re.fullmatch(r"(.+?)(?:\s*\(([^()]*)\))?(?:\s+—\s+(.*))?", item, re.S)
        assert match is not None
        country, activity, note = match.groups()
        code = parse_country(country)
        if code is None:
            continue
        value = LocationActivity.HOSTING.value
        if activity:
            value = activities.get(fold(activity)) or ""
            if not value:
                raise CellError(N_("“%(value)s” is not an activity (hosting, support access, processing)"),
                                value=activity)
        locations.append(LocationProposal(country=code, activity=value, note=(note or "").strip()))
    return locations


def parse_sub_processors(cell: Cell, language: str) -> list[SubProcessorProposal]:
    """Names, one per item; the extract writes "Name — Country, Country; …"."""
    text = text_of(cell)
    if not text or none_recorded(text):
        return []
    subs = []
    separators = re.compile(r"\s*(?:;|\r?\n)\s*") if "—" in text else None
    for item in split_list(text, separators) if separators else split_list(text):
        name, _, countries = item.partition(" — ")
        name = name.strip()
        if len(name) > NAME_LENGTH:
            raise CellError(N_("%(length)s characters; at most %(limit)s"), length=len(name), limit=NAME_LENGTH)
        codes = [] if fold(countries) in extract_words("Unknown") else parse_countries(countries)
        subs.append(SubProcessorProposal(name=name, countries=codes))
    return subs


def parse_dpa_summary(cell: Cell, language: str) -> AgreementProposal | None:
    """The extract's DPA status: "[reference; ]Signed dd/mm/yyyy|Not signed[; ends|expired dd/mm/yyyy]; items…"."""
    text = text_of(cell)
    if not text or fold(text) == fold(words(language).gettext("No DPA recorded")):
        return None
    said = words(language)
    signed_prefix = said.gettext("Signed %(date)s", date="\x00").split("\x00")[0]
    not_signed = said.gettext("Not signed")
    ending = [term("document." + key, language, date="\x00").split("\x00")[0] for key in ("dpa_ends", "dpa_expired")]
    items_prefix = said.gettext("Art. 28(3) items present: %(present)s/%(total)s", present="\x00", total="\x00").split("\x00")[0]
    reference, signed_on, ends_on = "", None, None
    for index, part in enumerate(part.strip() for part in re.split(r"\s*; ", text)):  # "\u00a0; " in French
        if part.startswith(signed_prefix):
            signed_on = parse_date(part[len(signed_prefix):].strip())
        elif part == not_signed or part.startswith(items_prefix):
            continue
        elif any(part.startswith(prefix) for prefix in ending):
            ends_on = parse_date(part.split(" ")[-1])
        elif index == 0:
            reference = part
    return AgreementProposal(signed_on=signed_on, ends_on=ends_on, reference=reference)


# ------------------------------------------------------------------ proposals


PROCESSOR_TARGET = "processor"


def proposal_of(values: dict[str, Any]) -> ProcessorProposal:
    fields = {name: value for name, value in values.items() if FIELDS[name].target == PROCESSOR_TARGET}
    if "id" in values:
        fields["id"] = values["id"]
    locations = list(values.get("locations") or [])
    subs = list(values.get("sub_processors") or [])
    safeguards = []
    country = values.get("transfer_country")
    mechanism = values.get("transfer_mechanism")
    if country and mechanism:
        safeguards.append(SafeguardProposal(
            country=country, mechanism=mechanism, scc_module=values.get("scc_module"),
            signed_on=values.get("transfer_signed_on"),
        ))
    elif country and country not in {location.country for location in locations}:
        locations.append(LocationProposal(country=country, activity=LocationActivity.PROCESSING.value))
    agreement = values.get("dpa_status")
    agreement_values = {key: values[name] for name, key in (
        ("dpa_signed_on", "signed_on"), ("dpa_ends_on", "ends_on"), ("dpa_reference", "reference"),
    ) if values.get(name) not in (None, "")}
    if agreement_values:
        base = agreement or AgreementProposal()
        agreement = AgreementProposal(**{
            "signed_on": base.signed_on, "ends_on": base.ends_on, "reference": base.reference, **agreement_values,
        })
    return ProcessorProposal(fields=fields, locations=locations, sub_processors=subs, safeguards=safeguards,
                             agreement=agreement)


# ------------------------------------------------------------------ the extract's other sheets


def add_extract_sheets(workbook: Workbook, mapping: ColumnMapping, rows: list[ReadRow]) -> None:
    """Sub-processors (purpose, flowdown) and transfers (tools) from the extract's other two sheets."""
    language = mapping.language
    by_display = {}
    for row in rows:
        fields = row.proposal.fields
        by_display.setdefault(fields.get("trade_name") or fields.get("legal_name") or "", row)
    names = {sheet.name: sheet for sheet in workbook.sheets}
    subs = names.get(words(language).gettext("Sub-processors")[:31])
    transfers = names.get(words(language).gettext("Transfers")[:31])
    if subs is not None:
        for number, record in extract_records(subs, language, "sub"):
            owner = by_display.get(record.get("processor") or "")
            if owner is not None:
                merge_sub_details(owner, record, subs.name, number, language)
    if transfers is not None:
        for number, record in extract_records(transfers, language, "transfer"):
            owner = by_display.get(record.get("processor") or "")
            if owner is not None:
                add_transfer_tool(owner, record, transfers.name, number)


def extract_records(sheet: Sheet, language: str, which: str):
    from register.documents.register_extract import SUB_PROCESSOR_COLUMNS, TRANSFER_COLUMNS

    columns = SUB_PROCESSOR_COLUMNS if which == "sub" else TRANSFER_COLUMNS
    headers = {fold(term("document." + column.header, language)): column.key for column in columns}
    if not sheet.rows:
        return
    keys = [headers.get(fold(text_of(cell))) for cell in sheet.rows[0].cells]
    for row in sheet.rows[1:]:
        yield row.number, {key: cell for key, cell in zip(keys, row.cells) if key}


def merge_sub_details(owner: ReadRow, record: dict[str, Cell], sheet: str, number: int, language: str) -> None:
    name = text_of(record.get("sub_processor"))
    try:
        flowdown = parse_choice(record.get("flowdown"), "Tristate")
        checked = parse_date(record.get("dpf_checked_on"))
        countries = parse_countries(record.get("countries"))
    except ValueError as error:
        owner.problems.append(cell_problem(error, "cell_invalid", sheet=sheet, row=number))
        return
    detailed = SubProcessorProposal(name=name, countries=countries, purpose=text_of(record.get("purpose")),
                                    flowdown=flowdown, dpf_checked_on=checked)
    subs = owner.proposal.sub_processors
    for index, sub in enumerate(subs):
        if sub.name == name:
            subs[index] = detailed
            return
    subs.append(detailed)


@functools.cache
def adequacy_basis_labels() -> frozenset[str]:
    """"Adequacy decision" / "Décision d'adéquation", folded: the extract's basis of a flow that an
    adequacy decision covers. With the tool "adequacy" too, the flow rests on the decision alone, which
    the register derives from the country: nothing to record (a DPF flow keeps its tool)."""
    return frozenset(fold(term("route_basis.adequacy", language)) for language in ("fr", "en"))


def add_transfer_tool(owner: ReadRow, record: dict[str, Cell], sheet: str, number: int) -> None:
    mechanism_text = text_of(record.get("mechanism"))
    if not mechanism_text:
        return
    try:
        mechanism = parse_mechanism(mechanism_text)
        country = parse_country(record.get("country"))
        module = parse_integer(record.get("scc_module"))
        signed_on = parse_date(record.get("signed_on"))
        tia_on = parse_date(record.get("tia_date"))
    except ValueError as error:
        owner.problems.append(cell_problem(error, "cell_invalid", sheet=sheet, row=number))
        return
    if mechanism is None or country is None:
        return
    if mechanism == TransferMechanism.ADEQUACY and fold(text_of(record.get("basis"))) in adequacy_basis_labels():
        return  # the decision itself, not a tool: the register derives it from the country
    path = [part.strip() for part in text_of(record.get("path")).split("→")]
    if len(path) > 2:
        return  # a flow through another registered processor: that processor's own tool
    sub = text_of(record.get("recipient")) if len(path) == 2 else None
    proposal = SafeguardProposal(country=country, mechanism=mechanism, sub_processor=sub, scc_module=module,
                                 signed_on=signed_on, tia_on=tia_on)
    if proposal not in owner.proposal.safeguards:
        owner.proposal.safeguards.append(proposal)
