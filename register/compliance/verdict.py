"""The procurement verdict on a candidate processor.

- reject ("no-go"): at least one blocking finding (:data:`BLOCKING_CODES`) —
  going live would be unlawful on the record as it stands and it is not fixed
  by the paperwork of contracting alone;
- approve_with_conditions ("go with conditions"): findings or open
  questions, none blocking; critical and high ones must be resolved before
  go-live, medium and low ones by the first review;
- approve ("go"): no finding at all.

A fact the request did not give (where the data goes, whether recipients can
opt out…) is an open question, never a reason to refuse: a blocking code
raised only because its fact is unknown is asked, not held against the tool
(:func:`register.compliance.conditions.is_question`).

A candidate usually has no signed DPA yet: DPA_MISSING is a condition ("sign a
DPA before go-live"), never a reason to reject. The rules are applied whatever
the candidate's status. The verdict's conditions are grouped in plain words
(:mod:`register.compliance.conditions`); every finding stays in ``details``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from register.compliance.assessment import assess_in_run
from register.compliance.conditions import headline, is_question, open_questions, plain_conditions
from register.compliance.context import RuleContext
from register.compliance.model import Processor
from register.compliance.results import ProcessorAssessment, ProcurementVerdict, RuleSettings
from register.compliance.transfers import TransferRun
from register.reference import Reference
from register.vocabulary import Severity
from register.i18n import words
from register.i18n.dates import prose_date

APPROVE = "approve"
APPROVE_WITH_CONDITIONS = "approve_with_conditions"
REJECT = "reject"

BLOCKING_CODES = frozenset(
    {
        "TRANSFER_NO_SAFEGUARD",  # data would leave the EEA with no tool at all
        "TRANSFER_COUNTRY_UNKNOWN",  # a destination the rules cannot classify
        "SCC_OUTDATED",  # the tool relied on is void since 27 Dec 2022
        "B2C_PROSPECTION_WITHOUT_CONSENT",  # the intended use itself is unlawful
        "SENSITIVE_DATA_NO_SAFEGUARD",  # Art. 9 data with no specific safeguard
    }
)
# TRANSFER_LOCATIONS_UNKNOWN ("nobody knows where the data would go") is an
# open question: it must be answered before go-live, it is not a "no".


def verdict_from(assessment: ProcessorAssessment, candidate: Processor) -> ProcurementVerdict:
    """The decision, its plain conditions and open questions, from a candidate's assessment."""
    findings = assessment.findings
    questions = open_questions(findings, candidate)
    actionable = [f for f in findings if not is_question(f, candidate)]
    blocking = tuple(f for f in actionable if f.code in BLOCKING_CODES)
    conditions = plain_conditions(actionable, assessment.transfers, BLOCKING_CODES)
    if blocking:
        decision = REJECT
    elif conditions or questions:
        decision = APPROVE_WITH_CONDITIONS
    else:
        decision = APPROVE
    return ProcurementVerdict(
        decision=decision,
        headline=headline(decision, conditions, questions),
        conditions=conditions,
        questions=questions,
        blocking=blocking,
        details=findings,
        assessment=assessment,
    )


def procurement_verdict(
    candidate: Processor,
    *,
    as_of: date,
    registry: Mapping[int, Processor] | None = None,
    settings: RuleSettings = RuleSettings(),
    reference: Reference | None = None,
) -> ProcurementVerdict:
    """Approve, approve with conditions, or reject a candidate processor."""
    ctx = RuleContext(as_of=as_of, settings=settings, reference=reference)
    return verdict_from(assess_in_run(candidate, TransferRun(ctx, registry), apply_rules=True), candidate)
