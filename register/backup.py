"""``register backup FILE`` / ``register restore FILE``: the whole database, accounts included.

- SQLite: SQLite's online backup API (``sqlite3.Connection.backup``), safe
  while the app is serving; the backup is itself a SQLite file. Restoring
  copies it back the same way, page by page under SQLite's lock.
- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean
  --if-exists --single-transaction`` (PostgreSQL's client tools, of the
  server's major version or newer, on PATH). A restore replaces the
  register's tables in one transaction: it applies whole or not at all.

The file format follows the engine; a file of the other kind is refused.
For moving one organisation between instances or engines, use the JSON
``register export`` / ``register import`` instead.

Stored files (vendors' DPAs, in ``FILES_DIR``) go beside the backup, in the
folder ``FILE.files``: copied into a temporary folder, then renamed into
place. A restore puts that folder back as ``FILES_DIR`` the same way (the
previous folder is removed only once the new one is in place), after the
database; a backup made before any file was stored restores an empty one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from register.database import DATABASE, DB, enable_sqlite_wal
from register.store.files import INCOMING, files_root

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupFailed(RuntimeError):
    """The backup or restore did not happen; the message says why in one line."""


def backup(target: Path) -> None:
    if DATABASE.engine == "sqlite":
        sqlite_backup(Path(DB.path), target)
    else:
        pg_dump(target)
    replace_folder(files_root(), files_backup_folder(target))


def restore(source: Path) -> None:
    if not source.is_file():
        raise BackupFailed(f"{source} is not a file")
    if DATABASE.engine == "sqlite":
        sqlite_restore(source, Path(DB.path))
    else:
        pg_restore(source)
    replace_folder(files_backup_folder(source), files_root())


# ---------------------------------------------------------------- stored files


def files_backup_folder(backup_file: Path) -> Path:
    """The stored files of a backup: the folder ``FILE.files`` beside it."""
    return backup_file.with_name(f"{backup_file.name}.files")


def replace_folder(source: Path, target: Path) -> None:
    """Make ``target`` a copy of ``source`` (empty when ``source`` does not exist), never half a copy:
    the copy is made beside ``target`` and renamed over it. Uploads in progress are not copied."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial"))
    try:
        if source.is_dir():
            shutil.copytree(source, staging, dirs_exist_ok=True, ignore=shutil.ignore_patterns(INCOMING, "*.partial"))
        previous = target.with_name(f".{target.name}.previous")
        shutil.rmtree(previous, ignore_errors=True)
        if target.exists():
            os.replace(target, previous)
        os.replace(staging, target)
        shutil.rmtree(previous, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _file_starts_with(path: Path, magic: bytes) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(magic)) == magic


# ---------------------------------------------------------------- SQLite


def sqlite_backup(database: Path, target: Path) -> None:
    """Copy the live database to ``target`` (written beside it, then renamed: never half a file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    os.close(descriptor)
    try:
        with closing(sqlite3.connect(database)) as source, closing(sqlite3.connect(partial)) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def sqlite_restore(source: Path, database: Path) -> None:
    if not _file_starts_with(source, SQLITE_MAGIC):
        raise BackupFailed(f"{source} is not a SQLite backup (the configured database is SQLite)")
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as backup_file:
        try:
            tables = {row[0] for row in backup_file.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as error:
            raise BackupFailed(f"{source} cannot be read: {error}") from None
        if "migration" not in tables or "organisation" not in tables:
            raise BackupFailed(f"{source} is a SQLite file but not a register backup")
        with closing(sqlite3.connect(database, timeout=30)) as live:
            backup_file.backup(live)
    enable_sqlite_wal(str(database))


# ---------------------------------------------------------------- PostgreSQL


def postgres_client_environment(dsn: str) -> dict[str, str]:
    """libpq variables for pg_dump/pg_restore (the password never appears on a command line)."""
    parts = urlsplit(dsn)
    environment = dict(os.environ)
    values = {
        "PGHOST": parts.hostname,
        "PGPORT": str(parts.port) if parts.port else None,
        "PGUSER": unquote(parts.username) if parts.username else None,
        "PGPASSWORD": unquote(parts.password) if parts.password else None,
        "PGDATABASE": unquote(parts.path.lstrip("/")) or None,
        "PGSSLMODE": parse_qs(parts.query).get("sslmode", [None])[0],
    }
    environment.update({name: value for name, value in values.items() if value})
    return environment


def _run_client(program: str, arguments: list[str]) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupFailed(f"{program} is not installed (PostgreSQL client tools are needed on PostgreSQL)")
    assert DATABASE.postgres_dsn is not None
    result = subprocess.run(
        [executable, *arguments],
        env=postgres_client_environment(DATABASE.postgres_dsn),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        reason = next((line for line in result.stderr.splitlines() if line.strip()), f"exit code {result.returncode}")
        raise BackupFailed(f"{program} failed: {reason}")


def pg_dump(target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        _run_client("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"])
        os.replace(partial, target)
    finally:
        if partial.exists():
            partial.unlink()


def pg_restore(source: Path) -> None:
    if not _file_starts_with(source, PG_DUMP_MAGIC):
        raise BackupFailed(f"{source} is not a pg_dump custom-format backup (the configured database is PostgreSQL)")
    _run_client(
        "pg_restore",
        [
            "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
            # The database named by PGDATABASE (set from DATABASE_URL with the other libpq variables).
            f"--dbname={postgres_client_environment(DATABASE.postgres_dsn or '')['PGDATABASE']}",
            str(source),
        ],
    )
