"""Bytes to a :class:`Workbook`, or a refusal naming the reason.

xlsx and ods are read by python-calamine (Rust, fast, maintained; it returns
each formula's cached value and never evaluates anything); csv by the
standard library after detecting the encoding (UTF-8 with or without BOM,
UTF-16 with BOM, cp1252 from French Excel) and the separator (``,`` ``;``
or tab). What a file is comes from its content, not its name: a name that
says otherwise is refused.

Before calamine sees an xlsx or ods, the zip is inspected with the stdlib
``zipfile``: every member is decompressed in a stream and counted, so a zip
bomb (a small file that decompresses to gigabytes, whatever its headers
claim) is refused once the cap is reached.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, time
from pathlib import PurePath

import python_calamine

from register.intake.model import Cell, IntakeError, Limits, Problem, Sheet, SheetRow, Workbook

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, or an encrypted xlsx
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
EXTENSIONS = {"xlsx": "xlsx", "xlsm": "xlsx", "ods": "ods", "csv": "csv", "txt": "csv", "tsv": "csv"}
STREAM_CHUNK = 1 << 16
SAMPLE_LINES = 50


def read_workbook(content: bytes, filename: str, limits: Limits | None = None) -> Workbook:
    """The visible sheets of ``content`` (non-empty rows only), or :class:`IntakeError`."""
    limits = limits or Limits()
    if len(content) > limits.max_bytes:
        raise IntakeError(
            "too_large", f"the file is {len(content):,} bytes; the limit is {limits.max_bytes:,} bytes"
        )
    if not content.strip():
        raise IntakeError("empty", "the file is empty")
    found = sniff_format(content)
    check_extension(filename, found)
    if found == "csv":
        workbook = read_csv(content, filename)
    else:
        check_zip(content, limits)
        workbook = read_spreadsheet(content, filename, found)
    check_row_count(workbook, limits)
    return workbook


# ------------------------------------------------------------------ what the file is


def sniff_format(content: bytes) -> str:
    """xlsx, ods or csv from the first bytes and the zip's members."""
    if content.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in content:
            raise IntakeError("password_protected", "the workbook is protected by a password: save a copy without the password and import that")
        raise IntakeError("unsupported_format", "this is an old Excel 97-2003 (.xls) file: save it as .xlsx and import that")
    if content.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                    if _ods_encrypted(archive):
                        raise IntakeError("password_protected", "the spreadsheet is protected by a password: save a copy without the password and import that")
                    return "ods"
        except (zipfile.BadZipFile, EOFError, ValueError) as error:
            raise IntakeError("corrupt", f"the file looks like an xlsx or ods workbook but cannot be opened ({error})") from None
        raise IntakeError("unsupported_format", "the file is a zip archive but not an xlsx or ods workbook")
    if b"\x00" in content[:4096] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IntakeError("unsupported_format", "the file is neither a spreadsheet (xlsx, ods) nor a text (csv) file")
    return "csv"


def _ods_encrypted(archive: zipfile.ZipFile) -> bool:
    try:
        manifest = archive.read("META-INF/manifest.xml")
    except KeyError:
        return False
    return b"encryption-data" in manifest


def check_extension(filename: str, found: str) -> None:
    """A name ending in a known extension must agree with the content."""
    extension = PurePath(filename or "").suffix.lower().lstrip(".")
    said = EXTENSIONS.get(extension)
    if said is None:
        if extension:
            raise IntakeError(
                "wrong_extension",
                f"files named .{extension} are not read; import an .xlsx, .ods or .csv file (this one contains {found})",
            )
        return
    if said != found:
        raise IntakeError(
            "wrong_extension",
            f"the file is named .{extension} but its content is {_format_name(found)}: rename it to .{found}",
        )


def _format_name(found: str) -> str:
    return {"xlsx": "an Excel (xlsx) workbook", "ods": "an OpenDocument (ods) spreadsheet", "csv": "text (csv)"}[found]


def check_zip(content: bytes, limits: Limits) -> None:
    """Decompress every member in a stream, counting: refuse past the cap."""
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for info in archive.infolist():
                if info.flag_bits & 0x1:
                    raise IntakeError("password_protected", "the workbook is encrypted: save a copy without the password and import that")
                with archive.open(info) as member:
                    while chunk := member.read(STREAM_CHUNK):
                        total += len(chunk)
                        if total > limits.max_unzipped_bytes:
                            raise IntakeError(
                                "zip_bomb",
                                f"the workbook decompresses to more than {limits.max_unzipped_bytes:,} bytes: refused as a possible zip bomb",
                            )
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError) as error:
        raise IntakeError("corrupt", f"the workbook is damaged and cannot be read ({error})") from None


def check_row_count(workbook: Workbook, limits: Limits) -> None:
    rows = sum(len(sheet.rows) for sheet in workbook.sheets)
    if rows > limits.max_rows:
        raise IntakeError("too_many_rows", f"the file has {rows:,} rows; the limit is {limits.max_rows:,}")


# ------------------------------------------------------------------ xlsx and ods


def read_spreadsheet(content: bytes, filename: str, found: str) -> Workbook:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except python_calamine.PasswordError:
        raise IntakeError("password_protected", "the workbook is protected by a password: save a copy without the password and import that") from None
    except Exception as error:  # calamine's errors (zip, XML, format) have no common base
        raise IntakeError("corrupt", f"the workbook is damaged and cannot be read ({error})") from None
    notes: list[Problem] = []
    sheets: list[Sheet] = []
    uncached = formulas_without_value(content) if found == "xlsx" else {}
    for metadata in book.sheets_metadata:
        if str(metadata.visible).rsplit(".", 1)[-1] != "Visible":
            notes.append(Problem("hidden_sheet", f"hidden sheet {metadata.name!r} was not read", sheet=metadata.name))
            continue
        if str(metadata.typ).rsplit(".", 1)[-1] != "WorkSheet":
            continue
        try:
            sheet = book.get_sheet_by_name(metadata.name)
            values = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
        except Exception as error:
            raise IntakeError("corrupt", f"the sheet cannot be read ({error})", sheet=metadata.name) from None
        if metadata.name in uncached:
            row, column = uncached[metadata.name]
            raise IntakeError(
                "formula_without_value",
                "this cell holds a formula whose result was never saved; formulas are not computed here: "
                "open the file in a spreadsheet, save it, and import it again (or paste the values)",
                sheet=metadata.name, row=row, column=column,
            )
        ranges = fill_merged(values, merged)
        if ranges:
            notes.append(Problem(
                "merged_cells",
                f"merged cells {', '.join(ranges[:10])}{' …' if len(ranges) > 10 else ''}: their value applies to each merged cell",
                sheet=metadata.name,
            ))
        sheets.append(Sheet(name=metadata.name, rows=non_empty_rows(values), merged=ranges))
    if not sheets:
        raise IntakeError("empty", "the workbook has no visible sheet")
    return Workbook(filename=filename, format=found, sheets=sheets, notes=notes)  # type: ignore[arg-type]


def fill_merged(values: list[list[Cell]], merged: list) -> list[str]:
    """Copy each merged range's value into every cell it covers; the ranges in A1 notation."""
    ranges = []
    for (top, left), (bottom, right) in merged:
        ranges.append(f"{column_letter(left)}{top + 1}:{column_letter(right)}{bottom + 1}")
        if top >= len(values) or left >= len(values[top]):
            continue
        value = values[top][left]
        for row in range(top, min(bottom, len(values) - 1) + 1):
            cells = values[row]
            for column in range(left, min(right, len(cells) - 1) + 1):
                cells[column] = value
    return ranges


def non_empty_rows(values: list[list[Cell]]) -> list[SheetRow]:
    rows = []
    for index, cells in enumerate(values):
        cleaned = [clean_cell(cell) for cell in cells]
        while cleaned and cleaned[-1] is None:
            cleaned.pop()
        if cleaned:
            rows.append(SheetRow(index + 1, cleaned))
    return rows


def clean_cell(cell: object) -> Cell:
    """calamine's value as a plain cell: "" is None, 3.0 is 3, times of day are text."""
    if cell is None or cell == "":
        return None
    if isinstance(cell, str):
        text = cell.strip()
        return text or None
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, (bool, int, float, date, datetime)):
        return cell
    if isinstance(cell, time):
        return cell.isoformat()
    return str(cell)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[ >]")


def formulas_without_value(content: bytes) -> dict[str, tuple[int, str]]:
    """The first formula cell without a saved result, per sheet (xlsx).

    Only when a sheet has formulas at all (a cheap look at its XML) is the
    workbook opened with openpyxl, which tells formulas and saved results
    apart; calamine gives the saved result and cannot say it is missing.
    """
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        has_formulas = any(
            name.startswith("xl/worksheets/") and FORMULA_ELEMENT.search(archive.read(name))
            for name in archive.namelist()
        )
    if not has_formulas:
        return {}
    import openpyxl  # only for workbooks with formulas

    formulas = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    results = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    missing: dict[str, tuple[int, str]] = {}
    for name in formulas.sheetnames:
        for row_formulas, row_values in zip(formulas[name].iter_rows(), results[name].iter_rows()):
            for formula, value in zip(row_formulas, row_values):
                if formula.data_type == "f" and value.value is None:
                    missing[name] = (formula.row, formula.column_letter)
                    break
            if name in missing:
                break
    return missing


# ------------------------------------------------------------------ csv


def read_csv(content: bytes, filename: str) -> Workbook:
    text, encoding = decode_text(content)
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        values = [[csv_cell(cell) for cell in row] for row in reader]
    except csv.Error as error:
        raise IntakeError("corrupt", f"the CSV file cannot be read ({error})") from None
    rows = non_empty_rows(values)  # type: ignore[arg-type]
    if not rows:
        raise IntakeError("empty", "the CSV file has no rows")
    separator = {";": "semicolon", ",": "comma", "\t": "tab"}[delimiter]
    note = Problem("csv_format", f"read as {encoding} text with {separator}-separated columns")
    name = PurePath(filename or "sheet.csv").stem or "csv"
    return Workbook(filename=filename, format="csv", sheets=[Sheet(name=name, rows=rows)], notes=[note])


def decode_text(content: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in: a BOM decides; else UTF-8, else cp1252."""
    if content.startswith(b"\xef\xbb\xbf"):
        return _decode(content, "utf-8-sig"), "UTF-8"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(content, "utf-16"), "UTF-16"
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # French Excel's "CSV (separator: semicolon)" is Windows-1252; its five
    # undefined bytes mean it is not that either.
    return _decode(content, "cp1252"), "Windows-1252"


def _decode(content: bytes, encoding: str) -> str:
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as error:
        raise IntakeError("corrupt", f"the text is not valid {encoding} (byte {error.start})") from None


def detect_delimiter(text: str) -> str:
    """The separator that splits the first lines into the same number (> 1) of columns, most columns first."""
    sample = "\n".join(text.splitlines()[:SAMPLE_LINES])
    best, best_score = ",", (False, 0)
    for candidate in (";", ",", "\t"):
        widths = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=candidate) if any(row)]
        if not widths:
            continue
        consistent = widths[0] > 1 and all(width == widths[0] for width in widths)
        score = (consistent, widths[0])
        if score > best_score:
            best, best_score = candidate, score
    return best


def csv_cell(cell: str) -> str | None:
    """A csv cell as text; the apostrophe a spreadsheet export puts before "=", "+", "-", "@" goes."""
    cell = cell.strip()
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@":
        cell = cell[1:]
    return cell or None
