"""The spreadsheet exports as a French or English user opens them: the CSV
splits into columns in that language's Excel (";" in French), the workbook
holds numbers as numbers and dates as formatted date cells, and both carry
the same headers. The .xlsx is read back with openpyxl, the .csv with the
csv module."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, datetime

import openpyxl
import pytest

from register.compliance import assess_register
from register.documents import wording
from register.documents.register_extract import (
    PROCESSOR_COLUMNS,
    register_extract_csv,
    register_extract_xlsx,
)
from tests.documents_support import AS_OF, demo_register


@pytest.fixture(scope="module")
def demo():
    organisation, processors = demo_register(AS_OF)
    return processors, assess_register(processors, as_of=AS_OF), {p.display_name: p for p in processors}


def _csv_rows(content: bytes, delimiter: str) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark: Excel would misread accents"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def _workbook(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def _records(sheet) -> tuple[list[str], list[dict[str, object]]]:
    rows = list(sheet.iter_rows(values_only=True))
    headers = list(rows[0])
    return headers, [dict(zip(headers, row)) for row in rows[1:]]


# --------------------------------------------------------------------------
# CSV


def test_french_csv_is_semicolon_separated_with_bom_and_french_dates(demo):
    processors, assessment, by_name = demo
    content = register_extract_csv(processors, assessment, language="fr")
    header_line = content.decode("utf-8-sig").split("\r\n", 1)[0]
    assert header_line.startswith("Identifiant;Dénomination sociale;Nom commercial;")
    rows = _csv_rows(content, ";")
    assert all(len(row) == len(PROCESSOR_COLUMNS) for row in rows)
    records = {row[1]: dict(zip(rows[0], row)) for row in rows[1:]}
    crm = records[by_name["RelationHub CRM"].legal_name]
    assert crm["Prochaine revue"] == "19/12/2026"
    assert crm["Plus ancienne analyse d'impact des transferts"] == "01/05/2019"
    assert crm["Data Privacy Framework vérifié le"] == "30/03/2025"
    crm_assessment = next(a for a in assessment.processors if a.processor_id == by_name["RelationHub CRM"].id)
    assert crm["Score"] == str(crm_assessment.score) and crm["Constats"] == str(crm_assessment.counts.total)
    # A text holding a comma stays one field (the French separator is ";").
    assert "; " in crm["Transferts et garanties"]


def test_english_csv_is_comma_separated_and_the_separator_can_be_chosen(demo):
    processors, assessment, _ = demo
    english = _csv_rows(register_extract_csv(processors, assessment, language="en"), ",")
    assert english[0][:3] == ["ID", "Legal name", "Trade name"]
    assert len(english) == len(processors) + 1 and all(len(r) == len(PROCESSOR_COLUMNS) for r in english)
    tabbed = register_extract_csv(processors, assessment, language="fr", separator="tab")
    assert _csv_rows(tabbed, "\t") == _csv_rows(register_extract_csv(processors, assessment, language="fr"), ";")
    comma_fr = register_extract_csv(processors, assessment, language="fr", separator="comma")
    assert _csv_rows(comma_fr, ",")[0][0] == "Identifiant"
    with pytest.raises(ValueError, match="separator"):
        register_extract_csv(processors, assessment, language="fr", separator="pipe")


@pytest.mark.parametrize("separator", [None, "comma", "tab"])
def test_csv_keeps_the_formula_guard_whatever_the_separator(demo, separator):
    processors, _, _ = demo
    tricky = [replace(processors[0], legal_name='=HYPERLINK("http://x";"click")', trade_name="+1;-2")] + processors[1:]
    assessment = assess_register(tricky, as_of=AS_OF)
    delimiter = {None: ";", "comma": ",", "tab": "\t"}[separator]
    rows = _csv_rows(register_extract_csv(tricky, assessment, language="fr", separator=separator), delimiter)
    assert rows[1][1] == '\'=HYPERLINK("http://x";"click")' and rows[1][2] == "'+1;-2"
    assert all(len(row) == len(PROCESSOR_COLUMNS) for row in rows)


# --------------------------------------------------------------------------
# xlsx


@pytest.mark.parametrize("language", ["fr", "en"])
def test_xlsx_headers_are_the_csv_headers(demo, language):
    processors, assessment, _ = demo
    workbook = _workbook(register_extract_xlsx(processors, assessment, language=language))
    delimiter = ";" if language == "fr" else ","
    csv_headers = _csv_rows(register_extract_csv(processors, assessment, language=language), delimiter)[0]
    headers, _ = _records(workbook.worksheets[0])
    assert headers == csv_headers
    for sheet in workbook.worksheets:
        sheet_headers, _ = _records(sheet)
        # One wording style: every header starts with a capital, none ends with a colon.
        assert all(h[0].isupper() and not h.rstrip().endswith(":") for h in sheet_headers), sheet_headers


def test_xlsx_numbers_are_numbers_and_dates_are_formatted_date_cells(demo):
    processors, assessment, by_name = demo
    crm = by_name["RelationHub CRM"]
    for language, date_format in (("fr", "dd/mm/yyyy"), ("en", "d mmm yyyy")):
        workbook = _workbook(register_extract_xlsx(processors, assessment, language=language))
        sheet = workbook.worksheets[0]
        headers, records = _records(sheet)
        row = next(r for r in records if r[headers[1]] == crm.legal_name)
        assert row[headers[0]] == crm.id and isinstance(row[headers[0]], int)
        score, findings, last_review, next_review, tia, dpf = (row[h] for h in headers[11:17])
        crm_assessment = next(a for a in assessment.processors if a.processor_id == crm.id)
        assert (score, findings) == (crm_assessment.score, crm_assessment.counts.total)
        assert isinstance(score, int) and isinstance(findings, int)
        assert next_review == datetime(2026, 12, 19) and last_review == datetime.combine(crm.last_review_on, datetime.min.time())
        assert tia == datetime(2019, 5, 1) and dpf == datetime(2025, 3, 30)
        # The cells are dates displayed in the language's format (not text).
        row_index = 2 + [r[headers[1]] for r in records].index(crm.legal_name)
        for column in range(14, 18):
            cell = sheet.cell(row=row_index, column=column)
            assert cell.is_date and cell.number_format.endswith(date_format), (language, cell.number_format)
        # A processor without a TIA or a DPF check has empty cells, not "None" or "".
        enrichly = next(r for r in records if r[headers[1]] == by_name["Enrichly"].legal_name)
        assert enrichly[headers[15]] is None and enrichly[headers[16]] is None


def test_xlsx_transfers_sheet_has_numeric_modules_and_safeguard_dates(demo):
    processors, assessment, by_name = demo
    workbook = _workbook(register_extract_xlsx(processors, assessment, language="en"))
    headers, records = _records(workbook["Transfers"])
    assert headers == [
        "Processor", "Country", "Recipient", "Path of the data", "Basis", "Transfer tool", "SCC module",
        "Adequacy decision", "Coverage", "Signed on", "Transfer impact assessment", "Risk note",
    ]
    australia = next(r for r in records if r["Processor"] == "RelationHub CRM" and r["Country"] == "Australia")
    assert isinstance(australia["SCC module"], int) and 1 <= australia["SCC module"] <= 4
    assert australia["Signed on"] == datetime(2024, 5, 30) and australia["Transfer impact assessment"] == datetime(2024, 5, 30)
    coverages = {wording.coverage_label(c, "en") for c in ("covered", "being_negotiated", "not_covered")}
    assert {r["Coverage"] for r in records} <= coverages
    sub_headers, _ = _records(workbook["Sub-processors"])
    assert sub_headers[-2:] == ["Obligations flowed down", "Data Privacy Framework checked on"]


def test_xlsx_leaves_an_offboarded_processor_without_a_score(demo):
    from register.vocabulary import LifecycleStatus

    processors, _, _ = demo
    offboarded = [replace(processors[0], status=LifecycleStatus.OFFBOARDED)] + processors[1:]
    assessment = assess_register(offboarded, as_of=AS_OF)
    headers, records = _records(_workbook(register_extract_xlsx(offboarded, assessment, language="en")).worksheets[0])
    assert records[0]["Score"] is None and records[0]["Findings"] is None
    assert isinstance(records[1]["Score"], int)


def test_xlsx_text_that_looks_like_a_formula_stays_text(demo):
    processors, _, _ = demo
    tricky = [replace(processors[0], legal_name="=1+1", trade_name="2026-01-01")] + processors[1:]
    assessment = assess_register(tricky, as_of=AS_OF)
    headers, records = _records(_workbook(register_extract_xlsx(tricky, assessment, language="en")).worksheets[0])
    assert records[0]["Legal name"] == "=1+1" and records[0]["Trade name"] == "2026-01-01"
    assert isinstance(records[0]["Trade name"], str) and date(2026, 1, 1) != records[0]["Trade name"]
