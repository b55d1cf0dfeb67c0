"""A vendor's sub-processor list as a PDF: the table rebuilt from the text's positions
(register/reading's pypdf extraction) and read like every other table; a PDF without a
table read as text; a scanned PDF (no text layer) refused with a clear reason.

The fixture is made in the test: a Word document (python-docx) with a title, a notice
period and a three-column table over two pages (header row repeated), converted to PDF
by LibreOffice, as a vendor's "Print to PDF" of its list would be."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from register.intake.model import IntakeError
from register.intake.subprocessor_lists import read_subprocessor_list

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
VENDORS = [
    ("Amazon Web Services, Inc.", "Cloud hosting", "United States"),
    ("Google LLC", "Cloud infrastructure", "United States, Ireland"),
    ("Stripe Payments Europe Ltd", "Payment processing", "Ireland"),
    ("Twilio SendGrid", "Transactional e-mail", "United States"),
    ("Zendesk, Inc.", "Customer support", "United States"),
    ("Datadog, Inc.", "Monitoring", "Germany"),
    ("Cloudflare, Inc.", "Content delivery", "Worldwide"),
    ("Intercom R&D Unlimited Company", "In-app messaging", "Ireland"),
    ("Salesforce, Inc.", "Customer relationship management", "United States, France"),
    ("OVH SAS", "Backups", "France"),
    ("Sentry (Functional Software, Inc.)", "Error tracking", "United States"),
    ("Atlassian Pty Ltd", "Ticketing", "Australia"),
]
PAGE_TWO = [(f"Regional Partner {n} GmbH", "Local support", "Germany") for n in range(1, 31)]


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _list_docx(rows) -> bytes:
    document = docx.Document()
    document.add_heading("Acme Cloud — Sub-processors", level=1)
    document.add_paragraph(
        "Acme Cloud engages the sub-processors below. We notify customers of any new sub-processor "
        "at least 30 days before it starts processing personal data."
    )
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, ("Name", "Purpose", "Location"), strict=True):
        cell.text = title
    _repeat_header(table.rows[0])
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def list_pdf(tmp_path_factory) -> bytes:
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is needed to make the PDF fixture")
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("pdf-list")
    source = folder / "subprocessors.docx"
    source.write_bytes(_list_docx(VENDORS + PAGE_TWO))
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    return (folder / "subprocessors.pdf").read_bytes()


def test_a_pdf_table_is_read_like_any_other_table(list_pdf):
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(list_pdf)).pages) >= 2  # the table runs over a page break
    listed = read_subprocessor_list(list_pdf, "subprocessors.pdf")
    assert listed.shape == "pdf"
    names = [row.name for row in listed.rows]
    assert names == [name for name, _, _ in VENDORS + PAGE_TWO]  # in order, the repeated header skipped
    by_name = {row.name: row for row in listed.rows}
    assert by_name["Google LLC"].countries == ("US", "IE")
    assert by_name["Google LLC"].purpose == "Cloud infrastructure"
    assert by_name["Salesforce, Inc."].purpose == "Customer relationship management"
    assert by_name["Cloudflare, Inc."].regions == ("worldwide",) and by_name["Cloudflare, Inc."].countries == ()
    assert by_name["Atlassian Pty Ltd"].countries == ("AU",)
    assert (listed.stated_notice_days, listed.stated_business_days) == (30, False)
    assert listed.problems == ()


def test_a_pdf_is_recognised_by_its_signature_whatever_its_name(list_pdf):
    assert read_subprocessor_list(list_pdf, "download").shape == "pdf"


def test_a_scanned_pdf_is_refused_with_a_clear_reason():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # a page with no text layer, as a scan is
    scanned = io.BytesIO()
    writer.write(scanned)
    with pytest.raises(IntakeError) as refused:
        read_subprocessor_list(scanned.getvalue(), "scan.pdf")
    assert refused.value.code == "scanned_pdf"
    assert "OCR" in refused.value.message and "scan" in refused.value.message


def test_a_damaged_pdf_is_refused():
    with pytest.raises(IntakeError) as refused:
        read_subprocessor_list(b"%PDF-1.7\n garbage", "list.pdf")
    assert refused.value.code in ("unsupported_format", "scanned_pdf")


def test_a_pdf_file_through_the_api_becomes_a_notice(list_pdf, run, make_user, grant, api_client_for):
    import base64

    from tests.access_support import seeded_register

    ids = run(seeded_register())
    user = make_user("dpo-pdf@example.test")
    grant(user, ids.organisation_id, "dpo")
    client = api_client_for(user)
    answer = client.post(
        f"/api/v1/processors/{ids.processor_id}/notices",
        json={"received_on": "2026-11-20", "kind": "full_list", "channel": "list_page",
              "file": {"name": "subprocessors.pdf", "content_base64": base64.b64encode(list_pdf).decode()}},
    )
    assert answer.status_code == 201, answer.text
    notice = answer.json()
    assert len(notice["rows"]) == len(VENDORS + PAGE_TWO) and notice["stated_notice_days"] == 30
    assert "%PDF" not in notice["content"]  # the bytes are not kept as text


def test_a_scanned_pdf_through_the_api_is_a_400_naming_the_file(run, make_user, grant, api_client_for):
    import base64

    from pypdf import PdfWriter

    from tests.access_support import seeded_register

    ids = run(seeded_register())
    user = make_user("dpo-scan@example.test")
    grant(user, ids.organisation_id, "dpo")
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    scanned = io.BytesIO()
    writer.write(scanned)
    answer = api_client_for(user).post(
        f"/api/v1/processors/{ids.processor_id}/notices",
        json={"received_on": "2026-11-20", "kind": "full_list", "channel": "email",
              "file": {"name": "scan.pdf", "content_base64": base64.b64encode(scanned.getvalue()).decode()}},
    )
    assert answer.status_code == 400
    assert "file" in answer.text and "OCR" in answer.text
