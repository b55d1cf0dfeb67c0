"""Sections by numbering, in French and English.

A block opens a section when it starts with a number ("1.", "1.1", "7.1.2"), a
keyword and a number ("Article 4 –", "Clause 7.7", "Section 5", "Art. 3"), or
an annex heading ("Annex II", "Annexe 2", "Appendix 1", "Schedule 3", "Exhibit A").
Word/OpenDocument list numbers count like typed ones. Inside an annex, plain
numbers are labelled with the annex ("Annex II, 3"), so that evidence says where
it is. Sentences are cut once here, for the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from register.reading.model import Block, Section

_ANNEX_WORDS = r"annexe|annex|appendix|appendice|schedule|exhibit|anhang"
_KEYWORD = re.compile(
    rf"^(?P<word>article\b|art\.|clause\b|section\b|(?:{_ANNEX_WORDS})\b)\s*(?P<number>\d{{1,3}}(?:\.\d{{1,3}}){{0,3}}|(?-i:[IVXLC]{{1,6}}|[A-H]))(?=$|[\s.:–—\-)]|\.\d)"
    r"(?P<rest>.*)$",
    re.I | re.S,
)
_NUMBER = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2}){0,4})(?P<mark>[.)]?)\s+(?P<rest>\S.*)$", re.S)
_UNITS = re.compile(
    r"^(days?|jours?|hours?|heures?|h\b|months?|mois|weeks?|semaines?|years?|ans?|années?|%|per\b|eur|€|\$|usd|business|working|calendar|ouvr)",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[«\"“(]?[A-ZÀ-Ý0-9(])")
_ABBREVIATION = re.compile(r"(\b(?:art|no|n°|e\.g|i\.e|cf|p|pp|inc|ltd|s\.a|sas|etc|vs|al|ch|para|sect|min|max|approx|env|vol|ex)\.|\b[A-Z]\.|\b\d+\.)$", re.I)


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    section: str | None
    page: int | None
    block_index: int
    in_annex: bool
    section_title: str
    block_text: str = ""  # the paragraph the sentence belongs to (context for "sub-processor")


def heading_number(block: Block) -> tuple[str | None, str, bool]:
    """(label, title, is_annex) when the block opens a section, else (None, "", False)."""
    text = block.text
    match = _KEYWORD.match(text)
    if match:
        word = match.group("word").lower()
        rest = match.group("rest").strip()
        is_annex = bool(re.fullmatch(_ANNEX_WORDS, word))
        if rest in (".", ",", ";", ")") and block.kind != "heading":
            return None, "", False  # "… listed in Annex III." cut at a line end
        separated = not rest or rest[:1] in "–—-:.)" or block.kind == "heading" or len(text) <= 100
        if separated and not re.match(r"^(of|du|de|des|and|et|to|à|in|dans|shall|applies|s'applique)\b", rest, re.I):
            label = f"{_canonical_word(match.group('word'))} {match.group('number').upper() if is_annex else match.group('number')}"
            return label, _title(rest.lstrip("–—-:.) ")), is_annex
        return None, "", False
    if block.number and re.fullmatch(r"\d{1,2}(\.\d{1,2}){0,4}", block.number):
        return block.number, _title(text), False
    match = _NUMBER.match(text)
    if match:
        rest = match.group("rest")
        if _UNITS.match(rest):
            return None, "", False
        if match.group("mark") or "." in match.group("number") or rest[:1].isupper() or rest[:1] in "«\"“(":
            if int(match.group("number").split(".")[0]) == 0:
                return None, "", False
            return match.group("number"), _title(rest), False
    return None, "", False


def _canonical_word(word: str) -> str:
    lowered = word.lower()
    if lowered == "art.":
        return "Article"
    return lowered.capitalize()


def _title(text: str) -> str:
    first = re.split(r"(?<=[.:])\s", text, maxsplit=1)[0]
    return first[:100].rstrip(" .:")


def segment(blocks: tuple[Block, ...]) -> tuple[Section, ...]:
    sections: list[Section] = []
    current: list[Block] = []
    label: str | None = None
    title = ""
    page = blocks[0].page if blocks else None
    annex: str | None = None
    for block in blocks:
        number, block_title, is_annex = heading_number(block) if block.kind != "table_row" else (None, "", False)
        if number is not None:
            if current:
                sections.append(Section(label, title, page, tuple(current), in_annex=annex is not None, annex=annex))
            if is_annex:
                annex = number
            elif annex is not None and re.fullmatch(r"\d[\d.]*", number):
                number = f"{annex}, {number}"
            label, title, page, current = number, block_title, block.page, []
        current.append(block)
    if current:
        sections.append(Section(label, title, page, tuple(current), in_annex=annex is not None, annex=annex))
    return tuple(sections)


def sentences(sections: tuple[Section, ...]) -> list[Sentence]:
    out: list[Sentence] = []
    index = 0
    for section in sections:
        for block in section.blocks:
            index += 1
            if block.kind == "table_row":
                out.append(Sentence(block.text, section.number, block.page, index, section.in_annex, section.title, block.text))
                continue
            for part in split_sentences(block.text):
                out.append(Sentence(part, section.number, block.page, index, section.in_annex, section.title, block.text))
    return out


def split_sentences(text: str) -> list[str]:
    if len(text) < 200:
        return [text]
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start()]
        if _ABBREVIATION.search(candidate):
            continue
        if candidate.strip():
            parts.append(candidate.strip())
        start = match.end()
    if text[start:].strip():
        parts.append(text[start:].strip())
    return parts
