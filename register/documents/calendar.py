"""A user's agenda as an iCalendar feed (RFC 5545), in the user's language.

Each deadline is an all-day event whose UID names its source (organisation,
kind, record) but not its date: when a date moves, calendar clients update the
event instead of adding a second one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Iterable

from icalendar import Calendar, Event

from register.i18n import words
from register.i18n.dates import prose_date
from register.i18n.terms import term
from register.store.reminders import AgendaItem

PRODUCT_ID = "-//GDPR processor register//Reminders//EN"
FEED_PAST_DAYS = 90  # what a feed still shows of the past (overdue items stay in the dashboard and e-mails)


def deadline_summary(item: AgendaItem, language: str) -> str:
    """``<what> — <processor> (<about>)``, e.g. "End of the data processing agreement — Acme"."""
    deadline = item.deadline
    about = f" ({deadline.about})" if deadline.about else ""
    return f"{term('deadline.' + deadline.kind, language)} — {deadline.processor_name}{about}"


def deadline_description(item: AgendaItem, language: str, base_url: str) -> str:
    gettext = words(language).gettext
    lines = [
        gettext("Organisation: %(name)s", name=item.organisation_name),
        gettext("Due on %(day)s.", day=prose_date(item.deadline.due_on, language)),
        f"{base_url}{item.path}",
    ]
    return "\n".join(lines)


def agenda_calendar(items: Iterable[AgendaItem], language: str, base_url: str, today: date) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", words(language).gettext("Processor register: deadlines"))
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    earliest = today - timedelta(days=FEED_PAST_DAYS)
    host = base_url.split("//", 1)[-1].split("/", 1)[0] or "register"
    for item in items:
        if item.deadline.due_on < earliest:
            continue
        event = Event()
        event.add("uid", f"o{item.organisation_id}-{item.deadline.key.replace(':', '-')}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.deadline.due_on)
        event.add("dtend", item.deadline.due_on + timedelta(days=1))
        event.add("summary", deadline_summary(item, language))
        event.add("description", deadline_description(item, language, base_url))
        event.add("url", f"{base_url}{item.path}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
