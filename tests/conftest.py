"""Test database set-up: SQLite by default, PostgreSQL with TEST_DATABASE_URL.

SQLite: migrations run once into a template file; each test gets a fresh copy
(Litestar's TestClient runs the app in another event loop, so per-test
transaction rollback cannot isolate requests). PostgreSQL: the schema of the
database named by TEST_DATABASE_URL is dropped and migrated once, and every
table is truncated before each test. Never point it at a database you keep.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import tempfile
from pathlib import Path

import pytest

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
_TEMPLATE_DIR = Path(tempfile.mkdtemp(prefix="register-tests-"))
_TEMPLATE_PATH = _TEMPLATE_DIR / "template.sqlite"
# Set before anything imports register.database, which reads it once.
os.environ["DATABASE_URL"] = TEST_DATABASE_URL or f"sqlite:///{_TEMPLATE_PATH}"
# Tests burst many writers at one SQLite file on a loaded machine: wait longer for the lock than the
# 5 s default (the 503 answer past the timeout is tested with an explicitly short one).
os.environ.setdefault("SQLITE_BUSY_TIMEOUT", "30")

from register.database import DATABASE, DB  # noqa: E402
from register.schema_migrations import apply_migrations  # noqa: E402
from register.tables import ALL_TABLES  # noqa: E402

ON_POSTGRES = DATABASE.engine == "postgres"


def pytest_report_header(config: pytest.Config) -> str:
    return f"register test database: {DATABASE.description}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="runs only on PostgreSQL (set TEST_DATABASE_URL)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


async def _reset_postgres_schema() -> None:
    import asyncpg

    connection = await asyncpg.connect(DATABASE.postgres_dsn)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


async def _truncate_postgres_tables() -> None:
    names = ", ".join(f'"{table._meta.tablename}"' for table in ALL_TABLES)
    await DB.run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture(scope="session")
def migrated_database() -> None:
    if ON_POSTGRES:
        asyncio.run(_reset_postgres_schema())
    asyncio.run(apply_migrations())


@pytest.fixture
def database(migrated_database: None, tmp_path: Path):
    """A fresh, migrated, empty database for one test."""
    if ON_POSTGRES:
        asyncio.run(_truncate_postgres_tables())
        # Stored files go beside the SQLite file; on PostgreSQL, to this test's own folder.
        previous = os.environ.get("FILES_DIR")
        os.environ["FILES_DIR"] = str(tmp_path / "register-files")
        try:
            yield DB
        finally:
            if previous is None:
                os.environ.pop("FILES_DIR", None)
            else:
                os.environ["FILES_DIR"] = previous
        return
    test_path = tmp_path / "register.sqlite"
    with sqlite3.connect(_TEMPLATE_PATH) as source, sqlite3.connect(test_path) as target:
        source.backup(target)
    original = DB.path
    DB.path = str(test_path)
    try:
        yield DB
    finally:
        DB.path = original


class QueryCounter:
    """Counts the SQL statements the engine runs."""

    def __init__(self) -> None:
        self.count = 0


@pytest.fixture
def count_queries(database, monkeypatch):
    counter = QueryCounter()
    engine_class = type(DB)  # engines have __slots__: patch the class
    original = engine_class.run_querystring

    async def counting(self, querystring, *args, **kwargs):
        counter.count += 1
        return await original(self, querystring, *args, **kwargs)

    monkeypatch.setattr(engine_class, "run_querystring", counting)
    # Hot-path reads that bypass Piccolo's engine on SQLite (register/store/lookups.py).
    from register.store import lookups

    original_execute = lookups._execute

    def counting_execute(connection, sql, arguments):
        counter.count += 1
        return original_execute(connection, sql, arguments)

    monkeypatch.setattr(lookups, "_execute", counting_execute)
    return counter


async def _completed(awaitable):
    return await awaitable


@pytest.fixture
def run():
    """Run a coroutine or a Piccolo query to completion from a synchronous test."""
    return lambda awaitable: asyncio.run(_completed(awaitable))


TEST_PASSWORD = "correct horse battery staple"
BASE_URL = "https://testserver.local"  # cookies are Secure


@pytest.fixture
def app(database):
    from register.app import create_app

    return create_app(connection_pool=False)


@pytest.fixture
def make_user(run):
    """Create a user; returns its id."""
    from register.accounts.store import create_user

    def make(email: str, password: str = TEST_PASSWORD) -> int:
        return run(create_user(email, password))

    return make


@pytest.fixture
def grant(run):
    """Give a user a role in an organisation."""
    from register.accounts.store import set_membership
    from register.vocabulary import Role

    def give(user_id: int, organisation_id: int, role: str = "dpo") -> None:
        run(set_membership(user_id, organisation_id, Role(role)))

    return give


@pytest.fixture
def api_client_for(app, run):
    """A TestClient authenticated with a new API token of the given user."""
    from litestar.testing import TestClient

    from register.accounts.store import create_api_token

    clients = []

    def client_for(user_id: int) -> TestClient:
        token = run(create_api_token(user_id, "test"))
        test_client = TestClient(app=app, base_url=BASE_URL)
        test_client.__enter__()
        test_client.headers["Authorization"] = f"Bearer {token}"
        test_client.user_id = user_id
        clients.append(test_client)
        return test_client

    yield client_for
    for test_client in reversed(clients):  # nested portals close innermost first
        test_client.__exit__(None, None, None)


@pytest.fixture
def client(make_user, api_client_for):
    """An API client of a signed-in user (the admin of every organisation it creates)."""
    return api_client_for(make_user("tester@example.test"))


@pytest.fixture
def anonymous_client(app):
    from litestar.testing import TestClient

    with TestClient(app=app, base_url=BASE_URL) as test_client:
        yield test_client
