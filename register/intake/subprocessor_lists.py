"""Reading a vendor's sub-processor list or change notice into rows (pure).

Shapes met in the wild (shared/reference/subprocessor-lists.md), all read here:

- a table — Markdown (``| Name | Purpose | Location |``), HTML ``<table>``, or a
  spreadsheet/CSV file read by :func:`register.intake.read_workbook` — whose
  columns are recognised by their header (name; purpose or description;
  location of processing; corporate location), as in GitHub's four-column
  list or Zed's three-column one;
- JSON: a list of objects (or an object holding one) with ``name`` and
  ``location``/``reason`` keys, as PostHog publishes;
- bullet lists grouped under a line saying where they are ("located in the
  United States:", "Sous-traitants situés dans l'UE :"), each item a name and
  an optional purpose after a dash, colon or in brackets;
- a PDF (the vendor's list printed or exported): its text extracted by
  :mod:`register.reading`'s pypdf reader, its table rebuilt from the positions
  of the text on the page (columns by the header's cells), then read as any
  table; a PDF with no table is read as text. A scanned PDF (no text layer) is
  refused with a clear reason.

Countries are read with the intake's own country parser (French and English
names from CLDR, ISO codes); "Worldwide", "Global", "EU", "EEA" are kept as
regions, never guessed into countries. A part that is neither is reported as
a problem on the row, not dropped silently.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import msgspec

from register.i18n import N_
from register.intake.model import IntakeError, Limits
from register.intake.reading import read_workbook
from register.intake.values import fold, parse_country, text_of

SPREADSHEET_EXTENSIONS = (".xlsx", ".ods", ".csv", ".tsv")
PDF_SIGNATURE = b"%PDF-"
MAX_TEXT_BYTES = 5 * 1024 * 1024
REGIONS = {
    "worldwide": "worldwide", "global": "worldwide", "globally": "worldwide", "monde": "worldwide",
    "monde entier": "worldwide", "international": "worldwide", "all regions": "worldwide",
    "eu": "eu", "european union": "eu", "ue": "eu", "union europeenne": "eu", "europe": "eu",
    "eea": "eea", "european economic area": "eea", "eee": "eea", "espace economique europeen": "eea",
}  # fmt: skip
LOCATION_PARTS = re.compile(r"\s*(?:;|,|/|\||\r?\n|\band\b|\bet\b|&)\s*", re.IGNORECASE)
BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
BULLET = re.compile(r"^\s*(?:[-*+•·]|\d+[.)])\s+(.*)$")
GROUP_LOCATION = re.compile(
    r"\b(?:located|based|hosted|processing|processed)?\s*(?:in|within|en|au|aux|dans)\s+(?:the\s+|l'|l’|la\s+|le\s+|les\s+)?(.+)$",
    re.IGNORECASE,
)
ITEM_SPLIT = re.compile(r"\s+[—–-]\s+|:\s+|\s+\|\s+")
PERIOD = re.compile(
    r"\b(\d{1,3})\s*(?:\(\w+\)\s*)?(business|working|calendar|ouvr[ée]s|ouvrables|calendaires)?\s*"
    r"(days?|jours?)\s*(business|working|ouvr[ée]s|ouvrables|calendaires)?",
    re.IGNORECASE,
)
BUSINESS_WORDS = ("business", "working", "ouvre", "ouvrable")

# Header words → the row field they name (folded; the first field whose word is in the header wins,
# in this order: "Location of Processing" is a location, "Description of Processing" a purpose).
HEADER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("corporate", ("corporate", "headquarter", "hq", "siege", "head office", "registered office")),
    ("location", ("location", "country", "countries", "pays", "localisation", "lieu", "region", "where")),
    ("purpose", ("purpose", "description", "service", "reason", "activit", "finalit", "function", "role",
                 "nature", "processing", "traitement", "prestation")),
    ("name", ("name", "subprocessor", "sub processor", "entity", "vendor", "provider", "nom", "sous traitant",
              "company", "societe", "fournisseur", "prestataire", "third party")),
)  # fmt: skip
JSON_KEYS = {
    "name": ("name", "entity", "legal_name", "subprocessor", "vendor", "company", "nom"),
    "purpose": ("purpose", "reason", "description", "service", "details", "finalite"),
    "location": ("location", "locations", "country", "countries", "processing_location", "pays"),
    "corporate": ("corporate_location", "headquarters", "hq", "corporate", "siege"),
}


class ListProblem(msgspec.Struct, frozen=True, kw_only=True):
    """Something in the list the reader could not take as it stands (English; ``code`` is stable)."""

    code: str  # "country_unknown" | "name_missing" | "no_rows"
    text: str = ""  # the part of the list concerned, as written
    row: int | None = None  # 1-based row of the list


class ListedSubProcessor(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the vendor's list."""

    name: str
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2, as listed (processing location)
    regions: tuple[str, ...] = ()  # "worldwide" | "eu" | "eea" when the list says so instead of countries
    purpose: str = ""
    corporate_country: str | None = None  # the entity's corporate location, when listed apart
    location_text: str = ""  # the location as written


class SubProcessorList(msgspec.Struct, frozen=True, kw_only=True):
    """What a notice or list holds: its rows and what could not be read; the period it states."""

    shape: str  # "table" | "json" | "bullets" | "spreadsheet" | "pdf"
    rows: tuple[ListedSubProcessor, ...]
    problems: tuple[ListProblem, ...] = ()
    stated_notice_days: int | None = None
    stated_business_days: bool = False


# ------------------------------------------------------------------ entry point


def read_subprocessor_list(content: bytes | str, filename: str = "", limits: Limits | None = None) -> SubProcessorList:
    """The rows of a list or notice given as text or file bytes; ``filename`` chooses the
    spreadsheet reader for .xlsx/.ods/.csv. Raises :class:`IntakeError` ("empty",
    "too_large", and the spreadsheet reader's codes) for a file that cannot be read at all;
    a readable list with no recognisable row gives zero rows and a "no_rows" problem."""
    if isinstance(content, bytes) and filename.lower().endswith(SPREADSHEET_EXTENSIONS):
        return list_from_spreadsheet(content, filename, limits)
    if isinstance(content, bytes) and is_pdf(content, filename):
        return list_from_pdf(content, limits)
    text = content if isinstance(content, str) else decode_list_text(content)
    if len(text.encode("utf-8", "replace")) > MAX_TEXT_BYTES:
        raise IntakeError("too_large", f"the list is larger than {MAX_TEXT_BYTES // (1024 * 1024)} MB")
    if not text.strip():
        raise IntakeError("empty", "the list is empty")
    days, business = stated_period(text)
    found = list_from_text(text, filename)
    return msgspec.structs.replace(found, stated_notice_days=days, stated_business_days=business)


def is_pdf(content: bytes, filename: str = "") -> bool:
    return content[:1024].lstrip().startswith(PDF_SIGNATURE) or filename.lower().endswith(".pdf")


def is_binary_list(content: bytes, filename: str = "") -> bool:
    """A spreadsheet or a PDF: its bytes are not kept as the notice's text."""
    return filename.lower().endswith((".xlsx", ".ods")) or is_pdf(content, filename)


def decode_list_text(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def list_from_text(text: str, filename: str = "") -> SubProcessorList:
    stripped = text.lstrip()
    if stripped[:1] in ("[", "{") or filename.lower().endswith(".json"):
        try:
            return list_from_json(json.loads(text))
        except ValueError:
            pass  # not JSON after all: read as text
    if re.search(r"<(table|ul|ol|li|tr|p|h\d)\b", text, re.IGNORECASE):
        tables, lines = html_tables_and_lines(text)
    else:
        tables, lines = markdown_tables(text), text.splitlines()
    for table in tables:
        found = list_from_table(table)
        if found is not None:
            return found
    return list_from_bullets(lines)


def stated_period(text: str) -> tuple[int | None, bool]:
    """The notice or objection period the text states ("30 days", "10 business days",
    "15 jours ouvrés"), the first one met; (None, False) when none."""
    match = PERIOD.search(text)
    if match is None:
        return None, False
    words = fold(" ".join(part for part in (match.group(2), match.group(4)) if part))
    return int(match.group(1)), any(word in words for word in BUSINESS_WORDS)


# ------------------------------------------------------------------ tables


def header_fields(header: list[str]) -> dict[str, int] | None:
    """Column index of each field named by the header; None without a name column."""
    fields: dict[str, int] = {}
    for index, cell in enumerate(header):
        folded = fold(cell).replace("-", " ")
        for field, words in HEADER_WORDS:
            if field not in fields and any(word in folded for word in words):
                fields[field] = index
                break
    if "name" not in fields:
        # Zed-like lists title the name column "Subprocessor" only; a first column
        # left unrecognised is the name when the others were recognised.
        if fields and 0 not in fields.values():
            fields["name"] = 0
        else:
            return None
    return fields


def list_from_table(table: list[list[str]]) -> SubProcessorList | None:
    """Rows of a table whose header names the columns; None when it is not such a table."""
    for header_index, header in enumerate(table[:5]):
        fields = header_fields(header)
        if fields is not None:
            break
    else:
        return None
    rows: list[ListedSubProcessor] = []
    problems: list[ListProblem] = []
    for number, cells in enumerate(table[header_index + 1 :], start=1):
        def cell(field: str) -> str:
            index = fields.get(field)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        row = listed_row(cell("name"), cell("purpose"), cell("location"), cell("corporate"), number, problems)
        if row is not None:
            rows.append(row)
    return finished("table", rows, problems)


def listed_row(
    name: str, purpose: str, location: str, corporate: str, number: int, problems: list[ListProblem]
) -> ListedSubProcessor | None:
    name = clean_name(name)
    if not name:
        if purpose or location:
            problems.append(ListProblem(code="name_missing", text=f"{purpose} {location}".strip(), row=number))
        return None
    countries, regions = read_location(location, number, problems)
    corporate_country = None
    if corporate:
        corporate_codes, _ = read_location(corporate, number, problems)
        corporate_country = corporate_codes[0] if corporate_codes else None
    return ListedSubProcessor(
        name=name,
        countries=countries,
        regions=regions,
        purpose=" ".join(purpose.split()),
        corporate_country=corporate_country,
        location_text=" ".join(location.split()),
    )


def clean_name(text: str) -> str:
    text = MARKDOWN_LINK.sub(r"\1", text)
    text = text.replace("**", "").replace("__", "").strip(" *_`\t")
    return " ".join(text.split())


def read_location(text: str, number: int | None, problems: list[ListProblem]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Countries and regions of a location cell: "United States, Iceland, Germany",
    "USA (us-east-1)", "Worldwide", "EU / US"."""
    text = MARKDOWN_LINK.sub(r"\1", text)
    countries: list[str] = []
    regions: list[str] = []
    whole = fold(BRACKETS.sub(" ", text))
    if not whole:
        return (), ()
    parts = [whole] if whole in REGIONS else LOCATION_PARTS.split(BRACKETS.sub(" ", text))
    for part in parts:
        folded = fold(part)
        if not folded:
            continue
        if folded in REGIONS:
            if REGIONS[folded] not in regions:
                regions.append(REGIONS[folded])
            continue
        try:
            code = parse_country(part)
        except ValueError:
            code = None
        if code is None:
            problems.append(ListProblem(code="country_unknown", text=part.strip(), row=number))
        elif code not in countries:
            countries.append(code)
    return tuple(countries), tuple(regions)


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Pipe tables of Markdown text, the separator rows (``|---|``) left out."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.count("|") >= 2 or (stripped.startswith("|") and stripped.endswith("|")):
            cells = [cell.strip() for cell in split_pipe_row(stripped)]
            if all(re.fullmatch(r":?-{2,}:?", cell) or not cell for cell in cells):
                continue
            current.append(cells)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def split_pipe_row(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [cell.replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)]


class _HtmlReader(HTMLParser):
    """Tables as rows of cell texts, and the rest as lines (list items marked as bullets)."""

    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "br", "ul", "ol", "section", "tr", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.lines: list[str] = []
        self._line: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._depth = 0
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        elif tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.tables.append([])
        elif tag == "tr" and self._depth:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "li":
            self._flush()
            self._line.append("- ")
        elif tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._depth and any(self._row):
                self.tables[-1].append(self._row)
            self._row = None
        elif tag == "table":
            self._depth = max(0, self._depth - 1)
        elif tag == "li" or tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        if self._hidden:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif not self._depth:
            self._line.append(data)

    def _flush(self) -> None:
        line = " ".join("".join(self._line).split())
        if line and line != "-":
            self.lines.append(line)
        self._line = []

    def close(self):
        super().close()
        self._flush()


def html_tables_and_lines(text: str) -> tuple[list[list[list[str]]], list[str]]:
    reader = _HtmlReader()
    reader.feed(text)
    reader.close()
    return [t for t in reader.tables if t], reader.lines


# ------------------------------------------------------------------ bullets grouped by location


def group_location(line: str) -> str | None:
    """The location a heading line names ("Sub-processors located in the United States:"),
    or None when the line is not a group heading."""
    heading = line.strip().lstrip("#").strip().rstrip(":").strip()
    if not heading or len(heading) > 160:
        return None
    match = GROUP_LOCATION.search(heading)
    if match is None:
        return None
    return match.group(1).strip()


def list_from_bullets(lines: list[str]) -> SubProcessorList:
    rows: list[ListedSubProcessor] = []
    problems: list[ListProblem] = []
    location = ""
    number = 0
    for line in lines:
        bullet = BULLET.match(line)
        if bullet is None:
            found = group_location(line)
            if found is not None:
                location = found
            continue
        number += 1
        name, purpose = split_item(bullet.group(1))
        row = listed_row(name, purpose, location, "", number, problems)
        if row is not None:
            rows.append(row)
    return finished("bullets", rows, problems)


def split_item(text: str) -> tuple[str, str]:
    """"Stripe, Inc. — payments" / "Hetzner: hosting" / "AWS (hosting)" → (name, purpose)."""
    text = MARKDOWN_LINK.sub(r"\1", text).strip()
    parts = ITEM_SPLIT.split(text, maxsplit=1)
    if len(parts) == 2:
        return parts[0], parts[1]
    bracket = re.fullmatch(r"(.+?)\s*\(([^)]+)\)\s*", text)
    if bracket:
        return bracket.group(1), bracket.group(2)
    return text, ""


# ------------------------------------------------------------------ JSON


def list_from_json(value: object) -> SubProcessorList:
    entries = json_entries(value)
    rows: list[ListedSubProcessor] = []
    problems: list[ListProblem] = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            continue
        keys = {fold(str(key)).replace(" ", "_"): item for key, item in entry.items()}

        def first(field: str) -> str:
            for key in JSON_KEYS[field]:
                if keys.get(key) not in (None, "", []):
                    return json_text(keys[key])
            return ""

        row = listed_row(first("name"), first("purpose"), first("location"), first("corporate"), number, problems)
        if row is not None:
            rows.append(row)
    return finished("json", rows, problems)


def json_entries(value: object) -> list[object]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        for item in value.values():
            if isinstance(item, list) and item and all(isinstance(entry, dict) for entry in item):
                return item
    return []


def json_text(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(json_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(json_text(item) for item in value.values())
    return str(value)


# ------------------------------------------------------------------ spreadsheets


def list_from_spreadsheet(content: bytes, filename: str, limits: Limits | None) -> SubProcessorList:
    """The first sheet whose header names the columns, read with the intake's reader."""
    workbook = read_workbook(content, filename, limits)
    for sheet in workbook.sheets:
        table = [[text_of(cell) for cell in row.cells] for row in sheet.rows]
        found = list_from_table(table)
        if found is not None and found.rows:
            return msgspec.structs.replace(found, shape="spreadsheet")
    return finished("spreadsheet", [], [])


def list_from_pdf(content: bytes, limits: Limits | None = None) -> SubProcessorList:
    """The rows of a PDF list: its table (rebuilt from the text's positions on each page,
    a header repeated on the next pages skipped), else its text read as a list."""
    from register.reading.errors import ReadingError
    from register.reading.extract import extract_pdf

    limit = (limits or Limits()).max_bytes
    if len(content) > limit:
        raise IntakeError("too_large", N_("the file is %(size)s bytes; the limit is %(limit)s bytes"),
                          size=len(content), limit=limit)
    try:
        extracted = extract_pdf(content, every_table=True)
    except ReadingError as error:
        if error.code == "no_text":
            raise IntakeError("scanned_pdf", N_(
                "the PDF has no text to read (a scan?): ask the vendor for the list as a web page, "
                "a spreadsheet or a PDF with text, or run OCR on it first"
            )) from None
        if error.code == "encrypted":
            raise IntakeError("password_protected", N_("the PDF is password-protected: send an unprotected copy")) from None
        raise IntakeError("unsupported_format", N_("the PDF cannot be read (damaged, or not a PDF)")) from None
    text = "\n".join(block.text for block in extracted.blocks)
    days, business = stated_period(text)
    table = pdf_table([list(block.cells) for block in extracted.blocks if block.kind == "table_row"])
    found = list_from_table(table) if table else None
    if found is None or not found.rows:
        found = list_from_text(text)
    return msgspec.structs.replace(found, shape="pdf", stated_notice_days=days, stated_business_days=business)


def pdf_table(rows: list[list[str]]) -> list[list[str]]:
    """One table from the rows rebuilt page by page: the header repeated on the next pages
    is skipped, and a row cut by a page break (its first cells alone, under the repeated
    header) is joined to the row it continues."""
    table: list[list[str]] = []
    after_header = False
    for cells in rows:
        if table and cells == table[0]:
            after_header = True
            continue
        if after_header and len(table) > 1 and len(cells) == len(table[-1]) and not all(cells[1:]):
            table[-1] = [f"{old} {new}".strip() for old, new in zip(table[-1], cells, strict=True)]
        else:
            table.append(cells)
        after_header = False
    return table


def finished(shape: str, rows: list[ListedSubProcessor], problems: list[ListProblem]) -> SubProcessorList:
    if not rows:
        problems = [*problems, ListProblem(code="no_rows")]
    return SubProcessorList(shape=shape, rows=tuple(rows), problems=tuple(problems))
