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

Business days are Monday to Friday. Public holidays are *not* skipped: the DPA
rarely names a holiday calendar, the vendor and the controller often sit in
different countries, and skipping holidays could only move the deadline later —
counting them as business days gives the earliest date the objection may be due,
which is the safe side for the controller's right to object.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from register.compliance.assessment import assess_processor
from register.compliance.context import RuleContext
from register.compliance.findings import processor_subject
from register.compliance.model import Agreement, Finding, Localised, Processor, SubProcessor
from register.compliance.results import RuleSettings
from register.i18n.dates import prose_date
from register.intake.names import legal_name_key as name_key  # "Stripe, Inc." is "stripe"
from register.intake.values import fold
from register.reference import Reference
from register.vocabulary import NoticeKind, SubProcessorAuthorisation

WEEKEND = (5, 6)  # Saturday, Sunday


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


# ------------------------------------------------------------------ deadline


@dataclass(frozen=True, slots=True)
class Period:
    days: int
    business_days: bool = False

    def text(self, language: str) -> str:
        if language == "fr":
            unit = "jour ouvré" if self.business_days else "jour"
            return f"{self.days}\u00a0{unit}{'s' if self.days > 1 else ''}"
        unit = "business day" if self.business_days else "day"
        return f"{self.days} {unit}{'s' if self.days != 1 else ''}"


@dataclass(frozen=True, slots=True)
class Deadline:
    """The objection deadline of one notice and where it comes from."""

    authorisation: SubProcessorAuthorisation
    agreement_period: Period | None  # Clause 7.7 period recorded on the DPA
    notice_period: Period | None  # the period the notice states
    period: Period | None  # the one relied on: the DPA's, else the notice's
    source: str  # "agreement" | "notice" | "none"
    deadline: date | None  # the last day to object (inclusive)
    notice_deadline: date | None  # the deadline the notice's own period would give
    conflict: bool  # the notice's period differs from the DPA's

    @property
    def specific_authorisation(self) -> bool:
        return self.authorisation == SubProcessorAuthorisation.SPECIFIC


def add_business_days(start: date, days: int) -> date:
    """The ``days``-th weekday after ``start`` (weekends skipped, public holidays not)."""
    current = start
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if current.weekday() not in WEEKEND:
            counted += 1
    return current


def period_end(received_on: date, period: Period) -> date:
    """The last day of a period that starts the day after the notice is received."""
    if period.business_days:
        return add_business_days(received_on, period.days)
    return received_on + timedelta(days=period.days)


def agreement_period(agreement: Agreement | None) -> Period | None:
    if agreement is None or agreement.objection_notice_days is None:
        return None
    return Period(agreement.objection_notice_days, agreement.objection_notice_business_days)


def objection_deadline(
    received_on: date, agreement: Agreement | None, stated_days: int | None, stated_business_days: bool = False
) -> Deadline:
    """The deadline from the DPA's Clause 7.7 period when one is recorded, else from the
    notice's stated period; ``conflict`` when both are known and differ."""
    authorisation = agreement.sub_processor_authorisation if agreement else SubProcessorAuthorisation.NONE_RECORDED
    from_agreement = agreement_period(agreement)
    from_notice = Period(stated_days, stated_business_days) if stated_days is not None else None
    period, source = (from_agreement, "agreement") if from_agreement else (from_notice, "notice" if from_notice else "none")
    return Deadline(
        authorisation=authorisation,
        agreement_period=from_agreement,
        notice_period=from_notice,
        period=period,
        source=source,
        deadline=period_end(received_on, period) if period else None,
        notice_deadline=period_end(received_on, from_notice) if from_notice else None,
        conflict=bool(from_agreement and from_notice and from_agreement != from_notice),
    )


# ------------------------------------------------------------------ findings


@dataclass(frozen=True, slots=True)
class PendingNotice:
    """What the findings need of a notice awaiting the DPO's decision."""

    notice_id: int
    kind: NoticeKind
    received_on: date
    deadline: Deadline
    added: int
    removed: int
    changed: int


def notice_findings(processor: Processor, notices: Sequence[PendingNotice], ctx: RuleContext) -> tuple[Finding, ...]:
    """SUBPROCESSOR_OBJECTION_LAPSED for a pending notice whose deadline is before
    ``ctx.as_of`` (the deadline day itself is still in time), SUBPROCESSOR_CHANGE_PENDING
    for the other pending notices."""
    findings: list[Finding] = []
    for notice in notices:
        received = Localised(
            en=f"Notice received on {prose_date(notice.received_on, 'en')} (added: {notice.added}, "
            f"changed: {notice.changed}, removed: {notice.removed}).",
            fr=f"Notification reçue le {prose_date(notice.received_on, 'fr')} (ajouts\u00a0: {notice.added}, "
            f"modifications\u00a0: {notice.changed}, retraits\u00a0: {notice.removed}).",
        )
        deadline = notice.deadline.deadline
        if deadline is not None and deadline < ctx.as_of:
            detail = Localised(
                en=f"{received.en} The objection period ended on {prose_date(deadline, 'en')}.",
                fr=f"{received.fr} Le délai d'opposition a expiré le {prose_date(deadline, 'fr')}.",
            )
            code = "SUBPROCESSOR_OBJECTION_LAPSED"
        else:
            if deadline is not None:
                detail = Localised(
                    en=f"{received.en} Object by {prose_date(deadline, 'en')} at the latest.",
                    fr=f"{received.fr} Opposition possible jusqu'au {prose_date(deadline, 'fr')} inclus.",
                )
            else:
                detail = Localised(
                    en=f"{received.en} No objection period is recorded in the DPA nor stated in the notice.",
                    fr=f"{received.fr} Aucun délai d'opposition n'est enregistré dans le contrat ni indiqué dans la notification.",
                )
            code = "SUBPROCESSOR_CHANGE_PENDING"
        findings.append(ctx.catalogue.finding(code, processor, processor_subject(processor), detail))
    return tuple(findings)
