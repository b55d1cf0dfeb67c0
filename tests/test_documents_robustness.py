"""Hostile and extreme inputs still give valid documents: XML-special and
control characters, very long texts, an empty register, 1,000 processors;
and no field is ever left empty where the record lacks a value."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest
from lxml import etree

from register.compliance import assess_processor, assess_register, procurement_verdict
from register.compliance.model import Organisation, Processor, SubProcessor
from register.documents.common import clean, safe_filename
from register.documents.dpa import dpa_draft
from register.documents.gap_report import gap_report
from register.documents.procurement_memo import procurement_memo
from register.documents.register_extract import (
    register_extract_csv,
    register_extract_docx,
    register_extract_xlsx,
)
from register.vocabulary import LifecycleStatus
from tests.documents_support import (
    AS_OF,
    body_text,
    demo_register,
    open_docx,
    part_text,
    synthetic_register,
    tables,
    xlsx_sheets,
)
from register.documents.wording import placeholder_text

HOSTILE = 'Acme <b>&amp; "Sons" \'Ltd\'\x00\x0b\x1f\ud800 ]]> <!-- x -->'
HOSTILE_CLEAN = 'Acme <b>&amp; "Sons" \'Ltd\' ]]> <!-- x -->'
LONG = ("Lorem ipsum dolor sit amet, données à caractère personnel. " * 200)[:10_000]


def _every_docx(organisation: Organisation, processors: list[Processor]) -> dict[str, bytes]:
    assessment = assess_register(processors, as_of=AS_OF)
    files = {
        "gap": gap_report(organisation, assessment, language="fr", processors=processors),
        "extract": register_extract_docx(organisation, processors, assessment, language="en"),
    }
    if processors:
        registry = {p.id: p for p in processors}
        first = processors[0]
        files["dpa"] = dpa_draft(organisation, first, assess_processor(first, as_of=AS_OF, registry=registry), language="en")
        verdict = procurement_verdict(first, as_of=AS_OF, registry=registry)
        files["memo"] = procurement_memo(organisation, first, verdict, language="fr")
    return files


def _assert_valid_package(content: bytes) -> None:
    """Every XML part parses, and python-docx opens the document."""
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert package.testzip() is None
        for name in package.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(package.read(name))
    open_docx(content)


def _hostile_register() -> tuple[Organisation, list[Processor]]:
    organisation, processors = demo_register(AS_OF)
    organisation = replace(organisation, name=HOSTILE, dpo_name=HOSTILE)
    first = processors[0]
    hostile = replace(
        first,
        legal_name=HOSTILE,
        trade_name=HOSTILE,
        service_description=LONG + "\x07",
        security_measures=LONG,
        purposes=(HOSTILE, LONG),
        sub_processors=tuple(replace(sub, name=HOSTILE + sub.name, purpose=LONG) for sub in first.sub_processors),
    )
    return organisation, [hostile, *processors[1:]]


def test_clean_strips_exactly_the_characters_xml_forbids():
    assert clean(HOSTILE) == HOSTILE_CLEAN
    assert clean("tab\tnew\nline\rok é 😀 \ue000") == "tab\tnew\nline\rok é 😀 \ue000"
    assert clean("\ufffe\uffff\x0c") == ""


def test_xml_special_and_control_characters_give_valid_documents():
    organisation, processors = _hostile_register()
    for kind, content in _every_docx(organisation, processors).items():
        _assert_valid_package(content)
        document = open_docx(content)
        text = body_text(document)
        assert "\x00" not in text and "\x0b" not in text
        if kind in ("gap", "extract", "dpa", "memo"):
            assert HOSTILE_CLEAN in text or HOSTILE_CLEAN in part_text(content, "word/header"), kind
    dpa = open_docx(_every_docx(organisation, processors)["dpa"])
    assert LONG in body_text(dpa)  # 10,000 characters kept whole in the body


def test_long_names_are_shortened_in_the_page_header_only():
    organisation, processors = demo_register(AS_OF)
    organisation = replace(organisation, name="Organisation " + LONG)
    content = _every_docx(organisation, processors)["gap"]
    header = part_text(content, "word/header")
    assert len(header) < 400 and header.startswith("Organisation Lorem ipsum") and "…" in header
    assert organisation.name in body_text(open_docx(content))


def test_hostile_text_in_spreadsheets():
    organisation, processors = _hostile_register()
    assessment = assess_register(processors, as_of=AS_OF)
    sheets = xlsx_sheets(register_extract_xlsx(processors, assessment, language="en"))
    assert sheets["Processors"][1][1] == HOSTILE_CLEAN
    csv_text = register_extract_csv(processors, assessment, language="en").decode("utf-8-sig")
    assert HOSTILE_CLEAN.replace('"', '""') in csv_text and "\x00" not in csv_text


def test_empty_register_gives_valid_documents_that_say_it_is_empty():
    organisation = Organisation(id=1, name="Empty SAS", country="FR")
    files = _every_docx(organisation, [])
    for content in files.values():
        _assert_valid_package(content)
    assert "The register holds no processor yet" in body_text(open_docx(files["extract"]))
    gap = body_text(open_docx(files["gap"]))
    assert "Score du registre\u00a0: 100 / 100" in gap and "Le registre ne contient encore aucun sous-traitant" in gap
    assessment = assess_register([], as_of=AS_OF)
    assert xlsx_sheets(register_extract_xlsx([], assessment, language="fr"))["Sous-traitants"][1:] == []
    assert register_extract_csv([], assessment, language="en").decode("utf-8-sig").count("\r\n") == 1


def test_thousand_processor_register_gives_valid_documents_with_every_finding():
    organisation, processors = synthetic_register(1000)
    assessment = assess_register(processors, as_of=AS_OF)
    content = gap_report(organisation, assessment, language="en", processors=processors)
    _assert_valid_package(content)
    document = open_docx(content)
    finding_rows = [row for t in tables(document) if t[0][:2] == ["Severity", "Finding"] for row in t[1:]]
    assert [row[1].split("\n")[1] for row in finding_rows] == [f.code for f in assessment.findings]
    assert len(finding_rows) == assessment.counts.total > 5000
    extract = open_docx(register_extract_docx(organisation, processors, assessment, language="fr"))
    assert len(tables(extract)[0]) == 1001
    sheets = xlsx_sheets(register_extract_xlsx(processors, assessment, language="en"))
    assert len(sheets["Processors"]) == 1001


# Columns left blank on purpose, to fill in by hand: the remediation plan's
# owner when the register records none.
TO_FILL_IN_BY_HAND = {"Owner", "Responsable"}


def _empty_cells(content: bytes) -> list[tuple[int, int, int]]:
    """(table, row, column) of every empty cell, except in the columns to fill in by hand."""
    empty = []
    for t, table in enumerate(tables(open_docx(content))):
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                if not cell.strip() and table[0][c] not in TO_FILL_IN_BY_HAND:
                    empty.append((t, r, c))
    return empty


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_bare_record_gives_placeholders_never_empty_fields(language):
    organisation = Organisation(id=1, name="Bare SAS", country="FR")
    bare = Processor(
        id=1,
        organisation_id=1,
        legal_name="Bare Vendor",
        status=LifecycleStatus.PROPOSED,
        sub_processors=(SubProcessor(id=1, name="Unknown Sub", countries=()),),
    )
    assessment = assess_processor(bare, as_of=AS_OF)
    verdict = procurement_verdict(bare, as_of=AS_OF)
    files = {
        **_every_docx(organisation, [bare]),
        "dpa": dpa_draft(organisation, bare, assessment, language=language),
        "memo": procurement_memo(organisation, bare, verdict, language=language),
    }
    marker = "[À compléter" if language == "fr" else "[To be completed"
    for kind, content in files.items():
        assert _empty_cells(content) == [], kind
    dpa_text = body_text(open_docx(files["dpa"]))
    for what in ("retention", "security_measures", "data_categories", "data_subjects", "purposes", "breach_deadline"):

        assert placeholder_text(what, language) in dpa_text, what
    assert dpa_text.count(marker) >= 10


def test_safe_filename_is_ascii_and_keeps_no_path_or_quote():
    name = safe_filename("dpa-draft", 'Démo "Conseil" ../../etc/passwd\x00 <x>', "2026-11-29", "fr", extension="docx")
    assert name == "dpa-draft_demo-conseil-etc-passwd-x_2026-11-29_fr.docx"
    assert safe_filename("", "😀", extension="csv") == "document.csv"
    assert len(safe_filename("x" * 500, extension="xlsx")) < 80
