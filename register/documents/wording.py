"""Small wording helpers shared by the Word, Excel and CSV builders.

The texts themselves are gettext messages (``words(language).gettext("…")``,
see :mod:`register.i18n`); vocabulary values, transfer bases and the facts a
placeholder asks for are named texts of :mod:`register.i18n.terms`.
"""

from __future__ import annotations

import re
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
    return f"{bare}\u00a0: " if language == "fr" else f"{bare}: "


# A section reference that already says what it is ("Section 13", "Art. 5", "Annexe II"…).
NAMED_PLACE = re.compile(
    r"^(?:sections?|sect|art|articles?|clauses?|annex|annexes?|appendix|appendices|schedules?|exhibits?|"
    r"chapters?|chapitres?|chap|paragraphs?|paragraphes?|points?|parts?|parties?|titles?|titres?|pages?|p)\b\.?",
    re.IGNORECASE,
)
SECTION_SIGN = "§"


def section_place(section: str, language: str) -> str:
    """Where the vendor's DPA deals with an item, as typed or read, with its kind said once:
    "§13" → "§ 13" (non-breaking space), "13" or "7.2" → "section 13", "Section 13" and
    "Annex II" as typed; a reading's pages "7.1 (p. 3), Annex II (p. 12)" →
    "section 7.1, p. 3 ; Annex II, p. 12"."""
    places = [place for place in PLACES_SEPARATOR.split(" ".join(section.split())) if place]
    return items_separator(language).join(_one_place(place, language) for place in places)


def items_separator(language: str) -> str:
    """Between the items of a list in one cell: " ; " in French (a non-breaking space before), "; " in English."""
    return "\u00a0; " if language == "fr" else "; "


PLACES_SEPARATOR = re.compile(r",\s*(?![^()]*\))")  # commas outside parentheses
ON_PAGE = re.compile(r"^(?P<place>.*?)\s*\(p\.\s*(?P<page>\d+)\)$")


def _one_place(text: str, language: str) -> str:
    on_page = ON_PAGE.match(text)
    if on_page:
        page = f"p.\u00a0{on_page['page']}"
        return f"{_one_place(on_page['place'], language)}, {page}" if on_page["place"] else page
    if text.startswith(SECTION_SIGN):
        signs = SECTION_SIGN * (len(text) - len(text.lstrip(SECTION_SIGN)))
        return f"{signs}\u00a0{text.lstrip(SECTION_SIGN).strip()}"
    if NAMED_PLACE.match(text):
        return text
    return words(language).gettext("section %(section)s", section=text)


def status_in_section(status: str, section: str, language: str) -> str:
    """An Art. 28(3) item's status with where the DPA deals with it: "Partielle (section 7.2)",
    "Absente (§ 13)", "Partial (Annex II)"; the status alone without a section."""
    if not section.strip():
        return status
    return words(language).gettext("%(status)s (%(section)s)", status=status, section=section_place(section, language))


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
