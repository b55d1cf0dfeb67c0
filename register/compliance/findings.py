"""The findings catalogue and the one way to build a :class:`Finding`.

The catalogue is the reference's (23 starting codes, ``register.reference``)
plus the codes this package adds in ``extra_findings.toml``. A rule names a
code, a subject and, optionally, a detail sentence; titles, explanations,
remediations, severity and legal basis come from the catalogue, in French and
English.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from register.compliance.model import Finding, FindingSubject, Localised, Processor
from register.compliance.scoring import SEVERITY_WEIGHTS
from register.reference.types import FindingDefinition, Source
from register.vocabulary import Severity

EXTRA_FINDINGS_FILE = Path(__file__).with_name("extra_findings.toml")


@cache
def extra_finding_definitions() -> Mapping[str, FindingDefinition]:
    """The codes added by the compliance core, read once from the TOML file."""
    with EXTRA_FINDINGS_FILE.open("rb") as handle:
        entries = tomllib.load(handle)["finding"]
    definitions = {}
    for entry in entries:
        source = Source(**entry.pop("source"))
        definition = FindingDefinition(**{**entry, "severity": Severity(entry["severity"]), "source": source})
        if definition.code in definitions:
            raise ValueError(f"duplicate finding code {definition.code} in {EXTRA_FINDINGS_FILE}")
        definitions[definition.code] = definition
    return MappingProxyType(definitions)


def merge_catalogue(
    reference_findings: Mapping[str, FindingDefinition],
) -> Mapping[str, FindingDefinition]:
    """The reference catalogue plus the extra codes; an extra code may never
    redefine a reference code."""
    extra = extra_finding_definitions()
    clash = sorted(set(reference_findings) & set(extra))
    if clash:
        raise ValueError(f"extra findings redefine catalogue codes: {', '.join(clash)}")
    return MappingProxyType({**reference_findings, **extra})


@dataclass(frozen=True, slots=True)
class _Entry:
    definition: FindingDefinition
    severity: Severity
    basis: str
    title: Localised
    explanation: Localised
    remediation: Localised


def processor_subject(processor: Processor) -> FindingSubject:
    ref = "" if processor.id is None else str(processor.id)
    return FindingSubject("processor", ref, processor.display_name)


def append_detail(text: Localised, detail: Localised | None) -> Localised:
    if detail is None:
        return text
    return Localised(en=f"{text.en} {detail.en}", fr=f"{text.fr} {detail.fr}")


class PreparedFinding(NamedTuple):
    """A finding whose code, subject and texts do not depend on the processor
    (an Art. 28(3) item's), composed once per run: only the processor is left."""

    code: str
    severity: Severity
    subject: FindingSubject
    basis: str
    title: Localised
    explanation: Localised
    remediation: Localised
    relied_on: tuple[str, ...]

    def about(self, processor: Processor) -> Finding:
        return Finding(
            self.code,
            self.severity,
            processor.id,
            processor.display_name,
            self.subject,
            self.basis,
            self.title,
            self.explanation,
            self.remediation,
            self.relied_on,
        )


class Catalogue:
    """Finding definitions by code, with their texts ready as :class:`Localised`."""

    __slots__ = ("definitions", "_entries", "_weights", "_explained")

    def __init__(self, definitions: Mapping[str, FindingDefinition]) -> None:
        self.definitions = definitions
        self._entries = {
            code: _Entry(
                definition=d,
                severity=d.severity,
                basis=d.basis,
                title=Localised(en=d.title_en, fr=d.title_fr),
                explanation=Localised(en=d.explanation_en, fr=d.explanation_fr),
                remediation=Localised(en=d.remediation_en, fr=d.remediation_fr),
            )
            for code, d in definitions.items()
        }
        self._weights = {code: SEVERITY_WEIGHTS[d.severity] for code, d in definitions.items()}
        self._explained: dict[tuple[str, Localised], Localised] = {}

    def severity(self, code: str) -> Severity:
        return self._entries[code].definition.severity

    def weight(self, code: str) -> int:
        """The code's weight in the score (see ``scoring``)."""
        return self._weights[code]

    def prepare(
        self,
        code: str,
        subject: FindingSubject,
        detail: Localised | None = None,
        relied_on: tuple[str, ...] = (),
    ) -> PreparedFinding:
        """What :meth:`finding` builds, less the processor: ``prepared.about(processor)``
        equals ``finding(code, processor, subject, detail, relied_on)``."""
        entry = self._entries[code]
        return PreparedFinding(
            code,
            entry.severity,
            subject,
            entry.basis,
            entry.title,
            append_detail(entry.explanation, detail),
            entry.remediation,
            relied_on,
        )

    def finding(
        self,
        code: str,
        processor: Processor,
        subject: FindingSubject,
        detail: Localised | None = None,
        relied_on: tuple[str, ...] = (),
        *,
        shared_detail: bool = False,
    ) -> Finding:
        """A finding of ``code`` about ``subject``; ``detail`` is appended to
        the catalogue's explanation. ``shared_detail``: the detail is one of a
        few texts used again and again (an Art. 28 item, "not recorded"), so
        the explanation is composed once and reused."""
        entry = self._entries[code]
        if detail is None:
            explanation = entry.explanation
        elif shared_detail:
            explanation = self._explained.get((code, detail))
            if explanation is None:
                explanation = self._explained[(code, detail)] = append_detail(entry.explanation, detail)
        else:
            explanation = Localised(f"{entry.explanation.en} {detail.en}", f"{entry.explanation.fr} {detail.fr}")
        # Positional arguments: this is the hottest constructor of a register run.
        return Finding(
            code,
            entry.severity,
            processor.id,
            processor.display_name,
            subject,
            entry.basis,
            entry.title,
            explanation,
            entry.remediation,
            relied_on,
        )
