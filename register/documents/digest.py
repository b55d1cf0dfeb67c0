"""The reminder digest e-mail: what falls due and the new critical findings, in
the user's language, as plain text and HTML (every value escaped)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from html import escape
from typing import Sequence

from register.documents.calendar import deadline_summary
from register.i18n import words
from register.i18n.dates import prose_date
from register.store.reminders import AgendaItem, CriticalFinding


def digest_subject(due: Sequence[AgendaItem], critical: Sequence[CriticalFinding], language: str) -> str:
    translations = words(language)
    parts = []
    if due:
        parts.append(translations.ngettext("%(num)s deadline", "%(num)s deadlines", len(due)))
    if critical:
        parts.append(
            translations.ngettext("%(num)s new critical finding", "%(num)s new critical findings", len(critical))
        )
    return translations.gettext("Processor register: %(what)s", what=", ".join(parts))


def _due_line(item: AgendaItem, language: str) -> str:
    return f"{prose_date(item.deadline.due_on, language)} — {deadline_summary(item, language)} ({item.organisation_name})"


def _finding_line(entry: CriticalFinding, language: str) -> str:
    finding = entry.finding
    return f"{finding.processor_name} — {finding.title.in_language(language)} ({entry.organisation_name})"


def _finding_path(entry: CriticalFinding) -> str:
    return f"/processors/{entry.finding.processor_id}#findings"


def digest_message(
    recipient: str,
    sender: str,
    due: Sequence[AgendaItem],
    critical: Sequence[CriticalFinding],
    language: str,
    days: int,
    site: str,
    today: date,
) -> EmailMessage:
    translations = words(language)
    gettext = translations.gettext
    due_heading = translations.ngettext(
        "Falling due in the next %(num)s day:", "Falling due in the next %(num)s days:", days
    )
    critical_heading = gettext("New critical findings:")
    greeting = gettext("Hello,")
    footer = gettext(
        "You receive this digest as a member of these organisations. Your deadlines are also in your calendar: %(url)s",
        url=f"{site}/account/calendar",
    )

    text = [greeting, ""]
    html = [f"<p>{escape(greeting)}</p>"]
    sections = (
        (due_heading, [(_due_line(i, language), i.path) for i in due]),
        (critical_heading, [(_finding_line(c, language), _finding_path(c)) for c in critical]),
    )
    for heading, lines in sections:
        if not lines:
            continue
        text += [heading] + [f"- {line}\n  {site}{path}" for line, path in lines] + [""]
        html.append(f"<h2>{escape(heading)}</h2><ul>")
        html += [f'<li><a href="{escape(site + path)}">{escape(line)}</a></li>' for line, path in lines]
        html.append("</ul>")
    text.append(footer)
    html.append(f"<p>{escape(footer)}</p>")

    message = EmailMessage()
    message["Subject"] = digest_subject(due, critical, language)
    message["From"] = sender
    message["To"] = recipient
    message["Content-Language"] = language
    message["Date"] = format_datetime(datetime.now(timezone.utc))
    message.set_content("\n".join(text))
    body = "\n".join(html)
    message.add_alternative(
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"></head><body>{body}</body></html>',
        subtype="html",
    )
    return message
