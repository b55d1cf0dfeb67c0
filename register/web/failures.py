"""Unexpected failures: a 500 names a request id (logged with the traceback),
and a busy SQLite database answers 503 with Retry-After instead of waiting.

The id lets an operator find the traceback of the failure a user reports;
the answer itself says nothing of the cause.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3

from litestar import MediaType, Request, Response
from litestar.response import Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR, HTTP_503_SERVICE_UNAVAILABLE

from register.web.authentication import is_api_path

log = logging.getLogger("register.errors")

BUSY_RETRY_AFTER_SECONDS = 2
REQUEST_ID_HEADER = "X-Request-ID"


def new_request_id() -> str:
    return secrets.token_hex(8)


def failure_response(request: Request, status_code: int, detail: str, request_id: str, headers: dict) -> Response:
    headers = {REQUEST_ID_HEADER: request_id, **headers}
    if is_api_path(request.url.path):
        return Response(
            content={"status_code": status_code, "detail": detail, "request_id": request_id},
            status_code=status_code,
            media_type=MediaType.JSON,
            headers=headers,
        )
    return Template(
        "error.html",
        status_code=status_code,
        headers=headers,
        context={"status_code": status_code, "request_id": request_id, "account": request.scope.get("user")},
    )


def internal_error(request: Request, error: Exception) -> Response:
    request_id = new_request_id()
    log.error(
        "request %s failed: %s %s", request_id, request.method, request.url.path,
        exc_info=(type(error), error, error.__traceback__),
    )
    return failure_response(
        request, HTTP_500_INTERNAL_SERVER_ERROR, f"internal error (request id {request_id})", request_id, {}
    )


def is_busy(error: sqlite3.OperationalError) -> bool:
    message = str(error).lower()
    return "database is locked" in message or "database is busy" in message


def database_error(request: Request, error: sqlite3.OperationalError) -> Response:
    """SQLite's write lock not obtained within SQLITE_BUSY_TIMEOUT: try again shortly (503)."""
    if not is_busy(error):
        return internal_error(request, error)
    request_id = new_request_id()
    log.warning("request %s: database busy: %s %s", request_id, request.method, request.url.path)
    return failure_response(
        request,
        HTTP_503_SERVICE_UNAVAILABLE,
        f"the database is busy; retry in {BUSY_RETRY_AFTER_SECONDS} s",
        request_id,
        {"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
    )


FAILURE_HANDLERS = {
    HTTP_500_INTERNAL_SERVER_ERROR: internal_error,
    sqlite3.OperationalError: database_error,
}
