"""Hostile input: always a clear 4xx naming the field, nothing written, the same answer on both engines."""

from __future__ import annotations

import json

import pytest

from register.cli import main
from register.schemas import MAX_ID, MAX_LOCATIONS
from register.store import changes, reads
from register.store.portability import ImportRefused, export_organisation, import_document, import_organisation
from register.demo import demo_document
from register.tables import AuditEvent, Organisation, Processor
from tests.api_support import create_organisation, create_processor, error_keys
from tests.test_pages_support import post_form, seeded, signed_in  # noqa: F401  (fixtures)

POSTGRES_FIRST_OUT_OF_RANGE = 2**31
SQLITE_FIRST_OUT_OF_RANGE = 2**63


@pytest.fixture
def register_of(client):
    """An organisation with one processor that owns a location, an agreement and a safeguard."""
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"])
    base = f"/api/v1/processors/{processor['id']}"
    client.post(f"{base}/locations", json={"country": "DE"})
    client.post(f"{base}/agreement", json={})
    return organisation["id"], processor["id"]


def _written(client, organisation_id: int) -> tuple[int, int]:
    """(processors, audit events): a refusal changes neither."""
    processors = client.get(f"/api/v1/organisations/{organisation_id}/processors").json()["total"]
    events = client.get(f"/api/v1/organisations/{organisation_id}/audit-events").json()["total"]
    return processors, events


# ------------------------------------------------------------------ ids out of range


OUT_OF_RANGE = (MAX_ID + 1, POSTGRES_FIRST_OUT_OF_RANGE, SQLITE_FIRST_OUT_OF_RANGE, 10**30)


@pytest.mark.parametrize(
    ("method", "template"),
    [
        ("GET", "/api/v1/processors/{big}"),
        ("PATCH", "/api/v1/processors/{big}"),
        ("DELETE", "/api/v1/processors/{big}"),
        ("GET", "/api/v1/organisations/{big}"),
        ("POST", "/api/v1/organisations/{big}/processors"),
        ("GET", "/api/v1/procurement-requests/{big}"),
        ("PATCH", "/api/v1/processors/{processor_id}/locations/{big}"),
        ("DELETE", "/api/v1/processors/{processor_id}/safeguards/{big}"),
        ("DELETE", "/api/v1/me/tokens/{big}"),
    ],
)
def test_an_id_outside_the_column_range_is_not_found(client, register_of, method, template):
    organisation_id, processor_id = register_of
    before = _written(client, organisation_id)
    for big in OUT_OF_RANGE:
        url = template.format(big=big, processor_id=processor_id)
        body = {"legal_name": "X", "version": 1} if method in ("POST", "PATCH") else None
        response = client.request(method, url, json=body)
        assert response.status_code == 404, f"{method} {url}: {response.status_code} {response.text[:200]}"
    assert _written(client, organisation_id) == before


def test_a_page_with_an_id_outside_the_column_range_is_not_found(signed_in):
    dpo = signed_in("dpo")
    for big in OUT_OF_RANGE:
        for url in (f"/processors/{big}", f"{dpo.processor}/locations/{big}/edit",
                    f"/organisations/{big}/processors", f"/procurement/{big}"):
            response = dpo.browser.get(url, follow_redirects=False)
            assert response.status_code == 404, f"{url}: {response.status_code}"


@pytest.mark.parametrize("big", [POSTGRES_FIRST_OUT_OF_RANGE, SQLITE_FIRST_OUT_OF_RANGE])
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("sub-processors", {"name": "S", "registered_processor_id": "BIG"}, "registered_processor_id"),
        ("safeguards", {"country": "US", "mechanism": "bcr", "sub_processor_id": "BIG"}, "sub_processor_id"),
        ("", {"trade_name": "T", "version": "BIG"}, "version"),
        ("agreement/clauses/art28_3_a", {"status": "present", "version": "BIG"}, "version"),
    ],
)
def test_an_id_outside_the_column_range_in_a_body_is_a_400(client, register_of, big, path, body, field):
    organisation_id, processor_id = register_of
    before = _written(client, organisation_id)
    body = {k: big if v == "BIG" else v for k, v in body.items()}
    url = f"/api/v1/processors/{processor_id}/{path}".rstrip("/")
    method = "PUT" if "clauses" in path else "PATCH" if not path else "POST"
    response = client.request(method, url, json=body)
    assert response.status_code == 400, response.text
    assert error_keys(response) == [field]
    assert _written(client, organisation_id) == before


def test_a_page_form_with_a_huge_version_is_refused_not_a_500(signed_in):
    dpo = signed_in("dpo")
    page = dpo.processor
    response = post_form(dpo.browser, f"{page}/edit", page, {"legal_name": "Renamed", "version": str(2**63)})
    assert response.status_code == 400  # stale: nothing saved
    assert "Renamed" not in dpo.browser.get(page).text


# ------------------------------------------------------------------ NUL characters


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"legal_name": "Acme\u0000 SAS"}, "legal_name"),
        ({"legal_name": "Acme", "service_description": "a\u0000b"}, "service_description"),
        ({"legal_name": "Acme", "purposes": ["ok", "bad\u0000"]}, "purposes[1]"),
    ],
)
def test_a_nul_character_is_refused_and_named(client, body, field):
    organisation = create_organisation(client)
    before = _written(client, organisation["id"])
    response = client.post(f"/api/v1/organisations/{organisation['id']}/processors", json=body)
    assert response.status_code == 400, response.text
    assert error_keys(response) == [field]
    assert "NUL character" in response.json()["extra"][0]["message"]
    assert _written(client, organisation["id"]) == before


def test_a_nul_character_in_a_candidate_or_a_search_is_refused(client):
    organisation = create_organisation(client)
    base = f"/api/v1/organisations/{organisation['id']}"
    submitted = client.post(
        f"{base}/procurement/requests",
        json={"candidate": {"legal_name": "C", "locations": [{"country": "FR", "note": "x\u0000"}]}},
    )
    assert submitted.status_code == 400 and error_keys(submitted) == ["candidate.locations[0].note"]
    assert client.get(f"{base}/procurement/requests").json() == []
    assert client.get(f"{base}/processors", params={"q": "a\u0000b"}).status_code == 400


def test_a_nul_character_in_a_form_is_shown_next_to_the_field(signed_in, run):
    dpo = signed_in("dpo")
    page = dpo.processor
    response = post_form(dpo.browser, f"{page}/locations/new", f"{page}/locations",
                         {"country": "DE", "activity": "hosting", "note": "bad\u0000note"})
    assert response.status_code == 400
    assert 'id="error-note"' in response.text and "U+0000" in response.text
    assert not any(loc.note.startswith("bad") for loc in run(reads.load_processor(dpo.ids.processor_id)).locations)


def test_the_store_refuses_a_nul_character_whatever_the_caller(run, database):
    from register.store.errors import InvalidReference

    organisation_id = run(import_document(demo_document(), "test"))
    with pytest.raises(InvalidReference, match="legal_name"):
        run(changes.create_processor(organisation_id, {"legal_name": "x\x00"}, "test"))


def test_import_refuses_a_nul_character_with_a_reason(run, database, tmp_path, capsys):
    document = json.loads(run(export_organisation(run(import_document(demo_document(), "test")))))
    document["processors"][1]["locations"][0]["note"] = "hidden\u0000text"
    broken = tmp_path / "nul.json"
    broken.write_text(json.dumps(document))
    organisations = run(Organisation.count())
    assert main(["import", str(broken)]) == 1
    error = capsys.readouterr().err
    assert "processors[1].locations[0].note" in error and "NUL character" in error
    assert run(Organisation.count()) == organisations


# ------------------------------------------------------------------ structure and types


def test_json_nested_a_thousand_levels_is_a_400(client):
    organisation = create_organisation(client)
    url = f"/api/v1/organisations/{organisation['id']}/processors"
    for deep in (b"[" * 1000 + b"]" * 1000, b"{" + b'"a":{' * 1000 + b"}" * 1001):
        for body in (b'{"legal_name":' + deep + b"}", b'{"legal_name":"P","certifications":' + deep + b"}", deep):
            response = client.post(url, content=body, headers={"content-type": "application/json"})
            assert response.status_code == 400, response.text[:200]
    assert client.get(url).json()["total"] == 0


def test_a_candidate_with_too_many_locations_is_refused(client):
    organisation = create_organisation(client)
    base = f"/api/v1/organisations/{organisation['id']}"
    candidate = {"legal_name": "C", "locations": [{"country": "FR"}] * 20_000}
    response = client.post(f"{base}/procurement/requests", json={"candidate": candidate})
    assert response.status_code == 400
    assert error_keys(response) == ["candidate.locations"]
    assert f"length <= {MAX_LOCATIONS}" in response.json()["extra"][0]["message"]
    assert client.get(f"{base}/procurement/requests").json() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"legal_name": "V", "retention_unlimited": 1}, "retention_unlimited"),
        ({"legal_name": "V", "special_category_data": 0}, "special_category_data"),
        ({"legal_name": "V", "retention_months": "12"}, "retention_months"),
        ({"legal_name": "V", "retention_months": 12.0}, "retention_months"),
        ({"legal_name": 12}, "legal_name"),
        ({"legal_name": "V", "dpf_certified": "true"}, "dpf_certified"),
    ],
)
def test_types_are_strict(client, body, field):
    organisation = create_organisation(client)
    response = client.post(f"/api/v1/organisations/{organisation['id']}/processors", json=body)
    assert response.status_code == 400, response.text
    assert error_keys(response) == [field]
    assert response.json()["extra"][0]["message"].startswith("Expected `")
    assert _written(client, organisation["id"])[0] == 0


def test_a_version_sent_as_text_is_refused(client, register_of):
    _, processor_id = register_of
    response = client.patch(f"/api/v1/processors/{processor_id}", json={"trade_name": "T", "version": "1"})
    assert response.status_code == 400 and error_keys(response) == ["version"]


def test_duplicate_keys_are_refused(client):
    organisation = create_organisation(client)
    url = f"/api/v1/organisations/{organisation['id']}/processors"
    response = client.post(
        url, content=b'{"legal_name": "Good", "legal_name": "Evil"}', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert error_keys(response) == ["legal_name"] and "twice" in response.text
    assert client.get(url).json()["total"] == 0


def test_import_refuses_duplicate_keys_and_accepts_a_byte_order_mark(run, database):
    exported = run(export_organisation(run(import_document(demo_document(), "test"))))
    duplicated = exported.replace(b'"format_version": 1,', b'"format_version": 1, "format_version": 1,', 1)
    with pytest.raises(ImportRefused, match="format_version.*twice"):
        run(import_organisation(duplicated, "test"))
    copy_id = run(import_organisation(b"\xef\xbb\xbf" + exported, "test"))
    assert run(export_organisation(copy_id)) == exported


def test_import_refuses_a_register_with_too_many_processors(run, database):
    from register.schemas import MAX_PROCESSORS

    document = {"format": "gdpr-processor-register", "format_version": 1,
                "organisation": {"name": "X", "country": "FR"},
                "processors": [{"key": i, "legal_name": "P"} for i in range(1, MAX_PROCESSORS + 2)]}
    with pytest.raises(ImportRefused, match=rf"processors: .*length <= {MAX_PROCESSORS}"):
        run(import_organisation(json.dumps(document).encode(), "test"))
    assert run(Processor.count()) == 0


# ------------------------------------------------------------------ search


def test_name_search_treats_wildcards_literally(client):
    organisation = create_organisation(client)
    for name in ("100% Cloud", "1000 Cloud", "Data_Hub", "DataXHub", "Back\\slash"):
        create_processor(client, organisation["id"], legal_name=name)
    url = f"/api/v1/organisations/{organisation['id']}/processors"

    def found(q: str) -> list[str]:
        return sorted(p["legal_name"] for p in client.get(url, params={"q": q}).json()["items"])

    assert found("100%") == ["100% Cloud"]
    assert found("%") == ["100% Cloud"]
    assert found("a_h") == ["Data_Hub"]
    assert found("_") == ["Data_Hub"]
    assert found("k\\s") == ["Back\\slash"]
    assert found("cloud") == ["100% Cloud", "1000 Cloud"]  # still case-insensitive


# ------------------------------------------------------------------ the checklist form: one transaction


def test_the_checklist_saves_all_items_or_none(signed_in, run):
    dpo = signed_in("dpo")
    processor_id = run(changes.create_processor(dpo.ids.organisation_id, {"legal_name": "Chatly"}, "test")).id
    run(changes.create_agreement(dpo.ids.organisation_id, processor_id, {}, "test"))
    run(changes.put_clause(dpo.ids.organisation_id, processor_id, "art28_3_c", {"status": "absent"}, None, "test"))
    page = f"/processors/{processor_id}/agreement/clauses"
    events = run(AuditEvent.count())
    response = post_form(dpo.browser, page, page, {
        "status__art28_3_a": "present", "section__art28_3_a": "§1",  # new: would be saved first
        "status__art28_3_b": "partial",
        "status__art28_3_c": "present", "version__art28_3_c": "7",  # stale
    }, follow_redirects=False)
    assert response.status_code in (400, 409)
    clauses = run(reads.load_processor(processor_id)).agreement.clauses
    assert [(c.item, c.status.value) for c in clauses] == [("art28_3_c", "absent")]  # nothing was saved
    assert run(AuditEvent.count()) == events


# ------------------------------------------------------------------ unique rules answer 409 on both engines


def test_a_unique_violation_is_a_conflict_on_both_engines(run, database):
    from register.store.errors import Conflict
    from register.store.writes import write_transaction
    from register.tables import Agreement, ClauseAssessment, Membership

    organisation = run(changes.create_organisation({"name": "A", "country": "FR"}, "test"))
    processor = run(changes.create_processor(organisation.id, {"legal_name": "P"}, "test"))
    run(changes.create_agreement(organisation.id, processor.id, {}, "test"))
    agreement_id = run(Agreement.select(Agreement.id).first())["id"]

    async def insert_twice(row_of) -> None:
        async with write_transaction(organisation.id):
            await type(row_of()).insert(row_of())
            await type(row_of()).insert(row_of())  # the check a race would skip

    duplicates = (
        lambda: ClauseAssessment(agreement=agreement_id, item="art28_3_a"),
        lambda: Agreement(processor=processor.id),
    )
    for row_of in duplicates:
        with pytest.raises(Conflict, match="already exists"):
            run(insert_twice(row_of))
    assert run(ClauseAssessment.count()) == 0  # the first insert was rolled back with the second
    user = run(_user())
    with pytest.raises(Conflict):
        run(insert_twice(lambda: Membership(user=user, organisation=organisation.id, role="dpo")))
    assert run(Membership.count()) == 0


async def _user() -> int:
    from register.accounts.store import create_user

    return await create_user("member@example.test", "correct horse battery staple")
