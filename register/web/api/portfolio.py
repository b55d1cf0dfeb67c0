"""The caller's portfolio in the JSON API: every organisation in which the caller
holds a role, with its figures as that role may read them (``null`` where it may
not), filtered and sorted like the page; and the portfolio report (.docx, .xlsx)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter

from register.compliance.portfolio import SORTS, PortfolioQuery, PortfolioRow, select_rows
from register.schemas import NO_NUL
from register.vocabulary import Role
from register.web.access import SIGNED_IN
from register.web.api.documents import Language, attachment
from register.web.pages.common import today
from register.web.pages.portfolio import MAX_QUERY_LENGTH, my_portfolio, portfolio_report

Sort = Literal[SORTS]  # type: ignore[valid-type]
NameQuery = Annotated[
    str, QueryParameter(max_length=MAX_QUERY_LENGTH, pattern=NO_NUL, description="the client's name contains it (any case)")
]
CriticalOnly = Annotated[bool, QueryParameter(description="true: only the clients with critical findings")]
OverdueOnly = Annotated[
    bool, QueryParameter(description="true: only the clients with overdue reviews or overdue remediation tasks")
]
RoleFilter = Annotated[Role | None, QueryParameter(description="only the clients where the caller has this role")]
SortBy = Annotated[Sort, QueryParameter(description="the column to sort by (ties by name)")]
Order = Annotated[
    Literal["asc", "desc"],
    QueryParameter(description="asc (default) or desc; figures the caller's role may not read come last"),
]


@dataclass(frozen=True, slots=True)
class Readable:
    register: bool  # score, findings, reviews, tasks, DPAs, sub-processor notices
    procurement: bool  # pending procurement requests


@dataclass(frozen=True, slots=True)
class ClientAnswer:
    """One client; a figure is ``null`` when the caller's role there may not read it."""

    id: int
    name: str
    role: Role
    readable: Readable
    score: int | None
    critical_findings: int | None
    overdue_reviews: int | None
    open_tasks: int | None
    overdue_tasks: int | None
    agreements_ending: int | None  # DPAs ending within 90 days
    next_agreement_end: date | None
    pending_requests: int | None
    pending_notices: int | None
    page: str  # the client's register in the web app (opening it makes it the current organisation)


@dataclass(frozen=True, slots=True)
class PortfolioAnswer:
    as_of: date
    total: int  # the caller's organisations, before the filters
    organisations: list[ClientAnswer]


def client_answer(row: PortfolioRow) -> ClientAnswer:
    return ClientAnswer(
        id=row.organisation_id,
        name=row.name,
        role=row.role,
        readable=Readable(register=row.reads_register, procurement=row.reads_procurement),
        score=row.score,
        critical_findings=row.critical_findings,
        overdue_reviews=row.overdue_reviews,
        open_tasks=row.open_tasks,
        overdue_tasks=row.overdue_tasks,
        agreements_ending=row.agreements_ending,
        next_agreement_end=row.next_agreement_end,
        pending_requests=row.pending_requests,
        pending_notices=row.pending_notices,
        page=f"/organisations/{row.organisation_id}/open",
    )


def api_query(q: str, critical: bool, overdue: bool, role: Role | None, sort: str, order: str) -> PortfolioQuery:
    return PortfolioQuery(
        q=q.strip(), critical_only=critical, overdue_only=overdue, role=role, sort=sort, descending=order == "desc"
    )


class PortfolioController(Controller):
    path = "/api/v1/portfolio"
    tags = ["portfolio"]

    @get("/", opt=SIGNED_IN)
    async def portfolio(
        self,
        request: Request,
        q: NameQuery = "",
        critical: CriticalOnly = False,
        overdue: OverdueOnly = False,
        role: RoleFilter = None,
        sort: SortBy = "name",
        order: Order = "asc",
    ) -> PortfolioAnswer:
        """Every organisation in which the caller holds a role, with its figures as of today."""
        as_of = today()
        rows = await my_portfolio(request.user, as_of)
        chosen = select_rows(rows, api_query(q, critical, overdue, role, sort, order))
        return PortfolioAnswer(as_of=as_of, total=len(rows), organisations=[client_answer(row) for row in chosen])

    @get("/report.docx", opt=SIGNED_IN)
    async def report_docx(
        self,
        request: Request,
        lang: Language = "fr",
        q: NameQuery = "",
        critical: CriticalOnly = False,
        overdue: OverdueOnly = False,
        role: RoleFilter = None,
        sort: SortBy = "name",
        order: Order = "asc",
    ) -> Response[bytes]:
        """The portfolio report (Word), with the same filters and order."""
        query = api_query(q, critical, overdue, role, sort, order)
        return attachment(await portfolio_report(request.user, query, "docx", lang))

    @get("/report.xlsx", opt=SIGNED_IN)
    async def report_xlsx(
        self,
        request: Request,
        lang: Language = "fr",
        q: NameQuery = "",
        critical: CriticalOnly = False,
        overdue: OverdueOnly = False,
        role: RoleFilter = None,
        sort: SortBy = "name",
        order: Order = "asc",
    ) -> Response[bytes]:
        """The portfolio report (Excel: one sheet, numbers as numbers, dates as dates), same filters and order."""
        query = api_query(q, critical, overdue, role, sort, order)
        return attachment(await portfolio_report(request.user, query, "xlsx", lang))
