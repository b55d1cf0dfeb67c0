"""What falls due in a register: the dates the calendar feed and the e-mail
digest remind people of. Pure: a function of the register and the rule settings.

- ``agreement_end``: the DPA's end date;
- ``review``: the processor's next review;
- ``tia_review``: a transfer impact assessment's date plus the TIA review period;
- ``dpf_recheck``: a DPF-certified recipient's last check plus the check period.

Rejected and offboarded processors have nothing falling due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from register.compliance.dates import add_months
from register.compliance.model import Processor
from register.compliance.results import RuleSettings
from register.vocabulary import LifecycleStatus

INACTIVE = (LifecycleStatus.REJECTED, LifecycleStatus.OFFBOARDED)
DEADLINE_KINDS = (
    "agreement_end", "review", "tia_review", "dpf_recheck", "objection_deadline", "task_due", "acceptance_expiry",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Deadline:
    kind: str  # one of DEADLINE_KINDS
    due_on: date
    processor_id: int | None
    processor_name: str
    about: str  # what it is about beyond the processor: a country, a sub-processor, a finding
    ref: str  # stable identity of the source (with ``kind``), for the feed's UIDs and the sent-log

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.ref}"


def _processor_deadlines(processor: Processor, settings: RuleSettings) -> Iterable[Deadline]:
    name, pid = processor.display_name, processor.id
    if processor.agreement is not None and processor.agreement.ends_on is not None:
        yield Deadline("agreement_end", processor.agreement.ends_on, pid, name, "", f"p{pid}")
    if processor.next_review_on is not None:
        yield Deadline("review", processor.next_review_on, pid, name, "", f"p{pid}")
    for safeguard in processor.safeguards:
        if safeguard.tia_on is not None:
            due = add_months(safeguard.tia_on, settings.tia_review_months)
            yield Deadline("tia_review", due, pid, name, safeguard.country, f"s{safeguard.id}")
    if processor.dpf_certified and processor.dpf_checked_on is not None:
        due = add_months(processor.dpf_checked_on, settings.dpf_check_max_months)
        yield Deadline("dpf_recheck", due, pid, name, "", f"p{pid}")
    for sub in processor.sub_processors:
        if sub.dpf_certified and sub.dpf_checked_on is not None:
            due = add_months(sub.dpf_checked_on, settings.dpf_check_max_months)
            yield Deadline("dpf_recheck", due, pid, name, sub.name, f"sp{sub.id}")


def register_deadlines(processors: Iterable[Processor], settings: RuleSettings = RuleSettings()) -> list[Deadline]:
    """Every dated obligation of the register's active processors, soonest first."""
    found = [
        deadline
        for processor in processors
        if processor.status not in INACTIVE
        for deadline in _processor_deadlines(processor, settings)
    ]
    return sorted(found, key=lambda d: (d.due_on, d.processor_name, d.kind, d.ref))


def within(deadlines: Iterable[Deadline], start: date, end: date) -> list[Deadline]:
    """The deadlines from ``start`` to ``end``, both included."""
    return [d for d in deadlines if start <= d.due_on <= end]
