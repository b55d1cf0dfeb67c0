"""The vendor's DPA pages: upload, read, review and confirm through forms; the negotiation letter."""

from __future__ import annotations

import pytest

from register.store import readings
from tests.documents_support import open_docx
from tests.test_dpa_readings import READING
from tests.test_pages_support import csrf_of, post_form, seeded, signed_in  # noqa: F401  (fixtures)


def files_page(who) -> str:
    return f"{who.processor}/agreement/files"


def upload_through_the_page(who, content: bytes, name: str = "dpa.txt", **options):
    token = csrf_of(who.browser.get(files_page(who)).text)
    return who.browser.post(
        files_page(who), data={"_csrf_token": token}, files={"file": (name, content, "application/octet-stream")},
        follow_redirects=False, **options,
    )


def test_the_dpo_uploads_a_version_and_sees_it_listed_with_a_download_link(signed_in):
    dpo = signed_in("dpo")
    answer = upload_through_the_page(dpo, b"Data Processing Agreement\n\n1. Scope\n", "Contrat v2.txt")
    assert answer.status_code == 303 and answer.headers["location"] == files_page(dpo)
    page = dpo.browser.get(files_page(dpo)).text
    assert "Contrat v2.txt" in page and "vendor-dpa.txt" in page  # the seeded version, then this one
    assert page.index("vendor-dpa.txt") < page.index("Contrat v2.txt")
    assert 'enctype="multipart/form-data"' in page
    processor_page = dpo.browser.get(dpo.processor).text
    assert "Contrat v2.txt" in processor_page  # the latest version, on the processor's page


def test_an_unsupported_file_is_refused_on_the_page_in_the_users_language(signed_in):
    dpo = signed_in("dpo")
    post_form(dpo.browser, "/", "/preferences/language", {"language": "fr", "next": "/"})
    answer = upload_through_the_page(dpo, b"\x00\x01\x02binary\xff" * 20, "dpa.pdf")
    assert answer.status_code == 415
    assert "Ce type de fichier ne peut pas être lu" in answer.text


def test_an_oversized_upload_is_refused_before_the_form_is_read(signed_in, monkeypatch):
    dpo = signed_in("dpo")
    monkeypatch.setenv("FILES_MAX_BYTES", "100")
    answer = upload_through_the_page(dpo, b"x" * 200_000)
    assert answer.status_code == 413


def test_an_auditor_sees_the_files_but_no_upload_form_and_cannot_post(signed_in):
    auditor = signed_in("auditor")
    page = auditor.browser.get(files_page(auditor)).text
    assert "vendor-dpa.txt" in page and 'type="file"' not in page
    token = csrf_of(auditor.browser.get("/").text)  # a valid token of the auditor's own session
    answer = auditor.browser.post(
        files_page(auditor), data={"_csrf_token": token}, files={"file": ("x.txt", b"text", "text/plain")},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert auditor.browser.post(
        f"{files_page(auditor)}/{auditor.ids.file_id}/delete", data={"_csrf_token": token}, follow_redirects=False
    ).status_code == 403


def test_reading_a_file_from_the_page_opens_its_review(signed_in):
    dpo = signed_in("dpo")
    answer = post_form(dpo.browser, files_page(dpo), f"{files_page(dpo)}/{dpo.ids.file_id}/read", {},
                       follow_redirects=False)
    assert answer.status_code == 303
    review = dpo.browser.get(answer.headers["location"])
    assert review.status_code == 200 and 'name="decision__art28_3_a"' in review.text


@pytest.fixture
def review(signed_in, run):
    """A DPO and a stored reading of the seeded file with known proposals."""
    dpo = signed_in("dpo")
    reading = run(readings.create_reading(
        dpo.ids.organisation_id, dpo.ids.processor_id, dpo.ids.file_id, READING, "en", "test"
    ))
    return dpo, f"{dpo.processor}/agreement/readings/{reading.id}"


def test_the_review_shows_each_proposal_beside_its_evidence_and_reason(review):
    dpo, url = review
    post_form(dpo.browser, "/", "/preferences/language", {"language": "en", "next": "/"})
    page = dpo.browser.get(url).text
    assert "deletion at the end, but no choice of return" in page  # the reason, in the reading's language
    assert "11.2" in page and "page 7" in page and "The Processor shall…" in page
    assert "Amazon Web Services EMEA SARL" in page and "Ireland" in page
    assert "48 hours" in page and "business days" in page  # the notice is in business days


def test_confirming_on_the_page_updates_the_checklist_with_a_link_to_the_evidence(review, run):
    dpo, url = review
    post_form(dpo.browser, "/", "/preferences/language", {"language": "en", "next": "/"})
    form = {
        "version": "1",
        "decision__art28_3_a": "accept",
        "decision__art28_3_g": "edit", "status__art28_3_g": "absent", "section__art28_3_g": "11.2",
        "note__art28_3_g": "No choice of return.",
        "decision__art28_3_b": "reject",
        "fact__breach_notice_hours": "accept", "value__breach_notice_hours": "48",
        "fact__objection_notice_days": "edit", "value__objection_notice_days": "45",
        "sub_processor": "1",
    }
    answer = post_form(dpo.browser, url, url, form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    page = dpo.browser.get(dpo.processor).text
    assert f'href="{url}#item-art28_3_a"' in page and f'href="{url}#item-art28_3_g"' in page
    assert f'href="{url}#item-art28_3_b"' not in page
    assert "Detected in file “vendor-dpa.txt”, confirmed by" in page and "No choice of return." in page
    assert "Zendesk Inc." in page
    again = post_form(dpo.browser, url, url, form, follow_redirects=False)
    assert again.status_code == 409  # decided already: nothing applied twice


def test_a_bad_decision_on_the_page_is_a_400_and_changes_nothing(review):
    dpo, url = review
    answer = post_form(dpo.browser, url, url, {"version": "1", "decision__art28_3_a": "maybe"}, follow_redirects=False)
    assert answer.status_code == 400
    assert 'name="decision__art28_3_a"' in answer.text  # the form again


# ---------------------------------------------------------------- the negotiation letter


def letter_text(who, language: str) -> str:
    answer = who.browser.get(f"{who.processor}/documents/negotiation-letter.docx", params={"lang": language})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    document = open_docx(answer.content)
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_letter_lists_the_missing_and_partial_items_with_what_to_add(review):
    dpo, url = review
    form = {"version": "1", "decision__art28_3_a": "accept", "decision__art28_3_g": "accept",
            "decision__art28_3_h": "accept"}
    assert post_form(dpo.browser, url, url, form, follow_redirects=False).status_code == 303
    french = letter_text(dpo, "fr")
    assert "Art. 28, §\u00a03, g)" in french and "Partielle (section 11.2, p.\u00a07)" in french
    assert "la suppression ou la restitution de toutes les données" in french
    # what the confirmed reading found missing in the partial item, in the letter's language
    assert "Manque dans le texte actuel\u00a0: restitution des données\u00a0; au choix du responsable du traitement." in french
    assert "Art. 28, §\u00a03, h)" in french  # absent in the reading, accepted as absent
    assert "Instructions documentées" not in french  # present items are not asked for
    assert "Objet\u00a0:" in french and "Madame, Monsieur," in french
    assert "décembre" in french or "janvier" in french or "er " in french  # a prose date
    english = letter_text(dpo, "en")
    assert "at our choice, the deletion or the return" in english.lower() or "At our choice" in english
    for text in (french, english):
        assert "[" not in text  # no placeholder: the register's facts are filled in, the others left out


def test_the_processor_gap_report_names_what_to_negotiate(review):
    dpo, url = review
    form = {"version": "1", "decision__art28_3_g": "accept"}
    assert post_form(dpo.browser, url, url, form, follow_redirects=False).status_code == 303
    answer = dpo.browser.get(f"{dpo.processor}/documents/gap-report.docx", params={"lang": "en"})
    document = open_docx(answer.content)
    text = "\n".join([p.text for p in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ])
    assert "To negotiate with the vendors" in text
    assert "At our choice, the deletion or the return of all the personal data" in text


def test_the_review_gives_the_reasons_in_the_pages_language(signed_in, run):
    dpo = signed_in("dpo")
    proposal = {"status": "partial", "evidence": [], "reason": "stored English reason",
                "found": ["documented_instructions"], "missing": [], "via_scc": False, "contradiction": False}
    reading = run(readings.create_reading(
        dpo.ids.organisation_id, dpo.ids.processor_id, dpo.ids.file_id, {**READING, "items": {"art28_3_a": proposal}},
        "en", "test",
    ))
    url = f"{dpo.processor}/agreement/readings/{reading.id}"
    post_form(dpo.browser, "/", "/preferences/language", {"language": "en", "next": "/"})
    assert "stored English reason" in dpo.browser.get(url).text
    post_form(dpo.browser, "/", "/preferences/language", {"language": "fr", "next": "/"})
    french = dpo.browser.get(url).text
    assert "stored English reason" not in french and "traitement uniquement sur instruction documentée" in french
