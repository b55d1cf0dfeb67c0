"""The spreadsheet import pages (issue 11): upload → mapping → preview → confirm → result, without JavaScript.

Every step is a plain form with its CSRF token; nothing reaches the register
before the confirmation; the pages speak the session's language.
"""

from __future__ import annotations

import html
import re

from register.tables import ImportMapping, ImportPreview, Processor
from tests.test_api_imports import SHEET
from tests.test_pages_support import csrf_of, post_form, seeded, signed_in  # noqa: F401  (fixtures)

PREVIEW_PATH = re.compile(r"/organisations/\d+/imports/([A-Za-z0-9_-]+)")


def upload_page(admin, content: bytes = SHEET, name: str = "vendors.csv", **fields):
    page = admin.browser.get(f"{admin.organisation}/imports")
    assert page.status_code == 200
    return admin.browser.post(
        f"{admin.organisation}/imports",
        data={"_csrf_token": csrf_of(page.text), **fields},
        files={"file": (name, content, "text/csv")},
        follow_redirects=False,
    )


def uploaded(admin) -> str:
    response = upload_page(admin)
    assert response.status_code == 303, response.text
    found = PREVIEW_PATH.search(response.headers["location"])
    assert found and response.headers["location"].endswith("/mapping")
    return found.group(1)


def selected(html: str, select_id: str) -> str:
    block = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert block, select_id
    chosen = re.search(r'<option value="([^"]*)" selected>', block.group(1))
    return chosen.group(1) if chosen else ""


def names(run, organisation_id: int) -> set[str]:
    return {r["legal_name"] for r in run(Processor.select(Processor.legal_name).where(Processor.organisation == organisation_id))}


def test_the_whole_import_through_the_pages(signed_in, run):
    admin = signed_in("dpo")
    before = names(run, admin.ids.organisation_id)
    processors = admin.browser.get(f"{admin.organisation}/processors").text
    assert f'href="{admin.organisation}/imports"' in processors  # linked for a role that can write
    preview_id = uploaded(admin)
    base = f"{admin.organisation}/imports/{preview_id}"

    # 2. the mapping: each column with a select, the suggestion preselected
    mapping = admin.browser.get(f"{base}/mapping")
    assert mapping.status_code == 200
    assert selected(mapping.text, "field-column__0") == "legal_name"  # "Fournisseur"
    assert selected(mapping.text, "field-column__1") == "headquarters_country"  # "Pays du siège"
    assert selected(mapping.text, "field-key") == "name_country"
    form = {"header_row": "1", "key": "name_country", "language": "fr", "save_as": "Liste fournisseurs",
            "column__0": "legal_name", "column__1": "headquarters_country", "column__2": "website",
            "column__3": "locations", "column__4": "dpa_signed_on"}
    sent = post_form(admin.browser, f"{base}/mapping", f"{base}/mapping", form, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == base
    assert "Liste fournisseurs" in {m["name"] for m in run(ImportMapping.select(ImportMapping.name))}

    # 3. the preview: counts, rows with their reasons and cells, changes old → new
    page = admin.browser.get(base)
    assert page.status_code == 200
    text = html.unescape(page.text).replace("\u00a0", " ")
    assert 'id="count-create">2<' in text and 'id="count-error">1<' in text
    assert "Zephyr Cloud GmbH" in text and "Allemagne" in text  # the country by its French name
    assert "« Narnia » n'est pas un pays connu du registre" in text
    assert "colonne B" in text and "ligne 4" in text
    assert "01/02/2025" in text  # a date shown the French way, never ISO
    assert names(run, admin.ids.organisation_id) == before  # nothing written yet

    # 4. confirm → 5. the result with links to the processors
    confirmed = post_form(admin.browser, base, f"{base}/commit", {"version": "2"}, follow_redirects=False)
    assert confirmed.status_code == 303, confirmed.text
    assert names(run, admin.ids.organisation_id) == before | {"Zephyr Cloud GmbH", "Orbital Mail Inc."}
    result = admin.browser.get(base).text
    zephyr = run(Processor.select(Processor.id).where(Processor.legal_name == "Zephyr Cloud GmbH").first())["id"]
    assert f'href="/processors/{zephyr}"' in result and "Import effectué" in result

    # the same confirmation again: refused, nothing added
    again = post_form(admin.browser, base, f"{base}/commit", {"version": "3"}, follow_redirects=False)
    assert again.status_code in (404, 409)
    assert names(run, admin.ids.organisation_id) == before | {"Zephyr Cloud GmbH", "Orbital Mail Inc."}


def test_the_pages_speak_english_too(signed_in, run):
    admin = signed_in("admin")
    post_form(admin.browser, "/", "/preferences/language", {"language": "en", "next": "/"})
    preview_id = uploaded(admin)
    text = html.unescape(admin.browser.get(f"{admin.organisation}/imports/{preview_id}").text)
    assert "Check, then confirm" in text and "Germany" in text
    assert "“Narnia” is not a country this register knows" in text and "column B" in text


def test_a_saved_mapping_is_loaded_on_the_mapping_page_and_used_at_upload(signed_in, run):
    admin = signed_in("dpo")
    saved = admin.ids.mapping_id  # the seeded "Vendors sheet"
    preview_id = uploaded(admin)
    page = admin.browser.get(f"{admin.organisation}/imports/{preview_id}/mapping", params={"mapping_id": saved})
    assert page.status_code == 200 and selected(page.text, "field-column__0") == "legal_name"
    response = upload_page(admin, mapping_id=str(saved))
    assert response.status_code == 303
    stored = run(ImportPreview.select(ImportPreview.mapping).order_by(ImportPreview.id, ascending=False).first())
    assert "Fournisseur" in str(stored["mapping"])


def test_mapping_errors_are_shown_next_to_the_field_and_nothing_changes(signed_in, run):
    admin = signed_in("dpo")
    preview_id = uploaded(admin)
    base = f"{admin.organisation}/imports/{preview_id}"
    form = {"header_row": "1", "key": "website", "language": "fr", "column__0": "legal_name", "column__1": "legal_name"}
    refused = post_form(admin.browser, f"{base}/mapping", f"{base}/mapping", form)
    assert refused.status_code == 400
    assert 'id="error-column__1"' in refused.text and 'id="error-key"' in refused.text
    assert run(ImportPreview.select(ImportPreview.version).where(ImportPreview.public_id == preview_id).first())["version"] == 1


def test_a_bad_file_is_refused_on_the_page_with_its_reason(signed_in, run):
    admin = signed_in("dpo")
    response = upload_page(admin, b"%PDF-1.7", "vendors.pdf")
    assert response.status_code == 400 and 'role="alert"' in response.text
    assert run(ImportPreview.count().where(ImportPreview.file_name == "vendors.pdf")) == 0


def test_a_file_over_the_cap_is_refused_on_the_page(signed_in, monkeypatch):
    admin = signed_in("dpo")
    monkeypatch.setenv("IMPORT_MAX_BYTES", "100")
    response = upload_page(admin, SHEET * 3)
    assert response.status_code == 413 and "la limite est de 100" in html.unescape(response.text).replace("\u00a0", " ")


def test_a_discarded_import_is_gone(signed_in, run):
    admin = signed_in("dpo")
    preview_id = uploaded(admin)
    base = f"{admin.organisation}/imports/{preview_id}"
    response = post_form(admin.browser, base, f"{base}/delete", {}, follow_redirects=False)
    assert response.status_code == 303
    assert admin.browser.get(base).status_code == 404


def test_a_form_without_its_csrf_token_is_refused(signed_in, run):
    admin = signed_in("dpo")
    response = admin.browser.post(f"{admin.organisation}/imports", files={"file": ("v.csv", SHEET, "text/csv")})
    assert response.status_code == 403
    assert run(ImportPreview.count().where(ImportPreview.file_name == "v.csv")) == 0


def test_roles_that_cannot_write_see_no_link_and_are_refused(signed_in):
    auditor = signed_in("auditor")
    assert f'href="{auditor.organisation}/imports"' not in auditor.browser.get(f"{auditor.organisation}/processors").text
    assert f'href="{auditor.organisation}/imports"' not in auditor.browser.get(auditor.organisation).text
    assert auditor.browser.get(f"{auditor.organisation}/imports").status_code == 403
    assert auditor.browser.get(f"{auditor.organisation}/imports/{auditor.ids.preview_id}").status_code == 403


def confirm_through_the_pages(admin, content: bytes, name: str) -> tuple[str, str]:
    """Upload, keep the suggested mapping, confirm; the preview's path and the mapping page's HTML."""
    response = upload_page(admin, content, name)
    assert response.status_code == 303, response.text
    base = PREVIEW_PATH.search(response.headers["location"]).group(0)
    mapping_page = admin.browser.get(f"{base}/mapping")
    assert mapping_page.status_code == 200
    kept = {"header_row": re.search(r'name="header_row" value="(\d+)"', mapping_page.text).group(1),
            "sheet": re.search(r'name="sheet" value="([^"]*)"', mapping_page.text).group(1),
            "key": selected(mapping_page.text, "field-key"), "language": selected(mapping_page.text, "field-language")}
    kept |= {f"column__{i}": field for i, field in re.findall(
        r'<select id="field-column__(\d+)".*?<option value="([^"]*)" selected>', mapping_page.text, re.S)}
    sent = post_form(admin.browser, f"{base}/mapping", f"{base}/mapping", kept, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    confirmed = post_form(admin.browser, base, f"{base}/commit", {"version": "2"}, follow_redirects=False)
    assert confirmed.status_code == 303, confirmed.text
    return base, mapping_page.text


def test_the_cnil_workbook_through_the_pages(signed_in, run):
    from tests.intake_support import cnil_workbook
    from tests.test_intake import CNIL_RECORDS

    admin = signed_in("dpo")
    base, mapping_page = confirm_through_the_pages(admin, cnil_workbook(CNIL_RECORDS), "registre-cnil.xlsx")
    assert "modèle de registre de la CNIL" in html.unescape(mapping_page)
    assert 'id="field-column__0"' not in mapping_page  # read by its labels, no columns to map
    imported = names(run, admin.ids.organisation_id)
    assert {"RelationCloud Inc.", "Mailjet SAS"} <= imported
    result = admin.browser.get(base).text
    assert "Import effectué" in html.unescape(result)


def test_the_registers_own_extract_is_recognised_and_creates_nothing(signed_in, run):
    admin = signed_in("dpo")
    extract = admin.browser.get(f"{admin.organisation}/documents/register-extract.xlsx")
    assert extract.status_code == 200
    versions = run(Processor.select(Processor.id, Processor.version).where(Processor.organisation == admin.ids.organisation_id))
    response = upload_page(admin, extract.content, "extract.xlsx")
    base = PREVIEW_PATH.search(response.headers["location"]).group(0)
    page = html.unescape(admin.browser.get(base).text)
    assert "l'extrait de ce registre" in page
    # its processors are found again, unchanged (the engine's tests check the whole round trip)
    assert 'id="count-create">0<' in page and 'id="count-error">0<' in page and 'id="count-update">0<' in page
    assert run(Processor.select(Processor.id, Processor.version).where(Processor.organisation == admin.ids.organisation_id)) == versions
