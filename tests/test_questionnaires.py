"""Vendor questionnaires (issue 14): the link's lifecycle, the public page's hardening, the answers
as a proposal that changes nothing until the DPO decides field by field, and the audit trail."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from litestar.testing import TestClient

from register.intake.questionnaire import parse_edit, proposed_values, read_answers
from register.reference import load_reference
from register.tables import AgreementFile, AuditEvent, DpaReading, VendorQuestionnaire
from tests.access_support import SEEDED_DPA, seeded_register
from tests.conftest import BASE_URL
from tests.test_pages_support import csrf_of, post_form, seeded, signed_in  # noqa: F401  (fixtures)


@pytest.fixture
def team(run, make_user, grant, api_client_for):
    ids = run(seeded_register())
    clients = {}
    for role in ("dpo", "auditor", "procurement"):
        user = make_user(f"{role}@example.test")
        grant(user, ids.organisation_id, role)
        clients[role] = api_client_for(user)
    return ids, clients


@pytest.fixture
def vendor(app):
    """A browser without an account (the vendor). Not entered as a context: its requests need no
    lifespan, and a portal opened here would have to close after the signed-in browsers' ones."""
    return TestClient(app=app, base_url=BASE_URL)


def new_link(dpo, processor_id: int, language: str = "fr") -> dict:
    answer = dpo.post(f"/api/v1/processors/{processor_id}/questionnaires", json={"language": language, "recipient": "dpo@vendor.example"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def path_of(created: dict) -> str:
    return "/q/" + created["token"]


ANSWERS = {
    "legal_name": "Nuage Hébergement SAS",
    "address": "12 rue des Serveurs\n69002 Lyon",
    "privacy_contact": "Claire Dubois, DPO",
    "contact_email": "dpo@nuage.example",
    "security_contact": "soc@nuage.example",
    "countries": ["FR", "DE"],
    "sub_name": ["Mailjet SAS", "Support Ltd", ""],
    "sub_countries": ["FR", "IN", ""],
    "sub_purpose": ["E-mails", "Support", ""],
    "transfer_tools": ["scc_module_3"],
    "iso_27001": "1",
    "iso_27001_until": "2027-05-31",
    "security_checklist": ["encryption_at_rest", "multi_factor"],
    "security_text": "Annual audit.",
    "breach_notice_hours": "24",
}


def send(vendor, created: dict, action: str, answers: dict | None = None, file=None, lang: str = "fr"):
    path = path_of(created)
    page = vendor.get(f"{path}?lang={lang}")
    assert page.status_code == 200, page.text[:300]
    data = {**(ANSWERS if answers is None else answers), "action": action, "_csrf_token": csrf_of(page.text)}
    files = {"file": file} if file else {"file": ("", b"", "application/octet-stream")}
    return vendor.post(f"{path}?lang={lang}", data=data, files=files, follow_redirects=False)


# ------------------------------------------------------------------ the pure part


def test_answers_are_read_checked_and_turned_into_a_proposal():
    values = {**ANSWERS, "countries": ["FR", "ZZ"], "contact_email": "not-an-address", "legal_name": "x" * 300}
    answers, errors = read_answers(lambda name: [values[name]] if isinstance(values.get(name), str) else values.get(name, []),
                                   load_reference().countries, "fr", submitting=True)
    assert set(errors) == {"countries", "contact_email", "legal_name"}
    assert errors["contact_email"].startswith("Adresse e-mail du contact vie privée\u00a0: ")
    assert "ZZ" in errors["countries"]
    assert answers["countries"] == ["FR"] and answers["security_text"] == "Annual audit."  # kept as typed
    proposed = proposed_values(answers, "en")
    assert proposed["certifications"] == ["ISO/IEC 27001 (2027-05-31)"]
    assert proposed["sub_processors"][1] == {"name": "Support Ltd", "countries": ["IN"], "purpose": "Support"}
    assert proposed["security_measures"].startswith("- Encryption of personal data at rest\n")
    assert proposed["breach_notice_hours"] == 24
    assert "transfer_tools" not in proposed and "security_contact" not in proposed  # information only
    assert parse_edit("sub_processors", "A | FR, DE | Hosting\nB", load_reference().countries) == [
        {"name": "A", "countries": ["FR", "DE"], "purpose": "Hosting"}, {"name": "B", "countries": [], "purpose": ""}]
    with pytest.raises(ValueError):
        parse_edit("countries", "FR, XX", load_reference().countries)


# ------------------------------------------------------------------ the link


def test_a_link_is_shown_once_stored_as_a_digest_and_listed_without_its_token(team, run):
    ids, clients = team
    created = new_link(clients["dpo"], ids.processor_id, "en")
    assert created["token"].startswith("vq_") and created["url"].endswith(f"/q/{created['token']}?lang=en")
    assert created["token"] in created["email"]["body"] and "questionnaire" in created["email"]["subject"]
    row = run(VendorQuestionnaire.select().where(VendorQuestionnaire.id == created["questionnaire"]["id"]).first())
    assert created["token"] not in str(row) and len(row["token_digest"]) == 64
    listed = clients["auditor"].get(f"/api/v1/processors/{ids.processor_id}/questionnaires")
    assert listed.status_code == 200 and created["token"] not in listed.text
    assert listed.json()[0]["id"] == created["questionnaire"]["id"]  # newest first (the seeded one after)
    # procurement and auditors cannot send questionnaires
    assert clients["procurement"].post(f"/api/v1/processors/{ids.processor_id}/questionnaires", json={}).status_code == 403
    assert clients["auditor"].post(f"/api/v1/processors/{ids.processor_id}/questionnaires", json={}).status_code == 403


def test_french_invitation_email_is_send_ready(team):
    ids, clients = team
    email = new_link(clients["dpo"], ids.processor_id, "fr")["email"]
    assert "\u00a0: questionnaire sur les traitements de données personnelles de " in email["subject"]
    assert email["body"].startswith("Bonjour,") and "(aucun compte n'est nécessaire)\u00a0:" in email["body"]
    assert "{" not in email["body"] and "%(" not in email["body"]  # no placeholder left
    assert not re.search(r"\d{4}-\d{2}-\d{2}", email["body"])  # dates in French prose


def test_wrong_expired_revoked_and_used_tokens_are_the_same_404(team, vendor, run):
    ids, clients = team
    dpo = clients["dpo"]
    expired, revoked, used = (new_link(dpo, ids.processor_id) for _ in range(3))
    run(VendorQuestionnaire.update({VendorQuestionnaire.expires_at: datetime.now(timezone.utc) - timedelta(seconds=1)})
        .where(VendorQuestionnaire.id == expired["questionnaire"]["id"]))
    assert dpo.post(f"/api/v1/questionnaires/{revoked['questionnaire']['id']}/revoke").json()["revoked_at"]
    assert send(vendor, used, "submit").status_code == 303
    bodies = set()
    for path in ("/q/vq_" + "A" * 43, path_of(expired), path_of(revoked), path_of(used), "/q/nonsense"):
        answer = vendor.get(path + "?lang=fr")
        assert answer.status_code == 404, path
        bodies.add(answer.text)
        assert vendor.post(path + "?lang=fr", data={"legal_name": "x"}).status_code in (403, 404)
    assert len(bodies) == 1  # nothing tells the cases apart


def test_the_link_is_rate_limited_per_token_and_per_address(team, vendor, monkeypatch):
    ids, clients = team
    created = new_link(clients["dpo"], ids.processor_id)
    monkeypatch.setenv("QUESTIONNAIRE_RATE_LIMIT_PER_TOKEN", "3")
    statuses = [vendor.get(path_of(created) + "?lang=fr").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = vendor.get(path_of(created) + "?lang=fr")
    assert int(limited.headers["retry-after"]) >= 1
    monkeypatch.setenv("QUESTIONNAIRE_RATE_LIMIT_PER_TOKEN", "0")
    monkeypatch.setenv("QUESTIONNAIRE_RATE_LIMIT_PER_ADDRESS", "2")
    guesses = [vendor.get(f"/q/vq_guess{n}").status_code for n in range(3)]
    assert guesses[-1] == 429  # guessing tokens from one address is limited too


def test_a_post_without_the_csrf_token_is_refused(team, vendor, run):
    ids, clients = team
    created = new_link(clients["dpo"], ids.processor_id)
    vendor.get(path_of(created) + "?lang=fr")
    answer = vendor.post(path_of(created) + "?lang=fr", data={**ANSWERS, "action": "submit"})
    assert answer.status_code == 403
    row = run(VendorQuestionnaire.select().where(VendorQuestionnaire.id == created["questionnaire"]["id"]).first())
    assert row["status"] == "open" and row["saved_at"] is None


def test_errors_name_the_field_and_keep_what_was_typed(team, vendor):
    ids, clients = team
    created = new_link(clients["dpo"], ids.processor_id, "en")
    answer = send(vendor, created, "submit", {**ANSWERS, "contact_email": "", "address": "a" * 1001}, lang="en")
    assert answer.status_code == 400
    assert "Privacy contact&#39;s e-mail address: required before sending" in answer.text
    assert "Postal address: at most 1000 characters" in answer.text
    assert "Nuage Hébergement SAS" in answer.text and 'value="Mailjet SAS"' in answer.text
    assert vendor.get(path_of(created) + "?lang=en").status_code == 200  # nothing used up


def test_a_body_over_the_cap_is_refused_before_it_is_read(team, vendor, monkeypatch):
    ids, clients = team
    created = new_link(clients["dpo"], ids.processor_id)
    monkeypatch.setenv("FILES_MAX_BYTES", "1000")
    page = vendor.get(path_of(created) + "?lang=fr")
    big = vendor.post(path_of(created) + "?lang=fr", data={"_csrf_token": csrf_of(page.text), "action": "save"},
                      files={"file": ("dpa.txt", b"a" * 200_000, "text/plain")})
    assert big.status_code == 413


def test_a_bad_file_is_refused_with_its_reason(team, vendor, run):
    ids, clients = team
    created = new_link(clients["dpo"], ids.processor_id, "en")
    answer = send(vendor, created, "save", file=("dpa.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf"), lang="en")
    assert answer.status_code == 415
    assert "Your data processing agreement (DPA)" in answer.text or "file" in answer.text.lower()
    assert run(AgreementFile.count().where(AgreementFile.processor == ids.processor_id)) == 1  # the seeded one only


def test_save_come_back_then_submit_changes_nothing_in_the_register(team, vendor, run):
    ids, clients = team
    dpo = clients["dpo"]
    before = dpo.get(f"/api/v1/processors/{ids.processor_id}").json()
    created = new_link(dpo, ids.processor_id)
    saved = send(vendor, created, "save", file=("dpa-nuage.txt", SEEDED_DPA, "text/plain"))
    assert saved.status_code == 303 and saved.headers["location"].endswith("saved=1")
    again = vendor.get(path_of(created) + "?lang=fr&saved=1")
    assert "Nuage Hébergement SAS" in again.text and "dpa-nuage.txt" in again.text
    files_before = run(AgreementFile.count().where(AgreementFile.processor == ids.processor_id))
    submitted = send(vendor, created, "submit", file=None)
    assert submitted.status_code == 303 and submitted.headers["location"] == "/questionnaire-sent?lang=fr"
    thanks = vendor.get(submitted.headers["location"])
    assert thanks.status_code == 200 and 'id="questionnaire-sent"' in thanks.text and "Merci" in thanks.text
    after = dpo.get(f"/api/v1/processors/{ids.processor_id}").json()
    for key in ("legal_name", "address", "locations", "sub_processors", "certifications", "security_measures", "agreement"):
        assert after[key] == before[key], key  # a proposal: nothing reached the register
    # the DPA kept with the draft became an agreement file with a reading to review
    assert run(AgreementFile.count().where(AgreementFile.processor == ids.processor_id)) == files_before + 1
    proposal = dpo.get(f"/api/v1/questionnaires/{created['questionnaire']['id']}").json()
    q = proposal["questionnaire"]
    assert q["status"] == "submitted" and q["agreement_file_id"] and q["reading_id"]
    reading = run(DpaReading.select().where(DpaReading.id == q["reading_id"]).first())
    assert reading["status"] == "proposed" and reading["processor"] == ids.processor_id
    changes = {c["name"]: c for c in proposal["changes"]}
    assert changes["legal_name"]["current"] == before["legal_name"]
    assert changes["legal_name"]["proposed"] == "Nuage Hébergement SAS" and changes["legal_name"]["changed"]
    assert proposal["information"] == {"security_contact": "soc@nuage.example", "transfer_tools": ["scc_module_3"]}
    events = run(AuditEvent.select().where((AuditEvent.entity == "questionnaire") & (AuditEvent.entity_id == q["id"])))
    assert [e["action"] for e in events] == ["create", "update"]  # made, then the proposal received
    assert vendor.get(path_of(created) + "?lang=fr").status_code == 404  # used up


def test_partial_acceptance_applies_only_the_accepted_and_edited_fields(team, vendor, run):
    ids, clients = team
    dpo = clients["dpo"]
    before = dpo.get(f"/api/v1/processors/{ids.processor_id}").json()
    created = new_link(dpo, ids.processor_id)
    assert send(vendor, created, "submit").status_code == 303
    qid = created["questionnaire"]["id"]
    version = dpo.get(f"/api/v1/questionnaires/{qid}").json()["questionnaire"]["version"]
    refused = dpo.post(f"/api/v1/questionnaires/{qid}/decision", json={"version": version, "decisions": {
        "countries": {"decision": "edit", "value": "FR, QQ"}}})
    assert refused.status_code == 400 and "decisions.countries.value" in refused.text
    assert clients["auditor"].post(f"/api/v1/questionnaires/{qid}/decision", json={"version": version, "decisions": {}}).status_code == 403
    decided = dpo.post(f"/api/v1/questionnaires/{qid}/decision", json={"version": version, "decisions": {
        "legal_name": {"decision": "accept"},
        "countries": {"decision": "accept"},
        "sub_processors": {"decision": "edit", "value": "Mailjet SAS | FR | E-mails"},
        "breach_notice_hours": {"decision": "edit", "value": "48"},
        "address": {"decision": "reject"},
    }})
    assert decided.status_code == 200, decided.text
    assert decided.json()["questionnaire"]["status"] == "decided"
    after = dpo.get(f"/api/v1/processors/{ids.processor_id}").json()
    assert after["legal_name"] == "Nuage Hébergement SAS"
    assert sorted(loc["country"] for loc in after["locations"]) == ["DE", "FR"]
    assert [(s["name"], s["countries"]) for s in after["sub_processors"]] == [("Mailjet SAS", ["FR"])]
    assert after["agreement"]["breach_notice_hours"] == 48
    for key in ("address", "certifications", "security_measures", "privacy_contact", "contact_email"):
        assert after[key] == before[key], key  # rejected, or not named: unchanged
    decisions = decided.json()["questionnaire"]["decisions"]
    assert decisions["address"]["decision"] == "reject" and decisions["certifications"]["decision"] == "reject"
    assert decisions["sub_processors"]["recorded"] == [{"name": "Mailjet SAS", "countries": ["FR"], "purpose": "E-mails"}]
    # deciding again (stale version, or already decided): 409, nothing changes
    again = dpo.post(f"/api/v1/questionnaires/{qid}/decision", json={"version": version, "decisions": {"address": {"decision": "accept"}}})
    assert again.status_code == 409
    assert dpo.get(f"/api/v1/processors/{ids.processor_id}").json()["address"] == before["address"]
    trail = run(AuditEvent.select(AuditEvent.entity, AuditEvent.actor).where(
        (AuditEvent.organisation_id == ids.organisation_id) & (AuditEvent.actor == "dpo@example.test")))
    entities = {e["entity"] for e in trail}
    assert {"questionnaire", "processor", "location", "sub_processor", "agreement"} <= entities


def test_the_dpo_reviews_and_decides_on_the_pages(signed_in, vendor, run):
    dpo = signed_in("dpo")
    page = f"/processors/{dpo.ids.processor_id}/questionnaires"
    created = post_form(dpo.browser, page, page, {"language": "en", "recipient": ""})
    assert created.status_code == 200 and 'id="questionnaire-url"' in created.text
    url = re.search(r'id="questionnaire-url" readonly value="([^"]+)"', created.text).group(1)
    token = url.split("/q/")[1].split("?")[0]
    assert token not in dpo.browser.get(page).text  # shown once
    assert send(vendor, {"token": token}, "submit", lang="en").status_code == 303
    qid = run(VendorQuestionnaire.select(VendorQuestionnaire.id).where(VendorQuestionnaire.processor == dpo.ids.processor_id).order_by(VendorQuestionnaire.id, ascending=False).first())["id"]
    review = dpo.browser.get(f"/questionnaires/{qid}")
    assert review.status_code == 200 and "Nuage Hébergement SAS" in review.text and 'id="field-legal_name"' in review.text
    version = re.search(r'name="version" value="(\d+)"', review.text).group(1)
    bad = post_form(dpo.browser, f"/questionnaires/{qid}", f"/questionnaires/{qid}/decision",
                    {"version": version, "decision__countries": "edit", "edit__countries": "FR, QQ"})
    assert bad.status_code == 400 and "QQ" in bad.text and 'value="edit" checked' in bad.text
    form = {"version": version, "decision__legal_name": "accept", "decision__address": "reject",
            "decision__security_measures": "edit", "edit__security_measures": "Chiffrement au repos."}
    decided = post_form(dpo.browser, f"/questionnaires/{qid}", f"/questionnaires/{qid}/decision", form, follow_redirects=False)
    assert decided.status_code == 303
    stale = post_form(dpo.browser, f"/questionnaires/{qid}", f"/questionnaires/{qid}/decision", form)
    assert stale.status_code in (400, 409)  # the page no longer offers the form; the stale version is refused
    processor = dpo.browser.get(f"/processors/{dpo.ids.processor_id}").text
    assert "Nuage Hébergement SAS" in processor and "Chiffrement au repos." in processor


def test_revoking_stops_the_link_at_once_and_is_audited(signed_in, vendor, run):
    dpo = signed_in("dpo")
    page = f"/processors/{dpo.ids.processor_id}/questionnaires"
    created = post_form(dpo.browser, page, page, {"language": "fr"})
    url = re.search(r'id="questionnaire-url" readonly value="([^"]+)"', created.text).group(1)
    path = "/q/" + url.split("/q/")[1]
    assert vendor.get(path).status_code == 200
    qid = run(VendorQuestionnaire.select(VendorQuestionnaire.id).where(VendorQuestionnaire.processor == dpo.ids.processor_id).order_by(VendorQuestionnaire.id, ascending=False).first())["id"]
    assert post_form(dpo.browser, page, f"/questionnaires/{qid}/revoke", {}, follow_redirects=False).status_code == 303
    assert vendor.get(path).status_code == 404
    assert "Révoqué" in dpo.browser.get(page).text
    assert run(AuditEvent.count().where((AuditEvent.entity == "questionnaire") & (AuditEvent.entity_id == qid))) == 2


def test_the_vendor_switches_language_and_sees_nothing_else_of_the_register(team, vendor, run):
    ids, clients = team
    created = new_link(clients["dpo"], ids.processor_id, "fr")
    first = vendor.get(path_of(created), follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].endswith("?lang=fr")
    french = vendor.get(path_of(created) + "?lang=fr").text
    english = vendor.get(path_of(created) + "?lang=en").text
    assert "Envoyer mes réponses" in french and "Send my answers" in english
    others = [name for name in ids.names if name not in french and len(name) > 3]
    assert len(others) >= len(ids.names) - 1  # only the processor asked about is named
