"""Two organisations with a full register each, and the ids of what they hold."""

from __future__ import annotations

from dataclasses import dataclass

from register.demo import demo_document
from register.store import reads
from register.schemas import CandidateInput
from register.store.portability import import_document
from register.store.procurement import submit_procurement_request


@dataclass(frozen=True)
class RegisterIds:
    organisation_id: int
    processor_id: int
    location_id: int
    sub_processor_id: int
    safeguard_id: int
    request_id: int
    names: tuple[str, ...]
    preview_id: str = ""  # a pending spreadsheet import preview
    mapping_id: int = 0  # a saved column mapping


async def seeded_register() -> RegisterIds:
    """A copy of the demo register; ids of one processor that owns one of everything."""
    organisation_id = await import_document(demo_document(), "test")
    register = await reads.load_register(organisation_id)
    request = await submit_procurement_request(
        organisation_id, CandidateInput(legal_name="Candidate SAS"), "CRM for sales", "test"
    )
    full = next(p for p in register if p.locations and p.sub_processors and p.safeguards and p.agreement)
    preview, mapping = await seeded_import(organisation_id)
    return RegisterIds(
        organisation_id=organisation_id,
        processor_id=full.id,
        location_id=full.locations[0].id,
        sub_processor_id=full.sub_processors[0].id,
        safeguard_id=full.safeguards[0].id,
        request_id=request.id,
        names=tuple(p.legal_name for p in register),
        preview_id=preview,
        mapping_id=mapping,
    )


# A vendor sheet as a French Excel saves it (cp1252, ";"): one new processor, one update of
# a demo processor, one row in error.
SEEDED_SHEET = (
    "Fournisseur;Pays du siège;Site web;Pays d'hébergement;DPA signé le\r\n"
    "Zephyr Cloud GmbH;Allemagne;https://zephyr.example;Allemagne;01/02/2025\r\n"
    "Enrichly SAS;France;https://enrichly.example/fr;France;15/03/2024\r\n"
    "Nowhere Ltd;Narnia;;Narnia;31/02/2024\r\n"
).encode("cp1252")


async def seeded_import(organisation_id: int) -> tuple[str, int]:
    """A pending import preview of :data:`SEEDED_SHEET` and a saved mapping."""
    from register import imports

    stored = await imports.upload(organisation_id, "test", "vendors.csv", SEEDED_SHEET)
    saved = await imports.save_mapping(organisation_id, "Vendors sheet", imports.stored_mapping(stored), "test")
    return stored.public_id, saved.id


def path_parameters(ids: RegisterIds) -> dict[str, str]:
    """Values for every path parameter a route may have (a new one must be added here)."""
    return {
        "organisation_id": str(ids.organisation_id),
        "processor_id": str(ids.processor_id),
        "location_id": str(ids.location_id),
        "sub_processor_id": str(ids.sub_processor_id),
        "safeguard_id": str(ids.safeguard_id),
        "item": "art28_3_a",
        "request_id": str(ids.request_id),
        "user_id": "1",  # a member's account (routes check the organisation first)
        "preview_id": ids.preview_id,
        "mapping_id": str(ids.mapping_id),
    }
