"""The portfolio: every client organisation of the signed-in user on one page,
with its figures as the user's role there may read them, sortable and
filterable; the portfolio report (.docx, .xlsx); and the link that opens a
client's register and makes it the session's current organisation.

The rows are built here for the page and the JSON API alike
(:func:`my_portfolio`): only the user's organisations, each figure only if the
user's role in that organisation has the permission that reads it today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from urllib.parse import urlencode

import anyio.to_thread
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from register.accounts.store import Account, update_session
from register.compliance.portfolio import (
    FIGURES,
    SORTS,
    PortfolioQuery,
    PortfolioRow,
    portfolio_row,
    portfolio_totals,
    select_rows,
)
from register.documents.portfolio_report import portfolio_report_docx, portfolio_report_xlsx, report_filename
from register.documents.service import DOCX, XLSX, GeneratedDocument
from register.store.portfolio import portfolio_clients
from register.vocabulary import Role
from register.web.access import SIGNED_IN, Access, Permission, requires, role_allows
from register.web.pages.common import language, render, see_other, today
from register.web.pages.documents import Language, attachment
from register.web.pages.home import organisation_path

# Where "open" may lead inside a client's register (the target page checks the role again).
OPEN_TARGETS = {
    "": "",
    "findings": "/findings",
    "critical": "/findings?severity=critical",
    "tasks": "/tasks",
    "procurement": "/procurement",
    "processors": "/processors",
}
MAX_QUERY_LENGTH = 200


async def my_portfolio(account: Account, as_of: date) -> list[PortfolioRow]:
    """The user's client organisations with their figures, each as the user's role there may read them."""
    memberships = account.memberships
    clients = await portfolio_clients(memberships, as_of)
    rows = []
    for client in clients:
        role = memberships.get(client.organisation_id)
        if role is None:  # not a member (never asked for): nothing of it is shown
            continue
        rows.append(portfolio_row(
            client.organisation_id,
            client.name,
            role,
            client.figures,
            reads_register=role_allows(role, Permission.READ_REGISTER),
            reads_procurement=role_allows(role, Permission.READ_PROCUREMENT),
        ))
    return rows


def page_query(q: str, critical: str, overdue: str, role: str, sort: str, order: str) -> PortfolioQuery:
    """Unknown filter values are ignored rather than refused (a hand-edited URL still shows the list)."""
    return PortfolioQuery(
        q=q.strip()[:MAX_QUERY_LENGTH],
        critical_only=critical in ("1", "true", "on"),
        overdue_only=overdue in ("1", "true", "on"),
        role=Role(role) if role in Role._value2member_map_ else None,
        sort=sort if sort in SORTS else "name",
        descending=order == "desc",
    )


def query_parameters(query: PortfolioQuery, **changes: str) -> dict[str, str]:
    """The query as URL parameters (only what differs from the defaults), with ``changes``."""
    values = {
        "q": query.q,
        "critical": "1" if query.critical_only else "",
        "overdue": "1" if query.overdue_only else "",
        "role": query.role.value if query.role else "",
        "sort": query.sort if query.sort != "name" else "",
        "order": "desc" if query.descending else "",
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value}


@dataclass(frozen=True, slots=True)
class SortLink:
    column: str
    href: str
    current: str  # "ascending" | "descending" | "" (aria-sort)


def sort_links(query: PortfolioQuery) -> dict[str, SortLink]:
    """Each column header's link: sorts by it ascending, or flips the order when it is the current sort."""
    links = {}
    for column in SORTS:
        if column == query.sort:
            order = "" if query.descending else "desc"
            current = "descending" if query.descending else "ascending"
        else:
            # Figures read best worst first: critical findings, overdue items… descending; the score ascending.
            order = "desc" if column in FIGURES and column != "score" else ""
            current = ""
        parameters = query_parameters(query, sort=column if column != "name" else "", order=order)
        if column == "name" and order == "":
            parameters.pop("sort", None)
        links[column] = SortLink(column, "/portfolio" + ("?" + urlencode(parameters) if parameters else ""), current)
    return links


@get("/portfolio", include_in_schema=False, opt=SIGNED_IN)
async def portfolio_page(
    request: Request,
    q: FromQuery[str] = "",
    critical: FromQuery[str] = "",
    overdue: FromQuery[str] = "",
    role: FromQuery[str] = "",
    sort: FromQuery[str] = "",
    order: FromQuery[str] = "",
) -> Template:
    query = page_query(q, critical, overdue, role, sort, order)
    as_of = today()
    every_row = await my_portfolio(request.user, as_of)
    rows = select_rows(every_row, query)
    download_query = urlencode(query_parameters(query))
    return await render(
        request,
        "portfolio.html",
        section="portfolio",
        query=query,
        rows=rows,
        total=len(every_row),
        totals=portfolio_totals(rows),
        sorts=sort_links(query),
        roles=[r for r in Role if any(row.role == r for row in every_row)],
        download_query=("&" + download_query) if download_query else "",
        any_hidden=any(not (row.reads_register and row.reads_procurement) for row in rows),
        as_of=as_of,
    )


def build_report(
    rows: list[PortfolioRow], file_format: str, *, prepared_for: str, as_of: date, language_code: str, filtered: bool
) -> GeneratedDocument:
    if file_format == "docx":
        content = portfolio_report_docx(
            rows, prepared_for=prepared_for, as_of=as_of, language=language_code, filtered=filtered
        )
        return GeneratedDocument(report_filename(as_of, language_code, "docx"), DOCX, content)
    content = portfolio_report_xlsx(rows, as_of=as_of, language=language_code)
    return GeneratedDocument(report_filename(as_of, language_code, "xlsx"), XLSX, content)


async def portfolio_report(
    account: Account, query: PortfolioQuery, file_format: str, language_code: str
) -> GeneratedDocument:
    """The report of the user's portfolio as the page shows it with ``query``, built off the event loop."""
    as_of = today()
    rows = select_rows(await my_portfolio(account, as_of), query)
    build = partial(
        build_report, rows, file_format, prepared_for=account.display_name or account.email, as_of=as_of,
        language_code=language_code, filtered=query.filtered,
    )  # fmt: skip
    return await anyio.to_thread.run_sync(build)


@get("/portfolio/report.docx", include_in_schema=False, opt=SIGNED_IN)
async def portfolio_docx(
    request: Request,
    lang: FromQuery[Language] = None,
    q: FromQuery[str] = "",
    critical: FromQuery[str] = "",
    overdue: FromQuery[str] = "",
    role: FromQuery[str] = "",
    sort: FromQuery[str] = "",
    order: FromQuery[str] = "",
) -> Response[bytes]:
    """The portfolio report as a Word document, with the page's filters and order."""
    query = page_query(q, critical, overdue, role, sort, order)
    return attachment(await portfolio_report(request.user, query, "docx", lang or language(request)))


@get("/portfolio/report.xlsx", include_in_schema=False, opt=SIGNED_IN)
async def portfolio_xlsx(
    request: Request,
    lang: FromQuery[Language] = None,
    q: FromQuery[str] = "",
    critical: FromQuery[str] = "",
    overdue: FromQuery[str] = "",
    role: FromQuery[str] = "",
    sort: FromQuery[str] = "",
    order: FromQuery[str] = "",
) -> Response[bytes]:
    """The portfolio report as a spreadsheet, with the page's filters and order."""
    query = page_query(q, critical, overdue, role, sort, order)
    return attachment(await portfolio_report(request.user, query, "xlsx", lang or language(request)))


@get("/organisations/{organisation_id:int}/open", include_in_schema=False, opt=requires(Permission.MEMBER))
async def open_client(
    request: Request, organisation_id: FromPath[int], access: NamedDependency[Access], to: FromQuery[str] = ""
) -> Redirect:
    """Open a client's register from the portfolio: it becomes the session's current
    organisation (as the switcher would make it), then its page is shown. The guard
    has checked the membership (another organisation answers 404)."""
    await update_session(request.auth.id, organisation_id=access.organisation_id)
    return see_other(organisation_path(access.organisation_id) + OPEN_TARGETS.get(to, ""))


PORTFOLIO_HANDLERS = [portfolio_page, portfolio_docx, portfolio_xlsx, open_client]
