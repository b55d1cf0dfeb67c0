"""Running the reader on a stored file (in a worker thread) and turning the DPO's
decisions into the store's confirmation; shared by the API and the pages."""

from __future__ import annotations

from functools import partial
from typing import Any

import anyio.to_thread

from register.reading import ItemReading, ReadingError, read_dpa
from register.reading.items import ELEMENT_LABELS
from register.vocabulary import ClauseStatus
from register.schemas import ReadingDecisionsInput
from register.settings import files_max_bytes
from register.store import files, readings
from register.store.files import FileRefused
from register.store.readings import FactChoice, ItemChoice, ReadingConfirmation, StoredReading
from register.web.access import Access

# A file that is stored but cannot be read (a scan, an encrypted PDF): the request is fine, the file is not.
UNREADABLE = 422


async def read_stored_file(access: Access, processor_id: int, file_id: int, language: str) -> StoredReading:
    """Read one of the processor's files off the event loop and store the reading as a proposal."""
    stored = await files.load_agreement_file(access.organisation_id, processor_id, file_id)
    content = await files.file_content(access.organisation_id, stored)
    read = partial(read_dpa, content, filename=stored.file_name, language=language, max_bytes=files_max_bytes())
    try:
        reading = await anyio.to_thread.run_sync(read)
    except ReadingError as error:
        raise FileRefused(error, status=UNREADABLE) from None
    return await readings.create_reading(
        access.organisation_id, processor_id, file_id, reading.to_json(), language, access.actor
    )


def confirmation_of(data: ReadingDecisionsInput) -> ReadingConfirmation:
    return ReadingConfirmation(
        version=data.version,
        items={
            item: ItemChoice(decision=choice.decision, status=choice.status, section=choice.section, note=choice.note)
            for item, choice in data.items.items()
        },
        facts={name: FactChoice(decision=choice.decision, value=choice.value) for name, choice in data.facts.items()},
        sub_processors=tuple(data.sub_processors),
    )


def reason_in(item_id: str, proposal: dict[str, Any], reading_language: str, language: str) -> str:
    """An item's reason in ``language``: the stored one when the reading was made in that language,
    else rebuilt by the reader (``ItemReading.reason_in``) from the stored elements."""
    if reading_language == language:
        return str(proposal.get("reason") or "")
    try:
        status = ClauseStatus(proposal.get("status"))
    except ValueError:
        return ""

    def known(key: str) -> tuple[str, ...]:
        return tuple(e for e in proposal.get(key) or () if e in ELEMENT_LABELS)

    item = ItemReading(
        item_id=item_id, status=status, evidence=(), found=known("found"), missing=known("missing"),
        via_scc=bool(proposal.get("via_scc")), contradiction=bool(proposal.get("contradiction")),
        weak=known("weak"), contradiction_section=proposal.get("contradiction_section"),
    )
    return item.reason_in(language)


def person_of(access: Access) -> str:
    """The name the provenance note gives: the DPO's display name, else the e-mail address."""
    return access.account.display_name or access.account.email
