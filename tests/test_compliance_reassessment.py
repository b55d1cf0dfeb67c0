"""Reassessing a register after a change reuses the unchanged processors'
assessments and gives exactly the answer of a full assessment."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from register.compliance import assess_register, reassess_register
from register.compliance.assessment import changed_chains
from register.compliance.model import ChangeNotice, Processor
from register.vocabulary import LifecycleStatus
from tests.compliance_builders import AS_OF, location, processor, sub_processor


def registered(name: str, target: int, *, id: int) -> object:
    return sub_processor(name, ("US",), id=id, registered_processor_id=target)


def register() -> list[Processor]:
    """A → B → C (a chain through the register), D ⇄ E (a loop, E with a lapsed
    sub-processor change notice), F alone."""
    return [
        processor(id=1, legal_name="A", sub_processors=(registered("B", 2, id=11),)),
        processor(id=2, legal_name="B", sub_processors=(registered("C", 3, id=21),)),
        processor(id=3, legal_name="C", locations=(location("IN"),)),
        processor(id=4, legal_name="D", sub_processors=(registered("E", 5, id=41),)),
        processor(
            id=5, legal_name="E", sub_processors=(registered("D", 4, id=51),),
            pending_notices=(ChangeNotice(3, AS_OF - timedelta(days=40), 30),),  # lapsed
        ),
        processor(id=6, legal_name="F", locations=(location("US"),), status=LifecycleStatus.PROPOSED),
    ]


def replaced(processors: list[Processor], pid: int, **changes) -> list[Processor]:
    return [replace(p, **changes) if p.id == pid else p for p in processors]


def by_id(processors: list[Processor]) -> dict[int, Processor]:
    return {p.id: p for p in processors}


CHANGES = {
    "deep in a chain": (lambda r: replaced(r, 3, locations=(location("CN"),)), {1, 2, 3}),
    "in the middle of a chain": (lambda r: replaced(r, 2, trade_name="Bee"), {1, 2}),
    "in a loop": (lambda r: replaced(r, 5, locations=(location("BR"),)), {4, 5}),
    "alone": (lambda r: replaced(r, 6, status=LifecycleStatus.APPROVED), {6}),
    "a processor removed": (lambda r: [p for p in r if p.id != 3], {1, 2}),
    "a processor added": (lambda r: [*r, processor(id=7, legal_name="G", locations=(location("JP"),))], {7}),
    "a sub-processor now registered": (
        lambda r: replaced(r, 6, sub_processors=(registered("A", 1, id=61),)),
        {6},
    ),
    "a notice recorded": (lambda r: replaced(r, 6, pending_notices=(ChangeNotice(1, AS_OF, 30),)), {6}),
    "a notice recorded deep in a chain": (
        lambda r: replaced(r, 3, pending_notices=(ChangeNotice(2, AS_OF - timedelta(days=90), 30),)),
        {1, 2, 3},
    ),
    "a notice decided": (lambda r: replaced(r, 5, pending_notices=()), {4, 5}),
    "nothing": (lambda r: list(r), set()),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_reassessment_equals_a_full_assessment_and_reuses_the_unchanged(change):
    modify, expected_changed = CHANGES[change]
    before = register()
    first = assess_register(before, as_of=AS_OF)
    after = modify(before)

    assert changed_chains(by_id(before), by_id(after)) == expected_changed
    again = reassess_register(after, as_of=AS_OF, before=(by_id(before), first))
    assert again == assess_register(after, as_of=AS_OF)
    notice_findings = {(f.processor_id, f.code) for f in again.findings if f.subject.kind == "notice"}
    assert notice_findings == {
        (p.id, "SUBPROCESSOR_OBJECTION_LAPSED" if n.received_on < AS_OF - timedelta(days=30) else "SUBPROCESSOR_CHANGE_PENDING")
        for p in after for n in p.pending_notices
    }
    earlier = {a.processor_id: a for a in first.processors}
    for assessment in again.processors:
        reused = assessment is earlier.get(assessment.processor_id)
        assert reused == (assessment.processor_id not in expected_changed)


def test_a_record_equal_but_reloaded_is_assessed_again():
    """Reuse is decided by identity (the store reuses the objects of unchanged
    records), never by a possibly costly or partial comparison."""
    before = register()
    first = assess_register(before, as_of=AS_OF)
    after = [replace(p) if p.id == 6 else p for p in before]
    again = reassess_register(after, as_of=AS_OF, before=(by_id(before), first))
    assert again == first
    assert next(a for a in again.processors if a.processor_id == 6) is not next(
        a for a in first.processors if a.processor_id == 6
    )


def test_an_assessment_as_of_another_date_is_not_reused():
    before = register()
    first = assess_register(before, as_of=AS_OF)
    with pytest.raises(ValueError):
        reassess_register(before, as_of=AS_OF.replace(year=2027), before=(by_id(before), first))
