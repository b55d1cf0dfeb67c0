"""Reading a vendor's data processing agreement (DPA): bytes in, plain values out.

Pure: no database, no HTTP, no files written. The steps, each in its module:

- :mod:`.sniff` — the media type from the content (never the name);
- :mod:`.extract` — text with its structure (pages, headings, list numbering, table rows)
  from PDF (pypdf), Word .docx (python-docx), OpenDocument .odt (its XML with lxml),
  HTML (lxml, text only), Markdown and plain text; size and decompression caps;
- :mod:`.segment` — sections by numbering ("1.", "1.1", "Article 4 –", "Clause 7.7", "Annexe II");
- :mod:`.items` — each Art. 28(3) item: status, evidence, found and missing elements;
- :mod:`.facts` — breach deadline, sub-processor notice, authorisation, transfer tools,
  governing law, supervisory authority, sub-processors listed in an annex.

The public interface (used by the web pages and ``register read-dpa``):
:func:`read_dpa`, :func:`sniff_media_type`, :data:`SUPPORTED_MEDIA_TYPES`,
:class:`ReadingError`, :class:`DpaReading` (``to_json()`` is the stable JSON) and
:data:`ITEM_IDS`.
"""

from register.reading.errors import MESSAGES as ERROR_MESSAGES
from register.reading.errors import ReadingError
from register.reading.model import (
    ITEM_IDS,
    DpaReading,
    Evidence,
    ItemReading,
    SubProcessorProposal,
    TransferToolMention,
)
from register.reading.reader import DEFAULT_MAX_BYTES, DEFAULT_MAX_EXPANDED_BYTES, read_dpa
from register.reading.sniff import EXTENSIONS, SUPPORTED_MEDIA_TYPES, sniff_media_type

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_EXPANDED_BYTES",
    "ERROR_MESSAGES",
    "EXTENSIONS",
    "ITEM_IDS",
    "SUPPORTED_MEDIA_TYPES",
    "DpaReading",
    "Evidence",
    "ItemReading",
    "ReadingError",
    "SubProcessorProposal",
    "TransferToolMention",
    "read_dpa",
    "sniff_media_type",
]
