"""The register extract: the recipients and transfers part of the record of
processing activities (Art. 30(1)(d)-(e)) — each processor with its role,
locations, sub-processors, transfers and safeguards, and DPA status.

The same rows in three formats: .docx (a landscape table), .xlsx (three
sheets: processors, sub-processors, transfers; written with XlsxWriter,
every cell as a string so nothing is read as a formula) and .csv (the
processors sheet; UTF-8 with a byte-order mark so spreadsheets detect the
encoding; cells that a spreadsheet would run as a formula are prefixed with
an apostrophe).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import xlsxwriter

from register.compliance.model import Organisation, Processor
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

# The processors sheet's columns, in order: (key, label key).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "id"),
    ("legal_name", "legal_name"),
    ("trade_name", "trade_name"),
    ("category", "category"),
    ("role", "role"),
    ("status", "status"),
    ("headquarters", "headquarters"),
    ("locations", "locations"),
    ("sub_processors", "sub_processors"),
    ("transfers", "transfers"),
    ("dpa_status", "dpa_status"),
)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


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
    return "; ".join(parts)


def sub_processors_text(ctx: ExtractContext, processor: Processor) -> str:
    if not processor.sub_processors:
        return words(ctx.language).pgettext("document none recorded", "None recorded")
    return "; ".join(
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
    status = words(ctx.language).gettext("covered") if route.covered else words(ctx.language).gettext("NOT COVERED")
    via = " ".join(("", words(ctx.language).gettext("via"), " → ".join(route.path[1:]))) if len(route.path) > 1 else ""
    separator = " : " if language == "fr" else ": "
    return f"{route.country_name.in_language(language)}{via}{separator}{tool} — {status}"


def third_country_routes(assessment: ProcessorAssessment | None) -> list[TransferRoute]:
    if assessment is None:
        return []
    return [route for route in assessment.transfers if route.basis != "eea"]


def transfers_text(ctx: ExtractContext, assessment: ProcessorAssessment | None) -> str:
    routes = third_country_routes(assessment)
    if not routes:
        return words(ctx.language).gettext("No transfer outside the EEA")
    return "; ".join(route_text(ctx, route) for route in routes)


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
    return "; ".join(parts)


def processor_row(ctx: ExtractContext, processor: Processor, assessment: ProcessorAssessment | None) -> dict[str, str]:
    language = ctx.language
    return {
        "id": "" if processor.id is None else str(processor.id),
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
    }


def extract_rows(
    ctx: ExtractContext, processors: Sequence[Processor], assessments: Mapping[int | None, ProcessorAssessment]
) -> list[dict[str, str]]:
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


def extract_blocks(ctx: ExtractContext, organisation: Organisation, rows: Sequence[Mapping[str, str]]) -> list[Block]:
    blocks: list[Block] = [
        Heading(words(ctx.language).gettext("Register extract: processors, recipients and transfers"), 1),
        Paragraph((Span(wording.with_colon(words(ctx.language).pgettext("document organisation", "Organisation"), ctx.language), bold=True), Span(organisation.name))),
        Paragraph((Span(wording.with_colon(words(ctx.language).gettext("As of:"), ctx.language), bold=True), Span(prose_date(ctx.as_of, ctx.language)))),
        Paragraph(words(ctx.language).gettext("The recipients and transfers part of the record of processing activities (GDPR Art. 30(1)(d) and (e)): each processor with its role, locations, sub-processors, transfers to third countries with their safeguards, and the status of its data processing agreement.")),
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
        Column(words(ctx.language).gettext("Transfers and safeguards"), 22),
        Column(words(ctx.language).gettext("DPA status"), 14),
    )
    blocks.append(Table(columns, [docx_row(row) for row in rows]))
    return blocks


def docx_row(row: Mapping[str, str]) -> tuple:
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


def register_extract_xlsx(
    processors: Sequence[Processor],
    assessment: RegisterAssessment,
    *,
    language: str,
    reference: Reference | None = None,
) -> bytes:
    ctx = _context(assessment, language, reference)
    by_processor = _by_processor(assessment)
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    header = workbook.add_format({"bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF", "text_wrap": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    _write_sheet(
        workbook, words(ctx.language).gettext("Processors"), header, wrap,
        [term("document." + label, ctx.language) for _, label in COLUMNS],
        ([row[key] for key, _ in COLUMNS] for row in extract_rows(ctx, processors, by_processor)),
        widths=[6, 28, 20, 18, 14, 12, 14, 30, 40, 60, 40],
    )
    _write_sheet(
        workbook, words(ctx.language).gettext("Sub-processors"), header, wrap,
        [words(ctx.language).gettext("Processor"), words(ctx.language).gettext("Sub-processor"), words(ctx.language).gettext("Countries"), words(ctx.language).gettext("Purpose"), words(ctx.language).gettext("Same obligations flowed down (Art. 28(4))")],
        sub_processor_records(ctx, processors),
        widths=[28, 28, 24, 36, 18],
    )
    _write_sheet(
        workbook, words(ctx.language).gettext("Transfers"), header, wrap,
        [words(ctx.language).gettext("Processor"), words(ctx.language).gettext("Country"), words(ctx.language).gettext("Recipient"), words(ctx.language).gettext("Path of the data"),
         words(ctx.language).gettext("Basis"), words(ctx.language).gettext("Safeguard"), words(ctx.language).gettext("SCC module"), words(ctx.language).gettext("Adequacy decision"),
         words(ctx.language).gettext("covered"), words(ctx.language).gettext("Risk note")],
        transfer_records(ctx, processors, by_processor),
        widths=[28, 18, 28, 40, 22, 26, 10, 30, 10, 50],
    )
    workbook.close()
    return output.getvalue()


def _write_sheet(workbook, name: str, header, wrap, headings: Sequence[str],
                 records: Iterable[Sequence[str]], widths: Sequence[int]) -> None:
    sheet = workbook.add_worksheet(_sheet_name(name))
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    for column, heading in enumerate(headings):
        sheet.write_string(0, column, heading, header)
    row_count = 0
    for row_count, record in enumerate(records, start=1):
        for column, value in enumerate(record):
            # write_string: a value is never read as a formula or a URL.
            sheet.write_string(row_count, column, clean(value), wrap)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row_count, 1), len(headings) - 1)


def _sheet_name(name: str) -> str:
    for character in "[]:*?/\\":
        name = name.replace(character, " ")
    return name[:31]


def sub_processor_records(ctx: ExtractContext, processors: Sequence[Processor]) -> Iterable[list[str]]:
    for processor in processors:
        for sub in processor.sub_processors:
            yield [
                processor.display_name,
                sub.name,
                ", ".join(ctx.country(c) for c in sub.countries),
                sub.purpose,
                wording.enum_label(sub.flowdown, ctx.language),
            ]


def transfer_records(
    ctx: ExtractContext, processors: Sequence[Processor], by_processor: Mapping[int | None, ProcessorAssessment]
) -> Iterable[list[str]]:
    language = ctx.language
    for processor in processors:
        for route in third_country_routes(by_processor.get(processor.id)):
            yield [
                processor.display_name,
                route.country_name.in_language(language),
                route.recipient,
                " → ".join(route.path),
                wording.route_basis_label(route.basis, language),
                wording.enum_label(route.mechanism, language) if route.mechanism is not None else "",
                "" if route.scc_module is None else str(route.scc_module),
                route.decision,
                wording.yes_no(route.covered, language),
                route.risk_note.in_language(language) if route.risk_note is not None else "",
            ]


# --------------------------------------------------------------------------
# .csv


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    value = clean(value)
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def register_extract_csv(
    processors: Sequence[Processor],
    assessment: RegisterAssessment,
    *,
    language: str,
    reference: Reference | None = None,
) -> bytes:
    ctx = _context(assessment, language, reference)
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow([term("document." + label, ctx.language) for _, label in COLUMNS])
    for row in extract_rows(ctx, processors, _by_processor(assessment)):
        writer.writerow([spreadsheet_safe(row[key]) for key, _ in COLUMNS])
    return output.getvalue().encode("utf-8-sig")
