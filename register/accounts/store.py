"""Accounts in the database: users, memberships, tokens, sessions, sign-in throttling."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Mapping

from register.accounts.limits import count_hits, forgive_hits, purge_expired_counters
from register.accounts.secrets import (
    hash_new_password,
    new_api_token,
    new_session_token,
    token_digest,
    verify_password,
)
from register.store.errors import Conflict, NotFound
from register.store.lookups import fetch_rows
from register.store.writes import write_transaction
from register.tables import ApiToken, LoginAttempt, Membership, User, WebSession
from register.vocabulary import Role

log = logging.getLogger("register.accounts")

SESSION_LIFETIME = timedelta(hours=12)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
LOGIN_ATTEMPTS_KEPT = timedelta(days=30)


def now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True)
class Account:
    """A signed-in user and their role in each of their organisations."""

    id: int
    email: str
    display_name: str
    memberships: Mapping[int, Role] = field(default_factory=dict)

    def role_in(self, organisation_id: int) -> Role | None:
        return self.memberships.get(organisation_id)


class LoginRefused(Exception):
    """Sign-in refused; the message is safe to show."""


class AccountLocked(LoginRefused):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


# ---------------------------------------------------------------- users


async def create_user(email: str, password: str, display_name: str = "") -> int:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise ValueError("email: not an e-mail address")
    password_hash = await hash_new_password(password)
    async with write_transaction():
        if await User.exists().where(User.email == email):
            raise Conflict(f"a user {email} already exists")
        rows = await User.insert(
            User(email=email, password_hash=password_hash, display_name=display_name)
        ).returning(User.id)
    return rows[0]["id"]


async def set_password(user_id: int, password: str, keep_session: int | None = None) -> int:
    """Replace the password and end the user's sessions (but ``keep_session``); returns how many ended."""
    password_hash = await hash_new_password(password)
    async with write_transaction():
        await User.update({User.password_hash: password_hash}).where(User.id == user_id)
        others = WebSession.user == user_id
        if keep_session is not None:
            others &= WebSession.id != keep_session
        ended = await WebSession.delete().where(others).returning(WebSession.id)
    return len(ended)


async def user_id_by_email(email: str) -> int:
    row = await User.select(User.id).where(User.email == normalise_email(email)).first()
    if row is None:
        raise NotFound("user", email)
    return row["id"]


async def set_membership(user_id: int, organisation_id: int, role: Role) -> None:
    """Give the user ``role`` in the organisation (replacing a previous role)."""
    async with write_transaction(organisation_id):
        condition = (Membership.user == user_id) & (Membership.organisation == organisation_id)
        if await Membership.exists().where(condition):
            await Membership.update({Membership.role: role.value}).where(condition)
        else:
            await Membership.insert(
                Membership(user=user_id, organisation=organisation_id, role=role.value)
            )


async def load_account(user_id: int) -> Account | None:
    user = await User.select().where((User.id == user_id) & (User.is_active == True)).first()  # noqa: E712
    if user is None:
        return None
    memberships = await Membership.select(Membership.organisation, Membership.role).where(
        Membership.user == user_id
    )
    return Account(
        id=user["id"],
        email=user["email"],
        display_name=user["display_name"],
        memberships={m["organisation"]: Role(m["role"]) for m in memberships},
    )


# ---------------------------------------------------------------- sign-in

LOGGED_EMAIL_LENGTH = 80
PLAUSIBLE_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}$")


def loggable_email(typed: str) -> str:
    """The e-mail field as it may appear in a log line: normalised, capped, escaped.

    Something that is not shaped like an e-mail address (a password typed in
    the wrong field, a forged log line) is not logged, only described.
    """
    email = normalise_email(typed)
    if not PLAUSIBLE_EMAIL.match(email):
        return f"<not an e-mail address, {len(typed)} characters>"
    escaped = email.encode("ascii", "backslashreplace").decode("ascii")
    escaped = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in escaped)
    if len(escaped) > LOGGED_EMAIL_LENGTH:
        return escaped[:LOGGED_EMAIL_LENGTH] + "…"
    return escaped


def throttle_buckets(email: str, address: str) -> tuple[str, str]:
    return (f"login-account:{email}", f"login-address:{address}")


def _refusal_for(counts: dict[str, int], account_bucket: str, address_bucket: str) -> LoginRefused | None:
    if counts[account_bucket] > MAX_FAILURES_PER_ACCOUNT:
        return AccountLocked(
            "This account is locked after too many failed sign-ins; try again in 15 minutes. "
            "/ Ce compte est verrouillé après trop d'échecs de connexion ; réessayez dans 15 minutes."
        )
    if counts[address_bucket] > MAX_FAILURES_PER_ADDRESS:
        return LoginRefused(
            "Too many failed sign-ins from this address; try again later. "
            "/ Trop d'échecs de connexion depuis cette adresse ; réessayez plus tard."
        )
    return None


async def authenticate(email: str, password: str, address: str) -> int:
    """The user id for these credentials, or LoginRefused.

    The attempt is counted (per account and per address, one atomic
    statement, shared by every worker) *before* the password is checked, so
    a burst of parallel guesses gets no more checks than the limits allow,
    and a right password sent after the limit is refused too. A sign-in
    that succeeds takes its count back: only failures lock.
    """
    email = normalise_email(email)
    buckets = throttle_buckets(email, address)
    seconds = int(THROTTLE_WINDOW.total_seconds())
    refusal = _refusal_for(await count_hits(buckets, seconds), *buckets)
    if refusal is not None:
        log.warning("sign-in refused by throttling for %s from %s", loggable_email(email), address)
        raise refusal
    user = await User.select(User.id, User.password_hash, User.is_active).where(User.email == email).first()
    matches = await verify_password(user["password_hash"] if user else None, password)
    succeeded = bool(user and matches and user["is_active"])
    await LoginAttempt.insert(LoginAttempt(email=email[:254], address=address[:100], succeeded=succeeded))
    if not succeeded:
        log.warning("failed sign-in for %s from %s", loggable_email(email), address)
        raise LoginRefused(
            "Wrong e-mail or password. / Adresse e-mail ou mot de passe incorrect."
        )
    await forgive_hits(buckets, seconds)
    return user["id"]


@dataclass(frozen=True, slots=True)
class Purged:
    sessions: int
    login_attempts: int
    counters: int


async def purge_expired() -> Purged:
    """Delete expired sessions, sign-in attempts older than 30 days and finished counters."""
    moment = now()
    sessions = await WebSession.delete().where(WebSession.expires_at <= moment).returning(WebSession.id)
    attempts = await LoginAttempt.delete().where(
        LoginAttempt.attempted_at < moment - LOGIN_ATTEMPTS_KEPT
    ).returning(LoginAttempt.id)
    return Purged(len(sessions), len(attempts), await purge_expired_counters(moment))


# ---------------------------------------------------------------- sessions


async def open_session(user_id: int, language: str = "fr") -> str:
    token = new_session_token()
    await WebSession.insert(
        WebSession(
            user=user_id,
            token_digest=token_digest(token),
            expires_at=now() + SESSION_LIFETIME,
            language=language,
        )
    )
    return token


@dataclass(frozen=True, slots=True)
class SessionState:
    id: int
    user_id: int
    language: str
    organisation_id: int | None


async def session_for(token: str) -> SessionState | None:
    row = await WebSession.select().where(
        (WebSession.token_digest == token_digest(token)) & (WebSession.expires_at > now())
    ).first()
    if row is None:
        return None
    return SessionState(row["id"], row["user"], row["language"], row["organisation_id"])


async def update_session(session_id: int, **values: object) -> None:
    await WebSession.update(values).where(WebSession.id == session_id)


async def close_session(token: str) -> None:
    await WebSession.delete().where(WebSession.token_digest == token_digest(token))


# ---------------------------------------------------------------- API tokens


@dataclass(frozen=True, slots=True)
class TokenSummary:
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


async def create_api_token(user_id: int, name: str = "") -> str:
    """A new token; the caller shows it once, only its digest is kept."""
    token = new_api_token()
    await ApiToken.insert(
        ApiToken(user=user_id, name=name, prefix=token[:10], token_digest=token_digest(token))
    )
    return token


async def list_api_tokens(user_id: int) -> list[TokenSummary]:
    rows = await ApiToken.select(
        ApiToken.id, ApiToken.name, ApiToken.prefix, ApiToken.created_at,
        ApiToken.last_used_at, ApiToken.revoked_at,
    ).where(ApiToken.user == user_id).order_by(ApiToken.id)
    return [TokenSummary(**row) for row in rows]


async def revoke_api_token(user_id: int, token_id: int) -> None:
    condition = (ApiToken.id == token_id) & (ApiToken.user == user_id)
    if not await ApiToken.exists().where(condition):
        raise NotFound("token", token_id)
    await ApiToken.update({ApiToken.revoked_at: now()}).where(condition & ApiToken.revoked_at.is_null())


# How often a token's last use is written: a write per API call would turn
# every read into a write (SQLite's single writer, PostgreSQL's WAL).
TOKEN_USE_RESOLUTION = timedelta(minutes=5)

_ACCOUNT_BY_TOKEN = """
SELECT u.id, u.email, u.display_name, t.id AS token_id, t.last_used_at,
       m.organisation, m.role, o.revision
FROM api_token t
JOIN app_user u ON u.id = t."user"
LEFT JOIN membership m ON m."user" = u.id
LEFT JOIN organisation o ON o.id = m.organisation
WHERE t.token_digest = {} AND t.revoked_at IS NULL AND u.is_active = {}
"""


@dataclass(frozen=True, slots=True)
class TokenAccount:
    account: Account
    # The revision of each of the account's organisations, read by the same
    # query (see register.store.snapshots.request_revisions).
    revisions: Mapping[int, int]


async def account_for_api_token(token: str) -> TokenAccount | None:
    """The active account a live token belongs to, in one query (the API's hot path)."""
    rows = await fetch_rows(_ACCOUNT_BY_TOKEN, token_digest(token), True)
    if not rows:
        return None
    first = rows[0]
    await _note_token_use(first["token_id"], first["last_used_at"])
    members = [row for row in rows if row["organisation"] is not None]
    account = Account(
        id=first["id"],
        email=first["email"],
        display_name=first["display_name"],
        memberships={row["organisation"]: Role(row["role"]) for row in members},
    )
    return TokenAccount(
        account, {row["organisation"]: row["revision"] for row in members if row["revision"] is not None}
    )


async def _note_token_use(token_id: int, last_used_at: datetime | str | None) -> None:
    if isinstance(last_used_at, str):  # SQLite's raw rows keep timestamps as text
        last_used_at = datetime.fromisoformat(last_used_at)
    if last_used_at is not None and last_used_at.tzinfo is None:
        last_used_at = last_used_at.replace(tzinfo=timezone.utc)
    moment = now()
    if last_used_at is None or moment - last_used_at >= TOKEN_USE_RESOLUTION:
        await ApiToken.update({ApiToken.last_used_at: moment}).where(ApiToken.id == token_id)


class WrongPassword(ValueError):
    """The current password given does not match."""


async def change_password(
    user_id: int, current_password: str, new_password: str, keep_session: int | None = None
) -> int:
    """Replace the password after checking the current one (WrongPassword, WeakPassword).

    Every other session of the user ends (returns how many did).
    """
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    if row is None or not await verify_password(row["password_hash"], current_password):
        raise WrongPassword("current_password: not your current password")
    return await set_password(user_id, new_password, keep_session=keep_session)


async def revoke_user_tokens(user_id: int) -> int:
    """Revoke every API token of the user still valid; returns how many."""
    rows = await ApiToken.update({ApiToken.revoked_at: now()}).where(
        (ApiToken.user == user_id) & ApiToken.revoked_at.is_null()
    ).returning(ApiToken.id)
    return len(rows)
