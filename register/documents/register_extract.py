"""The register extract: the recipients and transfers part of the record of
processing activities (Art. 30(1)(d)-(e)) — each processor with its role,
locations, sub-processors, transfers and safeguards, and DPA status.

The same rows in three formats: .docx (a landscape table), .xlsx (three
sheets: processors, sub-processors, transfers; written with XlsxWriter:
numbers as number cells, dates as date cells, text always as strings so
nothing is read as a formula) and .csv (the processors sheet with the same
headers; UTF-8 with a byte-order mark so spreadsheets detect the encoding;
";" between fields in French, "," in English, or a chosen separator; cells
that a spreadsheet would run as a formula are prefixed with an apostrophe).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

import xlsxwriter

from register.compliance.lifecycle import is_assessed
from register.compliance.model import Organisation, Processor, Safeguard
from register.compliance.results import ProcessorAssessment, RegisterAssessment, TransferRoute
from register.documents.common import (
    Block,
    Column,
    DocumentInfo,
    Heading,
    Paragraph,
    Span,
    Table,
    clean,
    render_document,
)
from register.reference import Reference, load_reference
from register.vocabulary import ClauseStatus
from register.i18n import words
from register.i18n.terms import term
from register.i18n.dates import prose_date, table_date
from register.documents import wording

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# What a spreadsheet column holds: text, a whole number or a date. The .xlsx
# writes numbers and dates as typed cells; the .csv writes them as text a
# spreadsheet of that language reads back as numbers and dates.
TEXT, NUMBER, DATE = "text", "number", "date"


@dataclass(frozen=True, slots=True)
class SheetColumn:
    key: str  # the row's key
    header: str  # the LABELS key of its header (the same in .xlsx and .csv)
    kind: str  # TEXT | NUMBER | DATE
    width: int  # characters, in the .xlsx


# The processors sheet, and the .csv: one column per fact, in order.
PROCESSOR_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("id", "column_id", NUMBER, 6),
    SheetColumn("legal_name", "column_legal_name", TEXT, 28),
    SheetColumn("trade_name", "column_trade_name", TEXT, 20),
    SheetColumn("category", "column_category", TEXT, 18),
    SheetColumn("role", "column_role", TEXT, 14),
    SheetColumn("status", "column_status", TEXT, 12),
    SheetColumn("headquarters", "column_headquarters", TEXT, 14),
    SheetColumn("locations", "column_locations", TEXT, 30),
    SheetColumn("sub_processors", "column_sub_processors", TEXT, 40),
    SheetColumn("transfers", "column_transfers", TEXT, 60),
    SheetColumn("dpa_status", "column_dpa_status", TEXT, 40),
    SheetColumn("score", "column_score", NUMBER, 8),
    SheetColumn("findings", "column_findings", NUMBER, 10),
    SheetColumn("last_review", "column_last_review", DATE, 14),
    SheetColumn("next_review", "column_next_review", DATE, 14),
    SheetColumn("tia_date", "column_oldest_tia", DATE, 16),
    SheetColumn("dpf_checked_on", "column_dpf_checked_on", DATE, 18),
)
SUB_PROCESSOR_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("processor", "column_processor", TEXT, 28),
    SheetColumn("sub_processor", "column_sub_processor", TEXT, 28),
    SheetColumn("countries", "column_countries", TEXT, 24),
    SheetColumn("purpose", "column_purpose", TEXT, 36),
    SheetColumn("flowdown", "column_flowdown", TEXT, 18),
    SheetColumn("dpf_checked_on", "column_dpf_checked_on", DATE, 18),
)
TRANSFER_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("processor", "column_processor", TEXT, 28),
    SheetColumn("country", "column_country", TEXT, 18),
    SheetColumn("recipient", "column_recipient", TEXT, 28),
    SheetColumn("path", "column_path", TEXT, 40),
    SheetColumn("basis", "column_basis", TEXT, 22),
    SheetColumn("mechanism", "column_mechanism", TEXT, 26),
    SheetColumn("scc_module", "column_scc_module", NUMBER, 10),
    SheetColumn("decision", "column_decision", TEXT, 30),
    SheetColumn("coverage", "coverage", TEXT, 18),
    SheetColumn("signed_on", "column_signed_on", DATE, 14),
    SheetColumn("tia_date", "column_tia_date", DATE, 14),
    SheetColumn("risk_note", "column_risk_note", TEXT, 50),
)

# The .csv field separator, by name (``sep``): French spreadsheets split on
# ";" (the comma is their decimal separator), English ones on ",".
SEPARATORS: dict[str, str] = {"semicolon": ";", "comma": ",", "tab": "\t"}
DEFAULT_SEPARATOR = {"fr": "semicolon", "en": "comma"}
# Date cells: dd/mm/yyyy in French; day, month name and year in English
# (British locale, so no reader takes the day for the month).
DATE_FORMATS = {"fr": "dd/mm/yyyy", "en": "[$-809]d mmm yyyy"}

Value = str | int | date | None


@dataclass(frozen=True, slots=True)
class ExtractContext:
    language: str
    as_of: date
    reference: Reference


    def country(self, code: str | None) -> str:
        return self.reference.country_name(code, self.language) if code else words(self.language).gettext("Unknown")


# --------------------------------------------------------------------------
# Rows


def locations_text(ctx: ExtractContext, processor: Processor) -> str:
    if not processor.locations:
        return words(ctx.language).pgettext("document none recorded", "None recorded")
    parts = []
    for location in processor.locations:
        text = f"{ctx.country(location.country)} ({wording.enum_label(location.activity, ctx.language)})"
        if location.note:
            text += f" — {location.note}"
        parts.append(text)
    return wording.items_separator(ctx.language).join(parts)


def sub_processors_text(ctx: ExtractContext, processor: Processor) -> str:
    if not processor.sub_processors:
        return words(ctx.language).pgettext("document none recorded", "None recorded")
    return wording.items_separator(ctx.language).join(
        sub.name + " — " + (", ".join(ctx.country(c) for c in sub.countries) or words(ctx.language).gettext("Unknown"))
        for sub in processor.sub_processors
    )


def route_text(ctx: ExtractContext, route: TransferRoute) -> str:
    language = ctx.language
    if route.mechanism is not None:
        tool = wording.enum_label(route.mechanism, language)
        if route.scc_module is not None:
            tool += ", " + words(ctx.language).gettext("Module %(number)s", number=route.scc_module)
    else:
        tool = wording.route_basis_label(route.basis, language)
        if route.decision:
            tool += f" {route.decision}"
    status = wording.coverage_label(route.coverage, language)
    via = " ".join(("", words(ctx.language).gettext("via"), " → ".join(route.path[1:]))) if len(route.path) > 1 else ""
    separator = "\u00a0: " if language == "fr" else ": "
    return f"{route.country_name.in_language(language)}{via}{separator}{tool} — {status}"


def third_country_routes(assessment: ProcessorAssessment | None) -> list[TransferRoute]:
    if assessment is None:
        return []
    return [route for route in assessment.transfers if route.basis != "eea"]


def transfers_text(ctx: ExtractContext, assessment: ProcessorAssessment | None) -> str:
    routes = third_country_routes(assessment)
    if not routes:
        return words(ctx.language).gettext("No transfer outside the EEA")
    return wording.items_separator(ctx.language).join(route_text(ctx, route) for route in routes)


def dpa_status_text(ctx: ExtractContext, processor: Processor) -> str:
    agreement = processor.agreement
    if agreement is None:
        return words(ctx.language).gettext("No DPA recorded")
    language = ctx.language
    parts = []
    if agreement.reference:
        parts.append(agreement.reference)
    parts.append(
        words(ctx.language).gettext("Signed %(date)s", date=table_date(agreement.signed_on, language))
        if agreement.signed_on
        else words(ctx.language).gettext("Not signed")
    )
    if agreement.ends_on is not None:
        key = "dpa_expired" if agreement.ends_on < ctx.as_of else "dpa_ends"
        parts.append(term("document." + key, ctx.language, date=table_date(agreement.ends_on, language)))
    total = len(ctx.reference.art28_items)
    present = sum(1 for clause in agreement.clauses if clause.status == ClauseStatus.PRESENT)
    parts.append(words(ctx.language).gettext("Art. 28(3) items present: %(present)s/%(total)s", present=present, total=total))
    return wording.items_separator(ctx.language).join(parts)


def oldest_tia(processor: Processor) -> date | None:
    """The oldest transfer impact assessment on the processor's safeguards:
    the first to renew."""
    dates = [safeguard.tia_on for safeguard in processor.safeguards if safeguard.tia_on is not None]
    return min(dates) if dates else None


def processor_row(ctx: ExtractContext, processor: Processor, assessment: ProcessorAssessment | None) -> dict[str, Value]:
    language = ctx.language
    # A processor the rules do not assess (e.g. retired) has no score.
    assessed = assessment is not None and is_assessed(processor)
    return {
        "id": processor.id,
        "legal_name": processor.legal_name,
        "trade_name": processor.trade_name,
        "category": wording.enum_label(processor.category, language),
        "role": wording.enum_label(processor.role, language),
        "status": wording.enum_label(processor.status, language),
        "headquarters": ctx.country(processor.headquarters_country),
        "locations": locations_text(ctx, processor),
        "sub_processors": sub_processors_text(ctx, processor),
        "transfers": transfers_text(ctx, assessment),
        "dpa_status": dpa_status_text(ctx, processor),
        "score": assessment.score if assessed else None,
        "findings": assessment.counts.total if assessed else None,
        "last_review": processor.last_review_on,
        "next_review": processor.next_review_on,
        "tia_date": oldest_tia(processor),
        "dpf_checked_on": processor.dpf_checked_on,
    }


def extract_rows(
    ctx: ExtractContext, processors: Sequence[Processor], assessments: Mapping[int | None, ProcessorAssessment]
) -> list[dict[str, Value]]:
    return [processor_row(ctx, p, assessments.get(p.id)) for p in processors]


def _context(assessment: RegisterAssessment, language: str, reference: Reference | None) -> ExtractContext:
    return ExtractContext(
        language=wording.check_language(language), as_of=assessment.as_of, reference=reference or load_reference()
    )


def _by_processor(assessment: RegisterAssessment) -> dict[int | None, ProcessorAssessment]:
    return {a.processor_id: a for a in assessment.processors}


# --------------------------------------------------------------------------
# .docx


def register_extract_docx(
    organisation: Organisation,
    processors: Sequence[Processor],
    assessment: RegisterAssessment,
    *,
    language: str,
    reference: Reference | None = None,
    document_date: date | None = None,
) -> bytes:
    ctx = _context(assessment, language, reference)
    rows = extract_rows(ctx, processors, _by_processor(assessment))
    info = DocumentInfo(
        title=words(ctx.language).gettext("Register extract: processors, recipients and transfers"),
        organisation=organisation.name,
        language=ctx.language,
        as_of=ctx.as_of,
        document_date=document_date or date.today(),
        landscape=True,
    )
    return render_document(info, extract_blocks(ctx, organisation, rows))


def extract_blocks(ctx: ExtractContext, organisation: Organisation, rows: Sequence[Mapping[str, Value]]) -> list[Block]:
    blocks: list[Block] = [
        Heading(words(ctx.language).gettext("Register extract: processors, recipients and transfers"), 1),
        Paragraph((Span(wording.with_colon(words(ctx.language).pgettext("document organisation", "Organisation"), ctx.language), bold=True), Span(organisation.name))),
        Paragraph((Span(wording.with_colon(words(ctx.language).gettext("As of:"), ctx.language), bold=True), Span(prose_date(ctx.as_of, ctx.language)))),
        Paragraph(words(ctx.language).gettext("The recipients and transfers part of the record of processing activities (GDPR Art. 30(1)(d) and (e)): each processor with its role, locations, sub-processors, transfers to third countries with their basis (safeguard, derogation or tool being negotiated), and the status of its data processing agreement.")),
    ]
    if not rows:
        blocks.append(Paragraph(words(ctx.language).gettext("The register holds no processor yet: record the organisation's processors to assess them.")))
        return blocks
    columns = (
        Column(words(ctx.language).gettext("Processor"), 15),
        Column(words(ctx.language).gettext("Role"), 8),
        Column(words(ctx.language).gettext("Status"), 7),
        Column(words(ctx.language).gettext("Headquarters"), 7),
        Column(words(ctx.language).gettext("Processing locations"), 12),
        Column(words(ctx.language).gettext("Sub-processors"), 15),
        Column(words(ctx.language).gettext("Transfers and their basis"), 22),
        Column(words(ctx.language).gettext("DPA status"), 14),
    )
    blocks.append(Table(columns, [docx_row(row) for row in rows]))
    return blocks


def docx_row(row: Mapping[str, Value]) -> tuple:
    name: tuple[Span, ...] = (Span(row["legal_name"], bold=True),)
    if row["trade_name"] and row["trade_name"] != row["legal_name"]:
        name += (Span("\n" + row["trade_name"]),)
    name += (Span("\n" + row["category"], italic=True),)
    return (
        name,
        row["role"],
        row["status"],
        row["headquarters"],
        row["locations"],
        row["sub_processors"],
        row["transfers"],
        row["dpa_status"],
    )


# --------------------------------------------------------------------------
# .xlsx


@dataclass(frozen=True, slots=True)
class SheetFormats:
    header: object
    text: object
    number: object
    date: object


def register_extract_xlsx(
    processors: Sequence[Processor],
    assessment: RegisterAssessment,
    *,
    language: str,
    reference: Reference | None = None,
) -> bytes:
    """Three sheets; numbers are number cells and dates date cells (shown
    dd/mm/yyyy in French, "1 Dec 2026" in English); text is always written
    as a string, so no value is read as a formula or a link."""
    ctx = _context(assessment, language, reference)
    by_processor = _by_processor(assessment)
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    formats = SheetFormats(
        header=workbook.add_format(
            {"bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF", "text_wrap": True, "valign": "top"}
        ),
        text=workbook.add_format({"text_wrap": True, "valign": "top"}),
        number=workbook.add_format({"valign": "top"}),
        date=workbook.add_format({"valign": "top", "num_format": DATE_FORMATS[ctx.language]}),
    )
    _write_sheet(workbook, ctx, words(ctx.language).gettext("Processors"), formats, PROCESSOR_COLUMNS,
                 extract_rows(ctx, processors, by_processor))
    _write_sheet(workbook, ctx, words(ctx.language).gettext("Sub-processors"), formats, SUB_PROCESSOR_COLUMNS,
                 sub_processor_records(ctx, processors))
    _write_sheet(workbook, ctx, words(ctx.language).gettext("Transfers"), formats, TRANSFER_COLUMNS,
                 transfer_records(ctx, processors, by_processor))
    workbook.close()
    return output.getvalue()


def _write_sheet(workbook, ctx: ExtractContext, name: str, formats: SheetFormats,
                 columns: Sequence[SheetColumn], records: Iterable[Mapping[str, Value]]) -> None:
    sheet = workbook.add_worksheet(_sheet_name(name))
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
        sheet.write_string(0, index, term("document." + column.header, ctx.language), formats.header)
    row_count = 0
    for row_count, record in enumerate(records, start=1):
        for index, column in enumerate(columns):
            _write_cell(sheet, row_count, index, column.kind, record.get(column.key), formats)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row_count, 1), len(columns) - 1)


def _write_cell(sheet, row: int, column: int, kind: str, value: Value, formats: SheetFormats) -> None:
    if value is None or value == "":
        sheet.write_blank(row, column, None, formats.text)
    elif kind == NUMBER and isinstance(value, int):
        sheet.write_number(row, column, value, formats.number)
    elif kind == DATE and isinstance(value, date):
        sheet.write_datetime(row, column, datetime.combine(value, time()), formats.date)
    else:
        # write_string: a text is never read as a formula or a URL.
        sheet.write_string(row, column, clean(value), formats.text)


def _sheet_name(name: str) -> str:
    for character in "[]:*?/\\":
        name = name.replace(character, " ")
    return name[:31]


def sub_processor_records(ctx: ExtractContext, processors: Sequence[Processor]) -> Iterable[dict[str, Value]]:
    for processor in processors:
        for sub in processor.sub_processors:
            yield {
                "processor": processor.display_name,
                "sub_processor": sub.name,
                "countries": ", ".join(ctx.country(c) for c in sub.countries),
                "purpose": sub.purpose,
                "flowdown": wording.enum_label(sub.flowdown, ctx.language),
                "dpf_checked_on": sub.dpf_checked_on,
            }


def route_safeguard(processor: Processor, route: TransferRoute) -> Safeguard | None:
    """The processor's own safeguard for this route (same recipient, country
    and tool), when it records one."""
    if route.mechanism is None:
        return None
    for safeguard in processor.safeguards:
        if (safeguard.sub_processor_id, safeguard.country, safeguard.mechanism) == (
            route.sub_processor_id, route.country, route.mechanism
        ):
            return safeguard
    return None


def transfer_records(
    ctx: ExtractContext, processors: Sequence[Processor], by_processor: Mapping[int | None, ProcessorAssessment]
) -> Iterable[dict[str, Value]]:
    language = ctx.language
    for processor in processors:
        for route in third_country_routes(by_processor.get(processor.id)):
            safeguard = route_safeguard(processor, route)
            yield {
                "processor": processor.display_name,
                "country": route.country_name.in_language(language),
                "recipient": route.recipient,
                "path": " → ".join(route.path),
                "basis": wording.route_basis_label(route.basis, language),
                "mechanism": wording.enum_label(route.mechanism, language) if route.mechanism is not None else "",
                "scc_module": route.scc_module,
                "decision": route.decision,
                "coverage": wording.coverage_label(route.coverage, language),
                "signed_on": safeguard.signed_on if safeguard is not None else None,
                "tia_date": safeguard.tia_on if safeguard is not None else None,
                "risk_note": route.risk_note.in_language(language) if route.risk_note is not None else "",
            }


# --------------------------------------------------------------------------
# .csv


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    value = clean(value)
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def csv_cell(value: Value, language: str) -> str:
    """Numbers as digits, dates as the language's short date (dd/mm/yyyy in
    French), which a spreadsheet of that language reads back as dates."""
    if value is None:
        return ""
    if isinstance(value, date):
        return table_date(value, language)
    if isinstance(value, int):
        return str(value)
    return spreadsheet_safe(value)


def csv_separator(name: str | None, language: str) -> str:
    """The field separator named ``name`` (semicolon, comma, tab); by default
    the one the language's spreadsheets split on."""
    name = name or DEFAULT_SEPARATOR[language]
    try:
        return SEPARATORS[name]
    except KeyError:
        raise ValueError(f"unknown CSV separator {name!r}; expected one of {', '.join(SEPARATORS)}") from None


def register_extract_csv(
    processors: Sequence[Processor],
    assessment: RegisterAssessment,
    *,
    language: str,
    reference: Reference | None = None,
    separator: str | None = None,
) -> bytes:
    """The processors sheet as CSV: UTF-8 with a byte-order mark (so Excel
    detects the encoding), ";" between fields in French and "," in English
    unless ``separator`` names another (semicolon, comma, tab), the same
    headers as the .xlsx, formulas neutralised."""
    ctx = _context(assessment, language, reference)
    output = io.StringIO()
    writer = csv.writer(output, delimiter=csv_separator(separator, ctx.language), lineterminator="\r\n")
    writer.writerow([term("document." + column.header, ctx.language) for column in PROCESSOR_COLUMNS])
    for row in extract_rows(ctx, processors, _by_processor(assessment)):
        writer.writerow([csv_cell(row[column.key], ctx.language) for column in PROCESSOR_COLUMNS])
    return output.getvalue().encode("utf-8-sig")
