"""Small wording helpers shared by the Word, Excel and CSV builders.

The texts themselves are gettext messages (``words(language).gettext("…")``,
see :mod:`register.i18n`); vocabulary values, transfer bases and the facts a
placeholder asks for are named texts of :mod:`register.i18n.terms`.
"""

from __future__ import annotations

from enum import Enum

from register.i18n import LANGUAGES, check_language, words  # noqa: F401 (LANGUAGES, check_language: for the builders)
from register.i18n.terms import mechanism_name, term, vocabulary_label
from register.vocabulary import TransferMechanism


def enum_label(value: Enum, language: str) -> str:
    """The label of a vocabulary value; transfer tools as they read in a sentence."""
    if isinstance(value, TransferMechanism):
        return mechanism_name(value).in_language(language)
    return vocabulary_label(value, language)


def route_basis_label(basis: str, language: str) -> str:
    """What a transfer route rests on ("Adequacy decision", "No safeguard"…)."""
    return term(f"route_basis.{basis}", language)


def placeholder_text(what: str, language: str) -> str:
    """"[To be completed: …]" / "[À compléter : …]" for the missing fact ``what`` (a ``missing.`` term)."""
    return words(language).gettext("[To be completed: %(what)s]", what=term(f"missing.{what}", language))


def with_colon(text: str, language: str) -> str:
    """"Label: " / "Libellé : " (French typography puts a space before the colon)."""
    bare = text.rstrip().rstrip(":").rstrip()
    return f"{bare} : " if language == "fr" else f"{bare}: "


def yes_no(value: bool | None, language: str) -> str:
    said = words(language)
    if value is None:
        return said.gettext("Unknown")
    return said.gettext("Yes") if value else said.gettext("No")



def quantity(value: float | int, unit: str, language: str) -> str:
    """A reference threshold with its unit, "12 mois" / "12 months" (real plurals; other units as stored)."""
    said = words(language)
    whole = float(value).is_integer()
    n, count = (int(value), int(value)) if whole else (value, 2)
    if unit == "months":
        return said.ngettext("%(num)s month", "%(num)s months", count, num=n)
    if unit == "days":
        return said.ngettext("%(num)s day", "%(num)s days", count, num=n)
    if unit == "hours":
        return said.ngettext("%(num)s hour", "%(num)s hours", count, num=n)
    if unit == "percent":
        return f"{n}\u202f%" if language == "fr" else f"{n}%"
    return f"{n} {unit}"


def coverage_label(coverage: str, language: str) -> str:
    """A route's coverage (``TransferRoute.coverage``) as documents show it."""
    said = words(language)
    if coverage == "covered":
        return said.pgettext("transfer coverage", "covered")
    if coverage == "being_negotiated":
        return said.gettext("being negotiated: not covered until signed")
    return said.pgettext("transfer coverage", "NOT COVERED")
