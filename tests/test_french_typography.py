"""French typography in everything the register writes in French: a
non-breaking space (never an ordinary one, which lets the line break) before
":", ";", "!", "?" and "»" and after "«"; and English without a space before
":" or ";". Checked on every French message of the catalog, the reference
data, the demo's findings, and every page and document in both languages."""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass

import pytest

from register.compliance import assess_register
from register.compliance.model import Localised
from register.i18n import french_spacing, translations, words
from register.reference import load_reference
from tests.documents_support import AS_OF, demo_register
from tests.test_language_purity import read_everything, without_user_data
from tests.test_pages_support import post_form, seeded, signed_in  # noqa: F401  (fixtures)

ORDINARY_SPACE_IN_FRENCH = re.compile(r"(?<=\S) [:;!?»]|« ")
SPACE_BEFORE_COLON_IN_ENGLISH = re.compile(r"(?<=\w) [:;](?=\s)")


def french_faults(text: str) -> list[str]:
    return [text[max(0, m.start() - 40): m.end() + 20] for m in ORDINARY_SPACE_IN_FRENCH.finditer(text)]


def test_french_spacing():
    assert french_spacing("Pays : France ; « Acme » ? oui !") == "Pays\u00a0: France\u00a0; «\u00a0Acme\u00a0»\u00a0? oui\u00a0!"
    assert french_spacing("https://exemple.fr/?a=1 — 10:30") == "https://exemple.fr/?a=1 — 10:30"


def test_every_french_message_of_the_catalog_is_spaced_the_french_way():
    catalog = translations("fr")
    faults = []
    for message_id, text in catalog._catalog.items():  # noqa: SLF001 (the compiled catalog's texts)
        if message_id:
            faults += french_faults(text)
    assert faults == []
    assert words("fr").gettext("sheet “%(sheet)s”", sheet="X") == "feuille «\u00a0X\u00a0»"


def test_the_reference_data_is_spaced_the_french_way():
    reference = load_reference()
    texts = []
    for finding in reference.findings.values():
        texts += [finding.title_fr, finding.explanation_fr, finding.remediation_fr]
    texts += [source.citation_in("fr") + " " + source.note_in("fr") for _label, source in reference.sources()]
    texts += [d.description_fr for d in reference.key_dates.values()]
    texts += [t.description_fr for t in reference.thresholds.values()]
    texts += [item.content_fr for item in reference.art28_items]
    texts += [d.risk_note_fr + " " + d.scope_note_fr for d in reference.adequacy.values()]
    assert [fault for text in texts for fault in french_faults(text)] == []


def _localised(value, found: list[Localised]) -> None:
    if isinstance(value, Localised):
        found.append(value)
    elif is_dataclass(value):
        for item in fields(value):
            _localised(getattr(value, item.name), found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _localised(item, found)


def test_the_findings_say_their_details_the_french_way():
    organisation, processors = demo_register(AS_OF)
    assessment = assess_register(processors, as_of=AS_OF)
    texts: list[Localised] = []
    for processor in assessment.processors:
        _localised(processor.findings, texts)
    assert len(texts) > 50
    assert [fault for text in texts for fault in french_faults(text.fr)] == []
    assert [t.en for t in texts if SPACE_BEFORE_COLON_IN_ENGLISH.search(t.en)] == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_and_document_is_spaced_the_languages_way(app, signed_in, language):
    faults = {}
    for _kind, url, text, _extra in read_everything(app, signed_in, language):
        text = without_user_data(text, language)
        if language == "fr":
            found = french_faults(text)
        else:
            found = [text[max(0, m.start() - 40): m.end() + 20] for m in SPACE_BEFORE_COLON_IN_ENGLISH.finditer(text)]
        if found:
            faults[url] = found
    assert faults == {}
