"""Properties of the rules, checked on generated records (hypothesis):

- adding a valid safeguard never adds a transfer finding;
- removing a clause (marking a present item absent, or dropping it) never
  improves the score;
- the score always follows the formula, within 0..100.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from register.compliance.model import ClauseAssessment, Location, Processor, Safeguard, SubProcessor
from register.compliance.scoring import processor_score
from register.vocabulary import (
    ClauseStatus,
    LocationActivity,
    ProcessorRole,
    SubProcessorAuthorisation,
    TransferMechanism,
    Tristate,
)
from tests.compliance_builders import AS_OF, REFERENCE, agreement, assess, processor

COUNTRIES = ["FR", "DE", "JP", "GB", "BR", "US", "CA", "IN", "CN", "MX", "ZZ", "XX-EPO"]
TRANSFER_CODES = {
    "TRANSFER_NO_SAFEGUARD", "TRANSFER_US_DPF_UNVERIFIED", "SCC_OUTDATED", "SCC_WRONG_MODULE",
    "SCC_MODULE_UNKNOWN", "TIA_MISSING", "TIA_STALE", "DEROGATION_USED", "TRANSFER_LOCATIONS_UNKNOWN",
    "TRANSFER_COUNTRY_UNKNOWN", "DPF_STATUS_UNKNOWN", "PIPEDA_SCOPE_UNKNOWN",
}  # fmt: skip

maybe_bool = st.sampled_from([True, False, None])
some_day = st.dates(min_value=date(2019, 1, 1), max_value=AS_OF)
countries = st.lists(st.sampled_from(COUNTRIES), max_size=3).map(tuple)


@st.composite
def sub_processors(draw):
    n = draw(st.integers(0, 3))
    return tuple(
        SubProcessor(
            id=10 + i,
            name=f"Sub{i}",
            countries=draw(countries),
            flowdown=draw(st.sampled_from(list(Tristate))),
            dpf_certified=draw(maybe_bool),
            dpf_checked_on=draw(st.none() | some_day),
            pipeda_scope=draw(maybe_bool),
        )
        for i in range(n)
    )


@st.composite
def recorded_safeguards(draw, sub_ids):
    n = draw(st.integers(0, 4))
    return tuple(
        Safeguard(
            id=500 + i,
            country=draw(st.sampled_from(COUNTRIES)),
            mechanism=draw(st.sampled_from(list(TransferMechanism))),
            sub_processor_id=draw(st.sampled_from([None, *sub_ids])),
            scc_module=draw(st.sampled_from([None, 1, 2, 3, 4])),
            tia_on=draw(st.none() | some_day),
        )
        for i in range(n)
    )


@st.composite
def transfer_records(draw) -> Processor:
    subs = draw(sub_processors())
    locations = tuple(
        Location(id=i, country=c, activity=LocationActivity.HOSTING) for i, c in enumerate(draw(countries))
    )
    return processor(
        role=draw(st.sampled_from(list(ProcessorRole))),
        headquarters_country=draw(st.none() | st.sampled_from(COUNTRIES)),
        locations=locations,
        sub_processors=subs,
        dpf_certified=draw(maybe_bool),
        dpf_checked_on=draw(st.none() | some_day),
        pipeda_scope=draw(maybe_bool),
        safeguards=draw(recorded_safeguards([s.id for s in subs])),
    )


def expected_module(p: Processor, sub_processor_id: int | None) -> int:
    if sub_processor_id is not None or p.role == ProcessorRole.SUB_PROCESSOR:
        return 3
    return 1 if p.role == ProcessorRole.JOINT_CONTROLLER else 2


def transfer_findings(p: Processor) -> set[tuple]:
    return {
        (f.code, f.subject.kind, f.subject.ref, f.subject.label)
        for f in assess(p).findings
        if f.code in TRANSFER_CODES
    }


@settings(max_examples=300, deadline=None)
@given(record=transfer_records(), data=st.data())
def test_adding_a_valid_safeguard_never_adds_a_transfer_finding(record, data):
    sub_id = data.draw(st.sampled_from([None, *(s.id for s in record.sub_processors)]))
    country = data.draw(st.sampled_from(COUNTRIES))
    mechanism = data.draw(st.sampled_from([TransferMechanism.SCC_2021, TransferMechanism.BCR]))
    valid = Safeguard(
        id=999,
        country=country,
        mechanism=mechanism,
        sub_processor_id=sub_id,
        scc_module=expected_module(record, sub_id) if mechanism == TransferMechanism.SCC_2021 else None,
        tia_on=data.draw(st.dates(min_value=date(2026, 1, 1), max_value=AS_OF)),
    )
    before = transfer_findings(record)
    after = transfer_findings(replace(record, safeguards=(*record.safeguards, valid)))
    assert after <= before


statuses = st.sampled_from(list(ClauseStatus))


@st.composite
def clause_records(draw) -> Processor:
    items = REFERENCE.art28_item_ids()
    chosen = draw(st.lists(st.sampled_from(items), unique=True))
    clause_list = tuple(
        ClauseAssessment(id=i, item=item, status=draw(statuses)) for i, item in enumerate(chosen)
    )
    return processor(
        agreement=agreement(
            clauses=clause_list,
            signed_on=draw(st.none() | some_day),
            breach_notice_hours=draw(st.none() | st.integers(1, 96)),
            sub_processor_authorisation=draw(st.sampled_from(list(SubProcessorAuthorisation))),
        ),
        retention_months=draw(st.none() | st.integers(1, 60)),
    )


@settings(max_examples=300, deadline=None)
@given(record=clause_records(), data=st.data())
def test_removing_a_clause_never_improves_the_score(record, data):
    clause_list = record.agreement.clauses
    present = [i for i, c in enumerate(clause_list) if c.status == ClauseStatus.PRESENT]
    if not present:
        return
    index = data.draw(st.sampled_from(present))
    if data.draw(st.booleans()):
        worse = tuple(
            replace(c, status=ClauseStatus.ABSENT) if i == index else c for i, c in enumerate(clause_list)
        )
    else:
        worse = tuple(c for i, c in enumerate(clause_list) if i != index)
    before = assess(record).score
    after = assess(replace(record, agreement=replace(record.agreement, clauses=worse))).score
    assert after <= before


@settings(max_examples=200, deadline=None)
@given(record=transfer_records())
def test_the_score_follows_the_formula(record):
    a = assess(record)
    assert 0 <= a.score <= 100
    assert a.score == processor_score(a.counts)
    assert a.counts.total == len(a.findings)
    assert len(a.transfers) >= 1  # an unknown destination is a route too, never silence
