"""The base template is code: the committed docs_templates/base.docx is what
docs_templates/build_base.py builds, and it holds the styles, header and
footer the builders rely on."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

from register.documents.base_template import build_base_document
from register.documents.common import STYLE_NAMES, TEMPLATE_PATH, style_ids
from tests.documents_support import open_docx

ROOT = Path(__file__).resolve().parent.parent
# Parts whose content the template defines (docProps/core.xml holds dates).
DEFINED_PARTS = ("word/document.xml", "word/styles.xml", "word/header", "word/footer", "word/_rels/")


def _parts(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return {
            name: package.read(name)
            for name in package.namelist()
            if name.startswith(DEFINED_PARTS)
        }


def test_committed_template_is_what_the_script_builds():
    assert TEMPLATE_PATH.is_file(), "run: python docs_templates/build_base.py"
    assert _parts(TEMPLATE_PATH.read_bytes()) == _parts(build_base_document())


def test_build_script_writes_the_template(tmp_path):
    target = tmp_path / "base.docx"
    script = ROOT / "docs_templates" / "build_base.py"
    subprocess.run([sys.executable, str(script), str(target)], check=True, capture_output=True)
    assert _parts(target.read_bytes()) == _parts(TEMPLATE_PATH.read_bytes())


def test_template_has_the_styles_the_builders_use():
    ids = style_ids()
    assert set(ids) == set(STYLE_NAMES)
    document = open_docx(TEMPLATE_PATH.read_bytes())
    names = {style.name for style in document.styles}
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Table Text", "Placeholder", "Register Table"):
        assert name in names
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4


def test_template_header_and_footer_hold_tokens_and_page_fields():
    document = open_docx(TEMPLATE_PATH.read_bytes())
    section = document.sections[0]
    header = section.header.paragraphs[0].text
    footer = section.footer.paragraphs[0]
    assert "{organisation}" in header and "{title}" in header
    for token in ("{label_page}", "{label_of}", "{document_date}", "{as_of}"):
        assert token in footer.text
    instructions = [node.text.strip() for node in footer._p.iter() if node.tag.endswith("}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [node.get(node.tag.replace("fldChar", "fldCharType")) for node in footer._p.iter() if node.tag.endswith("}fldChar")]
    assert kinds == ["begin", "separate", "end"] * 2
