"""The PDF report: a real PDF from Qt's writer, with one section per included claim."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_report_fixtures import build_small

from workbench.core.report import ReportOptions, write_report

_PAGE = re.compile(rb"/Type\s*/Page(?!s)\b")


def _pages(pdf: bytes) -> int:
    return len(_PAGE.findall(pdf))


def _text(path: Path) -> str | None:
    """The PDF's text via poppler's pdftotext when installed (Qt compresses the text layer)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    return subprocess.run(
        [tool, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


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
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; checked header and pages only")
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
        "import workbench.core.report, workbench.core.report_pdf, workbench.core.project_json\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
