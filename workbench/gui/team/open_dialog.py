"""File ▸ Open team project…: a server's URL, its projects listed to pick from, recent ones.

The person types (or picks from the recent list) a server URL; the projects on that server's
database are listed in a background job (core's project_summaries: the projects `workbench team
list SERVER-URL` names, each with its article title, claim and checked counts and last change,
read in one query for them all), newest change first, with a filter box, so nobody has to type
`?project=NAME` or remember which name holds which article. A password, when the server asks
for one, is typed in its own field: it goes into the URL used for this connection only and is
never shown or remembered (the recent list keeps URLs without it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.project.backends import (
    is_team_url,
    team_label,
    with_password,
    with_project,
)
from workbench.gui.labels import plain_label
from workbench.gui.safe_html import plain_tooltip
from workbench.gui.team.project_list import (
    COL_CHANGED,
    COL_CHECKED,
    COL_CLAIMS,
    COL_NAME,
    COL_TITLE,
    NAME_ROLE,
    TeamProjectsFilter,
    TeamProjectsModel,
)
from workbench.gui.workers import Job, JobCancelled, JobRunner, Report

if TYPE_CHECKING:
    from workbench.core.project.backends.postgres import ProjectSummary

URL_HINT = "postgresql://user@host[:port]/database"


def _project_of(url: str) -> str:
    from urllib.parse import parse_qsl, urlsplit

    names = [v for k, v in parse_qsl(urlsplit(url).query) if k == "project"]
    return names[-1].strip() if names else ""


def _server_of(url: str) -> str:
    """The URL without its project: what identifies the server's project list."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url.strip())
    rest = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "project"]
    return urlunsplit(parts._replace(query=urlencode(rest), fragment=""))


def _recent_label(url: str) -> str:
    """ "desk on ana@host:5432/newsroom": never a password, even one typed into the URL."""
    project, server = team_label(url)
    return f"{project} on {server}" if project else server


class OpenTeamDialog(QDialog):
    """Pick a team project: from the server's list, the recent ones, or by typing its URL."""

    def __init__(
        self, parent: QWidget | None, recent: Sequence[str], url: str = "", message: str = ""
    ) -> None:
        """`url` and `message`: a project to open that needs its password typed first."""
        super().__init__(parent)
        self.setWindowTitle("Open team project")
        self.resize(860, 560)
        self.runner = JobRunner(self)
        self.job: Job | None = None
        self.listed_server = ""  # the server whose projects the list shows

        self.url = QLineEdit(objectName="teamUrl")
        self.url.setPlaceholderText(f"{URL_HINT}  (or …?project=NAME)")
        self.url.setClearButtonEnabled(True)
        self.password = QLineEdit(objectName="teamPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("only if the server asks for one; never saved")
        form = QFormLayout()
        form.addRow("Server", self.url)
        form.addRow("Password", self.password)

        self.list_button = QPushButton("List projects")
        self.list_button.setToolTip("Ask the server which team projects its database holds")
        self.list_button.clicked.connect(self.list_projects)
        self.message = plain_label("", objectName="teamListMessage")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.list_button, 0, Qt.AlignmentFlag.AlignTop)

        self.model = TeamProjectsModel()
        self.proxy = TeamProjectsFilter()
        self.proxy.setSourceModel(self.model)
        self.projects = self._project_view()
        self.filter = QLineEdit(objectName="teamFilter")
        self.filter.setPlaceholderText("Filter by project name or article title")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        self.filter.returnPressed.connect(self._filter_entered)
        self.filter.installEventFilter(self)  # Up and Down move in the list while typing
        self.recent = QListWidget(objectName="teamRecent")
        for entry in recent:
            item = QListWidgetItem(_recent_label(entry))
            item.setData(Qt.ItemDataRole.UserRole, entry)
            item.setToolTip(plain_tooltip(entry))
            self.recent.addItem(item)
        self.recent.currentItemChanged.connect(self._recent_picked)
        self.recent.itemActivated.connect(lambda _item: self.accept())

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.url.textChanged.connect(self._url_changed)
        self.url.returnPressed.connect(self._enter)
        self.password.returnPressed.connect(self._enter)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        head = QHBoxLayout()
        head.addWidget(plain_label("Projects on this server, last changed first"), 1)
        head.addWidget(self.filter, 1)
        layout.addLayout(head)
        layout.addWidget(self.projects, 3)
        recent_label = plain_label("Recent team projects")
        layout.addWidget(recent_label)
        layout.addWidget(self.recent, 1)
        layout.addWidget(self.buttons)
        recent_label.setVisible(bool(recent))
        self.recent.setVisible(bool(recent))
        if url:  # the password it needs is the only thing left to give
            self.url.setText(url)
            self.message.setText(message)
            self.password.setFocus()
        elif recent:  # the last server used: its projects are listed at once
            self.url.setText(_server_of(recent[0]))
            self.list_projects()
        self._url_changed()

    def _project_view(self) -> QTreeView:
        view = QTreeView(objectName="teamProjects")
        view.setModel(self.proxy)
        view.setRootIsDecorated(False)
        view.setUniformRowHeights(True)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSortingEnabled(True)
        view.sortByColumn(COL_CHANGED, Qt.SortOrder.DescendingOrder)
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = header.fontMetrics()
        for col, width in ((COL_NAME, 150), (COL_CLAIMS, 0), (COL_CHECKED, 0), (COL_CHANGED, 130)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            # Counts as wide as their header and its sort arrow: never cut off.
            title = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            view.setColumnWidth(col, max(width, metrics.horizontalAdvance(title) + 30))
        view.selectionModel().selectionChanged.connect(self._project_picked)
        view.activated.connect(lambda _index: self.accept())
        return view

    # ---------------------------------------------------------------- the answer
    def chosen_url(self) -> str | None:
        """The project URL to open (with the typed password, for this connection only)."""
        text = self.url.text().strip()
        if not is_team_url(text) or not _project_of(text):
            return None
        return with_password(text, self.password.text())

    def accept(self) -> None:
        text = self.url.text().strip()
        if not is_team_url(text):
            self.message.setText(f"A team project's URL starts with postgresql:// ({URL_HINT}).")
            return
        if not _project_of(text):
            self.message.setText("Pick a project from the list (or add ?project=NAME to the URL).")
            if self.listed_server != _server_of(text):
                self.list_projects()
            return
        super().accept()

    # ---------------------------------------------------------------- listing
    def list_projects(self) -> bool:
        """List the projects of the server in the URL field, in a background job."""
        text = self.url.text().strip()
        if not is_team_url(text):
            self.message.setText(f"Type the server's URL first: {URL_HINT}.")
            return False
        if self.job is not None:
            self.job.cancel()  # its answer is for another server: dropped when it comes
        server = _server_of(text)
        conn = with_password(server, self.password.text())

        def work(report: Report) -> list[ProjectSummary]:
            from workbench.core.project.backends.postgres import project_summaries

            def check() -> None:  # closing the dialog or asking another server ends it at once
                if job.is_cancelled:
                    raise JobCancelled

            report("Listing", 0.1)
            return project_summaries(conn, check)

        job = Job("Listing team projects", work)
        job.signals.finished.connect(lambda found, j=job: self._listed(j, server, found))
        job.signals.failed.connect(lambda message, j=job: self._list_failed(j, message))
        self.job = job
        self.model.set_projects([])
        self.listed_server = ""
        self.message.setText(f"Asking {_recent_label(server)} for its projects…")
        self.list_button.setEnabled(False)
        self.runner.start(job)
        return True

    def _listed(self, job: Job, server: str, found: list[ProjectSummary]) -> None:
        if job is not self.job:
            return
        self.job = None
        self.list_button.setEnabled(True)
        self.listed_server = server
        self.model.set_projects(found)
        self._say_count()
        current = _project_of(self.url.text())
        if current:
            self._select(current)

    def _say_count(self) -> None:
        where = _recent_label(self.listed_server)
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if not self.listed_server:
            return
        if not total:
            self.message.setText(
                f"No team projects on {where} yet (workbench new or workbench copy makes one)."
            )
            return
        count = "1 team project" if total == 1 else f"{total} team projects"
        if shown == total:
            self.message.setText(f"{count} on {where}: pick one.")
        elif shown:
            verb = "matches" if shown == 1 else "match"
            self.message.setText(f"{count} on {where}; {shown} {verb} the filter: pick one.")
        else:
            self.message.setText(f"{count} on {where}; none matches the filter.")

    def _select(self, name: str) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, COL_NAME)
            if index.data(NAME_ROLE) == name:
                self.projects.setCurrentIndex(index)
                self.projects.scrollTo(index)
                return True
        return False

    def _list_failed(self, job: Job, message: str) -> None:
        if job is not self.job:
            return
        self.job = None
        self.list_button.setEnabled(True)
        self.message.setText(f"Could not list the projects: {message}")
        if "password" in message:  # what to do next is type it: Enter then lists again
            self.password.setFocus()
            self.password.selectAll()

    def project_names(self) -> list[str]:
        """The projects shown, in the list's order (filtered and sorted)."""
        return [self.proxy.index(r, COL_NAME).data(NAME_ROLE) for r in range(self.proxy.rowCount())]

    def pick(self, name: str) -> bool:
        """Select a listed project, as a click does."""
        return self._select(name)

    # ---------------------------------------------------------------- picking
    def _project_picked(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        if rows and self.listed_server:
            self.url.setText(with_project(self.listed_server, str(rows[0].data(NAME_ROLE))))

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._say_count()

    def _filter_entered(self) -> None:
        """Enter in the filter: the project picked with Up/Down, or the only match, is opened;
        else the first is selected."""
        current = self.projects.currentIndex()
        if current.isValid() or self.proxy.rowCount() == 1:
            if not current.isValid():
                self.projects.setCurrentIndex(self.proxy.index(0, COL_NAME))
            self.accept()
        elif self.proxy.rowCount():
            self.projects.setCurrentIndex(self.proxy.index(0, COL_NAME))
            self.projects.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and Down in the filter box move the list's selection, so the person can type,
        arrow to the project and press Enter without leaving the box."""
        if (
            watched is self.filter
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
            and self.proxy.rowCount()
        ):
            current = self.projects.currentIndex()
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = current.row() + step if current.isValid() else 0
            row = max(0, min(self.proxy.rowCount() - 1, row))
            self.projects.setCurrentIndex(self.proxy.index(row, COL_NAME))
            return True
        return super().eventFilter(watched, event)

    def _recent_picked(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        url = str(item.data(Qt.ItemDataRole.UserRole))
        self.url.setText(url)
        if _server_of(url) != self.listed_server:  # another server: list its projects instead
            self.list_projects()

    def _url_changed(self, *_: object) -> None:
        text = self.url.text().strip()
        ok = is_team_url(text) and bool(_project_of(text))
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(ok)

    def _enter(self) -> None:
        if _project_of(self.url.text()):
            self.accept()
        else:
            self.list_projects()

    def done(self, result: int) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job = None
        super().done(result)


def ask_team_url(
    parent: QWidget | None, recent: Sequence[str], url: str = "", message: str = ""
) -> str | None:
    dialog = OpenTeamDialog(parent, recent, url, message)
    try:
        return dialog.chosen_url() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
