"""Builds the base Word document every generated document starts from.

``docs_templates/build_base.py`` runs :func:`build_base_document` and writes
``docs_templates/base.docx``, so the template is regenerated from this code
rather than kept as an opaque binary. It holds:

- the styles (title, headings, body, small print, bullets, table text and
  headings, the "Placeholder" character style for facts to complete, and the
  "Register Table" table style);
- an A4 page with 2 cm margins;
- a header: the organisation's name (token ``{organisation}``) and the
  document's title (``{title}``);
- a footer: "Page X of Y" as PAGE and NUMPAGES fields (``w:fldChar`` runs,
  since python-docx has no fields API, #1297), the document date and the
  "as of" date (tokens filled by :func:`register.documents.common.render_document`).
"""

from __future__ import annotations

import io

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips

from register.documents.common import MARGIN, PAGE_HEIGHT, PAGE_WIDTH, TEXT_WIDTH

FONT = "Arial"  # metric-compatible Liberation Sans where Arial is absent
ACCENT = RGBColor(0x1F, 0x38, 0x64)
GREY = RGBColor(0x59, 0x59, 0x59)
BORDER_COLOUR = "A6A6A6"


def build_base_document() -> bytes:
    document = docx.Document()
    _drop_thumbnail(document)
    _page_setup(document)
    _styles(document)
    _header(document)
    _footer(document)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    properties = document.core_properties
    properties.title = "GDPR processor register: base document"
    properties.author = "GDPR processor register"
    properties.comments = "Regenerate with: python docs_templates/build_base.py"
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _drop_thumbnail(document) -> None:
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            package.rels.pop(rel_id)


def _page_setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Twips(MARGIN))
    section.header_distance = section.footer_distance = Twips(560)


# --------------------------------------------------------------------------
# Styles


def _paragraph_style(document, name: str, *, base: str = "Normal", size: float | None = None,
                     bold: bool | None = None, colour: RGBColor | None = None,
                     before: float | None = None, after: float | None = None, keep_next: bool = False):
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name != "Normal":
        style.base_style = styles[base]
    style.hidden = False
    style.quick_style = True
    font = style.font
    font.name = FONT
    _east_asian_font(style)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if colour is not None:
        font.color.rgb = colour
    paragraph = style.paragraph_format
    if before is not None:
        paragraph.space_before = Pt(before)
    if after is not None:
        paragraph.space_after = Pt(after)
    if keep_next:
        paragraph.keep_with_next = True
    return style


def _east_asian_font(style) -> None:
    """Set every font slot, so no theme font overrides the chosen one."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    for theme_slot in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme_slot), None)


def _styles(document) -> None:
    normal = _paragraph_style(document, "Normal", size=10, after=6)
    normal.paragraph_format.line_spacing = 1.1
    _paragraph_style(document, "Title", size=24, bold=True, colour=ACCENT, before=120, after=12)
    _clear_borders(document.styles["Title"])
    _paragraph_style(document, "Subtitle", size=13, colour=GREY, after=24)
    _paragraph_style(document, "Heading 1", size=15, bold=True, colour=ACCENT, before=18, after=6, keep_next=True)
    _paragraph_style(document, "Heading 2", size=12, bold=True, colour=ACCENT, before=12, after=4, keep_next=True)
    _paragraph_style(document, "Heading 3", size=10.5, bold=True, colour=ACCENT, before=8, after=3, keep_next=True)
    for level in (1, 2, 3):
        document.styles[f"Heading {level}"].font.italic = False
    _paragraph_style(document, "Small Print", size=8, colour=GREY, after=4)
    _paragraph_style(document, "Cover Detail", size=11, after=4)
    _paragraph_style(document, "List Bullet", size=10, after=3)
    _paragraph_style(document, "Table Text", size=8.5, before=1, after=1)
    document.styles["Table Text"].paragraph_format.line_spacing = 1.0
    _paragraph_style(document, "Table Heading", base="Table Text", size=8.5, bold=True,
                     colour=RGBColor(0xFF, 0xFF, 0xFF))
    document.styles["Table Heading"].paragraph_format.keep_with_next = True
    placeholder = document.styles.add_style("Placeholder", WD_STYLE_TYPE.CHARACTER)
    placeholder.font.bold = True
    placeholder.font.color.rgb = RGBColor(0x9C, 0x00, 0x06)
    placeholder.font.highlight_color = 7  # WD_COLOR_INDEX.YELLOW
    placeholder.quick_style = True
    _table_style(document)


def _clear_borders(style) -> None:
    properties = style.element.pPr
    if properties is not None:
        for border in properties.findall(qn("w:pBdr")):
            properties.remove(border)


def _table_style(document) -> None:
    style = document.styles.add_style("Register Table", WD_STYLE_TYPE.TABLE)
    style.base_style = document.styles["Normal Table"]
    style.quick_style = True
    properties = OxmlElement("w:tblPr")
    style.element.append(properties)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{edge}")
        border.set(qn("w:val"), "single")
        border.set(qn("w:sz"), "4")
        border.set(qn("w:space"), "0")
        border.set(qn("w:color"), BORDER_COLOUR)
        borders.append(border)
    properties.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge, width in (("top", 40), ("left", 80), ("bottom", 40), ("right", 80)):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), str(width))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)


# --------------------------------------------------------------------------
# Header and footer


def _text_run(paragraph, text: str, *, bold: bool = False, size: float = 8, colour: RGBColor = GREY):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour
    return run


def _field_runs(paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (``w:fldChar`` begin / instruction / separate / result / end)."""
    def add(kind: str | None = None, instruction_text: str | None = None, text: str | None = None):
        run = _text_run(paragraph, "")
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        if instruction_text:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = instruction_text
            run._r.append(instr)
        if text:
            run.text = text

    add("begin")
    add(instruction_text=f" {instruction} ")
    add("separate")
    add(text=placeholder)
    add("end")


def _rule(paragraph, edge: str) -> None:
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    border = OxmlElement(f"w:{edge}")
    border.set(qn("w:val"), "single")
    border.set(qn("w:sz"), "4")
    border.set(qn("w:space"), "4")
    border.set(qn("w:color"), BORDER_COLOUR)
    borders.append(border)
    properties.append(borders)


def _header(document) -> None:
    header = document.sections[0].header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = document.styles["Small Print"]
    paragraph.paragraph_format.tab_stops.add_tab_stop(Twips(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
    _text_run(paragraph, "{organisation}", bold=True, colour=ACCENT)
    _text_run(paragraph, "\t")
    _text_run(paragraph, "{title}")
    _rule(paragraph, "bottom")


def _footer(document) -> None:
    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = document.styles["Small Print"]
    paragraph.paragraph_format.tab_stops.add_tab_stop(Twips(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
    _rule(paragraph, "top")
    _text_run(paragraph, "{label_page}")
    _text_run(paragraph, " ")
    _field_runs(paragraph, "PAGE", "1")
    _text_run(paragraph, " ")
    _text_run(paragraph, "{label_of}")
    _text_run(paragraph, " ")
    _field_runs(paragraph, "NUMPAGES", "1")
    _text_run(paragraph, "\t")
    _text_run(paragraph, "{label_document_date}")
    _text_run(paragraph, " ")
    _text_run(paragraph, "{document_date}")
    _text_run(paragraph, " · ")
    _text_run(paragraph, "{label_as_of}")
    _text_run(paragraph, " ")
    _text_run(paragraph, "{as_of}")
