"""The JSON API says what the register concludes about each transfer (issue 9):
``coverage`` (covered / being_negotiated / not_covered) and ``basis``
(``derogation`` for Art. 49, never ``safeguard``); the LGPD scope fact is a
yes / no / null field like the DPF and PIPEDA ones; ad hoc clauses are a tool."""

from __future__ import annotations

from datetime import date, timedelta

from tests.api_support import create_organisation, create_processor


def _route(client, processor_id: int, country: str) -> dict:
    routes = client.get(f"/api/v1/processors/{processor_id}/assessment").json()["transfers"]
    (route,) = [r for r in routes if r["country"] == country]
    return route


def test_unsigned_sccs_are_being_negotiated_and_signing_covers_the_flow(client):
    organisation = create_organisation(client)
    vendor = create_processor(client, organisation["id"], legal_name="Chatly", status="approved")
    base = f"/api/v1/processors/{vendor['id']}"
    client.post(f"{base}/locations", json={"country": "IN"})
    today = date.today()
    created = client.post(f"{base}/safeguards", json={
        "country": "IN", "mechanism": "scc_2021", "scc_module": 2, "tia_on": today.isoformat(),
    })
    assert created.status_code == 201
    route = _route(client, vendor["id"], "IN")
    assert (route["basis"], route["covered"], route["coverage"]) == ("negotiating", False, "being_negotiated")
    codes = {f["code"] for f in client.get(f"{base}/assessment").json()["findings"]}
    assert "TRANSFER_TOOL_NOT_SIGNED" in codes and "TRANSFER_NO_SAFEGUARD" not in codes

    tool = created.json()["safeguards"][0]
    tomorrow = (today + timedelta(days=1)).isoformat()
    patched = client.patch(f"{base}/safeguards/{tool['id']}", json={"signed_on": tomorrow, "version": tool["version"]})
    assert patched.status_code == 200, patched.text
    assert _route(client, vendor["id"], "IN")["coverage"] == "being_negotiated"
    past = client.get(f"{base}/assessment", params={"as_of": (today + timedelta(days=1)).isoformat()}).json()
    assert [r["coverage"] for r in past["transfers"] if r["country"] == "IN"] == ["covered"]


def test_an_art49_derogation_has_basis_derogation_and_ad_hoc_clauses_are_a_tool(client):
    organisation = create_organisation(client)
    vendor = create_processor(client, organisation["id"], status="approved")
    base = f"/api/v1/processors/{vendor['id']}"
    client.post(f"{base}/locations", json={"country": "SG"})
    client.post(f"{base}/locations", json={"country": "IN"})
    assert client.post(f"{base}/safeguards", json={"country": "SG", "mechanism": "art49_derogation"}).status_code == 201
    assert client.post(
        f"{base}/safeguards", json={"country": "IN", "mechanism": "ad_hoc_contract", "signed_on": "2025-01-10"}
    ).status_code == 201
    singapore = _route(client, vendor["id"], "SG")
    assert (singapore["basis"], singapore["mechanism"], singapore["coverage"]) == ("derogation", "art49_derogation", "covered")
    india = _route(client, vendor["id"], "IN")
    assert (india["basis"], india["mechanism"], india["coverage"]) == ("safeguard", "ad_hoc_contract", "covered")


def test_the_lgpd_scope_is_yes_no_or_null_and_a_bad_value_is_a_400_naming_it(client):
    organisation = create_organisation(client)
    vendor = create_processor(client, organisation["id"], status="approved", headquarters_country="BR")
    assert vendor["lgpd_scope"] is None
    assert _route(client, vendor["id"], "BR")["coverage"] == "not_covered"
    base = f"/api/v1/processors/{vendor['id']}"
    patched = client.patch(base, json={"lgpd_scope": True, "version": vendor["version"]})
    assert patched.status_code == 200 and patched.json()["lgpd_scope"] is True
    assert _route(client, vendor["id"], "BR")["coverage"] == "covered"
    bad = client.post(f"{base}/sub-processors", json={"name": "Rio", "countries": ["BR"], "lgpd_scope": "maybe"})
    assert bad.status_code == 400 and "lgpd_scope" in bad.text
    assert client.get(base).json()["sub_processors"] == []
