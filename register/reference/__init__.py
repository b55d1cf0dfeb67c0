"""The legal reference data: countries, adequacy decisions, Art. 28 items,
SCC modules, the findings catalogue, key dates, thresholds and legal forms.

The data lives in TOML files in ``data/`` beside this module; every datum
carries its :class:`Source`. :func:`load_reference` reads and validates them
once; a broken file raises a ``ValueError`` naming the file and the entry.

Country names come from pycountry (ISO 3166-1) for every alpha-2 code; the
EEA membership comes from ``countries.toml`` only, so there is no second
country list in code.
"""

from __future__ import annotations

import functools
import gettext
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pycountry

from register.reference.types import (
    AdequacyDecision,
    Art28Item,
    Country,
    FindingDefinition,
    KeyDate,
    LegalForm,
    SccModule,
    Source,
    Threshold,
)
from register.vocabulary import Severity

__all__ = [
    "AdequacyDecision",
    "Art28Item",
    "Country",
    "FindingDefinition",
    "KeyDate",
    "LegalForm",
    "Reference",
    "SccModule",
    "Source",
    "Threshold",
    "load_reference",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

ADEQUACY_SCOPES = frozenset({"general", "dpf_certified", "pipeda", "lgpd"})
PARTY_ROLES = frozenset({"controller", "processor"})

_ORGANISATION_CODE = re.compile(r"^XX-[A-Z0-9]+$")
_ART28_ID = re.compile(r"^art28_3_[a-z]+$")
_FINDING_CODE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")
_SNAKE_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


@dataclass(frozen=True)
class Reference:
    """All reference data, loaded and validated. Mappings are read-only."""

    countries: Mapping[str, Country]  # every ISO 3166-1 alpha-2 code
    adequacy: Mapping[str, AdequacyDecision]  # by code ("JP", "XX-EPO", ...)
    art28_items: tuple[Art28Item, ...]  # in the reference's order
    scc_modules: Mapping[int, SccModule]
    findings: Mapping[str, FindingDefinition]
    key_dates: Mapping[str, KeyDate]
    thresholds: Mapping[str, Threshold]
    legal_forms: Mapping[str, LegalForm]  # by id ("llc", "sarl", ...)
    # Source of every country's names and of the list of codes (pycountry).
    country_names_source: Source

    # Codes are matched exactly: ISO 3166-1 alpha-2 codes are upper case, and
    # "fr" is not a code (callers normalise user input at the edge).

    def country(self, code: str) -> Country:
        """The country with this ISO alpha-2 code; KeyError if unknown."""
        return self.countries[code]

    def is_known_country(self, code: str) -> bool:
        """True for an ISO 3166-1 alpha-2 code (not for an international
        organisation, which has an adequacy entry but is not a country)."""
        return code in self.countries

    def is_eea(self, code: str) -> bool:
        country = self.countries.get(code)
        return country is not None and country.eea

    def adequacy_for(self, code: str) -> AdequacyDecision | None:
        """The adequacy decision for a country or international organisation."""
        return self.adequacy.get(code)

    def country_name(self, code: str, language: str) -> str:
        """Name of a country (or of an international organisation with an
        adequacy decision) in "fr" or "en"; the code itself if unknown."""
        country = self.countries.get(code)
        if country is not None:
            return country.name(language)
        decision = self.adequacy.get(code)
        if decision is not None:
            return decision.name_fr if language == "fr" else decision.name_en
        return code

    def finding(self, code: str) -> FindingDefinition:
        """The catalogue entry for a finding code; KeyError if unknown."""
        return self.findings[code]

    def art28_item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.art28_items)

    def sources(self) -> list[tuple[str, Source]]:
        """Every datum's label ("file:key") and source, for documents'
        appendices. Countries outside the EEA share one entry, the source of
        the country names."""
        labelled: list[tuple[str, Source]] = [("countries:names", self.country_names_source)]
        labelled += [(f"countries:{c.code}", c.source) for c in self.countries.values() if c.eea]
        labelled += [(f"adequacy:{code}", d.source) for code, d in self.adequacy.items()]
        labelled += [(f"art28:{item.id}", item.source) for item in self.art28_items]
        labelled += [(f"scc_modules:{n}", m.source) for n, m in self.scc_modules.items()]
        labelled += [(f"findings:{code}", f.source) for code, f in self.findings.items()]
        labelled += [(f"key_dates:{key}", d.source) for key, d in self.key_dates.items()]
        labelled += [(f"thresholds:{key}", t.source) for key, t in self.thresholds.items()]
        labelled += [(f"legal_forms:{key}", f.source) for key, f in self.legal_forms.items()]
        return labelled


@functools.cache
def load_reference() -> Reference:
    """The reference data shipped with the package, loaded once."""
    return _load_from(DATA_DIR)


# --------------------------------------------------------------------------
# Loading


def _load_from(directory: Path) -> Reference:
    """Load and validate every data file in ``directory``."""
    countries, names_source = _load_countries(directory / "countries.toml")
    return Reference(
        countries=MappingProxyType(countries),
        adequacy=MappingProxyType(_load_adequacy(directory / "adequacy.toml", countries)),
        art28_items=_load_art28(directory / "art28.toml"),
        scc_modules=MappingProxyType(_load_scc_modules(directory / "scc_modules.toml")),
        findings=MappingProxyType(_load_findings(directory / "findings.toml")),
        key_dates=MappingProxyType(_load_key_dates(directory / "key_dates.toml")),
        thresholds=MappingProxyType(_load_thresholds(directory / "thresholds.toml")),
        legal_forms=MappingProxyType(_load_legal_forms(directory / "legal_forms.toml", countries)),
        country_names_source=names_source,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ValueError(f"{path}: reference data file is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: invalid TOML: {exc}") from exc


class _Entry:
    """One TOML table of a data file, with typed, validated accessors whose
    errors name the file and the entry."""

    def __init__(self, path: Path, label: str, table: object, allowed: Iterable[str]):
        self.path = path
        self.label = label
        if not isinstance(table, dict):
            raise self.error("must be a table")
        unknown = sorted(set(table) - set(allowed))
        if unknown:
            raise self.error(f"unknown field(s) {', '.join(unknown)}")
        self.table: dict[str, Any] = table

    def error(self, message: str) -> ValueError:
        return ValueError(f"{self.path}: entry {self.label!r}: {message}")

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.table.get(key, "")
        if not isinstance(value, str):
            raise self.error(f"{key} must be a string")
        value = value.strip()
        if required and not value:
            raise self.error(f"{key} is missing or empty")
        return value

    def day(self, key: str) -> date:
        if key not in self.table:
            raise self.error(f"{key} is missing")
        value = self.table[key]
        if isinstance(value, datetime) or not isinstance(value, date):
            raise self.error(f"{key} must be a TOML date (YYYY-MM-DD, unquoted)")
        return value

    def optional_day(self, key: str) -> date | None:
        return self.day(key) if key in self.table else None

    def flag(self, key: str) -> bool:
        value = self.table.get(key, False)
        if not isinstance(value, bool):
            raise self.error(f"{key} must be true or false")
        return value

    def integer(self, key: str) -> int:
        value = self.table.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"{key} must be an integer")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        """A non-empty list of non-empty strings."""
        value = self.table.get(key)
        if not isinstance(value, list) or not value:
            raise self.error(f"{key} must be a non-empty list of strings")
        if not all(isinstance(item, str) and item.strip() for item in value):
            raise self.error(f"{key} must hold non-empty strings only")
        return tuple(item.strip() for item in value)

    def choice(self, key: str, options: Iterable[str]) -> str:
        value = self.text(key)
        allowed = sorted(options)
        if value not in allowed:
            raise self.error(f"{key} is {value!r}; expected one of {', '.join(allowed)}")
        return value

    def source(self, key: str = "source") -> Source:
        if key not in self.table:
            raise self.error(f"{key} is missing (every datum needs a source)")
        return _source_of(_Entry(self.path, f"{self.label}.{key}", self.table[key], _SOURCE_FIELDS))


_SOURCE_FIELDS = ("citation", "citation_fr", "url", "as_of", "verify", "note", "note_fr")


def _source_of(entry: _Entry) -> Source:
    verify = entry.flag("verify")
    note = entry.text("note", required=False)
    if verify and not note:
        raise entry.error("a datum flagged verify needs a note saying what to verify")
    return Source(
        citation=entry.text("citation"),
        as_of=entry.day("as_of"),
        url=entry.text("url", required=False),
        verify=verify,
        note=note,
        citation_fr=entry.text("citation_fr", required=False),
        note_fr=entry.text("note_fr", required=False),
    )


def _tables(path: Path, document: dict[str, Any], name: str) -> Iterator[tuple[str, object]]:
    """The (key, table) pairs of the top-level table ``name``."""
    section = document.get(name)
    if not isinstance(section, dict) or not section:
        raise ValueError(f"{path}: missing or empty [{name}] table")
    yield from section.items()


def _check_key(entry: _Entry, key: str, pattern: re.Pattern[str], what: str) -> None:
    if not pattern.match(key):
        raise entry.error(f"{key!r} is not a valid {what}")


# --------------------------------------------------------------------------
# countries.toml


def _load_countries(path: Path) -> tuple[dict[str, Country], Source]:
    document = _read_toml(path)
    names_source = _source_of(_Entry(path, "names", document.get("names"), _SOURCE_FIELDS))
    names = _iso_country_names()
    eea_sources: dict[str, Source] = {}
    for code, table in _tables(path, document, "eea"):
        entry = _Entry(path, f"eea.{code}", table, _SOURCE_FIELDS)
        if code not in names:
            raise entry.error(f"{code!r} is not an ISO 3166-1 alpha-2 code")
        eea_sources[code] = _source_of(entry)
    countries = {
        code: Country(
            code=code,
            name_en=name_en,
            name_fr=name_fr,
            eea=code in eea_sources,
            source=eea_sources.get(code, names_source),
        )
        for code, (name_en, name_fr) in sorted(names.items())
    }
    return countries, names_source


def _iso_country_names() -> dict[str, tuple[str, str]]:
    """English and French names of every ISO 3166-1 country, from pycountry.
    English: the common name if there is one, else the official short name;
    French: the pycountry catalogue's translation of that English name."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    names = {}
    for record in pycountry.countries:
        english = getattr(record, "common_name", None) or record.name
        names[record.alpha_2] = (english, french.gettext(english))
    return names


# --------------------------------------------------------------------------
# adequacy.toml

_ADEQUACY_FIELDS = (
    "decision", "scope", "scope_note_en", "scope_note_fr", "international_organisation",
    "name_en", "name_fr", "adopted_on", "valid_until", "risk_note_en", "risk_note_fr", "source",
)  # fmt: skip


def _load_adequacy(path: Path, countries: Mapping[str, Country]) -> dict[str, AdequacyDecision]:
    document = _read_toml(path)
    decisions = {}
    for code, table in _tables(path, document, "decision"):
        entry = _Entry(path, f"decision.{code}", table, _ADEQUACY_FIELDS)
        decisions[code] = _adequacy_decision(entry, code, countries)
    return decisions


def _adequacy_decision(
    entry: _Entry, code: str, countries: Mapping[str, Country]
) -> AdequacyDecision:
    organisation = entry.flag("international_organisation")
    name_en, name_fr = _adequacy_names(entry, code, organisation, countries)
    adopted_on = entry.day("adopted_on")  # a decision counts from its adoption
    valid_until = entry.optional_day("valid_until")
    if adopted_on and valid_until and valid_until <= adopted_on:
        raise entry.error("valid_until must come after adopted_on")
    _check_paired(entry, "scope_note_en", "scope_note_fr")
    _check_paired(entry, "risk_note_en", "risk_note_fr")
    return AdequacyDecision(
        code=code,
        name_en=name_en,
        name_fr=name_fr,
        decision=entry.text("decision"),
        scope=entry.choice("scope", ADEQUACY_SCOPES),
        scope_note_en=entry.text("scope_note_en", required=False),
        scope_note_fr=entry.text("scope_note_fr", required=False),
        international_organisation=organisation,
        source=entry.source(),
        adopted_on=adopted_on,
        valid_until=valid_until,
        risk_note_en=entry.text("risk_note_en", required=False),
        risk_note_fr=entry.text("risk_note_fr", required=False),
    )


def _adequacy_names(
    entry: _Entry, code: str, organisation: bool, countries: Mapping[str, Country]
) -> tuple[str, str]:
    """Names come from the country table; only an international organisation
    (which is not in ISO 3166-1) carries its own."""
    if organisation:
        _check_key(entry, code, _ORGANISATION_CODE, "international organisation code (XX-...)")
        return entry.text("name_en"), entry.text("name_fr")
    if "name_en" in entry.table or "name_fr" in entry.table:
        raise entry.error("a country's names come from the country table; remove name_en/name_fr")
    country = countries.get(code)
    if country is None:
        raise entry.error(f"{code!r} is not an ISO 3166-1 alpha-2 code")
    if country.eea:
        raise entry.error(f"{code} is in the EEA and needs no adequacy decision")
    return country.name_en, country.name_fr


def _check_paired(entry: _Entry, english: str, french: str) -> None:
    """A note given in one language must be given in the other."""
    if bool(entry.text(english, required=False)) != bool(entry.text(french, required=False)):
        raise entry.error(f"{english} and {french} must both be given or both be empty")


# --------------------------------------------------------------------------
# art28.toml

_ART28_FIELDS = ("id", "provision", "provision_fr", "content_en", "content_fr", "source")


def _load_art28(path: Path) -> tuple[Art28Item, ...]:
    document = _read_toml(path)
    tables = document.get("item")
    if not isinstance(tables, list) or not tables:
        raise ValueError(f"{path}: missing or empty [[item]] array")
    items: list[Art28Item] = []
    for position, table in enumerate(tables, start=1):
        label = (
            table.get("id", f"item #{position}") if isinstance(table, dict) else f"item #{position}"
        )
        entry = _Entry(path, str(label), table, _ART28_FIELDS)
        items.append(_art28_item(entry))
    _check_unique(path, [item.id for item in items])
    return tuple(items)


def _art28_item(entry: _Entry) -> Art28Item:
    item_id = entry.text("id")
    _check_key(entry, item_id, _ART28_ID, "Art. 28(3) item id (art28_3_...)")
    return Art28Item(
        id=item_id,
        provision=entry.text("provision"),
        provision_fr=entry.text("provision_fr"),
        content_en=entry.text("content_en"),
        content_fr=entry.text("content_fr"),
        source=entry.source(),
    )


def _check_unique(path: Path, ids: list[str]) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise ValueError(f"{path}: entry {item_id!r}: duplicate id")
        seen.add(item_id)


# --------------------------------------------------------------------------
# scc_modules.toml

_SCC_FIELDS = ("name_en", "name_fr", "exporter_role", "importer_role", "source")


def _load_scc_modules(path: Path) -> dict[int, SccModule]:
    document = _read_toml(path)
    modules = {}
    for key, table in _tables(path, document, "module"):
        entry = _Entry(path, f"module.{key}", table, _SCC_FIELDS)
        if key not in {"1", "2", "3", "4"}:
            raise entry.error("an SCC module number is 1, 2, 3 or 4")
        modules[int(key)] = SccModule(
            number=int(key),
            name_en=entry.text("name_en"),
            name_fr=entry.text("name_fr"),
            exporter_role=entry.choice("exporter_role", PARTY_ROLES),
            importer_role=entry.choice("importer_role", PARTY_ROLES),
            source=entry.source(),
        )
    return dict(sorted(modules.items()))


# --------------------------------------------------------------------------
# findings.toml

_FINDING_FIELDS = (
    "severity", "basis", "title_en", "title_fr", "explanation_en", "explanation_fr",
    "remediation_en", "remediation_fr", "source",
)  # fmt: skip


def _load_findings(path: Path) -> dict[str, FindingDefinition]:
    document = _read_toml(path)
    findings = {}
    for code, table in _tables(path, document, "finding"):
        entry = _Entry(path, f"finding.{code}", table, _FINDING_FIELDS)
        _check_key(entry, code, _FINDING_CODE, "finding code (UPPER_SNAKE_CASE)")
        findings[code] = FindingDefinition(
            code=code,
            severity=Severity(entry.choice("severity", {s.value for s in Severity})),
            basis=entry.text("basis"),
            title_en=entry.text("title_en"),
            title_fr=entry.text("title_fr"),
            explanation_en=entry.text("explanation_en"),
            explanation_fr=entry.text("explanation_fr"),
            remediation_en=entry.text("remediation_en"),
            remediation_fr=entry.text("remediation_fr"),
            source=entry.source(),
        )
    return findings


# --------------------------------------------------------------------------
# key_dates.toml and thresholds.toml

_KEY_DATE_FIELDS = ("on", "description_en", "description_fr", "source")
_THRESHOLD_FIELDS = ("value", "unit", "description_en", "description_fr", "source")


def _load_key_dates(path: Path) -> dict[str, KeyDate]:
    document = _read_toml(path)
    key_dates = {}
    for key, table in _tables(path, document, "date"):
        entry = _Entry(path, f"date.{key}", table, _KEY_DATE_FIELDS)
        _check_key(entry, key, _SNAKE_ID, "key date id (snake_case)")
        key_dates[key] = KeyDate(
            id=key,
            on=entry.day("on"),
            description_en=entry.text("description_en"),
            description_fr=entry.text("description_fr"),
            source=entry.source(),
        )
    return key_dates


def _load_thresholds(path: Path) -> dict[str, Threshold]:
    document = _read_toml(path)
    thresholds = {}
    for key, table in _tables(path, document, "threshold"):
        entry = _Entry(path, f"threshold.{key}", table, _THRESHOLD_FIELDS)
        _check_key(entry, key, _SNAKE_ID, "threshold id (snake_case)")
        value = entry.integer("value")
        if value <= 0:
            raise entry.error("value must be positive")
        thresholds[key] = Threshold(
            id=key,
            value=value,
            unit=entry.text("unit"),
            description_en=entry.text("description_en"),
            description_fr=entry.text("description_fr"),
            source=entry.source(),
        )
    return thresholds


# --------------------------------------------------------------------------
# legal_forms.toml

_LEGAL_FORM_FIELDS = ("name", "spellings", "countries", "source")
_FORM_AREAS = frozenset({"EU"})  # besides ISO 3166-1 codes


def _load_legal_forms(path: Path, countries: Mapping[str, Country]) -> dict[str, LegalForm]:
    """The forms and their spellings; register.intake.names checks that no two
    forms share a spelling once folded (it owns the folding)."""
    document = _read_toml(path)
    forms: dict[str, LegalForm] = {}
    for key, table in _tables(path, document, "form"):
        entry = _Entry(path, f"form.{key}", table, _LEGAL_FORM_FIELDS)
        _check_key(entry, key, _SNAKE_ID, "legal form id (snake_case)")
        codes = entry.texts("countries")
        unknown = [code for code in codes if code not in countries and code not in _FORM_AREAS]
        if unknown:
            raise entry.error(f"{', '.join(unknown)}: not an ISO 3166-1 alpha-2 code (or EU)")
        forms[key] = LegalForm(
            id=key,
            name=entry.text("name"),
            spellings=entry.texts("spellings"),
            countries=codes,
            source=entry.source(),
        )
    return forms
