"""A portfolio of client organisations, for a DPO serving several: each client's
figures (score, critical findings, what is overdue, what falls due, what waits
for a decision), what the caller's role in that client may see of them, and the
list filtered and sorted.

Pure: the figures are computed from the client's register, its assessment and
its tasks' states; the store gathers those (one query each for every client at
once) and the web layer says which role reads what.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from register.compliance.model import Processor
from register.compliance.remediation import ACTIVE_STATES, TaskState
from register.compliance.results import RegisterAssessment
from register.vocabulary import Role

AGREEMENT_WINDOW_DAYS = 90  # DPAs ending within this many days are listed
REVIEW_OVERDUE = "REVIEW_OVERDUE"

# The figures, in the order the page, the API and the reports show them.
REGISTER_FIGURES = (
    "score",
    "critical_findings",
    "overdue_reviews",
    "open_tasks",
    "overdue_tasks",
    "agreements_ending",
    "pending_notices",
)
PROCUREMENT_FIGURES = ("pending_requests",)
FIGURES = (
    "score",
    "critical_findings",
    "overdue_reviews",
    "open_tasks",
    "overdue_tasks",
    "agreements_ending",
    "pending_requests",
    "pending_notices",
)
SORTS = ("name", "role", *FIGURES)
ROLE_ORDER = {role: index for index, role in enumerate((Role.ADMIN, Role.DPO, Role.AUDITOR, Role.PROCUREMENT))}


@dataclass(frozen=True, slots=True)
class ClientFigures:
    """Everything the portfolio says of one client, as of one day (before any role's view)."""

    score: int
    critical_findings: int
    overdue_reviews: int  # processors whose review is overdue (the core's REVIEW_OVERDUE)
    open_tasks: int  # remediation tasks open or in progress today
    overdue_tasks: int  # of those, past their due date
    agreements_ending: int  # DPAs ending from today to AGREEMENT_WINDOW_DAYS days ahead
    next_agreement_end: date | None  # the first of those ends
    pending_requests: int  # procurement requests awaiting a decision
    pending_notices: int  # sub-processor notices awaiting a decision


def agreements_ending(processors: Iterable[Processor], as_of: date) -> list[date]:
    """End dates of the DPAs ending from ``as_of`` to ``AGREEMENT_WINDOW_DAYS`` days later, soonest first
    (the dashboard's "falling due" window)."""
    until = as_of + timedelta(days=AGREEMENT_WINDOW_DAYS)
    ends = []
    for processor in processors:
        agreement = processor.agreement
        if agreement is not None and agreement.ends_on is not None and as_of <= agreement.ends_on <= until:
            ends.append(agreement.ends_on)
    return sorted(ends)


def client_figures(
    processors: Iterable[Processor],
    assessment: RegisterAssessment,
    task_states: Iterable[tuple[TaskState, bool]],
    *,
    pending_requests: int,
    pending_notices: int,
    as_of: date,
) -> ClientFigures:
    """One client's figures. ``task_states`` holds each task's (state today, overdue)."""
    overdue_reviews = sum(
        1 for p in assessment.processors if any(f.code == REVIEW_OVERDUE for f in p.findings)
    )
    open_tasks = overdue_tasks = 0
    for state, overdue in task_states:
        if state in ACTIVE_STATES:
            open_tasks += 1
            overdue_tasks += bool(overdue)
    ends = agreements_ending(processors, as_of)
    return ClientFigures(
        score=assessment.score,
        critical_findings=assessment.counts.critical,
        overdue_reviews=overdue_reviews,
        open_tasks=open_tasks,
        overdue_tasks=overdue_tasks,
        agreements_ending=len(ends),
        next_agreement_end=ends[0] if ends else None,
        pending_requests=pending_requests,
        pending_notices=pending_notices,
    )


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    """One client as the caller's role there may see it: a figure the role may
    not read is ``None`` (shown "—"), never a number."""

    organisation_id: int
    name: str
    role: Role
    reads_register: bool
    reads_procurement: bool
    score: int | None
    critical_findings: int | None
    overdue_reviews: int | None
    open_tasks: int | None
    overdue_tasks: int | None
    agreements_ending: int | None
    next_agreement_end: date | None
    pending_requests: int | None
    pending_notices: int | None

    def figure(self, name: str) -> int | None:
        return getattr(self, name)

    @property
    def overdue_items(self) -> int | None:
        """Overdue reviews and overdue tasks (``None`` when the role reads neither)."""
        if not self.reads_register:
            return None
        return (self.overdue_reviews or 0) + (self.overdue_tasks or 0)


def portfolio_row(
    organisation_id: int,
    name: str,
    role: Role,
    figures: ClientFigures,
    *,
    reads_register: bool,
    reads_procurement: bool,
) -> PortfolioRow:
    """The client's row with only what the role may read (the caller decides the two flags
    from the role's permissions)."""

    def shown(figure: str, allowed: bool) -> int | None:
        return getattr(figures, figure) if allowed else None

    return PortfolioRow(
        organisation_id=organisation_id,
        name=name,
        role=role,
        reads_register=reads_register,
        reads_procurement=reads_procurement,
        **{figure: shown(figure, reads_register) for figure in REGISTER_FIGURES},
        next_agreement_end=figures.next_agreement_end if reads_register else None,
        pending_requests=shown("pending_requests", reads_procurement),
    )


@dataclass(frozen=True, slots=True)
class PortfolioQuery:
    q: str = ""  # the name contains it, ignoring case
    critical_only: bool = False
    overdue_only: bool = False
    role: Role | None = None
    sort: str = "name"
    descending: bool = False

    @property
    def filtered(self) -> bool:
        return bool(self.q or self.critical_only or self.overdue_only or self.role)


def _matches(row: PortfolioRow, query: PortfolioQuery) -> bool:
    if query.q and query.q.casefold() not in row.name.casefold():
        return False
    if query.critical_only and not row.critical_findings:
        return False
    if query.overdue_only and not row.overdue_items:
        return False
    return query.role is None or row.role == query.role


def _name_key(row: PortfolioRow) -> tuple[str, int]:
    return row.name.casefold(), row.organisation_id


def select_rows(rows: Iterable[PortfolioRow], query: PortfolioQuery) -> list[PortfolioRow]:
    """The rows the filters keep, sorted by ``query.sort`` (ties by name). Figures the
    role may not read come last in either direction: they are not zeros."""
    if query.sort not in SORTS:
        raise ValueError(f"unknown sort {query.sort!r}")
    kept = sorted((row for row in rows if _matches(row, query)), key=_name_key)
    if query.sort == "name":
        return kept[::-1] if query.descending else kept
    if query.sort == "role":
        return sorted(kept, key=lambda row: ROLE_ORDER[row.role], reverse=query.descending)
    known = [row for row in kept if row.figure(query.sort) is not None]
    unknown = [row for row in kept if row.figure(query.sort) is None]
    # A stable sort, also in reverse: equal figures keep the name order.
    return sorted(known, key=lambda row: row.figure(query.sort), reverse=query.descending) + unknown


@dataclass(frozen=True, slots=True)
class PortfolioTotals:
    organisations: int
    with_critical_findings: int
    with_overdue_items: int
    critical_findings: int
    overdue_reviews: int
    overdue_tasks: int
    agreements_ending: int
    pending_requests: int
    pending_notices: int


def portfolio_totals(rows: Sequence[PortfolioRow]) -> PortfolioTotals:
    """Sums over the rows (a figure the role may not read counts for nothing)."""

    def total(figure: str) -> int:
        return sum(row.figure(figure) or 0 for row in rows)

    return PortfolioTotals(
        organisations=len(rows),
        with_critical_findings=sum(1 for row in rows if row.critical_findings),
        with_overdue_items=sum(1 for row in rows if row.overdue_items),
        critical_findings=total("critical_findings"),
        overdue_reviews=total("overdue_reviews"),
        overdue_tasks=total("overdue_tasks"),
        agreements_ending=total("agreements_ending"),
        pending_requests=total("pending_requests"),
        pending_notices=total("pending_notices"),
    )
