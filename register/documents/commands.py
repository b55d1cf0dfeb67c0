"""The document commands of the ``register`` command line:

    register report gap [--organisation ID] [--processor ID] [--lang fr|en] [--as-of DATE] [--output FILE]
    register report extract [--organisation ID] [--format docx|xlsx|csv] [--sep semicolon|comma|tab]
                            [--lang fr|en] [--as-of DATE] [--output FILE]
    register dpa PROCESSOR_ID [--notes] [--lang fr|en] [--as-of DATE] [--output FILE]

Without ``--output`` the file is written in the current directory under its
generated name; ``--output -`` writes it to standard output. Each command
first checks that the register's database exists (DATABASE_URL): run
outside a register's directory, it says so and creates nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date, timedelta
from pathlib import Path

from register.cli import on_existing_database
from register.documents import service
from register.documents.register_extract import SEPARATORS
from register.documents.service import GeneratedDocument
from register.i18n import LANGUAGES


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default="fr", help="language of the document (default: fr)")
    parser.add_argument("--as-of", type=_iso_date, default=None, help="assess as of this date (default: today)")
    parser.add_argument("--output", "-o", help="file to write (default: the generated name; - for standard output)")


def _as_stood_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-stood", action="store_true",
        help="with a past --as-of: the register as it stood at the end of that day (rebuilt from the audit trail)",
    )


def add_document_commands(commands: argparse._SubParsersAction) -> None:
    """Add ``report`` (gap, extract) and ``dpa`` to the CLI's sub-commands."""
    report = commands.add_parser("report", help="write a gap report or a register extract")
    kinds = report.add_subparsers(dest="report_kind", required=True)

    gap = kinds.add_parser("gap", help="the gap report (.docx) of the register, or of one processor")
    gap.add_argument("--organisation", type=int, help="organisation id (optional when there is one)")
    gap.add_argument("--processor", type=int, help="report on this processor only")
    _common_options(gap)
    _as_stood_option(gap)
    gap.set_defaults(handler=on_existing_database(command_report_gap))

    extract = kinds.add_parser("extract", help="the register extract: processors, recipients and transfers")
    extract.add_argument("--organisation", type=int, help="organisation id (optional when there is one)")
    extract.add_argument("--format", choices=["docx", "xlsx", "csv"], default="docx")
    extract.add_argument(
        "--sep", choices=sorted(SEPARATORS), default=None,
        help="CSV field separator (default: semicolon in French, comma in English)",
    )
    _common_options(extract)
    _as_stood_option(extract)
    extract.set_defaults(handler=on_existing_database(command_report_extract))

    changes = kinds.add_parser("changes", help="what changed in the register between two dates (.docx)")
    changes.add_argument("--organisation", type=int, help="organisation id (optional when there is one)")
    changes.add_argument("--since", type=_iso_date, default=None, help="first day (default: 30 days before --until)")
    changes.add_argument("--until", type=_iso_date, default=None, help="last day, included (default: today)")
    changes.add_argument("--lang", choices=LANGUAGES, default="fr", help="language of the document (default: fr)")
    changes.add_argument("--output", "-o", help="file to write (default: the generated name; - for standard output)")
    changes.set_defaults(handler=on_existing_database(command_report_changes))

    dpa = commands.add_parser("dpa", help="write the DPA draft (.docx) of a processor, on the (EU) 2021/915 clauses")
    dpa.add_argument("processor_id", type=int)
    dpa.add_argument(
        "--notes", action="store_true",
        help="write the reviewer's notes on the draft instead (internal: not for the vendor)",
    )
    _common_options(dpa)
    dpa.set_defaults(handler=on_existing_database(command_dpa))


async def _organisation_id(requested: int | None) -> int:
    from register.store.reads import list_organisations

    organisations = await list_organisations()
    if requested is not None:
        if not any(o.id == requested for o in organisations):
            raise SystemExit(f"register: no organisation {requested}")
        return requested
    if len(organisations) == 1 and organisations[0].id is not None:
        return organisations[0].id
    listing = ", ".join(f"{o.id} ({o.name})" for o in organisations) or "none"
    raise SystemExit(f"register: name the organisation with --organisation ID; there are: {listing}")


def _write(document: GeneratedDocument, output: str | None) -> int:
    if output == "-":
        sys.stdout.buffer.write(document.content)
        sys.stdout.buffer.flush()
        return 0
    path = Path(output) if output else Path(document.filename)
    path.write_bytes(document.content)
    _say(f"Wrote {path} ({len(document.content):,} bytes)")
    return 0


def _load(loader) -> service.RegisterInputs:
    from register.store.errors import NotFound

    try:
        return asyncio.run(loader)
    except NotFound as error:
        raise SystemExit(f"register: {error}") from None


def command_report_gap(args: argparse.Namespace) -> int:
    as_of = args.as_of or date.today()
    if args.processor is not None:
        inputs = _load(service.load_processor_inputs(args.processor))
        if args.organisation is not None and inputs.organisation.id != args.organisation:
            raise SystemExit(f"register: processor {args.processor} is not in organisation {args.organisation}")
        document = service.build_processor_gap_report(inputs, args.processor, language=args.lang, as_of=as_of)
    else:
        inputs = _load(_register_of(args.organisation, args.as_of, args.as_stood))
        document = service.build_gap_report(inputs, language=args.lang, as_of=as_of)
    return _write(document, args.output)


def command_report_extract(args: argparse.Namespace) -> int:
    inputs = _load(_register_of(args.organisation, args.as_of, args.as_stood))
    document = service.build_register_extract(
        inputs, args.format, language=args.lang, as_of=args.as_of or date.today(), separator=args.sep
    )
    return _write(document, args.output)


def command_dpa(args: argparse.Namespace) -> int:
    inputs = _load(service.load_processor_inputs(args.processor_id))
    build = service.build_dpa_review_notes if args.notes else service.build_dpa_draft
    document = build(inputs, args.processor_id, language=args.lang, as_of=args.as_of or date.today())
    return _write(document, args.output)


async def _register_of(
    organisation_id: int | None, as_of: date | None = None, as_stood: bool = False
) -> service.RegisterInputs:
    return await service.load_register_inputs_on(await _organisation_id(organisation_id), as_of, as_stood)


def command_report_changes(args: argparse.Namespace) -> int:
    until = args.until or date.today()
    since = args.since or until - timedelta(days=30)
    if since > until:
        raise SystemExit("register: --since is after --until")

    async def load():
        return await service.load_changes(await _organisation_id(args.organisation), since, until)

    organisation, changes = _load(load())
    document = service.build_changes_report(organisation, changes, since=since, until=until, language=args.lang)
    return _write(document, args.output)
