"""Likely renamed sub-processors in a vendor's list (pure).

A vendor's list that renames a sub-processor ("Sendgrid Inc." becomes "Twilio
SendGrid") compares as one removal and one addition. Accepting it that way would
delete the registered sub-processor — with its flow-down, DPF and scope facts and
its transfer tools — and insert a bare one. This module pairs a removal with an
addition when the two are likely the same entity, so the page and the API can
*ask* the DPO; nothing is paired silently: accepting keeps a pair as a removal and
an addition unless the DPO confirms it (:func:`register.store.notices.accept_notice`).

A pair is likely when

- the names are close once normalised (legal forms, case, accents and
  punctuation dropped: :func:`register.compliance.notices.name_key`), measured
  with rapidfuzz: one name's words contained in the other's ("sendgrid" in
  "twilio sendgrid"), or a ratio of at least :data:`CLOSE_NAMES`; names of
  fewer than :data:`SHORTEST_KEY` characters are never paired by name;
- or the list removes exactly one sub-processor and adds exactly one, and both
  state the same purpose and the same countries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from register.compliance.notices import Change, Entry, name_key
from register.intake.values import fold

CLOSE_NAMES = 85  # rapidfuzz score (0-100) from which two normalised names are close
SHORTEST_KEY = 4


@dataclass(frozen=True, slots=True)
class Rename:
    """A removal and an addition that are likely one sub-processor renamed."""

    before: Entry  # the registered (or previously listed) sub-processor no longer listed
    after: Entry  # the new name listed
    reason: str  # "similar_name" | "same_purpose_and_countries"
    score: int  # name similarity, 0-100

    @property
    def sub_processor_id(self) -> int | None:
        return self.before.sub_processor_id


def name_similarity(first: str, second: str) -> int:
    """0-100: how close two names are once normalised (0 when either is too short)."""
    a, b = name_key(first), name_key(second)
    if min(len(a), len(b)) < SHORTEST_KEY:
        return 0
    return round(max(fuzz.token_set_ratio(a, b), fuzz.ratio(a, b)))


def same_purpose_and_countries(before: Entry, after: Entry) -> bool:
    return bool(
        before.purpose and after.purpose and fold(before.purpose) == fold(after.purpose)
        and before.countries and set(before.countries) == set(after.countries)
    )


def likely_renames(changes: Sequence[Change]) -> tuple[Rename, ...]:
    """Removals paired with additions that are likely the same entity renamed, closest
    names first; each removal and each addition in one pair at most."""
    removed = [c.before for c in changes if c.kind == "removed" and c.before is not None]
    added = [c.after for c in changes if c.kind == "added" and c.after is not None]
    candidates: list[Rename] = []
    for before in removed:
        for after in added:
            score = name_similarity(before.name, after.name)
            if score >= CLOSE_NAMES:
                candidates.append(Rename(before, after, "similar_name", score))
            elif len(removed) == 1 and len(added) == 1 and same_purpose_and_countries(before, after):
                candidates.append(Rename(before, after, "same_purpose_and_countries", score))
    pairs: list[Rename] = []
    used_before: set[int] = set()
    used_after: set[int] = set()
    # Closest first; between equal scores (one name's words inside both others'), the
    # pair whose whole names are closer.
    def closeness(rename: Rename) -> tuple[int, float]:
        return -rename.score, -fuzz.ratio(name_key(rename.before.name), name_key(rename.after.name))

    for rename in sorted(candidates, key=closeness):
        if id(rename.before) in used_before or id(rename.after) in used_after:
            continue
        used_before.add(id(rename.before))
        used_after.add(id(rename.after))
        pairs.append(rename)
    return tuple(pairs)
