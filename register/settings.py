"""Configuration from the environment, read in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEFAULT_SQLITE_FILE = "register.sqlite"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PROJECT_ROOT / "templates"
DOCS_TEMPLATES_DIR = PROJECT_ROOT / "docs_templates"


class ConfigurationError(ValueError):
    """A setting from the environment that cannot be used."""


@dataclass(frozen=True, slots=True)
class DatabaseConfig:
    engine: str  # "sqlite" | "postgres"
    sqlite_path: Path | None = None
    postgres_dsn: str | None = None

    @property
    def description(self) -> str:
        if self.engine == "sqlite":
            return f"SQLite file {self.sqlite_path}"
        parts = urlsplit(self.postgres_dsn or "")
        return f"PostgreSQL {parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path}"


def database_url() -> str:
    """``DATABASE_URL``, defaulting to a SQLite file in the working directory."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_FILE}"


def parse_database_url(url: str) -> DatabaseConfig:
    """``sqlite:///relative.db``, ``sqlite:////abs/path.db`` or ``postgresql://…``."""
    scheme = url.split(":", 1)[0].lower()
    if scheme == "sqlite":
        raw_path = unquote(urlsplit(url).path)
        if raw_path.startswith("/") and not url.startswith("sqlite:////"):
            raw_path = raw_path[1:]
        if not raw_path:
            raise ConfigurationError(f"DATABASE_URL {url!r} names no SQLite file")
        return DatabaseConfig(engine="sqlite", sqlite_path=Path(raw_path).resolve())
    if scheme in ("postgres", "postgresql"):
        return DatabaseConfig(engine="postgres", postgres_dsn=url)
    raise ConfigurationError(
        f"DATABASE_URL scheme {scheme!r} is not supported: use sqlite:///FILE or postgresql://…"
    )
