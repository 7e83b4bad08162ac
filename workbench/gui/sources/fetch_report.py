"""What the Sources feature tells a person: one-line summaries, the failures list, its questions.

SourcesAsker holds every dialog the feature opens, so tests replace it with a fake (as
dialogs.Asker is replaced for the main window) and never block on a modal dialog.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.wording import counted
from workbench.gui.labels import ask_yes_no, plain_label
from workbench.gui.safe_html import plain_tooltip
from workbench.gui.sources.jobs import SaveResult
from workbench.gui.wrapping import WrappingDelegate

ARCHIVE_FILTER = "Web archives (*.warc *.warc.gz *.wacz);;All files (*)"


if TYPE_CHECKING:
    from workbench.core.sources.fetch import FetchSummary, WarcSummary


@dataclass(frozen=True)
class Failure:
    url: str
    reason: str


def fetch_line(summary: FetchSummary) -> str:
    """One sentence for the status bar, e.g. '6 copies stored (6 from web archive files).'"""
    stored = len(summary.fetched) + len(summary.from_warc)
    parts: list[str] = []
    if stored:
        text = f"{counted(stored, 'copy', 'copies')} stored"
        if summary.from_warc:
            text += f" ({len(summary.from_warc)} from web archive files)"
        parts.append(text)
    if summary.failed:
        parts.append(f"{counted(len(summary.failed), 'source')} could not be fetched")
    if summary.skipped and not summary.cancelled:
        parts.append(f"{len(summary.skipped)} already had a copy")
    if summary.cancelled:
        kept = "stored copies were kept" if stored else "nothing was stored"
        return f"Fetch cancelled: {', '.join(parts) or 'no copy stored'}; {kept}."
    if not parts:
        return "There were no sources to fetch: attach sources to claims first."
    if not stored and not summary.failed:
        return "Every source already has a copy; nothing was fetched."
    return "Sources: " + ", ".join(parts) + "."


def warc_line(summary: WarcSummary, name: str) -> str:
    if not summary.captures:
        return f"{name} holds no web pages; nothing was imported."
    return f"Imported {name}: {summary.describe()}."


def save_line(result: SaveResult) -> str:
    if result.cancelled:
        return "Capture request cancelled; the Internet Archive may still finish it on its own."
    status = result.status
    if status is None or status.status != "success":
        why = (status.message or status.status_ext or "no reason given") if status else ""
        later = " Try again later." if status and status.retryable else ""
        return f"The Internet Archive did not capture {result.url}: {why.rstrip('.')}.{later}"
    if result.fetch and result.fetch.fetched:
        return f"The Internet Archive captured {result.url}; the new copy is stored."
    return f"The Internet Archive captured {result.url}, but its copy could not be fetched yet."


def failures_message(failed: int, total: int) -> str:
    return (
        f"{failed} of {total} sources have no copy yet. Each reason is stored on its source; "
        "use Sources ▸ Retry failed fetches later, or request a capture of a live page."
    )


class FailuresDialog(QDialog):
    """Which sources could not be fetched, and why: a list to work through, not an alarm."""

    def __init__(
        self, parent: QWidget | None, title: str, message: str, failures: list[Failure]
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 360)
        layout = QVBoxLayout(self)
        label = plain_label(message)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        layout.addWidget(label)
        tree = QTreeWidget()
        tree.setHeaderLabels(["Source", "Why it failed"])
        tree.setRootIsDecorated(False)
        tree.setItemDelegate(WrappingDelegate(tree))
        for failure in failures:
            item = QTreeWidgetItem([failure.url, failure.reason])
            item.setToolTip(0, plain_tooltip(failure.url))
            item.setToolTip(1, plain_tooltip(failure.reason))
            tree.addTopLevelItem(item)
        tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        tree.header().setStretchLastSection(True)
        tree.setColumnWidth(0, 300)
        layout.addWidget(tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.tree = tree


class SourcesAsker:
    """Real dialogs for the Sources feature."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def archive_file(self, folder: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent, "Import a web archive (WARC or WACZ)", folder, ARCHIVE_FILTER
        )
        return path or None

    def confirm_capture(self, url: str) -> bool:
        return ask_yes_no(
            self.parent,
            "Request an archive capture",
            f"This asks the Internet Archive (Save Page Now) to capture the live page at\n\n"
            f"{url}\n\nas it is today, then fetches that copy. The capture is public and shows "
            "the page now, not as the article's author saw it. Continue?",
        )

    def fetch_failures(self, title: str, message: str, failures: list[Failure]) -> None:
        dialog = FailuresDialog(self.parent, title, message, failures)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setModal(False)
        dialog.show()  # not modal: the fact-checker keeps working with the list open
