"""What to negotiate with a vendor: the Art. 28(3) items its DPA lacks or covers in
part (the checklist the DPO confirmed, e.g. from a reading of the vendor's DPA),
a breach-notification deadline missing or longer than the register's limit, and
no recorded authorisation for sub-processors.

Pure: the gap report and the negotiation letter word these points; the
"what the vendor should add" text of each item is :data:`ITEM_REQUESTS`
(English message ids, translated where they are printed).
"""

from __future__ import annotations

from dataclasses import dataclass

from register.compliance import settings_from_reference
from register.compliance.model import Processor
from register.compliance.results import RuleSettings
from register.i18n import N_
from register.reference import Reference, load_reference
from register.reference.types import Art28Item
from register.vocabulary import ClauseStatus, SubProcessorAuthorisation

TO_NEGOTIATE = (ClauseStatus.ABSENT, ClauseStatus.PARTIAL)

# What to ask the vendor to add, per Art. 28(3) item of the reference.
ITEM_REQUESTS: dict[str, str] = {
    "art28_3_subject": N_("a description of the subject-matter and the duration of the processing"),
    "art28_3_nature": N_("a description of the nature and the purpose of the processing"),
    "art28_3_data": N_("the types of personal data processed"),
    "art28_3_subjects": N_("the categories of data subjects"),
    "art28_3_controller": N_("the obligations and rights of the controller"),
    "art28_3_a": N_(
        "a commitment to process the personal data only on our documented instructions, including for "
        "transfers to a third country, and to inform us beforehand of any legal requirement to do otherwise"
    ),
    "art28_3_b": N_(
        "a commitment that the persons authorised to process the personal data are bound by confidentiality"
    ),
    "art28_3_c": N_(
        "the technical and organisational security measures required by Article 32 of the GDPR, described in an annex"
    ),
    "art28_3_d": N_(
        "the conditions for engaging sub-processors: our prior authorisation, notice of any change with the "
        "right to object, and the same data protection obligations imposed on each sub-processor"
    ),
    "art28_3_e": N_(
        "assistance, by appropriate technical and organisational measures, in answering requests from data "
        "subjects exercising their rights"
    ),
    "art28_3_f": N_(
        "assistance with our obligations under Articles 32 to 36 of the GDPR: security, notification of "
        "personal data breaches, impact assessments and prior consultation"
    ),
    "art28_3_g": N_(
        "at our choice, the deletion or the return of all the personal data at the end of the services, and "
        "the deletion of existing copies"
    ),
    "art28_3_h": N_(
        "making available all the information needed to demonstrate compliance, and allowing for and "
        "contributing to audits, including inspections, by us or an auditor we appoint"
    ),
    "art28_3_infringing": N_(
        "a commitment to inform us immediately if, in your opinion, an instruction infringes the GDPR or "
        "other data protection provisions"
    ),
}


@dataclass(frozen=True, slots=True)
class ClausePoint:
    """An Art. 28(3) item to add (absent) or to complete (partial)."""

    item: Art28Item
    status: ClauseStatus
    section: str  # where the DPA deals with it in part ("" when absent)
    request: str  # ITEM_REQUESTS entry (English message id)


@dataclass(frozen=True, slots=True)
class NegotiationPoints:
    clauses: tuple[ClausePoint, ...]
    breach_notice_hours: int | None  # what the DPA says now (None: no deadline)
    breach_notice_to_ask: bool  # no deadline, or longer than the limit
    breach_notice_max_hours: int
    authorisation_to_ask: bool  # sub-processors used, no authorisation recorded

    @property
    def empty(self) -> bool:
        return not (self.clauses or self.breach_notice_to_ask or self.authorisation_to_ask)


def negotiation_points(
    processor: Processor, settings: RuleSettings | None = None, reference: Reference | None = None
) -> NegotiationPoints:
    """The points to raise with the processor, in the reference's order of items."""
    reference = reference or load_reference()
    settings = settings or settings_from_reference(reference)
    agreement = processor.agreement
    limit = settings.breach_notice_max_hours
    if agreement is None:
        return NegotiationPoints((), None, False, limit, False)
    assessed = {clause.item: clause for clause in agreement.clauses}
    clauses = tuple(
        ClausePoint(item, assessed[item.id].status, assessed[item.id].section, ITEM_REQUESTS.get(item.id, ""))
        for item in reference.art28_items
        if item.id in assessed and assessed[item.id].status in TO_NEGOTIATE
    )
    hours = agreement.breach_notice_hours
    return NegotiationPoints(
        clauses=clauses,
        breach_notice_hours=hours,
        breach_notice_to_ask=hours is None or hours > limit,
        breach_notice_max_hours=limit,
        authorisation_to_ask=bool(processor.sub_processors)
        and agreement.sub_processor_authorisation == SubProcessorAuthorisation.NONE_RECORDED,
    )
