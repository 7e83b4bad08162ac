"""Team projects in the window: File ▸ Open team project…, live updates, presence, faults.

When the open project is a team project, a TeamListener (core/project/live.py) receives every
edit committed by anyone (LISTEN/NOTIFY, no polling); its callbacks arrive here as Qt signals
on the UI thread. An edit by someone else reloads the claims (the window's own refresh) and says
who did what ("ana rated claim 4 Mostly false 3 s ago"); the status bar's right corner names who
else has the project open; a dropped connection is said plainly and edits are refused by the
store until the listener reports the server back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from workbench.core.errors import WorkbenchError
from workbench.core.project.backends import is_team_url
from workbench.core.project.records import EventRecord
from workbench.gui.labels import plain_label
from workbench.gui.window.actions import ActionSpec

if TYPE_CHECKING:
    from workbench.core.project.live import TeamListener
    from workbench.gui.team.opening import PasswordNeeded
    from workbench.gui.window.main_window import MainWindow

OPEN_TEAM = ActionSpec(
    "file.open_team",
    "Open &team project…",
    menu="file/open",
    tip="Open a project on the newsroom's PostgreSQL server: pick it from the server's list",
)


LEAVE_DELAY_MS = 1000  # a window that leaves closes its project's connection right after saying so


class _Bridge(QObject):
    """Listener callbacks (a worker thread) to the UI thread; notices the window closing."""

    event = Signal(object)
    connection = Signal(bool, str)
    ready = Signal()
    presence = Signal(str)
    closing = Signal()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.closing.emit()
        return False


class TeamFeature:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.listener: TeamListener | None = None
        self.bridge = _Bridge()
        self.bridge.event.connect(self._on_event)
        self.bridge.connection.connect(self._on_connection)
        self.bridge.ready.connect(self._on_ready)
        self.bridge.presence.connect(self._on_presence)
        self.presence = plain_label("", objectName="teamPresence")
        window.statusBar().addPermanentWidget(self.presence)
        self.online = True
        self.last_news = ""
        self._last_event: EventRecord | None = None
        self.ask_url = self._ask_url  # tests replace it
        window.add_action(OPEN_TEAM, self.open_team)
        window.projectOpened.connect(self._project_opened)
        window.destroyed.connect(self._stop)
        self.bridge.closing.connect(self._stop)  # the listener's connection ends with the window
        window.installEventFilter(self.bridge)

    # ---------------------------------------------------------------- opening
    def _ask_url(self, url: str = "", message: str = "") -> str | None:
        from workbench.gui.team.open_dialog import ask_team_url

        return ask_team_url(self.window, self.recent_team_projects(), url, message)

    def recent_team_projects(self) -> list[str]:
        return [p for p in self.window.recent_files() if is_team_url(p)]

    def open_team(self) -> None:
        url = self.ask_url()
        if url:
            self.window.open_path(url)

    def ask_password(self, needed: PasswordNeeded) -> None:
        """A remembered team project keeps no password: when the server asks for one (and
        PGPASSWORD or ~/.pgpass does not give it) the Open team project dialog asks, with the
        project filled in; cancelling it opens nothing and says nothing."""
        url = self.ask_url(
            needed.url,
            f"The server asks for the password of {needed.login} (used for now, never saved).",
        )
        if url:
            self.window.open_path(url)

    # ---------------------------------------------------------------- live
    def _project_opened(self) -> None:
        self._stop()
        project = self.window.project
        if not project.is_team:
            self.presence.setText("")
            return
        # psycopg only once a team project is open: a file user's start-up never pays for it.
        from workbench.core.project.backends.postgres import parse_url
        from workbench.core.project.live import TeamListener

        url = parse_url(project.location)
        self.window.setWindowTitle(
            f"{project.article().title or url.project} — {url.project} on {url.server} — Workbench"
        )
        # Not waited for: the listener connects on its own thread (a slow server must not hold
        # the window); edits made before it listens are caught up when it is ready.
        project.watch()  # the listener reconnects; the UI thread only probes
        self.listener = TeamListener(
            project.open_location,
            self.bridge.event.emit,
            self.bridge.connection.emit,
            on_ready=self.bridge.ready.emit,
            on_presence=self.bridge.presence.emit,
        ).start(timeout=0)
        self._show_presence()

    def _stop(self, *_: Any) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener = None

    def _on_event(self, event: EventRecord) -> None:
        w = self.window
        if not w.has_project() or not w.project.is_team:
            return
        if event.actor == w.project.login:
            return  # our own edit: already shown
        w.check_external_changes()
        scale = w.project.scale

        def label(rating: str) -> str:
            try:
                return scale.rating(rating).label
            except WorkbenchError:
                return rating

        previous, self._last_event = self._last_event, event
        if (
            event.action == "status"
            and previous is not None
            and previous.action == "verdict"
            and (previous.claim_id, previous.actor) == (event.claim_id, event.actor)
        ):
            return  # the status move that comes with a rating: the rating says it
        from workbench.core.project.live import describe

        self.last_news = describe(event, label)
        w.status(self.last_news, 8000)
        self._show_presence()

    def _on_ready(self) -> None:
        """The listener listens: edits committed since the project was read are shown now."""
        w = self.window
        if not self._listening():
            return  # news from a listener since stopped, or which lost the server since
        if w.has_project() and w.project.is_team:
            self.online = True  # whatever a stopped listener said last about its own project
            w.project.set_offline(False)
            w.check_external_changes()
            self._show_presence()

    def _on_presence(self, kind: str) -> None:
        """Someone opened or left the project: who else is there is read again (after a leave,
        a moment later: the leaving window closes its project's connection just after)."""
        if not self._listening():
            return
        if kind == "leave":
            QTimer.singleShot(LEAVE_DELAY_MS, self.presence, self._show_presence_if_listening)
        else:
            self._show_presence()

    def _show_presence_if_listening(self) -> None:
        if self._listening() and self.window.has_project() and self.window.project.is_team:
            self._show_presence()

    def _listening(self) -> bool:
        return self.listener is not None and self.listener.up is True

    def _on_connection(self, up: bool, message: str) -> None:
        if self.listener is None:
            return  # from a listener stopped since (a file project is open now, or none)
        if up and not self._listening():
            return  # stale: it lost the server again since (its "lost" message follows)
        self.online = up
        if self.window.has_project():
            self.window.project.set_offline(not up)
        self.window.status(message, 0 if not up else 5000)
        if up:
            self.window.check_external_changes()
            self._show_presence()
        else:
            self.presence.setText("Offline: edits are refused until the server is back")

    def _show_presence(self) -> None:
        w = self.window
        try:
            others = w.project._backend.others_present()
        except Exception:  # the server is away: the connection message says so
            return
        self.presence.setText(
            f"Also here: {', '.join(others)}" if others else "Nobody else has it open"
        )


def install(window: MainWindow) -> TeamFeature:
    return TeamFeature(window)
