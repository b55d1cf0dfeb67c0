"""How well and how fast the DPA reader (register/reading) reads vendors' DPAs.

    python bench/dpa_detection.py [--skip-speed]

1. Detection, on the labelled set (tests/fixtures/dpa: 8 DPAs in English and French,
   19 files in docx/odt/pdf/html/md/txt): per Art. 28(3) item, precision and recall of each
   status (macro-averaged over present/partial/absent) and of "present" alone (a false
   "present" is the costly error: the DPO would not negotiate), then the facts' accuracy.
2. PDF library: pypdf and pdfminer.six on the fixture PDFs — time, paragraphs of the source
   found intact in the extracted text (reading order, two columns), labels matched.
3. Speed: a 150-page PDF (aim < 5 s) and a 1 MB .docx (aim < 2 s), each beside the baseline
   of the same run: the raw text extraction alone (pypdf / python-docx), no analysis.
   The large files are built from the fixtures' sources (python-docx, then LibreOffice for
   the PDF) in a temporary directory.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "dpa"))

from register.reading import ITEM_IDS, read_dpa  # noqa: E402
from register.reading.analysis import analyse  # noqa: E402
from register.reading.extract import extract_pdf  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "dpa"
LABELS = tomllib.loads((FIXTURES / "labels.toml").read_text(encoding="utf-8"))
STATUSES = ("present", "partial", "absent")
FACTS = (
    "breach_notification_hours", "breach_notification_business_days", "subprocessor_notice_days",
    "notice_in_business_days", "authorisation", "right_to_object", "transfer_tools", "old_sccs",
    "governing_law", "supervisory_authority",
)


def expected(value):
    return None if value == "null" else value


def cases() -> list[tuple[str, str]]:
    return [(name, fmt) for name, label in LABELS["documents"].items() for fmt in label["formats"]]


def precision_recall(pairs: list[tuple[str, str]], positive: str) -> tuple[float, float]:
    true_positive = sum(1 for truth, guess in pairs if truth == positive and guess == positive)
    guessed = sum(1 for _, guess in pairs if guess == positive)
    actual = sum(1 for truth, _ in pairs if truth == positive)
    precision = true_positive / guessed if guessed else 1.0
    recall = true_positive / actual if actual else 1.0
    return precision, recall


def detection() -> None:
    readings = {case: read_dpa((FIXTURES / "files" / f"{case[0]}.{case[1]}").read_bytes(), language="en").to_json() for case in cases()}
    held_out = {case for case in readings if LABELS["documents"][case[0]].get("held_out")}
    report("All labelled files", readings)
    report("Held-out files only (written after the rules; see labels.toml)", {case: readings[case] for case in held_out})


def report(title: str, readings: dict[tuple[str, str], dict]) -> None:
    documents = sorted({name for name, _ in readings})
    print(f"{title}: {len(documents)} DPAs, {len(readings)} files ({', '.join(sorted({fmt for _, fmt in readings}))})")
    print(f"{'item':20} {'support p/pa/a':>15} {'precision':>10} {'recall':>8} {'P(present)':>11} {'R(present)':>11} {'exact':>7}")
    all_pairs = []
    for item in ITEM_IDS:
        pairs = [(LABELS["documents"][name]["items"][item], readings[(name, fmt)]["items"][item]["status"]) for name, fmt in readings]
        all_pairs += pairs
        per_status = [precision_recall(pairs, status) for status in STATUSES if any(truth == status for truth, _ in pairs)]
        precision = statistics.mean(p for p, _ in per_status)
        recall = statistics.mean(r for _, r in per_status)
        present_p, present_r = precision_recall(pairs, "present")
        exact = sum(1 for truth, guess in pairs if truth == guess) / len(pairs)
        support = Counter(truth for truth, _ in pairs)
        print(f"{item:20} {support['present']:>5}/{support['partial']:>3}/{support['absent']:>3} {precision:>10.2f} {recall:>8.2f} {present_p:>11.2f} {present_r:>11.2f} {exact:>7.2f}")
    exact = sum(1 for truth, guess in all_pairs if truth == guess) / len(all_pairs)
    print(f"{'all items':20} {'':>15} {'':>10} {'':>8} {'':>11} {'':>11} {exact:>7.2f}")
    print("Facts (share of files where the fact equals the label):")
    for fact in FACTS:
        right = 0
        for (name, fmt), reading in readings.items():
            label = expected(LABELS["documents"][name]["facts"][fact])
            got = reading[fact]
            right += (sorted(got) == sorted(label)) if isinstance(label, list) else got == label
        print(f"  {fact:36} {right / len(readings):.2f}")
    subs = 0
    for (name, fmt), reading in readings.items():
        subs += {entry["name"]: entry["countries"] for entry in reading["sub_processors"]} == LABELS["documents"][name].get("sub_processors", {})
    print(f"  {'sub_processors (names and countries)':36} {subs / len(readings):.2f}")
    print()


def normalised(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.replace("-", "")).lower().strip()


def pdf_libraries() -> None:
    from generate import parse

    print("PDF library on the fixture PDFs (same analysis and table rebuilding, only the text extraction differs):")
    print(f"{'file':34} {'library':10} {'time ms':>8} {'paragraphs intact':>18} {'labels matched':>15}")
    for name, label in LABELS["documents"].items():
        if "pdf" not in label["formats"]:
            continue
        content = (FIXTURES / "files" / f"{name}.pdf").read_bytes()
        paragraphs = [normalised(part.text) for part in parse((FIXTURES / "sources" / f"{name}.md").read_text(encoding="utf-8")) if part.kind == "paragraph" and len(part.text) > 60]
        for engine in ("pypdf", "pdfminer"):
            start = time.perf_counter()
            extracted = extract_pdf(content, engine=engine)
            elapsed = time.perf_counter() - start
            text = normalised(" ".join(block.text for block in extracted.blocks))
            intact = sum(1 for paragraph in paragraphs if paragraph in text) / len(paragraphs)
            reading = analyse(extracted, language="en").to_json()
            checks = [reading["items"][item]["status"] == status for item, status in label["items"].items()]
            checks += [
                (sorted(reading[fact]) == sorted(value)) if isinstance(value, list) else reading[fact] == expected(value)
                for fact, value in label["facts"].items()
            ]
            checks.append({e["name"]: e["countries"] for e in reading["sub_processors"]} == label.get("sub_processors", {}))
            suffix = " (2 columns)" if label.get("two_columns") else ""
            print(f"{name + '.pdf' + suffix:34} {engine:10} {elapsed * 1000:>8.0f} {intact:>18.2f} {sum(checks):>9}/{len(checks)}")
    print()


def large_files(directory: Path) -> tuple[Path, Path, Path]:
    """A ~150-page PDF, a 1 MB .docx holding the same ~150 pages of text plus two images (the
    usual reason a Word DPA weighs 1 MB), and a 1 MB .docx of text only (~1,300 pages: a
    stress case far beyond any DPA), all built from the fixtures' sources."""
    from generate import convert, parse, write_docx

    sources = [parse((FIXTURES / "sources" / f"{name}.md").read_text(encoding="utf-8")) for name in LABELS["documents"]]
    body = [part for parts in sources for part in parts if part.kind != "title"]
    long_content = write_docx(sources[0][:1] + body * 7)
    docx_150 = directory / "dpa_150_pages.docx"
    docx_150.write_bytes(long_content)
    convert([docx_150], "pdf", directory)
    with_images = directory / "dpa_150_pages_images.docx"
    with_images.write_bytes(add_images(long_content, 1024 * 1024))
    text_only = directory / "dpa_1mb_text.docx"
    text_only.write_bytes(repeat_body(write_docx(sources[0][:1] + body * 4), 1024 * 1024))
    return directory / "dpa_150_pages.pdf", with_images, text_only


def add_images(content: bytes, target: int) -> bytes:
    """Append incompressible pictures (a scanned signature, a logo) until the file reaches ``target``."""
    import io
    import os
    import struct
    import zlib

    import docx

    def png(width: int, height: int) -> bytes:
        raw = b"".join(b"\x00" + os.urandom(width * 3) for _ in range(height))
        chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))  # noqa: E731
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")

    document = docx.Document(io.BytesIO(content))
    side = int(((target - len(content)) / 2 / 3) ** 0.5) + 8
    for _ in range(2):
        document.add_picture(io.BytesIO(png(side, side)))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def repeat_body(content: bytes, target: int) -> bytes:
    """Copy the document's body (paragraphs and tables, as XML) until the file reaches ``target``."""
    import copy
    import io

    import docx

    document = docx.Document(io.BytesIO(content))
    body = document.element.body
    original = [child for child in body.iterchildren() if not child.tag.endswith("}sectPr")]
    section = body[-1]
    while True:
        for child in original:
            section.addprevious(copy.deepcopy(child))
        buffer = io.BytesIO()
        document.save(buffer)
        if len(buffer.getvalue()) >= target:
            return buffer.getvalue()


def timed(function, runs: int = 3) -> tuple[float, float]:
    """Median (wall-clock seconds, CPU seconds of this process): on a shared machine the CPU
    time is the fair figure, the wall-clock time what a user waits."""
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def seconds(figures: tuple[float, float]) -> str:
    return f"{figures[0]:6.2f} s wall, {figures[1]:5.2f} s CPU"


def speed() -> None:
    import io
    import os

    import docx
    from pypdf import PdfReader

    with tempfile.TemporaryDirectory(prefix="register-bench-dpa-") as work:
        pdf, docx_images, docx_text = large_files(Path(work))
        print(f"Speed (median of 3 runs; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: other work shares the machine):")
        pdf_bytes = pdf.read_bytes()
        pages = len(PdfReader(io.BytesIO(pdf_bytes)).pages)
        baseline = timed(lambda: [page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages])
        full = timed(lambda: read_dpa(pdf_bytes, language="en"))
        reading = read_dpa(pdf_bytes, language="en")
        print(f"  PDF, {pages} pages, {len(pdf_bytes) / 1024:.0f} KB, {reading.characters:,} characters")
        print(f"    baseline: pypdf text extraction alone      {seconds(baseline)}")
        print(f"    read_dpa (extraction + sections + rules)   {seconds(full)}   aim < 5 s: {verdict(full, 5)}")
        pdfminer = timed(lambda: extract_pdf(pdf_bytes, engine="pdfminer"), runs=1)
        print(f"    for comparison: pdfminer.six extraction     {seconds(pdfminer)}")
        for label, path in (("text and images", docx_images), ("text only, a stress case", docx_text)):
            content = path.read_bytes()
            baseline = timed(lambda: [p.text for p in docx.Document(io.BytesIO(content)).paragraphs])
            full = timed(lambda: read_dpa(content, language="en"))
            reading = read_dpa(content, language="en")
            print(f"  .docx ({label}), {len(content) / (1024 * 1024):.2f} MB, {reading.characters:,} characters, {reading.section_count:,} sections")
            print(f"    baseline: python-docx paragraphs' text     {seconds(baseline)}")
            print(f"    read_dpa (extraction + sections + rules)   {seconds(full)}   aim < 2 s: {verdict(full, 2)}")


def verdict(figures: tuple[float, float], aim: float) -> str:
    wall, cpu = figures
    if wall < aim:
        return "met"
    return "met in CPU time, not in wall-clock time" if cpu < aim else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-speed", action="store_true", help="detection and PDF library comparison only")
    args = parser.parse_args()
    detection()
    pdf_libraries()
    if not args.skip_speed:
        speed()


if __name__ == "__main__":
    main()
