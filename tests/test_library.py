"""Firms and the vendor library (issue 14): the store's rules, the copy into a client's
register, the change to review (never applied silently), export/import without the
library, and isolation between the firm's clients."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from register.compliance.library import (
    VendorClause,
    VendorFacts,
    VendorLocation,
    VendorSubProcessor,
    compare_facts,
)
from register.store import library, reads
from register.store.errors import Conflict, InvalidReference, NotFound, StaleVersion
from register.vocabulary import ClauseStatus, LocationActivity, Role

CRM = VendorFacts(
    legal_name="Salesy Inc.",
    trade_name="Salesy",
    website="https://salesy.example",
    country="US",
    locations=(VendorLocation("IE"), VendorLocation("US", LocationActivity.SUPPORT_ACCESS)),
    sub_processors=(
        VendorSubProcessor("Amazon Web Services EMEA SARL", ("IE",), "Hosting", None),
        VendorSubProcessor("Mailgun Technologies, Inc.", ("US",), "E-mail delivery", True),
    ),
    certifications=("ISO 27001",),
    dpf_certified=True,
    dpf_checked_on=date(2026, 11, 2),
    clauses=(VendorClause("art28_3_a", ClauseStatus.PRESENT), VendorClause("art28_3_f", ClauseStatus.PARTIAL)),
)


async def new_client(name: str) -> int:
    from register.demo import demo_document
    from register.store.portability import import_document

    import msgspec

    document = demo_document()
    document = msgspec.structs.replace(document, organisation=msgspec.structs.replace(document.organisation, name=name))
    return await import_document(document, "test")


async def first_processor(organisation_id: int):
    register = await reads.load_register(organisation_id)
    return next(p for p in register if p.agreement is not None and p.sub_processors)


async def firm_with_two_clients():
    """A firm, two client registers (copies of the demo), one library vendor, a processor of
    client A linked to it."""
    firm = await library.create_firm("Cabinet Conseil RGPD", "admin@firm.example")
    a, b = await new_client("Client A"), await new_client("Client B")
    await library.attach_organisation(firm.id, a, "admin@firm.example")
    await library.attach_organisation(firm.id, b, "admin@firm.example")
    vendor = await library.create_vendor(firm.id, CRM, "keeper@firm.example")
    processor = await first_processor(a)
    return firm, a, b, vendor, processor


def test_compare_facts_names_each_difference():
    newer = replace(
        CRM,
        sub_processors=(*CRM.sub_processors[:1], VendorSubProcessor("Twilio Inc.", ("US",), "SMS", None)),
        dpf_certified=False,
        locations=(VendorLocation("IE"),),
    )
    changes = {(c.fact, c.kind, c.name) for c in compare_facts(CRM, newer)}
    assert changes == {
        ("sub_processors", "added", "Twilio Inc."),
        ("sub_processors", "removed", "Mailgun Technologies, Inc."),
        ("dpf", "changed", ""),
        ("locations", "removed", "US:support_access"),
    }
    assert compare_facts(CRM, CRM) == ()


def test_linking_copies_the_shared_facts_and_keeps_the_clients_own(database, run):
    async def scenario():
        firm, a, _, vendor, processor = await firm_with_two_clients()
        review = await library.link_processor(a, processor.id, vendor.id, "dpo@a.example")
        after = await reads.load_processor(processor.id, a)
        return processor, after, review

    before, after, review = run(scenario())
    assert review.link.accepted_version == 1 and not review.pending
    assert (after.legal_name, after.trade_name, after.headquarters_country) == ("Salesy Inc.", "Salesy", "US")
    assert after.dpf_certified is True and after.dpf_checked_on == date(2026, 11, 2)
    assert after.certifications == ("ISO 27001",)
    assert {(l.country, l.activity.value) for l in after.locations} == {("IE", "hosting"), ("US", "support_access")}
    assert {s.name for s in after.sub_processors} == {"Amazon Web Services EMEA SARL", "Mailgun Technologies, Inc."}
    # The client's own facts stay.
    assert after.purposes == before.purposes and after.data_categories == before.data_categories
    assert after.agreement.signed_on == before.agreement.signed_on
    # The reading fills only the items the client had not assessed.
    statuses_before = {c.item: c.status for c in before.agreement.clauses}
    statuses_after = {c.item: c.status for c in after.agreement.clauses}
    for item, status in statuses_before.items():
        if status != ClauseStatus.UNASSESSED:
            assert statuses_after[item] == status


def test_a_library_change_is_reviewed_never_applied_silently(database, run):
    async def scenario():
        from register.store.audit import load_audit_page

        firm, a, b, vendor, processor = await firm_with_two_clients()
        await library.link_processor(a, processor.id, vendor.id, "dpo@a.example")
        newer = replace(
            CRM, sub_processors=(*CRM.sub_processors, VendorSubProcessor("Twilio Inc.", ("US",), "SMS", None)),
            dpf_certified=False,
        )
        updated = await library.update_vendor(firm.id, vendor.id, newer, 1, "keeper@firm.example")
        untouched = await reads.load_processor(processor.id, a)
        pending = await library.pending_changes(a)
        review = pending[0]
        # A stale library write changes nothing.
        with pytest.raises(StaleVersion):
            await library.update_vendor(firm.id, vendor.id, CRM, 1, "keeper@firm.example")
        accepted = await library.accept_change(a, processor.id, review.link.version, updated.version, "dpo@a.example")
        applied = await reads.load_processor(processor.id, a)
        trail = await load_audit_page(a, 1, 200)
        return updated, untouched, pending, accepted, applied, trail, await library.pending_changes(a)

    updated, untouched, pending, accepted, applied, trail, after = run(scenario())
    assert updated.version == 2
    assert updated.recorded["sub_processors"].by == "keeper@firm.example"
    assert updated.recorded["legal_name"].by == "keeper@firm.example"
    assert "Twilio Inc." not in {s.name for s in untouched.sub_processors}  # not silently applied
    assert untouched.dpf_certified is True
    assert len(pending) == 1 and pending[0].pending
    assert {(c.fact, c.kind) for c in pending[0].changes} == {("sub_processors", "added"), ("dpf", "changed")}
    assert accepted.link.accepted_version == 2 and not accepted.pending
    assert "Twilio Inc." in {s.name for s in applied.sub_processors} and applied.dpf_certified is False
    assert after == []
    entities = {event.entity for event in trail.items}
    assert {"library_link", "sub_processor", "processor"} <= entities


def test_dismissing_keeps_the_register_and_a_newer_change_shows_again(database, run):
    async def scenario():
        firm, a, _, vendor, processor = await firm_with_two_clients()
        await library.link_processor(a, processor.id, vendor.id, "dpo@a.example")
        v2 = await library.update_vendor(firm.id, vendor.id, replace(CRM, website="https://salesy.example/eu"), 1, "k@f.example")
        link = (await library.pending_changes(a))[0].link
        dismissed = await library.dismiss_change(a, processor.id, link.version, v2.version, "dpo@a.example")
        kept = await reads.load_processor(processor.id, a)
        quiet = await library.pending_changes(a)
        with pytest.raises(StaleVersion):  # the link's version is checked inside the UPDATE
            await library.accept_change(a, processor.id, link.version, v2.version, "dpo@a.example")
        await library.update_vendor(firm.id, vendor.id, replace(CRM, website="https://salesy.example/de"), 2, "k@f.example")
        return dismissed, kept, quiet, await library.pending_changes(a)

    dismissed, kept, quiet, again = run(scenario())
    assert dismissed.link.dismissed_version == 2 and not dismissed.pending
    assert kept.website == "https://salesy.example"
    assert quiet == []
    assert len(again) == 1 and again[0].vendor_version == 3
    # The diff is from what the register holds (version 1), not from the dismissed version.
    assert [(c.fact, c.after) for c in again[0].changes] == [("website", "https://salesy.example/de")]


def test_link_rules(database, run):
    async def scenario():
        firm, a, b, vendor, processor = await firm_with_two_clients()
        other_firm = await library.create_firm("Autre cabinet", "x@other.example")
        stranger = await new_client("Client C")
        await library.attach_organisation(other_firm.id, stranger, "x@other.example")
        with pytest.raises(Conflict):  # one firm per organisation
            await library.attach_organisation(other_firm.id, a, "x@other.example")
        stranger_processor = await first_processor(stranger)
        with pytest.raises(InvalidReference) as refused:  # another firm's vendor
            await library.link_processor(stranger, stranger_processor.id, vendor.id, "dpo@c.example")
        assert refused.value.field == "vendor_id"
        with pytest.raises(NotFound):  # a processor of another organisation
            await library.link_processor(b, processor.id, vendor.id, "dpo@b.example")
        await library.link_processor(a, processor.id, vendor.id, "dpo@a.example")
        with pytest.raises(Conflict):
            await library.link_processor(a, processor.id, vendor.id, "dpo@a.example")
        with pytest.raises(InvalidReference):
            await library.create_vendor(firm.id, replace(CRM, legal_name="  "), "k@f.example")
        with pytest.raises(Conflict):
            await library.create_vendor(firm.id, CRM, "k@f.example")
        with pytest.raises(InvalidReference):
            await library.create_vendor(firm.id, replace(CRM, legal_name="X", clauses=(VendorClause("nope", ClauseStatus.PRESENT),)), "k")
        ended = await library.detach_organisation(firm.id, a, "admin@firm.example")
        return ended, await library.link_of_processor(a, processor.id), await reads.load_processor(processor.id, a)

    ended, link, kept = run(scenario())
    assert ended == 1 and link is None
    assert kept.legal_name == "Salesy Inc."  # the copied facts stay


def test_standing_in_a_firm(database, run, make_user, grant):
    firm_admin = make_user("admin@firm.example")
    keeper = make_user("keeper@firm.example")
    client_dpo = make_user("dpo@a.example")
    client_auditor = make_user("auditor@a.example")

    async def scenario():
        firm = await library.create_firm("Cabinet", "cli", admin_user_id=firm_admin)
        await library.set_firm_member(firm.id, keeper, "member", "admin@firm.example")
        a = await new_client("Client A")
        await library.attach_organisation(firm.id, a, "cli")
        with pytest.raises(Conflict):  # the last admin stays
            await library.remove_firm_member(firm.id, firm_admin, "admin@firm.example")
        standings = {
            name: await library.firm_standing(firm.id, user, memberships)
            for name, user, memberships in (
                ("admin", firm_admin, {}),
                ("keeper", keeper, {}),
                ("dpo", client_dpo, {a: Role.DPO}),
                ("auditor", client_auditor, {a: Role.AUDITOR}),
            )
        }
        return a, standings

    a, standings = run(scenario())
    assert standings["admin"].is_admin and standings["admin"].keeps_library
    assert standings["keeper"].keeps_library and not standings["keeper"].is_admin
    assert standings["dpo"].reads_library and not standings["dpo"].keeps_library
    assert standings["dpo"].client_organisation_ids == (a,)
    assert not standings["auditor"].reads_library


def test_export_of_a_linked_client_imports_without_the_library(database, run):
    async def scenario():
        from register.compliance import assess_register
        from register.store.portability import export_organisation, import_document, parse_export

        firm, a, _, vendor, processor = await firm_with_two_clients()
        await library.link_processor(a, processor.id, vendor.id, "dpo@a.example")
        exported = await export_organisation(a)
        copy = await import_document(parse_export(exported), "test")
        today = date(2026, 12, 1)
        original = assess_register(await reads.load_register(a), as_of=today)
        imported = assess_register(await reads.load_register(copy), as_of=today)
        return exported, original, imported, await library.firm_of_organisation(copy)

    exported, original, imported, copy_firm = run(scenario())
    assert b"library" not in exported and b"Salesy Inc." in exported
    assert copy_firm is None
    assert original.score == imported.score and original.counts == imported.counts
    assert sorted((a.processor_name, tuple(f.code for f in a.findings)) for a in original.processors) == sorted(
        (a.processor_name, tuple(f.code for f in a.findings)) for a in imported.processors
    )


def test_firm_commands(database, run, make_user, capsys):
    from register.cli import main

    make_user("admin@firm.example")
    make_user("keeper@firm.example")
    organisation_id = run(new_client("Client A"))
    assert main(["firm", "create", "Cabinet Conseil", "--admin", "admin@firm.example"]) == 0
    assert main(["firm", "add-org", "Cabinet Conseil", "Client A"]) == 0
    assert main(["firm", "add-member", "Cabinet Conseil", "keeper@firm.example", "--role", "member"]) == 0
    assert main(["firm", "add-org", "Cabinet Conseil", str(organisation_id)]) == 1  # already a client
    assert "already belongs to a firm" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="no user"):
        main(["firm", "create", "Other", "--admin", "nobody@example.test"])
    assert main(["firm", "list"]) == 0
    assert "Cabinet Conseil\t1\t0" in capsys.readouterr().out
    firm = run(library.firm_by_name("Cabinet Conseil"))
    members = {m.email: m.role for m in run(library.list_firm_members(firm.id))}
    assert members == {"admin@firm.example": "admin", "keeper@firm.example": "member"}
    assert main(["firm", "remove-org", str(firm.id), "Client A"]) == 0
    assert run(library.firm_of_organisation(organisation_id)) is None


def test_the_dashboards_changes_to_review_take_a_constant_number_of_queries(database, run, count_queries):
    async def scenario(links: int) -> tuple[int, int]:
        firm = await library.create_firm(f"Cabinet {links}", "cli")
        organisation_id = await new_client(f"Client {links}")
        await library.attach_organisation(firm.id, organisation_id, "cli")
        register = await reads.load_register(organisation_id)
        for index, processor in enumerate(register[:links]):
            vendor = await library.create_vendor(firm.id, replace(CRM, legal_name=f"Vendor {index}"), "k")
            await library.link_processor(organisation_id, processor.id, vendor.id, "dpo")
            await library.update_vendor(firm.id, vendor.id, replace(CRM, legal_name=f"Vendor {index}", website="https://v2.example"), 1, "k")
        before = count_queries.count
        pending = await library.pending_changes(organisation_id)
        return len(pending), count_queries.count - before

    few, few_queries = run(scenario(1))
    many, many_queries = run(scenario(5))
    assert (few, many) == (1, 5)
    assert few_queries == many_queries <= 4


def test_the_librarys_reading_fills_only_the_items_the_client_has_not_assessed(database, run):
    async def scenario():
        from register.store import changes

        firm, a, _, vendor, _ = await firm_with_two_clients()
        created = await changes.create_processor(a, {"legal_name": "Fresh SAS"}, "dpo@a.example")
        await changes.create_agreement(a, created.id, {"reference": "Signed DPA"}, "dpo@a.example")
        await changes.put_clause(a, created.id, "art28_3_f", {"status": "absent"}, None, "dpo@a.example")
        without_dpa = await changes.create_processor(a, {"legal_name": "No DPA SAS"}, "dpo@a.example")
        await library.link_processor(a, created.id, vendor.id, "dpo@a.example")
        await library.link_processor(a, without_dpa.id, vendor.id, "dpo@a.example")
        return await reads.load_processor(created.id, a), await reads.load_processor(without_dpa.id, a)

    linked, without_dpa = run(scenario())
    statuses = {c.item: c.status for c in linked.agreement.clauses}
    assert statuses["art28_3_a"] == ClauseStatus.PRESENT  # proposed by the library
    assert statuses["art28_3_f"] == ClauseStatus.ABSENT  # the client's own assessment stays
    assert linked.agreement.reference == "Signed DPA"
    assert without_dpa.agreement is None  # no agreement is made up for the client
    assert without_dpa.legal_name == "Salesy Inc."
