"""Who may do what: roles, permissions, and the guard every route passes through.

Every route declares an access rule in its ``opt`` (``requires(...)``,
``SIGNED_IN`` or ``PUBLIC``); the app refuses to start with a route that
declares none, so a new route cannot escape the checks. For routes about an
organisation's data, the guard finds the organisation from the path
(``organisation_id``, or the organisation of ``processor_id``…) and checks
the caller's membership: not a member answers 404 (nothing is leaked), a
member whose role lacks the permission answers 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Awaitable, Callable

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import ImproperlyConfiguredException, NotFoundException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from register.accounts.store import Account
from register.schemas import MAX_ID
from register.store import reads
from register.store.notices import notice_organisation
from register.store.procurement import procurement_request_organisation
from register.store.questionnaires import questionnaire_organisation
from register.vocabulary import Role


class Permission(StrEnum):
    MEMBER = "member"  # see the organisation itself
    READ_REGISTER = "read_register"  # processors in detail, findings, documents, export
    LIST_PROCESSORS = "list_processors"  # names and lifecycle statuses
    EDIT_REGISTER = "edit_register"
    SUBMIT_PROCUREMENT = "submit_procurement"  # check a candidate, submit a request
    READ_PROCUREMENT = "read_procurement"  # requests, verdicts, memos
    DECIDE_PROCUREMENT = "decide_procurement"
    READ_AUDIT = "read_audit"
    MANAGE_ORGANISATION = "manage_organisation"  # members, settings, deletion


_READER = {
    Permission.MEMBER,
    Permission.READ_REGISTER,
    Permission.LIST_PROCESSORS,
    Permission.READ_PROCUREMENT,
    Permission.READ_AUDIT,
}
_DPO = _READER | {
    Permission.EDIT_REGISTER,
    Permission.SUBMIT_PROCUREMENT,
    Permission.DECIDE_PROCUREMENT,
}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(_DPO | {Permission.MANAGE_ORGANISATION}),
    Role.DPO: frozenset(_DPO),
    Role.PROCUREMENT: frozenset(
        {
            Permission.MEMBER,
            Permission.LIST_PROCESSORS,
            Permission.SUBMIT_PROCUREMENT,
            Permission.READ_PROCUREMENT,
        }
    ),
    Role.AUDITOR: frozenset(_READER),
}


def role_allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


@dataclass(frozen=True, slots=True)
class AccessRule:
    kind: str  # "public" | "signed_in" | "organisation"
    permission: Permission | None = None


PUBLIC = {"access": AccessRule("public")}
SIGNED_IN = {"access": AccessRule("signed_in")}


def requires(permission: Permission) -> dict[str, AccessRule]:
    """``opt`` for a route about one organisation's data."""
    return {"access": AccessRule("organisation", permission)}


@dataclass(frozen=True, slots=True)
class Access:
    """The caller's standing for this request's organisation."""

    account: Account
    organisation_id: int
    role: Role

    @property
    def actor(self) -> str:
        return self.account.email

    def allows(self, permission: Permission) -> bool:
        return role_allows(self.role, permission)


async def _organisation_itself(organisation_id: int) -> int:
    return organisation_id


# How to find the organisation a path parameter belongs to.
ORGANISATION_OF_PARAMETER: dict[str, Callable[[int], Awaitable[int]]] = {
    "organisation_id": _organisation_itself,
    "processor_id": reads.processor_organisation,
    "request_id": procurement_request_organisation,
    "notice_id": notice_organisation,
    "questionnaire_id": questionnaire_organisation,
}


def register_organisation_parameter(name: str, resolver: Callable[[int], Awaitable[int]]) -> None:
    ORGANISATION_OF_PARAMETER[name] = resolver


async def organisation_of_request(connection: ASGIConnection) -> int:
    for name, resolve in ORGANISATION_OF_PARAMETER.items():
        if name in connection.path_params:
            return await resolve(int(connection.path_params[name]))
    raise ImproperlyConfiguredException(
        f"{connection.scope['path']}: an organisation route needs one of {sorted(ORGANISATION_OF_PARAMETER)}"
    )


# Routes Litestar itself adds: the OpenAPI documents and automatic OPTIONS answers.
FRAMEWORK_PATH_PREFIXES = ("/schema",)
FRAMEWORK_HANDLER_NAMES = ("options_handler",)


def is_framework_route(path: str, handler: BaseRouteHandler) -> bool:
    return path.startswith(FRAMEWORK_PATH_PREFIXES) or handler.handler_name in FRAMEWORK_HANDLER_NAMES


def access_rule(handler: BaseRouteHandler) -> AccessRule:
    rule = handler.opt.get("access")
    if not isinstance(rule, AccessRule):
        raise ImproperlyConfiguredException(f"route handler {handler.handler_name} declares no access rule")
    return rule


def refuse_ids_out_of_range(connection: ASGIConnection) -> None:
    """An id in the path that no row can have (outside 1..2**31-1) is simply not found.

    One limit for both engines: PostgreSQL's integer ends at 2**31-1, SQLite's at 2**63-1.
    """
    for value in connection.path_params.values():
        if isinstance(value, int) and not 1 <= value <= MAX_ID:
            raise NotFoundException("not found")


async def authorise(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """The app-wide guard (see the module docstring)."""
    if is_framework_route(connection.scope["path"], handler):
        return
    refuse_ids_out_of_range(connection)
    rule = access_rule(handler)
    if rule.kind == "public":
        return
    account: Account = connection.user
    if rule.kind == "signed_in":
        return
    organisation_id = await organisation_of_request(connection)
    role = account.role_in(organisation_id)
    if role is None:
        raise NotFoundException("not found")
    assert rule.permission is not None
    if not role_allows(role, rule.permission):
        raise PermissionDeniedException(
            f"your role ({role.value}) does not allow this ({rule.permission.value})"
        )
    connection.state.access = Access(account=account, organisation_id=organisation_id, role=role)


def check_route_rules(routes: list[tuple[str, BaseRouteHandler]]) -> None:
    """Refuse to start when a route declares no access rule."""
    for path, handler in routes:
        if not is_framework_route(path, handler):
            access_rule(handler)


def current_access(request: Request) -> Access:
    """Dependency: the Access the guard established for this request."""
    return request.state.access


