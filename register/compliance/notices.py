"""Sub-processor change notices: what changes, by when to object, what accepting would raise.

Pure functions of plain values (issue 13):

- :func:`compare` — the rows of a vendor's notice or list against the register's
  sub-processors (or against the previous snapshot): added, removed (only for a
  full list: a notice of changes says nothing of what it does not name), changed
  (countries, purpose). Names are matched folded, without legal-form words
  ("Stripe, Inc." is "stripe").
- :func:`objection_deadline` — the last day to object, from the agreement the
  register recorded (2021/915 Clause 7.7 Option 2 and its period), else from the
  period the notice states; a conflict between the two is reported.
- :func:`findings_if_accepted` — the findings accepting would add, from the
  compliance core's own assessment of the processor with its sub-processors as
  they would be.
- :func:`notice_findings` — SUBPROCESSOR_CHANGE_PENDING and
  SUBPROCESSOR_OBJECTION_LAPSED.

The deadline and the findings live in :mod:`register.compliance.objection` (the
register-wide assessment raises them too) and are re-exported here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from register.compliance.assessment import assess_processor
from register.compliance.model import Finding, Processor, SubProcessor
from register.compliance.objection import (  # noqa: F401  (the deadline and findings, re-exported)
    Deadline,
    PendingNotice,
    Period,
    add_business_days,
    agreement_period,
    notice_findings,
    objection_deadline,
    period_end,
)
from register.compliance.results import RuleSettings
from register.intake.names import legal_name_key as name_key  # "Stripe, Inc." is "stripe"
from register.intake.values import fold
from register.reference import Reference



# ------------------------------------------------------------------ diff


@dataclass(frozen=True, slots=True)
class Entry:
    """A sub-processor as a list or the register states it."""

    name: str
    countries: tuple[str, ...] = ()
    purpose: str = ""
    sub_processor_id: int | None = None  # when it is the register's
    regions: tuple[str, ...] = ()  # "worldwide" | "eu" | "eea" (the list's, not countries)


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # "added" | "removed" | "changed" | "unchanged"
    name: str
    before: Entry | None
    after: Entry | None
    changed: tuple[str, ...] = ()  # "countries", "purpose"


def register_entries(processor: Processor) -> tuple[Entry, ...]:
    return tuple(
        Entry(s.name, tuple(s.countries), s.purpose, s.id) for s in processor.sub_processors
    )


def compare(before: Sequence[Entry], after: Sequence[Entry], *, full_list: bool) -> tuple[Change, ...]:
    """What ``after`` (the notice) changes in ``before`` (the register or the previous list).

    A row that states no country (only "Worldwide", or no location) changes no
    countries; a row with no purpose changes no purpose.
    """
    known = {name_key(entry.name): entry for entry in before}
    seen: set[str] = set()
    changes: list[Change] = []
    for entry in after:
        key = name_key(entry.name)
        if key in seen:
            continue
        seen.add(key)
        current = known.get(key)
        if current is None:
            changes.append(Change("added", entry.name, None, entry))
            continue
        changed = []
        if entry.countries and set(entry.countries) != set(current.countries):
            changed.append("countries")
        if entry.purpose and fold(entry.purpose) != fold(current.purpose):
            changed.append("purpose")
        kind = "changed" if changed else "unchanged"
        changes.append(Change(kind, current.name, current, entry, tuple(changed)))
    if full_list:
        for key, entry in known.items():
            if key not in seen:
                changes.append(Change("removed", entry.name, entry, None))
    return tuple(changes)


def diff_counts(changes: Sequence[Change]) -> dict[str, int]:
    counts = {"added": 0, "removed": 0, "changed": 0, "unchanged": 0}
    for change in changes:
        counts[change.kind] += 1
    return counts


def accepted_sub_processors(processor: Processor, changes: Sequence[Change]) -> tuple[SubProcessor, ...]:
    """The processor's sub-processors as they would be once the changes are accepted."""
    removed: set[int | None] = set()
    updated: dict[int | None, Change] = {}
    added: list[SubProcessor] = []
    for change in changes:
        if change.kind == "removed" and change.before:
            removed.add(change.before.sub_processor_id)
        elif change.kind == "changed" and change.before and change.after:
            updated[change.before.sub_processor_id] = change
        elif change.kind == "added" and change.after:
            added.append(SubProcessor(None, change.after.name, change.after.countries, change.after.purpose))
    result: list[SubProcessor] = []
    for sub in processor.sub_processors:
        if sub.id in removed:
            continue
        change = updated.get(sub.id)
        if change is not None and change.after is not None:
            sub = dataclasses.replace(
                sub,
                countries=change.after.countries if "countries" in change.changed else sub.countries,
                purpose=change.after.purpose if "purpose" in change.changed else sub.purpose,
            )
        result.append(sub)
    return (*result, *added)


def findings_if_accepted(
    processor: Processor,
    changes: Sequence[Change],
    *,
    as_of: date,
    registry: Mapping[int, Processor] | None = None,
    settings: RuleSettings = RuleSettings(),
    reference: Reference | None = None,
) -> tuple[Finding, ...]:
    """The findings the processor would have once the changes are accepted and does not
    have now: each added or changed sub-processor assessed at once (countries and their
    transfer tools, flow-down of the obligations, authorisation in the DPA)."""
    now = assess_processor(processor, as_of=as_of, registry=registry, settings=settings, reference=reference)
    future = dataclasses.replace(processor, sub_processors=accepted_sub_processors(processor, changes))
    chain = dict(registry or {})
    if processor.id is not None:
        chain[processor.id] = future
    then = assess_processor(future, as_of=as_of, registry=chain, settings=settings, reference=reference)
    present = {_finding_key(f) for f in now.findings}
    return tuple(f for f in then.findings if _finding_key(f) not in present)


def _finding_key(finding: Finding) -> tuple[str, str, str, str]:
    return finding.code, finding.subject.kind, finding.subject.label, finding.explanation.en
