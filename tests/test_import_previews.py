"""Stored import previews and saved mappings (issue 11): the store alone, no spreadsheet engine.

A preview is a proposal: kept under a random id, scoped to its organisation,
committed once (the status check is inside the UPDATE), expired and purged
when nobody confirms it. The engine's JSON is opaque here.
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime, timedelta, timezone

import pytest

from register.store import import_previews as store
from register.store.errors import Conflict, NotFound, StaleVersion
from register.tables import ImportMapping, ImportPreview, Organisation, Processor

MAPPING = '{"kind":"columns","columns":{"legal_name":"Vendor"}}'
PREVIEW = '{"rows":[]}'


async def _organisation(name: str = "Acme SAS") -> int:
    row = await Organisation.insert(Organisation(name=name, country="FR")).returning(Organisation.id)
    return row[0]["id"]


async def _stored(organisation_id: int, content: bytes = b"Vendor\nAcme\n") -> store.StoredPreview:
    return await store.store_preview(organisation_id, "dpo@example.test", "vendors.csv", content, MAPPING, PREVIEW)


async def _add_processor(organisation_id: int, name: str) -> int:
    row = await Processor.insert(Processor(organisation=organisation_id, legal_name=name)).returning(Processor.id)
    return row[0]["id"]


def test_a_preview_is_kept_under_a_random_id_with_its_file_and_digest(database, run):
    organisation_id = run(_organisation())
    first = run(_stored(organisation_id))
    second = run(_stored(organisation_id))
    assert first.public_id != second.public_id and len(first.public_id) >= 32
    assert first.sha256 == hashlib.sha256(b"Vendor\nAcme\n").hexdigest()
    assert first.size_bytes == len(b"Vendor\nAcme\n") and first.status == "pending" and first.version == 1
    assert first.expires_at - first.created_at == timedelta(hours=24)
    loaded = run(store.load_preview(organisation_id, first.public_id, with_content=True))
    assert loaded.content == b"Vendor\nAcme\n" and loaded.mapping_json == MAPPING and loaded.preview_json == PREVIEW
    assert [p.public_id for p in run(store.list_previews(organisation_id))] == [second.public_id, first.public_id]


def test_another_organisations_preview_is_not_found(database, run):
    mine, theirs = run(_organisation("Mine")), run(_organisation("Theirs"))
    their_preview = run(_stored(theirs))
    with pytest.raises(NotFound):
        run(store.load_preview(mine, their_preview.public_id))
    with pytest.raises(NotFound):
        run(store.replace_preview(mine, their_preview.public_id, MAPPING, PREVIEW))
    with pytest.raises(NotFound):
        run(store.commit_preview(mine, their_preview.public_id, 1, "x", _nothing))
    with pytest.raises(NotFound):
        run(store.delete_preview(mine, their_preview.public_id))
    assert run(store.list_previews(mine)) == []
    assert run(store.load_preview(theirs, their_preview.public_id)).status == "pending"


async def _nothing(stored):
    return {"created": [], "updated": [], "unchanged": 0, "errors": 0}


def test_the_lifetime_is_a_setting_and_an_expired_preview_is_gone_then_purged(database, run, monkeypatch):
    monkeypatch.setenv("IMPORT_PREVIEW_HOURS", "2")
    organisation_id = run(_organisation())
    stored = run(_stored(organisation_id))
    assert stored.expires_at - stored.created_at == timedelta(hours=2)
    past = datetime.now(timezone.utc) - timedelta(minutes=1)
    run(ImportPreview.update({ImportPreview.expires_at: past}).where(ImportPreview.public_id == stored.public_id))
    with pytest.raises(NotFound):
        run(store.load_preview(organisation_id, stored.public_id))
    with pytest.raises(NotFound):
        run(store.commit_preview(organisation_id, stored.public_id, 1, "x", _nothing))
    fresh = run(_stored(organisation_id))  # an upload purges what expired, opportunistically
    assert run(ImportPreview.count()) == 1
    assert run(store.purge_expired_previews(datetime.now(timezone.utc) + timedelta(hours=3))) == 1
    assert run(ImportPreview.count()) == 0 and fresh.public_id


def test_purge_command_deletes_expired_previews(database, run, capsys):
    from register.cli import main

    organisation_id = run(_organisation())
    stored = run(_stored(organisation_id))
    run(ImportPreview.update({ImportPreview.expires_at: datetime.now(timezone.utc) - timedelta(seconds=1)}).where(
        ImportPreview.public_id == stored.public_id))
    assert main(["purge"]) == 0
    assert "1 expired import preview" in capsys.readouterr().err
    assert run(ImportPreview.count()) == 0


def test_a_commit_applies_once_and_keeps_the_outcome(database, run):
    organisation_id = run(_organisation())
    stored = run(_stored(organisation_id))
    applied = []

    async def apply(preview):
        applied.append(preview.public_id)
        return {"created": [await _add_processor(organisation_id, "Acme")], "updated": [], "unchanged": 0, "errors": 0}

    committed = run(store.commit_preview(organisation_id, stored.public_id, 1, "dpo@example.test", apply))
    assert committed.status == "committed" and committed.committed_by == "dpo@example.test"
    assert '"created":[' in committed.outcome_json and committed.version == 2
    assert run(store.load_preview(organisation_id, stored.public_id, with_content=True)).content == b""
    with pytest.raises(Conflict, match="already committed"):
        run(store.commit_preview(organisation_id, stored.public_id, 2, "dpo@example.test", apply))
    with pytest.raises(Conflict):
        run(store.replace_preview(organisation_id, stored.public_id, MAPPING, PREVIEW))
    assert applied == [stored.public_id] and run(Processor.count()) == 1


def test_a_failed_import_leaves_the_preview_pending_and_the_register_unchanged(database, run):
    organisation_id = run(_organisation())
    stored = run(_stored(organisation_id))

    async def failing(preview):
        await _add_processor(organisation_id, "Half written")
        raise Conflict("the register changed since the preview")

    with pytest.raises(Conflict):
        run(store.commit_preview(organisation_id, stored.public_id, 1, "x", failing))
    assert run(Processor.count()) == 0
    assert run(store.load_preview(organisation_id, stored.public_id)).status == "pending"


def test_a_commit_names_the_version_it_confirms(database, run):
    organisation_id = run(_organisation())
    stored = run(_stored(organisation_id))
    edited = run(store.replace_preview(organisation_id, stored.public_id, MAPPING, '{"rows":[1]}', version=1))
    assert edited.version == 2 and edited.preview_json == '{"rows":[1]}'
    with pytest.raises(StaleVersion):
        run(store.commit_preview(organisation_id, stored.public_id, 1, "x", _nothing))
    with pytest.raises(StaleVersion):
        run(store.replace_preview(organisation_id, stored.public_id, MAPPING, PREVIEW, version=1))
    assert run(store.commit_preview(organisation_id, stored.public_id, 2, "x", _nothing)).status == "committed"


@pytest.mark.postgres_only
def test_commits_at_once_on_postgresql_have_exactly_one_winner(database, run):
    """Ten commits of one preview in parallel transactions (each its own connection): one applies."""
    organisation_id = run(_organisation())
    stored = run(_stored(organisation_id))

    async def apply(preview):
        await asyncio.sleep(0.05)  # widen the window a racing commit would use
        return {"created": [await _add_processor(organisation_id, "Once SAS")], "updated": [], "unchanged": 0, "errors": 0}

    async def race():
        return await asyncio.gather(
            *(store.commit_preview(organisation_id, stored.public_id, 1, f"u{n}", apply) for n in range(10)),
            return_exceptions=True,
        )

    outcomes = run(race())
    winners = [o for o in outcomes if isinstance(o, store.StoredPreview)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, (Conflict, StaleVersion)) for o in outcomes if o not in winners), outcomes
    assert run(Processor.count().where(Processor.legal_name == "Once SAS")) == 1


def test_a_mapping_is_saved_under_a_name_unique_per_organisation(database, run):
    mine, theirs = run(_organisation("Mine")), run(_organisation("Theirs"))
    saved = run(store.save_mapping(mine, "CNIL 2025", MAPPING, "dpo@example.test"))
    again = run(store.save_mapping(mine, "CNIL 2025", '{"kind":"cnil"}', "dpo@example.test"))
    assert again.id == saved.id and again.version == 2 and again.mapping_json == '{"kind":"cnil"}'
    run(store.save_mapping(theirs, "CNIL 2025", MAPPING, "x"))  # the same name elsewhere
    assert [m.name for m in run(store.list_mappings(mine))] == ["CNIL 2025"]
    with pytest.raises(NotFound):
        run(store.load_mapping(mine, run(store.list_mappings(theirs))[0].id))
    with pytest.raises(NotFound):
        run(store.delete_mapping(mine, run(store.list_mappings(theirs))[0].id, "x"))
    run(store.delete_mapping(mine, saved.id, "x"))
    assert run(store.list_mappings(mine)) == [] and len(run(store.list_mappings(theirs))) == 1


def test_the_database_refuses_two_mappings_of_one_name(database, run):
    organisation_id = run(_organisation())
    run(ImportMapping.insert(ImportMapping(organisation=organisation_id, name="Same", mapping=MAPPING)))
    with pytest.raises(Exception):
        run(ImportMapping.insert(ImportMapping(organisation=organisation_id, name="Same", mapping=MAPPING)))

