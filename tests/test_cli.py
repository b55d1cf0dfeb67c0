"""The command line outside and inside a register: a clear refusal naming
DATABASE_URL (and no empty database left behind) where there is no register,
the processors listing, and the first user of an empty database creating its
organisation in one transaction."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from register.cli import main
from register.demo import demo_document
from register.store.portability import import_document

WORKTREE = Path(__file__).resolve().parents[1]


def _register(args: list[str], cwd: Path, database_url: str | None = None) -> subprocess.CompletedProcess:
    """``python -m register ARGS`` in ``cwd``, this checkout's code, with or without DATABASE_URL."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    environment["PYTHONPATH"] = str(WORKTREE)
    if database_url is not None:
        environment["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "register", *args], cwd=cwd, env=environment,
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["report", "gap", "--lang", "en"],
        ["report", "extract", "--format", "csv"],
        ["dpa", "1"],
        ["processors"],
    ],
)
def test_outside_a_register_directory_the_commands_name_database_url_and_create_nothing(tmp_path, args):
    result = _register(args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "DATABASE_URL" in result.stderr and "register migrate" in result.stderr
    assert str(tmp_path / "register.sqlite") in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # no empty database, no document


def test_a_database_url_naming_a_missing_file_creates_nothing_either(tmp_path):
    missing = tmp_path / "elsewhere" / "register.sqlite"
    result = _register(["createuser", "a@example.test", "--create-organisation", "Acme"], tmp_path, f"sqlite:///{missing}")
    assert result.returncode == 2 and str(missing) in result.stderr and "from DATABASE_URL" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_holds_no_register_is_refused_and_left_as_it_was(tmp_path):
    empty = tmp_path / "register.sqlite"
    empty.write_bytes(b"")
    result = _register(["report", "gap"], cwd=tmp_path)
    assert result.returncode == 2 and "holds no register" in result.stderr
    assert empty.read_bytes() == b"" and sorted(p.name for p in tmp_path.iterdir()) == ["register.sqlite"]


def test_in_a_new_register_directory_migrate_then_the_first_admin_then_the_listing(tmp_path):
    assert _register(["migrate"], cwd=tmp_path).returncode == 0
    assert (tmp_path / "register.sqlite").is_file()
    nothing = _register(["processors"], cwd=tmp_path)
    assert nothing.returncode == 1 and "there are: none" in nothing.stderr
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    created = subprocess.run(
        [sys.executable, "-m", "register", "createuser", "admin@example.test", "--create-organisation", "Acme SAS"],
        cwd=tmp_path, env=environment | {"PYTHONPATH": str(WORKTREE)}, input="a long enough password\n",
        capture_output=True, text=True, timeout=120,
    )
    assert created.returncode == 0, created.stderr
    assert "Created admin@example.test as admin of organisation 1 (new)" in created.stderr
    listing = _register(["processors"], cwd=tmp_path)
    assert listing.returncode == 0 and "Organisation 1 has no processor yet." in listing.stderr


# --------------------------------------------------------------------------
# register processors


def test_processors_lists_ids_and_names(database, run, capsys):
    organisation_id = run(import_document(demo_document(), "test"))
    from register.tables import Processor

    rows = run(Processor.select(Processor.id, Processor.trade_name, Processor.legal_name).order_by(Processor.legal_name))
    assert main(["processors"]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    assert lines[0] == "id\tname\tlegal name\tstatus"
    listed = [line.split("\t") for line in lines[1:]]
    assert [(int(row[0]), row[1], row[2]) for row in listed] == [
        (r["id"], r["trade_name"] or r["legal_name"], r["legal_name"]) for r in rows
    ]
    assert main(["processors", "--organisation", str(organisation_id)]) == 0
    assert capsys.readouterr().out.strip().split("\n") == lines


def test_processors_needs_the_organisation_when_there_are_several(database, run, capsys):
    from datetime import date

    first = run(import_document(demo_document(), "test"))
    second = run(import_document(demo_document(date(2026, 1, 1)), "test"))
    with pytest.raises(SystemExit, match="--organisation ID"):
        main(["processors"])
    assert main(["processors", "--organisation", str(second)]) == 0
    assert len(capsys.readouterr().out.strip().split("\n")) > 1
    with pytest.raises(SystemExit, match="no organisation 999"):
        main(["processors", "--organisation", "999"])
    assert first != second


# --------------------------------------------------------------------------
# register createuser --create-organisation


def _counts(run) -> tuple[int, int, int]:
    from register.tables import Membership, Organisation, User

    return run(Organisation.count()), run(User.count()), run(Membership.count())


def test_createuser_on_an_empty_database_creates_the_organisation_and_its_admin(database, run, monkeypatch):
    from register.tables import Membership, Organisation, User

    assert _counts(run) == (0, 0, 0)
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["createuser", "first@example.test", "--create-organisation", "Acme SAS"]) == 0
    organisation = run(Organisation.select().first())
    assert (organisation["name"], organisation["country"]) == ("Acme SAS", "FR")
    user = run(User.select(User.id).where(User.email == "first@example.test").first())
    membership = run(Membership.select().first())
    assert (membership["user"], membership["organisation"], membership["role"]) == (user["id"], organisation["id"], "admin")
    # The next users join it by name, with a role.
    monkeypatch.setattr("sys.stdin", io.StringIO("another long password\n"))
    assert main(["createuser", "dpo@example.test", "--org", "Acme SAS", "--role", "dpo"]) == 0
    assert _counts(run) == (1, 2, 2)


@pytest.mark.parametrize(
    "args, password",
    [
        (["createuser", "taken@example.test", "--create-organisation", "New SAS"], "a long enough password"),
        (["createuser", "weak@example.test", "--create-organisation", "New SAS"], "short"),
        (["createuser", "x@example.test", "--create-organisation", "New SAS", "--country", "ZZ"], "a long enough password"),
        (["createuser", "y@example.test", "--create-organisation", "Existing SAS"], "a long enough password"),
        (["createuser", "not-an-email", "--create-organisation", "New SAS"], "a long enough password"),
    ],
)
def test_a_refused_createuser_creates_no_organisation_user_or_membership(database, run, monkeypatch, capsys, args, password):
    from register.accounts.store import create_user
    from register.store.changes import create_organisation

    run(create_user("taken@example.test", "a long enough password"))
    run(create_organisation({"name": "Existing SAS", "country": "FR"}, "test"))
    before = _counts(run)
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    assert main(args) == 1
    assert "nothing was created" in capsys.readouterr().err
    assert _counts(run) == before


def test_createuser_needs_a_role_with_an_existing_organisation_and_one_place(database, run, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    with pytest.raises(SystemExit, match="--role is required"):
        main(["createuser", "a@example.test", "--org", "Acme"])
    with pytest.raises(SystemExit):  # argparse: --org or --create-organisation, not both, not neither
        main(["createuser", "a@example.test", "--role", "dpo"])
    assert _counts(run) == (0, 0, 0)


def test_report_extract_writes_the_csv_with_the_chosen_separator(database, run, tmp_path):
    run(import_document(demo_document(), "test"))
    french, tabbed = tmp_path / "fr.csv", tmp_path / "tab.csv"
    assert main(["report", "extract", "--format", "csv", "--output", str(french)]) == 0
    assert main(["report", "extract", "--format", "csv", "--sep", "tab", "--lang", "en", "--output", str(tabbed)]) == 0
    assert french.read_bytes().decode("utf-8-sig").startswith("Identifiant;Dénomination sociale;")
    assert tabbed.read_bytes().decode("utf-8-sig").startswith("ID\tLegal name\t")


def test_an_unreachable_postgresql_database_is_named_without_a_traceback(tmp_path):
    result = _register(["processors"], tmp_path, "postgresql://postgres@127.0.0.1:9/absent")
    assert result.returncode == 2, result.stderr
    assert "cannot reach the database (PostgreSQL 127.0.0.1:9/absent; set DATABASE_URL)" in result.stderr
    assert "Traceback" not in result.stderr and list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------
# A database with migrations not yet applied (an upgrade without `register migrate`)

# The commands that need no migrated register: serve, migrate and demo apply the
# migrations themselves, backup copies and restore replaces the whole database,
# read-dpa reads a file.
COMMANDS_WITHOUT_A_REGISTER = {"serve", "migrate", "demo", "backup", "restore", "read-dpa"}


def _every_command(parser) -> dict[str, object]:
    """Every command line's name ("report gap") and its handler, from the parser itself."""
    import argparse

    found: dict[str, object] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                nested = _every_command(subparser)
                if nested:
                    found |= {f"{name} {inner}": handler for inner, handler in nested.items()}
                else:
                    found[name] = subparser.get_default("handler")
    return found


def test_every_command_that_reads_or_writes_a_register_checks_its_migrations():
    from register.cli import build_parser, require_migrated_database

    commands = _every_command(build_parser())
    assert {"report gap", "report extract", "dpa", "processors", "purge", "remind", "import-sheet"} <= set(commands)
    unchecked = sorted(
        name for name, handler in commands.items()
        if not getattr(handler, "checks_the_register", False) and name not in COMMANDS_WITHOUT_A_REGISTER
    )
    assert unchecked == []
    assert callable(require_migrated_database)


@pytest.fixture
def one_migration_unapplied(database, run):
    """The database as an upgrade leaves it: the newest migration's row removed."""
    from piccolo.apps.migrations.tables import Migration

    newest = run(Migration.select(Migration.name).order_by(Migration.name, ascending=False).first())["name"]
    run(Migration.delete().where(Migration.name == newest))
    try:
        yield newest
    finally:
        run(Migration.insert(Migration(app_name="register", name=newest)))


@pytest.mark.parametrize(
    "args",
    [["processors"], ["report", "gap", "--lang", "en"], ["dpa", "1"], ["purge"], ["remind", "--dry-run"],
     ["token", "a@example.test"], ["export"]],
    ids=lambda args: " ".join(args),
)
def test_pending_migrations_stop_every_command_in_one_line(one_migration_unapplied, args, capsys, tmp_path):
    output = tmp_path / "document.docx"
    assert main([*args, *(["--output", str(output)] if args[0] in ("report", "dpa") else [])]) == 1
    said = capsys.readouterr().err.strip()
    assert len(said.splitlines()) == 1
    assert "lacks 1 migration(s)" in said and one_migration_unapplied in said
    assert said.endswith("run `register migrate` first")
    assert not output.exists()  # no document written


def test_an_upgraded_sqlite_register_says_to_migrate_then_works_once_migrated(tmp_path):
    """The real case: a migration's tables are missing, not only its row (here the
    remediation tasks' migration, as a database from before it is)."""
    import sqlite3

    tasks = "2026-12-01T03:50:30:000000"
    assert _register(["migrate"], cwd=tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "register.sqlite") as connection:
        assert connection.execute("DELETE FROM migration WHERE name = ?", (tasks,)).rowcount == 1
        for table in ("task_comment", "remediation_task", "calendar_feed", "reminder_sent"):
            connection.execute(f"DROP TABLE {table}")
        connection.execute("ALTER TABLE app_user DROP COLUMN language")
    refused = _register(["report", "gap", "--lang", "en"], cwd=tmp_path)
    assert refused.returncode == 1, refused.stderr
    assert "Traceback" not in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert "run `register migrate` first" in refused.stderr and tasks in refused.stderr
    assert _register(["migrate"], cwd=tmp_path).returncode == 0
    listing = _register(["processors"], cwd=tmp_path)
    assert listing.returncode == 1 and "there are: none" in listing.stderr  # past the check: an empty register


def test_demo_loads_a_firm_whose_library_holds_a_change_to_review_once(database, run, capsys):
    """`register demo` gives the demo admin a firm serving the demo organisation, its library
    holding the demo CRM linked to the demo's processor, with a newer version to review
    (LIBRARY_CHANGE_PENDING); a second run changes nothing of it."""
    from register.demo import DEMO_FIRM_NAME, DEMO_LIBRARY_ADDITION
    from register.store import library
    from register.tables import Firm, FirmMember, LibraryVendor

    assert main(["demo"]) == 0
    assert main(["demo"]) == 0
    assert DEMO_FIRM_NAME in capsys.readouterr().err
    firms = run(Firm.select(Firm.id).where(Firm.name == DEMO_FIRM_NAME))
    assert len(firms) == 1
    assert run(FirmMember.count().where(FirmMember.firm == firms[0]["id"])) == 1
    assert run(LibraryVendor.count().where(LibraryVendor.firm == firms[0]["id"])) == 1
    changes = [
        change
        for review in run(library.pending_changes(run(_demo_organisation_id())))
        for change in review.changes
    ]
    assert any(change.name == DEMO_LIBRARY_ADDITION.name and change.kind == "added" for change in changes)


async def _demo_organisation_id() -> int:
    from register.demo import DEMO_ORGANISATION_NAME
    from register.tables import Organisation

    row = await Organisation.select(Organisation.id).where(Organisation.name == DEMO_ORGANISATION_NAME).first()
    return row["id"]
