"""Reminders: the calendar feed (secret address, revocable, in the user's language)
and the e-mail digest (local SMTP server; sent once, even run twice at once)."""

from __future__ import annotations

import asyncio
import socket
from datetime import date, timedelta
from email import message_from_bytes, policy

import pytest
from icalendar import Calendar

from register.compliance.model import Agreement, Processor, Safeguard, SubProcessor
from register.compliance.reminders import register_deadlines
from register.settings import ConfigurationError, SmtpSettings, parse_smtp_url
from register.vocabulary import LifecycleStatus, TransferMechanism
from tests.test_pages_support import post_form, seeded, signed_in  # noqa: F401  (fixtures)

TODAY = date.today()


# ------------------------------------------------------------------ what falls due (pure)


def test_register_deadlines_cover_agreements_reviews_tias_and_dpf_checks():
    processor = Processor(
        id=1, organisation_id=1, legal_name="Acme", next_review_on=date(2027, 1, 10),
        agreement=Agreement(id=1, ends_on=date(2027, 6, 30)),
        safeguards=(Safeguard(id=4, country="US", mechanism=TransferMechanism.SCC_2021, tia_on=date(2026, 3, 31)),),
        dpf_certified=True, dpf_checked_on=date(2026, 1, 31),
        sub_processors=(SubProcessor(id=7, name="BigCloud", countries=("US",), dpf_certified=True, dpf_checked_on=date(2026, 2, 28)),),
    )
    found = {(d.kind, d.due_on, d.about) for d in register_deadlines([processor])}
    assert found == {
        ("agreement_end", date(2027, 6, 30), ""),
        ("review", date(2027, 1, 10), ""),
        ("tia_review", date(2027, 3, 31), "US"),
        ("dpf_recheck", date(2027, 1, 31), ""),
        ("dpf_recheck", date(2027, 2, 28), "BigCloud"),
    }
    offboarded = Processor(id=2, organisation_id=1, legal_name="Gone", status=LifecycleStatus.OFFBOARDED,
                           next_review_on=date(2027, 1, 1))
    assert register_deadlines([offboarded]) == []


def test_smtp_url_is_parsed_and_bad_ones_are_refused():
    settings = parse_smtp_url("smtp://user%40x:p%3Ass@mail.example:587?starttls=1", "dpo@example.test")
    assert (settings.host, settings.port, settings.username, settings.password, settings.starttls) == (
        "mail.example", 587, "user@x", "p:ss", True)
    assert parse_smtp_url("smtps://mail.example", "a@b").port == 465
    for url, sender in (("http://mail.example", "a@b"), ("smtp://", "a@b"), ("smtp://mail.example", "nobody")):
        with pytest.raises(ConfigurationError):
            parse_smtp_url(url, sender)


# ------------------------------------------------------------------ the calendar feed


def _feed_url(page_text: str) -> str:
    import re

    found = re.search(r'<code class="feed-url">https?://[^/]+(/calendar/[^<]+\.ics)</code>', page_text)
    assert found, "the new address is shown once"
    return found.group(1)


def _events(body: bytes) -> list:
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


def test_feed_lists_deadlines_in_the_users_language_and_dies_when_revoked(app, run, signed_in):
    from litestar.testing import TestClient

    from register.accounts.store import user_id_by_email
    from register.store.tasks import update_task
    from tests.conftest import BASE_URL

    dpo = signed_in("dpo")
    owner = run(user_id_by_email(dpo.email))
    run(update_task(dpo.ids.organisation_id, dpo.ids.task_id, 1, "test", TODAY, owner_id=owner, due_on=TODAY + timedelta(days=2)))
    made = post_form(dpo.browser, "/account/calendar", "/account/calendar", {})
    assert made.status_code == 200
    path = _feed_url(made.text)
    assert 'class="feed-url"' not in dpo.browser.get("/account/calendar").text  # shown once only
    with TestClient(app=app, base_url=BASE_URL) as anonymous:  # no session: the address is the credential
        feed = anonymous.get(path)
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
        events = _events(feed.content)
        kinds = {str(e["uid"]).split("-")[1] for e in events}
        assert {"review", "tia_review", "task_due"} <= kinds, kinds
        summaries = " ".join(str(e["summary"]) for e in events)
        assert "Échéance d’une tâche de remédiation" in summaries  # French: the default language
        assert all(isinstance(e.decoded("dtstart"), date) for e in events)

        # the language chosen on the pages is the feed's
        post_form(dpo.browser, "/", "/preferences/language", {"language": "en", "next": "/"})
        english = " ".join(str(e["summary"]) for e in _events(anonymous.get(path).content))
        assert "Remediation task due" in english and "Échéance" not in english

        # a new address replaces the old one; revoking kills it
        again = post_form(dpo.browser, "/account/calendar", "/account/calendar", {})
        new_path = _feed_url(again.text)
        assert new_path != path
        assert anonymous.get(path).status_code == 404
        assert anonymous.get(new_path).status_code == 200
        revoked = post_form(dpo.browser, "/account/calendar", "/account/calendar/revoke", {}, follow_redirects=False)
        assert revoked.status_code == 303
        assert anonymous.get(new_path).status_code == 404
        assert anonymous.get("/calendar/not-a-token.ics").status_code == 404


def test_feed_address_is_stored_as_a_digest_only(run, database, make_user):
    from register.store.reminders import feed_owner, new_feed_token
    from register.tables import CalendarFeed

    user = make_user("feed@example.test")
    token = run(new_feed_token(user))
    stored = run(CalendarFeed.select().first())
    assert token not in str(stored) and len(stored["token_digest"]) == 64
    assert run(feed_owner(token)) == user


def test_procurement_users_feed_has_no_register_dates(run, database, seeded, make_user, grant):
    from register.accounts.store import load_account
    from register.store.reminders import user_agenda

    buyer = make_user("buyer@example.test")
    grant(buyer, seeded.organisation_id, "procurement")
    account = run(load_account(buyer))
    assert run(user_agenda(buyer, account.memberships, TODAY)) == []


# ------------------------------------------------------------------ the e-mail digest


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, SmtpSettings(host="127.0.0.1", port=port, username="", password="", starttls=False,
                                  implicit_tls=False, sender="register@example.test")
    finally:
        controller.stop()


async def _register_with_deadlines(organisation_id: int, owner: int) -> None:
    """A review in 5 days, a critical finding, and a task of ``owner`` due in 3 days."""
    from register.compliance.remediation import finding_key
    from register.store import snapshots
    from register.store.changes import create_processor
    from register.store.tasks import create_task

    await create_processor(organisation_id, {
        "legal_name": "Acme <b>&</b> Co", "next_review_on": TODAY + timedelta(days=5),
        "headquarters_country": "US", "status": "approved",
    }, "test")
    _, assessment = await snapshots.register_assessment(organisation_id, TODAY)
    finding = next(f for f in assessment.findings if f.processor_name.startswith("Acme"))
    await create_task(organisation_id, finding_key(finding), owner, TODAY + timedelta(days=3), "test", TODAY)


def _organisation(run, make_user, grant, language: str = "fr"):
    from register.store.changes import create_organisation
    from register.store.reminders import set_user_language

    dpo = make_user("dpo@example.test")
    organisation_id = run(create_organisation({"name": "Digest SAS", "country": "FR"}, "test", admin_user_id=dpo)).id
    run(set_user_language(dpo, language))
    run(_register_with_deadlines(organisation_id, dpo))
    return organisation_id, dpo


def test_digest_is_sent_once_in_the_users_language_with_escaped_html(run, database, make_user, grant, smtp_server):
    from register.remind import remind

    inbox, settings = smtp_server
    _organisation(run, make_user, grant, "fr")
    first = run(remind(settings, "https://register.example", TODAY, days=14))
    assert first.sent == 1 and not first.failed
    [message] = inbox.messages
    assert message["To"] == "dpo@example.test" and message["Subject"].startswith("Registre des sous-traitants")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Revue du sous-traitant à faire — Acme <b>&</b> Co" in text
    assert "Échéance d’une tâche de remédiation" in text
    assert "Nouveaux constats critiques" in text
    assert "Acme &lt;b&gt;&amp;&lt;/b&gt; Co" in html and "<b>&</b>" not in html
    assert "https://register.example/processors/" in text

    second = run(remind(settings, "https://register.example", TODAY, days=14))
    assert second.sent == 0 and len(inbox.messages) == 1  # nothing new: nothing sent


def test_digest_in_english_and_a_moved_deadline_is_told_again(run, database, make_user, grant, smtp_server):
    from register.remind import remind
    from register.tables import Processor

    inbox, settings = smtp_server
    _organisation(run, make_user, grant, "en")
    run(remind(settings, "https://register.example", TODAY, days=14))
    text = inbox.messages[0].get_body(("plain",)).get_content()
    assert "Falling due in the next 14 days:" in text and "Review of the processor due" in text
    assert "Revue" not in text
    run(Processor.update({Processor.next_review_on: TODAY + timedelta(days=6)}).where(Processor.legal_name.like("Acme%")))
    from register.store.snapshots import clear_caches

    clear_caches()
    run(remind(settings, "https://register.example", TODAY, days=14))
    assert len(inbox.messages) == 2
    again = inbox.messages[1].get_body(("plain",)).get_content()
    assert "Review of the processor due" in again and "New critical findings" not in again


def test_two_runs_at_once_send_one_digest(run, database, make_user, grant, smtp_server):
    from register.remind import remind
    from register.tables import ReminderSent

    inbox, settings = smtp_server
    _organisation(run, make_user, grant, "fr")

    async def both():
        return await asyncio.gather(
            remind(settings, "https://register.example", TODAY, days=14),
            remind(settings, "https://register.example", TODAY, days=14),
        )

    reports = run(both())
    assert sum(r.sent for r in reports) == 1 and len(inbox.messages) == 1, [r.failed for r in reports]
    items = run(ReminderSent.select(ReminderSent.item))
    assert len(items) == len({row["item"] for row in items})


def test_a_message_that_cannot_be_sent_is_tried_again_next_time(run, database, make_user, grant, smtp_server):
    from register.remind import remind

    inbox, settings = smtp_server
    _organisation(run, make_user, grant, "fr")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    down = SmtpSettings("127.0.0.1", closed_port, "", "", False, False, "register@example.test", timeout=2)
    failed = run(remind(down, "https://register.example", TODAY, days=14))
    assert failed.sent == 0 and failed.failed
    retried = run(remind(settings, "https://register.example", TODAY, days=14))
    assert retried.sent == 1 and len(inbox.messages) == 1


def test_remind_command_dry_run_sends_and_records_nothing(run, database, make_user, grant, capsys):
    from register.cli import main
    from register.tables import ReminderSent

    _organisation(run, make_user, grant, "en")
    assert main(["remind", "--days", "30", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "To: dpo@example.test" in out and "Review of the processor due" in out
    assert run(ReminderSent.count()) == 0
    assert main(["remind"]) == 2  # no SMTP_URL: refused, with the setting named
    assert "SMTP_URL" in capsys.readouterr().err


def test_addresses_made_at_once_leave_exactly_one_live_address(run, database, make_user):
    from register.store.reminders import feed_owner, new_feed_token
    from register.tables import CalendarFeed

    user = make_user("twice@example.test")

    async def five_at_once():
        return await asyncio.gather(*[new_feed_token(user) for _ in range(5)])

    tokens = run(five_at_once())
    assert run(CalendarFeed.count()) == 1
    assert [run(feed_owner(token)) for token in tokens].count(user) == 1


def test_objection_deadlines_of_pending_notices_reach_the_agenda_and_the_feed(run, database, seeded, make_user, grant):
    from register.accounts.store import load_account
    from register.documents.calendar import agenda_calendar
    from register.store.notices import open_objection_deadlines
    from register.store.reminders import user_agenda

    dpo = make_user("objector@example.test")
    grant(dpo, seeded.organisation_id, "dpo")
    expected = run(open_objection_deadlines(seeded.organisation_id))
    assert [d.notice_id for d in expected] == [seeded.notice_id]  # the seeded notice, under a DPA with a period
    items = run(user_agenda(dpo, run(load_account(dpo)).memberships, TODAY))
    objections = [i for i in items if i.deadline.kind == "objection_deadline"]
    assert [(i.deadline.due_on, i.path) for i in objections] == [(expected[0].deadline, f"/notices/{seeded.notice_id}")]
    feed = agenda_calendar(items, "en", "https://register.example", TODAY).decode()
    assert "Last day to object to a sub-processor change" in feed


def test_the_sent_log_is_purged_past_any_horizon_and_nothing_is_sent_again(run, database, make_user, grant, smtp_server):
    """Dated items recorded more than MAX_DAYS + 30 days ago are deleted (by ``register
    remind`` and ``register purge``); their dates have passed, so no run sends them
    again. Critical findings told are undated and kept (a standing one is not told again)."""
    from datetime import datetime, timezone

    from register.remind import MAX_DAYS, SENT_KEPT, remind
    from register.store.reminders import purge_sent_reminders
    from register.tables import ReminderSent

    inbox, settings = smtp_server
    _organisation(run, make_user, grant, "fr")
    assert run(remind(settings, "https://register.example", TODAY, days=14)).sent == 1
    items = {row["item"] for row in run(ReminderSent.select(ReminderSent.item))}
    critical = {item for item in items if ":critical:" in item}
    assert critical and items - critical
    # An item recorded just inside the horizon is kept; the same run a day older is purged.
    now = datetime.now(timezone.utc)
    assert run(purge_sent_reminders(now + SENT_KEPT - timedelta(days=1), SENT_KEPT)) == 0
    # ``remind`` itself purges (its own run's items are recent: nothing).
    assert run(remind(settings, "https://register.example", TODAY, days=14)).purged == 0
    later = now + SENT_KEPT + timedelta(days=1)
    assert run(purge_sent_reminders(later, SENT_KEPT)) == len(items - critical)
    assert {row["item"] for row in run(ReminderSent.select(ReminderSent.item))} == critical
    # A run on the purge's day finds every purged date past: nothing is sent again.
    again = run(remind(settings, "https://register.example", later.date(), days=MAX_DAYS))
    assert again.sent == 0 and len(inbox.messages) == 1
    with pytest.raises(ValueError):
        run(remind(settings, "https://register.example", TODAY, days=MAX_DAYS + 1))


def test_the_purge_command_purges_the_sent_log(run, database, capsys):
    from register.cli import main

    assert main(["purge"]) == 0
    assert "reminder(s) sent more than 396 days ago" in capsys.readouterr().err
