"""The JSON API: every field round-trips, nested records, filters, pagination."""

from __future__ import annotations

from tests.api_support import (
    FULL_AGREEMENT,
    FULL_PROCESSOR,
    create_organisation,
    create_processor,
)


def test_processor_round_trips_every_field(client):
    organisation = create_organisation(client)
    created = create_processor(client, organisation["id"], **FULL_PROCESSOR)
    fetched = client.get(f"/api/v1/processors/{created['id']}").json()
    for field, value in FULL_PROCESSOR.items():
        assert fetched[field] == value, field
    assert fetched["organisation_id"] == organisation["id"]
    assert fetched["version"] == 1


def test_processor_defaults_record_unknown_facts_as_null(client):
    organisation = create_organisation(client)
    created = create_processor(client, organisation["id"])
    assert created["status"] == "proposed"
    assert created["prospection_use"] is None
    assert created["retention_months"] is None
    assert created["agreement"] is None


def test_nested_records_round_trip(client):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"], **FULL_PROCESSOR)
    base = f"/api/v1/processors/{processor['id']}"

    location = {"country": "DE", "activity": "support_access", "note": "Berlin support desk"}
    assert client.post(f"{base}/locations", json=location).status_code == 201
    sub = {
        "name": "BigCloud Inc.", "countries": ["US", "IE"], "purpose": "hosting",
        "flowdown": "yes", "dpf_certified": True, "dpf_checked_on": "2026-06-01", "pipeda_scope": None,
        "lgpd_scope": False,
    }
    after_sub = client.post(f"{base}/sub-processors", json=sub).json()
    sub_id = after_sub["sub_processors"][0]["id"]
    safeguard = {
        "country": "US", "mechanism": "scc_2021", "sub_processor_id": sub_id, "scc_module": 3,
        "signed_on": "2025-04-01", "tia_on": "2025-04-02", "supplementary_measures": "encryption",
    }
    assert client.post(f"{base}/safeguards", json=safeguard).status_code == 201
    assert client.post(f"{base}/agreement", json=FULL_AGREEMENT).status_code == 201
    clause = {"status": "partial", "section": "§7.1", "note": "no transfer instructions"}
    assert client.put(f"{base}/agreement/clauses/art28_3_a", json=clause).status_code == 200

    fetched = client.get(base).json()
    assert {k: fetched["locations"][0][k] for k in location} == location
    assert {k: fetched["sub_processors"][0][k] for k in sub} == sub
    assert {k: fetched["safeguards"][0][k] for k in safeguard} == safeguard
    assert {k: fetched["agreement"][k] for k in FULL_AGREEMENT} == FULL_AGREEMENT
    assert {k: fetched["agreement"]["clauses"][0][k] for k in clause} == clause
    assert fetched["agreement"]["clauses"][0]["item"] == "art28_3_a"


def test_update_with_current_version_applies_and_bumps_it(client):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"])
    response = client.patch(
        f"/api/v1/processors/{processor['id']}", json={"version": 1, "status": "approved"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "approved"
    assert response.json()["version"] == 2
    assert response.json()["legal_name"] == "Vendor SAS"  # untouched fields stay


def test_stale_update_is_refused_with_409_and_changes_nothing(client):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"])
    url = f"/api/v1/processors/{processor['id']}"
    assert client.patch(url, json={"version": 1, "trade_name": "First"}).status_code == 200
    stale = client.patch(url, json={"version": 1, "trade_name": "Second"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert client.get(url).json()["trade_name"] == "First"


def test_stale_update_of_nested_record_is_refused(client):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"])
    base = f"/api/v1/processors/{processor['id']}"
    location_id = client.post(f"{base}/locations", json={"country": "FR"}).json()["locations"][0]["id"]
    ok = client.patch(f"{base}/locations/{location_id}", json={"version": 1, "country": "BE"})
    assert ok.status_code == 200 and ok.json()["locations"][0]["country"] == "BE"
    stale = client.patch(f"{base}/locations/{location_id}", json={"version": 1, "country": "NL"})
    assert stale.status_code == 409
    assert client.get(base).json()["locations"][0]["country"] == "BE"


def test_clause_update_requires_the_version_once_assessed(client):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"])
    base = f"/api/v1/processors/{processor['id']}/agreement"
    client.post(base, json={})
    assert client.put(f"{base}/clauses/art28_3_b", json={"status": "present"}).status_code == 200
    # a first PUT that lost the race to another first PUT: a conflict with what is stored
    without_version = client.put(f"{base}/clauses/art28_3_b", json={"status": "absent"})
    assert without_version.status_code == 409
    assert "send the version" in without_version.json()["detail"]
    with_version = client.put(f"{base}/clauses/art28_3_b", json={"status": "absent", "version": 1})
    assert with_version.json()["agreement"]["clauses"][0]["status"] == "absent"


def test_second_agreement_is_a_conflict(client):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"])
    base = f"/api/v1/processors/{processor['id']}/agreement"
    assert client.post(base, json={}).status_code == 201
    assert client.post(base, json={}).status_code == 409


def test_deletes_remove_nested_records(client):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"])
    base = f"/api/v1/processors/{processor['id']}"
    sub_id = client.post(f"{base}/sub-processors", json={"name": "S"}).json()["sub_processors"][0]["id"]
    assert client.delete(f"{base}/sub-processors/{sub_id}").json()["sub_processors"] == []
    assert client.delete(base).status_code == 204
    assert client.get(base).status_code == 404


def test_list_filters_search_and_paginates(client):
    organisation = create_organisation(client)
    org = organisation["id"]
    create_processor(client, org, legal_name="Alpha CRM", category="crm", status="approved", headquarters_country="US")
    create_processor(client, org, legal_name="Beta Mail", category="emailing", prospection_use="b2c")
    gamma = create_processor(client, org, legal_name="Gamma Host", category="hosting_cloud", headquarters_country="FR")
    client.post(f"/api/v1/processors/{gamma['id']}/locations", json={"country": "US"})
    other = create_organisation(client, name="Other")
    create_processor(client, other["id"], legal_name="Alpha Elsewhere")

    def names(**params):
        response = client.get(f"/api/v1/organisations/{org}/processors", params=params)
        assert response.status_code == 200, response.text
        return [p["legal_name"] for p in response.json()["items"]]

    assert names() == ["Alpha CRM", "Beta Mail", "Gamma Host"]
    assert names(category="crm") == ["Alpha CRM"]
    assert names(status="approved") == ["Alpha CRM"]
    assert names(prospection_use="b2c") == ["Beta Mail"]
    assert names(country="US") == ["Alpha CRM", "Gamma Host"]  # headquarters or location
    assert names(q="mail") == ["Beta Mail"]
    page = client.get(f"/api/v1/organisations/{org}/processors", params={"per_page": 2, "page": 2}).json()
    assert page["total"] == 3 and [p["legal_name"] for p in page["items"]] == ["Gamma Host"]


def test_unknown_objects_answer_404(client):
    organisation = create_organisation(client)
    assert client.get("/api/v1/processors/999").status_code == 404
    assert client.get("/api/v1/organisations/999").status_code == 404
    assert client.get("/api/v1/organisations/999/processors").status_code == 404
    processor = create_processor(client, organisation["id"])
    assert client.patch(
        f"/api/v1/processors/{processor['id']}/locations/12345", json={"version": 1}
    ).status_code == 404


def test_nested_record_of_another_processor_is_not_found(client):
    organisation = create_organisation(client)
    first = create_processor(client, organisation["id"], legal_name="First")
    second = create_processor(client, organisation["id"], legal_name="Second")
    location_id = client.post(
        f"/api/v1/processors/{first['id']}/locations", json={"country": "FR"}
    ).json()["locations"][0]["id"]
    response = client.delete(f"/api/v1/processors/{second['id']}/locations/{location_id}")
    assert response.status_code == 404
    assert len(client.get(f"/api/v1/processors/{first['id']}").json()["locations"]) == 1


def test_openapi_schema_is_served(client):
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/organisations/{organisation_id}/processors" in paths
    assert "/api/v1/processors/{processor_id}/agreement/clauses/{item}" in paths
