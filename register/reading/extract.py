"""Text with its structure, from each supported format.

Each reader returns :class:`ExtractedText`: blocks (paragraphs, headings, table
rows) in reading order with their page where the format has pages, and the list
numbering Word and OpenDocument render outside the text.

- PDF: pypdf (chosen over pdfminer.six by bench/dpa_detection.py: same reading
  order on our one- and two-column fixtures, several times faster).
- .docx: python-docx opens the package (it refuses macro-enabled and non-Word
  parts); paragraphs and tables are read from its XML tree in one pass, the list
  numbers computed from numbering.xml.
- .odt: content.xml parsed with lxml (no entity resolution, no network);
  odfpy was not used: it is unmaintained since 2020 and its text API loses the
  outline levels and soft page breaks the reading needs.
- .html: lxml.html, text only (scripts, styles and forms dropped; nothing is rendered).
- .md / .txt: paragraphs by blank lines; tables of pipes; form feeds are page breaks.

Zip bombs: the sum of the declared sizes of a .docx/.odt's entries is capped
before anything is decompressed (zipfile never inflates an entry beyond its
declared size). Macros are never run: only XML text is read.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator

from register.reading.errors import ReadingError
from register.reading.model import Block, ExtractedText
from register.reading.sniff import DOCX, HTML, MARKDOWN, ODT, PDF, TEXT, decode_text

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007]+")
# Word and LibreOffice type ’ for ' (French above all: « l’audit », « s’opposer ») and non-breaking
# hyphens: one spelling for the patterns.
_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2011": "-", "\u2010": "-"})


def clean(text: str) -> str:
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip().translate(_TYPOGRAPHY)


def extract_text(content: bytes, media_type: str, *, max_expanded_bytes: int) -> ExtractedText:
    """The text of a file of a supported type. Whatever a damaged or hostile file makes a
    library raise (zlib errors, recursion on absurd nesting…) becomes a ReadingError: the one
    boundary where a file's faults are turned into a message, never a crash."""
    try:
        return _extract(content, media_type, max_expanded_bytes=max_expanded_bytes)
    except ReadingError:
        raise
    except Exception as error:  # noqa: BLE001 — see the docstring
        raise ReadingError("malformed", detail=type(error).__name__) from error


def _extract(content: bytes, media_type: str, *, max_expanded_bytes: int) -> ExtractedText:
    if media_type == PDF:
        return extract_pdf(content)
    if media_type == DOCX:
        check_archive(content, max_expanded_bytes)
        return extract_docx(content)
    if media_type == ODT:
        check_archive(content, max_expanded_bytes)
        return extract_odt(content)
    if media_type == HTML:
        return extract_html(content)
    if media_type in (MARKDOWN, TEXT):
        return extract_plain(content, markdown=media_type == MARKDOWN)
    raise ReadingError("unsupported", media_type=media_type)


# --- archives -------------------------------------------------------------------------------


def check_archive(content: bytes, max_expanded_bytes: int) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ReadingError("malformed", detail=f"zip: {error}") from error
    if expanded > max_expanded_bytes:
        raise ReadingError("archive_too_large", limit=max_expanded_bytes // (1024 * 1024))


def _xml_parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


# --- PDF ------------------------------------------------------------------------------------

_PAGE_NUMBER_LINE = re.compile(r"^(page\s*)?\d+(\s*(/|of|sur|de)\s*\d+)?$", re.I)


def extract_pdf(content: bytes, *, engine: str = "pypdf", every_table: bool = False) -> ExtractedText:
    """``every_table``: look for a table on every page (a vendor's sub-processor list
    is one), not only on the pages of a DPA that speak of sub-processors."""
    pages, positions = pdf_page_texts(content, engine=engine)
    if not any(text.strip() for text in pages):
        raise ReadingError("no_text")
    repeated = _repeated_lines(pages)
    blocks: list[Block] = []
    for number, text in enumerate(pages, start=1):
        lines = [clean(line) for line in text.splitlines()]
        lines = [line for line in lines if line and line not in repeated and not _PAGE_NUMBER_LINE.match(line)]
        page_blocks = [Block(text=paragraph, page=number) for paragraph in join_lines(lines)]
        if blocks and page_blocks and _continues(blocks[-1].text, page_blocks[0].text):
            blocks[-1] = Block(text=f"{blocks[-1].text} {page_blocks[0].text}", page=blocks[-1].page)
            page_blocks = page_blocks[1:]
        if every_table or _has_table_header(text):
            page_blocks = _with_position_tables(page_blocks, positions[number - 1], number, every_table)
        blocks.extend(page_blocks)
    return ExtractedText(media_type=PDF, blocks=tuple(blocks), pages=len(pages))


Chunk = tuple[float, float, str]  # x, y (PDF user space, y upwards) and the text drawn there


def pdf_page_texts(content: bytes, *, engine: str = "pypdf") -> tuple[list[str], list[list[Chunk]]]:
    """The text of each page and the positioned pieces of text it was drawn from (for tables).
    ``engine`` "pdfminer" is kept for the benchmark's comparison."""
    if engine == "pdfminer":
        return _pdfminer_pages(content)
    import logging

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):  # an owner password alone still lets anyone read
                    raise ReadingError("encrypted")
            except (NotImplementedError, PyPdfError, DependencyError) as error:
                raise ReadingError("encrypted") from error
        texts: list[str] = []
        positions: list[list[Chunk]] = []
        for page in reader.pages:
            chunks: list[Chunk] = []

            def collect(text, cm, tm, font, size, chunks=chunks):  # noqa: ARG001 — pypdf's visitor signature
                if text and text.strip():
                    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                    chunks.append((x, y, text))

            try:
                texts.append(page.extract_text(visitor_text=collect) or "")
            except Exception:  # noqa: BLE001 — one broken page (zlib, struct, pypdf errors) leaves the others readable
                texts.append("")
            positions.append(chunks)
        return texts, positions
    except ReadingError:
        raise
    except FileNotDecryptedError as error:
        raise ReadingError("encrypted") from error
    except (PyPdfError, PdfReadError, PdfStreamError, DependencyError, OSError, ValueError, KeyError, TypeError,
            AttributeError, IndexError, RecursionError, AssertionError, ZeroDivisionError) as error:
        raise ReadingError("malformed", detail=f"PDF: {type(error).__name__}") from error


def _pdfminer_pages(content: bytes) -> tuple[list[str], list[list[Chunk]]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    texts: list[str] = []
    positions: list[list[Chunk]] = []
    try:
        for layout in extract_pages(io.BytesIO(content), laparams=LAParams()):
            boxes = [element for element in layout if isinstance(element, LTTextContainer)]
            texts.append("\n".join(box.get_text() for box in boxes))
            positions.append([
                (line.x0, line.y1, line.get_text()) for box in boxes for line in box if isinstance(line, LTTextLine)
            ])
    except PDFPasswordIncorrect as error:
        raise ReadingError("encrypted") from error
    except Exception as error:  # noqa: BLE001 — benchmark path only
        raise ReadingError("malformed", detail=f"PDF: {type(error).__name__}") from error
    return texts, positions


def _repeated_lines(pages: list[str]) -> set[str]:
    """Running headers and footers: lines (digits ignored) on more than half of 4+ pages."""
    if len(pages) < 4:
        return set()
    counts: Counter[str] = Counter()
    for text in pages:
        counts.update({clean(line) for line in text.splitlines()[:3] + text.splitlines()[-3:] if clean(line)})
    return {line for line, count in counts.items() if count > len(pages) / 2 and len(line) < 120}


def _continues(previous: str, following: str) -> bool:
    """A paragraph cut by a page break: no sentence end before, a lower-case start after."""
    return not previous.endswith((".", ":", ";", "!", "?", "»", '"', "”")) and following[:1].islower()


# Tables of sub-processors (the only tables the reading uses) are read again in layout mode,
# where columns survive as runs of spaces.
_TABLE_HINT = re.compile(r"sub-?\s?processors?|subprocessors?|sous-traitants?|sub-?contractors?", re.I)


def _has_table_header(text: str) -> bool:
    """A page about sub-processors that names a country column: only such pages' positions are
    searched for a table header (the search itself is cheap: no second extraction)."""
    from register.reading.facts import COUNTRY_HEADER

    return bool(_TABLE_HINT.search(text) and COUNTRY_HEADER.search(text))


def _with_position_tables(page_blocks: list[Block], chunks: list[Chunk], page: int, continued: bool = False) -> list[Block]:
    """Rebuild a table from the positions of its pieces of text: lines by height, columns by the
    header's cells' left edges; a line with text in the first column only continues a row.
    ``continued``: such a line right under the header continues the previous page's last row
    (a row cut by the page break): it is kept as a row of its own, its other cells empty,
    for the caller to join."""
    from register.reading.facts import COUNTRY_HEADER, NAME_HEADER

    lines: list[list[Chunk]] = []
    for chunk in sorted(chunks, key=lambda chunk: (-round(chunk[1]), chunk[0])):
        if lines and abs(lines[-1][0][1] - chunk[1]) < 3:
            lines[-1].append(chunk)
        else:
            lines.append([chunk])
    rows: list[list[str]] = []
    starts: list[float] = []
    header_text = ""
    for line in lines:
        cells = _cells(sorted(line))
        if not starts:
            texts = [text for _, text in cells]
            if len(texts) >= 2 and NAME_HEADER.search(texts[0] + " " + texts[1]) and any(COUNTRY_HEADER.search(text) for text in texts[1:]) and all(len(text) < 40 for text in texts):
                starts = [x for x, _ in cells]
                rows.append(texts)
                header_text = texts[0]
            continue
        columns = [""] * len(starts)
        for x, text in cells:
            column = max((index for index, start in enumerate(starts) if start <= x + 4), default=0)
            columns[column] = f"{columns[column]} {text}".strip()
        if columns[0] and any(columns[1:]):
            rows.append(columns)
        elif len(rows) > 1 and (not columns[0] or len(columns[0]) < 40):
            rows[-1] = [f"{old} {new}".strip() for old, new in zip(rows[-1], columns, strict=True)]
        elif continued and len(rows) == 1 and any(columns):
            rows.append(columns)
        else:
            break
    if len(rows) < 2:
        return page_blocks
    table = [Block(text=" | ".join(row), page=page, kind="table_row", cells=tuple(row)) for row in rows]
    anchor = next((index for index, block in enumerate(page_blocks) if header_text and header_text in block.text), len(page_blocks) - 1)
    return page_blocks[: anchor + 1] + table + page_blocks[anchor + 1 :]


def _cells(line: list[Chunk]) -> list[tuple[float, str]]:
    """Pieces of one line merged into cells: a piece starting right after the previous one's
    estimated end (about half the font size per character) continues the same cell."""
    cells: list[tuple[float, str]] = []
    end = None
    for x, _, text in line:
        text = clean(text)
        if not text:
            continue
        if cells and end is not None and x - end < 12:
            cells[-1] = (cells[-1][0], f"{cells[-1][1]} {text}".strip() if not cells[-1][1].endswith(text) else cells[-1][1])
        else:
            cells.append((x, text))
        end = x + 5.2 * len(text)
    return cells


_STARTS_BLOCK = re.compile(
    r"^(\(?[a-z]\)|\(?[ivx]{1,4}\)|[•\-–—▪●◦*]\s|\d{1,2}(\.\d{1,2}){0,3}\.?\s|"
    r"(article|art\.|clause|section|annex|annexe|appendix|appendice|schedule|exhibit|part|partie|module)\s+[0-9IVXLC]+\b)",
    re.I,
)
_BULLET = re.compile(r"^[•▪●◦]\s")
_UNIT_AFTER_NUMBER = re.compile(r"^\(?\d{1,3}\)?\s*(?:days?|jours?|hours?|heures?|h\b|months?|mois|weeks?|semaines?|years?|ans?|%|business|working|calendar)", re.I)
_SENTENCE_END_CHARS = (".", ":", ";", "!", "?", "»", "”", '"')


def join_lines(lines: list[str]) -> Iterator[str]:
    """Lines of a PDF page into paragraphs. A new block starts after a line that ends a
    sentence short of the page's width or after a short heading line; a line starting with a
    number or a heading word ("7.1", "Annex II") starts one only after such a line, so that
    "… within" / "30 days" or "… listed in" / "Annex III." stay one sentence."""
    if not lines:
        return
    width = max(len(line) for line in lines)
    current: list[str] = []
    for line in lines:
        if current:
            previous = current[-1]
            ends = previous.endswith(_SENTENCE_END_CHARS)
            short = len(previous) < 0.7 * width
            short_heading = len(previous) < 0.5 * width and not previous.endswith((",", "-")) and line[:1].isupper()
            numbered = _STARTS_BLOCK.match(line) and not _UNIT_AFTER_NUMBER.match(line)
            if _BULLET.match(line) or (numbered and (ends or short)) or (ends and len(previous) < 0.85 * width) or short_heading:
                yield _join(current)
                current = []
        current.append(line)
    if current:
        yield _join(current)


def _join(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        if text.endswith("-") and line[:1].islower():
            text = text + line  # "sous-" + "traitant": keep the hyphen (LibreOffice and Word do not hyphenate by default)
        else:
            text = f"{text} {line}"
    return text


# --- Word .docx -----------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def extract_docx(content: bytes) -> ExtractedText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(content))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as error:
        raise ReadingError("malformed", detail=f"Word: {type(error).__name__}") from error
    except Exception as error:  # noqa: BLE001 — lxml syntax errors and the like inside the package
        raise ReadingError("malformed", detail=f"Word: {type(error).__name__}") from error
    numbering = WordNumbering(document)
    styles = _heading_styles(document)
    body = document.element.body
    has_breaks = body.find(f".//{W}lastRenderedPageBreak") is not None or any(
        br.get(f"{W}type") == "page" for br in body.iter(f"{W}br")
    )
    page = 1 if has_breaks else None
    blocks: list[Block] = []
    for element in body.iterchildren():
        if element.tag == f"{W}p":
            text, breaks = _paragraph_text(element)
            if page is not None and breaks and not text.strip():
                page += breaks
                continue
            style = _style_id(element)
            level = styles.get(style)
            number = numbering.number(element, style)
            if text.strip():
                blocks.append(Block(text=clean(text), page=page, kind="heading" if level else "paragraph", number=number))
            if page is not None:
                page += breaks
        elif element.tag == f"{W}tbl":
            for row in element.iter(f"{W}tr"):
                cells: list[str] = []
                for cell in row.iterchildren(f"{W}tc"):
                    parts = [clean(_paragraph_text(p)[0]) for p in cell.iter(f"{W}p")]
                    cells.append(" ".join(part for part in parts if part))
                if any(cells):
                    blocks.append(Block(text=" | ".join(cells), page=page, kind="table_row", cells=tuple(cells)))
    return ExtractedText(media_type=DOCX, blocks=tuple(blocks), pages=page)


def _paragraph_text(paragraph) -> tuple[str, int]:
    parts: list[str] = []
    breaks = 0
    for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}lastRenderedPageBreak", f"{W}delText"):
        tag = node.tag
        if tag == f"{W}t":
            parts.append(node.text or "")
        elif tag == f"{W}tab":
            parts.append(" ")
        elif tag == f"{W}br":
            if node.get(f"{W}type") == "page":
                breaks += 1
            else:
                parts.append(" ")
        elif tag == f"{W}lastRenderedPageBreak":
            breaks += 1
    return "".join(parts), breaks


def _style_id(paragraph) -> str | None:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val") if style is not None else None


def _heading_styles(document) -> dict[str, int]:
    """Style id -> outline level of the heading styles (Heading 1, Titre 1, Title)."""
    levels: dict[str, int] = {}
    for style in document.styles.element.iterchildren(f"{W}style"):
        style_id = style.get(f"{W}styleId") or ""
        name_node = style.find(f"{W}name")
        name = (name_node.get(f"{W}val") if name_node is not None else "") or ""
        outline = style.find(f"{W}pPr/{W}outlineLvl")
        match = re.match(r"(heading|titre|überschrift)\s*(\d)", name, re.I)
        if outline is not None:
            levels[style_id] = int(outline.get(f"{W}val", "0")) + 1
        elif match:
            levels[style_id] = int(match.group(2))
        elif name.lower() in ("title", "titre"):
            levels[style_id] = 1
    return levels


class WordNumbering:
    """The numbers Word renders for numbered paragraphs ("7.", "7.1", "a)")."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> level -> (format, text, start)
        self.counters: dict[str, list[int]] = {}
        self.style_numbering: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.iterchildren(f"{W}abstractNum"):
            levels = {}
            for level in node.iterchildren(f"{W}lvl"):
                fmt = level.find(f"{W}numFmt")
                text = level.find(f"{W}lvlText")
                start = level.find(f"{W}start")
                levels[int(level.get(f"{W}ilvl", "0"))] = (
                    fmt.get(f"{W}val") if fmt is not None else "decimal",
                    text.get(f"{W}val") if text is not None else "",
                    int(start.get(f"{W}val", "1")) if start is not None else 1,
                )
            abstract[node.get(f"{W}abstractNumId")] = levels
        for node in root.iterchildren(f"{W}num"):
            ref = node.find(f"{W}abstractNumId")
            if ref is not None:
                self.levels[node.get(f"{W}numId")] = abstract.get(ref.get(f"{W}val"), {})
        for style in document.styles.element.iterchildren(f"{W}style"):
            num = style.find(f"{W}pPr/{W}numPr")
            if num is not None:
                num_id = num.find(f"{W}numId")
                ilvl = num.find(f"{W}ilvl")
                if num_id is not None:
                    self.style_numbering[style.get(f"{W}styleId")] = (
                        num_id.get(f"{W}val"), int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0
                    )

    def number(self, paragraph, style: str | None) -> str | None:
        if not self.levels:
            return None
        num = paragraph.find(f"{W}pPr/{W}numPr")
        if num is not None:
            num_id_node, ilvl_node = num.find(f"{W}numId"), num.find(f"{W}ilvl")
            num_id = num_id_node.get(f"{W}val") if num_id_node is not None else None
            level = int(ilvl_node.get(f"{W}val", "0")) if ilvl_node is not None else 0
        elif style in self.style_numbering:
            num_id, level = self.style_numbering[style]
        else:
            return None
        levels = self.levels.get(num_id or "")
        if not levels or level not in levels:
            return None
        counters = self.counters.setdefault(num_id, [0] * 9)
        if counters[level] == 0:
            counters[level] = levels[level][2]
        else:
            counters[level] += 1
        for deeper in range(level + 1, 9):
            counters[deeper] = 0
        fmt, text, _ = levels[level]
        if fmt in ("bullet", "none") or not text:
            return None

        def substitute(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            lvl_fmt = levels.get(index, ("decimal", "", 1))[0]
            value = counters[index] or levels.get(index, ("", "", 1))[2]
            return format_number(value, lvl_fmt)

        rendered = re.sub(r"%(\d)", substitute, text).strip()
        return rendered.rstrip(".").rstrip(")").strip() or None


def format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "a"):
        return chr(ord("a") + (value - 1) % 26)
    if fmt in ("upperLetter", "A"):
        return chr(ord("A") + (value - 1) % 26)
    if fmt in ("lowerRoman", "i"):
        return roman(value).lower()
    if fmt in ("upperRoman", "I"):
        return roman(value)
    return str(value)


def roman(value: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for number, numeral in numerals:
        while value >= number:
            out += numeral
            value -= number
    return out or "0"


# --- OpenDocument .odt ----------------------------------------------------------------------

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
T = f"{{{TEXT_NS}}}"
TB = f"{{{TABLE_NS}}}"


def extract_odt(content: bytes) -> ExtractedText:
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            xml = archive.read("content.xml")
        root = etree.fromstring(xml, parser=_xml_parser())
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, etree.XMLSyntaxError) as error:
        raise ReadingError("malformed", detail=f"OpenDocument: {type(error).__name__}") from error
    body = root.find(".//{urn:oasis:names:tc:opendocument:xmlns:office:1.0}text")
    if body is None:
        raise ReadingError("malformed", detail="OpenDocument: no text body")
    has_breaks = body.find(f".//{T}soft-page-break") is not None
    state = {"page": 1 if has_breaks else None}
    blocks: list[Block] = []
    _odt_walk(body, blocks, state, list_path=[])
    return ExtractedText(media_type=ODT, blocks=tuple(blocks), pages=state["page"])


def _odt_walk(element, blocks: list[Block], state: dict, list_path: list[int]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if tag == f"{T}soft-page-break":
            if state["page"] is not None:
                state["page"] += 1
        elif tag in (f"{T}p", f"{T}h"):
            if state["page"] is not None and child.find(f".//{T}soft-page-break") is not None:
                state["page"] += 1
            text = clean(_odt_text(child))
            if text:
                number = None
                number_node = child.find(f"{T}number")
                if number_node is not None and number_node.text:
                    number = number_node.text.strip().rstrip(".").rstrip(")") or None
                elif list_path:
                    number = ".".join(str(counter) for counter in list_path)
                blocks.append(Block(text=text, page=state["page"], kind="heading" if tag == f"{T}h" else "paragraph", number=number))
        elif tag == f"{T}list":
            _odt_list(child, blocks, state, list_path)
        elif tag == f"{TB}table":
            for row in child.iter(f"{TB}table-row"):
                cells = tuple(clean(" ".join(_odt_text(p) for p in cell.iter(f"{T}p", f"{T}h"))) for cell in row.iterchildren(f"{TB}table-cell"))
                if any(cells):
                    blocks.append(Block(text=" | ".join(cells), page=state["page"], kind="table_row", cells=cells))
        elif tag in (f"{T}section", f"{T}list-item", f"{T}list-header", f"{T}index-body") or tag.endswith("}table-of-content"):
            _odt_walk(child, blocks, state, list_path)


def _odt_list(element, blocks: list[Block], state: dict, list_path: list[int]) -> None:
    counter = 0
    for item in element.iterchildren(f"{T}list-item", f"{T}list-header"):
        counter += 1
        start = item.get(f"{T}start-value")
        if start and start.isdigit():
            counter = int(start)
        _odt_walk(item, blocks, state, list_path + [counter] if item.tag == f"{T}list-item" else list_path)


def _odt_text(element) -> str:
    parts: list[str] = []
    if element.text:
        parts.append(element.text)
    for child in element.iterchildren():
        tag = child.tag
        if tag == f"{T}number":
            pass
        elif tag == f"{T}s":
            parts.append(" " * int(child.get(f"{T}c", "1")))
        elif tag in (f"{T}tab", f"{T}line-break"):
            parts.append(" ")
        elif tag in (f"{T}note", f"{T}soft-page-break"):
            pass
        else:
            parts.append(_odt_text(child))
        if child.tail:
            parts.append(child.tail)
    return "".join(parts)


# --- HTML -----------------------------------------------------------------------------------

_HTML_BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "blockquote", "pre", "caption", "address"})
_HTML_DROP = ("script", "style", "noscript", "template", "head", "form", "button", "select", "textarea", "iframe", "object", "embed", "svg", "math", "nav")


def extract_html(content: bytes) -> ExtractedText:
    import lxml.html
    from lxml import etree

    text = decode_text(content) or ""
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        root = lxml.html.document_fromstring(text or "<html></html>")
    except (etree.ParserError, ValueError) as error:
        raise ReadingError("malformed", detail=f"HTML: {type(error).__name__}") from error
    for node in list(root.iter(*_HTML_DROP, etree.Comment, etree.ProcessingInstruction)):
        parent = node.getparent()
        if parent is not None:
            tail = node.tail
            parent.remove(node)
            if tail and tail.strip():
                previous = parent
                previous.text = (previous.text or "") + " " + tail
    blocks: list[Block] = []
    _html_walk(root, blocks)
    return ExtractedText(media_type=HTML, blocks=tuple(blocks), pages=None)


def _html_walk(element, blocks: list[Block]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "tr":
        cells = tuple(clean(cell.text_content()) for cell in element.iterchildren("td", "th"))
        if any(cells):
            blocks.append(Block(text=" | ".join(cells), kind="table_row", cells=cells))
        return
    if tag in _HTML_BLOCKS and not any(
        isinstance(d.tag, str) and d.tag in _HTML_BLOCKS | {"table", "ul", "ol", "div"} for d in element.iterdescendants()
    ):
        text = clean(element.text_content())
        if text:
            blocks.append(Block(text=text, kind="heading" if tag[:1] == "h" and tag[1:].isdigit() else "paragraph"))
        return
    if element.text and element.text.strip() and tag not in ("html",):
        blocks.append(Block(text=clean(element.text)))
    for child in element.iterchildren():
        if isinstance(child.tag, str):
            _html_walk(child, blocks)
        if child.tail and child.tail.strip():
            blocks.append(Block(text=clean(child.tail)))


# --- Markdown and plain text ----------------------------------------------------------------

_MD_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"<[^>\n]+>"), ""),
)
_TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


def extract_plain(content: bytes, *, markdown: bool) -> ExtractedText:
    text = decode_text(content) or ""
    pages = text.split("\f")
    paged = len(pages) > 1
    blocks: list[Block] = []
    for page_number, page_text in enumerate(pages, start=1):
        page = page_number if paged else None
        for chunk in re.split(r"\n\s*\n", page_text.replace("\r\n", "\n").replace("\r", "\n")):
            lines = [line for line in chunk.split("\n") if line.strip()]
            paragraph: list[str] = []
            for line in lines:
                stripped = line.strip()
                if "|" in stripped and stripped.count("|") >= 2 and (markdown or stripped.startswith("|")):
                    if paragraph:
                        blocks.append(_plain_block(paragraph, page, markdown))
                        paragraph = []
                    if _TABLE_SEPARATOR.match(stripped):
                        continue
                    cells = tuple(_md_inline(cell.strip(), markdown) for cell in stripped.strip("|").split("|"))
                    blocks.append(Block(text=" | ".join(cells), page=page, kind="table_row", cells=cells))
                    continue
                heading = markdown and re.match(r"^#{1,6}\s", stripped)
                if paragraph and (heading or _STARTS_BLOCK.match(_md_inline(stripped.lstrip("#>").strip(), markdown))):
                    blocks.append(_plain_block(paragraph, page, markdown))
                    paragraph = []
                paragraph.append(stripped)
                if heading:
                    blocks.append(_plain_block(paragraph, page, markdown))
                    paragraph = []
            if paragraph:
                blocks.append(_plain_block(paragraph, page, markdown))
    blocks = [block for block in blocks if block.text]
    return ExtractedText(media_type=MARKDOWN if markdown else TEXT, blocks=tuple(blocks), pages=len(pages) if paged else None)


def _plain_block(lines: list[str], page: int | None, markdown: bool) -> Block:
    heading = markdown and lines[0].startswith("#")
    text = " ".join(lines)
    if markdown:
        text = re.sub(r"^#{1,6}\s*", "", text)
        text = re.sub(r"^(>\s*)+", "", text)
        text = re.sub(r"^[-*+]\s+", "", text)
        text = _md_inline(text, True)
    return Block(text=clean(text), page=page, kind="heading" if heading else "paragraph")


def _md_inline(text: str, markdown: bool) -> str:
    if not markdown:
        return clean(text)
    for pattern, replacement in _MD_INLINE:
        text = pattern.sub(replacement, text)
    return clean(text.replace("\\", ""))
