"""A source's captures over time: a strip with one mark per capture around the article's date
(filled when the copy is stored in the project, hollow when only listed), the list of them and
the quotation check in each stored copy. Compare opens the diff of two copies in the Sources
review pane (its Changes page), where the source is read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.sources.archive.select import parse_published, parse_timestamp
from workbench.core.wording import counted
from workbench.gui.labels import plain_label

if TYPE_CHECKING:  # the capture machinery (HTTP client, WARC reader) loads with the first job
    from workbench.core.sources.captures import Timeline, TimelineEntry

ROW_NAMES = {"wayback": "Wayback Machine", "warc": "Web archive files", "live": "Live page"}
ARCHIVE_COLOURS = {"wayback": "#1f5fa8", "warc": "#7a4fa0", "live": "#8a6d00"}
OTHER_COLOUR = "#2e7d4f"
ARTICLE_COLOUR = "#c0392b"
COLUMNS = ("Captured (UTC)", "Archive", "HTTP", "Copy", "Around the article")


def _row_name(archive: str) -> str:
    return ROW_NAMES.get(archive, archive.removeprefix("memento:"))


def _colour(archive: str) -> QColor:
    return QColor(ARCHIVE_COLOURS.get(archive, OTHER_COLOUR))


class TimelineStrip(QWidget):
    """One row per archive, time left to right, the article's date as a red line."""

    entryClicked = Signal(int)  # index into the entries

    MARGIN_LEFT = 150
    ROW_HEIGHT = 26
    TOP = 22

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: tuple[TimelineEntry, ...] = ()
        self.published: datetime | None = None
        self.selected: set[int] = set()
        self.empty_text = ""  # what the strip says with no capture to draw
        self.setMinimumHeight(90)

    def set_timeline(self, timeline: Timeline | None) -> None:
        self.entries = timeline.entries if timeline else ()
        # No source chosen: the heading above says to choose one ("No captures listed for
        # this source yet" under it spoke of a source there was not).
        self.empty_text = "No captures listed for this source yet." if timeline else ""
        self.published = parse_published(timeline.published) if timeline else None
        self.selected = set()
        rows = len(self._rows()) or 1
        self.setMinimumHeight(self.TOP + rows * self.ROW_HEIGHT + 24)
        self.update()

    def set_selected(self, indexes: set[int]) -> None:
        self.selected = indexes
        self.update()

    def _rows(self) -> list[str]:
        return list(dict.fromkeys(e.archive for e in self.entries))

    def _span(self) -> tuple[float, float]:
        moments = [parse_timestamp(e.timestamp).timestamp() for e in self.entries]
        if self.published is not None:
            moments.append(self.published.timestamp())
        low, high = min(moments), max(moments)
        pad = max((high - low) * 0.05, 86400 * 15)
        return low - pad, high + pad

    def _x(self, seconds: float, low: float, high: float) -> float:
        width = max(1, self.width() - self.MARGIN_LEFT - 16)
        return self.MARGIN_LEFT + (seconds - low) / (high - low) * width

    def _point(self, index: int, low: float, high: float, rows: list[str]) -> QPointF:
        entry = self.entries[index]
        x = self._x(parse_timestamp(entry.timestamp).timestamp(), low, high)
        y = self.TOP + rows.index(entry.archive) * self.ROW_HEIGHT + self.ROW_HEIGHT / 2
        return QPointF(x, y)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if not self.entries:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        rows = self._rows()
        low, high = self._span()
        bottom = self.TOP + len(rows) * self.ROW_HEIGHT
        painter.setPen(QPen(self.palette().mid().color()))
        for index, name in enumerate(rows):
            y = self.TOP + index * self.ROW_HEIGHT + self.ROW_HEIGHT / 2
            painter.drawLine(QPointF(self.MARGIN_LEFT, y), QPointF(self.width() - 8, y))
            painter.setPen(self.palette().text().color())
            painter.drawText(
                QRectF(6, y - 10, self.MARGIN_LEFT - 12, 20),
                Qt.AlignmentFlag.AlignVCenter,
                _row_name(name),
            )
            painter.setPen(QPen(self.palette().mid().color()))
        self._draw_years(painter, low, high, bottom)
        if self.published is not None:
            x = self._x(self.published.timestamp(), low, high)
            painter.setPen(QPen(QColor(ARTICLE_COLOUR), 2))
            painter.drawLine(QPointF(x, self.TOP - 4), QPointF(x, bottom))
            label = f"article {self.published:%d %b %Y}"
            painter.drawText(self.article_label_at(x, painter.fontMetrics()), label)
        for index, entry in enumerate(self.entries):
            point = self._point(index, low, high, rows)
            colour = _colour(entry.archive)
            radius = 7 if index in self.selected else 5
            painter.setPen(QPen(colour.darker(140) if index in self.selected else colour, 2))
            painter.setBrush(colour if entry.snapshot_id else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(point, radius, radius)

    def article_label_at(self, x: float, metrics: QFontMetrics) -> QPointF:
        """Right of the article's line, or left of it when that would run off the strip (an
        article newer than every capture: "article 12 Mar 2" was cut at the edge)."""
        width = metrics.horizontalAdvance(f"article {self.published:%d %b %Y}")
        left = x + 4 if x + 4 + width <= self.width() - 2 else x - 4 - width
        return QPointF(left, self.TOP - 8)

    def _draw_years(self, painter: QPainter, low: float, high: float, bottom: float) -> None:
        first = datetime.fromtimestamp(low, UTC).year + 1
        last = datetime.fromtimestamp(high, UTC).year
        step = max(1, (last - first + 1) // 8)
        painter.setPen(QPen(self.palette().mid().color()))
        for year in range(first, last + 1, step):
            x = self._x(datetime(year, 1, 1, tzinfo=UTC).timestamp(), low, high)
            painter.drawLine(QPointF(x, bottom), QPointF(x, bottom + 4))
            painter.drawText(QPointF(x - 14, bottom + 17), str(year))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self.entries:
            return
        rows = self._rows()
        low, high = self._span()
        pos = event.position()
        best, best_d = -1, 12.0
        for index in range(len(self.entries)):
            point = self._point(index, low, high, rows)
            distance = ((point.x() - pos.x()) ** 2 + (point.y() - pos.y()) ** 2) ** 0.5
            if distance < best_d:
                best, best_d = index, distance
        if best >= 0:
            self.entryClicked.emit(best)


class HistoryView(QWidget):
    """The History tab: the strip, the list and the actions on them."""

    listRequested = Signal()
    fetchRequested = Signal(str)  # the capture's timestamp
    compareRequested = Signal(int, int)  # snapshot ids, older first
    citeRequested = Signal(str)  # style

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline: Timeline | None = None
        self.heading = plain_label("Choose a claim with a source to see its captures.")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight:600;")
        self.strip = TimelineStrip()
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.quotes = plain_label()
        self.quotes.setTextFormat(Qt.TextFormat.PlainText)
        self.quotes.setWordWrap(True)
        self.list_button = QPushButton("Ask the archives")
        self.list_button.setToolTip(
            "List every capture of this source (Wayback, other archives, WARC files)"
        )
        self.fetch_button = QPushButton("Fetch this capture")
        self.compare_button = QPushButton("Compare")
        self.compare_button.setToolTip(
            "Two stored copies side by side in the Sources pane: the selected two, or the "
            "selected one and the newest"
        )
        self.style_box = QComboBox()
        self.style_box.addItems(["apa", "chicago", "mla", "bibtex", "ris", "csl-json"])
        self.cite_button = QPushButton("Copy citation")
        buttons = QHBoxLayout()
        for widget in (self.list_button, self.fetch_button, self.compare_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.style_box)
        buttons.addWidget(self.cite_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.strip)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.quotes)
        # a tab page's minimum is the window's: this one takes the room it is given
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.list_button.clicked.connect(self.listRequested)
        self.fetch_button.clicked.connect(self._fetch)
        self.compare_button.clicked.connect(self._compare)
        self.cite_button.clicked.connect(
            lambda: self.citeRequested.emit(self.style_box.currentText())
        )
        self.strip.entryClicked.connect(lambda row: self.select_rows([row]))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._update_buttons()

    # ------------------------------------------------------------------ showing
    def show_timeline(self, timeline: Timeline | None, quotes: list[str]) -> None:
        self.timeline = timeline
        self.strip.set_timeline(timeline)
        self.model.removeRows(0, self.model.rowCount())
        if timeline is None:
            self.heading.setText("Choose a claim with a source to see its captures.")
            self.quotes.clear()
            self._update_buttons()
            return
        listed = (
            f"archives asked {timeline.listed_at[:16].replace('T', ' ')} UTC"
            if timeline.listed_at
            else "archives not asked yet"
        )
        self.heading.setText(
            f"{timeline.source.url} — {counted(len(timeline.entries), 'capture')}; "
            "article published "
            f"{timeline.published or 'on an unknown date'}; {listed}"
        )
        for entry in timeline.entries:
            copy = f"snapshot {entry.snapshot_id}" if entry.snapshot_id else "not fetched"
            cells = [
                entry.captured_at.replace("T", " ").removesuffix("Z"),
                _row_name(entry.archive),
                str(entry.http_status or "–"),
                copy,
                entry.relation,
            ]
            items = [QStandardItem(c) for c in cells]
            if entry.after_article:
                items[4].setForeground(QColor(ARTICLE_COLOUR))
            self.model.appendRow(items)
        self.quotes.setText("\n".join(quotes))
        self._fit_columns()
        self._update_buttons()

    def _fit_columns(self) -> None:
        """Every column but the last as wide as its text (the header's ResizeToContents left
        them as wide as their titles: "2026-03-01 …", "Waybac…")."""
        for column in range(self.model.columnCount() - 1):
            self.table.resizeColumnToContents(column)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_columns()

    def select_rows(self, rows: list[int]) -> None:
        """Select these captures (selectRow would follow the keyboard modifiers held)."""
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        selection.clearSelection()
        for row in rows:
            selection.select(self.model.index(row, 0), flags.Select | flags.Rows)

    def selected_entries(self) -> list[TimelineEntry]:
        if self.timeline is None:
            return []
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.timeline.entries[r] for r in rows if r < len(self.timeline.entries)]

    def _selection_changed(self) -> None:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        self.strip.set_selected(rows)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected_entries()
        stored = [e for e in (self.timeline.entries if self.timeline else ()) if e.snapshot_id]
        self.list_button.setEnabled(self.timeline is not None)
        self.fetch_button.setEnabled(len(chosen) == 1 and chosen[0].snapshot_id is None)
        self.compare_button.setEnabled(len(stored) >= 2)
        self.cite_button.setEnabled(self.timeline is not None)

    # ------------------------------------------------------------------ requests
    def _fetch(self) -> None:
        chosen = self.selected_entries()
        if len(chosen) == 1:
            self.fetchRequested.emit(chosen[0].timestamp)

    def _compare(self) -> None:
        pair = compare_pair(self.timeline, self.selected_entries())
        if pair is not None:
            self.compareRequested.emit(*pair)


def compare_pair(timeline: Timeline | None, chosen: list[TimelineEntry]) -> tuple[int, int] | None:
    """Which two stored copies Compare means: the two selected, or the selected one and the
    newest other, or the two newest; older first."""
    if timeline is None:
        return None
    stored = [e for e in timeline.entries if e.snapshot_id]
    picked = [e for e in chosen if e.snapshot_id]
    if len(picked) >= 2:
        pair = picked[:2]
    elif len(picked) == 1:
        others = [e for e in stored if e.snapshot_id != picked[0].snapshot_id]
        if not others:
            return None
        pair = [picked[0], others[-1]]
    elif len(stored) >= 2:
        pair = stored[-2:]
    else:
        return None
    pair.sort(key=lambda e: e.timestamp)
    return int(pair[0].snapshot_id or 0), int(pair[1].snapshot_id or 0)
