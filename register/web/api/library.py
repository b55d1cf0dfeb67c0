"""Firms and the vendor library: the firm, its members and clients, the library's vendors,
and the link from a client's processor to a library vendor (accept or dismiss a change)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from register.accounts.store import user_id_by_email
from register.compliance.library import (
    FactChange,
    VendorClause,
    VendorFacts,
    VendorLocation,
    VendorSubProcessor,
)
from register.schemas import NO_NUL, CountryCode, Id, Name, Url, Version
from register.store import library, library_files
from register.store.library_files import VendorFile
from register.web.api.documents import Language
from register.web.downloads import stored_file_response
from register.web.uploads import uploaded_file
from register.store.errors import InvalidReference, NotFound
from register.store.library import (
    FactRecord,
    Firm,
    FirmClientEntry,
    FirmMemberEntry,
    FirmStanding,
    Link,
    LinkedClient,
    VendorVersion,
)
from register.vocabulary import ClauseStatus, LocationActivity, Role
from register.web.access import SIGNED_IN, Access, FirmAccess, FirmPermission, Permission, requires, requires_firm

ShortText = Annotated[str, msgspec.Meta(max_length=2000, pattern=NO_NUL)]
OptionalName = Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)]


class LocationIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    country: CountryCode
    activity: LocationActivity = LocationActivity.HOSTING


class SubProcessorIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name
    countries: Annotated[list[CountryCode], msgspec.Meta(max_length=250)] = []
    purpose: ShortText = ""
    dpf_certified: bool | None = None


class ClauseIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    item: Annotated[str, msgspec.Meta(max_length=40, pattern=NO_NUL)]
    status: ClauseStatus


class VendorIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A library vendor's shared facts (the whole set: what is left out is recorded as absent)."""

    legal_name: Name
    trade_name: OptionalName = ""
    website: Url = ""
    country: CountryCode | None = None
    locations: Annotated[list[LocationIn], msgspec.Meta(max_length=500)] = []
    sub_processors: Annotated[list[SubProcessorIn], msgspec.Meta(max_length=1000)] = []
    certifications: Annotated[list[OptionalName], msgspec.Meta(max_length=100)] = []
    dpf_certified: bool | None = None
    dpf_checked_on: date | None = None
    clauses: Annotated[list[ClauseIn], msgspec.Meta(max_length=50)] = []


class VendorUpdateIn(VendorIn, kw_only=True, forbid_unknown_fields=True):
    version: Version


class MemberIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(min_length=3, max_length=254, pattern=NO_NUL)]
    role: Literal["admin", "member"] = "member"


class ClientIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    organisation_id: Id


class LinkIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    vendor_id: Id


class LinkDecisionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Accept (copy the facts of ``vendor_version`` into the register) or dismiss the change."""

    decision: Literal["accept", "dismiss"]
    version: Version  # the link's version you read
    vendor_version: Version  # the vendor version whose changes you reviewed


class UnlinkIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    version: Version


def facts_of(data: VendorIn) -> VendorFacts:
    return VendorFacts(
        legal_name=data.legal_name,
        trade_name=data.trade_name,
        website=data.website,
        country=data.country,
        locations=tuple(VendorLocation(loc.country, loc.activity) for loc in data.locations),
        sub_processors=tuple(
            VendorSubProcessor(s.name, tuple(s.countries), s.purpose, s.dpf_certified) for s in data.sub_processors
        ),
        certifications=tuple(data.certifications),
        dpf_certified=data.dpf_certified,
        dpf_checked_on=data.dpf_checked_on,
        clauses=tuple(VendorClause(c.item, c.status) for c in data.clauses),
    )


@dataclass(frozen=True, slots=True)
class FirmOut:
    firm: Firm
    standing: FirmStanding


@dataclass(frozen=True, slots=True)
class VendorOut:
    id: int
    firm_id: int
    facts: VendorFacts
    recorded: dict[str, FactRecord]
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    version: int


@dataclass(frozen=True, slots=True)
class VendorDetailOut:
    vendor: VendorOut
    versions: list[VendorVersion]
    # Only for the firm's admins (null for everybody else): which clients use the vendor.
    linked_clients: list[LinkedClient] | None


@dataclass(frozen=True, slots=True)
class FirmDetailOut:
    firm: Firm
    standing: FirmStanding
    vendors: list[VendorOut]
    members: list[FirmMemberEntry] | None  # firm admins only
    clients: list[FirmClientEntry] | None  # firm admins only


@dataclass(frozen=True, slots=True)
class LinkOut:
    link: Link
    vendor_name: str
    vendor_version: int
    pending: bool
    changes: tuple[FactChange, ...]


def vendor_out(vendor: library.LibraryVendor) -> VendorOut:
    return VendorOut(vendor.id, vendor.firm_id, vendor.facts, vendor.recorded, vendor.created_by, vendor.created_at,
                     vendor.updated_by, vendor.updated_at, vendor.version)  # fmt: skip


def link_out(review: library.LinkReview) -> LinkOut:
    return LinkOut(review.link, review.vendor_name, review.vendor_version, review.pending, review.changes)


async def member_user_id(email: str) -> int:
    try:
        return await user_id_by_email(email)
    except (NotFound, LookupError):
        raise InvalidReference("email", "no user with this e-mail address") from None


def check_organisation_admin(firm_access: FirmAccess, organisation_id: int) -> None:
    """Only an admin of the organisation may bring it into (or take it out of) a firm."""
    if firm_access.account.role_in(organisation_id) != Role.ADMIN:
        raise InvalidReference("organisation_id", "you are not an admin of this organisation")


class FirmController(Controller):
    path = "/api/v1"
    tags = ["firms and vendor library"]

    @get("/firms", opt=SIGNED_IN)
    async def list_firms(self, request: Request) -> list[FirmOut]:
        """The firms where you have a firm role, or are admin or DPO of a client organisation."""
        account = request.user
        return [FirmOut(f, s) for f, s in await library.firms_of_user(account.id, account.memberships)]

    @get("/firms/{firm_id:int}", opt=requires_firm(FirmPermission.READ_LIBRARY))
    async def get_firm(self, firm_id: FromPath[int], firm_access: NamedDependency[FirmAccess]) -> FirmDetailOut:
        """The firm and its library; its members and clients are shown to the firm's admins only."""
        admin = firm_access.standing.is_admin
        return FirmDetailOut(
            firm=await library.load_firm(firm_id),
            standing=firm_access.standing,
            vendors=[vendor_out(v) for v in await library.list_vendors(firm_id)],
            members=await library.list_firm_members(firm_id) if admin else None,
            clients=await library.list_firm_clients(firm_id) if admin else None,
        )

    @post("/firms/{firm_id:int}/members", status_code=200, opt=requires_firm(FirmPermission.MANAGE_FIRM))
    async def set_member(
        self, firm_id: FromPath[int], data: JSONBody[MemberIn], firm_access: NamedDependency[FirmAccess]
    ) -> list[FirmMemberEntry]:
        """Add a user (by e-mail) to the firm as admin or member, or change their role."""
        await library.set_firm_member(firm_id, await member_user_id(data.email), data.role, firm_access.actor)
        return await library.list_firm_members(firm_id)

    @delete("/firms/{firm_id:int}/members/{user_id:int}", status_code=200, opt=requires_firm(FirmPermission.MANAGE_FIRM))
    async def remove_member(
        self, firm_id: FromPath[int], user_id: FromPath[int], firm_access: NamedDependency[FirmAccess]
    ) -> list[FirmMemberEntry]:
        await library.remove_firm_member(firm_id, user_id, firm_access.actor)
        return await library.list_firm_members(firm_id)

    @post("/firms/{firm_id:int}/clients", status_code=200, opt=requires_firm(FirmPermission.MANAGE_FIRM))
    async def attach_client(
        self, firm_id: FromPath[int], data: JSONBody[ClientIn], firm_access: NamedDependency[FirmAccess]
    ) -> list[FirmClientEntry]:
        """Bring an organisation you are admin of into the firm (an organisation is in at most one firm)."""
        check_organisation_admin(firm_access, data.organisation_id)
        await library.attach_organisation(firm_id, data.organisation_id, firm_access.actor)
        return await library.list_firm_clients(firm_id)

    @delete(
        "/firms/{firm_id:int}/clients/{organisation_id:int}", status_code=200,
        opt=requires_firm(FirmPermission.MANAGE_FIRM),
    )
    async def detach_client(
        self, firm_id: FromPath[int], organisation_id: FromPath[int], firm_access: NamedDependency[FirmAccess]
    ) -> list[FirmClientEntry]:
        """Take an organisation you are admin of out of the firm; its links end, the copied facts stay."""
        check_organisation_admin(firm_access, organisation_id)
        await library.detach_organisation(firm_id, organisation_id, firm_access.actor)
        return await library.list_firm_clients(firm_id)

    @post("/firms/{firm_id:int}/vendors", opt=requires_firm(FirmPermission.EDIT_LIBRARY))
    async def create_vendor(
        self, firm_id: FromPath[int], data: JSONBody[VendorIn], firm_access: NamedDependency[FirmAccess]
    ) -> VendorOut:
        """Add a vendor to the firm's library."""
        return vendor_out(await library.create_vendor(firm_id, facts_of(data), firm_access.actor))

    @get("/library/vendors/{vendor_id:int}", opt=requires_firm(FirmPermission.READ_LIBRARY))
    async def get_vendor(self, vendor_id: FromPath[int], firm_access: NamedDependency[FirmAccess]) -> VendorDetailOut:
        """The vendor's facts with who recorded each and when, its versions, and (firm admins only) its clients."""
        firm_id = firm_access.firm_id
        return VendorDetailOut(
            vendor=vendor_out(await library.load_vendor(firm_id, vendor_id)),
            versions=await library.vendor_versions(firm_id, vendor_id),
            linked_clients=await library.linked_clients(firm_id, vendor_id) if firm_access.standing.is_admin else None,
        )

    @put("/library/vendors/{vendor_id:int}", opt=requires_firm(FirmPermission.EDIT_LIBRARY))
    async def update_vendor(
        self, vendor_id: FromPath[int], data: JSONBody[VendorUpdateIn], firm_access: NamedDependency[FirmAccess]
    ) -> VendorOut:
        """Record the vendor's facts as they now stand (the version you read; 409 if it changed).
        Every client linked to the vendor then has a change to review."""
        return vendor_out(
            await library.update_vendor(firm_access.firm_id, vendor_id, facts_of(data), data.version, firm_access.actor)
        )


@dataclass
class VendorFileUpload:
    """The multipart form of an upload: one file in the field ``file``."""

    file: UploadFile


VENDOR_FILES = "/api/v1/library/vendors/{vendor_id:int}/files"


class VendorFileController(Controller):
    """The vendor's DPA files in the library, and what the reader proposes from one."""

    path = VENDOR_FILES
    tags = ["firms and vendor library"]

    @get("/", opt=requires_firm(FirmPermission.READ_LIBRARY))
    async def list_files(self, vendor_id: FromPath[int], firm_access: NamedDependency[FirmAccess]) -> list[VendorFile]:
        return await library_files.list_vendor_files(firm_access.firm_id, vendor_id)

    @post("/", opt=requires_firm(FirmPermission.EDIT_LIBRARY), request_max_body_size=None)
    async def upload_file(
        self,
        vendor_id: FromPath[int],
        data: Annotated[VendorFileUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        firm_access: NamedDependency[FirmAccess],
    ) -> VendorFile:
        """Upload the vendor's DPA (multipart, field ``file``; the same kinds and limits as a client's DPA files)."""
        content, name = await uploaded_file({"file": data.file})
        return await library_files.add_vendor_file(firm_access.firm_id, vendor_id, content, name, firm_access.actor)

    @get(
        "/{library_file_id:int}/content", opt=requires_firm(FirmPermission.READ_LIBRARY),
        media_type="application/octet-stream", responses=None,
    )
    async def download_file(
        self, vendor_id: FromPath[int], library_file_id: FromPath[int], firm_access: NamedDependency[FirmAccess]
    ) -> Response[bytes]:
        stored = await library_files.load_vendor_file(firm_access.firm_id, vendor_id, library_file_id)
        return stored_file_response(stored, await library_files.vendor_file_content(firm_access.firm_id, stored))

    @get("/{library_file_id:int}/reading", opt=requires_firm(FirmPermission.READ_LIBRARY))
    async def read_file(
        self, vendor_id: FromPath[int], library_file_id: FromPath[int], firm_access: NamedDependency[FirmAccess],
        lang: Language = "en",
    ) -> dict[str, ClauseStatus]:
        """The status the reader proposes for each Art. 28(3) item (nothing is recorded: send the
        statuses you confirm as the vendor's ``clauses`` with PUT /library/vendors/{id})."""
        return await library_files.proposed_clause_statuses(firm_access.firm_id, vendor_id, library_file_id, lang)


class LibraryLinkController(Controller):
    path = "/api/v1/processors/{processor_id:int}/library-link"
    tags = ["firms and vendor library"]

    @get("/", opt=requires(Permission.READ_REGISTER))
    async def get_link(self, processor_id: FromPath[int], access: NamedDependency[Access]) -> LinkOut:
        """The processor's library link and the changes the library made since the version accepted (404 if not linked)."""
        return link_out(await library.review_link(access.organisation_id, processor_id))

    @post("/", opt=requires(Permission.EDIT_REGISTER))
    async def link(
        self, processor_id: FromPath[int], data: JSONBody[LinkIn], access: NamedDependency[Access]
    ) -> LinkOut:
        """Link the processor to a vendor of your firm's library: the vendor's facts are copied into it."""
        return link_out(await library.link_processor(access.organisation_id, processor_id, data.vendor_id, access.actor))

    @post("/decision", status_code=200, opt=requires(Permission.EDIT_REGISTER))
    async def decide(
        self, processor_id: FromPath[int], data: JSONBody[LinkDecisionIn], access: NamedDependency[Access]
    ) -> LinkOut:
        """Accept the change (the facts of ``vendor_version`` copied into the register, audited) or dismiss it."""
        decide = library.accept_change if data.decision == "accept" else library.dismiss_change
        return link_out(await decide(access.organisation_id, processor_id, data.version, data.vendor_version, access.actor))

    @post("/unlink", status_code=204, opt=requires(Permission.EDIT_REGISTER))
    async def unlink(self, processor_id: FromPath[int], data: JSONBody[UnlinkIn], access: NamedDependency[Access]) -> None:
        """End the link; the facts already copied stay in the register."""
        await library.unlink_processor(access.organisation_id, processor_id, data.version, access.actor)


@dataclass(frozen=True, slots=True)
class PendingChangeOut:
    processor_id: int
    link: LinkOut


class LibraryChangesController(Controller):
    path = "/api/v1/organisations/{organisation_id:int}/library-changes"
    tags = ["firms and vendor library"]

    @get("/", opt=requires(Permission.READ_REGISTER))
    async def list_changes(self, organisation_id: FromPath[int], access: NamedDependency[Access]) -> list[PendingChangeOut]:
        """The register's processors whose library vendor changed since the version accepted (to review)."""
        return [
            PendingChangeOut(review.link.processor_id, link_out(review))
            for review in await library.pending_changes(access.organisation_id)
        ]


LIBRARY_CONTROLLERS = [FirmController, VendorFileController, LibraryLinkController, LibraryChangesController]
