"""Registers built in memory and readers of generated files, for the document
tests (and bench/documents.py)."""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import replace
from datetime import date, timedelta

import docx
import msgspec
from docx.oxml.ns import qn
from lxml import etree

from register.candidates import candidate_processor
from register.compliance.model import (
    Agreement,
    ClauseAssessment,
    Location,
    Organisation,
    Processor,
    Safeguard,
    SubProcessor,
)
from register.demo import demo_document
from register.reference import load_reference
from register.schemas import CandidateInput
from register.vocabulary import (
    ClauseStatus,
    LifecycleStatus,
    LocationActivity,
    ProcessorCategory,
    ProspectionUse,
    SubProcessorAuthorisation,
    TransferMechanism,
    Tristate,
)

AS_OF = date(2026, 11, 29)
DOCUMENT_DATE = date(2026, 11, 30)


# --------------------------------------------------------------------------
# Registers


def demo_register(today: date = AS_OF) -> tuple[Organisation, list[Processor]]:
    """The demo register as plain values, ids = the export's keys."""
    document = demo_document(today)
    source = document.organisation
    organisation = Organisation(
        id=1,
        name=source.name,
        country=source.country,
        dpo_name=source.dpo_name,
        dpo_email=source.dpo_email,
        lead_authority=source.lead_authority,
        address=source.address,
        contact_name=source.contact_name,
        contact_position=source.contact_position,
        contact_email=source.contact_email,
    )
    processors = []
    for record in document.processors:
        values = msgspec.to_builtins(record)
        key = values.pop("key")
        values.pop("agreement_files", None)  # stored files: not part of a candidate
        candidate = msgspec.convert(values, CandidateInput)
        processors.append(replace(candidate_processor(candidate, 1), id=key))
    return organisation, processors


COUNTRIES = ("FR", "DE", "IE", "NL", "US", "GB", "CH", "JP", "CA", "IN", "BR", "SG", "AU", "PH")
MECHANISMS = (
    TransferMechanism.SCC_2021,
    TransferMechanism.SCC_PRE_2021,
    TransferMechanism.DPF,
    TransferMechanism.ART49_DEROGATION,
)


def synthetic_processor(index: int, rng: random.Random, as_of: date = AS_OF) -> Processor:
    """A varied processor: some locations and sub-processors abroad, a DPA
    with some clauses missing, some safeguards, some facts unknown."""
    items = load_reference().art28_item_ids()
    statuses = (ClauseStatus.PRESENT, ClauseStatus.PRESENT, ClauseStatus.PRESENT, ClauseStatus.ABSENT, ClauseStatus.UNASSESSED)
    sub_processors = tuple(
        SubProcessor(
            id=index * 10 + n,
            name=f"Sub-processor {index}.{n} Ltd",
            countries=(rng.choice(COUNTRIES),),
            purpose=rng.choice(("Hosting", "Support", "Analytics", "")),
            flowdown=rng.choice(tuple(Tristate)),
            dpf_certified=rng.choice((None, True, False)),
        )
        for n in range(rng.randint(0, 4))
    )
    safeguards = tuple(
        Safeguard(
            id=index * 10 + n,
            country=sub.countries[0],
            mechanism=rng.choice(MECHANISMS),
            sub_processor_id=sub.id,
            scc_module=rng.choice((None, 2, 3)),
            signed_on=as_of - timedelta(days=rng.randint(30, 1500)),
        )
        for n, sub in enumerate(sub_processors)
        if rng.random() < 0.6
    )
    agreement = None
    if rng.random() < 0.85:
        agreement = Agreement(
            id=index,
            signed_on=as_of - timedelta(days=rng.randint(10, 1500)),
            ends_on=rng.choice((None, as_of + timedelta(days=200), as_of - timedelta(days=20))),
            reference=f"DPA-{index:04d}",
            sub_processor_authorisation=rng.choice(tuple(SubProcessorAuthorisation)),
            objection_notice_days=rng.choice((None, 15, 30)),
            breach_notice_hours=rng.choice((None, 24, 48, 72)),
            clauses=tuple(
                ClauseAssessment(id=None, item=item, status=rng.choice(statuses)) for item in items
            ),
        )
    return Processor(
        id=index,
        organisation_id=1,
        legal_name=f"Vendor {index:04d} SAS",
        trade_name=f"Vendor {index}",
        category=rng.choice(tuple(ProcessorCategory)),
        service_description=f"Service number {index} for the marketing team.",
        headquarters_country=rng.choice(COUNTRIES),
        status=rng.choice((LifecycleStatus.APPROVED,) * 8 + (LifecycleStatus.PROPOSED, LifecycleStatus.OFFBOARDED)),
        data_categories=("identity", "e-mail"),
        data_subject_categories=("customers",),
        special_category_data=rng.choice((None, False, False, True)),
        purposes=("marketing",),
        prospection_use=rng.choice(tuple(ProspectionUse)),
        indirect_collection=rng.choice((None, False, True)),
        opt_out_offered=rng.choice((None, True, False)),
        prior_consent_collected=rng.choice((None, True, False)),
        source_disclosed=rng.choice((None, True, False)),
        retention_months=rng.choice((None, 12, 36, 60)),
        retention_unlimited=rng.random() < 0.1,
        security_measures=rng.choice(("", "TLS, encryption at rest, MFA")),
        dpf_certified=rng.choice((None, True, False)),
        dpf_checked_on=rng.choice((None, as_of - timedelta(days=100), as_of - timedelta(days=500))),
        next_review_on=as_of + timedelta(days=rng.randint(-200, 400)),
        locations=tuple(
            Location(id=index * 10 + n, country=rng.choice(COUNTRIES), activity=rng.choice(tuple(LocationActivity)))
            for n in range(rng.randint(1, 3))
        ),
        sub_processors=sub_processors,
        agreement=agreement,
        safeguards=safeguards,
    )


def synthetic_register(count: int, seed: int = 915) -> tuple[Organisation, list[Processor]]:
    rng = random.Random(seed)
    organisation = Organisation(id=1, name="Synthetic Register SA", country="FR", dpo_name="DPO", lead_authority="CNIL")
    return organisation, [synthetic_processor(index, rng) for index in range(1, count + 1)]


# --------------------------------------------------------------------------
# Reading generated files


def open_docx(content: bytes) -> docx.document.Document:
    """Open with python-docx (it fails on a malformed package or part)."""
    return docx.Document(io.BytesIO(content))


def headings(document, level: int | None = None) -> list[str]:
    """Texts of the heading paragraphs (optionally of one level), in order."""
    wanted = {f"Heading {level}"} if level else {"Heading 1", "Heading 2", "Heading 3"}
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name in wanted]


def _cell_text(cell) -> str:
    lines = []
    for paragraph in cell.iter(qn("w:p")):
        parts = []
        for node in paragraph.iter(qn("w:t"), qn("w:br"), qn("w:tab")):
            if node.tag == qn("w:t"):
                parts.append(node.text or "")
            elif node.tag == qn("w:br"):
                parts.append("\n")
            else:
                parts.append("\t")
        lines.append("".join(parts))
    return "\n".join(lines)


def tables(document) -> list[list[list[str]]]:
    """Every body table as rows of cell texts (read with lxml: fast on large documents)."""
    return [
        [[_cell_text(cell) for cell in row.iterfind(qn("w:tc"))] for row in table.iterfind(qn("w:tr"))]
        for table in document.element.body.iterfind(qn("w:tbl"))
    ]


def body_text(document) -> str:
    return "\n".join(_cell_text(p) for p in document.element.body.iter(qn("w:p")))


def part_text(content: bytes, prefix: str) -> str:
    """Text of the package parts whose name starts with ``prefix`` (e.g. "word/footer")."""
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        texts = []
        for name in package.namelist():
            if name.startswith(prefix):
                root = etree.fromstring(package.read(name))
                texts.append("".join(root.itertext()))
        return "\n".join(texts)


def xlsx_sheets(content: bytes) -> dict[str, list[list[str]]]:
    """Sheet name -> rows of cell strings, read from the workbook's XML."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        shared = []
        if "xl/sharedStrings.xml" in package.namelist():
            root = etree.fromstring(package.read("xl/sharedStrings.xml"))
            shared = ["".join(si.itertext()) for si in root.iterfind("m:si", ns)]
        workbook = etree.fromstring(package.read("xl/workbook.xml"))
        rels = etree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        sheets = {}
        for sheet in workbook.iterfind("m:sheets/m:sheet", ns):
            root = etree.fromstring(package.read("xl/" + targets[sheet.get(rel_ns)].lstrip("/").removeprefix("xl/")))
            rows = []
            for row in root.iterfind("m:sheetData/m:row", ns):
                cells = []
                for cell in row.iterfind("m:c", ns):
                    value = cell.find("m:v", ns)
                    if cell.get("t") == "s":
                        cells.append(shared[int(value.text)])
                    elif cell.get("t") == "inlineStr":
                        cells.append("".join(cell.itertext()))
                    else:
                        cells.append(value.text if value is not None else "")
                rows.append(cells)
            sheets[sheet.get("name")] = rows
        return sheets
