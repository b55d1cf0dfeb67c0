"""The DPA draft of one processor: the Commission's standard contractual
clauses under Art. 28(7) GDPR, (EU) 2021/915, incorporated by reference.

What goes to the vendor, in order:

1. the incorporation of the Clauses by reference (the Decision's text, as
   published in the Official Journal, unmodified: Clause 2 — said once);
2. the options the Clauses leave open, as the register records them
   (Clause 5 docking clause, Clause 7.7 Option 1 or 2 and its period, the
   Clause 9.2 notification deadline);
3. Annexes I to IV filled from the register (parties with address and
   contact person; description of the processing; technical and
   organisational measures with the assistance measures of Clauses 8 and
   9.2; sub-processors with the official columns only);
4. an appendix summarising the Clauses, labelled informative and
   non-contractual (the Official Journal text prevails).

A fact the record lacks is a highlighted "[To be completed: …]" placeholder.
The register's analysis (transfer coverage, SCC modules to annex, DPF risk,
flow-down status, findings) never appears here: it goes to the reviewer's
notes (:mod:`register.documents.dpa_notes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from register.compliance.model import Organisation, Processor, SubProcessor
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
from register.i18n.terms import term

T = TypeVar("T")
DECISION_CELEX = "32021D0915"


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

    def country(self, code: str | None) -> str:
        return self.reference.country_name(code, self.language) if code else ""


def dpa_context(
    organisation: Organisation,
    processor: Processor,
    assessment: ProcessorAssessment,
    *,
    language: str,
    reference: Reference | None = None,
) -> DpaContext:
    return DpaContext(
        organisation=organisation,
        processor=processor,
        assessment=assessment,
        language=wording.check_language(language),
        reference=reference or load_reference(),
    )


def dpa_draft(
    organisation: Organisation,
    processor: Processor,
    assessment: ProcessorAssessment,
    *,
    language: str,
    reference: Reference | None = None,
    document_date: date | None = None,
) -> bytes:
    """The DPA draft as .docx bytes (what is sent to the vendor)."""
    ctx = dpa_context(organisation, processor, assessment, language=language, reference=reference)
    info = DocumentInfo(
        title=" — ".join((words(ctx.language).gettext("Data processing agreement (draft)"), processor.display_name)),
        organisation=organisation.name,
        language=ctx.language,
        as_of=assessment.as_of,
        document_date=document_date or date.today(),
    )
    return render_document(info, dpa_blocks(ctx, info.document_date))


def dpa_blocks(ctx: DpaContext, document_date: date) -> list[Block]:
    return (
        cover_blocks(ctx, document_date)
        + incorporation_blocks(ctx)
        + options_blocks(ctx)
        + annex_i_blocks(ctx)
        + annex_ii_blocks(ctx)
        + annex_iii_blocks(ctx)
        + annex_iv_blocks(ctx)
        + appendix_blocks(ctx)
    )


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
        details.append((words(ctx.language).gettext("Contract reference"), agreement.reference))
    governing_law = agreement.governing_law if agreement is not None else ""
    details.append((words(ctx.language).gettext("Law governing the main contract"), text_or_missing(governing_law, "governing_law", language)))
    blocks: list[Block] = [
        Paragraph(words(ctx.language).gettext("Data processing agreement (draft)"), style="title"),
        Paragraph(words(ctx.language).gettext("Standard contractual clauses between controllers and processors under Article 28(7) of Regulation (EU) 2016/679 (Commission Implementing Decision (EU) 2021/915)"), style="subtitle"),
        Paragraph(between, style="cover"),
    ]
    blocks += [Paragraph(labelled(name, value, language), style="cover") for name, value in details]
    blocks += [Paragraph(words(ctx.language).gettext("Draft prepared from the register. Passages highlighted in yellow are facts the register lacks: complete them before signature."), style="small"), PageBreak()]
    return blocks


def labelled(name: str, value: Content, language: str) -> tuple[Span, ...]:
    return (Span(wording.with_colon(name, language), bold=True), *spans(value))


def spans(content: Content) -> tuple[Span, ...]:
    if isinstance(content, str):
        return (Span(content),)
    if isinstance(content, Span):
        return (content,)
    return content


def joined(parts: Iterable[Content], separator: str) -> Content:
    """Contents joined by ``separator`` (placeholders kept as their own runs)."""
    result: list[Span] = []
    for index, part in enumerate(parts):
        if index:
            result.append(Span(separator))
        result += spans(part)
    return tuple(result)


# --------------------------------------------------------------------------
# 1. The Clauses, incorporated by reference


def eur_lex_address(language: str) -> str:
    return f"https://eur-lex.europa.eu/legal-content/{language.upper()}/TXT/?uri=CELEX:{DECISION_CELEX}"


def incorporation_blocks(ctx: DpaContext) -> list[Block]:
    """The Clauses incorporated by reference; their invariability (Clause 2), stated once."""
    return [
        Heading(words(ctx.language).gettext("1. Standard contractual clauses"), 1),
        Paragraph(words(ctx.language).gettext("1.1 The Parties agree to the standard contractual clauses set out in the Annex to Commission Implementing Decision (EU) 2021/915 of 4 June 2021 on standard contractual clauses between controllers and processors under Article 28(7) of Regulation (EU) 2016/679 (OJ L 199, 7.6.2021, p. 18; %(link)s) (the “Clauses”). The Clauses are incorporated into this agreement by reference, in the wording published in the Official Journal of the European Union; the Parties are designated in Annex I.", link=eur_lex_address(ctx.language))),
        Paragraph(words(ctx.language).gettext("1.2 In accordance with Clause 2, the Parties do not modify the Clauses: they only complete the Annexes and choose the options the Clauses leave open (point 2). No other provision agreed between the Parties contradicts the Clauses, directly or indirectly, or detracts from the fundamental rights or freedoms of data subjects; in the event of a contradiction, the Clauses prevail (Clause 4).")),
        Paragraph(words(ctx.language).gettext("1.3 Annexes I to IV, an integral part of the Clauses (Clause 1(d)), are set out below.")),
    ]


# --------------------------------------------------------------------------
# 2. The options the Clauses leave open


def options_blocks(ctx: DpaContext) -> list[Block]:
    rows: list[tuple[Content | Cell, ...]] = [
        (Cell(words(ctx.language).gettext("Clause 5 — Docking clause"), bold=True), docking_choice(ctx)),
        (Cell(words(ctx.language).gettext("Clause 7.7(a) — Use of sub-processors"), bold=True), sub_processor_choice(ctx)),
        (Cell(words(ctx.language).gettext("Clause 9.2 — Notification of a personal data breach to the controller"), bold=True), breach_deadline_choice(ctx)),
    ]
    return [
        Heading(words(ctx.language).gettext("2. Options chosen by the Parties"), 1),
        Paragraph(words(ctx.language).gettext("Where the Clauses leave a choice to the Parties, they agree as follows:")),
        Table((Column(words(ctx.language).gettext("Clause"), 3), Column(words(ctx.language).gettext("Choice of the Parties"), 7)), rows),
    ]


def docking_choice(ctx: DpaContext) -> Content:
    agreement = ctx.processor.agreement
    included = agreement.docking_clause if agreement is not None else None
    if included is None:
        return ctx.missing("docking_clause")
    return words(ctx.language).gettext("Included: other entities may accede to the Clauses with the agreement of all the Parties.") if included else words(ctx.language).gettext("Not included.")


def authorisation_of(processor: Processor) -> SubProcessorAuthorisation:
    agreement = processor.agreement
    return agreement.sub_processor_authorisation if agreement else SubProcessorAuthorisation.NONE_RECORDED


def clause_7_7_period(ctx: DpaContext) -> Content:
    """The Clause 7.7 period: notice (Option 2) or request (Option 1), in days."""
    agreement = ctx.processor.agreement
    days = agreement.objection_notice_days if agreement is not None else None
    if days:
        return words(ctx.language).ngettext("%(num)s day", "%(num)s days", days)
    general = authorisation_of(ctx.processor) == SubProcessorAuthorisation.GENERAL
    return ctx.missing("notice_period" if general else "request_period")


def sub_processor_choice(ctx: DpaContext) -> Content:
    authorisation = authorisation_of(ctx.processor)
    if authorisation == SubProcessorAuthorisation.NONE_RECORDED:
        return ctx.missing("authorisation")
    key = "option_2_agreed" if authorisation == SubProcessorAuthorisation.GENERAL else "option_1_agreed"
    before, _, after = term("document." + key, ctx.language, period="{period}").partition("{period}")
    return (Span(before), *spans(clause_7_7_period(ctx)), Span(after))


def breach_deadline_choice(ctx: DpaContext) -> Content:
    agreement = ctx.processor.agreement
    hours = agreement.breach_notice_hours if agreement is not None else None
    if not hours:
        return ctx.missing("breach_deadline")
    return words(ctx.language).gettext("Without undue delay and at the latest %(hours)s hours after the processor becomes aware of the breach.", hours=hours)


# --------------------------------------------------------------------------
# Annexes


def annex_heading(number: str, ctx: DpaContext) -> Heading:
    titles = {n: (en, fr) for n, en, fr in ANNEXES}
    title = ctx.pick(titles[number])
    annex = words(ctx.language).gettext("Annex").upper()
    return Heading(f"{annex} {number} — {title}", 1, page_break_before=True)


def two_column_table(ctx: DpaContext, rows: Sequence[tuple[str, Content]]) -> Table:
    return Table(
        (Column(words(ctx.language).gettext("Item"), 3), Column(words(ctx.language).gettext("Details"), 7)),
        [(Cell(name, bold=True), value) for name, value in rows],
    )


def address_content(ctx: DpaContext, address: str, country: str | None) -> Content:
    """The recorded postal address; else a placeholder (and the country, when known)."""
    if address.strip():
        return address.strip()
    country_name = ctx.country(country)
    return (ctx.missing("address"), Span("\n" + country_name)) if country_name else ctx.missing("address")


def contact_content(ctx: DpaContext, name: str, position: str, email: str, fallback: str = "") -> Content:
    """Contact person's name, position and contact details: what is recorded,
    placeholders for the rest; ``fallback`` (free text) when nothing is recorded."""
    name, position, email = name.strip(), position.strip(), email.strip()
    if not (name or position or email):
        return fallback.strip() or ctx.missing("contact")
    parts: list[Content] = [
        name or ctx.missing("contact_name"),
        position or ctx.missing("contact_position"),
        email or ctx.missing("contact_details"),
    ]
    return joined(parts, ", ")


def controller_contact(ctx: DpaContext) -> Content:
    organisation = ctx.organisation
    if organisation.contact_name or organisation.contact_position or organisation.contact_email:
        return contact_content(ctx, organisation.contact_name, organisation.contact_position, organisation.contact_email)
    if organisation.dpo_name or organisation.dpo_email:  # the DPO is the contact person
        return contact_content(ctx, organisation.dpo_name, words(ctx.language).gettext("Data protection officer"), organisation.dpo_email)
    return ctx.missing("contact")


def processor_name(processor: Processor) -> str:
    trade = processor.trade_name.strip()
    if trade and trade.casefold() not in processor.legal_name.casefold():
        return f"{processor.legal_name} ({trade})"
    return processor.legal_name


def annex_i_blocks(ctx: DpaContext) -> list[Block]:
    organisation, processor, language = ctx.organisation, ctx.processor, ctx.language
    controller_rows: list[tuple[str, Content]] = [
        (words(ctx.language).gettext("Name"), text_or_missing(organisation.name, "legal_name", language)),
        (words(ctx.language).gettext("Address"), address_content(ctx, organisation.address, organisation.country)),
        (words(ctx.language).gettext("Contact person's name, position and contact details"), controller_contact(ctx)),
    ]
    if organisation.dpo_name or organisation.dpo_email:
        dpo = ", ".join(part for part in (organisation.dpo_name, organisation.dpo_email) if part)
        controller_rows.append((words(ctx.language).gettext("Data protection officer"), dpo))
    controller_rows.append((words(ctx.language).gettext("Signature and accession date"), ctx.missing("signature")))
    processor_rows: list[tuple[str, Content]] = [
        (words(ctx.language).gettext("Name"), text_or_missing(processor_name(processor), "legal_name", language)),
        (words(ctx.language).gettext("Address"), address_content(ctx, processor.address, processor.headquarters_country)),
        (
            words(ctx.language).gettext("Contact person's name, position and contact details"),
            contact_content(
                ctx, processor.contact_name, processor.contact_position, processor.contact_email,
                fallback=processor.privacy_contact,
            ),
        ),
        (words(ctx.language).gettext("Signature and accession date"), ctx.missing("signature")),
    ]
    return [
        annex_heading("I", ctx),
        Heading(words(ctx.language).gettext("Controller(s)"), 2),
        two_column_table(ctx, controller_rows),
        Heading(words(ctx.language).gettext("Processor(s)"), 2),
        two_column_table(ctx, processor_rows),
    ]


def sensitive_data_content(ctx: DpaContext) -> Content:
    processor = ctx.processor
    if processor.special_category_data is None:
        return ctx.missing("special_data")
    if not processor.special_category_data:
        return words(ctx.language).gettext("No special categories of data (Art. 9) according to the register.")
    categories = text_or_missing(processor.special_categories, "special_data", ctx.language)
    safeguards = text_or_missing(processor.special_category_safeguards, "special_safeguards", ctx.language)
    return joined((categories, safeguards), " — ")


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
    """The recorded retention period; none (or "unlimited", which is no period) is a placeholder."""
    processor = ctx.processor
    if processor.retention_unlimited or processor.retention_months is None:
        return ctx.missing("retention")
    return words(ctx.language).ngettext("%(num)s month", "%(num)s months", processor.retention_months)


def places_of_processing(ctx: DpaContext) -> Content:
    """Where the processor itself handles the data (Clause 7.8(a): documented instructions)."""
    places = [
        f"{ctx.country(location.country)} ({wording.enum_label(location.activity, ctx.language)})"
        for location in ctx.processor.locations
    ]
    separator = "\u00a0; " if ctx.language == "fr" else "; "
    return joined_or_missing(list(dict.fromkeys(places)), "locations", ctx.language, separator=separator)


def sub_processing_content(ctx: DpaContext) -> Content:
    subs = ctx.processor.sub_processors
    if not subs:
        return words(ctx.language).pgettext("document none recorded", "None recorded")
    lines: list[Content] = [
        (Span(wording.with_colon(sub.name, ctx.language), bold=True), *spans(text_or_missing(sub.purpose, "sub_processor_purpose", ctx.language)))
        for sub in subs
    ]
    return joined(lines, "\n")


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
        (words(ctx.language).gettext("Place(s) of processing by the processor"), places_of_processing(ctx)),
        (words(ctx.language).gettext("For processing by (sub-)processors, also specify subject matter, nature and duration"), sub_processing_content(ctx)),
    ]
    return [annex_heading("II", ctx), two_column_table(ctx, rows)]


def annex_iii_blocks(ctx: DpaContext) -> list[Block]:
    processor, language = ctx.processor, ctx.language
    agreement = processor.agreement
    rows: list[tuple[str, Content]] = [
        (words(ctx.language).gettext("Technical and organisational measures"), text_or_missing(processor.security_measures, "security_measures", language)),
    ]
    if processor.certifications:
        rows.append((words(ctx.language).gettext("Certifications"), ", ".join(processor.certifications)))
    rows += [
        (
            words(ctx.language).gettext("Measures by which the processor assists the controller (Clause 8), with their scope and extent"),
            text_or_missing(agreement.assistance_measures if agreement else "", "assistance_measures", language),
        ),
        (
            words(ctx.language).gettext("Other elements the processor provides when assisting the controller under Articles 33 and 34 GDPR (Clause 9.2)"),
            text_or_missing(
                agreement.breach_assistance_measures if agreement else "", "breach_assistance_measures", language
            ),
        ),
    ]
    return [annex_heading("III", ctx), two_column_table(ctx, rows)]


def sub_processor_description(ctx: DpaContext, sub: SubProcessor) -> Content:
    """What the sub-processor does (its part of the processing) and where."""
    countries = joined_or_missing(
        (ctx.country(code) for code in sub.countries), "sub_processor_countries", ctx.language
    )
    purpose = text_or_missing(sub.purpose, "sub_processor_purpose", ctx.language)
    place = Span(wording.with_colon(words(ctx.language).gettext("Place(s) of processing"), ctx.language))
    return joined((purpose, (place, *spans(countries))), "\n")


def annex_iv_rows(ctx: DpaContext) -> list[tuple[Content, ...]]:
    """One row per sub-processor: the columns of Annex IV of (EU) 2021/915, and nothing else."""
    return [
        (
            text_or_missing(sub.name, "legal_name", ctx.language),
            address_content(ctx, sub.address, sub.countries[0] if len(sub.countries) == 1 else None),
            contact_content(ctx, sub.contact_name, sub.contact_position, sub.contact_email),
            sub_processor_description(ctx, sub),
        )
        for sub in ctx.processor.sub_processors
    ]


def annex_iv_blocks(ctx: DpaContext) -> list[Block]:
    blocks: list[Block] = [annex_heading("IV", ctx)]
    if not ctx.processor.sub_processors:
        blocks.append(Paragraph((Span(words(ctx.language).pgettext("document none recorded", "None recorded") + " — "), ctx.missing("sub_processors"))))
        return blocks
    columns = (
        Column(words(ctx.language).gettext("Name"), 18),
        Column(words(ctx.language).gettext("Address"), 22),
        Column(words(ctx.language).gettext("Contact person's name, position and contact details"), 24),
        Column(words(ctx.language).gettext("Description of the processing (including a clear delimitation of responsibilities in case several sub-processors are authorised)"), 36),
    )
    blocks.append(Table(columns, annex_iv_rows(ctx)))
    return blocks


# --------------------------------------------------------------------------
# Appendix: the Clauses summarised (informative, non-contractual)


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


def appendix_blocks(ctx: DpaContext) -> list[Block]:
    blocks: list[Block] = [
        Heading(words(ctx.language).gettext("Appendix — Summary of the Clauses (informative, non-contractual)"), 1, page_break_before=True),
        Paragraph(Span(words(ctx.language).gettext("This appendix summarises the Clauses to help the reader; it is not part of the agreement. The text of Implementing Decision (EU) 2021/915 published in the Official Journal of the European Union (OJ L 199, 7.6.2021, p. 18) prevails over this summary."), italic=True)),
    ]
    for section in SECTIONS:
        blocks.append(Heading(section_heading(section, ctx.language), 2))
        for clause in section.clauses:
            blocks.append(Heading(clause_heading(clause, ctx.language), 3))
            blocks += clause_summary(ctx, clause)
    return blocks


def clause_summary(ctx: DpaContext, clause: Clause) -> list[Block]:
    if clause.number == "2":  # stated once, in the agreement itself
        return [Paragraph(words(ctx.language).gettext("See point 1.2 of the agreement."))]
    if clause.number == "7.7":
        return sub_processor_summary(ctx)
    if clause.number == "9.2":
        return [Paragraph(text) for text in ctx.pick(BREACH_BY_PROCESSOR)]
    return [Paragraph(text) for text in clause.paragraphs(ctx.language)]


def sub_processor_summary(ctx: DpaContext) -> list[Block]:
    """Clause 7.7: the option the parties chose (both when none is recorded), then (b)–(e)."""
    authorisation = authorisation_of(ctx.processor)
    agreed = words(ctx.language).gettext("the period agreed by the Parties (point 2)")
    period = clause_7_7_period(ctx)
    if isinstance(period, Span) and period.missing:
        period = agreed
    options = {
        SubProcessorAuthorisation.SPECIFIC: (OPTION_1,),
        SubProcessorAuthorisation.GENERAL: (OPTION_2,),
    }.get(authorisation, (OPTION_1, OPTION_2))
    blocks: list[Block] = [Paragraph(option_text(ctx, option, period)) for option in options]
    blocks += [Paragraph(text) for text in ctx.pick(SUB_PROCESSOR_OBLIGATIONS)]
    return blocks


def option_text(ctx: DpaContext, option: tuple[str, str], period: Content) -> tuple[Span, ...]:
    before, _, after = ctx.pick(option).partition("{period}")
    return (Span("a) " if ctx.language == "fr" else "(a) "), Span(before), *spans(period), Span(after))
