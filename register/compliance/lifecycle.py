"""Where a processor stands in its life cycle, and its periodic review.

Statuses under assessment: proposed, under review (candidates) and approved
(active). A rejected processor never received data and an offboarded one no
longer does: the rules are not applied to them (no finding, and they do not
count in the register score); their transfer routes are still listed.
"""

from __future__ import annotations

from collections.abc import Iterator

from register.compliance.context import RuleContext
from register.compliance.findings import processor_subject
from register.compliance.model import Finding, Localised, Processor
from register.vocabulary import LifecycleStatus
from register.i18n.dates import prose_date

ASSESSED_STATUSES = frozenset(
    {LifecycleStatus.PROPOSED, LifecycleStatus.UNDER_REVIEW, LifecycleStatus.APPROVED}
)


def is_assessed(processor: Processor) -> bool:
    return processor.status in ASSESSED_STATUSES


def review_findings(processor: Processor, ctx: RuleContext) -> Iterator[Finding]:
    """The next review date has passed (the day itself is not overdue), or
    none is set."""
    subject = processor_subject(processor)
    due = processor.next_review_on
    if due is None:
        yield ctx.catalogue.finding("REVIEW_UNSCHEDULED", processor, subject)
    elif due < ctx.as_of:
        detail = Localised(
            en=f"The review was due on {prose_date(due, 'en')}.",
            fr=f"La revue était prévue le {prose_date(due, 'fr')}.",
        )
        yield ctx.catalogue.finding("REVIEW_OVERDUE", processor, subject, detail)
