"""The figures of every client organisation of a user, in a constant number of queries.

One statement reads, for all the user's organisations at once, their names,
their revisions and the counts of pending procurement requests and pending
sub-processor notices. The figures that come from a client's register (score,
critical findings, overdue reviews, tasks, DPAs ending) are kept in the answers
cache keyed by the organisation's revision and the day (see
:mod:`register.store.snapshots`): a warm portfolio asks the database nothing
more. For the clients whose revision changed, one more query reads all their
tasks, and each one's register and assessment come from the per-organisation
caches (only what changed is loaded and assessed again).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from register.compliance.portfolio import ClientFigures, client_figures
from register.store import snapshots
from register.store.lookups import fetch_rows
from register.store.tasks import Task, tasks_of_organisations, view_tasks
from register.vocabulary import NoticeStatus, ProcurementStatus


@dataclass(frozen=True, slots=True)
class ClientState:
    """What one statement says of a client: its name, revision and pending counts."""

    organisation_id: int
    name: str
    revision: int
    pending_requests: int
    pending_notices: int


def _client_states_statement(count: int) -> str:
    placeholders = ", ".join("{}" for _ in range(count))
    return (
        "SELECT o.id AS organisation_id, o.name AS name, o.revision AS revision, "
        "(SELECT COUNT(*) FROM procurement_request r WHERE r.organisation = o.id AND r.status = {}) "
        "AS pending_requests, "
        "(SELECT COUNT(*) FROM sub_processor_notice n WHERE n.organisation = o.id AND n.status = {}) "
        "AS pending_notices "
        f"FROM organisation o WHERE o.id IN ({placeholders}) ORDER BY o.id"
    )


async def client_states(organisation_ids: Iterable[int]) -> list[ClientState]:
    """Name, revision and pending counts of each organisation, in one query."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return []
    rows = await fetch_rows(
        _client_states_statement(len(ids)), ProcurementStatus.PENDING.value, NoticeStatus.PENDING.value, *ids
    )
    return [
        ClientState(
            organisation_id=row["organisation_id"],
            name=row["name"],
            revision=row["revision"],
            pending_requests=int(row["pending_requests"]),
            pending_notices=int(row["pending_notices"]),
        )
        for row in rows
    ]


def _cache_key(organisation_id: int, as_of: date) -> tuple:
    return organisation_id, ("portfolio", as_of)


def _cached(organisation_id: int, revision: int, as_of: date) -> ClientFigures | None:
    latest = snapshots.ANSWERS.latest(_cache_key(organisation_id, as_of))
    if latest is not None and latest[0] == revision:
        return latest[1]
    return None


async def _computed_register_figures(state: ClientState, tasks: list[Task], as_of: date) -> ClientFigures:
    """The figures of the client's register, assessment and tasks (the pending counts,
    read fresh with every portfolio, are left at zero here)."""
    snapshot, assessment = await snapshots.register_assessment(state.organisation_id, as_of)
    views = view_tasks(tasks, assessment, as_of)
    return client_figures(
        snapshot.processors,
        assessment,
        ((view.state, view.overdue) for view in views),
        pending_requests=0,
        pending_notices=0,
        as_of=as_of,
    )


async def register_figures(states: list[ClientState], as_of: date) -> dict[int, ClientFigures]:
    """Each client's register figures: from the cache at its revision, or computed
    (all the stale clients' tasks in one query, each register from its cache)."""
    found: dict[int, ClientFigures] = {}
    stale: list[ClientState] = []
    for state in states:
        cached = _cached(state.organisation_id, state.revision, as_of)
        if cached is None:
            stale.append(state)
        else:
            found[state.organisation_id] = cached
    if not stale:
        return found
    tasks_by_client: dict[int, list[Task]] = {state.organisation_id: [] for state in stale}
    for task in await tasks_of_organisations(tasks_by_client):
        tasks_by_client[task.organisation_id].append(task)
    # The registers are read at the revisions just read (a copy may be newer than
    # its label, never older): no second look-up of each revision.
    known = dict(snapshots.request_revisions.get() or {})
    known.update({state.organisation_id: state.revision for state in stale})
    token = snapshots.request_revisions.set(known)
    try:
        for state in stale:
            tasks = tasks_by_client[state.organisation_id]

            async def compute(state: ClientState = state, tasks: list[Task] = tasks) -> ClientFigures:
                return await _computed_register_figures(state, tasks, as_of)

            found[state.organisation_id] = await snapshots.ANSWERS.get(
                _cache_key(state.organisation_id, as_of), state.revision, compute
            )
    finally:
        snapshots.request_revisions.reset(token)
    return found


@dataclass(frozen=True, slots=True)
class Client:
    organisation_id: int
    name: str
    figures: ClientFigures


async def portfolio_clients(organisation_ids: Iterable[int], as_of: date) -> list[Client]:
    """Every one of these organisations (those that still exist) with its figures
    as of ``as_of``; the caller passes only the organisations of the user."""
    states = await client_states(organisation_ids)
    figures = await register_figures(states, as_of)
    return [
        Client(
            organisation_id=state.organisation_id,
            name=state.name,
            figures=replace(
                figures[state.organisation_id],
                pending_requests=state.pending_requests,
                pending_notices=state.pending_notices,
            ),
        )
        for state in states
    ]
