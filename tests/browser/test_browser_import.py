"""A DPO imports a spreadsheet through the pages in a real browser (issue 11), without JavaScript:
upload → mapping (a column changed, the mapping saved under a name) → preview → confirm → result;
the import pages pass axe-core in French and in English and read on a phone without sideways scrolling."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import missing_requirement
from tests.browser.test_browser_accessibility import (
    LANGUAGE_BUTTON,
    PHONE,
    SCROLLING_SIDEWAYS,
    document_overflow,
    serious_violations,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(missing_requirement() is not None, reason=missing_requirement() or ""),
]

SHEET = (
    "Prestataire;Pays d'hébergement;Site internet;Commentaire\r\n"
    "Nimbus Archives SAS;France;https://nimbus.example;hébergement des sauvegardes\r\n"
    "Datalyse Inc.;États-Unis;https://datalyse.example;tableaux de bord\r\n"
    "Sans Pays SARL;Atlantide;;à vérifier\r\n"
).encode("cp1252")


def upload(session, organisation: str, tmp_path) -> str:
    """Upload the sheet from the import page; returns the preview's path."""
    sheet = tmp_path / "prestataires.csv"
    sheet.write_bytes(SHEET)
    page = session.page
    session.go(f"{organisation}/processors")
    page.click(f"a[href='{organisation}/imports']")
    page.set_input_files("#field-file", str(sheet))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    assert re.search(r"/imports/[A-Za-z0-9_-]+/mapping$", page.url), page.url
    return page.url.removeprefix(session.server.base_url).removesuffix("/mapping")


def test_a_dpo_imports_a_sheet_through_the_pages(session_as, server, screenshots, tmp_path):
    dpo = session_as("dpo", javascript=False)  # every step is a plain form
    page = dpo.page
    organisation = f"/organisations/{server.scenario}"
    preview = upload(dpo, organisation, tmp_path)

    # The suggestion is preselected; the comment column is left out, the website taken in.
    assert page.input_value("#field-column__0") == "legal_name"
    assert page.input_value("#field-column__1") == "locations"
    page.select_option("#field-column__2", "website")
    page.select_option("#field-column__3", "")
    page.fill("#field-save_as", "Prestataires (modèle maison)")
    dpo.shoot(screenshots, "60-import-mapping")
    page.click("form[method=post] button[type=submit].primary")
    assert page.url.endswith(preview)

    # The preview: what would happen, row by row, with the reason and the cell of the error.
    assert page.locator("#count-create").inner_text() == "2"
    assert page.locator("#count-error").inner_text() == "1"
    error_row = page.locator("tr.action-error")
    assert "Atlantide" in error_row.inner_text() and "colonne B" in error_row.inner_text()
    assert "https://nimbus.example" in page.locator("tr.action-create").first.inner_text()
    dpo.shoot(screenshots, "61-import-preview")
    page.click("#confirm-import")

    # The result links to the processors created.
    assert page.url.endswith(preview)
    assert page.locator("h1").inner_text() == "Import effectué"
    page.click("a:has-text('Nimbus Archives SAS')")
    assert re.search(r"/processors/\d+$", page.url)
    assert page.locator("h1").inner_text().startswith("Nimbus Archives")
    dpo.shoot(screenshots, "62-import-result-processor")

    # The saved mapping is offered for the next import; the same file again changes nothing.
    dpo.go(f"{organisation}/imports")
    assert page.locator("#field-mapping_id option", has_text="Prestataires (modèle maison)").count() == 1
    page.select_option("#field-mapping_id", label="Prestataires (modèle maison)")
    sheet = tmp_path / "prestataires.csv"
    page.set_input_files("#field-file", str(sheet))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.click("form[method=post] button[type=submit].primary")
    assert page.locator("#count-create").inner_text() == "0"
    assert page.locator("#count-unchanged").inner_text() == "2"
    assert dpo.console_errors == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_import_pages_have_no_serious_accessibility_violation(session_as, server, language, tmp_path):
    admin = session_as("admin")
    page = admin.page
    organisation = f"/organisations/{server.demo}"
    preview = upload(admin, organisation, tmp_path)
    page.click(LANGUAGE_BUTTON.format(language))
    assert page.locator("html").get_attribute("lang") == language
    found = {}
    for path in (f"{organisation}/imports", f"{preview}/mapping", preview):
        assert admin.go(path).status == 200, path
        found[path] = serious_violations(page)
    assert {path: v for path, v in found.items() if v} == {}
    assert admin.console_errors == []


def test_the_import_preview_reads_on_a_phone(session_as, server, screenshots, tmp_path):
    admin = session_as("admin", width=PHONE)
    preview = upload(admin, f"/organisations/{server.demo}", tmp_path)
    for path, name in ((f"{preview}/mapping", "mapping"), (preview, "preview")):
        admin.go(path)
        assert document_overflow(admin.page) <= 1, path
        assert admin.page.evaluate(SCROLLING_SIDEWAYS) == [], path
        admin.shoot(screenshots, f"63-phone-import-{name}")
