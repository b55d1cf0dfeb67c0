"""Country pickers: every country of the register's reference, named in the
UI's language from CLDR (Babel), sorted as a reader of that language expects.

CLDR names are the ones people use ("Russie", "Corée du Sud"), unlike ISO
3166's official forms ("Russie, Fédération de") that pycountry gives.
"""

from __future__ import annotations

import functools
import unicodedata

from babel import Locale

from register.reference import load_reference


def _sort_key(name: str) -> tuple[str, str]:
    """Accents and case ignored first ("Émirats" with the E), then as written."""
    bare = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return bare, name


@functools.cache
def country_names(language: str) -> dict[str, str]:
    """ISO alpha-2 code -> name in ``language`` for the reference's countries."""
    reference = load_reference()
    cldr = Locale.parse(language).territories
    return {code: cldr.get(code) or reference.country_name(code, language) for code in reference.countries}


@functools.cache
def country_choices(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) pairs for a ``<select>``, sorted by name in ``language``."""
    return tuple(sorted(country_names(language).items(), key=lambda pair: _sort_key(pair[1])))


def country_name(code: str, language: str) -> str:
    """The name of ``code`` in ``language`` (the code itself if unknown)."""
    return country_names(language).get(code, code)
