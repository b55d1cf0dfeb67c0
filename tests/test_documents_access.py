"""The document endpoints under /api/v1 and the ``report`` / ``dpa`` commands,
on the demo register loaded in a fresh database."""

from __future__ import annotations

import argparse
import csv
import io
import re
from datetime import date

import pytest

from register.demo import demo_document
from register.documents.commands import add_document_commands
from register.store.portability import import_document
from register.web.api.documents import DocumentController
from tests.documents_support import body_text, headings, open_docx, part_text, tables, xlsx_sheets

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SAFE_ATTACHMENT = re.compile(r'^attachment; filename="[a-z0-9_.-]+\.(docx|xlsx|csv)"$')


@pytest.fixture
def app(database, monkeypatch):
    """The app with the document endpoints (added here until they are wired in)."""
    import register.app as app_module

    if DocumentController not in app_module.API_CONTROLLERS:
        monkeypatch.setattr(app_module, "API_CONTROLLERS", [*app_module.API_CONTROLLERS, DocumentController])
    return app_module.create_app(connection_pool=False)


@pytest.fixture
def demo_id(client, run, grant) -> int:
    organisation_id = run(import_document(demo_document(), "test"))
    grant(client.user_id, organisation_id, "dpo")
    return organisation_id


def _processor_id(client, organisation_id: int, name: str) -> int:
    url = f"/api/v1/organisations/{organisation_id}/processors"
    return client.get(url, params={"q": name}).json()["items"][0]["id"]


def _attachment(response, media_type: str = DOCX) -> bytes:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media_type)
    assert SAFE_ATTACHMENT.match(response.headers["content-disposition"]), response.headers["content-disposition"]
    return response.content


def test_gap_report_endpoint(client, demo_id):
    url = f"/api/v1/organisations/{demo_id}/documents/gap-report.docx"
    response = client.get(url, params={"lang": "en", "as_of": "2026-12-01"})
    document = open_docx(_attachment(response))
    assert response.headers["content-disposition"] == (
        'attachment; filename="gap-report_demo-conseil-sas-illustrative-exemple-fictif_2026-12-01_en.docx"'
    )
    assert headings(document, 1)[0] == "Executive summary"
    assert "As of: 1 December 2026" in part_text(response.content, "word/footer")
    french = open_docx(_attachment(client.get(url)))
    assert headings(french, 1)[0] == "Synthèse"
    assert client.get(url, params={"lang": "de"}).status_code == 400
    assert client.get(url, params={"as_of": "2026-13-01"}).status_code == 400


def test_dpa_and_processor_gap_report_endpoints(client, demo_id):
    processor_id = _processor_id(client, demo_id, "Enrichly")
    dpa = open_docx(_attachment(client.get(f"/api/v1/processors/{processor_id}/documents/dpa-draft.docx", params={"lang": "en"})))
    assert "Clause 7 — Obligations of the Parties" in headings(dpa)
    assert "at least 30 days in advance" in body_text(dpa)
    report = open_docx(_attachment(client.get(f"/api/v1/processors/{processor_id}/documents/gap-report.docx")))
    assessment = client.get(f"/api/v1/processors/{processor_id}/assessment").json()
    codes = [row[1].split("\n")[1] for t in tables(report) if t[0][:2] == ["Gravité", "Constat"] for row in t[1:]]
    assert codes == [f["code"] for f in assessment["findings"]]
    assert client.get("/api/v1/processors/999999/documents/dpa-draft.docx").status_code == 404


def test_dpa_review_notes_endpoint(client, demo_id, make_user, grant, api_client_for):
    processor_id = _processor_id(client, demo_id, "RelationHub")
    url = f"/api/v1/processors/{processor_id}/documents/dpa-review-notes.docx"
    response = client.get(url, params={"lang": "en", "as_of": "2026-12-01"})
    notes = open_docx(_attachment(response))
    assert response.headers["content-disposition"] == (
        'attachment; filename="dpa-review-notes_relationhub-crm_2026-12-01_en.docx"'
    )
    assert headings(notes, 1)[:2] == [
        "1. Facts to complete in the draft",
        "2. Transfers outside the EEA (Clause 7.8) and the SCCs of (EU) 2021/914",
    ]
    assert "NOT COVERED" in "\n".join(cell for t in tables(notes) for row in t for cell in row)
    draft = open_docx(_attachment(client.get(f"/api/v1/processors/{processor_id}/documents/dpa-draft.docx", params={"lang": "en"})))
    assert "NOT COVERED" not in "\n".join(cell for t in tables(draft) for row in t for cell in row)
    assert client.get("/api/v1/processors/999999/documents/dpa-review-notes.docx").status_code == 404
    stranger = api_client_for(make_user("outsider@example.test"))
    assert stranger.get(url).status_code == 404
    procurement = api_client_for(make_user("buyer2@example.test"))
    grant(procurement.user_id, demo_id, "procurement")
    assert procurement.get(url).status_code == 403


def test_register_extract_endpoints(client, demo_id):
    base = f"/api/v1/organisations/{demo_id}/documents/register-extract"
    docx_rows = tables(open_docx(_attachment(client.get(f"{base}.docx"))))[0]
    workbook = xlsx_sheets(
        _attachment(client.get(f"{base}.xlsx", params={"lang": "en"}), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    rows = list(csv.reader(io.StringIO(_attachment(client.get(f"{base}.csv"), "text/csv").decode("utf-8-sig")), delimiter=";"))
    assert len(docx_rows) == len(workbook["Processors"]) == len(rows) == 7  # header + 6 processors
    assert sorted(row[1] for row in rows[1:]) == sorted(row[1] for row in workbook["Processors"][1:])


def test_csv_endpoint_has_one_charset_and_a_separator_choice(client, demo_id):
    url = f"/api/v1/organisations/{demo_id}/documents/register-extract.csv"
    french = client.get(url)
    assert french.headers["content-type"] == "text/csv; charset=utf-8"
    assert french.content.decode("utf-8-sig").startswith("Identifiant;")
    assert client.get(url, params={"lang": "en"}).content.decode("utf-8-sig").startswith("ID,Legal name,")
    tabbed = client.get(url, params={"sep": "tab"}).content.decode("utf-8-sig")
    assert tabbed.startswith("Identifiant\tDénomination sociale\t")
    refused = client.get(url, params={"sep": "|"})
    assert refused.status_code == 400 and "sep" in refused.text


def test_procurement_memo_endpoint_saves_nothing(client, demo_id):
    url = f"/api/v1/organisations/{demo_id}/documents/procurement-memo.docx"
    before = client.get(f"/api/v1/organisations/{demo_id}/processors").json()["total"]
    candidate = {
        "legal_name": "Offshore Leads Ltd",
        "headquarters_country": "IN",
        "prospection_use": "b2c",
        "prior_consent_collected": False,
        "locations": [{"country": "IN"}],
    }
    memo = open_docx(_attachment(client.post(url, json=candidate, params={"lang": "en"})))
    text = body_text(memo)
    assert "No-go: " in text and "B2C_PROSPECTION_WITHOUT_CONSENT" in text
    assert client.get(f"/api/v1/organisations/{demo_id}/processors").json()["total"] == before
    assert client.post(url, json={"legal_name": ""}).status_code == 400


def test_documents_follow_the_roles(client, demo_id, make_user, grant, api_client_for):
    auditor = api_client_for(make_user("auditor@example.test"))
    grant(auditor.user_id, demo_id, "auditor")
    procurement = api_client_for(make_user("buyer@example.test"))
    grant(procurement.user_id, demo_id, "procurement")
    stranger = api_client_for(make_user("stranger@example.test"))
    report = f"/api/v1/organisations/{demo_id}/documents/gap-report.docx"
    memo = f"/api/v1/organisations/{demo_id}/documents/procurement-memo.docx"
    assert auditor.get(report).status_code == 200
    assert procurement.get(report).status_code == 403
    assert procurement.post(memo, json={"legal_name": "Candidate SAS"}).status_code == 200
    assert stranger.get(report).status_code == 404


# --------------------------------------------------------------------------
# Command line


def _run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="register")
    add_document_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args)


def test_report_and_dpa_commands_write_files(run, database, tmp_path, monkeypatch):
    organisation_id = run(import_document(demo_document(), "test"))
    gap = tmp_path / "gap.docx"
    assert _run_cli(["report", "gap", "--organisation", str(organisation_id), "--lang", "en", "--as-of", "2026-12-01", "--output", str(gap)]) == 0
    assert headings(open_docx(gap.read_bytes()), 1)[0] == "Executive summary"
    extract = tmp_path / "extract.xlsx"
    assert _run_cli(["report", "extract", "--format", "xlsx", "--output", str(extract)]) == 0
    assert len(xlsx_sheets(extract.read_bytes())["Sous-traitants"]) == 7
    monkeypatch.chdir(tmp_path)
    from register.tables import Processor

    row = run(Processor.select(Processor.id).where(Processor.trade_name == "RelationHub CRM").first())
    assert _run_cli(["dpa", str(row["id"]), "--lang", "en", "--as-of", "2026-12-01"]) == 0
    written = tmp_path / "dpa-draft_relationhub-crm_2026-12-01_en.docx"
    assert "7.8 International transfers" in headings(open_docx(written.read_bytes()))
    assert _run_cli(["dpa", str(row["id"]), "--notes", "--lang", "en", "--as-of", "2026-12-01"]) == 0
    notes = tmp_path / "dpa-review-notes_relationhub-crm_2026-12-01_en.docx"
    assert headings(open_docx(notes.read_bytes()), 1)[0] == "1. Facts to complete in the draft"
    processor_report = tmp_path / "one.docx"
    assert _run_cli(["report", "gap", "--processor", str(row["id"]), "--output", str(processor_report)]) == 0
    assert "RelationHub CRM" in body_text(open_docx(processor_report.read_bytes()))
    with pytest.raises(SystemExit, match="no processor 999999|processor 999999"):
        _run_cli(["dpa", "999999"])
    with pytest.raises(SystemExit):
        _run_cli(["report", "gap", "--as-of", "yesterday"])


def test_report_command_needs_an_organisation_when_there_are_several(run, database, tmp_path):
    run(import_document(demo_document(), "test"))
    run(import_document(demo_document(date(2026, 1, 1)), "test"))
    with pytest.raises(SystemExit, match="name the organisation with --organisation ID"):
        _run_cli(["report", "gap", "--output", str(tmp_path / "x.docx")])
