"""Store errors as HTTP answers; validation errors keep the field they name."""

from __future__ import annotations

import re

from litestar import MediaType, Request, Response
from urllib.parse import quote

from litestar.exceptions import NotAuthorizedException, ValidationException
from litestar.response import Redirect
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
)

from register.intake.model import IntakeError

from register.web.authentication import is_api_path
from register.store.errors import Conflict, InvalidReference, NotFound, StaleVersion, StoreError
from register.store.files import FileRefused

STATUS_OF = {
    NotFound: HTTP_404_NOT_FOUND,
    StaleVersion: HTTP_409_CONFLICT,
    Conflict: HTTP_409_CONFLICT,
    InvalidReference: HTTP_400_BAD_REQUEST,
}

# Messages from our own checks start with the field they are about: "country: …"
FIELD_PREFIX = re.compile(r"^(?P<field>[A-Za-z_][\w\[\]\.]*): ")


def store_error_response(request: Request, error: StoreError) -> Response:
    status = STATUS_OF.get(type(error), HTTP_400_BAD_REQUEST)
    if isinstance(error, FileRefused):  # 400, 413 or 415
        status = error.status
    content: dict = {"status_code": status, "detail": str(error)}
    if isinstance(error, (InvalidReference, FileRefused)):
        content["extra"] = [{"message": str(error), "key": error.field, "source": "body"}]
    if isinstance(error, StaleVersion):
        content["current_version"] = error.current
    return Response(content=content, status_code=status, media_type=MediaType.JSON)


def validation_error_response(request: Request, error: ValidationException) -> Response:
    extra = error.extra if isinstance(error.extra, list) else []
    for entry in extra:
        if isinstance(entry, dict):
            match = FIELD_PREFIX.match(str(entry.get("message", "")))
            if match and entry.get("key") in (None, "data"):
                entry["key"] = match.group("field")
    content: dict = {"status_code": HTTP_400_BAD_REQUEST, "detail": error.detail}
    if extra:
        content["extra"] = extra
    return Response(content=content, status_code=HTTP_400_BAD_REQUEST, media_type=MediaType.JSON)


EXCEPTION_HANDLERS = {
    StoreError: store_error_response,
    ValidationException: validation_error_response,
}


def not_authorised_response(request: Request, error: NotAuthorizedException) -> Response:
    """API: 401 with a Bearer challenge; pages: to the sign-in page, then back."""
    if is_api_path(request.url.path):
        return Response(
            content={"status_code": HTTP_401_UNAUTHORIZED, "detail": error.detail},
            status_code=HTTP_401_UNAUTHORIZED,
            media_type=MediaType.JSON,
            headers={"WWW-Authenticate": 'Bearer realm="register"'},
        )
    target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""), safe="")
    return Redirect(f"/login?next={target}", status_code=303)


EXCEPTION_HANDLERS[NotAuthorizedException] = not_authorised_response


def intake_error_response(request: Request, error: IntakeError) -> Response:
    """A refused spreadsheet or mapping: 413 for a file over the size cap, 400 otherwise,
    with the reason, its stable code and the cell it is about."""
    status = HTTP_413_REQUEST_ENTITY_TOO_LARGE if error.code == "too_large" else HTTP_400_BAD_REQUEST
    problem = error.problem
    key = "mapping" if error.code == "mapping_invalid" else "file"
    return Response(
        content={
            "status_code": status,
            "detail": problem.located(),
            "extra": [{"message": problem.message, "key": key, "source": "body", "code": problem.code,
                       "sheet": problem.sheet, "row": problem.row, "column": problem.column}],
        },
        status_code=status,
        media_type=MediaType.JSON,
    )


EXCEPTION_HANDLERS[IntakeError] = intake_error_response
