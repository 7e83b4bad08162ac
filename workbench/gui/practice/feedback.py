"""Showing practice results: one student's feedback, and a class's scores.

FeedbackView shows practice_grade.Feedback as it is: the scores on top, then claim by claim
in article order with the student's rating and rationale beside the instructor's, and the
source checklists side by side. ClassResultsView shows one row per graded submission and the
files that could not be graded, with the reason for each.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.core.practice.grade import (
    OUTCOME_LABELS,
    ClaimFeedback,
    ClassRow,
    Feedback,
    Outcome,
    Refused,
    Scores,
    SourceFeedback,
)
from workbench.core.project.evaluation import SCORED_FIELDS, summary
from workbench.core.project.scales import Scale
from workbench.gui import style
from workbench.gui.labels import plain_label, rich_label
from workbench.gui.safe_html import plain_tooltip

_Index = QModelIndex | QPersistentModelIndex
ClaimIdRole = Qt.ItemDataRole.UserRole + 1

# Short words for the table; the long label is the tooltip. Colours: green, amber, red, grey.
OUTCOME_WORDS = {
    Outcome.AGREE: "Agree",
    Outcome.ONE_STEP: "One step off",
    Outcome.DIFFER: "Differ",
    Outcome.NOT_RATED: "Not rated",
    Outcome.NOT_IN_KEY: "Not in key",
}
OUTCOME_COLORS = {
    Outcome.AGREE: "#cdebd3",
    Outcome.ONE_STEP: "#fbe3b4",
    Outcome.DIFFER: "#f6c9c4",
    Outcome.NOT_RATED: "#e3e5e8",
    Outcome.NOT_IN_KEY: "#dde6f3",
}
OUTCOME_MARKS = {
    Outcome.AGREE: "✓",
    Outcome.ONE_STEP: "≈",
    Outcome.DIFFER: "✗",
    Outcome.NOT_RATED: "–",
    Outcome.NOT_IN_KEY: "+",
}
DETAIL_HEIGHT = 104  # pixels: the claim and two rationales of a few lines each
KAPPA_TIP = (
    "Cohen's kappa corrects agreement for chance: 1 is perfect agreement, 0 is what guessing "
    "would give, below 0 is worse than guessing."
)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


def kappa_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def one_line(text: str) -> str:
    return " ".join(text.split())


# ====================================================================== claims
COL_NUM, COL_CLAIM, COL_OUTCOME, COL_YOURS, COL_KEY, COL_YOUR_WHY, COL_KEY_WHY = range(7)
FEEDBACK_COLUMNS = (
    "#",
    "Claim",
    "Outcome",
    "Your rating",
    "Key rating",
    "Your rationale",
    "Instructor's rationale",
)


class FeedbackModel(QAbstractTableModel):
    """Claim feedback rows in article order (as compare() gives them)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[ClaimFeedback] = []
        self._colors: dict[str, str] = {}

    def set_feedback(self, items: Sequence[ClaimFeedback], scale: Scale | None) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._colors = {r.id: r.color for r in scale.ratings} if scale else {}
        self.endResetModel()

    def item(self, row: int) -> ClaimFeedback | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, claim_id: int) -> int | None:
        return next((i for i, f in enumerate(self._items) if f.claim_id == claim_id), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FEEDBACK_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return FEEDBACK_COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self._tip(item, col)  # student and key rationales: literal text
            return plain_tooltip(tip) if tip else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(item, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_NUM:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ClaimIdRole:
            return item.claim_id
        return None

    def _text(self, item: ClaimFeedback, col: int) -> str:
        if col == COL_NUM:
            return str(item.claim_id)
        if col == COL_CLAIM:
            return one_line(item.text)
        if col == COL_OUTCOME:
            return f"{OUTCOME_MARKS[item.outcome]}  {OUTCOME_WORDS[item.outcome]}"
        if col == COL_YOURS:
            return item.student_label or "—"
        if col == COL_KEY:
            return item.key_label or "—"
        if col == COL_YOUR_WHY:
            return one_line(item.student_rationale)
        return one_line(item.key_rationale)

    def _tip(self, item: ClaimFeedback, col: int) -> str:
        if col == COL_OUTCOME:
            tip = OUTCOME_LABELS[item.outcome]
            if item.step and item.outcome != Outcome.AGREE:
                tip += f" ({item.step} step{'s' if item.step > 1 else ''} apart on the scale)"
            return tip
        if col in (COL_CLAIM, COL_YOUR_WHY, COL_KEY_WHY):
            return self._text(item, col)
        return ""

    def _background(self, item: ClaimFeedback, col: int) -> QColor | None:
        if col == COL_OUTCOME:
            return QColor(OUTCOME_COLORS[item.outcome])
        rating = {COL_YOURS: item.student_rating, COL_KEY: item.key_rating}.get(col)
        if rating and rating in self._colors:
            return style.tint(self._colors[rating], style.RATED_TINT)
        return None


# ====================================================================== sources
SOURCE_COLUMNS = ("Source", "Your checklist", "Instructor's checklist", "Matching answers")


class SourceFeedbackModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[SourceFeedback] = []

    def set_sources(self, items: Sequence[SourceFeedback]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SOURCE_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return SOURCE_COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._text(item, index.column()))
        return None

    @staticmethod
    def _text(item: SourceFeedback, col: int) -> str:
        if col == 0:
            return item.url
        if col == 1:
            return summary(item.student) if item.student is not None else "Not evaluated by you"
        if col == 2:
            return summary(item.key)
        if item.student is None:
            return "—"
        return f"{len(item.matched)} of {len(SCORED_FIELDS)}" + (
            f" ({', '.join(item.matched)})" if item.matched else ""
        )


# ====================================================================== the feedback view
def _table(model: QAbstractTableModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(26)
    table.horizontalHeader().setHighlightSections(False)
    return table


class ScoreCard(QFrame):
    """One score: a big number, what it is, and a small line of detail."""

    def __init__(self, title: str, tip: str = "") -> None:
        super().__init__()
        self.setObjectName("scoreCard")
        self.setStyleSheet(
            "QFrame#scoreCard { background: #f7f9fc; border: 1px solid #dfe4ea; border-radius: 6px; }"
        )
        self.setToolTip(tip)
        # The number on the left, what it is and how it was counted beside it: two lines high.
        box = QHBoxLayout(self)
        box.setContentsMargins(10, 4, 8, 4)
        box.setSpacing(8)
        self.value = plain_label("—")
        self.value.setStyleSheet("font-size: 16pt; font-weight: 700; color: #1c2430;")
        self.value.setMinimumWidth(56)
        self.title = plain_label(title)
        self.title.setStyleSheet("font-weight: 600; color: #3a414b;")
        self.detail = plain_label()
        self.detail.setStyleSheet("color: #6b7280;")
        for label in (self.title, self.detail):
            # A narrow window clips the words instead of squeezing the docks beside it.
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(40)
        words = QVBoxLayout()
        words.setSpacing(0)
        words.addWidget(self.title)
        words.addWidget(self.detail)
        box.addWidget(self.value)
        box.addLayout(words, 1)

    def show_value(self, value: str, detail: str) -> None:
        self.value.setText(value)
        self.detail.setText(detail)


class FeedbackView(QWidget):
    """Scores on top, then claim by claim; a row's claim is selected in the window."""

    claimActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.feedback: Feedback | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)
        self.heading = rich_label()
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)

        cards = QHBoxLayout()
        cards.setSpacing(8)
        self.exact_card = ScoreCard(
            "Exact agreement", "Claims you rated exactly as the key, of all claims the key rates"
        )
        self.near_card = ScoreCard(
            "Within one step",
            "Claims you rated the same as the key or one step away on the scale",
        )
        self.kappa_card = ScoreCard("Cohen's kappa", KAPPA_TIP)
        self.source_card = ScoreCard(
            "Source evaluations",
            "Checklist answers (kind, independence, corroboration) that match the key's",
        )
        for card in (self.exact_card, self.near_card, self.kappa_card, self.source_card):
            cards.addWidget(card, 1)
        layout.addLayout(cards)

        self.model = FeedbackModel(self)
        self.table = _table(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_CLAIM, QHeaderView.ResizeMode.Stretch)
        for col, width in (
            (COL_NUM, 40),
            (COL_OUTCOME, 118),
            (COL_YOURS, 104),
            (COL_KEY, 104),
            (COL_YOUR_WHY, 190),
            (COL_KEY_WHY, 190),
        ):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

        # Both rationales in full for the selected row; a fixed height keeps the table tall.
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.setFixedHeight(DETAIL_HEIGHT)
        self.detail.setStyleSheet("QTextBrowser { background: #fafbfc; }")

        claims_tab = QWidget()
        claims_box = QVBoxLayout(claims_tab)
        claims_box.setContentsMargins(0, 4, 0, 0)
        claims_box.setSpacing(4)
        claims_box.addWidget(self.table, 1)
        claims_box.addWidget(self.detail)

        self.source_model = SourceFeedbackModel(self)
        self.source_table = _table(self.source_model)
        src_header = self.source_table.horizontalHeader()
        src_header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        self.tabs = QTabWidget()
        self.tabs.addTab(claims_tab, "Claims")
        self.tabs.addTab(self.source_table, "Sources")
        layout.addWidget(self.tabs, 1)
        self.show_feedback(None)

    def show_feedback(self, feedback: Feedback | None, scale: Scale | None = None) -> None:
        self.feedback = feedback
        if feedback is None or scale is None:
            self.heading.setText("Compare with an answer key to see your feedback here.")
            self.model.set_feedback([], None)
            self.source_model.set_sources([])
            for card in (self.exact_card, self.near_card, self.kappa_card, self.source_card):
                card.show_value("—", "")
            self.detail.setText("")
            return
        s = feedback.scores
        self.heading.setText(
            f"<b>Feedback for {escape(feedback.student)}</b> on "
            f"{escape(feedback.submission.name)} — you rated {s.rated} of the "
            f"{s.key_rated} claims the answer key rates. Click a row to see the claim."
        )
        self._show_scores(s)
        self.model.set_feedback(feedback.claims, scale)
        self.source_model.set_sources(feedback.sources)
        self.tabs.setTabText(1, f"Sources ({len(feedback.sources)})")
        self.detail.setText(
            "<span style='color:#6b7280'>Select a claim to read both rationales in full.</span>"
        )

    def mark_outdated(self) -> None:
        """Ratings changed after the comparison: say so rather than show stale scores as current."""
        note = " <span style='color:#b35c00'>You changed ratings since: compare again to update.</span>"
        if self.feedback is not None and note not in self.heading.text():
            self.heading.setText(self.heading.text() + note)

    def _show_scores(self, s: Scores) -> None:
        exact = round((s.exact or 0) * s.key_rated)
        near = round((s.within_one or 0) * s.key_rated)
        self.exact_card.show_value(percent(s.exact), f"{exact} of {s.key_rated} claims")
        self.near_card.show_value(percent(s.within_one), f"{near} of {s.key_rated} claims")
        # Students rarely know kappa: the card says how to read it, the tooltip gives the rest.
        self.kappa_card.show_value(kappa_text(s.kappa), "1 perfect · 0 chance")
        tip = f"{KAPPA_TIP}\nOver the {s.rated} claims rated by both you and the key."
        if s.weighted_kappa is not None:
            tip += f"\nWeighted by distance on the scale: {kappa_text(s.weighted_kappa)}."
        self.kappa_card.setToolTip(tip)
        compared = s.sources_compared
        self.source_card.show_value(
            percent(s.source_agreement),
            f"{compared} source{'s' if compared != 1 else ''} compared"
            if compared
            else "no source evaluated by both",
        )

    def select_claim(self, claim_id: int | None) -> None:
        """Follow the window's selection (without echoing it back)."""
        row = self.model.row_of(claim_id) if claim_id is not None else None
        selection = self.table.selectionModel()
        if row is None or selection.currentIndex().row() == row:
            return
        self.table.blockSignals(True)
        selection.blockSignals(True)
        selection.setCurrentIndex(
            self.model.index(row, 0),
            selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows,
        )
        selection.blockSignals(False)
        self.table.blockSignals(False)
        self.table.viewport().update()
        self._show_detail(row)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.model.item(current.row()) if current.isValid() else None
        if item is None:
            return
        self._show_detail(current.row())
        self.claimActivated.emit(item.claim_id)

    def _show_detail(self, row: int) -> None:
        item = self.model.item(row)
        if item is None:
            return

        def side(who: str, label: str, rationale: str) -> str:
            why = escape(rationale) if rationale.strip() else "<i>no rationale written</i>"
            return (
                f"<td width='50%' valign='top' style='padding-right:12px'>"
                f"<b>{who}: {escape(label or 'not rated')}</b><br>{why}</td>"
            )

        color = OUTCOME_COLORS[item.outcome]
        self.detail.setText(
            f"<p><span style='background:{color}'>&nbsp;{OUTCOME_LABELS[item.outcome]}&nbsp;"
            f"</span> &nbsp;<b>Claim {item.claim_id}:</b> {escape(one_line(item.text))}</p>"
            "<table width='100%'><tr>"
            + side("You", item.student_label, item.student_rationale)
            + side("Instructor", item.key_label, item.key_rationale)
            + "</tr></table>"
        )


# ====================================================================== class results
CLASS_HEADERS = (
    "Student",
    "File",
    "Rated",
    "Exact",
    "Within one",
    "Kappa",
    "Source agreement",
)


class ClassResultsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[ClassRow] = []

    def set_rows(self, rows: Sequence[ClassRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CLASS_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return CLASS_HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == 5:
            return KAPPA_TIP
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(row: ClassRow, col: int) -> str:
        values = (
            row.student,
            row.file,
            f"{row.rated} of {row.key_rated}",
            percent(row.exact),
            percent(row.within_one),
            kappa_text(row.kappa),
            percent(row.source_agreement),
        )
        return values[col]


class ClassResultsView(QWidget):
    """The class table, the files set aside with their reasons, and Export CSV…."""

    exportRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.heading = plain_label()
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.model = ClassResultsModel(self)
        self.table = _table(self.model)
        self.table.setSortingEnabled(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 3)
        self.refused_title = rich_label("<b>Not graded</b>")
        self.refused = QListWidget()
        self.refused.setWordWrap(True)
        layout.addWidget(self.refused_title)
        layout.addWidget(self.refused, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.clicked.connect(self.exportRequested)
        row.addWidget(self.export_button)
        layout.addLayout(row)

    def show_results(self, rows: Sequence[ClassRow], refused: Sequence[Refused]) -> None:
        self.model.set_rows(rows)
        graded = len(rows)
        self.heading.setText(
            f"{graded} submission{'s' if graded != 1 else ''} graded"
            + (f", {len(refused)} set aside (see below)." if refused else ".")
        )
        self.refused.clear()
        for item in refused:
            # Core's reasons usually name the file already; say it once.
            name = item.file.name
            self.refused.addItem(item.reason if name in item.reason else f"{name} — {item.reason}")
        self.refused_title.setVisible(bool(refused))
        self.refused.setVisible(bool(refused))
        self.export_button.setEnabled(bool(rows))
