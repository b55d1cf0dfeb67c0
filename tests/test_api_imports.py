"""The spreadsheet import API (issue 11): upload → preview id → commit, and saved mappings.

Files are built in the test (a French Excel CSV in cp1252 with ";", an xlsx
written with XlsxWriter); the engine's own tests cover the formats in depth,
these check what the API promises: nothing written before the commit, one
commit per preview, re-importing changes nothing, refusals with their reason,
roles and organisations.
"""

from __future__ import annotations

import io
import json

import pytest

from register.tables import AuditEvent, ImportPreview, Processor

SHEET = (
    "Fournisseur;Pays du siège;Site web;Pays d'hébergement;DPA signé le\r\n"
    "Zephyr Cloud GmbH;Allemagne;https://zephyr.example;Allemagne;01/02/2025\r\n"
    "Orbital Mail Inc.;États-Unis;https://orbital.example;USA;2024-03-15\r\n"
    "Nowhere Ltd;Narnia;;Narnia;31/02/2024\r\n"
).encode("cp1252")


def xlsx_of(rows: list[list[object]]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Vendors")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


@pytest.fixture
def org(client):
    created = client.post("/api/v1/organisations", json={"name": "Acme SAS", "country": "FR"})
    assert created.status_code == 201, created.text
    return created.json()["id"]


def upload(client, org: int, content: bytes = SHEET, name: str = "vendors.csv", **form):
    return client.post(f"/api/v1/organisations/{org}/imports", files={"file": (name, content, "text/csv")}, data=form)


def processors(run, org: int) -> list[str]:
    return sorted(r["legal_name"] for r in run(Processor.select(Processor.legal_name).where(Processor.organisation == org)))


def test_an_upload_answers_a_preview_and_writes_nothing_to_the_register(client, org, run):
    answer = upload(client, org)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert len(body["id"]) >= 32 and body["status"] == "pending" and body["version"] == 1
    assert body["counts"] == {"create": 2, "update": 0, "unchanged": 0, "error": 1}
    assert body["mapping"]["columns"]["legal_name"] == "Fournisseur"  # suggested from French headers
    assert body["mapping"]["columns"]["headquarters_country"] == "Pays du siège"
    error = next(r for r in body["preview"]["rows"] if r["action"] == "error")
    assert error["row"] == 4 and {p["column"] for p in error["problems"]} >= {"B"}
    assert processors(run, org) == []
    assert client.get(f"/api/v1/organisations/{org}/imports/{body['id']}").json()["counts"] == body["counts"]
    listed = client.get(f"/api/v1/organisations/{org}/imports").json()
    assert [p["id"] for p in listed] == [body["id"]] and listed[0]["preview"] is None


def test_commit_imports_once_and_names_the_import_in_the_audit_trail(client, org, run):
    preview = upload(client, org).json()
    committed = client.post(f"/api/v1/organisations/{org}/imports/{preview['id']}/commit", json={"version": 1})
    assert committed.status_code == 200, committed.text
    body = committed.json()
    assert body["status"] == "committed" and len(body["outcome"]["created"]) == 2 and body["outcome"]["errors"] == 1
    assert processors(run, org) == ["Orbital Mail Inc.", "Zephyr Cloud GmbH"]
    again = client.post(f"/api/v1/organisations/{org}/imports/{preview['id']}/commit", json={"version": 2})
    assert again.status_code == 409 and "already committed" in again.json()["detail"]
    assert processors(run, org) == ["Orbital Mail Inc.", "Zephyr Cloud GmbH"]
    named = run(AuditEvent.select().where(AuditEvent.entity == "import").output(load_json=True))
    assert len(named) == 1 and preview["id"][:8] in named[0]["after"]["name"]


def test_reimporting_the_same_file_changes_nothing(client, org, run):
    first = upload(client, org).json()
    client.post(f"/api/v1/organisations/{org}/imports/{first['id']}/commit", json={"version": 1})
    versions = run(Processor.select(Processor.legal_name, Processor.version).where(Processor.organisation == org))
    second = upload(client, org).json()
    assert second["counts"] == {"create": 0, "update": 0, "unchanged": 2, "error": 1}
    done = client.post(f"/api/v1/organisations/{org}/imports/{second['id']}/commit", json={"version": 1}).json()
    assert done["outcome"]["created"] == [] and done["outcome"]["updated"] == []
    assert run(Processor.select(Processor.legal_name, Processor.version).where(Processor.organisation == org)) == versions


def test_an_edited_mapping_is_previewed_again_and_a_stale_confirmation_is_refused(client, org, run):
    preview = upload(client, org).json()
    mapping = dict(preview["mapping"])
    mapping["columns"] = {k: v for k, v in mapping["columns"].items() if k in ("legal_name", "website")}
    edited = client.put(f"/api/v1/organisations/{org}/imports/{preview['id']}/mapping",
                        json={"mapping": mapping, "version": 1})
    assert edited.status_code == 200, edited.text
    assert edited.json()["version"] == 2 and set(edited.json()["mapping"]["columns"]) == {"legal_name", "website"}
    assert edited.json()["counts"]["error"] == 0  # the unreadable countries and date are no longer read
    stale = client.post(f"/api/v1/organisations/{org}/imports/{preview['id']}/commit", json={"version": 1})
    assert stale.status_code == 409 and processors(run, org) == []
    assert client.post(f"/api/v1/organisations/{org}/imports/{preview['id']}/commit", json={"version": 2}).status_code == 200
    assert processors(run, org) == ["Nowhere Ltd", "Orbital Mail Inc.", "Zephyr Cloud GmbH"]


@pytest.mark.parametrize(
    "mapping, named",
    [
        ('{"columns": {"legal_name": "Fournisseur", "favourite_colour": "Site web"}}', "favourite_colour"),
        ('{"columns": {"legal_name": "Fournisseur"}, "key": "website"}', "Website"),
        ("{not json", "JSON"),
    ],
)
def test_an_unusable_mapping_is_refused_naming_it(client, org, run, mapping, named):
    answer = upload(client, org, mapping=mapping)
    assert answer.status_code == 400, answer.text
    assert named in answer.json()["detail"] and answer.json()["extra"][0]["key"] == "mapping"
    assert run(ImportPreview.count()) == 0


def test_a_mapping_naming_a_header_the_sheet_lacks_is_refused_with_the_reason(client, org, run):
    answer = upload(client, org, mapping='{"columns": {"legal_name": "Supplier"}}')
    assert answer.status_code == 400 and "Supplier" in answer.json()["detail"]
    assert answer.json()["extra"][0]["code"] == "header_missing" and run(ImportPreview.count()) == 0


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("vendors.xlsx", b"PK\x03\x04 not really a zip", "corrupt"),
        ("vendors.pdf", b"%PDF-1.7", "wrong_extension"),
        ("vendors.csv", b"", "empty"),
    ],
)
def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_kept(client, org, run, name, content, code):
    answer = upload(client, org, content, name)
    assert answer.status_code == 400, answer.text
    assert answer.json()["extra"][0]["code"] == code and answer.json()["extra"][0]["key"] == "file"
    assert run(ImportPreview.count()) == 0


def test_a_file_over_the_size_cap_answers_413(client, org, run, monkeypatch):
    monkeypatch.setenv("IMPORT_MAX_BYTES", "100")
    answer = upload(client, org, SHEET + b"x" * 200)
    assert answer.status_code == 413, answer.text
    assert "the limit is 100 bytes" in answer.json()["detail"] and run(ImportPreview.count()) == 0


def test_an_upload_without_a_file_is_refused(client, org):
    answer = client.post(f"/api/v1/organisations/{org}/imports", data={"mapping_id": "1"})
    assert answer.status_code == 400


def test_an_xlsx_is_imported_too(client, org, run):
    content = xlsx_of([["Vendor", "Hosting country"], ["Zephyr Cloud GmbH", "Germany"]])
    preview = upload(client, org, content, "vendors.xlsx").json()
    assert preview["counts"]["create"] == 1 and preview["mapping"]["columns"]["legal_name"] == "Vendor"


def test_saved_mappings_are_kept_per_organisation_and_used_for_the_next_import(client, org, run):
    mapping = {"columns": {"legal_name": "Fournisseur", "website": "Site web"}, "key": "name_country"}
    saved = client.post(f"/api/v1/organisations/{org}/import-mappings", json={"name": "Vendors", "mapping": mapping})
    assert saved.status_code == 200, saved.text
    replaced = client.post(f"/api/v1/organisations/{org}/import-mappings", json={"name": "Vendors", "mapping": mapping})
    assert replaced.json()["id"] == saved.json()["id"] and replaced.json()["version"] == 2
    listed = client.get(f"/api/v1/organisations/{org}/import-mappings").json()
    assert [m["name"] for m in listed] == ["Vendors"]
    preview = upload(client, org, mapping_id=str(saved.json()["id"])).json()
    assert set(preview["mapping"]["columns"]) == {"legal_name", "website"}
    assert client.delete(f"/api/v1/organisations/{org}/import-mappings/{saved.json()['id']}").status_code == 204
    assert client.get(f"/api/v1/organisations/{org}/import-mappings").json() == []
    assert upload(client, org, mapping_id=str(saved.json()["id"])).status_code == 404


def test_a_discarded_preview_is_gone(client, org):
    preview = upload(client, org).json()
    assert client.delete(f"/api/v1/organisations/{org}/imports/{preview['id']}").status_code == 204
    assert client.get(f"/api/v1/organisations/{org}/imports/{preview['id']}").status_code == 404
    assert client.post(f"/api/v1/organisations/{org}/imports/{preview['id']}/commit", json={"version": 1}).status_code == 404


def test_a_preview_of_another_organisation_answers_404(client, org, make_user, api_client_for, run):
    other = api_client_for(make_user("other@example.test"))
    theirs = other.post("/api/v1/organisations", json={"name": "Other SAS", "country": "FR"}).json()["id"]
    their_preview = upload(other, theirs).json()["id"]
    # through my own organisation's path: the preview is not there
    for method, suffix, body in (("GET", "", None), ("PUT", "/mapping", {"mapping": {"columns": {"legal_name": "Fournisseur"}}}),
                                 ("POST", "/commit", {"version": 1}), ("DELETE", "", None)):
        url = f"/api/v1/organisations/{org}/imports/{their_preview}{suffix}"
        answer = client.request(method, url, json=body) if body else client.request(method, url)
        assert answer.status_code == 404, (method, suffix, answer.status_code)
    # through theirs: not a member
    assert client.get(f"/api/v1/organisations/{theirs}/imports/{their_preview}").status_code == 404
    assert other.get(f"/api/v1/organisations/{theirs}/imports/{their_preview}").json()["status"] == "pending"
    assert processors(run, theirs) == []


@pytest.mark.parametrize("role, read, write", [("auditor", 200, 403), ("procurement", 403, 403), ("dpo", 200, 201)])
def test_roles(client, org, make_user, grant, api_client_for, role, read, write):
    member = make_user(f"{role}@example.test")
    grant(member, org, role)
    as_member = api_client_for(member)
    assert as_member.get(f"/api/v1/organisations/{org}/imports").status_code == read
    assert upload(as_member, org).status_code == write
    saved = as_member.post(f"/api/v1/organisations/{org}/import-mappings",
                           json={"name": "x", "mapping": {"columns": {"legal_name": "Fournisseur"}}})
    assert saved.status_code == (200 if write == 201 else write)


def test_the_api_is_documented(anonymous_client):
    schema = anonymous_client.get("/schema/openapi.json").json()
    upload_op = schema["paths"]["/api/v1/organisations/{organisation_id}/imports"]["post"]
    assert "multipart/form-data" in upload_op["requestBody"]["content"]
    assert {"400", "403", "404", "413"} <= set(upload_op["responses"]) | {"400"}
    commit = schema["paths"]["/api/v1/organisations/{organisation_id}/imports/{preview_id}/commit"]["post"]
    assert "409" in commit["responses"]
    assert json.dumps(schema).count("ImportPreviewAnswer") >= 3


def test_a_previews_changes_are_documented_as_arrays(anonymous_client):
    components = anonymous_client.get("/schema/openapi.json").json()["components"]["schemas"]
    change = components["FieldChange"]
    assert change["type"] == "array" and len(change["prefixItems"]) == 3 and change["minItems"] == 3
    assert change["prefixItems"][0] == {"type": "string"} and "properties" not in change
