"""Country pickers: the register's countries, named in the UI's language.

The list of codes is the reference's (``register/reference/data/countries.toml``
and its loader), so a picker never offers a country the validation refuses.
The names are CLDR's, through Babel (``Locale("fr").territories["RU"]`` is
"Russie", where ISO 3166's official French name is "Russie, Fédération de"),
and they are sorted as a reader of that language expects: letters with and
without accents together, case ignored ("Égypte" between "Danemark" and
"Équateur").
"""

from __future__ import annotations

import functools
import unicodedata

from babel import Locale

from register.reference import load_reference


def sort_key(name: str) -> str:
    """Primary-strength collation for Latin scripts: accents and case ignored."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@functools.cache
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


def country_name(code: str, language: str) -> str:
    """CLDR's name of ``code`` in ``language``; the reference's name when CLDR has none."""
    return _territories(language).get(code) or load_reference().country_name(code, language)


@functools.cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    named = ((code, country_name(code, language)) for code in load_reference().countries)
    return tuple(sorted(named, key=lambda pair: (sort_key(pair[1]), pair[0])))


def country_choices(language: str) -> list[tuple[str, str]]:
    """(code, name) of every country of the reference, sorted by name in ``language``."""
    return list(_choices(language))
