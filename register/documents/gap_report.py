"""The gap report: for an organisation's register, or for one processor.

Cover page; executive summary (score, counts by severity, a bar chart, the
processors most at risk); findings grouped by processor with their legal
basis and remediation; a remediation plan ordered by severity then target
date; an appendix of the reference data relied on, with sources and "as of"
dates. The findings are exactly the core's (:func:`assess_register` /
:func:`assess_processor`): the report only presents them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from register.compliance import findings_catalogue, settings_from_reference
from register.compliance.lifecycle import is_assessed
from register.compliance.model import Finding, Organisation, Processor
from register.compliance.results import ProcessorAssessment, RegisterAssessment, SeverityCounts
from register.compliance.scoring import SEVERITY_ORDER
from register.documents import i18n
from register.documents.common import (
    SEVERITY_FILLS,
    SEVERITY_TEXT,
    Bar,
    BarChart,
    Block,
    Bullet,
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

# Days from the "as of" date to fix a finding, by severity (remediation plan).
REMEDIATION_DAYS: Mapping[Severity, int] = {
    Severity.CRITICAL: 30,
    Severity.HIGH: 90,
    Severity.MEDIUM: 180,
    Severity.LOW: 365,
}
RISK_TABLE_SIZE = 10


@dataclass(frozen=True, slots=True)
class ReportContext:
    organisation: Organisation
    language: str
    as_of: date
    document_date: date
    reference: Reference
    processors: Mapping[int, Processor]  # by id, for statuses and review dates

    # BEGIN legacy i18n (removed by i18n_convert.py)
    def label(self, key: str, **values: object) -> str:
        return i18n.label(key, self.language, **values)
    # END legacy i18n


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
) -> bytes:
    """The register's gap report as .docx bytes. ``processors`` (the records
    assessed) give statuses and review dates; without them the report still
    lists every finding."""
    ctx = _context(organisation, assessment.as_of, language, processors, reference, document_date)
    title = ctx.label("gap_report_title")
    blocks = report_blocks(
        ctx,
        title=title,
        scope=ctx.label("scope_register"),
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
) -> bytes:
    """The gap report of one processor as .docx bytes."""
    processors = (processor,) if processor is not None else ()
    ctx = _context(organisation, assessment.as_of, language, processors, reference, document_date)
    title = ctx.label("gap_report_processor_title", name=assessment.processor_name)
    blocks = report_blocks(
        ctx,
        title=title,
        scope=ctx.label("scope_processor", name=assessment.processor_name),
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
) -> ReportContext:
    return ReportContext(
        organisation=organisation,
        language=i18n.check_language(language),
        as_of=as_of,
        document_date=document_date or date.today(),
        reference=reference or load_reference(),
        processors={p.id: p for p in processors if p.id is not None},
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
    blocks += appendix_blocks(ctx, assessments)
    return blocks


# --------------------------------------------------------------------------
# Cover page


def cover_blocks(ctx: ReportContext, title: str, scope: str) -> list[Block]:
    organisation = ctx.organisation
    details = [
        (ctx.label("organisation"), organisation.name),
        (ctx.label("scope"), scope),
        (ctx.label("as_of"), i18n.long_date(ctx.as_of, ctx.language)),
        (ctx.label("document_date"), i18n.long_date(ctx.document_date, ctx.language)),
    ]
    if organisation.dpo_name or organisation.dpo_email:
        dpo = " — ".join(part for part in (organisation.dpo_name, organisation.dpo_email) if part)
        details.append((ctx.label("dpo"), dpo))
    if organisation.lead_authority:
        details.append((ctx.label("lead_authority"), organisation.lead_authority))
    blocks: list[Block] = [
        Paragraph(title, style="title"),
        Paragraph(organisation.name, style="subtitle"),
    ]
    blocks += [
        Paragraph((Span(i18n.with_colon(name, ctx.language), bold=True), Span(value)), style="cover")
        for name, value in details
    ]
    blocks += [
        Paragraph(ctx.label("generated_by"), style="small"),
        Paragraph(ctx.label("disclaimer"), style="small"),
        PageBreak(),
    ]
    return blocks


# --------------------------------------------------------------------------
# Executive summary


@functools.cache
def severity_cell(severity: Severity, language: str) -> Cell:
    """The severity's name on its colour (one value per severity and language)."""
    return Cell(
        i18n.enum_label(severity, language),
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
    score_label = ctx.label("register_score" if register_wide else "processor_score")
    blocks: list[Block] = [
        Heading(ctx.label("executive_summary"), 1),
        Paragraph(
            (Span(i18n.with_colon(score_label, language), bold=True),
             Span(ctx.label("score_out_of", score=score), bold=True, color="1F3864")),
            style="cover",
        ),
    ]
    if register_wide and not assessments:
        blocks.append(Paragraph(ctx.label("empty_register")))
    rows = [(severity_cell(severity, language), str(counts.of(severity))) for severity in Severity]
    rows.append((Cell(ctx.label("findings_total"), bold=True), Cell(str(counts.total), bold=True)))
    if register_wide:
        rows.insert(0, (Cell(ctx.label("processors_assessed"), bold=True), Cell(str(len(assessments)), bold=True)))
    blocks += [
        Heading(ctx.label("counts_by_severity"), 2),
        Table((Column(ctx.label("severity"), 3), Column(ctx.label("count"), 1)), rows),
        BarChart(tuple(Bar(i18n.enum_label(s, language), counts.of(s), SEVERITY_FILLS[s.value]) for s in Severity)),
        Paragraph(ctx.label("score_explained"), style="small"),
    ]
    if register_wide and assessments:
        blocks += risk_table_blocks(ctx, assessments[:RISK_TABLE_SIZE])
    return blocks


def risk_table_blocks(ctx: ReportContext, assessments: Sequence[ProcessorAssessment]) -> list[Block]:
    language = ctx.language
    columns = (Column(ctx.label("processor"), 6), Column(ctx.label("score"), 2)) + tuple(
        Column(i18n.enum_label(s, language), 2) for s in Severity
    )
    rows = [
        (a.processor_name, str(a.score), *(str(a.counts.of(s)) for s in Severity)) for a in assessments
    ]
    return [Heading(ctx.label("riskiest_processors"), 2), Table(columns, rows)]


# --------------------------------------------------------------------------
# Findings by processor


def findings_blocks(
    ctx: ReportContext, assessments: Sequence[ProcessorAssessment], register_wide: bool
) -> list[Block]:
    blocks: list[Block] = [Heading(ctx.label("findings_by_processor"), 1, page_break_before=True)]
    if not any(a.findings for a in assessments):
        blocks.append(Paragraph(ctx.label("no_findings_register") if register_wide else ctx.label("no_findings_processor")))
    columns = finding_columns(ctx)
    for assessment in assessments:
        blocks += processor_findings_blocks(ctx, assessment, columns)
    return blocks


def finding_columns(ctx: ReportContext) -> tuple[Column, ...]:
    return (
        Column(ctx.label("severity"), 10),
        Column(ctx.label("code"), 16),
        Column(ctx.label("finding"), 29),
        Column(ctx.label("subject"), 12),
        Column(ctx.label("legal_basis"), 11),
        Column(ctx.label("remediation"), 22),
    )


def processor_findings_blocks(
    ctx: ReportContext, assessment: ProcessorAssessment, columns: tuple[Column, ...]
) -> list[Block]:
    score, out_of = ctx.label("score"), ctx.label("score_out_of", score=assessment.score)
    heading = f"{assessment.processor_name} — {score} {out_of}"
    blocks: list[Block] = [Heading(heading, 2)]
    processor = ctx.processors.get(assessment.processor_id) if assessment.processor_id is not None else None
    if processor is not None and not is_assessed(processor):
        status = i18n.enum_label(processor.status, ctx.language)
        blocks.append(Paragraph(ctx.label("not_assessed_status", status=status)))
        return blocks
    if not assessment.findings:
        blocks.append(Paragraph(ctx.label("no_findings_processor")))
        return blocks
    blocks.append(Table(columns, [finding_row(ctx.language, f) for f in assessment.findings]))
    return blocks


def finding_row(language: str, finding: Finding) -> tuple:
    return (
        severity_cell(finding.severity, language),
        finding.code,
        (Span(finding.title.in_language(language), bold=True), Span("\n" + finding.explanation.in_language(language))),
        finding.subject.label,
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


def target_date(ctx: ReportContext, finding: Finding) -> date:
    """``as_of`` plus the severity's delay, brought forward to the processor's
    next review when that comes sooner (and is not already past)."""
    due = ctx.as_of + timedelta(days=REMEDIATION_DAYS[finding.severity])
    processor = ctx.processors.get(finding.processor_id) if finding.processor_id is not None else None
    review = processor.next_review_on if processor is not None else None
    if review is not None and ctx.as_of <= review < due:
        return review
    return due


def remediation_blocks(ctx: ReportContext, assessments: Sequence[ProcessorAssessment]) -> list[Block]:
    language = ctx.language
    intro = ctx.label(
        "remediation_plan_intro",
        **{severity.value: days for severity, days in REMEDIATION_DAYS.items()},
    )
    blocks: list[Block] = [
        Heading(ctx.label("remediation_plan"), 1, page_break_before=True),
        Paragraph(intro),
    ]
    actions = remediation_plan(ctx, assessments)
    if not actions:
        blocks.append(Paragraph(ctx.label("no_findings_register")))
        return blocks
    columns = (
        Column(ctx.label("target_date"), 11),
        Column(ctx.label("severity"), 9),
        Column(ctx.label("processor"), 16),
        Column(ctx.label("finding"), 26),
        Column(ctx.label("remediation"), 38),
    )
    rows = [
        (
            i18n.short_date(action.due, language),
            severity_cell(action.finding.severity, language),
            action.finding.processor_name,
            f"{action.finding.code} — {action.finding.title.in_language(language)}",
            action.finding.remediation.in_language(language),
        )
        for action in actions
    ]
    blocks.append(Table(columns, rows))
    return blocks


# --------------------------------------------------------------------------
# Appendix: the reference data relied on


def reference_rows(ctx: ReportContext, assessments: Sequence[ProcessorAssessment]) -> list[tuple[str, Source]]:
    """(label, source) of each reference datum the findings and routes relied
    on, then the thresholds and key dates the rules use."""
    language = ctx.language
    reference = ctx.reference
    catalogue = findings_catalogue(reference)
    rows: list[tuple[str, Source]] = [(ctx.label("countries"), reference.country_names_source)]
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
            rows.append((f"{description} ({threshold.value} {threshold.unit})", threshold.source))
    for key_date in reference.key_dates.values():
        description = key_date.description_fr if language == "fr" else key_date.description_en
        rows.append((f"{i18n.short_date(key_date.on, language)} — {description}", key_date.source))
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
        yield (f"EEE : {', '.join(codes)}" if ctx.language == "fr" else f"EEA: {', '.join(codes)}", sources[citation])
    for code, source in sorted(adequacy.items()):
        name = reference.country_name(code, ctx.language)
        decision = ctx.label("decision")
        yield (f"{decision} — {name}", source)


def appendix_blocks(ctx: ReportContext, assessments: Sequence[ProcessorAssessment]) -> list[Block]:
    columns = (Column(ctx.label("datum"), 34), Column(ctx.label("source"), 50), Column(ctx.label("checked_on"), 16))
    rows = [source_row(ctx, datum, source) for datum, source in reference_rows(ctx, assessments)]
    blocks: list[Block] = [
        Heading(ctx.label("appendix_reference"), 1, page_break_before=True),
        Paragraph(ctx.label("appendix_intro")),
        Table(columns, rows),
    ]
    relied_on = dict.fromkeys(fact for a in assessments for f in a.findings for fact in f.relied_on)
    if relied_on:
        blocks.append(Heading(ctx.label("relied_on"), 2))
        blocks += [Bullet(fact) for fact in relied_on]
    return blocks


def source_row(ctx: ReportContext, datum: str, source: Source) -> tuple:
    citation: list[Span] = [Span(source.citation)]
    if source.url:
        citation.append(Span("\n" + source.url, color="1F3864"))
    if source.verify:
        to_verify = ctx.label("to_verify")
        citation.append(Span(f"\n[{to_verify}] {source.note}", bold=True, color="C00000"))
    return (datum, tuple(citation), i18n.short_date(source.as_of, ctx.language))
