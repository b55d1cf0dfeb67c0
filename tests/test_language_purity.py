"""Every page and every document, in French and in English, speaks only its language.

The pages are every GET route of the app that answers HTML, taken from the
app's own route list (as tests/test_access_isolation.py does), so a new page is
checked as soon as it exists; the documents are every download (DPA draft, gap
reports, register extract .docx/.xlsx/.csv, procurement memo). Each is read for
words of the other language (the lists below: words that do not occur in the
checked language) and for ISO dates in prose (allowed only in machine fields:
input values, ids, file names). The register's own data (the demo's names,
descriptions, purposes…) is what the user typed: it is taken out before the
check. Documents also never print the same paragraph twice.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import msgspec
import pytest

from register.demo import demo_document
from tests.access_support import SEEDED_DPA_LINES, SEEDED_SHEET
from tests.documents_support import open_docx, xlsx_sheets
from tests.test_access_isolation import fill, routes_of
from tests.test_pages_support import post_form, seeded, signed_in  # noqa: F401  (fixtures)

# Words of one language that never occur in the other's text (checked as whole words, lower case).
FRENCH_WORDS = {
    "sous-traitant", "sous-traitants", "données", "du", "des", "avec", "les", "une", "pour", "dans",
    "aucun", "aucune", "constat", "constats", "garantie", "garanties", "décision", "été", "être", "ou",
    "et", "le", "la", "au", "aux", "sur", "non", "oui", "ce", "cette", "qui", "pas", "contrat", "registre",
    "est", "sont", "doit", "avant", "après", "selon", "leur", "ses", "mois", "jours", "conservation", "lieu",
    "prestataire", "destinataire", "transfert", "transferts", "vérifié", "enregistré", "signé", "par",
    "chaque", "tous", "toutes", "peut", "aussi", "sans", "lorsque", "fournisseur", "outil", "demande",
}  # fmt: skip
ENGLISH_WORDS = {
    "the", "processor", "processors", "with", "data", "and", "of", "to", "is", "not", "for", "findings",
    "finding", "safeguard", "safeguards", "agreement", "sub-processor", "sub-processors", "which", "this",
    "are", "covered", "none", "yes", "from", "by", "on", "at", "as", "or", "register", "recorded", "should",
    "be", "has", "have", "must", "will", "its", "after", "before", "who", "what", "where", "when", "there",
    "months", "days", "signed", "unknown", "transfer", "transfers", "recipient", "retention", "review",
    "in", "it", "that", "than", "all", "any", "each", "their", "can", "may", "into", "without", "vendor",
    "tool", "request", "about", "only", "also", "must", "subparagraph",
}  # fmt: skip
OTHER_LANGUAGE_WORDS = {"fr": ENGLISH_WORDS, "en": FRENCH_WORDS}
# Names that are the same in both languages (proper nouns, titles of legal instruments).
ALLOWED = {
    "fr": (
        "Data Privacy Framework", "UK Addendum", "EU-U.S.", "Swiss-U.S.", "International Data Transfer Agreement",
        "International Data Transfer Addendum", "Data Protection Act",
        "Data Protection Commissioner",  # a party to Case C-311/18 (Schrems II)
    ),
    "en": (),
}
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
WORD = re.compile(r"[a-zà-öø-ÿœæ]+(?:-[a-zà-öø-ÿœæ]+)*")
SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
DOCUMENT_TYPES = ("application/vnd.openxmlformats", "text/csv")
MIN_REPEATED_PARAGRAPH = 40  # characters: short labels ("None recorded") may repeat


# ---------------------------------------------------------------------------- reading


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and the shown attributes, not scripts or values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def docx_body_paragraphs(content: bytes) -> list[str]:
    """The running text (table cells repeat legitimately: one remediation for several processors)."""
    return [p.text for p in open_docx(content).paragraphs]


def docx_paragraphs(content: bytes) -> list[str]:
    document = open_docx(content)
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs += [cell.text for cell in row.cells]
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            paragraphs += [p.text for p in part.paragraphs]
    return paragraphs


def docx_links(content: bytes) -> list[str]:
    document = open_docx(content)
    return [rel.target_ref for rel in document.part.rels.values() if rel.is_external]


def document_text(content: bytes, media_type: str) -> str:
    if "wordprocessingml" in media_type:
        return "\n".join(docx_paragraphs(content))
    if "spreadsheetml" in media_type:
        return "\n".join(" | ".join(row) for rows in xlsx_sheets(content).values() for row in rows)
    text = content.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")
    return "\n".join(" | ".join(row) for row in csv.reader(io.StringIO(text), dialect))


# ---------------------------------------------------------------------------- checking


def user_data() -> list[str]:
    """Every text of the demo register (what users typed), longest first."""
    texts: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            texts.update(t for t in (value, *value.splitlines()) if len(t.strip()) > 1)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(msgspec.to_builtins(demo_document()))
    texts |= {"Candidate SAS", "CRM for sales"}  # the seeded procurement request
    # the seeded spreadsheet import: its file's headers and cells, and the mapping's name
    texts |= {cell for line in SEEDED_SHEET.decode("cp1252").splitlines() for cell in line.split(";") if len(cell) > 1}
    texts.add("Vendors sheet")
    texts |= set(SEEDED_DPA_LINES) | {"vendor-dpa.txt"}  # the seeded vendor's DPA, quoted on its review page
    texts |= {"Asked the vendor for the missing facts."}  # the seeded task's comment
    texts |= {"Seeded Mail Inc.", "E-mail delivery"}  # the seeded sub-processor notice
    return sorted(texts, key=len, reverse=True)


USER_DATA = user_data()


def without_user_data(text: str, language: str) -> str:
    text = re.sub(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b", " ", text)  # finding codes: identifiers
    for typed in USER_DATA:
        text = text.replace(typed, " ")
    for name in ALLOWED[language]:
        text = text.replace(name, " ")
    return re.sub(r"\S+@\S+", " ", text)  # e-mail addresses


def leaks(text: str, language: str) -> list[str]:
    """Words of the other language and ISO dates in ``text``, each with a little context."""
    text = without_user_data(text, language)
    found = []
    for line in text.splitlines():
        # codes and acronyms in capitals ("Autriche (AT)", "CNIL") are not words of either language
        spoken = re.sub(r"\b[A-Z]{2,3}\b", " ", line)
        words = WORD.findall(spoken.lower().replace("’", "'").replace("'", " "))
        bad = sorted(set(words) & OTHER_LANGUAGE_WORDS[language])
        if bad:
            found.append(f"{bad}: {line.strip()[:120]}")
        if ISO_DATE.search(line):
            found.append(f"ISO date: {line.strip()[:120]}")
    return found


def repeated_paragraphs(paragraphs: list[str]) -> list[str]:
    counts = Counter(p.strip() for p in paragraphs if len(p.strip()) >= MIN_REPEATED_PARAGRAPH)
    return [p[:100] for p, n in counts.items() if n > 1]


# ---------------------------------------------------------------------------- the pages and documents


# Stored files sent back as uploaded (a vendor's DPA): the vendor's words, not the register's.
STORED_FILE_ROUTES = (
    "/processors/{processor_id:int}/agreement/files/{file_id:int}/content",
    "/library/vendors/{vendor_id:int}/files/{library_file_id:int}/content",  # a library vendor's DPA
)


def get_routes(app):
    """Every GET page route (the JSON API, static files, stored files and the calendar feed, whose
    language tests/test_reminders.py checks, are not pages)."""
    for method, template, _rule in routes_of(app):
        if (method == "GET" and not template.startswith(("/api/", "/static/", "/calendar/"))
                and template not in STORED_FILE_ROUTES):
            yield template


def read_everything(app, signed_in, language):
    """(kind, url, text, extra) for every GET page route, in ``language``."""
    from tests.access_support import path_parameters

    admin = signed_in("admin")
    response = post_form(admin.browser, "/", "/preferences/language", {"language": language, "next": "/"},
                         follow_redirects=False)
    assert response.status_code == 303
    values = path_parameters(admin.ids)
    read = []
    for template in get_routes(app):
        url = fill(template, values)
        response = admin.browser.get(url, params={"lang": language})  # pages before sign-in, downloads
        assert response.status_code == 200, f"GET {url}: {response.status_code}"
        media_type = response.headers.get("content-type", "")
        if media_type.startswith("text/html"):
            read.append(("page", url, page_text(response.text), None))
        elif media_type.startswith(DOCUMENT_TYPES):
            content = response.content
            paragraphs = docx_body_paragraphs(content) if "wordprocessingml" in media_type else []
            links = docx_links(content) if "wordprocessingml" in media_type else []
            read.append(("document", url, document_text(content, media_type), (paragraphs, links)))
        else:
            pytest.fail(f"GET {url} answered {media_type}: neither a page nor a document")
    return read


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_and_document_speaks_only_its_language(app, signed_in, language):
    """No word of the other language, no ISO date in prose; documents: no paragraph twice, EUR-Lex in the language."""
    read = read_everything(app, signed_in, language)
    kinds = Counter(kind for kind, *_ in read)
    assert kinds["page"] >= 20 and kinds["document"] >= 7, kinds
    other = "EN" if language == "fr" else "FR"
    problems = {}
    for kind, url, text, extra in read:
        found = leaks(text, language)
        if extra:
            paragraphs, links = extra
            found += [f"printed twice: {p}" for p in repeated_paragraphs(paragraphs)]
            found += [f"link in the other language: {link}" for link in links if f"/legal-content/{other}/" in link]
        if kind == "document" and f"/legal-content/{other}/" in text:
            found.append(f"EUR-Lex link in the other language ({other})")
        if found:
            problems[url] = found
    if problems:
        dump = Path(os.environ.get("LANGUAGE_LEAKS", "test-output")) / f"language-leaks-{language}.txt"
        dump.parent.mkdir(parents=True, exist_ok=True)
        dump.write_text("\n".join(f"{url}\n  " + "\n  ".join(found) for url, found in problems.items()))
    assert problems == {}


def test_the_checker_sees_leaks():
    assert leaks("Le sous-traitant est couvert", "en") and not leaks("Le sous-traitant est couvert", "fr")
    assert leaks("The processor is covered", "fr") and not leaks("The processor is covered", "en")
    assert leaks("Signé le 2026-11-30", "fr") and not leaks("Signé le 30 novembre 2026", "fr")
    assert not leaks("Certifié Data Privacy Framework", "fr")
    assert repeated_paragraphs(["A sentence long enough to count as a paragraph.", "x"] * 2)
    assert page_text('<p title="Hello">Hi<script>the()</script><input value="2026-01-01"></p>') == "Hello\nHi"
