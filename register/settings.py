"""Configuration from the environment, read in one place."""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
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


SECRET_KEY_FILE = ".register-secret-key"
log = logging.getLogger("register.settings")


def secret_key_path(config: DatabaseConfig) -> Path:
    """Beside the SQLite file; in the working directory for PostgreSQL."""
    folder = config.sqlite_path.parent if config.sqlite_path is not None else Path.cwd()
    return folder / SECRET_KEY_FILE


def secret_key(config: DatabaseConfig) -> str:
    """``SECRET_KEY`` from the environment, else one generated once and kept owner-only."""
    from_environment = os.environ.get("SECRET_KEY")
    if from_environment:
        return from_environment
    path = secret_key_path(config)
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key + "\n")
    log.warning("SECRET_KEY is not set: generated one and stored it in %s (owner-only)", path)
    return key


def cookies_secure() -> bool:
    """Cookies carry the Secure flag unless ``COOKIE_SECURE=false`` (plain-HTTP set-ups)."""
    return os.environ.get("COOKIE_SECURE", "true").strip().lower() not in ("0", "false", "no")


# ---------------------------------------------------------------- serving and abuse limits


def _integer_setting(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ConfigurationError(f"{name}={raw!r} must be at least {minimum}")
    return value


def database_pool_size() -> int:
    """``DATABASE_POOL_SIZE``: PostgreSQL connections per worker (default 10)."""
    return _integer_setting("DATABASE_POOL_SIZE", 10, minimum=1)


def sqlite_busy_timeout() -> float:
    """``SQLITE_BUSY_TIMEOUT``: seconds a write waits for SQLite's lock before a 503 (default 5)."""
    return float(_integer_setting("SQLITE_BUSY_TIMEOUT", 5, minimum=0))


@dataclass(frozen=True, slots=True)
class RateLimits:
    """API requests allowed per window (0 turns a limit off)."""

    per_token: int
    per_address: int
    window_seconds: int


def api_rate_limits() -> RateLimits:
    """``API_RATE_LIMIT_PER_TOKEN`` / ``_PER_ADDRESS`` requests per ``API_RATE_LIMIT_WINDOW`` seconds."""
    return RateLimits(
        per_token=_integer_setting("API_RATE_LIMIT_PER_TOKEN", 600),
        per_address=_integer_setting("API_RATE_LIMIT_PER_ADDRESS", 1200),
        window_seconds=_integer_setting("API_RATE_LIMIT_WINDOW", 60, minimum=1),
    )


def password_hashing_concurrency() -> int:
    """``PASSWORD_HASHING_CONCURRENCY``: argon2 computations at once per worker (default 2)."""
    return _integer_setting("PASSWORD_HASHING_CONCURRENCY", 2, minimum=1)


def trusted_proxies() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """``TRUSTED_PROXIES``: addresses or networks (comma-separated) whose X-Forwarded-For is believed."""
    networks = []
    for item in os.environ.get("TRUSTED_PROXIES", "").split(","):
        if item.strip():
            try:
                networks.append(ipaddress.ip_network(item.strip(), strict=False))
            except ValueError:
                raise ConfigurationError(f"TRUSTED_PROXIES: {item.strip()!r} is not an address or network") from None
    return tuple(networks)


def hsts_max_age() -> int:
    """``HSTS_MAX_AGE``: seconds of Strict-Transport-Security; 0 (default) sends none.

    Set it (e.g. 31536000) only when the site is served over HTTPS.
    """
    return _integer_setting("HSTS_MAX_AGE", 0)


@dataclass(frozen=True, slots=True)
class CacheSizes:
    """How many entries each read cache of a worker keeps (see register/store/snapshots.py)."""

    registers: int  # loaded registers, one per organisation
    assessments: int  # assessed registers, one per organisation and as-of date
    answers: int  # encoded API answers (small)
    histories: int  # registers rebuilt from the audit trail, one per organisation and date


def cache_sizes() -> CacheSizes:
    """``CACHE_REGISTERS``, ``CACHE_ASSESSMENTS``, ``CACHE_ANSWERS``, ``CACHE_HISTORIES`` (at least 1 each)."""
    return CacheSizes(
        registers=_integer_setting("CACHE_REGISTERS", 16, minimum=1),
        assessments=_integer_setting("CACHE_ASSESSMENTS", 32, minimum=1),
        answers=_integer_setting("CACHE_ANSWERS", 1024, minimum=1),
        histories=_integer_setting("CACHE_HISTORIES", 16, minimum=1),
    )


# ---------------------------------------------------------------- e-mail (the reminder digest)


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    username: str
    password: str
    starttls: bool  # upgrade a plain connection (port 587)
    implicit_tls: bool  # smtps:// (port 465)
    sender: str
    timeout: float = 30.0


def parse_smtp_url(url: str, sender: str) -> SmtpSettings:
    """``smtp://user:pass@host:587?starttls=1``, ``smtps://user:pass@host:465`` or ``smtp://localhost:25``."""
    from urllib.parse import parse_qs

    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ConfigurationError(f"SMTP_URL scheme {parts.scheme!r} is not supported: use smtp:// or smtps://")
    if not parts.hostname:
        raise ConfigurationError("SMTP_URL names no host")
    if "@" not in sender:
        raise ConfigurationError("MAIL_FROM must be an e-mail address (the digest's sender)")
    options = {k: v[-1].strip().lower() for k, v in parse_qs(parts.query).items()}
    implicit_tls = parts.scheme == "smtps"
    try:
        port = parts.port or (465 if implicit_tls else 25)
    except ValueError as error:
        raise ConfigurationError(f"SMTP_URL: {error}") from None
    return SmtpSettings(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        starttls=options.get("starttls", "0") in ("1", "true", "yes"),
        implicit_tls=implicit_tls,
        sender=sender,
        timeout=float(options.get("timeout", "30") or 30),
    )


def smtp_settings() -> SmtpSettings | None:
    """``SMTP_URL`` and ``MAIL_FROM`` from the environment (``None``: no e-mail configured)."""
    url = os.environ.get("SMTP_URL", "").strip()
    if not url:
        return None
    return parse_smtp_url(url, os.environ.get("MAIL_FROM", "").strip())


def site_url(default: str = "http://localhost:8000") -> str:
    """``SITE_URL``: the address people open the register at, for links in e-mails
    and calendar feeds (pages fall back on the address the request came to)."""
    return (os.environ.get("SITE_URL", "").strip() or default).rstrip("/")


def intake_limits():
    """Caps on an imported spreadsheet (register/intake): ``IMPORT_MAX_BYTES`` (the file,
    default 20 MB), ``IMPORT_MAX_ROWS`` (rows over all sheets, default 50,000) and
    ``IMPORT_MAX_UNZIPPED_BYTES`` (an xlsx/ods once decompressed, default 200 MB: a zip bomb
    is refused before any reader sees it)."""
    from register.intake.model import Limits  # settings stays importable without the intake package

    return Limits(
        max_bytes=_integer_setting("IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1),
        max_rows=_integer_setting("IMPORT_MAX_ROWS", 50_000, minimum=1),
        max_unzipped_bytes=_integer_setting("IMPORT_MAX_UNZIPPED_BYTES", 200 * 1024 * 1024, minimum=1),
    )


def import_preview_lifetime_hours() -> int:
    """``IMPORT_PREVIEW_HOURS``: how long an unconfirmed spreadsheet import preview is kept (default 24)."""
    return _integer_setting("IMPORT_PREVIEW_HOURS", 24, minimum=1)


# ---------------------------------------------------------------- stored files (vendors' DPAs)

DEFAULT_FILES_MAX_BYTES = 50 * 1024 * 1024
FILES_DIRECTORY_NAME = "register-files"


def files_dir(config: DatabaseConfig, sqlite_path: str | None = None) -> Path:
    """``FILES_DIR``: where uploaded files are kept (content-addressed, one folder per organisation).

    Default: ``register-files`` beside the SQLite file (``sqlite_path``, the engine's current
    file, else the configured one); on PostgreSQL, ``register-files`` in the working directory
    (set FILES_DIR to a persistent, backed-up volume shared by every worker and host).
    """
    configured = os.environ.get("FILES_DIR", "").strip()
    if configured:
        return Path(configured).resolve()
    if config.engine == "sqlite":
        database_file = Path(sqlite_path) if sqlite_path else config.sqlite_path
        assert database_file is not None
        return database_file.resolve().parent / FILES_DIRECTORY_NAME
    return Path.cwd() / FILES_DIRECTORY_NAME


def files_max_bytes() -> int:
    """``FILES_MAX_BYTES``: the largest file accepted for upload (default 50 MB); larger ones answer 413."""
    return _integer_setting("FILES_MAX_BYTES", DEFAULT_FILES_MAX_BYTES, minimum=1)


@dataclass(frozen=True, slots=True)
class NoticeFetchSettings:
    timeout_seconds: float
    max_bytes: int
    allow_loopback: bool


def notice_fetch_settings() -> NoticeFetchSettings:
    """Fetching a vendor's sub-processor list from a URL (register/fetching.py):
    ``NOTICE_FETCH_TIMEOUT`` (seconds, whole answer, default 10), ``NOTICE_FETCH_MAX_BYTES``
    (default 5 MB, decompressed), ``NOTICE_FETCH_ALLOW_LOOPBACK`` (default false: loopback,
    private, link-local and reserved addresses are all refused; true lets loopback through,
    for tests on a local server only)."""
    return NoticeFetchSettings(
        timeout_seconds=float(_integer_setting("NOTICE_FETCH_TIMEOUT", 10, minimum=1)),
        max_bytes=_integer_setting("NOTICE_FETCH_MAX_BYTES", 5 * 1024 * 1024, minimum=1),
        allow_loopback=os.environ.get("NOTICE_FETCH_ALLOW_LOOPBACK", "false").strip().lower() in ("1", "true", "yes"),
    )


@dataclass(frozen=True, slots=True)
class QuestionnaireSettings:
    """Vendor questionnaire links (register/store/questionnaires.py)."""

    expiry_days: int
    per_token: int  # requests to one link per window (0: no limit)
    per_address: int  # questionnaire requests from one address per window (0: no limit)
    window_seconds: int


def questionnaire_settings() -> QuestionnaireSettings:
    """``QUESTIONNAIRE_EXPIRY_DAYS`` (default 30), ``QUESTIONNAIRE_RATE_LIMIT_PER_TOKEN`` (default 60),
    ``QUESTIONNAIRE_RATE_LIMIT_PER_ADDRESS`` (default 120) per ``QUESTIONNAIRE_RATE_LIMIT_WINDOW``
    seconds (default 3600)."""
    return QuestionnaireSettings(
        expiry_days=_integer_setting("QUESTIONNAIRE_EXPIRY_DAYS", 30, minimum=1),
        per_token=_integer_setting("QUESTIONNAIRE_RATE_LIMIT_PER_TOKEN", 60),
        per_address=_integer_setting("QUESTIONNAIRE_RATE_LIMIT_PER_ADDRESS", 120),
        window_seconds=_integer_setting("QUESTIONNAIRE_RATE_LIMIT_WINDOW", 3600, minimum=1),
    )
