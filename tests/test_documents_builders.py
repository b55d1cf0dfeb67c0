"""What the generated documents say: each file is opened with python-docx (or
read as a workbook / CSV) and checked against the record and the core."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest

from register.compliance import assess_processor, assess_register, procurement_verdict
from register.compliance.scoring import SEVERITY_ORDER
from register.documents.dpa import dpa_draft
from register.documents.dpa_clauses import SECTIONS, clause_order
from register.documents.gap_report import REMEDIATION_DAYS, gap_report, processor_gap_report
from register.documents.procurement_memo import procurement_memo
from register.documents.register_extract import (
    register_extract_csv,
    register_extract_docx,
    register_extract_xlsx,
)
from register.reference import load_reference
from register.vocabulary import Severity
from tests.documents_support import (
    AS_OF,
    DOCUMENT_DATE,
    body_text,
    demo_register,
    headings,
    open_docx,
    part_text,
    tables,
    xlsx_sheets,
)
from register.documents import wording

REFERENCE = load_reference()
SEVERITY_NAMES = {
    language: {wording.enum_label(s, language): s for s in Severity} for language in ("fr", "en")
}


@pytest.fixture(scope="module")
def demo():
    organisation, processors = demo_register(AS_OF)
    return organisation, processors, {p.display_name: p for p in processors}


def _dpa(demo, name: str, language: str = "en"):
    organisation, processors, by_name = demo
    processor = by_name[name]
    registry = {p.id: p for p in processors}
    assessment = assess_processor(processor, as_of=AS_OF, registry=registry)
    content = dpa_draft(organisation, processor, assessment, language=language, document_date=DOCUMENT_DATE)
    return open_docx(content), processor, assessment, content


def _table_after(document, first_header: str) -> list[list[str]]:
    found = [t for t in tables(document) if t and t[0] and t[0][0] == first_header]
    assert found, f"no table headed {first_header!r}"
    return found


# --------------------------------------------------------------------------
# DPA draft


@pytest.mark.parametrize("language", ["fr", "en"])
def test_dpa_has_every_section_clause_and_annex_in_order(demo, language):
    document, *_ = _dpa(demo, "Enrichly", language)
    found = headings(document)
    numbers = []
    for text in found:
        clause = re.match(r"^Clause (\d+) —", text)
        sub = re.match(r"^(\d+\.\d+) ", text)
        if clause:
            numbers.append(clause.group(1))
        elif sub:
            numbers.append(sub.group(1))
    assert numbers == list(clause_order())
    assert numbers.index("7.7") < numbers.index("7.8") < numbers.index("9.2") < numbers.index("10")
    sections = [t.split(" —")[0] for t in headings(document, 1) if t.startswith("SECTION")]
    assert sections == [f"SECTION {s.number}" for s in SECTIONS]
    annex = "ANNEXE" if language == "fr" else "ANNEX"
    annexes = [t.split(" —")[0] for t in headings(document, 1) if t.startswith(annex)]
    assert annexes == [f"{annex} {n}" for n in ("I", "II", "III", "IV")]
    # The clause titles are those of the Decision, in the document's language.
    assert any(t.endswith(SECTIONS[1].clauses[0].title(language)) for t in found)


def test_dpa_general_authorisation_takes_option_2_with_the_recorded_notice(demo):
    document, processor, *_ = _dpa(demo, "Enrichly")
    text = body_text(document)
    assert processor.agreement.objection_notice_days == 30
    assert "OPTION 2 — GENERAL WRITTEN AUTHORISATION" in text
    assert "at least 30 days in advance" in text
    assert "OPTION 1 —" not in text
    assert "Option chosen from the register: Option 2" in text


def test_dpa_specific_authorisation_takes_option_1_with_a_placeholder_period(demo):
    document, *_ = _dpa(demo, "Automaite", "fr")
    text = body_text(document)
    assert "OPTION 1 — AUTORISATION PRÉALABLE SPÉCIFIQUE" in text
    assert "OPTION 2 —" not in text
    assert "au moins [À compléter : délai de la demande d'autorisation] avant" in text


def test_dpa_without_recorded_authorisation_offers_both_options_to_choose(demo):
    document, *_ = _dpa(demo, "PostalWave")
    text = body_text(document)
    assert "[To be completed: Option 1 or Option 2]" in text
    assert "OPTION 1 —" in text and "OPTION 2 —" in text


def test_dpa_breach_deadline_comes_from_the_record_or_is_a_placeholder(demo):
    with_deadline, processor, *_ = _dpa(demo, "Enrichly")
    assert f"Deadline agreed by the Parties: {processor.agreement.breach_notice_hours} hours." in body_text(with_deadline)
    without, *_ = _dpa(demo, "PostalWave", "fr")
    assert (
        "Délai convenu entre les parties : [À compléter : délai de notification d'une violation, en heures]"
        in body_text(without)
    )


def test_dpa_annex_rows_match_the_record(demo):
    document, processor, *_ = _dpa(demo, "Enrichly")
    organisation = demo[0]
    annex_tables = [t for t in tables(document) if t[0] == ["Item", "Details"]]
    controller, vendor, annex_ii, annex_iii = annex_tables
    assert controller[1] == ["Name", organisation.name]
    assert ["Country", "France"] in controller
    assert ["Contact person's name, position and contact details", f"{organisation.dpo_name} — {organisation.dpo_email}"] in controller
    assert vendor[1] == ["Name", processor.legal_name]
    assert ["Contact person's name, position and contact details", processor.privacy_contact] in vendor
    rows = dict(annex_ii[1:])
    assert rows["Categories of personal data processed"] == ", ".join(processor.data_categories)
    assert rows["Categories of data subjects whose personal data is processed"] == "B2B prospects"
    assert rows["Purpose(s) for which the personal data is processed on behalf of the controller"] == "B2B prospection, contact enrichment"
    assert rows["Nature of the processing"] == processor.service_description
    # Enrichly records no retention limit: flagged, with a placeholder to complete.
    assert "[To be completed: retention period]" in rows["Retention of the personal data"]
    assert dict(annex_iii[1:])["Technical and organisational measures"] == processor.security_measures
    annex_iv = _table_after(document, "Name")[-1]
    assert [row[0] for row in annex_iv[1:]] == [sub.name for sub in processor.sub_processors]
    assert [row[2] for row in annex_iv[1:]] == ["France", "United States"]
    assert [row[3] for row in annex_iv[1:]] == [sub.purpose for sub in processor.sub_processors]
    assert all(row[1] == "[To be completed: address]" for row in annex_iv[1:])


def test_dpa_clause_7_8_names_the_scc_module_to_annex_and_why(demo):
    document, _, assessment, _ = _dpa(demo, "RelationHub CRM")
    transfers = _table_after(document, "Country")[0]
    by_country = {row[0]: row for row in transfers[1:]}
    abroad = {r.country_name.en for r in assessment.transfers if r.basis != "eea"}
    assert set(by_country) == abroad == {"United States", "Philippines", "Australia"}
    assert by_country["United States"][3].startswith("Module 2 (2021/914)")  # the processor itself
    assert "controller → processor" in by_country["United States"][4]
    assert by_country["Philippines"][3] == "Module 3 (2021/914)"  # its sub-processor
    assert "pre-2021 SCCs" in by_country["Philippines"][4]
    assert "records module 2: to be corrected" in by_country["Australia"][4]
    prospect_lens, *_ = _dpa(demo, "ProspectLens", "fr")
    row = _table_after(prospect_lens, "Pays")[0][1]
    assert row[0] == "Inde" and row[3] == "Module 3 (2021/914)" and "aucune garantie enregistrée" in row[4]


def test_dpa_of_a_processor_with_no_transfer_says_so(demo):
    document, *_ = _dpa(demo, "Nuagehost")
    assert "No transfer outside the EEA" in body_text(document)


def test_dpa_placeholders_are_highlighted_runs(demo):
    document, *_ = _dpa(demo, "ProspectLens")
    placeholders = [
        run for paragraph in document.paragraphs for run in paragraph.runs if run.text.startswith("[To be completed")
    ]
    placeholders += [
        run
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
        if run.text.startswith("[To be completed")
    ]
    assert placeholders
    assert all(run.font.highlight_color is not None and run.style.name == "Placeholder" for run in placeholders)


# --------------------------------------------------------------------------
# Gap report


@pytest.fixture(scope="module")
def register_report(demo):
    organisation, processors, _ = demo
    assessment = assess_register(processors, as_of=AS_OF)
    content = gap_report(organisation, assessment, language="en", processors=processors, document_date=DOCUMENT_DATE)
    return open_docx(content), assessment, content


FINDING_HEADER = ["Severity", "Code", "Finding", "Concerns", "Legal basis", "Remediation"]


def test_gap_report_findings_are_the_cores_grouped_by_processor(register_report):
    document, assessment, _ = register_report
    finding_tables = [t for t in tables(document) if t[0] == FINDING_HEADER]
    reported = [(row[1], SEVERITY_NAMES["en"][row[0]]) for t in finding_tables for row in t[1:]]
    assert reported == [(f.code, f.severity) for f in assessment.findings]
    processor_headings = [h.split(" — Score")[0] for h in headings(document, 2) if " — Score " in h]
    assert processor_headings == [p.processor_name for p in assessment.processors]
    for table, processor in zip(finding_tables, [p for p in assessment.processors if p.findings]):
        assert [row[1] for row in table[1:]] == [f.code for f in processor.findings]
        assert [row[4] for row in table[1:]] == [f.basis for f in processor.findings]
        assert [row[5] for row in table[1:]] == [f.remediation.en for f in processor.findings]


def test_gap_report_summary_gives_score_and_counts(register_report):
    document, assessment, _ = register_report
    assert f"Register score: {assessment.score} / 100" in body_text(document)
    counts = _table_after(document, "Severity")[0]
    rows = dict((row[0], row[1]) for row in counts[1:])
    for severity in Severity:
        assert rows[wording.enum_label(severity, "en")] == str(assessment.counts.of(severity))
    assert rows["Findings"] == str(assessment.counts.total)
    assert rows["Processors in the register"] == str(len(assessment.processors))
    chart = [t for t in tables(document) if len(t[0]) > 10 or (len(t) == 4 and t[0][0] == "Critical")]
    assert chart and [row[:2] for row in chart[0]] == [
        [wording.enum_label(s, "en"), str(assessment.counts.of(s))] for s in Severity
    ]


def test_gap_report_remediation_plan_is_ordered_by_severity_then_date(register_report):
    document, assessment, _ = register_report
    plan = _table_after(document, "Target date")[0][1:]
    assert len(plan) == assessment.counts.total
    keys = [(SEVERITY_ORDER[SEVERITY_NAMES["en"][row[1]]], _table_day(row[0])) for row in plan]
    assert keys == sorted(keys)
    latest = {s: (AS_OF.toordinal() + days) for s, days in REMEDIATION_DAYS.items()}
    for row in plan:
        severity = SEVERITY_NAMES["en"][row[1]]
        assert AS_OF <= _table_day(row[0]) <= type(AS_OF).fromordinal(latest[severity])


def _table_day(text: str):
    """A table cell's date, dd/mm/yyyy in both languages."""
    return datetime.strptime(text, "%d/%m/%Y").date()


def test_gap_report_appendix_cites_the_sources_of_every_finding_raised(register_report):
    document, assessment, _ = register_report
    appendix = _table_after(document, "Reference datum")[0]
    data = {row[0]: row for row in appendix[1:]}
    from register.compliance import findings_catalogue

    catalogue = findings_catalogue(REFERENCE)
    for code in {f.code for f in assessment.findings}:
        definition = catalogue[code]
        row = data[f"{code} — {definition.title_en}"]
        assert row[1].startswith(definition.source.citation)
        assert row[2] == definition.source.as_of.strftime("%d/%m/%Y")
    assert any(key.startswith("Adequacy decision — United States") for key in data)
    assert "Appendix: reference data used" in headings(document, 1)


def test_gap_report_header_and_footer_carry_organisation_page_fields_and_dates(register_report, demo):
    _, _, content = register_report
    assert demo[0].name in part_text(content, "word/header")
    footer = part_text(content, "word/footer")
    assert "Page" in footer and " of " in footer
    assert "Document date: 30 November 2026" in footer and "As of: 29 November 2026" in footer
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as package:
        footer_xml = b"".join(package.read(n) for n in package.namelist() if n.startswith("word/footer"))
    assert footer_xml.count(b'w:fldCharType="begin"') == 2
    assert b" PAGE " in footer_xml and b" NUMPAGES " in footer_xml


def test_processor_gap_report_lists_only_that_processors_findings(demo):
    organisation, processors, by_name = demo
    processor = by_name["RelationHub CRM"]
    assessment = assess_processor(processor, as_of=AS_OF, registry={p.id: p for p in processors})
    document = open_docx(processor_gap_report(organisation, assessment, language="fr", processor=processor))
    finding_tables = [t for t in tables(document) if t[0][:2] == ["Gravité", "Code"]]
    assert [row[1] for t in finding_tables for row in t[1:]] == [f.code for f in assessment.findings]
    assert f"Score du sous-traitant : {assessment.score} / 100" in body_text(document)
    assert headings(document, 1)[0] == "Synthèse"


def test_offboarded_processor_is_reported_as_not_assessed(demo):
    from dataclasses import replace

    from register.vocabulary import LifecycleStatus

    organisation, processors, _ = demo
    gone = [replace(p, status=LifecycleStatus.OFFBOARDED) if p.display_name == "Automaite" else p for p in processors]
    assessment = assess_register(gone, as_of=AS_OF)
    text = body_text(open_docx(gap_report(organisation, assessment, language="en", processors=gone)))
    assert "Not assessed (status: Offboarded)" in text


# --------------------------------------------------------------------------
# Register extract


def test_register_extract_docx_has_one_row_per_processor(demo):
    organisation, processors, _ = demo
    assessment = assess_register(processors, as_of=AS_OF)
    document = open_docx(register_extract_docx(organisation, processors, assessment, language="en"))
    rows = _table_after(document, "Processor")[0][1:]
    assert [row[0].split("\n")[0] for row in rows] == [p.legal_name for p in processors]
    by_name = {row[0].split("\n")[0]: row for row in rows}
    assert by_name["ProspectLens SAS"][6] == "India via DataOps Pvt Ltd: No safeguard — NOT COVERED"
    assert by_name["ProspectLens SAS"][7] == "No DPA recorded"
    assert by_name["Enrichly SAS"][5] == "Nuagehost SAS — France; BigCloud Inc. — United States"
    assert by_name["Automaite SAS"][7].startswith("DPA-AUTO-2023; Signed ") and "expired" in by_name["Automaite SAS"][7]
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape


def test_register_extract_xlsx_has_processors_sub_processors_and_transfers(demo):
    _, processors, _ = demo
    assessment = assess_register(processors, as_of=AS_OF)
    sheets = xlsx_sheets(register_extract_xlsx(processors, assessment, language="fr"))
    assert list(sheets) == ["Sous-traitants", "Sous-traitants ultérieurs", "Transferts"]
    main = sheets["Sous-traitants"]
    assert main[0][:3] == ["Id", "Dénomination sociale", "Nom commercial"]
    assert [row[1] for row in main[1:]] == [p.legal_name for p in processors]
    assert len(sheets["Sous-traitants ultérieurs"]) - 1 == sum(len(p.sub_processors) for p in processors)
    routes = [r for a in assessment.processors for r in a.transfers if r.basis != "eea"]
    transfers = sheets["Transferts"][1:]
    assert len(transfers) == len(routes)
    assert ["ProspectLens", "Inde", "DataOps Pvt Ltd"] == transfers[[r[0] for r in transfers].index("ProspectLens")][:3]


def test_register_extract_csv_is_utf8_with_bom_and_neutralises_formulas(demo):
    from dataclasses import replace

    _, processors, _ = demo
    tricky = [replace(processors[0], legal_name='=HYPERLINK("http://x","click")', trade_name="@SUM(1)")] + processors[1:]
    assessment = assess_register(tricky, as_of=AS_OF)
    content = register_extract_csv(tricky, assessment, language="en")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Id", "Legal name", "Trade name"]
    assert len(rows) == len(tricky) + 1
    assert rows[1][1] == '\'=HYPERLINK("http://x","click")' and rows[1][2] == "'@SUM(1)"
    assert rows[2][1] == "ProspectLens SAS"


# --------------------------------------------------------------------------
# Procurement memo


def test_memo_on_a_rejected_candidate_gives_the_decision_reasons_and_blocking_findings(demo):
    organisation, processors, by_name = demo
    candidate = by_name["ProspectLens"]
    verdict = procurement_verdict(candidate, as_of=AS_OF, registry={p.id: p for p in processors})
    assert verdict.decision == "reject"
    document = open_docx(procurement_memo(organisation, candidate, verdict, language="fr"))
    text = body_text(document)
    assert "REFUSER" in text
    for reason in verdict.reasons:
        assert reason.fr in text
    blocking = _table_after(document, "Gravité")[0]
    assert [row[1].split(" — ")[0] for row in blocking[1:]] == [f.code for f in verdict.blocking]
    conditions = _table_after(document, "Quand")[0]
    assert [row[2].split(" — ")[0] for row in conditions[1:]] == [f.code for f in verdict.conditions]
    assert "Inde via DataOps Pvt Ltd : Aucune garantie — NON COUVERT" in text


def test_memo_on_a_clean_candidate_approves_without_conditions():
    from tests.compliance_builders import processor as compliant_processor

    from register.compliance.model import Organisation

    candidate = compliant_processor()
    verdict = procurement_verdict(candidate, as_of=AS_OF)
    assert verdict.decision == "approve"
    organisation = Organisation(id=1, name="Acme SAS", country="FR")
    document = open_docx(procurement_memo(organisation, candidate, verdict, language="en"))
    text = body_text(document)
    assert "APPROVE" in text and verdict.reasons[0].en in text
    assert "Conditions" not in headings(document, 1) and "Blocking findings" not in headings(document, 1)
