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
from register.documents import i18n
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

    # BEGIN legacy i18n (removed by i18n_convert.py)
    def label(self, key: str, **values: object) -> str:
        return i18n.label(key, self.language, **values)
    # END legacy i18n

    def country(self, code: str | None) -> str:
        return self.reference.country_name(code, self.language) if code else self.label("unknown")


# --------------------------------------------------------------------------
# Rows


def locations_text(ctx: ExtractContext, processor: Processor) -> str:
    if not processor.locations:
        return ctx.label("none_recorded")
    parts = []
    for location in processor.locations:
        text = f"{ctx.country(location.country)} ({i18n.enum_label(location.activity, ctx.language)})"
        if location.note:
            text += f" — {location.note}"
        parts.append(text)
    return "; ".join(parts)


def sub_processors_text(ctx: ExtractContext, processor: Processor) -> str:
    if not processor.sub_processors:
        return ctx.label("none_recorded")
    return "; ".join(
        sub.name + " — " + (", ".join(ctx.country(c) for c in sub.countries) or ctx.label("unknown"))
        for sub in processor.sub_processors
    )


def route_text(ctx: ExtractContext, route: TransferRoute) -> str:
    language = ctx.language
    if route.mechanism is not None:
        tool = i18n.enum_label(route.mechanism, language)
        if route.scc_module is not None:
            tool += ", " + ctx.label("module", number=route.scc_module)
    else:
        tool = i18n.route_basis_label(route.basis, language)
        if route.decision:
            tool += f" {route.decision}"
    status = ctx.label("covered") if route.covered else ctx.label("not_covered")
    via = " ".join(("", ctx.label("via"), " → ".join(route.path[1:]))) if len(route.path) > 1 else ""
    separator = " : " if language == "fr" else ": "
    return f"{route.country_name.in_language(language)}{via}{separator}{tool} — {status}"


def third_country_routes(assessment: ProcessorAssessment | None) -> list[TransferRoute]:
    if assessment is None:
        return []
    return [route for route in assessment.transfers if route.basis != "eea"]


def transfers_text(ctx: ExtractContext, assessment: ProcessorAssessment | None) -> str:
    routes = third_country_routes(assessment)
    if not routes:
        return ctx.label("no_transfer")
    return "; ".join(route_text(ctx, route) for route in routes)


def dpa_status_text(ctx: ExtractContext, processor: Processor) -> str:
    agreement = processor.agreement
    if agreement is None:
        return ctx.label("dpa_none")
    language = ctx.language
    parts = []
    if agreement.reference:
        parts.append(agreement.reference)
    parts.append(
        ctx.label("dpa_signed", date=i18n.short_date(agreement.signed_on, language))
        if agreement.signed_on
        else ctx.label("dpa_unsigned")
    )
    if agreement.ends_on is not None:
        key = "dpa_expired" if agreement.ends_on < ctx.as_of else "dpa_ends"
        parts.append(ctx.label(key, date=i18n.short_date(agreement.ends_on, language)))
    total = len(ctx.reference.art28_items)
    present = sum(1 for clause in agreement.clauses if clause.status == ClauseStatus.PRESENT)
    parts.append(ctx.label("dpa_clauses", present=present, total=total))
    return "; ".join(parts)


def processor_row(ctx: ExtractContext, processor: Processor, assessment: ProcessorAssessment | None) -> dict[str, str]:
    language = ctx.language
    return {
        "id": "" if processor.id is None else str(processor.id),
        "legal_name": processor.legal_name,
        "trade_name": processor.trade_name,
        "category": i18n.enum_label(processor.category, language),
        "role": i18n.enum_label(processor.role, language),
        "status": i18n.enum_label(processor.status, language),
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
        language=i18n.check_language(language), as_of=assessment.as_of, reference=reference or load_reference()
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
        title=ctx.label("extract_title"),
        organisation=organisation.name,
        language=ctx.language,
        as_of=ctx.as_of,
        document_date=document_date or date.today(),
        landscape=True,
    )
    return render_document(info, extract_blocks(ctx, organisation, rows))


def extract_blocks(ctx: ExtractContext, organisation: Organisation, rows: Sequence[Mapping[str, str]]) -> list[Block]:
    blocks: list[Block] = [
        Heading(ctx.label("extract_title"), 1),
        Paragraph((Span(i18n.with_colon(ctx.label("organisation"), ctx.language), bold=True), Span(organisation.name))),
        Paragraph((Span(i18n.with_colon(ctx.label("as_of"), ctx.language), bold=True), Span(i18n.long_date(ctx.as_of, ctx.language)))),
        Paragraph(ctx.label("extract_intro")),
    ]
    if not rows:
        blocks.append(Paragraph(ctx.label("empty_register")))
        return blocks
    columns = (
        Column(ctx.label("processor"), 15),
        Column(ctx.label("role"), 8),
        Column(ctx.label("status"), 7),
        Column(ctx.label("headquarters"), 7),
        Column(ctx.label("locations"), 12),
        Column(ctx.label("sub_processors"), 15),
        Column(ctx.label("transfers"), 22),
        Column(ctx.label("dpa_status"), 14),
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
        workbook, ctx.label("sheet_processors"), header, wrap,
        [ctx.label(label) for _, label in COLUMNS],
        ([row[key] for key, _ in COLUMNS] for row in extract_rows(ctx, processors, by_processor)),
        widths=[6, 28, 20, 18, 14, 12, 14, 30, 40, 60, 40],
    )
    _write_sheet(
        workbook, ctx.label("sheet_sub_processors"), header, wrap,
        [ctx.label("processor"), ctx.label("sub_processor_name"), ctx.label("countries"), ctx.label("purpose"), ctx.label("flowdown")],
        sub_processor_records(ctx, processors),
        widths=[28, 28, 24, 36, 18],
    )
    _write_sheet(
        workbook, ctx.label("sheet_transfers"), header, wrap,
        [ctx.label("processor"), ctx.label("transfer_country"), ctx.label("recipient"), ctx.label("path"),
         ctx.label("basis"), ctx.label("mechanism"), ctx.label("scc_module"), ctx.label("decision"),
         ctx.label("covered"), ctx.label("risk_note")],
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
                i18n.enum_label(sub.flowdown, ctx.language),
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
                i18n.route_basis_label(route.basis, language),
                i18n.enum_label(route.mechanism, language) if route.mechanism is not None else "",
                "" if route.scc_module is None else str(route.scc_module),
                route.decision,
                i18n.yes_no(route.covered, language),
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
    writer.writerow([ctx.label(label) for _, label in COLUMNS])
    for row in extract_rows(ctx, processors, _by_processor(assessment)):
        writer.writerow([spreadsheet_safe(row[key]) for key, _ in COLUMNS])
    return output.getvalue().encode("utf-8-sig")
