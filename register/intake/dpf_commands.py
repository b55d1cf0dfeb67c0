"""``register dpf-import FILE --organisation ID [--dry-run] [--include-close]``.

Prints every proposal (the same as the web page's); without ``--dry-run`` it
records the sure ones — same name, or same name once the legal form is set
aside — in one audited transaction, checked today. Close names are recorded
only with ``--include-close``; records not on the list are never changed from
the command line (the DPO decides on the page).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path

CLI_ACTOR = "cli"
SURE = ("exact", "legal_suffix")


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def add_dpf_commands(commands: argparse._SubParsersAction) -> None:
    from register.cli import on_existing_database

    dpf = commands.add_parser(
        "dpf-import", help="check US processors and sub-processors against the DPF participants list (csv/xlsx)"
    )
    dpf.add_argument("file", help="the DPF list downloaded from dataprivacyframework.gov (csv, xlsx or ods)")
    dpf.add_argument("--organisation", type=int, required=True, help="organisation id")
    dpf.add_argument("--dry-run", action="store_true", help="print the proposals, write nothing")
    dpf.add_argument("--include-close", action="store_true", help="also record close-name matches")
    dpf.set_defaults(handler=on_existing_database(command_dpf_import))


def command_dpf_import(args: argparse.Namespace) -> int:
    from register.intake.dpf_list import match_participants, read_dpf_list
    from register.intake.model import IntakeError
    from register.settings import intake_limits
    from register.store.dpf import DpfDecision, apply_dpf_checks, load_dpf_candidates
    from register.store.errors import StoreError

    try:
        dpf = read_dpf_list(Path(args.file).read_bytes(), Path(args.file).name, intake_limits())
    except OSError as error:
        _say(f"register: cannot read {args.file}: {error.strerror}")
        return 2
    except IntakeError as error:
        _say(f"register: DPF list refused: {error.problem.located()}")
        return 1
    accepted = (*SURE, "close") if args.include_close else SURE

    async def run() -> int:
        proposals = match_participants(dpf, await load_dpf_candidates(args.organisation))
        for p in proposals:
            found = f"{p.participant.name!r} ({'active' if p.participant.active else 'inactive'})" if p.participant else "-"
            print(f"{p.candidate.kind}\t{p.candidate.id}\t{p.candidate.name}\t{p.match}\t{p.score}\t{found}\t"
                  f"{'certified' if p.certified else 'not certified'}")
        chosen = [p for p in proposals if p.match in accepted]
        if args.dry_run or not chosen:
            _say(f"{len(proposals)} proposal(s); nothing written")
            return 0
        decisions = [DpfDecision(p.candidate.kind, p.candidate.id, p.candidate.version, p.certified) for p in chosen]
        count = await apply_dpf_checks(args.organisation, decisions, date.today(), CLI_ACTOR, dpf.filename)
        _say(f"{len(proposals)} proposal(s); recorded {count} check(s) dated {date.today().isoformat()}")
        return 0

    try:
        return asyncio.run(run())
    except StoreError as error:
        _say(f"register: nothing written: {error}")
        return 1
