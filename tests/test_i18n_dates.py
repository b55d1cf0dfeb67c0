"""Dates through babel.dates: prose "30 novembre 2026" / "30 November 2026", "1er" in French; tables dd/mm/yyyy."""

from datetime import UTC, date, datetime

import pytest

from register.i18n.dates import prose_date, prose_moment, table_date


@pytest.mark.parametrize(
    ("day", "language", "expected"),
    [
        (date(2026, 11, 30), "fr", "30 novembre 2026"),
        (date(2026, 11, 30), "en", "30 November 2026"),
        (date(2026, 6, 1), "fr", "1er juin 2026"),
        (date(2026, 6, 1), "en", "1 June 2026"),
        (date(2027, 2, 2), "fr", "2 février 2027"),
        (date(2026, 8, 11), "fr", "11 août 2026"),
        (datetime(2026, 12, 1, 9, 30), "fr", "1er décembre 2026"),
    ],
)
def test_prose_dates_spell_the_month(day, language, expected):
    assert prose_date(day, language) == expected


@pytest.mark.parametrize(("language", "expected"), [("fr", "01/06/2026"), ("en", "01/06/2026")])
def test_table_dates_are_day_first(language, expected):
    assert table_date(date(2026, 6, 1), language) == expected


def test_no_date_is_empty():
    assert prose_date(None, "fr") == "" and table_date(None, "en") == ""


def test_a_moment_reads_as_a_sentence():
    moment = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)
    assert prose_moment(moment, "fr") == "30 novembre 2026 à 14:05 UTC"
    assert prose_moment(moment, "en") == "30 November 2026 at 14:05 UTC"


def test_a_moment_in_a_table_is_day_first():
    from register.i18n.dates import table_moment

    assert table_moment(datetime(2026, 6, 1, 8, 5, tzinfo=UTC), "fr") == "01/06/2026 08:05 UTC"
