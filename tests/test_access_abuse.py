"""Sign-in throttling under parallel requests, API rate limits, sessions and
tokens ended, log lines, trusted proxies, purging (issue 10, "Sign-in and abuse")."""

from __future__ import annotations

import html

import asyncio
import logging
from datetime import timedelta

import pytest
from litestar.testing import TestClient
from piccolo.querystring import QueryString

from register.accounts.store import (
    MAX_FAILURES_PER_ACCOUNT,
    MAX_FAILURES_PER_ADDRESS,
    AccountLocked,
    LoginRefused,
    authenticate,
    loggable_email,
    now,
)
from register.database import DB
from register.tables import ApiToken, AuditEvent, LoginAttempt, RateCounter, WebSession
from tests.api_support import create_organisation
from tests.conftest import BASE_URL, TEST_PASSWORD
from tests.test_access_sessions import csrf_token, sign_in

PARALLEL_GUESSES = 40


async def _burst(email: str, passwords: list[str], address: str = "203.0.113.9") -> list[object]:
    """Every attempt at once; each returns the user id or the refusal."""
    return await asyncio.gather(
        *(authenticate(email, password, address) for password in passwords), return_exceptions=True
    )


def test_parallel_wrong_passwords_get_no_more_checks_than_the_limit(database, make_user, run):
    make_user("dpo@example.test")
    outcomes = run(_burst("dpo@example.test", [f"wrong guess {n:02d}" for n in range(PARALLEL_GUESSES)]))
    assert all(isinstance(outcome, LoginRefused) for outcome in outcomes), [repr(o) for o in outcomes]
    checked = run(LoginAttempt.count())  # only a checked password is recorded as an attempt
    assert checked == MAX_FAILURES_PER_ACCOUNT
    locked = [outcome for outcome in outcomes if isinstance(outcome, AccountLocked)]
    assert len(locked) == PARALLEL_GUESSES - MAX_FAILURES_PER_ACCOUNT
    with pytest.raises(AccountLocked):
        run(authenticate("dpo@example.test", TEST_PASSWORD, "198.51.100.1"))  # another address too


def test_a_right_password_inside_a_burst_after_the_limit_does_not_sign_in(database, make_user, run):
    make_user("dpo@example.test")
    run(_burst("dpo@example.test", [f"wrong {n}" for n in range(MAX_FAILURES_PER_ACCOUNT)]))
    burst = [f"wrong again {n}" for n in range(10)] + [TEST_PASSWORD] + [f"more {n}" for n in range(10)]
    outcomes = run(_burst("dpo@example.test", burst))
    assert all(isinstance(outcome, AccountLocked) for outcome in outcomes)


def test_parallel_guesses_across_accounts_get_no_more_checks_than_the_address_limit(database, make_user, run):
    """Per address too: a burst over many accounts from one address gets the
    address's limit of password checks, then a right password inside the next
    burst is refused as well."""
    make_user("victim@example.test")
    address = "203.0.113.77"

    async def burst(guesses: list[tuple[str, str]]) -> list[object]:
        return await asyncio.gather(
            *(authenticate(email, password, address) for email, password in guesses), return_exceptions=True
        )

    first = run(burst([(f"guess{n:02d}@example.test", "nope nope nope") for n in range(MAX_FAILURES_PER_ADDRESS + 15)]))
    assert all(isinstance(outcome, LoginRefused) for outcome in first), [repr(o) for o in first]
    assert run(LoginAttempt.count()) == MAX_FAILURES_PER_ADDRESS  # only these passwords were checked
    assert sum("address" in str(outcome) for outcome in first) == 15

    second = [(f"again{n}@example.test", "nope nope nope") for n in range(10)]
    second.insert(5, ("victim@example.test", TEST_PASSWORD))
    outcomes = run(burst(second))
    assert all(isinstance(o, LoginRefused) and "address" in str(o) for o in outcomes), [repr(o) for o in outcomes]
    assert run(LoginAttempt.count()) == MAX_FAILURES_PER_ADDRESS
    assert isinstance(run(authenticate("victim@example.test", TEST_PASSWORD, "198.51.100.7")), int)  # elsewhere


def test_successful_sign_ins_do_not_count_towards_the_lock(database, make_user, run):
    user_id = make_user("dpo@example.test")
    for _ in range(MAX_FAILURES_PER_ACCOUNT + 3):
        assert run(authenticate("dpo@example.test", TEST_PASSWORD, "203.0.113.9")) == user_id
    for _ in range(MAX_FAILURES_PER_ACCOUNT - 1):
        with pytest.raises(LoginRefused):
            run(authenticate("dpo@example.test", "not it at all", "203.0.113.9"))
    assert run(authenticate("dpo@example.test", TEST_PASSWORD, "203.0.113.9")) == user_id


def test_parallel_sign_ins_over_http_are_throttled(app, make_user):
    """Through the app: threads posting at once, each with its own CSRF cookie."""
    from concurrent.futures import ThreadPoolExecutor

    make_user("dpo@example.test")
    with TestClient(app=app, base_url=BASE_URL) as browser:
        token = csrf_token(browser)
        cookies = dict(browser.cookies)

        def attempt(number: int) -> int:
            return browser.post(
                "/login",
                data={"email": "dpo@example.test", "password": f"wrong {number}", "_csrf_token": token},
                cookies=cookies,
                follow_redirects=False,
            ).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(attempt, range(20)))
        assert statuses == [401] * 20
        locked = sign_in(browser, "dpo@example.test")
        assert locked.status_code == 401 and "locked" in locked.text


# ---------------------------------------------------------------- API rate limits


@pytest.fixture
def limited_app(database, monkeypatch):
    from register.app import create_app

    def make(per_token: int = 0, per_address: int = 0, window: int = 60):
        monkeypatch.setenv("API_RATE_LIMIT_PER_TOKEN", str(per_token))
        monkeypatch.setenv("API_RATE_LIMIT_PER_ADDRESS", str(per_address))
        monkeypatch.setenv("API_RATE_LIMIT_WINDOW", str(window))
        return create_app(connection_pool=False)

    return make


def _client(app, token: str) -> TestClient:
    client = TestClient(app=app, base_url=BASE_URL)
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def test_api_answers_429_with_retry_after_past_the_token_limit(limited_app, make_user, run):
    from register.accounts.store import create_api_token

    app = limited_app(per_token=3, window=60)
    user = make_user("dpo@example.test")
    first, second = run(create_api_token(user, "a")), run(create_api_token(user, "b"))
    with _client(app, first) as api, _client(app, second) as other:
        assert [api.get("/api/v1/organisations").status_code for _ in range(3)] == [200, 200, 200]
        refused = api.get("/api/v1/organisations")
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert "rate limit" in refused.json()["detail"]
        assert refused.headers["x-content-type-options"] == "nosniff"
        assert other.get("/api/v1/organisations").status_code == 200  # another token has its own count


def test_api_rate_limit_per_address_covers_every_token(limited_app, make_user, run):
    from register.accounts.store import create_api_token

    app = limited_app(per_address=4)
    user = make_user("dpo@example.test")
    tokens = [run(create_api_token(user, str(n))) for n in range(5)]
    statuses = []
    for token in tokens:
        with _client(app, token) as api:
            statuses.append(api.get("/api/v1/organisations").status_code)
    assert statuses == [200, 200, 200, 200, 429]
    with TestClient(app=app, base_url=BASE_URL) as anonymous:  # no token at all: still counted
        assert anonymous.get("/api/v1/organisations").status_code == 429


def test_rate_limits_off_count_nothing(limited_app, make_user, run):
    from register.accounts.store import create_api_token

    app = limited_app(per_token=0, per_address=0)
    with _client(app, run(create_api_token(make_user("dpo@example.test")))) as api:
        assert all(api.get("/api/v1/organisations").status_code == 200 for _ in range(5))
    assert run(RateCounter.count()) == 0


def test_parallel_counts_are_distinct(database, run):
    """The count is one atomic statement: N requests at once, exactly `limit` answered."""
    from register.accounts.limits import count_hits

    async def burst() -> list[int]:
        return [
            counts["bucket"]
            for counts in await asyncio.gather(*(count_hits(["bucket"], 60) for _ in range(30)))
        ]

    counts = run(burst())
    assert sorted(counts) == list(range(1, 31))  # each request saw a distinct count


@pytest.mark.postgres_only
def test_counting_a_hit_leaves_the_pooled_session_as_it_was(database, run):
    """The count relaxes ``synchronous_commit`` for its own transaction only: the
    pool (which resets nothing on release) hands the next query a session with
    the server's setting."""
    from register.accounts.limits import count_hits
    from register.app import keep_session_state

    async def scenario() -> tuple[str, str, dict[str, int]]:
        await DB.start_connection_pool(min_size=1, max_size=1, reset=keep_session_state)
        try:
            before = (await DB.run_querystring(QueryString("SHOW synchronous_commit")))[0]["synchronous_commit"]
            counts = await count_hits(["bucket"], 60)
            counts = await count_hits(["bucket", "other"], 60)
            after = (await DB.run_querystring(QueryString("SHOW synchronous_commit")))[0]["synchronous_commit"]
        finally:
            await DB.close_connection_pool()
        return before, after, counts

    before, after, counts = run(scenario())
    assert after == before
    assert counts == {"bucket": 2, "other": 1}


# ---------------------------------------------------------------- sessions and tokens ended


def test_changing_the_password_ends_the_other_sessions(app, make_user, run):
    make_user("dpo@example.test")
    with TestClient(app=app, base_url=BASE_URL) as laptop, TestClient(app=app, base_url=BASE_URL) as phone:
        sign_in(laptop, "dpo@example.test")
        sign_in(phone, "dpo@example.test")
        assert run(WebSession.count()) == 2
        changed = laptop.post(
            "/account/password",
            data={
                "current_password": TEST_PASSWORD,
                "new_password": "a brand new passphrase",
                "new_password_again": "a brand new passphrase",
                "_csrf_token": csrf_token(laptop, "/account/password"),
            },
        )
        assert changed.status_code == 200
        assert "autres sessions ont été fermées" in changed.text
        assert run(WebSession.count()) == 1
        assert phone.get("/", follow_redirects=False).status_code == 303  # signed out
        assert laptop.get("/", follow_redirects=False).status_code == 200  # still signed in


def test_an_admin_revokes_a_members_tokens_through_the_api(client, make_user, grant, api_client_for, run):
    organisation = create_organisation(client)
    member = make_user("member@example.test")
    grant(member, organisation["id"], "dpo")
    member_api = api_client_for(member)
    extra = member_api.post("/api/v1/me/tokens", json={"name": "laptop"}).json()["token"]
    outsider = make_user("outsider@example.test")

    assert member_api.delete(
        f"/api/v1/organisations/{organisation['id']}/members/{member}/tokens"
    ).status_code == 403  # a DPO may not
    assert client.delete(
        f"/api/v1/organisations/{organisation['id']}/members/{outsider}/tokens"
    ).status_code == 404  # not a member here
    answer = client.delete(f"/api/v1/organisations/{organisation['id']}/members/{member}/tokens")
    assert answer.status_code == 200 and answer.json() == {"revoked": 2}
    assert member_api.get("/api/v1/organisations").status_code == 401
    member_api.headers["Authorization"] = f"Bearer {extra}"
    assert member_api.get("/api/v1/organisations").status_code == 401
    assert run(ApiToken.count().where((ApiToken.user == client.user_id) & ApiToken.revoked_at.is_null())) == 1
    events = run(AuditEvent.select().where(AuditEvent.entity == "api_token"))
    assert len(events) == 1 and events[0]["actor"] == "tester@example.test"


def test_an_admin_revokes_a_members_tokens_on_the_members_page(app, make_user, grant, run):
    from register.accounts.store import create_api_token
    from register.store.changes import create_organisation as store_create_organisation

    admin = make_user("admin@example.test")
    member = make_user("member@example.test")
    organisation = run(store_create_organisation({"name": "Acme", "country": "FR"}, "test", admin_user_id=admin))
    grant(member, organisation.id, "auditor")
    run(create_api_token(member, "script"))
    with TestClient(app=app, base_url=BASE_URL) as browser:
        sign_in(browser, "admin@example.test")
        page = browser.get(f"/organisations/{organisation.id}/members")
        assert "/members/revoke-tokens" in page.text
        answer = browser.post(
            f"/organisations/{organisation.id}/members/revoke-tokens",
            data={"user_id": str(member), "_csrf_token": csrf_token(browser, f"/organisations/{organisation.id}/members")},
        )
        assert answer.status_code == 200 and "Jetons d'API révoqués\u00a0: 1." in html.unescape(answer.text)
    assert run(ApiToken.count().where(ApiToken.revoked_at.is_null())) == 0


# ---------------------------------------------------------------- logs and addresses


def test_the_email_field_is_logged_normalised_capped_and_escaped(app, make_user, caplog):
    make_user("dpo@example.test")
    forged = "x@example.test\n2026-01-01 INFO register.accounts: sign-in for admin@example.test"
    password_in_email_field = "correct horse battery staple"
    with caplog.at_level(logging.WARNING, logger="register.accounts"), TestClient(
        app=app, base_url=BASE_URL
    ) as browser:
        sign_in(browser, forged, "whatever 1234")
        sign_in(browser, password_in_email_field, "whatever 1234")
        sign_in(browser, "  DPO@Example.TEST ", "whatever 1234")
        sign_in(browser, "a" * 60 + "@" + "b" * 150 + ".test", "whatever 1234")
    messages = [record.getMessage() for record in caplog.records if record.name == "register.accounts"]
    assert len(messages) == 4
    assert all("\n" not in message and "\r" not in message for message in messages)
    assert password_in_email_field not in caplog.text
    assert "dpo@example.test" in messages[2] and "DPO@" not in messages[2]
    assert max(len(message) for message in messages) < 200


@pytest.mark.parametrize(
    "typed, logged",
    [
        ("Bob@Example.Test", "bob@example.test"),
        ("bob\u202e@example.test", "bob\\u202e@example.test"),
        ("bob@exa\x1bmple.test", "bob@exa\\x1bmple.test"),
        ("no at sign here", "<not an e-mail address, 15 characters>"),
        ("a@b\nforged", "<not an e-mail address, 10 characters>"),
    ],
)
def test_loggable_email(typed, logged):
    assert loggable_email(typed) == logged


@pytest.mark.parametrize(
    "peer, forwarded, trusted, expected",
    [
        ("203.0.113.5", "198.51.100.7", "", "203.0.113.5"),  # no trusted proxy: the header is ignored
        ("203.0.113.5", "198.51.100.7", "10.0.0.0/8", "203.0.113.5"),  # peer not trusted
        ("10.0.0.2", "198.51.100.7", "10.0.0.0/8", "198.51.100.7"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.7", "10.0.0.0/8", "198.51.100.7"),  # spoofed left part ignored
        ("10.0.0.2", "198.51.100.7, 10.0.0.9", "10.0.0.0/8", "198.51.100.7"),  # two proxies
        ("127.0.0.1", "not-an-address", "127.0.0.1", "unknown"),
        ("::1", "2001:db8::1", "::1", "2001:db8::1"),
        ("10.0.0.2", "", "10.0.0.0/8", "10.0.0.2"),
    ],
)
def test_client_address_honours_forwarded_for_only_from_trusted_proxies(
    monkeypatch, peer, forwarded, trusted, expected
):
    from register.web.addresses import client_address

    monkeypatch.setenv("TRUSTED_PROXIES", trusted)
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    assert client_address({"client": (peer, 1234), "headers": headers}) == expected


def test_trusted_proxies_setting_is_checked(monkeypatch):
    from register.settings import ConfigurationError, trusted_proxies

    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, nonsense")
    with pytest.raises(ConfigurationError, match="nonsense"):
        trusted_proxies()


def test_purge_removes_expired_sessions_old_attempts_and_counters(database, make_user, run, capsys):
    from register.cli import main

    user = make_user("dpo@example.test")
    run(WebSession.insert(
        WebSession(user=user, token_digest="a" * 64, expires_at=now() - timedelta(minutes=1)),
        WebSession(user=user, token_digest="b" * 64, expires_at=now() + timedelta(hours=1)),
    ))
    run(LoginAttempt.insert(
        LoginAttempt(email="x@example.test", address="1.2.3.4", attempted_at=now() - timedelta(days=31)),
        LoginAttempt(email="x@example.test", address="1.2.3.4", attempted_at=now()),
    ))
    run(RateCounter.insert(
        RateCounter(key="old", hits=3, expires_at=now() - timedelta(seconds=1)),
        RateCounter(key="current", hits=3, expires_at=now() + timedelta(seconds=60)),
    ))
    assert main(["purge"]) == 0
    assert "1 expired session" in capsys.readouterr().err
    assert [row["token_digest"] for row in run(WebSession.select(WebSession.token_digest))] == ["b" * 64]
    assert run(LoginAttempt.count()) == 1
    assert [row["key"] for row in run(RateCounter.select(RateCounter.key))] == ["current"]


def test_sign_in_purges_expired_sessions(app, make_user, run):
    user = make_user("dpo@example.test")
    run(WebSession.insert(WebSession(user=user, token_digest="a" * 64, expires_at=now() - timedelta(minutes=1))))
    with TestClient(app=app, base_url=BASE_URL) as browser:
        assert sign_in(browser, "dpo@example.test").status_code == 303
    assert run(WebSession.count()) == 1


def test_argon2_runs_off_the_event_loop_a_few_at_a_time(monkeypatch):
    import threading

    from register.accounts import secrets as account_secrets

    monkeypatch.setenv("PASSWORD_HASHING_CONCURRENCY", "2")
    running, peak, threads = 0, 0, set()
    lock = threading.Lock()
    original = account_secrets.password_matches

    def observed(password_hash, password):
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
            threads.add(threading.get_ident())
        try:
            return original(password_hash, password)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(account_secrets, "password_matches", observed)

    async def burst() -> tuple[int, list[bool]]:
        loop_thread = threading.get_ident()
        results = await asyncio.gather(*(account_secrets.verify_password(None, f"p{n}") for n in range(8)))
        return loop_thread, results

    loop_thread, results = asyncio.run(burst())
    assert results == [False] * 8
    assert loop_thread not in threads  # never on the event loop's thread
    assert 1 <= peak <= 2  # bounded by PASSWORD_HASHING_CONCURRENCY


def test_process_counters_count_each_bucket_and_start_afresh_with_each_window():
    """SQLite's in-process API counters: the same fixed windows as the database's."""
    from datetime import datetime, timedelta, timezone

    from register.accounts.limits import ProcessCounters

    counters = ProcessCounters()
    start = datetime(2026, 12, 1, 10, 0, 0, tzinfo=timezone.utc)
    assert counters.count_hits(["token:a", "address:x"], 60, start) == {"token:a": 1, "address:x": 1}
    assert counters.count_hits(["token:a"], 60, start + timedelta(seconds=59)) == {"token:a": 2}
    assert counters.count_hits(["token:b"], 60, start + timedelta(seconds=30)) == {"token:b": 1}
    assert counters.count_hits(["token:a"], 60, start + timedelta(seconds=60)) == {"token:a": 1}  # next window
