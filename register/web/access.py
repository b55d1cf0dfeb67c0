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
from register.store import library, reads
from register.store.library import FirmStanding
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


class FirmPermission(StrEnum):
    """What a route about a firm's vendor library needs (see register/store/library.py)."""

    READ_LIBRARY = "read_library"  # firm admins and members; admins and DPOs of the firm's clients
    EDIT_LIBRARY = "edit_library"  # firm admins and members
    MANAGE_FIRM = "manage_firm"  # firm admins: members, clients, which clients use a vendor


@dataclass(frozen=True, slots=True)
class AccessRule:
    kind: str  # "public" | "signed_in" | "organisation" | "firm"
    permission: Permission | None = None
    firm_permission: FirmPermission | None = None


PUBLIC = {"access": AccessRule("public")}
SIGNED_IN = {"access": AccessRule("signed_in")}


def requires(permission: Permission) -> dict[str, AccessRule]:
    """``opt`` for a route about one organisation's data."""
    return {"access": AccessRule("organisation", permission)}


def requires_firm(permission: FirmPermission) -> dict[str, AccessRule]:
    """``opt`` for a route about one firm's library (``firm_id`` or ``vendor_id`` in the path)."""
    return {"access": AccessRule("firm", firm_permission=permission)}


@dataclass(frozen=True, slots=True)
class FirmAccess:
    """The caller's standing for this request's firm."""

    account: Account
    firm_id: int
    standing: FirmStanding

    @property
    def actor(self) -> str:
        return self.account.email


def firm_allows(standing: FirmStanding, permission: FirmPermission) -> bool:
    if permission == FirmPermission.MANAGE_FIRM:
        return standing.is_admin
    if permission == FirmPermission.EDIT_LIBRARY:
        return standing.keeps_library
    return standing.reads_library


# How to find the firm a path parameter belongs to.
FIRM_OF_PARAMETER: dict[str, Callable[[int], Awaitable[int]]] = {
    "firm_id": library.firm_exists,
    "vendor_id": library.firm_of_vendor,
}


async def firm_of_request(connection: ASGIConnection) -> int:
    for name, resolve in FIRM_OF_PARAMETER.items():
        if name in connection.path_params:
            return await resolve(int(connection.path_params[name]))
    raise ImproperlyConfiguredException(
        f"{connection.scope['path']}: a firm route needs one of {sorted(FIRM_OF_PARAMETER)}"
    )


async def authorise_firm(connection: ASGIConnection, rule: AccessRule) -> None:
    """Nobody outside the firm learns it exists (404); inside, a missing right is 403."""
    account: Account = connection.user
    firm_id = await firm_of_request(connection)
    standing = await library.firm_standing(firm_id, account.id, account.memberships)
    if not standing.reads_library:
        raise NotFoundException("not found")
    assert rule.firm_permission is not None
    if not firm_allows(standing, rule.firm_permission):
        raise PermissionDeniedException(f"your place in the firm does not allow this ({rule.firm_permission.value})")
    connection.state.firm_access = FirmAccess(account=account, firm_id=firm_id, standing=standing)


def current_firm_access(request: Request) -> FirmAccess:
    """Dependency: the FirmAccess the guard established for this request."""
    return request.state.firm_access


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
    if rule.kind == "firm":
        await authorise_firm(connection, rule)
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


