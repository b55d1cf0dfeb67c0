"""The start page (organisations of the caller) and the caller's preferences:
UI language and current organisation, kept in the session."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from register.accounts.store import update_session
from register.store.reminders import set_user_language
from register.web.access import SIGNED_IN
from register.web.login import safe_next
from register.web.pages.common import render, see_other
from register.i18n import LANGUAGES


def organisation_path(organisation_id: int) -> str:
    return f"/organisations/{organisation_id}"


@get("/", include_in_schema=False, opt=SIGNED_IN)
async def home(request: Request) -> Template | Redirect:
    """The current organisation's dashboard, or the list to choose one from."""
    memberships = request.user.memberships
    current = getattr(request.auth, "organisation_id", None)
    if current in memberships:
        return see_other(organisation_path(current))
    if len(memberships) == 1:
        return see_other(organisation_path(next(iter(memberships))))
    return await render(request, "home.html", section="home")


@post("/preferences/language", include_in_schema=False, opt=SIGNED_IN, status_code=303)
async def choose_language(request: Request) -> Redirect:
    form = await request.form()
    chosen = form.get("language", "")
    if chosen in LANGUAGES:
        await update_session(request.auth.id, language=chosen)
        await set_user_language(request.user.id, chosen)  # the reminders' language (feed, digest)
    return see_other(safe_next(str(form.get("next", "/"))))


@post("/preferences/organisation", include_in_schema=False, opt=SIGNED_IN, status_code=303)
async def choose_organisation(request: Request) -> Redirect:
    form = await request.form()
    chosen = str(form.get("organisation_id", ""))
    if not chosen.isdigit() or int(chosen) not in request.user.memberships:
        return see_other("/")
    await update_session(request.auth.id, organisation_id=int(chosen))
    return see_other(organisation_path(int(chosen)))


HOME_HANDLERS = [home, choose_language, choose_organisation]
