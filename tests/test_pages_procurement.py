"""Procurement pages: a request a non-lawyer can fill, the verdict at once, the DPO's decision, the memo."""

from __future__ import annotations

import html
import io
import re
import zipfile

from register.store import reads
from register.store.procurement import load_procurement_request
from tests.test_pages_support import post_form, seeded, signed_in  # noqa: F401  (fixtures)

RISKY_TOOL = {
    "tool_name": "Chatly", "purpose": "A chat widget for customer support", "category": "customer_support",
    "data_kinds": ["identity", "contact"], "people": ["customers"], "sensitive": "no",
    "vendor_country": "US", "hosting_country": "IN", "dpa": "none", "scc_offered": "", "dpf_certified": "",
}


def submit(signed, answers: dict):
    new = f"{signed.organisation}/procurement/new"
    return post_form(signed.browser, new, f"{signed.organisation}/procurement", answers, follow_redirects=False)


def test_procurement_submits_a_tool_and_reads_its_verdict_at_once(signed_in, run):
    buyer = signed_in("procurement")
    response = submit(buyer, RISKY_TOOL)
    assert response.status_code == 303
    request_page = buyer.browser.get(response.headers["location"]).text
    assert "verdict-reject" in request_page and "Défavorable" in request_page
    assert "TRANSFER_NO_SAFEGUARD" in request_page
    request_id = int(response.headers["location"].rsplit("/", 1)[1])
    stored = run(load_procurement_request(buyer.ids.organisation_id, request_id))
    assert stored.submitted_by == buyer.email and stored.purpose == RISKY_TOOL["purpose"]
    assert stored.candidate.locations[0].country == "IN"
    queue = buyer.browser.get(f"{buyer.organisation}/procurement").text
    assert "Chatly" in queue and "En attente" in queue


def test_the_request_form_keeps_answers_on_errors(signed_in):
    buyer = signed_in("procurement")
    response = submit(buyer, {**RISKY_TOOL, "tool_name": "", "sub_processor_countries": "US, XX"})
    assert response.status_code == 400
    page = response.text
    assert 'id="error-tool_name"' in page and 'id="error-sub_processor_countries"' in page
    assert 'value="identity" checked' in page
    picker = page[page.index('id="field-sub_processor_countries"'):]
    assert picker.index('<option value="US" selected>') < picker.index("</select>")
    assert '<option value="IN" selected>' in page


def test_a_dpo_decides_with_reasons_and_an_approval_adds_the_tool(signed_in, run):
    buyer = signed_in("procurement")
    location = submit(buyer, {**RISKY_TOOL, "hosting_country": "DE", "vendor_country": "FR", "dpa": "offered"}).headers["location"]
    dpo = signed_in("dpo")
    page = dpo.browser.get(location).text
    assert 'name="decision" value="approved_with_conditions" checked' in page  # suggested by the verdict
    no_reasons = post_form(dpo.browser, location, f"{location}/decision",
                           {"decision": "approved", "reasons": "  ", "version": "1"})
    assert no_reasons.status_code == 400 and 'id="error-reasons"' in no_reasons.text
    decided = post_form(dpo.browser, location, f"{location}/decision",
                        {"decision": "approved_with_conditions", "reasons": "Sign the DPA first.", "version": "1"},
                        follow_redirects=False)
    assert decided.status_code == 303
    request_id = int(location.rsplit("/", 1)[1])
    stored = run(load_procurement_request(dpo.ids.organisation_id, request_id))
    assert stored.status.value == "approved_with_conditions" and stored.decided_by == dpo.email
    processor = run(reads.load_processor(stored.processor_id))
    assert processor.display_name == "Chatly" and processor.status.value == "approved"
    shown = html.unescape(dpo.browser.get(location).text)
    assert "Sign the DPA first." in shown and f'href="/processors/{stored.processor_id}"' in shown
    twice = post_form(dpo.browser, location, f"{location}/decision",
                      {"decision": "rejected", "reasons": "no", "version": "2"})
    assert twice.status_code in (400, 409)


def test_the_memo_downloads_as_a_word_document(signed_in):
    auditor = signed_in("auditor")
    response = auditor.browser.get(f"/procurement/{auditor.ids.request_id}/memo.docx?lang=en")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument")
    assert re.match(r'attachment; filename="procurement-memo_[a-z0-9-]+_\d{4}-\d{2}-\d{2}_en\.docx"',
                    response.headers["content-disposition"])
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
