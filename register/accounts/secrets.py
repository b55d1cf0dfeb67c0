"""Passwords (argon2, via argon2-cffi) and random tokens (stored as digests)."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from weakref import WeakKeyDictionary

import anyio
import anyio.to_thread

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the account does not exist, so a wrong e-mail costs
# the same time as a wrong password (no account enumeration by timing).
_UNUSED_HASH = _hasher.hash(secrets.token_urlsafe(16))

MIN_PASSWORD_LENGTH = 10
API_TOKEN_PREFIX = "reg_"


class WeakPassword(ValueError):
    """The password does not meet the minimum rules."""


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"password: at least {MIN_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    check_password_rules(password)
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _UNUSED_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


# argon2 costs tens of milliseconds of CPU and memory on purpose: it runs in
# worker threads, a few at a time, so a burst of sign-ins neither stalls the
# event loop nor exhausts memory. One limiter per event loop (limiters belong
# to the loop that made them).
_limiters: WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = WeakKeyDictionary()


def hashing_limiter() -> anyio.CapacityLimiter:
    from register.settings import password_hashing_concurrency

    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(password_hashing_concurrency())
    return limiter


async def verify_password(password_hash: str | None, password: str) -> bool:
    """``password_matches`` off the event loop, bounded."""
    return await anyio.to_thread.run_sync(password_matches, password_hash, password, limiter=hashing_limiter())


async def hash_new_password(password: str) -> str:
    """``hash_password`` off the event loop, bounded (WeakPassword is raised before any hashing)."""
    check_password_rules(password)
    return await anyio.to_thread.run_sync(hash_password, password, limiter=hashing_limiter())


def new_api_token() -> str:
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """SHA-256 of a random token: enough for 256-bit secrets (no slow hash needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_password() -> str:
    return secrets.token_urlsafe(12)
