"""Processors and what each owns: locations, sub-processors, safeguards, its DPA."""

from __future__ import annotations

from typing import Annotated, Any

from litestar.di import NamedDependency
from litestar import Controller, Response, delete, get, patch, post, put
from litestar.serialization import encode_json
from litestar.params import FromPath, FromQuery, JSONBody, PathParameter, QueryParameter

from register.compliance import model
from register.schemas import (
    NO_NUL,
    AgreementInput,
    AgreementPatch,
    ClausePut,
    LocationInput,
    LocationPatch,
    ProcessorInput,
    ProcessorPatch,
    SafeguardInput,
    SafeguardPatch,
    SubProcessorInput,
    SubProcessorPatch,
)
from register.store import changes, reads, snapshots
from register.store.reads import ProcessorFilters, ProcessorPage, ProcessorStatus
from register.vocabulary import LifecycleStatus, ProcessorCategory, ProspectionUse
from register.web.access import Access, Permission, requires

CountryQuery = Annotated[str | None, QueryParameter(pattern="^[A-Z]{2}$", description="ISO alpha-2")]


def split_version(values: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """A patch's fields without its ``version``, and the version."""
    version = values.pop("version")
    return values, version


class RegisterProcessorsController(Controller):
    """An organisation's processor list, and adding a processor to it."""

    path = "/api/v1/organisations/{organisation_id:int}/processors"
    tags = ["processors"]

    @get("/", opt=requires(Permission.READ_REGISTER))
    async def list_processors(
        self,
        organisation_id: FromPath[int],
        status: FromQuery[LifecycleStatus | None] = None,
        category: FromQuery[ProcessorCategory | None] = None,
        country: CountryQuery = None,
        prospection_use: FromQuery[ProspectionUse | None] = None,
        q: Annotated[
            str | None,
            QueryParameter(max_length=200, pattern=NO_NUL, description="name contains (% and _ match themselves)"),
        ] = None,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> Response[ProcessorPage]:
        filters = ProcessorFilters(
            status=status, category=category, country=country,
            prospection_use=prospection_use, name=q,
        )

        async def encoded_page() -> bytes:
            return encode_json(await reads.load_processor_page(organisation_id, filters, page, per_page))

        answer = await snapshots.cached_answer(organisation_id, ("processors", filters, page, per_page), encoded_page)
        return Response(answer, media_type="application/json")

    @post("/", opt=requires(Permission.EDIT_REGISTER))
    async def create_processor(
        self, organisation_id: FromPath[int], data: JSONBody[ProcessorInput], access: NamedDependency[Access]
    ) -> model.Processor:
        return await changes.create_processor(organisation_id, data.present_fields(), access.actor)

    @get("/statuses", opt=requires(Permission.LIST_PROCESSORS))
    async def list_processor_statuses(self, organisation_id: FromPath[int]) -> list[ProcessorStatus]:
        """Names, categories and lifecycle statuses: what procurement may read."""
        return await reads.list_processor_statuses(organisation_id)


class ProcessorController(Controller):
    """One processor, with everything it owns."""

    path = "/api/v1/processors/{processor_id:int}"
    tags = ["processors"]

    @get("/", opt=requires(Permission.READ_REGISTER))
    async def get_processor(self, processor_id: FromPath[int], access: NamedDependency[Access]) -> model.Processor:
        return await reads.load_processor(processor_id, access.organisation_id)

    @patch("/", opt=requires(Permission.EDIT_REGISTER))
    async def update_processor(
        self, processor_id: FromPath[int], data: JSONBody[ProcessorPatch], access: NamedDependency[Access]  # type: ignore[valid-type]
    ) -> model.Processor:
        values, version = split_version(data.present_fields())
        return await changes.update_processor(
            access.organisation_id, processor_id, values, version, access.actor
        )

    @delete("/", opt=requires(Permission.EDIT_REGISTER))
    async def delete_processor(self, processor_id: FromPath[int], access: NamedDependency[Access]) -> None:
        await changes.delete_processor(access.organisation_id, processor_id, access.actor)


class OwnedRecordsController(Controller):
    """Locations, sub-processors and transfer safeguards of a processor."""

    path = "/api/v1/processors/{processor_id:int}"
    tags = ["processors"]

    @post("/locations", opt=requires(Permission.EDIT_REGISTER))
    async def add_location(
        self, processor_id: FromPath[int], data: JSONBody[LocationInput], access: NamedDependency[Access]
    ) -> model.Processor:
        return await changes.add_location(
            access.organisation_id, processor_id, data.present_fields(), access.actor
        )

    @patch("/locations/{location_id:int}", opt=requires(Permission.EDIT_REGISTER))
    async def update_location(
        self,
        processor_id: FromPath[int],
        location_id: FromPath[int],
        data: JSONBody[LocationPatch],  # type: ignore[valid-type]
        access: NamedDependency[Access],
    ) -> model.Processor:
        return await _update_child("location", access, processor_id, location_id, data)

    @delete("/locations/{location_id:int}", status_code=200, opt=requires(Permission.EDIT_REGISTER))
    async def delete_location(
        self, processor_id: FromPath[int], location_id: FromPath[int], access: NamedDependency[Access]
    ) -> model.Processor:
        return await _delete_child("location", access, processor_id, location_id)

    @post("/sub-processors", opt=requires(Permission.EDIT_REGISTER))
    async def add_sub_processor(
        self, processor_id: FromPath[int], data: JSONBody[SubProcessorInput], access: NamedDependency[Access]
    ) -> model.Processor:
        return await changes.add_sub_processor(
            access.organisation_id, processor_id, data.present_fields(), access.actor
        )

    @patch("/sub-processors/{sub_processor_id:int}", opt=requires(Permission.EDIT_REGISTER))
    async def update_sub_processor(
        self,
        processor_id: FromPath[int],
        sub_processor_id: FromPath[int],
        data: JSONBody[SubProcessorPatch],  # type: ignore[valid-type]
        access: NamedDependency[Access],
    ) -> model.Processor:
        return await _update_child("sub_processor", access, processor_id, sub_processor_id, data)

    @delete("/sub-processors/{sub_processor_id:int}", status_code=200, opt=requires(Permission.EDIT_REGISTER))
    async def delete_sub_processor(
        self, processor_id: FromPath[int], sub_processor_id: FromPath[int], access: NamedDependency[Access]
    ) -> model.Processor:
        return await _delete_child("sub_processor", access, processor_id, sub_processor_id)

    @post("/safeguards", opt=requires(Permission.EDIT_REGISTER))
    async def add_safeguard(
        self, processor_id: FromPath[int], data: JSONBody[SafeguardInput], access: NamedDependency[Access]
    ) -> model.Processor:
        return await changes.add_safeguard(
            access.organisation_id, processor_id, data.present_fields(), access.actor
        )

    @patch("/safeguards/{safeguard_id:int}", opt=requires(Permission.EDIT_REGISTER))
    async def update_safeguard(
        self,
        processor_id: FromPath[int],
        safeguard_id: FromPath[int],
        data: JSONBody[SafeguardPatch],  # type: ignore[valid-type]
        access: NamedDependency[Access],
    ) -> model.Processor:
        return await _update_child("safeguard", access, processor_id, safeguard_id, data)

    @delete("/safeguards/{safeguard_id:int}", status_code=200, opt=requires(Permission.EDIT_REGISTER))
    async def delete_safeguard(
        self, processor_id: FromPath[int], safeguard_id: FromPath[int], access: NamedDependency[Access]
    ) -> model.Processor:
        return await _delete_child("safeguard", access, processor_id, safeguard_id)


async def _update_child(
    kind: str, access: NamedDependency[Access], processor_id: int, child_id: int, data: Any
) -> model.Processor:
    values, version = split_version(data.present_fields())
    return await changes.update_child(
        kind, access.organisation_id, processor_id, child_id, values, version, access.actor
    )


async def _delete_child(kind: str, access: NamedDependency[Access], processor_id: int, child_id: int) -> model.Processor:
    return await changes.delete_child(kind, access.organisation_id, processor_id, child_id, access.actor)


class AgreementController(Controller):
    """The processor's DPA and its Art. 28(3) checklist."""

    path = "/api/v1/processors/{processor_id:int}/agreement"
    tags = ["agreement"]

    @get("/", opt=requires(Permission.READ_REGISTER))
    async def get_agreement(self, processor_id: FromPath[int], access: NamedDependency[Access]) -> model.Agreement:
        processor = await reads.load_processor(processor_id, access.organisation_id)
        if processor.agreement is None:
            raise reads.NotFound("agreement of processor", processor_id)
        return processor.agreement

    @post("/", opt=requires(Permission.EDIT_REGISTER))
    async def create_agreement(
        self, processor_id: FromPath[int], data: JSONBody[AgreementInput], access: NamedDependency[Access]
    ) -> model.Processor:
        return await changes.create_agreement(
            access.organisation_id, processor_id, data.present_fields(), access.actor
        )

    @patch("/", opt=requires(Permission.EDIT_REGISTER))
    async def update_agreement(
        self, processor_id: FromPath[int], data: JSONBody[AgreementPatch], access: NamedDependency[Access]  # type: ignore[valid-type]
    ) -> model.Processor:
        values, version = split_version(data.present_fields())
        return await changes.update_agreement(
            access.organisation_id, processor_id, values, version, access.actor
        )

    @delete("/", status_code=200, opt=requires(Permission.EDIT_REGISTER))
    async def delete_agreement(self, processor_id: FromPath[int], access: NamedDependency[Access]) -> model.Processor:
        return await changes.delete_agreement(access.organisation_id, processor_id, access.actor)

    @put("/clauses/{item:str}", opt=requires(Permission.EDIT_REGISTER))
    async def put_clause(
        self,
        processor_id: FromPath[int],
        item: Annotated[str, PathParameter(max_length=40)],
        data: JSONBody[ClausePut],
        access: NamedDependency[Access],
    ) -> model.Processor:
        values = data.present_fields()
        version = values.pop("version", None)
        return await changes.put_clause(
            access.organisation_id, processor_id, item, values, version, access.actor
        )
