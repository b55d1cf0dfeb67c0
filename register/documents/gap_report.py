"""The gap report: for an organisation's register, or for one processor.

Cover page; executive summary (score, a table of the counts by severity,
the processors most at risk); findings grouped by processor with their legal
basis and remediation (each finding's code under its title); a remediation
plan ordered by severity then target date, with the owner the register
records for the processor (a blank cell to fill in by hand otherwise); an
appendix of the reference data relied on, with sources and "as of"
dates. The findings are exactly the core's (:func:`assess_register` /
:func:`assess_processor`): the report only presents them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

from register.compliance import findings_catalogue, settings_from_reference
from register.compliance.lifecycle import is_assessed
from register.compliance.model import Finding, Organisation, Processor
from register.compliance.negotiation import negotiation_points
from register.documents.negotiation_letter import sentence
from register.compliance.remediation import FindingKey, acceptance_holds, finding_key
from register.compliance.results import ProcessorAssessment, RegisterAssessment, SeverityCounts
from register.compliance.scoring import SEVERITY_ORDER
from register.documents.common import (
    SEVERITY_FILLS,
    SEVERITY_TEXT,
    Block,
    Cell,
    Column,
    DocumentInfo,
    Heading,
    PageBreak,
    Paragraph,
    Span,
    Table,
    render_document,
)
from register.reference import Reference, Source, load_reference
from register.vocabulary import Severity
from register.i18n import words
from register.i18n.terms import subject_label, term
from register.i18n.dates import prose_date, table_date
from register.documents import wording

# Days from the "as of" date to fix a finding, by severity (remediation plan).
REMEDIATION_DAYS: Mapping[Severity, int] = {
    Severity.CRITICAL: 30,
    Severity.HIGH: 90,
    Severity.MEDIUM: 180,
    Severity.LOW: 365,
}
RISK_TABLE_SIZE = 10


@dataclass(frozen=True, slots=True)
class PlannedTask:
    """The remediation task following a finding, as the plan shows it."""

    owner: str  # e-mail address, "" when nobody owns it yet
    due_on: date | None
    status: str
    accepted_until: date | None = None
    accepted_reason: str = ""


@dataclass(frozen=True, slots=True)
class ReportContext:
    organisation: Organisation
    language: str
    as_of: date
    document_date: date
    reference: Reference
    processors: Mapping[int, Processor]  # by id, for statuses and review dates
    tasks: Mapping[FindingKey, PlannedTask] = field(default_factory=dict)  # the findings' remediation tasks


@dataclass(frozen=True, slots=True)
class Action:
    """One line of the remediation plan."""

    due: date
    finding: Finding


# --------------------------------------------------------------------------
# Entry points


def gap_report(
    organisation: Organisation,
    assessment: RegisterAssessment,
    *,
    language: str,
    processors: Sequence[Processor] = (),
    reference: Reference | None = None,
    document_date: date | None = None,
    tasks: Mapping[FindingKey, PlannedTask] | None = None,
) -> bytes:
    """The register's gap report as .docx bytes. ``processors`` (the records
    assessed) give statuses and review dates; without them the report still
    lists every finding. ``tasks``: the remediation tasks, whose owners and due
    dates the plan shows."""
    ctx = _context(organisation, assessment.as_of, language, processors, reference, document_date, tasks)
    title = words(ctx.language).gettext("Processor compliance gap report")
    blocks = report_blocks(
        ctx,
        title=title,
        scope=words(ctx.language).gettext("All processors of the register"),
        assessments=assessment.processors,
        counts=assessment.counts,
        score=assessment.score,
        register_wide=True,
    )
    return render_document(_info(ctx, title), blocks)


def processor_gap_report(
    organisation: Organisation,
    assessment: ProcessorAssessment,
    *,
    language: str,
    processor: Processor | None = None,
    reference: Reference | None = None,
    document_date: date | None = None,
    tasks: Mapping[FindingKey, PlannedTask] | None = None,
) -> bytes:
    """The gap report of one processor as .docx bytes."""
    processors = (processor,) if processor is not None else ()
    ctx = _context(organisation, assessment.as_of, language, processors, reference, document_date, tasks)
    title = words(ctx.language).gettext("Compliance gap report: %(name)s", name=assessment.processor_name)
    blocks = report_blocks(
        ctx,
        title=title,
        scope=words(ctx.language).gettext("One processor: %(name)s", name=assessment.processor_name),
        assessments=(assessment,),
        counts=assessment.counts,
        score=assessment.score,
        register_wide=False,
    )
    return render_document(_info(ctx, title), blocks)


def _context(
    organisation: Organisation,
    as_of: date,
    language: str,
    processors: Iterable[Processor],
    reference: Reference | None,
    document_date: date | None,
    tasks: Mapping[FindingKey, PlannedTask] | None = None,
) -> ReportContext:
    return ReportContext(
        organisation=organisation,
        language=wording.check_language(language),
        as_of=as_of,
        document_date=document_date or date.today(),
        reference=reference or load_reference(),
        processors={p.id: p for p in processors if p.id is not None},
        tasks=MappingProxyType(dict(tasks or {})),
    )


def _info(ctx: ReportContext, title: str) -> DocumentInfo:
    return DocumentInfo(
        title=title,
        organisation=ctx.organisation.name,
        language=ctx.language,
        as_of=ctx.as_of,
        document_date=ctx.document_date,
    )


def report_blocks(
    ctx: ReportContext,
    *,
    title: str,
    scope: str,
    assessments: Sequence[ProcessorAssessment],
    counts: SeverityCounts,
    score: int,
    register_wide: bool,
) -> list[Block]:
    """Every block of a gap report, in order."""
    blocks: list[Block] = []
    blocks += cover_blocks(ctx, title, scope)
    blocks += summary_blocks(ctx, assessments, counts, score, register_wide)
    blocks += findings_blocks(ctx, assessments, register_wide)
    blocks += remediation_blocks(ctx, assessments)
    blocks += negotiation_blocks(ctx, assessments)
    blocks += appendix_blocks(ctx, assessments)
    return blocks


# --------------------------------------------------------------------------
# Cover page


def cover_blocks(ctx: ReportContext, title: str, scope: str) -> list[Block]:
    organisation = ctx.organisation
    details = [
        (words(ctx.language).pgettext("document organisation", "Organisation"), organisation.name),
        (words(ctx.language).gettext("Scope"), scope),
        (words(ctx.language).gettext("As of:"), prose_date(ctx.as_of, ctx.language)),
        (words(ctx.language).gettext("Document date:"), prose_date(ctx.document_date, ctx.language)),
    ]
    if organisation.dpo_name or organisation.dpo_email:
        dpo = " — ".join(part for part in (organisation.dpo_name, organisation.dpo_email) if part)
        details.append((words(ctx.language).gettext("Data protection officer"), dpo))
    if organisation.lead_authority:
        details.append((words(ctx.language).gettext("Lead supervisory authority"), organisation.lead_authority))
    blocks: list[Block] = [
        Paragraph(title, style="title"),
        Paragraph(organisation.name, style="subtitle"),
    ]
    blocks += [
        Paragraph((Span(wording.with_colon(name, ctx.language), bold=True), Span(value)), style="cover")
        for name, value in details
    ]
    blocks += [
        Paragraph(words(ctx.language).gettext("Generated by the GDPR processor register from the record as it stood on the \"as of\" date."), style="small"),
        Paragraph(words(ctx.language).gettext("This report is an aid to the data protection officer's assessment, not legal advice. It reflects the register's record on the \"as of\" date."), style="small"),
        PageBreak(),
    ]
    return blocks


# --------------------------------------------------------------------------
# Executive summary


@functools.cache
def severity_cell(severity: Severity, language: str) -> Cell:
    """The severity's name on its colour (one value per severity and language)."""
    return Cell(
        wording.enum_label(severity, language),
        fill=SEVERITY_FILLS[severity.value],
        bold=True,
        color=SEVERITY_TEXT[severity.value],
    )


def summary_blocks(
    ctx: ReportContext,
    assessments: Sequence[ProcessorAssessment],
    counts: SeverityCounts,
    score: int,
    register_wide: bool,
) -> list[Block]:
    language = ctx.language
    score_label = (words(ctx.language).gettext("Register score") if register_wide else words(ctx.language).gettext("Processor score"))
    blocks: list[Block] = [
        Heading(words(ctx.language).gettext("Executive summary"), 1),
        Paragraph(
            (Span(wording.with_colon(score_label, language), bold=True),
             Span(words(ctx.language).gettext("%(score)s / 100", score=score), bold=True, color="1F3864")),
            style="cover",
        ),
    ]
    if register_wide and not assessments:
        blocks.append(Paragraph(words(ctx.language).gettext("The register holds no processor yet: record the organisation's processors to assess them.")))
    rows = [(severity_cell(severity, language), str(counts.of(severity))) for severity in Severity]
    rows.append((Cell(words(ctx.language).gettext("Findings"), bold=True), Cell(str(counts.total), bold=True)))
    if register_wide:
        rows.insert(0, (Cell(words(ctx.language).gettext("Processors in the register"), bold=True), Cell(str(len(assessments)), bold=True)))
    blocks += [
        Heading(words(ctx.language).gettext("Findings by severity"), 2),
        Table((Column(words(ctx.language).gettext("Severity"), 3), Column(words(ctx.language).gettext("Number"), 1)), rows),
        Paragraph(words(ctx.language).gettext("The score starts at 100 and loses 40 points per critical finding, 15 per high, 5 per medium and 1 per low (never below 0); the register score is the mean of the scores of the processors under assessment (proposed, under review, approved), rounded down."), style="small"),
    ]
    if register_wide and assessments:
        blocks += risk_table_blocks(ctx, assessments[:RISK_TABLE_SIZE])
    return blocks


def risk_table_blocks(ctx: ReportContext, assessments: Sequence[ProcessorAssessment]) -> list[Block]:
    language = ctx.language
    columns = (Column(words(ctx.language).gettext("Processor"), 6), Column(words(ctx.language).gettext("Score"), 2)) + tuple(
        Column(wording.enum_label(s, language), 2) for s in Severity
    )
    rows = [
        (a.processor_name, str(a.score), *(str(a.counts.of(s)) for s in Severity)) for a in assessments
    ]
    return [Heading(words(ctx.language).pgettext("document riskiest processors", "Processors most at risk"), 2), Table(columns, rows)]


# --------------------------------------------------------------------------
# Findings by processor


def findings_blocks(
    ctx: ReportContext, assessments: Sequence[ProcessorAssessment], register_wide: bool
) -> list[Block]:
    blocks: list[Block] = [Heading(words(ctx.language).gettext("Findings by processor"), 1, page_break_before=True)]
    if not any(a.findings for a in assessments):
        blocks.append(Paragraph(words(ctx.language).gettext("No finding: on the record as it stands, no gap was detected.") if register_wide else words(ctx.language).gettext("No finding for this processor.")))
    columns = finding_columns(ctx)
    for assessment in assessments:
        blocks += processor_findings_blocks(ctx, assessment, columns)
    return blocks


def finding_columns(ctx: ReportContext) -> tuple[Column, ...]:
    """Widths chosen so that no word breaks: the finding column is wide
    enough for the longest code of the catalogue, set under the title."""
    return (
        Column(words(ctx.language).gettext("Severity"), 11),
        Column(words(ctx.language).gettext("Finding"), 41),
        Column(words(ctx.language).gettext("Concerns"), 14),
        Column(words(ctx.language).gettext("Legal basis"), 12),
        Column(words(ctx.language).gettext("Remediation"), 22),
    )


def processor_findings_blocks(
    ctx: ReportContext, assessment: ProcessorAssessment, columns: tuple[Column, ...]
) -> list[Block]:
    score, out_of = words(ctx.language).gettext("Score"), words(ctx.language).gettext("%(score)s / 100", score=assessment.score)
    heading = f"{assessment.processor_name} — {score} {out_of}"
    blocks: list[Block] = [Heading(heading, 2)]
    processor = ctx.processors.get(assessment.processor_id) if assessment.processor_id is not None else None
    if processor is not None and not is_assessed(processor):
        status = wording.enum_label(processor.status, ctx.language)
        blocks.append(Paragraph(words(ctx.language).gettext("Not assessed (status: %(status)s): rules apply only to proposed, under-review and approved processors.", status=status)))
        return blocks
    if not assessment.findings:
        blocks.append(Paragraph(words(ctx.language).gettext("No finding for this processor.")))
        return blocks
    blocks.append(Table(columns, [finding_row(ctx.language, f) for f in assessment.findings]))
    return blocks


CODE_COLOUR = "595959"


def finding_title(language: str, finding: Finding) -> tuple[Span, ...]:
    """The finding's title in bold, its code on the line below (grey)."""
    return (
        Span(finding.title.in_language(language), bold=True),
        Span("\n" + finding.code, color=CODE_COLOUR),
    )


def finding_row(language: str, finding: Finding) -> tuple:
    return (
        severity_cell(finding.severity, language),
        (*finding_title(language, finding), Span("\n" + finding.explanation.in_language(language))),
        subject_label(finding.subject, language),
        finding.basis,
        finding.remediation.in_language(language),
    )


# --------------------------------------------------------------------------
# Remediation plan


def remediation_plan(ctx: ReportContext, assessments: Iterable[ProcessorAssessment]) -> list[Action]:
    """Every finding with a target date, ordered by severity, then date,
    then processor, then code."""
    actions = [
        Action(due=target_date(ctx, finding), finding=finding)
        for assessment in assessments
        for finding in assessment.findings
    ]
    actions.sort(
        key=lambda a: (
            SEVERITY_ORDER[a.finding.severity],
            a.due,
            a.finding.processor_name.casefold(),
            a.finding.code,
        )
    )
    return actions


def planned_task(ctx: ReportContext, finding: Finding) -> PlannedTask | None:
    key = finding_key(finding)
    return ctx.tasks.get(key) if key is not None else None


def target_date(ctx: ReportContext, finding: Finding) -> date:
    """The due date of the finding's remediation task; else ``as_of`` plus the
    severity's delay, brought forward to the processor's next review when that
    comes sooner (and is not already past)."""
    task = planned_task(ctx, finding)
    if task is not None and task.due_on is not None:
        return task.due_on
    due = ctx.as_of + timedelta(days=REMEDIATION_DAYS[finding.severity])
    processor = ctx.processors.get(finding.processor_id) if finding.processor_id is not None else None
    review = processor.next_review_on if processor is not None else None
    if review is not None and ctx.as_of <= review < due:
        return review
    return due


def remediation_blocks(ctx: ReportContext, assessments: Sequence[ProcessorAssessment]) -> list[Block]:
    intro = words(ctx.language).gettext("Actions ordered by severity, then by target date. Target dates: %(critical)s days for a critical finding, %(high)s for a high one, %(medium)s for a medium one and %(low)s for a low one from the \"as of\" date, brought forward to the processor's next review when it is sooner. The owner is the processor's internal owner in the register; an empty cell is to be filled in.", **{severity.value: days for severity, days in REMEDIATION_DAYS.items()})
    blocks: list[Block] = [
        Heading(words(ctx.language).gettext("Remediation plan"), 1, page_break_before=True),
        Paragraph(intro),
    ]
    if ctx.tasks:
        blocks.append(Paragraph(words(ctx.language).gettext("When a remediation task follows a finding, the plan shows the task's owner and due date; an accepted risk is marked with its expiry date, after which the finding counts as open again.")))
    actions = remediation_plan(ctx, assessments)
    if not actions:
        blocks.append(Paragraph(words(ctx.language).gettext("No finding: on the record as it stands, no gap was detected.")))
        return blocks
    columns = (
        Column(words(ctx.language).gettext("Target date"), 12),
        Column(words(ctx.language).gettext("Severity"), 11),
        Column(words(ctx.language).gettext("Processor"), 14),
        Column(words(ctx.language).gettext("Owner"), 14),
        Column(words(ctx.language).pgettext("document action", "Action"), 49),
    )
    blocks.append(Table(columns, [plan_row(ctx, action) for action in actions]))
    return blocks


def negotiation_blocks(ctx: ReportContext, assessments: Sequence[ProcessorAssessment]) -> list[Block]:
    """What to negotiate with each vendor: the Art. 28(3) items its DPA lacks or covers in part
    (as the checklist records them, e.g. confirmed from a reading of the vendor's DPA), and what to ask.
    The negotiation letter sends the same points to the vendor."""
    say = words(ctx.language)
    rows = []
    for assessment in assessments:
        processor = ctx.processors.get(assessment.processor_id)
        if processor is None:
            continue
        for point in negotiation_points(processor, settings_from_reference(ctx.reference), ctx.reference).clauses:
            found = term(f"clause_status.{point.status.value}", ctx.language)
            found = wording.status_in_section(found, point.section, ctx.language)
            rows.append((
                assessment.processor_name,
                Cell(point.item.provision_in(ctx.language), bold=True),
                found,
                sentence(say.gettext(point.request), ctx.language),
            ))
    if not rows:
        return []
    columns = (
        Column(say.gettext("Processor"), 14),
        Column(say.gettext("Provision"), 14),
        Column(say.gettext("In the agreement"), 16),
        Column(say.gettext("What to ask the vendor to add"), 56),
    )
    return [
        Heading(say.gettext("To negotiate with the vendors"), 1, page_break_before=True),
        Paragraph(say.gettext(
            "The items of Article 28(3) that the agreements lack or cover in part, as the checklists record them. "
            "The negotiation letter of each processor asks the vendor for the same points."
        )),
        Table(columns, rows),
    ]


def action_owner(ctx: ReportContext, finding: Finding) -> str:
    """The owner of the finding's remediation task; else the processor's internal
    owner as the register records it; "" (a cell to fill in by hand) when it records none."""
    task = planned_task(ctx, finding)
    if task is not None and task.owner:
        return task.owner
    processor = ctx.processors.get(finding.processor_id) if finding.processor_id is not None else None
    return processor.internal_owner.strip() if processor is not None else ""


def plan_row(ctx: ReportContext, action: Action) -> tuple:
    language = ctx.language
    finding = action.finding
    return (
        table_date(action.due, language),
        severity_cell(finding.severity, language),
        finding.processor_name,
        action_owner(ctx, finding),
        (*finding_title(language, finding), Span("\n" + finding.remediation.in_language(language)), *acceptance_note(ctx, finding)),
    )


def acceptance_note(ctx: ReportContext, finding: Finding) -> tuple[Span, ...]:
    """"Accepted risk until …: reason" while the acceptance holds on the "as of" date."""
    task = planned_task(ctx, finding)
    if task is None or not acceptance_holds(task.status, task.accepted_until, ctx.as_of):
        return ()
    note = words(ctx.language).gettext("Accepted risk until %(day)s:", day=prose_date(task.accepted_until, ctx.language))
    return (Span(f"\n{note} {task.accepted_reason}", italic=True),)


# --------------------------------------------------------------------------
# Appendix: the reference data relied on


def reference_rows(ctx: ReportContext, assessments: Sequence[ProcessorAssessment]) -> list[tuple[str, Source]]:
    """(label, source) of each reference datum the findings and routes relied
    on, then the thresholds and key dates the rules use."""
    language = ctx.language
    reference = ctx.reference
    catalogue = findings_catalogue(reference)
    rows: list[tuple[str, Source]] = [(words(ctx.language).gettext("Countries"), reference.country_names_source)]
    raised = dict.fromkeys(f.code for a in assessments for f in a.findings)
    for code in raised:
        definition = catalogue.get(code)
        if definition is not None:
            title = definition.title_fr if language == "fr" else definition.title_en
            rows.append((f"{code} — {title}", definition.source))
    rows += _route_sources(ctx, assessments)
    settings = settings_from_reference(reference)
    for key in settings.__dataclass_fields__:
        threshold = reference.thresholds.get(key)
        if threshold is not None:
            description = threshold.description_fr if language == "fr" else threshold.description_en
            amount = wording.quantity(threshold.value, threshold.unit, language)
            rows.append((f"{description.rstrip().removesuffix('.')} ({amount}).", threshold.source))
    for key_date in reference.key_dates.values():
        description = key_date.description_fr if language == "fr" else key_date.description_en
        rows.append((f"{table_date(key_date.on, language)} — {description}", key_date.source))
    return rows


def _route_sources(ctx: ReportContext, assessments: Sequence[ProcessorAssessment]) -> Iterator[tuple[str, Source]]:
    reference = ctx.reference
    eea: dict[str, Source] = {}
    adequacy: dict[str, Source] = {}
    for assessment in assessments:
        for route in assessment.transfers:
            decision = reference.adequacy_for(route.country)
            if route.basis == "eea" and reference.is_eea(route.country):
                eea.setdefault(route.country, reference.country(route.country).source)
            elif decision is not None and (route.basis == "adequacy" or route.decision):
                adequacy.setdefault(route.country, decision.source)
    by_citation: dict[str, list[str]] = {}
    sources: dict[str, Source] = {}
    for code, source in sorted(eea.items()):
        by_citation.setdefault(source.citation, []).append(code)
        sources[source.citation] = source
    for citation, codes in by_citation.items():
        yield (f"EEE\u00a0: {', '.join(codes)}" if ctx.language == "fr" else f"EEA: {', '.join(codes)}", sources[citation])
    for code, source in sorted(adequacy.items()):
        name = reference.country_name(code, ctx.language)
        decision = words(ctx.language).gettext("Adequacy decision")
        yield (f"{decision} — {name}", source)


def appendix_blocks(ctx: ReportContext, assessments: Sequence[ProcessorAssessment]) -> list[Block]:
    columns = (Column(words(ctx.language).gettext("Reference datum"), 41), Column(words(ctx.language).gettext("Source"), 43), Column(words(ctx.language).gettext("As of"), 16))
    rows = [source_row(ctx, datum, source) for datum, source in reference_rows(ctx, assessments)]
    blocks: list[Block] = [
        Heading(words(ctx.language).gettext("Appendix: reference data used"), 1, page_break_before=True),
        Paragraph(words(ctx.language).gettext("The legal reference data the findings rely on, with their sources and the date each was last checked (\"as of\"). Items flagged \"to verify\" are uncertain in the reference and are shown as such.")),
        Table(columns, rows),
    ]
    # The findings' relied_on lines (setting names, ISO dates) are the API's audit trace; the table
    # above already names every source, in the reader's language.
    return blocks


def source_row(ctx: ReportContext, datum: str, source: Source) -> tuple:
    language = ctx.language
    citation: list[Span] = [Span(source.citation_in(language))]
    if source.url:
        citation.append(Span("\n" + source.url_in(language), color="1F3864"))
    if source.verify:
        to_verify = words(language).gettext("to verify")
        citation.append(Span(f"\n[{to_verify}] {source.note_in(language)}", bold=True, color="C00000"))
    return (datum, tuple(citation), table_date(source.as_of, ctx.language))
