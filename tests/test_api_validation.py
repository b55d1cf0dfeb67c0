"""Bad input gets a 400 that names the field, never a 500, and writes nothing."""

from __future__ import annotations

import pytest

from tests.api_support import create_organisation, create_processor, error_keys


def _counts(client, organisation_id: int) -> tuple[int, int]:
    processors = client.get(f"/api/v1/organisations/{organisation_id}/processors").json()["total"]
    events = client.get(f"/api/v1/organisations/{organisation_id}/audit-events").json()["total"]
    return processors, events


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"legal_name": "V", "headquarters_country": "XX"}, "headquarters_country"),
        ({"legal_name": "V", "headquarters_country": "fr"}, "headquarters_country"),
        ({"legal_name": "V", "category": "astrology"}, "category"),
        ({"legal_name": "V", "status": "maybe"}, "status"),
        ({"legal_name": "V", "prospection_use": "b2x"}, "prospection_use"),
        ({"legal_name": "V", "next_review_on": "2026-02-30"}, "next_review_on"),
        ({"legal_name": "V", "dpf_checked_on": "yesterday"}, "dpf_checked_on"),
        ({"legal_name": "V", "retention_months": -1}, "retention_months"),
        ({"legal_name": "V", "retention_months": "ten"}, "retention_months"),
        ({"legal_name": "x" * 201}, "legal_name"),
        ({"legal_name": ""}, "legal_name"),
        ({"legal_name": "V", "website": "h" * 501}, "website"),
        ({"legal_name": "V", "purposes": ["p" * 201]}, "purposes[0]"),
        ({"legal_name": "V", "special_category_data": "sometimes"}, "special_category_data"),
        ({"trade_name": "no legal name"}, "legal_name"),  # a missing field is named, as the forms do
    ],
)
def test_invalid_processor_field_is_named_and_nothing_is_written(client, body, field):
    organisation = create_organisation(client)
    before = _counts(client, organisation["id"])
    response = client.post(f"/api/v1/organisations/{organisation['id']}/processors", json=body)
    assert response.status_code == 400, response.text
    assert error_keys(response) == [field], response.text
    assert all(entry["message"] for entry in response.json()["extra"])  # says what is wrong
    assert _counts(client, organisation["id"]) == before


def test_unknown_field_is_refused(client):
    organisation = create_organisation(client)
    response = client.post(
        f"/api/v1/organisations/{organisation['id']}/processors",
        json={"legal_name": "V", "legal_nme": "typo"},
    )
    assert response.status_code == 400
    assert "legal_nme" in response.text


def test_malformed_json_is_a_400(client):
    organisation = create_organisation(client)
    response = client.post(
        f"/api/v1/organisations/{organisation['id']}/processors",
        content=b'{"legal_name": ',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("locations", {"country": "ZZ"}, "country"),
        ("locations", {"country": "FR", "activity": "mining"}, "activity"),
        ("sub-processors", {"name": "S", "countries": ["FR", "QQ"]}, "countries[1]"),
        ("sub-processors", {"name": "S", "flowdown": "perhaps"}, "flowdown"),
        ("safeguards", {"country": "US", "mechanism": "handshake"}, "mechanism"),
        ("safeguards", {"country": "US", "mechanism": "scc_2021", "scc_module": 5}, "scc_module"),
        ("safeguards", {"country": "US", "mechanism": "bcr", "scc_module": 2}, "scc_module"),
        ("agreement", {"breach_notice_hours": -4}, "breach_notice_hours"),
        ("agreement", {"effective_on": "2026-01-10", "ends_on": "2025-01-10"}, "ends_on"),
        ("agreement", {"sub_processor_authorisation": "implicit"}, "sub_processor_authorisation"),
    ],
)
def test_invalid_nested_field_is_named(client, path, body, field):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"])
    response = client.post(f"/api/v1/processors/{processor['id']}/{path}", json=body)
    assert response.status_code == 400, response.text
    assert field in error_keys(response), response.text
    assert client.get(f"/api/v1/processors/{processor['id']}").json()["version"] == 1


def test_invalid_filter_is_a_400(client):
    organisation = create_organisation(client)
    url = f"/api/v1/organisations/{organisation['id']}/processors"
    assert client.get(url, params={"status": "nope"}).status_code == 400
    assert client.get(url, params={"country": "usa"}).status_code == 400
    assert client.get(url, params={"per_page": 0}).status_code == 400
    assert client.get(url, params={"page": "two"}).status_code == 400


def test_unknown_clause_item_is_refused(client):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"])
    client.post(f"/api/v1/processors/{processor['id']}/agreement", json={})
    response = client.put(
        f"/api/v1/processors/{processor['id']}/agreement/clauses/art28_3_z", json={"status": "present"}
    )
    assert response.status_code == 400
    assert error_keys(response) == ["item"]


def test_sub_processor_cannot_name_a_processor_of_another_organisation(client):
    mine = create_organisation(client, name="Mine")
    theirs = create_organisation(client, name="Theirs")
    processor = create_processor(client, mine["id"])
    foreign = create_processor(client, theirs["id"])
    response = client.post(
        f"/api/v1/processors/{processor['id']}/sub-processors",
        json={"name": "S", "registered_processor_id": foreign["id"]},
    )
    assert response.status_code == 400
    assert error_keys(response) == ["registered_processor_id"]
    assert client.get(f"/api/v1/processors/{processor['id']}").json()["sub_processors"] == []


def test_sub_processor_cannot_be_its_own_processor(client):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"])
    response = client.post(
        f"/api/v1/processors/{processor['id']}/sub-processors",
        json={"name": "Me", "registered_processor_id": processor["id"]},
    )
    assert response.status_code == 400


def test_safeguard_must_name_a_sub_processor_of_the_same_processor(client):
    organisation = create_organisation(client)
    first = create_processor(client, organisation["id"], legal_name="First")
    second = create_processor(client, organisation["id"], legal_name="Second")
    sub_id = client.post(
        f"/api/v1/processors/{first['id']}/sub-processors", json={"name": "S"}
    ).json()["sub_processors"][0]["id"]
    response = client.post(
        f"/api/v1/processors/{second['id']}/safeguards",
        json={"country": "US", "mechanism": "scc_2021", "scc_module": 3, "sub_processor_id": sub_id},
    )
    assert response.status_code == 400
    assert error_keys(response) == ["sub_processor_id"]


def test_organisation_validation(client):
    response = client.post("/api/v1/organisations", json={"name": "A", "country": "XY"})
    assert response.status_code == 400 and error_keys(response) == ["country"]
    assert client.get("/api/v1/organisations").json() == []
