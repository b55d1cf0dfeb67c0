"""The ``register`` command line: serve, migrate, demo, export, import, import-sheet, dpf-import, read-dpa."""

from __future__ import annotations

import argparse
import asyncio
import functools
import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

from register.database import DATABASE, DatabaseMissing, require_existing_database

CLI_ACTOR = "cli"


def _say(message: str) -> None:
    print(message, file=sys.stderr)


async def _migrate() -> None:
    from register.schema_migrations import apply_migrations

    applied = await apply_migrations()
    if applied:
        _say(f"Applied {len(applied)} migration(s) to {DATABASE.description}: {', '.join(applied)}")
    else:
        _say(f"Database schema is up to date ({DATABASE.description}).")


DEMO_USERS = {
    "admin": "admin@demo.invalid",
    "dpo": "dpo@demo.invalid",
    "procurement": "procurement@demo.invalid",
    "auditor": "auditor@demo.invalid",
}


async def _demo_users(organisation_id: int) -> None:
    """One demo user per role, with a fresh random password printed once."""
    from register.accounts.secrets import new_password
    from register.demo import DEMO_FIRM_NAME, load_demo_library
    from register.accounts.store import create_user, set_membership, set_password, user_id_by_email
    from register.store.errors import NotFound
    from register.vocabulary import Role

    lines = []
    user_ids: dict[str, int] = {}
    for role, email in DEMO_USERS.items():
        password = new_password()
        try:
            user_id = await user_id_by_email(email)
            await set_password(user_id, password)
        except NotFound:
            user_id = await create_user(email, password, display_name=f"Demo {role}")
        await set_membership(user_id, organisation_id, Role(role))
        user_ids[role] = user_id
        lines.append(f"  {role:<12} {email:<28} {password}")
    _say("Demo users (passwords are new at every start; demo only):\n" + "\n".join(lines))
    if await load_demo_library(organisation_id, user_ids["admin"], CLI_ACTOR):
        _say(f"Loaded the demo firm {DEMO_FIRM_NAME!r}: its vendor library holds the demo CRM, with a change to review.")


async def _load_demo() -> int:
    from register.demo import DEMO_ORGANISATION_NAME, demo_document, load_demo_notice
    from register.store.portability import import_document
    from register.tables import Organisation

    existing = await Organisation.select(Organisation.id).where(
        Organisation.name == DEMO_ORGANISATION_NAME
    ).first()
    if existing is not None:
        _say(f"The demo organisation is already loaded (id {existing['id']}).")
        return existing["id"]
    organisation_id = await import_document(demo_document(), CLI_ACTOR)
    await load_demo_notice(organisation_id, CLI_ACTOR)
    _say(
        f"Loaded the demo organisation (id {organisation_id}): an illustrative register of "
        "fictitious vendors, not a statement about any real vendor's contracts."
    )
    return organisation_id


Handler = Callable[[argparse.Namespace], int]


class MigrationsPending(RuntimeError):
    """The database lacks migrations this version of the register needs."""


def require_migrated_database() -> None:
    """Refuse to work on a database with migrations not yet applied (an
    upgrade without `register migrate`): its tables lack what the code
    reads, so the command would end in a traceback half-way."""
    from register.schema_migrations import unapplied_migrations

    pending = asyncio.run(unapplied_migrations())
    if pending:
        raise MigrationsPending(
            f"the database ({DATABASE.description}) lacks {len(pending)} migration(s) of this version "
            f"of the register ({', '.join(pending)}); run `register migrate` first"
        )


def on_existing_database(handler: Handler) -> Handler:
    """For every command that reads or writes a register (the one shared
    check): its database exists (connecting to a missing SQLite file would
    create an empty one) and has every migration applied."""

    @functools.wraps(handler)
    def checked(args: argparse.Namespace) -> int:
        require_existing_database()
        require_migrated_database()
        return handler(args)

    checked.checks_the_register = True  # type: ignore[attr-defined]
    return checked


def command_migrate(args: argparse.Namespace) -> int:
    return 0 if prepare_database() else 1


def command_demo(args: argparse.Namespace) -> int:
    async def run() -> None:
        await _migrate()
        await _demo_users(await _load_demo())

    asyncio.run(run())
    return 0


def database_errors() -> tuple[type[BaseException], ...]:
    """What an unreachable, refused or unmigratable database raises."""
    import asyncpg

    from register.schema_migrations import MigrationFailed

    return (OSError, sqlite3.Error, asyncpg.PostgresError, asyncpg.InterfaceError, MigrationFailed, TimeoutError)


def database_failure(error: BaseException) -> str:
    """One line saying why the database cannot be used (no traceback)."""
    from register.schema_migrations import MigrationFailed

    if isinstance(error, MigrationFailed):
        reason = str(error).splitlines()[0] if str(error) else "a migration failed"
        return f"register: cannot migrate {DATABASE.description}: {reason}"
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return f"register: cannot use the database ({DATABASE.description}): {reason}"


def prepare_database(demo: bool = False) -> bool:
    """Reach the database, apply pending migrations, optionally load the demo; False (said in one line) on failure."""
    async def prepare() -> None:
        await _migrate()
        if demo:
            await _demo_users(await _load_demo())

    try:
        asyncio.run(prepare())
    except database_errors() as error:
        _say(database_failure(error))
        return False
    return True


WORKERS_NEED_POSTGRES = (
    "register: --workers {workers} needs PostgreSQL (DATABASE_URL=postgresql://…): SQLite lets one process "
    "write at a time, so several workers would wait on each other and time out; serve SQLite with one worker"
)


def command_serve(args: argparse.Namespace) -> int:
    import uvicorn

    if args.workers < 1:
        _say("register: --workers must be at least 1")
        return 2
    if args.workers > 1 and DATABASE.engine != "postgres":
        _say(WORKERS_NEED_POSTGRES.format(workers=args.workers))
        return 2
    if not prepare_database(args.demo):
        return 1
    _say(
        f"Serving the register on http://{args.host}:{args.port}/ (API schema at /schema) "
        f"with {args.workers} worker(s) on {DATABASE.description}"
    )
    # The client address comes from the app (X-Forwarded-For from TRUSTED_PROXIES only), not from uvicorn.
    uvicorn.run(
        "register.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=False,
        log_level="info",
    )
    return 0


async def _resolve_organisation(organisation_id: int | None) -> int:
    from register.store.reads import list_organisations

    organisations = await list_organisations()
    if organisation_id is not None:
        if not any(o.id == organisation_id for o in organisations):
            raise SystemExit(f"register: no organisation {organisation_id}")
        return organisation_id
    if len(organisations) == 1 and organisations[0].id is not None:
        return organisations[0].id
    listing = ", ".join(f"{o.id} ({o.name})" for o in organisations) or "none"
    raise SystemExit(f"register: name the organisation with --organisation ID; there are: {listing}")


def command_export(args: argparse.Namespace) -> int:
    from register.store.portability import export_organisation

    async def run() -> bytes:
        return await export_organisation(await _resolve_organisation(args.organisation))

    content = asyncio.run(run())
    if args.output in (None, "-"):
        sys.stdout.buffer.write(content)
    else:
        Path(args.output).write_bytes(content)
        _say(f"Wrote {args.output}")
    return 0


def command_import(args: argparse.Namespace) -> int:
    from register.store.portability import ImportRefused, import_organisation

    path = Path(args.file)
    try:
        content = sys.stdin.buffer.read() if args.file == "-" else path.read_bytes()
    except OSError as error:
        _say(f"register: cannot read {args.file}: {error.strerror}")
        return 2
    files_from = Path(args.files) if getattr(args, "files", None) else None
    try:
        organisation_id = asyncio.run(import_organisation(content, CLI_ACTOR, files_from))
    except ImportRefused as error:
        _say(f"register: import refused, nothing was written: {error}")
        return 1
    _say(f"Imported {args.file} as organisation {organisation_id}")
    return 0


def _read_new_password() -> str:
    """From a prompt (typed twice) on a terminal, else the first line of stdin."""
    import getpass

    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise SystemExit("register: the passwords differ")
        return password
    return sys.stdin.readline().rstrip("\r\n")


async def _organisation_id(reference: str) -> int:
    from register.store.reads import list_organisations

    organisations = await list_organisations()
    for organisation in organisations:
        if str(organisation.id) == reference or organisation.name == reference:
            assert organisation.id is not None
            return organisation.id
    raise SystemExit(f"register: no organisation {reference!r} (give its id or exact name)")


async def _new_organisation(name: str, country: str) -> int:
    """Create the organisation (inside the caller's transaction)."""
    from register.reference import load_reference
    from register.store.changes import create_organisation
    from register.tables import Organisation

    name = name.strip()
    if not name:
        raise ValueError("--create-organisation: the organisation needs a name")
    country = country.strip().upper()
    if not load_reference().is_known_country(country):
        raise ValueError(f"--country: {country!r} is not an ISO 3166-1 alpha-2 country code")
    if await Organisation.exists().where(Organisation.name == name):
        raise ValueError(f"--create-organisation: an organisation {name!r} already exists; use --org")
    organisation = await create_organisation({"name": name, "country": country}, CLI_ACTOR)
    assert organisation.id is not None
    return organisation.id


def command_createuser(args: argparse.Namespace) -> int:
    from register.accounts.secrets import WeakPassword
    from register.accounts.store import create_user, set_membership
    from register.store.errors import Conflict
    from register.store.writes import write_transaction
    from register.vocabulary import Role

    if args.role is None and args.create_organisation is None:
        raise SystemExit("register: createuser: --role is required with --org")
    # The first user of a new organisation is by default its admin.
    role = Role(args.role or "admin")
    password = _read_new_password()

    async def run() -> int:
        # One transaction: the organisation, the user and the membership, or nothing.
        async with write_transaction():
            if args.create_organisation is not None:
                organisation_id = await _new_organisation(args.create_organisation, args.country)
            else:
                organisation_id = await _organisation_id(args.org)
            user_id = await create_user(args.email, password, display_name=args.name or "")
            await set_membership(user_id, organisation_id, role)
        return organisation_id

    try:
        organisation_id = asyncio.run(run())
    except (WeakPassword, ValueError, Conflict) as error:
        _say(f"register: {error}; nothing was created")
        return 1
    created = " (new)" if args.create_organisation is not None else ""
    _say(f"Created {args.email} as {role.value} of organisation {organisation_id}{created}")
    return 0


def command_processors(args: argparse.Namespace) -> int:
    """The processors of an organisation: id, name, status, one per line
    (tab-separated, for other commands such as ``register dpa ID``)."""
    from register.store.reads import list_processor_statuses

    async def run() -> tuple[int, list]:
        organisation_id = await _resolve_organisation(args.organisation)
        return organisation_id, await list_processor_statuses(organisation_id)

    organisation_id, processors = asyncio.run(run())
    if not processors:
        _say(f"Organisation {organisation_id} has no processor yet.")
        return 0
    print("id\tname\tlegal name\tstatus")
    for processor in processors:
        print(f"{processor.id}\t{processor.trade_name or processor.legal_name}\t{processor.legal_name}\t{processor.status}")
    return 0


def command_token(args: argparse.Namespace) -> int:
    from register.accounts.store import create_api_token, user_id_by_email
    from register.store.errors import NotFound

    async def run() -> str:
        return await create_api_token(await user_id_by_email(args.email), args.name or "cli")

    try:
        token = asyncio.run(run())
    except NotFound:
        _say(f"register: no user {args.email}")
        return 1
    print(token)
    _say("This token is shown once; keep it secret. Revoke it with DELETE /api/v1/me/tokens/{id}.")
    return 0


def command_purge(args: argparse.Namespace) -> int:
    from register.accounts.store import purge_expired

    from register.remind import SENT_KEPT
    from register.store.import_previews import purge_expired_previews
    from register.store.reminders import purge_sent_reminders

    purged = asyncio.run(purge_expired())
    previews = asyncio.run(purge_expired_previews())
    reminders = asyncio.run(purge_sent_reminders(datetime.now(timezone.utc), SENT_KEPT))
    _say(
        f"Purged {purged.sessions} expired session(s), {purged.login_attempts} sign-in attempt(s) "
        f"older than 30 days, {purged.counters} finished rate counter(s), "
        f"{previews} expired import preview(s) "
        f"and {reminders} reminder(s) sent more than {SENT_KEPT.days} days ago."
    )
    return 0


def command_backup(args: argparse.Namespace) -> int:
    from register.backup import BackupFailed, backup

    try:
        backup(Path(args.file))
    except (BackupFailed, OSError, sqlite3.Error) as error:
        _say(f"register: backup failed, nothing written: {error}")
        return 1
    _say(f"Backed up {DATABASE.description} to {args.file}")
    return 0


def command_restore(args: argparse.Namespace) -> int:
    from register.backup import BackupFailed, restore

    try:
        restore(Path(args.file))
    except (BackupFailed, OSError, sqlite3.Error) as error:
        _say(f"register: restore refused, the database is unchanged: {error}")
        return 1
    _say(f"Restored {DATABASE.description} from {args.file}")
    return 0


def command_remind(args: argparse.Namespace) -> int:
    """The e-mail digest (cron or a systemd timer): what falls due in the next N days."""
    from datetime import date

    from register.remind import remind
    from register.settings import ConfigurationError, site_url, smtp_settings

    try:
        settings = smtp_settings()
    except ConfigurationError as error:
        _say(f"remind: {error}")
        return 2
    if settings is None and not args.dry_run:
        _say("remind: SMTP_URL is not set (e.g. smtp://user:pass@host:587?starttls=1, and MAIL_FROM); "
             "use --dry-run to see the digests")
        return 2
    report = asyncio.run(remind(settings, site_url(), date.today(), days=args.days, dry_run=args.dry_run))
    if args.dry_run:
        for message in report.previews:
            print(f"To: {message['To']}\nSubject: {message['Subject']}\n")
            print(message.get_body(("plain",)).get_content())
        _say(f"remind (dry run): {len(report.previews)} digest(s) for {report.users} user(s); nothing sent or recorded")
        return 0
    _say(f"remind: {report.sent} digest(s) sent ({report.items} item(s)) to {report.users} user(s) checked")
    for failure in report.failed:
        _say(f"  not sent: {failure}")
    return 1 if report.failed else 0


def positive_days(text: str) -> int:
    from register.remind import MAX_DAYS

    value = int(text)
    if not 1 <= value <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"between 1 and {MAX_DAYS} days")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="register",
        description="GDPR processor register. Database: DATABASE_URL (default sqlite:///register.sqlite).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="apply pending migrations and serve the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true", help="load the illustrative demo register first")
    serve.add_argument(
        "--workers", type=int, default=1, help="worker processes (PostgreSQL only; SQLite is served by one)"
    )
    serve.set_defaults(handler=command_serve)

    migrate = commands.add_parser("migrate", help="apply pending database migrations")
    migrate.set_defaults(handler=command_migrate)

    demo = commands.add_parser(
        "demo", help="load the illustrative demo organisation and (re)create its demo users"
    )
    demo.set_defaults(handler=command_demo)

    export = commands.add_parser("export", help="export an organisation's whole register")
    export.add_argument("--format", choices=["json"], default="json")
    export.add_argument("--organisation", type=int, help="organisation id (optional when there is one)")
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    export.set_defaults(handler=on_existing_database(command_export))

    importer = commands.add_parser("import", help="import a register exported as JSON (as a new organisation)")
    importer.add_argument("file", help="the JSON file, or - for standard input")
    importer.add_argument(
        "--files", metavar="DIR",
        help="where the stored files (vendors' DPAs) listed in the export are, when not at its files_directory",
    )
    importer.set_defaults(handler=on_existing_database(command_import))

    createuser = commands.add_parser(
        "createuser",
        help="create a user with a role in an organisation, or in a new one (password from a prompt or stdin)",
    )
    createuser.add_argument("email")
    createuser.add_argument(
        "--role", choices=["admin", "dpo", "procurement", "auditor"], help="the user's role (default: admin)"
    )
    where = createuser.add_mutually_exclusive_group(required=True)
    where.add_argument("--org", help="an existing organisation: id or exact name")
    where.add_argument(
        "--create-organisation", metavar="NAME",
        help="create this organisation with the user (e.g. the first admin of an empty database)",
    )
    createuser.add_argument("--country", default="FR", help="the new organisation's country (default: FR)")
    createuser.add_argument("--name", help="display name")
    createuser.set_defaults(handler=on_existing_database(command_createuser))

    processors = commands.add_parser("processors", help="list an organisation's processors: id, name, status")
    processors.add_argument("--organisation", type=int, help="organisation id (optional when there is one)")
    processors.set_defaults(handler=on_existing_database(command_processors))

    token = commands.add_parser("token", help="print a new API token for a user")
    token.add_argument("email")
    token.add_argument("--name", help="a label to recognise the token by")
    token.set_defaults(handler=on_existing_database(command_token))

    purge = commands.add_parser(
        "purge",
        help="delete expired sessions, old sign-in attempts, finished rate counters, expired import previews "
        "and the reminders' sent-log items past any horizon",
    )
    purge.set_defaults(handler=on_existing_database(command_purge))

    backup = commands.add_parser("backup", help="copy the whole database to FILE (SQLite backup API / pg_dump)")
    backup.add_argument("file")
    backup.set_defaults(handler=command_backup)

    restore = commands.add_parser("restore", help="replace the whole database with a backup made by `register backup`")
    restore.add_argument("file")
    restore.set_defaults(handler=command_restore)

    remind = commands.add_parser(
        "remind", help="e-mail each user what falls due in the next N days and new critical findings (cron)"
    )
    remind.add_argument("--days", type=positive_days, default=14, help="how many days ahead (default 14)")
    remind.add_argument("--dry-run", action="store_true", help="print the digests; send and record nothing")
    remind.set_defaults(handler=on_existing_database(command_remind))

    from register.documents.commands import add_document_commands
    from register.firm_commands import add_firm_commands
    from register.intake.commands import add_intake_commands
    from register.intake.dpf_commands import add_dpf_commands
    from register.reading.command import add_reading_commands

    add_document_commands(commands)
    add_intake_commands(commands)
    add_dpf_commands(commands)
    add_reading_commands(commands)
    add_firm_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except DatabaseMissing as error:
        _say(f"register: {error}")
        return 2
    except MigrationsPending as error:
        _say(f"register: {error}")
        return 1
    except OSError as error:
        if error.filename is not None or DATABASE.engine != "postgres":
            raise  # a file the command reads or writes: its own message
        # PostgreSQL refusing or not answering the connection.
        _say(f"register: cannot reach the database ({DATABASE.description}; set DATABASE_URL): {error}")
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
