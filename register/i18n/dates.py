"""Every date the register shows or prints, formatted by Babel (CLDR) — one module.

- :func:`prose_date`: in sentences and on their own, "30 novembre 2026" /
  "30 November 2026"; French writes the first of a month as an ordinal,
  "1er juin 2026".
- :func:`table_date`: in table cells, "30/11/2026" in both languages (the
  register's English is British English, day first).
- :func:`prose_moment`: a date and time, "30 novembre 2026 à 14:05 UTC";
  :func:`table_moment`: "30/11/2026 14:05 UTC" in a table cell.

ISO dates (2026-11-30) are for machines only: input values, file names, ids.
"""

from __future__ import annotations

import functools
from datetime import date, datetime

from babel.dates import format_date, format_time

from register.i18n import cldr_locale, words

PROSE_PATTERN = "d MMMM y"
TABLE_PATTERN = "dd/MM/y"


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


@functools.lru_cache(maxsize=4096)
def _prose(day: date, language: str) -> str:
    text = format_date(day, PROSE_PATTERN, locale=cldr_locale(language))
    if language == "fr" and day.day == 1:
        return "1er" + text[1:]
    return text


def prose_date(value: date | datetime | None, language: str) -> str:
    """"30 novembre 2026" / "30 November 2026" ("1er juin 2026" in French); "" for no date."""
    return "" if value is None else _prose(_day(value), language)


@functools.lru_cache(maxsize=4096)
def _table(day: date, language: str) -> str:
    return format_date(day, TABLE_PATTERN, locale=cldr_locale(language))


def table_date(value: date | datetime | None, language: str) -> str:
    """"30/11/2026" in a table cell; "" for no date."""
    return "" if value is None else _table(_day(value), language)


def table_moment(value: datetime | None, language: str) -> str:
    """"30/11/2026 14:05" in a table cell (plus " UTC" for UTC times)."""
    if value is None:
        return ""
    offset = value.utcoffset()
    zone = " UTC" if offset is not None and not offset else ""
    return f"{table_date(value, language)} {format_time(value, 'HH:mm', locale=cldr_locale(language))}{zone}"


def prose_moment(value: datetime | None, language: str) -> str:
    """"30 novembre 2026 à 14:05" / "30 November 2026 at 14:05" (plus " UTC" for UTC times)."""
    if value is None:
        return ""
    time = format_time(value, "HH:mm", locale=cldr_locale(language))
    offset = value.utcoffset()
    zone = " UTC" if offset is not None and not offset else ""
    return words(language).gettext("%(day)s at %(time)s", day=prose_date(value, language), time=time + zone)
