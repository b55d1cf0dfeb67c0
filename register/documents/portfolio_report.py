"""The portfolio report: a DPO's client organisations side by side, for the
firm's own reporting (.docx and .xlsx, French or English).

The rows are the portfolio page's (the same filters, the same order), each
showing only what the reader's role in that client may read: a figure the role
may not read is "—", never a zero. The .docx has a title, the situation in one
paragraph, the clients needing attention first, then the table; the .xlsx one
sheet with a header row, column widths, a frozen header, numbers as number
cells and dates as date cells (written with XlsxWriter, like the register
extract).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

import xlsxwriter

from register.compliance.portfolio import PortfolioRow, portfolio_totals
from register.documents.common import (
    Block,
    Bullet,
    Cell,
    Column,
    DocumentInfo,
    Heading,
    Paragraph,
    Span,
    Table,
    clean,
    render_document,
    safe_filename,
)
from register.documents.register_extract import DATE_FORMATS
from register.i18n import words
from register.i18n.dates import prose_date, table_date
from register.i18n.terms import term
from register.documents import wording

HIDDEN = "—"  # a figure the reader's role may not read
ATTENTION_LIMIT = 10  # clients listed under "needing attention first"


@dataclass(frozen=True, slots=True)
class ReportColumn:
    key: str  # "name", "role", a figure, or "next_agreement_end"
    weight: int  # share of the .docx table's width
    width: int  # characters, in the .xlsx


COLUMNS: tuple[ReportColumn, ...] = (
    ReportColumn("name", 5, 34),
    ReportColumn("role", 2, 16),
    ReportColumn("score", 2, 9),
    ReportColumn("critical_findings", 2, 12),
    ReportColumn("overdue_reviews", 2, 12),
    ReportColumn("open_tasks", 2, 12),
    ReportColumn("overdue_tasks", 2, 12),
    ReportColumn("agreements_ending", 3, 18),
    ReportColumn("next_agreement_end", 3, 16),
    ReportColumn("pending_requests", 2, 16),
    ReportColumn("pending_notices", 3, 20),
)


def column_header(key: str, language: str) -> str:
    said = words(language)
    return {
        "name": said.gettext("Client"),
        "role": said.gettext("Your role"),
        "score": said.gettext("Score"),
        "critical_findings": said.gettext("Critical findings"),
        "overdue_reviews": said.gettext("Overdue reviews"),
        "open_tasks": said.gettext("Open tasks"),
        "overdue_tasks": said.gettext("Overdue tasks"),
        "agreements_ending": said.gettext("DPAs ending within 90 days"),
        "next_agreement_end": said.gettext("First DPA end"),
        "pending_requests": said.gettext("Pending procurement requests"),
        "pending_notices": said.gettext("Pending sub-processor notices"),
    }[key]


def role_name(row: PortfolioRow, language: str) -> str:
    return term("member_role." + row.role.value, language)


def report_title(language: str) -> str:
    return words(language).gettext("Client portfolio")


def report_filename(as_of: date, language: str, extension: str) -> str:
    return safe_filename("portfolio", as_of.isoformat(), language, extension=extension)


# ------------------------------------------------------------------ .docx


def portfolio_report_docx(
    rows: Sequence[PortfolioRow],
    *,
    prepared_for: str,
    as_of: date,
    language: str,
    filtered: bool = False,
    document_date: date | None = None,
) -> bytes:
    """The report of ``rows`` (already filtered and sorted) for ``prepared_for`` (the reader's name)."""
    wording.check_language(language)
    info = DocumentInfo(
        title=report_title(language),
        organisation=prepared_for,
        language=language,
        as_of=as_of,
        document_date=document_date or as_of,
        landscape=True,
        subject=words(language).gettext("Situation on %(day)s", day=prose_date(as_of, language)),
    )
    return render_document(info, portfolio_blocks(rows, as_of=as_of, language=language, filtered=filtered))


def portfolio_blocks(rows: Sequence[PortfolioRow], *, as_of: date, language: str, filtered: bool) -> list[Block]:
    said = words(language)
    totals = portfolio_totals(rows)
    blocks: list[Block] = [
        Heading(report_title(language)),
        Paragraph(said.gettext(
            "Situation on %(day)s of the client organisations in which you hold a role, each with what your "
            "role there may read.",
            day=prose_date(as_of, language),
        )),
    ]
    if filtered:
        blocks.append(Paragraph(said.gettext("Only the clients matching the filters chosen on the portfolio page are listed.")))
    if not rows:
        blocks.append(Paragraph(said.gettext("No client organisation to list.")))
        return blocks
    blocks.append(Paragraph(" ".join((
        said.ngettext("%(num)s client organisation:", "%(num)s client organisations:", totals.organisations),
        said.ngettext(
            "%(num)s with critical findings,", "%(num)s with critical findings,", totals.with_critical_findings
        ),
        said.ngettext("%(num)s with overdue items.", "%(num)s with overdue items.", totals.with_overdue_items),
    ))))
    attention = attention_lines(rows, language)
    if attention:
        blocks.append(Heading(said.gettext("Needing attention first"), level=2))
        blocks.extend(Bullet(line) for line in attention)
    blocks.append(Heading(said.gettext("Clients"), level=2))
    blocks.append(Table(
        columns=tuple(Column(column_header(c.key, language), c.weight) for c in COLUMNS),
        rows=[docx_row(row, language) for row in rows],
    ))
    if any(not (row.reads_register and row.reads_procurement) for row in rows):
        blocks.append(Paragraph(
            said.gettext("—: a figure your role in that organisation does not give access to."), style="small"
        ))
    return blocks


def attention_lines(rows: Sequence[PortfolioRow], language: str) -> list[tuple[Span, ...]]:
    """The clients with critical findings or overdue items, worst first: one line each."""
    said = words(language)
    colon = "\u00a0: " if language == "fr" else ": "
    urgent = [row for row in rows if row.critical_findings or row.overdue_items]
    urgent.sort(key=lambda row: (-(row.critical_findings or 0), -(row.overdue_items or 0), row.name.casefold()))
    lines = []
    for row in urgent[:ATTENTION_LIMIT]:
        parts = []
        if row.critical_findings:
            parts.append(said.ngettext("%(num)s critical finding", "%(num)s critical findings", row.critical_findings))
        if row.overdue_reviews:
            parts.append(said.ngettext("%(num)s overdue review", "%(num)s overdue reviews", row.overdue_reviews))
        if row.overdue_tasks:
            parts.append(said.ngettext("%(num)s overdue task", "%(num)s overdue tasks", row.overdue_tasks))
        lines.append((Span(clean(row.name), bold=True), Span(colon + ", ".join(parts))))
    return lines


def docx_row(row: PortfolioRow, language: str) -> list:
    cells: list = []
    for column in COLUMNS:
        if column.key == "name":
            cells.append(Cell(clean(row.name), bold=True))
        elif column.key == "role":
            cells.append(role_name(row, language))
        elif column.key == "next_agreement_end":
            if not row.reads_register:
                cells.append(HIDDEN)
            else:
                cells.append(table_date(row.next_agreement_end, language) if row.next_agreement_end else "")
        else:
            value = row.figure(column.key)
            cells.append(HIDDEN if value is None else str(value))
    return cells


# ------------------------------------------------------------------ .xlsx


def portfolio_report_xlsx(rows: Sequence[PortfolioRow], *, as_of: date, language: str) -> bytes:
    """One sheet: a header row (frozen, filterable), one row per client; figures are
    number cells, the first DPA end a date cell, a figure the role may not read "—"."""
    wording.check_language(language)
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    workbook.set_properties({
        "title": report_title(language),
        "subject": words(language).gettext("Situation on %(day)s", day=prose_date(as_of, language)),
        "created": datetime.combine(as_of, time()),
    })
    header = workbook.add_format(
        {"bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF", "text_wrap": True, "valign": "top"}
    )
    text = workbook.add_format({"text_wrap": True, "valign": "top"})
    number = workbook.add_format({"valign": "top"})
    hidden = workbook.add_format({"valign": "top", "align": "right"})
    day = workbook.add_format({"valign": "top", "num_format": DATE_FORMATS[language]})
    sheet = workbook.add_worksheet(_sheet_name(words(language).gettext("Portfolio")))
    for index, column in enumerate(COLUMNS):
        sheet.set_column(index, index, column.width)
        sheet.write_string(0, index, column_header(column.key, language), header)
    for number_of_row, row in enumerate(rows, start=1):
        for index, column in enumerate(COLUMNS):
            if column.key == "name":
                sheet.write_string(number_of_row, index, clean(row.name), text)
            elif column.key == "role":
                sheet.write_string(number_of_row, index, role_name(row, language), text)
            elif column.key == "next_agreement_end":
                if not row.reads_register:
                    sheet.write_string(number_of_row, index, HIDDEN, hidden)
                elif row.next_agreement_end is None:
                    sheet.write_blank(number_of_row, index, None, text)
                else:
                    sheet.write_datetime(number_of_row, index, datetime.combine(row.next_agreement_end, time()), day)
            else:
                value = row.figure(column.key)
                if value is None:
                    sheet.write_string(number_of_row, index, HIDDEN, hidden)
                else:
                    sheet.write_number(number_of_row, index, value, number)
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, max(len(rows), 1), len(COLUMNS) - 1)
    workbook.close()
    return output.getvalue()


def _sheet_name(name: str) -> str:
    for character in "[]:*?/\\":
        name = name.replace(character, " ")
    return name[:31]

