"""The CNIL's model register (« Modèle de registre simplifié », 2019) read by its labels.

Each record sheet (« Modèle de fiche de registre », duplicated per
processing) has two blocks that name processors:

- « Destinataires » (Type de destinataire · Précisions): a row of type
  « Sous-traitants » names a processor in « Précisions »;
- « Transferts hors UE » (Destinataire · Pays · Type de Garanties · Liens
  vers la documentation): a recipient outside the EU, with its country and
  transfer tool.

Both become processor proposals, with the processing's name as a purpose.
Only the labels are mapped: the workbook's own vocabulary predates Schrems II
(Privacy Shield as a guarantee, the United States tagged adequate, Japan and
South Korea not) and its adequacy claims are never imported — the
compliance core judges each country from the register's dated data.
The sheet « Exemple de fiche » (a fictitious example) is not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from register.intake.model import (
    Cell,
    LocationProposal,
    Problem,
    ProcessorProposal,
    SafeguardProposal,
    Sheet,
    Workbook,
)
from register.intake.reading import column_letter
from register.intake.values import (
    UNRECORDED_TOOLS,
    fold,
    parse_country,
    parse_date,
    parse_mechanism,
    text_of,
)
from register.reference import load_reference
from register.vocabulary import LocationActivity, TransferMechanism

TRANSFERS_BLOCK = "transferts hors ue"
RECIPIENTS_BLOCK = "destinataires"
PROCESSING_NAME = "nom du traitement"
PROCESSOR_TYPE = "sous traitant"  # « Sous-traitants » folds to "sous traitants"
EXAMPLE_SHEET = "exemple"
TRANSFER_HEADERS = {
    "destinataire": "recipient",
    "pays": "country",
    "type de garanties": "guarantee",
    "liens vers la documentation": "documentation",
    "lien vers la documentation": "documentation",
}
RECIPIENT_HEADERS = {"type de destinataire": "type", "precisions": "details"}
BLOCK_ROWS_SCANNED = 300  # a record sheet is about 80 rows; a vendor list of thousands is not one
DATE_IN_TEXT = re.compile(r"\b(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\b")


@dataclass(frozen=True, slots=True)
class Block:
    title_row: int
    header_row: int
    columns: dict[str, int]  # role → column index


def is_cnil_workbook(workbook: Workbook) -> bool:
    """A workbook with a record sheet holding a « Transferts hors UE » or « Destinataires » block."""
    return any(find_block(sheet, TRANSFERS_BLOCK, TRANSFER_HEADERS) or find_block(sheet, RECIPIENTS_BLOCK, RECIPIENT_HEADERS)
               for sheet in workbook.sheets)


def find_block(sheet: Sheet, title: str, headers: dict[str, str]) -> Block | None:
    """The block titled ``title`` and the columns of its headers (on its title row or the next two)."""
    rows = sheet.rows[:BLOCK_ROWS_SCANNED]
    for position, row in enumerate(rows):
        if not any(fold(text_of(cell)) == title for cell in row.cells):
            continue
        for candidate in rows[position:position + 3]:
            columns = {}
            for index, cell in enumerate(candidate.cells):
                role = headers.get(fold(text_of(cell)))
                if role and role not in columns:
                    columns[role] = index
            if len(columns) >= 2:
                return Block(row.number, candidate.number, columns)
    return None


def block_rows(sheet: Sheet, block: Block, stop_titles: set[str]):
    """The rows under a block's headers, until another block's title."""
    for row in sheet.rows:
        if row.number <= block.header_row:
            continue
        if any(fold(text_of(cell)) in stop_titles for cell in row.cells[:2]):
            return
        yield row


def processing_name(sheet: Sheet) -> str:
    for row in sheet.rows:
        for index, cell in enumerate(row.cells):
            if fold(text_of(cell)) == PROCESSING_NAME:
                for value in row.cells[index + 1:]:
                    if text_of(value):
                        return text_of(value)
    return ""


@dataclass(slots=True)
class CnilRecord:
    sheet: str
    row: int
    name: str
    proposal: ProcessorProposal
    problems: list[Problem]
    warnings: list[Problem]


def cnil_records(workbook: Workbook) -> tuple[list[CnilRecord], list[Problem]]:
    """Processor proposals from every record sheet, and notes on the workbook."""
    records: list[CnilRecord] = []
    notes: list[Problem] = []
    stops = {TRANSFERS_BLOCK, RECIPIENTS_BLOCK, "mesures de securite", "categories de personnes concernees",
             "donnees sensibles", "categories de donnees personnelles concernees"}
    for sheet in workbook.sheets:
        if EXAMPLE_SHEET in fold(sheet.name):
            notes.append(Problem("example_sheet", "the CNIL's example record sheet was not read", sheet=sheet.name))
            continue
        purpose = processing_name(sheet)
        purposes = [purpose] if purpose else []
        recipients = find_block(sheet, RECIPIENTS_BLOCK, RECIPIENT_HEADERS)
        if recipients is not None:
            for row in block_rows(sheet, recipients, stops - {RECIPIENTS_BLOCK}):
                record = recipient_record(sheet.name, row.number, row.cells, recipients, purposes)
                if record is not None:
                    records.append(record)
        transfers = find_block(sheet, TRANSFERS_BLOCK, TRANSFER_HEADERS)
        if transfers is not None:
            for row in block_rows(sheet, transfers, stops - {TRANSFERS_BLOCK}):
                record = transfer_record(sheet.name, row.number, row.cells, transfers, purposes)
                if record is not None:
                    records.append(record)
    return records, notes


def _cell(cells: list[Cell], index: int | None) -> Cell:
    return cells[index] if index is not None and index < len(cells) else None


def recipient_record(sheet: str, number: int, cells: list[Cell], block: Block, purposes: list[str]) -> CnilRecord | None:
    kind = fold(text_of(_cell(cells, block.columns.get("type"))))
    name = text_of(_cell(cells, block.columns.get("details")))
    if not kind.startswith(PROCESSOR_TYPE) or not name:
        return None  # internal services, partners, third-country recipients: not processors
    proposal = ProcessorProposal(fields={"legal_name": name, "purposes": list(purposes)})
    return CnilRecord(sheet, number, name, proposal, [], [])


def transfer_record(sheet: str, number: int, cells: list[Cell], block: Block, purposes: list[str]) -> CnilRecord | None:
    columns = block.columns
    name = text_of(_cell(cells, columns.get("recipient")))
    if not name:
        return None
    problems: list[Problem] = []
    warnings: list[Problem] = []
    documentation = text_of(_cell(cells, columns.get("documentation")))

    def where(role: str) -> str | None:
        index = columns.get(role)
        return column_letter(index) if index is not None else None

    try:
        country = parse_country(_cell(cells, columns.get("country")))
    except ValueError as error:
        problems.append(Problem("cell_invalid", f"Pays: {error}", sheet, number, where("country")))
        country = None
    guarantee = text_of(_cell(cells, columns.get("guarantee")))
    mechanism = None
    if guarantee and fold(guarantee) in UNRECORDED_TOOLS:
        warnings.append(Problem(
            "tool_not_recorded",
            f"{guarantee!r} is not a transfer tool the register records for a flow: the transfer is imported "
            "without a tool and the label is kept in the location's note",
            sheet, number, where("guarantee"),
        ))
    elif guarantee:
        try:
            mechanism = parse_mechanism(guarantee)
        except ValueError as error:
            problems.append(Problem("cell_invalid", f"Type de garanties: {error}", sheet, number, where("guarantee")))
    signed_on = date_in(documentation)
    if mechanism == TransferMechanism.SCC_2021 and signed_on is not None and signed_on < old_scc_cutoff():
        mechanism = TransferMechanism.SCC_PRE_2021.value
    if mechanism == TransferMechanism.PRIVACY_SHIELD:
        warnings.append(Problem(
            "privacy_shield",
            "Privacy Shield was invalidated by the Court of Justice on 16 July 2020 (Schrems II): it is imported "
            "as a tool that covers no transfer, and the register reports the finding PRIVACY_SHIELD_INVALID",
            sheet, number, where("guarantee"),
        ))
    if mechanism == TransferMechanism.ADEQUACY:
        warnings.append(Problem(
            "adequacy_not_imported",
            "the workbook's « Pays adéquat » is recorded as the tool relied on; whether the country has an "
            "adequacy decision is judged from the register's dated reference data, not from the workbook",
            sheet, number, where("guarantee"),
        ))
    if not country and not problems:
        problems.append(Problem("country_missing", "the recipient's country (Pays) is empty", sheet, number,
                                where("country")))
    note = " — ".join(part for part in (guarantee if mechanism is None else "", documentation) if part)
    locations = [LocationProposal(country=country, activity=LocationActivity.PROCESSING.value, note=note)] if country else []
    safeguards = []
    if country and mechanism:
        signed = signed_on if mechanism in (TransferMechanism.SCC_2021, TransferMechanism.SCC_PRE_2021) else None
        safeguards.append(SafeguardProposal(country=country, mechanism=mechanism, signed_on=signed))
    proposal = ProcessorProposal(fields={"legal_name": name, "purposes": list(purposes)},
                                 locations=locations, safeguards=safeguards)
    return CnilRecord(sheet, number, name, proposal, problems, warnings)


def old_scc_cutoff() -> date:
    """From this day on, new contracts could no longer use the pre-2021 SCCs (reference key date)."""
    return load_reference().key_dates["scc_old_new_contracts_cutoff"].on


def date_in(text: str) -> date | None:
    """The first date written in a text ("Contrat en date du 23/01/2018")."""
    match = DATE_IN_TEXT.search(text)
    if match is None:
        return None
    try:
        return parse_date(match.group(1))
    except ValueError:
        return None
