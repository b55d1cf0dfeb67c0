"""Read caches keyed by the organisation's revision: reused while nothing changed,
recomputed as soon as any audited write commits (from this process or another)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, timezone

import pytest

from api_support import create_organisation, create_processor
from register.accounts.store import TOKEN_USE_RESOLUTION
from register.compliance import assess_register
from register.store import changes, reads, snapshots
from register.store.errors import NotFound, StaleVersion
from register.store.snapshots import RevisionCache
from register.tables import ApiToken


def revision_of(run, organisation_id: int) -> int:
    return run(snapshots.organisation_revision(organisation_id))


def test_every_audited_write_gives_a_new_revision_and_reads_keep_it(client, run):
    organisation = create_organisation(client)
    first = revision_of(run, organisation["id"])
    processor = create_processor(client, organisation["id"])
    second = revision_of(run, organisation["id"])
    assert second != first
    client.get(f"/api/v1/organisations/{organisation['id']}/processors")
    client.get(f"/api/v1/processors/{processor['id']}/assessment")
    assert revision_of(run, organisation["id"]) == second
    response = client.patch(
        f"/api/v1/processors/{processor['id']}", json={"version": processor["version"], "trade_name": "New"}
    )
    assert response.status_code == 200
    assert revision_of(run, organisation["id"]) not in (first, second)


def test_a_refused_write_leaves_the_revision_as_it_was(client, run):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"])
    before = revision_of(run, organisation["id"])
    with pytest.raises(StaleVersion):
        run(changes.update_processor(organisation["id"], processor["id"], {"trade_name": "X"}, 99, "test"))
    assert revision_of(run, organisation["id"]) == before


def test_the_cached_list_shows_a_change_made_by_another_worker(client, run):
    organisation = create_organisation(client)
    create_processor(client, organisation["id"], legal_name="Alpha SAS")
    url = f"/api/v1/organisations/{organisation['id']}/processors"
    assert [p["legal_name"] for p in client.get(url).json()["items"]] == ["Alpha SAS"]
    assert client.get(url).json()["total"] == 1  # served again from the cache
    # Another worker (here: the store, outside this app) commits a change.
    run(changes.create_processor(organisation["id"], {"legal_name": "Beta SAS"}, "other worker"))
    assert [p["legal_name"] for p in client.get(url).json()["items"]] == ["Alpha SAS", "Beta SAS"]


def test_cached_answers_are_keyed_by_their_query(client):
    organisation = create_organisation(client)
    create_processor(client, organisation["id"], legal_name="Alpha SAS", status="approved")
    create_processor(client, organisation["id"], legal_name="Beta SAS", status="proposed")
    url = f"/api/v1/organisations/{organisation['id']}/processors"
    assert client.get(url, params={"status": "approved"}).json()["total"] == 1
    assert client.get(url).json()["total"] == 2
    assert client.get(url, params={"per_page": 1, "page": 2}).json()["items"][0]["legal_name"] == "Beta SAS"


def test_the_assessment_follows_the_register(client):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"], headquarters_country="US")
    url = f"/api/v1/processors/{processor['id']}/assessment"
    before = client.get(url).json()
    client.post(f"/api/v1/processors/{processor['id']}/locations", json={"country": "IN", "activity": "hosting"})
    after = client.get(url).json()
    assert after != before
    assert any("IN" in str(flow) for flow in after["transfers"])


def test_revision_cache_computes_once_per_revision():
    cache = RevisionCache(size=2)
    computed: list[str] = []

    async def compute(value: str):
        computed.append(value)
        await asyncio.sleep(0)
        return value

    async def scenario():
        # Ten concurrent misses of one key: one computation.
        results = await asyncio.gather(*(cache.get("a", 1, lambda: compute("a1")) for _ in range(10)))
        assert results == ["a1"] * 10
        assert await cache.get("a", 1, lambda: compute("again")) == "a1"
        assert await cache.get("a", 2, lambda: compute("a2")) == "a2"  # new revision
        await cache.get("b", 1, lambda: compute("b1"))
        await cache.get("c", 1, lambda: compute("c1"))  # evicts the least recently used: a
        assert await cache.get("a", 2, lambda: compute("a2 again")) == "a2 again"

    asyncio.run(scenario())
    assert computed == ["a1", "a2", "b1", "c1", "a2 again"]


def test_revision_cache_serves_one_event_loop_after_another():
    """A key's lock waited on in one event loop (a command, a test, a server) is not reused
    by the next loop: concurrent misses there wait on a lock of their own."""
    cache = RevisionCache(size=4)

    async def compute(value: str):
        await asyncio.sleep(0)
        return value

    async def misses(revision: int):
        return await asyncio.gather(*(cache.get("a", revision, lambda: compute(f"a{revision}")) for _ in range(5)))

    for revision in (1, 2, 3):  # each asyncio.run is a new event loop
        assert asyncio.run(misses(revision)) == [f"a{revision}"] * 5


def test_token_use_is_written_at_most_once_per_resolution(client, run):
    organisation = create_organisation(client)
    url = f"/api/v1/organisations/{organisation['id']}"
    client.get(url)
    first = run(ApiToken.select(ApiToken.last_used_at).first())["last_used_at"]
    assert first is not None
    client.get(url)
    assert run(ApiToken.select(ApiToken.last_used_at).first())["last_used_at"] == first
    # A use older than the resolution is written again.
    old = datetime.now(timezone.utc) - TOKEN_USE_RESOLUTION - timedelta(seconds=1)
    run(ApiToken.update({ApiToken.last_used_at: old}, force=True))
    client.get(url)
    assert run(ApiToken.select(ApiToken.last_used_at).first())["last_used_at"] > old


def test_after_a_write_the_register_is_read_and_assessed_again_from_what_changed(client, run):
    """The next revision's register reuses the objects of the processors whose
    records did not change (a child record counts), and its assessment — only
    the changed processors assessed again — is exactly a full assessment's."""
    organisation = create_organisation(client)["id"]
    host = create_processor(client, organisation, legal_name="Host", headquarters_country="US")
    user = create_processor(client, organisation, legal_name="User", headquarters_country="FR")
    alone = create_processor(client, organisation, legal_name="Alone", headquarters_country="IN")
    run(changes.add_sub_processor(
        organisation, user["id"], {"name": "Host", "countries": ["US"], "registered_processor_id": host["id"]}, "t"
    ))
    day = date(2026, 11, 29)
    first_snapshot, first = run(snapshots.register_assessment(organisation, day))

    # A child record of the host changes: the host and the processor using it change.
    run(changes.add_location(organisation, host["id"], {"country": "CN"}, "t"))
    snapshot, assessment = run(snapshots.register_assessment(organisation, day))
    assert snapshot.revision != first_snapshot.revision
    assert snapshot.registry[alone["id"]] is first_snapshot.registry[alone["id"]]
    assert snapshot.registry[user["id"]] is first_snapshot.registry[user["id"]]  # its own record is the same
    assert snapshot.registry[host["id"]] is not first_snapshot.registry[host["id"]]
    assert snapshot.registry[host["id"]].locations[-1].country == "CN"

    fresh = run(reads.load_register(organisation))
    assert list(snapshot.processors) == fresh
    assert assessment == assess_register(fresh, as_of=day)
    earlier = {a.processor_id: a for a in first.processors}
    now = {a.processor_id: a for a in assessment.processors}
    assert now[alone["id"]] is earlier[alone["id"]]
    assert now[user["id"]] is not earlier[user["id"]]  # its chain reaches the changed host
    assert any(route.country == "CN" for route in now[user["id"]].transfers)


def test_an_api_read_takes_the_revision_from_the_token_query(client, monkeypatch):
    """The token's query reads the revisions of the caller's organisations with
    the account: a cached read asks nothing more, and still sees every write
    acknowledged before it."""
    asked: list[int] = []
    original = snapshots.fetch_value

    async def counting(statement: str, *values):
        if "revision" in statement:
            asked.append(values[0])
        return await original(statement, *values)

    monkeypatch.setattr(snapshots, "fetch_value", counting)
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"], legal_name="Alpha SAS")
    url = f"/api/v1/organisations/{organisation['id']}/processors"
    assert client.get(url).json()["items"][0]["trade_name"] == ""
    changed = client.patch(
        f"/api/v1/processors/{processor['id']}", json={"version": processor["version"], "trade_name": "Alpha"}
    )
    assert changed.status_code == 200
    assert client.get(url).json()["items"][0]["trade_name"] == "Alpha"
    assert client.get(f"/api/v1/processors/{processor['id']}/assessment").status_code == 200
    assert asked == []


def test_a_rebuilt_register_is_cached_per_date_and_revision(client, run):
    """The history's rebuild (a replay of the trail) runs once per organisation, date and
    revision; any audited write gives a new revision, so the next read rebuilds."""
    from register.store import history

    organisation = create_organisation(client)["id"]
    create_processor(client, organisation, legal_name="First")
    day = date.today()
    misses = snapshots.HISTORIES.misses
    first = run(history.register_on(organisation, day))
    assert run(history.register_on(organisation, day)) is first
    assert snapshots.HISTORIES.misses == misses + 1
    past, assessment = run(history.assessed_register_on(organisation, day))
    assert past is first and run(history.assessed_register_on(organisation, day))[1] is assessment
    assert assessment == assess_register(first.processors, as_of=day)
    with pytest.raises(NotFound):  # the day before the organisation existed: not cached
        run(history.register_on(organisation, day - timedelta(days=1)))

    create_processor(client, organisation, legal_name="Second")  # a write: a new revision
    again = run(history.register_on(organisation, day))
    assert again is not first
    assert sorted(p.legal_name for p in again.processors) == ["First", "Second"]
    assert len(snapshots.HISTORIES._entries) <= snapshots.HISTORIES.size
