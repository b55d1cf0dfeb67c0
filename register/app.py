"""``create_app()``: the Litestar application (API, pages, OpenAPI at /schema)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from register import __version__
from register.database import DATABASE, DB
from register.settings import TEMPLATES_DIR, cookies_secure, database_pool_size, secret_key
from register.web.access import PUBLIC, authorise, check_route_rules, current_access, current_firm_access
from register.web import openapi
from register.web.api import API_CONTROLLERS
from register.web.authentication import authentication_middleware
from register.web.bodies import check_json_body
from register.web.errors import EXCEPTION_HANDLERS
from register.web.failures import FAILURE_HANDLERS
from register.web.headers import add_security_headers
from register.i18n.jinja import install_template_helpers
from register.web.login import LOGIN_HANDLERS
from register.web.pages import PAGE_HANDLERS
from register.web.rate_limits import rate_limit_middleware
from register.web.uploads import upload_size_middleware

STATIC_DIR = Path(__file__).resolve().parent / "static"


async def keep_session_state(connection: object) -> None:
    """How a pooled connection is made ready for the next query.

    asyncpg still rolls back any transaction left open (that step is not
    replaceable); its default reset then sends one more statement (release
    advisory locks, close cursors, UNLISTEN, RESET ALL) on every release.
    The register sets none of those session states (its locks are row locks
    and transaction-scoped), and Piccolo takes a pooled connection for each
    query, so that statement doubled the round trips of every request.
    """


@asynccontextmanager
async def database_pool(app: Litestar) -> AsyncIterator[None]:
    """Open PostgreSQL's connection pool for the app's life (SQLite needs none).

    Errors are not swallowed: a database that cannot be reached stops the start.
    """
    size = database_pool_size()
    await DB.start_connection_pool(min_size=min(2, size), max_size=size, reset=keep_session_state)
    try:
        yield
    finally:
        await DB.close_connection_pool()


def template_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
    )
    install_template_helpers(environment)  # _(), ngettext(), term(), loc(), country(), day()… in the UI's language
    return environment


def static_files():
    """CSS, JavaScript and images of the pages (public, like /login)."""
    return create_static_files_router(path="/static", directories=[STATIC_DIR], opt=PUBLIC, include_in_schema=False)


def csrf_config() -> CSRFConfig:
    # The JSON API takes bearer tokens only (never cookies), so CSRF does not apply there.
    return CSRFConfig(
        secret=secret_key(DATABASE),
        cookie_secure=cookies_secure(),
        cookie_samesite="strict",
        exclude=["^/api/"],
    )


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="GDPR processor register",
        version=__version__,
        description=(
            "Processors, DPAs (Art. 28), transfers and safeguards (SCC 2021/914). "
            "Authenticate with `Authorization: Bearer <token>` (see `register token EMAIL`)."
        ),
        path="/schema",
        components=Components(
            security_schemes={"BearerToken": SecurityScheme(type="http", scheme="bearer")}
        ),
        security=[{"BearerToken": []}],
    )


def create_app(connection_pool: bool | None = None) -> Litestar:
    """The app; ``connection_pool`` defaults to on for PostgreSQL.

    Tests that also query the database outside the app's event loop turn the
    pool off: asyncpg pools belong to one loop.
    """
    if connection_pool is None:
        connection_pool = DATABASE.engine == "postgres"
    app = Litestar(
        route_handlers=[*API_CONTROLLERS, *LOGIN_HANDLERS, *PAGE_HANDLERS, static_files()],
        middleware=[rate_limit_middleware, authentication_middleware, upload_size_middleware],
        before_send=[add_security_headers],
        before_request=check_json_body,
        guards=[authorise],
        dependencies={
            "access": Provide(current_access, sync_to_thread=False),
            "firm_access": Provide(current_firm_access, sync_to_thread=False),
        },
        csrf_config=csrf_config(),
        exception_handlers={**FAILURE_HANDLERS, **EXCEPTION_HANDLERS},
        lifespan=[database_pool] if connection_pool else [],
        template_config=TemplateConfig(
            engine=JinjaTemplateEngine.from_environment(template_environment())
        ),
        openapi_config=openapi_config(),
    )
    openapi.install(app)
    check_route_rules(
        [(route.path, handler) for route in app.routes for handler in getattr(route, "route_handlers", [])]
    )
    return app
