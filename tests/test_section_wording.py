"""Where a vendor's DPA deals with an Art. 28(3) item, said once and naturally
in the gap report and the negotiation letter ("Absente (§ 13)", not
"Absente, section §13")."""

from __future__ import annotations

from dataclasses import replace

import pytest

from register.compliance import assess_register
from register.documents.gap_report import gap_report
from register.documents.negotiation_letter import negotiation_letter
from register.documents.wording import section_place, status_in_section
from tests.documents_support import AS_OF, demo_register, open_docx, tables

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("section", "language", "said"),
    [
        ("§13", "fr", f"§{NBSP}13"),
        ("§ 13", "en", f"§{NBSP}13"),
        ("§§ 3-5", "fr", f"§§{NBSP}3-5"),
        ("13", "fr", "section 13"),
        ("7.2", "en", "section 7.2"),
        ("  7.2 ", "en", "section 7.2"),
        ("Section 13", "fr", "Section 13"),
        ("section 4.1", "en", "section 4.1"),
        ("Art. 5", "fr", "Art. 5"),
        ("Article 9", "en", "Article 9"),
        ("Annex II", "en", "Annex II"),
        ("Annexe 2", "fr", "Annexe 2"),
        ("Clause 7.7", "en", "Clause 7.7"),
        ("Schedule 3", "en", "Schedule 3"),
        ("Appendix 1", "en", "Appendix 1"),
        ("Exhibit A", "en", "Exhibit A"),
        ("11.2 (p. 7)", "fr", f"section 11.2, p.{NBSP}7"),
        ("7.1 (p. 3), Annex II (p. 12)", "fr", f"section 7.1, p.{NBSP}3{NBSP}; Annex II, p.{NBSP}12"),
        ("7.1 (p. 3), Annex II (p. 12)", "en", f"section 7.1, p.{NBSP}3; Annex II, p.{NBSP}12"),
        ("(p. 5)", "en", f"p.{NBSP}5"),
    ],
)
def test_a_section_is_named_once(section, language, said):
    assert section_place(section, language) == said


@pytest.mark.parametrize(
    ("status", "section", "language", "said"),
    [
        ("Absente", "§13", "fr", f"Absente (§{NBSP}13)"),
        ("Partielle", "7.2", "fr", "Partielle (section 7.2)"),
        ("Partial", "Annex II", "en", "Partial (Annex II)"),
        ("Missing", "Section 13", "en", "Missing (Section 13)"),
        ("Absente", "", "fr", "Absente"),
        ("Absente", "  ", "fr", "Absente"),
    ],
)
def test_a_status_with_its_section_reads_naturally(status, section, language, said):
    assert status_in_section(status, section, language) == said


def _negotiation_cells(content: bytes) -> list[str]:
    return [cell for table in tables(open_docx(content)) for row in table for cell in row]


@pytest.mark.parametrize(("language", "expected"), [("fr", f"Absente (§{NBSP}13)"), ("en", f"Absent (§{NBSP}13)")])
def test_the_gap_report_says_absent_with_its_section(language, expected):
    organisation, processors = demo_register(AS_OF)
    assessment = assess_register(processors, as_of=AS_OF)
    cells = _negotiation_cells(gap_report(organisation, assessment, language=language, processors=processors))
    assert expected in cells
    doubled = [cell for cell in cells if "section §" in cell.lower() or ", section" in cell or "Section §" in cell]
    assert doubled == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_negotiation_letter_says_the_section_once(language):
    from register.vocabulary import ClauseStatus

    organisation, processors = demo_register(AS_OF)
    processor = next(p for p in processors if p.agreement is not None and p.agreement.clauses)
    clauses = list(processor.agreement.clauses)
    clauses[0] = replace(clauses[0], status=ClauseStatus.PARTIAL, section="4.2")
    clauses[1] = replace(clauses[1], status=ClauseStatus.ABSENT, section="Annex II")
    processor = replace(processor, agreement=replace(processor.agreement, clauses=tuple(clauses)))
    cells = _negotiation_cells(negotiation_letter(organisation, processor, language=language, document_date=AS_OF))
    partial, missing = ("Partielle", "Absente") if language == "fr" else ("Partial", "Absent")
    assert f"{partial} (section 4.2)" in cells and f"{missing} (Annex II)" in cells
    assert [cell for cell in cells if ", section" in cell or "section §" in cell.lower()] == []
