"""The verdict report as PDF, written by Qt's own PDF writer.

Core never imports Qt at module level (DESIGN.md): PySide6 is imported inside render_pdf, so
the rest of the report code, and every other core module, runs without it. The layout is
report.pdf.html.j2 laid out by QTextDocument and printed to a QPdfWriter: text stays text
(selectable, searchable) and the chart's bars are vector rectangles.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from workbench.core.errors import ProjectError
from workbench.core.report_data import ReportData
from workbench.core.report_formats import render_template

PDF_TEMPLATE = "report.pdf.html.j2"
MARGIN_MM = 16.0
RESOLUTION_DPI = 300


def render_pdf(
    data: ReportData, path: str | Path, *, template_dir: str | Path | None = None
) -> Path:
    """Write the report to path as an A4 PDF with page numbers; returns the path."""
    path = Path(path)
    html = render_template(PDF_TEMPLATE, data, template_dir)
    _ensure_gui_application()
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

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
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    # print_ paginates to the writer's page size and numbers the pages at the foot.
    doc.print_(writer)
    del writer  # the file is finished when the writer goes away
    if not path.is_file() or path.stat().st_size == 0:
        raise ProjectError(f"The PDF report could not be written to {path}.")
    return path


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
