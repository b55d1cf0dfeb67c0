"""The register's history: rebuilt from the audit trail, it equals the live
register now and at every moment in between (property test over random writes)."""

from __future__ import annotations

from dataclasses import replace

from datetime import date, datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from register.history.replay import TrailEvent, processors_of, replay
from register.store import changes, history, reads
from register.store.errors import NotFound
from register.store.portability import export_organisation, import_organisation
from tests.access_support import seeded_register

OPERATIONS = (
    "create_processor", "update_processor", "delete_processor",
    "add_location", "update_location", "delete_location",
    "add_sub_processor", "update_sub_processor", "delete_sub_processor",
    "add_safeguard", "update_safeguard", "delete_safeguard",
    "create_agreement", "update_agreement", "delete_agreement",
    "put_clause", "update_organisation",
)
COUNTRIES = ("FR", "US", "DE", "BR", "IN")
ITEMS = ("art28_3_a", "art28_3_b", "art28_3_c")
steps = st.lists(
    st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 50), st.integers(0, 50), st.sampled_from(COUNTRIES)),
    min_size=1,
    max_size=18,
)


async def apply_step(organisation_id: int, operation: str, first: int, second: int, country: str) -> None:
    """One write through the store, aimed at existing records by index (skipped when there is none)."""
    register = await reads.load_register(organisation_id)
    processor = register[first % len(register)] if register else None
    other = register[second % len(register)] if register else None
    if operation == "create_processor" or processor is None:
        await changes.create_processor(
            organisation_id, {"legal_name": f"Vendor {first}", "headquarters_country": country}, "alice@x.example"
        )
        return
    pid = processor.id
    if operation == "update_processor":
        await changes.update_processor(
            organisation_id, pid,
            {"trade_name": f"T{second}", "dpf_certified": second % 3 == 0, "dpf_checked_on": date(2026, 1, 1 + second % 28)},
            processor.version, "bob@x.example",
        )
    elif operation == "delete_processor":
        await changes.delete_processor(organisation_id, pid, "bob@x.example")
    elif operation == "update_organisation":
        organisation = await reads.load_organisation(organisation_id)
        await changes.update_organisation(organisation_id, {"dpo_name": f"DPO {second}"}, organisation.version, "a")
    elif operation == "add_location":
        await changes.add_location(organisation_id, pid, {"country": country, "note": str(second)}, "a")
    elif operation == "add_sub_processor":
        registered = other.id if other is not None and other.id != pid and second % 2 else None
        await changes.add_sub_processor(
            organisation_id, pid, {"name": f"Sub {second}", "countries": [country], "registered_processor_id": registered}, "a"
        )
    elif operation == "add_safeguard":
        sub = processor.sub_processors[second % len(processor.sub_processors)].id if processor.sub_processors and second % 2 else None
        await changes.add_safeguard(
            organisation_id, pid, {"country": country, "mechanism": "scc_2021", "scc_module": 2, "sub_processor_id": sub}, "a"
        )
    elif operation in ("update_location", "delete_location", "update_sub_processor", "delete_sub_processor",
                       "update_safeguard", "delete_safeguard"):
        await child_step(organisation_id, processor, operation, second, country)
    elif operation == "create_agreement" and processor.agreement is None:
        await changes.create_agreement(organisation_id, pid, {"reference": f"DPA {second}"}, "a")
    elif operation == "update_agreement" and processor.agreement is not None:
        await changes.update_agreement(
            organisation_id, pid, {"objection_notice_days": second}, processor.agreement.version, "a"
        )
    elif operation == "delete_agreement" and processor.agreement is not None:
        await changes.delete_agreement(organisation_id, pid, "a")
    elif operation == "put_clause" and processor.agreement is not None:
        item = ITEMS[second % len(ITEMS)]
        current = next((c for c in processor.agreement.clauses if c.item == item), None)
        status = ("present", "partial", "absent")[second % 3]
        await changes.put_clause(
            organisation_id, pid, item, {"status": status}, current.version if current else None, "a"
        )


async def child_step(organisation_id: int, processor, operation: str, second: int, country: str) -> None:
    verb, kind = operation.split("_", 1)
    kind = {"location": "location", "sub_processor": "sub_processor", "safeguard": "safeguard"}[kind]
    records = {"location": processor.locations, "sub_processor": processor.sub_processors,
               "safeguard": processor.safeguards}[kind]
    if not records:
        return
    record = records[second % len(records)]
    if verb == "delete":
        await changes.delete_child(kind, organisation_id, processor.id, record.id, "a")
        return
    values = {"location": {"note": f"n{second}", "country": country},
              "sub_processor": {"purpose": f"p{second}", "countries": [country, "FR"]},
              "safeguard": {"tia_on": date(2025, 1 + second % 12, 1)}}[kind]
    await changes.update_child(kind, organisation_id, processor.id, record.id, values, record.version, "a")


def by_id(processors):
    """The processors by id, without their link to the firm's vendor library: the library is
    not part of the register's audit trail, so the history does not replay it (README, "Firms
    and the vendor library")."""
    return sorted((replace(p, library_link=None) for p in processors), key=lambda p: p.id)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
def test_the_history_rebuilt_equals_the_register_now_and_at_every_step(run, database, sequence):
    async def scenario() -> None:
        organisation = await changes.create_organisation({"name": "Org", "country": "FR"}, "alice@x.example")
        seen = []
        for step in sequence:
            await apply_step(organisation.id, *step)
            seen.append((
                datetime.now(timezone.utc),
                await reads.load_organisation(organisation.id),
                await reads.load_register(organisation.id),
            ))
        for moment, organisation_then, register_then in seen:
            past = await history.register_at(organisation.id, moment)
            assert past.organisation == organisation_then
            assert by_id(past.processors) == by_id(register_then)
            assert past.gaps == 0
        now = await history.register_at(organisation.id, datetime.now(timezone.utc))
        assert by_id(now.processors) == by_id(await reads.load_register(organisation.id))

    run(scenario())


def test_an_imported_register_is_rebuilt_whole(run, database):
    async def scenario() -> None:
        ids = await seeded_register()
        past = await history.register_at(ids.organisation_id, datetime.now(timezone.utc))
        live = await reads.load_register(ids.organisation_id)
        assert past.gaps == 0 and len(live) > 3
        assert by_id(past.processors) == by_id(live)
        # Deleting a processor another one names as a sub-processor empties that reference
        # in the database without an event of its own: the rebuild does the same.
        named = next(s.registered_processor_id for p in live for s in p.sub_processors if s.registered_processor_id)
        await changes.delete_processor(ids.organisation_id, named, "a")
        now = await history.register_at(ids.organisation_id, datetime.now(timezone.utc))
        assert by_id(now.processors) == by_id(await reads.load_register(ids.organisation_id))
        # An exported and re-imported register too (a second organisation).
        copy = await import_organisation(await export_organisation(ids.organisation_id), "a")
        copied = await history.register_at(copy, datetime.now(timezone.utc))
        assert by_id(copied.processors) == by_id(await reads.load_register(copy))

    run(scenario())


def test_before_the_organisation_existed_there_is_no_register(run, database):
    async def scenario() -> None:
        organisation = await changes.create_organisation({"name": "Org", "country": "FR"}, "a")
        try:
            await history.register_on(organisation.id, date(2000, 1, 1))
        except NotFound:
            return
        raise AssertionError("a register before its organisation existed")

    run(scenario())


def event(number: int, entity: str, action: str, before=None, after=None, entity_id=None) -> TrailEvent:
    subject = entity_id or (after or before or {}).get("id")
    return TrailEvent(number, datetime(2026, 1, 1, tzinfo=timezone.utc), "a", entity, subject, action, before, after)


def test_an_old_import_without_rows_is_reported_as_a_gap():
    rows = replay([event(1, "organisation", "import", after={"name": "O", "processors": 3})])
    assert len(rows.gaps) == 1 and processors_of(rows) == []


def test_a_bulk_created_processor_keeps_its_records_until_their_ids_are_known():
    created = {
        "id": 7, "organisation_id": 1, "legal_name": "Acme",
        "locations": [{"country": "US", "activity": "hosting", "note": ""}],
        "sub_processors": [{"name": "Cloud", "countries": ["US"]}],
        "safeguards": [{"country": "US", "mechanism": "scc_2021", "sub": "Cloud"}],
        "agreement": {"reference": "DPA"},
        "import": "sheet.xlsx",
    }
    rows = replay([event(1, "processor", "create", after=created)])
    (acme,) = processors_of(rows)
    assert acme.locations[0].id < 0 and acme.safeguards[0].sub_processor_id == acme.sub_processors[0].id
    assert acme.agreement is not None and acme.agreement.reference == "DPA"
    sub_before = {"id": 40, "processor": 7, "name": "Cloud", "countries": ["US"], "version": 1}
    sub_after = {**sub_before, "countries": ["US", "IE"], "version": 2}
    rows = replay([
        event(1, "processor", "create", after=created),
        event(2, "sub_processor", "update", before=sub_before, after=sub_after),
    ])
    (acme,) = processors_of(rows)
    assert [(s.id, s.countries) for s in acme.sub_processors] == [(40, ("US", "IE"))]
    assert acme.safeguards[0].sub_processor_id == 40


def test_a_register_imported_from_a_spreadsheet_and_updated_by_a_later_one_is_rebuilt(run, database):
    """The spreadsheet import's bulk writes record one event per row written (as insert_row does)."""
    from tests.test_store_intake import extract, import_file, new_organisation

    async def scenario() -> None:
        source = (await seeded_register()).organisation_id
        target = await new_organisation()
        await import_file(await extract(source, "xlsx", "en"), "first.xlsx", target)
        rebuilt = await history.register_at(target, datetime.now(timezone.utc))
        assert by_id(rebuilt.processors) == by_id(await reads.load_register(target))
        enrichly = next(p for p in await reads.load_register(source) if p.legal_name == "Enrichly SAS")
        await changes.update_processor(source, enrichly.id, {"next_review_on": date(2027, 3, 1)}, enrichly.version, "t")
        sub = enrichly.sub_processors[0]
        await changes.update_child("sub_processor", source, enrichly.id, sub.id, {"purpose": "Backups only"},
                                   sub.version, "t")
        await import_file(await extract(source, "xlsx", "en"), "second.xlsx", target)
        rebuilt = await history.register_at(target, datetime.now(timezone.utc))
        assert by_id(rebuilt.processors) == by_id(await reads.load_register(target))

    run(scenario())


def test_a_past_register_holds_the_notices_then_awaiting_a_decision(run, database):
    """A notice pending at a moment is in the rebuilt register of that moment (so the
    history's assessment raises its finding), and gone once it was decided."""
    from register.intake.subprocessor_lists import list_from_text
    from register.store import notices
    from register.vocabulary import NoticeChannel, NoticeKind

    async def scenario():
        organisation = await changes.create_organisation({"name": "Org", "country": "FR"}, "a")
        vendor = await changes.create_processor(organisation.id, {"legal_name": "Vendor"}, "a")
        listed = list_from_text("| Name | Location |\n|---|---|\n| Mailer Inc. | United States |\n")
        notice = await notices.record_notice(
            organisation.id, vendor.id, listed, kind=NoticeKind.CHANGE, channel=NoticeChannel.EMAIL,
            received_on=date(2026, 11, 20), source="pasted", content="", actor="a", stated_notice_days=10,
        )
        pending_moment = datetime.now(timezone.utc)
        await notices.object_to_notice(organisation.id, notice.id, notice.version, "No", "a")
        pending = await history.register_at(organisation.id, pending_moment)
        decided = await history.register_at(organisation.id, datetime.now(timezone.utc))
        return notice.id, pending, decided, await reads.load_register(organisation.id)

    notice_id, pending, decided, live = run(scenario())
    [(then,)] = [p.pending_notices for p in pending.processors]
    assert (then.id, then.received_on, then.stated_notice_days) == (notice_id, date(2026, 11, 20), 10)
    assert [p.pending_notices for p in decided.processors] == [()]
    assert by_id(decided.processors) == by_id(live)
