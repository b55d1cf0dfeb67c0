"""The plain values of a spreadsheet import: what was read, how its columns
map to the register, and what an import would do.

Everything here is a msgspec Struct, so a preview is stored as JSON (a text
column) and reloaded unchanged, and a mapping is saved as JSON or TOML.
No database, no HTTP: :mod:`register.intake` is pure.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from typing import Any, Literal

import msgspec

from register.i18n import N_

# One cell as the reader gives it: a formula's cached value, never the formula.
Cell = str | int | float | bool | date | datetime | None

SheetKind = Literal["extract", "cnil", "columns"]
RowAction = Literal["create", "update", "unchanged", "error"]

# How rows find the processor they update: the normalised legal name plus the
# headquarters country (default), or one mapped field (e.g. "id", "website").
NAME_AND_COUNTRY = "name_country"


Param = str | int


class Problem(msgspec.Struct, frozen=True):
    """A reason, and the cell it is about when there is one.

    ``message`` is English; ``template`` is its gettext message id and
    ``params`` its values, so :func:`register.intake.wording.problem_text`
    says it in French or English. A ``field`` param names a register field
    (shown by its label).
    """

    code: str
    message: str
    sheet: str | None = None
    row: int | None = None  # 1-based, as the spreadsheet shows it
    column: str | None = None  # the column's letter (A, B, … AA)
    template: str = ""
    params: dict[str, Param] = {}

    def located(self) -> str:
        """The message with where it is, in English (the command line's output)."""
        from register.intake.wording import problem_text  # wording imports this module

        return problem_text(self, "en")


def problem(
    code: str, template: str, *, sheet: str | None = None, row: int | None = None, column: str | None = None,
    **params: Param,
) -> Problem:
    from register.intake.wording import render

    return Problem(code, render(template, params, "en"), sheet, row, column, template, params)


class CellError(ValueError):
    """A cell that cannot be read as its field's value (a message id and its values)."""

    def __init__(self, template: str, **params: Param) -> None:
        from register.intake.wording import render

        super().__init__(render(template, params, "en"))
        self.template = template
        self.params = params


def cell_problem(error: ValueError, code: str, *, sheet: str | None, row: int | None, column: str | None = None,
                 **params: Param) -> Problem:
    """The problem of a cell (or a row) that raised ``error``."""
    if isinstance(error, CellError):
        return problem(code, error.template, sheet=sheet, row=row, column=column, **params, **error.params)
    from register.i18n.validation import reason_of  # a validation message: said in the register's words

    reason = reason_of(str(error))
    if reason is None:  # not the library's English inside a French text
        return problem(code, N_("the register refuses this value"), sheet=sheet, row=row, column=column, **params)
    key, values = reason
    bound = {"n": values["n"]} if "n" in values else {}
    return problem(code, N_("the register refuses this value: %(reason)s"), sheet=sheet, row=row, column=column,
                   **params, reason=key, **bound)


class IntakeError(Exception):
    """A file or a mapping the import refuses, with the reason (a :class:`Problem`).

    ``code`` is stable (tests and the web layer branch on it); ``message`` is
    English; ``problem`` renders in French or English.
    """

    def __init__(
        self, code: str, template: str, *, sheet: str | None = None, row: int | None = None,
        column: str | None = None, **params: Param,
    ) -> None:
        self.problem = problem(code, template, sheet=sheet, row=row, column=column, **params)
        super().__init__(self.problem.message)
        self.code = code
        self.message = self.problem.message
        self.sheet = sheet
        self.row = row
        self.column = column

    def __str__(self) -> str:
        return self.problem.located()


# ------------------------------------------------------------------ what was read


class SheetRow(msgspec.Struct, array_like=True, frozen=True):
    number: int  # 1-based row number in the sheet
    cells: list[Cell]


class Sheet(msgspec.Struct, frozen=True):
    name: str
    rows: list[SheetRow]  # the non-empty rows, in order (header row included)
    hidden: bool = False
    merged: list[str] = []  # merged ranges, e.g. "B3:D3" (their value is in the first cell)


class Workbook(msgspec.Struct, frozen=True):
    filename: str
    format: Literal["xlsx", "ods", "csv"]
    sheets: list[Sheet]
    # What the reader noticed and the user should know (hidden sheets, merged
    # cells, the CSV encoding and separator it detected).
    notes: list[Problem] = []

    def sheet(self, name: str) -> Sheet:
        """The sheet named ``name``; a csv file's one sheet whatever its name ("" too)."""
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        if self.format == "csv" or not name:
            return self.sheets[0]
        raise IntakeError("sheet_missing", N_("the file has no sheet named “%(name)s”"), sheet=name, name=name)


class Limits(msgspec.Struct, frozen=True):
    """Caps on what a reader accepts (defaults from :mod:`register.settings`)."""

    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 50_000
    max_unzipped_bytes: int = 200 * 1024 * 1024


# ------------------------------------------------------------------ the mapping


class ColumnMapping(msgspec.Struct, kw_only=True):
    """How a sheet's columns become the register's fields.

    ``columns`` maps a field of :data:`register.intake.fields.FIELDS` to the
    header of the column holding it (as written in the sheet). Fields not
    mapped are never touched by an update.
    """

    kind: SheetKind = "columns"
    sheet: str = ""  # the sheet read ("" for the CNIL workbook: every record sheet)
    header_row: int = 1  # 1-based row of the headers
    columns: dict[str, str] = {}
    key: str = NAME_AND_COUNTRY  # or a mapped field's name
    language: Literal["fr", "en"] = "fr"  # how labels (categories, statuses) are read

    def to_json(self) -> str:
        return msgspec.json.encode(self).decode()

    @classmethod
    def from_json(cls, text: str | bytes) -> "ColumnMapping":
        return _decode(lambda: msgspec.json.decode(text, type=cls))

    def to_toml(self) -> str:
        lines = [
            f"kind = {_toml_string(self.kind)}",
            f"sheet = {_toml_string(self.sheet)}",
            f"header_row = {self.header_row}",
            f"key = {_toml_string(self.key)}",
            f"language = {_toml_string(self.language)}",
            "",
            "[columns]",
        ]
        lines += [f"{field} = {_toml_string(header)}" for field, header in self.columns.items()]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_toml(cls, text: str) -> "ColumnMapping":
        try:
            values = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise _syntax_error(str(error), "toml") from None
        return _decode(lambda: msgspec.convert(values, type=cls))


def _toml_string(value: str) -> str:
    return msgspec.json.encode(value).decode()  # a JSON string is a TOML basic string


def _decode(decode: Any) -> ColumnMapping:
    from register.intake.fields import check_mapping  # fields imports this module

    try:
        mapping = decode()
    except msgspec.ValidationError as error:
        raise _setting_error(str(error)) from None
    except msgspec.DecodeError as error:
        raise _syntax_error(str(error), "json") from None
    check_mapping(mapping)
    return mapping


_TOML_POSITION = re.compile(r"\(at line (?P<line>\d+), column (?P<character>\d+)\)")
_JSON_POSITION = re.compile(r"\(byte (?P<byte>\d+)\)")


def _syntax_error(message: str, syntax: Literal["toml", "json"]) -> IntakeError:
    """A mapping file that does not parse, with where (not the parser's English)."""
    if syntax == "toml":
        if found := _TOML_POSITION.search(message):
            return IntakeError("mapping_invalid", N_("the mapping is not valid TOML (line %(line)s, character %(character)s)"),
                               line=int(found["line"]), character=int(found["character"]))
        return IntakeError("mapping_invalid", N_("the mapping is not valid TOML"))
    if found := _JSON_POSITION.search(message):
        return IntakeError("mapping_invalid", N_("the mapping is not valid JSON (character %(character)s)"),
                           character=int(found["byte"]) + 1)
    return IntakeError("mapping_invalid", N_("the mapping is not valid JSON"))


def _setting_error(message: str) -> IntakeError:
    """A mapping setting of the wrong type or value, named, with the reason in the register's words."""
    from register.i18n.validation import WHOLE_RECORD, field_of, reason_of

    setting, detail = field_of(message)
    if setting == WHOLE_RECORD:
        return IntakeError("mapping_invalid", N_("the mapping is not a table of settings (kind, sheet, header_row, "
                                                 "key, language, columns)"))
    reason = reason_of(detail)
    if reason is None:
        return IntakeError("mapping_invalid", N_("the mapping's setting “%(setting)s” is not valid"), setting=setting)
    key, values = reason
    bound = {"n": values["n"]} if "n" in values else {}
    return IntakeError("mapping_invalid", N_("the mapping's setting “%(setting)s” is not valid: %(reason)s"),
                       setting=setting, reason=key, **bound)


# ------------------------------------------------------------------ proposals


class LocationProposal(msgspec.Struct, frozen=True, kw_only=True):
    country: str
    activity: str = "hosting"
    note: str = ""


class SubProcessorProposal(msgspec.Struct, frozen=True, kw_only=True):
    """None: the sheet does not say (the register's value is kept)."""

    name: str
    countries: list[str] = []  # added to those recorded
    purpose: str | None = None
    flowdown: str | None = None  # a Tristate value
    dpf_checked_on: date | None = None


class SafeguardProposal(msgspec.Struct, frozen=True, kw_only=True):
    country: str
    mechanism: str  # a TransferMechanism value
    sub_processor: str | None = None  # the sub-processor's name when the flow is onward
    scc_module: int | None = None
    signed_on: date | None = None
    tia_on: date | None = None


class AgreementProposal(msgspec.Struct, frozen=True, kw_only=True):
    signed_on: date | None = None
    ends_on: date | None = None
    reference: str = ""


class ProcessorProposal(msgspec.Struct, frozen=True, kw_only=True):
    """What one row says of one processor: only the fields it maps."""

    fields: dict[str, Any]  # processor columns (legal_name, headquarters_country, …)
    locations: list[LocationProposal] = []
    sub_processors: list[SubProcessorProposal] = []
    safeguards: list[SafeguardProposal] = []
    agreement: AgreementProposal | None = None


# ------------------------------------------------------------------ the preview


class FieldChange(msgspec.Struct, frozen=True, array_like=True):
    field: str  # a processor field, or "location", "sub_processor", "safeguard", "agreement.signed_on"…
    old: Any
    new: Any


class PreviewRow(msgspec.Struct, frozen=True, kw_only=True):
    sheet: str
    row: int  # 1-based row number (first row of the record for the CNIL workbook)
    action: RowAction
    label: str  # the processor's name as read
    key: str  # the matching key (normalised)
    processor_id: int | None = None  # the processor updated or left unchanged
    processor_version: int | None = None  # its version when previewed
    changes: list[FieldChange] = []
    problems: list[Problem] = []  # errors (action "error") or warnings and findings
    proposal: ProcessorProposal | None = None


class Counts(msgspec.Struct, frozen=True):
    create: int = 0
    update: int = 0
    unchanged: int = 0
    error: int = 0

    @property
    def importable(self) -> int:
        return self.create + self.update


class Preview(msgspec.Struct, frozen=True, kw_only=True):
    organisation_id: int
    source: str  # the file's name
    kind: SheetKind
    mapping: ColumnMapping
    register_revision: int  # the organisation's revision tag when previewed
    rows: list[PreviewRow]
    counts: Counts
    notes: list[Problem] = []  # about the file as a whole (from the reader and the mapping)
    created_at: datetime | None = None

    def to_json(self) -> str:
        return msgspec.json.encode(self).decode()

    @classmethod
    def from_json(cls, text: str | bytes) -> "Preview":
        return msgspec.json.decode(text, type=cls)


class ImportResult(msgspec.Struct, frozen=True, kw_only=True):
    created: list[int]  # processor ids
    updated: list[int]
    unchanged: int
    errors: int
