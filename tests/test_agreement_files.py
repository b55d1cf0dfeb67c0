"""Files of a processor's agreement: upload, list, download, delete; storage and refusals."""

from __future__ import annotations

import hashlib

import pytest

from register.store import files
from tests.api_support import create_organisation, create_processor

DPA_TEXT = (
    "Data Processing Agreement\n\n1. Subject matter\n1.1 The Processor processes personal data only on "
    "documented instructions from the Controller.\n"
).encode()
PDF_MAGIC = b"%PDF-1.7\n"


@pytest.fixture
def vendor(client):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"])
    return client, organisation["id"], processor["id"]


def upload(client, processor_id: int, content: bytes, name: str = "dpa.txt"):
    return client.post(
        f"/api/v1/processors/{processor_id}/agreement/files", files={"file": (name, content, "application/octet-stream")}
    )


def test_an_uploaded_file_is_listed_downloaded_and_deleted_with_audit_events(vendor, run):
    client, organisation_id, processor_id = vendor
    answer = upload(client, processor_id, DPA_TEXT, "Contrat DPA – v2.txt")
    assert answer.status_code == 201, answer.text
    stored = answer.json()
    assert stored["sha256"] == hashlib.sha256(DPA_TEXT).hexdigest()
    assert stored["size"] == len(DPA_TEXT)
    assert stored["media_type"] == "text/plain"  # sniffed, not the declared octet-stream
    assert stored["file_name"] == "Contrat DPA – v2.txt"
    assert stored["uploaded_by"] == "tester@example.test"
    listed = client.get(f"/api/v1/processors/{processor_id}/agreement/files").json()
    assert [f["id"] for f in listed] == [stored["id"]]

    download = client.get(f"/api/v1/processors/{processor_id}/agreement/files/{stored['id']}/content")
    assert download.status_code == 200
    assert download.content == DPA_TEXT
    assert download.headers["content-type"].startswith("text/plain")
    assert download.headers["x-content-type-options"] == "nosniff"
    disposition = download.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="contrat-dpa-v2.txt"')
    assert "filename*=UTF-8''Contrat%20DPA%20%E2%80%93%20v2.txt" in disposition
    assert "sandbox" in download.headers["content-security-policy"]

    blob = files.blob_path(organisation_id, stored["sha256"])
    assert blob.read_bytes() == DPA_TEXT
    assert client.delete(f"/api/v1/processors/{processor_id}/agreement/files/{stored['id']}").status_code == 204
    assert not blob.exists()
    assert client.get(f"/api/v1/processors/{processor_id}/agreement/files").json() == []
    trail = client.get(f"/api/v1/organisations/{organisation_id}/audit-events").json()
    actions = [(e["entity"], e["action"]) for e in trail["items"]]
    assert ("agreement_file", "create") in actions and ("agreement_file", "delete") in actions


def test_versions_with_the_same_bytes_share_one_stored_file_until_the_last_is_deleted(vendor):
    client, organisation_id, processor_id = vendor
    first = upload(client, processor_id, DPA_TEXT, "v1.txt").json()
    second = upload(client, processor_id, DPA_TEXT, "v2.txt").json()
    third = upload(client, processor_id, DPA_TEXT + b"\n2. Duration\n", "v3.txt").json()
    listed = client.get(f"/api/v1/processors/{processor_id}/agreement/files").json()
    assert [f["file_name"] for f in listed] == ["v1.txt", "v2.txt", "v3.txt"]  # oldest first
    blob = files.blob_path(organisation_id, first["sha256"])
    client.delete(f"/api/v1/processors/{processor_id}/agreement/files/{first['id']}")
    assert blob.exists()  # v2 still names it
    client.delete(f"/api/v1/processors/{processor_id}/agreement/files/{second['id']}")
    assert not blob.exists()
    assert files.blob_path(organisation_id, third["sha256"]).exists()


def test_the_media_type_comes_from_the_content_and_the_name_gets_its_extension(vendor):
    client, _, processor_id = vendor
    html = upload(client, processor_id, b"<!DOCTYPE html><html><body><h1>DPA</h1></body></html>", "dpa.pdf")
    assert html.status_code == 201, html.text
    assert html.json()["media_type"] == "text/html"
    assert html.json()["file_name"] == "dpa.pdf.html"
    named = upload(client, processor_id, DPA_TEXT, "../../etc/passwd").json()
    assert named["file_name"] == "passwd.txt"


def test_stored_names_have_no_folder_no_control_character_and_a_bounded_length():
    assert files.clean_file_name("C:\\Users\\x\\DPA\x07 final.pdf", ".pdf") == "DPA final.pdf"
    assert files.clean_file_name("", ".docx") == "dpa.docx"
    assert len(files.clean_file_name("a" * 500 + ".pdf", ".pdf")) == 200


@pytest.mark.parametrize(
    "content, status",
    [
        (b"", 400),
        (b"\x00\x01\x02\x03binary\xff\xfe" * 10, 415),
        (b"PK\x03\x04" + b"\x00" * 60, 415),
    ],
)
def test_empty_and_unsupported_files_are_refused_and_nothing_is_kept(vendor, content, status):
    client, organisation_id, processor_id = vendor
    answer = upload(client, processor_id, content, "dpa.docx")
    assert answer.status_code == status, answer.text
    assert answer.json()["extra"][0]["key"] == "file"
    assert client.get(f"/api/v1/processors/{processor_id}/agreement/files").json() == []
    assert not files.organisation_folder(organisation_id).exists()


def test_a_file_over_the_size_cap_answers_413_and_keeps_nothing(vendor, monkeypatch):
    client, organisation_id, processor_id = vendor
    monkeypatch.setenv("FILES_MAX_BYTES", "1000")
    exactly = upload(client, processor_id, b"a" * 1000)
    assert exactly.status_code == 201, exactly.text
    over = upload(client, processor_id, b"a" * 1001)
    assert over.status_code == 413, over.text
    far_over = upload(client, processor_id, b"a" * 200_000)  # refused on Content-Length, before reading
    assert far_over.status_code == 413
    assert len(client.get(f"/api/v1/processors/{processor_id}/agreement/files").json()) == 1


def test_a_form_without_a_file_is_a_400(vendor):
    client, _, processor_id = vendor
    answer = client.post(f"/api/v1/processors/{processor_id}/agreement/files", files={"note": (None, "no file")})
    assert answer.status_code == 400


def test_an_upload_whose_database_write_fails_leaves_no_file(vendor, monkeypatch):
    client, organisation_id, processor_id = vendor

    async def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(files, "insert_row", broken)
    answer = upload(client, processor_id, DPA_TEXT)
    assert answer.status_code == 500
    assert not files.blob_path(organisation_id, hashlib.sha256(DPA_TEXT).hexdigest()).exists()
    assert list((files.files_root() / files.INCOMING).iterdir()) == []


def test_deleting_the_processor_removes_its_stored_files(vendor):
    client, organisation_id, processor_id = vendor
    stored = upload(client, processor_id, DPA_TEXT).json()
    client.delete(f"/api/v1/processors/{processor_id}")
    assert not files.blob_path(organisation_id, stored["sha256"]).exists()


def test_an_auditor_reads_and_downloads_but_cannot_upload_or_delete(vendor, make_user, grant, api_client_for):
    client, organisation_id, processor_id = vendor
    stored = upload(client, processor_id, DPA_TEXT).json()
    auditor = api_client_for(make_user("auditor@example.test"))
    grant(auditor.user_id, organisation_id, "auditor")
    assert auditor.get(f"/api/v1/processors/{processor_id}/agreement/files").status_code == 200
    assert auditor.get(f"/api/v1/processors/{processor_id}/agreement/files/{stored['id']}/content").status_code == 200
    assert upload(auditor, processor_id, DPA_TEXT).status_code == 403
    assert auditor.delete(f"/api/v1/processors/{processor_id}/agreement/files/{stored['id']}").status_code == 403


def test_a_file_of_another_processor_is_not_found_through_this_one(vendor):
    client, organisation_id, processor_id = vendor
    other = create_processor(client, organisation_id, legal_name="Other SAS")
    stored = upload(client, processor_id, DPA_TEXT).json()
    assert client.get(f"/api/v1/processors/{other['id']}/agreement/files/{stored['id']}/content").status_code == 404
    assert client.delete(f"/api/v1/processors/{other['id']}/agreement/files/{stored['id']}").status_code == 404


# ---------------------------------------------------------------- export, import, backup


def test_export_lists_the_files_and_where_they_are_and_import_copies_them(vendor, run, tmp_path):
    import json

    from register.store.portability import ImportRefused, export_organisation, import_organisation

    client, organisation_id, processor_id = vendor
    stored = upload(client, processor_id, DPA_TEXT, "dpa v1.txt").json()
    exported = run(export_organisation(organisation_id))
    document = json.loads(exported)
    assert document["files_directory"] == str(files.organisation_folder(organisation_id))
    (record,) = document["processors"][0]["agreement_files"]
    assert (record["file_name"], record["sha256"], record["size"]) == ("dpa v1.txt", stored["sha256"], len(DPA_TEXT))
    assert record["path"] == f"{stored['sha256'][:2]}/{stored['sha256']}"

    copy_id = run(import_organisation(exported, "test"))
    assert files.blob_path(copy_id, stored["sha256"]).read_bytes() == DPA_TEXT
    copied = json.loads(run(export_organisation(copy_id)))
    assert copied["processors"][0]["agreement_files"] == document["processors"][0]["agreement_files"]

    # Elsewhere, the files directory is given explicitly; a missing file refuses the whole import.
    moved = tmp_path / "moved-files"
    files.copy_blob(files.blob_path(organisation_id, stored["sha256"]), moved / record["path"])
    document["files_directory"] = "/nowhere"
    third = run(import_organisation(json.dumps(document).encode(), "test", moved))
    assert files.blob_path(third, stored["sha256"]).exists()
    before = run(files.AgreementFile.count())
    with pytest.raises(ImportRefused, match="--files"):
        run(import_organisation(json.dumps(document).encode(), "test"))
    assert run(files.AgreementFile.count()) == before


def test_backup_then_restore_brings_the_stored_files_back(vendor, run, tmp_path):
    from register.cli import main
    from register.store.portability import export_organisation

    client, organisation_id, processor_id = vendor
    stored = upload(client, processor_id, DPA_TEXT).json()
    before = run(export_organisation(organisation_id))
    backup_file = tmp_path / "register.backup"
    assert main(["backup", str(backup_file)]) == 0
    assert (tmp_path / "register.backup.files" / str(organisation_id)).is_dir()

    client.delete(f"/api/v1/processors/{processor_id}/agreement/files/{stored['id']}")
    later = upload(client, processor_id, b"A later version.\n", "later.txt").json()
    assert not files.blob_path(organisation_id, stored["sha256"]).exists()

    assert main(["restore", str(backup_file)]) == 0
    assert run(export_organisation(organisation_id)) == before
    download = client.get(f"/api/v1/processors/{processor_id}/agreement/files/{stored['id']}/content")
    assert download.status_code == 200 and download.content == DPA_TEXT
    assert not files.blob_path(organisation_id, later["sha256"]).exists()  # what came after the backup is gone


def test_the_openapi_document_describes_uploads_downloads_and_their_refusals(anonymous_client):
    schema = anonymous_client.get("/schema/openapi.json").json()
    files_path = schema["paths"]["/api/v1/processors/{processor_id}/agreement/files"]["post"]
    assert "multipart/form-data" in files_path["requestBody"]["content"]
    assert {"413", "415"} <= set(files_path["responses"])
    content = schema["paths"]["/api/v1/processors/{processor_id}/agreement/files/{file_id}/content"]["get"]
    assert content["responses"]["200"]["content"] == {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
    }
    reading = schema["paths"]["/api/v1/processors/{processor_id}/agreement/files/{file_id}/readings"]["post"]
    assert "422" in reading["responses"]
    decisions = schema["paths"]["/api/v1/processors/{processor_id}/agreement/readings/{reading_id}/decisions"]["post"]
    assert decisions["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ReadingDecisionsInput"
    }
