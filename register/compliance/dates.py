"""Calendar arithmetic the rules share: "more than N months since" checks.

Rules compare dates against an explicit ``as_of``; none reads the clock.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, clamped to the month's end
    (31 Jan + 1 month = 28/29 Feb)."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    month = month_index + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def older_than_months(day: date, months: int, *, as_of: date) -> bool:
    """True when more than ``months`` calendar months separate ``day`` from
    ``as_of``. Exactly ``months`` months (same day of the month) is not older."""
    return as_of > add_months(day, months)
