"""Two worker processes on PostgreSQL: sessions, sign-in throttling and API
rate limits hold across them (their state is in the database, not in a process).

Starts ``register serve --workers 2`` on a free local port against the test
database, and talks to it over real HTTP with parallel clients.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from register.accounts.store import MAX_FAILURES_PER_ACCOUNT
from register.settings import PROJECT_ROOT
from register.tables import LoginAttempt
from tests.conftest import TEST_DATABASE_URL, TEST_PASSWORD

pytestmark = pytest.mark.postgres_only

RATE_LIMIT = 12
CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base: str, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {server.stderr.read()}")
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("the server did not start")


@pytest.fixture
def two_workers(database):
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": TEST_DATABASE_URL,
        "COOKIE_SECURE": "false",
        "API_RATE_LIMIT_PER_TOKEN": str(RATE_LIMIT),
        "API_RATE_LIMIT_PER_ADDRESS": "0",
        "DATABASE_POOL_SIZE": "4",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "register", "serve", "--workers", "2", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server)
        yield base, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def signed_out_browser(base: str) -> tuple[httpx.Client, str]:
    browser = httpx.Client(base_url=base, timeout=30)
    token = CSRF_FIELD.search(browser.get("/login").text).group(1)
    return browser, token


def worker_processes(server_pid: int) -> list[int]:
    """The server's children started by multiprocessing's spawn (uvicorn's workers, not its resource tracker)."""
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == server_pid:
                with open(f"/proc/{entry}/cmdline", "rb") as command:
                    if b"spawn_main" in command.read():
                        children.append(int(entry))
    return children


def test_sessions_throttling_and_rate_limits_hold_across_two_workers(two_workers, make_user, run):
    from register.accounts.store import create_api_token

    two_workers, server_pid = two_workers
    assert len(worker_processes(server_pid)) == 2

    user = make_user("dpo@example.test")

    # A session opened by one worker is honoured by every worker.
    browser, token = signed_out_browser(two_workers)
    signed = browser.post(
        "/login", data={"email": "dpo@example.test", "password": TEST_PASSWORD, "_csrf_token": token}
    )
    assert signed.status_code == 303
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: browser.get("/", headers={"Connection": "close"}).status_code, range(24)))
    assert statuses == [200] * 24

    # 40 wrong passwords at once, spread over both workers: only the limit gets checked.
    attacker, attacker_token = signed_out_browser(two_workers)

    def guess(number: int) -> int:
        return attacker.post(
            "/login",
            data={"email": "dpo@example.test", "password": f"guess {number}", "_csrf_token": attacker_token},
            headers={"Connection": "close"},
        ).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        assert set(pool.map(guess, range(40))) == {401}
    assert run(LoginAttempt.count().where(LoginAttempt.succeeded == False)) == MAX_FAILURES_PER_ACCOUNT  # noqa: E712
    right = attacker.post(
        "/login", data={"email": "dpo@example.test", "password": TEST_PASSWORD, "_csrf_token": attacker_token}
    )
    assert right.status_code == 401 and "locked" in right.text

    # One token's rate limit is shared by both workers: exactly RATE_LIMIT answers, then 429.
    api_token = run(create_api_token(user, "load"))

    def call(_: int) -> httpx.Response:
        return httpx.get(
            f"{two_workers}/api/v1/organisations",
            headers={"Authorization": f"Bearer {api_token}", "Connection": "close"},
            timeout=30,
        )

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(call, range(RATE_LIMIT + 10)))
    assert sorted(a.status_code for a in answers) == [200] * RATE_LIMIT + [429] * 10
    assert all(int(a.headers["retry-after"]) >= 1 for a in answers if a.status_code == 429)
