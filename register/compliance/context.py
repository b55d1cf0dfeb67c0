"""What every rule needs besides the processor: the reference data, the rule
settings, the date of the assessment and the findings catalogue — prepared once
per assessment run, with small memo tables so a register of thousands of
processors classifies each country only once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from register.compliance.findings import Catalogue, merge_catalogue
from register.compliance.model import Localised
from register.compliance.results import RuleSettings
from register.reference import Reference, load_reference
from register.reference.types import AdequacyDecision, Source

# The adequacy scopes of the reference (register/reference/data).
SCOPE_GENERAL = "general"
SCOPE_DPF = "dpf_certified"
SCOPE_PIPEDA = "pipeda"
SCOPE_LGPD = "lgpd"
_KIND_OF_SCOPE = {SCOPE_GENERAL: "adequacy", SCOPE_LGPD: "lgpd", SCOPE_DPF: "dpf", SCOPE_PIPEDA: "pipeda"}


def cite(label: str, source: Source) -> str:
    """One ``relied_on`` line: the datum, its source's date, a VERIFY flag."""
    text = f"{label}, as of {source.as_of.isoformat()}"
    return f"{text} [VERIFY]" if source.verify else text


@dataclass(frozen=True, slots=True)
class Destination:
    """A country as the transfer rules see it (reference §4)."""

    code: str
    name: Localised
    # "unrecorded" (no country) | "unknown" (code not recognised) | "eea" |
    # "adequacy" (general) | "dpf" (US) | "pipeda" (CA) | "lgpd" (BR) | "third"
    # (no decision, or none in force on the as-of date)
    kind: str
    adequacy: AdequacyDecision | None = None
    relied_on: tuple[str, ...] = ()
    risk_note: Localised | None = None


_UNRECORDED = Destination(
    code="",
    name=Localised(en="no country recorded", fr="aucun pays enregistré"),
    kind="unrecorded",
)


class RuleContext:
    """Reference, settings, ``as_of`` and catalogue for one assessment run."""

    __slots__ = (
        "reference",
        "settings",
        "as_of",
        "catalogue",
        "_destinations",
        "_scc_deadline",
        "_scc_cutoff",
        "_adequacy_as_of",
        "settled_judgements",
        "item_findings",
    )

    def __init__(
        self,
        *,
        as_of: date,
        settings: RuleSettings,
        reference: Reference | None = None,
    ) -> None:
        self.reference = reference if reference is not None else load_reference()
        self.settings = settings
        self.as_of = as_of
        self.catalogue = catalogue_for(self.reference)
        self._destinations: dict[str, Destination] = {"": _UNRECORDED}
        self._scc_deadline = self.reference.key_dates["scc_old_replacement_deadline"]
        self._scc_cutoff = self.reference.key_dates["scc_old_new_contracts_cutoff"]
        # How flows to a destination are judged when no tool matters (EEA,
        # adequacy, unknown): filled by ``transfers``, once per code and run.
        self.settled_judgements: dict[str, object] = {}
        # The findings each Art. 28(3) item raises, by status: filled by
        # ``agreement``, once per run.
        self.item_findings: list | None = None
        self._adequacy_as_of = max((a.source.as_of for a in self.reference.adequacy.values()), default=None)

    # -- countries ---------------------------------------------------------
    def destination(self, code: str) -> Destination:
        """How the transfer rules classify ``code`` (memoised per run)."""
        found = self._destinations.get(code)
        if found is None:
            found = self._destinations[code] = self._classify(code)
        return found

    def _classify(self, code: str) -> Destination:
        ref = self.reference
        adequacy = ref.adequacy_for(code)
        # International organisations with an adequacy decision (e.g. XX-EPO)
        # are recipients too, though not countries.
        if not ref.is_known_country(code) and adequacy is None:
            name = Localised(en=f"unknown country ({code})", fr=f"pays inconnu ({code})")
            return Destination(code, name, "unknown")
        name = Localised(en=ref.country_name(code, "en"), fr=ref.country_name(code, "fr"))
        if ref.is_eea(code):
            return Destination(code, name, "eea")
        if adequacy is not None and adequacy.in_force_on(self.as_of):
            relied_on = (cite(f"adequacy {code}: {adequacy.decision}", adequacy.source),)
            kind = _KIND_OF_SCOPE.get(adequacy.scope, "third")  # an unknown scope is not relied on
            return Destination(code, name, kind, adequacy, relied_on, _risk_note(adequacy))
        if adequacy is not None:  # adopted after the as-of date, or ended before it
            return Destination(code, name, "third", None, self._decision_not_in_force(code, adequacy))
        as_of = self._adequacy_as_of.isoformat() if self._adequacy_as_of else "unknown"
        relied_on = (
            f"{code} is neither in the EEA nor covered by an adequacy decision "
            f"(reference adequacy list as of {as_of})",
        )
        return Destination(code, name, "third", None, relied_on)

    def _decision_not_in_force(self, code: str, adequacy: AdequacyDecision) -> tuple[str, ...]:
        """Why a country with a decision is a third country on the as-of date."""
        as_of = self.as_of.isoformat()
        if adequacy.adopted_on is not None and self.as_of < adequacy.adopted_on:
            why = f"adopted on {adequacy.adopted_on.isoformat()}, after {as_of}"
        else:
            why = f"ended on {adequacy.valid_until.isoformat()}, before {as_of}"
        relied_on = [cite(f"adequacy {code}: {adequacy.decision} {why}", adequacy.source)]
        shield = self.reference.key_dates.get("privacy_shield_invalidated")
        if adequacy.scope == SCOPE_DPF and shield is not None:
            relied_on.append(cite(f"Privacy Shield invalidated on {shield.on.isoformat()}: {shield.source.citation}", shield.source))
        return tuple(relied_on)

    # -- dated facts and thresholds ------------------------------------------
    @property
    def scc_replacement_deadline(self) -> date:
        return self._scc_deadline.on

    @property
    def scc_new_contracts_cutoff(self) -> date:
        """Old SCCs signed on or after this day never covered anything."""
        return self._scc_cutoff.on

    def scc_deadline_relied_on(self) -> str:
        key = self._scc_deadline
        return cite(f"{key.id} {key.on.isoformat()}: {key.source.citation}", key.source)

    def scc_cutoff_relied_on(self) -> str:
        key = self._scc_cutoff
        return cite(f"{key.id} {key.on.isoformat()}: {key.source.citation}", key.source)

    def setting_relied_on(self, name: str) -> str:
        """The setting a rule applied, with the reference threshold's source."""
        value = getattr(self.settings, name)
        threshold = self.reference.thresholds.get(name)
        if threshold is None:
            return f"setting {name} = {value}"
        text = f"{name} = {value} {threshold.unit}"
        if threshold.value != value:
            text += f" (setting; reference value {threshold.value})"
        return cite(f"{text}: {threshold.source.citation}", threshold.source)


def _risk_note(adequacy: AdequacyDecision) -> Localised | None:
    """The caveat shown beside every route relying on this decision."""
    if adequacy.risk_note_en or adequacy.risk_note_fr:
        return Localised(en=adequacy.risk_note_en, fr=adequacy.risk_note_fr)
    if adequacy.scope == SCOPE_LGPD and (adequacy.scope_note_en or adequacy.scope_note_fr):
        return Localised(en=adequacy.scope_note_en, fr=adequacy.scope_note_fr)
    return None


_catalogues: dict[int, tuple[Reference, Catalogue]] = {}


def catalogue_for(reference: Reference) -> Catalogue:
    """The merged catalogue of ``reference``, built once per reference object."""
    cached = _catalogues.get(id(reference))
    if cached is None or cached[0] is not reference:
        cached = _catalogues[id(reference)] = (
            reference,
            Catalogue(merge_catalogue(reference.findings)),
        )
    return cached[1]
