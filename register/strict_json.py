"""Decoding JSON documents strictly, for the API's bodies and ``register import``.

One place for what a hostile or careless client may send:

- types are strict (``1`` is not ``true``, ``"12"`` is not ``12``): msgspec's
  typed decoding, never a lax conversion of already-decoded values;
- a key that appears twice in one object is refused (JSON parsers disagree
  on which one wins);
- deep nesting is refused before it can exhaust the stack;
- a UTF-8 byte-order mark is ignored (spreadsheet tools and Windows editors add one);
- every refusal names the field (``locations[0].country``) and says what is wrong.

Lengths of texts and lists, id ranges and "no NUL character" are constraints
of the structs in :mod:`register.schemas`.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

import msgspec

T = TypeVar("T")

BOM = b"\xef\xbb\xbf"
ROOT = "body"  # the field named when the whole document is wrong

_AT_PATH = re.compile(r" - at `\$\.?(?P<path>[^`]*)`$")
_NAMED = re.compile(r"^Object (?:missing required|contains unknown) field `(?P<field>[^`]+)`")
_PREFIXED = re.compile(r"^(?P<field>[A-Za-z_][\w\[\]\.]*): (?P<message>.*)$", re.S)
_NUL_PATTERN = re.compile(r"matching regex '\^\[\^\\\\x00\]")


class JsonRefused(ValueError):
    """The document cannot be accepted: ``field`` is where, the message says what."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def decode_strict(content: bytes, document_type: type[T], *, allow_bom: bool = False) -> T:
    """``content`` as ``document_type``, or :class:`JsonRefused`."""
    if allow_bom:
        content = content.removeprefix(BOM)
    try:
        document = msgspec.json.decode(content, type=document_type, strict=True)
    except msgspec.ValidationError as error:
        raise JsonRefused(*located(str(error))) from None
    except msgspec.DecodeError as error:
        raise JsonRefused(ROOT, f"malformed JSON ({error})") from None
    except RecursionError:
        raise JsonRefused(ROOT, "the JSON is nested too deeply") from None
    refuse_duplicate_keys(content)
    return document


def refuse_duplicate_keys(content: bytes) -> None:
    """Raise :class:`JsonRefused` naming a key that appears twice in one object."""
    try:
        json.loads(content, object_pairs_hook=_unique_pairs)
    except RecursionError:
        raise JsonRefused(ROOT, "the JSON is nested too deeply") from None


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise JsonRefused(key, f"the key {key!r} appears twice in one object")
        seen.add(key)
    return dict(pairs)


def located(message: str) -> tuple[str, str]:
    """(field path, what is wrong) from a msgspec validation message.

    ``Expected `int`, got `str` - at `$.locations[0].note``` becomes
    (``locations[0].note``, ``Expected `int`, got `str```); a missing or unknown
    field is named itself; a check's ``"country: …"`` prefix names its field.
    """
    path = ""
    at = _AT_PATH.search(message)
    if at:
        path, message = at.group("path"), message[: at.start()]
    named = _NAMED.match(message)
    prefixed = _PREFIXED.match(message)
    if named:
        path = _join(path, named.group("field"))
    elif prefixed:
        path, message = _join(path, prefixed.group("field")), prefixed.group("message")
    if _NUL_PATTERN.search(message):
        message = "the text contains a NUL character (U+0000), which cannot be stored"
    return path or ROOT, message


def _join(path: str, field: str) -> str:
    return f"{path}.{field}" if path else field
