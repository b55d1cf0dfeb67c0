"""Jinja2's i18n extension, in the language of the request being rendered.

Templates write ``{{ _("Save") }}``, ``{{ _("Page %(page)s of %(pages)s", page=p, pages=n) }}``,
``{{ ngettext("%(num)s finding", "%(num)s findings", n) }}``, ``{{ pgettext("context", "Text") }}``
or ``{% trans %}…{% endtrans %}``; the callables read the language from the
template context's ``request`` (the session's language, see :func:`register.i18n.language_of`).
Names defined elsewhere (vocabulary values, form fields) are shown with ``term("group.name")``
and ``vocab(value)``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from register.i18n import language_of, translations
from register.i18n.dates import prose_date, prose_moment, table_date, table_moment
from register.i18n.terms import has_term, subject_label, term, vocabulary_label
from register.reference import load_reference


def _language(context: Context) -> str:
    return language_of(context.get("request"))


@pass_context
def _gettext(context: Context, message: str) -> str:
    return translations(_language(context)).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return translations(_language(context)).ngettext(singular, plural, n)


@pass_context
def _pgettext(context: Context, message_context: str, message: str) -> str:
    return translations(_language(context)).pgettext(message_context, message)


@pass_context
def _npgettext(context: Context, message_context: str, singular: str, plural: str, n: int) -> str:
    return translations(_language(context)).npgettext(message_context, singular, plural, n)


@pass_context
def _subject(context: Context, subject: Any) -> str:
    """A finding's subject in the UI language (an Art. 28(3) item by its provision)."""
    return subject_label(subject, _language(context))


@pass_context
def _colon(context: Context) -> str:
    """After a label: "Pays\u00a0: " in French (a non-breaking space before), "Country: " in English."""
    return "\u00a0: " if _language(context) == "fr" else ": "


@pass_context
def _semicolon(context: Context) -> str:
    """Between the items of a list: "\u00a0; " in French, "; " in English."""
    return "\u00a0; " if _language(context) == "fr" else "; "


@pass_context
def _term(context: Context, key: str, default: Any = None) -> str:
    """A named text (``field.website``, ``status.approved``…) in the UI language."""
    if default is not None and not has_term(key):
        return default
    return term(key, _language(context))


@pass_context
def _vocab(context: Context, value: Any) -> str:
    return vocabulary_label(value, _language(context))


@pass_context
def _lang(context: Context) -> str:
    return _language(context)


@pass_context
def _loc(context: Context, text: Any) -> str:
    """A core text (``Localised``) in the UI language."""
    return text.in_language(_language(context))


@pass_context
def _country(context: Context, code: str | None) -> str:
    return load_reference().country_name(code, _language(context)) if code else ""


@pass_context
def _day(context: Context, value: date | None) -> str:
    return prose_date(value, _language(context))


@pass_context
def _table_day(context: Context, value: date | None) -> str:
    return table_date(value, _language(context))


@pass_context
def _when(context: Context, value: datetime | None) -> str:
    return prose_moment(value, _language(context))


@pass_context
def _table_when(context: Context, value: datetime | None) -> str:
    return table_moment(value, _language(context))


def score_tone(score: int) -> str:
    return "good" if score >= 80 else "fair" if score >= 50 else "poor"


def install_template_helpers(environment: Environment) -> None:
    """gettext callables (Jinja2's i18n extension) and the display helpers, for every template."""
    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )
    environment.globals.update(
        subject=_subject,
        colon=_colon,
        semicolon=_semicolon,
        term=_term,
        has_term=has_term,
        vocab=_vocab,
        lang=_lang,
        loc=_loc,
        country=_country,
        day=_day,
        table_day=_table_day,
        when=_when,
        table_when=_table_when,
        tone=score_tone,
    )
