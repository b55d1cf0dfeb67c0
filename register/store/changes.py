"""The register's write operations, scoped to an organisation.

Each public function is one transaction: it checks that every object it
touches belongs to ``organisation_id`` (anything else is "not found"), checks
cross-references, writes, and records the audit event. Values arrive as plain
dicts of validated fields (see :mod:`register.schemas`).
"""

from __future__ import annotations

from typing import Any

import msgspec

from register.compliance import model
from register.reference import load_reference
from register.store import files
from register.store.errors import Conflict, InvalidReference, NotFound
from register.vocabulary import Role
from register.store.reads import load_organisation, load_processor, organisation_row
from register.store.writes import (
    check_no_agreement,
    check_registered_processor,
    check_safeguard_sub_processor,
    delete_row,
    insert_row,
    update_row,
    write_transaction,
)
from register.tables import (
    Agreement,
    Membership,
    ClauseAssessment,
    Organisation,
    ProcessingLocation,
    Processor,
    SubProcessor,
    TransferSafeguard,
)

# ---------------------------------------------------------------- organisation


async def create_organisation(
    values: dict[str, Any], actor: str, admin_user_id: int | None = None
) -> model.Organisation:
    """Create an organisation; ``admin_user_id`` becomes its admin in the same transaction."""
    async with write_transaction():
        row = await insert_row(Organisation, values, None, actor)
        if admin_user_id is not None:
            await Membership.insert(
                Membership(user=admin_user_id, organisation=row["id"], role=Role.ADMIN.value)
            )
    return await load_organisation(row["id"])


async def update_organisation(
    organisation_id: int, values: dict[str, Any], version: int, actor: str
) -> model.Organisation:
    async with write_transaction(organisation_id):
        await update_row(
            Organisation, Organisation.id == organisation_id, organisation_id,
            values, version, organisation_id, actor,
        )
    return await load_organisation(organisation_id)


async def delete_organisation(organisation_id: int, actor: str) -> None:
    """Deletes the organisation and its register, stored files included; the audit trail stays."""
    async with write_transaction(organisation_id):
        await delete_row(
            Organisation, Organisation.id == organisation_id, organisation_id, organisation_id, actor
        )
    files.remove_organisation_files(organisation_id)


# ------------------------------------------------------------------- processor


def _processor_in(organisation_id: int, processor_id: int) -> Any:
    return (Processor.id == processor_id) & (Processor.organisation == organisation_id)


async def _require_processor(organisation_id: int, processor_id: int) -> None:
    if not await Processor.exists().where(_processor_in(organisation_id, processor_id)):
        raise NotFound("processor", processor_id)


async def create_processor(
    organisation_id: int, values: dict[str, Any], actor: str
) -> model.Processor:
    async with write_transaction(organisation_id):
        await organisation_row(organisation_id)
        row = await insert_row(
            Processor, {**values, "organisation_id": organisation_id}, organisation_id, actor
        )
    return await load_processor(row["id"])


def check_review_order(row: dict[str, Any]) -> None:
    """The next review is not before the last one, once a patch is merged with the record."""
    last, upcoming = row.get("last_review_on"), row.get("next_review_on")
    if last is not None and upcoming is not None and upcoming < last:
        raise InvalidReference("next_review_on", f"{upcoming} is before last_review_on {last}")


async def update_processor(
    organisation_id: int, processor_id: int, values: dict[str, Any], version: int, actor: str
) -> model.Processor:
    async with write_transaction(organisation_id):
        updated = await update_row(
            Processor, _processor_in(organisation_id, processor_id), processor_id,
            values, version, organisation_id, actor,
        )
        check_review_order(updated)  # raising here rolls the update back
    return await load_processor(processor_id)


async def delete_processor(organisation_id: int, processor_id: int, actor: str) -> None:
    """Deletes the processor with what it owns; its stored files unless another processor shares them."""
    async with write_transaction(organisation_id):
        digests = await files.organisation_digests(organisation_id, processor_id)
        await delete_row(
            Processor, _processor_in(organisation_id, processor_id), processor_id,
            organisation_id, actor,
        )
        if digests:
            files.remove_unreferenced(organisation_id, digests, await files.organisation_digests(organisation_id))


# ------------------------------------------------- things a processor owns


async def _owned_child(
    table: Any, organisation_id: int, processor_id: int, child_id: int
) -> Any:
    """Condition for one child row of a processor of this organisation."""
    await _require_processor(organisation_id, processor_id)
    return (table.id == child_id) & (table.processor == processor_id)


async def add_location(
    organisation_id: int, processor_id: int, values: dict[str, Any], actor: str
) -> model.Processor:
    async with write_transaction(organisation_id):
        await _require_processor(organisation_id, processor_id)
        await insert_row(ProcessingLocation, {**values, "processor": processor_id}, organisation_id, actor)
    return await load_processor(processor_id)


async def add_sub_processor(
    organisation_id: int, processor_id: int, values: dict[str, Any], actor: str
) -> model.Processor:
    async with write_transaction(organisation_id):
        await _require_processor(organisation_id, processor_id)
        await check_registered_processor(
            organisation_id, processor_id, values.get("registered_processor_id")
        )
        await insert_row(SubProcessor, {**values, "processor": processor_id}, organisation_id, actor)
    return await load_processor(processor_id)


async def add_safeguard(
    organisation_id: int, processor_id: int, values: dict[str, Any], actor: str
) -> model.Processor:
    async with write_transaction(organisation_id):
        await _require_processor(organisation_id, processor_id)
        await check_safeguard_sub_processor(processor_id, values.get("sub_processor_id"))
        await insert_row(TransferSafeguard, {**values, "processor": processor_id}, organisation_id, actor)
    return await load_processor(processor_id)


CHILD_TABLES = {
    "location": ProcessingLocation,
    "sub_processor": SubProcessor,
    "safeguard": TransferSafeguard,
}


async def update_child(
    kind: str,
    organisation_id: int,
    processor_id: int,
    child_id: int,
    values: dict[str, Any],
    version: int,
    actor: str,
) -> model.Processor:
    """Update a location, sub-processor or safeguard of a processor."""
    table = CHILD_TABLES[kind]
    async with write_transaction(organisation_id):
        condition = await _owned_child(table, organisation_id, processor_id, child_id)
        if kind == "sub_processor" and "registered_processor_id" in values:
            await check_registered_processor(
                organisation_id, processor_id, values["registered_processor_id"]
            )
        if kind == "safeguard" and "sub_processor_id" in values:
            await check_safeguard_sub_processor(processor_id, values["sub_processor_id"])
        await update_row(table, condition, child_id, values, version, organisation_id, actor)
    return await load_processor(processor_id)


async def delete_child(
    kind: str, organisation_id: int, processor_id: int, child_id: int, actor: str
) -> model.Processor:
    table = CHILD_TABLES[kind]
    async with write_transaction(organisation_id):
        condition = await _owned_child(table, organisation_id, processor_id, child_id)
        await delete_row(table, condition, child_id, organisation_id, actor)
    return await load_processor(processor_id)


# ------------------------------------------------------------------ agreement


async def create_agreement(
    organisation_id: int, processor_id: int, values: dict[str, Any], actor: str
) -> model.Processor:
    async with write_transaction(organisation_id):
        await _require_processor(organisation_id, processor_id)
        await check_no_agreement(processor_id)
        await insert_row(Agreement, {**values, "processor": processor_id}, organisation_id, actor)
    return await load_processor(processor_id)


async def update_agreement(
    organisation_id: int, processor_id: int, values: dict[str, Any], version: int, actor: str
) -> model.Processor:
    async with write_transaction(organisation_id):
        await _require_processor(organisation_id, processor_id)
        await update_row(
            Agreement, Agreement.processor == processor_id, f"of processor {processor_id}",
            values, version, organisation_id, actor,
        )
    return await load_processor(processor_id)


async def delete_agreement(organisation_id: int, processor_id: int, actor: str) -> model.Processor:
    async with write_transaction(organisation_id):
        await _require_processor(organisation_id, processor_id)
        await delete_row(
            Agreement, Agreement.processor == processor_id, f"of processor {processor_id}",
            organisation_id, actor,
        )
    return await load_processor(processor_id)


def check_clause_item(item: str) -> None:
    if item not in load_reference().art28_item_ids():
        raise InvalidReference("item", f"{item!r} is not an Art. 28(3) item of the reference")


async def put_clause(
    organisation_id: int,
    processor_id: int,
    item: str,
    values: dict[str, Any],
    version: int | None,
    actor: str,
) -> model.Processor:
    """Create or update the assessment of one Art. 28(3) item of the agreement."""
    return await put_clauses(organisation_id, processor_id, [(item, values, version)], actor)


async def put_clauses(
    organisation_id: int,
    processor_id: int,
    clauses: list[tuple[str, dict[str, Any], int | None]],
    actor: str,
) -> model.Processor:
    """Several items of the checklist (item, values, version read) in one transaction:
    one stale version and nothing is saved."""
    for item, _, _ in clauses:
        check_clause_item(item)
    async with write_transaction(organisation_id):
        await _require_processor(organisation_id, processor_id)
        agreement = await Agreement.select(Agreement.id).where(Agreement.processor == processor_id).first()
        if agreement is None:
            raise NotFound("agreement of processor", processor_id)
        for item, values, version in clauses:
            await _put_clause_row(organisation_id, agreement["id"], item, values, version, actor)
    return await load_processor(processor_id)


async def _put_clause_row(
    organisation_id: int, agreement_id: int, item: str, values: dict[str, Any], version: int | None, actor: str
) -> None:
    condition = (ClauseAssessment.agreement == agreement_id) & (ClauseAssessment.item == item)
    if await ClauseAssessment.exists().where(condition):
        if version is None:
            raise Conflict(f"clause {item} is already assessed: send the version you read")
        await update_row(ClauseAssessment, condition, item, values, version, organisation_id, actor)
    else:
        await insert_row(
            ClauseAssessment, {**values, "agreement": agreement_id, "item": item}, organisation_id, actor
        )


# ------------------------------------------------- a processor with its records


async def insert_processor_with_records(
    organisation_id: int, candidate: Any, actor: str, status: str
) -> int:
    """Insert a candidate (``CandidateInput``) with what it owns; call inside a transaction.

    In a candidate, sub-processors carry document-local keys (which its
    safeguards name) and ``registered_processor_id`` is a processor of the register.
    """
    nested = ("locations", "sub_processors", "agreement", "safeguards")
    fields = {k: v for k, v in msgspec.structs.asdict(candidate).items() if k not in nested}
    processor = await insert_row(
        Processor, {**fields, "status": status, "organisation_id": organisation_id}, organisation_id, actor
    )
    processor_id = processor["id"]
    for location in candidate.locations:
        await insert_row(
            ProcessingLocation, {**msgspec.structs.asdict(location), "processor": processor_id},
            organisation_id, actor,
        )
    sub_ids: dict[int, int] = {}
    for sub in candidate.sub_processors:
        values = {k: v for k, v in msgspec.structs.asdict(sub).items() if k != "key"}
        await check_registered_processor(organisation_id, processor_id, values.get("registered_processor_id"))
        row = await insert_row(SubProcessor, {**values, "processor": processor_id}, organisation_id, actor)
        sub_ids[sub.key] = row["id"]
    for safeguard in candidate.safeguards:
        values = msgspec.structs.asdict(safeguard)
        values["sub_processor_id"] = sub_ids.get(values["sub_processor_id"])
        await insert_row(TransferSafeguard, {**values, "processor": processor_id}, organisation_id, actor)
    if candidate.agreement is not None:
        values = {k: v for k, v in msgspec.structs.asdict(candidate.agreement).items() if k != "clauses"}
        agreement = await insert_row(Agreement, {**values, "processor": processor_id}, organisation_id, actor)
        for clause in candidate.agreement.clauses:
            await insert_row(
                ClauseAssessment, {**msgspec.structs.asdict(clause), "agreement": agreement["id"]},
                organisation_id, actor,
            )
    return processor_id
