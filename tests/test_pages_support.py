"""Helpers of the page tests (no tests here): a seeded register, a signed-in browser per role."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from litestar.testing import TestClient

from tests.access_support import RegisterIds, seeded_register
from tests.conftest import BASE_URL, TEST_PASSWORD

CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def sign_in(browser: TestClient, email: str) -> None:
    token = csrf_of(browser.get("/login").text)
    response = browser.post(
        "/login",
        data={"email": email, "password": TEST_PASSWORD, "next": "/", "_csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def post_form(browser: TestClient, page: str, action: str, data: dict, **options):
    """Submit a form of ``page`` to ``action`` like a browser: with the page's CSRF token."""
    token = csrf_of(browser.get(page).text)
    return browser.post(action, data={**data, "_csrf_token": token}, **options)


@dataclass
class Signed:
    browser: TestClient
    ids: RegisterIds
    email: str

    @property
    def organisation(self) -> str:
        return f"/organisations/{self.ids.organisation_id}"

    @property
    def processor(self) -> str:
        return f"/processors/{self.ids.processor_id}"


@pytest.fixture
def seeded(run):
    return run(seeded_register())


@pytest.fixture
def signed_in(app, seeded, make_user, grant):
    """``signed_in(role)``: a browser signed in with that role in the seeded organisation."""
    browsers = []

    def open_as(role: str) -> Signed:
        email = f"{role}{len(browsers)}@example.test"
        grant(make_user(email), seeded.organisation_id, role)
        browser = TestClient(app=app, base_url=BASE_URL)
        browser.__enter__()
        browsers.append(browser)
        sign_in(browser, email)
        return Signed(browser, seeded, email)

    yield open_as
    for browser in reversed(browsers):
        browser.__exit__(None, None, None)
