"""The claim panel: one claim in context, its verdict, rationale, status, sources and history.

The panel only shows data and emits what the person asked for; MainWindow turns the signals
into undoable edits. The rationale is saved when focus leaves the box and after each pause in
typing. Saving never touches the box: only a change made elsewhere (undo from the menu, another
window) replaces its text. The saves of one typing session share a session number, so the
window merges them into one undo step; Ctrl+Z in the box undoes typing as a text box does and,
when the box has nothing left to undo, goes on to the window's undo stack.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QStandardItem,
    QStandardItemModel,
    QTextCursor,
    QTextDocument,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.project.records import (
    STATUS_LABELS,
    STATUSES,
    ClaimRecord,
    ClaimSource,
    EventRecord,
    VerdictRecord,
)
from workbench.core.project.scales import Scale
from workbench.core.project.verdict_log import describe_verdicts
from workbench.gui import style
from workbench.gui.claims.model import ClaimsModel
from workbench.gui.labels import plain_label, rich_label
from workbench.gui.safe_html import plain_tooltip
from workbench.gui.wrapping import WrappingDelegate

if TYPE_CHECKING:
    from workbench.core.project.store import Project

RATIONALE_PAUSE_MS = 1500
MIN_WIDTH = 320  # the verdict buttons two by two, readable
HISTORY_MIN_HEIGHT = 72  # pixels: the header and two entries; the stretch gives it more
SOURCES_MAX_HEIGHT = 92  # pixels: two sources with notes; more scroll
CONTEXT_CHARS = 150  # of each neighbouring sentence shown around the claim
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ClaimView:
    """Everything the panel shows for one claim (gather_view)."""

    claim: ClaimRecord
    before: str  # the sentence(s) just before, for context
    after: str
    quotes: tuple[tuple[str, str | None], ...]  # (quoted text, speaker)
    sources: tuple[ClaimSource, ...]
    verdicts: tuple[VerdictRecord, ...]
    events: tuple[EventRecord, ...]


def gather_view(
    project: Project, text: str, model: ClaimsModel, claim_id: int, on_error: Callable[[str], Any]
) -> ClaimView | None:
    """What the panel shows for a claim of the open article; a store error is passed to
    `on_error` and the claim is shown without its sources and history."""
    claim = model.claim(claim_id)
    if claim is None:
        return None
    before, after = model.neighbours(claim_id)
    try:
        sources = tuple(project.claim_sources(claim_id))
        verdicts = tuple(project.verdicts(claim_id))
        events = tuple(project.history(claim_id))
    except WorkbenchError as exc:
        on_error(str(exc))
        sources, verdicts, events = (), (), ()
    return ClaimView(
        claim=claim,
        before=_context(text, before, claim, before_side=True),
        after=_context(text, after, claim, before_side=False),
        quotes=tuple((text[q.start : q.end], q.speaker) for q in claim.quotes),
        sources=sources,
        verdicts=verdicts,
        events=events,
    )


def _context(
    text: str, neighbour: ClaimRecord | None, claim: ClaimRecord, *, before_side: bool
) -> str:
    """The neighbouring sentence when it is in the same paragraph, for reading the claim."""
    if neighbour is None:
        return ""
    gap = text[neighbour.end : claim.start] if before_side else text[claim.end : neighbour.start]
    if "\n\n" in gap or len(gap) > 40:
        return ""
    sentence = " ".join(text[neighbour.start : neighbour.end].split())
    if len(sentence) <= CONTEXT_CHARS:
        return sentence
    # Keep the end of the sentence before and the start of the one after: nearest the claim.
    if before_side:
        return "…" + sentence[-CONTEXT_CHARS:].split(" ", 1)[-1]
    return sentence[:CONTEXT_CHARS].rsplit(" ", 1)[0] + "…"


def local_time(iso: str | None) -> str:
    """UTC ISO 8601 as the person's local time, to the minute."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class SourcesModel(QAbstractListModel):
    """The sources of the shown claim: relation, title or address, note."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[ClaimSource] = []

    def set_sources(self, items: Sequence[ClaimSource]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def source_at(self, row: int) -> ClaimSource | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            name = item.source.title or item.source.url
            line = f"{item.relation.upper()}  {name}"
            return f"{line}\n    {item.note}" if item.note else line
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{item.source.url}\nDouble-click to open in your browser")
        return None


class RationaleEdit(QPlainTextEdit):
    """Commits on focus-out; the panel also commits after a pause in typing.

    Undo and redo keys work on the box's own typing first; when it has none left they are
    passed on (undoBeyond, redoBeyond), so the saved edits before it are reached too."""

    focusLeft = Signal(bool)  # True when the person went elsewhere (not a menu or another app)
    undoBeyond = Signal()
    redoBeyond = Signal()
    escaped = Signal()  # Escape: done writing (R came in; J/K, 1-9 need the keys back)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        passing = event.reason() in (
            Qt.FocusReason.PopupFocusReason,
            Qt.FocusReason.ActiveWindowFocusReason,
        )
        self.focusLeft.emit(not passing)

    def event(self, event: QEvent) -> bool:
        # The box claims Undo and Redo so the window's actions never take them from it.
        if event.type() == QEvent.Type.ShortcutOverride and _undo_or_redo(event) is not None:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        which = _undo_or_redo(event)
        document = self.document()
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.escaped.emit()
        elif which == "undo" and not document.isUndoAvailable():
            self.undoBeyond.emit()
        elif which == "redo" and not document.isRedoAvailable():
            self.redoBeyond.emit()
        else:
            super().keyPressEvent(event)


def _undo_or_redo(event: QEvent) -> str | None:
    if not isinstance(event, QKeyEvent):
        return None
    if event.matches(QKeySequence.StandardKey.Undo):
        return "undo"
    if event.matches(QKeySequence.StandardKey.Redo):
        return "redo"
    return None


class _HistoryView(QTreeView):
    """Asks for no more than its minimum: the panel's layout sizes by preferred heights (its
    labels wrap), and a tree view's usual preference pushed the history below the panel's
    bottom edge at 1400×900. The stretch still gives it all the room left."""

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), HISTORY_MIN_HEIGHT)


class ClaimPanel(QScrollArea):
    verdictChosen = Signal(int, object)  # claim id, rating id or None
    rationaleCommitted = Signal(int, str)
    statusChosen = Signal(int, str, str)  # claim id, status, note
    addSourceRequested = Signal()
    editSourceRequested = Signal(object)  # ClaimSource
    removeSourceRequested = Signal(object)
    openUrlRequested = Signal(str)
    editWordingRequested = Signal()
    doneWriting = Signal()  # Escape in the rationale: the keys go back to the claims

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._claim: ClaimRecord | None = None
        self._scale: Scale | None = None
        self._saved_rationale = ""  # the stored rationale the box last agreed with
        self._session = 0  # saves with the same number merge into one undo step
        self._undo_stack: QUndoStack | None = None
        self._buttons: dict[str, QPushButton] = {}
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(RATIONALE_PAUSE_MS)
        self._pause.timeout.connect(self.commit_rationale)
        self._build()
        self.show_view(None)

    # ------------------------------------------------------------------ layout
    def minimumSizeHint(self) -> QSize:
        """As narrow as the content allows, never narrower (the verdict buttons two by two,
        "Edit wording…" beside the title): a fixed 320 px let a narrowed window clip the
        buttons' second column and the title row at the dock's edge."""
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        bar = self.verticalScrollBar().sizeHint().width()
        width = inner.minimumSizeHint().width() + bar + 2 * self.frameWidth()
        return QSize(max(MIN_WIDTH, width), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The content's minimum changes with what it shows (a feature's section, a claim):
        # the dock re-reads it, or it keeps the first one it measured.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def _build(self) -> None:
        body = QWidget()
        self.setWidget(body)
        body.installEventFilter(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)

        self.title = plain_label(objectName="panelTitle")
        self.meta = plain_label(objectName="panelMeta", wordWrap=True)
        self.context = rich_label(objectName="context", wordWrap=True)
        self.context.setTextFormat(Qt.TextFormat.RichText)
        self.context.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.quotes = rich_label(wordWrap=True)
        self.quotes.setTextFormat(Qt.TextFormat.RichText)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        self.wording_button = QPushButton("Edit wording…")
        self.wording_button.setToolTip("Change the claim as it will be checked (F2)")
        self.wording_button.clicked.connect(self.editWordingRequested)
        head.addWidget(self.wording_button)
        layout.addLayout(head)
        layout.addWidget(self.meta)
        layout.addWidget(self.context)
        layout.addWidget(self.quotes)

        layout.addWidget(_section("Verdict  (keys 1–9, 0 clears)"))
        self.verdict_grid = QGridLayout()
        self.verdict_grid.setSpacing(4)
        layout.addLayout(self.verdict_grid)

        layout.addWidget(_section("Rationale"))
        self.rationale = RationaleEdit()
        self.rationale.setPlaceholderText(
            "Why this verdict? What did the sources show? Saved as you type."
        )
        self.rationale.setFixedHeight(78)
        self.rationale.setTabChangesFocus(True)
        self.rationale.textChanged.connect(self._rationale_typed)
        self.rationale.focusLeft.connect(self._rationale_left)
        self.rationale.undoBeyond.connect(lambda: self._step_stack(undo=True))
        self.rationale.redoBeyond.connect(lambda: self._step_stack(undo=False))
        self.rationale.escaped.connect(self.doneWriting)
        layout.addWidget(self.rationale)

        status_row = QHBoxLayout()
        status_row.addWidget(plain_label("Status"))
        self.status = QComboBox()
        for s in STATUSES:
            self.status.addItem(STATUS_LABELS[s], s)
        self.status.activated.connect(self._status_picked)
        status_row.addWidget(self.status, 1)
        layout.addLayout(status_row)
        self.status_note = QLineEdit()
        self.status_note.setPlaceholderText("Why it was returned: what needs fixing")
        self.status_note.editingFinished.connect(self._status_note_done)
        layout.addWidget(self.status_note)

        layout.addWidget(_section("Sources"))
        sources_head = QHBoxLayout()
        self.add_source_button = QPushButton("Add…")
        self.add_source_button.setToolTip("Attach a source (Ctrl+L)")
        self.add_source_button.clicked.connect(self.addSourceRequested)
        self.edit_source_button = QPushButton("Edit…")
        self.edit_source_button.clicked.connect(lambda: self._with_source(self.editSourceRequested))
        self.remove_source_button = QPushButton("Remove")
        self.remove_source_button.clicked.connect(
            lambda: self._with_source(self.removeSourceRequested)
        )
        self.open_source_button = QPushButton("Open")
        self.open_source_button.setToolTip("Open the source in your browser")
        self.open_source_button.clicked.connect(self._open_selected)
        for b in (
            self.add_source_button,
            self.edit_source_button,
            self.remove_source_button,
            self.open_source_button,
        ):
            sources_head.addWidget(b)
        sources_head.addStretch(1)
        self.sources_model = SourcesModel(self)
        self.sources = QListView()
        self.sources.setModel(self.sources_model)
        self.sources.setWordWrap(True)
        self.sources.doubleClicked.connect(lambda _i: self._open_selected())
        self.sources.selectionModel().selectionChanged.connect(self._update_source_buttons)
        layout.addWidget(self.sources)
        self.no_sources = plain_label("No sources yet: Ctrl+L adds one.", objectName="hint")
        layout.addWidget(self.no_sources)
        layout.addLayout(sources_head)

        layout.addWidget(_section("History"))
        self.history_model = QStandardItemModel(0, 3, self)
        self.history_model.setHorizontalHeaderLabels(["When", "Who", "What"])
        self.history = _HistoryView()
        self.history.setModel(self.history_model)
        self.history.setRootIsDecorated(False)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setMinimumHeight(HISTORY_MIN_HEIGHT)
        # What happened is the long column: it wraps, so no entry is cut off with "…".
        self.history.setItemDelegateForColumn(2, WrappingDelegate(self.history))
        header = self.history.header()
        header.setStretchLastSection(True)
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.history, 1)

        self.empty = plain_label(
            "Select a claim: click a highlight in the article, or a row in the table.\n"
            "J / K move between claims, N jumps to the next unchecked one.",
            objectName="hint",
            wordWrap=True,
        )
        layout.addWidget(self.empty)

    def set_scale(self, scale: Scale) -> None:
        self._scale = scale
        while self.verdict_grid.count():
            item = self.verdict_grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self._buttons.clear()
        for i, rating in enumerate(scale.ratings):
            key = f"{i + 1}" if i < 9 else ""
            button = QPushButton(f"{key}   {rating.label}" if key else rating.label)
            button.setObjectName("verdictButton")
            button.setCheckable(True)
            button.setToolTip(plain_tooltip(rating.description or rating.label))
            button.setStyleSheet(_verdict_button_css(rating.color))
            button.clicked.connect(lambda _checked=False, r=rating.id: self._rate(r))
            self.verdict_grid.addWidget(button, i // 2, i % 2)
            self._buttons[rating.id] = button

    # ------------------------------------------------------------------ showing
    def claim_id(self) -> int | None:
        return self._claim.id if self._claim else None

    def show_view(self, view: ClaimView | None) -> None:
        """Show a claim (or the empty state). A pending rationale is committed first."""
        same_claim = (
            view is not None and self._claim is not None and view.claim.id == self._claim.id
        )
        if self._claim and not same_claim:
            self.commit_rationale()
        has = view is not None
        for w in self._claim_widgets():
            w.setVisible(has)
        self.empty.setVisible(not has)
        if view is None:
            self._claim = None
            return
        c = view.claim
        self._claim = c
        self.title.setText(f"Claim {c.id}")
        self.meta.setText(f"{c.kind} · check-worthiness {c.score:.2f} · {_reasons_summary(c)}")
        self.meta.setToolTip("\n".join(c.reasons))
        self.context.setText(_context_html(view))
        self.quotes.setVisible(bool(view.quotes))
        self.quotes.setText(_quotes_html(view.quotes))
        for rid, button in self._buttons.items():
            button.setChecked(rid == c.rating)
        self._show_rationale(c.rationale, same_claim)
        self.status.setCurrentIndex(max(0, self.status.findData(c.status)))
        self.status_note.setVisible(c.status == "returned")
        if not self.status_note.hasFocus():
            self.status_note.setText(c.status_note)
        self.sources_model.set_sources(view.sources)
        # An empty list is only room taken from the history: the hint says it instead.
        self.sources.setVisible(bool(view.sources))
        self.no_sources.setVisible(not view.sources)
        self._fit_sources()
        self._update_source_buttons()
        self._fill_history(view)

    def _fit_sources(self) -> None:
        """As tall as its sources (up to two with notes): the space left goes to the history."""
        view = self.sources
        width = max(view.viewport().width() - 8, 80)
        metrics = view.fontMetrics()
        flags = Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextWrapAnywhere
        lines = 0
        for row in range(self.sources_model.rowCount()):
            text = str(self.sources_model.index(row).data(Qt.ItemDataRole.DisplayRole) or "")
            for part in text.split("\n"):
                box = metrics.boundingRect(0, 0, width, 100_000, flags, part)
                lines += max(1, round(box.height() / metrics.lineSpacing()))
        wanted = lines * metrics.lineSpacing() + 2 * view.frameWidth() + 6
        view.setFixedHeight(max(32, min(wanted, SOURCES_MAX_HEIGHT)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.sources.isVisible():
            self._fit_sources()

    def _claim_widgets(self) -> list[QWidget]:
        body = self.widget()
        return [w for w in body.findChildren(QWidget) if w.parent() is body and w is not self.empty]

    def _show_rationale(self, stored: str, same_claim: bool) -> None:
        """Load the box for a new claim; for the same claim, replace its text only when the
        stored rationale changed elsewhere. A save of what is typed leaves cursor, selection,
        scroll and the box's own undo alone."""
        typed = self.rationale.toPlainText()
        if same_claim and (stored == self._saved_rationale or stored == typed.strip()):
            self._saved_rationale = stored
            return
        if not same_claim:
            self.end_typing_session()
        self._saved_rationale = stored
        self.rationale.blockSignals(True)
        self.rationale.setPlainText(stored)
        self.rationale.moveCursor(QTextCursor.MoveOperation.End)
        self.rationale.blockSignals(False)
        self._pause.stop()

    def _fill_history(self, view: ClaimView) -> None:
        model = self.history_model
        model.removeRows(0, model.rowCount())
        rows: list[tuple[str, int, str, str]] = []
        for change in describe_verdicts(view.verdicts, self._label):
            rows.append((change.at, change.id, change.who, change.words))
        for e in view.events:
            if e.action != "verdict":
                rows.append((e.at, e.id, e.actor, _event_words(e)))
        for at, _id, who, what in sorted(rows, key=lambda r: (r[0], r[1]), reverse=True):
            items = [QStandardItem(local_time(at)), QStandardItem(who), QStandardItem(what)]
            items[2].setToolTip(what)
            model.appendRow(items)

    def _label(self, rating: str) -> str:
        for r in self._scale.ratings if self._scale else ():
            if r.id == rating:
                return r.label
        return rating

    # ------------------------------------------------------------------ gestures
    def _rate(self, rating: str) -> None:
        if self._claim is None:
            return
        self.commit_rationale()
        current = self._claim.rating
        # Clicking the current verdict again keeps it (and keeps the button checked).
        self._buttons[rating].setChecked(True)
        if rating != current:
            self.verdictChosen.emit(self._claim.id, rating)

    def _rationale_typed(self) -> None:
        self._pause.start()

    def commit_rationale(self) -> None:
        self._pause.stop()
        if self._claim is None:
            return
        text = self.rationale.toPlainText().strip()
        if text != self._claim.rationale.strip():
            self.rationaleCommitted.emit(self._claim.id, text)

    def typing_session(self) -> int:
        """The number the window gives this save's undo command: same number, one step."""
        return self._session

    def end_typing_session(self) -> None:
        """Later typing is a new undo step. The box's own undo history goes too, so Ctrl+Z in
        the box never takes back by hand what the window's undo stack holds as a step (its
        redo history stays: redone typing is simply saved as a new step)."""
        self._session += 1
        self.rationale.document().clearUndoRedoStacks(QTextDocument.Stacks.UndoStack)

    def follow_undo_stack(self, stack: QUndoStack) -> None:
        """Undo/redo keys in the box reach this stack; any other edit on it ends a session."""
        self._undo_stack = stack
        stack.indexChanged.connect(self._stack_moved)

    def _stack_moved(self, index: int) -> None:
        stack = self._undo_stack
        top = stack.command(index - 1) if stack is not None and index > 0 else None
        ours = (
            top is not None
            and getattr(top, "session", None) == self._session
            and getattr(top, "claim_id", None) == self.claim_id()
        )
        if not ours:
            self.end_typing_session()

    def _rationale_left(self, gone: bool) -> None:
        self.commit_rationale()
        if gone:
            self.end_typing_session()

    def _step_stack(self, *, undo: bool) -> None:
        """Ctrl+Z / Ctrl+Shift+Z in the box with no typing left to undo or redo there."""
        self.commit_rationale()
        stack = self._undo_stack
        if stack is None:
            return
        if undo and stack.canUndo():
            # Redo now means the stack's step first: the box's own redo history would jump it.
            self.rationale.document().clearUndoRedoStacks(QTextDocument.Stacks.RedoStack)
            stack.undo()
        elif not undo and stack.canRedo():
            stack.redo()

    def _status_picked(self, index: int) -> None:
        if self._claim is None:
            return
        status = str(self.status.itemData(index))
        self.status_note.setVisible(status == "returned")
        if status != self._claim.status:
            note = self.status_note.text().strip() if status == "returned" else ""
            self.statusChosen.emit(self._claim.id, status, note)
            if status == "returned":
                self.status_note.setFocus()

    def _status_note_done(self) -> None:
        c = self._claim
        note = self.status_note.text().strip()
        if c is not None and c.status == "returned" and note != c.status_note:
            self.statusChosen.emit(c.id, "returned", note)

    def selected_source(self) -> ClaimSource | None:
        rows = self.sources.selectionModel().selectedRows()
        if rows:
            return self.sources_model.source_at(rows[0].row())
        if self.sources_model.rowCount() == 1:
            return self.sources_model.source_at(0)
        return None

    def _with_source(self, signal: Any) -> None:
        source = self.selected_source()
        if source is not None:
            signal.emit(source)

    def _open_selected(self) -> None:
        source = self.selected_source()
        if source is not None:
            self.openUrlRequested.emit(source.source.url)

    def _update_source_buttons(self, *_args: Any) -> None:
        has = self.selected_source() is not None
        for b in (self.edit_source_button, self.remove_source_button, self.open_source_button):
            b.setEnabled(has)


def _reasons_summary(c: ClaimRecord) -> str:
    """'number ×2, named entity ×5, date · model: word choice +1.5, wording +0.6': the kinds
    of signal (not every match), then the check-worthiness model's main contributions."""
    if not c.reasons:
        return "no signs of a checkable claim"
    counts: dict[str, int] = {}
    model: list[str] = []
    for reason in c.reasons:
        if reason.startswith("model: "):
            model.append(reason.removeprefix("model: "))
            continue
        kind = reason.split(":", 1)[0].strip()
        counts[kind] = counts.get(kind, 0) + 1
    signals = ", ".join(k if n == 1 else f"{k} ×{n}" for k, n in counts.items())
    if not model:
        return signals
    return " · ".join(part for part in (signals, "model: " + ", ".join(model)) if part)


def _section(text: str) -> QLabel:
    return plain_label(text, objectName="sectionTitle")


def _verdict_button_css(color: str) -> str:
    soft = style.tint(color, 0.78).name()
    border = style.tint(color, 0.35).name()
    return (
        f"QPushButton {{ background: {soft}; border: 1px solid {border}; color: #1d2129; }}"
        f"QPushButton:hover {{ background: {style.tint(color, 0.6).name()}; }}"
        f"QPushButton:checked {{ background: {color}; color: {style.text_on(color)};"
        f" border: 2px solid #1d2129; font-weight: 700; }}"
    )


def _context_html(view: ClaimView) -> str:
    muted = style.MUTED_TEXT
    parts = []
    if view.before:
        parts.append(f'<span style="color:{muted}">{html.escape(view.before)}</span>')
    parts.append(f'<span style="color:#111"><b>{html.escape(view.claim.text)}</b></span>')
    if view.after:
        parts.append(f'<span style="color:{muted}">{html.escape(view.after)}</span>')
    return " ".join(parts)


def _quotes_html(quotes: Sequence[tuple[str, str | None]]) -> str:
    rows = []
    for text, speaker in quotes:
        who = html.escape(speaker) if speaker else "<i>speaker unknown</i>"
        said = html.escape(text.strip("“”\"' "))
        rows.append(f"<b>Quote</b> ({who}): “{said}”")
    return "<br>".join(rows)


def _event_words(e: EventRecord) -> str:
    d = e.detail
    if e.action == "status":
        note = f": {d['note']}" if d.get("note") else ""
        return f"Status {STATUS_LABELS.get(d.get('from', ''), d.get('from', '?'))} → " + (
            f"{STATUS_LABELS.get(d.get('to', ''), d.get('to', '?'))}{note}"
        )
    if e.action == "source":
        return f"Source {d.get('relation', '')}: {d.get('url', '')}"
    if e.action == "unsource":
        return f"Source {e.source_id} removed"
    if e.action == "edit":
        return f"Wording changed to “{d.get('to', '')}”"
    if e.action == "span":
        return "Span moved"
    if e.action == "split":
        return f"Split; second part is claim {d.get('new_claim')}"
    if e.action == "merge":
        return f"Merged with claim {d.get('merged')}"
    if e.action == "score":
        return f"Re-scored: {d.get('kind')} {float(d.get('score', 0)):.2f}"
    if e.action == "add":
        origin = d.get("split_from")
        return f"Split off claim {origin}" if origin else "Claim made from a selection"
    return e.action.capitalize()
