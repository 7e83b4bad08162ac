"""The claims table: a model over the project's claims and a cheap filter/sort proxy.

The model holds ClaimRecords in article order. Edits replace one record and signal one row
(dataChanged); added and removed claims insert or remove rows, so a 20,000-claim project is
never reset for an edit. The proxy filters with plain attribute checks on the records.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from workbench.core.project.records import STATUS_LABELS, STATUSES, ClaimRecord
from workbench.core.project.scales import Scale
from workbench.gui import style
from workbench.gui.safe_html import plain_tooltip

COLUMNS = (
    "#", "Claim", "Check-worthy", "Kind", "Verdict", "Status", "Assigned to", "Src",
    "Checked before",
)  # fmt: skip
(COL_ID, COL_TEXT, COL_SCORE, COL_KIND, COL_VERDICT, COL_STATUS, COL_ASSIGNED, COL_SOURCES,
 COL_CHECKED) = range(9)  # fmt: skip
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CLAIM_ID_ROLE = Qt.ItemDataRole.UserRole + 2
UNRATED = "__unrated__"  # filter value: claims without a verdict
_STATUS_ORDER = {s: i for i, s in enumerate(STATUSES)}
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class CheckedBefore:
    """What the claims table shows of a claim's earlier fact checks."""

    label: str  # the best match in a few words: "False · Desk A"
    score: float  # the best match's score, 0-1 (sorting)
    details: str  # one line per match (tooltip)


def _order_key(c: ClaimRecord) -> tuple[int, int, int]:
    return (c.start, c.end, c.id)


class ClaimsModel(QAbstractTableModel):
    """Claims of one project, in article order."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._claims: list[ClaimRecord] = []
        self._keys: list[tuple[int, int, int]] = []
        self._folded: list[str] = []  # casefolded text, so the filter does no work per row
        self._row_of: dict[int, int] = {}
        self._scale: Scale | None = None
        self._rating_order: dict[str, int] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None  # None: article order
        self._by_article: list[ClaimRecord] | None = None  # cache, only used when sorted
        self._muted = QBrush(QColor(style.MUTED_TEXT))
        # claim id -> earlier fact checks found by the library feature (best first)
        self._checked: dict[int, CheckedBefore] = {}

    # ------------------------------------------------------------------ loading
    def set_claims(self, claims: Iterable[ClaimRecord], scale: Scale) -> None:
        self.beginResetModel()
        self._scale = scale
        self._rating_order = {r.id: i for i, r in enumerate(scale.ratings)}
        self._claims = sorted((c for c in claims if not c.deleted), key=_order_key)
        if self._sort is not None:
            self._claims.sort(key=self._sort_key(self._sort[0]), reverse=self._descending())
        self._rebuild_indexes()
        self.endResetModel()

    def set_checked_before(self, found: dict[int, CheckedBefore | None]) -> None:
        """Earlier fact checks of the given claims (None: none found); other claims keep theirs."""
        for claim_id, item in found.items():
            if item is None:
                self._checked.pop(claim_id, None)
            else:
                self._checked[claim_id] = item
        if self._claims:
            last = len(self._claims) - 1
            self.dataChanged.emit(self.index(0, COL_CHECKED), self.index(last, COL_CHECKED))

    def checked_before(self, claim_id: int) -> CheckedBefore | None:
        return self._checked.get(claim_id)

    # ------------------------------------------------------------------ sorting
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python with precomputed keys: ~10 ms for 20,000 rows, where a proxy sort
        calling back into Python for every comparison takes most of a second."""
        self._sort = None if column < 0 else (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [(self._claims[i.row()].id, i.column()) for i in persistent]
        self._claims.sort(key=_order_key)
        if self._sort is not None:
            self._claims.sort(key=self._sort_key(column), reverse=self._descending())
        self._rebuild_indexes()
        self.changePersistentIndexList(
            persistent, [self.index(self._row_of[cid], col) for cid, col in ids]
        )
        self.layoutChanged.emit()

    def _descending(self) -> bool:
        return self._sort is not None and self._sort[1] == Qt.SortOrder.DescendingOrder

    def _sort_key(self, column: int) -> Any:
        return lambda c: self._sort_value(c, column)

    def _rebuild_indexes(self) -> None:
        self._by_article = None
        self._keys = [_order_key(c) for c in self._claims]
        self._folded = [c.text.casefold() for c in self._claims]
        self._row_of = {c.id: i for i, c in enumerate(self._claims)}

    # ------------------------------------------------------------------ edits
    def update_claim(self, claim: ClaimRecord) -> None:
        """Show an edited, added or deleted claim: one row changes, appears or goes."""
        row = self._row_of.get(claim.id)
        if claim.deleted:
            if row is not None:
                self._remove_row(row)
            return
        if row is not None and self._keys[row] == _order_key(claim):
            self._claims[row] = claim
            self._folded[row] = claim.text.casefold()
            self._by_article = None
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return
        if row is not None:  # its span moved: take it out and put it back in order
            self._remove_row(row)
        self._insert(claim)

    def remove_claim(self, claim_id: int) -> None:
        row = self._row_of.get(claim_id)
        if row is not None:
            self._remove_row(row)

    def _remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._claims[row]
        del self._keys[row]
        del self._folded[row]
        self._by_article = None
        self._row_of = {c.id: i for i, c in enumerate(self._claims)}
        self.endRemoveRows()

    def _insert(self, claim: ClaimRecord) -> None:
        key = _order_key(claim)
        if self._sort is None:
            row = bisect.bisect_left(self._keys, key)
        else:  # a sorted table: the new row goes where the current sort puts it
            value = self._sort_key(self._sort[0])(claim)
            values = [self._sort_key(self._sort[0])(c) for c in self._claims]
            if self._descending():
                row = next((i for i, v in enumerate(values) if v < value), len(values))
            else:
                row = bisect.bisect_right(values, value)
        self.beginInsertRows(QModelIndex(), row, row)
        self._claims.insert(row, claim)
        self._keys.insert(row, key)
        self._folded.insert(row, claim.text.casefold())
        self._by_article = None
        self._row_of = {c.id: i for i, c in enumerate(self._claims)}
        self.endInsertRows()

    # ------------------------------------------------------------------ lookups
    def claims(self) -> list[ClaimRecord]:
        return list(self._claims)

    def claim_at(self, row: int) -> ClaimRecord:
        return self._claims[row]

    def folded_text(self, row: int) -> str:
        return self._folded[row]

    def row_of(self, claim_id: int) -> int | None:
        return self._row_of.get(claim_id)

    def claim(self, claim_id: int) -> ClaimRecord | None:
        row = self._row_of.get(claim_id)
        return None if row is None else self._claims[row]

    def neighbours(self, claim_id: int) -> tuple[ClaimRecord | None, ClaimRecord | None]:
        """The claims just before and after in the article, however the table is sorted."""
        claim = self.claim(claim_id)
        if claim is None:
            return None, None
        ordered = self._claims if self._sort is None else self._article_order()
        keys = self._keys if self._sort is None else [_order_key(c) for c in ordered]
        i = bisect.bisect_left(keys, _order_key(claim))
        before = ordered[i - 1] if i > 0 else None
        after = ordered[i + 1] if i + 1 < len(ordered) else None
        return before, after

    def _article_order(self) -> list[ClaimRecord]:
        if self._by_article is None:
            self._by_article = sorted(self._claims, key=_order_key)
        return self._by_article

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._claims)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self._claims[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(c, col)
        if role == SORT_ROLE:
            return self._sort_value(c, col)
        if role == CLAIM_ID_ROLE:
            return c.id
        if role == Qt.ItemDataRole.DecorationRole and col == COL_VERDICT and c.rating:
            return QColor(self._rating_color(c.rating))
        if role == Qt.ItemDataRole.ForegroundRole and c.score < style.LOW_SCORE and not c.rating:
            return self._muted
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self._tooltip(c, col)  # claim text and notes: shown literally, never as HTML
            return plain_tooltip(tip) if tip else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_ID, COL_SCORE, COL_SOURCES):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, c: ClaimRecord, col: int) -> Any:
        if col == COL_ID:
            return c.id
        if col == COL_TEXT:
            return " ".join(c.text.split())
        if col == COL_SCORE:
            return f"{c.score:.2f}"
        if col == COL_KIND:
            return c.kind
        if col == COL_VERDICT:
            return self._rating_label(c.rating) if c.rating else ""
        if col == COL_STATUS:
            return STATUS_LABELS.get(c.status, c.status)
        if col == COL_ASSIGNED:
            return c.assigned_to or ""
        if col == COL_SOURCES:
            return c.source_count or ""
        if col == COL_CHECKED:
            found = self._checked.get(c.id)
            return found.label if found else ""
        return None

    def _sort_value(self, c: ClaimRecord, col: int) -> Any:
        if col == COL_ID:
            return c.id
        if col == COL_TEXT:
            return c.start  # "sort by claim" means article order, which is what people expect
        if col == COL_SCORE:
            return c.score
        if col == COL_KIND:
            return c.kind
        if col == COL_VERDICT:
            return self._rating_order.get(c.rating or "", len(self._rating_order))
        if col == COL_STATUS:
            return _STATUS_ORDER.get(c.status, 99)
        if col == COL_ASSIGNED:  # by login, the unassigned claims after the assigned ones
            return (c.assigned_to is None, (c.assigned_to or "").casefold())
        if col == COL_CHECKED:
            found = self._checked.get(c.id)
            return found.score if found else -1.0
        return c.source_count

    def _tooltip(self, c: ClaimRecord, col: int) -> str | None:
        if col == COL_SCORE:
            return "; ".join(c.reasons) or "No signals of a checkable claim"
        if col == COL_TEXT:
            return c.text if len(c.text) > 80 else None
        if col == COL_STATUS and c.status_note:
            return c.status_note
        if col == COL_CHECKED and c.id in self._checked:
            return self._checked[c.id].details
        return None

    def _rating_label(self, rating: str) -> str:
        for r in self._scale.ratings if self._scale else ():
            if r.id == rating:
                return r.label
        return rating

    def _rating_color(self, rating: str) -> str:
        for r in self._scale.ratings if self._scale else ():
            if r.id == rating:
                return r.color
        return "#888888"


_HEADER_TIPS = (
    "Claim number (stable; used in reports and the command line)",
    "The claim as checked",
    "Check-worthiness, 0–1: how much this sentence looks like a checkable factual claim",
    "fact, quotation, attribution, opinion, question or other",
    "The current verdict",
    "Where the claim is in the review",
    "Who on the desk checks this claim (workbench assign; team projects)",
    "Number of sources attached",
    "The best earlier fact check of this claim in your fact-check library, if any",
)


UNASSIGNED = "\x00unassigned"  # the assignment filter's "nobody" (no login can be this)


class ClaimsFilter(QSortFilterProxyModel):
    """Text, verdict, status and minimum-score filters; each check is one attribute lookup."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._rating: str | None = None
        self._status: str | None = None
        self._assignee: str | None = None  # a login, UNASSIGNED, or None for anyone
        self._min_score = 0.0
        self._checked: bool | None = None  # True: only previously checked; False: only not
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts (fast, keyed); the proxy keeps its order and only filters."""
        model = self.sourceModel()
        if isinstance(model, ClaimsModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    def set_text(self, text: str) -> None:
        self._begin()
        self._text = text.strip().casefold()
        self._end()

    def set_rating(self, rating: str | None) -> None:
        self._begin()
        self._rating = rating or None
        self._end()

    def set_status(self, status: str | None) -> None:
        self._begin()
        self._status = status or None
        self._end()

    def set_assignee(self, assignee: str | None) -> None:
        """Only the claims assigned to this login, or UNASSIGNED ones; None shows all."""
        self._begin()
        self._assignee = assignee or None
        self._end()

    def set_min_score(self, value: float) -> None:
        self._begin()
        self._min_score = max(0.0, float(value))
        self._end()

    def set_checked_before(self, wanted: bool | None) -> None:
        self._begin()
        self._checked = wanted
        self._end()

    def is_filtering(self) -> bool:
        return bool(
            self._text
            or self._rating
            or self._status
            or self._assignee
            or self._min_score > 0
            or self._checked is not None
        )

    def _begin(self) -> None:
        # Qt >= 6.9 wants the change bracketed; older Qt re-filters rows on demand instead.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()

    def _end(self) -> None:
        # Rows only: the sort stays, and only filterAcceptsRow runs again.
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ClaimsModel)
        c = model.claim_at(source_row)
        if c.score < self._min_score:
            return False
        if self._status and c.status != self._status:
            return False
        if self._checked is not None and (model.checked_before(c.id) is not None) != self._checked:
            return False
        if self._assignee and c.assigned_to != (
            None if self._assignee == UNASSIGNED else self._assignee
        ):
            return False
        if self._rating:
            if self._rating == UNRATED:
                if c.rating:
                    return False
            elif c.rating != self._rating:
                return False
        return not self._text or self._text in model.folded_text(source_row)

    def claim_id_at(self, row: int) -> int | None:
        if not (0 <= row < self.rowCount()):
            return None
        return int(self.index(row, 0).data(CLAIM_ID_ROLE))

    def row_of(self, claim_id: int) -> int | None:
        model = self.sourceModel()
        assert isinstance(model, ClaimsModel)
        source_row = model.row_of(claim_id)
        if source_row is None:
            return None
        proxy = self.mapFromSource(model.index(source_row, 0))
        return proxy.row() if proxy.isValid() else None
