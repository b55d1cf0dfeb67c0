"""Procurement requests: submitted with a verdict, queued, decided with reasons."""

from __future__ import annotations

import pytest

from tests.access_support import seeded_register
from tests.api_support import error_keys

RISKY_CANDIDATE = {
    "legal_name": "Offshore Leads Ltd",
    "headquarters_country": "IN",
    "prospection_use": "b2c",
    "prior_consent_collected": False,
    "locations": [{"country": "IN"}],
}
CLEAN_CANDIDATE = {
    "legal_name": "Clean Host SAS",
    "trade_name": "CleanHost",
    "headquarters_country": "FR",
    "prospection_use": "none",
    "indirect_collection": False,
    "special_category_data": False,
    "retention_months": 12,
    "security_measures": "ISO 27001",
    "locations": [{"country": "FR"}, {"country": "DE", "activity": "support_access"}],
    "sub_processors": [{"key": 1, "name": "Backup GmbH", "countries": ["DE"], "flowdown": "yes"}],
}


@pytest.fixture
def team(run, make_user, grant, api_client_for):
    ids = run(seeded_register())
    clients = {}
    for role in ("dpo", "procurement", "auditor"):
        user = make_user(f"{role}@example.test")
        grant(user, ids.organisation_id, role)
        clients[role] = api_client_for(user)
    return ids, clients


def test_submission_answers_with_the_verdict_at_once(team):
    ids, clients = team
    response = clients["procurement"].post(
        f"/api/v1/organisations/{ids.organisation_id}/procurement/requests",
        json={"purpose": "Buy leads", "candidate": RISKY_CANDIDATE},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["request"]["status"] == "pending"
    assert body["request"]["submitted_by"] == "procurement@example.test"
    assert body["verdict"]["decision"] == "reject"
    assert "TRANSFER_NO_SAFEGUARD" in {f["code"] for f in body["verdict"]["blocking"]}


def test_dpo_approval_adds_the_tool_to_the_register(team):
    ids, clients = team
    submitted = clients["procurement"].post(
        f"/api/v1/organisations/{ids.organisation_id}/procurement/requests",
        json={"purpose": "Hosting", "candidate": CLEAN_CANDIDATE},
    ).json()["request"]
    queue = clients["dpo"].get(
        f"/api/v1/organisations/{ids.organisation_id}/procurement/requests", params={"status": "pending"}
    ).json()
    assert submitted["id"] in [item["request"]["id"] for item in queue]
    url = f"/api/v1/procurement-requests/{submitted['id']}/decision"
    without = clients["dpo"].post(
        url, json={"decision": "approved_with_conditions", "reasons": "Useful", "version": 1}
    )
    assert without.status_code == 400 and "conditions" in error_keys(without)
    decided = clients["dpo"].post(
        url,
        json={"decision": "approved_with_conditions", "reasons": "Useful", "version": 1,
              "conditions": ["Sign the DPA before go-live", "  "]},
    )
    assert decided.status_code == 200, decided.text
    request = decided.json()["request"]
    assert request["status"] == "approved_with_conditions" and request["decided_by"] == "dpo@example.test"
    assert request["decision_conditions"] == ["Sign the DPA before go-live"] and request["decided_role"] == "dpo"
    processor = clients["dpo"].get(f"/api/v1/processors/{request['processor_id']}").json()
    assert processor["legal_name"] == "Clean Host SAS" and processor["status"] == "approved"
    assert [loc["country"] for loc in processor["locations"]] == ["FR", "DE"]
    assert processor["sub_processors"][0]["name"] == "Backup GmbH"


def test_a_decision_is_final_and_versioned(team):
    ids, clients = team
    url = f"/api/v1/procurement-requests/{ids.request_id}/decision"
    stale = clients["dpo"].post(url, json={"decision": "rejected", "reasons": "r", "version": 3})
    assert stale.status_code == 409
    assert clients["dpo"].post(url, json={"decision": "rejected", "reasons": "No DPA", "version": 1}).status_code == 200
    again = clients["dpo"].post(url, json={"decision": "approved", "reasons": "changed my mind", "version": 2})
    assert again.status_code == 409


def test_decision_needs_reasons_and_a_known_decision(team):
    ids, clients = team
    url = f"/api/v1/procurement-requests/{ids.request_id}/decision"
    no_reason = clients["dpo"].post(url, json={"decision": "rejected", "reasons": "", "version": 1})
    assert no_reason.status_code == 400 and "reasons" in error_keys(no_reason)
    unknown = clients["dpo"].post(url, json={"decision": "maybe", "reasons": "x", "version": 1})
    assert unknown.status_code == 400 and "decision" in error_keys(unknown)
    pending = clients["dpo"].post(url, json={"decision": "pending", "reasons": "x", "version": 1})
    assert pending.status_code == 400


def test_a_rejection_adds_nothing_to_the_register(team):
    ids, clients = team
    before = clients["dpo"].get(f"/api/v1/organisations/{ids.organisation_id}/processors").json()["total"]
    rejected = clients["dpo"].post(
        f"/api/v1/procurement-requests/{ids.request_id}/decision",
        json={"decision": "rejected", "reasons": "No DPA offered", "version": 1},
    )
    assert rejected.status_code == 200, rejected.text
    request = rejected.json()["request"]
    assert request["status"] == "rejected" and request["processor_id"] is None
    assert request["decision_reasons"] == "No DPA offered" and request["decided_by"] == "dpo@example.test"
    after = clients["dpo"].get(f"/api/v1/organisations/{ids.organisation_id}/processors").json()["total"]
    assert after == before


def test_invalid_candidate_is_refused_naming_the_field(team):
    ids, clients = team
    response = clients["procurement"].post(
        f"/api/v1/organisations/{ids.organisation_id}/procurement/requests",
        json={"candidate": {"legal_name": "X", "headquarters_country": "ZZ"}},
    )
    assert response.status_code == 400 and "headquarters_country" in response.text


def check(client, organisation_id, candidate):
    return client.post(f"/api/v1/organisations/{organisation_id}/procurement/check", json=candidate)


def test_the_check_answers_the_plain_verdict_and_saves_nothing(team):
    ids, clients = team
    before = clients["dpo"].get(f"/api/v1/organisations/{ids.organisation_id}/procurement/requests").json()
    candidate = {**CLEAN_CANDIDATE, "prospection_use": "b2b", "opt_out_offered": None, "next_review_on": "2027-06-01"}
    response = check(clients["procurement"], ids.organisation_id, candidate)
    assert response.status_code == 200, response.text
    verdict = response.json()
    assert set(verdict) >= {"decision", "headline", "conditions", "questions", "blocking", "details"}
    assert verdict["decision"] == "approve_with_conditions"
    assert [q["codes"] for q in verdict["questions"]] == [["OPT_OUT_MISSING"]]
    assert verdict["questions"][0]["text"]["en"] == "Does the tool let recipients opt out, simply and free of charge?"
    assert "OPT_OUT_MISSING" not in {code for c in verdict["conditions"] for code in c["codes"]}
    assert [c["key"] for c in verdict["conditions"]] == ["sign_dpa"]  # no DPA in the candidate
    assert verdict["conditions"][0]["when"] == "before_go_live"
    assert {f["code"] for f in verdict["details"]} == {"OPT_OUT_MISSING", "DPA_MISSING"}
    assert verdict["headline"]["fr"] == "Feu vert sous conditions\u00a0: répondre à 1 question et remplir 1 condition."
    after = clients["dpo"].get(f"/api/v1/organisations/{ids.organisation_id}/procurement/requests").json()
    assert after == before


def test_the_check_groups_a_recorded_no_as_a_condition(team):
    ids, clients = team
    candidate = {**CLEAN_CANDIDATE, "prospection_use": "b2b", "opt_out_offered": False}
    verdict = check(clients["procurement"], ids.organisation_id, candidate).json()
    assert verdict["questions"] == []
    [prospection] = [c for c in verdict["conditions"] if c["key"] == "prospection"]
    assert prospection["codes"] == ["OPT_OUT_MISSING"] and prospection["when"] == "before_go_live"
    assert prospection["text"]["fr"] == "Pour la prospection\u00a0: chaque message offre un moyen simple et gratuit de se désinscrire."


def test_the_check_and_the_request_give_the_same_verdict(team):
    ids, clients = team
    checked = check(clients["procurement"], ids.organisation_id, RISKY_CANDIDATE).json()
    submitted = clients["procurement"].post(
        f"/api/v1/organisations/{ids.organisation_id}/procurement/requests",
        json={"purpose": "Buy leads", "candidate": RISKY_CANDIDATE},
    ).json()["verdict"]
    for key in ("decision", "headline", "conditions", "questions"):
        assert checked[key] == submitted[key]


def test_the_check_refuses_a_bad_candidate_naming_the_field(team):
    ids, clients = team
    response = check(clients["procurement"], ids.organisation_id, {"legal_name": "X", "opt_out_offered": "maybe"})
    assert response.status_code == 400 and "opt_out_offered" in error_keys(response)
