"""Who is calling: a bearer token on the JSON API, a session cookie on the pages.

The API takes tokens only (so it needs no CSRF protection); the pages take
the session cookie only (and every form carries a CSRF token).
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.base import DefineMiddleware

from register.accounts.store import account_for_api_token, load_account, session_for
from register.store.snapshots import request_revisions

SESSION_COOKIE = "register_session"
API_PREFIX = "/api/"
# Paths served to anyone (regular expressions, anchored: a bare "/" would match all).
# The calendar feed's secret address is its own credential (register/web/pages/calendar.py).
UNAUTHENTICATED_PATHS = ["^/login$", "^/static/", "^/schema", "^/health$", "^/calendar/",
                         # A vendor questionnaire's link is its own credential (register/web/pages/questionnaires.py).
                         "^/q/", "^/questionnaire-sent$"]


READ_METHODS = frozenset({"GET", "HEAD"})


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX)


class RegisterAuthentication(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        if is_api_path(connection.scope["path"]):
            return await self._by_token(connection)
        return await self._by_session(connection)

    async def _by_token(self, connection: ASGIConnection) -> AuthenticationResult:
        scheme, _, token = connection.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthorizedException("an API token is required: Authorization: Bearer <token>")
        found = await account_for_api_token(token.strip())
        if found is None:
            raise NotAuthorizedException("unknown or revoked API token")
        if connection.scope.get("method") in READ_METHODS:
            # A read's cached answers are labelled with the revisions read with the
            # token, at the start of the request (a write asks the database again).
            request_revisions.set(found.revisions)
        return AuthenticationResult(user=found.account, auth=None)

    async def _by_session(self, connection: ASGIConnection) -> AuthenticationResult:
        token = connection.cookies.get(SESSION_COOKIE)
        session = await session_for(token) if token else None
        account = await load_account(session.user_id) if session is not None else None
        if account is None or session is None:
            raise NotAuthorizedException("sign in first")
        return AuthenticationResult(user=account, auth=session)


authentication_middleware = DefineMiddleware(RegisterAuthentication, exclude=UNAUTHENTICATED_PATHS)
