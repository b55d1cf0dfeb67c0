"""Procurement verdicts: approve, approve with conditions, reject."""

from __future__ import annotations

from dataclasses import replace

import pytest

from register.compliance import BLOCKING_CODES, findings_catalogue, procurement_verdict
from register.compliance.model import Localised
from register.vocabulary import (
    ClauseStatus,
    LifecycleStatus,
    ProspectionUse,
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


def verdict(candidate, **options):
    options.setdefault("as_of", AS_OF)
    return procurement_verdict(candidate, **options)


def candidate(**changes):
    changes.setdefault("status", LifecycleStatus.PROPOSED)
    return processor(**changes)


def test_a_clean_candidate_is_approved():
    v = verdict(candidate())
    assert v.decision == "approve"
    assert v.conditions == () and v.blocking == () and v.questions == () and v.details == ()
    assert v.headline == Localised("Go: the tool can be used.", "Feu vert\u00a0: l'outil peut être utilisé.")
    assert v.assessment.score == 100


def test_a_candidate_without_a_dpa_is_approved_with_the_condition_to_sign_one():
    v = verdict(candidate(agreement=None))
    assert v.decision == "approve_with_conditions"
    assert [f.code for f in v.details] == ["DPA_MISSING"]
    (condition,) = v.conditions
    assert condition.key == "sign_dpa" and condition.when == "before_go_live"
    assert condition.text.fr == "Signer avec le fournisseur un contrat de sous-traitance (DPA) avant la mise en service."
    assert v.blocking == ()
    assert v.headline.fr == "Feu vert sous conditions\u00a0: l'outil peut être utilisé une fois la condition remplie."
    assert v.headline.en == "Go with conditions: the tool can be used once the condition is met."


def test_medium_and_low_conditions_are_for_the_first_review():
    v = verdict(candidate(next_review_on=None))
    assert v.decision == "approve_with_conditions"
    (condition,) = v.conditions
    assert condition.when == "first_review" and condition.codes == ("REVIEW_UNSCHEDULED",)
    assert condition.text.en == "The DPO completes the tool's record: the date of the next review."


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
        ({"locations": (location("QQ"),)}, "TRANSFER_COUNTRY_UNKNOWN"),
    ],
)
def test_blocking_findings_reject(changes, code):
    v = verdict(candidate(agreement=None, **changes))
    assert v.decision == "reject"
    assert [f.code for f in v.blocking] == [code]
    blocking, other = v.conditions
    assert blocking.when == "blocking" and blocking.codes == (code,)
    assert other.key == "sign_dpa"  # still listed, not blocking
    assert v.headline.en == "No-go: the tool cannot be used as it stands (1 blocking point)."
    assert v.headline.fr == "Refus\u00a0: l'outil ne peut pas être utilisé en l'état (1 point bloquant)."


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
    assert [c.codes for c in v.conditions] == [("DPA_MISSING",)]


def test_blocking_codes_are_catalogue_codes():
    assert BLOCKING_CODES <= set(findings_catalogue())
    assert "DPA_MISSING" not in BLOCKING_CODES


# ---------------------------------------------------------------- plain words


def test_fourteen_unchecked_clauses_are_one_condition_for_the_dpo():
    v = verdict(candidate(agreement=agreement(clauses=clauses(ClauseStatus.UNASSESSED))))
    assert len(v.details) == len(REFERENCE.art28_item_ids()) > 10
    (condition,) = v.conditions
    assert condition.key == "check_dpa" and condition.findings == len(v.details)
    assert condition.text.en == "The DPO checks the vendor's DPA: the mandatory Art. 28 clauses."
    assert condition.text.fr == (
        "Le DPO vérifie le contrat de sous-traitance (DPA) du fournisseur\u00a0: "
        "les clauses obligatoires de l'article 28."
    )


def test_contract_points_share_one_condition_each_part_said_once_in_catalogue_order():
    v = verdict(
        candidate(
            agreement=agreement(
                breach_notice_hours=None,
                sub_processor_authorisation=SubProcessorAuthorisation.NONE_RECORDED,
                clauses=clauses(ClauseStatus.ABSENT),
            ),
            sub_processors=(sub_processor("SubCo", ("DE",), flowdown=Tristate.UNKNOWN),),
        )
    )
    [condition] = [c for c in v.conditions if c.key == "check_dpa"]
    assert condition.text.fr == (
        "Le DPO vérifie le contrat de sous-traitance (DPA) du fournisseur\u00a0: "
        "les clauses obligatoires de l'article 28, le délai de notification des violations de données "
        "et l'autorisation et les engagements de ses propres sous-traitants."
    )
    assert condition.when == "before_go_live"  # missing clauses are high


def test_transfer_conditions_name_the_countries_in_the_language():
    v = verdict(candidate(locations=(location("US"),), safeguards=(scc("US", tia_on=None),), dpf_certified=False))
    [condition] = [c for c in v.conditions if c.key == "document_transfers"]
    assert condition.text.en == (
        "The DPO documents the transfers outside the European Economic Area (United States): "
        "a transfer impact assessment."
    )
    assert "(États-Unis)" in condition.text.fr
    assert v.decision == "approve_with_conditions"


def test_a_blocking_transfer_names_only_the_uncovered_countries():
    v = verdict(candidate(locations=(location("IN"), location("JP", id=2))))
    blocking = v.conditions[0]
    assert blocking.key == "transfer_without_safeguard" and blocking.when == "blocking"
    assert "(Inde)" in blocking.text.fr and "Japon" not in blocking.text.fr  # Japan: adequacy


def test_many_findings_make_at_most_about_five_conditions():
    messy = candidate(
        agreement=agreement(
            clauses=clauses(ClauseStatus.UNASSESSED), breach_notice_hours=None,
            sub_processor_authorisation=SubProcessorAuthorisation.NONE_RECORDED,
        ),
        locations=(location("US"),),
        safeguards=(scc("US", tia_on=None, module=None),),
        dpf_certified=False,
        sub_processors=(sub_processor("Cloud", ("US",), flowdown=Tristate.UNKNOWN),),
        retention_months=None,
        security_measures="",
        next_review_on=None,
        prospection_use=ProspectionUse.B2B,
        opt_out_offered=False,
    )
    v = verdict(messy)
    assert len(v.details) > 20
    assert len(v.conditions) <= 5
    assert [c.key for c in v.conditions] == ["check_dpa", "document_transfers", "prospection", "complete_record"]
    assert [q.codes for q in v.questions] == [("DPF_STATUS_UNKNOWN",)]  # the sub-processor's, not asked


@pytest.mark.parametrize(
    ("changes", "code", "question_fr"),
    [
        (
            {"prospection_use": ProspectionUse.B2B, "opt_out_offered": None},
            "OPT_OUT_MISSING",
            "L'outil permet-il aux destinataires de se désinscrire, simplement et gratuitement\u00a0?",
        ),
        (
            {"prospection_use": ProspectionUse.B2C, "opt_out_offered": True, "prior_consent_collected": None},
            "B2C_PROSPECTION_WITHOUT_CONSENT",
            "Les particuliers ont-ils accepté au préalable de recevoir ces messages\u00a0?",
        ),
        (
            {"indirect_collection": True, "source_disclosed": None},
            "SOURCE_INFORMATION_MISSING",
            "Les personnes sont-elles informées de l'origine de leurs données dès le premier contact\u00a0?",
        ),
        ({"prospection_use": None}, "PROSPECTION_USE_UNKNOWN", None),
        ({"indirect_collection": None}, "INDIRECT_COLLECTION_UNKNOWN", None),
        ({"special_category_data": None}, "SPECIAL_CATEGORY_UNKNOWN", None),
        ({"locations": (), "headquarters_country": None}, "TRANSFER_LOCATIONS_UNKNOWN", None),
    ],
)
def test_an_unanswered_fact_is_a_question_never_a_no(changes, code, question_fr):
    v = verdict(candidate(**changes))
    assert v.decision == "approve_with_conditions"  # never "reject" for what nobody said
    assert v.conditions == () and v.blocking == ()
    (question,) = v.questions
    assert question.codes == (code,) and question.text.fr.endswith("\u00a0?") and question.text.en.endswith("?")
    if question_fr:
        assert question.text.fr == question_fr
    assert [f.code for f in v.details] == [code]  # the finding stays in the details
    assert v.headline.fr.startswith("Feu vert sous conditions\u00a0: répondre d'abord à 1 question")


@pytest.mark.parametrize(
    ("changes", "code", "key"),
    [
        ({"prospection_use": ProspectionUse.B2B, "opt_out_offered": False}, "OPT_OUT_MISSING", "prospection"),
        ({"indirect_collection": True, "source_disclosed": False}, "SOURCE_INFORMATION_MISSING", "prospection"),
    ],
)
def test_a_recorded_no_is_a_condition(changes, code, key):
    v = verdict(candidate(**changes))
    assert v.questions == ()
    (condition,) = v.conditions
    assert condition.key == key and condition.codes == (code,)


def test_b2c_without_consent_refuses_only_on_a_recorded_no():
    said_no = verdict(candidate(prospection_use=ProspectionUse.B2C, opt_out_offered=True, prior_consent_collected=False))
    unknown = verdict(candidate(prospection_use=ProspectionUse.B2C, opt_out_offered=True, prior_consent_collected=None))
    assert said_no.decision == "reject" and unknown.decision == "approve_with_conditions"


def test_a_code_no_group_knows_still_shows_with_its_title():
    from register.compliance.conditions import plain_conditions

    strange = replace(verdict(candidate(agreement=None)).details[0], code="SOMETHING_NEW")
    (condition,) = plain_conditions([strange], (), frozenset())
    assert condition.key == "other" and condition.text.en.startswith("The DPO also reviews: ")
    assert strange.title.fr in condition.text.fr


def test_conditions_and_questions_headline():
    v = verdict(candidate(agreement=None, prospection_use=None, indirect_collection=None))
    assert v.headline.fr == "Feu vert sous conditions\u00a0: répondre à 2 questions et remplir 1 condition."
    assert v.headline.en == "Go with conditions: answer 2 questions and meet 1 condition."


def test_several_conditions_headline_and_blocking_points_plural():
    v = verdict(candidate(agreement=None, next_review_on=None))
    assert v.headline.fr == "Feu vert sous conditions\u00a0: l'outil peut être utilisé une fois les 2 conditions remplies."
    assert v.headline.en == "Go with conditions: the tool can be used once the 2 conditions are met."
    v = verdict(candidate(locations=(location("IN"),), special_category_data=True, special_category_safeguards=""))
    assert v.headline.fr == "Refus\u00a0: l'outil ne peut pas être utilisé en l'état (2 points bloquants)."
