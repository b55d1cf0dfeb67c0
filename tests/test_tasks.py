"""Remediation tasks: made from a finding, owned, due, commented, closed when the
finding is gone (derived, not stored) or as an accepted risk until its expiry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from register.compliance.remediation import (
    FindingKey,
    TaskState,
    TaskStatus,
    acceptance_holds,
    finding_key,
    task_state,
)
from register.store import snapshots
from register.store.errors import Conflict, InvalidReference, NotFound, StaleVersion
from register.store.tasks import add_comment, create_task, list_comments, load_task, task_views, update_task
from register.tables import AuditEvent
from tests.access_support import seeded_register

TODAY = date.today()


def test_a_task_is_resolved_when_its_finding_is_gone_whatever_was_stored():
    for status in TaskStatus:
        assert task_state(status, TODAY, False, TODAY) is TaskState.RESOLVED


def test_an_accepted_risk_holds_until_its_expiry_and_the_finding_returns_the_day_after():
    until = date(2027, 3, 31)
    assert task_state("accepted_risk", until, True, until) is TaskState.ACCEPTED
    assert task_state("accepted_risk", until, True, until + timedelta(days=1)) is TaskState.OPEN
    assert not acceptance_holds("open", until, until)
    assert task_state("in_progress", None, True, TODAY) is TaskState.IN_PROGRESS


async def _first_finding(organisation_id: int):
    _, assessment = await snapshots.register_assessment(organisation_id, TODAY)
    finding = next(f for f in assessment.findings if f.processor_id is not None)
    return finding, finding_key(finding)


def test_task_lifecycle_owner_due_comment_accept_and_audit(run, database, make_user, grant):
    ids = run(seeded_register())
    owner = make_user("owner@example.test")
    grant(owner, ids.organisation_id, "dpo")
    outsider = make_user("outsider@example.test")
    procurement = make_user("buyer@example.test")
    grant(procurement, ids.organisation_id, "procurement")
    finding, key = run(_first_finding(ids.organisation_id))

    task = run(create_task(ids.organisation_id, key, owner, TODAY + timedelta(days=10), "dpo@x", TODAY))
    assert (task.owner_email, task.status, task.version) == ("owner@example.test", TaskStatus.OPEN, 1)
    assert finding.processor_name in task.subject_label
    with pytest.raises(Conflict):  # one task per finding
        run(create_task(ids.organisation_id, key, owner, None, "dpo@x", TODAY))
    for stranger in (outsider, procurement):  # not a member / a role that cannot read the register
        with pytest.raises(InvalidReference) as refused:
            run(update_task(ids.organisation_id, task.id, 1, "dpo@x", TODAY, owner_id=stranger))
        assert refused.value.field == "owner_id"

    moved = run(update_task(ids.organisation_id, task.id, 1, "dpo@x", TODAY, status=TaskStatus.IN_PROGRESS))
    assert moved.version == 2
    with pytest.raises(StaleVersion):
        run(update_task(ids.organisation_id, task.id, 1, "dpo@x", TODAY, due_on=None))
    with pytest.raises(InvalidReference) as refused:  # an accepted risk needs a reason and an expiry
        run(update_task(ids.organisation_id, task.id, 2, "dpo@x", TODAY, status=TaskStatus.ACCEPTED_RISK))
    assert refused.value.field == "accepted_reason"
    with pytest.raises(InvalidReference) as refused:
        run(update_task(ids.organisation_id, task.id, 2, "dpo@x", TODAY, status=TaskStatus.ACCEPTED_RISK,
                        accepted_reason="vendor replaced in Q1", accepted_until=TODAY - timedelta(days=1)))
    assert refused.value.field == "accepted_until"
    accepted = run(update_task(ids.organisation_id, task.id, 2, "dpo@x", TODAY, status=TaskStatus.ACCEPTED_RISK,
                               accepted_reason="vendor replaced in Q1", accepted_until=TODAY + timedelta(days=30)))
    [view] = run(task_views(ids.organisation_id, TODAY, [accepted]))
    assert view.state is TaskState.ACCEPTED and view.finding is not None
    [later] = run(task_views(ids.organisation_id, TODAY + timedelta(days=31), [accepted]))
    assert later.state is TaskState.OPEN  # the acceptance expired: the finding is back

    run(add_comment(ids.organisation_id, task.id, "  Asked the vendor.  ", "owner@example.test"))
    with pytest.raises(InvalidReference):
        run(add_comment(ids.organisation_id, task.id, "   ", "owner@example.test"))
    assert [c.body for c in run(list_comments(task.id))] == ["Asked the vendor."]
    entities = run(AuditEvent.select(AuditEvent.entity, AuditEvent.action).where(
        AuditEvent.organisation_id == ids.organisation_id))
    assert {("task", "create"), ("task", "update"), ("task_comment", "create")} <= {
        (e["entity"], e["action"]) for e in entities}


def test_a_task_of_another_organisation_is_not_found(run, database):
    mine = run(seeded_register())
    theirs = run(seeded_register())
    _, key = run(_first_finding(theirs.organisation_id))
    task = run(create_task(theirs.organisation_id, key, None, None, "x", TODAY))
    with pytest.raises(NotFound):
        run(load_task(mine.organisation_id, task.id))
    with pytest.raises(NotFound):
        run(update_task(mine.organisation_id, task.id, 1, "x", TODAY, due_on=None))
    with pytest.raises(InvalidReference):  # a finding of their register, claimed for mine
        run(create_task(mine.organisation_id, key, None, None, "x", TODAY))


def test_a_task_closes_when_its_finding_is_gone_and_reopens_when_it_returns(run, database):
    ids = run(seeded_register())
    _, assessment = run(snapshots.register_assessment(ids.organisation_id, TODAY))
    finding = next((f for f in assessment.findings if f.code == "SECURITY_MEASURES_UNDOCUMENTED"), None)
    assert finding is not None, "the demo register has a processor without security measures"
    task = run(create_task(ids.organisation_id, finding_key(finding), None, TODAY - timedelta(days=1), "x", TODAY))
    [view] = run(task_views(ids.organisation_id, TODAY, [task]))
    assert view.state is TaskState.OPEN and view.overdue
    processor_id = finding.processor_id
    version = run(_processor_version(processor_id))
    run(_set_security_measures(ids.organisation_id, processor_id, "Encryption at rest, MFA.", version))
    [view] = run(task_views(ids.organisation_id, TODAY, [task]))
    assert view.state is TaskState.RESOLVED and view.finding is None and not view.overdue
    run(_set_security_measures(ids.organisation_id, processor_id, "", version + 1))
    [view] = run(task_views(ids.organisation_id, TODAY, [task]))
    assert view.state is TaskState.OPEN


async def _processor_version(processor_id: int) -> int:
    from register.tables import Processor

    return (await Processor.select(Processor.version).where(Processor.id == processor_id).first())["version"]


async def _set_security_measures(organisation_id: int, processor_id: int, text: str, version: int) -> None:
    from register.store.changes import update_processor

    await update_processor(organisation_id, processor_id, {"security_measures": text}, version, "x")


def test_finding_key_names_code_and_subject():
    key = FindingKey(3, "TIA_MISSING", "safeguard", "12")
    assert key.token == "3:TIA_MISSING:safeguard:12"
