"""Remediation tasks as the compliance core sees them: which finding a task is
about, and the state it is in today.

Closing is **derived**, never stored: a task is resolved when its finding is no
longer in the current assessment, and its finding counts as accepted only while
the accepted risk's expiry date has not passed (the day after, the finding is
open again). Nothing is written when a finding goes away, so every worker, host
and the reminder command read the same state from the same register, with no
race to close a task twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Iterable, Mapping

from register.compliance.model import Finding


class TaskStatus(StrEnum):
    """What a person set on a task (stored)."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    ACCEPTED_RISK = "accepted_risk"


class TaskState(StrEnum):
    """What the task is today (derived): see :func:`task_state`."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    ACCEPTED = "accepted"  # accepted risk, not expired, finding still raised
    RESOLVED = "resolved"  # the finding is gone


ACTIVE_STATES = (TaskState.OPEN, TaskState.IN_PROGRESS)


@dataclass(frozen=True, slots=True)
class FindingKey:
    """A finding's identity across assessments: its code and what it is about."""

    processor_id: int
    code: str
    subject_kind: str
    subject_ref: str

    @property
    def token(self) -> str:
        """One string naming the finding (form fields, sent-log items)."""
        return f"{self.processor_id}:{self.code}:{self.subject_kind}:{self.subject_ref}"


def finding_key(finding: Finding) -> FindingKey | None:
    """``None`` for a finding about no registered processor (a candidate's)."""
    if finding.processor_id is None:
        return None
    return FindingKey(finding.processor_id, finding.code, finding.subject.kind, finding.subject.ref)


def findings_by_key(findings: Iterable[Finding]) -> dict[FindingKey, Finding]:
    keyed = {}
    for finding in findings:
        key = finding_key(finding)
        if key is not None:
            keyed.setdefault(key, finding)
    return keyed


def acceptance_holds(status: str, accepted_until: date | None, today: date) -> bool:
    """An accepted risk holds up to and including its expiry date."""
    return status == TaskStatus.ACCEPTED_RISK and accepted_until is not None and today <= accepted_until


def task_state(status: str, accepted_until: date | None, finding_raised: bool, today: date) -> TaskState:
    if not finding_raised:
        return TaskState.RESOLVED
    if acceptance_holds(status, accepted_until, today):
        return TaskState.ACCEPTED
    if status == TaskStatus.IN_PROGRESS:
        return TaskState.IN_PROGRESS
    return TaskState.OPEN  # open, or an accepted risk whose expiry has passed: the finding is back


def is_overdue(state: TaskState, due_on: date | None, today: date) -> bool:
    return state in ACTIVE_STATES and due_on is not None and due_on < today


def accepted_keys(
    acceptances: Mapping[FindingKey, tuple[str, date | None]], today: date
) -> frozenset[FindingKey]:
    """The findings whose risk is accepted today, from each task's (status, accepted_until)."""
    return frozenset(
        key for key, (status, until) in acceptances.items() if acceptance_holds(status, until, today)
    )
