"""Time the Word documents against a straightforward python-docx baseline.

    python bench/documents.py [N]

Builds a synthetic register of N processors (default 1,000) in memory
(tests/documents_support.py: 1-3 locations, 0-4 sub-processors, DPAs with
some clauses missing, safeguards, unknown facts), assesses it with the core,
then times, in the same run:

- the gap report of the whole register (``gap_report``) and one DPA draft
  (``dpa_draft``), as shipped: the body written as one XML string;
- the baseline: the *same blocks* (same text, same styles, same tables)
  written the usual python-docx way — ``add_paragraph(style=name)`` per
  paragraph (a style look-up by name each time, table cells included),
  ``add_table`` then ``add_row()`` per row and ``cell.paragraphs`` per cell;
- a second baseline, the same with the style objects resolved once (so
  what is left is python-docx's per-row and per-paragraph cost).

Both outputs are saved to bytes. Prints best-of-k wall times, the speed-ups
and the sizes. Targets (issue 4): at least 5x the baseline, and under 1.5 s
for the 1,000-processor report.
"""

from __future__ import annotations

import io
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docx  # noqa: E402
from docx.enum.text import WD_BREAK  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import RGBColor  # noqa: E402

from register.compliance import assess_processor, assess_register  # noqa: E402
from register.documents import common  # noqa: E402
from register.documents.common import (  # noqa: E402
    STYLE_NAMES,
    BarChart,
    Bullet,
    Cell,
    DocumentInfo,
    Heading,
    PageBreak,
    Paragraph,
    Span,
    Table,
)
from register.documents.dpa import DpaContext, dpa_blocks, dpa_draft  # noqa: E402
from register.documents.gap_report import _context, gap_report, report_blocks  # noqa: E402
from register.reference import load_reference  # noqa: E402
from tests.documents_support import AS_OF, synthetic_register  # noqa: E402

DOCUMENT_DATE = date(2026, 11, 30)


# --------------------------------------------------------------------------
# The baseline: the same blocks through python-docx's ordinary API


def _spans(content) -> tuple[Span, ...]:
    if isinstance(content, Cell):
        content = content.content
    if isinstance(content, str):
        return (Span(content),)
    if isinstance(content, Span):
        return (content,)
    return tuple(content)


class StyleNames(dict):
    """Style arguments for python-docx: the names themselves (looked up by
    name at every use: the plain baseline), or, with ``resolve_once``, the
    style objects fetched once (a second, less naive baseline)."""

    def __init__(self, document, resolve_once: bool):
        super().__init__(
            {key: document.styles[name] if resolve_once else name for key, name in STYLE_NAMES.items()}
        )


def _add_runs(paragraph, content, styles, bold: bool = False) -> None:
    for span in _spans(content):
        run = paragraph.add_run(common.clean(span.text))
        if span.bold or bold:
            run.bold = True
        if span.italic:
            run.italic = True
        if span.color:
            run.font.color.rgb = RGBColor.from_string(span.color)
        if span.missing:
            run.style = styles["placeholder"]


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _baseline_table(document, block: Table, styles) -> None:
    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = styles["table"]
    for cell, column in zip(table.rows[0].cells, block.columns):
        cell.text = column.header
        cell.paragraphs[0].style = styles["table_heading"]
        _shade(cell, common.HEADER_FILL)
    for values in block.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            paragraph = cell.paragraphs[0]
            paragraph.style = styles["table_text"]
            _add_runs(paragraph, value, styles, bold=isinstance(value, Cell) and value.bold)
            if isinstance(value, Cell) and value.fill:
                _shade(cell, value.fill)
    document.add_paragraph(style=styles["small"])


def _baseline_chart(document, block: BarChart, styles) -> None:
    table = document.add_table(rows=0, cols=3)
    for bar in block.bars:
        cells = table.add_row().cells
        cells[0].text = bar.label
        cells[1].text = str(bar.value)
        cells[2].text = "█" * bar.value
    document.add_paragraph(style=styles["small"])


def baseline_document(info: DocumentInfo, blocks, resolve_once: bool = False) -> bytes:
    document = docx.Document(io.BytesIO(common.template_bytes()))
    styles = StyleNames(document, resolve_once)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    values = common.header_footer_values(info)
    for part in common._header_and_footer_parts(document):
        common._fill_tokens(part.element, values)
    for block in blocks:
        if isinstance(block, Heading):
            paragraph = document.add_paragraph(common.clean(block.text), style=styles[f"heading{block.level}"])
            paragraph.paragraph_format.page_break_before = block.page_break_before or None
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph(style=styles[block.style])
            _add_runs(paragraph, block.content, styles)
        elif isinstance(block, Bullet):
            _add_runs(document.add_paragraph(style=styles["bullet"]), block.content, styles)
        elif isinstance(block, Table):
            _baseline_table(document, block, styles)
        elif isinstance(block, BarChart):
            _baseline_chart(document, block, styles)
        elif isinstance(block, PageBreak):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


# --------------------------------------------------------------------------
# Timing


def best_of(runs: int, function) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def main(count: int) -> int:
    reference = load_reference()
    organisation, processors = synthetic_register(count)
    seconds, assessment = best_of(1, lambda: assess_register(processors, as_of=AS_OF))
    print(f"register: {count:,} processors, {assessment.counts.total:,} findings (assessed in {seconds:.2f} s)")

    # Gap report of the whole register
    ours, report = best_of(3, lambda: gap_report(
        organisation, assessment, language="fr", processors=processors, document_date=DOCUMENT_DATE
    ))

    def baseline_report(resolve_once: bool) -> bytes:
        ctx = _context(organisation, AS_OF, "fr", processors, reference, DOCUMENT_DATE)
        title = ctx.label("gap_report_title")
        blocks = report_blocks(
            ctx, title=title, scope=ctx.label("scope_register"), assessments=assessment.processors,
            counts=assessment.counts, score=assessment.score, register_wide=True,
        )
        info = DocumentInfo(title=title, organisation=organisation.name, language="fr", as_of=AS_OF, document_date=DOCUMENT_DATE)
        return baseline_document(info, blocks, resolve_once)

    slow, baseline = best_of(1, lambda: baseline_report(False))
    _line(f"gap report, {count:,} processors", ours, slow, report, baseline)
    slow, baseline = best_of(1, lambda: baseline_report(True))
    _line("  (baseline, styles resolved once)", ours, slow, report, baseline)

    # One DPA draft (the processor with the most sub-processors)
    processor = max(processors, key=lambda p: (len(p.sub_processors), len(p.locations)))
    registry = {p.id: p for p in processors}
    processor_assessment = assess_processor(processor, as_of=AS_OF, registry=registry)
    ours, draft = best_of(7, lambda: dpa_draft(
        organisation, processor, processor_assessment, language="fr", document_date=DOCUMENT_DATE
    ))

    def baseline_dpa(resolve_once: bool) -> bytes:
        ctx = DpaContext(organisation, processor, processor_assessment, "fr", reference)
        info = DocumentInfo(title="DPA", organisation=organisation.name, language="fr", as_of=AS_OF, document_date=DOCUMENT_DATE)
        return baseline_document(info, dpa_blocks(ctx, DOCUMENT_DATE), resolve_once)

    slow, baseline = best_of(7, lambda: baseline_dpa(False))
    _line("DPA draft, one processor", ours, slow, draft, baseline)
    slow, baseline = best_of(7, lambda: baseline_dpa(True))
    _line("  (baseline, styles resolved once)", ours, slow, draft, baseline)
    return 0


def _line(what: str, ours: float, baseline: float, ours_bytes: bytes, baseline_bytes: bytes) -> None:
    print(
        f"{what:<34} ours {ours:7.3f} s ({len(ours_bytes) / 1e6:5.2f} MB)   "
        f"baseline {baseline:7.3f} s ({len(baseline_bytes) / 1e6:5.2f} MB)   speed-up {baseline / ours:5.1f}x"
    )


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
