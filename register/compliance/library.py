"""The firm's vendor library: a vendor's shared facts, what changed between two versions,
what a linked client's processor would become.

Pure functions of plain values (issue 14):

- :class:`VendorFacts` — what the library knows of a vendor and shares with every client
  linked to it: identity, processing locations, sub-processors, certifications (DPF with
  the date of the check) and the confirmed Art. 28 reading of its standard DPA.
- :func:`compare_facts` — the differences between two versions (added, removed, changed),
  in a stable order, so that a client sees exactly what the library changed since the
  version it accepted.
- LIBRARY_CHANGE_PENDING itself is raised by the register-wide assessment from the link
  loaded with the processor (register/compliance/library_link.py).

Names of sub-processors are matched folded (``name_key`` of the notices: "Stripe, Inc." is
"stripe"), so renaming the legal form is not a removal and an addition.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from register.compliance.notices import name_key
from register.vocabulary import ClauseStatus, LocationActivity

if TYPE_CHECKING:
    from register.compliance.model import Processor

# The facts a library vendor records, in the order pages and diffs list them; who
# recorded each one and when is kept per fact name.
FACT_NAMES = (
    "legal_name",
    "trade_name",
    "website",
    "country",
    "locations",
    "sub_processors",
    "certifications",
    "dpf",
    "clauses",
)


@dataclass(frozen=True, slots=True)
class VendorLocation:
    country: str  # ISO 3166-1 alpha-2
    activity: LocationActivity = LocationActivity.HOSTING


@dataclass(frozen=True, slots=True)
class VendorSubProcessor:
    name: str
    countries: tuple[str, ...] = ()
    purpose: str = ""
    dpf_certified: bool | None = None


@dataclass(frozen=True, slots=True)
class VendorClause:
    """One Art. 28(3) item of the vendor's standard DPA, as confirmed from a reading."""

    item: str
    status: ClauseStatus


@dataclass(frozen=True, slots=True)
class VendorFacts:
    legal_name: str
    trade_name: str = ""
    website: str = ""
    country: str | None = None  # headquarters
    locations: tuple[VendorLocation, ...] = ()
    sub_processors: tuple[VendorSubProcessor, ...] = ()
    certifications: tuple[str, ...] = ()  # other than the DPF (ISO 27001, SOC 2…)
    dpf_certified: bool | None = None
    dpf_checked_on: date | None = None
    clauses: tuple[VendorClause, ...] = field(default=())


def facts_of_processor(processor: Processor) -> VendorFacts:
    """The shared facts a client's processor holds, as a library vendor records them."""
    return VendorFacts(
        legal_name=processor.legal_name,
        trade_name=processor.trade_name,
        website=processor.website,
        country=processor.headquarters_country,
        locations=tuple(VendorLocation(location.country, location.activity) for location in processor.locations),
        sub_processors=tuple(
            VendorSubProcessor(sub.name, tuple(sub.countries), sub.purpose, sub.dpf_certified)
            for sub in processor.sub_processors
        ),
        certifications=tuple(processor.certifications),
        dpf_certified=processor.dpf_certified,
        dpf_checked_on=processor.dpf_checked_on,
    )


@dataclass(frozen=True, slots=True)
class FactChange:
    """One difference between two versions of a vendor's facts.

    ``fact`` is one of :data:`FACT_NAMES`; ``name`` says which entry of a list fact
    (a sub-processor's name, a country, an Art. 28 item); ``before``/``after`` are
    plain values (``None`` for an addition or a removal).
    """

    fact: str
    kind: str  # "added" | "removed" | "changed"
    name: str = ""
    before: object = None
    after: object = None


def facts_changed(before: VendorFacts, after: VendorFacts) -> tuple[str, ...]:
    """The fact names whose value differs (who recorded them is then updated)."""
    return tuple(fact for fact in FACT_NAMES if _fact_value(before, fact) != _fact_value(after, fact))


def _fact_value(facts: VendorFacts, fact: str) -> object:
    if fact == "dpf":
        return (facts.dpf_certified, facts.dpf_checked_on)
    if fact == "locations":
        return frozenset(facts.locations)
    if fact == "certifications":
        return frozenset(facts.certifications)
    if fact == "sub_processors":
        return frozenset((name_key(s.name), s.name, frozenset(s.countries), s.purpose, s.dpf_certified) for s in facts.sub_processors)
    if fact == "clauses":
        return frozenset(facts.clauses)
    return getattr(facts, fact)


def compare_facts(before: VendorFacts, after: VendorFacts) -> tuple[FactChange, ...]:
    """Every difference from ``before`` to ``after`` (empty when they are the same)."""
    changes: list[FactChange] = []
    for fact in ("legal_name", "trade_name", "website", "country"):
        old, new = getattr(before, fact), getattr(after, fact)
        if old != new:
            changes.append(FactChange(fact, "changed", "", old, new))
    changes.extend(_set_changes("locations", _locations(before), _locations(after)))
    changes.extend(_sub_processor_changes(before.sub_processors, after.sub_processors))
    changes.extend(_set_changes("certifications", set(before.certifications), set(after.certifications)))
    if (before.dpf_certified, before.dpf_checked_on) != (after.dpf_certified, after.dpf_checked_on):
        changes.append(
            FactChange(
                "dpf", "changed", "",
                {"certified": before.dpf_certified, "checked_on": before.dpf_checked_on},
                {"certified": after.dpf_certified, "checked_on": after.dpf_checked_on},
            )
        )
    old_clauses = {c.item: c.status for c in before.clauses}
    new_clauses = {c.item: c.status for c in after.clauses}
    for item in sorted(old_clauses.keys() | new_clauses.keys()):
        old, new = old_clauses.get(item), new_clauses.get(item)
        if old != new:
            kind = "added" if old is None else "removed" if new is None else "changed"
            changes.append(FactChange("clauses", kind, item, old, new))
    return tuple(changes)


def _locations(facts: VendorFacts) -> set[str]:
    return {f"{location.country}:{location.activity.value}" for location in facts.locations}


def _set_changes(fact: str, before: set[str], after: set[str]) -> list[FactChange]:
    return [FactChange(fact, "added", name, None, name) for name in sorted(after - before)] + [
        FactChange(fact, "removed", name, name, None) for name in sorted(before - after)
    ]


def _sub_processor_changes(
    before: Sequence[VendorSubProcessor], after: Sequence[VendorSubProcessor]
) -> list[FactChange]:
    old = {name_key(s.name): s for s in before}
    new = {name_key(s.name): s for s in after}
    changes: list[FactChange] = []
    for key, entry in new.items():
        if key not in old:
            changes.append(FactChange("sub_processors", "added", entry.name, None, _entry_value(entry)))
        elif _entry_value(old[key]) != _entry_value(entry):
            changes.append(
                FactChange("sub_processors", "changed", entry.name, _entry_value(old[key]), _entry_value(entry))
            )
    for key, entry in old.items():
        if key not in new:
            changes.append(FactChange("sub_processors", "removed", entry.name, _entry_value(entry), None))
    return changes


def _entry_value(entry: VendorSubProcessor) -> dict[str, object]:
    return {
        "countries": sorted(entry.countries),
        "purpose": entry.purpose,
        "dpf_certified": entry.dpf_certified,
    }


def certification_lapsed(changes: Sequence[FactChange]) -> bool:
    """The DPF certification went from recorded to no longer recorded (a lapse)."""
    for change in changes:
        if change.fact == "dpf" and isinstance(change.before, dict) and isinstance(change.after, dict):
            if change.before.get("certified") is True and change.after.get("certified") is not True:
                return True
    return False
