"""``register remind``: the e-mail digest, run by cron or a systemd timer.

For each active user who reads a register: what falls due in the next N days
and the critical findings not told yet, in the user's language. Each item is
recorded in the sent-log (unique per user and item) in the same transaction
that sends the message: run twice, or twice at once, nothing is sent twice
(the second run finds the items recorded, or waits on the unique index and
then finds them). A message that cannot be sent rolls its records back, so the
next run tries again.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.message import EmailMessage

import anyio

from register.accounts.store import load_account
from register.documents.digest import digest_message
from register.settings import SmtpSettings
from register.store.reminders import (
    claim_unsent,
    critical_findings,
    purge_sent_reminders,
    user_agenda,
    user_language,
)
from register.store.writes import write_transaction
from register.tables import Membership, User

DEFAULT_DAYS = 14
MAX_DAYS = 366  # the longest horizon a run may look ahead
# How long the sent-log keeps a dated item: longer than any horizon, so a purged
# item's date has passed (it can never fall due again), plus a margin of 30 days
# for a run with a late clock.
SENT_KEPT = timedelta(days=MAX_DAYS + 30)


@dataclass
class RemindReport:
    users: int = 0
    sent: int = 0
    items: int = 0
    failed: list[str] = field(default_factory=list)
    previews: list[EmailMessage] = field(default_factory=list)  # --dry-run: what would be sent
    purged: int = 0  # sent-log items older than SENT_KEPT deleted


def send_smtp(settings: SmtpSettings, message: EmailMessage) -> None:
    """One message over SMTP (STARTTLS or implicit TLS as configured), blocking."""
    context = ssl.create_default_context()
    if settings.implicit_tls:
        client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        if settings.starttls:
            client.starttls(context=context)
        if settings.username:
            client.login(settings.username, settings.password)
        client.send_message(message)


async def reminded_users() -> list[tuple[int, str]]:
    """Active users with at least one membership, by id."""
    rows = await User.select(User.id, User.email).where(
        (User.is_active == True) & User.id.is_in(Membership.select(Membership.user))  # noqa: E712
    ).order_by(User.id)
    return [(row["id"], row["email"]) for row in rows]


async def remind(
    settings: SmtpSettings | None, site: str, today: date, days: int = DEFAULT_DAYS, dry_run: bool = False
) -> RemindReport:
    """Send every user's digest (or, ``dry_run``, build them without sending or recording)."""
    if settings is None and not dry_run:
        raise ValueError("SMTP_URL is not set: nothing can be sent (use --dry-run to preview)")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days: between 1 and {MAX_DAYS}")
    report = RemindReport()
    for user_id, email in await reminded_users():
        account = await load_account(user_id)
        if account is None:
            continue
        report.users += 1
        until = today + timedelta(days=days)
        agenda = [i for i in await user_agenda(user_id, account.memberships, today) if today <= i.deadline.due_on <= until]
        critical = await critical_findings(account.memberships, today)
        language = await user_language(user_id)
        sender = settings.sender if settings else "register@localhost"
        if dry_run:
            if agenda or critical:
                report.previews.append(digest_message(email, sender, agenda, critical, language, days, site, today))
            continue
        try:
            sent = await _send_once(user_id, email, agenda, critical, language, days, site, today, settings)
        except Exception as error:  # one user's failure (SMTP, a lock held too long) does not stop the others
            report.failed.append(f"{email}: {type(error).__name__}: {error}")
            continue
        if sent:
            report.sent += 1
            report.items += sent
    if not dry_run:
        report.purged = await purge_sent_reminders(datetime.now(timezone.utc), SENT_KEPT)
    return report


async def _send_once(user_id, email, agenda, critical, language, days, site, today, settings) -> int:
    """Claim the items not yet sent and send them, in one transaction; how many were sent."""
    by_key_due = {item.key: item for item in agenda}
    by_key_critical = {entry.key: entry for entry in critical}
    async with write_transaction():
        claimed = set(await claim_unsent(user_id, [*by_key_due, *by_key_critical]))
        if not claimed:
            return 0
        due = [item for key, item in by_key_due.items() if key in claimed]
        new_critical = [entry for key, entry in by_key_critical.items() if key in claimed]
        message = digest_message(email, settings.sender, due, new_critical, language, days, site, today)
        await anyio.to_thread.run_sync(send_smtp, settings, message)  # an error rolls the claim back
    return len(claimed)
