"""The gettext catalogs: complete, consistent, up to date with the sources, with real plurals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment

from register.i18n import LANGUAGES, catalog_path, cldr_locale, words
from register.i18n.jinja import install_template_helpers
from register.i18n.terms import ALL_TERMS, MECHANISM_NAMES, VOCABULARY, term

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [language for language in LANGUAGES if language != "en"]


def catalog(language: str):
    with catalog_path(language).open("rb") as po:
        return read_po(po, locale=cldr_locale(language))


def messages(language: str):
    return [m for m in catalog(language) if m.id]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    found = messages(language)
    assert len(found) > 400
    untranslated = [m.id for m in found if not all(m.string if isinstance(m.string, tuple) else (m.string,))]
    assert untranslated == []
    assert [m.id for m in found if m.fuzzy] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_of_their_message(language):
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog(language).check()]
    assert problems == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_message_writes_a_plural_by_hand(language):
    texts = [m.id if isinstance(m.id, str) else m.id[0] for m in messages(language)]
    texts += [s for m in messages(language) for s in (m.string if isinstance(m.string, tuple) else (m.string,))]
    # "Controller(s)" (the Annex I heading of 2021/915) is the official text, not a count
    assert [t for t in texts if "(s)" in t and "%(" in t] == []


def test_the_catalog_is_up_to_date_with_the_sources(tmp_path):
    """What ``pybabel extract`` finds is exactly what the French catalog translates (README's commands)."""
    template = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "N_", "-k",
         "NP_:1c,2", "--no-wrap", "-o", str(template), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with template.open("rb") as pot:
        extracted = {(m.context, m.id) for m in read_po(pot) if m.id}
    translated = {(m.context, m.id) for m in messages("fr")}
    assert sorted(map(str, extracted - translated)) == [], "run pybabel update (README) and translate"
    assert sorted(map(str, translated - extracted)) == [], "run pybabel update (README): stale entries"


def test_every_named_text_is_in_the_catalog():
    ids = {(m.context, m.id) for m in messages("fr")}
    marked = [*ALL_TERMS.values(), *VOCABULARY.values(), *MECHANISM_NAMES.values()]
    missing = [t for t in marked if ((t[0], t[1]) if isinstance(t, tuple) else (None, t)) not in ids]
    assert missing == []


@pytest.mark.parametrize(
    ("language", "n", "expected"),
    [("fr", 0, "0 constat sur ce sous-traitant."), ("fr", 1, "1 constat sur ce sous-traitant."),
     ("fr", 2, "2 constats sur ce sous-traitant."), ("en", 1, "1 finding on this processor."),
     ("en", 0, "0 findings on this processor."), ("en", 3, "3 findings on this processor.")],
)
def test_counts_use_the_languages_plural_rules(language, n, expected):
    said = words(language).ngettext("%(num)s finding on this processor.", "%(num)s findings on this processor.", n)
    assert said == expected


def test_one_english_text_can_have_two_french_translations():
    assert term("request_status.approved", "fr") == "Approuvée"
    assert term("status.approved", "fr") == "Approuvé"
    assert words("fr").pgettext("title", "Sign in") == "Connexion"
    assert words("fr").gettext("Sign in") == "Se connecter"


def test_templates_translate_in_the_requests_language():
    environment = Environment(autoescape=True)
    install_template_helpers(environment)
    template = environment.from_string(
        '{{ _("Save") }} | {{ ngettext("%(num)s finding", "%(num)s findings", n) }} | '
        '{{ _("Delete “%(name)s” from the register, with its locations, sub-processors, agreement and '
        'transfer tools? The audit trail keeps a record of the deletion.", name=name) }}'
    )

    class Request:
        scope: dict = {}

        def __init__(self, language):
            self.query_params = {"lang": language}

    french = template.render(request=Request("fr"), n=2, name="<b>")
    assert french.startswith("Enregistrer | 2 constats | Supprimer «\u00a0&lt;b&gt;\u00a0»")
    assert template.render(request=Request("en"), n=1, name="x").startswith("Save | 1 finding | Delete “x”")


def test_trans_blocks_translate_too():
    environment = Environment(autoescape=True)
    install_template_helpers(environment)
    template = environment.from_string("{% trans %}Save{% endtrans %} / {% trans num=n %}{{ num }} finding on this "
                                       "processor.{% pluralize %}{{ num }} findings on this processor.{% endtrans %}")

    class Request:
        scope: dict = {}
        query_params = {"lang": "fr"}

    assert template.render(request=Request(), n=2) == "Enregistrer / 2 constats sur ce sous-traitant."


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unsupported language"):
        words("de")


def test_the_catalogs_are_package_data():
    """``pip install .`` ships every .po (they are compiled when first used: no build step, nothing stale)."""
    import fnmatch
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["register"]
    for language in TRANSLATED:
        relative = catalog_path(language).relative_to(ROOT / "register").as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative
