"""The register's wording in French and English, through gettext.

English source strings are the message ids; ``register/locale/<lang>/
LC_MESSAGES/messages.po`` holds each other language's translations (managed
with Babel's ``pybabel extract/update/compile``, see README). The catalogs are
compiled when first used, from the .po files themselves, so a fresh clone and
``pip install -e .`` need no build step and no compiled file can go stale.

Python code calls ``words(language).gettext(…)`` (and ``ngettext``, ``pgettext``)
with the language (pages: the session's, documents: the one asked for); templates
call ``_()``, ``ngettext()``, ``pgettext()`` and ``{% trans %}`` through Jinja2's
i18n extension (:mod:`register.i18n.jinja`). Texts defined away from where
they are shown (vocabulary names, form labels) are marked with :func:`N_` or
:func:`NP_` so that extraction finds them, and translated at display.
"""

from __future__ import annotations

import functools
import re
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
SOURCE_LANGUAGE = "en"  # the language of the message ids
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
# The Babel/CLDR locale each language's dates and plural rules follow (British English: "organisation").
CLDR_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:  # noqa: N802
    """Mark ``message`` with a context (``msgctxt``) for extraction; shown with :func:`translate_marked`."""
    return (context, message)


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; expected one of {', '.join(LANGUAGES)}")
    return language


def cldr_locale(language: str) -> Locale:
    return Locale.parse(CLDR_LOCALES.get(language, language))


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog of ``language`` (English, the source language, may have none)."""
    path = catalog_path(language)
    if not path.exists():
        if language == SOURCE_LANGUAGE:
            return NullTranslations()
        raise FileNotFoundError(f"no message catalog for {language!r} at {path}")
    with path.open("rb") as po:
        catalog = read_po(po, locale=cldr_locale(language), domain=DOMAIN)
    if language == "fr":
        for message in catalog:
            if message.id:
                message.string = _spaced(message.string)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


# French typography: a non-breaking space before ":", ";", "!", "?" and "»" and after "«", so that
# a line never starts with one of them. Translators may type an ordinary space: the catalog is
# compiled with the non-breaking one (tests/test_i18n_catalog.py checks every French text).
_SPACE_BEFORE = re.compile(r" (?=[:;!?»])")
_SPACE_AFTER = re.compile(r"(?<=«) ")
NBSP = "\u00a0"


def french_spacing(text: str) -> str:
    """``text`` with French typography's non-breaking spaces ("Pays : France", "« Acme »")."""
    return _SPACE_AFTER.sub(NBSP, _SPACE_BEFORE.sub(NBSP, text))


def _spaced(string: str | tuple[str, ...]) -> str | tuple[str, ...]:
    if isinstance(string, tuple):
        return tuple(french_spacing(form) for form in string)
    return french_spacing(string)


class Words:
    """gettext's calls for one language, with ``%(name)s`` fields filled from keyword values.

    ``words("fr").gettext("Page %(page)s of %(pages)s", page=1, pages=3)``;
    ``ngettext(singular, plural, n)`` fills ``%(num)s`` with ``n``; the
    positional arguments are gettext's own, so ``pybabel extract`` finds the texts.
    """

    __slots__ = ("language", "catalog")

    def __init__(self, language: str):
        self.language = language
        self.catalog = translations(language)

    def gettext(self, message: str, **values: Any) -> str:
        return _filled(self.catalog.gettext(message), values)

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> str:
        return _filled(self.catalog.ngettext(singular, plural, n), {"num": n, **values})

    def pgettext(self, context: str, message: str, **values: Any) -> str:
        return _filled(self.catalog.pgettext(context, message), values)

    def marked(self, text: str | tuple[str, str], **values: Any) -> str:
        """A text marked with :func:`N_` (a string) or :func:`NP_` (context, text)."""
        if isinstance(text, tuple):
            return self.pgettext(text[0], text[1], **values)
        return self.gettext(text, **values)


def _filled(text: str, values: dict[str, Any]) -> str:
    return text % values if values else text


@functools.cache
def words(language: str) -> Words:
    """The translations of ``language`` (French or English)."""
    return Words(check_language(language))


def translate_marked(language: str, text: str | tuple[str, str], **values: Any) -> str:
    return words(language).marked(text, **values)


def language_of(request: Any) -> str:
    """The UI language of a request: its session's, else ``?lang=``, else French."""
    if request is None:
        return DEFAULT_LANGUAGE
    session = request.scope.get("auth")
    chosen = getattr(session, "language", None)
    if chosen in LANGUAGES:
        return chosen
    asked = request.query_params.get("lang")
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE
