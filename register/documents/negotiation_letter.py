"""The negotiation letter to a vendor: the Art. 28(3) items its DPA lacks or covers in
part, each with what the vendor should add, and the other points to settle (breach
deadline, sub-processor authorisation) — send-ready, in French or English.

Everything the register holds is filled in (the organisation and its DPO, the
vendor and its contact, the agreement's reference, the date in the language's
prose); what it does not hold is left out rather than shown as a placeholder.
The points come from :func:`register.compliance.negotiation.negotiation_points`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from register.compliance.model import Organisation, Processor
from register.compliance.negotiation import ClausePoint, NegotiationPoints, negotiation_points
from register.compliance.results import RuleSettings
from register.documents import wording
from register.documents.common import Block, Bullet, Cell, Column, DocumentInfo, Paragraph, Span, Table, render_document
from register.i18n import words
from register.i18n.dates import prose_date
from register.i18n.terms import term
from register.reading.items import ELEMENT_LABELS
from register.vocabulary import ClauseStatus


def negotiation_letter(
    organisation: Organisation,
    processor: Processor,
    *,
    language: str,
    settings: RuleSettings | None = None,
    document_date: date | None = None,
    missing_elements: Mapping[str, tuple[str, ...]] | None = None,
) -> bytes:
    """The letter as .docx bytes. ``missing_elements`` (by item, from the confirmed reading of the
    vendor's DPA) says, for an item covered in part, what exactly its text lacks."""
    wording.check_language(language)
    day = document_date or date.today()
    points = negotiation_points(processor, settings)
    title = words(language).gettext("Your data processing agreement: points to complete")
    info = DocumentInfo(title=title, organisation=organisation.name, language=language, as_of=day, document_date=day)
    blocks = letter_blocks(organisation, processor, points, language, day, missing_elements or {})
    return render_document(info, blocks)


def letter_blocks(
    organisation: Organisation,
    processor: Processor,
    points: NegotiationPoints,
    language: str,
    day: date,
    missing_elements: Mapping[str, tuple[str, ...]],
) -> list[Block]:
    say = words(language)
    blocks: list[Block] = []
    blocks += address_blocks(organisation.name, organisation.address, organisation.dpo_email or organisation.contact_email)
    blocks += address_blocks(processor.legal_name, processor.address, "", person=recipient_person(processor))
    blocks.append(Paragraph(date_line(day, language)))
    blocks.append(Paragraph((Span(say.gettext("Subject:") + " ", bold=True), Span(subject_line(processor, language)))))
    blocks.append(Paragraph(salutation(processor, language)))
    blocks.append(Paragraph(introduction(processor, language)))
    if points.empty:
        blocks.append(Paragraph(say.gettext(
            "It covers every item we checked and we have no change to request. Thank you for your cooperation."
        )))
    else:
        blocks.append(Paragraph(say.gettext(
            "Some elements that this article requires are missing or incomplete. We would be grateful if you "
            "could complete the agreement on the following points:"
        )))
        blocks += clause_table(points, language, missing_elements)
        blocks += other_points(points, language)
        blocks.append(Paragraph(say.gettext(
            "Please send us an amended version of the agreement. We remain at your disposal to discuss it."
        )))
    blocks.append(Paragraph(closing(processor, language)))
    blocks += signature_blocks(organisation, language)
    return blocks


def address_blocks(name: str, address: str, email: str, person: str = "") -> list[Block]:
    lines = [Paragraph(Span(name, bold=True), keep_with_next=True)]
    if person:
        lines.append(Paragraph(person, keep_with_next=True))
    lines += [Paragraph(line.strip(), keep_with_next=True) for line in address.splitlines() if line.strip()]
    if email:
        lines.append(Paragraph(email, keep_with_next=True))
    lines.append(Paragraph(""))
    return lines


def recipient_person(processor: Processor) -> str:
    return ", ".join(part for part in (processor.contact_name, processor.contact_position) if part)


def date_line(day: date, language: str) -> str:
    """"Le 1er décembre 2026" / "1 December 2026"."""
    return words(language).gettext("On %(day)s", day=prose_date(day, language)) if language == "fr" else prose_date(day, language)


def subject_line(processor: Processor, language: str) -> str:
    say = words(language)
    reference = processor.agreement.reference if processor.agreement is not None else ""
    if reference:
        return say.gettext(
            "your data processing agreement “%(reference)s” (Article 28 of the GDPR): points to complete",
            reference=reference,
        )
    return say.gettext("your data processing agreement (Article 28 of the GDPR): points to complete")


def salutation(processor: Processor, language: str) -> str:
    say = words(language)
    if language == "en" and processor.contact_name:
        return say.gettext("Dear %(name)s,", name=processor.contact_name)
    return say.gettext("Dear Sir or Madam,")


def closing(processor: Processor, language: str) -> str:
    say = words(language)
    if language == "en" and processor.contact_name:
        return say.gettext("Yours sincerely,")
    return say.gettext("Yours faithfully,")


def introduction(processor: Processor, language: str) -> str:
    return words(language).gettext(
        "We have reviewed the data processing agreement between %(vendor)s and us against Article 28(3) of "
        "the General Data Protection Regulation (GDPR), which lists what such an agreement must contain.",
        vendor=processor.legal_name,
    )


def clause_table(
    points: NegotiationPoints, language: str, missing_elements: Mapping[str, tuple[str, ...]]
) -> list[Block]:
    if not points.clauses:
        return []
    say = words(language)
    columns = (
        Column(say.gettext("Provision"), 2),
        Column(say.gettext("What the GDPR requires"), 3),
        Column(say.gettext("In your agreement"), 2),
        Column(say.gettext("What to add"), 5),
    )
    rows = []
    for point in points.clauses:
        found = term(f"clause_status.{point.status.value}", language)
        found = wording.status_in_section(found, point.section, language)
        rows.append((
            Cell(point.item.provision_in(language), bold=True),
            point.item.content_fr if language == "fr" else point.item.content_en,
            found,
            what_to_add(point, missing_elements.get(point.item.id, ()), language),
        ))
    return [Table(columns, rows)]


def what_to_add(point: ClausePoint, missing: tuple[str, ...], language: str) -> str:
    """The item's request; for an item covered in part, the elements the current text lacks."""
    say = words(language)
    text = sentence(say.gettext(point.request), language) if point.request else ""
    labels = [say.gettext(ELEMENT_LABELS[element]) for element in missing if element in ELEMENT_LABELS]
    if labels and point.status == ClauseStatus.PARTIAL:
        separator = "\u00a0; " if language == "fr" else "; "
        text += "\n" + say.gettext("Missing from the current text: %(elements)s.", elements=separator.join(labels))
    return text


def sentence(text: str, language: str) -> str:
    """A request as a sentence of its own: capitalised, with a final full stop."""
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else text


def other_points(points: NegotiationPoints, language: str) -> list[Block]:
    say = words(language)
    blocks: list[Block] = []
    if points.breach_notice_to_ask:
        limit = say.ngettext("%(num)s hour", "%(num)s hours", points.breach_notice_max_hours)
        if points.breach_notice_hours is None:
            blocks.append(Bullet(say.gettext(
                "Personal data breaches: the agreement sets no deadline for notifying us; please commit to "
                "notifying us without undue delay and at the latest within %(limit)s of becoming aware of a breach.",
                limit=limit,
            )))
        else:
            current = say.ngettext("%(num)s hour", "%(num)s hours", points.breach_notice_hours)
            blocks.append(Bullet(say.gettext(
                "Personal data breaches: the agreement allows %(current)s to notify us; please shorten it to at "
                "most %(limit)s, so that we can notify the supervisory authority within 72 hours.",
                current=current, limit=limit,
            )))
    if points.authorisation_to_ask:
        blocks.append(Bullet(say.gettext(
            "Sub-processors: the agreement records no authorisation for the sub-processors you use; please state "
            "whether they are authorised specifically or generally, with notice of any change and our right to object."
        )))
    if blocks:
        blocks.insert(0, Paragraph(say.gettext("We also ask you to settle the following points:"), keep_with_next=True))
    return blocks


def signature_blocks(organisation: Organisation, language: str) -> list[Block]:
    """The signer (the DPO, else the organisation's contact person) and their role "at" the organisation
    (its name is not printed a second time on a line of its own: the letterhead carries it)."""
    say = words(language)
    blocks: list[Block] = [Paragraph("")]
    if organisation.dpo_name:
        signer, role = organisation.dpo_name, say.gettext("Data Protection Officer")
    else:
        signer, role = organisation.contact_name, organisation.contact_position
    if signer:
        blocks.append(Paragraph(Span(signer, bold=True), keep_with_next=True))
        blocks.append(Paragraph(", ".join(part for part in (role, organisation.name) if part)))
    return blocks
