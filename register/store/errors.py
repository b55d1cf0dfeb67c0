"""Errors the store raises; the web layer maps each to one HTTP status."""

from __future__ import annotations


class StoreError(Exception):
    """Base of the store's errors."""


class NotFound(StoreError):
    """The object does not exist, or not within the caller's organisation (404)."""

    def __init__(self, entity: str, ref: object) -> None:
        super().__init__(f"{entity} {ref} not found")
        self.entity = entity
        self.ref = ref


class StaleVersion(StoreError):
    """An update named a version that is no longer current (409)."""

    def __init__(self, entity: str, ref: object, expected: int, current: int) -> None:
        super().__init__(
            f"{entity} {ref} was changed by someone else: you sent version {expected}, "
            f"the current version is {current}; reload it and apply your change again"
        )
        self.current = current


class InvalidReference(StoreError):
    """A field names another object that cannot be used there (400, names the field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class Conflict(StoreError):
    """The change contradicts what is stored (409), e.g. a second DPA for one processor."""
