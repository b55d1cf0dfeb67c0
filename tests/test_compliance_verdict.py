"""Procurement verdicts: approve, approve with conditions, reject."""

from __future__ import annotations

import pytest

from register.compliance import BLOCKING_CODES, findings_catalogue, procurement_verdict
from register.vocabulary import LifecycleStatus, ProspectionUse, TransferMechanism
from tests.compliance_builders import AS_OF, location, processor, safeguard, sub_processor


def verdict(candidate, **options):
    options.setdefault("as_of", AS_OF)
    return procurement_verdict(candidate, **options)


def candidate(**changes):
    changes.setdefault("status", LifecycleStatus.PROPOSED)
    return processor(**changes)


def test_a_clean_candidate_is_approved():
    v = verdict(candidate())
    assert v.decision == "approve"
    assert v.conditions == () and v.blocking == ()
    (reason,) = v.reasons
    assert "Approve" in reason.en and "Approuver" in reason.fr
    assert v.assessment.score == 100


def test_a_candidate_without_a_dpa_is_approved_with_the_condition_to_sign_one():
    v = verdict(candidate(agreement=None))
    assert v.decision == "approve_with_conditions"
    assert [f.code for f in v.conditions] == ["DPA_MISSING"]
    assert v.blocking == ()
    summary, condition = v.reasons
    assert "with conditions" in summary.en and "sous conditions" in summary.fr
    assert condition.en.startswith("Before go-live: DPA_MISSING")
    assert condition.fr.startswith("Avant la mise en service : DPA_MISSING")


def test_medium_and_low_conditions_are_for_the_first_review():
    v = verdict(candidate(next_review_on=None))
    assert v.decision == "approve_with_conditions"
    assert v.reasons[1].en.startswith("By the first review:")


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"locations": (location("IN"),)}, "TRANSFER_NO_SAFEGUARD"),
        (
            {
                "locations": (location("IN"),),
                "safeguards": (safeguard("IN", TransferMechanism.SCC_PRE_2021),),
            },
            "SCC_OUTDATED",
        ),
        (
            {
                "prospection_use": ProspectionUse.B2C,
                "opt_out_offered": True,
                "prior_consent_collected": False,
            },
            "B2C_PROSPECTION_WITHOUT_CONSENT",
        ),
        ({"special_category_data": True, "special_category_safeguards": ""}, "SENSITIVE_DATA_NO_SAFEGUARD"),
        ({"locations": (), "headquarters_country": None}, "TRANSFER_LOCATIONS_UNKNOWN"),
        ({"locations": (location("QQ"),)}, "TRANSFER_COUNTRY_UNKNOWN"),
    ],
)
def test_blocking_findings_reject(changes, code):
    v = verdict(candidate(agreement=None, **changes))
    assert v.decision == "reject"
    assert [f.code for f in v.blocking] == [code]
    assert [f.code for f in v.conditions] == ["DPA_MISSING"]  # still listed, not blocking
    summary, reason = v.reasons
    assert "Reject" in summary.en and "Refuser" in summary.fr
    assert reason.en.startswith(code) and reason.fr.startswith(code)


def test_a_sub_processor_chain_can_block():
    hoster = processor(id=2, legal_name="Hoster", locations=(location("IN"),))
    cand = candidate(
        id=1, sub_processors=(sub_processor("Hoster", ("DE",), id=20, registered_processor_id=2),)
    )
    assert verdict(cand).decision == "approve"  # on its own record, the sub-processor is in the EEA
    v = verdict(cand, registry={2: hoster})
    assert v.decision == "reject"
    assert [f.subject.label for f in v.blocking] == ["Acme SAS → Hoster (IN)"]


def test_the_rules_apply_whatever_the_candidates_status():
    v = verdict(candidate(status=LifecycleStatus.REJECTED, agreement=None))
    assert [f.code for f in v.conditions] == ["DPA_MISSING"]


def test_blocking_codes_are_catalogue_codes():
    assert BLOCKING_CODES <= set(findings_catalogue())
    assert "DPA_MISSING" not in BLOCKING_CODES
