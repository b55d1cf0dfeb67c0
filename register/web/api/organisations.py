"""Organisations: the controllers whose registers are kept here."""

from __future__ import annotations

from typing import Annotated

from litestar.di import NamedDependency
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from register.accounts.store import Account
from register.compliance import model
from register.schemas import OrganisationInput, OrganisationPatch
from register.store import changes, reads
from register.store.audit import AuditPage, load_audit_page
from register.store.portability import export_organisation
from register.web.access import SIGNED_IN, Access, Permission, requires


class OrganisationController(Controller):
    path = "/api/v1/organisations"
    tags = ["organisations"]

    @get("/", opt=SIGNED_IN)
    async def list_organisations(self, request: Request) -> list[model.Organisation]:
        """The organisations the caller is a member of."""
        account: Account = request.user
        return await reads.list_organisations_of(list(account.memberships))

    @post("/", opt=SIGNED_IN)
    async def create_organisation(
        self, request: Request, data: JSONBody[OrganisationInput]
    ) -> model.Organisation:
        """Create an organisation; its creator becomes its admin."""
        account: Account = request.user
        return await changes.create_organisation(data.present_fields(), account.email, admin_user_id=account.id)

    @get("/{organisation_id:int}", opt=requires(Permission.MEMBER))
    async def get_organisation(self, organisation_id: FromPath[int]) -> model.Organisation:
        return await reads.load_organisation(organisation_id)

    @patch("/{organisation_id:int}", opt=requires(Permission.MANAGE_ORGANISATION))
    async def update_organisation(
        self, organisation_id: FromPath[int], data: JSONBody[OrganisationPatch], access: NamedDependency[Access]  # type: ignore[valid-type]
    ) -> model.Organisation:
        values = data.present_fields()
        version = values.pop("version")
        return await changes.update_organisation(organisation_id, values, version, access.actor)

    @delete("/{organisation_id:int}", opt=requires(Permission.MANAGE_ORGANISATION))
    async def delete_organisation(self, organisation_id: FromPath[int], access: NamedDependency[Access]) -> None:
        await changes.delete_organisation(organisation_id, access.actor)

    @get("/{organisation_id:int}/audit-events", opt=requires(Permission.READ_AUDIT))
    async def list_audit_events(
        self,
        organisation_id: FromPath[int],
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
    ) -> AuditPage:
        return await load_audit_page(organisation_id, page, per_page)

    @get(
        "/{organisation_id:int}/export",
        media_type="application/json",
        opt=requires(Permission.READ_REGISTER),
    )
    async def export_register(self, organisation_id: FromPath[int]) -> Response[bytes]:
        content = await export_organisation(organisation_id)
        return Response(
            content,
            media_type="application/json",
            headers={
                "Content-Disposition": f'attachment; filename="register-{organisation_id}.json"'
            },
        )
