"""Signing in and out of the web pages."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Response, Template

from register.accounts.store import LoginRefused, authenticate, close_session, open_session, purge_expired
from register.settings import cookies_secure
from register.web.access import PUBLIC, SIGNED_IN
from register.web.addresses import client_address
from register.web.authentication import SESSION_COOKIE
from litestar.datastructures import Cookie

SESSION_COOKIE_MAX_AGE = 12 * 3600
log = logging.getLogger("register.login")


@dataclass
class LoginForm:
    email: str = ""
    password: str = ""
    next: str = "/"
    lang: str = "fr"


def safe_next(target: str) -> str:
    """Only a path on this site: no scheme, no host, no protocol-relative URL."""
    if not target.startswith("/") or target.startswith("//") or "\\\\" in target:
        return "/"
    return target


def session_cookie(value: str, max_age: int) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=value,
        max_age=max_age,
        httponly=True,
        secure=cookies_secure(),
        samesite="lax",
        path="/",
    )


@get("/login", opt=PUBLIC, include_in_schema=False)
async def login_page(next: FromQuery[str] = "/") -> Template:
    return Template("login.html", context={"next": safe_next(next), "error": None, "email": ""})


@post("/login", opt=PUBLIC, include_in_schema=False, status_code=303)
async def login(
    request: Request,
    data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Response:
    address = client_address(request.scope)
    try:
        user_id = await authenticate(data.email, data.password, address)
    except LoginRefused as refusal:
        return Template(
            "login.html",
            context={"next": safe_next(data.next), "error": str(refusal), "email": data.email},
            status_code=401,
        )
    token = await open_session(user_id, language=data.lang if data.lang in ("fr", "en") else "fr")
    await purge_opportunistically()
    return Redirect(safe_next(data.next), status_code=303, cookies=[session_cookie(token, SESSION_COOKIE_MAX_AGE)])


async def purge_opportunistically() -> None:
    """Expired sessions and old attempts go at each sign-in (no scheduler needed; ``register purge``
    does the same). Best effort: a busy database must not turn a good sign-in into an error."""
    try:
        await purge_expired()
    except Exception:  # noqa: BLE001 - logged; the next sign-in or `register purge` retries
        log.warning("purge of expired sessions skipped", exc_info=True)


@post("/logout", opt=SIGNED_IN, include_in_schema=False, status_code=303)
async def logout(request: Request) -> Redirect:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await close_session(token)
    return Redirect("/login", status_code=303, cookies=[session_cookie("", 0)])


LOGIN_HANDLERS = [login_page, login, logout]
