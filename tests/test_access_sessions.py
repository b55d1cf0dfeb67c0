"""Sign-in, sessions, CSRF, throttling, tokens, headers, escaping, secrets."""

from __future__ import annotations

import os
import re
import stat

import pytest
from litestar.testing import TestClient

from register.accounts.store import MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS
from register.tables import ApiToken, LoginAttempt, User, WebSession
from tests.conftest import BASE_URL, TEST_PASSWORD

CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_token(browser: TestClient, page: str = "/login") -> str:
    match = CSRF_FIELD.search(browser.get(page).text)
    assert match, f"no CSRF field on {page}"
    return match.group(1)


def sign_in(browser: TestClient, email: str, password: str = TEST_PASSWORD):
    token = csrf_token(browser)
    return browser.post(
        "/login",
        data={"email": email, "password": password, "next": "/", "_csrf_token": token},
        follow_redirects=False,
    )


@pytest.fixture
def browser(app):
    with TestClient(app=app, base_url=BASE_URL) as test_client:
        yield test_client


def test_pages_redirect_to_sign_in_and_back(browser, make_user):
    make_user("dpo@example.test")
    response = browser.get("/organisations/1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Forganisations%2F1"
    signed = sign_in(browser, "dpo@example.test")
    assert signed.status_code == 303 and signed.headers["location"] == "/"
    assert browser.get("/", follow_redirects=False).status_code == 200


def test_session_cookie_is_secure_httponly_samesite(browser, make_user):
    make_user("dpo@example.test")
    cookie = sign_in(browser, "dpo@example.test").headers["set-cookie"]
    assert "register_session=" in cookie
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")


def test_session_survives_a_new_app_instance(browser, make_user, database):
    """Sessions live in the database, not in the process."""
    from register.app import create_app

    make_user("dpo@example.test")
    sign_in(browser, "dpo@example.test")
    cookie = browser.cookies.get("register_session")
    with TestClient(app=create_app(connection_pool=False), base_url=BASE_URL) as restarted:
        restarted.cookies.set("register_session", cookie, domain="testserver.local")
        assert restarted.get("/", follow_redirects=False).status_code == 200


def test_logout_ends_the_session(browser, make_user, run):
    make_user("dpo@example.test")
    sign_in(browser, "dpo@example.test")
    token = csrf_token(browser, "/")
    browser.post("/logout", data={"_csrf_token": token}, follow_redirects=False)
    assert run(WebSession.count()) == 0
    assert browser.get("/", follow_redirects=False).status_code == 303


def test_form_post_without_csrf_token_is_refused(browser, make_user, run):
    make_user("dpo@example.test")
    browser.get("/login")
    response = browser.post(
        "/login", data={"email": "dpo@example.test", "password": TEST_PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    assert run(WebSession.count()) == 0
    assert sign_in(browser, "dpo@example.test").status_code == 303


def test_wrong_password_is_refused_and_logged_without_the_password(browser, make_user, caplog, run):
    make_user("dpo@example.test")
    response = sign_in(browser, "dpo@example.test", "wrong password 123")
    assert response.status_code == 401
    assert "incorrect" in response.text
    assert "wrong password 123" not in caplog.text
    assert "dpo@example.test" in caplog.text
    assert run(LoginAttempt.count().where(LoginAttempt.succeeded == False)) == 1  # noqa: E712


def test_account_locks_after_too_many_failures(browser, make_user):
    make_user("dpo@example.test")
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        assert sign_in(browser, "dpo@example.test", "not the password").status_code == 401
    locked = sign_in(browser, "dpo@example.test")  # even the right password
    assert locked.status_code == 401
    assert "locked" in locked.text


def test_address_is_throttled_across_accounts(browser, make_user):
    make_user("victim@example.test")
    for attempt in range(MAX_FAILURES_PER_ADDRESS):
        sign_in(browser, f"guess{attempt}@example.test", "nope nope nope")
    refused = sign_in(browser, "victim@example.test")
    assert refused.status_code == 401 and "address" in refused.text


def test_unknown_and_revoked_tokens_are_refused(client, anonymous_client):
    assert anonymous_client.get("/api/v1/organisations").status_code == 401
    anonymous_client.headers["Authorization"] = "Bearer reg_unknown"
    unknown = anonymous_client.get("/api/v1/organisations")
    assert unknown.status_code == 401 and unknown.headers["www-authenticate"].startswith("Bearer")
    created = client.post("/api/v1/me/tokens", json={"name": "laptop"}).json()
    anonymous_client.headers["Authorization"] = f"Bearer {created['token']}"
    assert anonymous_client.get("/api/v1/organisations").status_code == 200
    token_id = [t for t in client.get("/api/v1/me/tokens").json() if t["name"] == "laptop"][0]["id"]
    assert client.delete(f"/api/v1/me/tokens/{token_id}").status_code == 204
    assert anonymous_client.get("/api/v1/organisations").status_code == 401


def test_tokens_and_passwords_are_not_stored_in_clear(client, run):
    token = client.post("/api/v1/me/tokens", json={"name": "ci"}).json()["token"]
    stored = run(ApiToken.select())
    assert stored and all(token not in str(row) for row in stored)
    users = run(User.select())
    assert all(TEST_PASSWORD not in str(row) for row in users)
    assert all(row["password_hash"].startswith("$argon2") for row in users)


def test_a_token_cannot_revoke_another_users_token(client, make_user, api_client_for):
    other = api_client_for(make_user("other@example.test"))
    theirs = other.post("/api/v1/me/tokens", json={"name": "theirs"}).json()
    their_id = [t for t in other.get("/api/v1/me/tokens").json() if t["name"] == "theirs"][0]["id"]
    assert client.delete(f"/api/v1/me/tokens/{their_id}").status_code == 404
    assert theirs["token"].startswith("reg_")


def test_security_headers_on_pages_api_and_errors(browser, anonymous_client):
    for response in (browser.get("/login"), anonymous_client.get("/api/v1/organisations")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "same-origin"
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_text_fields_are_rendered_escaped(browser, make_user, api_client_for, run):
    user = make_user("dpo@example.test")
    api = api_client_for(user)
    organisation = api.post("/api/v1/organisations", json={"name": XSS, "country": "FR"}).json()
    api.post(
        f"/api/v1/organisations/{organisation['id']}/processors",
        json={"legal_name": XSS, "trade_name": XSS, "headquarters_country": "FR"},
    )
    sign_in(browser, "dpo@example.test")
    for page in ("/", f"/organisations/{organisation['id']}"):
        html = browser.get(page).text
        assert "<script>alert" not in html and "<img src=x" not in html, page
        assert "&lt;script&gt;alert(" in html, page


def test_secret_key_is_generated_once_owner_only(tmp_path, monkeypatch):
    from register.settings import parse_database_url, secret_key

    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = parse_database_url(f"sqlite:///{tmp_path / 'r.sqlite'}")
    first = secret_key(config)
    key_file = tmp_path / ".register-secret-key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert secret_key(config) == first and len(first) >= 40
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert secret_key(config) == "from-the-environment"


def test_cli_createuser_reads_the_password_from_stdin_and_token_works(database, run, monkeypatch, capsys, app):
    import io

    from register.cli import main
    from register.store.changes import create_organisation

    organisation = run(create_organisation({"name": "Acme", "country": "FR"}, "test"))
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["createuser", "new@example.test", "--role", "auditor", "--org", "Acme"]) == 0
    capsys.readouterr()
    assert main(["token", "new@example.test"]) == 0
    token = capsys.readouterr().out.strip()
    with TestClient(app=app, base_url=BASE_URL) as api:
        api.headers["Authorization"] = f"Bearer {token}"
        assert [o["name"] for o in api.get("/api/v1/organisations").json()] == ["Acme"]
        assert api.post(f"/api/v1/organisations/{organisation.id}/processors", json={"legal_name": "X"}).status_code == 403
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["createuser", "weak@example.test", "--role", "dpo", "--org", "Acme"]) == 1


def test_sign_in_opens_the_session_in_the_chosen_language(browser, make_user, run):
    make_user("dpo@example.test")
    token = csrf_token(browser)
    browser.post(
        "/login",
        data={"email": "dpo@example.test", "password": TEST_PASSWORD, "lang": "en", "_csrf_token": token},
        follow_redirects=False,
    )
    assert [row["language"] for row in run(WebSession.select(WebSession.language))] == ["en"]
    browser.cookies.clear()
    token = csrf_token(browser)
    browser.post(
        "/login",
        data={"email": "dpo@example.test", "password": TEST_PASSWORD, "lang": "xx", "_csrf_token": token},
        follow_redirects=False,
    )
    assert sorted(row["language"] for row in run(WebSession.select(WebSession.language))) == ["en", "fr"]
