"""What the pages summarise from the core's results: the severity chart's
geometry, where the data goes by country, what falls due soon, the processor
list's filters, sorting and pages. Plain functions of plain values."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable, Mapping, Sequence

from register.compliance.model import Finding, Processor
from register.compliance.results import ProcessorAssessment, RegisterAssessment, SeverityCounts
from register.vocabulary import Severity

SEVERITIES = tuple(Severity)  # most severe first
DUE_WINDOW_DAYS = 90


# ------------------------------------------------------------------ severity chart


@dataclass(frozen=True, slots=True)
class Bar:
    severity: str
    count: int
    y: int
    width: int  # in the chart's units (0..BAR_SPACE)
    label_x: int


CHART_WIDTH, CHART_LABEL, CHART_ROW, CHART_BAR = 320, 78, 30, 20
BAR_SPACE = CHART_WIDTH - CHART_LABEL - 40


def severity_bars(counts: SeverityCounts) -> list[Bar]:
    """Horizontal bars, one per severity, scaled to the largest count."""
    largest = max((counts.of(s) for s in SEVERITIES), default=0)
    bars = []
    for index, severity in enumerate(SEVERITIES):
        count = counts.of(severity)
        width = round(BAR_SPACE * count / largest) if largest else 0
        width = max(width, 2) if count else 0
        bars.append(Bar(severity.value, count, index * CHART_ROW, width, CHART_LABEL + width + 6))
    return bars


def chart_height() -> int:
    return len(SEVERITIES) * CHART_ROW


@dataclass(frozen=True, slots=True)
class Gauge:
    score: int
    circumference: float
    filled: float
    tone: str  # "good" | "fair" | "poor"


GAUGE_RADIUS = 42


def score_gauge(score: int) -> Gauge:
    circumference = 2 * math.pi * GAUGE_RADIUS
    tone = "good" if score >= 80 else "fair" if score >= 50 else "poor"
    return Gauge(score, round(circumference, 2), round(circumference * score / 100, 2), tone)


def first_to_fix(findings: Iterable[Finding], limit: int = 8) -> list[Finding]:
    """The most severe findings (critical, then high), riskiest processors first."""
    rank = {severity: index for index, severity in enumerate(SEVERITIES)}
    urgent = [f for f in findings if f.severity in (Severity.CRITICAL, Severity.HIGH)]
    return sorted(urgent, key=lambda f: rank[f.severity])[:limit]  # stable: keeps the processor ranking


def worst_severity(counts: SeverityCounts) -> str | None:
    return next((s.value for s in SEVERITIES if counts.of(s)), None)


# ------------------------------------------------------------------ where the data goes


@dataclass
class Destination:
    country: str
    name_fr: str
    name_en: str
    # the least favourable basis seen: "none" | "unknown" | "negotiating" |
    # "derogation" | "safeguard" | "adequacy" | "eea"
    basis: str
    processors: set[int] = field(default_factory=set)
    covered: int = 0
    uncovered: int = 0
    negotiating: int = 0  # flows not covered only because their tool is not signed yet

    @property
    def processor_count(self) -> int:
        return len(self.processors)

    @property
    def status(self) -> str:
        """"gap" when a flow there is not covered, "negotiating" when the only
        flows not covered wait for a tool's signature, else how the flows are covered."""
        if self.uncovered > self.negotiating:
            return "gap"
        if self.negotiating:
            return "negotiating"
        return self.basis

    def name(self, language: str) -> str:
        return self.name_fr if language == "fr" else self.name_en


_BASIS_ORDER = {"none": 0, "unknown": 1, "negotiating": 2, "derogation": 3, "safeguard": 4, "adequacy": 5, "eea": 6}


def destinations(assessment: RegisterAssessment) -> list[Destination]:
    """Countries the register's data reaches: processors, covered and uncovered flows;
    gaps first, then by number of processors."""
    by_country: dict[str, Destination] = {}
    for processor in assessment.processors:
        for route in processor.transfers:
            entry = by_country.get(route.country)
            if entry is None:
                entry = by_country[route.country] = Destination(
                    route.country, route.country_name.fr, route.country_name.en, route.basis
                )
            if _BASIS_ORDER.get(route.basis, 0) < _BASIS_ORDER.get(entry.basis, 0):
                entry.basis = route.basis
            if processor.processor_id is not None:
                entry.processors.add(processor.processor_id)
            if route.covered:
                entry.covered += 1
            else:
                entry.uncovered += 1
                entry.negotiating += route.coverage == "being_negotiated"
    return sorted(
        by_country.values(),
        key=lambda d: (d.status not in ("gap", "negotiating"), d.status != "gap", d.basis == "eea", -d.processor_count, d.country),
    )


# ------------------------------------------------------------------ falling due


@dataclass(frozen=True, slots=True)
class DueItem:
    kind: str  # "review" | "agreement_end"
    processor_id: int | None
    processor_name: str
    due_on: date
    overdue: bool


def falling_due(
    processors: Iterable[Processor], today: date, window_days: int = DUE_WINDOW_DAYS
) -> list[DueItem]:
    """Reviews and agreement ends in the next ``window_days`` days (and overdue reviews)."""
    until = today + timedelta(days=window_days)
    items = []
    for processor in processors:
        review = processor.next_review_on
        if review is not None and review <= until:
            items.append(DueItem("review", processor.id, processor.display_name, review, review < today))
        agreement = processor.agreement
        if agreement is not None and agreement.ends_on is not None and today <= agreement.ends_on <= until:
            items.append(DueItem("agreement_end", processor.id, processor.display_name, agreement.ends_on, False))
    return sorted(items, key=lambda item: (item.due_on, item.processor_name))


# ------------------------------------------------------------------ the processor list


SORTS = ("name", "risk", "status", "review")
PER_PAGE = 25


@dataclass(frozen=True, slots=True)
class ListQuery:
    q: str = ""
    status: str = ""
    category: str = ""
    country: str = ""
    severity: str = ""
    sort: str = "name"
    page: int = 1

    @property
    def filtered(self) -> bool:
        return bool(self.q or self.status or self.category or self.country or self.severity)

    def with_page(self, page: int) -> dict[str, str]:
        """Query parameters of another page of the same list."""
        values = {
            "q": self.q, "status": self.status, "category": self.category,
            "country": self.country, "severity": self.severity, "sort": self.sort,
        }
        return {**{k: v for k, v in values.items() if v}, "page": str(page)}


@dataclass(frozen=True, slots=True)
class ProcessorRow:
    processor: Processor
    assessment: ProcessorAssessment

    @property
    def worst(self) -> str | None:
        return worst_severity(self.assessment.counts)

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.country for r in self.assessment.transfers if r.country))

    @property
    def review_overdue(self) -> bool:
        """The core's finding decides (a rejected or offboarded processor is never overdue)."""
        return any(f.code == "REVIEW_OVERDUE" for f in self.assessment.findings)


@dataclass(frozen=True, slots=True)
class Paged:
    rows: tuple
    total: int
    page: int
    pages: int


def _matches(row: ProcessorRow, query: ListQuery) -> bool:
    processor = row.processor
    if query.q and query.q.casefold() not in f"{processor.legal_name} {processor.trade_name}".casefold():
        return False
    if query.status and processor.status.value != query.status:
        return False
    if query.category and processor.category.value != query.category:
        return False
    if query.country and query.country not in (
        {processor.headquarters_country} | {loc.country for loc in processor.locations} | set(row.countries)
    ):
        return False
    if query.severity and not any(f.severity.value == query.severity for f in row.assessment.findings):
        return False
    return True


_SORT_KEYS = {
    "name": lambda row: (row.processor.display_name.casefold(), row.processor.id or 0),
    "risk": lambda row: (row.assessment.score, row.processor.display_name.casefold()),
    "status": lambda row: (row.processor.status.value, row.processor.display_name.casefold()),
    "review": lambda row: (row.processor.next_review_on or date.max, row.processor.display_name.casefold()),
}


def paginate(items: Sequence, page: int, per_page: int) -> Paged:
    pages = max(1, math.ceil(len(items) / per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    return Paged(tuple(items[start:start + per_page]), len(items), page, pages)


def processor_list(
    processors: Sequence[Processor], assessment: RegisterAssessment, query: ListQuery, per_page: int = PER_PAGE
) -> Paged:
    """The processors matching ``query``, sorted, one page of them."""
    assessed = {a.processor_id: a for a in assessment.processors}
    rows = [ProcessorRow(p, assessed[p.id]) for p in processors if p.id in assessed]
    rows = [row for row in rows if _matches(row, query)]
    rows.sort(key=_SORT_KEYS.get(query.sort, _SORT_KEYS["name"]))
    return paginate(rows, query.page, per_page)


# ------------------------------------------------------------------ findings


@dataclass(frozen=True, slots=True)
class FindingQuery:
    severity: str = ""
    code: str = ""
    processor: int | None = None
    page: int = 1

    def with_page(self, page: int) -> dict[str, str]:
        values = {"severity": self.severity, "code": self.code, "processor": str(self.processor or "")}
        return {**{k: v for k, v in values.items() if v}, "page": str(page)}


def select_findings(findings: Iterable[Finding], query: FindingQuery) -> list[Finding]:
    return [
        f for f in findings
        if (not query.severity or f.severity.value == query.severity)
        and (not query.code or f.code == query.code)
        and (query.processor is None or f.processor_id == query.processor)
    ]


def finding_codes(findings: Iterable[Finding]) -> list[str]:
    return sorted({f.code for f in findings})


def counts_by_code(findings: Iterable[Finding]) -> Mapping[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for finding in findings:
        counts[finding.code] += 1
    return counts
