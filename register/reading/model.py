"""Plain values a DPA reading produces (no database, no HTTP).

:class:`DpaReading` is what :func:`register.reading.read_dpa` returns; its
:meth:`DpaReading.to_json` is the stable interface documented in the README
("Reading a vendor's DPA") and used by ``register read-dpa --json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from register.vocabulary import ClauseStatus

# The Art. 28(3) points read in a vendor's DPA, ids of register/reference/data/art28.toml
# (points a–h and the last sub-paragraph's duty to inform of an infringing instruction).
ITEM_IDS: tuple[str, ...] = (
    "art28_3_a",
    "art28_3_b",
    "art28_3_c",
    "art28_3_d",
    "art28_3_e",
    "art28_3_f",
    "art28_3_g",
    "art28_3_h",
    "art28_3_infringing",
)

READING_STATUSES = (ClauseStatus.PRESENT, ClauseStatus.PARTIAL, ClauseStatus.ABSENT)


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of extracted text: a paragraph, a heading or a table row."""

    text: str
    page: int | None = None  # 1-based; None where the format has no pages (.txt, .md, .html)
    kind: str = "paragraph"  # "paragraph" | "heading" | "table_row"
    number: str | None = None  # list numbering Word/ODT renders outside the text ("7.1")
    cells: tuple[str, ...] = ()  # table rows: the cells' text


@dataclass(frozen=True, slots=True)
class ExtractedText:
    media_type: str
    blocks: tuple[Block, ...]
    pages: int | None  # page count when the format has pages


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered part of the document ("7.1", "Clause 9", "Annex II") and its text."""

    number: str | None  # None for text before the first numbered heading
    title: str
    page: int | None
    blocks: tuple[Block, ...]
    in_annex: bool = False
    annex: str | None = None  # "II" for everything inside Annex II

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


@dataclass(frozen=True, slots=True)
class Evidence:
    section: str | None
    page: int | None
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"section": self.section, "page": self.page, "text": self.text}


@dataclass(frozen=True, slots=True)
class ItemReading:
    """The proposal for one Art. 28(3) item."""

    item_id: str
    status: ClauseStatus  # present | partial | absent
    evidence: tuple[Evidence, ...]
    found: tuple[str, ...]  # element ids found (register.reading.items.ELEMENTS)
    missing: tuple[str, ...]  # element ids required and not found
    via_scc: bool = False  # covered (in part) only by incorporated SCCs 2021/914
    contradiction: bool = False  # another clause weakens or contradicts it
    reason: str = ""  # in the reading's language
    weak: tuple[str, ...] = ()  # weak signals found (element ids), e.g. "reports_only"
    contradiction_section: str | None = None  # where the contradicting clause is

    def reason_in(self, language: str) -> str:
        """The reason in another language ("fr" | "en")."""
        from register.reading.analysis import reason

        return reason(self, language)


@dataclass(frozen=True, slots=True)
class SubProcessorProposal:
    name: str
    countries: tuple[str, ...]  # ISO 3166-1 alpha-2
    purpose: str
    section: str | None = None
    page: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "countries": list(self.countries),
            "purpose": self.purpose,
            "section": self.section,
            "page": self.page,
        }


@dataclass(frozen=True, slots=True)
class TransferToolMention:
    """A transfer tool the DPA names, aligned with register.vocabulary.TransferMechanism."""

    tool: str  # e.g. "scc_2021_module_2", "scc_2021", "scc_pre_2021", "dpf", "uk_idta", "uk_addendum", "bcr", "swiss_adaptations"
    mechanism: str | None  # TransferMechanism value ("scc_2021", ...); None for swiss_adaptations
    module: int | None = None
    flagged: bool = False  # old SCCs (2001/497, 2004/915, 2010/87): a finding
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """A number or a choice read in the DPA with the passage it comes from."""

    value: Any
    evidence: Evidence | None = None


@dataclass(slots=True)
class DpaReading:
    language: str  # language of the reasons ("fr" | "en")
    document_language: str  # "fr" | "en" (main language of the text)
    media_type: str
    pages: int | None
    section_count: int
    characters: int
    items: dict[str, ItemReading]
    breach_notification: Fact  # value: hours (int) or None ("without undue delay" states no number)
    breach_notification_business_days: bool
    subprocessor_notice: Fact  # value: days (int) or None
    notice_in_business_days: bool
    authorisation: Fact  # value: "general" | "specific" | None
    right_to_object: Fact  # value: True | False
    transfer_tools: tuple[TransferToolMention, ...]
    incorporates_scc_2021: bool
    governing_law: Fact  # value: ISO country code or None
    supervisory_authority: Fact  # value: authority name or None
    sub_processors: tuple[SubProcessorProposal, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON interface (README "Reading a vendor's DPA")."""
        return {
            "items": {
                item_id: {
                    "status": reading.status.value,
                    "evidence": [evidence.to_json() for evidence in reading.evidence],
                    "reason": reading.reason,
                    "found": list(reading.found),
                    "missing": list(reading.missing),
                    "weak": list(reading.weak),
                    "via_scc": reading.via_scc,
                    "contradiction": reading.contradiction,
                }
                for item_id, reading in self.items.items()
            },
            "breach_notification_hours": self.breach_notification.value,
            "breach_notification_business_days": self.breach_notification_business_days,
            "subprocessor_notice_days": self.subprocessor_notice.value,
            "notice_in_business_days": self.notice_in_business_days,
            "authorisation": self.authorisation.value,
            "right_to_object": self.right_to_object.value,
            "transfer_tools": unique([mention.tool for mention in self.transfer_tools]),
            "old_sccs": any(mention.flagged for mention in self.transfer_tools),
            "incorporates_scc_2021": self.incorporates_scc_2021,
            "governing_law": self.governing_law.value,
            "supervisory_authority": self.supervisory_authority.value,
            "sub_processors": [proposal.to_json() for proposal in self.sub_processors],
            "fact_evidence": {
                name: fact.evidence.to_json()
                for name, fact in (
                    ("breach_notification_hours", self.breach_notification),
                    ("subprocessor_notice_days", self.subprocessor_notice),
                    ("authorisation", self.authorisation),
                    ("right_to_object", self.right_to_object),
                    ("governing_law", self.governing_law),
                    ("supervisory_authority", self.supervisory_authority),
                )
                if fact.evidence is not None
            },
            "transfer_tool_evidence": [
                {
                    "tool": mention.tool,
                    "mechanism": mention.mechanism,
                    "module": mention.module,
                    "flagged": mention.flagged,
                    "evidence": mention.evidence.to_json() if mention.evidence else None,
                }
                for mention in self.transfer_tools
            ],
            "document": {
                "media_type": self.media_type,
                "pages": self.pages,
                "sections": self.section_count,
                "characters": self.characters,
                "language": self.document_language,
            },
            "language": self.language,
            "warnings": list(self.warnings),
        }


def unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))
