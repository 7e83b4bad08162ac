"""Two copies of a source side by side: the older text with what was removed struck through in
red, the newer with what was added in green, and the one-line summary above them. Only the
readable text is shown (escaped), in browsers that load nothing."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QVBoxLayout, QWidget

from workbench.gui.labels import plain_label
from workbench.gui.safe_html import SafeTextBrowser

if TYPE_CHECKING:
    from workbench.core.sources.compare import Comparison
    from workbench.core.sources.diff import WordDiff

REMOVED = "background:#f8d0d0; color:#7a1010; text-decoration:line-through;"
ADDED = "background:#cdeccd; color:#0d4d0d;"


def side_html(diff: WordDiff, side: str) -> str:
    """The text of one side as HTML: unchanged words plain, its own changes marked, an anchor
    at the first change so the view can scroll there."""
    text = diff.a if side == "a" else diff.b
    mine = "delete" if side == "a" else "insert"
    style = REMOVED if side == "a" else ADDED
    out: list[str] = []
    cursor = 0
    marked = 0
    for op in diff.ops:
        start, end = (op.a_start, op.a_end) if side == "a" else (op.b_start, op.b_end)
        if op.kind not in ("equal", mine) or end <= start:
            continue
        out.append(_escape(text[cursor:start]))
        piece = _escape(text[start:end])
        if op.kind == mine:
            anchor = f'<a name="change{marked}"></a>' if marked == 0 else ""
            out.append(f'{anchor}<span style="{style}">{piece}</span>')
            marked += 1
        else:
            out.append(piece)
        cursor = end
    out.append(_escape(text[cursor:]))
    return f'<div style="white-space:pre-wrap">{"".join(out)}</div>'


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


class DiffView(QWidget):
    """The summary line and the two texts; empty until `show_comparison`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = plain_label("Choose two stored copies and press Compare.")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight:600; padding:4px 2px;")
        self.left_title, self.right_title = plain_label(), plain_label()
        self.left, self.right = SafeTextBrowser(), SafeTextBrowser()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for title, browser in ((self.left_title, self.left), (self.right_title, self.right)):
            title.setTextFormat(Qt.TextFormat.PlainText)
            title.setWordWrap(True)
            pane = QWidget()
            column = QVBoxLayout(pane)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(title)
            column.addWidget(browser)
            splitter.addWidget(pane)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        key = QHBoxLayout()
        for text, style in (("removed", REMOVED), ("added", ADDED)):
            sample = plain_label(text)
            sample.setStyleSheet(style + "padding:0 4px;")
            key.addWidget(sample)
        key.addStretch(1)
        layout.addLayout(key)
        self.comparison: Comparison | None = None

    def show_comparison(self, comparison: Comparison, left: str, right: str) -> None:
        self.comparison = comparison
        self.summary.setText(comparison.summary())
        self.left_title.setText(left)
        self.right_title.setText(right)
        self.left.setHtml(side_html(comparison.diff, "a"))
        self.right.setHtml(side_html(comparison.diff, "b"))
        for browser in (self.left, self.right):
            browser.scrollToAnchor("change0")

    def clear(self, message: str = "Choose two stored copies and press Compare.") -> None:
        self.comparison = None
        self.summary.setText(message)
        for widget in (self.left_title, self.right_title):
            widget.clear()
        for browser in (self.left, self.right):
            browser.clear()
