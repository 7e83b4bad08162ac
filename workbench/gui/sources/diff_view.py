"""Two copies of a source side by side: the older text with what was removed struck through in
red, the newer with what was added in green, and the one-line summary above them. Only the
readable text is shown (escaped), in browsers that load nothing.

The two sides move together: scrolling either one brings the other to the same place in its own
text (through the diff's ops, not by proportion, since a long insertion would skew that), and
Previous/Next change step both to each changed passage in turn."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.labels import plain_label
from workbench.gui.safe_html import SafeTextBrowser

if TYPE_CHECKING:
    from workbench.core.sources.compare import Comparison
    from workbench.core.sources.diff import WordDiff

REMOVED = "background:#f8d0d0; color:#7a1010; text-decoration:line-through;"
ADDED = "background:#cdeccd; color:#0d4d0d;"


def side_html(diff: WordDiff, side: str) -> str:
    """The text of one side as HTML: unchanged words plain, its own changes marked, an anchor
    at the first change so the view can scroll there. Positions in the shown document are the
    text's own offsets (escaping adds no characters to the document), which the linked
    scrolling relies on."""
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


def map_offset(diff: WordDiff, offset: int, side: str) -> int:
    """The place in the other side's text that matches `offset` in this side's: the same word
    within unchanged text, the start of the other side's version of a changed passage."""
    other_len = len(diff.b if side == "a" else diff.a)
    here = 0
    for op in diff.ops:
        start, end = (op.a_start, op.a_end) if side == "a" else (op.b_start, op.b_end)
        there_start, there_end = (op.b_start, op.b_end) if side == "a" else (op.a_start, op.a_end)
        if start > offset:
            break
        if offset < end:
            if op.kind == "equal":
                return min(there_start + (offset - start), there_end)
            return there_start
        # Past this op (or in the spacing after it): just after its match on the other side.
        here = there_end + (offset - end) if op.kind == "equal" else there_end
    return max(0, min(here, other_len))


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
        self.where = plain_label()
        self.previous = QPushButton("◀ Previous change")
        self.next = QPushButton("Next change ▶")
        self.previous.clicked.connect(lambda: self.go_to_change(self.current - 1))
        self.next.clicked.connect(lambda: self.go_to_change(self.current + 1))
        for widget in (self.where, self.previous, self.next):
            key.addWidget(widget)
        layout.addLayout(key)
        self.comparison: Comparison | None = None
        self.current = -1
        self._following = False  # one side is being moved to match the other
        self.left.verticalScrollBar().valueChanged.connect(lambda: self._follow(self.left))
        self.right.verticalScrollBar().valueChanged.connect(lambda: self._follow(self.right))
        self._show_position()

    @property
    def passages(self) -> tuple:
        return self.comparison.diff.passages if self.comparison is not None else ()

    def go_to_change(self, index: int) -> None:
        """Bring changed passage `index` to the top of both sides."""
        if not 0 <= index < len(self.passages):
            return
        self.current = index
        passage = self.passages[index]
        self._following = True
        try:
            _scroll_to(self.left, passage.a_start)
            _scroll_to(self.right, passage.b_start)
        finally:
            self._following = False
        self._show_position()

    def _follow(self, moved: QTextBrowser) -> None:
        if self._following or self.comparison is None:
            return
        side, other = ("a", self.right) if moved is self.left else ("b", self.left)
        top = moved.cursorForPosition(QPoint(0, 0))
        # The same line at the same height: the top line is often partly scrolled out.
        y = moved.cursorRect(top).top()
        self._following = True
        try:
            _scroll_to(other, map_offset(self.comparison.diff, top.position(), side), y)
        finally:
            self._following = False

    def _show_position(self) -> None:
        count = len(self.passages)
        self.where.setText(f"Change {self.current + 1} of {count}" if count else "")
        self.previous.setEnabled(self.current > 0)
        self.next.setEnabled(self.current + 1 < count)
        for widget in (self.where, self.previous, self.next):
            widget.setVisible(count > 0)

    def show_comparison(self, comparison: Comparison, left: str, right: str) -> None:
        self.comparison = comparison
        self.summary.setText(comparison.summary())
        self.left_title.setText(left)
        self.right_title.setText(right)
        self._following = True
        try:
            self.left.setHtml(side_html(comparison.diff, "a"))
            self.right.setHtml(side_html(comparison.diff, "b"))
        finally:
            self._following = False
        self.current = -1
        self.go_to_change(0)
        self._show_position()

    def clear(self, message: str = "Choose two stored copies and press Compare.") -> None:
        self.comparison = None
        self.summary.setText(message)
        for widget in (self.left_title, self.right_title):
            widget.clear()
        self._following = True
        try:
            for browser in (self.left, self.right):
                browser.clear()
        finally:
            self._following = False
        self.current = -1
        self._show_position()


def _scroll_to(browser: QTextBrowser, offset: int, y: int = 0) -> None:
    """Scroll so that the line holding text offset `offset` is `y` pixels from the top of
    `browser` (0: the top line)."""
    cursor = QTextCursor(browser.document())
    cursor.setPosition(max(0, min(offset, browser.document().characterCount() - 1)))
    bar = browser.verticalScrollBar()
    bar.setValue(bar.value() + browser.cursorRect(cursor).top() - y)
