"""What the questionnaire's pages and API share: the link, the invitation e-mail, the vendor's
rate limits, reading the uploaded DPA, and the DPO's decisions from a form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from typing import Any

import anyio.to_thread
from litestar import Request

from register.accounts.limits import count_hits, window_at
from register.i18n import words
from register.i18n.dates import prose_date
from register.reading import ReadingError, read_dpa
from register.settings import files_max_bytes, questionnaire_settings, site_url
from register.store.questionnaires import Questionnaire
from register.web.addresses import client_address

PUBLIC_PREFIX = "/q/"


def site_of(request: Request) -> str:
    """``SITE_URL`` when set (behind a proxy), else the address the request came to."""
    return site_url(default=str(request.base_url)).rstrip("/")


def questionnaire_url(request: Request, token: str, language: str) -> str:
    return f"{site_of(request)}{PUBLIC_PREFIX}{token}?lang={language}"


@dataclass(frozen=True, slots=True)
class InvitationEmail:
    """The e-mail the DPO copies into its own mail client (the register sends no mail)."""

    subject: str
    body: str


def invitation_email(
    questionnaire: Questionnaire, url: str, organisation_name: str, processor_name: str, sender: str
) -> InvitationEmail:
    """Send-ready, in the questionnaire's language (French typography in French)."""
    language = questionnaire.language
    said = words(language)
    until = prose_date(questionnaire.expires_at.date(), language)
    subject = said.gettext("%(organisation)s: questionnaire about %(processor)s’s processing of personal data",
                           organisation=organisation_name, processor=processor_name)  # fmt: skip
    body = "\n\n".join(
        [
            said.gettext("Hello,"),
            said.gettext(
                "As %(processor)s processes personal data on behalf of %(organisation)s, we keep a register of our "
                "processors (Art. 28 and 30 of the GDPR). Please answer our questionnaire about your company, where the "
                "data is processed, your sub-processors, transfer tools, certifications and security measures, and "
                "attach your data processing agreement.",
                processor=processor_name, organisation=organisation_name,
            ),
            said.gettext("The questionnaire is at this address (no account needed):"),
            url,
            said.gettext(
                "You can save your answers and come back to them until you send them. The link works until %(day)s "
                "and can be used to send your answers once; keep it confidential.",
                day=until,
            ),
            said.gettext("Thank you in advance,"),
            sender,
        ]
    )
    return InvitationEmail(subject, body)


# ------------------------------------------------------------------ the vendor's rate limits


def rate_buckets(request: Request, token: str) -> dict[str, int]:
    limits = questionnaire_settings()
    buckets = {}
    if limits.per_token:
        buckets[f"questionnaire-token:{token[:100]}"] = limits.per_token  # hashed before it is stored
    if limits.per_address:
        buckets[f"questionnaire-address:{client_address(request.scope)}"] = limits.per_address
    return buckets


async def seconds_to_wait(request: Request, token: str) -> int:
    """Count this request against the link's and the address's windows; 0 when allowed, else the
    seconds until the window ends. Counted before the token is looked up (so guessing is limited too)."""
    buckets = rate_buckets(request, token)
    if not buckets:
        return 0
    settings = questionnaire_settings()
    moment = datetime.now(timezone.utc)
    counts = await count_hits(list(buckets), settings.window_seconds, moment)
    if any(counts[bucket] > limit for bucket, limit in buckets.items()):
        return window_at(moment, settings.window_seconds).seconds_left(moment)
    return 0


# ------------------------------------------------------------------ the vendor's DPA


def _read(content: bytes, name: str, language: str) -> dict[str, Any] | None:
    try:
        return read_dpa(content, filename=name, language=language, max_bytes=files_max_bytes()).to_json()
    except ReadingError:
        return None  # kept as a file; the DPO reads it by hand (a scan, an encrypted PDF…)


async def read_vendor_dpa(content: bytes, name: str, language: str) -> dict[str, Any] | None:
    """The reader's proposal for the vendor's DPA (in a worker thread), or None when it cannot be read."""
    return await anyio.to_thread.run_sync(partial(_read, content, name, language))
