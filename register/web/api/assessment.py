"""Findings, scores, transfer maps and procurement verdicts (the compliance core's answers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from litestar.di import NamedDependency
from litestar import Controller, Response, get, post
from litestar.serialization import encode_json
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from register.candidates import candidate_processor
from register.compliance import assess_processor, procurement_verdict
from register.compliance.model import Finding
from register.compliance.results import (
    ProcessorAssessment,
    ProcurementVerdict,
    SeverityCounts,
)
from register.compliance.scoring import count_by_severity
from register.schemas import CandidateInput
from register.store import reads, snapshots
from register.vocabulary import Severity
from register.web.access import Access, Permission, requires

AsOf = Annotated[
    date | None,
    QueryParameter(description="evaluate as of this date (default: today), to reproduce a past report"),
]


def as_of_or_today(as_of: date | None) -> date:
    return as_of or date.today()


@dataclass(frozen=True, slots=True)
class ProcessorRisk:
    processor_id: int | None
    processor_name: str
    score: int
    counts: SeverityCounts


@dataclass(frozen=True, slots=True)
class GapReport:
    """Register-wide findings (after filters) and the summary of the whole register."""

    as_of: date
    score: int
    counts: SeverityCounts  # of the whole register, before filters
    ranking: tuple[ProcessorRisk, ...]  # worst first
    findings: tuple[Finding, ...]  # filtered
    filtered_counts: SeverityCounts


class AssessmentController(Controller):
    path = "/api/v1"
    tags = ["compliance"]

    @get("/processors/{processor_id:int}/assessment", opt=requires(Permission.READ_REGISTER))
    async def processor_assessment(
        self, processor_id: FromPath[int], access: NamedDependency[Access], as_of: AsOf = None
    ) -> Response[ProcessorAssessment]:
        day = as_of_or_today(as_of)

        async def encoded_assessment() -> bytes:
            chain = await reads.load_processor_chain(processor_id, access.organisation_id)
            return encode_json(assess_processor(chain[processor_id], as_of=day, registry=chain))

        answer = await snapshots.cached_answer(
            access.organisation_id, ("assessment", processor_id, day), encoded_assessment
        )
        return Response(answer, media_type="application/json")

    @get("/organisations/{organisation_id:int}/gaps", opt=requires(Permission.READ_REGISTER))
    async def register_gaps(
        self,
        organisation_id: FromPath[int],
        as_of: AsOf = None,
        severity: FromQuery[Severity | None] = None,
        code: Annotated[str | None, QueryParameter(max_length=60, pattern="^[A-Z0-9_]+$")] = None,
        processor_id: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> GapReport:
        _, assessment = await snapshots.register_assessment(organisation_id, as_of_or_today(as_of))
        findings = tuple(
            finding
            for finding in assessment.findings
            if (severity is None or finding.severity == severity)
            and (code is None or finding.code == code)
            and (processor_id is None or finding.processor_id == processor_id)
        )
        return GapReport(
            as_of=assessment.as_of,
            score=assessment.score,
            counts=assessment.counts,
            ranking=tuple(
                ProcessorRisk(p.processor_id, p.processor_name, p.score, p.counts)
                for p in assessment.processors
            ),
            findings=findings,
            filtered_counts=count_by_severity(findings),
        )

    @post(
        "/organisations/{organisation_id:int}/procurement/check",
        status_code=200,
        opt=requires(Permission.SUBMIT_PROCUREMENT),
    )
    async def procurement_check(
        self, organisation_id: FromPath[int], data: JSONBody[CandidateInput], as_of: AsOf = None
    ) -> ProcurementVerdict:
        """The verdict on a candidate tool; nothing is saved."""
        candidate = candidate_processor(data, organisation_id)
        snapshot = await snapshots.register_snapshot(organisation_id)
        return procurement_verdict(candidate, as_of=as_of_or_today(as_of), registry=snapshot.registry)
