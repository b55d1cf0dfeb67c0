"""The DPA reader (register/reading): labelled fixtures in every format, refused files,
sniffing, caps, sanitising, sections, facts and the command line. Pure: no database."""

from __future__ import annotations

import io
import json
import tomllib
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from register.reading import (
    ITEM_IDS,
    SUPPORTED_MEDIA_TYPES,
    ReadingError,
    read_dpa,
    sniff_media_type,
)
from register.reading.extract import extract_text
from register.reading.facts import DURATION, breach_deadline, days_of, hours_of, subprocessor_notice
from register.reading.model import Block
from register.reading.segment import Sentence, heading_number, segment
from register.reading.sniff import DOCX, HTML, MARKDOWN, ODT, PDF, TEXT

FIXTURES = Path(__file__).parent / "fixtures" / "dpa"
LABELS = tomllib.loads((FIXTURES / "labels.toml").read_text(encoding="utf-8"))
CASES = [(name, fmt) for name, label in LABELS["documents"].items() for fmt in label["formats"]]


def fixture(name: str) -> bytes:
    return (FIXTURES / "files" / name).read_bytes()


def expected(value):
    return None if value == "null" else value


@pytest.fixture(scope="module")
def readings() -> dict[tuple[str, str], dict]:
    return {(name, fmt): read_dpa(fixture(f"{name}.{fmt}"), language="en").to_json() for name, fmt in CASES}


# --- the labelled set ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{name}.{fmt}" for name, fmt in CASES])
def test_item_statuses_match_the_labels(readings, name, fmt):
    label = LABELS["documents"][name]
    items = readings[(name, fmt)]["items"]
    assert {item: items[item]["status"] for item in ITEM_IDS} == label["items"]
    assert sorted(item for item in ITEM_IDS if items[item]["via_scc"]) == sorted(label["via_scc"])


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{name}.{fmt}" for name, fmt in CASES])
def test_facts_match_the_labels(readings, name, fmt):
    label = LABELS["documents"][name]
    reading = readings[(name, fmt)]
    for fact, value in label["facts"].items():
        got = reading[fact]
        assert (sorted(got) if isinstance(value, list) else got) == (sorted(value) if isinstance(value, list) else expected(value)), fact
    assert {entry["name"]: entry["countries"] for entry in reading["sub_processors"]} == label.get("sub_processors", {})
    assert reading["document"]["language"] == label["language"]


@pytest.mark.parametrize(("filename", "code"), sorted(LABELS["refused"].items()))
def test_refused_files_say_why_in_both_languages(filename, code):
    with pytest.raises(ReadingError) as raised:
        read_dpa(fixture(filename))
    assert raised.value.code == code
    french, english = raised.value.message("fr"), raised.value.message("en")
    assert french and english and french != english


def test_the_json_is_the_documented_interface(readings):
    reading = readings[("acme_cloud_en", "pdf")]
    for key in ("items", "breach_notification_hours", "subprocessor_notice_days", "notice_in_business_days",
                "authorisation", "transfer_tools", "sub_processors"):
        assert key in reading
    assert list(reading["items"]) == list(ITEM_IDS)
    for item in reading["items"].values():
        assert item["status"] in ("present", "partial", "absent")
        assert item["reason"]
        for evidence in item["evidence"]:
            assert set(evidence) == {"section", "page", "text"}
    assert json.loads(json.dumps(reading)) == reading


def test_evidence_keeps_sections_and_pages(readings):
    pdf = readings[("acme_cloud_en", "pdf")]
    deletion = pdf["items"]["art28_3_g"]["evidence"][0]
    assert deletion["section"] == "9.1" and deletion["page"] >= 2
    assert "at the choice of Customer" in deletion["text"]
    annex = pdf["sub_processors"][0]
    assert annex["section"] == "Annex III" and annex["page"] == pdf["document"]["pages"]
    # Word's own list numbering (no number typed in the text) names the sections.
    crm = readings[("crm_en_annex", "docx")]
    assert crm["items"]["art28_3_a"]["evidence"][0]["section"] == "1"
    assert crm["items"]["art28_3_h"]["evidence"][0]["section"] == "Schedule 2, 1"
    # An .odt keeps LibreOffice's page breaks.
    odt = readings[("nuage_fr", "odt")]
    assert odt["document"]["pages"] == 2 and odt["sub_processors"][0]["page"] == 2


def test_reasons_name_what_is_found_and_missing_in_french():
    reading = read_dpa(fixture("crm_en_annex.md"), language="fr").to_json()
    reason = reading["items"]["art28_3_g"]["reason"]
    assert "Trouvé" in reason and "Manque" in reason
    assert "suppression des données" in reason and "restitution des données" in reason
    english = read_dpa(fixture("crm_en_annex.md"), language="en").to_json()["items"]["art28_3_g"]["reason"]
    assert english.startswith("Found: deletion or return at the end of the services; deletion of the data; deletion of existing copies.")
    assert "Missing: return of the data; at the controller's choice." in english


def test_a_reason_can_be_given_in_the_other_language():
    reading = read_dpa(fixture("analytics_en_partial.txt"), language="en")
    audit = reading.items["art28_3_h"]
    assert audit.reason.startswith("Only: certifications or audit reports.")
    assert audit.reason_in("fr").startswith("Seulement\u00a0: certifications ou rapports d'audit.")
    assert "section 8.1" in audit.reason_in("fr")


def test_reason_keeps_its_first_published_call_form():
    from register.reading import ItemReading
    from register.reading.analysis import reason
    from register.vocabulary import ClauseStatus

    item = ItemReading("art28_3_g", ClauseStatus.PARTIAL, (), ("deletion",), ("return",), False, False)
    assert reason(item, [], None, "en") == reason(item, "en") == "Found: deletion of the data. Missing: return of the data."
    assert reason(item, ["copies"], sentence("x", "7.2"), "fr").endswith("Affaibli ou contredit par la section 7.2.")


def test_scc_coverage_is_said_in_the_reason():
    reading = read_dpa(fixture("mailer_en_scc_only.html"), language="en").to_json()
    assert "incorporated SCCs 2021/914 (Clause 9)" in reading["items"]["art28_3_d"]["reason"]
    assert reading["items"]["art28_3_infringing"]["status"] == "absent"  # the SCCs do not bring it
    assert reading["incorporates_scc_2021"] is True


# --- files: type, caps, sanitising, damage ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "media_type"),
    [("acme_cloud_en.pdf", PDF), ("acme_cloud_en.docx", DOCX), ("acme_cloud_en.odt", ODT),
     ("mailer_en_scc_only.html", HTML), ("crm_en_annex.md", MARKDOWN), ("minimal_en.txt", TEXT)],
)
def test_media_type_comes_from_the_content(name, media_type):
    assert sniff_media_type(fixture(name)) == media_type
    assert media_type in SUPPORTED_MEDIA_TYPES


def test_the_name_does_not_decide():
    renamed = read_dpa(fixture("acme_cloud_en.pdf"), filename="contract.docx")
    assert renamed.media_type == PDF
    assert sniff_media_type(b"\x00\x01\x02binary\xff\xfe\x00" * 50) is None
    with pytest.raises(ReadingError) as raised:
        read_dpa(b"\x00\x01\x02binary\xff\xfe\x00" * 50, filename="dpa.pdf")
    assert raised.value.code == "unsupported"


def test_size_cap():
    with pytest.raises(ReadingError) as raised:
        read_dpa(fixture("acme_cloud_en.pdf"), max_bytes=10_000)
    assert raised.value.code == "too_large"
    assert "10" not in raised.value.message("fr") or "Mo" in raised.value.message("fr")


def test_decompressed_size_cap_refuses_zip_bombs():
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(fixture("acme_cloud_en.docx"))) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("word/media/padding.bin", b"\0" * (3 * 1024 * 1024))
    content = bomb.getvalue()
    assert len(content) < 200_000
    with pytest.raises(ReadingError) as raised:
        read_dpa(content, max_expanded_bytes=2 * 1024 * 1024)
    assert raised.value.code == "archive_too_large"
    assert read_dpa(content).items["art28_3_a"].status.value == "present"  # under the default cap


def test_html_is_read_as_text_only():
    extracted = extract_text(fixture("mailer_en_scc_only.html"), HTML, max_expanded_bytes=1)
    text = "\n".join(block.text for block in extracted.blocks)
    assert "alert" not in text and "steal" not in text and "font-family" not in text and "Home" not in text
    assert "Data Processing Terms" in text
    hostile = b"<html><body><p>1. Instructions</p><script>x()</script><p>The processor shall process personal data only on documented instructions.<img src=x onerror=alert(1)></p></body></html>"
    reading = read_dpa(hostile, language="en").to_json()
    evidence = reading["items"]["art28_3_a"]["evidence"][0]["text"]
    assert "<" not in evidence and "alert" not in evidence


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from([b"%PDF-1.7\n", b"PK\x03\x04", b"<html><body>", b"", b"# Title\n\n", b"\xef\xbb\xbf"]),
    body=st.binary(max_size=2000),
)
def test_damaged_files_raise_a_reading_error_never_a_crash(prefix, body):
    try:
        read_dpa(prefix + body)
    except ReadingError:
        pass


def test_absurd_nesting_is_a_reading_error_or_a_reading():
    nested = b"<html><body>" + b"<div>" * 50_000 + b"The processor shall act only on documented instructions." + b"</div>" * 50_000 + b"</body></html>"
    try:
        reading = read_dpa(nested, language="en")
    except ReadingError as error:
        assert error.code in ("malformed", "no_content")  # libxml2 stops at its depth limit
    else:
        assert reading.media_type == HTML


@pytest.mark.parametrize("name", ["acme_cloud_en.docx", "nuage_fr.odt", "acme_cloud_en.pdf"])
def test_truncated_files_of_each_format_are_malformed(name):
    content = fixture(name)
    for cut in (len(content) // 3, len(content) - 200):
        try:
            read_dpa(content[:cut])
        except ReadingError as error:
            assert error.code in ("malformed", "no_text", "no_content", "unsupported")


# --- sections and facts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Article 4 – Sous-traitance ultérieure", "Article 4"),
        ("Clause 7.7 Use of sub-processors", "Clause 7.7"),
        ("Annexe II – Mesures de sécurité", "Annexe II"),
        ("Annex III - List of Sub-processors", "Annex III"),
        ("Schedule 2 – Additional obligations", "Schedule 2"),
        ("1. Definitions", "1"),
        ("7.1 The processor shall act on instructions.", "7.1"),
        ("Art. 3 : Objet", "Article 3"),
        ("72 hours after the breach the controller notifies.", None),
        ("30 days' notice is given.", None),
        ("Annex each list to this DPA.", None),
        ("Clause 9 of the SCCs applies to sub-processors in general and is long enough to be a sentence rather than a heading of any kind.", None),
    ],
)
def test_section_numbers(text, label):
    assert heading_number(Block(text=text))[0] == label


def test_numbered_paragraphs_inside_an_annex_are_labelled_with_it():
    blocks = tuple(Block(text=text) for text in ("1. Scope", "Body.", "Annex II – Security", "1. Encryption at rest.", "2. Backups."))
    labels = [section.number for section in segment(blocks)]
    assert labels == ["1", "Annex II", "Annex II, 1", "Annex II, 2"]


@pytest.mark.parametrize(
    ("text", "hours", "business"),
    [
        ("within 48 heures", 48, False),
        ("within seventy-two (72) hours", 72, False),
        ("within two (2) business days", 48, True),
        ("dans un délai de 5 jours ouvrés", 120, True),
        ("within 24h", 24, False),
        ("within one week", 168, False),
    ],
)
def test_durations_in_hours(text, hours, business):
    assert hours_of(DURATION.search(text)) == (hours, business)


def sentence(text: str, section: str = "1", in_annex: bool = False) -> Sentence:
    return Sentence(text, section, None, 0, in_annex, "")


def test_breach_deadline_rules():
    undue = breach_deadline([sentence("The Processor shall notify the Controller of a Personal Data Breach without undue delay.")])
    assert undue[0].value is None and undue[0].evidence is not None
    authority = breach_deadline([sentence("The processor shall notify the controller of a data breach within 24 hours to allow the controller to notify the supervisory authority within 72 hours.")])
    assert authority[0].value == 24
    contradictory = breach_deadline([
        sentence("The processor notifies any personal data breach within 24 hours."),
        sentence("Breaches are notified to the customer within 3 days.", "Annex 2, 1", True),
    ])
    assert contradictory[0].value == 72 and contradictory[2] == ["breach_deadlines:24,72"]


def test_typographic_apostrophes_read_like_straight_ones():
    text = (
        "Article 5 – Sous-traitance\n\nLe Client dispose d\u2019un délai de dix jours pour s\u2019opposer au recrutement "
        "d\u2019un sous-traitant ultérieur.\n\nLe Prestataire aide le Client à réaliser les analyses d\u2019impact."
    ).encode()
    reading = read_dpa(text, language="fr")
    assert reading.right_to_object.value is True
    assert "impact_assessment" in reading.items["art28_3_f"].found


def test_retention_the_law_requires_is_no_contradiction():
    from register.reading.analysis import scan

    def contradiction_of(text: str):
        return scan([sentence(text)])["art28_3_g"][1]

    assert contradiction_of("The Processor may retain personal data for as long as necessary for its business.") is not None
    assert contradiction_of("The Processor may retain personal data for as long as necessary to comply with a legal obligation.") is None
    assert contradiction_of("The Processor shall not retain personal data indefinitely.") is None


def test_notice_period_is_not_the_objection_period():
    notice, business, _ = subprocessor_notice([
        sentence("The Processor shall inform the Controller of any new sub-processor at least ten (10) working days in advance."),
        sentence("The Controller may object to the new sub-processor within 5 days of receiving the notice."),
    ])
    assert (notice.value, business) == (10, True)
    assert days_of(DURATION.search("un préavis d'un mois")) == (30, False)


# --- command line -------------------------------------------------------------------------------


def test_read_dpa_command_prints_the_json_and_touches_no_database(tmp_path, monkeypatch, capsys):
    from register.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["read-dpa", str(FIXTURES / "files" / "nuage_fr.pdf"), "--json", "--lang", "en"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["breach_notification_hours"] == 48 and printed["language"] == "en"
    assert list(tmp_path.iterdir()) == []  # no database file created


def test_read_dpa_command_report_and_errors(capsys):
    from register.cli import main

    assert main(["read-dpa", str(FIXTURES / "files" / "analytics_en_partial.txt"), "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "[Partielle]" in out and "Délai de notification des violations\u00a0: 48 heures (jours ouvrés)" in out
    assert main(["read-dpa", str(FIXTURES / "files" / "refused_encrypted.pdf"), "--lang", "fr"]) == 1
    assert "chiffré" in capsys.readouterr().err
    assert main(["read-dpa", str(FIXTURES / "files" / "missing.pdf")]) == 2
