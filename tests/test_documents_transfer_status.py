"""What the register concludes about a transfer, as the documents show it
(issue 9): the register extract (.docx, .xlsx, .csv), the procurement memo and
the DPA draft read the core's one coverage answer; a tool not yet signed is
"being negotiated", never "covered"; an Art. 49 derogation is a derogation,
under a heading that does not call it a safeguard."""

from __future__ import annotations

import csv
import io

import pytest

from register.compliance import assess_processor, assess_register
from register.documents.dpa_notes import dpa_review_notes
from register.documents.register_extract import (
    register_extract_csv,
    register_extract_docx,
    register_extract_xlsx,
)
from tests.documents_support import AS_OF, body_text, demo_register, open_docx, tables, xlsx_sheets


@pytest.fixture(scope="module")
def demo():
    organisation, processors = demo_register(AS_OF)
    return organisation, processors, assess_register(processors, as_of=AS_OF)


def transfer_rows(sheet: list[list[str]], recipient: str) -> list[dict[str, str]]:
    header = sheet[0]
    return [dict(zip(header, row)) for row in sheet[1:] if row[2] == recipient]


@pytest.mark.parametrize(
    ("language", "basis", "tool", "coverage", "negotiated"),
    [
        ("fr", "Fondement", "Outil de transfert", "Couverture", "en cours de négociation\u00a0: non couvert avant signature"),
        ("en", "Basis", "Transfer tool", "Coverage", "being negotiated: not covered until signed"),
    ],
)
def test_xlsx_transfers_show_the_derogation_and_the_tool_being_negotiated(demo, language, basis, tool, coverage, negotiated):
    _, processors, assessment = demo
    sheet = next(
        rows for name, rows in xlsx_sheets(register_extract_xlsx(processors, assessment, language=language)).items()
        if name in ("Transferts", "Transfers")
    )
    assert tool in sheet[0] and "Garantie" not in sheet[0] and "Safeguard" not in sheet[0]
    (relay,) = transfer_rows(sheet, "SendGrid-like Relay Pte Ltd")
    assert relay[basis].startswith("Dérogation (art. 49)" if language == "fr" else "Derogation (Art. 49)")
    (maple,) = transfer_rows(sheet, "Maple Mail Services Inc.")
    assert maple[coverage] == negotiated
    assert "Outil de transfert en cours de négociation" in maple[basis] or "being negotiated" in maple[basis]
    (brazil,) = transfer_rows(sheet, "Envio Brasil Ltda")
    assert brazil[coverage] in ("couvert", "covered")


def test_csv_and_docx_extracts_never_say_covered_for_a_tool_being_negotiated(demo):
    _, processors, assessment = demo
    rows = list(csv.reader(io.StringIO(register_extract_csv(processors, assessment, language="fr").decode("utf-8-sig")), delimiter=";"))
    postal = next(row for row in rows if row[1] == "PostalWave SA" or "PostalWave" in row[2])
    text = " ".join(postal)
    assert "Canada via Maple Mail Services Inc.\u00a0: CCT de 2021, module 3 — en cours de négociation" in text
    assert "Singapour via SendGrid-like Relay Pte Ltd\u00a0: dérogation de l'art. 49 — couvert" in text
    organisation = demo[0]
    document = open_docx(register_extract_docx(organisation, processors, assessment, language="en"))
    assert "Canada via Maple Mail Services Inc.: 2021 SCCs, Module 3 — being negotiated" in body_text(document) + " ".join(
        cell for table in tables(document) for row in table for cell in row
    )


def test_the_reviewers_notes_transfer_table_says_being_negotiated(demo):
    """The transfer analysis lives in the reviewer's notes (never in the draft sent to the vendor)."""
    organisation, processors, _ = demo
    postal = next(p for p in processors if p.display_name == "PostalWave")
    assessment = assess_processor(postal, as_of=AS_OF, registry={p.id: p for p in processors})
    document = open_docx(dpa_review_notes(organisation, postal, assessment, language="fr"))
    cells = [cell for table in tables(document) for row in table for cell in row]
    assert any("en cours de négociation" in cell for cell in cells)
    canada = [row for table in tables(document) for row in table if row and row[0] == "Canada"]
    assert canada and not any("(couvert)" in cell for cell in canada[0])
