"""Placeholder analysis: every item absent (the rules follow)."""

from __future__ import annotations

from register.reading.model import ITEM_IDS, DpaReading, ExtractedText, Fact, ItemReading
from register.vocabulary import ClauseStatus


def analyse(extracted: ExtractedText, *, language: str) -> DpaReading:
    items = {
        item_id: ItemReading(item_id=item_id, status=ClauseStatus.ABSENT, evidence=(), found=(), missing=())
        for item_id in ITEM_IDS
    }
    return DpaReading(
        language=language, document_language="en", media_type=extracted.media_type, pages=extracted.pages,
        section_count=0, characters=sum(len(block.text) for block in extracted.blocks), items=items,
        breach_notification=Fact(None), breach_notification_business_days=False,
        subprocessor_notice=Fact(None), notice_in_business_days=False, authorisation=Fact(None),
        right_to_object=Fact(False), transfer_tools=(), incorporates_scc_2021=False,
        governing_law=Fact(None), supervisory_authority=Fact(None), sub_processors=(),
    )
