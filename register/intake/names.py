"""Vendors' legal names compared (pure): one key per company name.

:func:`legal_name_key` is the register's one way to tell whether two legal
names designate the same company — for import keys (a sheet's row and the
register's processor), sub-processor notices (a vendor's list and the
register's sub-processors) and the DPF participants list. It folds accents,
case, punctuation and whitespace, reads "&" as "and", drops a leading "The",
and drops the legal forms of ``register/reference/data/legal_forms.toml``
("Inc.", "LLC", "GmbH", "SAS", "S.p.A.", "Pty Ltd"…) at the end of the name,
with or without their dots and spaces. A name is never emptied.

"Google LLC" and "GOOGLE L.L.C." are "google"; "Amazon Web Services, Inc."
("amazon web services") and "Amazon Web Services EMEA SARL" ("amazon web
services emea") stay two companies; renamed companies ("Brevo SAS",
"Sendinblue SAS") are not matched.
"""

from __future__ import annotations

import functools

from register.intake.values import fold
from register.reference import Reference, load_reference

LEADING_ARTICLE = "the"


def words_of(name: str) -> list[str]:
    """The name folded into words, "&" read as "and"."""
    return fold(name.replace("&", " and ")).split()


def legal_form_spellings(reference: Reference) -> dict[str, str]:
    """Every spelling of every legal form, folded and without spaces ("l.l.c." → "llc"),
    to its form's id. ValueError when a spelling folds to nothing or belongs to two forms."""
    owners: dict[str, str] = {}
    for form in reference.legal_forms.values():
        for spelling in form.spellings:
            compact = "".join(words_of(spelling))
            if not compact:
                raise ValueError(f"legal_forms.toml: form.{form.id}: spelling {spelling!r} has no letters")
            if owners.get(compact, form.id) != form.id:
                raise ValueError(
                    f"legal_forms.toml: form.{form.id}: spelling {spelling!r} is already "
                    f"a spelling of form.{owners[compact]}"
                )
            owners[compact] = form.id
    return owners


@functools.cache
def _shipped_spellings() -> frozenset[str]:
    return frozenset(legal_form_spellings(load_reference()))


@functools.cache
def _longest_spelling_words() -> int:
    return max((len(spelling) for spelling in _shipped_spellings()), default=0)


def _trailing_form_length(words: list[str], spellings: frozenset[str]) -> int:
    """How many of the last words spell a legal form (longest first), 0 if none.
    A name keeps at least one word."""
    longest = min(len(words) - 1, _longest_spelling_words())
    for count in range(longest, 0, -1):
        if "".join(words[-count:]) in spellings:
            return count
    return 0


@functools.lru_cache(maxsize=100_000)
def legal_name_key(name: str) -> str:
    """The key two names of one company share: "HubSpot, Inc." → "hubspot"."""
    spellings = _shipped_spellings()
    words = words_of(name)
    while (count := _trailing_form_length(words, spellings)) > 0:
        del words[-count:]
    if len(words) > 1 and words[0] == LEADING_ARTICLE:
        del words[0]
    return " ".join(words)
