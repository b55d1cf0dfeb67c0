"""The vendor library over the API: who may do what (each role tested), the link and the
change to review, and that nothing of one client reaches another through the library."""

from __future__ import annotations

import pytest

from register.store import library
from tests.test_library import CRM, first_processor, new_client

VENDOR = {
    "legal_name": "Salesy Inc.",
    "trade_name": "Salesy",
    "website": "https://salesy.example",
    "country": "US",
    "locations": [{"country": "IE"}, {"country": "US", "activity": "support_access"}],
    "sub_processors": [{"name": "Mailgun Technologies, Inc.", "countries": ["US"], "purpose": "E-mail", "dpf_certified": True}],
    "certifications": ["ISO 27001"],
    "dpf_certified": True,
    "dpf_checked_on": "2026-11-02",
    "clauses": [{"item": "art28_3_a", "status": "present"}],
}


@pytest.fixture
def firm_world(run, make_user, grant, api_client_for):
    """A firm (admin, member), clients A and B (a DPO each, an auditor in A), a user of
    another firm; one vendor; a processor in A and one in B, both linked to it."""
    users = {name: make_user(f"{name}@example.test") for name in
             ("admin", "keeper", "dpo_a", "dpo_b", "auditor_a", "outsider")}  # fmt: skip

    async def build():
        firm = await library.create_firm("Cabinet", "cli", admin_user_id=users["admin"])
        await library.set_firm_member(firm.id, users["keeper"], "member", "cli")
        other = await library.create_firm("Autre cabinet", "cli", admin_user_id=users["outsider"])
        a, b = await new_client("Client A"), await new_client("Client B")
        for organisation in (a, b):
            await library.attach_organisation(firm.id, organisation, "cli")
        vendor = await library.create_vendor(firm.id, CRM, "keeper@example.test")
        pa, pb = await first_processor(a), await first_processor(b)
        await library.link_processor(a, pa.id, vendor.id, "dpo_a@example.test")
        await library.link_processor(b, pb.id, vendor.id, "dpo_b@example.test")
        return firm, other, a, b, vendor, pa, pb

    firm, other, a, b, vendor, pa, pb = run(build())
    grant(users["dpo_a"], a, "dpo")
    grant(users["auditor_a"], a, "auditor")
    grant(users["dpo_b"], b, "dpo")
    grant(users["admin"], a, "admin")
    clients = {name: api_client_for(user) for name, user in users.items()}
    return dict(firm=firm, other=other, a=a, b=b, vendor=vendor, pa=pa, pb=pb, clients=clients, users=users)


def test_who_may_read_and_keep_the_library(firm_world):
    w = firm_world
    firm_url = f"/api/v1/firms/{w['firm'].id}"
    vendor_url = f"/api/v1/library/vendors/{w['vendor'].id}"
    for reader in ("admin", "keeper", "dpo_a", "dpo_b"):
        assert w["clients"][reader].get(firm_url).status_code == 200, reader
        assert w["clients"][reader].get(vendor_url).status_code == 200, reader
    # An auditor of a client and a user of another firm learn nothing of the firm.
    for stranger in ("auditor_a", "outsider"):
        assert w["clients"][stranger].get(firm_url).status_code == 404, stranger
        assert w["clients"][stranger].get(vendor_url).status_code == 404, stranger
        assert w["clients"][stranger].post(f"{firm_url}/vendors", json=VENDOR).status_code == 404
    # A client's DPO reads but does not keep the library.
    assert w["clients"]["dpo_a"].post(f"{firm_url}/vendors", json={**VENDOR, "legal_name": "X"}).status_code == 403
    assert w["clients"]["dpo_a"].put(vendor_url, json={**VENDOR, "version": 1}).status_code == 403
    created = w["clients"]["keeper"].post(f"{firm_url}/vendors", json={**VENDOR, "legal_name": "Other Inc."})
    assert created.status_code == 201, created.text
    assert created.json()["recorded"]["sub_processors"]["by"] == "keeper@example.test"
    # Members and clients are managed by the firm's admins only.
    assert w["clients"]["keeper"].post(f"{firm_url}/members", json={"email": "dpo_a@example.test"}).status_code == 403
    assert w["clients"]["dpo_a"].delete(f"{firm_url}/clients/{w['a']}").status_code == 403
    added = w["clients"]["admin"].post(f"{firm_url}/members", json={"email": "dpo_b@example.test", "role": "member"})
    assert added.status_code == 200 and "dpo_b@example.test" in added.text
    unknown = w["clients"]["admin"].post(f"{firm_url}/members", json={"email": "nobody@example.test"})
    assert unknown.status_code == 400 and "email" in unknown.text


def test_only_the_firms_admins_see_which_clients_use_a_vendor(firm_world):
    w = firm_world
    vendor_url = f"/api/v1/library/vendors/{w['vendor'].id}"
    seen_by_admin = w["clients"]["admin"].get(vendor_url).json()
    assert {c["organisation_name"] for c in seen_by_admin["linked_clients"]} == {"Client A", "Client B"}
    for other in ("keeper", "dpo_a", "dpo_b"):
        body = w["clients"][other].get(vendor_url)
        assert body.json()["linked_clients"] is None
        assert "Client B" not in body.text and "Client A" not in body.text
        firm = w["clients"][other].get(f"/api/v1/firms/{w['firm'].id}").json()
        assert firm["members"] is None and firm["clients"] is None


def test_a_client_never_sees_another_clients_link_or_processor(firm_world):
    w = firm_world
    dpo_a = w["clients"]["dpo_a"]
    assert dpo_a.get(f"/api/v1/processors/{w['pa'].id}/library-link").status_code == 200
    assert dpo_a.get(f"/api/v1/processors/{w['pb'].id}/library-link").status_code == 404
    assert dpo_a.get(f"/api/v1/processors/{w['pb'].id}").status_code == 404
    assert dpo_a.get(f"/api/v1/organisations/{w['b']}/library-changes").status_code == 404
    decision = {"decision": "accept", "version": 1, "vendor_version": 2}
    assert dpo_a.post(f"/api/v1/processors/{w['pb'].id}/library-link/decision", json=decision).status_code == 404
    # Nothing in what A may read of the library names B or B's processor.
    for url in (f"/api/v1/firms/{w['firm'].id}", f"/api/v1/library/vendors/{w['vendor'].id}", "/api/v1/firms"):
        text = dpo_a.get(url).text
        assert "Client B" not in text and f'"processor_id":{w["pb"].id}' not in text.replace(" ", "")


def test_link_accept_and_dismiss_over_the_api(firm_world, run):
    w = firm_world
    keeper, dpo_a, auditor = w["clients"]["keeper"], w["clients"]["dpo_a"], w["clients"]["auditor_a"]
    vendor_url = f"/api/v1/library/vendors/{w['vendor'].id}"
    newer = {**VENDOR, "legal_name": CRM.legal_name, "version": 1,
             "sub_processors": [*VENDOR["sub_processors"], {"name": "Twilio Inc.", "countries": ["US"]}]}  # fmt: skip
    assert keeper.put(vendor_url, json=newer).status_code == 200
    assert keeper.put(vendor_url, json=newer).status_code == 409  # stale version: nothing changed
    changes = dpo_a.get(f"/api/v1/organisations/{w['a']}/library-changes").json()
    assert [c["processor_id"] for c in changes] == [w["pa"].id]
    link = changes[0]["link"]
    assert link["pending"] and link["vendor_version"] == 2
    assert {"fact": "sub_processors", "kind": "added", "name": "Twilio Inc."} in [
        {k: c[k] for k in ("fact", "kind", "name")} for c in link["changes"]
    ]
    url = f"/api/v1/processors/{w['pa'].id}/library-link/decision"
    decision = {"decision": "accept", "version": link["link"]["version"], "vendor_version": 2}
    assert auditor.post(url, json=decision).status_code == 403
    accepted = dpo_a.post(url, json=decision)
    assert accepted.status_code == 200 and not accepted.json()["pending"]
    assert dpo_a.post(url, json=decision).status_code == 409  # decided already (stale link version)
    processor = dpo_a.get(f"/api/v1/processors/{w['pa'].id}").json()
    assert "Twilio Inc." in {s["name"] for s in processor["sub_processors"]}
    # B still has the change to review: B decides for B.
    assert len(w["clients"]["dpo_b"].get(f"/api/v1/organisations/{w['b']}/library-changes").json()) == 1


def test_bad_input_names_the_field(firm_world):
    w = firm_world
    keeper = w["clients"]["keeper"]
    firm_url = f"/api/v1/firms/{w['firm'].id}/vendors"
    bad_country = keeper.post(firm_url, json={**VENDOR, "legal_name": "Y", "country": "France"})
    assert bad_country.status_code == 400 and "country" in bad_country.text
    bad_item = keeper.post(firm_url, json={**VENDOR, "legal_name": "Z", "clauses": [{"item": "x", "status": "present"}]})
    assert bad_item.status_code == 400 and "clauses" in bad_item.text
    other_vendor = w["clients"]["outsider"].post(
        f"/api/v1/firms/{w['other'].id}/vendors", json={**VENDOR, "legal_name": "Theirs"}
    ).json()
    # A vendor of another firm cannot be linked (and is not named).
    link_url = f"/api/v1/processors/{w['pa'].id}/library-link"
    dpo_a = w["clients"]["dpo_a"]
    assert dpo_a.post(f"{link_url}/unlink", json={"version": 1}).status_code == 204
    assert dpo_a.get(link_url).status_code == 404
    response = dpo_a.post(link_url, json={"vendor_id": other_vendor["id"]})
    assert response.status_code == 400 and "vendor_id" in response.text
    assert "Theirs" not in response.text
    relinked = dpo_a.post(link_url, json={"vendor_id": w["vendor"].id})
    assert relinked.status_code == 201 and relinked.json()["link"]["accepted_version"] == 1


def test_vendor_dpa_files_and_the_reading_proposal(firm_world):
    from tests.access_support import SEEDED_DPA

    w = firm_world
    files_url = f"/api/v1/library/vendors/{w['vendor'].id}/files"
    keeper, dpo_a, outsider = w["clients"]["keeper"], w["clients"]["dpo_a"], w["clients"]["outsider"]
    refused = keeper.post(files_url, files={"file": ("x.exe", b"MZ\x90\x00binary", "application/octet-stream")})
    assert refused.status_code == 415
    assert dpo_a.post(files_url, files={"file": ("dpa.txt", SEEDED_DPA, "text/plain")}).status_code == 403
    uploaded = keeper.post(files_url, files={"file": ("../../dpa.txt", SEEDED_DPA, "text/plain")})
    assert uploaded.status_code == 201, uploaded.text
    stored = uploaded.json()
    assert stored["file_name"] == "dpa.txt" and stored["uploaded_by"] == "keeper@example.test"
    content = dpo_a.get(f"{files_url}/{stored['id']}/content")
    assert content.status_code == 200 and content.content == SEEDED_DPA
    assert outsider.get(f"{files_url}/{stored['id']}/content").status_code == 404
    proposed = keeper.get(f"{files_url}/{stored['id']}/reading").json()
    assert set(proposed) >= {"art28_3_a", "art28_3_b"} and proposed["art28_3_b"] in {"present", "partial"}
    # The proposal changed nothing: the vendor is still at version 1.
    assert keeper.get(f"/api/v1/library/vendors/{w['vendor'].id}").json()["vendor"]["version"] == 1
