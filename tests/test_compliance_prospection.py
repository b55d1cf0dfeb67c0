"""Prospection (reference §5): B2C consent, opt-out, CNIL prospect retention,
source information for indirect collection."""

from __future__ import annotations

import pytest

from register.compliance.results import RuleSettings
from register.vocabulary import ProspectionUse
from tests.compliance_builders import assess, codes, findings_of, processor


def prospecting(use: ProspectionUse, **changes):
    facts = {"opt_out_offered": True, "prior_consent_collected": True, "retention_months": 36}
    return processor(prospection_use=use, **{**facts, **changes})


@pytest.mark.parametrize("use", [ProspectionUse.B2B, ProspectionUse.B2C])
def test_compliant_prospection_raises_nothing(use):
    assert codes(assess(prospecting(use))) == []


def test_unknown_use_is_a_finding():
    assert codes(assess(processor(prospection_use=None))) == ["PROSPECTION_USE_UNKNOWN"]


def test_no_prospection_needs_no_opt_out_nor_consent():
    p = processor(
        prospection_use=ProspectionUse.NONE,
        opt_out_offered=False,
        prior_consent_collected=False,
        retention_months=60,
    )
    assert codes(assess(p)) == []


@pytest.mark.parametrize(("consent", "raised"), [(True, False), (False, True), (None, True)])
def test_b2c_needs_prior_consent(consent, raised):
    a = assess(prospecting(ProspectionUse.B2C, prior_consent_collected=consent))
    assert codes(a) == (["B2C_PROSPECTION_WITHOUT_CONSENT"] if raised else [])
    if consent is None:
        assert "does not say" in a.findings[0].explanation.en


def test_b2b_needs_no_consent():
    assert codes(assess(prospecting(ProspectionUse.B2B, prior_consent_collected=False))) == []


def test_b2c_without_consent_is_critical():
    (finding,) = assess(prospecting(ProspectionUse.B2C, prior_consent_collected=False)).findings
    assert finding.severity == "critical" and "L.34-5" in finding.basis


@pytest.mark.parametrize("use", [ProspectionUse.B2B, ProspectionUse.B2C])
@pytest.mark.parametrize("opt_out", [False, None])
def test_prospection_needs_an_opt_out(use, opt_out):
    (finding,) = assess(prospecting(use, opt_out_offered=opt_out)).findings
    assert finding.code == "OPT_OUT_MISSING"
    assert "21" in finding.basis  # Art. 21, not Art. 15


@pytest.mark.parametrize(
    ("months", "exceeds"), [(12, False), (35, False), (36, False), (37, True), (120, True)]
)
@pytest.mark.parametrize("use", [ProspectionUse.B2B, ProspectionUse.B2C])
def test_prospect_retention_boundary_is_36_months(use, months, exceeds):
    a = assess(prospecting(use, retention_months=months))
    assert codes(a) == (["PROSPECT_RETENTION_EXCEEDS_CNIL"] if exceeds else [])


def test_prospect_retention_finding_cites_the_limit():
    a = assess(prospecting(ProspectionUse.B2B, retention_months=48))
    (finding,) = findings_of(a, "PROSPECT_RETENTION_EXCEEDS_CNIL")
    assert "48" in finding.explanation.en and "36" in finding.explanation.fr
    assert "prospect_retention_months = 36" in finding.relied_on[0]


def test_prospect_retention_limit_is_a_setting():
    p = prospecting(ProspectionUse.B2B, retention_months=30)
    assert codes(assess(p, settings=RuleSettings(prospect_retention_months=24))) == [
        "PROSPECT_RETENTION_EXCEEDS_CNIL"
    ]


def test_unlimited_prospect_retention_is_retention_unlimited_only():
    a = assess(prospecting(ProspectionUse.B2B, retention_unlimited=True, retention_months=None))
    assert codes(a) == ["RETENTION_UNLIMITED"]


def test_retention_beyond_36_months_is_fine_without_prospection():
    assert codes(assess(processor(retention_months=120))) == []


@pytest.mark.parametrize(
    ("indirect", "disclosed", "expected"),
    [
        (True, True, []),
        (True, False, ["SOURCE_INFORMATION_MISSING"]),
        (True, None, ["SOURCE_INFORMATION_MISSING"]),
        (False, None, []),
        (None, None, ["INDIRECT_COLLECTION_UNKNOWN"]),
    ],
)
def test_indirect_collection_needs_source_information(indirect, disclosed, expected):
    a = assess(processor(indirect_collection=indirect, source_disclosed=disclosed))
    assert codes(a) == expected
