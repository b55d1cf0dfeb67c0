"""Documents downloaded from the pages (session cookie), in French or English."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from tests.documents_support import part_text
from tests.test_pages_support import seeded, signed_in  # noqa: F401  (fixtures)

WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_document_of_the_page_downloads(signed_in, language):
    auditor = signed_in("auditor")
    page = auditor.browser.get(f"{auditor.organisation}/documents").text
    links = {
        f"{auditor.organisation}/documents/gap-report.docx": WORD,
        f"{auditor.organisation}/documents/register-extract.docx": WORD,
        f"{auditor.organisation}/documents/register-extract.xlsx": EXCEL,
        f"{auditor.organisation}/documents/register-extract.csv": "text/csv",
        f"{auditor.processor}/documents/dpa-draft.docx": WORD,
        f"{auditor.processor}/documents/dpa-review-notes.docx": WORD,
        f"{auditor.processor}/documents/gap-report.docx": WORD,
    }
    for link, media_type in links.items():
        assert f'href="{link}?lang={language}"' in page, link
        response = auditor.browser.get(f"{link}?lang={language}")
        assert response.status_code == 200, link
        assert response.headers["content-type"].startswith(media_type)
        disposition = response.headers["content-disposition"]
        assert disposition.startswith('attachment; filename="') and f"_{language}." in disposition
        if media_type != "text/csv":
            assert zipfile.ZipFile(io.BytesIO(response.content)).testzip() is None


def test_the_document_language_defaults_to_the_ui_language(signed_in):
    dpo = signed_in("dpo")
    french = dpo.browser.get(f"{dpo.processor}/documents/dpa-draft.docx")
    assert "_fr.docx" in french.headers["content-disposition"]
    assert dpo.browser.get(f"{dpo.processor}/documents/dpa-draft.docx?lang=de").status_code == 400


def test_csv_has_one_charset_and_splits_on_semicolons_in_french(signed_in):
    auditor = signed_in("auditor")
    response = auditor.browser.get(f"{auditor.organisation}/documents/register-extract.csv?lang=fr")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    header = response.content.decode("utf-8-sig").split("\r\n", 1)[0]
    assert header.startswith("Identifiant;Dénomination sociale;")
    english = auditor.browser.get(f"{auditor.organisation}/documents/register-extract.csv?lang=en")
    assert english.content.decode("utf-8-sig").startswith("ID,Legal name,")
    chosen = auditor.browser.get(f"{auditor.organisation}/documents/register-extract.csv?lang=fr&sep=comma")
    assert chosen.content.decode("utf-8-sig").startswith("Identifiant,Dénomination sociale,")
    assert auditor.browser.get(f"{auditor.organisation}/documents/register-extract.csv?sep=pipe").status_code == 400


def test_the_documents_page_takes_an_as_of_date_that_every_link_carries(signed_in, run):
    from register.schemas import CandidateInput
    from register.store.procurement import submit_procurement_request

    dpo = signed_in("dpo")
    run(submit_procurement_request(dpo.ids.organisation_id, CandidateInput(legal_name="Candidate SAS"), "CRM", "test"))
    page = dpo.browser.get(f"{dpo.organisation}/documents?as_of=2025-06-30")
    assert page.status_code == 200
    html = page.text
    assert 'type="date" id="field-as_of" name="as_of" value="2025-06-30"' in html
    links = re.findall(r'href="([^"]+\.docx[^"]*|[^"]+\.xlsx[^"]*|[^"]+\.csv[^"]*)"', html)
    kinds = {re.sub(r"/\d+/", "/ID/", link.split("?")[0]) for link in links}
    assert kinds == {
        "/organisations/ID/documents/gap-report.docx", "/organisations/ID/documents/register-extract.docx",
        "/organisations/ID/documents/register-extract.xlsx", "/organisations/ID/documents/register-extract.csv",
        "/processors/ID/documents/dpa-draft.docx", "/processors/ID/documents/dpa-review-notes.docx",
        "/processors/ID/documents/gap-report.docx", "/processors/ID/documents/negotiation-letter.docx",
        "/procurement/ID/memo.docx",
    }
    assert all(link.endswith("&amp;as_of=2025-06-30") for link in links), links
    # Each download is built as of that date: its file name and footer say so.
    one_of_each = {re.sub(r"/\d+/", "/ID/", link.split("?")[0]): link for link in links}
    for link in one_of_each.values():
        response = dpo.browser.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        assert "_2025-06-30_" in response.headers["content-disposition"], link
    gap = dpo.browser.get(f"{dpo.organisation}/documents/gap-report.docx?lang=en&as_of=2025-06-30")
    assert "As of: 30 June 2025" in part_text(gap.content, "word/footer")


def test_a_bad_as_of_date_is_refused_next_to_its_field(signed_in):
    auditor = signed_in("auditor")
    page = auditor.browser.get(f"{auditor.organisation}/documents?as_of=2026-13-45")
    assert page.status_code == 400
    assert '<p class="field-error" id="error-as_of">Saisissez une date (AAAA-MM-JJ).</p>' in page.text
    assert 'aria-invalid="true"' in page.text
    assert "as_of=" not in "".join(re.findall(r'href="([^"]+)"', page.text))  # links fall back to today
    refused = auditor.browser.get(f"{auditor.organisation}/documents/gap-report.docx?as_of=tomorrow")
    assert refused.status_code == 400 and "as_of" in refused.text
    without = auditor.browser.get(f"{auditor.organisation}/documents")
    assert without.status_code == 200 and 'value=""' in without.text and "&amp;as_of" not in without.text
