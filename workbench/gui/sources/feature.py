"""Archived sources in the window: the review tab, and fetching, importing and capturing copies.

install(window) wraps the window's article in an "Article | Sources" tab widget (the Sources
tab is the review pane: claim and archived source side by side, at the full central size,
with the claim panel still on the right) and adds a Sources menu. Fetches, web archive imports
and Save Page Now run as jobs with progress and Cancel in the status bar; each opens its own
connection to the project, so afterwards the window re-reads the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QSizePolicy, QTabWidget

from workbench.core.errors import WorkbenchError
from workbench.core.net.settings import ArchiveSettings
from workbench.core.net.urls import NOT_WEB_REASON, is_web_url, shown
from workbench.core.settings import archive_settings
from workbench.gui.sources import jobs
from workbench.gui.sources.fetch_report import (
    Failure,
    SourcesAsker,
    failures_message,
    fetch_line,
    save_line,
    warc_line,
)
from workbench.gui.sources.review_view import ReviewView
from workbench.gui.window.actions import ActionSpec, MenuSpec
from workbench.gui.window.opening import project_folder

if TYPE_CHECKING:
    from workbench.core.sources.fetch import FetchSummary, WarcSummary
    from workbench.gui.window.main_window import MainWindow

ARTICLE_TAB, SOURCES_TAB = 0, 1
MESSAGE_MS = 15_000
CANCELLED_KIND = "cancelled"

REVIEW = ActionSpec(
    "sources.review",
    "&Review sources",
    keys=("Ctrl+R", "Ctrl+2"),
    menu="view/views",
    toolbar="sources",
    short="Review",
    tip="Read the claim beside its archived source",
    enabled_when="project",
)
FETCH_ALL = ActionSpec(
    "sources.fetch_all",
    "&Fetch cited sources",
    keys=("Ctrl+Shift+F",),
    menu="sources/fetch",
    toolbar="sources",
    short="Fetch",
    tip="Find an archived copy of every source that has none",
    enabled_when="project",
)
FETCH_CLAIM = ActionSpec(
    "sources.fetch_claim",
    "Fetch sources of this &claim",
    menu="sources/fetch",
    tip="Find archived copies of the selected claim's sources",
    enabled_when="claim",
)
RETRY = ActionSpec(
    "sources.retry",
    "Re&try failed fetches",
    menu="sources/fetch",
    tip="Try again for every source whose last fetch failed",
    enabled_when="project",
)
IMPORT = ActionSpec(
    "sources.import",
    "&Import web archive (WARC/WACZ)…",
    menu="sources/import",
    tip="Use captures saved by Webrecorder, ArchiveWeb.page, Browsertrix or wget",
    enabled_when="project",
)
CAPTURE = ActionSpec(
    "sources.capture",
    "Request archive &capture (Save Page Now)…",
    menu="sources/capture",
    tip="Ask the Internet Archive to capture the live page of the source shown",
    enabled_when="claim",
)


class SourcesFeature(QObject):
    """The Sources tab and menu. `ask` and `settings_factory` are replaced by tests."""

    def __init__(
        self,
        window: MainWindow,
        *,
        settings_factory: Callable[[], ArchiveSettings] = archive_settings,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.ask: Any = SourcesAsker(window)
        self.settings_factory = settings_factory
        self.last_result: object | None = None  # the last job's summary, for tests and scripts
        self._dirty = False  # the review pane must re-read its claim when next shown
        self._project_changed = False
        self._job_path = ""  # the project a job works on (a file path or a team URL)
        self._job_name = ""
        self.review = ReviewView(open_url=window.open_url)
        self.legend = _fit_beside_claim_panel(self.review)
        self.tabs = self._wrap_central()
        self._build_actions()
        self._connect()
        self._update_enabled()
        self._show_legend()

    # ------------------------------------------------------------------ building
    def _wrap_central(self) -> QTabWidget:
        self.window.add_view(
            "sources",
            "Sources",
            self.review,
            "The claim beside its archived source (Ctrl+2, Ctrl+R)",
        )
        self.legend.setContentsMargins(0, 0, 8, 0)
        self.window.set_views_corner(self.legend)
        return self.window.views

    def _build_actions(self) -> None:
        w = self.window
        w.add_menu(MenuSpec("sources", "&Sources", order=40, groups=("fetch", "import", "capture")))
        for spec, slot in (
            (REVIEW, self.show_review),
            (FETCH_ALL, self.fetch_all),
            (FETCH_CLAIM, self.fetch_claim),
            (RETRY, self.retry_failed),
            (IMPORT, self.import_archive_dialog),
            (CAPTURE, self.request_capture),
        ):
            setattr(self, "act_" + spec.id.split(".", 1)[1], w.add_action(spec, slot))

    def _connect(self) -> None:
        w = self.window
        w.projectOpened.connect(self._project_opened)
        w.claimSelected.connect(self._claim_selected)
        w.claimsEdited.connect(lambda _ids: self._mark_dirty())
        w.viewChanged.connect(lambda _view: self._sync())
        self.review.fetchRequested.connect(self._fetch_requested)
        self.review.livePageRequested.connect(self.compare_with_live_page)
        self.review.pageChanged.connect(lambda _page: self._show_legend())
        self.review.captureRequested.connect(lambda _sid: self.request_capture())
        self.review.sourceChanged.connect(lambda _sid: self._update_enabled())
        self.review.sourceChanged.connect(lambda _sid: self._show_legend())
        w.viewChanged.connect(lambda _view: self._show_legend())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._sync)

    # ------------------------------------------------------------------ the review tab
    def review_visible(self) -> bool:
        return self.window.current_view() == "sources"

    def show_article(self) -> None:
        self.window.show_view("article")

    def show_review(self) -> None:
        self.window.show_view("sources")
        self._sync()  # no-op when the tab change already synced

    def _show_legend(self) -> None:
        """The colour key only while highlighted source text is on screen."""
        shown = self.review_visible() and self.review.nav_row.isVisibleTo(self.review)
        shown = shown and not self.review.showing_changes()
        self.legend.setVisible(shown)

    def _project_opened(self) -> None:
        self._project_changed = True
        self._sync()
        self._update_enabled()

    def _claim_selected(self, _claim_id: object) -> None:
        self._sync()
        self._update_enabled()

    def _mark_dirty(self) -> None:
        # An edit emits claimsEdited and then claimSelected; the timer catches edits that
        # are not followed by a selection, so the pane re-reads once, not twice.
        self._dirty = True
        self._timer.start()

    def _sync(self) -> None:
        """Bring the review pane up to date, only while it is visible (it is costly)."""
        if not self.review_visible():
            return
        w = self.window
        if self._project_changed:
            self._project_changed = False
            self.review.set_project(w.project if w.has_project() else None)
        claim_id = w.current_claim_id() if w.has_project() else None
        if claim_id != self.review.claim_id:
            self.review.show_claim(claim_id)
        elif self._dirty:
            self.review.refresh()
        self._dirty = False
        self._update_enabled()

    def _update_enabled(self) -> None:
        self.window.refresh_actions()

    # ------------------------------------------------------------------ fetching
    def fetch_all(self) -> bool:
        if not self.window.has_project():
            return False
        return self._start_fetch(jobs.fetch_job(self._path(), self.settings_factory))

    def fetch_claim(self, claim_id: int | None = None) -> bool:
        if not self.window.has_project():
            return False
        claim_id = claim_id if claim_id is not None else self.window.current_claim_id()
        if claim_id is None:
            return False
        return self._start_fetch(
            jobs.fetch_job(self._path(), self.settings_factory, claim_id=claim_id)
        )

    def retry_failed(self) -> bool:
        if not self.window.has_project():
            return False
        if not jobs.failed_source_ids(self.window.project):
            self.window.status("No fetch has failed; nothing to retry.", 5000)
            return False
        return self._start_fetch(
            jobs.fetch_job(self._path(), self.settings_factory, only_failed=True)
        )

    def _fetch_requested(self, _source_id: int) -> None:
        self.fetch_claim(self.review.claim_id)

    def _start_fetch(self, job: jobs.EventJob) -> bool:
        return self._start(job, self._fetch_done, "Could not fetch sources")

    def _fetch_done(self, summary: FetchSummary) -> None:
        if not self._after_job(summary, fetch_line(summary)):
            return
        failures = self._failures(summary.failed)
        if failures:
            total = len(summary.fetched) + len(summary.from_warc) + len(summary.failed)
            self.ask.fetch_failures(
                "Some sources could not be fetched",
                failures_message(len(failures), total),
                failures,
            )

    def _failures(self, failed: list[tuple[int, str]]) -> list[Failure]:
        """Failures worth listing: a fetch stopped by Cancel is not a problem with the source."""
        project = self.window.project
        listed = []
        for source_id, reason in failed:
            try:
                source = project.source(source_id)
            except WorkbenchError:
                continue
            if source.fetch_error_kind != CANCELLED_KIND:
                listed.append(Failure(source.url, reason))
        return listed

    def _start(self, job: jobs.EventJob, on_done: Callable[[Any], None], failed_title: str) -> bool:
        self._job_path = self._path()
        self._job_name = self.window.project.name
        return self.window.start_job(job, on_done, failed_title=failed_title)

    def _after_job(self, result: object, message: str) -> bool:
        """Re-read and report; False when another project was opened while the job ran (its
        source ids mean nothing in the project now shown)."""
        self.last_result = result
        w = self.window
        if not w.has_project() or w.project.open_location != self._job_path:
            w.status(f"{self._job_name}: {message}", MESSAGE_MS)
            return False
        w.check_external_changes()
        self._dirty = True
        self._sync()
        w.status(message, MESSAGE_MS)
        return True

    def compare_with_live_page(self, source_id: int, snapshot_id: int) -> bool:
        """Fetch the source's live page now and show its changes from snapshot_id."""
        if not self.window.has_project():
            return False
        job = jobs.live_page_job(self._path(), source_id, self.settings_factory)

        def done(live_id: int) -> None:
            line = f"The live page is stored as snapshot {live_id}."
            if self._after_job(live_id, line):
                self.review.show_changes(snapshot_id, live_id)

        def back(*_args: object) -> None:  # failed or cancelled: the pair shown before
            if self.review.showing_changes():
                self.review.show_changes()

        job.signals.failed.connect(back)
        job.signals.cancelled.connect(back)
        started = self._start(job, done, "Could not fetch the live page")
        if not started:
            back()
        return started

    # ------------------------------------------------------------------ web archive files
    def import_archive_dialog(self) -> bool:
        if not self.window.has_project():
            return False
        chosen = self.ask.archive_file(str(project_folder(self.window.project)))
        return self.import_archive(Path(chosen)) if chosen else False

    def import_archive(self, archive_file: Path) -> bool:
        job = jobs.import_warc_job(self._path(), Path(archive_file))
        name = Path(archive_file).name
        return self._start(
            job,
            lambda summary: self._import_done(summary, name),
            "Could not import the web archive",
        )

    def _import_done(self, summary: WarcSummary, name: str) -> None:
        self._after_job(summary, warc_line(summary, name))

    # ------------------------------------------------------------------ Save Page Now
    def request_capture(self) -> bool:
        """Save Page Now for the source shown in the Sources tab: one URL, asked first."""
        w = self.window
        if not w.has_project() or w.current_claim_id() is None:
            return False
        self.show_review()  # the capture is of the source shown there, so show it
        source_id = self.review.current_source_id
        if not source_id:
            w.show_error("Nothing to capture", "This claim has no sources; attach one first.")
            return False
        url = w.project.source(source_id).url
        if not is_web_url(url):
            w.show_error("Cannot capture", f"{shown(url)} is not a web address; {NOT_WEB_REASON}.")
            return False
        if not self.ask.confirm_capture(url):
            return False
        job = jobs.save_page_now_job(self._path(), source_id, url, self.settings_factory)
        return self._start(job, self._capture_done, "The capture request failed")

    def _capture_done(self, result: jobs.SaveResult) -> None:
        line = save_line(result)
        if not self._after_job(result, line) or result.cancelled:
            return
        if result.status is None or result.status.status != "success":
            self.window.show_error("The page was not captured", line)
        elif result.fetch is not None and result.fetch.failed:
            failures = self._failures(result.fetch.failed)
            if failures:
                self.ask.fetch_failures(
                    "The new capture could not be fetched", failures_message(1, 1), failures
                )

    def _path(self) -> str:
        # Workers open their own connection: a file's path, or a team project's URL.
        return self.window.project.open_location


def _fit_beside_claim_panel(review: ReviewView) -> QLabel:
    """Let the review pane share the width with the claim panel instead of crushing it.

    A tab widget is as wide as its widest page's minimum, and the pane's one-line colour legend
    alone asks ~400 px: left as is, the claim panel shrank to 150 px on both tabs. The pane now
    takes the width it is given, and its legend is taken out of the passage row (returned, to
    sit in the empty tab bar instead).
    """
    policy = review.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
    review.setSizePolicy(policy)
    review.nav_row.layout().removeWidget(review.colour_key)
    return review.colour_key


def install(window: MainWindow) -> SourcesFeature:
    return SourcesFeature(window)
