"""Sub-processor change notices: record one (text, file or URL), review it, decide, download the letter."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Annotated

import anyio
import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from register.compliance.notices import Change, Deadline
from register.documents.objection_letter import build_objection_letter
from register.fetching import FetchError, fetch_list, filename_for
from register.intake.model import IntakeError
from register.intake.subprocessor_lists import SubProcessorList, is_binary_list, read_subprocessor_list
from register.schemas import NO_NUL, Version
from register.settings import intake_limits
from register.store import notices, reads
from register.store.errors import InvalidReference
from register.store.notices import Notice
from register.vocabulary import NoticeChannel, NoticeDecision, NoticeKind
from register.web.access import Access, Permission, requires
from register.web.api.assessment import AsOf, as_of_or_today
from register.web.api.documents import Language, attachment

Text = Annotated[str, msgspec.Meta(max_length=1_000_000, pattern=NO_NUL)]
ShortText = Annotated[str, msgspec.Meta(max_length=500, pattern=NO_NUL)]


class NoticeFile(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=NO_NUL)]
    content_base64: Annotated[str, msgspec.Meta(max_length=30_000_000)]


class NoticeInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Exactly one of ``text`` (pasted), ``file`` (csv, xlsx, ods, html, markdown, json) or ``url``."""

    received_on: date
    channel: NoticeChannel = NoticeChannel.EMAIL
    kind: NoticeKind = NoticeKind.CHANGE
    text: Text | None = None
    file: NoticeFile | None = None
    url: Annotated[str, msgspec.Meta(max_length=500, pattern=NO_NUL)] | None = None
    # the period the notice states, when the reader did not find it or read it wrong
    stated_notice_days: Annotated[int, msgspec.Meta(ge=0, le=3650)] | None = None
    stated_business_days: bool | None = None


class DecisionInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    decision: NoticeDecision
    version: Version
    reasons: Annotated[str, msgspec.Meta(max_length=10_000, pattern=NO_NUL)] = ""
    # On acceptance: ids of registered sub-processors confirmed as renamed (from ``possible_renames``).
    renames: Annotated[list[Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]], msgspec.Meta(max_length=1000)] = []


@dataclass(frozen=True, slots=True)
class RenameOut:
    """A removal and an addition likely one sub-processor renamed, for the DPO to confirm."""

    sub_processor_id: int | None
    registered_name: str
    listed_name: str
    reason: str  # "similar_name" | "same_purpose_and_countries"
    score: int


class SentInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    sent_on: date
    sent_via: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=NO_NUL)]
    version: Version
    proof: Annotated[str, msgspec.Meta(max_length=5000, pattern=NO_NUL)] = ""


@dataclass(frozen=True, slots=True)
class FindingSummary:
    code: str
    severity: str
    subject: str
    title: str
    explanation: str


@dataclass(frozen=True, slots=True)
class NoticeReviewOut:
    notice: Notice
    counts: dict[str, int]
    changes: tuple[Change, ...]
    since_previous: tuple[Change, ...] | None
    previous_notice_id: int | None
    deadline: Deadline
    findings_if_accepted: tuple[FindingSummary, ...]
    status_findings: tuple[FindingSummary, ...]
    possible_renames: tuple[RenameOut, ...] = ()


def _summaries(findings, language: str = "en") -> tuple[FindingSummary, ...]:
    return tuple(
        FindingSummary(f.code, f.severity.value, f.subject.label, f.title.in_language(language), f.explanation.in_language(language))
        for f in findings
    )


async def read_notice_input(data: NoticeInput) -> tuple[SubProcessorList, str, str]:
    """The list read from whichever source the input gives; (list, source, content kept)."""
    given = [name for name in ("text", "file", "url") if getattr(data, name) not in (None, "")]
    if len(given) != 1:
        raise InvalidReference("text", "give exactly one of text, file or url")
    try:
        if data.text:
            return read_subprocessor_list(data.text), "pasted", data.text
        if data.file is not None:
            try:
                content = base64.b64decode(data.file.content_base64, validate=True)
            except (binascii.Error, ValueError):
                raise InvalidReference("file.content_base64", "not valid base64") from None
            listed = await anyio.to_thread.run_sync(read_subprocessor_list, content, data.file.name, intake_limits())
            kept = "" if is_binary_list(content, data.file.name) else content.decode("utf-8", "replace")
            return listed, data.file.name, kept
        assert data.url is not None
        try:
            fetched = await fetch_list(data.url)
        except FetchError as error:
            raise InvalidReference("url", str(error)) from None
        listed = await anyio.to_thread.run_sync(read_subprocessor_list, fetched.content, filename_for(fetched), intake_limits())
        binary = is_binary_list(fetched.content, filename_for(fetched))
        return listed, fetched.url, "" if binary else fetched.content.decode("utf-8", "replace")
    except IntakeError as error:
        raise InvalidReference("file" if data.file else "text", str(error)) from None


async def review_out(organisation_id: int, notice_id: int, as_of: date) -> NoticeReviewOut:
    review = await notices.review_notice(organisation_id, notice_id, as_of)
    return NoticeReviewOut(
        notice=review.notice,
        counts=review.counts,
        changes=review.changes,
        since_previous=review.since_previous,
        previous_notice_id=review.previous_id,
        deadline=review.deadline,
        findings_if_accepted=_summaries(review.findings_if_accepted),
        status_findings=_summaries(review.status_findings),
        possible_renames=tuple(
            RenameOut(r.sub_processor_id, r.before.name, r.after.name, r.reason, r.score) for r in review.renames
        ),
    )


class NoticeController(Controller):
    path = "/api/v1"
    tags = ["sub-processor notices"]

    @post("/processors/{processor_id:int}/notices", opt=requires(Permission.EDIT_REGISTER))
    async def record_notice(
        self, processor_id: FromPath[int], data: JSONBody[NoticeInput], access: NamedDependency[Access]
    ) -> Notice:
        """Record a notice or list snapshot, read from pasted text, a file (base64) or a URL fetched now."""
        listed, source, content = await read_notice_input(data)
        return await notices.record_notice(
            access.organisation_id, processor_id, listed, kind=data.kind, channel=data.channel,
            received_on=data.received_on, source=source, content=content, actor=access.actor,
            stated_notice_days=data.stated_notice_days, stated_business_days=data.stated_business_days,
        )

    @get("/processors/{processor_id:int}/notices", opt=requires(Permission.READ_REGISTER))
    async def list_notices(self, processor_id: FromPath[int], access: NamedDependency[Access]) -> list[Notice]:
        return await notices.list_notices(access.organisation_id, processor_id)

    @get("/notices/{notice_id:int}", opt=requires(Permission.READ_REGISTER))
    async def get_notice(
        self, notice_id: FromPath[int], access: NamedDependency[Access], as_of: AsOf = None
    ) -> NoticeReviewOut:
        """The notice with its diff, objection deadline and the findings accepting would raise."""
        return await review_out(access.organisation_id, notice_id, as_of_or_today(as_of))

    @post("/notices/{notice_id:int}/decision", status_code=200, opt=requires(Permission.DECIDE_PROCUREMENT))
    async def decide(
        self, notice_id: FromPath[int], data: JSONBody[DecisionInput], access: NamedDependency[Access]
    ) -> NoticeReviewOut:
        """Accept (the register's sub-processors updated, one transaction) or object with reasons."""
        if data.decision == NoticeDecision.ACCEPT:
            await notices.accept_notice(access.organisation_id, notice_id, data.version, access.actor, data.renames)
        else:
            await notices.object_to_notice(access.organisation_id, notice_id, data.version, data.reasons, access.actor)
        return await review_out(access.organisation_id, notice_id, date.today())

    @post("/notices/{notice_id:int}/objection-sent", status_code=200, opt=requires(Permission.DECIDE_PROCUREMENT))
    async def objection_sent(
        self, notice_id: FromPath[int], data: JSONBody[SentInput], access: NamedDependency[Access]
    ) -> Notice:
        """When and how the objection letter was sent, and its proof."""
        return await notices.record_objection_sent(
            access.organisation_id, notice_id, data.version, data.sent_on, data.sent_via, data.proof, access.actor
        )

    @get("/notices/{notice_id:int}/objection-letter.docx", opt=requires(Permission.READ_REGISTER))
    async def objection_letter(
        self, notice_id: FromPath[int], access: NamedDependency[Access], lang: Language = "fr"
    ) -> Response[bytes]:
        """The objection letter (.docx): a draft while the notice is pending (the reasons to complete), send-ready once the DPO has objected; 409 for an accepted notice."""
        return await objection_letter_download(access.organisation_id, notice_id, lang)


async def objection_letter_download(organisation_id: int, notice_id: int, language: str) -> Response[bytes]:
    review = await notices.review_notice(organisation_id, notice_id, date.today())
    if review.notice.status == "accepted":
        from register.store.errors import Conflict

        raise Conflict(f"notice {notice_id} was accepted: there is no objection to write")
    organisation = await reads.load_organisation(organisation_id)
    return attachment(
        await anyio.to_thread.run_sync(partial(build_objection_letter, organisation, review, language=language))
    )
