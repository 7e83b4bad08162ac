"""Pages over time in the window (issue 14): the History tab (a source's captures around the
article's date, fetching one, Compare, Copy citation) and Article ▸ Check for revisions (from
the article's URL or file, or from the Wayback Machine). The diff of two copies is shown in the
Sources review pane (ReviewView.show_changes), so Compare goes there. Network work runs as
background jobs on their own Project."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from workbench.core.errors import WorkbenchError
from workbench.core.net.settings import ArchiveSettings
from workbench.core.project.store import Project
from workbench.core.settings import archive_settings
from workbench.core.wording import counted
from workbench.gui.sources.background import Background
from workbench.gui.sources.capture_time import CaptureTimeDialog
from workbench.gui.sources.jobs import EventJob
from workbench.gui.sources.timeline import HistoryView
from workbench.gui.window.actions import ActionSpec, MenuSpec
from workbench.gui.window.dialogs import ARTICLE_FILTER
from workbench.gui.window.opening import project_folder

if TYPE_CHECKING:
    from workbench.core.sources.compare import CopiesTexts, QuoteHistory
    from workbench.gui.window.main_window import MainWindow

MESSAGE_MS = 8000
ASYNC_CHARS = 60_000  # the copies' texts together; more are checked in a worker
SHOW = ActionSpec(
    "sources.history",
    "Source &history",
    keys=("Ctrl+3",),
    menu="sources/fetch",
    tip="Every capture of the source over time, and the differences between them",
    enabled_when="project",
)
LIST = ActionSpec(
    "sources.list_captures",
    "&List captures of this source",
    menu="sources/fetch",
    tip="Ask the archives for every capture of the source shown",
    enabled_when="project",
)
CITE = ActionSpec(
    "sources.copy_citation",
    "Copy &citation",
    menu="sources/capture",
    tip="Copy a citation of the source naming its archived copy",
    enabled_when="project",
)
REVISIONS = ActionSpec(
    "article.check_revisions",
    "Check for &revisions",
    menu="article/revisions",
    tip="Load the article again; keep both texts and re-anchor every claim",
    enabled_when="project",
)
ARCHIVED_REVISION = ActionSpec(
    "article.archived_revision",
    "Check for revisions in the &Wayback Machine…",
    menu="article/revisions",
    tip="Load the article from a newer archived capture of its URL (or one at a time you give)",
    enabled_when="project",
)
REVISION_FILE = ActionSpec(
    "article.revision_file",
    "Check for revisions from a &file…",
    menu="article/revisions",
    tip="Load a later version of the article from a file (a saved page or its text); keep both "
    "texts and re-anchor every claim",
    enabled_when="project",
)
NO_URL = (
    "The article was made from a file and has no URL, so no archive holds it. "
    "Article ▸ Check for revisions loads it again from its file."
)


class HistoryFeature(QObject):
    def __init__(
        self,
        window: MainWindow,
        *,
        settings_factory: Callable[[], ArchiveSettings] = archive_settings,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.settings_factory = settings_factory
        self.ask_time: Callable[[QWidget], str | None] = self._ask_time  # tests replace it
        self.ask_file: Callable[[QWidget, str], str | None] = _ask_file  # tests replace it
        self.view = HistoryView()
        self.source_id: int | None = None
        self.last_result: object | None = None
        window.add_view("history", "History", self.view, "A source's captures over time (Ctrl+3)")
        window.add_menu(MenuSpec("article", "&Article", order=25, groups=("revisions",)))
        for spec, slot in (
            (SHOW, self.show),
            (LIST, self.list_captures),
            (CITE, lambda: self.copy_citation(self.view.style_box.currentText())),
            (REVISIONS, self.check_revisions),
            (ARCHIVED_REVISION, self.check_archived_revision),
            (REVISION_FILE, self.check_revisions_from_file),
        ):
            window.add_action(spec, slot)
        window.projectOpened.connect(self._reload)
        window.claimSelected.connect(lambda _cid: self._reload())
        window.claimsEdited.connect(lambda _ids: self._reload())
        window.viewChanged.connect(lambda _view: self._reload())
        self.view.listRequested.connect(self.list_captures)
        self.view.fetchRequested.connect(self.fetch_capture)
        self.view.compareRequested.connect(self.compare)
        self.view.citeRequested.connect(self.copy_citation)
        self._hooked = False  # the Sources tab's source choice, followed once features exist
        self._checks = Background()  # the quotation check in every copy of a long page

    # ------------------------------------------------------------------ what is shown
    def show(self) -> None:
        self.window.show_view("history")
        self._reload()

    def _current_source(self) -> int | None:
        w = self.window
        if not w.has_project():
            return None
        review = self._review()
        shown = getattr(review, "current_source_id", 0) if review is not None else 0
        if shown:
            return int(shown)
        claim_id = w.current_claim_id()
        if claim_id is None:
            return None
        links = w.project.claim_sources(claim_id)
        return links[0].source.id if links else None

    def _review(self) -> Any:
        features = getattr(self.window, "features", None) or {}
        review = getattr(features.get("sources"), "review", None)
        if review is not None and not self._hooked:
            self._hooked = True
            review.sourceChanged.connect(lambda _sid: self._reload())
        return review

    def _reload(self) -> None:
        self._review()
        if self.window.current_view() != "history":
            return
        from workbench.core.sources.captures import timeline
        from workbench.core.sources.compare import check_copies, read_copies

        self._checks.next()
        source_id = self._current_source()
        self.source_id = source_id
        if source_id is None:
            self.view.show_timeline(None, [])
            return
        project = self.window.project
        try:
            found = timeline(project, source_id)
            copies = read_copies(project, source_id)
        except WorkbenchError as exc:
            self.window.report_error(str(exc))
            return
        if copies.size < ASYNC_CHARS:
            self.view.show_timeline(found, _quote_lines(check_copies(copies), copies))
            return
        count = len(copies.snapshots)
        self.view.show_timeline(found, [f"Checking the quotations in {count} stored copies…"])
        self._checks.start(
            lambda: check_copies(copies),
            lambda history: self.view.quotes.setText(
                f"The quotations could not be checked: {history}"
                if isinstance(history, Exception)
                else "\n".join(_quote_lines(history, copies))
            ),
        )

    # ------------------------------------------------------------------ jobs
    def _job(
        self,
        title: str,
        work: Callable[[Project, threading.Event], Any],
        done: Callable[[Any], None],
        failed: str,
        *,
        reopen: bool = False,
    ) -> bool:
        w = self.window
        if not w.has_project():
            return False
        # The file, or the team project's URL: a team project's `path` is only its name, so
        # a job that opened it looked for a file called "desk" and failed.
        location = w.project.open_location

        def run(cancel: threading.Event, _progress: Any) -> Any:
            with Project.open(location) as project:
                return work(project, cancel)

        def finished(result: Any) -> None:
            self.last_result = result
            if w.has_project() and w.project.open_location == location:
                if reopen:  # a new article text: every view re-reads it (edits made before
                    # point into the old text, so the undo history goes with it)
                    claim = w.current_claim_id()
                    w.load_project(location)
                    w.select_claim(claim if claim in {c.id for c in w.project.claims()} else None)
                else:
                    w.check_external_changes()
                done(result)
                self._reload()

        return w.start_job(EventJob(title, run), finished, failed_title=failed)

    def list_captures(self) -> bool:
        from workbench.core.sources.captures import list_captures

        self.show()
        source_id = self.source_id
        if source_id is None:
            self.window.status("Choose a claim with a source first.", MESSAGE_MS)
            return False
        settings = self.settings_factory()

        def work(project: Project, cancel: threading.Event) -> Any:
            return list_captures(project, source_id, settings=settings, cancel=cancel)

        def done(found: Any) -> None:
            line = f"{counted(len(found.entries), 'capture')} of the source"
            if found.problems:
                line += "; " + " ".join(found.problems)
            self.window.status(line, MESSAGE_MS)

        return self._job("Listing captures", work, done, "Could not list the captures")

    def fetch_capture(self, timestamp: str) -> bool:
        from workbench.core.sources.captures import fetch_capture

        source_id = self.source_id
        if source_id is None:
            return False
        settings = self.settings_factory()

        def work(project: Project, cancel: threading.Event) -> Any:
            return fetch_capture(project, source_id, timestamp, settings=settings, cancel=cancel)

        return self._job(
            "Fetching a capture",
            work,
            lambda fetched: self.window.status(fetched.describe(), MESSAGE_MS),
            "Could not fetch the capture",
        )

    def check_revisions(self, location: str | None = None) -> bool:
        """Load the article again from its URL or file, or from `location` (a later version
        saved as a file), and keep both texts."""
        from workbench.core.project.revisions import refresh_article

        def work(project: Project, _cancel: threading.Event) -> Any:
            return refresh_article(project, location=location)

        def done(revision: Any) -> None:
            self.window.status(revision.describe(), MESSAGE_MS * 2)

        return self._job(
            "Checking for revisions", work, done, "Could not load the article again", reopen=True
        )

    def check_revisions_from_file(self) -> bool:
        """The revision from a file the person picks: a page saved from the browser, or text
        (offline, or when the article's site has changed or gone)."""
        if not self.window.has_project():
            return False
        chosen = self.ask_file(self.window, str(project_folder(self.window.project)))
        return self.check_revisions(str(Path(chosen))) if chosen else False

    def check_archived_revision(self, at: str | None = None) -> bool:
        """The revision from the newest capture after the text held (or the one closest to
        `at`); asks for the time when none is given."""
        from workbench.core.project.archived_revision import refresh_from_archive

        if not self.window.has_project():
            return False
        if not self.window.project.article().url:  # say so before asking anything
            self.window.show_error("Could not load the article from the archive", NO_URL)
            return False
        if at is None:
            at = self.ask_time(self.window)
            if at is None:
                return False
        settings = self.settings_factory()

        def work(project: Project, cancel: threading.Event) -> Any:
            return refresh_from_archive(project, at or None, settings=settings, cancel=cancel)

        def done(revision: Any) -> None:
            self.window.status(revision.describe(), MESSAGE_MS * 2)

        return self._job(
            "Looking for an archived revision",
            work,
            done,
            "Could not load the article from the archive",
            reopen=True,
        )

    def _ask_time(self, parent: QWidget) -> str | None:
        """The capture time the person wants ('' for the newest), None when cancelled."""
        from workbench.core.project.archived_revision import held_since

        held, reason = held_since(self.window.project)
        dialog = CaptureTimeDialog(parent, held, reason, held or datetime.now(UTC))
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None

    # ------------------------------------------------------------------ local work
    def compare(self, a: int, b: int) -> bool:
        """Show the diff of stored copies a and b in the Sources pane, on their source."""
        review = self._review()
        source_id = self.source_id
        if review is None or source_id is None:
            return False
        self.window.show_view("sources")
        if review.current_source_id != source_id:
            review.select_source(source_id)
        if review.current_source_id != source_id or not review.show_changes(a, b):
            self.window.status("Those two copies cannot be compared here.", MESSAGE_MS)
            return False
        return True

    def copy_citation(self, style: str) -> str:
        from workbench.core.report.citation import cite

        source_id = self.source_id or self._current_source()
        if source_id is None:
            self.window.status("Choose a claim with a source first.", MESSAGE_MS)
            return ""
        # The capture chosen in the list, if it is stored; else the copy the report cites.
        chosen = self.view.selected_entries()
        snapshot_id = chosen[0].snapshot_id if len(chosen) == 1 else None
        try:
            text = cite(self.window.project, source_id, style, snapshot_id)
        except WorkbenchError as exc:
            self.window.report_error(str(exc))
            return ""
        QGuiApplication.clipboard().setText(text)
        which = "the chosen capture" if snapshot_id else "the copy the report cites"
        self.window.status(f"Citation copied ({style}, {which}).", MESSAGE_MS)
        return text


def _ask_file(parent: QWidget, folder: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(
        parent, "Check for revisions: the later version of the article", folder, ARTICLE_FILTER
    )
    return path or None


def _quote_lines(history: list[QuoteHistory], copies: CopiesTexts) -> list[str]:
    snapshots = {s.id: s for s in copies.snapshots}
    return [
        f"Claim {h.claim_id}, “{h.quote}”: {h.describe(snapshots) or 'no stored copy yet'}"
        for h in history
    ]


def install(window: MainWindow) -> HistoryFeature:
    return HistoryFeature(window)
