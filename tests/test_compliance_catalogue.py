"""The findings catalogue: the 23 reference codes plus the core's extra codes,
every one complete in both languages, and every one reachable by a rule."""

from __future__ import annotations

from datetime import date

import pytest

from register.compliance import assess_processor, extra_finding_definitions, findings_catalogue
from register.compliance.findings import merge_catalogue
from register.compliance.model import ClauseAssessment
from register.vocabulary import (
    ClauseStatus,
    ProspectionUse,
    Severity,
    SubProcessorAuthorisation,
    TransferMechanism,
    Tristate,
)
from tests.compliance_builders import (
    AS_OF,
    REFERENCE,
    agreement,
    clauses,
    location,
    processor,
    safeguard,
    scc,
    sub_processor,
)

STARTING_CODES = {
    "DPA_MISSING", "DPA_EXPIRED", "DPA_CLAUSE_MISSING", "DPA_CLAUSE_UNASSESSED",
    "SUBPROCESSOR_AUTHORISATION_MISSING", "SUBPROCESSOR_FLOWDOWN_MISSING",
    "BREACH_NOTICE_UNDEFINED", "BREACH_NOTICE_TOO_LONG", "TRANSFER_NO_SAFEGUARD",
    "TRANSFER_US_DPF_UNVERIFIED", "SCC_OUTDATED", "SCC_WRONG_MODULE", "TIA_MISSING", "TIA_STALE",
    "DEROGATION_USED", "REVIEW_OVERDUE", "RETENTION_UNLIMITED", "PROSPECT_RETENTION_EXCEEDS_CNIL",
    "B2C_PROSPECTION_WITHOUT_CONSENT", "OPT_OUT_MISSING", "SOURCE_INFORMATION_MISSING",
    "SENSITIVE_DATA_NO_SAFEGUARD", "SECURITY_MEASURES_UNDOCUMENTED",
}  # fmt: skip


def test_the_catalogue_keeps_the_23_starting_codes_and_adds_the_extra_ones():
    catalogue = findings_catalogue()
    extra = extra_finding_definitions()
    assert STARTING_CODES <= set(catalogue)
    assert not STARTING_CODES & set(extra)
    assert set(catalogue) == STARTING_CODES | set(extra)


@pytest.mark.parametrize("code", sorted(findings_catalogue()))
def test_every_definition_is_complete_in_both_languages(code):
    d = findings_catalogue()[code]
    assert d.code == code and isinstance(d.severity, Severity)
    for text in (
        d.basis,
        d.title_en,
        d.title_fr,
        d.explanation_en,
        d.explanation_fr,
        d.remediation_en,
        d.remediation_fr,
    ):
        assert text.strip()
    assert d.source.citation and d.source.as_of <= date.today()


def test_extra_codes_may_not_redefine_a_reference_code():
    # Should the reference one day ship a code of the same name, loading fails loudly.
    reference_with_clash = {**REFERENCE.findings, "REVIEW_UNSCHEDULED": REFERENCE.findings["REVIEW_OVERDUE"]}
    with pytest.raises(ValueError, match="^extra findings redefine catalogue codes: REVIEW_UNSCHEDULED$"):
        merge_catalogue(reference_with_clash)


def every_rule_firing():
    """Records that, between them, raise every code of the catalogue."""
    few_clauses = (
        ClauseAssessment(id=1, item="art28_3_a", status=ClauseStatus.ABSENT),
        ClauseAssessment(id=2, item="art28_3_b", status=ClauseStatus.PARTIAL),
    )
    return [
        processor(
            agreement=None,
            retention_months=None,
            next_review_on=None,
            special_category_data=None,
            prospection_use=None,
            indirect_collection=None,
            headquarters_country=None,
            locations=(),
        ),
        processor(
            agreement=agreement(
                clauses=few_clauses,
                breach_notice_hours=None,
                sub_processor_authorisation=SubProcessorAuthorisation.NONE_RECORDED,
            ),
            sub_processors=(
                sub_processor(id=1, flowdown=Tristate.NO),
                sub_processor("U", ("ZZ",), id=2, flowdown=Tristate.UNKNOWN),
            ),
            special_category_data=True,
            security_measures="",
            next_review_on=date(2026, 1, 1),
        ),
        processor(
            agreement=agreement(ends_on=date(2026, 1, 1), breach_notice_hours=96),
            prospection_use=ProspectionUse.B2C,
            retention_months=60,
            indirect_collection=True,
            retention_unlimited=False,
            locations=(
                location("US"),
                location("CA", id=2),
                location("IN", id=3),
                location("CN", id=4),
                location("SG", id=5),
                location("BR", id=6),
            ),
            safeguards=(
                scc("IN", module=3, tia_on=None),
                scc("CN", id=101, tia_on=date(2024, 1, 1)),
                safeguard("SG", TransferMechanism.ART49_DEROGATION),
                safeguard("BR", TransferMechanism.SCC_PRE_2021),
            ),
            sub_processors=(sub_processor("Ops", ("MX", "US", "TH"), id=3, dpf_certified=True),),
        ),
        processor(locations=(location("MX"),), safeguards=(safeguard("MX", TransferMechanism.SCC_PRE_2021),)),
        processor(locations=(location("MX"),), safeguards=(scc("MX", module=None),)),
        processor(locations=(location("US"),), dpf_certified=False),
        processor(locations=(location("BR"),)),  # LGPD scope unknown
        processor(locations=(location("TH"),), safeguards=(scc("TH", signed_on=None),)),
        # An imported sheet's "Privacy shield" (the CNIL's 2019 workbook offers it)
        processor(locations=(location("US"),), safeguards=(safeguard("US", TransferMechanism.PRIVACY_SHIELD),)),
    ]


def notice_rule_firing(p):
    """The sub-processor notice rules, through the register-wide assessment (the
    processor's pending notices loaded with it): one notice pending with time left,
    one whose objection period has passed."""
    from dataclasses import replace
    from datetime import timedelta

    from register.compliance.model import ChangeNotice

    notices = (ChangeNotice(1, AS_OF, 30), ChangeNotice(2, AS_OF - timedelta(days=60), 30))
    return assess_processor(replace(p, pending_notices=notices), as_of=AS_OF).findings


def library_rule_firing(p):
    """The vendor library's rule, through the register-wide assessment (the processor's
    link loaded with it, register/compliance/library_link.py): a change not yet reviewed."""
    from dataclasses import replace

    from register.compliance.model import VendorLink

    return assess_processor(replace(p, library_link=VendorLink(1, "Salesy", 1, 2)), as_of=AS_OF).findings


def test_every_catalogue_code_is_raised_by_some_rule():
    raised = set()
    for p in every_rule_firing():
        for finding in (*assess_processor(p, as_of=AS_OF).findings, *notice_rule_firing(p), *library_rule_firing(p)):
            raised.add(finding.code)
            d = REFERENCE.findings.get(finding.code) or extra_finding_definitions()[finding.code]
            assert finding.severity == d.severity and finding.basis == d.basis
            assert finding.title.en == d.title_en and finding.title.fr == d.title_fr
            assert finding.explanation.en.startswith(d.explanation_en)
            assert finding.explanation.fr.startswith(d.explanation_fr)
            assert finding.remediation.fr == d.remediation_fr
            assert finding.subject.kind in {
                "processor",
                "location",
                "sub_processor",
                "clause",
                "transfer",
                "safeguard",
                "notice",
            }
    assert raised == set(findings_catalogue())


def test_default_rule_settings_agree_with_the_reference_thresholds():
    from register.compliance import RuleSettings, settings_from_reference

    assert settings_from_reference() == RuleSettings()
    assert RuleSettings() == RuleSettings(
        breach_notice_max_hours=48, dpf_check_max_months=12, tia_review_months=12, prospect_retention_months=36
    )
