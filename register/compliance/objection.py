"""Objection deadlines of sub-processor change notices, and the findings of the
notices awaiting a decision (issue 13).

Pure functions of plain values, imported by the register-wide assessment
(:data:`register.compliance.assessment.PROCESSOR_RULES`: a processor's pending
notices are loaded with it, :attr:`register.compliance.model.Processor.pending_notices`)
and by the notice pages (:mod:`register.compliance.notices`, which re-exports them).

Business days are Monday to Friday. Public holidays are *not* skipped: the DPA
rarely names a holiday calendar, the vendor and the controller often sit in
different countries, and skipping holidays could only move the deadline later —
counting them as business days gives the earliest date the objection may be due,
which is the safe side for the controller's right to object.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from register.compliance.context import RuleContext
from register.compliance.model import Agreement, Finding, FindingSubject, Localised, Processor
from register.i18n.dates import prose_date
from register.vocabulary import NoticeKind, NoticeStatus, SubProcessorAuthorisation

WEEKEND = (5, 6)  # Saturday, Sunday
NOTICE_SUBJECT = "notice"  # a finding about one notice: its id is the subject's ref


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
    """What the findings need of a notice awaiting the DPO's decision. The counts
    (against the register as it stands) are the notice page's; the register-wide
    assessment loads only the notice's dates and period, so it gives none."""

    notice_id: int
    kind: NoticeKind | None
    received_on: date
    deadline: Deadline
    added: int | None = None
    removed: int | None = None
    changed: int | None = None


def notice_findings(processor: Processor, notices: Sequence[PendingNotice], ctx: RuleContext) -> tuple[Finding, ...]:
    """SUBPROCESSOR_OBJECTION_LAPSED for a pending notice whose deadline is before
    ``ctx.as_of`` (the deadline day itself is still in time), SUBPROCESSOR_CHANGE_PENDING
    for the other pending notices."""
    findings: list[Finding] = []
    for notice in notices:
        received = _received_text(notice)
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
        findings.append(ctx.catalogue.finding(code, processor, notice_subject(processor, notice.notice_id), detail))
    return tuple(findings)


def notice_subject(processor: Processor, notice_id: int) -> FindingSubject:
    """One finding per notice (so one task per notice): the notice's id is the ref."""
    return FindingSubject(NOTICE_SUBJECT, str(notice_id), processor.display_name)


def _received_text(notice: PendingNotice) -> Localised:
    en = f"Notice received on {prose_date(notice.received_on, 'en')}"
    fr = f"Notification reçue le {prose_date(notice.received_on, 'fr')}"
    if notice.added is None:
        return Localised(en=f"{en}.", fr=f"{fr}.")
    return Localised(
        en=f"{en} (added: {notice.added}, changed: {notice.changed}, removed: {notice.removed}).",
        fr=f"{fr} (ajouts\u00a0: {notice.added}, modifications\u00a0: {notice.changed}, "
        f"retraits\u00a0: {notice.removed}).",
    )


def pending_notices_of(processor: Processor) -> list[PendingNotice]:
    """The processor's notices awaiting a decision, as loaded with the register
    (:attr:`Processor.pending_notices`), with their deadlines from its agreement."""
    return [
        PendingNotice(
            notice_id=notice.id,
            kind=None,
            received_on=notice.received_on,
            deadline=objection_deadline(
                notice.received_on, processor.agreement, notice.stated_notice_days, notice.stated_business_days
            ),
        )
        for notice in processor.pending_notices
        if notice.status == NoticeStatus.PENDING
    ]


def change_notice_findings(processor: Processor, ctx: RuleContext) -> tuple[Finding, ...]:
    """The register-wide rule: SUBPROCESSOR_CHANGE_PENDING or SUBPROCESSOR_OBJECTION_LAPSED
    for each notice of the processor awaiting a decision, as of ``ctx.as_of`` (a plain
    function, not a generator: most processors have no notice, and run it by the thousand)."""
    if not processor.pending_notices:
        return ()
    return notice_findings(processor, pending_notices_of(processor), ctx)
