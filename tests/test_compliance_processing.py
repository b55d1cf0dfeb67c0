"""Retention, special-category data, security measures, reviews and the
statuses under assessment."""

from __future__ import annotations

from datetime import date

import pytest

from register.vocabulary import LifecycleStatus
from tests.compliance_builders import AS_OF, assess, codes, location, processor


@pytest.mark.parametrize(
    ("months", "unlimited", "raised"),
    [(24, False, False), (None, False, True), (24, True, True), (None, True, True), (0, False, False)],
)
def test_retention_unlimited_or_unrecorded(months, unlimited, raised):
    a = assess(processor(retention_months=months, retention_unlimited=unlimited))
    assert codes(a) == (["RETENTION_UNLIMITED"] if raised else [])


def test_retention_finding_says_which_case():
    (unrecorded,) = assess(processor(retention_months=None)).findings
    (unlimited,) = assess(processor(retention_unlimited=True)).findings
    assert "No retention period" in unrecorded.explanation.en
    assert "illimitée" in unlimited.explanation.fr


@pytest.mark.parametrize(
    ("special", "safeguards", "expected"),
    [
        (False, "", []),
        (True, "Pseudonymised; access restricted to two named staff.", []),
        (True, "", ["SENSITIVE_DATA_NO_SAFEGUARD"]),
        (True, "   ", ["SENSITIVE_DATA_NO_SAFEGUARD"]),
        (None, "", ["SPECIAL_CATEGORY_UNKNOWN"]),
    ],
)
def test_special_category_data_needs_safeguards(special, safeguards, expected):
    p = processor(
        special_category_data=special, special_categories="health", special_category_safeguards=safeguards
    )
    assert codes(assess(p)) == expected


def test_sensitive_data_finding_names_the_categories():
    p = processor(special_category_data=True, special_categories="health data")
    (finding,) = assess(p).findings
    assert "health data" in finding.explanation.en


@pytest.mark.parametrize(("measures", "raised"), [("TLS, MFA", False), ("", True), ("  \n", True)])
def test_security_measures(measures, raised):
    assert codes(assess(processor(security_measures=measures))) == (
        ["SECURITY_MEASURES_UNDOCUMENTED"] if raised else []
    )


@pytest.mark.parametrize(
    ("next_review_on", "expected"),
    [
        (date(2026, 11, 30), []),
        (AS_OF, []),  # due today: not overdue yet
        (date(2026, 11, 28), ["REVIEW_OVERDUE"]),
        (None, ["REVIEW_UNSCHEDULED"]),
    ],
)
def test_review_dates(next_review_on, expected):
    assert codes(assess(processor(next_review_on=next_review_on))) == expected


def test_overdue_review_says_when_it_was_due():
    (finding,) = assess(processor(next_review_on=date(2026, 1, 15))).findings
    assert "15 janvier 2026" in finding.explanation.fr and "15 January 2026" in finding.explanation.en


# --- statuses --------------------------------------------------------------------


def careless(status: LifecycleStatus):
    return processor(status=status, agreement=None, locations=(location("IN"),), security_measures="")


@pytest.mark.parametrize(
    "status", [LifecycleStatus.PROPOSED, LifecycleStatus.UNDER_REVIEW, LifecycleStatus.APPROVED]
)
def test_candidates_and_active_processors_are_assessed(status):
    assert codes(assess(careless(status))) == [
        "DPA_MISSING",
        "SECURITY_MEASURES_UNDOCUMENTED",
        "TRANSFER_NO_SAFEGUARD",
    ]


@pytest.mark.parametrize("status", [LifecycleStatus.REJECTED, LifecycleStatus.OFFBOARDED])
def test_rejected_and_offboarded_processors_are_not_assessed_but_routes_are_listed(status):
    a = assess(careless(status))
    assert a.findings == () and a.score == 100 and a.counts.total == 0
    assert [r.country for r in a.transfers] == ["IN"]


def test_the_as_of_date_is_explicit():
    p = processor(next_review_on=date(2026, 6, 1))
    assert codes(assess(p, as_of=date(2026, 6, 1))) == []
    assert codes(assess(p, as_of=date(2026, 6, 2))) == ["REVIEW_OVERDUE"]
