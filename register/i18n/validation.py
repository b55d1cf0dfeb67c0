"""Validation messages of the register's input structs, in the reader's words.

msgspec and the structs' own checks speak English ("Expected `str` of length
<= 200 - at `$.legal_name`", "website: 'ftp://x' is not an http(s) URL"):
:func:`field_of` finds the field such a message is about, :func:`reason_of`
the term (``error.*`` in :mod:`register.i18n.terms`) that says it in French
or English, and :func:`friendly` says it. The forms (register.web.forms) and
the spreadsheet import (register.intake.preview) both use them.
"""

from __future__ import annotations

import re

from register.i18n.terms import ALL_TERMS, term

WHOLE_RECORD = "__form__"  # a message about no field in particular

_AT_PATH = re.compile(r" - at `\$\.?(?P<path>[^`]*)`$")
_FIELD_OF_PATH = re.compile(r"^(?P<field>[A-Za-z_]\w*)")
_MISSING = re.compile(r"^Object missing required field `(?P<field>\w+)`")
_PREFIX = re.compile(r"^(?P<field>[A-Za-z_]\w*)(\[\d+\])?: (?P<message>.*)$", re.S)

# (pattern of the English message, term key); the first that matches wins.
REASONS = (
    (r"^missing$|length >= 1|got `null`", "error.required"),
    (r"length <= (?P<n>\d+)", "error.too_long"),
    (r"Expected `int[^`]*` >= (?P<n>-?\d+)", "error.too_small"),
    (r"Expected `int[^`]*` <= (?P<n>\d+)", "error.too_large"),
    (r"Expected `int", "error.integer"),
    (r"Invalid RFC3339|Expected `date", "error.date"),
    (r"is before last_review_on", "error.review_order"),
    (r"(?P<end>\w+) is before (?P<start>\w+)", "error.date_order"),
    (r"is not an http\(s\) URL", "error.url"),
    (r"only recorded for SCC", "error.module_without_scc"),
    (r"regex '\^\$\|\^\[\^@", "error.email"),  # before NUL: the e-mail pattern excludes NUL too
    (r"x00\]|NUL character", "error.nul"),
    (r"enum value|Expected `str`, got", "error.choice"),
    (r"regex '\^\[A-Z\]\{2\}\$'|not an ISO 3166-1", "error.country"),
)


def field_of(message: str) -> tuple[str, str]:
    """(field, message without its location) from a msgspec or store error message;
    the field is :data:`WHOLE_RECORD` when the message names none."""
    missing = _MISSING.match(message)
    if missing:
        return missing.group("field"), "missing"
    at = _AT_PATH.search(message)
    if at:
        found = _FIELD_OF_PATH.match(at.group("path"))
        return (found.group("field") if found else WHOLE_RECORD), message[: at.start()]
    prefixed = _PREFIX.match(message)
    if prefixed:
        return prefixed.group("field"), prefixed.group("message")
    return WHOLE_RECORD, message


def reason_of(message: str) -> tuple[str, dict[str, str]] | None:
    """The term key saying ``message`` (a message without its location) and the
    term's values ("n": a length or a bound); None for a message it does not know."""
    for pattern, key in REASONS:
        found = re.search(pattern, message)
        if found:
            return key, {k: v for k, v in found.groupdict().items() if v is not None}
    return None


def reason_message(key: str) -> str:
    """The English message id of a reason's term (translated where it is shown)."""
    marked = ALL_TERMS[key]
    assert isinstance(marked, str), key  # the error.* terms have no context
    return marked


def friendly(message: str, language: str) -> str:
    """A validation message in the UI's words and language (the message itself if unknown)."""
    reason = reason_of(message)
    if reason is None:
        return message
    key, values = reason
    return term(key, language, **values)
