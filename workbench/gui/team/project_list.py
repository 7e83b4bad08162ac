"""The Open team project dialog's list: each project on a server with its article title, claim
and checked counts and last change, newest first, narrowed by a filter box.

A Qt item model over core's ProjectSummary values (read in one background listing per server,
not one query per project) and a filter proxy matching the project's name or article title.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from workbench.gui.safe_html import plain_tooltip

if TYPE_CHECKING:  # psycopg is imported by the listing job, not to build the dialog
    from workbench.core.project.backends.postgres import ProjectSummary

COLUMNS = ("Project", "Article", "Claims", "Checked", "Last change")
COL_NAME, COL_TITLE, COL_CLAIMS, COL_CHECKED, COL_CHANGED = range(len(COLUMNS))
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole
UNREADABLE = "cannot be read by this login, or not a Workbench project"
Index = QModelIndex | QPersistentModelIndex


def when(stamp: str, now: datetime | None = None) -> str:
    """A history time (UTC, ISO) as a person reads it: "5 min ago", "today 14:02",
    "yesterday 09:15", "Tue 28 Nov", or the date in another year; local time."""
    try:
        at = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return stamp
    now = now or datetime.now(UTC)
    seconds = (now - at).total_seconds()
    if 0 <= seconds < 60:
        return "just now"
    if 0 <= seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    local, today = at.astimezone(), now.astimezone()
    days = (today.date() - local.date()).days
    if days == 0:
        return f"today {local:%H:%M}"
    if days == 1:
        return f"yesterday {local:%H:%M}"
    if 0 < days < 7:
        return f"{local:%a} {local.day} {local:%b}"
    if local.year == today.year:
        return f"{local.day} {local:%b}"
    return f"{local.day} {local:%b} {local.year}"


class TeamProjectsModel(QAbstractTableModel):
    """The projects of one server, as listed."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ProjectSummary] = []

    def set_projects(self, projects: Sequence[ProjectSummary]) -> None:
        self.beginResetModel()
        self._rows = list(projects)
        self.endResetModel()

    def projects(self) -> list[ProjectSummary]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        p, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(p, col)
        if role == SORT_ROLE:
            return (p.name, p.title.casefold(), p.claims, p.checked, p.changed)[col]
        if role == NAME_ROLE:
            return p.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._tooltip(p))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_CLAIMS, COL_CHECKED):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and not p.readable:
            return QApplication.palette().brush(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        return None

    @staticmethod
    def _display(p: ProjectSummary, col: int) -> str:
        if col == COL_NAME:
            return p.name
        if not p.readable:
            return UNREADABLE if col == COL_TITLE else ""
        if col == COL_TITLE:
            return p.title or "(no title)"
        if col == COL_CLAIMS:
            return str(p.claims)
        if col == COL_CHECKED:
            return str(p.checked)
        return when(p.changed) if p.changed else ""

    @staticmethod
    def _tooltip(p: ProjectSummary) -> str:
        if not p.readable:
            return f"{p.name}: {UNREADABLE}"
        done = f"{p.checked} of {p.claims} claims checked"
        changed = (
            f"; last change {p.changed.replace('T', ' ').rstrip('Z')} UTC" if p.changed else ""
        )
        return f"{p.title or p.name}\n{p.name}: {done}{changed}"


_HEADER_TIPS = (
    "The team project's name (what ?project= says)",
    "The title of the project's article",
    "Claims in the project (deleted ones not counted)",
    "Claims checked or approved",
    "When anyone last changed the project",
)


class TeamProjectsFilter(QSortFilterProxyModel):
    """Rows whose project name or article title holds every word typed, in any case."""

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)

    def set_text(self, text: str) -> None:
        # Qt >= 6.9 wants the change bracketed; older Qt re-filters rows on demand instead.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
        self._words = text.casefold().split()
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        name = str(model.index(source_row, COL_NAME, source_parent).data())
        title = str(model.index(source_row, COL_TITLE, source_parent).data())
        text = f"{name} {title}".casefold()
        return all(word in text for word in self._words)
