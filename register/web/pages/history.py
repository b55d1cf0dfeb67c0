"""The register's history: the register and a processor as they stood on a past
date, and what changed between two dates (page and .docx)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

import anyio.to_thread
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from register.compliance import assess_processor
from register.documents import service
from register.history.report import worded_changes
from register.i18n import words
from register.store import history
from register.store.errors import NotFound
from register.web.access import Access, Permission, requires
from register.web.forms import FormState
from register.web.pages.common import language, render, today
from register.web.pages.documents import Language, attachment

READ = requires(Permission.READ_REGISTER)
# The changes name who made them, as the audit trail does: the same permission.
READ_CHANGES = requires(Permission.READ_AUDIT)
DEFAULT_PERIOD_DAYS = 30


def date_fields(raw: dict[str, str | None], language_code: str) -> tuple[dict[str, date | None], FormState]:
    """Date inputs (YYYY-MM-DD, as a date input sends them); an error next to each bad one."""
    form = FormState(values={name: value or "" for name, value in raw.items()})
    chosen: dict[str, date | None] = {}
    for name, value in raw.items():
        chosen[name] = None
        if value:
            try:
                chosen[name] = date.fromisoformat(value)
            except ValueError:
                form.errors[name] = words(language_code).gettext("Enter a date (YYYY-MM-DD).")
    return chosen, form


async def assessed_past_register_or_none(organisation_id: int, day: date):
    """(the register as it stood, its assessment as of that day), or (None, None) before
    the organisation existed; both cached per revision (register/store/history.py)."""
    try:
        return await history.assessed_register_on(organisation_id, day)
    except NotFound:
        return None, None


async def past_register_or_none(organisation_id: int, day: date) -> history.PastRegister | None:
    try:
        return await history.register_on(organisation_id, day)
    except NotFound:  # the organisation did not exist yet
        return None


@get("/organisations/{organisation_id:int}/history", include_in_schema=False, opt=READ)
async def register_history(
    request: Request,
    organisation_id: FromPath[int],
    access: NamedDependency[Access],
    on: FromQuery[str | None] = None,
) -> Template:
    """The register as it stood at the end of the chosen day, assessed as of that day."""
    chosen, form = date_fields({"on": on}, language(request))
    day = chosen["on"] or today()
    past, assessment = await assessed_past_register_or_none(organisation_id, day)
    rows = []
    if past is not None:
        by_id = {a.processor_id: a for a in assessment.processors}
        rows = [(p, by_id.get(p.id)) for p in past.processors]
    return await render(
        request,
        "history.html",
        access,
        section="history",
        status_code=400 if form.errors else 200,
        form=form,
        on_day=day,
        past=past,
        rows=rows,
    )


@get("/organisations/{organisation_id:int}/history/processors/{processor_id:int}", include_in_schema=False, opt=READ)
async def processor_history(
    request: Request,
    organisation_id: FromPath[int],
    processor_id: FromPath[int],
    access: NamedDependency[Access],
    on: FromQuery[str | None] = None,
) -> Template:
    """One processor as it stood at the end of the chosen day (also one deleted since)."""
    chosen, form = date_fields({"on": on}, language(request))
    day = chosen["on"] or today()
    past = await past_register_or_none(organisation_id, day)
    registry = {p.id: p for p in past.processors} if past is not None else {}
    processor = registry.get(processor_id)
    assessment = assess_processor(processor, as_of=day, registry=registry) if processor is not None else None
    return await render(
        request,
        "history_processor.html",
        access,
        section="history",
        status_code=400 if form.errors else 200,
        form=form,
        on_day=day,
        processor=processor,
        processor_id=processor_id,
        assessment=assessment,
        registry=registry,
        sub_names={s.id: s.name for s in processor.sub_processors} if processor else {},
    )


def period(since: date | None, until: date | None) -> tuple[date, date]:
    """The period asked for; by default the last 30 days up to today."""
    until = until or today()
    return since or until - timedelta(days=DEFAULT_PERIOD_DAYS), until


def checked_period(since: date | None, until: date | None) -> tuple[date, date]:
    """:func:`period`, refused (400 naming ``since``) when it starts after it ends."""
    start, end = period(since, until)
    if start > end:
        raise ValidationException(detail="since: the start of the period is after its end (until)")
    return start, end


@get("/organisations/{organisation_id:int}/changes", include_in_schema=False, opt=READ_CHANGES)
async def changes_page(
    request: Request,
    organisation_id: FromPath[int],
    access: NamedDependency[Access],
    since: FromQuery[str | None] = None,
    until: FromQuery[str | None] = None,
) -> Template:
    lang = language(request)
    chosen, form = date_fields({"since": since, "until": until}, lang)
    start, end = period(chosen["since"], chosen["until"])
    if start > end and not form.errors:
        form.errors["since"] = words(lang).gettext("The start of the period is after its end.")
    changes = [] if form.errors else await history.changes_on_days(organisation_id, start, end)
    form.values = {"since": start.isoformat(), "until": end.isoformat()} if not form.errors else form.values
    return await render(
        request,
        "changes.html",
        access,
        section="history",
        status_code=400 if form.errors else 200,
        form=form,
        since=start,
        until=end,
        changes=worded_changes(changes, lang),
        period_query=f"since={start.isoformat()}&until={end.isoformat()}",
    )


@get("/organisations/{organisation_id:int}/documents/changes.docx", include_in_schema=False, opt=READ_CHANGES)
async def changes_document(
    request: Request,
    organisation_id: FromPath[int],
    lang: FromQuery[Language] = None,
    since: FromQuery[date | None] = None,
    until: FromQuery[date | None] = None,
) -> Response[bytes]:
    start, end = checked_period(since, until)
    chosen = lang or language(request)
    organisation, changes = await service.load_changes(organisation_id, start, end)
    build = partial(service.build_changes_report, organisation, changes, since=start, until=end, language=chosen)
    return attachment(await anyio.to_thread.run_sync(build))


HISTORY_HANDLERS = [register_history, processor_history, changes_page, changes_document]
