"""The compliance endpoints: assessment, register gaps, procurement check."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from register.demo import demo_document
from register.reference import load_reference
from register.store.portability import import_document
from tests.api_support import create_organisation, create_processor, error_keys


@pytest.fixture
def demo_id(client, run, grant) -> int:
    organisation_id = run(import_document(demo_document(), "test"))
    grant(client.user_id, organisation_id, "dpo")
    return organisation_id


def _processor_id(client, organisation_id: int, name: str) -> int:
    items = client.get(f"/api/v1/organisations/{organisation_id}/processors", params={"q": name}).json()["items"]
    return items[0]["id"]


def test_demo_register_exercises_every_catalogue_finding(client, demo_id):
    report = client.get(f"/api/v1/organisations/{demo_id}/gaps").json()
    raised = {finding["code"] for finding in report["findings"]}
    catalogue = set(load_reference().findings)
    assert catalogue <= raised
    assert report["counts"]["critical"] >= 4
    assert 0 <= report["score"] < 100
    scores = [p["score"] for p in report["ranking"]]
    assert scores == sorted(scores)  # worst first


def test_gap_filters(client, demo_id):
    url = f"/api/v1/organisations/{demo_id}/gaps"
    critical = client.get(url, params={"severity": "critical"}).json()
    assert critical["findings"] and {f["severity"] for f in critical["findings"]} == {"critical"}
    assert critical["filtered_counts"]["critical"] == len(critical["findings"])
    by_code = client.get(url, params={"code": "DPA_MISSING"}).json()["findings"]
    assert [f["processor_name"] for f in by_code] == ["ProspectLens"]
    crm = _processor_id(client, demo_id, "RelationHub")
    of_crm = client.get(url, params={"processor_id": crm}).json()["findings"]
    assert of_crm and {f["processor_id"] for f in of_crm} == {crm}
    assert client.get(url, params={"severity": "urgent"}).status_code == 400


def test_as_of_reproduces_a_past_report(client, demo_id):
    url = f"/api/v1/organisations/{demo_id}/gaps"
    today = client.get(url, params={"code": "DPA_EXPIRED"}).json()["findings"]
    assert [f["processor_name"] for f in today] == ["Automaite"]
    a_year_ago = (date.today() - timedelta(days=365)).isoformat()
    past = client.get(url, params={"code": "DPA_EXPIRED", "as_of": a_year_ago}).json()
    assert past["findings"] == [] and past["as_of"] == a_year_ago
    assert client.get(url, params={"as_of": "2026-13-01"}).status_code == 400


def test_processor_assessment_follows_the_data_through_sub_processors(client):
    organisation = create_organisation(client)
    vendor = create_processor(
        client, organisation["id"], legal_name="French Vendor", headquarters_country="FR", status="approved"
    )
    client.post(f"/api/v1/processors/{vendor['id']}/locations", json={"country": "FR"})
    client.post(
        f"/api/v1/processors/{vendor['id']}/sub-processors",
        json={"name": "US Host", "countries": ["US"], "dpf_certified": False},
    )
    assessment = client.get(f"/api/v1/processors/{vendor['id']}/assessment").json()
    us = [route for route in assessment["transfers"] if route["country"] == "US"]
    assert us and us[0]["path"] == ["French Vendor", "US Host"] and us[0]["covered"] is False
    codes = {f["code"] for f in assessment["findings"]}
    assert "TRANSFER_NO_SAFEGUARD" in codes


def test_procurement_check_decides_without_saving(client, demo_id):
    url = f"/api/v1/organisations/{demo_id}/procurement/check"
    before = client.get(f"/api/v1/organisations/{demo_id}/processors").json()["total"]
    risky = {
        "legal_name": "Offshore Leads Ltd",
        "headquarters_country": "IN",
        "prospection_use": "b2c",
        "prior_consent_collected": False,
        "locations": [{"country": "IN"}],
    }
    verdict = client.post(url, json=risky).json()
    assert verdict["decision"] == "reject"
    blocking = {f["code"] for f in verdict["blocking"]}
    assert {"TRANSFER_NO_SAFEGUARD", "B2C_PROSPECTION_WITHOUT_CONSENT"} <= blocking
    assert verdict["headline"]["fr"].startswith("Refus\u00a0: ")
    assert verdict["conditions"][0]["when"] == "blocking"
    assert {f["code"] for f in verdict["details"]} >= blocking
    assert client.get(f"/api/v1/organisations/{demo_id}/processors").json()["total"] == before


def test_procurement_check_of_a_clean_eea_tool_is_not_rejected(client, demo_id):
    candidate = {
        "legal_name": "Clean Host SAS",
        "headquarters_country": "FR",
        "prospection_use": "none",
        "indirect_collection": False,
        "special_category_data": False,
        "retention_months": 12,
        "security_measures": "ISO 27001 certified; encryption at rest",
        "locations": [{"country": "FR"}],
    }
    verdict = client.post(f"/api/v1/organisations/{demo_id}/procurement/check", json=candidate).json()
    assert verdict["decision"] in ("approve", "approve_with_conditions")
    assert verdict["blocking"] == []


def test_procurement_check_validates_the_candidate(client, demo_id):
    url = f"/api/v1/organisations/{demo_id}/procurement/check"
    response = client.post(url, json={"legal_name": "X", "locations": [{"country": "XX"}]})
    assert response.status_code == 400
    dangling = client.post(
        url,
        json={"legal_name": "X", "safeguards": [{"country": "US", "mechanism": "bcr", "sub_processor_id": 3}]},
    )
    assert dangling.status_code == 400 and error_keys(dangling) == ["safeguards[0].sub_processor_id"]
