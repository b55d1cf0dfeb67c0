"""The procurement memo: the verdict on a candidate tool with its reasons and
conditions (:func:`register.compliance.procurement_verdict`), the candidate's
identity, where its data would go, and a sign-off block for the DPO."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from register.compliance.model import Finding, Organisation, Processor
from register.compliance.results import ProcurementVerdict
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
from register.i18n import words
from register.i18n.terms import term
from register.i18n.dates import prose_date
from register.documents import wording

DECISION_COLOURS = {"approve": "375623", "approve_with_conditions": "9C5700", "reject": "C00000"}
BEFORE_GO_LIVE = frozenset({Severity.CRITICAL, Severity.HIGH})


@dataclass(frozen=True, slots=True)
class MemoContext:
    organisation: Organisation
    candidate: Processor
    verdict: ProcurementVerdict
    language: str
    reference: Reference


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
        language=wording.check_language(language),
        reference=reference or load_reference(),
    )
    title = words(ctx.language).gettext("Procurement review memo: %(name)s", name=candidate.display_name)
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
        "approve": words(language).pgettext("document decision approve", "Approve"),
        "approve_with_conditions": words(language).pgettext("document decision approve with conditions", "Approve with conditions"),
        "reject": words(language).pgettext("document decision reject", "Reject"),
    }
    return names.get(decision, decision)


def decision_blocks(ctx: MemoContext) -> list[Block]:
    decision = ctx.verdict.decision
    language = ctx.language
    assessment = ctx.verdict.assessment
    return [
        Heading(words(ctx.language).gettext("Decision"), 1),
        Paragraph(
            Span(decision_label(decision, language).upper(), bold=True, color=DECISION_COLOURS.get(decision)),
            style="subtitle",
        ),
        Paragraph(
            (
                Span(wording.with_colon(words(ctx.language).gettext("Processor score"), language), bold=True),
                Span(words(ctx.language).gettext("%(score)s / 100", score=assessment.score)),
                Span(" · "),
                Span(wording.with_colon(words(ctx.language).gettext("As of:"), language), bold=True),
                Span(prose_date(assessment.as_of, language)),
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
        (words(ctx.language).pgettext("document legal name", "Legal name"), text_or_missing(candidate.legal_name, "legal_name", language)),
        (words(ctx.language).gettext("Trade name"), candidate.trade_name or candidate.legal_name),
        (words(ctx.language).gettext("Category"), wording.enum_label(candidate.category, language)),
        (words(ctx.language).gettext("Service"), text_or_missing(candidate.service_description, "service", language)),
        (words(ctx.language).gettext("Headquarters"), country),
        (words(ctx.language).pgettext("document website", "Website"), text_or_missing(candidate.website, "website", language)),
        (words(ctx.language).pgettext("document privacy contact", "Privacy contact"), text_or_missing(candidate.privacy_contact, "privacy_contact", language)),
        (words(ctx.language).gettext("Categories of personal data processed"), joined_or_missing(candidate.data_categories, "data_categories", language)),
        (words(ctx.language).gettext("Purpose(s) for which the personal data is processed on behalf of the controller"), joined_or_missing(candidate.purposes, "purposes", language)),
    ]
    return [
        Heading(words(ctx.language).gettext("Candidate tool"), 1),
        Table(
            (Column(words(ctx.language).gettext("Item"), 3), Column(words(ctx.language).gettext("Details"), 7)),
            [(Cell(name, bold=True), value) for name, value in rows],
        ),
    ]


def reasons_blocks(ctx: MemoContext) -> list[Block]:
    return [Heading(words(ctx.language).gettext("Reasons"), 1)] + [
        Bullet(reason.in_language(ctx.language)) for reason in ctx.verdict.reasons
    ]


def findings_table_blocks(ctx: MemoContext, heading: str, findings: tuple[Finding, ...]) -> list[Block]:
    if not findings:
        return []
    language = ctx.language
    columns = (
        Column(words(ctx.language).gettext("Severity"), 10),
        Column(words(ctx.language).gettext("Finding"), 34),
        Column(words(ctx.language).gettext("Legal basis"), 14),
        Column(words(ctx.language).gettext("Remediation"), 42),
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
    return [Heading(term("document." + heading, ctx.language), 1), Table(columns, rows)]


def conditions_blocks(ctx: MemoContext) -> list[Block]:
    conditions = ctx.verdict.conditions
    if not conditions:
        return []
    language = ctx.language
    columns = (
        Column(words(ctx.language).pgettext("document memo when", "When"), 14),
        Column(words(ctx.language).gettext("Severity"), 10),
        Column(words(ctx.language).gettext("Finding"), 32),
        Column(words(ctx.language).gettext("Remediation"), 44),
    )
    rows = [
        (
            (words(ctx.language).gettext("Before go-live") if f.severity in BEFORE_GO_LIVE else words(ctx.language).gettext("By the first review")),
            severity_cell(f.severity, language),
            (Span(f"{f.code} — {f.title.in_language(language)}", bold=True), Span(f"\n{f.subject.label}")),
            f.remediation.in_language(language),
        )
        for f in conditions
    ]
    return [
        Heading(words(ctx.language).gettext("Conditions"), 1),
        Paragraph(words(ctx.language).gettext("Critical and high findings must be resolved before go-live; medium and low ones by the first review.")),
        Table(columns, rows),
    ]


def transfer_blocks(ctx: MemoContext) -> list[Block]:
    extract_ctx = ExtractContext(language=ctx.language, as_of=ctx.verdict.assessment.as_of, reference=ctx.reference)
    routes = third_country_routes(ctx.verdict.assessment)
    blocks: list[Block] = [Heading(words(ctx.language).gettext("Where the data would go"), 1)]
    if not routes:
        blocks.append(Paragraph(words(ctx.language).gettext("No transfer outside the EEA")))
    blocks += [Bullet(route_text(extract_ctx, route)) for route in routes]
    return blocks


def sign_off_blocks(ctx: MemoContext) -> list[Block]:
    return [
        Heading(words(ctx.language).gettext("Sign-off"), 1),
        Paragraph(words(ctx.language).gettext("Decision of the data protection officer, name, date and signature:")),
        Paragraph(missing("decision_reason", ctx.language)),
        Paragraph(missing("signature", ctx.language)),
    ]
