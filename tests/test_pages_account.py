"""Admins create accounts from the members page; everyone changes their own password."""

from __future__ import annotations

import re

from litestar.testing import TestClient

from register.tables import AuditEvent, User
from tests.conftest import BASE_URL, TEST_PASSWORD
from tests.test_pages_support import csrf_of, post_form, seeded, signed_in  # noqa: F401

TEMPORARY_PASSWORD = re.compile(r'<code class="temporary-password">([^<]+)</code>')


def sign_in_with(app, email: str, password: str) -> int:
    with TestClient(app=app, base_url=BASE_URL) as browser:
        token = csrf_of(browser.get("/login").text)
        return browser.post(
            "/login",
            data={"email": email, "password": password, "_csrf_token": token},
            follow_redirects=False,
        ).status_code


def test_admin_creates_an_account_shown_once_with_a_temporary_password(app, signed_in, run):
    admin = signed_in("admin")
    members = f"{admin.organisation}/members"
    response = post_form(admin.browser, members, members, {"email": "New.Person@Example.test", "role": "auditor"})
    assert response.status_code == 200, response.text
    password = TEMPORARY_PASSWORD.search(response.text).group(1)
    assert "new.person@example.test" in admin.browser.get(members).text
    assert password not in admin.browser.get(members).text  # shown once only
    stored = run(User.select().where(User.email == "new.person@example.test").first())
    assert password not in str(stored) and stored["password_hash"].startswith("$argon2")
    assert sign_in_with(app, "new.person@example.test", password) == 303
    events = run(AuditEvent.select(AuditEvent.entity, AuditEvent.actor).where(AuditEvent.entity == "membership"))
    assert {"entity": "membership", "actor": admin.email} in events


def test_adding_an_existing_account_shows_no_password(signed_in, make_user):
    admin = signed_in("admin")
    make_user("existing@example.test")
    members = f"{admin.organisation}/members"
    response = post_form(
        admin.browser, members, members, {"email": "existing@example.test", "role": "dpo"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert "temporary-password" not in admin.browser.get(members).text


def test_only_admins_create_accounts(signed_in, run):
    dpo = signed_in("dpo")
    members = f"{dpo.organisation}/members"
    token = csrf_of(dpo.browser.get(dpo.organisation).text)
    response = dpo.browser.post(members, data={"email": "x@example.test", "role": "admin", "_csrf_token": token})
    assert response.status_code == 403
    assert run(User.count().where(User.email == "x@example.test")) == 0


def test_changing_the_password(app, signed_in):
    user = signed_in("auditor")
    page = "/account/password"

    def change(current: str, new: str, again: str):
        return post_form(
            user.browser, page, page,
            {"current_password": current, "new_password": new, "new_password_again": again},
        )

    wrong = change("not my password", "a brand new password", "a brand new password")
    assert wrong.status_code == 400 and 'id="error-current_password"' in wrong.text
    differ = change(TEST_PASSWORD, "a brand new password", "another new password")
    assert differ.status_code == 400 and 'id="error-new_password_again"' in differ.text
    short = change(TEST_PASSWORD, "short", "short")
    assert short.status_code == 400 and 'id="error-new_password"' in short.text
    assert "a brand new password" not in differ.text  # typed passwords are not sent back
    done = change(TEST_PASSWORD, "a brand new password", "a brand new password")
    assert done.status_code == 200 and 'role="status"' in done.text
    assert sign_in_with(app, user.email, "a brand new password") == 303
    assert sign_in_with(app, user.email, TEST_PASSWORD) == 401
