"""Reading one cell as a register value: countries, dates, yes/no, lists, labels.

Each reader returns the value or raises :class:`ValueError` with a short
English reason; the preview turns it into a problem naming the cell.

Countries are recognised by ISO code (alpha-2 or alpha-3) or by name in
French or English, accents, case and punctuation ignored: the names come
from CLDR (Babel) and ISO 3166-1 (pycountry, with its French catalogue) —
never a list written here. CLDR lacks only a couple of everyday
abbreviations (``UK``, ``EL`` for Greece in EU texts), listed in
:data:`COUNTRY_ALIASES`.
"""

from __future__ import annotations

import functools
import gettext
import re
import unicodedata
from datetime import date, datetime, timedelta
from enum import Enum

import pycountry
from babel import Locale

from register import vocabulary
from register.i18n.terms import mechanism_name, vocabulary_label
from register.intake.model import Cell
from register.reference import load_reference

# Abbreviations in everyday use that are not ISO codes nor CLDR names.
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR", "U K": "GB", "U S": "US", "U S A": "US"}
LANGUAGES = ("fr", "en")
# Excel's day 0 (its 1900 calendar counts 29 Feb 1900, so serials from 61 on
# are right when counted from 30 Dec 1899).
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIALS = range(61, 2_958_466)  # 1 Mar 1900 .. 31 Dec 9999
LIST_SEPARATORS = re.compile(r"\s*(?:;|,|\r?\n|\r)\s*")
ITEM_SEPARATORS = re.compile(r"\s*(?:;|\r?\n|\r)\s*")  # lists whose items contain commas
TRUE_WORDS = {"oui", "o", "yes", "y", "x", "vrai", "true", "1", "✓", "✔", "ok", "signe", "signed"}
FALSE_WORDS = {"non", "n", "no", "faux", "false", "0", "-", "✗"}
UNKNOWN_WORDS = {"", "?", "inconnu", "unknown", "nc", "n/a", "na", "ne sait pas", "not known", "a completer"}


@functools.lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Accents, case and punctuation ignored: "Îles Féroé" and "iles FEROE" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    bare = bare.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


def text_of(cell: Cell) -> str:
    """A cell as text (numbers without a trailing .0, dates in ISO form)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


# ------------------------------------------------------------------ countries


@functools.cache
def country_index() -> dict[str, str]:
    """Folded name or code → alpha-2 code, for every country of the reference."""
    codes = set(load_reference().countries)
    index: dict[str, str] = {}

    def add(name: str | None, code: str) -> None:
        if name:
            index.setdefault(fold(name), code)

    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    for language in LANGUAGES:  # CLDR first: its names are the ones people write
        for code, name in Locale.parse(language).territories.items():
            if code in codes:
                add(name, code)
    for record in pycountry.countries:
        code = record.alpha_2
        if code not in codes:
            continue
        for name in (getattr(record, "common_name", None), record.name, getattr(record, "official_name", None)):
            if name:
                add(name, code)
                add(french.gettext(name), code)
        add(record.alpha_3, code)
        add(code, code)
    for alias, code in COUNTRY_ALIASES.items():
        add(alias, code)
    return index


def parse_country(cell: Cell) -> str | None:
    """An alpha-2 code from a code or a name; None for an empty or "unknown" cell."""
    text = text_of(cell)
    folded = fold(text)
    if folded in UNKNOWN_WORDS:
        return None
    code = country_index().get(folded)
    if code is None:
        raise ValueError(f"{text!r} is not a country this register knows (write its name or ISO code)")
    return code


def parse_countries(cell: Cell) -> list[str]:
    """Several countries in one cell, split on ; , or new lines; a name with a comma
    ("Korea, Republic of") is tried whole first."""
    text = text_of(cell)
    if not text:
        return []
    try:
        whole = parse_country(text)
        return [whole] if whole else []
    except ValueError:
        pass
    codes: list[str] = []
    for part in split_list(text):
        code = parse_country(part)
        if code and code not in codes:
            codes.append(code)
    return codes


# ------------------------------------------------------------------ dates


@functools.cache
def month_numbers() -> dict[str, int]:
    """Folded month names (wide and abbreviated, French and English, from CLDR) → 1..12."""
    months: dict[str, int] = {}
    for language in LANGUAGES:
        locale = Locale.parse(language)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    months[fold(name)] = number
    return months


DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?$")
WORDED = re.compile(r"^(\d{1,2})(?:er)? ([^\W\d]+)\.? (\d{4})$")


def parse_date(cell: Cell) -> date | None:
    """dd/mm/yyyy (also with . or -), yyyy-mm-dd, "1 Dec 2026" / "1er décembre 2026",
    an Excel serial number or a date cell; None when empty."""
    if cell is None:
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool):
        raise ValueError("a yes/no value is not a date")
    if isinstance(cell, (int, float)):
        return excel_serial(cell)
    text = text_of(cell)
    if fold(text) in UNKNOWN_WORDS:
        return None
    if text.isdigit():
        return excel_serial(int(text))
    try:
        return _date_from_text(text)
    except ValueError as error:
        raise ValueError(f"{text!r} is not a date ({error}); write dd/mm/yyyy or yyyy-mm-dd") from None


def _date_from_text(text: str) -> date:
    if match := ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
        return date(year, month, day)
    if match := DAY_FIRST.match(text):
        day, month, year = (int(part) for part in match.groups())
        if year < 100:
            year += 2000 if year < 70 else 1900
        return date(year, month, day)
    if match := WORDED.match(fold(text)):
        day, month_name, year = match.groups()
        month = month_numbers().get(month_name)
        if month is None:
            raise ValueError(f"unknown month {month_name!r}")
        return date(int(year), month, int(day))
    raise ValueError("unrecognised form")


def excel_serial(number: int | float) -> date:
    if int(number) not in EXCEL_SERIALS:
        raise ValueError(f"{number!r} is not a date")
    return EXCEL_EPOCH + timedelta(days=int(number))


# ------------------------------------------------------------------ yes/no, numbers, lists


def parse_boolean(cell: Cell) -> bool | None:
    """oui/non, yes/no, x (ticked), true/false, 1/0; None for empty or unknown."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        return cell
    folded = fold(text_of(cell))
    if folded in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS:
        return False
    if folded in UNKNOWN_WORDS:
        return None
    raise ValueError(f"{text_of(cell)!r} is not yes or no (oui/non, yes/no, x)")


def parse_integer(cell: Cell) -> int | None:
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ValueError("a yes/no value is not a number")
    if isinstance(cell, float):
        if not cell.is_integer():
            raise ValueError(f"{cell!r} is not a whole number")
        return int(cell)
    if isinstance(cell, int):
        return cell
    text = text_of(cell).replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if fold(text) in UNKNOWN_WORDS:
        return None
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError(f"{text_of(cell)!r} is not a whole number")
    return int(text)


def split_list(text: str, separators: re.Pattern[str] = LIST_SEPARATORS) -> list[str]:
    """"a; b, c" or one item a line → ["a", "b", "c"] (blanks dropped, order kept, no repeats)."""
    items: list[str] = []
    for item in separators.split(text):
        item = item.strip()
        if item and item not in items:
            items.append(item)
    return items


def parse_list(cell: Cell) -> list[str]:
    return split_list(text_of(cell))


# ------------------------------------------------------------------ labels of the register's vocabularies


@functools.cache
def label_index(enum_name: str) -> dict[str, str]:
    """Folded value or label (French and English) → the vocabulary's value."""
    enum: type[Enum] = getattr(vocabulary, enum_name)
    index: dict[str, str] = {}
    for member in enum:
        index[fold(member.value)] = member.value
        for language in LANGUAGES:
            index.setdefault(fold(vocabulary_label(member, language)), member.value)
    return index


def parse_choice(cell: Cell, enum_name: str) -> str | None:
    text = text_of(cell)
    if not text:
        return None
    value = label_index(enum_name).get(fold(text))
    if value is None:
        labels = sorted({vocabulary_label(member, "en") for member in getattr(vocabulary, enum_name)})
        raise ValueError(f"{text!r} is not one of: {', '.join(labels)}")
    return value


# The CNIL workbook's "Type de garanties" (sheet 5 "Listes") and a few ways
# people write the tools; the labels are mapped, the CNIL's adequacy claims
# are not (the compliance core judges each country from its own dated data).
CNIL_GUARANTEES = {
    "Clauses contractuelles types (CCT)": vocabulary.TransferMechanism.SCC_2021,
    "Règles d'entreprise contraignantes (BCR)": vocabulary.TransferMechanism.BCR,
    "Pays adéquat": vocabulary.TransferMechanism.ADEQUACY,
    "Privacy shield": vocabulary.TransferMechanism.PRIVACY_SHIELD,
    "Dérogations (art 49)": vocabulary.TransferMechanism.ART49_DEROGATION,
}
MECHANISM_WORDS = {
    "cct": vocabulary.TransferMechanism.SCC_2021,
    "scc": vocabulary.TransferMechanism.SCC_2021,
    "sccs": vocabulary.TransferMechanism.SCC_2021,
    "clauses contractuelles types": vocabulary.TransferMechanism.SCC_2021,
    "standard contractual clauses": vocabulary.TransferMechanism.SCC_2021,
    "bcr": vocabulary.TransferMechanism.BCR,
    "binding corporate rules": vocabulary.TransferMechanism.BCR,
    "adequacy": vocabulary.TransferMechanism.ADEQUACY,
    "adequacy decision": vocabulary.TransferMechanism.ADEQUACY,
    "adequation": vocabulary.TransferMechanism.ADEQUACY,
    "decision d adequation": vocabulary.TransferMechanism.ADEQUACY,
    "dpf": vocabulary.TransferMechanism.DPF,
    "data privacy framework": vocabulary.TransferMechanism.DPF,
    "eu us data privacy framework": vocabulary.TransferMechanism.DPF,
    "privacy shield": vocabulary.TransferMechanism.PRIVACY_SHIELD,
    "bouclier de protection des donnees": vocabulary.TransferMechanism.PRIVACY_SHIELD,
    "idta": vocabulary.TransferMechanism.UK_IDTA,
    "derogation": vocabulary.TransferMechanism.ART49_DEROGATION,
    "derogations": vocabulary.TransferMechanism.ART49_DEROGATION,
    "art 49": vocabulary.TransferMechanism.ART49_DEROGATION,
}
# Tools the CNIL list offers that the register does not record as a transfer
# tool of a flow (Art. 46(2)(e)-(f)): imported as a note, with a warning.
UNRECORDED_TOOLS = {fold("Code de conduite"), fold("Certification"), "code of conduct"}


@functools.cache
def mechanism_index() -> dict[str, str]:
    index = {fold(label): mechanism.value for label, mechanism in CNIL_GUARANTEES.items()}
    index.update({word: mechanism.value for word, mechanism in MECHANISM_WORDS.items()})
    for mechanism in vocabulary.TransferMechanism:
        index.setdefault(fold(mechanism.value), mechanism.value)
        name = mechanism_name(mechanism)
        for label in (name.en, name.fr, vocabulary_label(mechanism, "en"), vocabulary_label(mechanism, "fr")):
            index.setdefault(fold(label), mechanism.value)
    return index


def parse_mechanism(cell: Cell) -> str | None:
    """A TransferMechanism value from its code, its label (French or English) or the CNIL's label."""
    text = text_of(cell)
    folded = fold(text)
    if folded in UNKNOWN_WORDS:
        return None
    value = mechanism_index().get(folded)
    if value is None:
        if folded in UNRECORDED_TOOLS:
            raise ValueError(f"{text!r} is not a transfer tool the register records for a flow; note it on the processor")
        raise ValueError(f"{text!r} is not a transfer tool (SCC, BCR, adequacy, DPF, IDTA, derogation…)")
    return value
