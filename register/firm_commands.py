"""``register firm ...``: create a firm (a DPO firm serving client organisations) and manage
its members and clients from the command line, as an operator of the instance.

    register firm create NAME --admin EMAIL
    register firm add-org FIRM ORGANISATION        (id or exact name for both)
    register firm remove-org FIRM ORGANISATION
    register firm add-member FIRM EMAIL [--role admin|member]
    register firm list

Every change is one transaction, recorded in the audit trail with the actor ``cli``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

CLI_ACTOR = "cli"


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def add_firm_commands(commands: argparse._SubParsersAction) -> None:
    from register.cli import on_existing_database

    firm = commands.add_parser("firm", help="firms and their vendor library: create a firm, add organisations and members")
    actions = firm.add_subparsers(dest="firm_command", required=True)

    create = actions.add_parser("create", help="create a firm with its first admin (an existing user)")
    create.add_argument("name")
    create.add_argument("--admin", required=True, metavar="EMAIL", help="the firm's first admin")
    create.set_defaults(handler=on_existing_database(command_firm_create))

    add_org = actions.add_parser("add-org", help="make an organisation a client of the firm (at most one firm each)")
    add_org.add_argument("firm", help="firm id or exact name")
    add_org.add_argument("organisation", help="organisation id or exact name")
    add_org.set_defaults(handler=on_existing_database(command_firm_add_org))

    remove_org = actions.add_parser("remove-org", help="take an organisation out of the firm (its links end, copied facts stay)")
    remove_org.add_argument("firm", help="firm id or exact name")
    remove_org.add_argument("organisation", help="organisation id or exact name")
    remove_org.set_defaults(handler=on_existing_database(command_firm_remove_org))

    member = actions.add_parser("add-member", help="add a user to the firm, or change their role")
    member.add_argument("firm", help="firm id or exact name")
    member.add_argument("email")
    member.add_argument("--role", choices=["admin", "member"], default="member")
    member.set_defaults(handler=on_existing_database(command_firm_add_member))

    listing = actions.add_parser("list", help="list the firms: id, name, clients, vendors")
    listing.set_defaults(handler=on_existing_database(command_firm_list))


async def _firm_id(reference: str) -> int:
    from register.store import library
    from register.store.errors import NotFound

    if reference.isdigit():
        try:
            return (await library.load_firm(int(reference))).id
        except NotFound:
            pass
    try:
        return (await library.firm_by_name(reference)).id
    except NotFound:
        raise SystemExit(f"register: no firm {reference!r} (give its id or exact name)") from None


async def _user_id(email: str) -> int:
    from register.accounts.store import user_id_by_email
    from register.store.errors import NotFound

    try:
        return await user_id_by_email(email)
    except NotFound:
        raise SystemExit(f"register: no user {email!r} (create it with `register createuser`)") from None


def _run_change(change) -> int:
    from register.store.errors import Conflict, InvalidReference, NotFound

    try:
        message = asyncio.run(change())
    except (Conflict, InvalidReference, NotFound) as error:
        _say(f"register: {error}; nothing was changed")
        return 1
    _say(message)
    return 0


def command_firm_create(args: argparse.Namespace) -> int:
    from register.store import library

    async def change() -> str:
        firm = await library.create_firm(args.name, CLI_ACTOR, admin_user_id=await _user_id(args.admin))
        return f"Created firm {firm.id} ({firm.name}) with {args.admin} as its admin"

    return _run_change(change)


def command_firm_add_org(args: argparse.Namespace) -> int:
    from register.cli import _organisation_id
    from register.store import library

    async def change() -> str:
        firm_id, organisation_id = await _firm_id(args.firm), await _organisation_id(args.organisation)
        await library.attach_organisation(firm_id, organisation_id, CLI_ACTOR)
        return f"Organisation {organisation_id} is now a client of firm {firm_id}"

    return _run_change(change)


def command_firm_remove_org(args: argparse.Namespace) -> int:
    from register.cli import _organisation_id
    from register.store import library

    async def change() -> str:
        firm_id, organisation_id = await _firm_id(args.firm), await _organisation_id(args.organisation)
        ended = await library.detach_organisation(firm_id, organisation_id, CLI_ACTOR)
        return f"Organisation {organisation_id} left firm {firm_id} ({ended} link(s) ended; the copied facts stay)"

    return _run_change(change)


def command_firm_add_member(args: argparse.Namespace) -> int:
    from register.store import library

    async def change() -> str:
        firm_id = await _firm_id(args.firm)
        await library.set_firm_member(firm_id, await _user_id(args.email), args.role, CLI_ACTOR)
        return f"{args.email} is {args.role} of firm {firm_id}"

    return _run_change(change)


def command_firm_list(args: argparse.Namespace) -> int:
    from register.store import library
    from register.tables import Firm

    async def run() -> list[tuple[int, str, int, int]]:
        rows = await Firm.select(Firm.id, Firm.name).order_by(Firm.name)
        return [
            (row["id"], row["name"], len(await library.list_firm_clients(row["id"])), len(await library.list_vendors(row["id"])))
            for row in rows
        ]

    firms = asyncio.run(run())
    if not firms:
        _say("No firm yet: create one with `register firm create NAME --admin EMAIL`.")
        return 0
    print("id\tname\tclients\tvendors")
    for firm_id, name, clients, vendors in firms:
        print(f"{firm_id}\t{name}\t{clients}\t{vendors}")
    return 0
