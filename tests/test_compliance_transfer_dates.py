"""Reference §3–4 as updated on 2026-11-30, case by case and at the
boundaries (the day before, of and after):

- a contractual tool covers a flow only once signed ("being negotiated"
  before, finding TRANSFER_TOOL_NOT_SIGNED);
- old SCCs signed on or after 27 Sept 2021 never covered anything; signed
  before, they covered flows until 27 Dec 2022;
- an adequacy decision counts from its adoption date (and, for the UK, until
  its end date); the Privacy Shield covers nothing;
- recipient scope facts (LGPD, PIPEDA, DPF): unknown is never covered;
- an Art. 49 derogation is named as a derogation, never as a safeguard.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from register.vocabulary import CONTRACTUAL_TOOLS, LifecycleStatus, TransferMechanism
from tests.compliance_builders import (
    AS_OF,
    REFERENCE,
    assess,
    codes,
    findings_of,
    location,
    processor,
    safeguard,
    scc,
    sub_processor,
)

DAY = timedelta(days=1)
TRANSFER_CODES = {
    "TRANSFER_NO_SAFEGUARD", "TRANSFER_US_DPF_UNVERIFIED", "SCC_OUTDATED", "SCC_WRONG_MODULE",
    "SCC_MODULE_UNKNOWN", "TIA_MISSING", "TIA_STALE", "DEROGATION_USED", "DPF_STATUS_UNKNOWN",
    "PIPEDA_SCOPE_UNKNOWN", "LGPD_SCOPE_UNKNOWN", "TRANSFER_TOOL_NOT_SIGNED",
}  # fmt: skip


def hosted_in(country: str, **changes):
    return processor(locations=(location(country),), **changes)


def only_route(assessment):
    (route,) = assessment.transfers
    return route


def transfer_codes(assessment) -> list[str]:
    """Transfer findings only: at past dates the DPA and review rules fire too."""
    return sorted(code for code in codes(assessment) if code in TRANSFER_CODES)


def tool(country: str, mechanism: TransferMechanism, **changes):
    """A recorded tool; 2021 SCCs get the module and TIA a flow to a processor needs."""
    if mechanism == TransferMechanism.SCC_2021:
        return scc(country, **changes)
    return safeguard(country, mechanism, **changes)


# --- a contractual tool covers a flow only once signed ---------------------------

# Each contractual tool with a destination where it applies on AS_OF: the UK
# tools are instruments of UK law (flows to the UK), needed there only once
# the UK decision has ended (after 27 Dec 2031, VERIFY).
UK_AFTER_DECISION = REFERENCE.adequacy["GB"].valid_until + DAY
CONTRACTUAL_CASES = [
    (TransferMechanism.SCC_2021, "IN", AS_OF),
    (TransferMechanism.AD_HOC_CONTRACT, "IN", AS_OF),
    (TransferMechanism.UK_IDTA, "GB", UK_AFTER_DECISION),
    (TransferMechanism.UK_ADDENDUM, "GB", UK_AFTER_DECISION),
]


def test_the_contractual_tools_are_the_sccs_the_uk_tools_and_ad_hoc_clauses():
    assert CONTRACTUAL_TOOLS == {m for m, _, _ in CONTRACTUAL_CASES} | {TransferMechanism.SCC_PRE_2021}


@pytest.mark.parametrize(("mechanism", "country", "as_of"), CONTRACTUAL_CASES)
def test_a_signed_contractual_tool_covers_the_flow(mechanism, country, as_of):
    a = assess(hosted_in(country, safeguards=(tool(country, mechanism, signed_on=as_of - DAY),)), as_of=as_of)
    route = only_route(a)
    assert (route.basis, route.covered, route.coverage, route.mechanism) == ("safeguard", True, "covered", mechanism)
    assert transfer_codes(a) == []


@pytest.mark.parametrize(("mechanism", "country", "as_of"), CONTRACTUAL_CASES)
def test_a_contractual_tool_without_signing_date_is_being_negotiated(mechanism, country, as_of):
    a = assess(hosted_in(country, safeguards=(tool(country, mechanism, signed_on=None),)), as_of=as_of)
    route = only_route(a)
    assert (route.basis, route.covered, route.coverage) == ("negotiating", False, "being_negotiated")
    assert route.mechanism == mechanism
    assert transfer_codes(a) == ["TRANSFER_TOOL_NOT_SIGNED"]
    (finding,) = findings_of(a, "TRANSFER_TOOL_NOT_SIGNED")
    assert finding.severity == "critical" and finding.subject.kind == "safeguard"
    assert "without a signing date" in finding.explanation.en
    assert "sans date de signature" in finding.explanation.fr


@pytest.mark.parametrize(
    ("signed_on", "coverage"),
    [(AS_OF - DAY, "covered"), (AS_OF, "covered"), (AS_OF + DAY, "being_negotiated")],
)
def test_signing_day_boundary(signed_on, coverage):
    a = assess(hosted_in("IN", safeguards=(scc("IN", signed_on=signed_on),)))
    assert only_route(a).coverage == coverage
    assert ("TRANSFER_TOOL_NOT_SIGNED" in codes(a)) is (coverage == "being_negotiated")


def test_a_tool_signed_after_the_as_of_date_says_when():
    a = assess(hosted_in("IN", safeguards=(scc("IN", signed_on=date(2026, 12, 15)),)))
    (finding,) = findings_of(a, "TRANSFER_TOOL_NOT_SIGNED")
    assert "15 December 2026" in finding.explanation.en and "29 November 2026" in finding.explanation.en
    assert "15 décembre 2026" in finding.explanation.fr and "29 novembre 2026" in finding.explanation.fr


def test_as_of_makes_a_later_signature_visible():
    p = hosted_in("IN", safeguards=(scc("IN", signed_on=date(2026, 3, 1), tia_on=date(2026, 2, 1)),))
    assert only_route(assess(p, as_of=date(2026, 2, 28))).coverage == "being_negotiated"
    assert only_route(assess(p, as_of=date(2026, 3, 1))).coverage == "covered"


def test_a_draft_of_the_2021_sccs_is_still_checked_for_its_module():
    a = assess(hosted_in("IN", safeguards=(scc("IN", module=3, signed_on=None),)))
    assert transfer_codes(a) == ["SCC_WRONG_MODULE", "TRANSFER_TOOL_NOT_SIGNED"]


def test_an_unsigned_tool_is_not_reported_as_no_tool_at_all():
    a = assess(hosted_in("IN", safeguards=(scc("IN", signed_on=None),)))
    assert "TRANSFER_NO_SAFEGUARD" not in codes(a)


def test_a_signed_tool_is_relied_on_over_one_being_negotiated():
    tools = (scc("IN", id=1, signed_on=None), scc("IN", id=2))
    route = only_route(a := assess(hosted_in("IN", safeguards=tools)))
    assert route.coverage == "covered" and codes(a) == []


@pytest.mark.parametrize("mechanism", [TransferMechanism.BCR, TransferMechanism.ART49_DEROGATION])
def test_non_contractual_tools_need_no_signing_date(mechanism):
    route = only_route(assess(hosted_in("IN", safeguards=(safeguard("IN", mechanism),))))
    assert route.covered and route.coverage == "covered"


def test_a_candidate_with_unsigned_sccs_is_not_covered():
    """The procurement case: an approved candidate whose vendor offered SCCs
    (recorded without a signing date) is not shown as covered."""
    for status in LifecycleStatus:
        p = hosted_in("US", status=status, dpf_certified=False, safeguards=(scc("US", signed_on=None),))
        assert only_route(assess(p)).coverage == "being_negotiated"


def test_a_sub_processor_flow_on_unsigned_module_3_sccs_is_being_negotiated():
    sub = sub_processor("IndiaOps", ("IN",), id=11)
    p = processor(sub_processors=(sub,), safeguards=(scc("IN", module=3, sub_processor_id=11, signed_on=None),))
    (route,) = [r for r in assess(p).transfers if r.country == "IN"]
    assert route.coverage == "being_negotiated" and route.sub_processor_id == 11


# --- an Art. 49 derogation is a derogation ----------------------------------------


def test_an_art49_derogation_is_named_as_a_derogation_not_a_safeguard():
    a = assess(hosted_in("IN", safeguards=(safeguard("IN", TransferMechanism.ART49_DEROGATION),)))
    route = only_route(a)
    assert route.basis == "derogation" and route.mechanism == TransferMechanism.ART49_DEROGATION
    assert codes(a) == ["DEROGATION_USED"]


# --- old SCCs (2001/497, 2004/915, 2010/87) ---------------------------------------

CUTOFF = REFERENCE.key_dates["scc_old_new_contracts_cutoff"].on
DEADLINE = REFERENCE.key_dates["scc_old_replacement_deadline"].on


def test_the_old_scc_dates_are_those_of_the_reference():
    assert (CUTOFF, DEADLINE) == (date(2021, 9, 27), date(2022, 12, 27))


def old_sccs(signed_on, as_of):
    p = hosted_in("IN", safeguards=(safeguard("IN", TransferMechanism.SCC_PRE_2021, signed_on=signed_on),))
    return assess(p, as_of=as_of)


@pytest.mark.parametrize(
    ("signed_on", "as_of", "coverage"),
    [
        # signed the day before the cut-off: covered until the deadline, that day included
        (CUTOFF - DAY, CUTOFF - DAY, "covered"),
        (CUTOFF - DAY, DEADLINE - DAY, "covered"),
        (CUTOFF - DAY, DEADLINE, "covered"),
        (CUTOFF - DAY, DEADLINE + DAY, "not_covered"),
        (date(2015, 3, 1), date(2020, 1, 1), "covered"),
        (date(2015, 3, 1), AS_OF, "not_covered"),
        # signed on or after the cut-off: never covered anything
        (CUTOFF, CUTOFF, "not_covered"),
        (CUTOFF, DEADLINE - DAY, "not_covered"),
        (CUTOFF + DAY, date(2022, 1, 10), "not_covered"),
        # not signed yet: negotiated before the cut-off, too late from it on
        (None, CUTOFF - DAY, "being_negotiated"),
        (CUTOFF - DAY, CUTOFF - 2 * DAY, "being_negotiated"),
        (None, CUTOFF, "not_covered"),
        (None, AS_OF, "not_covered"),
    ],
)
def test_old_sccs_case_by_case(signed_on, as_of, coverage):
    a = old_sccs(signed_on, as_of)
    assert only_route(a).coverage == coverage
    expected = {"covered": [], "being_negotiated": ["TRANSFER_TOOL_NOT_SIGNED"], "not_covered": ["SCC_OUTDATED"]}
    assert transfer_codes(a) == expected[coverage]


def test_old_sccs_signed_after_the_cutoff_say_they_never_covered_anything():
    (finding,) = findings_of(old_sccs(CUTOFF, date(2022, 6, 1)), "SCC_OUTDATED")
    assert "never covered" in finding.explanation.en and "jamais couvert" in finding.explanation.fr
    assert any("2021-09-27" in r for r in finding.relied_on)


def test_old_sccs_past_the_deadline_cite_the_deadline():
    (finding,) = findings_of(old_sccs(date(2019, 5, 1), AS_OF), "SCC_OUTDATED")
    assert any("2022-12-27" in r for r in finding.relied_on)


# --- adequacy decisions count from their adoption date ----------------------------

# A recipient within every scope, so only the date decides.
IN_SCOPE = {"dpf_certified": True, "pipeda_scope": True, "lgpd_scope": True}


def test_every_adequacy_decision_has_its_adoption_date_and_source():
    for code, decision in REFERENCE.adequacy.items():
        assert decision.adopted_on is not None, code
        assert decision.source.citation and decision.source.as_of >= date(2026, 11, 30), code


EXPECTED_ADOPTION = {
    "AD": date(2010, 10, 19), "AR": date(2003, 6, 30), "CA": date(2001, 12, 20), "FO": date(2010, 3, 5),
    "GG": date(2003, 11, 21), "IL": date(2011, 1, 31), "IM": date(2004, 4, 28), "JP": date(2019, 1, 23),
    "JE": date(2008, 5, 8), "NZ": date(2012, 12, 19), "KR": date(2021, 12, 17), "CH": date(2000, 7, 26),
    "GB": date(2021, 6, 28), "US": date(2023, 7, 10), "UY": date(2012, 8, 21), "BR": date(2026, 1, 26),
    "XX-EPO": date(2025, 7, 15),
}  # fmt: skip


def test_adoption_dates_are_those_of_the_reference_table():
    assert {code: d.adopted_on for code, d in REFERENCE.adequacy.items()} == EXPECTED_ADOPTION


@pytest.mark.parametrize("code", sorted(EXPECTED_ADOPTION))
@pytest.mark.parametrize(("offset", "covered"), [(-1, False), (0, True), (1, True)])
def test_a_decision_counts_from_its_adoption_date(code, offset, covered):
    as_of = EXPECTED_ADOPTION[code] + offset * DAY
    p = hosted_in(code, dpf_checked_on=as_of, **IN_SCOPE)
    a = assess(p, as_of=as_of)
    route = only_route(a)
    assert route.covered is covered
    if covered:
        assert route.basis == "adequacy" and route.decision == REFERENCE.adequacy[code].decision
    else:  # a third country like any other
        assert (route.basis, route.decision) == ("none", "")
        assert transfer_codes(a) == ["TRANSFER_NO_SAFEGUARD"]
        (finding,) = findings_of(a, "TRANSFER_NO_SAFEGUARD")
        assert any("adopted on" in r for r in finding.relied_on)


def test_before_its_decision_a_country_needs_a_transfer_tool_like_any_other():
    before = EXPECTED_ADOPTION["KR"] - DAY
    p = hosted_in("KR", safeguards=(scc("KR", signed_on=date(2021, 10, 1), tia_on=date(2021, 10, 1)),))
    route = only_route(assess(p, as_of=before))
    assert (route.basis, route.mechanism, route.covered) == ("safeguard", TransferMechanism.SCC_2021, True)


@pytest.mark.parametrize(
    ("as_of", "covered"),
    [(date(2031, 12, 26), True), (date(2031, 12, 27), True), (date(2031, 12, 28), False)],
)
def test_the_uk_decision_ends_on_its_end_date(as_of, covered):
    a = assess(hosted_in("GB"), as_of=as_of)
    assert only_route(a).covered is covered


def test_the_uk_renewal_is_flagged_verify_on_every_route_relying_on_it():
    decision = REFERENCE.adequacy["GB"]
    assert decision.source.verify and "VERIFY" in decision.source.note
    (finding,) = findings_of(assess(hosted_in("GB", safeguards=()), as_of=date(2032, 1, 5)), "TRANSFER_NO_SAFEGUARD")
    assert any("[VERIFY]" in r and "ended on 2031-12-27" in r for r in finding.relied_on)


@pytest.mark.parametrize("as_of", [date(2019, 1, 1), date(2020, 7, 15), date(2021, 1, 1), date(2023, 7, 9)])
def test_the_privacy_shield_covers_nothing(as_of):
    """Before the DPF decision a certified US recipient is not covered: the
    Privacy Shield is no basis (invalidated on 16 July 2020, C-311/18), and
    a DPF "safeguard" recorded then applies to nothing."""
    p = hosted_in(
        "US", dpf_certified=True, dpf_checked_on=as_of,
        safeguards=(safeguard("US", TransferMechanism.DPF),),
    )  # fmt: skip
    a = assess(p, as_of=as_of)
    assert not only_route(a).covered
    (finding,) = findings_of(a, "TRANSFER_NO_SAFEGUARD")
    assert "Data Privacy Framework" in finding.explanation.en
    assert any("Privacy Shield" in r and "C-311/18" in r for r in finding.relied_on)


def test_a_dpf_check_made_after_the_as_of_date_does_not_count():
    p = hosted_in("US", dpf_certified=True, dpf_checked_on=date(2026, 12, 1))
    a = assess(p)
    assert not only_route(a).covered and transfer_codes(a) == ["TRANSFER_US_DPF_UNVERIFIED"]


# --- recipient scope facts: yes / no / unknown ------------------------------------

SCOPE_CASES = [("BR", "lgpd_scope", "LGPD_SCOPE_UNKNOWN"), ("CA", "pipeda_scope", "PIPEDA_SCOPE_UNKNOWN")]


@pytest.mark.parametrize(("country", "fact", "unknown_code"), SCOPE_CASES)
def test_a_scope_fact_yes_is_covered_no_needs_a_tool_unknown_is_never_covered(country, fact, unknown_code):
    yes = assess(hosted_in(country, **{fact: True}))
    assert only_route(yes).covered and transfer_codes(yes) == []
    no = assess(hosted_in(country, **{fact: False}))
    assert not only_route(no).covered and transfer_codes(no) == ["TRANSFER_NO_SAFEGUARD"]
    unknown = assess(hosted_in(country, **{fact: None}))
    assert (only_route(unknown).basis, only_route(unknown).covered) == ("unknown", False)
    assert transfer_codes(unknown) == [unknown_code]
    # outside its scope, signed 2021 SCCs cover the flow
    with_sccs = assess(hosted_in(country, **{fact: False}, safeguards=(scc(country),)))
    assert only_route(with_sccs).covered and transfer_codes(with_sccs) == []


def test_the_us_scope_fact_is_the_dpf_certification():
    checked = {"dpf_checked_on": date(2026, 10, 1)}
    assert only_route(assess(hosted_in("US", dpf_certified=True, **checked))).covered
    assert transfer_codes(assess(hosted_in("US", dpf_certified=False))) == ["TRANSFER_NO_SAFEGUARD"]
    assert transfer_codes(assess(hosted_in("US", dpf_certified=None))) == ["DPF_STATUS_UNKNOWN"]


def test_brazil_outside_the_lgpd_is_explained():
    (finding,) = findings_of(assess(hosted_in("BR", lgpd_scope=False)), "TRANSFER_NO_SAFEGUARD")
    assert "outside the LGPD" in finding.explanation.en and "hors du champ de la LGPD" in finding.explanation.fr


def test_each_scope_fact_counts_only_in_its_own_country():
    every_fact = {"dpf_certified": True, "dpf_checked_on": date(2026, 10, 1), "pipeda_scope": True}
    assert transfer_codes(assess(hosted_in("BR", **every_fact))) == ["LGPD_SCOPE_UNKNOWN"]
    assert transfer_codes(assess(hosted_in("CA", lgpd_scope=True, dpf_certified=True))) == ["PIPEDA_SCOPE_UNKNOWN"]
    assert transfer_codes(assess(hosted_in("IN", lgpd_scope=True, pipeda_scope=True))) == ["TRANSFER_NO_SAFEGUARD"]


@pytest.mark.parametrize(("lgpd_scope", "covered"), [(True, True), (False, False), (None, False)])
def test_a_sub_processor_in_brazil_is_judged_on_its_own_lgpd_fact(lgpd_scope, covered):
    sub = sub_processor("RioData", ("BR",), id=12, lgpd_scope=lgpd_scope)
    p = processor(lgpd_scope=True, sub_processors=(sub,))
    (route,) = [r for r in assess(p).transfers if r.country == "BR"]
    assert route.covered is covered


def test_a_sub_processor_entry_takes_the_lgpd_fact_of_its_register_record():
    registered = processor(id=7, legal_name="RioData", locations=(location("FR"),), lgpd_scope=True)
    sub = sub_processor("RioData", ("BR",), id=12, registered_processor_id=7)
    p = processor(sub_processors=(sub,))
    (route,) = [r for r in assess(p, registry={7: registered, 1: p}).transfers if r.country == "BR"]
    assert route.covered


def test_the_list_of_tools_being_negotiated_follows_the_same_rule_as_the_routes():
    from register.compliance.transfers import tools_being_negotiated

    tools = (
        scc("IN", id=1, signed_on=None),
        scc("IN", id=2, signed_on=AS_OF + DAY),
        scc("IN", id=3, signed_on=AS_OF),
        safeguard("IN", TransferMechanism.SCC_PRE_2021, id=4),  # too late to conclude
        safeguard("IN", TransferMechanism.BCR, id=5),
        safeguard("GB", TransferMechanism.UK_IDTA, id=6),
    )
    assert tools_being_negotiated(hosted_in("IN", safeguards=tools), AS_OF) == {1, 2, 6}
    old_only = hosted_in("IN", safeguards=(safeguard("IN", TransferMechanism.SCC_PRE_2021, id=4),))
    assert tools_being_negotiated(old_only, CUTOFF - DAY) == {4}
    assert only_route(assess(old_only, as_of=CUTOFF - DAY)).coverage == "being_negotiated"
