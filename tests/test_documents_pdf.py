"""The proof that a real office suite opens the documents: LibreOffice
(headless) converts one of each kind to PDF, in a single soffice call, and
every PDF has pages — and the page fields of the footer were computed.

Needs Debian's libreoffice-writer (soffice) and poppler-utils (pdfinfo,
pdftotext); .ci/run installs them. Locally the test is skipped without
soffice; under CI (CI=true) a missing soffice fails the test instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from register.compliance import assess_processor, assess_register, procurement_verdict
from register.documents.dpa import dpa_draft
from register.documents.dpa_notes import dpa_review_notes
from register.documents.gap_report import gap_report, processor_gap_report
from register.documents.procurement_memo import procurement_memo
from register.documents.register_extract import register_extract_docx
from tests.documents_support import AS_OF, demo_register, synthetic_register

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CONVERSION_TIMEOUT = 300
# PNG renders of the first pages, kept for review beside the browser screenshots.
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-output" / "screenshots"
REVIEWED = {
    "dpa_draft_fr": 2, "dpa_draft_en": 2, "dpa_review_notes_fr": 2, "gap_report_fr": 3, "procurement_memo_en": 1,
}  # name: pages


@pytest.fixture(scope="module")
def soffice() -> str:
    if SOFFICE is None:
        message = "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer poppler-utils"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must run this test)")
        pytest.skip(message)
    return SOFFICE


def _documents() -> dict[str, bytes]:
    organisation, processors = demo_register(AS_OF)
    registry = {p.id: p for p in processors}
    assessment = assess_register(processors, as_of=AS_OF)
    by_name = {p.display_name: p for p in processors}
    crm = by_name["RelationHub CRM"]
    crm_assessment = assess_processor(crm, as_of=AS_OF, registry=registry)
    candidate = by_name["ProspectLens"]
    small_org, small_register = synthetic_register(60)
    return {
        "gap_report_fr": gap_report(organisation, assessment, language="fr", processors=processors),
        "gap_report_60_en": gap_report(
            small_org, assess_register(small_register, as_of=AS_OF), language="en", processors=small_register
        ),
        "processor_gap_report_en": processor_gap_report(organisation, crm_assessment, language="en", processor=crm),
        "dpa_draft_fr": dpa_draft(organisation, crm, crm_assessment, language="fr"),
        "dpa_draft_en": dpa_draft(
            organisation, candidate, assess_processor(candidate, as_of=AS_OF, registry=registry), language="en"
        ),
        "dpa_review_notes_fr": dpa_review_notes(organisation, crm, crm_assessment, language="fr"),
        "register_extract_fr": register_extract_docx(organisation, processors, assessment, language="fr"),
        "procurement_memo_en": procurement_memo(
            organisation, candidate, procurement_verdict(candidate, as_of=AS_OF, registry=registry), language="en"
        ),
    }


def _page_count(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        output = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", output, re.MULTILINE).group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def _text(pdf: Path) -> str:
    if not shutil.which("pdftotext"):
        return ""
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def converted(soffice, tmp_path_factory) -> dict[str, Path]:
    """Every document converted to PDF by one soffice call."""
    directory = tmp_path_factory.mktemp("pdf")
    sources = []
    for name, content in _documents().items():
        path = directory / f"{name}.docx"
        path.write_bytes(content)
        sources.append(str(path))
    profile = (directory / "profile").as_uri()
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(directory), *sources],
        capture_output=True, text=True, timeout=CONVERSION_TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    return {Path(source).stem: directory / f"{Path(source).stem}.pdf" for source in sources}


def test_libreoffice_converts_every_document_to_pdf_with_pages(converted):
    for name, pdf in converted.items():
        assert pdf.is_file(), f"{name}: LibreOffice produced no PDF"
        assert pdf.read_bytes().startswith(b"%PDF"), name
        assert _page_count(pdf) >= 1, name
    assert _page_count(converted["gap_report_fr"]) >= 6  # cover, summary, findings, plan, appendix
    assert _page_count(converted["gap_report_60_en"]) > _page_count(converted["gap_report_fr"])
    assert _page_count(converted["dpa_draft_fr"]) >= 6  # clauses, four annexes, the appendix


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_text_shows_computed_page_fields_and_the_content(converted):
    gap = _text(converted["gap_report_fr"])
    pages = _page_count(converted["gap_report_fr"])
    assert f"Page 1 sur {pages}" in gap and f"Page {pages} sur {pages}" in gap
    assert "Synthèse" in gap and "Plan de remédiation" in gap
    dpa = _text(converted["dpa_draft_en"])
    assert "Clause 10 — Non-compliance with the Clauses and termination" in dpa
    assert "Appendix — Summary of the Clauses (informative" in dpa
    assert "[To be completed:" in dpa
    notes = _text(converted["dpa_review_notes_fr"])
    assert "Notes de relecture" in notes and "Transferts hors de l'EEE (clause 7.8)" in notes
    memo = _text(converted["procurement_memo_en"])
    assert "No-go: the tool cannot be used as it stands" in memo


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_first_pages_are_rendered_to_png_for_review(converted):
    """test-output/screenshots/document-<name>-<page>.png: the first pages of
    the DPA drafts, the gap report and the memo as LibreOffice lays them out."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, pages in REVIEWED.items():
        prefix = SCREENSHOTS / f"document-{name.replace('_', '-')}"
        for old in SCREENSHOTS.glob(f"{prefix.name}-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", str(pages), str(converted[name]), str(prefix)],
            check=True, capture_output=True, timeout=120,
        )
        rendered = sorted(SCREENSHOTS.glob(f"{prefix.name}-*.png"))
        assert len(rendered) == min(pages, _page_count(converted[name])), name
        for image in rendered:
            assert image.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and image.stat().st_size > 5_000, image
