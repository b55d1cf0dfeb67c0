"""The register in a real browser: a DPO closes a transfer gap, procurement reads a verdict,
an auditor finds nothing to edit and a forged POST is refused; every core action without JS;
screenshots of the main pages on a laptop and on a phone."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import date

import pytest

from tests.browser.conftest import missing_requirement

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(missing_requirement() is not None, reason=missing_requirement() or ""),
]


def score_of(page) -> int:
    return int(page.locator(".gauge-text").first.text_content())


def test_a_dpo_closes_a_transfer_gap(session_as, server, screenshots):
    dpo = session_as("dpo")
    page = dpo.page
    organisation = f"/organisations/{server.scenario}"
    dpo.go(organisation)
    page.click(f"a[href='{organisation}/processors/new']")

    # A mistake first: the error shows next to the field and what was typed stays.
    page.fill("#field-trade_name", "Lumio")
    page.fill("#field-retention_months", "-1")
    page.click("button[type=submit].primary")
    assert page.locator("#error-legal_name").is_visible()
    assert page.locator("#error-retention_months").inner_text() == "La valeur doit être au moins 0."
    assert page.input_value("#field-trade_name") == "Lumio"
    dpo.shoot(screenshots, "10-processor-form-errors")
    page.fill("#field-legal_name", "Lumio SAS")
    page.fill("#field-retention_months", "24")
    page.select_option("#field-headquarters_country", "FR")
    page.click("button[type=submit].primary")
    assert re.search(r"/processors/\d+$", page.url)
    processor_path = page.url.removeprefix(server.base_url)

    # A sub-processor in a country without an adequacy decision.
    page.click(f"a[href='{processor_path}/sub-processors/new']")
    page.fill("#field-name", "IndiaOps Pvt Ltd")
    page.select_option("#field-countries", ["IN"])
    page.select_option("#field-flowdown", "yes")
    page.click("button[type=submit].primary")
    gap = page.locator("#findings [data-code='TRANSFER_NO_SAFEGUARD']")
    assert gap.is_visible()
    score_before = score_of(page)
    dpo.shoot(screenshots, "11-processor-transfer-gap")

    dpo.go(organisation)
    assert page.locator("#priorities [data-code='TRANSFER_NO_SAFEGUARD']").is_visible()
    india = page.locator("#destinations-heading ~ .table-wrap tr", has_text="Inde")
    assert "Garantie manquante" in india.inner_text()
    dashboard_before = score_of(page)
    dpo.shoot(screenshots, "12-dashboard-transfer-gap")

    # The finding links to the form that fixes it, prefilled: SCCs module 3 with a TIA.
    dpo.go(processor_path)
    gap.get_by_role("link", name="Ajouter une garantie de transfert").click()
    assert page.input_value("#field-country") == "IN"
    assert "IndiaOps" in page.locator("#field-sub_processor_id option:checked").inner_text()
    page.select_option("#field-mechanism", "scc_2021")
    assert page.locator("#field-scc_module").is_visible()
    page.select_option("#field-scc_module", "3")
    page.fill("#field-tia_on", date.today().isoformat())
    page.fill("#field-signed_on", date.today().isoformat())  # unsigned SCCs would be "being negotiated"
    dpo.shoot(screenshots, "13-safeguard-form")
    page.click("button[type=submit].primary")
    assert page.locator("#findings [data-code='TRANSFER_NO_SAFEGUARD']").count() == 0
    assert page.locator("#findings [data-code='TIA_MISSING']").count() == 0
    assert score_of(page) > score_before
    dpo.shoot(screenshots, "14-processor-gap-closed")
    dpo.go(organisation)
    assert page.locator("#priorities [data-code='TRANSFER_NO_SAFEGUARD']").count() == 0
    assert score_of(page) > dashboard_before

    # The DPA draft downloads as a valid Word document.
    dpo.go(processor_path)
    with page.expect_download() as download:
        page.click(f"a[href='{processor_path}/documents/dpa-draft.docx?lang=fr']")
    content = open(download.value.path(), "rb").read()
    assert download.value.suggested_filename.startswith("dpa-draft_lumio") and download.value.suggested_filename.endswith("_fr.docx")
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None and "word/document.xml" in archive.namelist()
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    assert "Lumio" in text
    assert dpo.console_errors == []


def test_procurement_submits_a_candidate_and_reads_its_verdict(session_as, server, screenshots):
    buyer = session_as("procurement")
    page = buyer.page
    organisation = f"/organisations/{server.scenario}"
    buyer.go(organisation)
    page.click(f"a[href='{organisation}/procurement/new']")
    page.fill("#field-tool_name", "Chatterbox")
    page.fill("#field-purpose", "Live chat on the website for customer questions")
    page.check("#field-data_kinds-identity")
    page.check("#field-data_kinds-contact")
    page.check("#field-people-customers")
    page.select_option("#field-marketing", "none")
    page.select_option("#field-vendor_country", label="États-Unis")  # names, not ISO codes
    page.select_option("#field-data_countries-1", label="Inde")
    page.select_option("#field-dpa", "none")
    buyer.shoot(screenshots, "20-procurement-form")
    page.click("button[type=submit].primary")
    verdict = page.locator("#verdict")
    assert verdict.is_visible()
    assert "Refus\u00a0: l'outil ne peut pas être utilisé en l'état" in verdict.inner_text()
    assert "(Inde)" in page.locator("#verdict .plain-conditions.blocking").inner_text()
    assert page.locator("form[action$='/decision']").count() == 0  # procurement does not decide
    buyer.shoot(screenshots, "21-procurement-verdict")
    request_path = page.url.removeprefix(server.base_url)

    dpo = session_as("dpo")
    dpo.go(f"/organisations/{server.scenario}/procurement")
    dpo.page.click(f"a[href='{request_path}']")
    dpo.page.check("#decision-rejected")
    dpo.page.fill("#field-reasons", "Hosting in India without SCCs; ask the vendor for EU hosting.")
    dpo.page.click("form[action$='/decision'] button[type=submit]")
    assert "Refusée" in dpo.page.locator("#decision").inner_text()
    buyer.go(request_path)
    assert "ask the vendor for EU hosting" in page.locator("#decision").inner_text()
    buyer.go(organisation)
    assert "Chatterbox" in page.locator("table.data").inner_text()
    buyer.shoot(screenshots, "22-procurement-home")
    assert buyer.console_errors == [] and dpo.console_errors == []


def test_procurement_go_with_conditions_then_the_dpo_decides_and_the_memo_downloads(
    session_as, server, screenshots, tmp_path
):
    buyer = session_as("procurement", javascript=False)  # the whole path works without JavaScript
    page = buyer.page
    organisation = f"/organisations/{server.scenario}"
    buyer.go(f"{organisation}/procurement/new")
    page.fill("#field-tool_name", "Mailwave")
    page.fill("#field-purpose", "Newsletters and B2B marketing e-mails")
    page.check("#field-data_kinds-identity")
    page.check("#field-people-prospects")
    page.select_option("#field-sensitive", "no")
    page.select_option("#field-marketing", "b2b")  # opt-out left unanswered: a question, not a "no"
    page.select_option("#field-vendor_country", label="France")
    page.select_option("#field-data_countries-1", label="Allemagne")
    page.select_option("#field-data_countries-2", label="États-Unis")
    page.fill("#field-sub_processor_name__1", "Amazon Web Services")
    page.select_option("#field-sub_processor_country__1", label="États-Unis")
    page.select_option("#field-dpa", "offered")
    page.select_option("#field-scc_offered", "yes")
    page.click("button[type=submit].primary")

    verdict = page.locator("#verdict")
    text = verdict.inner_text()
    assert "Feu vert sous conditions" in text
    assert 1 <= page.locator("#verdict [data-condition]").count() <= 5
    assert "Le DPO vérifie le contrat de sous-traitance (DPA) du fournisseur" in text
    assert "L'outil permet-il aux destinataires de se désinscrire, simplement et gratuitement\u00a0?" in text
    details = page.locator("#verdict details")
    assert details.count() == 1 and not details.locator(".findings").is_visible()  # folded away
    assert "Amazon Web Services (États-Unis)" in page.locator(".answers").inner_text()
    buyer.shoot(screenshots, "23-procurement-verdict-conditions")
    page.click("#verdict details summary")
    assert details.locator(".findings").is_visible() and "DPA_CLAUSE_UNASSESSED" in details.inner_text()
    request_path = page.url.removeprefix(server.base_url)

    dpo = session_as("dpo")
    dpo.go(request_path)
    assert dpo.page.is_checked("#decision-approved_with_conditions")  # suggested by the register
    suggested = dpo.page.input_value("#field-conditions")
    assert "Signer avec le fournisseur un contrat de sous-traitance (DPA)" in suggested
    dpo.page.fill("#field-reasons", "Outil utile ; hébergement dans l'UE pour l'essentiel.")
    dpo.page.fill("#field-conditions", suggested + "\nRevoir l'outil dans six mois.")
    dpo.page.click("form[action$='/decision'] button[type=submit]")
    decision = dpo.page.locator("#decision").inner_text()
    assert "Approuvée sous conditions" in decision and "Revoir l'outil dans six mois." in decision

    with dpo.page.expect_download() as download:
        dpo.page.click(f"a[href='{request_path}/memo.docx?lang=fr']")
    import docx

    memo = tmp_path / "memo.docx"
    download.value.save_as(memo)
    assert download.value.suggested_filename.startswith("procurement-memo_mailwave")
    text = "\n".join(p.text for p in docx.Document(str(memo)).paragraphs)
    assert "APPROUVÉ SOUS CONDITIONS" in text and text.count("Revoir l'outil dans six mois.") == 1
    assert "Recommandation du registre" in text
    _memo_first_page(memo, screenshots / "24-procurement-memo-page1.png")
    assert buyer.console_errors == [] and dpo.console_errors == []


def _memo_first_page(memo, png) -> None:
    """The memo's first page as a PNG for review (LibreOffice to PDF, pdftoppm to PNG);
    skipped without the tools, as tests/test_documents_pdf.py is."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        pytest.skip("LibreOffice or pdftoppm missing: no memo screenshot")
    folder = memo.parent
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(folder), str(memo)],
        check=True, capture_output=True, timeout=300,
    )
    pdf = folder / "memo.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(png.with_suffix(""))],
        check=True, capture_output=True, timeout=120,
    )
    assert png.is_file() and png.stat().st_size > 1000


def test_an_auditor_finds_no_edit_controls_and_a_forged_post_is_refused(session_as, server, screenshots):
    auditor = session_as("auditor")
    page = auditor.page
    auditor.go(f"/organisations/{server.demo}/processors")
    page.locator("table.processors tbody th a").first.click()
    processor_path = page.url.removeprefix(server.base_url)
    name = page.locator("h1").inner_text()
    assert page.locator("a[href$='/edit'], a[href$='/new'], a[href$='/delete']").count() == 0
    assert page.locator("form[method=post]:not([action='/logout']):not([action^='/preferences'])").count() == 0
    auditor.shoot(screenshots, "30-auditor-processor")

    token = page.locator("form[action='/logout'] input[name=_csrf_token]").input_value()
    forged = page.request.post(
        server.url(processor_path), form={"legal_name": "Forged", "version": "1", "_csrf_token": token},
        max_redirects=0,
    )
    assert forged.status == 403
    deleted = page.request.post(server.url(f"{processor_path}/delete"), form={"_csrf_token": token}, max_redirects=0)
    assert deleted.status == 403
    without_token = page.request.post(server.url(f"{processor_path}/delete"), form={}, max_redirects=0)
    assert without_token.status == 403
    auditor.go(processor_path)
    assert page.locator("h1").inner_text() == name
    assert auditor.go(f"{processor_path}/edit").status == 403
    auditor.shoot(screenshots, "31-auditor-refused")


def test_core_actions_work_without_javascript(session_as, server):
    dpo = session_as("dpo", javascript=False)
    page = dpo.page
    dpo.go("/")
    page.click("details.switcher > summary")
    page.click(f"form[action='/preferences/organisation'] button[value='{server.demo}']")
    assert page.url.endswith(f"/organisations/{server.demo}")
    page.click(f"a[href='/organisations/{server.demo}/processors']")
    page.select_option("#filter-category", "crm")
    page.click("form.filters button[type=submit]")
    assert page.locator("table.processors tbody tr").count() == 1
    page.locator("table.processors tbody th a").first.click()
    processor_path = page.url.removeprefix(server.base_url)
    page.click(f"a[href='{processor_path}/locations/new']")
    page.select_option("#field-country", "BE")
    page.click("button[type=submit].primary")
    assert "Belgique" in page.locator("#locations").inner_text()
    page.locator("#locations tr", has_text="Belgique").get_by_role("button", name="Supprimer").click()
    assert "Belgique" not in page.locator("#locations").inner_text()
    page.click("form[action='/preferences/language'] button[value=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#findings-heading").inner_text().startswith("Findings and remediation")
    page.click("form[action='/preferences/language'] button[value=fr]")
    assert page.locator("html").get_attribute("lang") == "fr"


MAIN_PAGES = [
    ("01-dashboard", "/organisations/{demo}"),
    ("02-processors", "/organisations/{demo}/processors"),
    ("03-processor", "{processor}"),
    ("04-processor-edit", "{processor}/edit"),
    ("05-checklist", "{processor}/agreement/clauses"),
    ("06-findings", "/organisations/{demo}/findings"),
    ("07-procurement", "/organisations/{demo}/procurement"),
    ("08-documents", "/organisations/{demo}/documents"),
    ("09-audit", "/organisations/{demo}/audit"),
    ("09-members", "/organisations/{demo}/members"),
]


@pytest.mark.parametrize("width,device", [(1366, "laptop"), (390, "phone")])
def test_main_pages_look_right_on_a_laptop_and_a_phone(session_as, server, screenshots, width, device):
    admin = session_as("admin", width=width)
    page = admin.page
    admin.go(f"/organisations/{server.demo}/processors?q=RelationHub")
    processor = page.locator("table.processors tbody th a").first.get_attribute("href")
    for name, template in MAIN_PAGES:
        response = admin.go(template.format(demo=server.demo, processor=processor))
        assert response.status == 200, template
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{template} is {overflow}px wider than the {device} screen"
        admin.shoot(screenshots, f"{name}-{device}")
    admin.go(f"/organisations/{server.demo}")
    page.click("form[action='/preferences/language'] button[value=en]")
    assert page.locator("h2#chart-heading").inner_text() == "Findings by severity"
    admin.shoot(screenshots, f"01-dashboard-english-{device}")
    page.click("form[action='/preferences/language'] button[value=fr]")
    assert admin.console_errors == []


def test_the_organisation_switcher_opens_and_moves_with_javascript(session_as, server):
    dpo = session_as("dpo")
    dpo.go(f"/organisations/{server.scenario}")
    assert not dpo.page.locator("form[action='/preferences/organisation'] button").first.is_visible()
    dpo.page.click("details.switcher > summary")
    dpo.page.click(f"form[action='/preferences/organisation'] button[value='{server.demo}']")
    dpo.page.wait_for_url(f"**/organisations/{server.demo}")
    dpo.page.on("dialog", lambda dialog: dialog.dismiss())  # the deletion is asked, then cancelled
    dpo.page.click(f"a[href='/organisations/{server.demo}/processors']")
    dpo.page.locator("table.processors tbody th a").first.click()
    rows = dpo.page.locator("#locations tbody tr").count()
    if rows:
        dpo.page.locator("#locations tbody tr").first.get_by_role("button", name="Supprimer").click()
        assert dpo.page.locator("#locations tbody tr").count() == rows
