"""Scores and ranking.

Processor score: ``max(0, 100 - 40·critical - 15·high - 5·medium - 1·low)``.
Every finding costs points and none gives any back, so more findings, or a
finding made more severe, never raise the score.

Register score: the mean of the scores of the processors under assessment
(statuses proposed, under review, approved), rounded down so the register
never looks better than its processors; 100 for a register with none.

Ranking, worst first: lowest score, then most critical findings, then most
high ones, then name (case-insensitive), then id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from register.compliance.model import Finding
from register.compliance.results import ProcessorAssessment, SeverityCounts
from register.vocabulary import Severity

SEVERITY_WEIGHTS: Mapping[Severity, int] = MappingProxyType(
    {Severity.CRITICAL: 40, Severity.HIGH: 15, Severity.MEDIUM: 5, Severity.LOW: 1}
)
SEVERITY_ORDER: Mapping[Severity, int] = MappingProxyType(
    {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}
)
MAX_SCORE = 100


# Plain dicts and names for the hot loops (a mapping proxy and ``Severity.value``
# cost a Python-level call per use).
_ORDER = dict(SEVERITY_ORDER)
_FIELD_WEIGHTS = tuple((severity.value, weight) for severity, weight in SEVERITY_WEIGHTS.items())
_ZERO_TALLY = dict.fromkeys(Severity, 0)


def count_by_severity(findings: Iterable[Finding]) -> SeverityCounts:
    tally = _ZERO_TALLY.copy()
    for finding in findings:
        tally[finding.severity] += 1
    return SeverityCounts(
        tally[Severity.CRITICAL], tally[Severity.HIGH], tally[Severity.MEDIUM], tally[Severity.LOW]
    )


def add_counts(counts: Iterable[SeverityCounts]) -> SeverityCounts:
    critical = high = medium = low = 0
    for c in counts:
        critical += c.critical
        high += c.high
        medium += c.medium
        low += c.low
    return SeverityCounts(critical=critical, high=high, medium=medium, low=low)


def processor_score(counts: SeverityCounts) -> int:
    penalty = sum(weight * getattr(counts, name) for name, weight in _FIELD_WEIGHTS)
    return max(0, MAX_SCORE - penalty)


def register_score(processor_scores: Sequence[int]) -> int:
    if not processor_scores:
        return MAX_SCORE
    return sum(processor_scores) // len(processor_scores)


def risk_rank_key(assessment: ProcessorAssessment) -> tuple:
    """Sort key putting the riskiest processor first."""
    counts = assessment.counts
    return (
        assessment.score,
        -counts.critical,
        -counts.high,
        assessment.processor_name.casefold(),
        assessment.processor_id if assessment.processor_id is not None else -1,
    )


def by_severity(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings, most severe first (rule order kept within a severity)."""
    order = _ORDER
    return tuple(sorted(findings, key=lambda f: order[f.severity]))
