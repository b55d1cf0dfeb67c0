"""The spreadsheet import on the command line:

    register import-sheet FILE --organisation ID [--mapping FILE] [--dry-run] [--name NAME]

Without ``--mapping`` the suggested mapping is used and printed as TOML on
standard output (redirect it to a file, edit it, pass it back with
``--mapping``). The preview's counts and its errors go to standard error.
Exit status: 0 when the rows could be imported (or were already there),
1 when the file is refused or no row could be imported, 2 on a missing file
or database.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime, timezone
from pathlib import Path

from register.cli import CLI_ACTOR, on_existing_database
from register.intake.model import ColumnMapping, IntakeError, Preview
from register.settings import intake_limits

MAX_ERRORS_SHOWN = 50


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def add_intake_commands(commands: argparse._SubParsersAction) -> None:
    sheet = commands.add_parser(
        "import-sheet",
        help="import processors from a spreadsheet (xlsx, ods, csv): the register's extract, "
             "the CNIL workbook or any sheet through a column mapping",
    )
    sheet.add_argument("file", help="the .xlsx, .ods or .csv file")
    sheet.add_argument("--organisation", type=int, required=True, help="organisation id")
    sheet.add_argument("--mapping", help="a mapping (TOML) to use instead of the suggested one")
    sheet.add_argument("--dry-run", action="store_true", help="show what would happen, write nothing")
    sheet.add_argument("--name", help="the import's name in the audit trail (default: file name and time)")
    sheet.set_defaults(handler=on_existing_database(command_import_sheet))


def command_import_sheet(args: argparse.Namespace) -> int:
    from register.intake import build_preview, read_workbook, suggest_mapping
    from register.store.errors import Conflict, NotFound
    from register.store.intake import apply_preview, load_register_for_import

    path = Path(args.file)
    try:
        content = path.read_bytes()
        mapping_text = Path(args.mapping).read_text(encoding="utf-8") if args.mapping else None
    except OSError as error:
        _say(f"register: cannot read {error.filename}: {error.strerror}")
        return 2
    try:
        workbook = read_workbook(content, path.name, intake_limits())
        if mapping_text is None:
            mapping = suggest_mapping(workbook)
            _say("No --mapping given: using the suggested mapping (printed on standard output).")
            sys.stdout.write(mapping.to_toml())
        else:
            mapping = ColumnMapping.from_toml(mapping_text)
    except IntakeError as error:
        _say(f"register: {path.name} refused, nothing was written: {error}")
        return 1

    async def run() -> tuple[Preview, object | None]:
        register = await load_register_for_import(args.organisation)
        preview = build_preview(workbook, mapping, register)
        if args.dry_run or preview.counts.importable == 0:
            return preview, None
        name = args.name or f"{path.name} ({datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC)"
        return preview, await apply_preview(preview, args.organisation, CLI_ACTOR, name)

    try:
        preview, result = asyncio.run(run())
    except IntakeError as error:
        _say(f"register: {path.name} refused, nothing was written: {error}")
        return 1
    except NotFound as error:
        _say(f"register: {error}")
        return 1
    except Conflict as error:
        _say(f"register: nothing was written: {error}")
        return 1
    report(preview, written=result is not None, dry_run=args.dry_run)
    counts = preview.counts
    return 1 if counts.importable == 0 and counts.error > 0 else 0


def report(preview: Preview, *, written: bool, dry_run: bool) -> None:
    counts = preview.counts
    for note in preview.notes:
        _say(f"note: {note.located()}")
    verb = "would be" if dry_run or not written else "were"
    _say(
        f"{counts.create} processor(s) {verb} created, {counts.update} {verb} updated, "
        f"{counts.unchanged} unchanged, {counts.error} row(s) in error."
    )
    shown = 0
    for row in preview.rows:
        for problem in row.problems:
            if shown == MAX_ERRORS_SHOWN:
                _say("… (more problems not shown)")
                return
            level = "error" if row.action == "error" else "warning"
            _say(f"{level}: {problem.located()}")
            shown += 1
    if dry_run:
        _say("Dry run: nothing was written.")
    elif not written:
        _say("Nothing to import: nothing was written.")
