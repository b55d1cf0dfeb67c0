"""The DPA draft of one processor, on the skeleton of the Commission's
standard contractual clauses under Art. 28(7) GDPR, (EU) 2021/915.

The sections and clauses come in the Decision's order (see
:mod:`register.documents.dpa_clauses`); the record decides the options
(Clause 7.7 Option 1 or 2 and its period, the Clause 9.2 deadline), Clause
7.8 lists the transfers and the SCC module (2021/914) to annex for each, and
Annexes I to IV are filled from the register. A fact the record lacks is a
highlighted "[To be completed: …]" placeholder, never empty text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from register.compliance.model import Organisation, Processor
from register.compliance.results import ProcessorAssessment, TransferRoute
from register.documents.common import (
    Block,
    Cell,
    Column,
    Content,
    DocumentInfo,
    Heading,
    PageBreak,
    Paragraph,
    Span,
    Table,
    joined_or_missing,
    missing,
    render_document,
    text_or_missing,
)
from register.documents.dpa_clauses import (
    ANNEXES,
    BREACH_BY_PROCESSOR,
    OPTION_1,
    OPTION_2,
    SECTIONS,
    SUB_PROCESSOR_OBLIGATIONS,
    Clause,
    Section,
)
from register.reference import Reference, load_reference
from register.vocabulary import SubProcessorAuthorisation, TransferMechanism
from register.i18n import words
from register.i18n.dates import prose_date
from register.documents import wording

T = TypeVar("T")
CONTROLLER_TO_PROCESSOR = 2  # 2021/914 Module Two
PROCESSOR_TO_PROCESSOR = 3  # 2021/914 Module Three


@dataclass(frozen=True, slots=True)
class DpaContext:
    organisation: Organisation
    processor: Processor
    assessment: ProcessorAssessment
    language: str
    reference: Reference


    def pick(self, pair: tuple[T, T]) -> T:
        """The French or English member of an (English, French) pair."""
        return pair[1] if self.language == "fr" else pair[0]

    def missing(self, what: str) -> Span:
        return missing(what, self.language)

    def country(self, code: str | None) -> Content:
        return self.reference.country_name(code, self.language) if code else self.missing("country")


def dpa_draft(
    organisation: Organisation,
    processor: Processor,
    assessment: ProcessorAssessment,
    *,
    language: str,
    reference: Reference | None = None,
    document_date: date | None = None,
) -> bytes:
    """The DPA draft as .docx bytes. ``assessment`` is the core's assessment
    of ``processor`` (its transfer routes fill Clause 7.8)."""
    ctx = DpaContext(
        organisation=organisation,
        processor=processor,
        assessment=assessment,
        language=wording.check_language(language),
        reference=reference or load_reference(),
    )
    info = DocumentInfo(
        title=" — ".join((words(ctx.language).gettext("Data processing agreement (draft)"), processor.display_name)),
        organisation=organisation.name,
        language=ctx.language,
        as_of=assessment.as_of,
        document_date=document_date or date.today(),
    )
    return render_document(info, dpa_blocks(ctx, info.document_date))


def dpa_blocks(ctx: DpaContext, document_date: date) -> list[Block]:
    blocks = cover_blocks(ctx, document_date)
    for section in SECTIONS:
        blocks += section_blocks(ctx, section)
    blocks += annex_i_blocks(ctx)
    blocks += annex_ii_blocks(ctx)
    blocks += annex_iii_blocks(ctx)
    blocks += annex_iv_blocks(ctx)
    return blocks


# --------------------------------------------------------------------------
# Cover


def cover_blocks(ctx: DpaContext, document_date: date) -> list[Block]:
    processor = ctx.processor
    language = ctx.language
    between = words(ctx.language).gettext("Between %(controller)s (controller) and %(processor)s (processor)", controller=ctx.organisation.name, processor=processor.legal_name)
    details: list[tuple[str, Content]] = [
        (words(ctx.language).gettext("As of:"), prose_date(ctx.assessment.as_of, language)),
        (words(ctx.language).gettext("Document date:"), prose_date(document_date, language)),
    ]
    agreement = processor.agreement
    if agreement is not None and agreement.reference:
        signed = prose_date(agreement.signed_on, language) if agreement.signed_on else words(ctx.language).gettext("Not signed")
        details.append((words(ctx.language).gettext("DPA status"), f"{agreement.reference} — {signed}"))
    governing_law = agreement.governing_law if agreement is not None else ""
    details.append((words(ctx.language).gettext("Law governing the main contract"), text_or_missing(governing_law, "governing_law", language)))
    blocks: list[Block] = [
        Paragraph(words(ctx.language).gettext("Data processing agreement (draft)"), style="title"),
        Paragraph(words(ctx.language).gettext("Standard contractual clauses between controllers and processors under Article 28(7) of Regulation (EU) 2016/679 (Commission Implementing Decision (EU) 2021/915)"), style="subtitle"),
        Paragraph(between, style="cover"),
    ]
    blocks += [Paragraph(_labelled(name, value, language), style="cover") for name, value in details]
    blocks += [Paragraph(words(ctx.language).gettext("Draft prepared from the register on the \"as of\" date. The Clauses below follow, in order, the sections and clauses of the Annex to Implementing Decision (EU) 2021/915; their text here summarises each clause. The binding wording is that of the Decision (OJ L 199, 7.6.2021, p. 18), which the parties incorporate without modification (Clause 2). Passages highlighted in yellow must be completed before signature."), style="small"), PageBreak()]
    return blocks


def _labelled(name: str, value: Content, language: str) -> tuple[Span, ...]:
    head = Span(wording.with_colon(name, language), bold=True)
    if isinstance(value, str):
        return (head, Span(value))
    if isinstance(value, Span):
        return (head, value)
    return (head, *value)


# --------------------------------------------------------------------------
# Sections and clauses


def section_heading(section: Section, language: str) -> str:
    """"SECTION II — OBLIGATIONS OF THE PARTIES" (Section I has no title)."""
    head = f"SECTION {section.number}"
    title = section.title(language)
    return f"{head} — {title.upper()}" if title else head


def clause_heading(clause: Clause, language: str) -> str:
    """"Clause 7 — Obligations of the Parties", or "7.1 Instructions" for a sub-clause."""
    if "." in clause.number:
        return f"{clause.number} {clause.title(language)}"
    return f"Clause {clause.number} — {clause.title(language)}"


def section_blocks(ctx: DpaContext, section: Section) -> list[Block]:
    blocks: list[Block] = [Heading(section_heading(section, ctx.language), 1)]
    for clause in section.clauses:
        level = 3 if "." in clause.number else 2
        blocks.append(Heading(clause_heading(clause, ctx.language), level))
        blocks += [Paragraph(text) for text in clause.paragraphs(ctx.language)]
        blocks += clause_extras(ctx, clause.number)
    return blocks


def clause_extras(ctx: DpaContext, number: str) -> list[Block]:
    """What the record adds to a clause."""
    if number == "7.5":
        return sensitive_data_blocks(ctx)
    if number == "7.7":
        return sub_processor_blocks(ctx)
    if number == "7.8":
        return transfer_blocks(ctx)
    if number == "9.2":
        return breach_blocks(ctx)
    return []


def sensitive_data_blocks(ctx: DpaContext) -> list[Block]:
    return [Paragraph(_labelled(words(ctx.language).gettext("Sensitive data processed (if applicable) and applied restrictions or safeguards"), sensitive_data_content(ctx), ctx.language))]


def sensitive_data_content(ctx: DpaContext) -> Content:
    processor = ctx.processor
    if processor.special_category_data is None:
        return ctx.missing("special_data")
    if not processor.special_category_data:
        return words(ctx.language).gettext("No special categories of data (Art. 9) according to the register.")
    categories = text_or_missing(processor.special_categories, "special_data", ctx.language)
    safeguards = text_or_missing(processor.special_category_safeguards, "special_safeguards", ctx.language)
    return _spans(categories) + (Span(" — "),) + _spans(safeguards)


def _spans(content: Content) -> tuple[Span, ...]:
    if isinstance(content, str):
        return (Span(content),)
    if isinstance(content, Span):
        return (content,)
    return content


def sub_processor_blocks(ctx: DpaContext) -> list[Block]:
    """Clause 7.7: the option the record chose (both, to choose, when none is recorded)."""
    agreement = ctx.processor.agreement
    authorisation = agreement.sub_processor_authorisation if agreement else SubProcessorAuthorisation.NONE_RECORDED
    language = ctx.language
    blocks: list[Block] = []
    if authorisation == SubProcessorAuthorisation.NONE_RECORDED:
        blocks.append(Paragraph(_spans(ctx.missing("authorisation")) + (Span(" " + words(ctx.language).gettext("the register records no authorisation: choose Option 1 or Option 2")),)))
        blocks.append(Paragraph(_option_text(ctx, OPTION_1, ctx.missing("request_period"))))
        blocks.append(Paragraph(_option_text(ctx, OPTION_2, ctx.missing("notice_period"))))
    else:
        option = wording.enum_label(authorisation, language)
        blocks.append(Paragraph(Span(words(ctx.language).gettext("Option chosen from the register: %(option)s", option=option), bold=True)))
        if authorisation == SubProcessorAuthorisation.GENERAL:
            days = agreement.objection_notice_days if agreement else None
            period = words(ctx.language).ngettext("%(num)s day", "%(num)s days", days) if days else ctx.missing("notice_period")
            blocks.append(Paragraph(_option_text(ctx, OPTION_2, period)))
        else:
            blocks.append(Paragraph(_option_text(ctx, OPTION_1, ctx.missing("request_period"))))
    blocks += [Paragraph(text) for text in ctx.pick(SUB_PROCESSOR_OBLIGATIONS)]
    return blocks


def _option_text(ctx: DpaContext, option: tuple[str, str], period: Content) -> tuple[Span, ...]:
    before, _, after = ctx.pick(option).partition("{period}")
    return (Span("a) " if ctx.language == "fr" else "(a) "), Span(before), *_spans(period), Span(after))


def breach_blocks(ctx: DpaContext) -> list[Block]:
    """Clause 9.2 with the deadline from the record."""
    agreement = ctx.processor.agreement
    hours = agreement.breach_notice_hours if agreement is not None else None
    deadline: Content = (
        words(ctx.language).ngettext("%(num)s hour", "%(num)s hours", hours) + "." if hours else ctx.missing("breach_deadline")
    )
    first, *rest = ctx.pick(BREACH_BY_PROCESSOR)
    return [Paragraph((Span(first), *_spans(deadline)))] + [Paragraph(text) for text in rest]


# --------------------------------------------------------------------------
# Clause 7.8: transfers and the SCC module to annex


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
        risk = " ;" + risk[1:]
    mechanism = route.mechanism
    if mechanism == TransferMechanism.SCC_2021:
        if route.scc_module == needed:
            return module, f"{roles}{say('; SCCs already recorded', ' ; CCT déjà enregistrées')}"
        recorded = route.scc_module if route.scc_module is not None else "?"
        return module, say(
            f"{roles}; the register records module {recorded}: to be corrected",
            f"{roles} ; le registre indique le module {recorded} : à corriger",
        )
    if mechanism == TransferMechanism.SCC_PRE_2021:
        return module, say(
            f"{roles}; replace the pre-2021 SCCs, void since 27 December 2022",
            f"{roles} ; remplacer les anciennes CCT, inutilisables depuis le 27 décembre 2022",
        )
    if mechanism == TransferMechanism.ART49_DEROGATION:
        return module, say(
            f"{roles}; an Art. 49 derogation cannot cover a regular flow",
            f"{roles} ; une dérogation de l'art. 49 ne peut fonder un flux régulier",
        )
    if mechanism == TransferMechanism.DPF or (route.basis == "adequacy" and route.country == "US"):
        if route.covered:
            return say(f"{module} as a fallback", f"{module} en solution de repli"), say(
                f"DPF certification relied on{risk}", f"certification DPF retenue{risk}"
            )
        return say(f"{module} unless the DPF certification is verified", f"{module}, sauf certification DPF vérifiée"), say(
            f"{roles}; the recipient's DPF certification is not verified on the record{risk}",
            f"{roles} ; la certification DPF du destinataire n'est pas vérifiée dans le registre{risk}",
        )
    if route.basis == "adequacy":
        decision = route.decision or say("adequacy decision", "décision d'adéquation")
        if route.covered:
            return words(language).gettext("None: %(why)s", why=decision), f"{roles}{risk}"
        return say(f"{module} unless the decision applies", f"{module}, sauf si la décision s'applique"), say(
            f"{roles}; the scope of {decision} is not confirmed on the record",
            f"{roles} ; l'application de la décision {decision} n'est pas établie dans le registre",
        )
    if mechanism is not None and route.covered:
        return words(language).gettext("None: %(why)s", why=wording.enum_label(mechanism, language)), roles
    if route.basis == "unknown":
        return module, say(
            f"{roles}; the destination is not established on the record: annex the SCCs if the transfer is confirmed",
            f"{roles} ; la destination n'est pas établie dans le registre : annexer les CCT si le transfert est confirmé",
        )
    return module, say(
        f"{roles}; no safeguard recorded: annex the SCCs and carry out a transfer impact assessment (Clause 14)",
        f"{roles} ; aucune garantie enregistrée : annexer les CCT et réaliser une analyse d'impact des transferts (clause 14)",
    )


def third_country_routes(ctx: DpaContext) -> list[TransferRoute]:
    return [route for route in ctx.assessment.transfers if route.basis != "eea"]


def transfer_blocks(ctx: DpaContext) -> list[Block]:
    routes = third_country_routes(ctx)
    if not routes:
        return [Paragraph(Span(words(ctx.language).gettext("No transfer outside the EEA"), bold=True))]
    language = ctx.language
    columns = (
        Column(words(ctx.language).gettext("Country"), 12),
        Column(words(ctx.language).gettext("Path of the data"), 22),
        Column(words(ctx.language).gettext("Safeguard"), 18),
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
        status = words(ctx.language).gettext("covered") if route.covered else words(ctx.language).gettext("NOT COVERED")
        rows.append(
            (
                route.country_name.in_language(language),
                " → ".join(route.path),
                f"{on_record} ({status})",
                Cell(to_annex, bold=True),
                why,
            )
        )
    return [Paragraph(words(ctx.language).gettext("Transfers of personal data outside the EEA identified in the register, through the processor and its sub-processors:")), Table(columns, rows)]


# --------------------------------------------------------------------------
# Annexes


def annex_heading(number: str, ctx: DpaContext, page_break: bool = True) -> Heading:
    titles = {n: (en, fr) for n, en, fr in ANNEXES}
    title = ctx.pick(titles[number])
    annex = words(ctx.language).gettext("Annex").upper()
    return Heading(f"{annex} {number} — {title}", 1, page_break_before=page_break)


def annex_i_blocks(ctx: DpaContext) -> list[Block]:
    organisation, processor, language = ctx.organisation, ctx.processor, ctx.language
    dpo = " — ".join(part for part in (organisation.dpo_name, organisation.dpo_email) if part)
    controller_rows: list[tuple[str, Content]] = [
        (words(ctx.language).gettext("Name"), text_or_missing(organisation.name, "legal_name", language)),
        (words(ctx.language).gettext("Address"), ctx.missing("address")),
        (words(ctx.language).gettext("Country"), ctx.country(organisation.country)),
        (words(ctx.language).gettext("Contact person's name, position and contact details"), dpo or ctx.missing("contact")),
        (words(ctx.language).gettext("Signature and accession date"), ctx.missing("signature")),
    ]
    processor_rows: list[tuple[str, Content]] = [
        (words(ctx.language).gettext("Name"), text_or_missing(processor.legal_name, "legal_name", language)),
        (words(ctx.language).gettext("Trade name"), processor.trade_name or processor.legal_name),
        (words(ctx.language).gettext("Address"), ctx.missing("address")),
        (words(ctx.language).gettext("Country"), ctx.country(processor.headquarters_country)),
        (words(ctx.language).pgettext("document website", "Website"), text_or_missing(processor.website, "website", language)),
        (words(ctx.language).gettext("Contact person's name, position and contact details"), text_or_missing(processor.privacy_contact, "contact", language)),
        (words(ctx.language).gettext("Signature and accession date"), ctx.missing("signature")),
    ]
    return [
        annex_heading("I", ctx),
        Heading(words(ctx.language).gettext("Controller(s)"), 2),
        _two_column_table(ctx, controller_rows),
        Heading(words(ctx.language).gettext("Processor(s)"), 2),
        _two_column_table(ctx, processor_rows),
    ]


def _two_column_table(ctx: DpaContext, rows: Sequence[tuple[str, Content]]) -> Table:
    return Table(
        (Column(words(ctx.language).gettext("Item"), 3), Column(words(ctx.language).gettext("Details"), 7)),
        [(Cell(name, bold=True), value) for name, value in rows],
    )


def duration_content(ctx: DpaContext) -> Content:
    agreement = ctx.processor.agreement
    language = ctx.language
    start = (agreement.effective_on or agreement.signed_on) if agreement is not None else None
    end = agreement.ends_on if agreement is not None else None
    if start is None and end is None:
        return (Span(words(ctx.language).gettext("For the duration of the service agreement") + " "), ctx.missing("duration"))
    text = words(ctx.language).gettext("From %(start)s", start=prose_date(start, language)) if start else words(ctx.language).gettext("For the duration of the service agreement")
    if end is not None:
        text += " " + words(ctx.language).gettext("until %(end)s", end=prose_date(end, language))
    return text


def retention_content(ctx: DpaContext) -> Content:
    processor = ctx.processor
    if processor.retention_unlimited:
        return (Span(words(ctx.language).gettext("no limit recorded: a retention period must be set (Art. 5(1)(e))") + " "), ctx.missing("retention"))
    if processor.retention_months is None:
        return ctx.missing("retention")
    return words(ctx.language).ngettext("%(num)s month", "%(num)s months", processor.retention_months)


def sub_processing_content(ctx: DpaContext) -> Content:
    subs = ctx.processor.sub_processors
    if not subs:
        return words(ctx.language).pgettext("document none recorded", "None recorded")
    spans: list[Span] = []
    for index, sub in enumerate(subs):
        if index:
            spans.append(Span("\n"))
        spans.append(Span(f"{sub.name}: " if ctx.language == "en" else f"{sub.name} : ", bold=True))
        spans += _spans(text_or_missing(sub.purpose, "sub_processor_purpose", ctx.language))
    return tuple(spans)


def annex_ii_blocks(ctx: DpaContext) -> list[Block]:
    processor, language = ctx.processor, ctx.language
    rows: list[tuple[str, Content]] = [
        (words(ctx.language).gettext("Categories of data subjects whose personal data is processed"), joined_or_missing(processor.data_subject_categories, "data_subjects", language)),
        (words(ctx.language).gettext("Categories of personal data processed"), joined_or_missing(processor.data_categories, "data_categories", language)),
        (words(ctx.language).gettext("Sensitive data processed (if applicable) and applied restrictions or safeguards"), sensitive_data_content(ctx)),
        (words(ctx.language).gettext("Nature of the processing"), text_or_missing(processor.service_description, "nature", language)),
        (words(ctx.language).gettext("Purpose(s) for which the personal data is processed on behalf of the controller"), joined_or_missing(processor.purposes, "purposes", language)),
        (words(ctx.language).gettext("Duration of the processing"), duration_content(ctx)),
        (words(ctx.language).gettext("Retention of the personal data"), retention_content(ctx)),
        (words(ctx.language).gettext("For processing by (sub-)processors, also specify subject matter, nature and duration"), sub_processing_content(ctx)),
    ]
    return [annex_heading("II", ctx), _two_column_table(ctx, rows)]


def annex_iii_blocks(ctx: DpaContext) -> list[Block]:
    processor, language = ctx.processor, ctx.language
    rows: list[tuple[str, Content]] = [
        (words(ctx.language).gettext("Technical and organisational measures"), text_or_missing(processor.security_measures, "security_measures", language)),
    ]
    if processor.certifications:
        rows.append((words(ctx.language).gettext("Certifications"), ", ".join(processor.certifications)))
    return [annex_heading("III", ctx), _two_column_table(ctx, rows)]


def annex_iv_blocks(ctx: DpaContext) -> list[Block]:
    language = ctx.language
    subs = ctx.processor.sub_processors
    blocks: list[Block] = [annex_heading("IV", ctx)]
    if not subs:
        blocks.append(Paragraph((Span(words(ctx.language).pgettext("document none recorded", "None recorded") + " — "), ctx.missing("sub_processors"))))
        return blocks
    columns = (
        Column(words(ctx.language).gettext("Name"), 18),
        Column(words(ctx.language).gettext("Address"), 16),
        Column(words(ctx.language).gettext("Countries"), 16),
        Column(words(ctx.language).gettext("Purpose"), 28),
        Column(words(ctx.language).gettext("Same obligations flowed down (Art. 28(4))"), 16),
    )
    rows = [
        (
            text_or_missing(sub.name, "legal_name", language),
            ctx.missing("address"),
            joined_or_missing((ctx.reference.country_name(c, language) for c in sub.countries), "sub_processor_countries", language),
            text_or_missing(sub.purpose, "sub_processor_purpose", language),
            wording.enum_label(sub.flowdown, language),
        )
        for sub in subs
    ]
    blocks.append(Table(columns, rows))
    return blocks
