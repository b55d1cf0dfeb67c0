"""The import's problems and fields in French and English.

A :class:`Problem` keeps its English message id (``template``) and its
values (``params``); :func:`problem_text` says it in the language asked, with
where it is ("Feuille « Prestataires », ligne 4, colonne C (Pays) : …").
Numbers follow the language's CLDR format; a ``field`` value is shown by the
field's label, a ``separator`` by its name.
"""

from __future__ import annotations

import functools
from typing import Any

from babel.numbers import format_decimal

from register.i18n import N_, cldr_locale, words
from register.i18n.terms import ALL_TERMS, term
from register.intake.model import Param, Problem

# Labels of the import's fields the register's forms do not already name ("field.<name>").
FIELD_LABELS: dict[str, str] = {
    "id": N_("Register ID"),
    "locations": N_("Processing locations"),
    "transfer_country": N_("Transfer country"),
    "transfer_mechanism": N_("Transfer tool"),
    "transfer_signed_on": N_("Transfer tool signed on"),
    "dpa_signed_on": N_("DPA signed on"),
    "dpa_ends_on": N_("DPA ends on"),
    "dpa_reference": N_("DPA reference"),
    "dpa_status": N_("DPA status"),
}
SEPARATOR_NAMES = {"semicolon": N_("semicolons"), "comma": N_("commas"), "tab": N_("tabs")}


def field_label(name: str, language: str) -> str:
    """A mappable field's label ("Headquarters country" / "Pays du siège")."""
    if name in FIELD_LABELS:
        return words(language).gettext(FIELD_LABELS[name])
    key = "field." + name
    return term(key, language) if key in ALL_TERMS else name


def shown(name: str, value: Param, language: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return format_decimal(value, locale=cldr_locale(language))
    if name == "field":
        return field_label(str(value), language)
    if name == "separator" and value in SEPARATOR_NAMES:
        return words(language).gettext(SEPARATOR_NAMES[str(value)])
    return str(value)


def render(template: str, params: dict[str, Param], language: str) -> str:
    """``template`` (an English message id) in ``language``, filled with ``params``."""
    values: dict[str, Any] = {name: shown(name, value, language) for name, value in params.items()}
    if "reason" in params:  # a validation reason: the term that says it, e.g. "error.choice"
        values["reason"] = as_clause(term(str(params["reason"]), language, **values))
    text = words(language).gettext(template, **values) if values else words(language).gettext(template)
    return as_clause(text) if template in sentence_templates() else text


@functools.cache
def sentence_templates() -> frozenset[str]:
    """The forms' validation sentences ("Enter a date (YYYY-MM-DD).") an import problem reuses."""
    return frozenset(text for key, text in ALL_TERMS.items() if key.startswith("error.") and isinstance(text, str))


def as_clause(sentence: str) -> str:
    """A sentence as the clause after "ligne 4 : " — lower-case first word (not an acronym), no final full stop."""
    first_word = sentence.split(" ", 1)[0]
    if first_word[:1].isupper() and not (len(first_word) > 1 and first_word.isupper()):
        sentence = sentence[0].lower() + sentence[1:]
    return sentence[:-1] if sentence.endswith(".") else sentence


def where(problem: Problem, language: str) -> str:
    said = words(language)
    parts = []
    if problem.sheet:
        parts.append(said.gettext("sheet “%(sheet)s”", sheet=problem.sheet))
    if problem.row is not None:
        parts.append(said.gettext("row %(row)s", row=shown("row", problem.row, language)))
    if problem.column:
        field = problem.params.get("field")
        if field is not None:
            parts.append(said.gettext("column %(column)s (%(field)s)", column=problem.column,
                                      field=field_label(str(field), language)))
        else:
            parts.append(said.gettext("column %(column)s", column=problem.column))
    elif problem.code == "row_invalid" and "field" in problem.params:
        parts.append(field_label(str(problem.params["field"]), language))  # a value the register refuses
    return ", ".join(parts)


def problem_text(problem: Problem, language: str) -> str:
    """The problem and where it is, in ``language``: what the pages and the command line show."""
    message = render(problem.template, problem.params, language) if problem.template else problem.message
    place = where(problem, language)
    if not place:
        return message[:1].upper() + message[1:]
    place = place[:1].upper() + place[1:]
    return f"{place}\u00a0: {message}" if language == "fr" else f"{place}: {message}"
