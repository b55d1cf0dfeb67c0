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
from register.documents.negotiation_letter import negotiation_letter
from register.documents.procurement_memo import MemoRequest, procurement_memo
from register.documents.register_extract import (
    register_extract_csv,
    register_extract_docx,
    register_extract_xlsx,
)
from register.documents.changes_report import changes_report
from register.history.report import Change, worded_changes
from register.store import history, reads
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


async def load_register_inputs_on(organisation_id: int, as_of: date | None, as_stood: bool) -> RegisterInputs:
    """``as_stood`` and a past ``as_of``: the register as it stood at the end of that day,
    rebuilt from the audit trail; otherwise the register as it stands."""
    if as_stood and as_of is not None and as_of < date.today():
        past = await history.register_on(organisation_id, as_of)
        return RegisterInputs(past.organisation, past.processors)
    return await load_register_inputs(organisation_id)


async def load_changes(organisation_id: int, since: date, until: date) -> tuple[Organisation, list[Change]]:
    organisation = await reads.load_organisation(organisation_id)
    return organisation, await history.changes_on_days(organisation_id, since, until)


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


def build_negotiation_letter(
    inputs: RegisterInputs,
    processor_id: int,
    *,
    language: str,
    as_of: date,
    missing_elements: dict[str, tuple[str, ...]] | None = None,
) -> GeneratedDocument:
    """The letter asking the vendor to add the Art. 28(3) items its DPA lacks or covers in part (dated
    ``as_of``); ``missing_elements`` from the confirmed reading of its DPA (:mod:`register.store.readings`)."""
    wording.check_language(language)
    processor = inputs.processor(processor_id)
    content = negotiation_letter(
        inputs.organisation, processor, language=language, document_date=as_of, missing_elements=missing_elements
    )
    name = _name("negotiation-letter", processor.display_name, as_of, language, "docx")
    return GeneratedDocument(name, DOCX, content)


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


def build_changes_report(
    organisation: Organisation, changes: list[Change], *, since: date, until: date, language: str
) -> GeneratedDocument:
    """What changed in the register from ``since`` to ``until`` (both days included)."""
    wording.check_language(language)
    content = changes_report(
        organisation, worded_changes(changes, language), since=since, until=until, language=language
    )
    name = safe_filename("register-changes", organisation.name, since.isoformat(), until.isoformat(), language, extension="docx")
    return GeneratedDocument(name, DOCX, content)
