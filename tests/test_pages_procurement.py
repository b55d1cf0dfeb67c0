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
    "data_kinds": ["identity", "contact"], "people": ["customers"], "sensitive": "no", "bought_data": "no",
    "marketing": "none", "vendor_country": "US", "data_countries": ["IN", "", "", ""],
    "dpa": "none", "scc_offered": "", "dpf_certified": "",
}


def submit(signed, answers: dict):
    new = f"{signed.organisation}/procurement/new"
    return post_form(signed.browser, new, f"{signed.organisation}/procurement", answers, follow_redirects=False)


def verdict_section(page: str) -> str:
    return page[page.index('id="verdict"'):page.index('aria-labelledby="answers-heading"')]


def test_procurement_submits_a_tool_and_reads_its_verdict_at_once(signed_in, run):
    buyer = signed_in("procurement")
    response = submit(buyer, RISKY_TOOL)
    assert response.status_code == 303
    request_page = html.unescape(buyer.browser.get(response.headers["location"]).text)
    verdict = verdict_section(request_page)
    assert "verdict-reject" in verdict
    assert "Refus\u00a0: l'outil ne peut pas être utilisé en l'état (1 point bloquant)." in verdict
    assert "Des données partiraient hors de l'Espace économique européen sans garantie valable (Inde)" in verdict
    # the findings fold away, without JavaScript
    details = verdict[verdict.index("<details"):]
    assert "TRANSFER_NO_SAFEGUARD" in details and "TRANSFER_NO_SAFEGUARD" not in verdict[: verdict.index("<details")]
    request_id = int(response.headers["location"].rsplit("/", 1)[1])
    stored = run(load_procurement_request(buyer.ids.organisation_id, request_id))
    assert stored.submitted_by == buyer.email and stored.purpose == RISKY_TOOL["purpose"]
    assert [loc.country for loc in stored.candidate.locations] == ["IN"]
    queue = buyer.browser.get(f"{buyer.organisation}/procurement").text
    assert "Chatly" in queue and "En attente" in queue


def test_the_verdict_groups_conditions_asks_questions_and_shows_the_answers_back(signed_in):
    buyer = signed_in("procurement")
    answers = {
        **RISKY_TOOL, "data_countries": ["US", "DE"], "scc_offered": "yes", "dpa": "offered",
        "marketing": "b2b", "recipients_can_opt_out": "", "bought_data": "",
        "sub_processor_name__1": "Amazon Web Services", "sub_processor_country__1": "US",
        "sub_processor_name__2": "Brevo", "sub_processor_country__2": "FR",
    }
    location = submit(buyer, answers).headers["location"]
    page = html.unescape(buyer.browser.get(location).text)
    verdict = verdict_section(page)
    assert "verdict-approve_with_conditions" in verdict
    assert verdict.count('data-condition="') <= 5
    assert 'data-condition="check_dpa"' in verdict
    assert "Le DPO vérifie le contrat de sous-traitance (DPA) du fournisseur\u00a0: " in verdict
    assert "(États-Unis)" in verdict
    questions = verdict[verdict.index('class="plain-questions"'):]
    assert "L'outil permet-il aux destinataires de se désinscrire, simplement et gratuitement\u00a0?" in questions
    assert "Les données viennent-elles d'ailleurs que des personnes elles-mêmes" in questions
    shown = page[page.index('aria-labelledby="answers-heading"'):]
    assert "États-Unis, Allemagne" in shown
    assert "Amazon Web Services (États-Unis), Brevo (France)" in shown
    assert "Oui, à des professionnels (B2B)" in shown


def test_the_request_form_names_countries_in_the_ui_language(signed_in):
    buyer = signed_in("procurement")
    page = buyer.browser.get(f"{buyer.organisation}/procurement/new").text
    assert '<option value="US">États-Unis</option>' in page and "(US)" not in page
    assert page.count('name="data_countries"') == 4 and 'name="sub_processor_country__4"' in page
    post_form(buyer.browser, f"{buyer.organisation}/procurement/new", "/preferences/language",
              {"language": "en", "next": "/"})
    english = buyer.browser.get(f"{buyer.organisation}/procurement/new").text
    assert '<option value="DE">Germany</option>' in english and "Allemagne" not in english
    names = re.findall(r'<option value="[A-Z]{2}">([^<]+)</option>', english)
    assert names[:4] == ["Afghanistan", "Åland Islands", "Albania", "Algeria"]  # by name, accents aside


def test_the_verdict_page_in_english_has_no_french(signed_in):
    buyer = signed_in("procurement")
    post_form(buyer.browser, f"{buyer.organisation}/procurement/new", "/preferences/language",
              {"language": "en", "next": "/"})
    location = submit(buyer, {**RISKY_TOOL, "data_countries": ["IN"], "marketing": "b2b"}).headers["location"]
    page = html.unescape(buyer.browser.get(location).text)
    verdict = verdict_section(page)
    assert "No-go: the tool cannot be used as it stands (1 blocking point)." in verdict
    assert "(India)" in verdict
    assert "Does the tool let recipients opt out, simply and free of charge?" in verdict
    for french in ("Feu vert", "Refus", "Le DPO", "données", "Inde", "États-Unis", "Questions à éclaircir"):
        assert french not in page


def test_the_request_form_names_each_field_in_error_and_keeps_what_was_typed(signed_in):
    buyer = signed_in("procurement")
    response = submit(buyer, {
        **RISKY_TOOL, "tool_name": "", "data_countries": ["US", "XX", "", ""],
        "sub_processor_name__1": "", "sub_processor_country__1": "IN",
        "sub_processor_name__2": "Brevo", "sub_processor_country__2": "FR",
    })
    assert response.status_code == 400
    page = html.unescape(response.text)
    summary = page[page.index('id="form-errors"'):page.index("</div>", page.index('id="form-errors"'))]
    assert 'href="#field-tool_name">Nom de l\'outil</a>' in summary
    assert 'href="#field-data_countries">Dans quels pays' in summary
    assert 'href="#field-sub_processors__1">Les prestataires du fournisseur (1)</a>\u00a0: Nommez ce prestataire.' in summary
    assert 'id="error-tool_name"' in page and 'id="error-data_countries"' in page
    assert 'id="error-sub_processors__1"' in page and 'id="error-sub_processors__2"' not in page
    # what was typed is kept
    assert 'value="identity" checked' in page and '<option value="US" selected>' in page
    assert '<option value="XX" selected>XX</option>' in page
    assert 'name="sub_processor_name__2" value="Brevo"' in page
    assert '<option value="IN" selected>Inde</option>' in page
    assert "Chatly" not in buyer.browser.get(f"{buyer.organisation}/procurement").text  # nothing saved


def test_a_dpo_decides_with_reasons_and_conditions_and_an_approval_adds_the_tool(signed_in, run):
    buyer = signed_in("procurement")
    answers = {**RISKY_TOOL, "data_countries": ["DE"], "vendor_country": "FR", "dpa": "offered"}
    location = submit(buyer, answers).headers["location"]
    dpo = signed_in("dpo")
    page = html.unescape(dpo.browser.get(location).text)
    assert 'name="decision" value="approved_with_conditions" checked' in page  # suggested by the verdict
    suggested = page[page.index('id="field-conditions"'):page.index("</textarea>", page.index('id="field-conditions"'))]
    assert "Signer avec le fournisseur un contrat de sous-traitance (DPA) avant la mise en service." in suggested
    no_reasons = post_form(dpo.browser, location, f"{location}/decision",
                           {"decision": "approved", "reasons": "  ", "conditions": "", "version": "1"})
    assert no_reasons.status_code == 400 and 'id="error-reasons"' in no_reasons.text
    no_conditions = post_form(dpo.browser, location, f"{location}/decision",
                              {"decision": "approved_with_conditions", "reasons": "OK", "conditions": " ", "version": "1"})
    assert no_conditions.status_code == 400 and 'id="error-conditions"' in no_conditions.text
    assert 'value="OK"' in no_conditions.text or ">OK</textarea>" in no_conditions.text  # typed reasons kept
    decided = post_form(dpo.browser, location, f"{location}/decision",
                        {"decision": "approved_with_conditions", "reasons": "Useful tool, EU hosting.",
                         "conditions": "Sign the DPA first.\n\nThe DPO checks the clauses.", "version": "1"},
                        follow_redirects=False)
    assert decided.status_code == 303
    request_id = int(location.rsplit("/", 1)[1])
    stored = run(load_procurement_request(dpo.ids.organisation_id, request_id))
    assert stored.status.value == "approved_with_conditions" and stored.decided_by == dpo.email
    assert stored.decision_conditions == ("Sign the DPA first.", "The DPO checks the clauses.")
    assert stored.decided_role == "dpo"
    processor = run(reads.load_processor(stored.processor_id))
    assert processor.display_name == "Chatly" and processor.status.value == "approved"
    shown = html.unescape(dpo.browser.get(location).text)
    assert "Useful tool, EU hosting." in shown and "<li>The DPO checks the clauses.</li>" in shown
    assert f'href="/processors/{stored.processor_id}"' in shown
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
