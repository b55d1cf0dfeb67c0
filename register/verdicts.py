"""Procurement verdicts for submitted requests, computed by the core when read."""

from __future__ import annotations

from datetime import date
from typing import Sequence

from register.candidates import candidate_processor
from register.compliance import procurement_verdict
from register.compliance.results import ProcurementVerdict
from register.store.procurement import ProcurementRequest
from register.store.reads import load_register


async def verdicts_for(
    organisation_id: int, requests: Sequence[ProcurementRequest], as_of: date
) -> list[ProcurementVerdict]:
    """One verdict per request, against the register as it stands (six queries in all)."""
    if not requests:
        return []
    register = await load_register(organisation_id)
    registry = {processor.id: processor for processor in register}
    return [
        procurement_verdict(
            candidate_processor(request.candidate, organisation_id), as_of=as_of, registry=registry
        )
        for request in requests
    ]
