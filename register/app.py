"""``create_app()``: the Litestar application (API, pages, OpenAPI at /schema)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Litestar
from litestar.openapi import OpenAPIConfig
from litestar.plugins.jinja import JinjaTemplateEngine as PluginJinjaTemplateEngine
from litestar.template import TemplateConfig

from register import __version__
from register.database import DATABASE, DB
from register.settings import TEMPLATES_DIR
from register.web.api import API_CONTROLLERS
from register.web.errors import EXCEPTION_HANDLERS
from register.web.pages import PAGE_HANDLERS


@asynccontextmanager
async def database_pool(app: Litestar) -> AsyncIterator[None]:
    """Open PostgreSQL's connection pool for the app's life (SQLite needs none).

    Errors are not swallowed: a database that cannot be reached stops the start.
    """
    await DB.start_connection_pool()
    try:
        yield
    finally:
        await DB.close_connection_pool()


def template_environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
    )


def create_app(connection_pool: bool | None = None) -> Litestar:
    """The app; ``connection_pool`` defaults to on for PostgreSQL.

    Tests that also query the database outside the app's event loop turn the
    pool off: asyncpg pools belong to one loop.
    """
    if connection_pool is None:
        connection_pool = DATABASE.engine == "postgres"
    return Litestar(
        route_handlers=[*API_CONTROLLERS, *PAGE_HANDLERS],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[database_pool] if connection_pool else [],
        template_config=TemplateConfig(
            engine=PluginJinjaTemplateEngine.from_environment(template_environment())
        ),
        openapi_config=OpenAPIConfig(
            title="GDPR processor register",
            version=__version__,
            description="Processors, DPAs (Art. 28), transfers and safeguards (SCC 2021/914).",
            path="/schema",
        ),
    )
