"""What every Word document shares: the base template, text sanitising, the
block model the builders describe a document with, and its fast rendering.

Builders describe a document as a list of *blocks* (headings, paragraphs,
bullets, tables, a bar chart, page breaks). :func:`render_document` turns them
into WordprocessingML in one pass — one XML string for the whole body,
written straight into ``word/document.xml`` of the base template — instead
of python-docx's per-paragraph and per-row calls, whose style look-up by name
on every paragraph and row-by-row table growth dominate the cost of large
documents (python-docx #174, #1209; see bench/documents.py). Styles are
resolved from the template once per process; python-docx fills the small
parts (header, footer, styles, properties).

Every text that reaches a document goes through :func:`clean` (XML-illegal
control characters stripped, python-docx #385), in :func:`_run_xml` for the
body and in the header/footer and core-property filling: nowhere else.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Union
from xml.sax.saxutils import escape

import docx
from docx.oxml.ns import qn
from lxml import etree
from register.i18n import words
from register.i18n.dates import prose_date
from register.documents import wording

TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "docs_templates" / "base.docx"

# A4 with 2 cm margins, in twentieths of a point (dxa).
PAGE_WIDTH = 11906
PAGE_HEIGHT = 16838
MARGIN = 1134
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
LANDSCAPE_TEXT_WIDTH = PAGE_HEIGHT - 2 * MARGIN

# Logical style -> style name in the base template (resolved to ids once).
STYLE_NAMES: Mapping[str, str] = {
    "title": "Title",
    "subtitle": "Subtitle",
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "heading3": "Heading 3",
    "body": "Normal",
    "small": "Small Print",
    "bullet": "List Bullet",
    "cover": "Cover Detail",
    "table_text": "Table Text",
    "table_heading": "Table Heading",
    "placeholder": "Placeholder",
    "table": "Register Table",
}

SEVERITY_FILLS: Mapping[str, str] = {
    "critical": "C00000",
    "high": "E46C0A",
    "medium": "F2C200",
    "low": "8DB3E2",
}
SEVERITY_TEXT: Mapping[str, str] = {
    "critical": "FFFFFF",
    "high": "FFFFFF",
    "medium": "000000",
    "low": "000000",
}
HEADER_FILL = "1F3864"
HEADER_MAX_NAME = 90  # characters of the organisation's name in the page header
MAIN_PART = "word/document.xml"
ZIP_LEVEL = 1  # fast deflate: a large report's XML compresses 10:1 even so

# --------------------------------------------------------------------------
# Text


# XML 1.0 allows 0x9, 0xA, 0xD, 0x20-0xD7FF, 0xE000-0xFFFD, 0x10000+.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    """``text`` as a string without the characters XML 1.0 forbids (control
    characters, lone surrogates): the one place they are stripped."""
    return _XML_ILLEGAL.sub("", str(text))


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------
# Blocks: what builders describe a document with


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text; ``missing`` marks a placeholder to complete (highlighted)."""

    text: str
    bold: bool = False
    italic: bool = False
    color: str | None = None  # RRGGBB
    missing: bool = False


Content = Union[str, Span, tuple[Span, ...]]


@dataclass(frozen=True, slots=True)
class Cell:
    content: Content
    fill: str | None = None  # background RRGGBB
    bold: bool = False
    color: str | None = None


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1
    page_break_before: bool = False


@dataclass(frozen=True, slots=True)
class Paragraph:
    content: Content
    style: str = "body"
    page_break_before: bool = False
    keep_with_next: bool = False
    centred: bool = False


@dataclass(frozen=True, slots=True)
class Bullet:
    content: Content


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    weight: int = 1


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[Content | Cell]]


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int
    fill: str


@dataclass(frozen=True, slots=True)
class BarChart:
    """Horizontal bars drawn as a table: each bar is a shaded cell spanning a
    number of grid columns proportional to its value."""

    bars: tuple[Bar, ...]
    resolution: int = 30


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


Block = Union[Heading, Paragraph, Bullet, Table, BarChart, PageBreak]


def missing(what: str, language: str) -> Span:
    """A visible placeholder for a fact the record lacks (a ``i18n.MISSING`` key)."""
    return Span(wording.placeholder_text(what, language), missing=True)


def text_or_missing(value: str | None, what: str, language: str) -> Content:
    value = (value or "").strip()
    return value if value else missing(what, language)


def joined_or_missing(values: Iterable[str], what: str, language: str, separator: str = ", ") -> Content:
    items = [v.strip() for v in values if v and v.strip()]
    return separator.join(items) if items else missing(what, language)


# --------------------------------------------------------------------------
# The base template and its styles


@functools.cache
def template_bytes() -> bytes:
    """The base document: docs_templates/base.docx, or the same built in
    memory when the package runs without the repository's files."""
    if TEMPLATE_PATH.is_file():
        return TEMPLATE_PATH.read_bytes()
    from register.documents.base_template import build_base_document

    return build_base_document()


@functools.cache
def style_ids() -> Mapping[str, str]:
    """Logical style -> style id in the template, resolved once per process."""
    document = docx.Document(io.BytesIO(template_bytes()))
    by_name = {
        style.get(qn("w:styleId")): style.find(qn("w:name")).get(qn("w:val"))
        for style in document.styles.element.iterfind(qn("w:style"))
        if style.find(qn("w:name")) is not None
    }
    # Built-in styles are stored with lower-case names ("heading 1").
    ids_of = {name.lower(): style_id for style_id, name in by_name.items()}
    absent = [name for name in STYLE_NAMES.values() if name.lower() not in ids_of]
    if absent:
        raise RuntimeError(f"the base template lacks the style(s) {', '.join(absent)}; run docs_templates/build_base.py")
    return {key: ids_of[name.lower()] for key, name in STYLE_NAMES.items()}


# --------------------------------------------------------------------------
# Rendering blocks as WordprocessingML


def _run_xml(text: str, properties: str = "") -> str:
    """One or more runs for ``text`` (line breaks and tabs kept)."""
    text = clean(text)
    if not text:
        return ""
    if "\n" not in text and "\t" not in text and "\r" not in text:
        return f'<w:r>{properties}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    pieces = []
    for index, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if index:
            pieces.append("<w:br/>")
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                pieces.append("<w:tab/>")
            if part:
                pieces.append(f'<w:t xml:space="preserve">{escape(part)}</w:t>')
    return f"<w:r>{properties}{''.join(pieces)}</w:r>"


class BodyWriter:
    """Renders blocks as the XML of a document body (without ``w:sectPr``)."""

    def __init__(self, styles: Mapping[str, str], text_width: int):
        self.styles = styles
        self.text_width = text_width
        self._placeholder_properties = (
            f'<w:rPr><w:rStyle w:val="{styles["placeholder"]}"/><w:b/><w:highlight w:val="yellow"/></w:rPr>'
        )
        self._paragraph_open = {
            key: f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>' for key, style_id in styles.items()
        }

    # -- runs

    def span_xml(self, span: Span, bold: bool = False, color: str | None = None) -> str:
        if span.missing:
            return _run_xml(span.text, self._placeholder_properties)
        properties = ""
        if span.bold or bold:
            properties += "<w:b/>"
        if span.italic:
            properties += "<w:i/>"
        if span.color or color:
            properties += f'<w:color w:val="{span.color or color}"/>'
        return _run_xml(span.text, f"<w:rPr>{properties}</w:rPr>" if properties else "")

    def content_xml(self, content: Content, bold: bool = False, color: str | None = None) -> str:
        if isinstance(content, str):
            if bold or color:
                return self.span_xml(Span(content), bold, color)
            return _run_xml(content)
        if isinstance(content, Span):
            return self.span_xml(content, bold, color)
        return "".join(self.span_xml(span, bold, color) for span in content)

    # -- paragraphs

    def paragraph_xml(
        self,
        content: Content,
        style: str,
        *,
        page_break_before: bool = False,
        keep_with_next: bool = False,
        centred: bool = False,
    ) -> str:
        if not (page_break_before or keep_with_next or centred):
            return f"{self._paragraph_open[style]}{self.content_xml(content)}</w:p>"
        properties = f'<w:pStyle w:val="{self.styles[style]}"/>'
        if keep_with_next:
            properties += "<w:keepNext/>"
        if page_break_before:
            properties += "<w:pageBreakBefore/>"
        if centred:
            properties += '<w:jc w:val="center"/>'
        return f"<w:p><w:pPr>{properties}</w:pPr>{self.content_xml(content)}</w:p>"

    # -- tables

    def column_widths(self, weights: Sequence[int]) -> list[int]:
        total = sum(weights)
        widths = [self.text_width * weight // total for weight in weights]
        widths[-1] += self.text_width - sum(widths)
        return widths

    def table_xml(self, table: Table) -> str:
        widths = self.column_widths([column.weight for column in table.columns])
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        cell_open = [f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>' for w in widths]
        text_open = self._paragraph_open["table_text"]
        heading_open = self._paragraph_open["table_heading"]
        parts = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.styles["table"]}"/><w:tblW w:w="5000" w:type="pct"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
            'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>",
            '<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>',
        ]
        for width, column in zip(widths, table.columns, strict=True):
            parts.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
                f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/></w:tcPr>'
                f"{heading_open}{_run_xml(column.header)}</w:p></w:tc>"
            )
        parts.append("</w:tr>")
        content_xml = self.content_xml
        for row in table.rows:
            parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for index, value in enumerate(row):
                if isinstance(value, Cell):
                    parts.append(self._shaded_cell_xml(widths[index], value))
                else:
                    parts.append(f"{cell_open[index]}{text_open}{content_xml(value)}</w:p></w:tc>")
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        return "".join(parts)

    def _shaded_cell_xml(self, width: int, cell: Cell, span: int = 1) -> str:
        properties = f'<w:tcW w:w="{width}" w:type="dxa"/>'
        if span > 1:
            properties += f'<w:gridSpan w:val="{span}"/>'
        if cell.fill:
            properties += f'<w:shd w:val="clear" w:color="auto" w:fill="{cell.fill}"/>'
        content = self.content_xml(cell.content, cell.bold, cell.color)
        return f"<w:tc><w:tcPr>{properties}</w:tcPr>{self._paragraph_open['table_text']}{content}</w:p></w:tc>"

    def bar_chart_xml(self, chart: BarChart) -> str:
        label_width, value_width = 2600, 900
        steps = chart.resolution
        step = (self.text_width - label_width - value_width) // steps
        grid = f'<w:gridCol w:w="{label_width}"/><w:gridCol w:w="{value_width}"/>' + (
            f'<w:gridCol w:w="{step}"/>' * steps
        )
        largest = max((bar.value for bar in chart.bars), default=0)
        parts = [
            '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/>'
            '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        ]
        for bar in chart.bars:
            filled = 0 if largest == 0 else max(1 if bar.value else 0, round(steps * bar.value / largest))
            parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            parts.append(self._shaded_cell_xml(label_width, Cell(bar.label, bold=True)))
            parts.append(self._shaded_cell_xml(value_width, Cell(str(bar.value))))
            if filled:
                parts.append(self._shaded_cell_xml(step * filled, Cell("", fill=bar.fill), span=filled))
            if filled < steps:
                parts.append(self._shaded_cell_xml(step * (steps - filled), Cell(""), span=steps - filled))
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        return "".join(parts)

    # -- the body

    def blocks_xml(self, blocks: Iterable[Block]) -> Iterator[str]:
        spacer = self._paragraph_open["small"] + "</w:p>"
        for block in blocks:
            if isinstance(block, Paragraph):
                yield self.paragraph_xml(
                    block.content,
                    block.style,
                    page_break_before=block.page_break_before,
                    keep_with_next=block.keep_with_next,
                    centred=block.centred,
                )
            elif isinstance(block, Heading):
                yield self.paragraph_xml(
                    block.text, f"heading{block.level}", page_break_before=block.page_break_before
                )
            elif isinstance(block, Bullet):
                yield self.paragraph_xml(block.content, "bullet")
            elif isinstance(block, Table):
                yield self.table_xml(block)
                yield spacer  # a table is always followed by a paragraph
            elif isinstance(block, BarChart):
                yield self.bar_chart_xml(block)
                yield spacer
            elif isinstance(block, PageBreak):
                yield '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
            else:
                raise TypeError(f"not a document block: {block!r}")


# --------------------------------------------------------------------------
# The document around the body


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What the header, footer and properties say."""

    title: str
    organisation: str
    language: str
    as_of: date
    document_date: date = field(default_factory=date.today)
    landscape: bool = False
    subject: str = ""


def header_footer_values(info: DocumentInfo) -> dict[str, str]:
    """The template's header and footer tokens, filled."""
    language = info.language
    return {
        "{organisation}": shorten(clean(info.organisation).strip(), HEADER_MAX_NAME),
        "{title}": shorten(clean(info.title), HEADER_MAX_NAME),
        "{label_page}": words(language).gettext("Page"),
        "{label_of}": words(language).gettext("of"),
        "{label_document_date}": words(language).gettext("Document date:"),
        "{document_date}": prose_date(info.document_date, language),
        "{label_as_of}": words(language).gettext("As of:"),
        "{as_of}": prose_date(info.as_of, language),
    }


def _fill_tokens(element, values: Mapping[str, str]) -> None:
    for node in element.iter(qn("w:t")):
        if node.text in values:
            node.text = values[node.text]


def _header_and_footer_parts(document) -> Iterator:
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        if name.startswith("/word/header") or name.startswith("/word/footer"):
            yield part


def _set_language(document, language: str) -> None:
    tag = "fr-FR" if language == "fr" else "en-GB"
    for lang in document.styles.element.iter(qn("w:lang")):
        lang.set(qn("w:val"), tag)


def _set_landscape(document) -> None:
    section = document.sections[0]
    section.orientation = docx.enum.section.WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = docx.shared.Twips(PAGE_HEIGHT), docx.shared.Twips(PAGE_WIDTH)
    for part in _header_and_footer_parts(document):
        for tab in part.element.iter(qn("w:tab")):
            if tab.get(qn("w:val")) == "right":
                tab.set(qn("w:pos"), str(LANDSCAPE_TEXT_WIDTH))


def _set_properties(document, info: DocumentInfo) -> None:
    properties = document.core_properties
    properties.title = shorten(clean(info.title), 250)
    properties.subject = shorten(clean(info.subject or info.title), 250)
    properties.author = shorten(clean(info.organisation), 250)
    properties.last_modified_by = "GDPR processor register"
    properties.language = "fr-FR" if info.language == "fr" else "en-GB"
    properties.created = properties.modified = datetime.combine(info.document_date, time(0, 0))
    properties.revision = 1
    properties.keywords = words(info.language).gettext("As of %(day)s", day=prose_date(info.as_of, info.language))


def render_document(info: DocumentInfo, blocks: Iterable[Block]) -> bytes:
    """The .docx bytes of ``blocks`` in the base template, with the header,
    footer, language and properties filled from ``info``.

    python-docx fills the small parts (header, footer, styles, properties)
    of the template; the body is written as one XML string straight into
    ``word/document.xml`` — parsing it into python-docx's tree and
    serialising it again would cost more than building it.
    """
    wording.check_language(info.language)
    document = docx.Document(io.BytesIO(template_bytes()))
    values = header_footer_values(info)
    for part in _header_and_footer_parts(document):
        _fill_tokens(part.element, values)
    if info.landscape:
        _set_landscape(document)
    _set_language(document, info.language)
    _set_properties(document, info)
    head, tail = _document_xml_around_body(document)
    writer = BodyWriter(style_ids(), LANDSCAPE_TEXT_WIDTH if info.landscape else TEXT_WIDTH)
    body = "".join(writer.blocks_xml(blocks))
    package = io.BytesIO()
    document.save(package)
    return _with_document_xml(package.getvalue(), (head + body + tail).encode("utf-8"))


def _document_xml_around_body(document) -> tuple[str, str]:
    """The main part's XML before and after the body's content: the XML
    declaration and ``<w:document …><w:body>``; then the section properties
    and the closing tags."""
    body = document.element.body
    section_properties = body.sectPr
    for child in list(body):
        body.remove(child)
    sect_xml = etree.tostring(section_properties, encoding="unicode") if section_properties is not None else ""
    root_xml = etree.tostring(document.element, encoding="unicode")
    head, marker, tail = root_xml.partition("<w:body/>")
    if not marker:
        raise RuntimeError("unexpected main document part in the base template")
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return f"{declaration}{head}<w:body>", f"{sect_xml}</w:body>{tail}"


def _with_document_xml(package: bytes, document_xml: bytes) -> bytes:
    """``package`` with its main document part replaced."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(
        output, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL
    ) as target:
        for item in source.infolist():
            data = document_xml if item.filename == MAIN_PART else source.read(item.filename)
            target.writestr(item.filename, data)
    return output.getvalue()


# --------------------------------------------------------------------------
# File names


def safe_filename(*parts: str, extension: str) -> str:
    """An ASCII file name from ``parts`` (accents folded, anything else
    replaced by "-"), e.g. ``gap-report_demo-conseil-sas_2026-11-29.docx``."""
    words = []
    for part in parts:
        ascii_text = unicodedata.normalize("NFKD", clean(part)).encode("ascii", "ignore").decode("ascii")
        slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:60].strip("-")
        if slug:
            words.append(slug)
    stem = "_".join(words) or "document"
    return f"{stem}.{extension}"
