"""The two notice findings (SUBPROCESSOR_CHANGE_PENDING, SUBPROCESSOR_OBJECTION_LAPSED) in
the register-wide assessment: raised from the pending notices loaded with the register,
counted in the scores, shown on the dashboard, the findings list, the gap report and the
API, made into tasks that close when the notice is decided; the cached assessment follows
notice writes (revision) and the passing of time (the date is part of its key)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from register.compliance import assess_processor, assess_register
from register.compliance.model import Agreement, ChangeNotice
from register.compliance.remediation import TaskState, finding_key
from register.intake.subprocessor_lists import list_from_text
from register.store import changes, notices, reads, snapshots
from register.store.tasks import create_task, task_views
from register.vocabulary import LifecycleStatus, NoticeChannel, NoticeKind, NoticeStatus, SubProcessorAuthorisation
from register.web.pages import links
from tests.compliance_builders import agreement, processor
from tests.documents_support import body_text, open_docx
from tests.test_pages_support import seeded, signed_in  # noqa: F401  (fixtures)

TODAY = date.today()
NOTICE_CODES = ("SUBPROCESSOR_CHANGE_PENDING", "SUBPROCESSOR_OBJECTION_LAPSED")
LIST_TEXT = "| Name | Purpose | Location |\n|---|---|---|\n| Mailer Inc. | E-mail | United States |\n"


def notice_codes(record, as_of: date) -> list[tuple[str, str]]:
    return [(f.code, f.subject.ref) for f in assess_processor(record, as_of=as_of).findings if f.code in NOTICE_CODES]


# ------------------------------------------------------------------ the pure rule


def test_business_days_decide_when_a_pending_notice_lapses():
    """Received on Friday 27 November 2026 under a 10-business-day period: the last day
    to object is Friday 11 December (weekends skipped); a 10-calendar-day period would
    have ended on Monday 7 December."""
    dpa = Agreement(id=1, sub_processor_authorisation=SubProcessorAuthorisation.GENERAL,
                    objection_notice_days=10, objection_notice_business_days=True)
    record = processor(id=1, agreement=dpa, pending_notices=(ChangeNotice(5, date(2026, 11, 27)),))
    assert notice_codes(record, date(2026, 12, 8)) == [("SUBPROCESSOR_CHANGE_PENDING", "5")]
    assert notice_codes(record, date(2026, 12, 11)) == [("SUBPROCESSOR_CHANGE_PENDING", "5")]  # the last day
    assert notice_codes(record, date(2026, 12, 12)) == [("SUBPROCESSOR_OBJECTION_LAPSED", "5")]
    calendar = replace(record, agreement=replace(dpa, objection_notice_business_days=False))
    assert notice_codes(calendar, date(2026, 12, 7)) == [("SUBPROCESSOR_CHANGE_PENDING", "5")]
    assert notice_codes(calendar, date(2026, 12, 8)) == [("SUBPROCESSOR_OBJECTION_LAPSED", "5")]


def test_the_notice_period_counts_when_the_dpa_records_none_and_unknown_stays_pending():
    record = processor(id=1, agreement=agreement(objection_notice_days=None), pending_notices=(
        ChangeNotice(1, date(2026, 11, 1), stated_notice_days=15, stated_business_days=True),
        ChangeNotice(2, date(2026, 10, 1)),  # no period anywhere: pending, never lapsed
    ))
    # 15 business days after Sunday 1 November 2026: Friday 20 November.
    assert notice_codes(record, date(2026, 11, 20)) == [
        ("SUBPROCESSOR_CHANGE_PENDING", "1"), ("SUBPROCESSOR_CHANGE_PENDING", "2")]
    assert notice_codes(record, date(2026, 11, 21)) == [  # high before medium
        ("SUBPROCESSOR_OBJECTION_LAPSED", "1"), ("SUBPROCESSOR_CHANGE_PENDING", "2")]


def test_notice_findings_count_in_the_score_and_only_for_processors_under_assessment():
    bare = processor(id=1)
    pending = replace(bare, pending_notices=(ChangeNotice(1, date(2026, 11, 1), 30),))
    lapsed = replace(bare, pending_notices=(ChangeNotice(1, date(2026, 9, 1), 30),))
    as_of = date(2026, 11, 20)
    base = assess_processor(bare, as_of=as_of).score
    assert assess_processor(pending, as_of=as_of).score == max(0, base - 5)  # medium
    assert assess_processor(lapsed, as_of=as_of).score == max(0, base - 15)  # high
    offboarded = replace(lapsed, status=LifecycleStatus.OFFBOARDED)
    assert notice_codes(offboarded, as_of) == []
    decided = replace(bare, pending_notices=(ChangeNotice(1, date(2026, 9, 1), 30, status=NoticeStatus.OBJECTED),))
    assert notice_codes(decided, as_of) == []
    register = assess_register([lapsed], as_of=as_of)
    assert register.counts.high == assess_register([bare], as_of=as_of).counts.high + 1


def test_a_notice_finding_links_to_the_notice():
    record = processor(id=4, pending_notices=(ChangeNotice(12, date(2026, 11, 1), 30),))
    [finding] = [f for f in assess_processor(record, as_of=date(2026, 11, 2)).findings if f.code in NOTICE_CODES]
    assert (finding.subject.kind, finding.subject.ref) == ("notice", "12")
    assert links.fix_link(finding, record).url == "/notices/12"


# ------------------------------------------------------------------ through the store and the app


async def record(organisation_id: int, processor_id: int, received_on: date, days: int | None = 30):
    return await notices.record_notice(
        organisation_id, processor_id, list_from_text(LIST_TEXT), kind=NoticeKind.CHANGE,
        channel=NoticeChannel.EMAIL, received_on=received_on, source="pasted", content=LIST_TEXT, actor="t",
        stated_notice_days=days,
    )


async def vendor(organisation_id: int, name: str = "Notified Vendor SAS") -> int:
    created = await changes.create_processor(
        organisation_id, {"legal_name": name, "headquarters_country": "FR", "status": "approved"}, "t")
    return created.id


def findings_of(assessment, processor_id: int) -> list[tuple[str, str]]:
    return [(f.code, f.subject.ref) for f in assessment.findings
            if f.processor_id == processor_id and f.code in NOTICE_CODES]


def test_notice_writes_bump_the_revision_and_the_assessment_follows_them_and_time(run, database):
    organisation = run(changes.create_organisation({"name": "O", "country": "FR"}, "t")).id
    pid = run(vendor(organisation))
    other = run(vendor(organisation, "Quiet Vendor SAS"))
    first_snapshot, first = run(snapshots.register_assessment(organisation, TODAY))
    assert findings_of(first, pid) == []

    notice = run(record(organisation, pid, TODAY - timedelta(days=2)))
    snapshot, assessment = run(snapshots.register_assessment(organisation, TODAY))
    assert snapshot.revision != first_snapshot.revision
    assert snapshot.registry[other] is first_snapshot.registry[other]  # only the notified processor re-read
    assert snapshot.registry[pid] is not first_snapshot.registry[pid]
    assert findings_of(assessment, pid) == [("SUBPROCESSOR_CHANGE_PENDING", str(notice.id))]
    assert assessment == assess_register(run(reads.load_register(organisation)), as_of=TODAY)
    earlier = {a.processor_id: a for a in first.processors}
    assert next(a for a in assessment.processors if a.processor_id == other) is earlier[other]

    # No write: 29 days later (the deadline is the 28th day after today) the same revision lapses.
    later = TODAY + timedelta(days=29)
    late_snapshot, late = run(snapshots.register_assessment(organisation, later))
    assert late_snapshot.revision == snapshot.revision
    assert findings_of(late, pid) == [("SUBPROCESSOR_OBJECTION_LAPSED", str(notice.id))]
    assert findings_of(run(snapshots.register_assessment(organisation, later - timedelta(days=1)))[1], pid) == [
        ("SUBPROCESSOR_CHANGE_PENDING", str(notice.id))]

    # Objecting is a write: a new revision, and the finding is gone.
    run(notices.object_to_notice(organisation, notice.id, notice.version, "Transfers to the US", "t"))
    decided_snapshot, decided = run(snapshots.register_assessment(organisation, TODAY))
    assert decided_snapshot.revision != snapshot.revision
    assert findings_of(decided, pid) == []
    assert decided == assess_register(run(reads.load_register(organisation)), as_of=TODAY)


def test_a_task_made_from_a_pending_notice_closes_when_the_notice_is_decided(run, database, make_user, grant):
    organisation = run(changes.create_organisation({"name": "O", "country": "FR"}, "t")).id
    owner = make_user("owner@example.test")
    grant(owner, organisation, "dpo")
    pid = run(vendor(organisation))
    accepted = run(record(organisation, pid, TODAY))
    objected = run(record(organisation, pid, TODAY - timedelta(days=1)))
    _, assessment = run(snapshots.register_assessment(organisation, TODAY))
    found = {f.subject.ref: f for f in assessment.findings if f.code == "SUBPROCESSOR_CHANGE_PENDING"}
    assert set(found) == {str(accepted.id), str(objected.id)}  # one finding, so one task, per notice
    tasks = [run(create_task(organisation, finding_key(found[str(n.id)]), owner, TODAY + timedelta(days=5), "dpo@x", TODAY))
             for n in (accepted, objected)]
    assert [v.state for v in run(task_views(organisation, TODAY, tasks))] == [TaskState.OPEN, TaskState.OPEN]

    run(notices.accept_notice(organisation, accepted.id, accepted.version, "dpo@x"))
    assert [v.state for v in run(task_views(organisation, TODAY, tasks))] == [TaskState.RESOLVED, TaskState.OPEN]
    run(notices.object_to_notice(organisation, objected.id, objected.version, "Not needed", "dpo@x"))
    assert [v.state for v in run(task_views(organisation, TODAY, tasks))] == [TaskState.RESOLVED, TaskState.RESOLVED]


@pytest.fixture
def notified(signed_in, seeded, run, make_user, grant, api_client_for):  # signed_in first: it migrates the database
    """The seeded organisation with a processor whose one notice is pending and another
    lapsed; a DPO's browser and API client."""
    dpo = signed_in("dpo")
    api_user = make_user("api-dpo@example.test")
    grant(api_user, seeded.organisation_id, "dpo")
    pid = run(vendor(seeded.organisation_id))
    pending = run(record(seeded.organisation_id, pid, TODAY))
    lapsed = run(record(seeded.organisation_id, pid, TODAY - timedelta(days=60)))
    return seeded.organisation_id, pid, pending.id, lapsed.id, dpo, api_client_for(api_user)


def test_the_api_assessment_and_gaps_list_the_notice_findings(notified):
    organisation, pid, pending, lapsed, _, api = notified
    answer = api.get(f"/api/v1/processors/{pid}/assessment")
    assert answer.status_code == 200
    listed = [(f["code"], f["subject"]["kind"], f["subject"]["ref"]) for f in answer.json()["findings"]
              if f["code"] in NOTICE_CODES]
    assert sorted(listed) == [("SUBPROCESSOR_CHANGE_PENDING", "notice", str(pending)),
                              ("SUBPROCESSOR_OBJECTION_LAPSED", "notice", str(lapsed))]
    gaps = api.get(f"/api/v1/organisations/{organisation}/gaps", params={"code": "SUBPROCESSOR_OBJECTION_LAPSED"})
    assert [(f["processor_id"], f["subject"]["ref"]) for f in gaps.json()["findings"]] == [(pid, str(lapsed))]
    ranking = {r["processor_id"]: r for r in gaps.json()["ranking"]}
    assert ranking[pid]["counts"]["high"] >= 1 and ranking[pid]["counts"]["medium"] >= 1


def test_the_pages_and_the_gap_report_show_the_notice_findings(notified):
    organisation, pid, pending, lapsed, dpo, api = notified
    findings_page = dpo.browser.get(f"/organisations/{organisation}/findings").text
    assert "SUBPROCESSOR_CHANGE_PENDING" in findings_page and "SUBPROCESSOR_OBJECTION_LAPSED" in findings_page
    assert f'href="/notices/{lapsed}"' in findings_page and f'href="/notices/{pending}"' in findings_page
    processor_page = dpo.browser.get(f"/processors/{pid}").text
    assert "Délai d&#39;opposition expiré sans décision" in processor_page or "Délai d'opposition expiré sans décision" in processor_page
    report = api.get(f"/api/v1/organisations/{organisation}/documents/gap-report.docx", params={"lang": "fr"})
    assert report.status_code == 200
    text = body_text(open_docx(report.content))
    assert "Délai d'opposition expiré sans décision" in text
    assert "Changement de sous-traitant ultérieur en attente de décision" in text


def test_the_dashboard_puts_a_lapsed_objection_among_the_priorities(run, signed_in):
    dpo = signed_in("dpo")
    from register.accounts.store import set_membership, user_id_by_email
    from register.vocabulary import Role

    organisation = run(changes.create_organisation({"name": "Small SARL", "country": "FR"}, "test")).id
    run(set_membership(run(user_id_by_email(dpo.email)), organisation, Role.DPO))
    pid = run(vendor(organisation))
    lapsed = run(record(organisation, pid, TODAY - timedelta(days=60)))
    page = dpo.browser.get(f"/organisations/{organisation}").text
    assert 'data-code="SUBPROCESSOR_OBJECTION_LAPSED"' in page
    assert f'href="/notices/{lapsed.id}"' in page
