"""Procurement requests: submit a tool, read its verdict, decide with reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from register.compliance.results import ProcurementVerdict
from register.schemas import NO_NUL, CandidateInput, Version
from register.store import procurement
from register.store.procurement import ProcurementRequest
from register.verdicts import verdicts_for
from register.vocabulary import ProcurementStatus
from register.web.access import Access, Permission, requires
from register.web.api.assessment import AsOf, as_of_or_today


class Submission(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    purpose: Annotated[str, msgspec.Meta(max_length=5000, pattern=NO_NUL)] = ""
    candidate: CandidateInput


class Decision(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    decision: ProcurementStatus
    reasons: Annotated[str, msgspec.Meta(min_length=1, max_length=5000, pattern=NO_NUL)]
    version: Version
    # required with approved_with_conditions, ignored otherwise
    conditions: Annotated[
        list[Annotated[str, msgspec.Meta(min_length=1, max_length=1000, pattern=NO_NUL)]], msgspec.Meta(max_length=20)
    ] = []


@dataclass(frozen=True, slots=True)
class RequestWithVerdict:
    request: ProcurementRequest
    verdict: ProcurementVerdict


async def _with_verdicts(
    organisation_id: int, requests: list[ProcurementRequest], as_of: date
) -> list[RequestWithVerdict]:
    verdicts = await verdicts_for(organisation_id, requests, as_of)
    return [RequestWithVerdict(r, v) for r, v in zip(requests, verdicts, strict=True)]


class ProcurementController(Controller):
    path = "/api/v1"
    tags = ["procurement"]

    @post(
        "/organisations/{organisation_id:int}/procurement/requests",
        opt=requires(Permission.SUBMIT_PROCUREMENT),
    )
    async def submit_request(
        self, organisation_id: FromPath[int], data: JSONBody[Submission], access: NamedDependency[Access]
    ) -> RequestWithVerdict:
        request = await procurement.submit_procurement_request(
            organisation_id, data.candidate, data.purpose, access.actor
        )
        return (await _with_verdicts(organisation_id, [request], date.today()))[0]

    @get(
        "/organisations/{organisation_id:int}/procurement/requests",
        opt=requires(Permission.READ_PROCUREMENT),
    )
    async def list_requests(
        self,
        organisation_id: FromPath[int],
        status: FromQuery[ProcurementStatus | None] = None,
        as_of: AsOf = None,
    ) -> list[RequestWithVerdict]:
        requests = await procurement.list_procurement_requests(organisation_id, status)
        return await _with_verdicts(organisation_id, requests, as_of_or_today(as_of))

    @get("/procurement-requests/{request_id:int}", opt=requires(Permission.READ_PROCUREMENT))
    async def get_request(
        self, request_id: FromPath[int], access: NamedDependency[Access], as_of: AsOf = None
    ) -> RequestWithVerdict:
        request = await procurement.load_procurement_request(access.organisation_id, request_id)
        return (await _with_verdicts(access.organisation_id, [request], as_of_or_today(as_of)))[0]

    @post(
        "/procurement-requests/{request_id:int}/decision",
        status_code=200,
        opt=requires(Permission.DECIDE_PROCUREMENT),
    )
    async def decide_request(
        self, request_id: FromPath[int], data: JSONBody[Decision], access: NamedDependency[Access]
    ) -> RequestWithVerdict:
        request = await procurement.decide_procurement_request(
            access.organisation_id, request_id, data.decision, data.reasons, data.version, access.actor,
            conditions=data.conditions, role=access.role.value,
        )
        return (await _with_verdicts(access.organisation_id, [request], date.today()))[0]
