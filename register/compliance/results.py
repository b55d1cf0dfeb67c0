"""What the compliance core returns: plain values read by the API, the web
pages and the Word documents. (Rules live in sibling modules.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from register.compliance.model import Finding, Localised, quick_init
from register.vocabulary import Severity, TransferMechanism


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """Tunable rule parameters; defaults come from the reference thresholds."""

    breach_notice_max_hours: int = 48
    dpf_check_max_months: int = 12
    tia_review_months: int = 12
    prospect_retention_months: int = 36


@quick_init
@dataclass(frozen=True, slots=True)
class TransferRoute:
    """One country the data reaches, by which path, under which safeguard."""

    country: str  # ISO alpha-2
    country_name: Localised
    # The chain of recipients from the processor to the one in ``country``,
    # e.g. ("Acme SAS", "BigCloud Inc.").
    path: tuple[str, ...]
    recipient: str  # the last element of the path
    sub_processor_id: int | None  # None: the processor itself
    # "eea" | "adequacy" | "safeguard" (Art. 46) | "derogation" (Art. 49, never
    # a safeguard) | "negotiating" (a contractual tool not signed on the as-of
    # date) | "none" | "unknown"
    basis: str
    mechanism: TransferMechanism | None  # the safeguard relied on, if any
    scc_module: int | None
    decision: str  # the adequacy decision relied on, "" if none
    covered: bool  # True when the flow is lawful on the record as it stands
    # The one status pages and documents show: "covered" | "being_negotiated"
    # (only a contractual tool not yet signed) | "not_covered".
    coverage: str
    risk_note: Localised | None = None  # e.g. the pending DPF litigation


@quick_init
@dataclass(frozen=True, slots=True)
class SeverityCounts:
    critical: int = 0
    high: int = 0
    medium: int = 0
    low: int = 0

    def of(self, severity: Severity) -> int:
        return getattr(self, severity.value)

    @property
    def total(self) -> int:
        return self.critical + self.high + self.medium + self.low


@quick_init
@dataclass(frozen=True, slots=True)
class ProcessorAssessment:
    processor_id: int | None
    processor_name: str
    as_of: date
    findings: tuple[Finding, ...]
    counts: SeverityCounts
    score: int  # 0..100, 100 = no finding (formula in README)
    transfers: tuple[TransferRoute, ...]


@dataclass(frozen=True, slots=True)
class RegisterAssessment:
    as_of: date
    processors: tuple[ProcessorAssessment, ...]  # ranked by risk, worst first
    counts: SeverityCounts
    score: int  # 0..100 (formula in README)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for p in self.processors for f in p.findings)


@dataclass(frozen=True, slots=True)
class Condition:
    """One plain condition of a procurement verdict, grouping findings."""

    key: str  # the group, e.g. "check_dpa" (register.compliance.conditions.GROUPS)
    when: str  # "blocking" | "before_go_live" | "first_review"
    text: Localised  # what to do, in plain words
    codes: tuple[str, ...]  # the finding codes it groups
    findings: int  # how many findings it groups


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    """A fact the request did not give, asked instead of answered "no"."""

    key: str
    text: Localised
    codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProcurementVerdict:
    # "approve" | "approve_with_conditions" | "reject"
    decision: str
    headline: Localised  # what to do, in one line
    conditions: tuple[Condition, ...]  # plain, grouped; blocking ones first
    questions: tuple[OpenQuestion, ...]  # facts to find out
    blocking: tuple[Finding, ...]  # the findings that make it "reject"
    details: tuple[Finding, ...]  # every finding, for the DPO
    assessment: ProcessorAssessment = field(compare=False)
