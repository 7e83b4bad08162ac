"""The verdict report as PDF, written by Qt's own PDF writer.

Core never imports Qt at module level (DESIGN.md): PySide6 is imported inside render_pdf, so
the rest of the report code, and every other core module, runs without it. The layout is
report.pdf.html.j2 laid out by QTextDocument and painted onto a QPdfWriter: text stays text
(selectable, searchable) and the chart's bars are vector rectangles.

We paginate ourselves because QTextDocument's own pagination ignores CSS keep-together, so a
claim's heading could end a page with its text on the next. The template marks sections with
BLOCK_MARKER; each section is laid out as its own document and starts a new page when it does
not fit in the space left. A section taller than a page is split by Qt's line-aware layout.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from workbench.core.errors import ProjectError
from workbench.core.report.data import ReportData
from workbench.core.report.formats import render_template

PDF_TEMPLATE = "report.pdf.html.j2"
MARGIN_MM = 16.0
RESOLUTION_DPI = 300
# Space between sections: a document drops its first heading's top margin and its last
# paragraph's bottom margin, so the gap the template's h3 margin gave is put back here.
BLOCK_GAP_PT = 12.0
# Autoescaping turns any "<" in article or source text into "&lt;", so only the template
# itself can emit this comment.
BLOCK_MARKER = "<!-- pdf-block -->"
_EDGE = 0.5  # device pixels: 1/600 inch
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def split_blocks(html: str) -> list[str]:
    """The report HTML cut at BLOCK_MARKER into whole documents sharing the <head> (styles).

    A template without markers (a newsroom's own) gives one block; it still prints, split
    across pages wherever lines fall.
    """
    parts = html.split(BLOCK_MARKER)
    body = _BODY_OPEN.search(parts[0])
    prefix = parts[0][: body.end()] if body else ""
    return [parts[0]] + [prefix + part for part in parts[1:]]


def render_pdf(
    data: ReportData, path: str | Path, *, template_dir: str | Path | None = None
) -> Path:
    """Write the report to path as an A4 PDF with page numbers; returns the path."""
    path = Path(path)
    blocks = split_blocks(render_template(PDF_TEMPLATE, data, template_dir))
    _check_writable(path)
    _ensure_gui_application()
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION_DPI)
    writer.setTitle(f"Verdict report: {data.article.title or 'Untitled article'}")
    writer.setCreator("Workbench")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    _paint_blocks(writer, blocks, path)
    del writer  # the file is finished when the writer goes away
    if not path.is_file() or path.stat().st_size == 0:
        raise ProjectError(f"The PDF report could not be written to {path}.")
    return path


def _check_writable(path: Path) -> None:
    """Say why a PDF cannot be written before Qt's writer fails (it would only print
    "QPainter::begin(): Returned false" on stderr and give no reason)."""
    try:
        with path.open("ab"):
            pass
    except OSError as exc:
        raise ProjectError(
            f"The PDF report could not be written to {path}: {exc.strerror or exc}."
        ) from None


class _Pages:
    """A painter on the writer that tracks the space used on the page and numbers each page."""

    def __init__(self, writer: Any, path: Path) -> None:
        from PySide6.QtGui import QFontMetricsF, QGuiApplication, QPainter

        self.writer = writer
        self.font = QGuiApplication.font()
        self.painter = QPainter()
        if not self.painter.begin(writer):
            raise ProjectError(f"The PDF report could not be written to {path}.")
        # The painter's origin is the top left of the margins; width() and height() are the
        # printable area in device pixels.
        self.width = float(writer.width())
        self.footer = QFontMetricsF(self.font, writer).height() * 2
        self.height = float(writer.height()) - self.footer
        self.gap = BLOCK_GAP_PT * writer.resolution() / 72.0
        self.number = 1
        self.used = 0.0

    def new_page(self) -> None:
        self._draw_number()
        self.writer.newPage()
        self.number += 1
        self.used = 0.0

    def finish(self) -> None:
        self._draw_number()
        self.painter.end()

    def _draw_number(self) -> None:
        from PySide6.QtCore import QRectF, Qt

        self.painter.setFont(self.font)
        box = QRectF(0, self.height, self.width, self.footer)
        flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom
        self.painter.drawText(box, int(flags), str(self.number))


def _paint_blocks(writer: Any, blocks: list[str], path: Path) -> None:
    pages = _Pages(writer, path)
    try:
        for html in blocks:
            _paint_block(pages, _block_document(html, pages))
    finally:
        pages.finish()


def _paint_block(pages: _Pages, doc: Any) -> None:
    height = doc.size().height()
    if pages.used > 0:
        if pages.used + pages.gap + height > pages.height:
            pages.new_page()
        else:
            pages.used += pages.gap
    if height <= pages.height - pages.used:
        _draw(pages, doc, 0.0, height)
        pages.used += height
    else:
        _draw_tall(pages, doc)


def _block_document(html: str, pages: _Pages) -> Any:
    """One section laid out for the writer: same font and width as every other section."""
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    # Lay out in the writer's device pixels, so point sizes come out right at 300 dpi.
    doc.documentLayout().setPaintDevice(pages.writer)
    doc.setDefaultFont(pages.font)
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    doc.setTextWidth(pages.width)
    return doc


def _draw(pages: _Pages, doc: Any, top: float, height: float) -> None:
    """Paint the doc's band [top, top + height) at the current position on the page."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QAbstractTextDocumentLayout

    painter = pages.painter
    painter.save()
    painter.translate(0, pages.used - top)
    painter.setClipRect(QRectF(0, top, pages.width, height))
    # Qt also draws lines that merely touch the band's edge; the clip hides them, but their
    # text would stay in the PDF's text layer (found twice by search and copy). Lines never
    # straddle a page edge, so a band a hair smaller than the page leaves those out. (Qt's
    # QTextLayout still draws the one line of a block just above the band, clipped: a section
    # taller than a page can keep one hidden duplicate line per page break.)
    context = QAbstractTextDocumentLayout.PaintContext()
    context.clip = QRectF(0, top + _EDGE, pages.width, height - 2 * _EDGE)
    doc.documentLayout().draw(painter, context)
    painter.restore()


def _draw_tall(pages: _Pages, doc: Any) -> None:
    """A section taller than a page: Qt paginates it (moving lines that would straddle a page
    boundary to the next page), and we paint it one page-sized band per page."""
    from PySide6.QtCore import QSizeF

    doc.setPageSize(QSizeF(pages.width, pages.height))
    count = doc.pageCount()
    for k in range(count):
        if k:
            pages.new_page()
        _draw(pages, doc, k * pages.height, pages.height)
    bottom = doc.documentLayout().blockBoundingRect(doc.lastBlock()).bottom()
    pages.used = min(pages.height, max(0.0, bottom - (count - 1) * pages.height))


def _ensure_gui_application() -> Any:
    """Qt lays out text only with a QGuiApplication; make one (offscreen if headless)."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        headless = not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
        if sys.platform.startswith("linux") and headless:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(["workbench-report"])
    return app
