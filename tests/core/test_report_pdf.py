"""The PDF report: a real PDF from Qt's writer, with one section per included claim."""

from __future__ import annotations

import gc
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_report_fixtures import HOSTILE, build_small

from workbench.core.article.load import load_article
from workbench.core.claims.finder import find_claims
from workbench.core.project.store import Project
from workbench.core.report.export import ReportOptions, report_data, write_report
from workbench.core.report.pdf import (
    BLOCK_MARKER,
    PDF_TEMPLATE,
    render_pdf,
    render_template,
    split_blocks,
)

_PAGE = re.compile(rb"/Type\s*/Page(?!s)\b")
SEED_FILE = (
    Path(__file__).resolve().parents[2] / "sample_data" / "russia-islamic-state-syria-rebels.txt"
)


def _pages(pdf: bytes) -> int:
    return len(_PAGE.findall(pdf))


def _page_list(path: Path) -> list[str]:
    """Each page's text via pypdf (a dependency already, so this runs everywhere; Qt
    compresses the text layer, so the bytes cannot be searched directly)."""
    pages = [page.extract_text(extraction_mode="layout") for page in PdfReader(path).pages]
    # Qt's text layer separates words with tabs and keeps ligatures (ﬁ); read it as a person would.
    return [unicodedata.normalize("NFKC", p).replace("\t", " ") for p in pages]


def _text(path: Path) -> str:
    return "\f".join(_page_list(path))


@pytest.fixture(autouse=True)
def _widgets_app(qapp):
    """In one test run the GUI tests need a QApplication; if the PDF writer made its own
    QGuiApplication first, they could not get one. Share pytest-qt's instead."""
    return qapp


@pytest.fixture()
def pdfs(tmp_path: Path):
    with build_small(tmp_path / "small.wbproj") as project:
        default = write_report(project, "pdf", tmp_path / "r.pdf")
        everything = write_report(
            project, "pdf", tmp_path / "all.pdf", ReportOptions(include="all")
        )
    return default, everything


def test_pdf_header_pages_and_claims(pdfs) -> None:
    default, everything = pdfs
    for path in (default, everything):
        data = path.read_bytes()
        assert data.startswith(b"%PDF-1.")
        assert data.rstrip().endswith(b"%%EOF")
        assert _pages(data) >= 1
        # The page tree's /Count agrees with the page objects found.
        counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
        assert counts and counts[0] == _pages(data)
    text = _text(default)
    assert sorted(set(int(n) for n in re.findall(r"Claim (\d+)\b", text))) == [1, 2, 3, 4, 6]
    assert "NOT YET APPROVED" in text and "UNCHECKED" in text
    assert "for National Statistics" in text  # "Office" is set with an ffi ligature
    assert "bac909edfad51355dcb8df06834d11ef51941be73502091d584e875bf640920f" in text
    assert "<script>alert" in text  # hostile text printed as text, not interpreted
    all_text = _text(everything)
    assert sorted(set(int(n) for n in re.findall(r"Claim (\d+)\b", all_text))) == [1, 2, 3, 4, 5, 6]


def test_report_modules_do_not_import_qt(tmp_path: Path) -> None:
    """Core stays Qt-free: only render_pdf pulls PySide6 in, and only when called."""
    code = (
        "import sys\n"
        "import workbench.core.report.export, workbench.core.report.pdf, workbench.core.project.jsonio\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _page_texts(path: Path) -> list[str]:
    return [page for page in _page_list(path) if page.strip()]


def build_seed(path: Path) -> Project:
    """The seed article's 87 claims, every third rated with a source: about 18 pages, with
    sections of different heights so page ends fall at many points of a claim."""
    article = load_article(SEED_FILE)
    candidates = find_claims(article.text)
    project = Project.create(path, article, candidates)
    for claim_id in range(1, len(candidates) + 1, 3):
        project.set_verdict(claim_id, "true", "The figures say so. " * 3, reviewer="alice")
        project.attach_source(claim_id, f"https://src.example.org/{claim_id}", note="Table 1")
    return project


def test_no_claim_heading_ends_a_page(tmp_path: Path) -> None:
    """A claim's heading is never left at the foot of a page with its text on the next
    (QTextDocument's own pagination did this twice in the seed report)."""
    with build_seed(tmp_path / "seed.wbproj") as project:
        path = write_report(project, "pdf", tmp_path / "seed.pdf", ReportOptions(include="all"))
        total = len(project.claims())
    pages = _page_texts(path)
    assert len(pages) >= 5
    numbers: list[int] = []
    for index, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[-1] == str(index)  # the page number at the foot
        body = lines[:-1]
        assert not re.match(r"Claim \d+\b", body[-1]), f"page {index} ends with {body[-1]!r}"
        for at, line in enumerate(body):
            heading = re.match(r"Claim (\d+)\b", line)
            if heading:
                numbers.append(int(heading.group(1)))
                # The claim's own text follows on the same page: its "#id · kind" line.
                assert body[at + 1].startswith(f"#{heading.group(1)} ")
    assert numbers == list(range(1, total + 1))


def test_painting_keeps_the_references_to_none(tmp_path: Path) -> None:
    """PySide6 6.12 on Python 3.11 drops a reference to None per void call; a long report
    must give them back, or CPython aborts with "deallocating None" (5,000 claims did)."""
    with build_seed(tmp_path / "seed.wbproj") as project:
        data = report_data(project, ReportOptions(include="all"))
    render_pdf(data, tmp_path / "warm.pdf")  # first-use caches take references of their own
    # Garbage left by earlier tests holds references to None too; a collection during the render
    # would free them and look like a loss, so collect first and keep the collector off meanwhile.
    gc.collect()
    gc.disable()
    try:
        before = sys.getrefcount(None)
        render_pdf(data, tmp_path / "seed.pdf")
        after = sys.getrefcount(None)
    finally:
        gc.enable()
    assert after >= before - 5  # without the fix: about 5 lost per claim


def test_section_taller_than_a_page_loses_nothing(tmp_path: Path) -> None:
    with build_small(tmp_path / "tall.wbproj") as project:
        for k in range(60):
            project.attach_source(4, f"https://tall.example.org/{k}", note=f"Note {k}. " * 8)
        path = write_report(project, "pdf", tmp_path / "tall.pdf")
    pages = _page_texts(path)
    assert len(pages) >= 3
    text = "\n".join(pages)
    # Sets: Qt leaves a clipped (invisible) copy of one line in the text layer per page break
    # inside a section taller than a page; what matters here is that every line is printed.
    assert sorted(set(int(n) for n in re.findall(r"tall\.example\.org/(\d+)", text))) == list(
        range(60)
    )
    assert sorted(set(int(n) for n in re.findall(r"Note (\d+)\.", text))) == list(range(60))
    for index, page in enumerate(pages, start=1):
        assert page.strip().splitlines()[-1].strip() == str(index)


def test_blocks_one_per_claim_each_with_the_styles(tmp_path: Path) -> None:
    with build_small(tmp_path / "small.wbproj") as project:
        data = report_data(project, ReportOptions(include="all"))
    html = render_template(PDF_TEMPLATE, data)
    # Hostile text is escaped, so it cannot fake a block marker.
    assert HOSTILE not in html and "&lt;script&gt;" in html
    blocks = split_blocks(html)
    assert len(blocks) == 1 + len(data.claims)
    assert all("<style>" in block and "<body>" in block for block in blocks)
    assert all(BLOCK_MARKER not in block for block in blocks)
    assert "Summary" in blocks[0] and "Claim 1" not in blocks[0]
    assert "Claim by claim" in blocks[1]  # the heading goes with the first claim
    for number, block in enumerate(blocks[1:], start=1):
        assert re.findall(r"Claim (\d+)\b", block) == [str(number)]
    assert split_blocks("<p>no markers</p>") == ["<p>no markers</p>"]
