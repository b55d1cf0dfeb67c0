"""Remediation tasks in the JSON API: list, make from a finding, read, change
(owner, due date, status, accepted risk with reason and expiry), comment; and
the caller's own tasks across their organisations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from msgspec import UNSET, UnsetType

from register.compliance.remediation import FindingKey, TaskStatus
from register.schemas import MAX_ID, NO_NUL
from register.store import tasks as store
from register.web.access import SIGNED_IN, Access, Permission, requires
from register.web.pages.common import today

Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[A-Z0-9_]+$")]
Kind = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[a-z_]+$")]
Ref = Annotated[str, msgspec.Meta(max_length=100, pattern=NO_NUL)]
Text = Annotated[str, msgspec.Meta(max_length=store.MAX_REASON_LENGTH, pattern=NO_NUL)]


class TaskInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The finding (code and subject, as the assessment gives them) and, optionally, owner and due date."""

    processor_id: Id
    finding_code: Code
    subject_kind: Kind
    subject_ref: Ref
    owner_id: Id | None = None
    due_on: date | None = None


class TaskPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Fields left out are unchanged; ``status: accepted_risk`` needs ``accepted_reason`` and ``accepted_until``."""

    version: Id
    owner_id: Id | None | UnsetType = UNSET
    due_on: date | None | UnsetType = UNSET
    status: TaskStatus | UnsetType = UNSET
    accepted_reason: Text = ""
    accepted_until: date | None = None


class CommentInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=store.MAX_COMMENT_LENGTH, pattern=NO_NUL)]


@dataclass(frozen=True, slots=True)
class TaskAnswer:
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
    status: str  # what was set: open | in_progress | accepted_risk
    state: str  # what it is today: open | in_progress | accepted | resolved (the finding is gone)
    overdue: bool
    accepted_reason: str
    accepted_until: date | None
    created_by: str
    created_at: datetime
    version: int


@dataclass(frozen=True, slots=True)
class CommentAnswer:
    id: int
    author: str
    body: str
    created_at: datetime


def answer(view: store.TaskView) -> TaskAnswer:
    task = view.task
    return TaskAnswer(
        id=task.id, organisation_id=task.organisation_id, processor_id=task.processor_id,
        finding_code=task.finding_code, subject_kind=task.subject_kind, subject_ref=task.subject_ref,
        subject_label=task.subject_label, owner_id=task.owner_id, owner_email=task.owner_email,
        due_on=task.due_on, status=task.status.value, state=view.state.value, overdue=view.overdue,
        accepted_reason=task.accepted_reason, accepted_until=task.accepted_until,
        created_by=task.created_by, created_at=task.created_at, version=task.version,
    )


async def answer_for(organisation_id: int, task: store.Task) -> TaskAnswer:
    [view] = await store.task_views(organisation_id, today(), [task])
    return answer(view)


class TaskController(Controller):
    path = "/api/v1/organisations/{organisation_id:int}/tasks"
    tags = ["tasks"]

    @get("/", opt=requires(Permission.READ_REGISTER))
    async def list_tasks(self, access: NamedDependency[Access]) -> list[TaskAnswer]:
        return [answer(v) for v in await store.task_views(access.organisation_id, today())]

    @post("/", opt=requires(Permission.EDIT_REGISTER))
    async def create_task(self, access: NamedDependency[Access], data: JSONBody[TaskInput]) -> TaskAnswer:
        key = FindingKey(data.processor_id, data.finding_code, data.subject_kind, data.subject_ref)
        task = await store.create_task(access.organisation_id, key, data.owner_id, data.due_on, access.actor, today())
        return await answer_for(access.organisation_id, task)

    @get("/{task_id:int}", opt=requires(Permission.READ_REGISTER))
    async def get_task(self, task_id: FromPath[int], access: NamedDependency[Access]) -> TaskAnswer:
        return await answer_for(access.organisation_id, await store.load_task(access.organisation_id, task_id))

    @patch("/{task_id:int}", opt=requires(Permission.EDIT_REGISTER))
    async def update_task(
        self, task_id: FromPath[int], access: NamedDependency[Access], data: JSONBody[TaskPatch]
    ) -> TaskAnswer:
        changes = {name: getattr(data, name) for name in ("owner_id", "due_on") if getattr(data, name) is not UNSET}
        task = await store.update_task(
            access.organisation_id, task_id, data.version, access.actor, today(),
            status=None if data.status is UNSET else data.status,
            accepted_reason=data.accepted_reason, accepted_until=data.accepted_until, **changes,
        )
        return await answer_for(access.organisation_id, task)

    @get("/{task_id:int}/comments", opt=requires(Permission.READ_REGISTER))
    async def list_comments(self, task_id: FromPath[int], access: NamedDependency[Access]) -> list[CommentAnswer]:
        task = await store.load_task(access.organisation_id, task_id)
        return [CommentAnswer(c.id, c.author, c.body, c.created_at) for c in await store.list_comments(task.id)]

    @post("/{task_id:int}/comments", opt=requires(Permission.READ_REGISTER))
    async def add_comment(
        self, task_id: FromPath[int], access: NamedDependency[Access], data: JSONBody[CommentInput]
    ) -> CommentAnswer:
        comment = await store.add_comment(access.organisation_id, task_id, data.body, access.actor)
        return CommentAnswer(comment.id, comment.author, comment.body, comment.created_at)


class MyTaskController(Controller):
    path = "/api/v1/me/tasks"
    tags = ["tasks"]

    @get("/", opt=SIGNED_IN)
    async def my_tasks(self, request: Request) -> list[TaskAnswer]:
        """The caller's tasks in every organisation whose register their role reads."""
        groups = await store.my_task_groups(request.user.id, request.user.memberships, today())
        return [answer(view) for group in groups for view in group.views]
