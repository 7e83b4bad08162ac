"""The main window, the frame: the article in the middle, the claims table below it, the claim
on the right, and whatever panels, views and commands the features add.

It owns the open Project, the undo stack and the background jobs, and keeps the three views in
step (one row and a block or two per edit). The claims table and its filters are the claims
room's (gui/claims/table.py), and so are the Claim menu's commands (gui/claims/actions.py).
"""

from __future__ import annotations

import contextlib
import html
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import LoadError, ProjectError, WorkbenchError
from workbench.core.project.backends import is_team_url
from workbench.core.project.records import ClaimRecord, StoredArticle
from workbench.core.project.store import Project, default_actor
from workbench.core.report.chart import safe_color
from workbench.core.settings import Settings
from workbench.gui import app as gui_app
from workbench.gui import commands as cmd
from workbench.gui.article.view import ArticleView, Legend
from workbench.gui.claims.actions import ClaimActions
from workbench.gui.claims.panel import ClaimPanel, ClaimView, gather_view
from workbench.gui.claims.table import ClaimsTable
from workbench.gui.labels import plain_label, rich_label
from workbench.gui.safe_html import open_in_desktop, open_link, refused_link_message
from workbench.gui.window.actions import ActionRegistry, ActionSpec, MenuSpec
from workbench.gui.window.dialogs import Asker
from workbench.gui.window.dock_share import DockShare
from workbench.gui.window.file_actions import FileActions
from workbench.gui.window.menus import REDO, UNDO, WINDOW_ACTIONS, WINDOW_MENUS
from workbench.gui.window.opening import (
    documents_dir,
    free_path,
    is_project_file,
    is_url,
    project_for_article,
    project_name_for_url,
)
from workbench.gui.window.shortcuts import TypingGuard
from workbench.gui.window.welcome import Welcome
from workbench.gui.workers import Job, JobRunner, new_project_job, read_project_job

POLL_MS = 2000  # how often to look for edits made by another window or process
LARGE_PROJECT_BYTES = 2 * 1024 * 1024  # read bigger projects (~6,000+ claims) off the UI thread
DEFAULT_SIZE = (1400, 900)
FEATURES_AFTER_MS = 1000  # a deferred window installs its features by then, painted or not


AREAS = {
    "bottom": Qt.DockWidgetArea.BottomDockWidgetArea,
    "right": Qt.DockWidgetArea.RightDockWidgetArea,
    "left": Qt.DockWidgetArea.LeftDockWidgetArea,
}


class MainWindow(QMainWindow):
    """The frame: it hosts the article, the claims table and the claim panel, and the panels,
    views, menus and commands features add through the public API below (add_menu, add_action,
    add_panel, add_view, add_condition), these signals, push() and start_job().
    Feature modules are listed in gui/window/features.py."""

    projectOpened = Signal()  # a project was installed (self.project is the new one)
    claimSelected = Signal(object)  # claim id or None, after the views moved to it
    claimsEdited = Signal(object)  # claim ids re-read after an edit or undo; None: all of them
    viewChanged = Signal(str)  # the id of the view now shown in the middle ("article", ...)
    featuresInstalled = Signal()  # after install_features() (at once, or after the first frame)

    def __init__(
        self,
        *,
        settings: Settings | None = None,
        ask: Asker | None = None,
        open_url: Callable[[str], Any] | None = None,
        persist: bool = True,
        defer_features: bool = False,
    ) -> None:
        """`defer_features`: show the first frame (article, claims, claim panel, the window's
        own menus) before the features are imported and built (`workbench FILE` does: start-up
        within 3x a bare window); they follow as soon as the event loop runs."""
        super().__init__()
        self.settings = settings if settings is not None else gui_app.settings()
        self.ask = ask if ask is not None else Asker(self)
        self._browser = open_url or open_in_desktop
        self.persist = persist  # False for screenshots: leave layout and recent files alone
        self._closed = False  # after closeEvent: slots fired while Qt tears down do nothing
        self.first_paint_at: float | None = (
            None  # perf_counter() of a deferred window's first paint
        )
        self._project: Project | None = None
        self._article: StoredArticle | None = None
        self._data_version = 0
        self._selecting = False
        self.last_error = ""
        self.job: Job | None = None
        self.jobs = JobRunner(self)
        self.undo_stack = QUndoStack(self)

        self.setWindowTitle("Workbench")
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks)
        self._panels: dict[str, QDockWidget] = {}
        self._view_ids: list[str] = []
        self._build_views()
        self._build_registry()
        self.claim_actions = ClaimActions(self)
        self.file_actions = FileActions(self)
        # Menus and toolbar are built once, after the window's and the features' actions.
        with self.actions_registry.batch():
            self._build_actions()
            self._build_status_bar()
            self._connect()
            self.features: dict[str, Any] = {}
            if not defer_features:
                self._install_features()
        self._guard = TypingGuard(self)
        if not defer_features:
            QApplication.instance().installEventFilter(self._guard)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.check_external_changes)
        self._restore_layout()
        self._update_enabled()

    # ================================================================== building
    def _build_views(self) -> None:
        self.article_view = ArticleView()
        self.legend = Legend()
        center = QWidget()
        box = QVBoxLayout(center)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.legend)
        box.addWidget(self.article_view, 1)
        self.welcome = Welcome()
        box.addWidget(self.welcome, 1)
        # The middle of the window: the article, and the views features add beside it as tabs.
        self.views = QTabWidget()
        self.views.setObjectName("centralTabs")
        self.views.setDocumentMode(True)
        self.views.setTabBarAutoHide(True)
        self.add_view("article", "Article", center, "The article with its claims highlighted")
        self.views.currentChanged.connect(lambda _i: self.viewChanged.emit(self.current_view()))
        self.setCentralWidget(self.views)

        self.claims_table = ClaimsTable(me=self._me)
        # The claims model is the window's public view of the open project's claims.
        self.model, self.proxy = self.claims_table.model, self.claims_table.proxy
        self.table = self.claims_table.table
        self.filter_status = self.claims_table.filter_status  # the library feature's anchor
        # The claim panel runs the full height on the right; the table sits under the article.
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.claims_dock = self._dock("Claims", self.claims_table, AREAS["bottom"])
        self.panel = ClaimPanel()
        # No fixed minimum: the panel asks for its content's (ClaimPanel.minimumSizeHint).
        self.panel_dock = self._dock("Claim", self.panel, AREAS["right"])
        self._panels.update(claims=self.claims_dock, claim=self.panel_dock)
        self.resizeDocks([self.panel_dock], [430], Qt.Orientation.Horizontal)
        self.resizeDocks([self.claims_dock], [290], Qt.Orientation.Vertical)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title.lower()}Dock")  # saveState needs stable names
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock

    # ================================================================== the public frame API
    def add_menu(self, spec: MenuSpec) -> QMenu:
        """A menu on the menu bar (by `spec.order`) or a submenu; see gui/window/actions.py."""
        return self.actions_registry.add_menu(spec)

    def add_action(
        self, spec: ActionSpec, slot: Callable[..., Any] | None = None, **kw: Any
    ) -> QAction:
        """Register a command: its menus, toolbar group, keys and Help entry come from `spec`."""
        return self.actions_registry.add(spec, slot, **kw)

    def add_condition(self, name: str, test: Callable[[], bool]) -> None:
        """A named enabled-when test for ActionSpec.enabled_when."""
        self.actions_registry.add_condition(name, test)

    def refresh_actions(self) -> None:
        """Re-apply every enabled-when condition (features call it when their state changes)."""
        self.actions_registry.refresh()

    def add_panel(
        self,
        panel_id: str,
        title: str,
        widget: QWidget,
        *,
        area: str = "bottom",
        tab_with: str = "",
        shown: bool = True,
    ) -> QDockWidget:
        """A dock a feature owns, listed in View; `tab_with` names a panel to share a place with."""
        dock = self._dock(title, widget, AREAS[area])
        self._panels[panel_id] = dock
        self.add_action(
            ActionSpec(f"view.panel.{panel_id}", title, menu="view/panels", in_help=False),
            action=dock.toggleViewAction(),
        )
        if tab_with:
            self.tabifyDockWidget(self._panels[tab_with], dock)
            self._panels[tab_with].raise_()  # the first panel stays in front
        if not shown:
            dock.hide()
        return dock

    def dock(self, panel_id: str) -> QDockWidget:
        """The dock of a panel: "claims", "claim", or one a feature added."""
        return self._panels[panel_id]

    def add_view(self, view_id: str, title: str, widget: QWidget, tip: str = "") -> None:
        """A tab in the middle of the window beside the article (the tab bar shows from two)."""
        index = self.views.addTab(widget, title)
        if tip:
            self.views.setTabToolTip(index, tip)
        self._view_ids.append(view_id)

    def show_view(self, view_id: str) -> None:
        self.views.setCurrentIndex(self._view_ids.index(view_id))

    def current_view(self) -> str:
        return self._view_ids[self.views.currentIndex()]

    def set_views_corner(self, widget: QWidget) -> None:
        """A small widget at the right end of the view tabs (the review pane's colour key)."""
        self.views.setCornerWidget(widget, Qt.Corner.TopRightCorner)

    def status(self, message: str, ms: int = 5000) -> None:
        self.statusBar().showMessage(message, ms)

    # ================================================================== actions
    def _build_registry(self) -> None:
        bar = QToolBar("Tools", self)
        bar.setObjectName("toolsBar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.toolbar = bar
        registry = self.actions_registry = ActionRegistry(self, bar)
        registry.add_condition("project", self.has_project)
        registry.add_condition("claim", lambda: self.current_claim_id() is not None)
        registry.add_condition(
            "selection",
            lambda: self.has_project() and self.article_view.textCursor().hasSelection(),
        )

    def _build_actions(self) -> None:
        registry = self.actions_registry
        for menu in WINDOW_MENUS:
            registry.add_menu(menu)
        slots = self._slots()
        for spec in WINDOW_ACTIONS:
            if isinstance(spec, MenuSpec):
                registry.add_menu(spec)
            else:
                registry.add(spec, slots[spec.id])
        self.recent_menu = registry.menu("file.recent")
        self.recent_menu.aboutToShow.connect(self.file_actions.fill_recent_menu)
        self.claim_actions.register()
        self._build_undo_actions()
        for panel_id, dock in self._panels.items():
            registry.add(
                ActionSpec(
                    f"view.panel.{panel_id}", dock.windowTitle(), menu="view/panels", in_help=False
                ),
                action=dock.toggleViewAction(),
            )

    def _slots(self) -> dict[str, Callable[[], Any]]:
        f = self.file_actions
        return {
            "file.new_file": f.new_from_file_dialog,
            "file.new_url": f.new_from_url_dialog,
            "file.new_text": f.new_from_text_dialog,
            "file.open": f.open_dialog,
            "file.save_copy": f.save_copy_dialog,
            "file.reviewer": f.reviewer_dialog,
            "file.settings": f.settings_dialog,
            "file.quit": self.close,
            "view.article": lambda: self.show_view("article"),
            "help.shortcuts": f.show_shortcuts,
            "help.sample": f.open_sample,
        }

    def _build_undo_actions(self) -> None:
        """Undo and Redo: "Undo" on the toolbar, what it undoes in the Edit menu and tooltip.

        Qt's own undo actions keep their text in step with the stack (and go with it), so no
        Python slot can run on a half-destroyed window at exit."""
        self.act_undo = self.add_action(UNDO, action=self.undo_stack.createUndoAction(self, "Undo"))
        self.act_redo = self.add_action(REDO, action=self.undo_stack.createRedoAction(self, "Redo"))

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.progress_label = rich_label(objectName="progressSummary")
        self.job_label = plain_label()
        self.job_bar = QProgressBar()
        self.job_bar.setRange(0, 100)
        self.job_bar.setMaximumWidth(180)
        self.job_cancel = QPushButton("Cancel")
        self.job_cancel.clicked.connect(self.cancel_job)
        for w in (self.job_label, self.job_bar, self.job_cancel):
            w.setVisible(False)
            status.addPermanentWidget(w)
        status.addPermanentWidget(self.progress_label)
        # A message longer than the bar is cut ("…1 gone from the re"): the whole of it shows
        # when the pointer rests on the bar, for as long as the message stays.
        # (A lambda: the bound C++ method as a slot made PySide print "Cannot add dynamic
        # method" on every start.) The bar emits it, so the bar is alive when it runs.
        status.messageChanged.connect(lambda message, bar=status: bar.setToolTip(message))
        # While a message shows, the counts make room for it (see _update_summary).
        self._summary = ("", "")
        status.messageChanged.connect(lambda message, w=self: w._show_summary(bool(message)))

    def _connect_welcome(self) -> None:
        # Lambdas, so the buttons call whatever the methods are when clicked.
        f = self.file_actions
        self.welcome.newFromFile.connect(lambda: f.new_from_file_dialog())
        self.welcome.newFromUrl.connect(lambda: f.new_from_url_dialog())
        self.welcome.newFromText.connect(lambda: f.new_from_text_dialog())
        self.welcome.openProject.connect(lambda: f.open_dialog())

    def _connect(self) -> None:
        self._connect_welcome()
        self.welcome.openRecent.connect(self.open_path)
        self.claims_table.claimChosen.connect(self._table_chose)
        v = self.article_view
        v.claimClicked.connect(lambda cid: self.select_claim(cid, scroll_article=False))
        v.linkOpenRequested.connect(self.open_url)
        v.selectionChanged.connect(self._update_enabled)
        v.cursorPositionChanged.connect(self._update_enabled)

        self.panel.openUrlRequested.connect(self.open_url)
        self.panel.follow_undo_stack(self.undo_stack)
        # Bound methods, not lambdas: Qt drops these connections when the window goes.
        self.undo_stack.indexChanged.connect(self._update_enabled)

    def open_url(self, url: str) -> bool:
        """Every link the window opens passes here: http(s) goes to the browser, anything else
        (file:, smb:, ms-msdt: ...) is refused and the person is told; True when opened."""
        if open_link(url, self._browser):
            return True
        self.statusBar().showMessage(refused_link_message(url), 10_000)
        return False

    # ================================================================== EditContext
    @property
    def project(self) -> Project:
        if self._project is None:
            raise ProjectError("Open a project first.")
        return self._project

    def _me(self) -> str:
        """Who "Assigned to me" is: the login of a team project, else the name edits are made
        under."""
        if self._project is not None and self._project.is_team:
            return self._project.login
        return self.actor()

    def has_project(self) -> bool:
        return self._project is not None

    def actor(self) -> str:
        name = str(self.settings.get("reviewer") or "").strip()
        return name or default_actor()

    def claims_changed(self, claim_ids: Iterable[int], select: int | None = None) -> None:
        """After an edit: re-read the touched claims, refresh one row and block each."""
        if self._project is None:
            return
        claim_ids = list(claim_ids)
        for claim_id in claim_ids:
            try:
                record = self._project.claim(claim_id)
            except WorkbenchError:
                self.model.remove_claim(claim_id)
                continue
            self.model.update_claim(record)
            self.article_view.update_claim(record)
        self._update_summary()
        self.claimsEdited.emit(list(claim_ids))
        current = self.current_claim_id()
        target = select if select is not None else current
        if target is not None and self.model.claim(target) is None:
            target = None
        self.select_claim(target, scroll_article=select is not None and select != current)

    def report_error(self, message: str) -> None:
        self.show_error("The change was not made", message)

    def show_error(self, title: str, message: str) -> None:
        self.last_error = message
        self.statusBar().showMessage(message, 10_000)
        self.ask.error(title, message)

    # ================================================================== opening
    def open_path(self, target: str | Path) -> None:
        """Open a project, or start one from an article file or URL. Errors are shown, not raised."""
        text = str(target).strip()
        if is_team_url(text):
            self.open_project(text)
            return
        if is_url(text):
            self.new_from_url(text)
            return
        path = Path(text).expanduser()
        if not path.exists():
            self.show_error("Could not open", f"There is no file at {path}.")
            return
        if path.is_dir():
            self.show_error(
                "Could not open", f"{path} is a folder; choose a project or an article file."
            )
            return
        if is_project_file(path):
            self.open_project(path)
        else:
            self.new_from_article(path)

    def open_project(self, path: Path | str) -> bool:
        """Open a project file (a large one in a background job), or start opening a team
        project in one; False when it failed or could not start (the reason is shown)."""
        if is_team_url(path):  # its URL stays text (Path would fold its //)
            return self._open_team(str(path).strip())
        path = Path(path)
        try:
            project = Project.open(path)
            if path.stat().st_size > LARGE_PROJECT_BYTES:
                project.close()
                self._start_job(read_project_job(path), lambda r: self._install_read(path, r))
                return True
            article, claims = project.article(), project.claims()
        except WorkbenchError as exc:
            self.show_error("Could not open the project", str(exc))
            return False
        except OSError as exc:
            self.show_error("Could not open the project", f"{path.name} cannot be read: {exc}.")
            return False
        self._install(project, article, claims)
        return True

    def _open_team(self, url: str) -> bool:
        """Connect and read off the UI thread (a server that never answers would freeze the
        window for the connect timeout); the open project stays until the new one is ready."""
        from workbench.gui.team.opening import open_team_job

        # The job's label beside its progress bar says whom it is connecting to; a status
        # message saying it too showed the same words twice on one line.
        job = open_team_job(url)
        return self.start_job(job, self._team_opened, failed_title="Could not open the project")

    def _team_opened(self, result: Any) -> None:
        from workbench.gui.team.opening import PasswordNeeded

        if isinstance(result, PasswordNeeded):
            team = self.features.get("team")  # its Open team project dialog asks for it
            if team is not None and not self._closed:
                self.statusBar().clearMessage()
                team.ask_password(result)
            else:
                self.show_error("Could not open the project", result.message)
            return
        if self._closed:  # the window went while the job finished: nobody will use it
            result.project.close()
            return
        self._install(result.project, result.article, result.claims)

    def load_project(self, path: Path | str) -> None:
        """Open synchronously, whatever the size (screenshots, scripts); raises WorkbenchError."""
        project = Project.open(path)
        self._install(project, project.article(), project.claims())

    def _install_read(self, path: Path, result: tuple[StoredArticle, list[ClaimRecord]]) -> None:
        try:
            project = Project.open(path)
        except WorkbenchError as exc:
            self.show_error("Could not open the project", str(exc))
            return
        self._install(project, *result)

    def _install(self, project: Project, article: StoredArticle, claims: list[ClaimRecord]) -> None:
        """Make `project` the open one; the previous project is closed only now, on success."""
        if self._project is not None:
            self._remember_claim()
            self.panel.commit_rationale()
            self._project.close()
        self.undo_stack.clear()
        self._project = project
        self._article = article
        self._data_version = project.data_version()
        self.model.set_claims(claims, project.scale)
        self.article_view.set_article(article, claims, project.scale)
        self.legend.set_scale(project.scale)
        self.panel.set_scale(project.scale)
        self.claims_table.set_project_scale(project.scale, team=project.is_team)
        self.claim_actions.set_scale(project.scale)
        self.welcome.setVisible(False)
        self.article_view.setVisible(True)
        self.legend.setVisible(True)
        self.setWindowTitle(
            f"{article.title or project.path.stem} — {project.path.name} — Workbench"
        )
        self._add_recent(project.location if project.is_team else project.path)
        self._update_summary()
        self.claims_table.update_count()
        if not project.is_team:  # team projects are told of edits by the server, not polled
            self._poll.start()
        self.select_claim(self._first_claim(), scroll_article=True)
        # Keys go to the table, so J/K/N/1–9 work at once (the filter box would take them).
        self.table.setFocus()
        self.statusBar().showMessage(f"Opened {project.location}", 5000)
        self.projectOpened.emit()

    def _first_claim(self) -> int | None:
        """Where the person left off, else the first check-worthy unchecked claim."""
        remembered = self.settings.get("last_claims").get(self._claim_key())
        with contextlib.suppress(TypeError, ValueError):
            if remembered is not None and self.model.claim(int(remembered)) is not None:
                return int(remembered)
        claims = self.model.claims()
        for c in claims:
            if c.status == "unchecked" and c.score >= 0.3:
                return c.id
        return claims[0].id if claims else None

    def new_from_article(self, path: Path) -> None:
        try:
            target, same = project_for_article(path)
        except OSError as exc:
            self.show_error("Could not open", f"{path.name} cannot be read: {exc.strerror or exc}.")
            return
        if same:
            self.open_project(target)
            return
        self._start_job(new_project_job(target, path), self._project_written)

    def new_from_url(self, url: str) -> None:
        suggested = free_path(documents_dir() / project_name_for_url(url))
        target = self.ask.save_path("Save the new project as", suggested)
        if target is None:
            return
        self._start_job(new_project_job(target, url, overwrite=True), self._project_written)

    def new_from_text(self, text: str) -> None:
        from workbench.core.article.load import article_from_text  # trafilatura: ~0.4 s

        try:
            article = article_from_text(text)
            if not article.text.strip():
                raise LoadError("The pasted text is empty; paste an article first.")
        except WorkbenchError as exc:
            self.show_error("Could not start a project", str(exc))
            return
        name = "".join(ch for ch in (article.title or "pasted")[:40] if ch.isalnum() or ch in " -_")
        suggested = free_path(documents_dir() / f"{name.strip() or 'pasted'}.wbproj")
        target = self.ask.save_path("Save the new project as", suggested)
        if target is None:
            return
        self._start_job(new_project_job(target, article, overwrite=True), self._project_written)

    def _project_written(self, path: Path) -> None:
        if self.open_project(Path(path)):
            from workbench.core.project.create import refused_links_note

            note = refused_links_note(self.project)
            if note:  # file:, smb: ... links of the article: kept as text, and said so
                self.statusBar().showMessage(note, 15_000)

    # ---------------------------------------------------------------- recent files
    def recent_files(self) -> list[str]:
        return [str(v) for v in self.settings.get("recent_projects")]

    def _add_recent(self, path: Path) -> None:
        if not self.persist:
            return
        # A team project is kept by its URL without password (Project.location).
        entry = str(path) if is_team_url(path) else str(Path(path).resolve())
        with contextlib.suppress(OSError):  # an unwritable settings folder costs only the list
            self.settings.add_recent(entry)

    # ---------------------------------------------------------------- drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if not urls:
            return
        url = urls[0]
        event.acceptProposedAction()
        # Queued, so the drag source is released before a dialog or load starts.
        target = url.toLocalFile() if url.isLocalFile() else url.toString()
        QTimer.singleShot(0, lambda: self.open_path(target))

    # ================================================================== jobs
    def start_job(
        self,
        job: Job,
        on_done: Callable[[Any], None],
        *,
        failed_title: str = "Could not load the article",
    ) -> bool:
        """Run `job` off the UI thread with progress and Cancel in the status bar."""
        if self.job is not None:
            self.show_error(
                "Busy", f"“{self.job.title}” is still running; wait for it or cancel it."
            )
            return False
        self._failed_title = failed_title
        self._start_job(job, on_done)
        return True

    def _start_job(self, job: Job, on_done: Callable[[Any], None]) -> None:
        if self.job is not None:
            self.show_error("Busy", "Another article is still loading; wait for it or cancel it.")
            return
        self.job = job
        self.job_label.setText(job.title)
        self.job_bar.setValue(0)
        for w in (self.job_label, self.job_bar, self.job_cancel):
            w.setVisible(True)
        self.job_cancel.setEnabled(True)
        job.signals.progress.connect(self._job_progress)
        job.signals.finished.connect(lambda result: self._job_done(on_done, result))
        job.signals.failed.connect(self._job_failed)
        job.signals.cancelled.connect(self._job_cancelled)
        self.jobs.start(job)

    def _job_progress(self, step: str, fraction: float) -> None:
        self.job_bar.setValue(round(fraction * 100))
        if self.job is not None:
            self.job_label.setText(f"{self.job.title}: {step.lower()}")

    def _end_job(self) -> None:
        self.job = None
        for w in (self.job_label, self.job_bar, self.job_cancel):
            w.setVisible(False)

    def _job_done(self, on_done: Callable[[Any], None], result: Any) -> None:
        self._end_job()
        on_done(result)

    def _job_failed(self, message: str) -> None:
        self._end_job()
        title = getattr(self, "_failed_title", "Could not load the article")
        self._failed_title = "Could not load the article"
        self.show_error(title, message)

    def _job_cancelled(self) -> None:
        message = self.job.cancelled_message if self.job is not None else "Cancelled."
        self._end_job()
        self.statusBar().showMessage(message, 5000)

    def cancel_job(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job_cancel.setEnabled(False)
            self.job_label.setText("Cancelling…")

    # ================================================================== selection
    def current_claim_id(self) -> int | None:
        return self.panel.claim_id()

    def current_claim(self) -> ClaimRecord | None:
        cid = self.current_claim_id()
        return None if cid is None else self.model.claim(cid)

    def select_claim(
        self, claim_id: int | None, *, scroll_article: bool = True, scroll_table: bool = True
    ) -> None:
        """Select a claim in the table, the article and the panel at once."""
        if self._selecting:
            return
        self._selecting = True
        try:
            self.claims_table.show_claim(claim_id, scroll=scroll_table)
            self.article_view.select_claim(claim_id, scroll=scroll_article)
            self.panel.show_view(self._claim_view(claim_id) if claim_id is not None else None)
        finally:
            self._selecting = False
        self._update_enabled()
        self.claimSelected.emit(claim_id)

    def _table_chose(self, claim_id: int) -> None:
        # Not scrolled here: a click is still selecting the row under the mouse, and Qt
        # scrolls the clicked row into view itself once the click is over.
        self.select_claim(claim_id, scroll_table=False)

    def _claim_view(self, claim_id: int) -> ClaimView | None:
        if self._project is None or self._article is None:
            return None
        return gather_view(
            self._project, self._article.text, self.model, claim_id, lambda m: self.status(m, 8000)
        )

    # ================================================================== edits
    def push(self, command: cmd.ProjectCommand) -> bool:
        """Apply an undoable edit; shown as an error (and not pushed) if the project refuses."""
        try:
            command.apply()
        except WorkbenchError as exc:
            self.report_error(str(exc))
            return False
        self.undo_stack.push(command)
        return True

    # ================================================================== refresh
    def check_external_changes(self) -> bool:
        """Reload when another window or process changed the file; True if it did."""
        if self._project is None:
            return False
        try:
            version = self._project.data_version()
        except WorkbenchError:
            return False
        if version == self._data_version:
            return False
        self._data_version = version
        try:
            claims = self._project.claims()
        except WorkbenchError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return False
        current = self.current_claim_id()
        self.model.set_claims(claims, self._project.scale)
        self.article_view.set_claims(claims)
        self._update_summary()
        self.claims_table.update_count()
        self.select_claim(
            current if current is not None and self.model.claim(current) else None,
            scroll_article=False,
        )
        self.statusBar().showMessage("Updated with changes made in another window.", 5000)
        self.claimsEdited.emit(None)
        return True

    def _update_summary(self) -> None:
        """The counts beside the status bar's messages: in full, or while a message shows,
        only how many are checked (the full counts took ~850 px of a 1400 px bar and cut a
        fetch's message to "…from the Wa"); the full counts are the label's tooltip."""
        if self._project is None:
            self._summary = ("", "")
            self._show_summary(bool(self.statusBar().currentMessage()))
            return
        claims = self.model.claims()
        done = sum(1 for c in claims if c.status in ("checked", "approved"))
        counts: dict[str, int] = {}
        for c in claims:
            if c.rating:
                counts[c.rating] = counts.get(c.rating, 0) + 1
        parts = [f"<b>{done}</b> of {len(claims)} checked"]
        for r in self._project.scale.ratings:
            if counts.get(r.id):
                # A scale comes from a file beside the project: its label is text, not markup.
                swatch = f'<span style="color:{safe_color(r.color)}">■</span>'
                parts.append(f"{swatch} {html.escape(r.label)} {counts[r.id]}")
        returned = sum(1 for c in claims if c.status == "returned")
        short = parts[:1]
        if returned:
            parts.append(f"{returned} returned")
            short.append(f"{returned} returned")
        self._summary = ("  ·  ".join(parts), "  ·  ".join(short))
        self._show_summary(bool(self.statusBar().currentMessage()))

    def _show_summary(self, message_shown: bool) -> None:
        if self._closed:
            return
        full, short = self._summary
        self.progress_label.setText(short if message_shown else full)
        self.progress_label.setToolTip(full if message_shown and full != short else "")

    def _update_enabled(self, *_args: Any) -> None:
        if self._closed:
            return
        has_project = self._project is not None
        self.actions_registry.refresh()
        if not has_project and not self.welcome.isVisible():
            recent = [p for p in self.recent_files() if is_team_url(p) or Path(p).exists()]
            self.welcome.set_recent(recent)
        self.welcome.setVisible(not has_project)
        self.article_view.setVisible(has_project)
        self.legend.setVisible(has_project)

    # ================================================================== layout, closing
    def _install_features(self) -> None:
        from workbench.gui.window.features import install_features  # not for the first frame

        self.features = install_features(self)

    def install_deferred_features(self) -> None:
        """Install the features a deferred window has not installed yet, and bring them up to
        date: the saved layout of their panels, the project and claim already open."""
        if self.features or self._closed:
            return
        with self.actions_registry.batch():
            self._install_features()
        state = self.settings.get("window_state")
        if state:
            self.restoreState(QByteArray(state))
        if self._project is not None:
            self.projectOpened.emit()
            self.claimSelected.emit(self.current_claim_id())
        self._update_enabled()
        # Every event of the app passes the guard; the thousands of the first frame and the
        # features' construction need not (no key can be typed before the window shows).
        QApplication.instance().installEventFilter(self._guard)
        self.featuresInstalled.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.features and self.first_paint_at is None:
            self.installEventFilter(self)
            # If no paint comes (a minimised start), the features come anyway.
            QTimer.singleShot(FEATURES_AFTER_MS, self.install_deferred_features)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The first paint of a deferred window: the features are installed right after it."""
        if watched is self and event.type() == QEvent.Type.Paint and self.first_paint_at is None:
            self.first_paint_at = time.perf_counter()
            self.removeEventFilter(self)
            QTimer.singleShot(0, self.install_deferred_features)
        return False

    def _restore_layout(self) -> None:
        geometry = self.settings.get("window_geometry")
        state = self.settings.get("window_state")
        if geometry:
            self.restoreGeometry(QByteArray(geometry))
        else:
            self.resize(*DEFAULT_SIZE)
        if state:
            self.restoreState(QByteArray(state))
        # The claims table's share of the height, kept when the window shrinks and grows.
        self.claims_share = DockShare(self, self.claims_dock, self.settings.get("claims_share"))

    def _claim_key(self) -> str:
        path = str(self._project.path.resolve()) if self._project else ""
        return "".join(ch if ch.isalnum() else "_" for ch in path)[-120:]

    def _remember_claim(self) -> None:
        cid = self.current_claim_id()
        if self._project is not None and cid is not None and self.persist:
            with contextlib.suppress(OSError):
                self.settings.set_last_claim(self._claim_key(), cid)

    def _save_layout(self) -> None:
        try:
            self.settings.update(
                {
                    "window_geometry": self.saveGeometry().data(),
                    "window_state": self.saveState().data(),
                    "claims_share": round(self.claims_share.share, 3),
                }
            )
        except OSError as exc:  # a full disk or a read-only home: the layout is not worth a dialog
            self.status(f"The window layout could not be saved: {exc}")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.panel.commit_rationale()
        if self.persist:
            self._remember_claim()
            self._save_layout()
        if self.job is not None:
            self.job.cancel()
        self.jobs.wait(10_000)
        self._poll.stop()
        QApplication.instance().removeEventFilter(self._guard)
        self._closed = True
        if self._project is not None:
            self._project.close()
            self._project = None
        super().closeEvent(event)
