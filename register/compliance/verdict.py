"""The procurement verdict on a candidate processor.

- reject: at least one blocking finding (:data:`BLOCKING_CODES`) — going live
  would be unlawful on the record as it stands and it is not fixed by the
  paperwork of contracting alone;
- approve_with_conditions: findings, none blocking; critical and high ones
  must be resolved before go-live, medium and low ones by the first review;
- approve: no finding at all.

A candidate usually has no signed DPA yet: DPA_MISSING is a condition ("sign a
DPA before go-live"), never a reason to reject. The rules are applied whatever
the candidate's status.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from register.compliance.assessment import assess_in_run
from register.compliance.context import RuleContext
from register.compliance.model import Finding, Localised, Processor
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
        "TRANSFER_LOCATIONS_UNKNOWN",  # nobody knows where the data would go
        "TRANSFER_COUNTRY_UNKNOWN",  # a destination the rules cannot classify
        "SCC_OUTDATED",  # the tool relied on is void since 27 Dec 2022
        "B2C_PROSPECTION_WITHOUT_CONSENT",  # the intended use itself is unlawful
        "SENSITIVE_DATA_NO_SAFEGUARD",  # Art. 9 data with no specific safeguard
    }
)
_BEFORE_GO_LIVE = frozenset({Severity.CRITICAL, Severity.HIGH})


def _finding_line(finding: Finding) -> Localised:
    title, remediation = finding.title, finding.remediation
    label = finding.subject.label
    return Localised(
        en=f"{finding.code} — {title.en} ({label}): {remediation.en}",
        fr=f"{finding.code} — {title.fr} ({label}) : {remediation.fr}",
    )


def _condition_line(finding: Finding) -> Localised:
    line = _finding_line(finding)
    if finding.severity in _BEFORE_GO_LIVE:
        return Localised(en=f"Before go-live: {line.en}", fr=f"Avant la mise en service : {line.fr}")
    return Localised(en=f"By the first review: {line.en}", fr=f"D'ici la première revue : {line.fr}")


def _in_both(sentence, as_of) -> Localised:
    """``sentence(words, prose day)`` in English and French (the core's texts carry both)."""
    return Localised(**{language: sentence(words(language), prose_date(as_of, language)) for language in ("en", "fr")})


def _reject_summary(language: str, name: str, blocking, conditions, as_of) -> str:
    said = words(language)
    blocked = said.ngettext(
        "Reject %(name)s: %(num)s blocking finding as of %(day)s",
        "Reject %(name)s: %(num)s blocking findings as of %(day)s",
        len(blocking), name=name, day=prose_date(as_of, language),
    )
    others = said.ngettext(
        "%(num)s other finding to resolve as well.", "%(num)s other findings to resolve as well.", len(conditions)
    )
    return said.gettext("%(blocking)s; %(others)s", blocking=blocked, others=others)


def verdict_from(assessment: ProcessorAssessment) -> ProcurementVerdict:
    """The decision and its reasons, from a candidate's assessment."""
    blocking = tuple(f for f in assessment.findings if f.code in BLOCKING_CODES)
    conditions = tuple(f for f in assessment.findings if f.code not in BLOCKING_CODES)
    name = assessment.processor_name
    if blocking:
        summary = Localised(en=_reject_summary("en", name, blocking, conditions, assessment.as_of),
                            fr=_reject_summary("fr", name, blocking, conditions, assessment.as_of))
        return ProcurementVerdict(
            decision=REJECT,
            reasons=(summary, *map(_finding_line, blocking)),
            conditions=conditions,
            blocking=blocking,
            assessment=assessment,
        )
    if conditions:
        summary = _in_both(
            lambda said, day: said.ngettext(
                "Approve %(name)s with conditions: %(num)s finding as of %(day)s, none blocking.",
                "Approve %(name)s with conditions: %(num)s findings as of %(day)s, none blocking.",
                len(conditions), name=name, day=day,
            ),
            assessment.as_of,
        )
        return ProcurementVerdict(
            decision=APPROVE_WITH_CONDITIONS,
            reasons=(summary, *map(_condition_line, conditions)),
            conditions=conditions,
            blocking=(),
            assessment=assessment,
        )
    summary = _in_both(
        lambda said, day: said.gettext("Approve %(name)s: no finding on the record as of %(day)s.", name=name, day=day),
        assessment.as_of,
    )
    return ProcurementVerdict(
        decision=APPROVE, reasons=(summary,), conditions=(), blocking=(), assessment=assessment
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
    return verdict_from(assess_in_run(candidate, TransferRun(ctx, registry), apply_rules=True))
