"""The calendar feed: its secret address, made, remade and revoked from the
account page, and the feed itself (public path, the token is the credential)."""

from __future__ import annotations

import anyio
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from register.accounts.store import load_account
from register.documents.calendar import agenda_calendar
from register.store import snapshots
from register.store.tasks import readable_organisations
from register.settings import site_url
from register.store.reminders import feed_owner, feed_status, new_feed_token, revoke_feed, user_agenda, user_language
from register.web.access import PUBLIC, SIGNED_IN
from register.web.pages.common import render, see_other, today

FEED_PATH = "/calendar/{feed_token:str}"
CALENDAR_MEDIA_TYPE = "text/calendar; charset=utf-8"


def site_of(request: Request) -> str:
    """``SITE_URL`` when set (behind a proxy), else the address the request came to."""
    return site_url(default=str(request.base_url))


def feed_url(request: Request, token: str) -> str:
    return f"{site_of(request)}/calendar/{token}.ics"


async def calendar_page(request: Request, new_token: str | None = None) -> Template:
    return await render(
        request,
        "account_calendar.html",
        section="calendar",
        feed=await feed_status(request.user.id),
        new_url=feed_url(request, new_token) if new_token else None,
    )


@get("/account/calendar", opt=SIGNED_IN)
async def calendar_settings(request: Request) -> Template:
    return await calendar_page(request)


@post("/account/calendar", opt=SIGNED_IN)
async def regenerate_feed(request: Request) -> Template:
    """A new secret address (shown once); the previous one stops working."""
    return await calendar_page(request, await new_feed_token(request.user.id))


@post("/account/calendar/revoke", opt=SIGNED_IN, status_code=303)
async def revoke(request: Request) -> Redirect:
    await revoke_feed(request.user.id)
    return see_other("/account/calendar")


@get(FEED_PATH, opt=PUBLIC, include_in_schema=False)
async def calendar_feed(request: Request, feed_token: FromPath[str]) -> Response:
    token = feed_token.removesuffix(".ics")
    user_id = await feed_owner(token)
    account = await load_account(user_id) if user_id is not None else None
    if account is None:
        raise NotFoundException("not found")
    body = await feed_body(account, await user_language(account.id), site_of(request))
    return Response(
        body,
        media_type=CALENDAR_MEDIA_TYPE,
        headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
    )


async def feed_body(account, language: str, site: str) -> bytes:
    """The feed, built once per state of the user's registers, language and day
    (calendar clients poll; each register's revision changes with every audited
    change, tasks included)."""
    day = today()
    readable = readable_organisations(account.memberships)
    revisions = tuple([(oid, await snapshots.organisation_revision(oid)) for oid in readable])
    key = ("calendar", account.id, tuple(sorted(account.memberships.items())), language, site, day)

    async def build() -> bytes:
        items = await user_agenda(account.id, account.memberships, day)
        return await anyio.to_thread.run_sync(agenda_calendar, items, language, site, day)  # CPU-bound

    return await snapshots.ANSWERS.get(key, revisions, build)


CALENDAR_HANDLERS = [calendar_settings, regenerate_feed, revoke, calendar_feed]
