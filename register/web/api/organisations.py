"""Organisations: the controllers whose registers are kept here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody, PathParameter, QueryParameter

from register.compliance import model
from register.schemas import OrganisationInput, OrganisationPatch
from register.store import changes, reads
from register.store.audit import AuditPage, load_audit_page
from register.store.portability import export_organisation

API_ACTOR = "api"


class OrganisationController(Controller):
    path = "/api/v1/organisations"
    tags = ["organisations"]

    @get("/")
    async def list_organisations(self) -> list[model.Organisation]:
        return await reads.list_organisations()

    @post("/")
    async def create_organisation(self, data: JSONBody[OrganisationInput]) -> model.Organisation:
        return await changes.create_organisation(data.present_fields(), API_ACTOR)

    @get("/{organisation_id:int}")
    async def get_organisation(self, organisation_id: FromPath[int]) -> model.Organisation:
        return await reads.load_organisation(organisation_id)

    @patch("/{organisation_id:int}")
    async def update_organisation(
        self, organisation_id: FromPath[int], data: JSONBody[OrganisationPatch]  # type: ignore[valid-type]
    ) -> model.Organisation:
        values = data.present_fields()
        version = values.pop("version")
        return await changes.update_organisation(organisation_id, values, version, API_ACTOR)

    @delete("/{organisation_id:int}")
    async def delete_organisation(self, organisation_id: FromPath[int]) -> None:
        await changes.delete_organisation(organisation_id, API_ACTOR)

    @get("/{organisation_id:int}/audit-events")
    async def list_audit_events(
        self,
        organisation_id: FromPath[int],
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
    ) -> AuditPage:
        await reads.organisation_row(organisation_id)
        return await load_audit_page(organisation_id, page, per_page)

    @get("/{organisation_id:int}/export", media_type="application/json")
    async def export_register(self, organisation_id: FromPath[int]) -> Response[bytes]:
        content = await export_organisation(organisation_id)
        return Response(
            content,
            media_type="application/json",
            headers={
                "Content-Disposition": f'attachment; filename="register-{organisation_id}.json"'
            },
        )
