"""LIBRARY_CHANGE_PENDING in the register-wide assessment: raised from the processor's link
loaded with the register (vendor, accepted, latest and dismissed versions), counted in the
scores, listed in the findings, the API, the gap report, made into a task that closes when
the change is accepted or dismissed; a vendor change in the library gives every linked
client a new revision at once, and the incremental reassessment equals a full one."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date, timedelta

import pytest

from register.compliance import assess_processor, assess_register
from register.compliance.library import VendorSubProcessor
from register.compliance.model import VendorLink
from register.compliance.remediation import TaskState, finding_key
from register.store import library, reads, snapshots
from register.store.tasks import create_task, task_views
from register.vocabulary import LifecycleStatus
from register.web.pages import links
from tests.compliance_builders import processor
from tests.documents_support import body_text, open_docx
from tests.test_library import CRM, first_processor, new_client
from tests.test_pages_support import seeded, signed_in  # noqa: F401  (fixtures)

TODAY = date.today()
CODE = "LIBRARY_CHANGE_PENDING"
NEWER = replace(CRM, sub_processors=(*CRM.sub_processors, VendorSubProcessor("Twilio Inc.", ("US",), "SMS", None)))
NEWEST = replace(NEWER, dpf_certified=False)


def codes(record) -> list[str]:
    return [f.code for f in assess_processor(record, as_of=TODAY).findings if f.code == CODE]


# ------------------------------------------------------------------ the pure rule


def test_the_finding_is_raised_from_the_link_alone():
    bare = processor(id=3)
    assert codes(bare) == []
    up_to_date = replace(bare, library_link=VendorLink(7, "Salesy Inc.", 2, 2))
    assert codes(up_to_date) == []
    behind = replace(bare, library_link=VendorLink(7, "Salesy Inc.", 1, 2))
    assert codes(behind) == [CODE]
    assert codes(replace(bare, library_link=VendorLink(7, "Salesy Inc.", 1, 2, dismissed_version=2))) == []
    # A version newer than the one dismissed shows again.
    assert codes(replace(bare, library_link=VendorLink(7, "Salesy Inc.", 1, 3, dismissed_version=2))) == [CODE]
    assert codes(replace(behind, status=LifecycleStatus.OFFBOARDED)) == []
    # Medium: it counts in the score.
    assert assess_processor(behind, as_of=TODAY).score == max(0, assess_processor(bare, as_of=TODAY).score - 5)
    [finding] = [f for f in assess_processor(behind, as_of=TODAY).findings if f.code == CODE]
    assert finding.subject.kind == "processor" and "version 2" in finding.explanation.en
    assert "«\u00a0Salesy Inc.\u00a0»" in finding.explanation.fr
    assert links.fix_link(finding, behind).url == "/processors/3/library-link"


# ------------------------------------------------------------------ through the store


def findings_of(assessment, processor_id: int) -> list[str]:
    return [f.code for f in assessment.findings if f.processor_id == processor_id and f.code == CODE]


def test_a_vendor_change_shows_at_once_in_every_linked_clients_cached_assessment(run, database):
    async def world():
        firm = await library.create_firm("Cabinet", "admin@firm.example")
        a, b = await new_client("Client A"), await new_client("Client B")
        for organisation in (a, b):
            await library.attach_organisation(firm.id, organisation, "admin@firm.example")
        vendor = await library.create_vendor(firm.id, CRM, "keeper@firm.example")
        pa, pb = await first_processor(a), await first_processor(b)
        await library.link_processor(a, pa.id, vendor.id, "dpo@a")
        await library.link_processor(b, pb.id, vendor.id, "dpo@b")
        return firm, a, b, vendor, pa.id, pb.id

    firm, a, b, vendor, pa, pb = run(world())
    before = {o: run(snapshots.register_assessment(o, TODAY)) for o in (a, b)}
    assert findings_of(before[a][1], pa) == [] and findings_of(before[b][1], pb) == []

    run(library.update_vendor(firm.id, vendor.id, NEWER, 1, "keeper@firm.example"))
    for organisation, pid in ((a, pa), (b, pb)):
        snapshot, assessment = run(snapshots.register_assessment(organisation, TODAY))
        earlier_snapshot, earlier = before[organisation]
        assert snapshot.revision != earlier_snapshot.revision
        assert findings_of(assessment, pid) == [CODE]
        assert snapshot.registry[pid].library_link == VendorLink(vendor.id, "Salesy Inc.", 1, 2)
        # Only the linked processor is read and assessed again.
        other = next(p for p in snapshot.registry if p != pid)
        assert snapshot.registry[other] is earlier_snapshot.registry[other]
        assert next(x for x in assessment.processors if x.processor_id == other) is next(
            x for x in earlier.processors if x.processor_id == other)
        assert assessment == assess_register(run(reads.load_register(organisation)), as_of=TODAY)
        assert assessment.counts.medium == earlier.counts.medium + 1

    # A accepts, B dismisses: each a new revision, the finding gone, incremental == full.
    link_a = run(library.review_link(a, pa)).link
    run(library.accept_change(a, pa, link_a.version, 2, "dpo@a"))
    link_b = run(library.review_link(b, pb)).link
    run(library.dismiss_change(b, pb, link_b.version, 2, "dpo@b"))
    for organisation, pid in ((a, pa), (b, pb)):
        _, assessment = run(snapshots.register_assessment(organisation, TODAY))
        assert findings_of(assessment, pid) == []
        assert assessment == assess_register(run(reads.load_register(organisation)), as_of=TODAY)

    # A newer version shows again for both (B's dismissal was of version 2 only).
    run(library.update_vendor(firm.id, vendor.id, NEWEST, 2, "keeper@firm.example"))
    for organisation, pid in ((a, pa), (b, pb)):
        _, assessment = run(snapshots.register_assessment(organisation, TODAY))
        assert findings_of(assessment, pid) == [CODE]
        assert assessment == assess_register(run(reads.load_register(organisation)), as_of=TODAY)

    # Unlinking ends it.
    link_b = run(library.review_link(b, pb)).link
    run(library.unlink_processor(b, pb, link_b.version, "dpo@b"))
    snapshot, assessment = run(snapshots.register_assessment(b, TODAY))
    assert findings_of(assessment, pb) == [] and snapshot.registry[pb].library_link is None
    assert assessment == assess_register(run(reads.load_register(b)), as_of=TODAY)


@pytest.mark.parametrize("decision", ["accept", "dismiss"])
def test_a_task_made_from_the_finding_closes_when_the_change_is_decided(run, database, make_user, grant, decision):
    async def world():
        firm = await library.create_firm("Cabinet", "admin@firm.example")
        a = await new_client("Client A")
        await library.attach_organisation(firm.id, a, "admin@firm.example")
        vendor = await library.create_vendor(firm.id, CRM, "keeper@firm.example")
        pa = await first_processor(a)
        await library.link_processor(a, pa.id, vendor.id, "dpo@a")
        await library.update_vendor(firm.id, vendor.id, NEWER, 1, "keeper@firm.example")
        return a, pa.id

    a, pa = run(world())
    owner = make_user("owner@example.test")
    grant(owner, a, "dpo")
    _, assessment = run(snapshots.register_assessment(a, TODAY))
    [finding] = [f for f in assessment.findings if f.code == CODE]
    task = run(create_task(a, finding_key(finding), owner, TODAY + timedelta(days=5), "dpo@a", TODAY))
    assert [v.state for v in run(task_views(a, TODAY, [task]))] == [TaskState.OPEN]
    link = run(library.review_link(a, pa)).link
    decide = library.accept_change if decision == "accept" else library.dismiss_change
    run(decide(a, pa, link.version, 2, "dpo@a"))
    assert [v.state for v in run(task_views(a, TODAY, [task]))] == [TaskState.RESOLVED]


# ------------------------------------------------------------------ the API, the pages, the gap report


@pytest.fixture
def behind(signed_in, seeded, run, make_user, grant, api_client_for):  # signed_in first: it migrates the database
    """The seeded organisation, a client of a firm, with a processor linked to a vendor the
    library changed since; a DPO's browser and API client."""
    dpo = signed_in("dpo")
    api_user = make_user("api-dpo@example.test")
    grant(api_user, seeded.organisation_id, "dpo")

    async def world():
        firm_id = await library.firm_of_organisation(seeded.organisation_id)  # the demo's firm, if seeded
        if firm_id is None:
            firm_id = (await library.create_firm("Cabinet", "admin@firm.example")).id
            await library.attach_organisation(firm_id, seeded.organisation_id, "admin@firm.example")
        vendor = await library.create_vendor(firm_id, replace(CRM, legal_name="Salesy Test Inc."), "keeper@firm.example")
        pid = (await first_processor(seeded.organisation_id)).id
        await library.link_processor(seeded.organisation_id, pid, vendor.id, "dpo")
        await library.update_vendor(firm_id, vendor.id, replace(NEWER, legal_name="Salesy Test Inc."), 1, "k@f.example")
        return pid

    return seeded.organisation_id, run(world()), dpo, api_client_for(api_user)


def test_the_api_assessment_gaps_findings_page_and_gap_report_list_the_finding(behind):
    organisation, pid, dpo, api = behind
    answer = api.get(f"/api/v1/processors/{pid}/assessment")
    assert answer.status_code == 200
    assert [f["subject"]["kind"] for f in answer.json()["findings"] if f["code"] == CODE] == ["processor"]
    gaps = api.get(f"/api/v1/organisations/{organisation}/gaps", params={"code": CODE})
    assert [f["processor_id"] for f in gaps.json()["findings"]] == [pid]
    findings_page = dpo.browser.get(f"/organisations/{organisation}/findings").text
    assert CODE in findings_page and f'href="/processors/{pid}/library-link"' in findings_page
    processor_page = html.unescape(dpo.browser.get(f"/processors/{pid}").text)
    assert "Modification de la bibliothèque de prestataires du cabinet en attente d'examen" in processor_page
    assert f"/processors/{pid}/library-link" in processor_page
    report = api.get(f"/api/v1/organisations/{organisation}/documents/gap-report.docx", params={"lang": "fr"})
    assert report.status_code == 200
    assert "Modification de la bibliothèque de prestataires du cabinet en attente d'examen" in body_text(
        open_docx(report.content))
