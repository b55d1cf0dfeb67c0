"""The procurement memo: what the DPO decided on a candidate tool — decision,
reasons and conditions, said once — then the register's recommendation,
labelled apart (the automatic opinion is not the decision), the tool as
requested, where its data would go, the findings in detail, and the sign-off
filled from the decision (who, role, date).

Before the DPO decides, the memo says the decision is awaited, gives the
register's recommendation with its conditions, and leaves the sign-off to
complete.
"""

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
    missing,
    render_document,
    text_or_missing,
)
from register.documents.gap_report import severity_cell
from register.documents.register_extract import ExtractContext, route_text, third_country_routes
from register.reference import Reference, load_reference
from register.vocabulary import Severity
from register.i18n import words
from register.i18n.terms import subject_label, term
from register.i18n.dates import prose_date
from register.documents import wording

DECISION_COLOURS = {
    "approved": "375623", "approved_with_conditions": "9C5700", "rejected": "C00000",
    "approve": "375623", "approve_with_conditions": "9C5700", "reject": "C00000",
}


@dataclass(frozen=True, slots=True)
class MemoDecision:
    """The DPO's decision on the request, as the memo signs it."""

    status: str  # "approved" | "approved_with_conditions" | "rejected"
    reasons: str
    conditions: tuple[str, ...]
    decided_by: str  # the decider's name (or e-mail when no name is recorded)
    role: str  # the decider's role in the organisation: "dpo" | "admin" | …
    decided_on: date


@dataclass(frozen=True, slots=True)
class MemoRequest:
    """Who asked for the tool, when and why; the decision once taken."""

    requested_by: str
    requested_on: date
    purpose: str
    decision: MemoDecision | None = None


@dataclass(frozen=True, slots=True)
class MemoContext:
    organisation: Organisation
    candidate: Processor
    verdict: ProcurementVerdict
    language: str
    reference: Reference
    request: MemoRequest | None = None

    @property
    def decision(self) -> MemoDecision | None:
        return self.request.decision if self.request is not None else None


def procurement_memo(
    organisation: Organisation,
    candidate: Processor,
    verdict: ProcurementVerdict,
    *,
    language: str,
    request: MemoRequest | None = None,
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
        request=request,
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
    blocks += recommendation_blocks(ctx)
    blocks += candidate_blocks(ctx)
    blocks += transfer_blocks(ctx)
    blocks += details_blocks(ctx)
    blocks += sign_off_blocks(ctx)
    return blocks


def status_label(status: str, language: str) -> str:
    """The DPO's decision as the memo states it."""
    said = words(language)
    labels = {
        "approved": said.pgettext("memo decision", "Approved"),
        "approved_with_conditions": said.pgettext("memo decision", "Approved with conditions"),
        "rejected": said.pgettext("memo decision", "Rejected"),
    }
    return labels.get(status, status)


def role_label(role: str, language: str) -> str:
    """The decider's role in the organisation, named; another value as recorded."""
    said = words(language)
    labels = {"dpo": said.gettext("Data protection officer"), "admin": said.gettext("Administrator of the register")}
    return labels.get(role, role)


def decision_blocks(ctx: MemoContext) -> list[Block]:
    """The DPO's decision, reasons and conditions (the memo's one statement of them)."""
    blocks: list[Block] = [Heading(words(ctx.language).gettext("The DPO's decision"), 1)]
    decision = ctx.decision
    if decision is None:
        return blocks + [Paragraph(Span(words(ctx.language).gettext("Awaiting the DPO's decision."), bold=True))]
    blocks.append(
        Paragraph(
            Span(status_label(decision.status, ctx.language).upper(), bold=True,
                 color=DECISION_COLOURS.get(decision.status)),
            style="subtitle",
        )
    )
    blocks += [Heading(words(ctx.language).gettext("Reasons"), 2)]
    blocks += [Paragraph(line) for line in decision.reasons.splitlines() if line.strip()]
    if decision.conditions:
        blocks += [Heading(words(ctx.language).gettext("Conditions"), 2)]
        blocks += [Bullet(condition) for condition in decision.conditions]
    return blocks


def recommendation_blocks(ctx: MemoContext) -> list[Block]:
    """The register's automatic opinion, labelled apart from the decision; its
    conditions only where the DPO's decision does not already state them."""
    verdict, language = ctx.verdict, ctx.language
    assessment = verdict.assessment
    blocks: list[Block] = [
        Heading(words(ctx.language).gettext("The register's recommendation"), 1),
        Paragraph(Span(words(ctx.language).gettext("An automatic opinion computed from the answers to the request; it informs the DPO's decision and does not replace it."), italic=True)),
        Paragraph(Span(verdict.headline.in_language(language), bold=True,
                       color=DECISION_COLOURS.get(verdict.decision))),
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
    retained = set(ctx.decision.conditions) if ctx.decision is not None else set()
    blocking = [c for c in verdict.conditions if c.when == "blocking"]
    others = [
        c for c in verdict.conditions
        if c.when != "blocking" and c.text.in_language(language) not in retained
    ]
    if blocking:
        blocks += [Heading(words(ctx.language).gettext("What blocks"), 2)]
        blocks += [Bullet(c.text.in_language(language)) for c in blocking]
    if verdict.questions:
        blocks += [Heading(words(ctx.language).gettext("Questions to answer"), 2)]
        blocks += [Bullet(q.text.in_language(language)) for q in verdict.questions]
    if others:
        heading = "memo_other_points" if ctx.decision is not None else "memo_suggested_conditions"
        blocks += [Heading(term("document." + heading, ctx.language), 2)]
        blocks += [
            Bullet((Span(wording.with_colon(term("document." + _WHEN[c.when], ctx.language), language), bold=True),
                    Span(c.text.in_language(language))))
            for c in others
        ]
    return blocks


_WHEN = {"before_go_live": "before_go_live", "first_review": "by_first_review"}


def candidate_blocks(ctx: MemoContext) -> list[Block]:
    """The tool as requested; what the request did not say reads "not given"."""
    candidate, language = ctx.candidate, ctx.language
    not_given = words(ctx.language).gettext("Not given")

    def given(value: str) -> str:
        return value or not_given

    country = (
        ctx.reference.country_name(candidate.headquarters_country, language)
        if candidate.headquarters_country
        else not_given
    )
    rows: list[tuple[str, Content]] = []
    if ctx.request is not None:
        rows += [
            (words(ctx.language).gettext("Requested by"), words(ctx.language).gettext("%(who)s, on %(day)s", who=ctx.request.requested_by, day=prose_date(ctx.request.requested_on, language))),
            (words(ctx.language).gettext("Intended use"), given(ctx.request.purpose)),
        ]
    rows += [
        (words(ctx.language).pgettext("document legal name", "Legal name"), text_or_missing(candidate.legal_name, "legal_name", language)),
        (words(ctx.language).gettext("Trade name"), candidate.trade_name or candidate.legal_name),
        (words(ctx.language).gettext("Category"), wording.enum_label(candidate.category, language)),
        (words(ctx.language).gettext("Headquarters"), country),
        (words(ctx.language).pgettext("document website", "Website"), given(candidate.website)),
        (words(ctx.language).gettext("Categories of personal data processed"), given(", ".join(candidate.data_categories))),
        (words(ctx.language).gettext("People concerned"), given(", ".join(candidate.data_subject_categories))),
    ]
    if ctx.request is None:
        rows.insert(3, (words(ctx.language).gettext("Service"), given(candidate.service_description)))
    return [
        Heading(words(ctx.language).gettext("Candidate tool"), 1),
        Table(
            (Column(words(ctx.language).gettext("Item"), 3), Column(words(ctx.language).gettext("Details"), 7)),
            [(Cell(name, bold=True), value) for name, value in rows],
        ),
    ]


def transfer_blocks(ctx: MemoContext) -> list[Block]:
    extract_ctx = ExtractContext(language=ctx.language, as_of=ctx.verdict.assessment.as_of, reference=ctx.reference)
    routes = third_country_routes(ctx.verdict.assessment)
    blocks: list[Block] = [Heading(words(ctx.language).gettext("Where the data would go"), 1)]
    if not routes:
        blocks.append(Paragraph(words(ctx.language).gettext("No transfer outside the EEA")))
    blocks += [Bullet(route_text(extract_ctx, route)) for route in routes]
    return blocks


def details_blocks(ctx: MemoContext) -> list[Block]:
    """Every finding, for the DPO (the conditions above group them in plain words)."""
    findings: tuple[Finding, ...] = ctx.verdict.details
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
            (Span(f"{f.code} — {f.title.in_language(language)}", bold=True), Span("\n" + subject_label(f.subject, language))),
            f.basis,
            f.remediation.in_language(language),
        )
        for f in findings
    ]
    return [Heading(words(ctx.language).gettext("Findings in detail"), 1), Table(columns, rows)]


def sign_off_blocks(ctx: MemoContext) -> list[Block]:
    """Who decided, in which role, when: filled from the recorded decision."""
    language = ctx.language
    decision = ctx.decision
    if decision is None:
        rows: list[tuple[str, Content]] = [
            (words(ctx.language).gettext("Decided by"), missing("decision_reason", language)),
            (words(ctx.language).pgettext("document memo role", "Role"), missing("decision_reason", language)),
            (words(ctx.language).gettext("Date"), missing("decision_reason", language)),
        ]
    else:
        rows = [
            (words(ctx.language).gettext("Decision"), status_label(decision.status, language)),
            (words(ctx.language).gettext("Decided by"), decision.decided_by),
            (words(ctx.language).pgettext("document memo role", "Role"), role_label(decision.role, language)),
            (words(ctx.language).gettext("Date"), prose_date(decision.decided_on, language)),
        ]
    return [
        Heading(words(ctx.language).gettext("Sign-off"), 1),
        Table(
            (Column(words(ctx.language).gettext("Item"), 3), Column(words(ctx.language).gettext("Details"), 7)),
            [(Cell(name, bold=True), value) for name, value in rows],
        ),
    ]
