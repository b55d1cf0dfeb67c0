"""Scores, counts and the register ranking."""

from __future__ import annotations

from dataclasses import replace

from register.compliance import assess_register
from register.compliance.results import SeverityCounts
from register.compliance.scoring import processor_score, register_score
from register.vocabulary import LifecycleStatus, ProspectionUse, Tristate
from tests.compliance_builders import AS_OF, agreement, assess, location, processor, sub_processor


def test_score_formula():
    assert processor_score(SeverityCounts()) == 100
    assert processor_score(SeverityCounts(critical=1)) == 60
    assert processor_score(SeverityCounts(high=1, medium=1, low=1)) == 79
    assert processor_score(SeverityCounts(critical=2, high=2)) == 0  # floored at 0
    assert processor_score(SeverityCounts(critical=5)) == 0


def test_register_score_is_the_floored_mean():
    assert register_score([]) == 100
    assert register_score([100, 61]) == 80
    assert register_score([0, 100, 100]) == 66


def test_assessment_counts_match_its_findings():
    a = assess(processor(agreement=None, retention_months=None, next_review_on=None))
    assert a.counts == SeverityCounts(critical=1, high=1, low=1)
    assert a.score == 100 - 40 - 15 - 1
    assert [f.severity for f in a.findings] == ["critical", "high", "low"]


def test_findings_are_listed_most_severe_first():
    a = assess(
        processor(agreement=None, locations=(location("IN"),), security_measures="", next_review_on=None)
    )
    severities = [f.severity for f in a.findings]
    order = ["critical", "high", "medium", "low"]
    assert severities == sorted(severities, key=order.index)


def register():
    clean = processor(id=1, legal_name="Clean")
    no_dpa = processor(id=2, legal_name="NoDpa", agreement=None)
    b2c = processor(id=3, legal_name="Bravo", prospection_use=ProspectionUse.B2C, opt_out_offered=True)
    # Same score as "Bravo" (60, one critical): ranked by name.
    alpha = processor(id=4, legal_name="alpha", agreement=None)
    gone = processor(id=5, legal_name="Gone", status=LifecycleStatus.OFFBOARDED, agreement=None)
    low = processor(id=6, legal_name="Low", sub_processors=(sub_processor(flowdown=Tristate.UNKNOWN),))
    return [clean, no_dpa, b2c, alpha, gone, low]


def test_register_ranks_worst_first_then_by_name():
    r = assess_register(register(), as_of=AS_OF)
    assert [p.processor_name for p in r.processors] == ["alpha", "Bravo", "NoDpa", "Low", "Clean", "Gone"]
    assert [p.score for p in r.processors] == [60, 60, 60, 99, 100, 100]


def test_ranking_breaks_a_score_tie_by_critical_count_before_name():
    # Both score 60: one critical finding, or two high and two medium ones.
    one_critical = processor(id=2, legal_name="Zulu", agreement=None)
    two_high_two_medium = processor(
        id=3,
        legal_name="Bravo",
        retention_months=None,
        indirect_collection=True,
        source_disclosed=False,
        security_measures="",
        agreement=agreement(breach_notice_hours=None),
    )
    r = assess_register([two_high_two_medium, one_critical], as_of=AS_OF)
    assert [(p.processor_name, p.score) for p in r.processors] == [("Zulu", 60), ("Bravo", 60)]


def test_register_counts_and_score():
    r = assess_register(register(), as_of=AS_OF)
    assert r.counts == SeverityCounts(critical=3, low=1)
    assert r.counts.total == len(r.findings) == 4
    # The offboarded processor does not count in the mean: (100+60+60+60+99)/5.
    assert r.score == (100 + 60 + 60 + 60 + 99) // 5


def test_register_follows_chains_between_its_processors():
    hoster = processor(id=2, legal_name="Hoster", locations=(location("IN"),))
    acme = processor(id=1, sub_processors=(sub_processor("Hoster", (), id=20, registered_processor_id=2),))
    r = assess_register([acme, hoster], as_of=AS_OF)
    by_name = {p.processor_name: p for p in r.processors}
    assert [f.code for f in by_name["Acme SAS"].findings] == ["TRANSFER_NO_SAFEGUARD"]
    assert by_name["Acme SAS"].transfers[-1].path == ("Acme SAS", "Hoster")


def test_empty_register():
    r = assess_register([], as_of=AS_OF)
    assert (r.processors, r.score, r.counts.total) == ((), 100, 0)


def test_register_of_5000_processors_is_assessed():
    # Not a timed test (bench/assess_core.py prints the figure): the shape only.
    base = processor(locations=(location("FR"), location("US", id=2), location("IN", id=3)))
    processors = [replace(base, id=n, legal_name=f"P{n:04d}") for n in range(5000)]
    r = assess_register(processors, as_of=AS_OF)
    assert len(r.processors) == 5000
    assert r.counts.critical == 5000 and r.counts.high == 5000
