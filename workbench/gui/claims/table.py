"""The claims dock: the filter row, the claims table and its count.

It owns the ClaimsModel and its filter proxy, and keeps the table's selection on the claim the
window shows (`show_claim`); when the person moves to another row it says so (`claimChosen`) and
the window selects that claim everywhere. Features add a filter beside the others with
`add_filter` and read the model through `model`, `proxy` and `table`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.project.records import STATUS_LABELS, STATUSES
from workbench.core.project.scales import Scale
from workbench.core.wording import counted
from workbench.gui.claims.model import (
    COL_ASSIGNED,
    COL_ID,
    COL_KIND,
    COL_SCORE,
    COL_SOURCES,
    COL_STATUS,
    COL_TEXT,
    COL_VERDICT,
    COLUMNS,
    UNASSIGNED,
    UNRATED,
    ClaimsFilter,
    ClaimsModel,
)
from workbench.gui.labels import plain_label

FILTER_PAUSE_MS = 150  # typing waits for a pause: 20,000 rows are filtered once, not per key
TEXT_MIN_WIDTH = 240  # the claim column, whatever the width of the window
VERDICT_MIN_WIDTH = 104  # "Verdict" and its sort arrow; wider for a scale's longer labels
TEXT_FILTER_MIN = 220  # the filter box: room to read a few words of what is typed
TEXT_STRETCH = 5  # the filter box's share of the filter row, the other filters' 2 or 3 each


class ClaimsTable(QWidget):
    """Filter row, table and count over one project's claims."""

    claimChosen = Signal(int)  # the person moved the table to this claim

    def __init__(self, me: Callable[[], str], parent: QWidget | None = None) -> None:
        """`me`: the login or name "Assigned to me" means, asked when that filter is applied."""
        super().__init__(parent)
        self._me = me
        self._current: int | None = None  # the claim the window shows
        self._showing = False  # the table's own selection signals must not re-choose it
        self.model = ClaimsModel(self)
        self.proxy = ClaimsFilter(self)
        self.proxy.setSourceModel(self.model)
        self._build_table()
        self._build_filters()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 4)
        lay.setSpacing(4)
        # The filters after the text box, with their share of a wrapped second line.
        self._filters: list[tuple[QWidget, int]] = [
            (self.filter_verdict, 3),
            (self.filter_status, 3),
            (self.filter_assigned, 3),
            (self.filter_score, 2),
        ]
        self.filter_row = QHBoxLayout()  # the text box, and the filters when they fit beside it
        self._wrapped_row = QHBoxLayout()  # the filters when they do not
        self._one_line: bool | None = None
        lay.addLayout(self.filter_row)
        lay.addLayout(self._wrapped_row)
        lay.addWidget(self.table, 1)
        self._lay_out_filters(one_line=True)
        self._connect()

    def _build_table(self) -> None:
        table = self.table = QTableView()
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSortingEnabled(True)
        table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # article order until asked
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        # Fixed row heights: the view never measures 20,000 rows.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(24)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        # The claim's words keep room when the table narrows: the stretched column took only
        # what the others left, which at a 1000 px window was nothing ("T…").
        table.viewport().installEventFilter(self)
        header.sectionResized.connect(self._other_column_resized)
        header.setHighlightSections(False)
        for col, width in (
            (COL_ID, 42),
            # "Check-worthy" (the README's word) whole, with room for the sort arrow
            (COL_SCORE, header.fontMetrics().horizontalAdvance(COLUMNS[COL_SCORE]) + 28),
            (COL_KIND, 86),
            (COL_VERDICT, VERDICT_MIN_WIDTH),
            (COL_STATUS, 84),
            (COL_ASSIGNED, header.fontMetrics().horizontalAdvance(COLUMNS[COL_ASSIGNED]) + 28),
            (COL_SOURCES, 34),
        ):
            table.setColumnWidth(col, width)
        table.setColumnHidden(COL_ASSIGNED, True)  # until a team project is open

    def _build_filters(self) -> None:
        self.filter_text = QLineEdit()
        self.filter_text.setPlaceholderText("Filter claims…  (Ctrl+F)")
        self.filter_text.setClearButtonEnabled(True)
        self.filter_verdict = QComboBox()
        self.filter_status = QComboBox()
        self.filter_status.addItem("Any status", None)
        for s in STATUSES:
            self.filter_status.addItem(STATUS_LABELS[s], s)
        self.filter_assigned = QComboBox()  # a desk splitting an article's claims
        self.filter_assigned.addItem("Anyone's", None)
        self.filter_assigned.addItem("Assigned to me", "me")
        self.filter_assigned.addItem("Unassigned", UNASSIGNED)
        self.filter_assigned.setToolTip("Show the claims assigned to you, or the unassigned ones")
        # Sized like a short word, so the filter row never widens the window's minimum.
        self.filter_assigned.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.filter_assigned.setMinimumContentsLength(6)
        self.filter_assigned.setVisible(False)
        self.filter_score = QDoubleSpinBox()
        self.filter_score.setRange(0.0, 1.0)
        self.filter_score.setSingleStep(0.1)
        self.filter_score.setDecimals(1)
        self.filter_score.setPrefix("check-worthy ≥ ")
        self.filter_score.setToolTip("Hide claims whose check-worthiness is below this")
        self.count_label = plain_label(objectName="hint")
        # Their width follows their choices: filled only once a project is open, so the
        # default (measured when first shown, empty) cut "Any verdict" to "Any verd".
        for combo in (self.filter_verdict, self.filter_status):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

    def _connect(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        # The claims' own signals too: the filter drops a claim's row while the claims still
        # count it (at rowsAboutToBeRemoved), so after a delete or an undone split the count
        # read "85 of 86 claims shown" with no filter on.
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
            self.model.rowsInserted,
            self.model.rowsRemoved,
        ):
            signal.connect(self.update_count)
        self.proxy.layoutChanged.connect(self._claim_back)  # sorted: follow the claim
        self.filter_verdict.currentIndexChanged.connect(
            lambda _i: self._apply(self.proxy.set_rating, self.filter_verdict.currentData())
        )
        self.filter_assigned.currentIndexChanged.connect(
            lambda _i: self._apply(self.proxy.set_assignee, self._assignee())
        )
        self.filter_status.currentIndexChanged.connect(
            lambda _i: self._apply(self.proxy.set_status, self.filter_status.currentData())
        )
        self.filter_score.valueChanged.connect(lambda v: self._apply(self.proxy.set_min_score, v))
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_PAUSE_MS)
        self._filter_timer.timeout.connect(
            lambda: self._apply(self.proxy.set_text, self.filter_text.text())
        )
        self.filter_text.textChanged.connect(lambda _t: self._filter_timer.start())
        self.filter_text.returnPressed.connect(self._filter_timer.timeout.emit)
        # Enter or Down: on to the claims found, where J/K, N and 1-9 work (typed into the
        # box, they were letters of the filter).
        self.filter_text.returnPressed.connect(self.enter_table)
        self.filter_text.installEventFilter(self)
        for w, _stretch in self._filters:  # shown or hidden: the row may wrap or unwrap
            w.installEventFilter(self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._lay_out_filters(one_line=self._fits_one_line())

    def _fits_one_line(self) -> bool:
        """Whether the text box would keep TEXT_FILTER_MIN with every shown filter beside it,
        shared out as the row's layout shares it: by stretch, no item below its size hint."""
        items = [(self.filter_text, TEXT_STRETCH)]
        items += [(w, s) for w, s in self._filters if not w.isHidden()]
        margins = self.layout().contentsMargins()
        space = self.width() - margins.left() - margins.right()
        space -= max(self.filter_row.spacing(), 0) * len(items)  # the count label's too
        space -= self.count_label.sizeHint().width()
        flexible = dict(items)
        while flexible:
            total = sum(flexible.values())
            wider = [w for w, s in flexible.items() if w.sizeHint().width() > space * s / total]
            if not wider:
                break
            for w in wider:
                space -= w.sizeHint().width()
                del flexible[w]
        if self.filter_text not in flexible:
            return False  # even its size hint (~150 px) is more than its share
        return space * TEXT_STRETCH / sum(flexible.values()) >= TEXT_FILTER_MIN

    def _lay_out_filters(self, *, one_line: bool) -> None:
        """One line when everything fits; else the text box and the count on the first line
        and the other filters under them (squeezed into one line, the text box was ~40 px
        wide at a 1000 px window: a few letters of what was typed)."""
        if one_line == self._one_line:
            return
        self._one_line = one_line
        for w in (self.filter_text, self.count_label, *(w for w, _s in self._filters)):
            self.filter_row.removeWidget(w)
            self._wrapped_row.removeWidget(w)
        row = self.filter_row
        row.addWidget(self.filter_text, TEXT_STRETCH)
        filters_row = row if one_line else self._wrapped_row
        for w, stretch in self._filters:
            filters_row.addWidget(w, stretch)
        row.addWidget(self.count_label)
        # Only when wrapped: on one line it would raise the window's smallest width.
        self.filter_text.setMinimumWidth(0 if one_line else TEXT_FILTER_MIN)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and isinstance(event, QResizeEvent):
            self._fit_text_column()
            self._keep_current_row_in_view(event)
        if event.type() in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent) and any(
            watched is w for w, _s in self._filters
        ):
            self._lay_out_filters(one_line=self._fits_one_line())
        down = (
            watched is self.filter_text
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        )
        if down and event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # the box's, not the window's next-claim shortcut
            return True
        if down and event.type() == QEvent.Type.KeyPress:
            self._filter_timer.timeout.emit()  # what is typed applies now, not after the pause
            self.enter_table()
            return True
        return super().eventFilter(watched, event)

    def _keep_current_row_in_view(self, event: QResizeEvent) -> None:
        """A window made smaller hid the open claim's row below the table's new bottom edge
        (the claim panel showed claim 12, the table claims 5 to 7): a row that was in view
        stays in view. One scrolled away on purpose is left where it is."""
        index = self.table.currentIndex()
        if not index.isValid():
            return
        row = self.table.visualRect(index)
        was_shown = row.top() >= 0 and row.bottom() <= event.oldSize().height()
        if was_shown and row.bottom() > event.size().height():
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _other_column_resized(self, column: int, _old: int, _new: int) -> None:
        if column != COL_TEXT:
            self._fit_text_column()

    def _fit_text_column(self) -> None:
        """The claim column stretches while the other columns leave it TEXT_MIN_WIDTH; below
        that it keeps TEXT_MIN_WIDTH and the table scrolls sideways to the others."""
        header = self.table.horizontalHeader()
        others = sum(
            header.sectionSize(c)
            for c in range(header.count())
            if c != COL_TEXT and not header.isSectionHidden(c)
        )
        room = self.table.viewport().width() - others
        stretch = QHeaderView.ResizeMode.Stretch
        if room >= TEXT_MIN_WIDTH:
            if header.sectionResizeMode(COL_TEXT) != stretch:
                header.setSectionResizeMode(COL_TEXT, stretch)
        else:
            if header.sectionResizeMode(COL_TEXT) == stretch:
                header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Interactive)
            if header.sectionSize(COL_TEXT) != TEXT_MIN_WIDTH:
                header.resizeSection(COL_TEXT, TEXT_MIN_WIDTH)

    def enter_table(self) -> None:
        """Keys to the table, on the window's claim if the filters show it, else the first
        claim shown (chosen, so the panel follows). Nothing shown: the cursor stays put."""
        if self.proxy.rowCount() == 0:
            return
        row = self.proxy.row_of(self._current) if self._current is not None else None
        if row is None:
            self.table.selectionModel().setCurrentIndex(
                self.proxy.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self.table.setFocus()

    # ------------------------------------------------------------------ for the window
    def set_project_scale(self, scale: Scale, *, team: bool) -> None:
        """A project was opened: its ratings in the verdict filter; the assignment filter and the
        "Assigned to" column only for a team project (a desk sharing one), so a file's window
        stays as narrow as it was."""
        combo = self.filter_verdict
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("Any verdict", None)
        combo.addItem("Not rated", UNRATED)
        for r in scale.ratings:
            combo.addItem(r.label, r.id)
        combo.blockSignals(False)
        self.proxy.set_rating(None)
        self._fit_verdict_column(scale)
        if not team:
            self.filter_assigned.setCurrentIndex(0)
        self.filter_assigned.setVisible(team)
        self.table.setColumnHidden(COL_ASSIGNED, not team)

    def _fit_verdict_column(self, scale: Scale) -> None:
        """As wide as the scale's longest label with its colour swatch: at a fixed 104 px the
        truth scale's read "Mostly fal…" and "Unverifia…" even in a wide window."""
        metrics = self.table.fontMetrics()
        widest = max((metrics.horizontalAdvance(r.label) for r in scale.ratings), default=0)
        swatch = self.table.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.table.setColumnWidth(COL_VERDICT, max(VERDICT_MIN_WIDTH, widest + swatch + 24))

    def add_filter(self, widget: QWidget, stretch: int = 2) -> None:
        """A feature's filter, after the status filter; `stretch`: its share of the line's width
        (beside the text box, or under it when a narrow dock wraps the filters)."""
        at = next(i for i, (w, _s) in enumerate(self._filters) if w is self.filter_status) + 1
        self._filters.insert(at, (widget, stretch))
        widget.installEventFilter(self)  # shown or hidden: the row may wrap or unwrap
        self._one_line = None  # placed anew, with the new filter
        self._lay_out_filters(one_line=self._fits_one_line())

    def show_claim(self, claim_id: int | None, *, scroll: bool = True) -> None:
        """Select the window's claim (none while a filter hides it); never emits claimChosen."""
        self._current = claim_id
        self._showing = True
        try:
            self._select_row(claim_id, scroll=scroll)
        finally:
            self._showing = False

    def focus_filter(self) -> None:
        self.filter_text.setFocus()
        self.filter_text.selectAll()

    def update_count(self, *_args: Any) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        text = (
            counted(total, "claim")
            if shown == total
            else f"{shown:,} of {counted(total, 'claim')} shown"
        )
        self.count_label.setText(text)

    # ------------------------------------------------------------------ inside
    def _assignee(self) -> str | None:
        chosen = self.filter_assigned.currentData()
        return self._me() if chosen == "me" else chosen

    def _apply(self, setter: Callable[[Any], None], value: Any) -> None:
        setter(value)
        self.update_count()
        if self._current is not None:
            self._claim_back()

    def _claim_back(self, *_args: Any) -> None:
        """After a filter or sort: select and show the window's claim where it now is."""
        if not self._showing:
            self.show_claim(self._current)

    def _select_row(self, claim_id: int | None, *, scroll: bool) -> None:
        row = self.proxy.row_of(claim_id) if claim_id is not None else None
        selection = self.table.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        index = self.proxy.index(row, 0)
        select = selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows
        if selection.currentIndex().row() != row:
            selection.setCurrentIndex(index, select)
        elif selection.selectedRows() != [index]:
            selection.select(index, select)
        if scroll:
            self.table.scrollTo(index)

    def _row_changed(self, current: Any, _previous: Any) -> None:
        if self._showing or not current.isValid():
            return
        claim_id = self.proxy.claim_id_at(current.row())
        if claim_id is not None:
            self.claimChosen.emit(claim_id)
