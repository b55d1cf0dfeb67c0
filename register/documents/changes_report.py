"""What changed in the register between two dates (.docx, French or English).

Ready to send (to an auditor, a works council, management): a title and the
period in words, a summary (changes, processors concerned, people who made
them), then one table in date order — when, who, what, the processor and
record concerned, and each field's label with its value before → after. The
changes are :func:`register.history.report.changes_between`'s; this module
only presents them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from register.compliance.model import Organisation
from register.documents.common import Block, Column, DocumentInfo, Heading, Paragraph, Span, Table, render_document
from register.history.report import WordedChange
from register.i18n import words
from register.i18n.dates import prose_date, table_moment


def changes_report(
    organisation: Organisation,
    changes: Sequence[WordedChange],
    *,
    since: date,
    until: date,
    language: str,
    document_date: date | None = None,
) -> bytes:
    said = words(language)
    title = said.gettext("Changes to the register")
    info = DocumentInfo(
        title=title,
        organisation=organisation.name,
        language=language,
        as_of=until,
        document_date=document_date or date.today(),
        landscape=True,
        subject=said.gettext(
            "Changes from %(start)s to %(end)s",
            start=prose_date(since, language),
            end=prose_date(until, language),
        ),
    )
    return render_document(info, changes_blocks(organisation, changes, since, until, language))


def changes_blocks(
    organisation: Organisation, changes: Sequence[WordedChange], since: date, until: date, language: str
) -> list[Block]:
    said = words(language)
    blocks: list[Block] = [
        Heading(said.gettext("Changes to the register")),
        Paragraph(said.gettext(
            "Register of %(organisation)s: every change recorded from %(start)s to %(end)s inclusive, "
            "by whom, and each value before and after the change.",
            organisation=organisation.name,
            start=prose_date(since, language),
            end=prose_date(until, language),
        )),
    ]
    if not changes:
        blocks.append(Paragraph(said.gettext("No change was recorded in this period.")))
        return blocks
    processors = {c.processor for c in changes if c.processor}
    people = {c.actor for c in changes}
    blocks.append(Paragraph(
        " ".join((
            said.ngettext("%(num)s change", "%(num)s changes", len(changes)),
            said.ngettext("to %(num)s processor", "to %(num)s processors", len(processors)),
            said.ngettext("by %(num)s person.", "by %(num)s people.", len(people)),
        ))
    ))
    blocks.append(Heading(said.gettext("Changes in date order"), level=2))
    blocks.append(Table(
        columns=(
            Column(said.gettext("When"), 2),
            Column(said.gettext("Who"), 3),
            Column(said.gettext("What"), 3),
            Column(said.gettext("Processor"), 3),
            Column(said.gettext("Changes"), 8),
        ),
        rows=[change_row(change, language) for change in changes],
    ))
    return blocks


def change_row(change: WordedChange, language: str) -> list:
    colon = "\u00a0: " if language == "fr" else ": "  # French puts a non-breaking space before a colon
    what = f"{change.what} — {change.action}"
    if change.subject:
        what = f"{what}{colon}{change.subject}"
    details: list[Span] = []
    for index, field in enumerate(change.fields):
        details.append(Span(("\n" if index else "") + field.label, bold=True))
        details.append(Span(colon + (f"{field.before} → {field.after}" if field.before else field.after)))
    return [
        table_moment(change.occurred_at, language),
        change.actor,
        what,
        change.processor or "—",
        tuple(details) if details else "—",
    ]
