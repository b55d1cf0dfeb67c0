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


def _table_after(document, first_header: str) -> list[list[str]]:
    found = [t for t in tables(document) if t and t[0] and t[0][0] == first_header]
    assert found, f"no table headed {first_header!r}"
    return found


# --------------------------------------------------------------------------
# Gap report


@pytest.fixture(scope="module")
def register_report(demo):
    organisation, processors, _ = demo
    assessment = assess_register(processors, as_of=AS_OF)
    content = gap_report(organisation, assessment, language="en", processors=processors, document_date=DOCUMENT_DATE)
    return open_docx(content), assessment, content


def _code(finding_cell: str) -> str:
    """The code set under the finding's title (second line)."""
    return finding_cell.split("\n")[1]


FINDING_HEADER = ["Severity", "Finding", "Concerns", "Legal basis", "Remediation"]


def test_gap_report_findings_are_the_cores_grouped_by_processor(register_report):
    document, assessment, _ = register_report
    finding_tables = [t for t in tables(document) if t[0] == FINDING_HEADER]
    reported = [(_code(row[1]), SEVERITY_NAMES["en"][row[0]]) for t in finding_tables for row in t[1:]]
    assert reported == [(f.code, f.severity) for f in assessment.findings]
    processor_headings = [h.split(" — Score")[0] for h in headings(document, 2) if " — Score " in h]
    assert processor_headings == [p.processor_name for p in assessment.processors]
    for table, processor in zip(finding_tables, [p for p in assessment.processors if p.findings]):
        assert [row[1] for row in table[1:]] == [f"{f.title.en}\n{f.code}\n{f.explanation.en}" for f in processor.findings]
        assert [row[3] for row in table[1:]] == [f.basis for f in processor.findings]
        assert [row[4] for row in table[1:]] == [f.remediation.en for f in processor.findings]


def test_gap_report_summary_gives_score_and_counts(register_report):
    document, assessment, _ = register_report
    assert f"Register score: {assessment.score} / 100" in body_text(document)
    counts = _table_after(document, "Severity")[0]
    rows = dict((row[0], row[1]) for row in counts[1:])
    for severity in Severity:
        assert rows[wording.enum_label(severity, "en")] == str(assessment.counts.of(severity))
    assert rows["Findings"] == str(assessment.counts.total)
    assert rows["Processors in the register"] == str(len(assessment.processors))
    # A plain table: no bar chart drawn with shaded cells.
    assert not [t for t in tables(document) if len(t[0]) > 10 or (len(t) == 4 and t[0][0] == "Critical")]


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
    finding_tables = [t for t in tables(document) if t[0][:2] == ["Gravité", "Constat"]]
    assert [_code(row[1]) for t in finding_tables for row in t[1:]] == [f.code for f in assessment.findings]
    assert f"Score du sous-traitant\u00a0: {assessment.score} / 100" in body_text(document)
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
    assert main[0][:3] == ["Identifiant", "Dénomination sociale", "Nom commercial"]
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
    assert rows[0][:3] == ["ID", "Legal name", "Trade name"]
    assert len(rows) == len(tricky) + 1
    assert rows[1][1] == '\'=HYPERLINK("http://x","click")' and rows[1][2] == "'@SUM(1)"
    assert rows[2][1] == "ProspectLens SAS"


# --------------------------------------------------------------------------
# Procurement memo


def test_memo_before_the_decision_gives_the_registers_recommendation_labelled_as_such(demo):
    organisation, processors, by_name = demo
    candidate = by_name["ProspectLens"]
    verdict = procurement_verdict(candidate, as_of=AS_OF, registry={p.id: p for p in processors})
    assert verdict.decision == "reject"
    document = open_docx(procurement_memo(organisation, candidate, verdict, language="fr"))
    text = body_text(document)
    assert headings(document, 1)[:2] == ["Décision du DPO", "Recommandation du registre"]
    assert "En attente de la décision du DPO." in text
    assert "Avis automatique établi à partir des réponses à la demande" in text
    assert verdict.headline.fr in text and verdict.headline.fr.startswith("Refus\u00a0: ")
    for condition in verdict.conditions:
        assert text.count(condition.text.fr) == 1
    details = _table_after(document, "Gravité")[0]
    assert [row[1].split(" — ")[0] for row in details[1:]] == [f.code for f in verdict.details]
    assert "Inde via DataOps Pvt Ltd\u00a0: Aucune garantie — NON COUVERT" in text


def _decided(status="approved_with_conditions", conditions=("Signer le DPA avant la mise en service.",)):
    from datetime import date

    from register.documents.procurement_memo import MemoDecision, MemoRequest

    return MemoRequest(
        requested_by="Paul Achats",
        requested_on=date(2026, 11, 20),
        purpose="Un outil de prospection",
        decision=MemoDecision(
            status=status,
            reasons="Outil utile\u00a0; hébergement à revoir.",
            conditions=conditions,
            decided_by="Jeanne Martin",
            role="dpo",
            decided_on=date(2026, 11, 30),
        ),
    )


def test_memo_carries_the_dpos_decision_once_and_the_sign_off_filled(demo):
    organisation, processors, by_name = demo
    candidate = by_name["ProspectLens"]
    verdict = procurement_verdict(candidate, as_of=AS_OF, registry={p.id: p for p in processors})
    retained = [c.text.fr for c in verdict.conditions if c.when != "blocking"][:1]
    request = _decided(conditions=(*retained, "Le DPO revoit l'outil dans six mois."))
    document = open_docx(procurement_memo(organisation, candidate, verdict, language="fr", request=request))
    text = body_text(document)
    assert "APPROUVÉ SOUS CONDITIONS" in text
    assert text.count("Outil utile\u00a0; hébergement à revoir.") == 1
    for condition in request.decision.conditions:
        assert text.count(condition) == 1  # once, not twice (not again under the recommendation)
    decision_at = text.index("Décision du DPO")
    recommendation_at = text.index("Recommandation du registre")
    assert decision_at < text.index("Le DPO revoit l'outil dans six mois.") < recommendation_at
    assert "Autres points relevés par le registre" in text  # the conditions the DPO did not retain
    sign_off = _table_after(document, "Rubrique")[-1]
    assert sign_off[1:] == [
        ["Décision", "Approuvé sous conditions"],
        ["Décidé par", "Jeanne Martin"],
        ["Fonction", "Délégué à la protection des données"],
        ["Date", "30 novembre 2026"],
    ]
    assert "[À compléter" not in text
    assert "Demandé par" in text and "Paul Achats, le 20 novembre 2026" in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no ISO date in prose
    for english in ("Approve", "Reject", "Go with", "No-go", "Decided by", "Sign-off"):
        assert english not in text


def test_memo_on_a_clean_candidate_approves_without_conditions():
    from tests.compliance_builders import processor as compliant_processor

    from register.compliance.model import Organisation

    candidate = compliant_processor()
    verdict = procurement_verdict(candidate, as_of=AS_OF)
    assert verdict.decision == "approve"
    organisation = Organisation(id=1, name="Acme SAS", country="FR")
    request = _decided(status="approved", conditions=())
    document = open_docx(procurement_memo(organisation, candidate, verdict, language="en", request=request))
    text = body_text(document)
    assert "APPROVED" in text and "Go: the tool can be used." in text
    assert "Findings in detail" not in headings(document, 1)
    assert "Conditions" not in headings(document, 2) and "Suggested conditions" not in headings(document, 2)
    assert "Data protection officer" in text and "30 November 2026" in text
