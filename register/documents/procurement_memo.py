"""The procurement memo: the verdict on a candidate tool with its reasons and
conditions (:func:`register.compliance.procurement_verdict`), the candidate's
identity, where its data would go, and a sign-off block for the DPO."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from register.compliance.model import Finding, Organisation, Processor
from register.compliance.results import ProcurementVerdict
from register.documents import i18n
from register.documents.common import (
    Block,
    Bullet,
    Cell,
    Column,
    Content,
    DocumentInfo,
    Heading,
    Paragraph,
    Span,
    Table,
    joined_or_missing,
    missing,
    render_document,
    text_or_missing,
)
from register.documents.gap_report import severity_cell
from register.documents.register_extract import ExtractContext, route_text, third_country_routes
from register.reference import Reference, load_reference
from register.vocabulary import Severity

DECISION_COLOURS = {"approve": "375623", "approve_with_conditions": "9C5700", "reject": "C00000"}
BEFORE_GO_LIVE = frozenset({Severity.CRITICAL, Severity.HIGH})


@dataclass(frozen=True, slots=True)
class MemoContext:
    organisation: Organisation
    candidate: Processor
    verdict: ProcurementVerdict
    language: str
    reference: Reference

    # BEGIN legacy i18n (removed by i18n_convert.py)
    def label(self, key: str, **values: object) -> str:
        return i18n.label(key, self.language, **values)
    # END legacy i18n


def procurement_memo(
    organisation: Organisation,
    candidate: Processor,
    verdict: ProcurementVerdict,
    *,
    language: str,
    reference: Reference | None = None,
    document_date: date | None = None,
) -> bytes:
    """The memo as .docx bytes."""
    ctx = MemoContext(
        organisation=organisation,
        candidate=candidate,
        verdict=verdict,
        language=i18n.check_language(language),
        reference=reference or load_reference(),
    )
    title = ctx.label("memo_title", name=candidate.display_name)
    info = DocumentInfo(
        title=title,
        organisation=organisation.name,
        language=ctx.language,
        as_of=verdict.assessment.as_of,
        document_date=document_date or date.today(),
    )
    return render_document(info, memo_blocks(ctx, title))


def memo_blocks(ctx: MemoContext, title: str) -> list[Block]:
    blocks: list[Block] = [Paragraph(title, style="title")]
    blocks += decision_blocks(ctx)
    blocks += candidate_blocks(ctx)
    blocks += reasons_blocks(ctx)
    blocks += findings_table_blocks(ctx, "memo_blocking", ctx.verdict.blocking)
    blocks += conditions_blocks(ctx)
    blocks += transfer_blocks(ctx)
    blocks += sign_off_blocks(ctx)
    return blocks


def decision_label(decision: str, language: str) -> str:
    names = {
        "approve": i18n.label("decision_approve", language),
        "approve_with_conditions": i18n.label("decision_approve_with_conditions", language),
        "reject": i18n.label("decision_reject", language),
    }
    return names.get(decision, decision)


def decision_blocks(ctx: MemoContext) -> list[Block]:
    decision = ctx.verdict.decision
    language = ctx.language
    assessment = ctx.verdict.assessment
    return [
        Heading(ctx.label("memo_decision"), 1),
        Paragraph(
            Span(decision_label(decision, language).upper(), bold=True, color=DECISION_COLOURS.get(decision)),
            style="subtitle",
        ),
        Paragraph(
            (
                Span(i18n.with_colon(ctx.label("processor_score"), language), bold=True),
                Span(ctx.label("score_out_of", score=assessment.score)),
                Span(" · "),
                Span(i18n.with_colon(ctx.label("as_of"), language), bold=True),
                Span(i18n.long_date(assessment.as_of, language)),
            )
        ),
    ]


def candidate_blocks(ctx: MemoContext) -> list[Block]:
    candidate, language = ctx.candidate, ctx.language
    country = (
        ctx.reference.country_name(candidate.headquarters_country, language)
        if candidate.headquarters_country
        else missing("headquarters", language)
    )
    rows: list[tuple[str, Content]] = [
        (ctx.label("legal_name"), text_or_missing(candidate.legal_name, "legal_name", language)),
        (ctx.label("trade_name"), candidate.trade_name or candidate.legal_name),
        (ctx.label("category"), i18n.enum_label(candidate.category, language)),
        (ctx.label("service"), text_or_missing(candidate.service_description, "service", language)),
        (ctx.label("headquarters"), country),
        (ctx.label("website"), text_or_missing(candidate.website, "website", language)),
        (ctx.label("privacy_contact"), text_or_missing(candidate.privacy_contact, "privacy_contact", language)),
        (ctx.label("data_categories"), joined_or_missing(candidate.data_categories, "data_categories", language)),
        (ctx.label("purposes"), joined_or_missing(candidate.purposes, "purposes", language)),
    ]
    return [
        Heading(ctx.label("memo_candidate"), 1),
        Table(
            (Column(ctx.label("item"), 3), Column(ctx.label("details"), 7)),
            [(Cell(name, bold=True), value) for name, value in rows],
        ),
    ]


def reasons_blocks(ctx: MemoContext) -> list[Block]:
    return [Heading(ctx.label("memo_reasons"), 1)] + [
        Bullet(reason.in_language(ctx.language)) for reason in ctx.verdict.reasons
    ]


def findings_table_blocks(ctx: MemoContext, heading: str, findings: tuple[Finding, ...]) -> list[Block]:
    if not findings:
        return []
    language = ctx.language
    columns = (
        Column(ctx.label("severity"), 10),
        Column(ctx.label("finding"), 34),
        Column(ctx.label("legal_basis"), 14),
        Column(ctx.label("remediation"), 42),
    )
    rows = [
        (
            severity_cell(f.severity, language),
            (Span(f"{f.code} — {f.title.in_language(language)}", bold=True), Span(f"\n{f.subject.label}")),
            f.basis,
            f.remediation.in_language(language),
        )
        for f in findings
    ]
    return [Heading(ctx.label(heading), 1), Table(columns, rows)]


def conditions_blocks(ctx: MemoContext) -> list[Block]:
    conditions = ctx.verdict.conditions
    if not conditions:
        return []
    language = ctx.language
    columns = (
        Column(ctx.label("memo_when"), 14),
        Column(ctx.label("severity"), 10),
        Column(ctx.label("finding"), 32),
        Column(ctx.label("remediation"), 44),
    )
    rows = [
        (
            ctx.label("before_go_live" if f.severity in BEFORE_GO_LIVE else "by_first_review"),
            severity_cell(f.severity, language),
            (Span(f"{f.code} — {f.title.in_language(language)}", bold=True), Span(f"\n{f.subject.label}")),
            f.remediation.in_language(language),
        )
        for f in conditions
    ]
    return [
        Heading(ctx.label("memo_conditions"), 1),
        Paragraph(ctx.label("memo_conditions_intro")),
        Table(columns, rows),
    ]


def transfer_blocks(ctx: MemoContext) -> list[Block]:
    extract_ctx = ExtractContext(language=ctx.language, as_of=ctx.verdict.assessment.as_of, reference=ctx.reference)
    routes = third_country_routes(ctx.verdict.assessment)
    blocks: list[Block] = [Heading(ctx.label("memo_transfers"), 1)]
    if not routes:
        blocks.append(Paragraph(ctx.label("no_transfer")))
    blocks += [Bullet(route_text(extract_ctx, route)) for route in routes]
    return blocks


def sign_off_blocks(ctx: MemoContext) -> list[Block]:
    return [
        Heading(ctx.label("memo_sign_off"), 1),
        Paragraph(ctx.label("memo_sign_off_text")),
        Paragraph(missing("decision_reason", ctx.language)),
        Paragraph(missing("signature", ctx.language)),
    ]
