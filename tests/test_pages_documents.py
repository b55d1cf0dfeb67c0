"""Documents downloaded from the pages (session cookie), in French or English."""

from __future__ import annotations

import io
import zipfile

import pytest

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
