"""Typed views of the legal reference data shipped in this package.

Every datum carries a :class:`Source` (citation, optional URL, "as of" date,
and a ``verify`` flag for facts the reference marks as uncertain). The data
itself lives in the TOML files beside this module; ``register.reference``
loads it once.
"""

from __future__ import annotations

import re

from dataclasses import dataclass
from datetime import date

from register.vocabulary import Severity


@dataclass(frozen=True, slots=True)
class Source:
    citation: str  # e.g. "Commission Implementing Decision (EU) 2019/419"
    as_of: date  # when this datum was last checked against its source
    url: str = ""
    verify: bool = False  # True: the reference marks it VERIFY; ship flagged
    note: str = ""
    citation_fr: str = ""  # the citation as French documents print it ("" = the same)
    note_fr: str = ""

    def citation_in(self, language: str) -> str:
        return self.citation_fr if language == "fr" and self.citation_fr else self.citation

    def note_in(self, language: str) -> str:
        return self.note_fr if language == "fr" and self.note_fr else self.note

    def url_in(self, language: str) -> str:
        """EUR-Lex links open the act in the reader's language (the stored URL is the English one)."""
        return eur_lex_in(self.url, language)


EUR_LEX_LANGUAGE = re.compile(r"(eur-lex\.europa\.eu/legal-content/)([A-Z]{2})/")


def eur_lex_in(url: str, language: str) -> str:
    """``https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=…`` in ``language`` (FR, EN…)."""
    return EUR_LEX_LANGUAGE.sub(lambda m: f"{m.group(1)}{language.upper()}/", url)


@dataclass(frozen=True, slots=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name_en: str
    name_fr: str
    eea: bool
    source: Source  # source of the EEA membership fact (for EEA countries)

    def name(self, language: str) -> str:
        return self.name_fr if language == "fr" else self.name_en


@dataclass(frozen=True, slots=True)
class AdequacyDecision:
    """An Art. 45 adequacy decision for a country or international organisation."""

    code: str  # ISO alpha-2, or e.g. "XX-EPO" for an international organisation
    name_en: str
    name_fr: str
    decision: str  # e.g. "(EU) 2019/419"
    # "general" | "dpf_certified" (US) | "pipeda" (CA) | "lgpd" (BR)
    scope: str
    scope_note_en: str
    scope_note_fr: str
    international_organisation: bool
    source: Source
    adopted_on: date | None = None
    valid_until: date | None = None
    risk_note_en: str = ""  # e.g. the DPF litigation pending
    risk_note_fr: str = ""

    def in_force_on(self, day: date) -> bool:
        """A transfer basis on ``day``: adopted on or before it, and not past
        its end date (the end date itself still counts)."""
        if self.adopted_on is not None and day < self.adopted_on:
            return False
        return self.valid_until is None or day <= self.valid_until


@dataclass(frozen=True, slots=True)
class Art28Item:
    id: str  # e.g. "art28_3_a" (the reference's ids are an API)
    provision: str  # e.g. "Art. 28(3)(a)"
    content_en: str
    content_fr: str
    source: Source
    provision_fr: str = ""  # e.g. "Art. 28, § 3, a)" (French citation style)

    def provision_in(self, language: str) -> str:
        return self.provision_fr if language == "fr" and self.provision_fr else self.provision


@dataclass(frozen=True, slots=True)
class SccModule:
    number: int  # 1..4
    name_en: str  # e.g. "Controller to processor"
    name_fr: str
    exporter_role: str  # "controller" | "processor"
    importer_role: str  # "controller" | "processor"
    source: Source


@dataclass(frozen=True, slots=True)
class FindingDefinition:
    code: str
    severity: Severity
    basis: str
    title_en: str
    title_fr: str
    explanation_en: str
    explanation_fr: str
    remediation_en: str
    remediation_fr: str
    source: Source


@dataclass(frozen=True, slots=True)
class KeyDate:
    """A dated legal fact a rule depends on (e.g. old SCCs' replacement deadline)."""

    id: str  # e.g. "scc_2021_in_force", "scc_old_replacement_deadline"
    on: date
    description_en: str
    description_fr: str
    source: Source


@dataclass(frozen=True, slots=True)
class Threshold:
    """A numeric rule parameter with its source (e.g. CNIL prospect retention)."""

    id: str  # e.g. "prospect_retention_months", "breach_notice_max_hours"
    value: int
    unit: str
    description_en: str
    description_fr: str
    source: Source


@dataclass(frozen=True, slots=True)
class LegalForm:
    """A company type ("LLC", "SAS", "GmbH") that says nothing about which company a name designates."""

    id: str  # e.g. "llc", "sarl"
    name: str  # e.g. "Limited liability company"
    spellings: tuple[str, ...]  # as companies write it: "LLC", "L.L.C."
    countries: tuple[str, ...]  # ISO 3166-1 alpha-2 codes, or "EU"
    source: Source
