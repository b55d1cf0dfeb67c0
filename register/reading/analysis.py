"""From extracted text to a DpaReading: sections, items, facts, reasons."""

from __future__ import annotations

import functools
import re

from register.i18n import words
from register.reading import facts
from register.reading.items import ELEMENT_LABELS, ITEM_RULES, SCC_COVERAGE, ItemRule, contradicts, element_matches, text_view
from register.reading.model import DpaReading, Evidence, ExtractedText, ItemReading
from register.reading.segment import Sentence, segment, sentences
from register.vocabulary import ClauseStatus

MAX_EVIDENCE = 4
# A definition ('"Sub-processor" means …') names a concept without committing to anything.
DEFINITION = re.compile(r"^[\d.\s]*[\"“«'‘]\s*[^\"”»’]{1,60}[\"”»’]\s*(?:means|shall mean|refers to|has the meaning|désigne|signifie|s'entend|a le sens)", re.I)

_FRENCH = re.compile(r"\b(?:le|la|les|des|du|et|est|sont|aux|une|dans|pour|sous-traitant|données)\b", re.I)
_ENGLISH = re.compile(r"\b(?:the|and|of|is|are|shall|will|with|processor|data|to)\b", re.I)


def document_language(text: str) -> str:
    sample = text[:200_000]
    return "fr" if len(_FRENCH.findall(sample)) > len(_ENGLISH.findall(sample)) else "en"


def analyse(extracted: ExtractedText, *, language: str) -> DpaReading:
    sections = segment(extracted.blocks)
    all_sentences = sentences(sections)
    ordered = [sentence for sentence in all_sentences if not sentence.in_annex] + [
        sentence for sentence in all_sentences if sentence.in_annex
    ]  # body first: a fact stated in the body wins over the same fact in an annex
    text = "\n".join(block.text for block in extracted.blocks)

    tools, incorporates, incorporation = facts.transfer_tools(all_sentences)
    notice, notice_business, notice_warnings = facts.subprocessor_notice(ordered)
    breach, breach_business, breach_warnings = facts.breach_deadline(ordered)
    hits = scan(all_sentences)
    change_notices = hits["art28_3_d"][0].get("change_notice")
    authorisation = facts.authorisation(ordered, notice, change_notices[0][0] if change_notices else None)
    items = {
        rule.item_id: read_item(rule, *hits[rule.item_id], incorporation, authorisation.value, language)
        for rule in ITEM_RULES
    }
    return DpaReading(
        language=language,
        document_language=document_language(text),
        media_type=extracted.media_type,
        pages=extracted.pages,
        section_count=sum(1 for section in sections if section.number),
        characters=len(text),
        items=items,
        breach_notification=breach,
        breach_notification_business_days=breach_business,
        subprocessor_notice=notice,
        notice_in_business_days=notice_business,
        authorisation=authorisation,
        right_to_object=facts.right_to_object(ordered, authorisation, incorporation),
        transfer_tools=tools,
        incorporates_scc_2021=incorporates,
        governing_law=facts.governing_law(ordered),
        supervisory_authority=facts.supervisory_authority(ordered),
        sub_processors=facts.sub_processor_tables(sections),
        warnings=tuple(breach_warnings + notice_warnings),
    )


Candidates = dict[str, list[tuple[Sentence, set[str]]]]


def scan(all_sentences: list[Sentence]) -> dict[str, tuple[Candidates, Sentence | None]]:
    """One pass over the sentences for all items: each element's matching sentences (with the
    item's elements each of them carries) and the first contradicting sentence.

    Speed: the concepts a sentence can match are found from its words' starts through an
    index (word start -> concepts), and an element's patterns run only when all its concepts
    are possible; a concept's pattern runs once per sentence (memo) for all items."""
    index = concept_index()
    found: dict[str, tuple[Candidates, list[Sentence]]] = {rule.item_id: ({}, []) for rule in ITEM_RULES}
    for sentence in all_sentences:
        text = sentence.text
        if DEFINITION.match(text):
            continue
        _, prefixes = text_view(text)
        possible: set[int] = set(UNGATED)
        for prefix in prefixes:
            concepts = index.get(prefix)
            if concepts:
                possible.update(concepts)
        memo: dict[int, bool] = {}
        for rule in ITEM_RULES:
            candidates, contradictions = found[rule.item_id]
            matched = {
                element.id for element in rule.elements
                if GROUP_IDS[element.id + rule.item_id] <= possible and element_matches(element, text, memo, sentence.block_text)
            }
            for element_id in matched:
                candidates.setdefault(element_id, []).append((sentence, matched))
            if not contradictions and any(
                CONTRADICTION_IDS[id(groups)] <= possible and contradicts(groups, text, memo, sentence.block_text) for groups in rule.contradictions
            ) and not (rule.contradiction_unless is not None and rule.contradiction_unless.search(text)):
                contradictions.append(sentence)
    return {item_id: (candidates, contradictions[0] if contradictions else None) for item_id, (candidates, contradictions) in found.items()}


def _concepts():
    for rule in ITEM_RULES:
        for element in rule.elements:
            yield from element.groups
        for groups in rule.contradictions:
            yield from groups


GROUP_IDS = {element.id + rule.item_id: frozenset(id(group) for group in element.groups) for rule in ITEM_RULES for element in rule.elements}
CONTRADICTION_IDS = {id(groups): frozenset(id(group) for group in groups) for rule in ITEM_RULES for groups in rule.contradictions}
UNGATED = frozenset(id(concept) for concept in _concepts() if concept.tokens is None)


@functools.cache
def concept_index() -> dict[str, frozenset[int]]:
    index: dict[str, set[int]] = {}
    for concept in _concepts():
        for token in concept.tokens or ():
            index.setdefault(token, set()).add(id(concept))
    return {token: frozenset(ids) for token, ids in index.items()}


def read_item(
    rule: ItemRule,
    candidates: Candidates,
    contradiction: Sentence | None,
    incorporation: Sentence | None,
    authorisation: str | None,
    language: str,
) -> ItemReading:
    if contradiction is not None:  # a contradicting sentence does not also count for what it limits
        for element_id in rule.contradiction_removes:
            if element_id in candidates:
                candidates[element_id] = [entry for entry in candidates[element_id] if entry[0] is not contradiction]
    # Evidence for each element: the sentence that carries the most elements of the item (first one on a tie).
    hits: dict[str, Sentence] = {
        element_id: max(entries, key=lambda entry: len(entry[1]))[0] for element_id, entries in candidates.items() if entries
    }
    required = list(rule.required)
    if rule.item_id == "art28_3_d" and authorisation == "specific":
        required = [element_id for element_id in required if element_id not in ("change_notice", "objection")]
    found_here = [element_id for element_id in required if element_id in hits]
    via_scc = False
    scc_elements: list[str] = []
    if incorporation is not None and rule.item_id in SCC_COVERAGE:
        _, covered = SCC_COVERAGE[rule.item_id]
        scc_elements = [element_id for element_id in required if element_id in covered and element_id not in hits]
        via_scc = bool(scc_elements)
    found = [element_id for element_id in required if element_id in hits or element_id in scc_elements]
    missing = [element_id for element_id in required if element_id not in found]
    weak = [element.id for element in rule.elements if element.weak and element.id in hits]
    if not missing and contradiction is None:
        status = ClauseStatus.PRESENT
    elif found or weak or (contradiction is not None and hits):
        status = ClauseStatus.PARTIAL
    else:
        status = ClauseStatus.ABSENT
    # Elements found beyond the required ones (deletion of copies, notice under a specific authorisation) are reported too.
    found += [element.id for element in rule.elements if not element.weak and element.id in hits and element.id not in found]
    evidence = _evidence(hits, found_here + weak, contradiction, incorporation if via_scc else None)
    reading = ItemReading(
        item_id=rule.item_id,
        status=status,
        evidence=evidence,
        found=tuple(found),
        missing=tuple(missing),
        via_scc=via_scc,
        contradiction=contradiction is not None,
        weak=tuple(weak) if status is not ClauseStatus.PRESENT else (),
        contradiction_section=(contradiction.section or "—") if contradiction is not None else None,
    )
    return ItemReading(**{**_fields(reading), "reason": reason(reading, language)})


def _fields(reading: ItemReading) -> dict:
    return {name: getattr(reading, name) for name in ItemReading.__slots__}


def _evidence(
    hits: dict[str, Sentence],
    element_ids: list[str],
    contradiction: Sentence | None,
    incorporation: Sentence | None,
) -> tuple[Evidence, ...]:
    chosen: list[Sentence] = []
    for element_id in element_ids:
        sentence = hits.get(element_id)
        if sentence is not None and sentence not in chosen:
            chosen.append(sentence)
    chosen = chosen[:MAX_EVIDENCE]
    for extra in (incorporation, contradiction):
        if extra is not None and extra not in chosen:
            chosen.append(extra)
    return tuple(facts.evidence_of(sentence) for sentence in chosen)


def reason(reading: ItemReading, weak=None, contradiction: Sentence | None = None, language: str | None = None) -> str:
    """Which elements were found and which are missing, in ``language``.

    Called ``reason(reading, language)``; the first published form ``reason(reading, weak,
    contradiction, language)`` (weak element ids, the contradicting sentence) still works and
    overrides what the reading carries."""
    if isinstance(weak, str) and language is None:
        weak, language = None, weak
    weak_ids = tuple(weak) if weak else reading.weak
    contradiction_section = (contradiction.section or "—") if contradiction is not None else reading.contradiction_section
    gettext = words(language or "fr").gettext
    separator = "\u00a0; " if language == "fr" else "; "

    def labels(element_ids) -> str:
        return separator.join(gettext(ELEMENT_LABELS[element_id]) for element_id in element_ids)

    parts: list[str] = []
    if reading.found:
        parts.append(gettext("Found: %(elements)s.") % {"elements": labels(reading.found)})
    if weak_ids:
        parts.append(gettext("Only: %(elements)s.") % {"elements": labels(weak_ids)})
    if reading.missing:
        if reading.found or weak_ids:
            parts.append(gettext("Missing: %(elements)s.") % {"elements": labels(reading.missing)})
        else:
            parts.append(gettext("Nothing found about: %(elements)s.") % {"elements": labels(reading.missing)})
    if reading.via_scc:
        clauses = SCC_COVERAGE[reading.item_id][0]
        parts.append(gettext("Covered through the incorporated SCCs 2021/914 (Clause %(clauses)s).") % {"clauses": clauses})
    if contradiction_section is not None:
        parts.append(gettext("Weakened or contradicted by section %(section)s.") % {"section": contradiction_section})
    return " ".join(parts)


