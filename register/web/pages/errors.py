"""Refusals and errors on pages, as pages (the JSON API answers JSON)."""

from __future__ import annotations

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException
from litestar.response import Template
from litestar.status_codes import HTTP_400_BAD_REQUEST, HTTP_404_NOT_FOUND, HTTP_409_CONFLICT

from register.intake.model import IntakeError
from register.store.errors import Conflict, NotFound, StaleVersion, StoreError


def error_page(request: Request, status_code: int) -> Template:
    return Template(
        "error.html",
        status_code=status_code,
        context={"status_code": status_code, "account": request.scope.get("user")},
    )


def http_error(request: Request, error: HTTPException) -> Response:
    return error_page(request, error.status_code)


def store_error(request: Request, error: StoreError) -> Response:
    if isinstance(error, NotFound):
        return error_page(request, HTTP_404_NOT_FOUND)
    if isinstance(error, (StaleVersion, Conflict)):
        return error_page(request, HTTP_409_CONFLICT)
    return error_page(request, HTTP_400_BAD_REQUEST)


def intake_error(request: Request, error: IntakeError) -> Response:
    """A spreadsheet refused where no form can show why (the import pages show it in their form)."""
    return error_page(request, 413 if error.code == "too_large" else HTTP_400_BAD_REQUEST)


PAGE_EXCEPTION_HANDLERS = {
    IntakeError: intake_error,
    NotFoundException: http_error,
    PermissionDeniedException: http_error,
    StoreError: store_error,
}

