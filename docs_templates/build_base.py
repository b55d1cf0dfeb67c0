"""Regenerate docs_templates/base.docx, the base document of every generated
Word document (styles, header with the organisation's name, footer with
"page X of Y" fields, document date and "as of" date).

    python docs_templates/build_base.py [OUTPUT]   (default: docs_templates/base.docx)

The template is code: edit register/documents/base_template.py, then run
this script and commit both. tests/test_documents_template.py checks that the
committed file matches what this script builds.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from register.documents.base_template import build_base_document  # noqa: E402

TARGET = Path(__file__).resolve().parent / "base.docx"


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else TARGET
    target.write_bytes(build_base_document())
    print(f"Wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
