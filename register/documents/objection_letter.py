"""The objection letter: the controller objects to a notified sub-processor change
(Art. 28(2) GDPR; (EU) 2021/915 Clause 7.7(a) Option 2).

Send-ready: sender and recipient filled from the register (placeholders where a
fact is missing), the notice and the DPA named, the sub-processors objected to
with their countries and purposes, the DPO's reasons, what is asked of the
processor, and the signature.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from register.compliance.model import Organisation, Processor
from register.compliance.notices import Change, Deadline
from register.documents.common import (
    Block,
    Bullet,
    Column,
    DocumentInfo,
    Heading,
    Paragraph,
    Span,
    Table,
    missing,
    render_document,
    text_or_missing,
)
from register.i18n import words
from register.i18n.dates import prose_date
from register.reference import load_reference


def with_colon(text: str, language: str) -> str:
    """"Label: " / "Libellé : " — in French with the non-breaking space typography asks for."""
    bare = text.rstrip().rstrip(":").rstrip()
    return f"{bare}\u00a0: " if language == "fr" else f"{bare}: "


def objection_letter(
    organisation: Organisation,
    processor: Processor,
    *,
    received_on: date,
    changes: Sequence[Change],
    deadline: Deadline,
    reasons: str,
    language: str,
    today: date | None = None,
) -> bytes:
    """The .docx bytes of the letter in ``language`` ("fr" | "en")."""
    said = words(language)
    today = today or date.today()
    countries = load_reference()
    objected = [c for c in changes if c.kind in ("added", "changed") and c.after is not None]

    def country_names(codes: Sequence[str]) -> str:
        return ", ".join(countries.country_name(code, language) for code in codes) or said.gettext("not stated")

    def quoted(text: str) -> str:
        return f"«\u00a0{text}\u00a0»" if language == "fr" else f"“{text}”"

    blocks: list[Block] = [
        Paragraph((Span(organisation.name, bold=True),)),
        Paragraph(text_or_missing(organisation.address, "address", language)),
        Paragraph(
            with_colon(said.gettext("Data protection officer"), language)
            + (organisation.dpo_name or organisation.contact_name or "")
            + (f" — {organisation.dpo_email}" if organisation.dpo_email else "")
        ),
        Paragraph(""),
        Paragraph((Span(processor.legal_name, bold=True),)),
        Paragraph(text_or_missing(processor.address, "address", language)),
        Paragraph(
            with_colon(said.gettext("For the attention of"), language)
            + (processor.contact_name or processor.privacy_contact or said.gettext("the data protection officer"))
            + (f" — {processor.contact_email}" if processor.contact_email else "")
        ),
        Paragraph(""),
        Paragraph(said.gettext("Date: %(date)s", date=prose_date(today, language))),
        Paragraph(
            (
                Span(with_colon(said.gettext("Subject"), language), bold=True),
                Span(said.gettext("Objection to the sub-processor changes notified on %(date)s",
                                  date=prose_date(received_on, language))),
            )
        ),
    ]
    agreement = processor.agreement
    if agreement is not None and (agreement.reference or agreement.signed_on):
        reference = agreement.reference or said.gettext("data processing agreement")
        signed = (
            said.gettext(", signed on %(date)s", date=prose_date(agreement.signed_on, language))
            if agreement.signed_on else ""
        )
        blocks.append(Paragraph(with_colon(said.gettext("Our reference"), language) + quoted(reference) + signed))
    blocks += [
        Paragraph(said.gettext("Dear Sir or Madam,")),
        Paragraph(
            said.gettext(
                "By your notice received on %(date)s, you informed us of changes to the sub-processors you engage "
                "to process personal data on behalf of %(organisation)s under our data processing agreement.",
                date=prose_date(received_on, language), organisation=organisation.name,
            )
        ),
        Paragraph(
            said.gettext(
                "As controller, and in accordance with Article 28(2) of Regulation (EU) 2016/679 (GDPR) and the "
                "sub-processor clause of our agreement, we hereby object to the following changes:"
            )
        ),
    ]
    if objected:
        rows = []
        for change in objected:
            assert change.after is not None
            kind = said.gettext("New sub-processor") if change.kind == "added" else said.gettext("Change")
            rows.append((change.after.name, kind, country_names(change.after.countries), change.after.purpose or "—"))
        blocks.append(
            Table(
                (
                    Column(said.gettext("Sub-processor"), 3),
                    Column(said.gettext("Change"), 2),
                    Column(said.gettext("Countries"), 3),
                    Column(said.gettext("Purpose"), 4),
                ),
                rows,
            )
        )
    blocks += [
        Heading(said.gettext("Reasons for our objection"), 2),
        *([Paragraph(line) for line in reasons.splitlines() if line.strip()] or [Paragraph((missing("objection_reasons", language),))]),
    ]
    if deadline.deadline is not None:
        blocks.append(
            Paragraph(
                said.gettext(
                    "This objection is made within the period provided for, which ends on %(date)s.",
                    date=prose_date(deadline.deadline, language),
                )
            )
        )
    blocks += [
        Heading(said.gettext("What we ask of you"), 2),
        Bullet(said.gettext("not to entrust any of our personal data to the sub-processors listed above;")),
        Bullet(said.gettext("to confirm in writing, within ten days, how you will continue the service without them;")),
        Bullet(
            said.gettext(
                "where you maintain the change, to tell us the measures you propose, so that we can assess them "
                "or exercise the rights the agreement gives us."
            )
        ),
        Paragraph(said.gettext("Yours faithfully,")),
        Paragraph(""),
        Paragraph((Span(organisation.dpo_name or organisation.contact_name or organisation.name, bold=True),)),
        Paragraph(said.gettext("Data protection officer, on behalf of %(organisation)s", organisation=organisation.name)),
    ]
    info = DocumentInfo(
        title=said.gettext("Objection to sub-processor changes"),
        organisation=organisation.name,
        language=language,
        as_of=today,
        document_date=today,
        subject=processor.legal_name,
    )
    return render_document(info, blocks)


def build_objection_letter(organisation: Organisation, review, *, language: str, today: date | None = None):
    """The letter of a notice objected to (``review``: a store ``NoticeReview``), as a download."""
    from register.documents.common import safe_filename
    from register.documents.service import DOCX, GeneratedDocument

    today = today or date.today()
    notice = review.notice
    content = objection_letter(
        organisation, review.processor, received_on=notice.received_on, changes=review.changes,
        deadline=review.deadline, reasons=notice.objection_reasons, language=language, today=today,
    )
    name = safe_filename("objection", review.processor.display_name, notice.received_on.isoformat(), language, extension="docx")
    return GeneratedDocument(name, DOCX, content)
