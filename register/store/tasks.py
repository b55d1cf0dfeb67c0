"""Remediation tasks: made from a finding, given an owner and a due date,
commented, or closed as an accepted risk; every change audited in its transaction.

A task is never "closed" by a write when its finding goes away: its state is
derived at read time (:mod:`register.compliance.remediation`), so it is the
same for every worker and needs no job to keep it right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable, Mapping

from register.compliance.model import Finding
from register.compliance.remediation import (
    FindingKey,
    TaskState,
    TaskStatus,
    findings_by_key,
    is_overdue,
    task_state,
)
from register.compliance.results import RegisterAssessment
from register.store import snapshots
from register.store.errors import Conflict, InvalidReference, NotFound
from register.store.writes import insert_row, update_row, write_transaction
from register.tables import Membership, Processor, RemediationTask, TaskComment
from register.vocabulary import Role

# Roles that read the register, so may own a task about it (and are reminded of its dates).
READER_ROLES = (Role.ADMIN, Role.DPO, Role.AUDITOR)
OWNER_ROLES = tuple(role.value for role in READER_ROLES)
MAX_REASON_LENGTH = 4000
MAX_COMMENT_LENGTH = 4000


@dataclass(frozen=True, slots=True)
class Task:
    id: int
    organisation_id: int
    processor_id: int
    finding_code: str
    subject_kind: str
    subject_ref: str
    subject_label: str
    owner_id: int | None
    owner_email: str
    due_on: date | None
    status: TaskStatus
    accepted_reason: str
    accepted_until: date | None
    created_by: str
    created_at: datetime
    version: int

    @property
    def key(self) -> FindingKey:
        return FindingKey(self.processor_id, self.finding_code, self.subject_kind, self.subject_ref)


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TaskView:
    """A task with what today's assessment says of it."""

    task: Task
    state: TaskState
    finding: Finding | None  # None once resolved
    overdue: bool


# ------------------------------------------------------------------ reading

_TASK_COLUMNS = (
    RemediationTask.id,
    RemediationTask.organisation.as_alias("organisation_id"),
    RemediationTask.processor.as_alias("processor_id"),
    RemediationTask.finding_code,
    RemediationTask.subject_kind,
    RemediationTask.subject_ref,
    RemediationTask.subject_label,
    RemediationTask.owner.as_alias("owner_id"),
    RemediationTask.owner.email.as_alias("owner_email"),
    RemediationTask.due_on,
    RemediationTask.status,
    RemediationTask.accepted_reason,
    RemediationTask.accepted_until,
    RemediationTask.created_by,
    RemediationTask.created_at,
    RemediationTask.version,
)


def _task(row: dict[str, Any]) -> Task:
    return Task(**{**row, "owner_email": row["owner_email"] or "", "status": TaskStatus(row["status"])})


async def list_tasks(organisation_id: int) -> list[Task]:
    rows = await RemediationTask.select(*_TASK_COLUMNS).where(
        RemediationTask.organisation == organisation_id
    ).order_by(RemediationTask.id)
    return [_task(row) for row in rows]


async def tasks_of_organisations(organisation_ids: Iterable[int]) -> list[Task]:
    """Every task of these organisations, in one query (the portfolio's counts)."""
    organisation_ids = list(organisation_ids)
    if not organisation_ids:
        return []
    rows = await RemediationTask.select(*_TASK_COLUMNS).where(
        RemediationTask.organisation.is_in(organisation_ids)
    ).order_by(RemediationTask.id)
    return [_task(row) for row in rows]


async def tasks_owned_by(user_id: int, organisation_ids: Iterable[int]) -> list[Task]:
    """The user's tasks in these organisations (those where their role reads the register)."""
    organisation_ids = list(organisation_ids)
    if not organisation_ids:
        return []
    rows = await RemediationTask.select(*_TASK_COLUMNS).where(
        (RemediationTask.owner == user_id) & RemediationTask.organisation.is_in(organisation_ids)
    ).order_by(RemediationTask.id)
    return [_task(row) for row in rows]


async def load_task(organisation_id: int, task_id: int) -> Task:
    """The task, if it belongs to the organisation (else NotFound: nothing leaks)."""
    row = await RemediationTask.select(*_TASK_COLUMNS).where(
        (RemediationTask.id == task_id) & (RemediationTask.organisation == organisation_id)
    ).first()
    if row is None:
        raise NotFound("task", task_id)
    return _task(row)


async def task_organisation(task_id: int) -> int:
    row = await RemediationTask.select(RemediationTask.organisation).where(RemediationTask.id == task_id).first()
    if row is None:
        raise NotFound("task", task_id)
    return row["organisation"]


async def list_comments(task_id: int) -> list[Comment]:
    rows = await TaskComment.select(
        TaskComment.id, TaskComment.author, TaskComment.body, TaskComment.created_at
    ).where(TaskComment.task == task_id).order_by(TaskComment.id)
    return [Comment(**row) for row in rows]


def view_tasks(tasks: Iterable[Task], assessment: RegisterAssessment, today: date) -> list[TaskView]:
    """Each task with its state today, from the organisation's current assessment
    (only the findings of the tasks' processors are looked at)."""
    tasks = list(tasks)
    processor_ids = {task.processor_id for task in tasks}
    raised = findings_by_key(
        f for p in assessment.processors if p.processor_id in processor_ids for f in p.findings
    )
    views = []
    for task in tasks:
        finding = raised.get(task.key)
        state = task_state(task.status, task.accepted_until, finding is not None, today)
        views.append(TaskView(task, state, finding, is_overdue(state, task.due_on, today)))
    return views


async def task_views(organisation_id: int, today: date, tasks: Iterable[Task] | None = None) -> list[TaskView]:
    _, assessment = await snapshots.register_assessment(organisation_id, today)
    if tasks is None:
        tasks = await list_tasks(organisation_id)
    return view_tasks(tasks, assessment, today)


async def task_by_finding(organisation_id: int) -> dict[FindingKey, Task]:
    return {task.key: task for task in await list_tasks(organisation_id)}


def readable_organisations(memberships: Mapping[int, Role]) -> list[int]:
    """The organisations whose register the user's role reads."""
    return sorted(oid for oid, role in memberships.items() if role in READER_ROLES)


@dataclass(frozen=True, slots=True)
class OrganisationTasks:
    organisation_id: int
    organisation_name: str
    views: list[TaskView]


async def my_task_groups(user_id: int, memberships: Mapping[int, Role], as_of: date) -> list[OrganisationTasks]:
    """The user's tasks, by organisation, where their role still reads the register."""
    from register.store import reads

    readable = readable_organisations(memberships)
    tasks = await tasks_owned_by(user_id, readable)
    names = {o.id: o.name for o in await reads.list_organisations_of(readable)}
    groups = []
    for organisation_id in sorted({t.organisation_id for t in tasks}, key=lambda oid: names.get(oid, "")):
        own = [t for t in tasks if t.organisation_id == organisation_id]
        groups.append(OrganisationTasks(organisation_id, names.get(organisation_id, ""), await task_views(organisation_id, as_of, own)))
    return groups


# ------------------------------------------------------------------ checks


async def check_owner(organisation_id: int, owner_id: int | None) -> None:
    """An owner is a member whose role reads the register."""
    if owner_id is None:
        return
    found = await Membership.exists().where(
        (Membership.organisation == organisation_id)
        & (Membership.user == owner_id)
        & Membership.role.is_in(list(OWNER_ROLES))
    )
    if not found:
        raise InvalidReference("owner_id", f"user {owner_id} is not a member who may read this register")


def check_acceptance(status: TaskStatus, reason: str, until: date | None, today: date) -> dict[str, Any]:
    """The acceptance columns for ``status``: a reason and an expiry from today on, or nothing."""
    if status != TaskStatus.ACCEPTED_RISK:
        return {"accepted_reason": "", "accepted_until": None}
    reason = reason.strip()
    if not reason:
        raise InvalidReference("accepted_reason", "say why the risk is accepted")
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidReference("accepted_reason", f"at most {MAX_REASON_LENGTH} characters")
    if until is None:
        raise InvalidReference("accepted_until", "an accepted risk needs an expiry date")
    if until < today:
        raise InvalidReference("accepted_until", "the expiry date is already past")
    return {"accepted_reason": reason, "accepted_until": until}


# ------------------------------------------------------------------ writing


async def create_task(
    organisation_id: int,
    key: FindingKey,
    owner_id: int | None,
    due_on: date | None,
    actor: str,
    today: date,
) -> Task:
    """A task for a finding raised today; one task per finding (a second is a Conflict)."""
    _, assessment = await snapshots.register_assessment(organisation_id, today)
    finding = findings_by_key(assessment.findings).get(key)
    if finding is None or finding.processor_id is None:
        raise InvalidReference("finding_code", f"no finding {key.code} about that subject in this register today")
    async with write_transaction(organisation_id):
        if not await Processor.exists().where(
            (Processor.id == key.processor_id) & (Processor.organisation == organisation_id)
        ):
            raise InvalidReference("processor_id", f"no processor {key.processor_id} in this register")
        await check_owner(organisation_id, owner_id)
        existing = await RemediationTask.select(RemediationTask.id).where(
            (RemediationTask.processor == key.processor_id)
            & (RemediationTask.finding_code == key.code)
            & (RemediationTask.subject_kind == key.subject_kind)
            & (RemediationTask.subject_ref == key.subject_ref)
        ).first()
        if existing is not None:
            raise Conflict(f"this finding already has a task ({existing['id']})")
        row = await insert_row(
            RemediationTask,
            {
                "organisation": organisation_id,
                "processor": key.processor_id,
                "finding_code": key.code,
                "subject_kind": key.subject_kind,
                "subject_ref": key.subject_ref,
                "subject_label": f"{finding.processor_name} — {finding.subject.label}",
                "owner": owner_id,
                "due_on": due_on,
                "status": TaskStatus.OPEN.value,
                "created_by": actor,
            },
            organisation_id,
            actor,
        )
    return await load_task(organisation_id, row["id"])


UNSET: Any = object()


async def update_task(
    organisation_id: int,
    task_id: int,
    version: int,
    actor: str,
    today: date,
    *,
    owner_id: int | None = UNSET,
    due_on: date | None = UNSET,
    status: TaskStatus | None = None,
    accepted_reason: str = "",
    accepted_until: date | None = None,
) -> Task:
    """Change the owner, the due date or the status (an accepted risk with its reason and expiry)."""
    changes: dict[str, Any] = {}
    if owner_id is not UNSET:
        changes["owner"] = owner_id
    if due_on is not UNSET:
        changes["due_on"] = due_on
    if status is not None:
        changes["status"] = status.value
        changes |= check_acceptance(status, accepted_reason, accepted_until, today)
    async with write_transaction(organisation_id):
        if owner_id is not UNSET:
            await check_owner(organisation_id, owner_id)
        condition = (RemediationTask.id == task_id) & (RemediationTask.organisation == organisation_id)
        await update_row(RemediationTask, condition, task_id, changes, version, organisation_id, actor)
    return await load_task(organisation_id, task_id)


async def add_comment(organisation_id: int, task_id: int, body: str, actor: str) -> Comment:
    body = body.strip()
    if not body:
        raise InvalidReference("body", "the comment is empty")
    if len(body) > MAX_COMMENT_LENGTH:
        raise InvalidReference("body", f"at most {MAX_COMMENT_LENGTH} characters")
    async with write_transaction(organisation_id):
        await load_task(organisation_id, task_id)
        row = await insert_row(TaskComment, {"task": task_id, "author": actor, "body": body}, organisation_id, actor)
    return Comment(row["id"], row["author"], row["body"], row["created_at"])
