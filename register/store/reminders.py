"""What falls due for one user, the calendar feeds' secret addresses, and the
reminders' sent-log.

A user's agenda gathers, in every organisation where their role reads the
register: the register's dates (:mod:`register.compliance.reminders`), the
sub-processor notices' objection deadlines, and their own tasks' due dates and
accepted risks' expiries. The feed and the e-mail digest both read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable, Mapping

from register.accounts.secrets import token_digest
from register.compliance import settings_from_reference
from register.compliance.model import Finding
from register.compliance.remediation import ACTIVE_STATES, TaskState, accepted_keys, finding_key
from register.compliance.reminders import Deadline, register_deadlines
from register.store import reads, snapshots
from register.store.tasks import readable_organisations, task_views, tasks_owned_by
from register.tables import CalendarFeed, ReminderSent, RemediationTask, User
from register.vocabulary import Role, Severity

FEED_TOKEN_BYTES = 32
FEED_PREFIX_LENGTH = 6


@dataclass(frozen=True, slots=True)
class AgendaItem:
    deadline: Deadline
    organisation_id: int
    organisation_name: str
    path: str  # the page to open, on this site

    @property
    def key(self) -> str:
        """Names the reminder and its date: a moved deadline is a new reminder."""
        return f"o{self.organisation_id}:{self.deadline.key}:{self.deadline.due_on.isoformat()}"


async def objection_deadlines(organisation_id: int) -> list[Deadline]:
    """Open objection deadlines of the sub-processor change notices (hook on the
    ``notices`` work: ``register.store.notices.open_objection_deadlines``; none
    while that module is absent)."""
    try:
        from register.store.notices import open_objection_deadlines  # type: ignore[import-not-found]
    except ImportError:
        return []
    return [
        Deadline("objection_deadline", d.deadline, d.processor_id, d.processor_name, "", f"n{d.notice_id}")
        for d in await open_objection_deadlines(organisation_id)
    ]


def _path(organisation_id: int, deadline: Deadline) -> str:
    if deadline.kind in ("task_due", "acceptance_expiry"):
        return f"/organisations/{organisation_id}/tasks/{deadline.ref.removeprefix('t')}"
    if deadline.kind == "objection_deadline":
        return f"/notices/{deadline.ref.removeprefix('n')}"
    return f"/processors/{deadline.processor_id}"


async def user_agenda(user_id: int, memberships: Mapping[int, Role], today: date) -> list[AgendaItem]:
    """Everything dated the user should know of, soonest first (past dates included)."""
    organisations = readable_organisations(memberships)
    names = {o.id: o.name for o in await reads.list_organisations_of(organisations)}
    settings = settings_from_reference()
    own_tasks = await tasks_owned_by(user_id, organisations)
    items: list[AgendaItem] = []
    for organisation_id in organisations:
        snapshot = await snapshots.register_snapshot(organisation_id)
        deadlines = register_deadlines(snapshot.processors, settings)
        deadlines += await objection_deadlines(organisation_id)
        mine = [t for t in own_tasks if t.organisation_id == organisation_id]
        deadlines += task_deadlines(await task_views(organisation_id, today, mine) if mine else [])
        items += [AgendaItem(d, organisation_id, names.get(organisation_id, ""), _path(organisation_id, d)) for d in deadlines]
    return sorted(items, key=lambda i: (i.deadline.due_on, i.organisation_name, i.deadline.processor_name, i.deadline.kind))


def task_deadlines(views: Iterable) -> list[Deadline]:
    """A live task's due date, and an accepted risk's expiry (the finding returns the day after)."""
    found = []
    for view in views:
        task = view.task
        about = task.finding_code
        if view.state in ACTIVE_STATES and task.due_on is not None:
            found.append(Deadline("task_due", task.due_on, task.processor_id, task.subject_label, about, f"t{task.id}"))
        if view.state is TaskState.ACCEPTED and task.accepted_until is not None:
            found.append(Deadline("acceptance_expiry", task.accepted_until, task.processor_id, task.subject_label, about, f"t{task.id}"))
    return found


@dataclass(frozen=True, slots=True)
class CriticalFinding:
    finding: Finding
    organisation_id: int
    organisation_name: str

    @property
    def key(self) -> str:
        key = finding_key(self.finding)
        return f"o{self.organisation_id}{CRITICAL_ITEM}{key.token if key else self.finding.code}"


async def critical_findings(memberships: Mapping[int, Role], today: date) -> list[CriticalFinding]:
    """Critical findings of the user's registers, but those whose risk is accepted today."""
    organisations = readable_organisations(memberships)
    names = {o.id: o.name for o in await reads.list_organisations_of(organisations)}
    found = []
    for organisation_id in organisations:
        _, assessment = await snapshots.register_assessment(organisation_id, today)
        accepted = await accepted_findings(organisation_id, today)
        found += [
            CriticalFinding(f, organisation_id, names.get(organisation_id, ""))
            for f in assessment.findings
            if f.severity is Severity.CRITICAL and finding_key(f) not in accepted
        ]
    return found


async def accepted_findings(organisation_id: int, today: date):
    from register.compliance.remediation import FindingKey

    rows = await RemediationTask.select(
        RemediationTask.processor, RemediationTask.finding_code, RemediationTask.subject_kind,
        RemediationTask.subject_ref, RemediationTask.status, RemediationTask.accepted_until,
    ).where((RemediationTask.organisation == organisation_id) & (RemediationTask.status == "accepted_risk"))
    return accepted_keys(
        {FindingKey(r["processor"], r["finding_code"], r["subject_kind"], r["subject_ref"]): (r["status"], r["accepted_until"]) for r in rows},
        today,
    )


# ------------------------------------------------------------------ calendar feeds


@dataclass(frozen=True, slots=True)
class FeedStatus:
    prefix: str
    created_at: object


async def feed_status(user_id: int) -> FeedStatus | None:
    row = await CalendarFeed.select(CalendarFeed.prefix, CalendarFeed.created_at).where(CalendarFeed.user == user_id).first()
    return FeedStatus(row["prefix"], row["created_at"]) if row else None


async def new_feed_token(user_id: int) -> str:
    """A new secret address for the user's feed; the previous one stops working at once.

    One atomic upsert (unique user): two at once leave exactly one live token.
    """
    import secrets

    from register.accounts.store import now

    token = secrets.token_urlsafe(FEED_TOKEN_BYTES)
    digest = token_digest(token)
    prefix = token[:FEED_PREFIX_LENGTH]
    await CalendarFeed.insert(CalendarFeed(user=user_id, token_digest=digest, prefix=prefix, created_at=now())).on_conflict(
        target=CalendarFeed.user,
        action="DO UPDATE",
        values=[CalendarFeed.token_digest, CalendarFeed.prefix, CalendarFeed.created_at],
    )
    return token


async def revoke_feed(user_id: int) -> None:
    await CalendarFeed.delete().where(CalendarFeed.user == user_id)


async def feed_owner(token: str) -> int | None:
    """The active user a live feed token belongs to."""
    if not token or len(token) > 100:
        return None
    row = await CalendarFeed.select(CalendarFeed.user).where(
        (CalendarFeed.token_digest == token_digest(token)) & (CalendarFeed.user.is_active == True)  # noqa: E712
    ).first()
    return row["user"] if row else None


# ------------------------------------------------------------------ sent-log


async def claim_unsent(user_id: int, items: Iterable[str]) -> list[str]:
    """Record ``items`` as sent to the user; the ones not already recorded (call inside
    the transaction that sends: a concurrent run waits on the unique index, then claims nothing)."""
    items = list(dict.fromkeys(items))
    if not items:
        return []
    claimed = await ReminderSent.insert(*[ReminderSent(user=user_id, item=item) for item in items]).on_conflict(
        action="DO NOTHING"
    ).returning(ReminderSent.item)
    return [row["item"] for row in claimed]


CRITICAL_ITEM = ":critical:"  # in the key of a critical finding told (:class:`CriticalFinding`), undated


async def purge_sent_reminders(moment: datetime, kept: timedelta) -> int:
    """Delete the sent-log's dated items recorded before ``moment - kept``; how many.

    A dated item (a deadline, its date in its key) is sent only while its date is
    within the run's horizon (:data:`register.remind.MAX_DAYS` at most), so with
    ``kept`` longer than that horizon a purged item's date has passed: no later run
    can claim it again. Critical findings told are undated (a standing finding would
    be told again) and are kept.
    """
    purged = await ReminderSent.delete().where(
        (ReminderSent.sent_at < moment - kept) & ReminderSent.item.not_like(f"%{CRITICAL_ITEM}%")
    ).returning(ReminderSent.id)
    return len(purged)


async def user_language(user_id: int) -> str:
    row = await User.select(User.language).where(User.id == user_id).first()
    return row["language"] if row and row["language"] in ("fr", "en") else "fr"


async def set_user_language(user_id: int, language: str) -> None:
    await User.update({User.language: language}).where(User.id == user_id)

