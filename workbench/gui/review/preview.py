"""The verdict report as it will print, inside the window.

The preview is the PDF's own document: the same template (report.pdf.html.j2) rendered by the
same call report_pdf.render_pdf makes, laid out by the same QTextDocument engine, so what the
editor reads is what the PDF will say. It is shown in a SafeTextBrowser, which loads nothing:
a report carries article and source addresses and must never fetch them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QVBoxLayout, QWidget

from workbench.core.project.store import Project
from workbench.core.report.export import ReportOptions, report_data
from workbench.gui.labels import plain_label
from workbench.gui.safe_html import SafeTextBrowser
from workbench.gui.workers import Job, Report


def preview_html(project: Project, options: ReportOptions | None = None) -> str:
    """The HTML the PDF writer lays out for this project (see report_pdf.render_pdf)."""
    options = options or ReportOptions()
    from workbench.core.report.pdf import PDF_TEMPLATE, render_template  # jinja2: when shown

    return render_template(PDF_TEMPLATE, report_data(project, options), options.template_dir)


def preview_job(path: str | Path, options: ReportOptions | None = None) -> Job:
    """Render the preview off the UI thread (a Project connection is per thread: open one)."""

    def work(report: Report) -> str:
        report("Reading the project", 0.2)
        with Project.open(path) as project:
            html = preview_html(project, options)
        report("Done", 1.0)
        return html

    return Job("Preparing the report preview", work)


class ReportPreview(QWidget):
    """A read-only browser with the report, a Refresh button and an Export menu."""

    def __init__(self, export_menu: QMenu | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(4)
        head = QHBoxLayout()
        self.caption = plain_label("The report as it will print (PDF)", objectName="hint")
        head.addWidget(self.caption, 1)
        self.refresh_button = QPushButton("Refresh")
        head.addWidget(self.refresh_button)
        self.export_button = QPushButton("Export…")
        if export_menu is not None:
            self.export_button.setMenu(export_menu)
        head.addWidget(self.export_button)
        layout.addLayout(head)
        self.browser = SafeTextBrowser()
        self.browser.setReadOnly(True)
        self.browser.setObjectName("reportPreview")
        layout.addWidget(self.browser, 1)
        self.html = ""

    def set_html(self, html: str) -> None:
        """Show a new rendering where the reader was, so a refresh does not jump to the top."""
        bar = self.browser.verticalScrollBar()
        position = bar.value()
        self.html = html
        self.browser.setHtml(html)
        bar.setValue(min(position, bar.maximum()))

    def set_message(self, text: str) -> None:
        self.html = ""
        self.browser.setPlainText(text)
