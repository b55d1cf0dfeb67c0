"""Texts named by a key because the code picks them by name: vocabulary values,
form fields and their hints, page titles, error pages, placeholders…

Each is an English message id marked with ``N_`` (or ``NP_`` with a context
when one English text needs two French ones), translated where it is shown:
:func:`vocabulary_label` for a vocabulary value (a status, a category, a
transfer tool…), :func:`term` for a key such as ``field.website``.

The dictionaries between the BEGIN/END markers are kept by
``/work/notes/i18n_convert.py`` (entries may be edited by hand: the script
reads them back); the functions below are ordinary code.
"""

from __future__ import annotations

from enum import Enum

from register.compliance.model import Localised
from register.i18n import N_, NP_, translate_marked  # noqa: F401 (N_/NP_ used by the generated tables)

# BEGIN i18n_convert tables
VOCABULARY: dict[Enum, str | tuple[str, str]] = {}
MECHANISM_NAMES: dict[Enum, str | tuple[str, str]] = {}
TERMS: dict[str, str | tuple[str, str]] = {}
# END i18n_convert tables

# Keys of vocabulary values in ``term()`` keys and templates: ``status.approved``, ``mechanism.dpf``…
VOCABULARY_KEY_PREFIXES: dict[str, str] = {
    "Severity": "severity",
    "LifecycleStatus": "status",
    "ProcessorCategory": "category",
    "ProcessorRole": "role",
    "ProspectionUse": "prospection",
    "LocationActivity": "activity",
    "Tristate": "tristate",
    "SubProcessorAuthorisation": "authorisation",
    "ClauseStatus": "clause_status",
    "TransferMechanism": "mechanism",
}


def _vocabulary_terms() -> dict[str, str | tuple[str, str]]:
    named: dict[str, str | tuple[str, str]] = {}
    for value, text in VOCABULARY.items():
        prefix = VOCABULARY_KEY_PREFIXES.get(type(value).__name__)
        if prefix:
            named[f"{prefix}.{value.value}"] = text
    return named


ALL_TERMS: dict[str, str | tuple[str, str]] = {**_vocabulary_terms(), **TERMS}


def has_term(key: str) -> bool:
    return key in ALL_TERMS


def term(key: str, language: str, **values: object) -> str:
    """The text named ``key`` in ``language``; an unknown key shows as itself (a test lists them all)."""
    marked = ALL_TERMS.get(key)
    return key if marked is None else translate_marked(language, marked, **values)


def vocabulary_label(value: Enum, language: str) -> str:
    """The name of a vocabulary value as it reads on its own (a cell, a badge, an option)."""
    marked = VOCABULARY.get(value)
    return translate_marked(language, marked) if marked else str(value.value)


def mechanism_name(mechanism: Enum | str) -> Localised:
    """A transfer tool's name inside a sentence ("… relies on 2021 SCCs"), in both languages."""
    marked = MECHANISM_NAMES.get(mechanism)  # type: ignore[call-overload]
    if marked is None:
        return Localised(str(mechanism), str(mechanism))
    return Localised(en=translate_marked("en", marked), fr=translate_marked("fr", marked))
