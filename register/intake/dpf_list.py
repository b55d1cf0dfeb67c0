"""The Data Privacy Framework participants list, read and matched to the register (pure).

The DPF programme (dataprivacyframework.gov) publishes its participants; the
user downloads the list (or an export of a search) as CSV or xlsx and uploads
it. :func:`read_dpf_list` reads it with the spreadsheet reader of
:mod:`register.intake.reading` and finds these columns by their header (case,
accents and punctuation ignored; the first row within the first 20 that
names the organisation is the header row):

- **organisation name** (required): "Organization Name", "Organisation name",
  "Participant", "Company", "Legal name", "Name";
- **status**: "Status", "Participation status", "Active" — "Active" (or yes)
  is certified; "Inactive", "Withdrawn", "Removed" (or no) is not. Without
  this column every listed participant counts as active;
- **certification date**: "Certification date", "Original certification
  date", "Date of certification" (yyyy-mm-dd, dd/mm/yyyy or a date cell);
- **next re-certification**: "Next certification due date", "Recertification due";
- **covered data**: "Covered data", "Data covered", "Personal data covered",
  "HR/Non-HR" — values naming HR and/or non-HR data.

:func:`match_participants` proposes, for each US processor and sub-processor
of the register, the participant of the same normalised legal name (case,
accents, punctuation and legal suffixes such as Inc., LLC, Corp. ignored), or
a close name (rapidfuzz) shown as such for the DPO to confirm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from rapidfuzz import fuzz, process

from register.i18n import N_
from register.intake.model import IntakeError, Limits, Problem, Sheet, cell_problem, problem
from register.intake.reading import column_letter, read_workbook
from register.intake.names import legal_name_key as normalised_name  # "Acme, Inc." is "acme"
from register.intake.values import fold, parse_date, text_of

HEADER_SEARCH_ROWS = 20
CLOSE_MATCH_SCORE = 90  # rapidfuzz token_sort_ratio, 0..100, on normalised names
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("organization name", "organisation name", "participant", "participant name", "company",
             "company name", "legal name", "name", "organization", "organisation"),
    "status": ("status", "participation status", "active", "dpf status"),
    "certified_on": ("certification date", "original certification date", "date of certification",
                     "certified on", "initial certification date"),
    "due_on": ("next certification due date", "recertification due", "re certification due date",
               "next recertification due date", "certification due date"),
    "covered": ("covered data", "data covered", "personal data covered", "hr non hr", "hr data",
                "covered personal data"),
}
ACTIVE_WORDS = {"active", "yes", "y", "true", "1", "certified", "actif", "oui"}
INACTIVE_WORDS = {"inactive", "withdrawn", "removed", "no", "n", "false", "0", "not active", "expired", "inactif", "non"}
Covered = Literal["hr", "non_hr", "both", ""]
MatchKind = Literal["exact", "legal_suffix", "close", "none"]


@dataclass(frozen=True, slots=True)
class Participant:
    name: str
    active: bool
    certified_on: date | None = None
    due_on: date | None = None
    covered: Covered = ""
    row: int = 0


@dataclass(frozen=True, slots=True)
class DpfList:
    filename: str
    participants: tuple[Participant, ...]
    problems: tuple[Problem, ...] = ()  # rows skipped or values not understood (the rest is read)


def covered_data(text: str) -> Covered:
    folded = fold(text)
    has_non_hr = bool(re.search(r"\bnon\s*hr\b|\bnon human resources\b", folded))
    has_hr = bool(re.search(r"(?<!non )\bhr\b|(?<!non )\bhuman resources\b", folded.replace("non hr", "")))
    if has_hr and has_non_hr:
        return "both"
    return "non_hr" if has_non_hr else "hr" if has_hr else ""


def find_columns(sheet: Sheet) -> tuple[int, dict[str, int]]:
    """(index of the header row in ``sheet.rows``, field → column index)."""
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        headers = [fold(text_of(cell)) for cell in row.cells]
        found: dict[str, int] = {}
        for name, aliases in COLUMN_ALIASES.items():
            for column, header in enumerate(headers):
                if header in aliases and name not in found:
                    found[name] = column
        if "name" in found:
            return index, found
    raise IntakeError(
        "header_missing",
        N_("no column names the organisation (e.g. “Organization Name”) in the first 20 rows"),
        sheet=sheet.name,
    )


def read_dpf_list(content: bytes, filename: str, limits: Limits | None = None) -> DpfList:
    """The participants of a DPF list export (csv, xlsx, ods); raises :class:`IntakeError` for a refused file."""
    workbook = read_workbook(content, filename, limits)
    last_error: IntakeError | None = None
    for sheet in workbook.sheets:
        try:
            header, columns = find_columns(sheet)
        except IntakeError as error:
            last_error = error
            continue
        return participants_of(workbook.filename, sheet, header, columns)
    raise last_error or IntakeError("empty", N_("the file holds no sheet"))


def participants_of(filename: str, sheet: Sheet, header: int, columns: dict[str, int]) -> DpfList:
    participants, problems = [], []

    def cell(cells: list, name: str):
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    for row in sheet.rows[header + 1:]:
        name = text_of(cell(row.cells, "name"))
        if not name:
            continue
        status = fold(text_of(cell(row.cells, "status")))
        active = True if "status" not in columns else status in ACTIVE_WORDS
        if "status" in columns and status not in ACTIVE_WORDS | INACTIVE_WORDS:
            problems.append(problem(
                "status_unknown", N_("status “%(status)s” is neither active nor inactive: counted as not certified"),
                sheet=sheet.name, row=row.number, column=column_letter(columns["status"]), status=text_of(cell(row.cells, "status")),
            ))
        dates = {}
        for key in ("certified_on", "due_on"):
            try:
                dates[key] = parse_date(cell(row.cells, key))
            except ValueError as error:
                dates[key] = None
                problems.append(cell_problem(error, "cell_invalid", sheet=sheet.name, row=row.number,
                                             column=column_letter(columns[key])))
        participants.append(Participant(
            name=name, active=active, covered=covered_data(text_of(cell(row.cells, "covered"))),
            row=row.number, **dates,
        ))
    if not participants:
        raise IntakeError("empty", "the list names no participant", sheet=sheet.name)
    return DpfList(filename, tuple(participants), tuple(problems))


# ------------------------------------------------------------------ matching


@dataclass(frozen=True, slots=True)
class Candidate:
    """A US processor or sub-processor of the register, with what the import may change."""

    kind: Literal["processor", "sub_processor"]
    id: int
    processor_id: int  # the processor itself, or the one the sub-processor belongs to
    name: str
    dpf_certified: bool | None
    dpf_checked_on: date | None
    version: int
    handles_hr_data: bool = False


@dataclass(frozen=True, slots=True)
class Proposal:
    """What the list says of one candidate, and what confirming it would record."""

    candidate: Candidate
    match: MatchKind
    participant: Participant | None
    certified: bool  # the value confirming it records
    score: int = 100  # similarity of the names, 0..100
    warnings: tuple[str, ...] = field(default=())  # codes: "hr_not_covered"

    @property
    def changes(self) -> bool:
        return self.candidate.dpf_certified != self.certified

    @property
    def key(self) -> str:
        """The form's value for this proposal: kind, id, the version read, and the value to record."""
        c = self.candidate
        return f"{c.kind}:{c.id}:{c.version}:{int(self.certified)}"


def index_participants(participants: tuple[Participant, ...]) -> dict[str, Participant]:
    """Normalised name → participant; of several with one name, an active one wins."""
    index: dict[str, Participant] = {}
    for participant in participants:
        key = normalised_name(participant.name)
        if key and (key not in index or (participant.active and not index[key].active)):
            index[key] = participant
    return index


def match_participants(dpf: DpfList, candidates: list[Candidate]) -> list[Proposal]:
    """One proposal per candidate: exact, legal-suffix or close match, or "none" (not on the list)."""
    index = index_participants(dpf.participants)
    exact = {fold(p.name): p for p in dpf.participants}
    names = list(index)
    proposals = []
    for candidate in candidates:
        key = normalised_name(candidate.name)
        participant, kind, score = None, "none", 0
        if fold(candidate.name) in exact:
            participant, kind, score = exact[fold(candidate.name)], "exact", 100
        elif key in index:
            participant, kind, score = index[key], "legal_suffix", 100
        elif names:
            found = process.extractOne(key, names, scorer=fuzz.token_sort_ratio, score_cutoff=CLOSE_MATCH_SCORE)
            if found is not None:
                participant, kind, score = index[found[0]], "close", int(found[1])
        certified = participant is not None and participant.active
        warnings = ()
        if certified and candidate.handles_hr_data and participant is not None and participant.covered == "non_hr":
            warnings = ("hr_not_covered",)
        proposals.append(Proposal(candidate, kind, participant, certified, score, warnings))
    order = {"exact": 0, "legal_suffix": 1, "close": 2, "none": 3}
    return sorted(proposals, key=lambda p: (order[p.match], fold(p.candidate.name)))


def parse_key(key: str) -> tuple[str, int, int, bool]:
    """(kind, id, version, certified) from :attr:`Proposal.key`; ValueError when malformed."""
    kind, record_id, version, certified = key.split(":")
    if kind not in ("processor", "sub_processor") or certified not in ("0", "1"):
        raise ValueError(f"{key!r} is not a proposal")
    return kind, int(record_id), int(version), certified == "1"
