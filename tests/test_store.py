"""The store: fixed query counts, transactions that roll back whole, the audit trail."""

from __future__ import annotations

from datetime import date

import pytest

from register.database import DB
from register.store import changes, reads
from register.store.errors import InvalidReference
from register.tables import AuditEvent, Processor, SubProcessor
from register.intake.subprocessor_lists import list_from_text
from register.store import library, notices
from register.compliance.library import VendorFacts
from register.vocabulary import NoticeChannel, NoticeKind, NoticeStatus
from tests.api_support import create_organisation, create_processor


async def _record_notice(organisation_id: int, processor_id: int, received_on: date, days: int | None = None,
                         business: bool = False) -> notices.Notice:
    listed = list_from_text("| Name | Purpose | Location |\n|---|---|---|\n| Mailer Inc. | E-mail | United States |\n")
    return await notices.record_notice(
        organisation_id, processor_id, listed, kind=NoticeKind.CHANGE, channel=NoticeChannel.EMAIL,
        received_on=received_on, source="pasted", content="", actor="t",
        stated_notice_days=days, stated_business_days=business,
    )


async def _processor_with_children(organisation_id: int, children: int) -> int:
    processor = await changes.create_processor(organisation_id, {"legal_name": "P"}, "test")
    for index in range(children):
        await changes.add_location(organisation_id, processor.id, {"country": "FR"}, "test")
        await changes.add_sub_processor(
            organisation_id, processor.id, {"name": f"S{index}", "countries": ["US"]}, "test"
        )
        await changes.add_safeguard(
            organisation_id, processor.id, {"country": "US", "mechanism": "bcr"}, "test"
        )
    await changes.create_agreement(organisation_id, processor.id, {}, "test")
    for item in ("art28_3_a", "art28_3_b", "art28_3_c")[: max(1, min(children, 3))]:
        await changes.put_clause(organisation_id, processor.id, item, {"status": "present"}, None, "test")
    return processor.id


def test_loading_a_processor_takes_the_same_queries_whatever_its_size(run, count_queries):
    async def scenario() -> list[int]:
        organisation = await changes.create_organisation({"name": "O", "country": "FR"}, "test")
        small = await _processor_with_children(organisation.id, 1)
        large = await _processor_with_children(organisation.id, 12)
        counts = []
        for processor_id in (small, large):
            count_queries.count = 0
            loaded = await reads.load_processor(processor_id)
            counts.append(count_queries.count)
        assert len(loaded.sub_processors) == 12 and len(loaded.agreement.clauses) == 3
        return counts

    small_count, large_count = run(scenario())
    # One statement building a JSON document, on both engines.
    assert small_count == large_count == 1


def test_the_json_document_load_equals_the_orm_load(run, database):
    """The register built as one JSON document by the database, SQLite or
    PostgreSQL (outside a transaction), is exactly what the ORM's eight selects
    build (inside one), pending sub-processor change notices included (and only
    the pending ones), and each processor's link to the firm's vendor library
    (the vendor's name and latest version, the accepted and dismissed versions)."""

    async def scenario():
        organisation = await changes.create_organisation({"name": "O", "country": "FR"}, "test")
        sized = [await _processor_with_children(organisation.id, size) for size in (0, 1, 5, 12)]
        firm = await library.create_firm("Firm", "t")
        await library.attach_organisation(firm.id, organisation.id, "t")
        behind = await library.create_vendor(firm.id, VendorFacts(legal_name='Vendor "A" « é »'), "t")
        dismissed = await library.create_vendor(firm.id, VendorFacts(legal_name="Vendor B"), "t")
        await library.link_processor(organisation.id, sized[0], behind.id, "t")
        await library.link_processor(organisation.id, sized[1], dismissed.id, "t")
        await library.update_vendor(firm.id, behind.id, VendorFacts(legal_name='Vendor "A" « é »', website="https://a.example"), 1, "t")
        for version in (1, 2):
            await library.update_vendor(firm.id, dismissed.id, VendorFacts(legal_name="Vendor B", trade_name=f"B{version}"), version, "t")
        link = (await library.review_link(organisation.id, sized[1])).link
        await library.dismiss_change(organisation.id, sized[1], link.version, 2, "t")
        await changes.create_processor(organisation.id, {"legal_name": "Bare", "certifications": ["ISO"]}, "t")
        # Text that needs escaping, dates, booleans and numbers, a chain, and
        # clause rows whose ids are not in the order of their items.
        detailed = await changes.create_processor(
            organisation.id,
            {
                "legal_name": 'Quote " back\\slash « é » \u2028 tab\t',
                "dpf_certified": True,
                "dpf_checked_on": date(2026, 1, 31),
                "special_category_data": False,
                "retention_months": 36,
                "next_review_on": date(2027, 2, 28),
                "data_categories": ["identity", "e-mail"],
            },
            "t",
        )
        host = await changes.create_processor(organisation.id, {"legal_name": "Host"}, "t")
        await changes.add_sub_processor(
            organisation.id, detailed.id, {"name": "Hosted", "countries": ["US", "JP"], "registered_processor_id": host.id}, "t"
        )
        await changes.create_agreement(organisation.id, detailed.id, {"signed_on": date(2025, 5, 1), "breach_notice_hours": 24}, "t")
        for item in ("art28_3_h", "art28_3_c", "art28_3_a"):
            await changes.put_clause(organisation.id, detailed.id, item, {"status": "partial"}, None, "t")
        later = await _record_notice(organisation.id, detailed.id, date(2026, 11, 20), days=10, business=True)
        await _record_notice(organisation.id, detailed.id, date(2026, 11, 2))
        decided = await _record_notice(organisation.id, detailed.id, date(2026, 11, 1), days=30)
        await notices.object_to_notice(organisation.id, decided.id, decided.version, "Not in the EEA", "t")
        await _record_notice(organisation.id, host.id, date(2026, 10, 5), days=30)
        direct = await reads.load_register(organisation.id)
        async with DB.transaction():
            through_orm = await reads.load_register(organisation.id)
        return direct, through_orm

    direct, through_orm = run(scenario())
    assert len(direct) == 7
    assert direct == through_orm
    detailed = next(p for p in direct if p.legal_name.startswith("Quote"))
    assert [c.item for c in detailed.agreement.clauses] == ["art28_3_h", "art28_3_c", "art28_3_a"]
    assert detailed.dpf_certified is True and detailed.special_category_data is False
    # Pending notices only, oldest first, with the fields the rule needs.
    assert [(n.received_on, n.stated_notice_days, n.stated_business_days, n.status) for n in detailed.pending_notices] == [
        (date(2026, 11, 2), None, False, NoticeStatus.PENDING),
        (date(2026, 11, 20), 10, True, NoticeStatus.PENDING),
    ]
    host = next(p for p in direct if p.legal_name == "Host")
    assert [n.stated_notice_days for n in host.pending_notices] == [30]
    # One processor's load (and its rows' text) says the same.
    rows = run(reads.load_register_rows(detailed.organisation_id))
    assert dict(rows)[detailed.id].count('"received_on"') == 2
    # The library links: one behind, one with a dismissed version older than the latest.
    links = sorted((p.library_link for p in direct if p.library_link is not None), key=lambda l: l.vendor_id)
    assert [(l.vendor_name, l.accepted_version, l.vendor_version, l.dismissed_version) for l in links] == [
        ('Vendor "A" « é »', 1, 2, None),
        ("Vendor B", 1, 3, 2),
    ]
    assert detailed.library_link is None


def test_loading_a_register_takes_the_same_queries_whatever_its_size(run, count_queries):
    async def scenario() -> list[int]:
        counts = []
        for size in (1, 8):
            organisation = await changes.create_organisation({"name": f"O{size}", "country": "FR"}, "t")
            for _ in range(size):
                await _processor_with_children(organisation.id, 2)
            count_queries.count = 0
            register = await reads.load_register(organisation.id)
            counts.append(count_queries.count)
            assert len(register) == size
        return counts

    assert run(scenario()) == [1, 1]


def test_failed_write_leaves_the_database_as_it_was(run, database):
    async def scenario() -> None:
        organisation = await changes.create_organisation({"name": "O", "country": "FR"}, "t")
        processor = await changes.create_processor(organisation.id, {"legal_name": "P"}, "t")
        events_before = await AuditEvent.count()
        with pytest.raises(InvalidReference):
            await changes.add_sub_processor(
                organisation.id, processor.id, {"name": "S", "registered_processor_id": 999}, "t"
            )
        assert await SubProcessor.count() == 0
        assert await AuditEvent.count() == events_before

    run(scenario())


def test_error_after_a_write_rolls_the_write_back(run, database, monkeypatch):
    """An error raised after the row is inserted (here: by the audit write) undoes the insert."""
    from register.store import writes

    async def failing_audit(*args, **kwargs):
        raise RuntimeError("disk full")

    async def scenario() -> None:
        organisation = await changes.create_organisation({"name": "O", "country": "FR"}, "t")
        monkeypatch.setattr(writes, "record_audit", failing_audit)
        with pytest.raises(RuntimeError):
            await changes.create_processor(organisation.id, {"legal_name": "P"}, "t")
        assert await Processor.count() == 0

    run(scenario())


def test_every_change_is_audited_with_before_and_after(client):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"], trade_name="Old")
    client.patch(f"/api/v1/processors/{processor['id']}", json={"version": 1, "trade_name": "New"})
    client.post(f"/api/v1/processors/{processor['id']}/locations", json={"country": "FR"})
    client.delete(f"/api/v1/processors/{processor['id']}")
    events = client.get(f"/api/v1/organisations/{organisation['id']}/audit-events").json()["items"]
    summary = [(e["entity"], e["action"]) for e in reversed(events)]
    assert summary == [
        ("organisation", "create"),
        ("processor", "create"),
        ("processor", "update"),
        ("location", "create"),
        ("processor", "delete"),
    ]
    update = events[2]
    assert update["before"]["trade_name"] == "Old" and update["after"]["trade_name"] == "New"
    assert update["entity_id"] == processor["id"] and update["actor"] == "tester@example.test"
    assert events[0]["before"]["legal_name"] == "Vendor SAS" and events[0]["after"] is None


def test_audit_trail_outlives_a_deleted_organisation(run, database):
    async def scenario() -> None:
        organisation = await changes.create_organisation({"name": "Gone", "country": "FR"}, "t")
        await changes.create_processor(organisation.id, {"legal_name": "P"}, "t")
        await changes.delete_organisation(organisation.id, "t")
        actions = await AuditEvent.select(AuditEvent.action).where(
            AuditEvent.organisation_id == organisation.id
        )
        assert [a["action"] for a in actions] == ["create", "create", "delete"]
        assert await Processor.count() == 0

    run(scenario())


def test_no_route_changes_or_deletes_audit_events(app, client):
    """Every route of the app (API and pages, documented or not) only reads the audit trail."""
    from tests.test_access_isolation import routes_of

    audit_routes = [(method, path) for method, path, _ in routes_of(app) if "audit" in path]
    assert audit_routes, "the audit trail is readable somewhere"
    assert {method for method, _ in audit_routes} <= {"GET", "HEAD", "OPTIONS"}, audit_routes
    paths = client.get("/schema/openapi.json").json()["paths"]
    assert {path for path in paths if "audit" in path}  # and documented
    for path, operations in paths.items():
        if "audit" in path:
            assert set(operations) <= {"get"}, path


def test_one_processor_assessed_from_its_chain_equals_it_assessed_in_the_whole_register(run, database):
    """The API assesses one processor from it and the registered processors its chains
    reach (reads.load_processor_chain): the same findings as with the whole register."""
    from datetime import date

    from register.compliance import assess_processor
    from register.demo import demo_document
    from register.store.portability import import_document

    async def scenario():
        organisation_id = await import_document(demo_document(date(2026, 11, 30)), "test")
        register = await reads.load_register(organisation_id)
        return organisation_id, register

    organisation_id, register = run(scenario())
    registry = {p.id: p for p in register}
    as_of = date(2026, 11, 30)
    chained = 0
    for processor in register:
        chain = run(reads.load_processor_chain(processor.id, organisation_id))
        chained += len(chain) > 1
        assert assess_processor(processor, as_of=as_of, registry=chain) == assess_processor(
            processor, as_of=as_of, registry=registry
        ), processor.display_name
    assert chained  # the demo has registered sub-processors: chains were followed
