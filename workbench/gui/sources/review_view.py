"""The review pane: a claim in its article context beside the archived copy of a source.

Left: the claim's sentence highlighted among its neighbours, and each quotation with the result
of checking it against the selected source (verbatim, with differences as a word diff, or not
found). Right: which source, which archive and when, a warning when the copy is not what the
article saw, and the source's readable text with the passages most relevant to the claim
highlighted and stepped through with Previous/Next.

Nothing archived is executed or fetched: the readable text is plain text with formats applied
through QTextCursor, and the optional "original page" view is nh3-sanitised HTML in a
SafeTextBrowser (see safe_html.py). Network work is never done here: "Fetch"/"Retry" emit
fetchRequested(source_id) for the main window to run in a worker.
"""

from __future__ import annotations

import html
from bisect import bisect_left
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QMouseEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.net.urls import is_web_url
from workbench.core.project.records import ClaimRecord, ClaimSource, SnapshotRecord, SourceRecord
from workbench.core.project.store import Project
from workbench.core.sources.evidence import QuoteCheck, term_spans
from workbench.gui.labels import plain_label, rich_label
from workbench.gui.safe_html import (
    SafeTextBrowser,
    open_in_desktop,
    plain_tooltip,
    sanitize_html,
)
from workbench.gui.sources import review_model as rm
from workbench.gui.sources.compare_pane import ComparePane

# Colours: yellow family for "relevant to the claim", green/orange for quotation matches.
CLAIM_BG = "#d6e4f7"
PASSAGE_BG = "#fff5cc"
CURRENT_BG = "#ffe27a"
TERM_BG = "#ffc21a"
QUOTE_BG = {"verbatim": "#b8ecc4", "differs": "#ffcfae"}
STATUS_COLOR = {"verbatim": "#1a7f37", "differs": "#b35900", "not_found": "#c01c28"}
DELETED = "color:#c01c28; background:#ffebe9; text-decoration:line-through"
INSERTED = "color:#116329; background:#d6f5dc; font-weight:600"
WARNING_STYLE = (
    "QLabel { background:#fff1d6; border:1px solid #e0a030; border-left:5px solid #d08000;"
    " border-radius:3px; padding:6px 8px; color:#3d2a00; font-weight:600; }"
)
LIVE_STYLE = (
    WARNING_STYLE.replace("#fff1d6", "#fde2e1")
    .replace("#d08000", "#c01c28")
    .replace("#e0a030", "#e59a97")
)
READING_FONT = "DejaVu Serif"
ASYNC_CHARS = 60_000  # longer sources are analysed in a worker so the UI never stalls


def _swatch(color: str, label: str, bold: bool = False) -> str:
    weight = "font-weight:600;" if bold else ""
    return f"<span style='background:{color};{weight}'>&nbsp;{html.escape(label)}&nbsp;</span>"


class _Positions:
    """Python string offsets to QTextDocument positions, which count UTF-16 code units."""

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def __call__(self, offset: int) -> int:
        return offset + bisect_left(self._astral, offset)


def _display_text(text: str) -> str:
    # Same length as the original, so offsets from the core stay valid on screen.
    return text.replace("\r\n", " \n").replace("\r", "\n")


def _format(
    background: str | None = None, bold: bool = False, underline: bool = False
) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if background:
        fmt.setBackground(QColor(background))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if underline:
        fmt.setFontUnderline(True)
    return fmt


def _apply(view: QTextBrowser, pos: _Positions, start: int, end: int, fmt: QTextCharFormat) -> None:
    cursor = QTextCursor(view.document())
    cursor.setPosition(pos(start))
    cursor.setPosition(pos(end), QTextCursor.MoveMode.KeepAnchor)
    cursor.mergeCharFormat(fmt)


def _set_plain(view: QTextBrowser, text: str) -> None:
    """Replace the text with unformatted text. setPlainText alone gives the new text the
    format under the old cursor, so the last claim's shading spread over the next context."""
    view.setCurrentCharFormat(QTextCharFormat())
    view.setPlainText(text)
    cursor = QTextCursor(view.document())
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.setCharFormat(QTextCharFormat())


def _scroll_to(view: QTextBrowser, position: int) -> None:
    """Put the cursor at `position` and scroll so it sits a quarter down the view."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    view.setTextCursor(cursor)
    bar = view.verticalScrollBar()
    bar.setValue(bar.value() + view.cursorRect(cursor).top() - view.viewport().height() // 4)


def _reading_view(object_name: str) -> SafeTextBrowser:
    view = SafeTextBrowser()
    view.setObjectName(object_name)
    view.document().setUndoRedoEnabled(False)
    font = QFont(READING_FONT)
    font.setPointSize(11)
    view.setFont(font)
    view.document().setDocumentMargin(12)
    return view


def diff_html(check: QuoteCheck) -> str:
    """A word-level diff as rich text: the article's words struck red, the source's green.
    Every piece of text is escaped: both sides come from outside the program."""
    pieces: list[str] = []
    for op, claim_part, source_part in check.diff:
        claim_html, source_html = html.escape(claim_part), html.escape(source_part)
        if op == "equal":
            pieces.append(claim_html)
        elif op == "gap":
            pieces.append(f"<span style='color:#6b7280'>{claim_html}</span>")
        else:
            if claim_part:
                pieces.append(f"<span style='{DELETED}'>{claim_html}</span>")
            if source_part:
                pieces.append(f"<span style='{INSERTED}'>{source_html}</span>")
    return " ".join(pieces)


def differing_spans(check: QuoteCheck, source_text: str) -> list[tuple[int, int]]:
    """Where the source's own words of a "differs" match are, so they can be marked in the
    source as on the left. The diff holds substrings in order; find each after the last."""
    if check.status != "differs" or check.start is None or check.end is None:
        return []
    spans: list[tuple[int, int]] = []
    position = check.start
    for op, _claim_part, source_part in check.diff:
        if not source_part:
            continue
        found = source_text.find(source_part, position, check.end)
        if found < 0:
            continue
        if op in ("replace", "insert"):
            spans.append((found, found + len(source_part)))
        position = found + len(source_part)
    return spans


def _inserted_format() -> QTextCharFormat:
    fmt = _format("#d6f5dc", bold=True)
    fmt.setForeground(QColor("#116329"))
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    fmt.setUnderlineColor(QColor("#116329"))
    return fmt


def status_html(check: QuoteCheck | None, checked_against: bool, pending: bool) -> str:
    if pending:
        return "<span style='color:#6b7280'>Checking…</span>"
    if not checked_against:
        return "<span style='color:#6b7280'>Not checked: no archived copy of the source</span>"
    if check is None:
        return "<span style='color:#6b7280'>Nothing to check in this quotation</span>"
    color = STATUS_COLOR[check.status]
    words = {
        "verbatim": "✓ Found verbatim in the source",
        "differs": f"≠ Found with differences ({round(check.similarity * 100)}% alike)",
        "not_found": "✗ Not found in the source",
    }[check.status]
    return f"<b style='color:{color}'>{words}</b>"


class QuoteCard(QFrame):
    """One quotation and its check; clicking it shows the match in the source."""

    clicked = Signal(int)

    def __init__(
        self,
        index: int,
        item: rm.QuoteItem,
        check: QuoteCheck | None,
        *,
        checked_against: bool,
        pending: bool = False,
    ) -> None:
        super().__init__()
        self.index = index
        self.check = check
        self.status = "pending" if pending else (check.status if check else "unchecked")
        self.setObjectName("quoteCard")
        border = STATUS_COLOR.get(self.status, "#c9ced6")
        self.setStyleSheet(
            f"QFrame#quoteCard {{ background:#ffffff; border:1px solid #dfe3e8;"
            f" border-left:4px solid {border}; border-radius:3px; }}"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 8, 6)
        layout.setSpacing(3)
        self.status_label = self._rich(status_html(check, checked_against, pending))
        layout.addWidget(self.status_label)
        if check is not None and check.status == "differs":
            body = f"“{diff_html(check)}”"
        else:
            body = f"“{html.escape(item.text)}”"
        self.quote_label = self._rich(body)
        self.quote_label.setFont(QFont(READING_FONT))
        layout.addWidget(self.quote_label)
        if item.speaker:
            who = plain_label(f"— {item.speaker}")
            who.setTextFormat(Qt.TextFormat.PlainText)
            who.setStyleSheet("color:#5f6670")
            layout.addWidget(who)
        self.clickable = check is not None and check.start is not None
        if self.clickable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setToolTip("Show this quotation in the source")

    @staticmethod
    def _rich(text: str) -> QLabel:
        label = rich_label(text)
        label.setTextFormat(Qt.TextFormat.RichText)  # built by us from escaped parts
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        return label

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.clickable and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.index)
        super().mouseReleaseEvent(event)


class _AnalysisSignals(QObject):
    done = Signal(int, object)  # generation, SourceAnalysis


class _AnalysisJob(QRunnable):
    """Passage ranking and quote checks for a long source, off the UI thread (strings only:
    the Project connection never crosses threads)."""

    def __init__(
        self, generation: int, claim_text: str, quotes: tuple[rm.QuoteItem, ...], text: str
    ) -> None:
        super().__init__()
        self.signals = _AnalysisSignals()
        self._args = (claim_text, quotes, text)
        self._generation = generation

    def run(self) -> None:
        self.signals.done.emit(self._generation, rm.analyse(*self._args))


class ReviewView(QWidget):
    """Claim and archived source side by side. See module docstring."""

    fetchRequested = Signal(int)  # source id whose snapshot should be fetched (or re-fetched)
    livePageRequested = Signal(int, int)  # source id, snapshot id: compare with the live page
    pageChanged = Signal(str)  # "readable", "original" or "changes"
    captureRequested = Signal(int)  # source id of a live copy the user wants archived
    sourceChanged = Signal(int)  # source id now shown, 0 when none

    def __init__(
        self, parent: QWidget | None = None, *, open_url: Callable[[str], object] | None = None
    ) -> None:
        super().__init__(parent)
        self._open_url = open_url or open_in_desktop
        self._project: Project | None = None
        self._claim: ClaimRecord | None = None
        self._quotes: tuple[rm.QuoteItem, ...] = ()
        self._sources: list[ClaimSource] = []
        self._source_id = 0
        self._snapshot: SnapshotRecord | None = None
        self._source_text = ""
        self._positions = _Positions("")
        self._analysis: rm.SourceAnalysis | None = None
        self._passage_index = -1
        self._generation = 0
        self._jobs: dict[int, _AnalysisJob] = {}
        self._original_for = 0  # snapshot id whose original page is loaded
        self._changes: tuple[int, tuple[int, int] | None] | None = None  # source, pair shown
        self._build()
        self._show_nothing("Select a claim to review it against its sources.")

    # ------------------------------------------------------------------ public API
    @property
    def passages(self) -> tuple[rm.ScoredPassage, ...]:
        return self._analysis.passages if self._analysis else ()

    @property
    def quote_checks(self) -> tuple[QuoteCheck | None, ...]:
        return self._analysis.checks if self._analysis else ()

    @property
    def passage_index(self) -> int:
        return self._passage_index

    @property
    def current_source_id(self) -> int:
        return self._source_id

    @property
    def claim_id(self) -> int | None:
        return self._claim.id if self._claim else None

    def set_project(self, project: Project | None) -> None:
        """Show claims of `project` (None clears the pane). Does not select a claim."""
        self._project = project
        self._article_text = project.article().text if project else ""
        self._source_id = 0
        self.show_claim(None)

    def show_claim(self, claim_id: int | None) -> None:
        """Show claim `claim_id` with its first source that has a snapshot (None clears)."""
        keep = self._source_id if self._claim and self._claim.id == claim_id else 0
        self._claim = None
        if self._project is None or claim_id is None:
            self._show_nothing("Select a claim to review it against its sources.")
            return
        try:
            self._claim = self._project.claim(claim_id)
            self._sources = self._project.claim_sources(claim_id)
        except WorkbenchError as err:
            self._show_nothing(str(err))
            return
        self._quotes = rm.quote_items(self._article_text, self._claim)
        self._show_context(self._claim)
        self._fill_source_picker()
        self.select_source(keep or self._default_source())

    def refresh(self) -> None:
        """Re-read the current claim and source, e.g. after a fetch, WARC import or edit."""
        self.show_claim(self._claim.id if self._claim else None)

    def select_source(self, source_id: int) -> None:
        """Show source `source_id` of the current claim on the right (0: none)."""
        ids = [cs.source.id for cs in self._sources]
        if source_id not in ids:
            source_id = ids[0] if ids else 0
        self._source_id = source_id
        index = ids.index(source_id) if source_id else -1
        self.source_combo.blockSignals(True)
        self.source_combo.setCurrentIndex(index)
        self.source_combo.blockSignals(False)
        self._show_source()
        self.sourceChanged.emit(source_id)

    def next_passage(self) -> None:
        self._go_to_passage(self._passage_index + 1)

    def previous_passage(self) -> None:
        self._go_to_passage(self._passage_index - 1)

    def show_quote(self, index: int) -> None:
        """Scroll the source to where quotation `index` of the claim was found."""
        checks = self.quote_checks
        if not 0 <= index < len(checks):
            return
        check = checks[index]
        if check is None or check.start is None:
            return
        self.set_original_page(False)
        _scroll_to(self.text_view, self._positions(check.start))

    def set_original_page(self, on: bool) -> None:
        """Switch between the readable text and the sanitised original page."""
        if self._snapshot is None:
            return
        button = self.original_button if on else self.readable_button
        button.setChecked(True)
        if self.showing_changes():
            self._changes = None  # the person left the Changes page
            self._show_capture(self._snapshot)
        if on:
            self._load_original()
            self.source_stack.setCurrentWidget(self.original_view)
        else:
            self.source_stack.setCurrentWidget(self.text_view)
        self._leave_changes()
        self._update_nav()
        self.pageChanged.emit("original" if on else "readable")

    def showing_changes(self) -> bool:
        return self.source_stack.currentWidget() is self.compare_pane

    def show_changes(self, a: int | None = None, b: int | None = None) -> bool:
        """Show the word diff of two stored copies of the source (ids a and b; by default the
        copy shown and the one before it) in place of its text. False when there is no pair."""
        if self._snapshot is None or not self.compare_pane.can_compare():
            return False
        if not self._wide:  # the diff's two columns need the room more than the claim does
            self._wide = self.splitter.sizes()
            total = sum(self._wide)
            self.splitter.setSizes([total * 3 // 10, total - total * 3 // 10])
        self.changes_button.setChecked(True)
        self.source_stack.setCurrentWidget(self.compare_pane)
        for widget in (self.capture_row, self.banner, self.capture_button):
            widget.setVisible(False)  # they describe the copy read, not the two compared
        if a is not None and b is not None:
            shown = self.compare_pane.show_pair(a, b)
        elif self._changes and self._changes[0] == self._source_id and self._changes[1]:
            shown = self.compare_pane.show_pair(*self._changes[1])
        else:
            shown = self.compare_pane.show_default(self._snapshot.id)
        if not shown:
            self._changes = (self._source_id, None)
        self._update_nav()
        self.pageChanged.emit("changes")
        return shown

    def _leave_changes(self) -> None:
        if self._wide:
            self.splitter.setSizes(self._wide)
            self._wide = []

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_claim_side())
        splitter.addWidget(self._build_source_side())
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 7)
        splitter.setSizes([500, 700])  # scaled to the real width on first layout
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.splitter = splitter
        self._wide: list[int] = []  # the split before the Changes page widened the source side

    def _build_claim_side(self) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(10, 8, 8, 8)
        layout.setSpacing(6)
        self.claim_title = self._plain_label("panelTitle")
        self.claim_meta = self._plain_label("panelMeta")
        self.context_view = _reading_view("claimContext")
        self.context_view.installEventFilter(self)
        self.context_view.setStyleSheet(
            "QTextBrowser { background:#fafbfc; border:1px solid #e3e6eb; }"
        )
        self.wording_label = self._plain_label("hint")
        quotes_title = self._plain_label("sectionTitle", "Quotations, checked against the source")
        self.quotes_hint = self._plain_label("hint")
        self.quotes_list = QWidget()
        self.quotes_layout = QVBoxLayout(self.quotes_list)
        self.quotes_layout.setContentsMargins(0, 0, 0, 0)
        self.quotes_layout.setSpacing(6)
        self.quotes_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.quotes_list)
        self.diff_legend = rich_label(
            "Differences: "
            f"<span style='{DELETED}'>article’s words</span> "
            f"<span style='{INSERTED}'>source’s words</span>"
        )
        self.diff_legend.setTextFormat(Qt.TextFormat.RichText)
        self.diff_legend.setObjectName("hint")
        self.quotes_layout.insertWidget(0, self.diff_legend)
        for widget in (self.claim_title, self.claim_meta):
            layout.addWidget(widget)
        layout.addWidget(self.context_view)
        layout.addWidget(self.wording_label)
        layout.addWidget(quotes_title)
        layout.addWidget(self.quotes_hint)
        layout.addWidget(scroll, 1)
        return side

    def _build_source_side(self) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(8, 8, 10, 8)
        layout.setSpacing(5)
        self.source_combo = QComboBox()
        self.source_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.source_combo.currentIndexChanged.connect(self._source_picked)
        self.source_title = self._plain_label("panelTitle")
        self.source_title.setWordWrap(True)
        self.source_url = self._plain_label("panelMeta")
        self.source_url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.source_combo)
        layout.addWidget(self.source_title)
        layout.addWidget(self.source_url)
        layout.addWidget(self._build_capture_row())
        self.banner = plain_label()
        self.banner.setTextFormat(Qt.TextFormat.PlainText)  # the note may quote archived text
        self.banner.setWordWrap(True)
        layout.addWidget(self.banner)
        # Offered only on a live copy: the page is not archived, so ask for a capture of it.
        self.capture_button = QPushButton("Ask the Internet Archive to capture this page…")
        self.capture_button.setToolTip(
            "Save Page Now: one request for this page only, sent when you confirm."
        )
        self.capture_button.clicked.connect(lambda: self.captureRequested.emit(self._source_id))
        self.capture_button.setVisible(False)
        layout.addWidget(self.capture_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self._build_nav_row())
        self.source_stack = QStackedWidget()
        self.text_view = _reading_view("sourceText")
        self.original_view = _reading_view("originalPage")
        self.original_view.linkRequested.connect(self._link_requested)
        self.source_stack.addWidget(self.text_view)
        self.source_stack.addWidget(self.original_view)
        self.source_stack.addWidget(self._build_message_page())
        self.compare_pane = ComparePane()
        self.compare_pane.livePageRequested.connect(
            lambda snapshot_id: self.livePageRequested.emit(self._source_id, snapshot_id)
        )
        self.source_stack.addWidget(self.compare_pane)
        self.compare_pane.compared.connect(
            lambda a, b: setattr(self, "_changes", (self._source_id, (a, b)))
        )
        layout.addWidget(self.source_stack, 1)
        return side

    def _build_capture_row(self) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.capture_label = self._plain_label("panelMeta")
        self.archive_link = rich_label()
        self.archive_link.setTextFormat(Qt.TextFormat.RichText)  # one link built by us
        self.archive_link.setOpenExternalLinks(False)
        self.archive_link.linkActivated.connect(self._link_requested)
        self.hash_label = self._plain_label("panelMeta")
        self.copy_hash = QToolButton()
        self.copy_hash.setText("Copy")
        self.copy_hash.setToolTip("Copy the full SHA-256 of the stored copy")
        self.copy_hash.clicked.connect(self._copy_hash)
        # The capture time is the one thing here a reader must see: it wraps rather than vanish
        # when the pane is narrow.
        self.capture_label.setWordWrap(True)
        layout.addWidget(self.capture_label, 1)
        layout.addWidget(self.archive_link)
        layout.addWidget(self.hash_label)
        layout.addWidget(self.copy_hash)
        self.capture_row = row
        return row

    def _build_nav_row(self) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(6)
        self.prev_button = QToolButton()
        # Arrows only: the row must fit beside the claim panel on a 1,280 px laptop screen.
        self.prev_button.setText("◀")
        self.prev_button.setToolTip("Previous passage relevant to the claim")
        self.prev_button.clicked.connect(self.previous_passage)
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip("Next passage relevant to the claim")
        self.next_button.clicked.connect(self.next_passage)
        self.count_label = self._plain_label()
        self.count_label.setMinimumWidth(96)
        legend = rich_label(
            " ".join(
                (
                    _swatch(PASSAGE_BG, "relevant passage"),
                    _swatch(TERM_BG, "claim word", bold=True),
                    _swatch(QUOTE_BG["verbatim"], "quotation"),
                    _swatch(QUOTE_BG["differs"], "quotation, differs"),
                )
            )
        )
        legend.setTextFormat(Qt.TextFormat.RichText)
        self.colour_key = legend  # a host with room elsewhere may move it out of this row
        self.readable_button = QPushButton("Readable")
        self.readable_button.setToolTip("The page's readable text, with passages highlighted")
        self.original_button = QPushButton("Original")
        self.original_button.setToolTip(
            "The archived page reduced to text and links: no scripts, images or styles are loaded"
        )
        self.changes_button = QPushButton("Changes")
        self.changes_button.setToolTip(
            "Two copies of the source compared word by word: stored captures, or one and the "
            "live page"
        )
        group = QButtonGroup(self)
        for button in (self.readable_button, self.original_button, self.changes_button):
            button.setCheckable(True)
            group.addButton(button)
        self.readable_button.setChecked(True)
        self.readable_button.clicked.connect(lambda: self.set_original_page(False))
        self.original_button.clicked.connect(lambda: self.set_original_page(True))
        self.changes_button.clicked.connect(lambda: self.show_changes())
        for widget in (self.prev_button, self.count_label, self.next_button, legend):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.readable_button)
        layout.addWidget(self.original_button)
        layout.addWidget(self.changes_button)
        self.nav_row = row
        return row

    def _build_message_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 24, 24, 24)
        self.message_label = self._plain_label()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("font-size:11pt; color:#30343b")
        self.error_label = self._plain_label()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color:#a51d2d")
        self.fetch_button = QPushButton("Fetch this source")
        self.fetch_button.clicked.connect(lambda: self.fetchRequested.emit(self._source_id))
        layout.addWidget(self.message_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.fetch_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.message_page = page
        return page

    @staticmethod
    def _plain_label(object_name: str = "", text: str = "") -> QLabel:
        label = plain_label(text)
        label.setTextFormat(Qt.TextFormat.PlainText)  # archived and article text is never markup
        if object_name:
            label.setObjectName(object_name)
        return label

    # ------------------------------------------------------------------ left side
    def _show_context(self, claim: ClaimRecord) -> None:
        text = self._article_text
        context = rm.article_context(text, claim)
        shown = _display_text(text[context.start : context.end])
        self.claim_title.setText(f"Claim {claim.id}")
        published = self._project.article().published if self._project else None
        self.claim_meta.setText(
            f"In the article of {rm.local_date(published)}"
            if published
            else "In the article (no date given)"
        )
        _set_plain(self.context_view, shown)
        pos = _Positions(shown)
        lo, hi = claim.start - context.start, claim.end - context.start
        _apply(self.context_view, pos, lo, hi, _format(CLAIM_BG))
        for quote in self._quotes:
            q_lo = max(quote.start - context.start, 0)
            q_hi = min(quote.end - context.start, len(shown))
            if q_lo < q_hi:
                _apply(self.context_view, pos, q_lo, q_hi, _format(underline=True))
        self._fit_context()
        _scroll_to(self.context_view, pos(lo))
        span_text = text[claim.start : claim.end]
        edited = claim.text.strip() != span_text.strip()
        self.wording_label.setText(f"Checked wording: {claim.text}" if edited else "")
        self.wording_label.setVisible(edited)

    def _fit_context(self) -> None:
        """As tall as the context needs, up to half the pane, so the quotations sit just below
        it rather than at the bottom of an empty box."""
        document = self.context_view.document()
        document.setTextWidth(self.context_view.viewport().width())
        wanted = int(document.size().height()) + 2 * self.context_view.frameWidth() + 4
        height = max(80, min(wanted, self.height() // 2))
        if height != self.context_view.height():
            self.context_view.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_context()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The splitter sizes the context box after this widget's own resize: fit again then.
        # Deferred: the viewport takes its new width only after this event is handled.
        if watched is self.context_view and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self._fit_context)
        return super().eventFilter(watched, event)

    def _show_quotes(self, checked_against: bool, pending: bool = False) -> None:
        for card in self.quote_cards():
            self.quotes_layout.removeWidget(card)
            card.deleteLater()
        checks = self.quote_checks
        for index, quote in enumerate(self._quotes):
            check = checks[index] if index < len(checks) else None
            card = QuoteCard(index, quote, check, checked_against=checked_against, pending=pending)
            card.clicked.connect(self.show_quote)
            self.quotes_layout.insertWidget(index, card)
        self.quotes_hint.setText("" if self._quotes else "This claim quotes no one.")
        self.quotes_hint.setVisible(not self._quotes)
        self.diff_legend.setVisible(any(c is not None and c.status == "differs" for c in checks))

    def quote_cards(self) -> list[QuoteCard]:
        cards = []
        for i in range(self.quotes_layout.count()):
            widget = self.quotes_layout.itemAt(i).widget()
            if isinstance(widget, QuoteCard):
                cards.append(widget)
        return cards

    # ------------------------------------------------------------------ right side
    def _default_source(self) -> int:
        for cs in self._sources:
            if self._project and self._project.latest_snapshot(cs.source.id):
                return cs.source.id
        return self._sources[0].source.id if self._sources else 0

    def _fill_source_picker(self) -> None:
        self.source_combo.blockSignals(True)
        self.source_combo.clear()
        for cs in self._sources:
            fetched = self._project is not None and self._project.latest_snapshot(cs.source.id)
            label = f"{cs.source.title or cs.source.url} — {cs.relation}"
            self.source_combo.addItem(label if fetched else f"{label} (no copy yet)", cs.source.id)
            self.source_combo.setItemData(
                self.source_combo.count() - 1,
                plain_tooltip(cs.source.url),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.source_combo.blockSignals(False)
        self.source_combo.setVisible(len(self._sources) > 1)

    def _source_picked(self, index: int) -> None:
        if index >= 0:
            self.select_source(int(self.source_combo.itemData(index)))

    def _current(self) -> ClaimSource | None:
        return next((cs for cs in self._sources if cs.source.id == self._source_id), None)

    def _show_source(self) -> None:
        self._generation += 1
        self._analysis = None
        self._passage_index = -1
        self._snapshot = None
        self._original_for = 0
        current = self._current()
        if current is None:
            self._show_message(
                "", "This claim has no sources yet. Attach one in the claim panel.", None
            )
            self._show_quotes(checked_against=False)
            return
        source = current.source
        self.source_title.setText(source.title or source.url)
        self.source_title.setToolTip(plain_tooltip(source.title or source.url))
        self.source_url.setText(f"{source.url}   ·   {current.relation}")
        try:
            snapshot = self._project.latest_snapshot(source.id) if self._project else None
            text = self._project.snapshot_text(snapshot.id) if self._project and snapshot else ""
        except WorkbenchError as err:
            self._show_message(source.title, str(err), None)
            self._show_quotes(checked_against=False)
            return
        if snapshot is None:
            self._show_missing(current)
            self._show_quotes(checked_against=False)
            return
        self._snapshot = snapshot
        self._show_capture(snapshot)
        self._show_text(text)
        self._feed_changes(source)
        self._start_analysis()

    def _feed_changes(self, source: SourceRecord) -> None:
        """The source's stored copies for the Changes page, oldest first; the page stays up
        when it was showing this source."""
        snapshots = self._project.snapshots(source.id) if self._project else []
        snapshots.sort(key=lambda s: (s.captured_at or s.fetched_at or "", s.id))
        self.compare_pane.set_copies(self._project, snapshots, web=is_web_url(source.url))
        self.changes_button.setVisible(self.compare_pane.can_compare())
        if self._changes and self._changes[0] == source.id and self.compare_pane.can_compare():
            self.show_changes()
        else:
            self._leave_changes()

    def _show_missing(self, current: ClaimSource) -> None:
        source = current.source
        error = f"The last attempt failed: {source.fetch_error}" if source.fetch_error else ""
        self._show_message(
            source.title or source.url,
            "There is no archived copy of this source yet, so it cannot be checked here.",
            error,
        )
        self.fetch_button.setText("Retry fetching" if source.fetch_error else "Fetch this source")
        self.fetch_button.setVisible(True)

    def _show_message(self, title: str, message: str, error: str | None) -> None:
        if not title:
            self.source_title.setText("")
            self.source_url.setText("")
        self._leave_changes()
        self.capture_row.setVisible(False)
        self.banner.setVisible(False)
        self.capture_button.setVisible(False)
        self.nav_row.setVisible(False)
        self.message_label.setText(message)
        self.error_label.setText(error or "")
        self.error_label.setVisible(bool(error))
        self.fetch_button.setVisible(False)
        self.source_stack.setCurrentWidget(self.message_page)

    def _show_nothing(self, message: str) -> None:
        self._sources = []
        self._quotes = ()
        self._source_id = 0
        self._analysis = None
        self._snapshot = None
        self.claim_title.setText("Review")
        self.claim_meta.setText("")
        self.context_view.setPlainText("")
        self.wording_label.setVisible(False)
        self.source_combo.clear()
        self.source_combo.setVisible(False)
        self._show_quotes(checked_against=False)
        self.quotes_hint.setVisible(False)
        self._show_message("", message, None)

    def _show_capture(self, snapshot: SnapshotRecord) -> None:
        when = rm.local_time(snapshot.captured_at or snapshot.fetched_at)
        verb = "fetched" if snapshot.archive == "live" or not snapshot.captured_at else "captured"
        status = ""
        if snapshot.http_status and not 200 <= snapshot.http_status < 300:
            status = f"  ·  HTTP {snapshot.http_status}"
        self.capture_label.setText(f"{rm.archive_name(snapshot.archive)}  ·  {verb} {when}{status}")
        self.capture_label.setToolTip(
            plain_tooltip(
                f"{verb.capitalize()} {snapshot.captured_at or snapshot.fetched_at} (UTC)"
            )
        )
        url = snapshot.archive_url or ""
        if is_web_url(url):
            self.archive_link.setText(
                f"<a href='{html.escape(url, quote=True)}'>Open in archive ↗</a>"
            )
            self.archive_link.setToolTip(plain_tooltip(url))
            self.archive_link.setVisible(True)
        else:
            self.archive_link.setVisible(False)
        self.hash_label.setText(f"SHA-256 {rm.short_hash(snapshot.sha256)}…")
        self.hash_label.setToolTip(plain_tooltip(snapshot.sha256))
        self.capture_row.setVisible(True)
        warnings = rm.warnings_for(snapshot)
        self.banner.setVisible(bool(warnings))
        self.capture_button.setVisible(any(w.kind == "live" for w in warnings))
        if warnings:
            self.banner.setText("⚠  " + "\n⚠  ".join(w.text for w in warnings))
            live = any(w.kind == "live" for w in warnings)
            self.banner.setStyleSheet(LIVE_STYLE if live else WARNING_STYLE)
            self.banner.setProperty("warningKinds", ",".join(w.kind for w in warnings))

    def _show_text(self, text: str) -> None:
        self._source_text = _display_text(text)
        self._positions = _Positions(self._source_text)
        if self._source_text.strip():
            self.text_view.setPlainText(self._source_text)
        else:
            self.text_view.setPlainText(
                "No readable text could be extracted from this copy. Try “Original page”."
            )
        self.readable_button.setChecked(True)
        self.source_stack.setCurrentWidget(self.text_view)
        self.nav_row.setVisible(True)

    # ------------------------------------------------------------------ analysis
    def _start_analysis(self) -> None:
        claim = self._claim
        if claim is None:
            return
        if len(self._source_text) < ASYNC_CHARS:
            self._analysis_done(
                self._generation, rm.analyse(claim.text, self._quotes, self._source_text)
            )
            return
        job = _AnalysisJob(self._generation, claim.text, self._quotes, self._source_text)
        job.signals.done.connect(self._analysis_done, Qt.ConnectionType.QueuedConnection)
        self._jobs[self._generation] = job
        self.count_label.setText("Finding passages…")
        self._show_quotes(checked_against=True, pending=True)
        self._update_nav()
        QThreadPool.globalInstance().start(job)

    def _analysis_done(self, generation: int, analysis: rm.SourceAnalysis) -> None:
        self._jobs.pop(generation, None)
        if generation != self._generation:
            return  # the user moved on to another claim or source meanwhile
        self._analysis = analysis
        self._show_quotes(checked_against=True)
        self._paint_source()
        if analysis.passages:
            self._go_to_passage(0)
        else:
            self._update_nav()

    def _paint_source(self) -> None:
        """(Re)apply every highlight; cheap, since there are at most a handful of ranges."""
        view, pos = self.text_view, self._positions
        cursor = QTextCursor(view.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.setCharFormat(QTextCharFormat())
        for index, passage in enumerate(self.passages):
            current = index == self._passage_index
            _apply(
                view,
                pos,
                passage.start,
                passage.end,
                _format(CURRENT_BG if current else PASSAGE_BG),
            )
            # Claim words are coloured only in the passage being read, bold elsewhere: a page
            # of orange words hides the one passage that matters.
            term = _format(TERM_BG if current else None, bold=True)
            for lo, hi in term_spans(passage.text, passage.terms):
                _apply(view, pos, passage.start + lo, passage.start + hi, term)
        for check in self.quote_checks:
            if check is not None and check.start is not None and check.end is not None:
                fmt = _format(QUOTE_BG[check.status], underline=True)
                _apply(view, pos, check.start, check.end, fmt)
                for lo, hi in differing_spans(check, self._source_text):
                    _apply(view, pos, lo, hi, _inserted_format())

    def _go_to_passage(self, index: int) -> None:
        passages = self.passages
        if not passages:
            return
        self._passage_index = max(0, min(index, len(passages) - 1))
        if not self.showing_changes():  # the analysis ends while the diff is read
            self.set_original_page(False)
        self._paint_source()
        _scroll_to(self.text_view, self._positions(passages[self._passage_index].start))
        self._update_nav()

    def _update_nav(self) -> None:
        total = len(self.passages)
        reading = self.source_stack.currentWidget() is self.text_view
        if self._analysis is not None:
            if total:
                self.count_label.setText(f"Passage {self._passage_index + 1} of {total}")
            else:
                self.count_label.setText("No passage shares words with the claim")
        self.prev_button.setEnabled(reading and self._passage_index > 0)
        self.next_button.setEnabled(reading and 0 <= self._passage_index < total - 1)

    # ------------------------------------------------------------------ original page
    def _load_original(self) -> None:
        snapshot = self._snapshot
        if snapshot is None or self._original_for == snapshot.id or self._project is None:
            return
        self._original_for = snapshot.id
        try:
            body = self._project.snapshot_body(snapshot.id)
        except WorkbenchError as err:
            self.original_view.setPlainText(str(err))
            return
        from workbench.core.article.decode import decode_bytes  # charset_normalizer: not at start

        kind = (snapshot.content_type or "text/html").split(";")[0].strip().lower()
        if kind in ("text/html", "application/xhtml+xml"):
            markup = decode_bytes(body, declared=snapshot.encoding, is_html=True).text
            self.original_view.setHtml(sanitize_html(markup, snapshot.original_url))
        elif kind.startswith("text/"):
            self.original_view.setPlainText(decode_bytes(body, declared=snapshot.encoding).text)
        else:
            self.original_view.setPlainText(
                f"The original is a {kind} file; only its readable text can be shown here."
            )

    def _link_requested(self, url: str) -> None:
        # Both openers (the window's and the default) apply the URL policy; the window's also
        # tells the person when a link is refused.
        self._open_url(url)

    def _copy_hash(self) -> None:
        if self._snapshot is not None:
            QGuiApplication.clipboard().setText(self._snapshot.sha256)
