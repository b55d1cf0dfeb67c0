"""The DPA draft on (EU) 2021/915 and its reviewer's notes, read back with
python-docx: the Clauses incorporated by reference and their invariability
said once; the options stated; Annexes I–IV equal to the record, with the
official columns; no internal analysis in the draft (it goes to the notes);
placeholders only for missing facts; no paragraph printed twice."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import pytest

from register.compliance import assess_processor
from register.documents.dpa import dpa_draft, eur_lex_address
from register.documents.dpa_clauses import SECTIONS, clause_order
from register.documents.dpa_notes import dpa_review_notes
from register.vocabulary import SubProcessorAuthorisation
from tests.documents_support import AS_OF, DOCUMENT_DATE, demo_register, headings, open_docx, tables
from register.i18n import words
from register.documents import wording

LANGUAGES = ("fr", "en")
DEMO_NAMES = ("Enrichly", "ProspectLens", "Automaite", "RelationHub CRM", "PostalWave", "Nuagehost")


@pytest.fixture(scope="module")
def demo():
    organisation, processors = demo_register(AS_OF)
    return organisation, processors, {p.display_name: p for p in processors}


def _build(demo, processor, language: str, builder=dpa_draft):
    organisation, processors, _ = demo
    assessment = assess_processor(processor, as_of=AS_OF, registry={p.id: p for p in processors})
    content = builder(organisation, processor, assessment, language=language, document_date=DOCUMENT_DATE)
    return open_docx(content), assessment


def _dpa(demo, name: str, language: str = "en"):
    return _build(demo, demo[2][name], language)


def _notes(demo, name: str, language: str = "en"):
    return _build(demo, demo[2][name], language, dpa_review_notes)


def _paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def _all_text(document) -> str:
    cells = [cell for table in tables(document) for row in table for cell in row]
    return "\n".join(_paragraphs(document) + cells)


def _table(document, first_header: str) -> list[list[str]]:
    found = [t for t in tables(document) if t and t[0] and t[0][0] == first_header]
    assert found, f"no table headed {first_header!r}"
    return found[0]


def _annex_tables(document, language: str = "en") -> list[dict[str, str]]:
    """The two-column annex tables (controller, processor, II, III) as {item: details}."""
    header = ["Rubrique", "Contenu"] if language == "fr" else ["Item", "Details"]
    return [dict(map(tuple, t[1:])) for t in tables(document) if t[0] == header]


def _placeholders(document, language: str) -> list[str]:
    marker = "\\[À compléter\u00a0: [^\\]]*\\]" if language == "fr" else r"\[To be completed: [^\]]*\]"
    return re.findall(marker, _all_text(document))


# --------------------------------------------------------------------------
# The Clauses, by reference, and their invariability said once


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_clauses_are_incorporated_by_reference_once_and_never_modified(demo, language):
    document, _ = _dpa(demo, "Enrichly", language)
    paragraphs = _paragraphs(document)
    text = "\n".join(paragraphs)
    incorporated = "intégrées au présent contrat par référence" if language == "fr" else "incorporated into this agreement by reference"
    invariable = "ne modifient pas les clauses" if language == "fr" else "do not modify the Clauses"
    assert sum(incorporated in p for p in paragraphs) == 1
    assert sum(invariable in p for p in paragraphs) == 1
    # Said once: no other wording of Clause 2 (the appendix points back to point 1.2).
    for other in ("not to modify", "sans modification", "ne pas modifier", "without modification"):
        assert other not in text
    assert "2021/915" in text and ("JO L 199 du 7.6.2021, p. 18" if language == "fr" else "OJ L 199, 7.6.2021, p. 18") in text
    assert eur_lex_address(language) in text and f"/{language.upper()}/TXT/" in eur_lex_address(language)
    # The incorporation comes before the options, the annexes and the appendix.
    first_level = headings(document, 1)
    assert first_level[0].startswith("1. ") and first_level[1].startswith("2. ")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_clause_summaries_are_an_informative_appendix_after_the_annexes(demo, language):
    document, _ = _dpa(demo, "Enrichly", language)
    first_level = headings(document, 1)
    annex = "ANNEXE" if language == "fr" else "ANNEX"
    annexes = [h.split(" —")[0] for h in first_level if h.startswith(annex)]
    assert annexes == [f"{annex} {n}" for n in ("I", "II", "III", "IV")]
    appendix = first_level[-1]
    assert appendix == words(language).gettext("Appendix — Summary of the Clauses (informative, non-contractual)")
    assert ("informatif, non contractuel" if language == "fr" else "informative, non-contractual") in appendix
    notice = words(language).gettext("This appendix summarises the Clauses to help the reader; it is not part of the agreement. The text of Implementing Decision (EU) 2021/915 published in the Official Journal of the European Union (OJ L 199, 7.6.2021, p. 18) prevails over this summary.")
    assert notice in _paragraphs(document)
    assert ("prévaut" if language == "fr" else "prevails") in notice
    # The appendix follows the Decision's order: sections, then clauses 1 … 10.
    sections = [h.split(" —")[0] for h in headings(document, 2) if h.startswith("SECTION")]
    assert sections == [f"SECTION {s.number}" for s in SECTIONS]
    numbers = []
    for text in headings(document, 3):
        clause = re.match(r"^Clause (\d+) —", text) or re.match(r"^(\d+\.\d+) ", text)
        if clause:
            numbers.append(clause.group(1))
    assert numbers == list(clause_order())


# --------------------------------------------------------------------------
# The options the Clauses leave open


def _options(document, language: str = "en") -> dict[str, str]:
    """The options table as {clause number: choice}."""
    rows = _table(document, "Clause")[1:]
    return {re.match(r"^Clause (\d+(?:\.\d+)?)", row[0]).group(1): row[1] for row in rows}


def test_options_general_authorisation_with_notice_no_docking_and_a_deadline(demo):
    document, _ = _dpa(demo, "Enrichly")
    processor = demo[2]["Enrichly"]
    assert processor.agreement.docking_clause is False
    options = _options(document)
    assert options["5"] == "Not included."
    assert options["7.7"].startswith("Option 2 — general written authorisation")
    assert "at least 30 days in advance" in options["7.7"]
    assert options["9.2"] == "Without undue delay and at the latest 72 hours after the processor becomes aware of the breach."
    # The appendix's Clause 7.7 summary shows only the option chosen.
    text = "\n".join(_paragraphs(document))
    assert "OPTION 2 — GENERAL WRITTEN AUTHORISATION" in text and "OPTION 1 —" not in text


def test_options_specific_authorisation_without_a_period_and_docking_included(demo):
    document, _ = _dpa(demo, "Automaite", "fr")
    options = _options(document, "fr")
    assert options["5"].startswith("Retenue\u00a0: d'autres entités peuvent adhérer")
    assert options["7.7"] == (
        "Option 1 — autorisation préalable spécifique\u00a0: le sous-traitant soumet chaque demande d'autorisation "
        "spécifique au moins [À compléter\u00a0: délai de la demande d'autorisation] avant le recrutement du "
        "sous-traitant ultérieur concerné."
    )
    assert options["9.2"].startswith("Dans les meilleurs délais et au plus tard 24 heures")
    text = "\n".join(_paragraphs(document))
    assert "OPTION 1 — AUTORISATION PRÉALABLE SPÉCIFIQUE" in text and "OPTION 2 —" not in text
    assert "au moins le délai convenu entre les parties (point 2) avant" in text  # no placeholder in the appendix


def test_options_not_recorded_are_placeholders_and_the_appendix_shows_both(demo):
    document, _ = _dpa(demo, "PostalWave")
    options = _options(document)
    assert options == {
        "5": "[To be completed: whether the docking clause (Clause 5) is included]",
        "7.7": "[To be completed: Option 1 or Option 2]",
        "9.2": "[To be completed: deadline for notifying a breach, in hours]",
    }
    text = "\n".join(_paragraphs(document))
    assert "OPTION 1 —" in text and "OPTION 2 —" in text


# --------------------------------------------------------------------------
# Annexes I–IV equal the record


def test_annex_i_lists_the_parties_with_address_and_contact_person(demo):
    document, _ = _dpa(demo, "RelationHub CRM")
    organisation, processor = demo[0], demo[2]["RelationHub CRM"]
    controller, vendor, *_ = _annex_tables(document)
    contact = "Contact person's name, position and contact details"
    assert controller == {
        "Name": organisation.name,
        "Address": organisation.address,
        contact: f"{organisation.contact_name}, {organisation.contact_position}, {organisation.contact_email}",
        "Data protection officer": f"{organisation.dpo_name}, {organisation.dpo_email}",
        "Signature and accession date": "[To be completed: signature and date]",
    }
    assert vendor == {
        "Name": f"{processor.legal_name} ({processor.trade_name})",
        "Address": processor.address,
        contact: f"{processor.contact_name}, {processor.contact_position}, {processor.contact_email}",
        "Signature and accession date": "[To be completed: signature and date]",
    }


def test_annex_i_falls_back_on_what_the_register_has(demo):
    organisation, _, by_name = demo
    bare_organisation = replace(organisation, address="", contact_name="", contact_position="", contact_email="")
    processor = replace(by_name["Automaite"], contact_name="", contact_position="", privacy_contact="")
    assessment = assess_processor(processor, as_of=AS_OF)
    document = open_docx(dpa_draft(bare_organisation, processor, assessment, language="fr"))
    controller, vendor, *_ = _annex_tables(document, "fr")
    contact = "Nom, fonction et coordonnées de la personne de contact"
    # No address: a placeholder, with the country the register knows.
    assert controller["Adresse"] == "[À compléter\u00a0: adresse]\nFrance"
    # No contact person: the DPO is the contact.
    assert controller[contact] == f"{organisation.dpo_name}, Délégué à la protection des données, {organisation.dpo_email}"
    # An e-mail alone: placeholders for the name and position only.
    assert vendor[contact] == (
        "[À compléter\u00a0: nom de la personne de contact], [À compléter\u00a0: fonction de la personne de contact], "
        "dpo@automaite.example"
    )


def test_annex_ii_and_iii_equal_the_record(demo):
    document, _ = _dpa(demo, "Enrichly")
    processor = demo[2]["Enrichly"]
    _, _, annex_ii, annex_iii = _annex_tables(document)
    assert annex_ii["Categories of personal data processed"] == ", ".join(processor.data_categories)
    assert annex_ii["Categories of data subjects whose personal data is processed"] == "B2B prospects"
    assert annex_ii["Purpose(s) for which the personal data is processed on behalf of the controller"] == "B2B prospection, contact enrichment"
    assert annex_ii["Nature of the processing"] == processor.service_description
    assert annex_ii["Place(s) of processing by the processor"] == "France (Processing)"
    # An unlimited retention is no retention period: a placeholder, without the register's comment.
    assert annex_ii["Retention of the personal data"] == "[To be completed: retention period]"
    assert annex_iii == {
        "Technical and organisational measures": processor.security_measures,
        "Measures by which the processor assists the controller (Clause 8), with their scope and extent": processor.agreement.assistance_measures,
        "Other elements the processor provides when assisting the controller under Articles 33 and 34 GDPR (Clause 9.2)": processor.agreement.breach_assistance_measures,
    }


def test_annex_iv_has_the_official_columns_only_and_equals_the_record(demo):
    for language in LANGUAGES:
        document, _ = _dpa(demo, "Enrichly", language)
        processor = demo[2]["Enrichly"]
        header = ["Nom", "Adresse", "Nom, fonction et coordonnées de la personne de contact"] if language == "fr" else [
            "Name", "Address", "Contact person's name, position and contact details"]
        annex_iv = _table(document, header[0])
        assert annex_iv[0] == header + [words(language).gettext("Description of the processing (including a clear delimitation of responsibilities in case several sub-processors are authorised)")]
        assert [row[0] for row in annex_iv[1:]] == [sub.name for sub in processor.sub_processors]
    nuagehost, bigcloud = annex_iv[1:]
    sub = processor.sub_processors[0]
    assert nuagehost == [
        sub.name, sub.address, f"{sub.contact_name}, {sub.contact_position}, {sub.contact_email}",
        f"{sub.purpose}\nPlace(s) of processing: France",
    ]
    assert bigcloud[1] == processor.sub_processors[1].address
    assert bigcloud[2] == (
        "[To be completed: contact person's name], [To be completed: contact person's position], privacy@bigcloud.example"
    )
    assert bigcloud[3] == "Back-up storage\nPlace(s) of processing: United States"


# --------------------------------------------------------------------------
# Nothing internal in the draft; placeholders only for missing facts; no repeats


def _internal_texts(assessment, language: str) -> list[str]:
    texts = ["NON COUVERT", "NOT COVERED", "à corriger", "to be corrected", "Module 2 (2021/914)",
             "Module 3 (2021/914)", "DPF", "Data Privacy Framework", "Latombe", "C-703/25",
             "flowed down", "répercutées", "Art. 5(1)(e)", "art. 5, par. 1, point e)", "transfer impact assessment",
             "analyse d'impact des transferts", "Option retenue d'après le registre", "Option chosen from the register"]
    texts += [finding.title.in_language(language) for finding in assessment.findings]
    texts += [finding.explanation.in_language(language) for finding in assessment.findings]
    texts += [r.risk_note.in_language(language) for r in assessment.transfers if r.risk_note is not None]
    return texts


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", DEMO_NAMES)
def test_the_draft_holds_no_internal_analysis_and_repeats_no_paragraph(demo, name, language):
    document, assessment = _dpa(demo, name, language)
    text = _all_text(document)
    for internal in _internal_texts(assessment, language):
        assert internal not in text, internal
    repeated = [p for p, n in Counter(_paragraphs(document)).items() if n > 1]
    assert repeated == []
    for table in tables(document):
        rows = [tuple(row) for row in table]
        assert len(rows) == len(set(rows))


def test_the_relationhub_draft_would_have_shown_the_dpf_risk_it_now_leaves_out(demo):
    """The demo's US flow relies on the DPF: the risk note exists in the core and
    in the notes, so the draft's silence about it is a real test."""
    draft, assessment = _dpa(demo, "RelationHub CRM")
    notes, _ = _notes(demo, "RelationHub CRM")
    risks = [r.risk_note.en for r in assessment.transfers if r.risk_note is not None]
    assert risks and all(risk in _all_text(notes) and risk not in _all_text(draft) for risk in risks)


def _complete(processor):
    agreement = replace(
        processor.agreement, docking_clause=False, objection_notice_days=30, breach_notice_hours=48,
        assistance_measures="Forwards requests within 2 days.", breach_assistance_measures="24/7 incident contact.",
        governing_law="France",
    )
    subs = tuple(
        replace(sub, address=f"{index} Example Road", contact_name="A. Person", contact_position="DPO",
                contact_email=f"dpo{index}@sub.example", purpose=sub.purpose or "Hosting", countries=sub.countries or ("FR",))
        for index, sub in enumerate(processor.sub_processors, start=1)
    )
    return replace(
        processor, retention_unlimited=False, retention_months=24, security_measures="TLS, MFA",
        address="1 rue Exemple\n75001 Paris", contact_name="B. Person", contact_position="Privacy officer",
        contact_email="privacy@vendor.example", sub_processors=subs, agreement=agreement,
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_complete_record_leaves_only_the_signatures_to_complete(demo, language):
    processor = _complete(demo[2]["RelationHub CRM"])
    document, _ = _build(demo, processor, language)
    signature = wording.placeholder_text("signature", language)
    assert _placeholders(document, language) == [signature, signature]


@pytest.mark.parametrize(
    ("change", "what"),
    [
        ({"address": ""}, "address"),
        ({"security_measures": ""}, "security_measures"),
        ({"retention_months": None}, "retention"),
        ({"data_categories": ()}, "data_categories"),
    ],
)
def test_each_missing_fact_is_one_placeholder(demo, change, what):
    processor = replace(_complete(demo[2]["RelationHub CRM"]), **change)
    document, _ = _build(demo, processor, "en")
    signature = wording.placeholder_text("signature", "en")
    assert sorted(_placeholders(document, "en")) == sorted([signature, signature, wording.placeholder_text(what, "en")])


def test_a_missing_agreement_option_is_one_placeholder(demo):
    processor = _complete(demo[2]["RelationHub CRM"])
    processor = replace(processor, agreement=replace(processor.agreement, sub_processor_authorisation=SubProcessorAuthorisation.NONE_RECORDED))
    document, _ = _build(demo, processor, "en")
    assert wording.placeholder_text("authorisation", "en") in _placeholders(document, "en")
    assert len(_placeholders(document, "en")) == 3


def test_placeholders_are_highlighted_runs(demo):
    document, _ = _dpa(demo, "ProspectLens")
    runs = [run for paragraph in document.paragraphs for run in paragraph.runs]
    runs += [
        run for table in document.tables for row in table.rows for cell in row.cells
        for paragraph in cell.paragraphs for run in paragraph.runs
    ]
    placeholders = [run for run in runs if run.text.startswith("[To be completed")]
    assert placeholders
    assert all(run.font.highlight_color is not None and run.style.name == "Placeholder" for run in placeholders)


# --------------------------------------------------------------------------
# The reviewer's notes


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_notes_list_every_placeholder_of_the_draft(demo, language):
    draft, _ = _dpa(demo, "PostalWave", language)
    notes, _ = _notes(demo, "PostalWave", language)
    listed = _table(notes, words(language).gettext("Part of the draft"))[1:]
    assert [row[2] for row in listed] == _placeholders(draft, language)
    assert words(language).gettext("Internal document of the controller: do not send it to the processor. It goes with the DPA draft of the same date and holds the register's analysis behind it.") in _paragraphs(notes)
    # Each entry says where: the part of the draft and the item.
    annex_i = f"{'ANNEXE' if language == 'fr' else 'ANNEX'} I — "
    assert any(row[0].startswith(annex_i) and row[2] == wording.placeholder_text("signature", language) for row in listed)


def test_the_notes_carry_the_transfer_analysis_the_draft_leaves_out(demo):
    notes, assessment = _notes(demo, "RelationHub CRM")
    transfers = _table(notes, "Country")
    by_country = {row[0]: row for row in transfers[1:]}
    abroad = {r.country_name.en for r in assessment.transfers if r.basis != "eea"}
    assert set(by_country) == abroad == {"United States", "Philippines", "Australia"}
    assert by_country["United States"][3].startswith("Module 2 (2021/914)")
    assert "controller → processor" in by_country["United States"][4]
    assert by_country["Philippines"][3] == "Module 3 (2021/914)"
    assert "pre-2021 SCCs" in by_country["Philippines"][4]
    assert "records module 2: to be corrected" in by_country["Australia"][4]
    assert "NOT COVERED" in by_country["Philippines"][2]
    french, _ = _notes(demo, "ProspectLens", "fr")
    row = _table(french, "Pays")[1]
    assert row[0] == "Inde" and row[3] == "Module 3 (2021/914)" and "aucune garantie enregistrée" in row[4]


def test_the_notes_carry_flowdown_retention_and_findings(demo):
    notes, assessment = _notes(demo, "Enrichly")
    processor = demo[2]["Enrichly"]
    flowdown = _table(notes, "Sub-processor")
    assert [row[0] for row in flowdown[1:]] == [sub.name for sub in processor.sub_processors]
    assert [row[1] for row in flowdown[1:]] == [wording.enum_label(sub.flowdown, "en") for sub in processor.sub_processors]
    assert words("en").gettext("no limit recorded: a retention period must be set (Art. 5(1)(e))") in _paragraphs(notes)
    findings = _table(notes, "Severity")
    assert sorted(row[1] for row in findings[1:]) == sorted(f.title.en for f in assessment.findings)
    assert assessment.findings


def test_the_notes_of_a_processor_without_transfer_say_so(demo):
    notes, _ = _notes(demo, "Nuagehost")
    assert "No transfer outside the EEA" in _paragraphs(notes)
