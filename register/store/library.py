"""Firms and the vendor library: who stands where, the vendors' facts, and the links
from a client's processor to a library vendor.

Rules (issue 14):

- A firm has admins and members (``firm_member``) and client organisations
  (``firm_client``; an organisation belongs to at most one firm, a unique column).
- A library vendor's facts are one JSON document with a version; every change is
  an UPDATE naming the version read (a stale one changes nothing), keeps the new
  version's facts in ``library_vendor_version`` and is audited (organisation-less
  audit events: the library belongs to no client).
- Linking a client's processor copies the vendor's facts into the processor in the
  same transaction as the link (audited like any change of the register), and the
  link records the version copied. A newer version of the vendor is a change to
  review, never applied by itself: the DPO accepts it (the facts of the version
  reviewed are copied, the link's UPDATE names the link version read) or dismisses it.
- Nothing of a client is kept in the library: the link rows belong to the client's
  organisation; only the firm's admins are shown which clients use a vendor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import msgspec

from register.compliance import model
from register.compliance.library import (
    FactChange,
    VendorFacts,
    VendorSubProcessor,
    compare_facts,
    facts_changed,
)
from register.compliance.notices import name_key
from register.reference import load_reference
from register.store.errors import Conflict, InvalidReference, NotFound, StaleVersion
from register.store.reads import load_processor
from register.store.writes import delete_row, insert_row, new_revision_tag, record_audit, update_row, write_transaction
from register.tables import ClauseAssessment as ClauseTable
from register.tables import Firm as FirmTable
from register.tables import FirmClient as FirmClientTable
from register.tables import FirmMember as FirmMemberTable
from register.tables import LibraryLink as LinkTable
from register.tables import LibraryVendor as VendorTable
from register.tables import LibraryVendorVersion as VendorVersionTable
from register.tables import Organisation as OrganisationTable
from register.tables import ProcessingLocation as LocationTable
from register.tables import Processor as ProcessorTable
from register.tables import SubProcessor as SubProcessorTable
from register.tables import User as UserTable
from register.vocabulary import AuditAction, ClauseStatus, Role

FIRM_ADMIN = "admin"
FIRM_MEMBER = "member"
FIRM_ROLES = (FIRM_ADMIN, FIRM_MEMBER)
# The roles in a client organisation that may read the library and link its processors.
CLIENT_ROLES = (Role.ADMIN, Role.DPO)


# ------------------------------------------------------------------ values


@dataclass(frozen=True, slots=True)
class Firm:
    id: int
    name: str
    created_by: str
    created_at: datetime
    version: int


@dataclass(frozen=True, slots=True)
class FirmStanding:
    """The caller's standing in a firm: a firm role, and the client organisations where
    the caller is admin or DPO (who may read the library and link processors)."""

    firm_id: int
    firm_role: str | None
    client_organisation_ids: tuple[int, ...]

    @property
    def is_admin(self) -> bool:
        return self.firm_role == FIRM_ADMIN

    @property
    def keeps_library(self) -> bool:
        return self.firm_role in FIRM_ROLES

    @property
    def reads_library(self) -> bool:
        return self.keeps_library or bool(self.client_organisation_ids)


@dataclass(frozen=True, slots=True)
class FirmMemberEntry:
    user_id: int
    email: str
    role: str


@dataclass(frozen=True, slots=True)
class FirmClientEntry:
    organisation_id: int
    name: str
    attached_by: str
    attached_at: datetime


@dataclass(frozen=True, slots=True)
class FactRecord:
    """Who recorded a fact of a library vendor, and when."""

    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class LibraryVendor:
    id: int
    firm_id: int
    facts: VendorFacts
    recorded: dict[str, FactRecord]
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    version: int

    @property
    def display_name(self) -> str:
        return self.facts.trade_name or self.facts.legal_name


@dataclass(frozen=True, slots=True)
class VendorVersion:
    version: int
    facts: VendorFacts
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class Link:
    id: int
    organisation_id: int
    processor_id: int
    vendor_id: int
    accepted_version: int
    dismissed_version: int | None
    linked_by: str
    linked_at: datetime
    decided_by: str
    decided_at: datetime | None
    version: int


@dataclass(frozen=True, slots=True)
class LinkReview:
    """A client's link with what the library changed since the version it accepted."""

    link: Link
    vendor_name: str
    vendor_version: int
    changed_at: datetime  # when the vendor's current version was recorded
    changes: tuple[FactChange, ...]  # accepted version -> current version

    @property
    def pending(self) -> bool:
        """A newer version the DPO has neither accepted nor dismissed."""
        if self.vendor_version <= self.link.accepted_version:
            return False
        return self.link.dismissed_version is None or self.link.dismissed_version < self.vendor_version


@dataclass(frozen=True, slots=True)
class LinkedClient:
    """For the firm's admins only: which client uses a vendor, and whether it is up to date."""

    organisation_id: int
    organisation_name: str
    processor_id: int
    processor_name: str
    accepted_version: int
    dismissed_version: int | None


# ------------------------------------------------------------------ conversions


def facts_from_json(value: Any) -> VendorFacts:
    if isinstance(value, (str, bytes)):
        value = msgspec.json.decode(value)
    return msgspec.convert(value, VendorFacts)


def facts_to_json(facts: VendorFacts) -> dict[str, Any]:
    return msgspec.to_builtins(facts)


def _loaded(value: Any) -> Any:
    return msgspec.json.decode(value) if isinstance(value, (str, bytes)) else value


def _firm_from_row(row: dict[str, Any]) -> Firm:
    return Firm(row["id"], row["name"], row["created_by"], row["created_at"], row["version"])


def _vendor_from_row(row: dict[str, Any]) -> LibraryVendor:
    recorded = {
        fact: FactRecord(entry["by"], datetime.fromisoformat(entry["at"]))
        for fact, entry in (_loaded(row["recorded"]) or {}).items()
    }
    return LibraryVendor(
        id=row["id"],
        firm_id=row["firm"],
        facts=facts_from_json(row["facts"]),
        recorded=recorded,
        created_by=row["created_by"],
        created_at=row["created_at"],
        updated_by=row["updated_by"],
        updated_at=row["updated_at"],
        version=row["version"],
    )


def _link_from_row(row: dict[str, Any]) -> Link:
    return Link(
        id=row["id"],
        organisation_id=row["organisation"],
        processor_id=row["processor"],
        vendor_id=row["vendor"],
        accepted_version=row["accepted_version"],
        dismissed_version=row["dismissed_version"],
        linked_by=row["linked_by"],
        linked_at=row["linked_at"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        version=row["version"],
    )


def check_facts(facts: VendorFacts) -> VendorFacts:
    """Refuse facts the register cannot use, naming the field; returns them tidied."""
    legal_name = facts.legal_name.strip()
    if not legal_name:
        raise InvalidReference("legal_name", "the vendor's legal name is required")
    items = set(load_reference().art28_item_ids())
    seen: set[str] = set()
    for clause in facts.clauses:
        if clause.item not in items:
            raise InvalidReference("clauses", f"unknown Art. 28 item {clause.item!r}")
        if clause.item in seen:
            raise InvalidReference("clauses", f"item {clause.item!r} is given twice")
        seen.add(clause.item)
    names: set[str] = set()
    for entry in facts.sub_processors:
        if not entry.name.strip():
            raise InvalidReference("sub_processors", "every sub-processor needs a name")
        key = name_key(entry.name)
        if key in names:
            raise InvalidReference("sub_processors", f"sub-processor {entry.name!r} is given twice")
        names.add(key)
    return VendorFacts(
        legal_name=legal_name,
        trade_name=facts.trade_name.strip(),
        website=facts.website.strip(),
        country=facts.country or None,
        locations=tuple(dict.fromkeys(facts.locations)),
        sub_processors=tuple(
            VendorSubProcessor(s.name.strip(), tuple(sorted(set(s.countries))), s.purpose.strip(), s.dpf_certified)
            for s in facts.sub_processors
        ),
        certifications=tuple(dict.fromkeys(c.strip() for c in facts.certifications if c.strip())),
        dpf_certified=facts.dpf_certified,
        dpf_checked_on=facts.dpf_checked_on,
        clauses=tuple(sorted(facts.clauses, key=lambda c: c.item)),
    )


# ------------------------------------------------------------------ firms


async def firm_of_vendor(vendor_id: int) -> int:
    row = await VendorTable.select(VendorTable.firm).where(VendorTable.id == vendor_id).first()
    if row is None:
        raise NotFound("vendor", vendor_id)
    return row["firm"]


async def firm_exists(firm_id: int) -> int:
    if not await FirmTable.exists().where(FirmTable.id == firm_id):
        raise NotFound("firm", firm_id)
    return firm_id


async def firm_of_organisation(organisation_id: int) -> int | None:
    row = await FirmClientTable.select(FirmClientTable.firm).where(
        FirmClientTable.organisation == organisation_id
    ).first()
    return None if row is None else row["firm"]


async def firm_standing(firm_id: int, user_id: int, memberships: Mapping[int, Role]) -> FirmStanding:
    """The user's standing in the firm (two queries)."""
    member = await FirmMemberTable.select(FirmMemberTable.role).where(
        (FirmMemberTable.firm == firm_id) & (FirmMemberTable.user == user_id)
    ).first()
    client_candidates = [org for org, role in memberships.items() if role in CLIENT_ROLES]
    clients: list[int] = []
    if client_candidates:
        rows = await FirmClientTable.select(FirmClientTable.organisation).where(
            (FirmClientTable.firm == firm_id) & FirmClientTable.organisation.is_in(client_candidates)
        )
        clients = sorted(row["organisation"] for row in rows)
    return FirmStanding(firm_id, member["role"] if member else None, tuple(clients))


async def firms_of_user(user_id: int, memberships: Mapping[int, Role]) -> list[tuple[Firm, FirmStanding]]:
    """The firms where the user has a firm role or is admin/DPO of a client organisation."""
    member_rows = await FirmMemberTable.select(FirmMemberTable.firm, FirmMemberTable.role).where(
        FirmMemberTable.user == user_id
    )
    roles = {row["firm"]: row["role"] for row in member_rows}
    client_orgs = [org for org, role in memberships.items() if role in CLIENT_ROLES]
    clients: dict[int, list[int]] = {}
    if client_orgs:
        for row in await FirmClientTable.select(FirmClientTable.firm, FirmClientTable.organisation).where(
            FirmClientTable.organisation.is_in(client_orgs)
        ):
            clients.setdefault(row["firm"], []).append(row["organisation"])
    firm_ids = sorted(roles.keys() | clients.keys())
    if not firm_ids:
        return []
    rows = await FirmTable.select().where(FirmTable.id.is_in(firm_ids)).order_by(FirmTable.name)
    return [
        (_firm_from_row(row), FirmStanding(row["id"], roles.get(row["id"]), tuple(sorted(clients.get(row["id"], [])))))
        for row in rows
    ]


async def load_firm(firm_id: int) -> Firm:
    row = await FirmTable.select().where(FirmTable.id == firm_id).first()
    if row is None:
        raise NotFound("firm", firm_id)
    return _firm_from_row(row)


async def firm_by_name(name: str) -> Firm:
    row = await FirmTable.select().where(FirmTable.name == name.strip()).first()
    if row is None:
        raise NotFound("firm", name)
    return _firm_from_row(row)


async def create_firm(name: str, actor: str, admin_user_id: int | None = None) -> Firm:
    """A new firm (its name unique), with its first admin when given."""
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidReference("name", "give the firm's name (at most 200 characters)")
    async with write_transaction():
        if await FirmTable.exists().where(FirmTable.name == name):
            raise Conflict(f"a firm named {name!r} already exists")
        inserted = await FirmTable.insert(FirmTable(name=name, created_by=actor)).returning(FirmTable.id)
        firm_id = inserted[0]["id"]
        await record_audit(None, actor, "firm", firm_id, AuditAction.CREATE, None, {"name": name})
        if admin_user_id is not None:
            await _insert_member(firm_id, admin_user_id, FIRM_ADMIN, actor)
    return await load_firm(firm_id)


async def _insert_member(firm_id: int, user_id: int, role: str, actor: str) -> None:
    if role not in FIRM_ROLES:
        raise InvalidReference("role", f"a firm role is one of {', '.join(FIRM_ROLES)}")
    if not await UserTable.exists().where(UserTable.id == user_id):
        raise InvalidReference("user", f"no user {user_id}")
    await FirmMemberTable.insert(FirmMemberTable(firm=firm_id, user=user_id, role=role))
    await record_audit(None, actor, "firm_member", firm_id, AuditAction.CREATE, None, {"user": user_id, "role": role})


async def set_firm_member(firm_id: int, user_id: int, role: str, actor: str) -> None:
    """Add the user to the firm, or change their role; the last admin stays an admin."""
    async with write_transaction():
        await _lock_firm(firm_id)
        row = await FirmMemberTable.select().where(
            (FirmMemberTable.firm == firm_id) & (FirmMemberTable.user == user_id)
        ).first()
        if row is None:
            await _insert_member(firm_id, user_id, role, actor)
            return
        if role not in FIRM_ROLES:
            raise InvalidReference("role", f"a firm role is one of {', '.join(FIRM_ROLES)}")
        if row["role"] == FIRM_ADMIN and role != FIRM_ADMIN:
            await _keep_an_admin(firm_id, user_id)
        await FirmMemberTable.update({FirmMemberTable.role: role}).where(FirmMemberTable.id == row["id"])
        await record_audit(None, actor, "firm_member", firm_id, AuditAction.UPDATE,
                           {"user": user_id, "role": row["role"]}, {"user": user_id, "role": role})


async def remove_firm_member(firm_id: int, user_id: int, actor: str) -> None:
    async with write_transaction():
        await _lock_firm(firm_id)
        row = await FirmMemberTable.select().where(
            (FirmMemberTable.firm == firm_id) & (FirmMemberTable.user == user_id)
        ).first()
        if row is None:
            raise NotFound("firm member", user_id)
        if row["role"] == FIRM_ADMIN:
            await _keep_an_admin(firm_id, user_id)
        await FirmMemberTable.delete().where(FirmMemberTable.id == row["id"])
        await record_audit(None, actor, "firm_member", firm_id, AuditAction.DELETE,
                           {"user": user_id, "role": row["role"]}, None)


async def _keep_an_admin(firm_id: int, leaving_user_id: int) -> None:
    others = await FirmMemberTable.count().where(
        (FirmMemberTable.firm == firm_id) & (FirmMemberTable.role == FIRM_ADMIN) & (FirmMemberTable.user != leaving_user_id)
    )
    if not others:
        raise Conflict("the firm needs at least one admin")


async def _lock_firm(firm_id: int) -> None:
    """Serialise the changes to one firm's members (PostgreSQL; SQLite's write lock already does)."""
    query = FirmTable.select(FirmTable.id).where(FirmTable.id == firm_id)
    if FirmTable._meta.db.engine_type == "postgres":
        query = query.lock_rows("NO KEY UPDATE")
    if not await query:
        raise NotFound("firm", firm_id)


async def list_firm_members(firm_id: int) -> list[FirmMemberEntry]:
    rows = await FirmMemberTable.select(
        FirmMemberTable.user, FirmMemberTable.user.email, FirmMemberTable.role
    ).where(FirmMemberTable.firm == firm_id)
    return sorted(
        (FirmMemberEntry(row["user"], row["user.email"], row["role"]) for row in rows), key=lambda m: m.email
    )


async def list_firm_clients(firm_id: int) -> list[FirmClientEntry]:
    rows = await FirmClientTable.select(
        FirmClientTable.organisation, FirmClientTable.organisation.name, FirmClientTable.attached_by,
        FirmClientTable.attached_at,
    ).where(FirmClientTable.firm == firm_id)
    return sorted(
        (FirmClientEntry(row["organisation"], row["organisation.name"], row["attached_by"], row["attached_at"]) for row in rows),
        key=lambda c: c.name.casefold(),
    )


async def organisations_without_firm(organisation_ids: Iterable[int]) -> list[tuple[int, str]]:
    """Of the given organisations, those in no firm yet: (id, name), by name."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return []
    taken = {
        row["organisation"]
        for row in await FirmClientTable.select(FirmClientTable.organisation).where(FirmClientTable.organisation.is_in(ids))
    }
    rows = await OrganisationTable.select(OrganisationTable.id, OrganisationTable.name).where(
        OrganisationTable.id.is_in(ids)
    )
    return sorted(((r["id"], r["name"]) for r in rows if r["id"] not in taken), key=lambda o: o[1].casefold())


async def attach_organisation(firm_id: int, organisation_id: int, actor: str) -> None:
    """The organisation becomes a client of the firm (at most one firm: 409 otherwise)."""
    async with write_transaction(organisation_id):
        await firm_exists(firm_id)
        if not await OrganisationTable.exists().where(OrganisationTable.id == organisation_id):
            raise InvalidReference("organisation_id", f"no organisation {organisation_id}")
        current = await firm_of_organisation(organisation_id)
        if current is not None:
            raise Conflict(f"organisation {organisation_id} already belongs to a firm")
        await FirmClientTable.insert(FirmClientTable(firm=firm_id, organisation=organisation_id, attached_by=actor))
        await record_audit(organisation_id, actor, "firm_client", firm_id, AuditAction.CREATE, None,
                           {"firm": firm_id, "organisation": organisation_id})


async def detach_organisation(firm_id: int, organisation_id: int, actor: str) -> int:
    """The organisation leaves the firm; its links to the firm's vendors end (the facts copied
    into its register stay). Returns how many links ended."""
    async with write_transaction(organisation_id):
        if not await FirmClientTable.exists().where(
            (FirmClientTable.firm == firm_id) & (FirmClientTable.organisation == organisation_id)
        ):
            raise NotFound("firm client", organisation_id)
        vendor_ids = [row["id"] for row in await VendorTable.select(VendorTable.id).where(VendorTable.firm == firm_id)]
        links = []
        if vendor_ids:
            links = await LinkTable.select().where(
                (LinkTable.organisation == organisation_id) & LinkTable.vendor.is_in(vendor_ids)
            )
        for link in links:
            await LinkTable.delete().where(LinkTable.id == link["id"])
            await record_audit(organisation_id, actor, "library_link", link["id"], AuditAction.DELETE,
                               _link_summary(link), None)
        await FirmClientTable.delete().where(
            (FirmClientTable.firm == firm_id) & (FirmClientTable.organisation == organisation_id)
        )
        await record_audit(organisation_id, actor, "firm_client", firm_id, AuditAction.DELETE,
                           {"firm": firm_id, "organisation": organisation_id}, None)
    return len(links)


# ------------------------------------------------------------------ vendors


def _in_firm(firm_id: int, vendor_id: int) -> Any:
    return (VendorTable.id == vendor_id) & (VendorTable.firm == firm_id)


async def _vendor_row(firm_id: int, vendor_id: int) -> dict[str, Any]:
    row = await VendorTable.select().where(_in_firm(firm_id, vendor_id)).output(load_json=True).first()
    if row is None:
        raise NotFound("vendor", vendor_id)
    return row


async def load_vendor(firm_id: int, vendor_id: int) -> LibraryVendor:
    return _vendor_from_row(await _vendor_row(firm_id, vendor_id))


async def list_vendors(firm_id: int) -> list[LibraryVendor]:
    rows = await VendorTable.select().where(VendorTable.firm == firm_id).output(load_json=True)
    return sorted((_vendor_from_row(row) for row in rows), key=lambda v: v.display_name.casefold())


async def vendor_versions(firm_id: int, vendor_id: int) -> list[VendorVersion]:
    await _vendor_row(firm_id, vendor_id)
    rows = await VendorVersionTable.select().where(VendorVersionTable.vendor == vendor_id).order_by(
        VendorVersionTable.version, ascending=False
    ).output(load_json=True)
    return [VendorVersion(r["version"], facts_from_json(r["facts"]), r["recorded_by"], r["recorded_at"]) for r in rows]


def _recorded_after(
    recorded: Mapping[str, Any], facts: Iterable[str], actor: str, at: datetime
) -> dict[str, Any]:
    updated = dict(recorded)
    for fact in facts:
        updated[fact] = {"by": actor, "at": at.isoformat()}
    return updated


def _vendor_summary(row: dict[str, Any]) -> dict[str, Any]:
    return {"firm": row["firm"], "legal_name": row["legal_name"], "version": row["version"],
            "facts": _loaded(row["facts"])}  # fmt: skip


async def create_vendor(firm_id: int, facts: VendorFacts, actor: str) -> LibraryVendor:
    facts = check_facts(facts)
    now = datetime.now(timezone.utc)
    empty = VendorFacts(legal_name="")
    recorded = _recorded_after({}, facts_changed(empty, facts), actor, now)
    async with write_transaction():
        await firm_exists(firm_id)
        if await VendorTable.exists().where((VendorTable.firm == firm_id) & (VendorTable.legal_name == facts.legal_name)):
            raise Conflict(f"the library already has a vendor named {facts.legal_name!r}")
        inserted = await VendorTable.insert(
            VendorTable(firm=firm_id, legal_name=facts.legal_name, facts=facts_to_json(facts), recorded=recorded,
                        created_by=actor, updated_by=actor)
        ).returning(VendorTable.id)
        vendor_id = inserted[0]["id"]
        await VendorVersionTable.insert(
            VendorVersionTable(vendor=vendor_id, version=1, facts=facts_to_json(facts), recorded_by=actor)
        )
        row = await _vendor_row(firm_id, vendor_id)
        await record_audit(None, actor, "library_vendor", vendor_id, AuditAction.CREATE, None, _vendor_summary(row))
    return _vendor_from_row(row)


async def update_vendor(
    firm_id: int, vendor_id: int, facts: VendorFacts, expected_version: int, actor: str
) -> LibraryVendor:
    """Record new facts of the vendor if ``expected_version`` is current (else StaleVersion,
    nothing changed). The facts that differ get the actor and the time as who recorded them.
    Every linked client then sees a change to review."""
    facts = check_facts(facts)
    now = datetime.now(timezone.utc)
    async with write_transaction():
        before = await _vendor_row(firm_id, vendor_id)
        if before["version"] != expected_version:
            raise StaleVersion("vendor", vendor_id, expected_version, before["version"])
        changed = facts_changed(facts_from_json(before["facts"]), facts)
        if not changed:
            return _vendor_from_row(before)
        recorded = _recorded_after(_loaded(before["recorded"]) or {}, changed, actor, now)
        updated = await VendorTable.update(
            {
                VendorTable.legal_name: facts.legal_name,
                VendorTable.facts: facts_to_json(facts),
                VendorTable.recorded: recorded,
                VendorTable.updated_by: actor,
                VendorTable.updated_at: now,
                VendorTable.version: expected_version + 1,
            }
        ).where(_in_firm(firm_id, vendor_id) & (VendorTable.version == expected_version)).returning(VendorTable.id)
        if not updated:  # changed between our read and our write: nothing is written
            raise StaleVersion("vendor", vendor_id, expected_version, expected_version + 1)
        await VendorVersionTable.insert(
            VendorVersionTable(vendor=vendor_id, version=expected_version + 1, facts=facts_to_json(facts),
                               recorded_by=actor, recorded_at=now)
        )
        after = await _vendor_row(firm_id, vendor_id)
        await record_audit(None, actor, "library_vendor", vendor_id, AuditAction.UPDATE,
                           _vendor_summary(before), _vendor_summary(after))
        await _renew_linked_revisions(vendor_id)
    return _vendor_from_row(after)


async def _renew_linked_revisions(vendor_id: int) -> None:
    """Give every client organisation linked to the vendor a new ``revision`` tag, in the
    vendor's transaction: its linked processors load with the vendor's new version (their
    JSON text changes, so the incremental reassessment assesses them again) and every read
    cache keyed by the revision sees LIBRARY_CHANGE_PENDING as soon as the change commits.
    In id order, so two vendor changes never wait on each other's organisations."""
    rows = await LinkTable.select(LinkTable.organisation).where(LinkTable.vendor == vendor_id)
    for organisation_id in sorted({row["organisation"] for row in rows}):
        await OrganisationTable.update({OrganisationTable.revision: new_revision_tag()}).where(
            OrganisationTable.id == organisation_id
        )


async def linked_clients(firm_id: int, vendor_id: int) -> list[LinkedClient]:
    """Which clients use the vendor (shown to the firm's admins only)."""
    await _vendor_row(firm_id, vendor_id)
    rows = await LinkTable.select(
        LinkTable.organisation, LinkTable.organisation.name, LinkTable.processor, LinkTable.processor.legal_name,
        LinkTable.processor.trade_name, LinkTable.accepted_version, LinkTable.dismissed_version,
    ).where(LinkTable.vendor == vendor_id)
    return sorted(
        (
            LinkedClient(r["organisation"], r["organisation.name"], r["processor"],
                         r["processor.trade_name"] or r["processor.legal_name"], r["accepted_version"], r["dismissed_version"])
            for r in rows
        ),
        key=lambda c: (c.organisation_name.casefold(), c.processor_name.casefold()),
    )


# ------------------------------------------------------------------ links


def _link_summary(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("processor", "vendor", "accepted_version", "dismissed_version", "decided_by", "version")
    return {key: row.get(key) for key in keys}


async def _link_row(organisation_id: int, processor_id: int) -> dict[str, Any] | None:
    return await LinkTable.select().where(
        (LinkTable.organisation == organisation_id) & (LinkTable.processor == processor_id)
    ).first()


async def _version_facts(vendor_id: int, version: int) -> tuple[VendorFacts, datetime]:
    row = await VendorVersionTable.select().where(
        (VendorVersionTable.vendor == vendor_id) & (VendorVersionTable.version == version)
    ).output(load_json=True).first()
    if row is None:
        raise NotFound("vendor version", version)
    return facts_from_json(row["facts"]), row["recorded_at"]


async def vendors_for_organisation(organisation_id: int) -> list[LibraryVendor]:
    """The library vendors the organisation's processors may be linked to (its firm's)."""
    firm_id = await firm_of_organisation(organisation_id)
    return [] if firm_id is None else await list_vendors(firm_id)


async def _linkable_vendor(organisation_id: int, vendor_id: int) -> dict[str, Any]:
    firm_id = await firm_of_organisation(organisation_id)
    row = None
    if firm_id is not None:
        row = await VendorTable.select().where(_in_firm(firm_id, vendor_id)).output(load_json=True).first()
    if row is None:  # another firm's vendor is not named to the caller
        raise InvalidReference("vendor_id", f"no vendor {vendor_id} in your firm's library")
    return row


async def link_processor(organisation_id: int, processor_id: int, vendor_id: int, actor: str) -> LinkReview:
    """Link the processor to a vendor of the organisation's firm and copy the vendor's facts
    into it: one transaction, audited (409 if the processor is already linked)."""
    async with write_transaction(organisation_id):
        vendor = await _linkable_vendor(organisation_id, vendor_id)
        if await _link_row(organisation_id, processor_id) is not None:
            raise Conflict(f"processor {processor_id} is already linked to a library vendor")
        processor = await load_processor(processor_id, organisation_id)
        facts, _ = await _version_facts(vendor_id, vendor["version"])
        await apply_vendor_facts(organisation_id, processor, facts, actor)
        inserted = await LinkTable.insert(
            LinkTable(organisation=organisation_id, processor=processor_id, vendor=vendor_id,
                      accepted_version=vendor["version"], linked_by=actor, decided_by=actor,
                      decided_at=datetime.now(timezone.utc))
        ).returning(LinkTable.id)
        row = await LinkTable.select().where(LinkTable.id == inserted[0]["id"]).first()
        await record_audit(organisation_id, actor, "library_link", row["id"], AuditAction.CREATE, None, _link_summary(row))
    return await review_link(organisation_id, processor_id)


async def review_link(organisation_id: int, processor_id: int) -> LinkReview:
    """The processor's link and the diff from the accepted version to the vendor's current one."""
    row = await _link_row(organisation_id, processor_id)
    if row is None:
        raise NotFound("library link", processor_id)
    return await _review(row)


async def link_of_processor(organisation_id: int, processor_id: int) -> LinkReview | None:
    row = await _link_row(organisation_id, processor_id)
    return None if row is None else await _review(row)


async def _review(row: dict[str, Any]) -> LinkReview:
    return (await _reviews([row]))[0]


async def _reviews(rows: list[dict[str, Any]]) -> list[LinkReview]:
    """The links' reviews in three queries, however many links: the vendors' current versions,
    then the facts of every version needed (accepted and current)."""
    if not rows:
        return []
    links = [_link_from_row(row) for row in rows]
    vendor_ids = sorted({link.vendor_id for link in links})
    current = {
        r["id"]: r["version"]
        for r in await VendorTable.select(VendorTable.id, VendorTable.version).where(VendorTable.id.is_in(vendor_ids))
    }
    wanted = {(link.vendor_id, current[link.vendor_id]) for link in links}
    wanted |= {(link.vendor_id, link.accepted_version) for link in links}
    version_rows = await VendorVersionTable.select().where(
        VendorVersionTable.vendor.is_in(vendor_ids)
        & VendorVersionTable.version.is_in(sorted({version for _, version in wanted}))
    ).output(load_json=True)
    versions = {
        (r["vendor"], r["version"]): (facts_from_json(r["facts"]), r["recorded_at"])
        for r in version_rows
        if (r["vendor"], r["version"]) in wanted
    }
    reviews = []
    for link in links:
        version = current[link.vendor_id]
        facts, changed_at = versions[(link.vendor_id, version)]
        changes: tuple[FactChange, ...] = ()
        if version != link.accepted_version:
            changes = compare_facts(versions[(link.vendor_id, link.accepted_version)][0], facts)
        reviews.append(LinkReview(link, facts.trade_name or facts.legal_name, version, changed_at, changes))
    return reviews


async def pending_changes(organisation_id: int) -> list[LinkReview]:
    """Every link of the organisation with a library change to review (for the dashboard):
    four queries, however many links."""
    rows = await LinkTable.select(LinkTable.all_columns(), LinkTable.vendor.version.as_alias("vendor_version")).where(
        LinkTable.organisation == organisation_id
    )
    behind = [
        row for row in rows
        if row["vendor_version"] > row["accepted_version"]
        and (row["dismissed_version"] is None or row["dismissed_version"] < row["vendor_version"])
    ]
    return [review for review in await _reviews(behind) if review.pending]


async def _decided_link(
    organisation_id: int, processor_id: int, link_version: int, vendor_version: int
) -> dict[str, Any]:
    row = await _link_row(organisation_id, processor_id)
    if row is None:
        raise NotFound("library link", processor_id)
    if row["version"] != link_version:
        raise StaleVersion("library link", processor_id, link_version, row["version"])
    if vendor_version <= row["accepted_version"]:
        raise Conflict(f"version {vendor_version} of the vendor is already in the register")
    return row


async def _mark_link(
    organisation_id: int, before: dict[str, Any], link_version: int, changes: dict[Any, Any], actor: str
) -> None:
    """The link's UPDATE, conditioned on the version read (one winner)."""
    updated = await LinkTable.update(
        {**changes, LinkTable.decided_by: actor, LinkTable.decided_at: datetime.now(timezone.utc),
         LinkTable.version: link_version + 1}
    ).where((LinkTable.id == before["id"]) & (LinkTable.version == link_version)).returning(LinkTable.id)
    if not updated:  # decided meanwhile: everything of this transaction is rolled back
        raise StaleVersion("library link", before["processor"], link_version, link_version + 1)
    after = await LinkTable.select().where(LinkTable.id == before["id"]).first()
    await record_audit(organisation_id, actor, "library_link", before["id"], AuditAction.UPDATE,
                       _link_summary(before), _link_summary(after))


async def accept_change(
    organisation_id: int, processor_id: int, link_version: int, vendor_version: int, actor: str
) -> LinkReview:
    """Copy the facts of ``vendor_version`` (the version the DPO reviewed) into the processor and
    record it as accepted: one transaction. A newer version recorded meanwhile stays to review."""
    async with write_transaction(organisation_id):
        before = await _decided_link(organisation_id, processor_id, link_version, vendor_version)
        facts, _ = await _version_facts(before["vendor"], vendor_version)
        processor = await load_processor(processor_id, organisation_id)
        await apply_vendor_facts(organisation_id, processor, facts, actor)
        await _mark_link(organisation_id, before, link_version,
                         {LinkTable.accepted_version: vendor_version, LinkTable.dismissed_version: None}, actor)
    return await review_link(organisation_id, processor_id)


async def dismiss_change(
    organisation_id: int, processor_id: int, link_version: int, vendor_version: int, actor: str
) -> LinkReview:
    """The register keeps its facts; the change up to ``vendor_version`` is no longer shown."""
    async with write_transaction(organisation_id):
        before = await _decided_link(organisation_id, processor_id, link_version, vendor_version)
        await _version_facts(before["vendor"], vendor_version)
        await _mark_link(organisation_id, before, link_version, {LinkTable.dismissed_version: vendor_version}, actor)
    return await review_link(organisation_id, processor_id)


async def unlink_processor(organisation_id: int, processor_id: int, link_version: int, actor: str) -> None:
    """End the link; the facts copied into the register stay."""
    async with write_transaction(organisation_id):
        row = await _link_row(organisation_id, processor_id)
        if row is None:
            raise NotFound("library link", processor_id)
        deleted = await LinkTable.delete().where(
            (LinkTable.id == row["id"]) & (LinkTable.version == link_version)
        ).returning(LinkTable.id)
        if not deleted:
            raise StaleVersion("library link", processor_id, link_version, row["version"])
        await record_audit(organisation_id, actor, "library_link", row["id"], AuditAction.DELETE, _link_summary(row), None)


# ------------------------------------------------------------------ the copy


async def apply_vendor_facts(organisation_id: int, processor: model.Processor, facts: VendorFacts, actor: str) -> None:
    """Make the processor's shared facts those of the library (call inside the transaction).

    Copied: identity (legal and trade name, website, headquarters), certifications and the
    DPF status with its check date, processing locations, sub-processors (matched by name:
    added, changed, removed; each sub-processor's own safeguards go with it), and the
    confirmed Art. 28 reading as a proposal for the items the client has not assessed.
    The client's own facts (purposes, data categories, its DPA and dates, safeguards,
    decisions) are not touched. Every row written is audited.
    """
    await _copy_identity(organisation_id, processor, facts, actor)
    await _copy_locations(organisation_id, processor, facts, actor)
    await _copy_sub_processors(organisation_id, processor, facts, actor)
    await _propose_clauses(organisation_id, processor, facts, actor)


async def _copy_identity(organisation_id: int, processor: model.Processor, facts: VendorFacts, actor: str) -> None:
    wanted = {
        "legal_name": facts.legal_name,
        "trade_name": facts.trade_name,
        "website": facts.website,
        "headquarters_country": facts.country,
        "certifications": list(facts.certifications),
        "dpf_certified": facts.dpf_certified,
        "dpf_checked_on": facts.dpf_checked_on,
    }
    current = {
        "legal_name": processor.legal_name,
        "trade_name": processor.trade_name,
        "website": processor.website,
        "headquarters_country": processor.headquarters_country,
        "certifications": list(processor.certifications),
        "dpf_certified": processor.dpf_certified,
        "dpf_checked_on": processor.dpf_checked_on,
    }
    changes = {key: value for key, value in wanted.items() if current[key] != value}
    if changes:
        condition = (ProcessorTable.id == processor.id) & (ProcessorTable.organisation == organisation_id)
        await update_row(ProcessorTable, condition, processor.id, changes, processor.version, organisation_id, actor)


async def _copy_locations(organisation_id: int, processor: model.Processor, facts: VendorFacts, actor: str) -> None:
    wanted = {(loc.country, loc.activity.value) for loc in facts.locations}
    kept: set[tuple[str, str]] = set()
    for location in processor.locations:
        key = (location.country, location.activity.value)
        if key in wanted and key not in kept:
            kept.add(key)
            continue
        await delete_row(
            LocationTable, (LocationTable.id == location.id) & (LocationTable.processor == processor.id),
            location.id, organisation_id, actor,
        )
    for country, activity in sorted(wanted - kept):
        await insert_row(LocationTable, {"processor": processor.id, "country": country, "activity": activity},
                         organisation_id, actor)


async def _copy_sub_processors(organisation_id: int, processor: model.Processor, facts: VendorFacts, actor: str) -> None:
    wanted = {name_key(entry.name): entry for entry in facts.sub_processors}
    seen: set[str] = set()
    for current in processor.sub_processors:
        key = name_key(current.name)
        entry = wanted.get(key)
        condition = (SubProcessorTable.id == current.id) & (SubProcessorTable.processor == processor.id)
        if entry is None or key in seen:
            await delete_row(SubProcessorTable, condition, current.id, organisation_id, actor)
            continue
        seen.add(key)
        values: dict[str, Any] = {}
        if current.name != entry.name:
            values["name"] = entry.name
        if sorted(current.countries) != sorted(entry.countries):
            values["countries"] = list(entry.countries)
        if current.purpose != entry.purpose:
            values["purpose"] = entry.purpose
        if current.dpf_certified != entry.dpf_certified:
            values["dpf_certified"] = entry.dpf_certified
        if values:
            await update_row(SubProcessorTable, condition, current.id, values, current.version, organisation_id, actor)
    for key, entry in wanted.items():
        if key not in seen:
            await insert_row(
                SubProcessorTable,
                {"processor": processor.id, "name": entry.name, "countries": list(entry.countries),
                 "purpose": entry.purpose, "dpf_certified": entry.dpf_certified},
                organisation_id, actor,
            )


async def _propose_clauses(organisation_id: int, processor: model.Processor, facts: VendorFacts, actor: str) -> None:
    """The library's confirmed reading fills the items the client has not assessed (its own
    assessment of its signed DPA is never overwritten); nothing without a recorded DPA."""
    if processor.agreement is None or not facts.clauses:
        return
    agreement_id = processor.agreement.id
    current = {clause.item: clause for clause in processor.agreement.clauses}
    for proposed in facts.clauses:
        if proposed.status == ClauseStatus.UNASSESSED:
            continue
        existing = current.get(proposed.item)
        if existing is None:
            await insert_row(ClauseTable, {"agreement": agreement_id, "item": proposed.item, "status": proposed.status.value},
                             organisation_id, actor)
        elif existing.status == ClauseStatus.UNASSESSED:
            await update_row(
                ClauseTable, (ClauseTable.id == existing.id) & (ClauseTable.agreement == agreement_id), existing.id,
                {"status": proposed.status.value}, existing.version, organisation_id, actor,
            )


# ------------------------------------------------------------------ the processor page


@dataclass(frozen=True, slots=True)
class ProcessorLibraryState:
    """What a processor's page shows of the library beside its findings: its link (if any,
    with whether a change awaits review: the link to accept or dismiss it) and whether a
    library is there to link to. LIBRARY_CHANGE_PENDING itself is among the processor's
    findings (register/compliance/library_link.py)."""

    review: LinkReview | None
    library_available: bool

    @property
    def pending(self) -> bool:
        return self.review is not None and self.review.pending


async def processor_library_state(organisation_id: int, processor: model.Processor) -> ProcessorLibraryState:
    review = await link_of_processor(organisation_id, processor.id)
    available = review is None and await firm_of_organisation(organisation_id) is not None
    return ProcessorLibraryState(review, available)
