"""Assessing one processor, or a whole register, as of a date."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date

from register.compliance.agreement import agreement_findings
from register.compliance.context import RuleContext
from register.compliance.library_link import library_link_findings
from register.compliance.lifecycle import is_assessed, review_findings
from register.compliance.model import Finding, Processor
from register.compliance.objection import change_notice_findings
from register.compliance.processing import processing_findings
from register.compliance.prospection import prospection_findings, source_information_findings
from register.compliance.results import ProcessorAssessment, RegisterAssessment, RuleSettings
from register.compliance.scoring import (
    add_counts,
    by_severity,
    count_by_severity,
    processor_score,
    register_score,
    risk_rank_key,
)
from register.compliance.transfers import TransferRun
from register.reference import Reference

# The rules besides transfers; within a severity, findings are listed in
# this order, after the transfer findings.
PROCESSOR_RULES = (
    agreement_findings,
    processing_findings,
    prospection_findings,
    source_information_findings,
    review_findings,
    change_notice_findings,
    library_link_findings,
)


def assess_in_run(
    processor: Processor,
    run: TransferRun,
    *,
    apply_rules: bool | None = None,
) -> ProcessorAssessment:
    """Assess ``processor`` within a prepared run. The rules apply to the
    statuses under assessment unless ``apply_rules`` says otherwise."""
    ctx = run.ctx
    routes, transfer_findings = run.assess(processor)
    if apply_rules is None:
        apply_rules = is_assessed(processor)
    findings: tuple[Finding, ...] = ()
    if apply_rules:
        collected = transfer_findings
        for rule in PROCESSOR_RULES:
            collected.extend(rule(processor, ctx))
        findings = by_severity(collected)
    counts = count_by_severity(findings)
    return ProcessorAssessment(
        processor_id=processor.id,
        processor_name=processor.display_name,
        as_of=ctx.as_of,
        findings=findings,
        counts=counts,
        score=processor_score(counts),
        transfers=routes,
    )


def assess_processor(
    processor: Processor,
    *,
    as_of: date,
    registry: Mapping[int, Processor] | None = None,
    settings: RuleSettings = RuleSettings(),
    reference: Reference | None = None,
) -> ProcessorAssessment:
    """Findings, score and transfer routes of one processor as of ``as_of``.

    ``registry`` maps the ids of the organisation's processors to their
    records, so a sub-processor that is itself registered is followed as a
    chain.
    """
    ctx = RuleContext(as_of=as_of, settings=settings, reference=reference)
    return assess_in_run(processor, TransferRun(ctx, registry))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector out of the way while a register's
    results (or the register itself, as it is decoded) are built.

    The results are hundreds of thousands of small acyclic objects; with the
    collector running, its repeated passes over them took about 40 % of the run
    (bench/assess_core.py). It is paused during the run; at the end, the
    objects the run created are moved to the oldest generation
    (``freeze``/``unfreeze``) rather than scanned at once, and the collector
    resumes as it was. Nothing is exempt from collection: reference counting
    frees the results when they are dropped, and the next full collection
    still sees every object.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def assess_register(
    processors: Sequence[Processor],
    *,
    as_of: date,
    settings: RuleSettings = RuleSettings(),
    reference: Reference | None = None,
) -> RegisterAssessment:
    """Every processor assessed, ranked worst first, with the register's
    counts and score (see ``scoring``)."""
    ctx = RuleContext(as_of=as_of, settings=settings, reference=reference)
    run = TransferRun(ctx, {p.id: p for p in processors if p.id is not None})
    with collector_paused():
        assessments = [assess_in_run(p, run) for p in processors]
    return _ranked(processors, assessments, as_of)


def _ranked(
    processors: Sequence[Processor], assessments: list[ProcessorAssessment], as_of: date
) -> RegisterAssessment:
    scores = [a.score for a, p in zip(assessments, processors) if is_assessed(p)]
    return RegisterAssessment(
        as_of=as_of,
        processors=tuple(sorted(assessments, key=risk_rank_key)),
        counts=add_counts(a.counts for a in assessments),
        score=register_score(scores),
    )


def changed_chains(before: Mapping[int, Processor], after: Mapping[int, Processor]) -> set[int]:
    """Ids of the processors of ``after`` whose assessment may differ from
    ``before``'s: the record is not the very same object (or is new), or a
    registered processor down its sub-processor chains changed, appeared or
    went away. The others read exactly the same records, so their findings are
    the same."""
    changed = {pid for pid, record in after.items() if before.get(pid) is not record}
    changed |= before.keys() - after.keys()
    users: dict[int, list[int]] = {}  # registered processor -> processors naming it as a sub-processor
    for pid, record in after.items():
        for entry in record.sub_processors:
            if entry.registered_processor_id is not None:
                users.setdefault(entry.registered_processor_id, []).append(pid)
    affected, pending = set(changed), list(changed)
    while pending:
        for user in users.get(pending.pop(), ()):
            if user not in affected:
                affected.add(user)
                pending.append(user)
    return affected & after.keys()


def reassess_register(
    processors: Sequence[Processor],
    *,
    as_of: date,
    before: tuple[Mapping[int, Processor], RegisterAssessment],
    settings: RuleSettings = RuleSettings(),
    reference: Reference | None = None,
) -> RegisterAssessment:
    """The same answer as :func:`assess_register`, reusing the assessments of an
    earlier version of the register (its processors by id, and its assessment
    as of the same date with the same settings and reference) for every
    processor whose chain did not change (:func:`changed_chains`): after one
    write, one processor (and those whose chains lead to it) is assessed again."""
    registry_before, assessment_before = before
    if assessment_before.as_of != as_of:
        raise ValueError("the earlier assessment is as of another date")
    registry = {p.id: p for p in processors if p.id is not None}
    changed = changed_chains(registry_before, registry)
    previous = {a.processor_id: a for a in assessment_before.processors}
    ctx = RuleContext(as_of=as_of, settings=settings, reference=reference)
    run = TransferRun(ctx, registry)
    with collector_paused():
        assessments = [
            previous[p.id] if p.id in previous and p.id not in changed else assess_in_run(p, run)
            for p in processors
        ]
    return _ranked(processors, assessments, as_of)
