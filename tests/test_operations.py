"""Operable (issue 10): request ids on 500s, busy SQLite as 503, one-line start
failures, workers, backup/restore, cache and HSTS headers."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from litestar import get
from litestar.testing import TestClient

from register.database import DB
from register.settings import PROJECT_ROOT
from tests.api_support import create_organisation, create_processor
from tests.conftest import BASE_URL, ON_POSTGRES, TEST_DATABASE_URL
from tests.test_access_sessions import sign_in


@pytest.fixture
def failing_app(database):
    """The real app plus two routes that fail, one on the API and one page.

    A fixture: Litestar configures logging as the app is made, which must
    happen before pytest's log capture starts for the test itself.
    """
    from register.app import create_app
    from register.web.access import PUBLIC

    @get("/api/v1/explode", opt=PUBLIC)
    async def explode_api() -> dict:
        raise RuntimeError("secret detail of the failure")

    @get("/explode", opt=PUBLIC)
    async def explode_page() -> dict:
        raise RuntimeError("secret detail of the failure")

    app = create_app(connection_pool=False)
    app.register(explode_api)
    app.register(explode_page)
    return app


def test_a_500_logs_its_traceback_with_a_request_id_shown_in_the_answer(failing_app, client, caplog):
    app = failing_app
    with caplog.at_level(logging.ERROR, logger="register.errors"), TestClient(app=app, base_url=BASE_URL) as test:
        sign_in(test, "tester@example.test")
        page = test.get("/explode", follow_redirects=False)
        test.headers.update(client.headers)
        api = test.get("/api/v1/explode")
    assert api.status_code == 500 and page.status_code == 500
    api_id = api.json()["request_id"]
    assert api.headers["x-request-id"] == api_id and api_id in api.json()["detail"]
    assert "secret detail" not in api.text
    assert page.headers["content-type"].startswith("text/html")
    page_id = page.headers["x-request-id"]
    assert f'<code id="request-id">{page_id}</code>' in page.text and "secret detail" not in page.text
    assert page_id != api_id
    logged = [record for record in caplog.records if record.name == "register.errors"]
    assert [record.getMessage().split()[1] for record in logged] == [page_id, api_id]
    assert all(record.exc_info and "secret detail" in str(record.exc_info[1]) for record in logged)


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's write lock")
def test_busy_sqlite_answers_503_with_retry_after(client, monkeypatch, run):
    from register.tables import Processor

    organisation = create_organisation(client)
    monkeypatch.setitem(DB.connection_kwargs, "timeout", 0.2)
    blocker = sqlite3.connect(DB.path, timeout=0.2)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        answer = client.post(f"/api/v1/organisations/{organisation['id']}/processors", json={"legal_name": "Busy SAS"})
    finally:
        blocker.rollback()
        blocker.close()
    assert answer.status_code == 503, answer.text
    assert int(answer.headers["retry-after"]) >= 1
    assert answer.json()["request_id"] == answer.headers["x-request-id"]
    assert run(Processor.count().where(Processor.legal_name == "Busy SAS")) == 0


def test_busy_timeout_is_short_by_default_and_configurable(monkeypatch):
    from register.settings import sqlite_busy_timeout

    monkeypatch.delenv("SQLITE_BUSY_TIMEOUT", raising=False)
    assert sqlite_busy_timeout() == 5
    monkeypatch.setenv("SQLITE_BUSY_TIMEOUT", "2")
    assert sqlite_busy_timeout() == 2


# ---------------------------------------------------------------- command line


def _register(*arguments: str, env: dict[str, str], timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "register", *arguments],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    "url, reason",
    [
        ("postgresql://postgres@127.0.0.1:1/register", "Connect call failed"),
        ("sqlite:////proc/no-such-folder/register.sqlite", "No such file or directory"),
    ],
)
def test_an_unusable_database_stops_the_start_with_one_line(url, reason):
    result = _register("serve", "--port", "1", env={"DATABASE_URL": url})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("register: cannot use the database") and reason in lines[0]


def test_workers_are_refused_on_sqlite_with_the_reason(tmp_path):
    result = _register("serve", "--workers", "2", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite'}"})
    assert result.returncode == 2
    assert "needs PostgreSQL" in result.stderr and "one process" in result.stderr
    assert not (tmp_path / "r.sqlite").exists()  # refused before touching anything


def test_pool_size_setting(monkeypatch):
    from register.settings import ConfigurationError, database_pool_size

    monkeypatch.setenv("DATABASE_POOL_SIZE", "4")
    assert database_pool_size() == 4
    monkeypatch.setenv("DATABASE_POOL_SIZE", "0")
    with pytest.raises(ConfigurationError, match="DATABASE_POOL_SIZE"):
        database_pool_size()


# ---------------------------------------------------------------- backup and restore


def _export_all(run) -> list[bytes]:
    from register.store.portability import export_organisation
    from register.store.reads import list_organisations

    return [run(export_organisation(o.id)) for o in run(list_organisations())]


def test_backup_then_restore_gives_the_same_export(client, run, tmp_path, capsys):
    from register.accounts.store import user_id_by_email
    from register.cli import main
    from register.demo import demo_document
    from register.store.errors import NotFound
    from register.store.portability import import_document

    run(import_document(demo_document(), "test"))
    mine = create_organisation(client, "Mine SAS")
    create_processor(client, mine["id"], legal_name="Kept SAS")
    before = _export_all(run)
    assert main(["backup", str(tmp_path / "register.backup")]) == 0

    # Changes after the backup: a new processor, a deleted organisation, a new account.
    create_processor(client, mine["id"], legal_name="Added after the backup")
    client.delete(f"/api/v1/organisations/{mine['id']}")
    run(import_document(demo_document(), "test"))
    from register.accounts.store import create_user

    run(create_user("late@example.test", "a long enough password"))
    assert _export_all(run) != before

    assert main(["restore", str(tmp_path / "register.backup")]) == 0
    assert _export_all(run) == before
    assert run(user_id_by_email("tester@example.test")) == client.user_id  # accounts come back too
    with pytest.raises(NotFound):
        run(user_id_by_email("late@example.test"))
    assert client.get("/api/v1/organisations").status_code == 200  # the tester's token still works
    assert "Restored" in capsys.readouterr().err


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(client, run, tmp_path, capsys):
    from register.cli import main

    create_organisation(client, "Mine SAS")
    before = _export_all(run)
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    assert main(["restore", str(not_a_backup)]) == 1
    message = capsys.readouterr().err.strip()
    assert message.startswith("register: restore refused, the database is unchanged") and "\n" not in message
    assert main(["restore", str(tmp_path / "missing.backup")]) == 1
    assert _export_all(run) == before


# ---------------------------------------------------------------- headers


def test_signed_in_pages_and_api_json_are_not_stored(app, client, make_user):
    make_user("dpo@example.test")
    assert client.get("/api/v1/organisations").headers["cache-control"] == "no-store"
    with TestClient(app=app, base_url=BASE_URL) as browser:
        sign_in(browser, "dpo@example.test")
        assert browser.get("/").headers["cache-control"] == "no-store"
        assert browser.get("/account/password").headers["cache-control"] == "no-store"
        assert browser.get("/static/app.css").headers.get("cache-control") != "no-store"
        assert "strict-transport-security" not in browser.get("/").headers


def test_hsts_when_served_over_https(database, monkeypatch):
    from register.app import create_app

    monkeypatch.setenv("HSTS_MAX_AGE", "31536000")
    with TestClient(app=create_app(connection_pool=False), base_url=BASE_URL) as browser:
        for path in ("/login", "/api/v1/organisations", "/static/app.css"):
            assert browser.get(path).headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
