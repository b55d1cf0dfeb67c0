"""Transfers (reference §4): the decision rule per country, the US and Canada
special cases, SCC modules, TIAs, old SCCs, derogations, UK tools, and
sub-processor chains followed through the register."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from register.compliance.model import Location
from register.vocabulary import LocationActivity, ProcessorRole, TransferMechanism
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

TRANSFER_CODES = {
    "TRANSFER_NO_SAFEGUARD",
    "TRANSFER_US_DPF_UNVERIFIED",
    "SCC_OUTDATED",
    "SCC_WRONG_MODULE",
    "SCC_MODULE_UNKNOWN",
    "TIA_MISSING",
    "TIA_STALE",
    "DEROGATION_USED",
    "TRANSFER_LOCATIONS_UNKNOWN",
    "TRANSFER_COUNTRY_UNKNOWN",
    "DPF_STATUS_UNKNOWN",
    "PIPEDA_SCOPE_UNKNOWN",
    "LGPD_SCOPE_UNKNOWN",
    "TRANSFER_TOOL_NOT_SIGNED",
}


def hosted_in(country: str, **changes):
    return processor(locations=(location(country),), **changes)


def only_route(assessment):
    (route,) = assessment.transfers
    return route


# --- the decision rule, country by country ---------------------------------


EEA_COUNTRIES = sorted(code for code, country in REFERENCE.countries.items() if country.eea)


def test_the_eea_is_the_eu_27_plus_iceland_liechtenstein_norway():
    assert len(EEA_COUNTRIES) == 30 and {"IS", "LI", "NO", "FR"} <= set(EEA_COUNTRIES)


@pytest.mark.parametrize("code", EEA_COUNTRIES)
def test_eea_country_needs_no_transfer_tool(code):
    a = assess(hosted_in(code))
    route = only_route(a)
    assert (route.basis, route.covered, route.mechanism, route.decision) == ("eea", True, None, "")
    assert codes(a) == []


def test_eea_route_names_the_country_in_both_languages():
    route = only_route(assess(hosted_in("DE")))
    assert (route.country_name.en, route.country_name.fr) == ("Germany", "Allemagne")


@pytest.mark.parametrize("code", sorted(REFERENCE.adequacy))
def test_every_adequacy_decision_of_the_reference_covers_a_recipient_within_its_scope(code):
    decision = REFERENCE.adequacy[code]
    # A recipient within every scope: DPF-certified and checked, under PIPEDA and the LGPD.
    p = hosted_in(
        code, dpf_certified=True, dpf_checked_on=date(2026, 10, 1), pipeda_scope=True, lgpd_scope=True
    )
    route = only_route(a := assess(p))
    assert route.basis == "adequacy"
    assert route.decision == decision.decision
    assert route.mechanism == (
        TransferMechanism.DPF if decision.scope == "dpf_certified" else TransferMechanism.ADEQUACY
    )
    assert route.covered
    assert codes(a) == []


GENERAL_ADEQUACY = sorted(code for code, d in REFERENCE.adequacy.items() if d.scope == "general")


@pytest.mark.parametrize("code", GENERAL_ADEQUACY)
def test_a_general_adequacy_decision_needs_no_fact_about_the_recipient(code):
    assert codes(assess(hosted_in(code))) == []


def test_the_adequacy_table_has_the_expected_special_scopes():
    scopes = {code: d.scope for code, d in REFERENCE.adequacy.items()}
    assert scopes["US"] == "dpf_certified"
    assert scopes["CA"] == "pipeda"
    assert scopes["BR"] == "lgpd"


def test_brazil_route_carries_the_lgpd_scope_note():
    route = only_route(assess(hosted_in("BR", lgpd_scope=True)))
    assert route.covered and route.risk_note is not None
    assert "LGPD" in route.risk_note.en and "LGPD" in route.risk_note.fr


def test_country_with_neither_eea_nor_adequacy_needs_a_safeguard():
    a = assess(hosted_in("IN"))
    route = only_route(a)
    assert (route.basis, route.covered) == ("none", False)
    (finding,) = findings_of(a, "TRANSFER_NO_SAFEGUARD")
    assert finding.severity == "critical"
    assert finding.subject.kind == "transfer" and finding.subject.ref == "IN"
    assert "India" in finding.explanation.en and "Inde" in finding.explanation.fr
    assert finding.relied_on and "IN" in finding.relied_on[0]
    assert finding.basis and finding.title.fr and finding.remediation.en


def test_a_safeguard_for_another_country_does_not_cover_the_flow():
    a = assess(hosted_in("IN", safeguards=(scc("CN"),)))
    assert codes(a) == ["TRANSFER_NO_SAFEGUARD"]


def test_2021_sccs_with_fresh_tia_cover_a_flow_to_india():
    a = assess(hosted_in("IN", safeguards=(scc("IN"),)))
    route = only_route(a)
    assert (route.basis, route.mechanism, route.scc_module, route.covered) == (
        "safeguard",
        TransferMechanism.SCC_2021,
        2,
        True,
    )
    assert codes(a) == []


def test_bcrs_cover_a_flow():
    a = assess(hosted_in("IN", safeguards=(safeguard("IN", TransferMechanism.BCR),)))
    assert only_route(a).covered and codes(a) == []


def test_country_codes_are_normalised():
    a = assess(processor(locations=(location(" jp "),)))
    assert only_route(a).country == "JP" and codes(a) == []


def test_an_expired_adequacy_decision_is_not_relied_on():
    # GB's decision is recorded with an end date; past it, the UK is a third country.
    until = REFERENCE.adequacy["GB"].valid_until
    assert until is not None
    uk = hosted_in("GB", next_review_on=date(2040, 1, 1))
    assert codes(assess(uk, as_of=until)) == []
    assert codes(assess(uk, as_of=date(until.year + 1, 1, 1))) == ["TRANSFER_NO_SAFEGUARD"]


def test_a_decision_marked_verify_is_flagged_in_relied_on():
    # The GB renewal's reference is flagged VERIFY in the reference data.
    from register.compliance.context import RuleContext
    from register.compliance.results import RuleSettings

    ctx = RuleContext(as_of=AS_OF, settings=RuleSettings())
    assert ctx.destination("GB").relied_on[0].endswith("[VERIFY]")
    assert not ctx.destination("JP").relied_on[0].endswith("[VERIFY]")


def test_an_international_organisation_with_adequacy_is_a_covered_recipient():
    a = assess(hosted_in("XX-EPO"))
    assert only_route(a).basis == "adequacy" and codes(a) == []


# --- United States -----------------------------------------------------------


def test_us_recipient_certified_and_checked_relies_on_the_dpf_with_the_risk_note():
    a = assess(hosted_in("US", dpf_certified=True, dpf_checked_on=date(2026, 3, 1)))
    route = only_route(a)
    assert (route.basis, route.mechanism, route.covered) == ("adequacy", TransferMechanism.DPF, True)
    assert route.decision == REFERENCE.adequacy["US"].decision
    assert route.risk_note is not None
    assert "Latombe" in route.risk_note.en and "Latombe" in route.risk_note.fr
    assert codes(a) == []


def test_us_recipient_not_certified_needs_sccs():
    a = assess(hosted_in("US", dpf_certified=False))
    assert codes(a) == ["TRANSFER_NO_SAFEGUARD"]
    assert only_route(a).risk_note is None
    covered = assess(hosted_in("US", dpf_certified=False, safeguards=(scc("US"),)))
    assert codes(covered) == []
    assert only_route(covered).mechanism == TransferMechanism.SCC_2021


def test_us_recipient_with_unknown_certification_is_a_finding_not_a_pass():
    a = assess(hosted_in("US"))
    assert codes(a) == ["DPF_STATUS_UNKNOWN"]
    assert only_route(a).basis == "unknown" and not only_route(a).covered
    assert codes(assess(hosted_in("US", safeguards=(scc("US"),)))) == []


def test_a_dpf_safeguard_counts_as_relying_on_the_dpf():
    a = assess(
        hosted_in("US", dpf_checked_on=date(2026, 1, 1), safeguards=(safeguard("US", TransferMechanism.DPF),))
    )
    route = only_route(a)
    assert route.mechanism == TransferMechanism.DPF and route.risk_note is not None
    assert codes(a) == []


def test_a_dpf_safeguard_does_not_override_a_recorded_lack_of_certification():
    a = assess(hosted_in("US", dpf_certified=False, safeguards=(safeguard("US", TransferMechanism.DPF),)))
    (finding,) = findings_of(a, "TRANSFER_NO_SAFEGUARD")
    assert "Data Privacy Framework" in finding.explanation.en


def test_dpf_relied_on_but_never_checked():
    a = assess(hosted_in("US", dpf_certified=True))
    (finding,) = findings_of(a, "TRANSFER_US_DPF_UNVERIFIED")
    assert "never" in finding.explanation.en
    route = only_route(a)
    assert route.mechanism == TransferMechanism.DPF and not route.covered
    assert route.risk_note is not None


@pytest.mark.parametrize(
    ("checked_on", "unverified"),
    [
        (date(2025, 11, 29), False),  # exactly 12 months before as_of: still fine
        (date(2025, 11, 30), False),
        (date(2025, 11, 28), True),  # 12 months and a day
        (date(2024, 1, 1), True),
    ],
)
def test_dpf_check_boundary_is_twelve_months(checked_on, unverified):
    a = assess(hosted_in("US", dpf_certified=True, dpf_checked_on=checked_on))
    assert ("TRANSFER_US_DPF_UNVERIFIED" in codes(a)) is unverified


def test_dpf_check_interval_is_a_setting():
    from register.compliance.results import RuleSettings

    p = hosted_in("US", dpf_certified=True, dpf_checked_on=date(2026, 3, 1))
    a = assess(p, settings=RuleSettings(dpf_check_max_months=6))
    (finding,) = findings_of(a, "TRANSFER_US_DPF_UNVERIFIED")
    assert any("dpf_check_max_months = 6" in r for r in finding.relied_on)


def test_sccs_are_preferred_to_an_unverified_dpf():
    p = hosted_in("US", dpf_certified=True, safeguards=(scc("US"),))
    a = assess(p)
    assert codes(a) == []
    assert only_route(a).mechanism == TransferMechanism.SCC_2021


# --- Canada -------------------------------------------------------------------


def test_canada_within_pipeda_scope_is_adequate():
    a = assess(hosted_in("CA", pipeda_scope=True))
    assert only_route(a).basis == "adequacy" and codes(a) == []


def test_canada_outside_pipeda_scope_needs_sccs():
    assert codes(assess(hosted_in("CA", pipeda_scope=False))) == ["TRANSFER_NO_SAFEGUARD"]
    assert codes(assess(hosted_in("CA", pipeda_scope=False, safeguards=(scc("CA"),)))) == []


def test_canada_with_unknown_pipeda_scope_is_a_finding():
    a = assess(hosted_in("CA"))
    assert codes(a) == ["PIPEDA_SCOPE_UNKNOWN"]
    assert not only_route(a).covered


# --- SCC details --------------------------------------------------------------


def test_sccs_without_a_tia():
    a = assess(hosted_in("IN", safeguards=(scc("IN", tia_on=None),)))
    (finding,) = findings_of(a, "TIA_MISSING")
    assert finding.subject.kind == "safeguard" and finding.subject.ref == "100"
    assert only_route(a).covered  # the tool applies; the assessment is missing


@pytest.mark.parametrize(
    ("tia_on", "stale"),
    [
        (date(2025, 11, 29), False),  # exactly twelve months
        (date(2025, 11, 28), True),
        (date(2026, 11, 29), False),
    ],
)
def test_tia_staleness_boundary(tia_on, stale):
    a = assess(hosted_in("IN", safeguards=(scc("IN", tia_on=tia_on),)))
    assert codes(a) == (["TIA_STALE"] if stale else [])


def test_wrong_module_for_the_controller_to_processor_flow():
    a = assess(hosted_in("IN", safeguards=(scc("IN", module=3),)))
    (finding,) = findings_of(a, "SCC_WRONG_MODULE")
    assert "Module 3" in finding.explanation.en and "module 2" in finding.explanation.fr
    assert not only_route(a).covered


def test_joint_controller_flow_is_module_1():
    p = hosted_in("IN", role=ProcessorRole.JOINT_CONTROLLER, safeguards=(scc("IN", module=1),))
    assert codes(assess(p)) == []
    p = hosted_in("IN", role=ProcessorRole.JOINT_CONTROLLER, safeguards=(scc("IN", module=2),))
    assert codes(assess(p)) == ["SCC_WRONG_MODULE"]


def test_sub_processor_flow_is_module_3():
    sub = sub_processor("IndiaOps", ("IN",), id=11)
    good = processor(sub_processors=(sub,), safeguards=(scc("IN", module=3, sub_processor_id=11),))
    assert codes(assess(good)) == []
    bad = processor(sub_processors=(sub,), safeguards=(scc("IN", module=2, sub_processor_id=11),))
    assert codes(assess(bad)) == ["SCC_WRONG_MODULE"]


def test_sccs_without_a_module_are_a_finding():
    a = assess(hosted_in("IN", safeguards=(scc("IN", module=None),)))
    assert codes(a) == ["SCC_MODULE_UNKNOWN"]


def test_pre_2021_sccs_are_outdated_after_the_replacement_deadline():
    deadline = REFERENCE.key_dates["scc_old_replacement_deadline"].on
    old = (safeguard("IN", TransferMechanism.SCC_PRE_2021, signed_on=date(2019, 5, 1)),)
    a = assess(hosted_in("IN", safeguards=old))
    (finding,) = findings_of(a, "SCC_OUTDATED")
    assert finding.severity == "critical"
    assert any(deadline.isoformat() in r for r in finding.relied_on)
    assert not only_route(a).covered
    on_deadline = assess(hosted_in("IN", safeguards=old, next_review_on=date(2023, 6, 1)), as_of=deadline)
    assert "SCC_OUTDATED" not in codes(on_deadline)


def test_art49_derogation_covers_but_is_flagged():
    a = assess(hosted_in("IN", safeguards=(safeguard("IN", TransferMechanism.ART49_DEROGATION),)))
    assert codes(a) == ["DEROGATION_USED"]
    assert only_route(a).covered


def test_uk_tools_do_not_cover_flows_outside_the_uk():
    for mechanism in (TransferMechanism.UK_IDTA, TransferMechanism.UK_ADDENDUM):
        a = assess(hosted_in("IN", safeguards=(safeguard("IN", mechanism),)))
        (finding,) = findings_of(a, "TRANSFER_NO_SAFEGUARD")
        assert "UK" in finding.explanation.en


def test_the_best_of_several_tools_is_relied_on():
    tools = (safeguard("IN", TransferMechanism.SCC_PRE_2021, id=1), scc("IN", id=2))
    a = assess(hosted_in("IN", safeguards=tools))
    assert codes(a) == []
    assert only_route(a).mechanism == TransferMechanism.SCC_2021


def test_an_adequate_country_ignores_a_superfluous_old_safeguard():
    a = assess(hosted_in("JP", safeguards=(safeguard("JP", TransferMechanism.SCC_PRE_2021),)))
    assert codes(a) == []


# --- where the data goes --------------------------------------------------------


def test_headquarters_counts_only_when_no_location_is_recorded():
    assert codes(assess(processor(headquarters_country="IN", locations=(location("FR"),)))) == []
    a = assess(processor(headquarters_country="IN", locations=()))
    assert only_route(a).country == "IN"
    assert codes(a) == ["TRANSFER_NO_SAFEGUARD"]


def test_support_access_from_a_third_country_is_a_transfer():
    locations = (location("FR"), Location(id=2, country="IN", activity=LocationActivity.SUPPORT_ACCESS))
    a = assess(processor(locations=locations))
    assert [r.country for r in a.transfers] == ["FR", "IN"]
    assert codes(a) == ["TRANSFER_NO_SAFEGUARD"]


def test_several_locations_in_one_country_make_one_route():
    locations = (location("IN", id=1), Location(id=2, country="IN", activity=LocationActivity.PROCESSING))
    a = assess(processor(locations=locations))
    assert len(a.transfers) == 1 and codes(a) == ["TRANSFER_NO_SAFEGUARD"]


def test_no_location_and_no_headquarters_is_an_unknown_route():
    a = assess(processor(headquarters_country=None, locations=()))
    route = only_route(a)
    assert (route.country, route.basis, route.covered) == ("", "unknown", False)
    (finding,) = findings_of(a, "TRANSFER_LOCATIONS_UNKNOWN")
    assert finding.subject.kind == "processor"


def test_sub_processor_without_countries_is_an_unknown_route():
    a = assess(processor(sub_processors=(sub_processor("Mystery", (), id=12),)))
    (finding,) = findings_of(a, "TRANSFER_LOCATIONS_UNKNOWN")
    assert (finding.subject.kind, finding.subject.ref) == ("sub_processor", "12")
    assert any(r.basis == "unknown" and r.sub_processor_id == 12 for r in a.transfers)


def test_unrecognised_country_code_is_a_finding():
    a = assess(hosted_in("ZZ"))
    assert codes(a) == ["TRANSFER_COUNTRY_UNKNOWN"]
    assert only_route(a).basis == "unknown"


def test_a_french_vendor_whose_sub_processor_hosts_in_the_us_makes_a_transfer():
    sub = sub_processor("BigCloud Inc.", ("US",), id=20, dpf_certified=False)
    a = assess(processor(sub_processors=(sub,)))
    routes = {r.country: r for r in a.transfers}
    assert routes["US"].path == ("Acme SAS", "BigCloud Inc.")
    assert routes["US"].recipient == "BigCloud Inc." and routes["US"].sub_processor_id == 20
    assert codes(a) == ["TRANSFER_NO_SAFEGUARD"]
    fixed = processor(sub_processors=(sub,), safeguards=(scc("US", module=3, sub_processor_id=20),))
    assert codes(assess(fixed)) == []


def test_a_sub_processors_own_dpf_certification_counts():
    sub = sub_processor("BigCloud Inc.", ("US",), id=20, dpf_certified=True, dpf_checked_on=date(2026, 5, 1))
    a = assess(processor(sub_processors=(sub,)))
    assert codes(a) == []
    us = next(r for r in a.transfers if r.country == "US")
    assert us.mechanism == TransferMechanism.DPF and us.risk_note is not None


# --- chains through the register ------------------------------------------------


def chain_registry():
    """Acme (FR) → Hoster (registered, DE) → IndiaOps (IN)."""
    hoster = processor(
        id=2,
        legal_name="Hoster GmbH",
        locations=(location("DE"),),
        sub_processors=(sub_processor("IndiaOps", ("IN",), id=30),),
    )
    acme = processor(
        id=1,
        sub_processors=(sub_processor("Hoster GmbH", (), id=21, registered_processor_id=2),),
    )
    return acme, {1: acme, 2: hoster}


def test_a_registered_sub_processor_is_followed_two_levels_deep():
    acme, registry = chain_registry()
    a = assess(acme, registry=registry)
    routes = {r.country: r for r in a.transfers}
    assert set(routes) == {"FR", "DE", "IN"}
    assert routes["DE"].path == ("Acme SAS", "Hoster GmbH")
    assert routes["IN"].path == ("Acme SAS", "Hoster GmbH", "IndiaOps")
    assert routes["IN"].recipient == "IndiaOps" and routes["IN"].sub_processor_id == 30
    (finding,) = findings_of(a, "TRANSFER_NO_SAFEGUARD")
    assert finding.subject.label == "Acme SAS → Hoster GmbH → IndiaOps (IN)"


def test_without_the_registry_the_chain_is_unknown():
    acme, _ = chain_registry()
    assert "TRANSFER_LOCATIONS_UNKNOWN" in codes(assess(acme))


def test_the_registered_processors_safeguard_covers_its_onward_flow():
    acme, registry = chain_registry()
    registry[2] = replace(registry[2], safeguards=(scc("IN", module=3, sub_processor_id=30),))
    assert codes(assess(acme, registry=registry)) == []


def test_the_processors_own_safeguard_for_the_chain_covers_it_too():
    acme, registry = chain_registry()
    acme = processor(
        id=1,
        sub_processors=acme.sub_processors,
        safeguards=(scc("IN", module=3, sub_processor_id=21),),
    )
    assert codes(assess(acme, registry=registry)) == []


def test_a_loop_of_registered_sub_processors_terminates():
    a_record = processor(
        id=1,
        legal_name="A",
        locations=(location("FR"),),
        sub_processors=(sub_processor("B", (), id=41, registered_processor_id=2),),
    )
    b_record = processor(
        id=2,
        legal_name="B",
        locations=(location("IN"),),
        sub_processors=(sub_processor("A", (), id=42, registered_processor_id=1),),
    )
    registry = {1: a_record, 2: b_record}
    a = assess(a_record, registry=registry)
    paths = [r.path for r in a.transfers]
    assert paths == [("A",), ("A", "B"), ("A", "B", "A")]
    assert [r.country for r in a.transfers] == ["FR", "IN", "FR"]
    assert codes(a) == ["TRANSFER_NO_SAFEGUARD"]


def test_a_self_loop_terminates():
    me = processor(id=1, sub_processors=(sub_processor("Acme SAS", (), id=43, registered_processor_id=1),))
    a = assess(me, registry={1: me})
    assert [r.path for r in a.transfers] == [("Acme SAS",), ("Acme SAS", "Acme SAS")]


def test_a_long_chain_is_followed_to_its_end_without_recursion():
    registry = {}
    for n in range(1, 3001):
        registry[n] = processor(
            id=n,
            legal_name=f"P{n}",
            locations=(location("IN" if n == 3000 else "FR"),),
            sub_processors=(
                (sub_processor(f"P{n + 1}", (), id=10_000 + n, registered_processor_id=n + 1),)
                if n < 3000
                else ()
            ),
        )
    a = assess(registry[1], registry=registry)
    india = [r for r in a.transfers if r.country == "IN"]
    assert [r.path for r in india] == [tuple(f"P{n}" for n in range(1, 3001))]
    assert codes(a) == ["TRANSFER_NO_SAFEGUARD"]


def test_beyond_the_first_level_one_route_per_country_the_least_covered():
    acme, registry = chain_registry()
    registry[2] = replace(
        registry[2],
        sub_processors=(
            sub_processor("IndiaCovered", ("IN",), id=30),
            sub_processor("IndiaBare", ("IN",), id=31),
            sub_processor("JapanOps", ("JP",), id=32),
        ),
        safeguards=(scc("IN", module=3, sub_processor_id=30),),
    )
    a = assess(acme, registry=registry)
    deep = {r.country: r for r in a.transfers if len(r.path) == 3}
    assert set(deep) == {"IN", "JP"}
    assert deep["IN"].recipient == "IndiaBare" and not deep["IN"].covered
    assert codes(a) == ["TRANSFER_NO_SAFEGUARD"]


def test_a_safeguard_shared_by_two_flows_raises_its_findings_once():
    # Acme's SCC for the Hoster chain in India covers both Hoster's own
    # Indian site and its Indian sub-processor; it lacks a TIA.
    acme, registry = chain_registry()
    registry[2] = replace(registry[2], locations=(location("IN"),))
    acme = replace(acme, safeguards=(scc("IN", module=3, sub_processor_id=21, tia_on=None, id=7),))
    a = assess(acme, registry=registry)
    assert [r.path for r in a.transfers if r.country == "IN"] == [
        ("Acme SAS", "Hoster GmbH"),
        ("Acme SAS", "Hoster GmbH", "IndiaOps"),
    ]
    assert codes(a) == ["TIA_MISSING"]


def test_a_dense_register_of_registered_sub_processors_stays_linear():
    # Every processor uses four others of the register: chains everywhere, loops included.
    from register.compliance import assess_register

    n = 2000
    records = [
        processor(
            id=i,
            legal_name=f"V{i}",
            locations=(location("IN" if i % 500 == 0 else "FR"),),
            sub_processors=tuple(
                sub_processor(
                    f"V{(i * 7 + k) % n}", (), id=i * 10 + k, registered_processor_id=(i * 7 + k) % n
                )
                for k in range(1, 5)
            ),
        )
        for i in range(n)
    ]
    r = assess_register(records, as_of=AS_OF)
    assert all(len(p.transfers) <= 1 + 4 + 4 * 2 for p in r.processors)
    # India is reached from everywhere through the loops.
    assert all("TRANSFER_NO_SAFEGUARD" in {f.code for f in p.findings} for p in r.processors)


def test_every_member_of_a_loop_sees_what_the_loop_reaches():
    # A → B → C → A, C uses an Indian sub-processor; D (outside) uses B.
    def member(pid, name, uses):
        subs = tuple(
            sub_processor(other, (), id=pid * 10 + k, registered_processor_id=oid)
            for k, (other, oid) in enumerate(uses)
        )
        return processor(id=pid, legal_name=name, sub_processors=subs)

    a = member(1, "A", [("B", 2)])
    b = member(2, "B", [("C", 3)])
    c = replace(
        member(3, "C", [("A", 1)]),
        sub_processors=(
            sub_processor("A", (), id=30, registered_processor_id=1),
            sub_processor("IndiaOps", ("IN",), id=31),
        ),
    )
    d = member(4, "D", [("B", 2)])
    from register.compliance import assess_register

    r = assess_register([a, b, c, d], as_of=AS_OF)
    india = {
        p.processor_name: [route.path for route in p.transfers if route.country == "IN"] for p in r.processors
    }
    assert india == {
        "A": [("A", "B", "C", "IndiaOps")],
        "B": [("B", "C", "IndiaOps")],
        "C": [("C", "IndiaOps")],
        "D": [("D", "B", "C", "IndiaOps")],
    }
    assert all([f.code for f in p.findings] == ["TRANSFER_NO_SAFEGUARD"] for p in r.processors)
