"""Browser tests: the app served by uvicorn on 127.0.0.1, driven by Playwright in Debian's Chromium.

The server runs in a subprocess with its own SQLite file (seeded by
``tests/browser/seed.py``). Tests are marked ``browser`` and skipped, with the
reason, when /usr/bin/chromium or the playwright package is missing.
Screenshots go to ``test-output/screenshots/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
SCREENSHOTS = PROJECT_ROOT / "test-output" / "screenshots"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Chromium against the served app (needs /usr/bin/chromium and playwright)")


def missing_requirement() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not found: apt-get install chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed: pip install playwright (no browser download needed)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Server:
    base_url: str
    scenario: int  # an empty organisation for the scenario
    demo: int  # the demo register, for the screenshots
    password: str
    long_name: int  # an organisation with a name longer than a phone is wide (the admin's)

    def url(self, path: str) -> str:
        return self.base_url + path


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped: {log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {url}: {log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def server():
    reason = missing_requirement()
    if reason and os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the browser tests: {reason}")
    if reason:
        pytest.skip(reason)
    from tests.browser.seed import PASSWORD

    folder = Path(tempfile.mkdtemp(prefix="register-browser-"))
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'register.sqlite'}",
        "SECRET_KEY": "browser-tests-secret-key-not-for-production",
        # Secure cookies: Chromium keeps them for http://127.0.0.1 (a potentially trustworthy origin).
        "COOKIE_SECURE": os.environ.get("BROWSER_COOKIE_SECURE", "true"),
    }
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.browser.seed"], cwd=PROJECT_ROOT, env=environment,
        capture_output=True, text=True, check=True,
    )
    ids = json.loads(seeded.stdout.strip().splitlines()[-1])
    port = free_port()
    log = folder / "server.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "register.app:create_app",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            cwd=PROJECT_ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base + "/login", process, log)
        yield Server(base, ids["scenario"], ids["demo"], PASSWORD, ids["long_name"])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def chromium(server):
    """Module-scoped: Playwright's sync API runs an event loop in this thread while it is open,
    and the other tests call asyncio.run() — so it closes with the browser tests' module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


class Session:
    """One signed-in browser context; console errors (CSP refusals included) are collected."""

    def __init__(self, chromium, server: Server, role: str, width: int = 1366, javascript: bool = True) -> None:
        from tests.browser.seed import email_of

        self.context = chromium.new_context(
            viewport={"width": width, "height": 900}, java_script_enabled=javascript, accept_downloads=True,
            locale="fr-FR",
        )
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.server = server
        self.page.goto(server.url("/login"))
        self.page.fill("#email", email_of(role))
        self.page.fill("#password", server.password)
        self.page.click("form[action='/login'] button[type=submit]")
        self.page.wait_for_load_state()

    def _console(self, message) -> None:
        """Keep CSP refusals, script errors and missing files; forms answered 400/403 are expected."""
        expected = re.search(r"status of (400|403) ", message.text)
        if message.type == "error" and not expected:
            self.console_errors.append(message.text)

    def go(self, path: str):
        response = self.page.goto(self.server.url(path))
        assert response is not None
        return response

    def shoot(self, folder: Path, name: str) -> None:
        self.page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session_as(chromium, server):
    opened: list[Session] = []

    def open_as(role: str, **options) -> Session:
        session = Session(chromium, server, role, **options)
        opened.append(session)
        return session

    yield open_as
    for session in opened:
        session.close()
