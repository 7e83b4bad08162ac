"""The editor's review queue: claims a fact-checker marked checked that nobody approved yet.

The model keeps the queue in article order and follows edits one row at a time (a claim
that is approved or returned leaves, one sent back as checked comes in), so a large project
is never re-read for an edit. The view shows it with the counts an editor works against.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.project.records import ClaimRecord
from workbench.core.project.scales import Scale
from workbench.gui import style
from workbench.gui.labels import plain_label
from workbench.gui.safe_html import plain_tooltip

QUEUE_STATUS = "checked"  # checked by the fact-checker, not yet approved or returned
COLUMNS = ("#", "Claim", "Verdict", "Checker", "Rationale")
COL_ID, COL_TEXT, COL_VERDICT, COL_CHECKER, COL_RATIONALE = range(5)
EXCERPT_CHARS = 140
_Index = QModelIndex | QPersistentModelIndex


def in_queue(claim: ClaimRecord | None) -> bool:
    return claim is not None and not claim.deleted and claim.status == QUEUE_STATUS


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """One line of at most `limit` characters, cut at a word."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def queue_counts(claims: Iterable[ClaimRecord]) -> dict[str, int]:
    counts = {"checked": 0, "approved": 0, "returned": 0}
    for c in claims:
        if c.status in counts and not c.deleted:
            counts[c.status] += 1
    return counts


def counts_text(counts: dict[str, int]) -> str:
    todo = counts.get("checked", 0)
    head = f"{todo} to review" if todo else "Nothing to review"
    return (
        f"{head}  ·  {counts.get('approved', 0)} approved  ·  {counts.get('returned', 0)} returned"
    )


def _key(c: ClaimRecord) -> tuple[int, int, int]:
    return (c.start, c.end, c.id)


class ReviewQueueModel(QAbstractTableModel):
    """Checked-not-approved claims in article order."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._claims: list[ClaimRecord] = []
        self._keys: list[tuple[int, int, int]] = []
        self._scale: Scale | None = None

    def set_claims(self, claims: Iterable[ClaimRecord], scale: Scale | None) -> None:
        self.beginResetModel()
        self._scale = scale
        self._claims = sorted((c for c in claims if in_queue(c)), key=_key)
        self._keys = [_key(c) for c in self._claims]
        self.endResetModel()

    def update_claim(self, claim_id: int, claim: ClaimRecord | None) -> None:
        """Follow one edited claim (None: it is gone): its row changes, leaves or appears."""
        row = self.row_of(claim_id)
        queued = claim if claim is not None and in_queue(claim) else None
        if row is not None and queued is not None and self._keys[row] == _key(queued):
            self._claims[row] = queued
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._claims[row]
            del self._keys[row]
            self.endRemoveRows()
        if queued is not None:
            key = _key(queued)
            at = bisect.bisect_left(self._keys, key)
            self.beginInsertRows(QModelIndex(), at, at)
            self._claims.insert(at, queued)
            self._keys.insert(at, key)
            self.endInsertRows()

    def claims(self) -> list[ClaimRecord]:
        return list(self._claims)

    def claim_id_at(self, row: int) -> int | None:
        return self._claims[row].id if 0 <= row < len(self._claims) else None

    def row_of(self, claim_id: int | None) -> int | None:
        for row, c in enumerate(self._claims):  # a queue is short: a scan is cheaper than an index
            if c.id == claim_id:
                return row
        return None

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._claims)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self._claims[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(c, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_TEXT:
                return plain_tooltip(c.text)
            if col == COL_RATIONALE:
                return plain_tooltip(c.rationale or "No rationale written")
            return None
        if col == COL_VERDICT and c.rating:
            color = self._color(c.rating)
            if role == Qt.ItemDataRole.BackgroundRole:
                return QColor(color)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor(style.text_on(color))
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_RATIONALE and not c.rationale:
            return QColor(style.MUTED_TEXT)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_ID:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, c: ClaimRecord, col: int) -> Any:
        if col == COL_ID:
            return c.id
        if col == COL_TEXT:
            return excerpt(c.text, 400)
        if col == COL_VERDICT:
            return self._label(c.rating) if c.rating else "Not rated"
        if col == COL_CHECKER:
            return c.rated_by or ""
        if col == COL_RATIONALE:
            return excerpt(c.rationale) if c.rationale else "(no rationale)"
        return None

    def _label(self, rating: str) -> str:
        if self._scale is None:
            return rating
        for r in self._scale.ratings:
            if r.id == rating:
                return r.label
        return rating

    def _color(self, rating: str) -> str:
        if self._scale is not None:
            for r in self._scale.ratings:
                if r.id == rating:
                    return r.color
        return style.UNRATED_HIGHLIGHT


class VerdictDelegate(QStyledItemDelegate):
    """Paints the verdict cell in its scale colour even on the selected row, where the
    selection colour would otherwise hide the one thing an editor scans the queue for."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        color = index.data(Qt.ItemDataRole.BackgroundRole)
        if not isinstance(color, QColor):
            super().paint(painter, option, index)
            return
        painter.save()
        rect = option.rect.adjusted(2, 3, -2, -3)  # type: ignore[attr-defined]
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setPen(index.data(Qt.ItemDataRole.ForegroundRole) or QColor("#000000"))
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        painter.drawText(
            rect.adjusted(6, 0, -4, 0),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            text,
        )
        painter.restore()


class ReviewQueueView(QWidget):
    """Counts, the queue table, and the two decisions an editor makes."""

    claimChosen = Signal(int)

    def __init__(self, model: ReviewQueueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(4)
        head = QHBoxLayout()
        self.counts = plain_label(objectName="queueCounts")
        self.counts.setStyleSheet("font-weight: 600;")
        head.addWidget(self.counts, 1)
        self.approve_button = QPushButton("Approve")
        self.return_button = QPushButton("Return to checker…")
        self.approve_button.setToolTip("Approve the selected claim's verdict (Ctrl+Shift+A)")
        self.return_button.setToolTip(
            "Send the claim back to the fact-checker with a comment (Ctrl+Shift+R)"
        )
        head.addWidget(self.approve_button)
        head.addWidget(self.return_button)
        layout.addLayout(head)

        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_RATIONALE, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_ID, 42), (COL_VERDICT, 110), (COL_CHECKER, 90)):
            self.table.setColumnWidth(col, width)
        self.table.setItemDelegateForColumn(COL_VERDICT, VerdictDelegate(self.table))
        layout.addWidget(self.table, 1)
        self.empty = plain_label(
            "No claims wait for review. Claims appear here when the fact-checker rates them.",
            objectName="hint",
        )
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self._selecting = False

    def set_counts(self, counts: dict[str, int]) -> None:
        self.counts.setText(counts_text(counts))
        self.empty.setVisible(self.model.rowCount() == 0)

    def show_claim(self, claim_id: int | None) -> None:
        """Follow the window's selection: highlight the claim's row, or none if not queued."""
        row = self.model.row_of(claim_id)
        selection = self.table.selectionModel()
        self._selecting = True
        try:
            if row is None:
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), selection.SelectionFlag.Clear)
            elif selection.currentIndex().row() != row:
                index = self.model.index(row, 0)
                selection.setCurrentIndex(
                    index, selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows
                )
                self.table.scrollTo(index)
        finally:
            self._selecting = False

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._selecting or not current.isValid():
            return
        claim_id = self.model.claim_id_at(current.row())
        if claim_id is not None:
            self.claimChosen.emit(claim_id)
