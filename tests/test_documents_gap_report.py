"""The gap report's tables as a reader sees them: no word broken across
lines (every word fits its column, measured with the font's metrics), the
severity counts as a plain table, and a remediation plan with a target date
and the owner the register records (a blank cell otherwise)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

import pytest
from docx.oxml.ns import qn

from register.compliance import assess_processor, assess_register
from register.documents.gap_report import gap_report, processor_gap_report
from tests.documents_support import AS_OF, body_text, demo_register, open_docx, synthetic_register, tables

# Advance widths of Arial / Liberation Sans Bold (the documents' font), in
# thousandths of an em (Helvetica-Bold AFM): bold is the wider weight, so a
# word that fits in bold fits in regular too. Accented letters take their
# base letter's width; any other character the widest capital's.
BOLD_WIDTHS = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        (722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611,
         722, 667, 944, 667, 667, 611),
    )
) | dict(
    zip(
        "abcdefghijklmnopqrstuvwxyz",
        (556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333,
         611, 556, 778, 556, 556, 500),
    )
) | dict.fromkeys("0123456789", 556) | {
    "_": 556, "-": 333, ".": 278, ",": 278, ":": 333, ";": 333, "(": 333, ")": 333, "/": 278, "'": 238,
    "’": 278, "«": 556, "»": 556, "%": 889, "&": 722, "@": 975, "+": 584, "=": 584, "?": 611, "!": 333,
    "—": 1000, "–": 556, "°": 400, "€": 556, "[": 333, "]": 333, '"': 474,
}
WIDEST = 1000
TABLE_FONT_POINTS = 8.5  # the "Table Text" and "Table Heading" styles
CELL_MARGINS = 2 * 80  # left and right cell margins of the table style, in twentieths of a point
# Where a line may break inside a "word": after a hyphen or a slash (URLs,
# compound words), as Word and LibreOffice do.
BREAKS = re.compile(r"(?<=[-/])|\s+")


def word_width(word: str) -> float:
    """The width of ``word`` at the table font size, in twentieths of a point."""
    total = 0
    for character in word:
        base = unicodedata.normalize("NFKD", character)[:1] or character
        total += BOLD_WIDTHS.get(character, BOLD_WIDTHS.get(base, WIDEST))
    return total / 1000 * TABLE_FONT_POINTS * 20


def broken_words(document) -> list[tuple[str, str, float, int]]:
    """(column header, word, its width, the room in its column) of every word
    wider than its column, in every table of the document."""
    found = []
    for table_element, rows in zip(document.element.body.iterfind(qn("w:tbl")), tables(document), strict=True):
        grid = [int(col.get(qn("w:w"))) for col in table_element.iterfind(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")]
        if len(grid) != len(rows[0]):
            continue  # a table with merged cells (none in the gap report): not measured here
        for row in rows:
            for column, text in enumerate(row):
                room = grid[column] - CELL_MARGINS
                for word in filter(None, BREAKS.split(text)):
                    if word_width(word) > room:
                        found.append((rows[0][column], word, round(word_width(word)), room))
    return found


@pytest.fixture(scope="module")
def demo():
    organisation, processors = demo_register(AS_OF)
    return organisation, processors


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_word_of_the_gap_report_is_wider_than_its_column(demo, language):
    organisation, processors = demo
    assessment = assess_register(processors, as_of=AS_OF)
    document = open_docx(gap_report(organisation, assessment, language=language, processors=processors))
    assert broken_words(document) == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_word_breaks_in_a_larger_register_and_in_a_processors_report(language):
    organisation, processors = synthetic_register(60)
    assessment = assess_register(processors, as_of=AS_OF)
    document = open_docx(gap_report(organisation, assessment, language=language, processors=processors))
    assert broken_words(document) == []
    registry = {p.id: p for p in processors}
    one = processors[0]
    single = processor_gap_report(
        organisation, assess_processor(one, as_of=AS_OF, registry=registry), language=language, processor=one
    )
    assert broken_words(open_docx(single)) == []


def test_the_width_check_catches_a_column_too_narrow_for_its_words():
    """The check itself can fail: the catalogue's longest code does not fit
    in the old 16 % code column."""
    room = 9638 * 16 // 100 - CELL_MARGINS
    assert word_width("SUBPROCESSOR_AUTHORISATION_MISSING") > room
    assert word_width("Critique") < 9638 * 11 // 100 - CELL_MARGINS


def test_every_finding_code_of_the_catalogue_fits_the_finding_column():
    from register.compliance import findings_catalogue
    from register.reference import load_reference

    room = 9638 * 41 // 100 - CELL_MARGINS
    too_wide = [code for code in findings_catalogue(load_reference()) if word_width(code) > room]
    assert too_wide == []


def test_the_code_sits_under_the_findings_title(demo):
    organisation, processors = demo
    assessment = assess_register(processors, as_of=AS_OF)
    document = open_docx(gap_report(organisation, assessment, language="en", processors=processors))
    finding_tables = [t for t in tables(document) if t[0][:2] == ["Severity", "Finding"]]
    cells = [row[1].split("\n") for t in finding_tables for row in t[1:]]
    assert [(lines[0], lines[1]) for lines in cells] == [(f.title.en, f.code) for f in assessment.findings]
    assert all(t[0] != ["Severity", "Code"] for t in tables(document))


def test_the_severity_counts_are_a_plain_table_not_bars(demo):
    organisation, processors = demo
    assessment = assess_register(processors, as_of=AS_OF)
    document = open_docx(gap_report(organisation, assessment, language="fr", processors=processors))
    xml = document.element.body.xml
    assert "w:gridSpan" not in xml  # bars were drawn as shaded merged cells
    counts = next(t for t in tables(document) if t[0] == ["Gravité", "Nombre"])
    assert [row[0] for row in counts[1:]] == ["Sous-traitants du registre", "Critique", "Élevée", "Moyenne", "Faible", "Constats"]
    assert counts[-1][1] == str(assessment.counts.total)


def test_the_remediation_plan_has_target_date_and_owner_from_the_register(demo):
    organisation, processors = demo
    owners = {processors[0].id: "Marie Dupont (marketing)"}
    recorded = [replace(p, internal_owner=owners.get(p.id, "")) for p in processors]
    assessment = assess_register(recorded, as_of=AS_OF)
    document = open_docx(gap_report(organisation, assessment, language="fr", processors=recorded))
    plan = next(t for t in tables(document) if t[0][0] == "Échéance")
    assert plan[0] == ["Échéance", "Gravité", "Sous-traitant", "Responsable", "Action à mener"]
    assert len(plan) - 1 == assessment.counts.total
    by_name = {p.display_name: p for p in recorded}
    for row in plan[1:]:
        assert re.fullmatch(r"\d\d/\d\d/20\d\d", row[0]), row[0]
        expected_owner = "Marie Dupont (marketing)" if by_name[row[2]].id == processors[0].id else ""
        assert row[3] == expected_owner, row
    assert any(row[3] for row in plan[1:]) and any(not row[3] for row in plan[1:])
    # The action: the title, the code under it, then what to do.
    first = assessment.findings[0]
    assert any(row[4].startswith(f"{first.title.fr}\n{first.code}\n") for row in plan[1:])
    # No placeholder for facts the register holds: the owner is blank or real.
    assert "[À compléter" not in "".join(row[3] + row[4] for row in plan)
