"""The review pane's "Changes" page: two copies of the source picked from the pane, and their
word diff side by side under its one-line summary (issue 14).

The choices are the source's stored copies, oldest first, and for the newer side also "the
live page now", which the window fetches in the background (livePageRequested). Comparing two
stored copies is local work: the texts are read here, and short pages are compared on the spot;
long ones in a worker thread (checking the quotations in two 200 KB pages takes seconds), with
a generation number so a late answer for an earlier pair is dropped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from workbench.core.errors import WorkbenchError
from workbench.core.project.records import SnapshotRecord
from workbench.core.project.store import Project
from workbench.core.sources.compare import Comparison, compare_texts, read_pair
from workbench.gui.labels import plain_label
from workbench.gui.safe_html import plain_tooltip
from workbench.gui.sources import review_model as rm
from workbench.gui.sources.background import Background
from workbench.gui.sources.diff_view import DiffView

LIVE = -1  # the item for "the live page now" in the newer copy's box
ASYNC_CHARS = 60_000  # both texts together; longer pairs are compared in a worker


SHORT_NAMES = {"wayback": "Wayback", "warc": "WARC file", "live": "live page"}


def copy_label(snapshot: SnapshotRecord) -> str:
    """How a stored copy reads in the boxes (short: two sit side by side): when and where. The
    tooltip and the diff's column titles give the snapshot and the full names."""
    when = rm.local_time(snapshot.captured_at or snapshot.fetched_at)
    where = SHORT_NAMES.get(snapshot.archive, snapshot.archive.removeprefix("memento:"))
    return f"{when} · {where}"


def column_title(snapshot: SnapshotRecord) -> str:
    when = rm.local_time(snapshot.captured_at or snapshot.fetched_at)
    return f"{rm.archive_name(snapshot.archive)}, {when} (snapshot {snapshot.id})"


def default_pair(snapshots: list[SnapshotRecord], shown: int | None) -> tuple[int, int] | None:
    """The pair shown first: the copy on screen against the one before it (or, for the oldest,
    the one after it); older first. None with fewer than two copies."""
    if len(snapshots) < 2:
        return None
    ids = [s.id for s in snapshots]
    at = ids.index(shown) if shown in ids else len(ids) - 1
    other = at - 1 if at > 0 else 1
    return (ids[min(at, other)], ids[max(at, other)])


class ComparePane(QWidget):
    """Two boxes (older, newer), the diff and its summary; fed with `set_copies`."""

    livePageRequested = Signal(int)  # the snapshot id to compare the live page with
    compared = Signal(int, int)  # the two snapshot ids now shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project: Project | None = None
        self._snapshots: list[SnapshotRecord] = []
        self._web = False
        self._work = Background()
        self.older = QComboBox()
        self.newer = QComboBox()
        for box, tip in (
            (self.older, "The copy whose words are struck through when they are gone"),
            (self.newer, "The copy whose words are marked green when they are new"),
        ):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(18)
            box.setToolTip(tip)
            box.activated.connect(self._picked)
        self.swap_button = QPushButton("⇄")
        self.swap_button.setToolTip("Swap the two copies")
        self.swap_button.setFixedWidth(32)
        self.swap_button.clicked.connect(self._swap)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.older, 1)
        row.addWidget(plain_label("→"))  # from the copy on the left to the one on the right
        row.addWidget(self.newer, 1)
        row.addWidget(self.swap_button)
        self.diff = DiffView()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.diff, 1)

    # ------------------------------------------------------------------ feeding
    def set_copies(
        self, project: Project | None, snapshots: list[SnapshotRecord], *, web: bool
    ) -> None:
        """The stored copies of the source shown (oldest first); `web`: the source is a web
        page, so the live page can be fetched to compare with."""
        self._project = project
        self._snapshots = snapshots
        self._web = web
        self._work.next()  # an answer still on its way is for copies no longer offered
        self._fill(self.older, live=False)
        self._fill(self.newer, live=web)

    def can_compare(self) -> bool:
        """Two stored copies, or one and a live page to fetch."""
        return len(self._snapshots) >= 2 or (self._web and len(self._snapshots) >= 1)

    def pair(self) -> tuple[int, int] | None:
        a, b = self.older.currentData(), self.newer.currentData()
        if a is None or b is None:
            return None
        return int(a), int(b)

    def show_pair(self, a: int, b: int) -> bool:
        """Compare stored copies a and b (ids). False, with the reason shown, when they cannot
        be compared."""
        for box, wanted in ((self.older, a), (self.newer, b)):
            index = box.findData(wanted)
            if index < 0:
                self.diff.clear(f"Snapshot {wanted} is not a stored copy of this source.")
                return False
            box.setCurrentIndex(index)
        return self._compare()

    def show_default(self, shown: int | None) -> bool:
        pair = default_pair(self._snapshots, shown)
        if pair is None:
            self._work.next()
            if self._snapshots:
                self.older.setCurrentIndex(self.older.findData(self._snapshots[0].id))
                self.newer.setCurrentIndex(self.newer.findData(LIVE))
            self.diff.clear(
                "There is one stored copy of this source. Choose “the live page now” to "
                "compare it with the page as it is today, or fetch another capture "
                "(Sources ▸ Source history)."
            )
            return False
        return self.show_pair(*pair)

    # ------------------------------------------------------------------ internals
    def _fill(self, box: QComboBox, *, live: bool) -> None:
        box.blockSignals(True)
        box.clear()
        for snap in self._snapshots:
            box.addItem(copy_label(snap), snap.id)
            box.setItemData(
                box.count() - 1,
                plain_tooltip(f"Snapshot {snap.id}: {snap.archive_url or snap.original_url}"),
                Qt.ItemDataRole.ToolTipRole,
            )
        if live:
            box.addItem("the live page now (fetch it)", LIVE)
        box.blockSignals(False)

    def _picked(self, _index: int) -> None:
        if self.newer.currentData() == LIVE:
            a = self.older.currentData()
            if a is not None:
                self._work.next()
                self.diff.clear("Fetching the live page…")
                self.livePageRequested.emit(int(a))
            return
        self._compare()

    def _swap(self) -> None:
        pair = self.pair()
        if pair is not None and LIVE not in pair:
            self.show_pair(pair[1], pair[0])

    def _compare(self) -> bool:
        """Compare the two chosen copies: True when shown, or on its way from a worker."""
        self._work.next()
        pair = self.pair()
        if self._project is None or pair is None or LIVE in pair:
            return False
        a, b = pair
        if a == b:
            self.diff.clear("Choose two different copies.")
            return False
        try:
            texts = read_pair(self._project, a, b)
        except WorkbenchError as err:
            self.diff.clear(str(err))
            return False
        if texts.size < ASYNC_CHARS:
            self._show(compare_texts(texts))
            return True
        self.diff.clear("Comparing the two copies…")
        self._work.start(lambda: compare_texts(texts), self._show)
        return True

    def busy(self) -> bool:
        return self._work.busy()

    def _show(self, comparison: Comparison | Exception) -> None:
        if isinstance(comparison, Exception):
            self.diff.clear(f"The copies could not be compared: {comparison}")
            return
        self.diff.show_comparison(
            comparison, column_title(comparison.a), column_title(comparison.b)
        )
        self.compared.emit(comparison.a.id, comparison.b.id)
