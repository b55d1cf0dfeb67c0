"""An organisation's members and their roles (for its admins), with the audit trail.

An organisation always keeps at least one admin: the last one can be neither
removed nor given another role.
"""

from __future__ import annotations

from dataclasses import dataclass

from register.accounts.secrets import new_password
from register.accounts.store import create_user, normalise_email
from register.store.errors import Conflict, NotFound
from register.store.writes import record_audit, write_transaction
from register.tables import Membership, User
from register.vocabulary import AuditAction, Role

ENTITY = "membership"


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    email: str
    display_name: str
    role: Role
    active: bool


async def list_members(organisation_id: int) -> list[Member]:
    """One query: the members with their accounts, by e-mail."""
    rows = await Membership.select(
        Membership.user.id.as_alias("user_id"),
        Membership.user.email.as_alias("email"),
        Membership.user.display_name.as_alias("display_name"),
        Membership.user.is_active.as_alias("active"),
        Membership.role,
    ).where(Membership.organisation == organisation_id).order_by(Membership.user.email)
    return [
        Member(row["user_id"], row["email"], row["display_name"], Role(row["role"]), bool(row["active"]))
        for row in rows
    ]


async def _admin_count(organisation_id: int) -> int:
    return await Membership.count().where(
        (Membership.organisation == organisation_id) & (Membership.role == Role.ADMIN.value)
    )


async def _current_role(organisation_id: int, user_id: int) -> Role | None:
    row = await Membership.select(Membership.role).where(
        (Membership.organisation == organisation_id) & (Membership.user == user_id)
    ).first()
    return Role(row["role"]) if row else None


async def set_member_role(organisation_id: int, email: str, role: Role, actor: str) -> Member:
    """Give an existing account ``role`` here (adding it as a member if needed)."""
    async with write_transaction(organisation_id):
        user = await User.select(User.id).where(User.email == normalise_email(email)).first()
        if user is None:
            raise NotFound("user", email)
        user_id = user["id"]
        before = await _current_role(organisation_id, user_id)
        if before == Role.ADMIN and role != Role.ADMIN and await _admin_count(organisation_id) <= 1:
            raise Conflict("the organisation must keep at least one admin")
        condition = (Membership.organisation == organisation_id) & (Membership.user == user_id)
        if before is None:
            await Membership.insert(Membership(user=user_id, organisation=organisation_id, role=role.value))
        else:
            await Membership.update({Membership.role: role.value}).where(condition)
        await record_audit(
            organisation_id, actor, ENTITY, user_id,
            AuditAction.CREATE if before is None else AuditAction.UPDATE,
            None if before is None else {"email": normalise_email(email), "role": before.value},
            {"email": normalise_email(email), "role": role.value},
        )
    return next(m for m in await list_members(organisation_id) if m.user_id == user_id)


async def remove_member(organisation_id: int, user_id: int, actor: str) -> None:
    async with write_transaction(organisation_id):
        before = await _current_role(organisation_id, user_id)
        if before is None:
            raise NotFound("member", user_id)
        if before == Role.ADMIN and await _admin_count(organisation_id) <= 1:
            raise Conflict("the organisation must keep at least one admin")
        email = await User.select(User.email).where(User.id == user_id).first()
        await Membership.delete().where(
            (Membership.organisation == organisation_id) & (Membership.user == user_id)
        )
        await record_audit(
            organisation_id, actor, ENTITY, user_id, AuditAction.DELETE,
            {"email": email["email"] if email else "", "role": before.value}, None,
        )


async def add_member(organisation_id: int, email: str, role: Role, actor: str) -> str | None:
    """Give ``email`` the role here, creating the account when there is none.

    Returns the new account's temporary password (to show once), or None
    when the account already existed. One transaction: nothing is left
    half-done.
    """
    temporary_password = None
    async with write_transaction(organisation_id):
        if not await User.exists().where(User.email == normalise_email(email)):
            temporary_password = new_password()
            await create_user(email, temporary_password)
        await set_member_role(organisation_id, email, role, actor)
    return temporary_password


async def revoke_member_tokens(organisation_id: int, user_id: int, actor: str) -> int:
    """Revoke every API token of a member of this organisation (audited); returns how many."""
    from register.accounts.store import revoke_user_tokens

    async with write_transaction():
        role = await _current_role(organisation_id, user_id)
        if role is None:
            raise NotFound("member", user_id)
        revoked = await revoke_user_tokens(user_id)
        email = await User.select(User.email).where(User.id == user_id).first()
        await record_audit(
            organisation_id, actor, "api_token", user_id, AuditAction.UPDATE,
            {"email": email["email"] if email else "", "valid_tokens": revoked},
            {"email": email["email"] if email else "", "valid_tokens": 0},
        )
    return revoked
