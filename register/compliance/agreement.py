"""The processor contract (DPA): Art. 28(2)–(4), 28(9) and Art. 33(2).

A DPA is in force as of a date when it is signed (on or before that date),
has taken effect (``effective_on`` on or before it, when recorded) and has not
ended: the day ``ends_on`` is still a day in force, the day after it has expired.

Clause, authorisation and breach-notice rules read the agreement record
whenever one exists — a draft under negotiation included — so a candidate's
draft DPA is reviewed before it is signed. Without an agreement record, only
DPA_MISSING is raised.
"""

from __future__ import annotations

from collections.abc import Iterator

from register.compliance.context import RuleContext, cite
from register.compliance.findings import PreparedFinding, processor_subject
from register.compliance.model import (
    Agreement,
    ClauseAssessment,
    Finding,
    FindingSubject,
    Localised,
    Processor,
)
from register.reference.types import Art28Item
from register.vocabulary import ClauseStatus, LifecycleStatus, SubProcessorAuthorisation, Tristate
from register.i18n.dates import prose_date

CANDIDATE_STATUSES = frozenset({LifecycleStatus.PROPOSED, LifecycleStatus.UNDER_REVIEW})

# Worst status wins when an item is assessed more than once.
_STATUS_GRAVITY = {
    ClauseStatus.PRESENT: 0,
    ClauseStatus.UNASSESSED: 1,
    ClauseStatus.PARTIAL: 2,
    ClauseStatus.ABSENT: 3,
}
CLAUSE_FINDING_CODES = {
    ClauseStatus.ABSENT: "DPA_CLAUSE_MISSING",
    ClauseStatus.PARTIAL: "DPA_CLAUSE_PARTIAL",
    ClauseStatus.UNASSESSED: "DPA_CLAUSE_UNASSESSED",
}


def dpa_in_force_findings(processor: Processor, ctx: RuleContext) -> Iterator[Finding]:
    """DPA_MISSING when no signed DPA is in force as of the date; DPA_EXPIRED
    once its end date has passed."""
    agreement = processor.agreement
    as_of = ctx.as_of
    detail = _not_in_force(agreement, ctx)
    if detail is not None:
        if processor.status in CANDIDATE_STATUSES:
            detail = Localised(
                en=f"{detail.en} The processor is a candidate: a DPA must be signed before go-live.",
                fr=f"{detail.fr} Le sous-traitant est candidat\u00a0: un contrat doit être signé avant la mise en service.",
            )
        yield ctx.catalogue.finding("DPA_MISSING", processor, processor_subject(processor), detail)
    elif agreement.ends_on is not None and agreement.ends_on < as_of:
        detail = Localised(
            en=f"The DPA ended on {prose_date(agreement.ends_on, 'en')}.",
            fr=f"Le contrat a pris fin le {prose_date(agreement.ends_on, 'fr')}.",
        )
        yield ctx.catalogue.finding("DPA_EXPIRED", processor, processor_subject(processor), detail)


def _not_in_force(agreement: Agreement | None, ctx: RuleContext) -> Localised | None:
    """Why no DPA is in force yet, or None when one is (or was, and expired)."""
    as_of = ctx.as_of
    if agreement is None:
        return Localised("No DPA is recorded.", "Aucun contrat de sous-traitance n'est enregistré.")
    if agreement.signed_on is None:
        return Localised("The DPA is not signed.", "Le contrat n'est pas signé.")
    if agreement.signed_on > as_of:
        return Localised(
            en=f"The DPA is signed on {prose_date(agreement.signed_on, 'en')}, after {prose_date(as_of, 'en')}.",
            fr=f"Le contrat est signé le {prose_date(agreement.signed_on, 'fr')}, après le {prose_date(as_of, 'fr')}.",
        )
    if agreement.effective_on is not None and agreement.effective_on > as_of:
        return Localised(
            en=f"The DPA takes effect on {prose_date(agreement.effective_on, 'en')}.",
            fr=f"Le contrat prend effet le {prose_date(agreement.effective_on, 'fr')}.",
        )
    return None


def worst_clause_statuses(clauses: tuple[ClauseAssessment, ...]) -> dict[str, ClauseStatus]:
    """Each assessed item's status; the worst one if an item appears twice."""
    statuses: dict[str, ClauseStatus] = {}
    for clause in clauses:
        status = clause.status
        current = statuses.get(clause.item)
        if current is None or _STATUS_GRAVITY[status] > _STATUS_GRAVITY[current]:
            statuses[clause.item] = status
    return statuses


def clause_findings(processor: Processor, ctx: RuleContext) -> list[Finding]:
    """One finding per Art. 28(3) item of the reference that the DPA lacks
    (absent), covers in part (partial) or that nobody checked (unassessed or
    not listed at all)."""
    agreement = processor.agreement
    if agreement is None:
        return []
    statuses = worst_clause_statuses(agreement.clauses)
    findings = []
    for item_id, prepared in _prepared_item_findings(ctx):
        finding = prepared.get(statuses.get(item_id, ClauseStatus.UNASSESSED))
        if finding is not None:
            findings.append(finding.about(processor))
    return findings


def _prepared_item_findings(ctx: RuleContext) -> list[tuple[str, dict[ClauseStatus, PreparedFinding]]]:
    """For each Art. 28(3) item of the reference, in its order: the finding each
    status raises (none for "present"), with the item's subject, detail and
    source; composed once per run."""
    prepared = ctx.item_findings
    if prepared is None:
        prepared = ctx.item_findings = [
            (item.id, _item_findings(item, ctx)) for item in ctx.reference.art28_items
        ]
    return prepared


def _item_findings(item: Art28Item, ctx: RuleContext) -> dict[ClauseStatus, PreparedFinding]:
    subject = FindingSubject("clause", item.id, item.provision)
    detail = Localised(en=f"{item.provision}: {item.content_en}", fr=f"{item.provision_fr}\u00a0: {item.content_fr}")
    relied_on = (cite(f"{item.provision} ({item.id}): {item.source.citation}", item.source),)
    return {
        status: ctx.catalogue.prepare(code, subject, detail, relied_on)
        for status, code in CLAUSE_FINDING_CODES.items()
    }


def authorisation_findings(processor: Processor, ctx: RuleContext) -> Iterator[Finding]:
    """Sub-processors used with no specific or general authorisation in the DPA."""
    agreement = processor.agreement
    if agreement is None or not processor.sub_processors:
        return
    if agreement.sub_processor_authorisation == SubProcessorAuthorisation.NONE_RECORDED:
        names = ", ".join(s.name for s in processor.sub_processors)
        end = "" if names.endswith(".") else "."  # "… Maple Mail Services Inc." ends the sentence itself
        detail = Localised(en=f"Sub-processors: {names}{end}", fr=f"Sous-traitants ultérieurs\u00a0: {names}{end}")
        yield ctx.catalogue.finding(
            "SUBPROCESSOR_AUTHORISATION_MISSING", processor, processor_subject(processor), detail
        )


def flowdown_findings(processor: Processor, ctx: RuleContext) -> Iterator[Finding]:
    """Each sub-processor not bound (NO) or not known to be bound (UNKNOWN) by
    the same obligations (Art. 28(4))."""
    for entry in processor.sub_processors:
        flowdown = entry.flowdown
        if flowdown == Tristate.YES:
            continue
        code = "SUBPROCESSOR_FLOWDOWN_MISSING" if flowdown == Tristate.NO else "SUBPROCESSOR_FLOWDOWN_UNKNOWN"
        ref = "" if entry.id is None else str(entry.id)
        subject = FindingSubject("sub_processor", ref, entry.name)
        yield ctx.catalogue.finding(code, processor, subject)


def breach_notice_findings(processor: Processor, ctx: RuleContext) -> Iterator[Finding]:
    """No breach-notification deadline, or one longer than the setting
    (exactly ``breach_notice_max_hours`` is still fine)."""
    agreement = processor.agreement
    if agreement is None:
        return
    hours = agreement.breach_notice_hours
    limit = ctx.settings.breach_notice_max_hours
    subject = processor_subject(processor)
    if hours is None:
        yield ctx.catalogue.finding("BREACH_NOTICE_UNDEFINED", processor, subject)
    elif hours > limit:
        detail = Localised(
            en=f"The DPA allows {hours} h; the register's limit is {limit} h.",
            fr=f"Le contrat prévoit {hours} h\u00a0; la limite du registre est de {limit} h.",
        )
        relied_on = (ctx.setting_relied_on("breach_notice_max_hours"),)
        yield ctx.catalogue.finding("BREACH_NOTICE_TOO_LONG", processor, subject, detail, relied_on)


def agreement_findings(processor: Processor, ctx: RuleContext) -> Iterator[Finding]:
    yield from dpa_in_force_findings(processor, ctx)
    yield from clause_findings(processor, ctx)
    yield from authorisation_findings(processor, ctx)
    yield from flowdown_findings(processor, ctx)
    yield from breach_notice_findings(processor, ctx)
