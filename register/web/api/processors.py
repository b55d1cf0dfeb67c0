"""Processors and what each owns: locations, sub-processors, safeguards, its DPA."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, delete, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody, PathParameter, QueryParameter

from register.compliance import model
from register.schemas import (
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
from register.store import changes, reads
from register.store.reads import ProcessorFilters, ProcessorPage
from register.vocabulary import LifecycleStatus, ProcessorCategory, ProspectionUse
from register.web.api.organisations import API_ACTOR

CountryQuery = Annotated[str | None, QueryParameter(pattern="^[A-Z]{2}$", description="ISO alpha-2")]


def split_version(values: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """A patch's fields without its ``version``, and the version."""
    version = values.pop("version")
    return values, version


class RegisterProcessorsController(Controller):
    """An organisation's processor list, and adding a processor to it."""

    path = "/api/v1/organisations/{organisation_id:int}/processors"
    tags = ["processors"]

    @get("/")
    async def list_processors(
        self,
        organisation_id: FromPath[int],
        status: FromQuery[LifecycleStatus | None] = None,
        category: FromQuery[ProcessorCategory | None] = None,
        country: CountryQuery = None,
        prospection_use: FromQuery[ProspectionUse | None] = None,
        q: Annotated[str | None, QueryParameter(max_length=200, description="name contains")] = None,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> ProcessorPage:
        await reads.organisation_row(organisation_id)
        filters = ProcessorFilters(
            status=status, category=category, country=country,
            prospection_use=prospection_use, name=q,
        )
        return await reads.load_processor_page(organisation_id, filters, page, per_page)

    @post("/")
    async def create_processor(self, organisation_id: FromPath[int], data: JSONBody[ProcessorInput]) -> model.Processor:
        return await changes.create_processor(organisation_id, data.present_fields(), API_ACTOR)


class ProcessorController(Controller):
    """One processor, with everything it owns."""

    path = "/api/v1/processors/{processor_id:int}"
    tags = ["processors"]

    @get("/")
    async def get_processor(self, processor_id: FromPath[int]) -> model.Processor:
        return await reads.load_processor(processor_id)

    @patch("/")
    async def update_processor(
        self, processor_id: FromPath[int], data: JSONBody[ProcessorPatch]  # type: ignore[valid-type]
    ) -> model.Processor:
        organisation_id = await reads.processor_organisation(processor_id)
        values, version = split_version(data.present_fields())
        return await changes.update_processor(organisation_id, processor_id, values, version, API_ACTOR)

    @delete("/")
    async def delete_processor(self, processor_id: FromPath[int]) -> None:
        organisation_id = await reads.processor_organisation(processor_id)
        await changes.delete_processor(organisation_id, processor_id, API_ACTOR)


class OwnedRecordsController(Controller):
    """Locations, sub-processors and transfer safeguards of a processor."""

    path = "/api/v1/processors/{processor_id:int}"
    tags = ["processors"]

    @post("/locations")
    async def add_location(self, processor_id: FromPath[int], data: JSONBody[LocationInput]) -> model.Processor:
        organisation_id = await reads.processor_organisation(processor_id)
        return await changes.add_location(organisation_id, processor_id, data.present_fields(), API_ACTOR)

    @patch("/locations/{location_id:int}")
    async def update_location(
        self, processor_id: FromPath[int], location_id: FromPath[int], data: JSONBody[LocationPatch]  # type: ignore[valid-type]
    ) -> model.Processor:
        return await _update_child("location", processor_id, location_id, data)

    @delete("/locations/{location_id:int}", status_code=200)
    async def delete_location(self, processor_id: FromPath[int], location_id: FromPath[int]) -> model.Processor:
        return await _delete_child("location", processor_id, location_id)

    @post("/sub-processors")
    async def add_sub_processor(self, processor_id: FromPath[int], data: JSONBody[SubProcessorInput]) -> model.Processor:
        organisation_id = await reads.processor_organisation(processor_id)
        return await changes.add_sub_processor(
            organisation_id, processor_id, data.present_fields(), API_ACTOR
        )

    @patch("/sub-processors/{sub_processor_id:int}")
    async def update_sub_processor(
        self, processor_id: FromPath[int], sub_processor_id: FromPath[int], data: JSONBody[SubProcessorPatch]  # type: ignore[valid-type]
    ) -> model.Processor:
        return await _update_child("sub_processor", processor_id, sub_processor_id, data)

    @delete("/sub-processors/{sub_processor_id:int}", status_code=200)
    async def delete_sub_processor(self, processor_id: FromPath[int], sub_processor_id: FromPath[int]) -> model.Processor:
        return await _delete_child("sub_processor", processor_id, sub_processor_id)

    @post("/safeguards")
    async def add_safeguard(self, processor_id: FromPath[int], data: JSONBody[SafeguardInput]) -> model.Processor:
        organisation_id = await reads.processor_organisation(processor_id)
        return await changes.add_safeguard(organisation_id, processor_id, data.present_fields(), API_ACTOR)

    @patch("/safeguards/{safeguard_id:int}")
    async def update_safeguard(
        self, processor_id: FromPath[int], safeguard_id: FromPath[int], data: JSONBody[SafeguardPatch]  # type: ignore[valid-type]
    ) -> model.Processor:
        return await _update_child("safeguard", processor_id, safeguard_id, data)

    @delete("/safeguards/{safeguard_id:int}", status_code=200)
    async def delete_safeguard(self, processor_id: FromPath[int], safeguard_id: FromPath[int]) -> model.Processor:
        return await _delete_child("safeguard", processor_id, safeguard_id)


async def _update_child(kind: str, processor_id: FromPath[int], child_id: int, data: JSONBody[Any]) -> model.Processor:
    organisation_id = await reads.processor_organisation(processor_id)
    values, version = split_version(data.present_fields())
    return await changes.update_child(
        kind, organisation_id, processor_id, child_id, values, version, API_ACTOR
    )


async def _delete_child(kind: str, processor_id: FromPath[int], child_id: int) -> model.Processor:
    organisation_id = await reads.processor_organisation(processor_id)
    return await changes.delete_child(kind, organisation_id, processor_id, child_id, API_ACTOR)


class AgreementController(Controller):
    """The processor's DPA and its Art. 28(3) checklist."""

    path = "/api/v1/processors/{processor_id:int}/agreement"
    tags = ["agreement"]

    @get("/")
    async def get_agreement(self, processor_id: FromPath[int]) -> model.Agreement:
        processor = await reads.load_processor(processor_id)
        if processor.agreement is None:
            raise reads.NotFound("agreement of processor", processor_id)
        return processor.agreement

    @post("/")
    async def create_agreement(self, processor_id: FromPath[int], data: JSONBody[AgreementInput]) -> model.Processor:
        organisation_id = await reads.processor_organisation(processor_id)
        return await changes.create_agreement(
            organisation_id, processor_id, data.present_fields(), API_ACTOR
        )

    @patch("/")
    async def update_agreement(
        self, processor_id: FromPath[int], data: JSONBody[AgreementPatch]  # type: ignore[valid-type]
    ) -> model.Processor:
        organisation_id = await reads.processor_organisation(processor_id)
        values, version = split_version(data.present_fields())
        return await changes.update_agreement(organisation_id, processor_id, values, version, API_ACTOR)

    @delete("/", status_code=200)
    async def delete_agreement(self, processor_id: FromPath[int]) -> model.Processor:
        organisation_id = await reads.processor_organisation(processor_id)
        return await changes.delete_agreement(organisation_id, processor_id, API_ACTOR)

    @put("/clauses/{item:str}")
    async def put_clause(
        self,
        processor_id: FromPath[int],
        item: Annotated[str, PathParameter(max_length=40)],
        data: JSONBody[ClausePut],
    ) -> model.Processor:
        organisation_id = await reads.processor_organisation(processor_id)
        values = data.present_fields()
        version = values.pop("version", None)
        return await changes.put_clause(organisation_id, processor_id, item, values, version, API_ACTOR)
