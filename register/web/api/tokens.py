"""The caller's own API tokens: list, create (shown once), revoke."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from register.accounts import store as accounts
from register.schemas import NO_NUL
from register.store.members import revoke_member_tokens
from register.web.access import SIGNED_IN, Access, Permission, requires


class TokenRequest(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)] = ""


@dataclass(frozen=True, slots=True)
class NewToken:
    token: str  # shown once: only its digest is kept
    name: str


class TokenController(Controller):
    path = "/api/v1/me/tokens"
    tags = ["account"]

    @get("/", opt=SIGNED_IN)
    async def list_tokens(self, request: Request) -> list[accounts.TokenSummary]:
        return await accounts.list_api_tokens(request.user.id)

    @post("/", opt=SIGNED_IN)
    async def create_token(self, request: Request, data: JSONBody[TokenRequest]) -> NewToken:
        return NewToken(token=await accounts.create_api_token(request.user.id, data.name), name=data.name)

    @delete("/{token_id:int}", opt=SIGNED_IN)
    async def revoke_token(self, request: Request, token_id: FromPath[int]) -> None:
        await accounts.revoke_api_token(request.user.id, token_id)


@dataclass(frozen=True, slots=True)
class RevokedTokens:
    revoked: int  # how many tokens were still valid


class MemberTokenController(Controller):
    """An admin revokes the API tokens of a member of their organisation (e.g. a lost laptop)."""

    path = "/api/v1/organisations/{organisation_id:int}/members/{user_id:int}/tokens"
    tags = ["account"]

    @delete("/", opt=requires(Permission.MANAGE_ORGANISATION), status_code=200)
    async def revoke_member_tokens(
        self, user_id: FromPath[int], access: NamedDependency[Access]
    ) -> RevokedTokens:
        return RevokedTokens(await revoke_member_tokens(access.organisation_id, user_id, access.actor))
