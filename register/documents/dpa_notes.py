"""The reviewer's notes on a DPA draft: what the controller's reviewer reads
before sending the draft, and never sends to the vendor.

Everything the register concludes about the processor lives here, not in
the contract: the facts the draft still lacks (each placeholder, where it
is), the transfers outside the EEA with their coverage and the SCC module of
(EU) 2021/914 to sign for each (with the DPF litigation risk where the flow
relies on it), the sub-processors' flow-down status, a retention period
missing, and the register's findings on the processor.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from register.compliance.model import Organisation, Processor
from register.compliance.results import ProcessorAssessment, TransferRoute
from register.compliance.scoring import by_severity
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
    render_document,
)
from register.documents.dpa import DpaContext, dpa_blocks, dpa_context, spans
from register.reference import Reference
from register.vocabulary import TransferMechanism
from register.i18n import words
from register.i18n.dates import prose_date
from register.documents import wording

CONTROLLER_TO_PROCESSOR = 2  # 2021/914 Module Two
PROCESSOR_TO_PROCESSOR = 3  # 2021/914 Module Three


def dpa_review_notes(
    organisation: Organisation,
    processor: Processor,
    assessment: ProcessorAssessment,
    *,
    language: str,
    reference: Reference | None = None,
    document_date: date | None = None,
) -> bytes:
    """The reviewer's notes as .docx bytes (internal: not for the vendor)."""
    ctx = dpa_context(organisation, processor, assessment, language=language, reference=reference)
    notes_title = words(ctx.language).gettext("Reviewer's notes on the DPA draft")
    info = DocumentInfo(
        title=f"{notes_title} — {processor.display_name}",
        organisation=organisation.name,
        language=ctx.language,
        as_of=assessment.as_of,
        document_date=document_date or date.today(),
    )
    return render_document(info, notes_blocks(ctx, info.document_date))


def notes_blocks(ctx: DpaContext, document_date: date) -> list[Block]:
    language = ctx.language
    blocks: list[Block] = [
        Paragraph(words(ctx.language).gettext("Reviewer's notes on the DPA draft"), style="title"),
        Paragraph(ctx.processor.display_name, style="subtitle"),
        Paragraph(Span(words(ctx.language).gettext("Internal document of the controller: do not send it to the processor. It goes with the DPA draft of the same date and holds the register's analysis behind it."), bold=True), style="cover"),
        Paragraph(
            (Span(wording.with_colon(words(ctx.language).gettext("As of:"), language), bold=True), Span(prose_date(ctx.assessment.as_of, language))),
            style="cover",
        ),
        Paragraph(
            (Span(wording.with_colon(words(ctx.language).gettext("Document date:"), language), bold=True), Span(prose_date(document_date, language))),
            style="cover",
        ),
    ]
    blocks += missing_facts_blocks(ctx, document_date)
    blocks += transfer_blocks(ctx)
    blocks += flowdown_blocks(ctx)
    blocks += retention_blocks(ctx)
    blocks += findings_blocks(ctx)
    return blocks


# --------------------------------------------------------------------------
# What the draft lacks


def content_spans(content: Content | Cell) -> tuple[Span, ...]:
    return spans(content.content if isinstance(content, Cell) else content)


def plain_text(content: Content | Cell) -> str:
    return "".join(span.text for span in content_spans(content))


def draft_placeholders(blocks: Iterable[Block]) -> list[tuple[str, str, str]]:
    """(part of the draft, item, placeholder text) for every placeholder of the draft, in order."""
    found: list[tuple[str, str, str]] = []
    part = ""
    for block in blocks:
        if isinstance(block, Heading) and block.level == 1:
            part = block.text
        elif isinstance(block, Paragraph):
            found += [(part, "", span.text) for span in content_spans(block.content) if span.missing]
        elif isinstance(block, Table):
            for row in block.rows:
                item = plain_text(row[0]) if row else ""
                for cell in row:
                    found += [(part, item, span.text) for span in content_spans(cell) if span.missing]
    return found


def missing_facts_blocks(ctx: DpaContext, document_date: date) -> list[Block]:
    placeholders = draft_placeholders(dpa_blocks(ctx, document_date))
    blocks: list[Block] = [Heading(words(ctx.language).gettext("1. Facts to complete in the draft"), 1)]
    if not placeholders:
        return blocks + [Paragraph(words(ctx.language).gettext("None: the register holds every fact the draft needs."))]
    columns = (Column(words(ctx.language).gettext("Part of the draft"), 4), Column(words(ctx.language).gettext("Item"), 4), Column(words(ctx.language).gettext("Placeholder"), 4))
    return blocks + [Paragraph(words(ctx.language).gettext("Each highlighted passage of the draft is a fact the register lacks. Record it in the register and generate the draft again, or complete it in the draft before signature:")), Table(columns, placeholders)]


# --------------------------------------------------------------------------
# Transfers outside the EEA (Clause 7.8) and the SCCs of 2021/914


def scc_recommendation(route: TransferRoute, language: str) -> tuple[Content, str]:
    """(the SCCs to annex, why) for one transfer route outside the EEA:
    Module 2 for the processor itself, Module 3 for its sub-processors."""
    fr = language == "fr"

    def say(en: str, fr_text: str) -> str:
        return fr_text if fr else en

    needed = CONTROLLER_TO_PROCESSOR if route.sub_processor_id is None else PROCESSOR_TO_PROCESSOR
    module = f"Module {needed} (2021/914)"
    roles = (
        say("controller → processor", "responsable du traitement → sous-traitant")
        if needed == CONTROLLER_TO_PROCESSOR
        else say("processor → sub-processor", "sous-traitant → sous-traitant ultérieur")
    )
    risk = f"; {route.risk_note.in_language(language)}" if route.risk_note is not None else ""
    if fr and risk:
        risk = "\u00a0;" + risk[1:]
    mechanism = route.mechanism
    if route.coverage == "being_negotiated":
        return module, say(
            f"{roles}; the transfer tool is being negotiated: to be signed before any transfer",
            f"{roles}\u00a0; l'outil de transfert est en cours de négociation\u00a0: à signer avant tout transfert",
        )
    if mechanism == TransferMechanism.SCC_2021:
        if route.scc_module == needed:
            return module, roles + say("; SCCs already recorded", "\u00a0; CCT déjà enregistrées")
        recorded = route.scc_module if route.scc_module is not None else "?"
        return module, say(
            f"{roles}; the register records module {recorded}: to be corrected",
            f"{roles}\u00a0; le registre indique le module {recorded}\u00a0: à corriger",
        )
    if mechanism == TransferMechanism.SCC_PRE_2021:
        return module, say(
            f"{roles}; replace the pre-2021 SCCs, void since 27 December 2022",
            f"{roles}\u00a0; remplacer les anciennes CCT, inutilisables depuis le 27 décembre 2022",
        )
    if mechanism == TransferMechanism.ART49_DEROGATION:
        return module, say(
            f"{roles}; an Art. 49 derogation cannot cover a regular flow",
            f"{roles}\u00a0; une dérogation de l'art. 49 ne peut fonder un flux régulier",
        )
    if mechanism == TransferMechanism.DPF or (route.basis == "adequacy" and route.country == "US"):
        if route.covered:
            return say(f"{module} as a fallback", f"{module} en solution de repli"), say(
                f"DPF certification relied on{risk}", f"certification DPF retenue{risk}"
            )
        return say(f"{module} unless the DPF certification is verified", f"{module}, sauf certification DPF vérifiée"), say(
            f"{roles}; the recipient's DPF certification is not verified on the record{risk}",
            f"{roles}\u00a0; la certification DPF du destinataire n'est pas vérifiée dans le registre{risk}",
        )
    if route.basis == "adequacy":
        decision = route.decision or say("adequacy decision", "décision d'adéquation")
        if route.covered:
            return words(language).gettext("None: %(why)s", why=decision), f"{roles}{risk}"
        return say(f"{module} unless the decision applies", f"{module}, sauf si la décision s'applique"), say(
            f"{roles}; the scope of {decision} is not confirmed on the record",
            f"{roles}\u00a0; l'application de la décision {decision} n'est pas établie dans le registre",
        )
    if mechanism is not None and route.covered:
        return words(language).gettext("None: %(why)s", why=wording.enum_label(mechanism, language)), roles
    if route.basis == "unknown":
        return module, say(
            f"{roles}; the destination is not established on the record: annex the SCCs if the transfer is confirmed",
            f"{roles}\u00a0; la destination n'est pas établie dans le registre\u00a0: annexer les CCT si le transfert est confirmé",
        )
    return module, say(
        f"{roles}; no safeguard recorded: annex the SCCs and carry out a transfer impact assessment (Clause 14)",
        f"{roles}\u00a0; aucune garantie enregistrée\u00a0: annexer les CCT et réaliser une analyse d'impact des transferts (clause 14)",
    )


def third_country_routes(ctx: DpaContext) -> list[TransferRoute]:
    return [route for route in ctx.assessment.transfers if route.basis != "eea"]


def transfer_blocks(ctx: DpaContext) -> list[Block]:
    blocks: list[Block] = [Heading(words(ctx.language).gettext("2. Transfers outside the EEA (Clause 7.8) and the SCCs of (EU) 2021/914"), 1)]
    routes = third_country_routes(ctx)
    if not routes:
        return blocks + [Paragraph(Span(words(ctx.language).gettext("No transfer outside the EEA"), bold=True))]
    language = ctx.language
    columns = (
        Column(words(ctx.language).gettext("Country"), 12),
        Column(words(ctx.language).gettext("Path of the data"), 22),
        Column(words(ctx.language).gettext("Transfer tool"), 18),
        Column(words(ctx.language).gettext("SCCs to annex"), 16),
        Column(words(ctx.language).gettext("Why"), 32),
    )
    rows = []
    for route in routes:
        to_annex, why = scc_recommendation(route, language)
        on_record = (
            wording.enum_label(route.mechanism, language)
            if route.mechanism is not None
            else wording.route_basis_label(route.basis, language)
        )
        status = wording.coverage_label(route.coverage, language)
        rows.append(
            (
                route.country_name.in_language(language),
                " → ".join(route.path),
                f"{on_record} ({status})",
                Cell(to_annex, bold=True),
                why,
            )
        )
    return blocks + [Paragraph(words(ctx.language).gettext("Transfers of personal data outside the EEA identified in the register, through the processor and its sub-processors:")), Table(columns, rows)]


# --------------------------------------------------------------------------
# Sub-processors, retention, findings


def flowdown_blocks(ctx: DpaContext) -> list[Block]:
    subs = ctx.processor.sub_processors
    if not subs:
        return []
    columns = (Column(words(ctx.language).gettext("Sub-processor"), 5), Column(words(ctx.language).gettext("Same obligations flowed down (Art. 28(4))"), 5))
    rows = [(sub.name, wording.enum_label(sub.flowdown, ctx.language)) for sub in subs]
    return [Heading(words(ctx.language).gettext("3. Sub-processors: obligations flowed down (Art. 28(4))"), 1), Table(columns, rows)]


def retention_blocks(ctx: DpaContext) -> list[Block]:
    if not ctx.processor.retention_unlimited:
        return []
    return [Heading(words(ctx.language).gettext("Retention of the personal data"), 1), Bullet(words(ctx.language).gettext("no limit recorded: a retention period must be set (Art. 5(1)(e))"))]


def findings_blocks(ctx: DpaContext) -> list[Block]:
    language = ctx.language
    blocks: list[Block] = [Heading(words(ctx.language).gettext("Findings of the register on this processor"), 1)]
    findings = by_severity(ctx.assessment.findings)
    if not findings:
        return blocks + [Paragraph(words(ctx.language).gettext("No finding."))]
    columns = (Column(words(ctx.language).gettext("Severity"), 2), Column(words(ctx.language).gettext("Finding"), 5), Column(words(ctx.language).gettext("Remediation"), 5))
    rows = [
        (
            wording.enum_label(finding.severity, language),
            finding.title.in_language(language),
            finding.remediation.in_language(language),
        )
        for finding in findings
    ]
    return blocks + [Table(columns, rows)]
