"""A candidate tool described in one request, as the core's plain value."""

from __future__ import annotations

from typing import Any

import msgspec

from register.compliance import model
from register.schemas import CandidateInput
from register.store.errors import InvalidReference

NESTED = ("locations", "sub_processors", "agreement", "safeguards")


def _fields(record: Any, *exclude: str) -> dict[str, Any]:
    values = msgspec.structs.asdict(record)
    return {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in values.items()
        if name not in exclude
    }


def candidate_processor(candidate: CandidateInput, organisation_id: int) -> model.Processor:
    """The candidate as an unsaved processor (no id); sub-processor ids are their keys."""
    sub_keys = {sub.key for sub in candidate.sub_processors}
    for index, safeguard in enumerate(candidate.safeguards):
        if safeguard.sub_processor_id is not None and safeguard.sub_processor_id not in sub_keys:
            raise InvalidReference(
                f"safeguards[{index}].sub_processor_id",
                f"no sub-processor with key {safeguard.sub_processor_id} in this candidate",
            )
    agreement = None
    if candidate.agreement is not None:
        agreement = model.Agreement(
            id=None,
            **_fields(candidate.agreement, "clauses"),
            clauses=tuple(
                model.ClauseAssessment(id=None, **_fields(c)) for c in candidate.agreement.clauses
            ),
        )
    return model.Processor(
        id=None,
        organisation_id=organisation_id,
        **_fields(candidate, *NESTED),
        locations=tuple(model.Location(id=None, **_fields(loc)) for loc in candidate.locations),
        sub_processors=tuple(
            model.SubProcessor(id=sub.key, **_fields(sub, "key")) for sub in candidate.sub_processors
        ),
        agreement=agreement,
        safeguards=tuple(model.Safeguard(id=None, **_fields(s)) for s in candidate.safeguards),
    )
