"""A vendor fills the questionnaire in a real browser and the DPO accepts part of it (issue 14).

Without JavaScript on both sides: the DPO makes a link (English), the vendor opens it without an
account, answers, attaches its DPA and sends; the DPO reviews the proposal, accepts some fields and
rejects the others, and the register shows the accepted fields only.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, missing_requirement  # noqa: F401
from tests.access_support import SEEDED_DPA

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(missing_requirement() is not None, reason=missing_requirement() or ""),
]


def first_processor(dpo, organisation_id: int) -> int:
    dpo.go(f"/organisations/{organisation_id}/processors")
    hrefs = dpo.page.eval_on_selector_all("a[href^='/processors/']", "links => links.map(l => l.getAttribute('href'))")
    return next(int(m.group(1)) for h in hrefs if (m := re.fullmatch(r"/processors/(\d+)", h)))


def test_a_vendor_fills_the_questionnaire_and_the_dpo_accepts_part_of_it(
    session_as, server, chromium, screenshots, tmp_path
):
    dpo = session_as("dpo", javascript=False)
    page = dpo.page
    processor_id = first_processor(dpo, server.demo)
    before = dpo.go(f"/processors/{processor_id}")
    assert before.status == 200

    # The DPO makes a link in English; it is shown once, with the e-mail to copy.
    dpo.go(f"/processors/{processor_id}/questionnaires")
    page.select_option("#language", "en")
    page.click("form[action$='/questionnaires'] button[type=submit]")
    url = page.input_value("#questionnaire-url")
    assert "/q/vq_" in url and url.endswith("?lang=en")
    assert url in page.input_value("#email-body")
    dpo.shoot(screenshots, "90-questionnaire-link")

    # The vendor: no account, no JavaScript.
    context = chromium.new_context(java_script_enabled=False, locale="en-GB")
    try:
        vendor = context.new_page()
        answer = vendor.goto(url)
        assert answer is not None and answer.status == 200
        vendor.fill("#legal_name", "Nuage Hébergement SAS")
        vendor.fill("#address", "12 rue des Serveurs\n69002 Lyon")
        vendor.fill("#privacy_contact", "Claire Dubois, DPO")
        vendor.fill("#contact_email", "dpo@nuage.example")
        vendor.select_option("#countries", ["FR", "DE"])
        vendor.locator("input[name=sub_name]").nth(0).fill("Mailjet SAS")
        vendor.locator("input[name=sub_countries]").nth(0).fill("FR")
        vendor.locator("input[name=sub_purpose]").nth(0).fill("Transactional e-mails")
        vendor.check("#tool-scc_module_3")
        vendor.check("#iso_27001")
        vendor.fill("#iso_27001_until", "2027-05-31")
        vendor.check("#measure-encryption_at_rest")
        vendor.fill("#breach_notice_hours", "24")
        dpa = tmp_path / "nuage-dpa.txt"
        dpa.write_bytes(SEEDED_DPA)
        vendor.set_input_files("#file", str(dpa))
        vendor.screenshot(path=str(screenshots / "91-questionnaire-vendor.png"), full_page=True)
        vendor.click("button[name=action][value=submit]")
        assert vendor.url.endswith("/questionnaire-sent?lang=en"), vendor.url
        assert vendor.locator("#questionnaire-sent").is_visible()
        again = vendor.goto(url)
        assert again is not None and again.status == 404  # the link is used up
    finally:
        context.close()

    # The register has not changed yet.
    dpo.go(f"/processors/{processor_id}")
    assert "Nuage Hébergement SAS" not in page.inner_text("main")

    # The DPO reviews: accepts the name, the contact and the breach deadline; rejects the rest.
    dpo.go(f"/processors/{processor_id}/questionnaires")
    page.click("a[href^='/questionnaires/'].button")
    assert page.locator("#field-legal_name").is_visible()
    assert "Nuage Hébergement SAS" in page.inner_text("#field-legal_name")
    accepted = ("legal_name", "privacy_contact", "breach_notice_hours")
    for field in ("legal_name", "address", "privacy_contact", "contact_email", "countries", "sub_processors",
                  "certifications", "security_measures", "breach_notice_hours"):
        decision = "accept" if field in accepted else "reject"
        radio = page.locator(f"input[name=decision__{field}][value={decision}]")
        if radio.count():
            radio.check()
    dpo.shoot(screenshots, "92-questionnaire-review")
    page.click("form[action$='/decision'] button[type=submit]")
    assert re.search(r"/questionnaires/\d+$", page.url), page.url
    assert page.locator("input[name^=decision__]").count() == 0  # decided: no form any more

    register = dpo.go(f"/processors/{processor_id}")
    assert register.status == 200
    shown = page.inner_text("main")
    assert "Nuage Hébergement SAS" in shown and "Claire Dubois, DPO" in shown  # accepted
    assert "12 rue des Serveurs" not in shown and "Mailjet SAS" not in shown  # rejected
    assert "dpo@nuage.example" not in shown
    assert not dpo.console_errors, dpo.console_errors
