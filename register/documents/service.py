"""From the store to a document: load the register (a fixed number of
queries), assess it with the core, build the file, name it.

``load_*`` functions are async (the store is); ``build_*`` functions are
synchronous and CPU-bound — the web layer runs them in a worker thread, the
command line directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from register.compliance import assess_processor, assess_register, procurement_verdict
from register.compliance.model import Organisation, Processor
from register.documents.common import safe_filename
from register.documents.dpa import dpa_draft
from register.documents.dpa_notes import dpa_review_notes
from register.compliance.remediation import FindingKey
from register.documents.gap_report import PlannedTask, gap_report, processor_gap_report
from register.documents.procurement_memo import MemoRequest, procurement_memo
from register.documents.register_extract import (
    register_extract_csv,
    register_extract_docx,
    register_extract_xlsx,
)
from register.store import reads
from register.store.errors import NotFound
from register.documents import wording

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The web layer's Response adds "; charset=utf-8" to text/* types itself: naming
# it here too sent the parameter twice.
CSV = "text/csv"
MEDIA_TYPES = {"docx": DOCX, "xlsx": XLSX, "csv": CSV}
ExtractFormat = Literal["docx", "xlsx", "csv"]


@dataclass(frozen=True, slots=True)
class GeneratedDocument:
    filename: str  # safe ASCII
    media_type: str
    content: bytes

    @property
    def content_disposition(self) -> str:
        return f'attachment; filename="{self.filename}"'


@dataclass(frozen=True, slots=True)
class RegisterInputs:
    organisation: Organisation
    processors: list[Processor]
    tasks: Mapping[FindingKey, PlannedTask] = field(default_factory=dict)  # remediation tasks, by finding

    def processor(self, processor_id: int) -> Processor:
        for processor in self.processors:
            if processor.id == processor_id:
                return processor
        raise NotFound("processor", processor_id)

    @property
    def registry(self) -> dict[int, Processor]:
        return {p.id: p for p in self.processors if p.id is not None}


# --------------------------------------------------------------------------
# Loading (async)


async def load_register_inputs(organisation_id: int) -> RegisterInputs:
    organisation = await reads.load_organisation(organisation_id)
    return RegisterInputs(
        organisation, await reads.load_register(organisation_id), await load_planned_tasks(organisation_id)
    )


async def load_planned_tasks(organisation_id: int) -> dict[FindingKey, PlannedTask]:
    """The organisation's remediation tasks, for the gap report's plan (one query)."""
    from register.store.tasks import list_tasks

    return {
        task.key: PlannedTask(task.owner_email, task.due_on, task.status.value, task.accepted_until, task.accepted_reason)
        for task in await list_tasks(organisation_id)
    }


async def load_processor_inputs(processor_id: int) -> RegisterInputs:
    """The register of the processor's organisation (sub-processor chains
    are followed through it)."""
    organisation_id = await reads.processor_organisation(processor_id)
    return await load_register_inputs(organisation_id)


# --------------------------------------------------------------------------
# Building (synchronous, CPU-bound)


def _name(kind: str, subject: str, as_of: date, language: str, extension: str) -> str:
    return safe_filename(kind, subject, as_of.isoformat(), language, extension=extension)


def build_gap_report(inputs: RegisterInputs, *, language: str, as_of: date) -> GeneratedDocument:
    wording.check_language(language)
    assessment = assess_register(inputs.processors, as_of=as_of)
    content = gap_report(
        inputs.organisation, assessment, language=language, processors=inputs.processors, tasks=inputs.tasks
    )
    return GeneratedDocument(_name("gap-report", inputs.organisation.name, as_of, language, "docx"), DOCX, content)


def build_processor_gap_report(
    inputs: RegisterInputs, processor_id: int, *, language: str, as_of: date
) -> GeneratedDocument:
    wording.check_language(language)
    processor = inputs.processor(processor_id)
    assessment = assess_processor(processor, as_of=as_of, registry=inputs.registry)
    content = processor_gap_report(
        inputs.organisation, assessment, language=language, processor=processor, tasks=inputs.tasks
    )
    return GeneratedDocument(_name("gap-report", processor.display_name, as_of, language, "docx"), DOCX, content)


def build_dpa_draft(inputs: RegisterInputs, processor_id: int, *, language: str, as_of: date) -> GeneratedDocument:
    wording.check_language(language)
    processor = inputs.processor(processor_id)
    assessment = assess_processor(processor, as_of=as_of, registry=inputs.registry)
    content = dpa_draft(inputs.organisation, processor, assessment, language=language)
    return GeneratedDocument(_name("dpa-draft", processor.display_name, as_of, language, "docx"), DOCX, content)


def build_dpa_review_notes(
    inputs: RegisterInputs, processor_id: int, *, language: str, as_of: date
) -> GeneratedDocument:
    """The reviewer's notes that go with the DPA draft (internal: never sent to the vendor)."""
    wording.check_language(language)
    processor = inputs.processor(processor_id)
    assessment = assess_processor(processor, as_of=as_of, registry=inputs.registry)
    content = dpa_review_notes(inputs.organisation, processor, assessment, language=language)
    return GeneratedDocument(_name("dpa-review-notes", processor.display_name, as_of, language, "docx"), DOCX, content)


def build_register_extract(
    inputs: RegisterInputs,
    file_format: ExtractFormat,
    *,
    language: str,
    as_of: date,
    separator: str | None = None,
) -> GeneratedDocument:
    """``separator`` (csv only): semicolon, comma or tab; by default ";" in
    French and "," in English."""
    wording.check_language(language)
    assessment = assess_register(inputs.processors, as_of=as_of)
    if file_format == "docx":
        content = register_extract_docx(inputs.organisation, inputs.processors, assessment, language=language)
    elif file_format == "xlsx":
        content = register_extract_xlsx(inputs.processors, assessment, language=language)
    elif file_format == "csv":
        content = register_extract_csv(inputs.processors, assessment, language=language, separator=separator)
    else:
        raise ValueError(f"unknown extract format {file_format!r}; expected docx, xlsx or csv")
    name = _name("register-extract", inputs.organisation.name, as_of, language, file_format)
    return GeneratedDocument(name, MEDIA_TYPES[file_format], content)


def build_procurement_memo(
    inputs: RegisterInputs,
    candidate: Processor,
    *,
    language: str,
    as_of: date,
    request: MemoRequest | None = None,
) -> GeneratedDocument:
    """The memo on a candidate; ``request``: the submitted request and the DPO's decision, if any."""
    wording.check_language(language)
    verdict = procurement_verdict(candidate, as_of=as_of, registry=inputs.registry)
    content = procurement_memo(inputs.organisation, candidate, verdict, language=language, request=request)
    return GeneratedDocument(
        _name("procurement-memo", candidate.display_name, as_of, language, "docx"), DOCX, content
    )
