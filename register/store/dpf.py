"""DPF certifications: the register's US recipients to match against the DPF list,
and the DPO's confirmed results written in one audited transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from register.intake.dpf_list import Candidate
from register.store.errors import InvalidReference
from register.store.reads import load_register
from register.store.writes import record_audit, update_row, write_transaction
from register.tables import Processor, SubProcessor
from register.vocabulary import AuditAction, ProcessorCategory

US = "US"
DPF_ENTITY = "dpf_list"


@dataclass(frozen=True, slots=True)
class DpfDecision:
    """One confirmed proposal: the record, the version the DPO saw, the value to record."""

    kind: str  # "processor" | "sub_processor"
    id: int
    version: int
    certified: bool


async def load_dpf_candidates(organisation_id: int) -> list[Candidate]:
    """Processors headquartered in the US and sub-processors with the US among their countries."""
    candidates = []
    for processor in await load_register(organisation_id):
        hr = processor.category == ProcessorCategory.HR_PAYROLL
        if processor.headquarters_country == US:
            candidates.append(Candidate(
                "processor", processor.id, processor.id, processor.legal_name,
                processor.dpf_certified, processor.dpf_checked_on, processor.version, hr,
            ))
        for sub in processor.sub_processors:
            if US in sub.countries:
                candidates.append(Candidate(
                    "sub_processor", sub.id, processor.id, sub.name,
                    sub.dpf_certified, sub.dpf_checked_on, sub.version, hr,
                ))
    return candidates


async def apply_dpf_checks(
    organisation_id: int, decisions: list[DpfDecision], checked_on: date, actor: str, source: str
) -> int:
    """Record each decision (certified or not, checked on ``checked_on``) in one transaction.

    A record changed since the proposal was shown (stale version) or not of
    this organisation refuses the whole batch: nothing is written.
    """
    if not decisions:
        raise InvalidReference("proposal", "choose at least one proposal to confirm")
    async with write_transaction(organisation_id):
        for decision in decisions:
            values = {"dpf_certified": decision.certified, "dpf_checked_on": checked_on}
            if decision.kind == "processor":
                condition = (Processor.id == decision.id) & (Processor.organisation == organisation_id)
                await update_row(Processor, condition, decision.id, values, decision.version, organisation_id, actor)
            else:
                condition = (SubProcessor.id == decision.id) & (SubProcessor.processor.organisation == organisation_id)
                await update_row(SubProcessor, condition, decision.id, values, decision.version, organisation_id, actor)
        await record_audit(
            organisation_id, actor, DPF_ENTITY, None, AuditAction.IMPORT, None,
            {"source": source, "checked_on": checked_on.isoformat(), "confirmed": len(decisions)},
        )
    return len(decisions)
