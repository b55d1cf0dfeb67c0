"""The DPA rules: in force, expired, Art. 28(3) items, sub-processor
authorisation and flow-down, breach-notice deadline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from register.compliance.model import ClauseAssessment
from register.compliance.results import RuleSettings
from register.vocabulary import ClauseStatus, LifecycleStatus, SubProcessorAuthorisation, Tristate
from tests.compliance_builders import (
    AS_OF,
    REFERENCE,
    agreement,
    assess,
    clauses,
    codes,
    findings_of,
    processor,
    sub_processor,
)

# --- DPA in force -------------------------------------------------------------


def test_an_active_processor_without_a_dpa():
    a = assess(processor(agreement=None))
    assert codes(a) == ["DPA_MISSING"]
    (finding,) = a.findings
    assert finding.severity == "critical" and finding.subject.kind == "processor"
    assert "No DPA" in finding.explanation.en


@pytest.mark.parametrize("status", [LifecycleStatus.PROPOSED, LifecycleStatus.UNDER_REVIEW])
def test_a_candidate_without_a_dpa_gets_the_finding_too(status):
    a = assess(processor(status=status, agreement=None))
    assert codes(a) == ["DPA_MISSING"]
    assert "before go-live" in a.findings[0].explanation.en
    assert "avant la mise en service" in a.findings[0].explanation.fr


def test_an_unsigned_dpa_is_missing_but_its_draft_is_reviewed():
    a = assess(processor(agreement=agreement(signed_on=None, breach_notice_hours=None)))
    assert codes(a) == ["BREACH_NOTICE_UNDEFINED", "DPA_MISSING"]
    assert "not signed" in findings_of(a, "DPA_MISSING")[0].explanation.en


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"effective_on": AS_OF}, False),  # takes effect today
        ({"effective_on": date(2026, 11, 30)}, True),  # tomorrow
        ({"effective_on": None}, False),  # in force from signature
        ({"signed_on": AS_OF, "effective_on": None}, False),
        ({"signed_on": date(2026, 11, 30), "effective_on": None}, True),
    ],
)
def test_dpa_in_force_boundaries(changes, missing):
    a = assess(processor(agreement=agreement(**changes)))
    assert ("DPA_MISSING" in codes(a)) is missing


@pytest.mark.parametrize(
    ("ends_on", "expired"),
    [(None, False), (date(2026, 11, 30), False), (AS_OF, False), (date(2026, 11, 28), True)],
)
def test_dpa_expiry_boundary_the_last_day_is_still_in_force(ends_on, expired):
    a = assess(processor(agreement=agreement(ends_on=ends_on)))
    assert codes(a) == (["DPA_EXPIRED"] if expired else [])


def test_expired_dpa_says_when_it_ended():
    a = assess(processor(agreement=agreement(ends_on=date(2026, 1, 31))))
    (finding,) = a.findings
    assert "31 January 2026" in finding.explanation.en and "31 janvier 2026" in finding.explanation.fr
    assert finding.severity == "high"


# --- Art. 28(3) items -------------------------------------------------------------


def with_item(item_id: str, status: ClauseStatus):
    items = tuple(replace(c, status=status) if c.item == item_id else c for c in clauses())
    return processor(agreement=agreement(clauses=items))


@pytest.mark.parametrize("item_id", REFERENCE.art28_item_ids())
def test_each_absent_item_is_one_clause_missing_finding(item_id):
    a = assess(with_item(item_id, ClauseStatus.ABSENT))
    (finding,) = a.findings
    assert finding.code == "DPA_CLAUSE_MISSING" and finding.severity == "high"
    assert (finding.subject.kind, finding.subject.ref) == ("clause", item_id)
    assert finding.relied_on and item_id in finding.relied_on[0]


def test_clause_finding_names_the_item_in_both_languages():
    item = REFERENCE.art28_items[5]
    (finding,) = assess(with_item(item.id, ClauseStatus.ABSENT)).findings
    assert item.content_en in finding.explanation.en
    assert item.content_fr in finding.explanation.fr
    assert finding.subject.label == item.provision


def test_partial_item_is_a_medium_finding_of_its_own():
    (finding,) = assess(with_item("art28_3_c", ClauseStatus.PARTIAL)).findings
    assert (finding.code, finding.severity) == ("DPA_CLAUSE_PARTIAL", "medium")


def test_unassessed_item_is_a_finding():
    (finding,) = assess(with_item("art28_3_g", ClauseStatus.UNASSESSED)).findings
    assert (finding.code, finding.severity) == ("DPA_CLAUSE_UNASSESSED", "medium")


def test_an_item_not_listed_at_all_counts_as_unassessed():
    items = tuple(c for c in clauses() if c.item != "art28_3_h")
    a = assess(processor(agreement=agreement(clauses=items)))
    assert codes(a) == ["DPA_CLAUSE_UNASSESSED"]
    assert a.findings[0].subject.ref == "art28_3_h"


def test_a_dpa_with_no_clause_assessed_has_one_finding_per_reference_item():
    a = assess(processor(agreement=agreement(clauses=())))
    assert codes(a) == ["DPA_CLAUSE_UNASSESSED"] * len(REFERENCE.art28_items)


def test_the_worst_assessment_of_a_duplicated_item_wins():
    items = (*clauses(), ClauseAssessment(id=99, item="art28_3_a", status=ClauseStatus.ABSENT))
    assert codes(assess(processor(agreement=agreement(clauses=items)))) == ["DPA_CLAUSE_MISSING"]


def test_an_item_outside_the_reference_is_ignored():
    items = (*clauses(), ClauseAssessment(id=99, item="art28_3_zz", status=ClauseStatus.ABSENT))
    assert codes(assess(processor(agreement=agreement(clauses=items)))) == []


def test_no_clause_finding_without_an_agreement_record():
    assert codes(assess(processor(agreement=None))) == ["DPA_MISSING"]


# --- sub-processors ------------------------------------------------------------------


def test_sub_processors_without_authorisation():
    p = processor(
        sub_processors=(sub_processor("Mailer", id=11),),
        agreement=agreement(sub_processor_authorisation=SubProcessorAuthorisation.NONE_RECORDED),
    )
    (finding,) = assess(p).findings
    assert finding.code == "SUBPROCESSOR_AUTHORISATION_MISSING"
    assert "Mailer" in finding.explanation.en


@pytest.mark.parametrize(
    "authorisation", [SubProcessorAuthorisation.SPECIFIC, SubProcessorAuthorisation.GENERAL]
)
def test_recorded_authorisation_is_enough(authorisation):
    p = processor(
        sub_processors=(sub_processor(id=11),),
        agreement=agreement(sub_processor_authorisation=authorisation),
    )
    assert codes(assess(p)) == []


def test_no_authorisation_needed_without_sub_processors():
    p = processor(agreement=agreement(sub_processor_authorisation=SubProcessorAuthorisation.NONE_RECORDED))
    assert codes(assess(p)) == []


@pytest.mark.parametrize(
    ("flowdown", "expected"),
    [
        (Tristate.YES, []),
        (Tristate.NO, ["SUBPROCESSOR_FLOWDOWN_MISSING"]),
        (Tristate.UNKNOWN, ["SUBPROCESSOR_FLOWDOWN_UNKNOWN"]),
    ],
)
def test_flowdown_per_sub_processor(flowdown, expected):
    a = assess(processor(sub_processors=(sub_processor("Mailer", id=11, flowdown=flowdown),)))
    assert codes(a) == expected
    for finding in a.findings:
        assert (finding.subject.kind, finding.subject.ref, finding.subject.label) == (
            "sub_processor",
            "11",
            "Mailer",
        )


def test_flowdown_findings_are_one_per_sub_processor():
    subs = tuple(sub_processor(f"S{n}", id=n, flowdown=Tristate.NO) for n in range(3))
    assert codes(assess(processor(sub_processors=subs))) == ["SUBPROCESSOR_FLOWDOWN_MISSING"] * 3


# --- breach notification ------------------------------------------------------------


def test_no_breach_deadline():
    assert codes(assess(processor(agreement=agreement(breach_notice_hours=None)))) == [
        "BREACH_NOTICE_UNDEFINED"
    ]


@pytest.mark.parametrize(
    ("hours", "too_long"), [(24, False), (47, False), (48, False), (49, True), (72, True)]
)
def test_breach_deadline_boundary_is_48_hours(hours, too_long):
    a = assess(processor(agreement=agreement(breach_notice_hours=hours)))
    assert codes(a) == (["BREACH_NOTICE_TOO_LONG"] if too_long else [])


def test_breach_threshold_is_a_setting_and_is_cited():
    p = processor(agreement=agreement(breach_notice_hours=36))
    assert codes(assess(p)) == []
    a = assess(p, settings=RuleSettings(breach_notice_max_hours=24))
    (finding,) = a.findings
    assert finding.code == "BREACH_NOTICE_TOO_LONG"
    assert "36 h" in finding.explanation.en and "24 h" in finding.explanation.fr
    assert "breach_notice_max_hours = 24" in finding.relied_on[0]
    assert "reference value 48" in finding.relied_on[0]


@pytest.mark.parametrize(
    "status", [LifecycleStatus.PROPOSED, LifecycleStatus.UNDER_REVIEW, LifecycleStatus.APPROVED]
)
def test_the_dpa_missing_text_agrees_with_the_processor_status(status):
    """A candidate is not called "active" (issue 9): the catalogue text is
    neutral and the detail names the candidate status."""
    (finding,) = findings_of(assess(processor(status=status, agreement=None)), "DPA_MISSING")
    assert "active" not in finding.explanation.en.lower()
    assert "actif" not in finding.explanation.fr.lower()
    candidate = status != LifecycleStatus.APPROVED
    assert ("candidate" in finding.explanation.en) is candidate
    assert ("candidat" in finding.explanation.fr) is candidate
