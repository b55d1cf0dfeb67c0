"""Remediation tasks on the pages: the organisation's tasks, one task (owner, due
date, status, accepted risk, comments), a task made from a finding, and "My tasks"
across the organisations where the user reads the register."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from register.compliance.remediation import FindingKey, TaskState, TaskStatus
from register.i18n import words
from register.store.errors import Conflict, InvalidReference, StaleVersion, StoreError
from register.store.members import list_members
from register.store.tasks import (
    OWNER_ROLES,
    TaskView,
    add_comment,
    create_task,
    list_comments,
    load_task,
    my_task_groups,
    task_views,
    update_task,
)
from register.web import forms
from register.web.access import SIGNED_IN, Access, Permission, requires
from register.web.pages.common import language, render, see_other, today

TASK = "/organisations/{organisation_id:int}/tasks/{task_id:int}"
STATE_ORDER = {TaskState.OPEN: 0, TaskState.IN_PROGRESS: 1, TaskState.ACCEPTED: 2, TaskState.RESOLVED: 3}


def sorted_views(views: list[TaskView]) -> list[TaskView]:
    """Overdue first, then by state and due date (undated last)."""
    return sorted(
        views,
        key=lambda v: (not v.overdue, STATE_ORDER[v.state], v.task.due_on is None, v.task.due_on or date.max, v.task.id),
    )


async def owner_choices(organisation_id: int) -> list[tuple[int, str]]:
    """Members who may own a task (their role reads the register)."""
    return [(m.user_id, m.email) for m in await list_members(organisation_id) if m.role.value in OWNER_ROLES and m.active]


def parse_optional_date(text: str, field: str, errors: dict[str, str], lang: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = words(lang).gettext("Enter a date.")
        return None


def parse_owner(text: str, errors: dict[str, str], lang: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 10:
        errors["owner_id"] = words(lang).gettext("Choose a value from the list.")
        return None
    return int(text)


def store_error_messages(error: StoreError, lang: str) -> dict[str, str]:
    """A refused task change, as form errors in the page's language."""
    gettext = words(lang).gettext
    if isinstance(error, StaleVersion):
        return {forms.FORM_ERROR: gettext("Someone else changed this task: reload it and apply your change again.")}
    if isinstance(error, Conflict):
        return {forms.FORM_ERROR: gettext("This finding already has a task.")}
    if isinstance(error, InvalidReference):
        messages = {
            "owner_id": gettext("Choose a member who may read the register."),
            "accepted_reason": gettext("Say why the risk is accepted."),
            "accepted_until": gettext("Give an expiry date from today on."),
            "body": gettext("Write a comment (at most 4,000 characters)."),
        }
        return {error.field if error.field in messages else forms.FORM_ERROR: messages.get(
            error.field, gettext("This finding is no longer raised: reload the findings."))}
    raise error


# ------------------------------------------------------------------ the organisation's tasks


@get("/organisations/{organisation_id:int}/tasks", include_in_schema=False, opt=requires(Permission.READ_REGISTER))
async def tasks_page(request: Request, access: NamedDependency[Access]) -> Template:
    return await _tasks_page(request, access)


async def _tasks_page(request: Request, access: Access, state: forms.FormState | None = None, status_code: int = 200) -> Template:
    views = sorted_views(await task_views(access.organisation_id, today()))
    return await render(
        request,
        "tasks.html",
        access,
        section="tasks",
        status_code=status_code,
        views=views,
        form=state or forms.FormState(),
        open_count=sum(v.state in (TaskState.OPEN, TaskState.IN_PROGRESS) for v in views),
        overdue_count=sum(v.overdue for v in views),
    )


@post("/organisations/{organisation_id:int}/tasks", include_in_schema=False, opt=requires(Permission.EDIT_REGISTER))
async def new_task(request: Request, access: NamedDependency[Access]) -> Template | Redirect:
    """A task for one finding of the findings page (its code and subject in hidden fields)."""
    data = await request.form()
    lang = language(request)
    values = {name: str(data.get(name, "")) for name in ("finding", "owner_id", "due_on")}
    errors: dict[str, str] = {}
    key = finding_of_form(values["finding"])
    owner_id = parse_owner(values["owner_id"], errors, lang)
    due_on = parse_optional_date(values["due_on"], "due_on", errors, lang)
    if key is None:
        errors[forms.FORM_ERROR] = words(lang).gettext("This finding is no longer raised: reload the findings.")
    if not errors:
        try:
            task = await create_task(access.organisation_id, key, owner_id, due_on, access.actor, today())
        except (InvalidReference, Conflict) as error:
            errors = store_error_messages(error, lang)
        else:
            return see_other(f"/organisations/{access.organisation_id}/tasks/{task.id}")
    return await _tasks_page(request, access, forms.FormState(values=values, errors=errors), status_code=400)


def finding_of_form(token: str) -> FindingKey | None:
    """``processor_id:code:kind:ref`` (see FindingKey.token) back to a key."""
    parts = token.split(":", 3)
    if len(parts) != 4 or not parts[0].isdigit() or len(parts[0]) > 10 or len(token) > 200:
        return None
    return FindingKey(int(parts[0]), parts[1], parts[2], parts[3])


# ------------------------------------------------------------------ one task


async def _task_page(
    request: Request, access: Access, task_id: int, state: forms.FormState | None = None, status_code: int = 200
) -> Template:
    task = await load_task(access.organisation_id, task_id)
    [view] = await task_views(access.organisation_id, today(), [task])
    if state is None:
        state = forms.FormState(values=task_form_values(task), version=task.version)
    return await render(
        request,
        "task.html",
        access,
        section="tasks",
        status_code=status_code,
        view=view,
        task=task,
        comments=await list_comments(task.id),
        owners=await owner_choices(access.organisation_id),
        statuses=[s.value for s in TaskStatus],
        form=state,
        can_comment=access.allows(Permission.READ_REGISTER),
    )


def task_form_values(task: Any) -> dict[str, str]:
    return {
        "owner_id": "" if task.owner_id is None else str(task.owner_id),
        "due_on": task.due_on.isoformat() if task.due_on else "",
        "status": task.status.value,
        "accepted_reason": task.accepted_reason,
        "accepted_until": task.accepted_until.isoformat() if task.accepted_until else "",
        "body": "",
    }


@get(TASK, include_in_schema=False, opt=requires(Permission.READ_REGISTER))
async def task_page(request: Request, task_id: FromPath[int], access: NamedDependency[Access]) -> Template:
    return await _task_page(request, access, task_id)


@post(TASK, include_in_schema=False, opt=requires(Permission.EDIT_REGISTER))
async def change_task(request: Request, task_id: FromPath[int], access: NamedDependency[Access]) -> Template | Redirect:
    """Owner, due date and status together (an accepted risk with its reason and expiry)."""
    data = await request.form()
    lang = language(request)
    names = ("owner_id", "due_on", "status", "accepted_reason", "accepted_until", "version")
    values = {name: str(data.get(name, "")) for name in names}
    errors: dict[str, str] = {}
    owner_id = parse_owner(values["owner_id"], errors, lang)
    due_on = parse_optional_date(values["due_on"], "due_on", errors, lang)
    until = parse_optional_date(values["accepted_until"], "accepted_until", errors, lang)
    if values["status"] not in TaskStatus._value2member_map_:
        errors["status"] = words(lang).gettext("Choose a value from the list.")
    version = int(values["version"]) if values["version"].isdigit() and len(values["version"]) < 10 else 0
    if not errors:
        try:
            await update_task(
                access.organisation_id, task_id, version, access.actor, today(),
                owner_id=owner_id, due_on=due_on, status=TaskStatus(values["status"]),
                accepted_reason=values["accepted_reason"], accepted_until=until,
            )
        except (InvalidReference, StaleVersion) as error:
            errors = store_error_messages(error, lang)
        else:
            return see_other(f"/organisations/{access.organisation_id}/tasks/{task_id}")
    await load_task(access.organisation_id, task_id)  # a task of another register is not found
    state = forms.FormState(values={**values, "body": ""}, errors=errors, version=version)
    return await _task_page(request, access, task_id, state, status_code=400)


@post(TASK + "/comments", include_in_schema=False, opt=requires(Permission.READ_REGISTER))
async def comment_task(request: Request, task_id: FromPath[int], access: NamedDependency[Access]) -> Template | Redirect:
    data = await request.form()
    body = str(data.get("body", ""))
    try:
        await add_comment(access.organisation_id, task_id, body, access.actor)
    except InvalidReference as error:
        task = await load_task(access.organisation_id, task_id)
        state = forms.FormState(
            values={**task_form_values(task), "body": body}, errors=store_error_messages(error, language(request)),
            version=task.version,
        )
        return await _task_page(request, access, task_id, state, status_code=400)
    return see_other(f"/organisations/{access.organisation_id}/tasks/{task_id}#comments")


# ------------------------------------------------------------------ my tasks


@get("/tasks", include_in_schema=False, opt=SIGNED_IN)
async def my_tasks(request: Request) -> Template:
    groups = [
        replace(group, views=sorted_views(group.views))
        for group in await my_task_groups(request.user.id, request.user.memberships, today())
    ]
    return await render(request, "my_tasks.html", groups=groups, section="my_tasks")


TASK_HANDLERS = [tasks_page, new_task, task_page, change_task, comment_task, my_tasks]
