"""Readings of a vendor's DPA are proposals: nothing changes until the DPO confirms, then
accepted items and facts reach the checklist and the agreement in one audited transaction."""

from __future__ import annotations

import copy

import pytest

from register.reading import ITEM_IDS
from register.store import readings
from tests.api_support import create_organisation, create_processor
from tests.test_agreement_files import DPA_TEXT, upload


def proposal(status: str, section: str | None = None, page: int | None = None, reason: str = "") -> dict:
    evidence = [{"section": section, "page": page, "text": "The Processor shall…"}] if section else []
    return {"status": status, "evidence": evidence, "reason": reason, "found": [], "missing": [],
            "via_scc": False, "contradiction": False}


READING = {
    "items": {item: proposal("absent", reason="nothing found") for item in ITEM_IDS}
    | {
        "art28_3_a": proposal("present", "4.1", 2, "documented instructions found"),
        "art28_3_g": proposal("partial", "11.2", 7, "deletion at the end, but no choice of return")
        | {"found": ["end_of_services", "deletion"], "missing": ["return", "controller_choice"]},
    },
    "breach_notification_hours": 48,
    "breach_notification_business_days": False,
    "subprocessor_notice_days": 30,
    "notice_in_business_days": True,
    "authorisation": "general",
    "right_to_object": True,
    "transfer_tools": ["scc_2021_module_3", "dpf"],
    "old_sccs": False,
    "incorporates_scc_2021": True,
    "governing_law": "IE",
    "supervisory_authority": "Data Protection Commission",
    "sub_processors": [
        {"name": "Amazon Web Services EMEA SARL", "countries": ["IE", "XX"], "purpose": "Hosting", "section": "Annex III", "page": 12},
        {"name": "Zendesk Inc.", "countries": ["US"], "purpose": "Support", "section": "Annex III", "page": 12},
    ],
    "fact_evidence": {"breach_notification_hours": {"section": "9.1", "page": 5, "text": "within 48 hours"}},
    "transfer_tool_evidence": [],
    "document": {"media_type": "text/plain", "pages": None, "sections": 12, "characters": 5000, "language": "en"},
    "language": "en",
    "warnings": [],
}


@pytest.fixture
def proposed(client, run):
    """A processor with an uploaded file and a stored reading of it (the reading given, not the engine's)."""
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"], legal_name="Helpdesk Ltd")
    stored = upload(client, processor["id"], DPA_TEXT, "helpdesk-dpa.txt").json()
    reading = run(readings.create_reading(
        organisation["id"], processor["id"], stored["id"], copy.deepcopy(READING), "en", "tester@example.test"
    ))
    return client, organisation["id"], processor["id"], reading.id


def decisions_url(processor_id: int, reading_id: int) -> str:
    return f"/api/v1/processors/{processor_id}/agreement/readings/{reading_id}/decisions"


def test_reading_a_file_stores_a_proposal_and_changes_nothing_in_the_register(client):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"])
    stored = upload(client, processor["id"], DPA_TEXT).json()
    before = client.get(f"/api/v1/processors/{processor['id']}").json()
    answer = client.post(f"/api/v1/processors/{processor['id']}/agreement/files/{stored['id']}/readings?lang=en")
    assert answer.status_code == 201, answer.text
    reading = answer.json()
    assert reading["status"] == "proposed" and reading["file_id"] == stored["id"]
    assert set(reading["reading"]["items"]) == set(ITEM_IDS)
    assert client.get(f"/api/v1/processors/{processor['id']}").json() == before
    listed = client.get(f"/api/v1/processors/{processor['id']}/agreement/readings").json()
    assert [r["id"] for r in listed] == [reading["id"]]


def test_a_file_the_reader_cannot_read_answers_422_with_the_reason_and_stores_no_reading(client, monkeypatch):
    from register.reading import ReadingError
    from register.web import dpa_readings

    def scanned(content, **options):
        raise ReadingError("no_text")

    monkeypatch.setattr(dpa_readings, "read_dpa", scanned)
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"])
    stored = upload(client, processor["id"], b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "scan.pdf")
    assert stored.status_code == 201, stored.text
    answer = client.post(f"/api/v1/processors/{processor['id']}/agreement/files/{stored.json()['id']}/readings")
    assert answer.status_code == 422, answer.text
    assert answer.json()["extra"][0]["key"] == "file"
    assert "OCR" in answer.json()["detail"]
    assert client.get(f"/api/v1/processors/{processor['id']}/agreement/readings").json() == []


def test_confirming_applies_accepted_and_edited_items_and_facts_with_the_provenance_note(proposed):
    client, organisation_id, processor_id, reading_id = proposed
    body = {
        "version": 1,
        "items": {
            "art28_3_a": {"decision": "accept"},
            "art28_3_g": {"decision": "edit", "status": "absent", "note": "Return of data missing."},
            "art28_3_b": {"decision": "reject"},
        },
        "facts": {
            "breach_notice_hours": {"decision": "accept"},
            "objection_notice_days": {"decision": "edit", "value": 42},
            "sub_processor_authorisation": {"decision": "accept"},
            "governing_law": {"decision": "accept"},
        },
        "sub_processors": [0],
    }
    answer = client.post(decisions_url(processor_id, reading_id) + "?lang=fr", json=body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "confirmed"
    processor = client.get(f"/api/v1/processors/{processor_id}").json()
    agreement = processor["agreement"]  # created by the confirmation: none was recorded
    assert (agreement["breach_notice_hours"], agreement["objection_notice_days"]) == (48, 42)
    assert agreement["sub_processor_authorisation"] == "general"
    assert agreement["governing_law"] == "Irlande"
    clauses = {c["item"]: c for c in agreement["clauses"]}
    assert set(clauses) == {"art28_3_a", "art28_3_g"}  # the rejected item is not written
    assert clauses["art28_3_a"]["status"] == "present" and clauses["art28_3_a"]["section"] == "4.1 (p. 2)"
    assert clauses["art28_3_a"]["note"].startswith(
        "documented instructions found\nDétecté dans le fichier «\u00a0helpdesk-dpa.txt\u00a0», confirmé par tester@example.test le "
    )
    assert clauses["art28_3_g"]["status"] == "absent"
    assert clauses["art28_3_g"]["note"].startswith("Return of data missing.\nDétecté")
    subs = processor["sub_processors"]
    assert [(s["name"], s["countries"]) for s in subs] == [("Amazon Web Services EMEA SARL", ["IE"])]
    trail = client.get(f"/api/v1/organisations/{organisation_id}/audit-events?per_page=100").json()["items"]
    entities = {e["entity"] for e in trail}
    assert {"dpa_reading", "agreement", "clause_assessment", "sub_processor"} <= entities


def test_a_decided_or_stale_reading_is_refused_and_changes_nothing(proposed):
    client, _, processor_id, reading_id = proposed
    stale = client.post(decisions_url(processor_id, reading_id), json={"version": 2, "items": {"art28_3_a": {"decision": "accept"}}})
    assert stale.status_code == 409
    assert client.get(f"/api/v1/processors/{processor_id}").json()["agreement"] is None
    first = client.post(decisions_url(processor_id, reading_id), json={"version": 1, "items": {"art28_3_a": {"decision": "reject"}}})
    assert first.status_code == 200 and first.json()["status"] == "rejected"
    again = client.post(decisions_url(processor_id, reading_id), json={"version": 2, "items": {"art28_3_a": {"decision": "accept"}}})
    assert again.status_code == 409
    assert client.get(f"/api/v1/processors/{processor_id}").json()["agreement"] is None


@pytest.mark.parametrize(
    "body, field",
    [
        ({"version": 1, "items": {"art28_9": {"decision": "accept"}}}, "item"),
        ({"version": 1, "facts": {"objection_notice_days": {"decision": "edit", "value": "thirty"}}}, "objection_notice_days"),
        ({"version": 1, "facts": {"sub_processor_authorisation": {"decision": "edit", "value": "none"}}}, "sub_processor_authorisation"),
        ({"version": 1, "sub_processors": [7]}, "sub_processors"),
    ],
)
def test_bad_decisions_name_their_field_and_write_nothing(proposed, body, field):
    client, _, processor_id, reading_id = proposed
    answer = client.post(decisions_url(processor_id, reading_id), json=body)
    assert answer.status_code == 400, answer.text
    assert field in answer.text
    assert client.get(f"/api/v1/processors/{processor_id}").json()["agreement"] is None
    assert client.get(f"/api/v1/processors/{processor_id}/agreement/readings/{reading_id}").json()["status"] == "proposed"


def test_a_failure_in_the_middle_of_a_confirmation_rolls_everything_back(proposed, monkeypatch):
    client, _, processor_id, reading_id = proposed

    async def broken(*args, **kwargs):
        raise RuntimeError("lost connection")

    monkeypatch.setattr(readings, "_add_sub_processor", broken)
    body = {"version": 1, "items": {"art28_3_a": {"decision": "accept"}}, "sub_processors": [1]}
    assert client.post(decisions_url(processor_id, reading_id), json=body).status_code == 500
    assert client.get(f"/api/v1/processors/{processor_id}").json()["agreement"] is None
    assert client.get(f"/api/v1/processors/{processor_id}/agreement/readings/{reading_id}").json()["status"] == "proposed"


def test_an_existing_checklist_row_is_updated_at_its_current_version(proposed):
    client, _, processor_id, reading_id = proposed
    client.post(f"/api/v1/processors/{processor_id}/agreement", json={"breach_notice_hours": 72})
    client.put(f"/api/v1/processors/{processor_id}/agreement/clauses/art28_3_a", json={"status": "absent"})
    body = {"version": 1, "items": {"art28_3_a": {"decision": "accept"}}, "facts": {"breach_notice_hours": {"decision": "reject"}}}
    assert client.post(decisions_url(processor_id, reading_id), json=body).status_code == 200
    agreement = client.get(f"/api/v1/processors/{processor_id}").json()["agreement"]
    assert agreement["breach_notice_hours"] == 72
    clause = next(c for c in agreement["clauses"] if c["item"] == "art28_3_a")
    assert (clause["status"], clause["version"]) == ("present", 2)


def test_deleting_the_file_deletes_its_readings(proposed):
    client, _, processor_id, reading_id = proposed
    file_id = client.get(f"/api/v1/processors/{processor_id}/agreement/readings/{reading_id}").json()["file_id"]
    client.delete(f"/api/v1/processors/{processor_id}/agreement/files/{file_id}")
    assert client.get(f"/api/v1/processors/{processor_id}/agreement/readings/{reading_id}").status_code == 404
