"""Pages of sub-processor change notices: the processor's notices and the form to record
one (pasted text, a file, or a URL fetched now); a notice's review (diff, deadline,
findings if accepted) with the decision and the objection letter."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import anyio
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from register.fetching import FetchError, fetch_list, filename_for
from register.i18n import words
from register.intake.model import IntakeError
from register.intake.wording import problem_text
from register.intake.subprocessor_lists import is_binary_list, read_subprocessor_list
from register.settings import intake_limits
from register.store import notices, reads
from register.store.errors import Conflict, InvalidReference, StaleVersion
from register.vocabulary import NoticeChannel, NoticeKind, NoticeStatus
from register.web.access import Access, Permission, requires
from register.web.pages.common import language, render, see_other, today

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def notice_path(notice_id: int) -> str:
    return f"/notices/{notice_id}"


async def notices_page(
    request: Request, access: Access, processor_id: int, values: dict[str, Any] | None = None,
    error: str = "", status_code: int = 200,
) -> Template:
    processor = await reads.load_processor(processor_id, access.organisation_id)
    found = await notices.list_notices(access.organisation_id, processor_id)
    deadlines = {n.id: notices.notice_deadline(n, processor) for n in found}
    return await render(
        request, "notices.html", access, section="processors", status_code=status_code,
        p=processor, notices=found, deadlines=deadlines, channels=list(NoticeChannel), kinds=list(NoticeKind),
        values={"text": "", "url": "", "stated_notice_days": "", "stated_business_days": False, "received_on": today().isoformat(), "channel": "email", "kind": "change", **(values or {})}, error=error,
    )


@get("/processors/{processor_id:int}/notices", include_in_schema=False, opt=requires(Permission.READ_REGISTER))
async def show_notices(request: Request, processor_id: FromPath[int], access: NamedDependency[Access]) -> Template:
    return await notices_page(request, access, processor_id)


def _form_text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


async def _read_form_list(form: Any, said: Any):
    """The list from the form's one source: pasted text, a file, or a URL."""
    text = _form_text(form, "text")
    url = _form_text(form, "url")
    upload = form.get("file")
    has_file = isinstance(upload, UploadFile) and bool(upload.filename)
    if sum((bool(text), bool(url), has_file)) != 1:
        raise InvalidReference("text", said.gettext("Give exactly one of: pasted text, a file, a URL."))
    try:
        if text:
            return read_subprocessor_list(text), "pasted", text
        if has_file:
            content = await upload.read(MAX_UPLOAD_BYTES + 1)
            if len(content) > MAX_UPLOAD_BYTES:
                raise InvalidReference("file", said.gettext("The file is too large."))
            listed = await anyio.to_thread.run_sync(read_subprocessor_list, content, upload.filename, intake_limits())
            binary = is_binary_list(content, upload.filename)
            return listed, upload.filename, "" if binary else content.decode("utf-8", "replace")
        try:
            fetched = await fetch_list(url)
        except FetchError as error:
            raise InvalidReference("url", said.gettext("The URL could not be fetched (%(reason)s).", reason=error.code)) from None
        name = filename_for(fetched)
        listed = await anyio.to_thread.run_sync(read_subprocessor_list, fetched.content, name, intake_limits())
        binary = is_binary_list(fetched.content, name)
        return listed, fetched.url, "" if binary else fetched.content.decode("utf-8", "replace")
    except IntakeError as error:
        reason = problem_text(error.problem, said.language)
        raise InvalidReference("file", said.gettext("The list could not be read (%(reason)s).", reason=reason)) from None


@post("/processors/{processor_id:int}/notices", include_in_schema=False, opt=requires(Permission.EDIT_REGISTER))
async def record_notice(
    request: Request, processor_id: FromPath[int], access: NamedDependency[Access]
) -> Template | Redirect:
    said = words(language(request))
    form = await request.form()
    values = {name: _form_text(form, name) for name in ("received_on", "channel", "kind", "text", "url", "stated_notice_days")}
    values["stated_business_days"] = bool(form.get("stated_business_days"))
    try:
        try:
            received_on = date.fromisoformat(values["received_on"])
        except ValueError:
            raise InvalidReference("received_on", said.gettext("Enter the date the notice was received (YYYY-MM-DD).")) from None
        try:
            channel = NoticeChannel(values["channel"] or "email")
            kind = NoticeKind(values["kind"] or "change")
        except ValueError:
            raise InvalidReference("channel", said.gettext("Choose a channel and a kind from the lists.")) from None
        days_text = values["stated_notice_days"]
        if days_text and not (days_text.isdigit() and int(days_text) <= 3650):
            raise InvalidReference("stated_notice_days", said.gettext("Enter a number of days."))
        listed, source, content = await _read_form_list(form, said)
        if not listed.rows:
            raise InvalidReference("text", said.gettext("No sub-processor could be read from this notice or list."))
        notice = await notices.record_notice(
            access.organisation_id, processor_id, listed, kind=kind, channel=channel, received_on=received_on,
            source=source, content=content, actor=access.actor,
            stated_notice_days=int(days_text) if days_text else None,
            stated_business_days=values["stated_business_days"] if days_text else None,
        )
        return see_other(notice_path(notice.id))
    except InvalidReference as error:
        message = str(error).split(": ", 1)[-1]
        return await notices_page(request, access, processor_id, values, f"{error.field} — {message}", status_code=400)


async def notice_page(request: Request, access: Access, notice_id: int, error: str = "", status_code: int = 200) -> Template:
    review = await notices.review_notice(access.organisation_id, notice_id, today())
    return await render(
        request, "notice.html", access, section="processors", status_code=status_code,
        review=review, n=review.notice, p=review.processor, error=error,
        pending=review.notice.status == NoticeStatus.PENDING, objected=review.notice.status == NoticeStatus.OBJECTED,
    )


@get("/notices/{notice_id:int}", include_in_schema=False, opt=requires(Permission.READ_REGISTER))
async def show_notice(request: Request, notice_id: FromPath[int], access: NamedDependency[Access]) -> Template:
    return await notice_page(request, access, notice_id)


def changed_meanwhile(said: Any) -> str:
    return said.gettext("This notice was decided or changed meanwhile: the page shows it as it is now.")


def _form_values(form: Any, name: str) -> list[str]:
    values = form.getall(name, []) if hasattr(form, "getall") else [form.get(name)]
    return [value.strip() for value in values if isinstance(value, str)]


def _version(form: Any) -> int:
    text = _form_text(form, "version")
    return int(text) if text.isdigit() and len(text) < 10 else 0


@post("/notices/{notice_id:int}/decision", include_in_schema=False, opt=requires(Permission.DECIDE_PROCUREMENT))
async def decide_notice(request: Request, notice_id: FromPath[int], access: NamedDependency[Access]) -> Template | Redirect:
    form = await request.form()
    said = words(language(request))
    decision = _form_text(form, "decision")
    try:
        if decision == "accept":
            renames = [int(v) for v in _form_values(form, "rename") if v.isdigit() and len(v) < 10]
            await notices.accept_notice(access.organisation_id, notice_id, _version(form), access.actor, renames)
        elif decision == "object":
            if not _form_text(form, "reasons"):
                raise InvalidReference("reasons", said.gettext("Give the reasons for the objection."))
            await notices.object_to_notice(access.organisation_id, notice_id, _version(form), _form_text(form, "reasons"), access.actor)
        else:
            raise InvalidReference("decision", said.gettext("Choose to accept or to object."))
    except InvalidReference as error:
        return await notice_page(request, access, notice_id, str(error).split(": ", 1)[-1], status_code=400)
    except (StaleVersion, Conflict):
        return await notice_page(request, access, notice_id, changed_meanwhile(said), status_code=400)
    return see_other(notice_path(notice_id))


@post("/notices/{notice_id:int}/sent", include_in_schema=False, opt=requires(Permission.DECIDE_PROCUREMENT))
async def objection_sent(request: Request, notice_id: FromPath[int], access: NamedDependency[Access]) -> Template | Redirect:
    form = await request.form()
    said = words(language(request))
    try:
        try:
            sent_on = date.fromisoformat(_form_text(form, "sent_on"))
        except ValueError:
            raise InvalidReference("sent_on", said.gettext("Enter the date the objection was sent (YYYY-MM-DD).")) from None
        if not _form_text(form, "sent_via"):
            raise InvalidReference("sent_via", said.gettext("Say how the objection was sent."))
        await notices.record_objection_sent(
            access.organisation_id, notice_id, _version(form), sent_on, _form_text(form, "sent_via"),
            _form_text(form, "proof"), access.actor,
        )
    except InvalidReference as error:
        return await notice_page(request, access, notice_id, str(error).split(": ", 1)[-1], status_code=400)
    except (StaleVersion, Conflict):
        return await notice_page(request, access, notice_id, changed_meanwhile(said), status_code=400)
    return see_other(notice_path(notice_id))


@get("/notices/{notice_id:int}/objection-letter.docx", include_in_schema=False, opt=requires(Permission.READ_REGISTER))
async def objection_letter(
    request: Request, notice_id: FromPath[int], access: NamedDependency[Access],
    lang: FromQuery[Literal["fr", "en"] | None] = None,
) -> Response[bytes]:
    from register.web.api.notices import objection_letter_download

    return await objection_letter_download(access.organisation_id, notice_id, lang or language(request))


NOTICE_HANDLERS = [show_notices, record_notice, show_notice, decide_notice, objection_sent, objection_letter]
