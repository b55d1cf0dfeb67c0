"""Two organisations with a full register each, and the ids of what they hold."""

from __future__ import annotations

from dataclasses import dataclass

from register.demo import demo_document
from register.reading import read_dpa
from register.store import files, readings
from register.store import reads
from register.schemas import CandidateInput
from register.store.portability import import_document
from register.store.procurement import submit_procurement_request
from register.store.questionnaires import create_questionnaire


# The vendor's DPA the seeded processor's file holds (the vendor's words: one clause a line).
SEEDED_DPA_LINES = (
    "Data Processing Agreement",
    "1. Instructions",
    "1.1 The Processor shall process Personal Data only on documented instructions from the Controller.",
    "2. Confidentiality",
    "2.1 The Processor ensures that persons authorised to process Personal Data are bound by confidentiality.",
    "3. Personal data breaches",
    "3.1 The Processor shall notify the Controller of a Personal Data Breach within 48 hours.",
    "4. End of the services",
    "4.1 At the end of the services, the Processor shall delete all Personal Data.",
)
SEEDED_DPA = ("\n\n".join(SEEDED_DPA_LINES) + "\n").encode()


@dataclass(frozen=True)
class RegisterIds:
    organisation_id: int
    processor_id: int
    location_id: int
    sub_processor_id: int
    safeguard_id: int
    request_id: int
    file_id: int
    reading_id: int
    names: tuple[str, ...]
    preview_id: str = ""  # a pending spreadsheet import preview
    mapping_id: int = 0  # a saved column mapping
    task_id: int = 0
    notice_id: int = 0
    firm_id: int = 0  # the organisation's firm (its library)
    vendor_id: int = 0  # a vendor of that library, linked to one of the processors
    library_file_id: int = 0  # a DPA file of that vendor
    questionnaire_id: int = 0  # a vendor questionnaire with submitted answers (a proposal)
    questionnaire_token: str = ""  # the link of another questionnaire, still open (the public page)


async def seeded_register() -> RegisterIds:
    """A copy of the demo register; ids of one processor that owns one of everything."""
    organisation_id = await import_document(demo_document(), "test")
    register = await reads.load_register(organisation_id)
    request = await submit_procurement_request(
        organisation_id, CandidateInput(legal_name="Candidate SAS"), "CRM for sales", "test"
    )
    full = next(p for p in register if p.locations and p.sub_processors and p.safeguards and p.agreement)
    preview, mapping = await seeded_import(organisation_id)
    stored = await files.add_agreement_file(organisation_id, full.id, SEEDED_DPA, "vendor-dpa.txt", "test")
    reading = await readings.create_reading(
        organisation_id, full.id, stored.id, read_dpa(SEEDED_DPA, language="en").to_json(), "en", "test"
    )
    task_id = await _seeded_task(organisation_id, full.id)
    notice = await seeded_notice(organisation_id, full.id)
    firm_id, vendor_id, library_file_id = await seeded_library(organisation_id, register[-1])
    questionnaire_id = await seeded_questionnaire(organisation_id, full.id)
    _, questionnaire_token = await create_questionnaire(organisation_id, full.id, "en", "", 30, "test")
    return RegisterIds(
        firm_id=firm_id,
        vendor_id=vendor_id,
        library_file_id=library_file_id,
        notice_id=notice.id,
        questionnaire_id=questionnaire_id,
        questionnaire_token=questionnaire_token,
        organisation_id=organisation_id,
        processor_id=full.id,
        location_id=full.locations[0].id,
        sub_processor_id=full.sub_processors[0].id,
        safeguard_id=full.safeguards[0].id,
        request_id=request.id,
        file_id=stored.id,
        reading_id=reading.id,
        names=tuple(p.legal_name for p in register),
        preview_id=preview,
        mapping_id=mapping,
        task_id=task_id,
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


async def _seeded_task(organisation_id: int, processor_id: int) -> int:
    """A remediation task on one of the processor's findings, due yesterday (overdue)."""
    from datetime import date, timedelta

    from register.compliance.remediation import finding_key
    from register.store import snapshots
    from register.store.tasks import add_comment, create_task

    _, assessment = await snapshots.register_assessment(organisation_id, date.today())
    finding = next(f for f in assessment.findings if f.processor_id == processor_id)
    task = await create_task(
        organisation_id, finding_key(finding), None, date.today() - timedelta(days=1), "test", date.today()
    )
    await add_comment(organisation_id, task.id, "Asked the vendor for the missing facts.", "test")
    return task.id


async def seeded_notice(organisation_id: int, processor_id: int):
    """A pending notice adding one sub-processor in the United States (a page to render, a letter to draft)."""
    from datetime import date

    from register.intake.subprocessor_lists import read_subprocessor_list
    from register.store.notices import record_notice
    from register.vocabulary import NoticeChannel, NoticeKind

    text = "| Subprocessor | Purpose | Location |\n|---|---|---|\n| Seeded Mail Inc. | E-mail delivery | United States |\n"
    return await record_notice(
        organisation_id, processor_id, read_subprocessor_list(text), kind=NoticeKind.CHANGE,
        channel=NoticeChannel.EMAIL, received_on=date.today(), source="pasted", content=text, actor="test",
    )


async def seeded_library(organisation_id: int, processor) -> tuple[int, int, int]:
    """A firm serving the organisation, with one library vendor whose facts are the
    processor's own, linked to it (the link copies nothing: the register is unchanged),
    and the vendor's DPA file."""
    from register.compliance.library import facts_of_processor
    from register.store import library, library_files

    import secrets

    firm = await library.create_firm(f"Seeded firm {organisation_id} {secrets.token_hex(4)}", "test")
    await library.attach_organisation(firm.id, organisation_id, "test")
    facts = facts_of_processor(processor)
    vendor = await library.create_vendor(firm.id, facts, "test")
    await library.link_processor(organisation_id, processor.id, vendor.id, "test")
    stored = await library_files.add_vendor_file(firm.id, vendor.id, SEEDED_DPA, "vendor-dpa.txt", "test")
    return firm.id, vendor.id, stored.id


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
        "notice_id": str(ids.notice_id),
        "user_id": "1",  # a member's account (routes check the organisation first)
        "preview_id": ids.preview_id,
        "mapping_id": str(ids.mapping_id),
        "file_id": str(ids.file_id),
        "reading_id": str(ids.reading_id),
        "task_id": str(ids.task_id),
        "firm_id": str(ids.firm_id),
        "vendor_id": str(ids.vendor_id),
        "library_file_id": str(ids.library_file_id),
        "questionnaire_id": str(ids.questionnaire_id),
        "token": ids.questionnaire_token,  # the public questionnaire's link (open)
    }


async def seeded_questionnaire(organisation_id: int, processor_id: int) -> int:
    """A questionnaire whose vendor sent its answers: a proposal waiting for the DPO."""
    from register.store.questionnaires import submit_answers

    questionnaire, token = await create_questionnaire(organisation_id, processor_id, "en", "", 30, "test")

    async def no_reading(content: bytes, name: str, language: str) -> None:
        return None

    answers = {"legal_name": "Nuage Hébergement SAS", "countries": ["IE"], "contact_email": "dpo@vendor.example"}
    await submit_answers(token, answers, None, no_reading)
    return questionnaire.id
