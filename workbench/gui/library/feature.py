"""The fact-check library in the window.

Installed by gui/window/features.py. When a project opens, and again after edits, a
background job indexes the project's verdicts into the library and matches its claims against
it; the window never waits. The claim panel gets a "Checked before" section (a separate widget,
placed above the history) showing the selected claim's matches; Attach adds one to the claim's
sources as "previously checked" through an undoable command. File ▸ Import fact checks… reads
ClaimReview files into the library in the background.

Which library: a file project matches against the personal library; a team project against
its server's team library, through this computer's mirror of it (core/library/team.py). For a
team project the job first brings the mirror up to date and writes the project's verdicts to
the server; a server that cannot be reached leaves the mirror matching as it was, and the
section says the library could not be updated. While a team project is open a listener hears
every change to the team library (LISTEN/NOTIFY) and pulls it, re-matching when it brought
something new.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QWidget

from workbench.core.errors import WorkbenchError
from workbench.core.library.model import likely_percent
from workbench.core.library.paths import library_path
from workbench.core.net.urls import NOT_WEB_REASON, web_url
from workbench.core.practice.exercise import exercise_id
from workbench.core.project.store import Project
from workbench.gui import commands as cmd
from workbench.gui.claims.model import COL_CHECKED
from workbench.gui.claims.model import CheckedBefore as CheckedBeforeCell
from workbench.gui.library.checked_before import CheckedBefore
from workbench.gui.window.actions import ActionSpec
from workbench.gui.workers import Job, Report

if TYPE_CHECKING:
    from workbench.core.library.matching import Match
    from workbench.gui.window.main_window import MainWindow

RELATION = "previously checked"
# A related fact check (not of this claim) is attached as context: as "previously checked" it
# would go into the report and the ClaimReview output as the claim's own earlier check.
RELATED_AS = "context"
SHOWN = 3  # fact checks shown per claim (matches, then related ones)
PULL_SHOWN = 5000  # a pull of at least this many changes reports its progress
BATCH = 200  # claims matched per step, so progress moves and Cancel is prompt
REMOTE_MS = 3000  # at most one re-match this often for changes other desks made
RESYNC_MS = 1200  # after an edit, wait for the checker to pause before re-indexing
# A project just opened: matching (numpy, the embedding model, in a worker thread that shares
# the interpreter) starts once the window has painted, not while it builds its first frame.
START_AFTER_MS = 500
# Once the window is built and idle, the embedding model and the library's vectors and
# vocabulary are read in the background, so that the first match does not wait for them.
PRELOAD_AFTER_MS = 200
IMPORT_FILTER = (
    "ClaimReview files (*.json *.jsonld *.jsonl *.ndjson *.csv *.tsv *.html *.htm);;All files (*)"
)

IMPORT = ActionSpec(
    "file.import_fact_checks",
    "Import &fact checks…",
    menu="file/open",
    tip="Add published ClaimReviews (JSON-LD, JSON Lines, Fact Check Tools JSON, CSV) to the "
    "fact-check library",
)

Results = dict[int, list["Match"]]
NO_LIBRARY = (
    "Your fact-check library is empty: File ▸ Import fact checks… adds published ones, and "
    "your own verdicts join it as you rate claims."
)


def table_entry(matches: list[Match]) -> CheckedBeforeCell | None:
    """The claims table's "Checked before" cell: the best match, every match in the tooltip.
    Only a fact check more likely than not to address the same claim counts: a related one is
    shown in the claim's panel, but the claim has not been checked before."""
    matches = [m for m in matches if m.strength == "match"]
    if not matches:
        return None

    def words(m: Match) -> str:
        check = m.entry.check
        who = check.publisher or ("your desk" if m.entry.kind == "project" else "")
        return " · ".join(x for x in (check.rating or "no rating", who) if x)

    details = "\n".join(
        f"{likely_percent(m.likely)} likely the same claim  {words(m)}: "
        f"{m.entry.check.claim_reviewed}"
        for m in matches
    )
    return CheckedBeforeCell(words(matches[0]), matches[0].likely, details)


def install(window: MainWindow) -> LibraryFeature:
    return LibraryFeature(window)


# Project location, matches per claim, a problem or "", whether it is a practice exercise, and
# a notice or "" (entries on the team server skipped as malformed).
Outcome = tuple[str, Results, str, bool, str]
PRACTICE = (
    "Earlier fact checks are not shown in a practice exercise: they would give the answers away"
)


def match_project(path: Path, claim_ids: set[int] | None, report: Report) -> Outcome:
    """Index the project's verdicts, then match its claims (or the given ones) against the
    library. Runs in a worker thread with its own connections."""
    from workbench.core.library.projects import index_project, project_origin
    from workbench.core.library.store import Library

    with Library.open() as library, Project.open(path, readonly=True) as project:
        report("Indexing your verdicts", 0.02)
        index_project(library, project)
        location = project.location
        if exercise_id(project) is not None:
            return location, {}, "", True, ""
        claims = [(c.id, c.text) for c in project.claims()]
        mine = set(library.project_entries(project_origin(path)).values())
        return location, _match(library, claims, claim_ids, mine, report), "", False, ""


def match_team_project(
    location: str,
    mirror_file: Path,
    claims: list[tuple[int, str]],
    claim_ids: set[int] | None,
    report: Report,
) -> Outcome:
    """The same for a team project, against its server's library through this computer's
    mirror: pull, write the project's verdicts, pull them back, match. A server that cannot
    be reached (or refuses) leaves the mirror as it was, and the problem is returned."""
    from workbench.core.library.projects import project_checks
    from workbench.core.library.store import LibraryError
    from workbench.core.library.team import TeamLibrary, team_origin, team_project
    from workbench.core.project.backends.postgres import reach

    name = team_project(location)
    problem = ""
    practice = False
    skipped = 0  # entries the first pull skipped as malformed
    with TeamLibrary(location, mirror_file) as team, team.mirror() as mirror:

        def pulled(done: int, total: int) -> None:
            if total >= PULL_SHOWN:  # a new desk's first pull: say how far it is
                report(f"Updating the team library ({done:,} of {total:,})", done / total * 0.5)

        report("Updating the team library", 0.02)
        try:
            # Cancellable: closing the window must not wait out a silent server's timeout.
            reach(location, lambda: report("Updating the team library", 0.02))
            team.pull(mirror, pulled)
            with Project.open(location, readonly=True) as project:
                checks = project_checks(project)
                shown = project.location
                practice = exercise_id(project) is not None
            team.sync_project(name, checks)
            skipped += team.malformed
            team.pull(mirror)
        except (LibraryError, WorkbenchError) as exc:
            problem = team.not_updated(exc)
            shown = location
        team.malformed += skipped
        notice = team.malformed_note()
        if practice:
            return _shown_location(shown), {}, problem, True, notice
        mine = set(mirror.project_entries(team_origin(name)).values())
        matched = _match(mirror, claims, claim_ids, mine, report)
        return _shown_location(shown), matched, problem, False, notice


def _shown_location(location: str) -> str:
    from workbench.core.project.backends.postgres import parse_url

    return parse_url(location).display


def pull_team_library(location: str, mirror_file: Path, report: Report) -> tuple[int, str]:
    """Changes to the team library brought into this computer's mirror (0: nothing new), and
    a notice or "" (entries skipped as malformed)."""
    from workbench.core.library.team import TeamLibrary
    from workbench.core.project.backends.postgres import reach

    reach(location, lambda: report("Updating the team library", 0.0))  # cancellable
    with TeamLibrary(location, mirror_file) as team, team.mirror() as mirror:
        return team.pull(mirror), team.malformed_note()


def _match(
    library: Any,
    claims: list[tuple[int, str]],
    claim_ids: set[int] | None,
    mine: set[int],
    report: Report,
) -> Results:
    from workbench.core.library.matching import Matcher

    claims = [c for c in claims if claim_ids is None or c[0] in claim_ids]
    if library.count() == 0:
        return {cid: [] for cid, _ in claims}
    matcher = Matcher(library)
    results: Results = {}
    for start in range(0, len(claims), BATCH):
        part = claims[start : start + BATCH]
        report(
            f"Matching claims against the library ({start}/{len(claims)})",
            start / max(len(claims), 1),
        )
        # The project's own verdicts are not "checked before": they are this very check.
        found = matcher.search_many([text for _, text in part], SHOWN, exclude=[mine for _ in part])
        for (cid, _), matches in zip(part, found, strict=True):
            results[cid] = [m for m in matches if m.strength]
    report("Matched", 1.0)
    return results


class LibraryFeature(QObject):
    libraryChanged = Signal()  # the team library's listener (a worker thread) to the UI thread

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.results: Results = {}
        self.team = ""  # the open team project's location (its password in memory only), or ""
        self.mirror = Path()  # this computer's mirror of that server's library
        self.which = "your personal fact-check library"  # what the claims are matched against
        self.problem = ""  # why the team library could not be updated, last time
        self.listener: Any = None  # LibraryListener while a team project is open
        self.pulling = False
        self.pull_again = False  # a change was announced while a pull was running
        self.libraryChanged.connect(self._library_changed)
        self.pending: set[int] | None = set()  # claims edited since the last run; None: all
        self.running: Job | None = None
        self.preloading: Job | None = None
        self.state = ""  # what the section says while nothing is shown
        # The window's job runner keeps jobs alive until they finish and waits for them when the
        # window closes; matching runs one job at a time (self.running), imports beside it.
        self.jobs = window.jobs
        window.installEventFilter(self)
        self.widget = CheckedBefore()
        self.widget.attachRequested.connect(self.attach)
        self.widget.openUrlRequested.connect(lambda url: window.open_url(url))
        _place_in_claim_panel(window, self.widget)
        self.filter = QComboBox()
        # Worded like its neighbours ("Any verdict", "Any status") and as short, so that at
        # 1400 px the current choice is read whole.
        self.filter.addItem("Any past check", None)
        self.filter.addItem("Checked before", True)
        self.filter.addItem("Not checked before", False)
        self.filter.setToolTip("Show only claims with (or without) an earlier fact check")
        # Shrinks with the row like the other filters, so a narrow window keeps its layout.
        self.filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.filter.setMinimumContentsLength(8)
        self.filter.currentIndexChanged.connect(
            lambda _i: window.proxy.set_checked_before(self.filter.currentData())
        )
        window.claims_table.add_filter(self.filter, 3)  # as wide as the verdict and status filters
        window.table.setColumnWidth(COL_CHECKED, 170)
        self._resync = QTimer(self)
        self._resync.setSingleShot(True)
        self._resync.setInterval(RESYNC_MS)
        self._resync.timeout.connect(self.refresh)
        self._start = QTimer(self)
        self._start.setSingleShot(True)
        self._start.setInterval(START_AFTER_MS)
        self._start.timeout.connect(self.refresh)
        # Other desks' changes re-match at most once per REMOTE_MS: a busy desk's verdicts
        # arrive every few seconds, and each run matches every claim of the project.
        self._remote = QTimer(self)
        self._remote.setSingleShot(True)
        self._remote.setInterval(REMOTE_MS)
        self._remote.timeout.connect(self._rematch)
        # Built right after the window's first frame: the preload follows once it is idle.
        self._preload = QTimer(self)
        self._preload.setSingleShot(True)
        self._preload.setInterval(PRELOAD_AFTER_MS)
        self._preload.timeout.connect(self.preload)
        self._preload.start()
        window.projectOpened.connect(self._project_opened)
        window.claimSelected.connect(lambda _cid: self.show_current())
        window.claimsEdited.connect(self._claims_edited)
        window.add_action(IMPORT, self.import_dialog)
        self.show_current()

    # ------------------------------------------------------------------ jobs
    def _project_opened(self) -> None:
        self._stop_listening()
        self.results = {}
        self.pending = None
        self.problem = ""
        self.state = "Looking for earlier fact checks…"
        project = self.window.project
        self.team = project.open_location if project.is_team else ""
        if self.team:
            # psycopg only once a team project is open.
            from workbench.core.library.team import LibraryListener, mirror_path, server_name

            self.which = f"the team library on {server_name(self.team)}"
            # Where the mirror is, decided now (the data folder as the project opened), not by
            # each background job.
            self.mirror = mirror_path(self.team)
            self.listener = LibraryListener(self.team, self.libraryChanged.emit).start()
        else:
            self.which = "your personal fact-check library"
        self.refresh(later=True)

    def preload(self) -> None:
        """Loads the embedding model and reads the library's vectors and vocabulary in the
        background (~0.5 s of CPU at 100,000 fact checks), so that the first "Checked before"
        a checker opens does not wait for them; a match that starts meanwhile waits for the
        same reads rather than doing them twice. Nothing without a library: the model alone
        holds ~130 MB that a window which never matches need not."""
        target = self.mirror if self.team else library_path()
        if not target.exists():
            return

        def work(report: Report) -> None:
            from workbench.core.library.matching import warm_up

            # Between its steps, so that closing the window waits for one step at most.
            warm_up(target, between=lambda: report("Preparing the fact-check library", 0.0))

        self.preloading = self.jobs.start(Job("Preparing the fact-check library", work))

    def _stop_listening(self) -> None:
        self._remote.stop()
        if self.listener is not None:
            self.listener.stop()
            self.listener = None

    def _library_changed(self) -> None:
        """Someone (this window too) changed the team library: pull it; re-match if the pull
        brought anything new."""
        if not self.team:
            return
        if self.pulling:  # the running pull may have read before this change was committed
            self.pull_again = True
            return
        team = self.team
        self.pulling = True
        mirror = self.mirror
        job = Job("Team library", lambda report: (team, *pull_team_library(team, mirror, report)))
        job.signals.finished.connect(self._pulled)
        job.signals.failed.connect(lambda _message: self._pulled(None))
        job.signals.cancelled.connect(lambda: self._pulled(None))
        self.jobs.start(job)

    def _pulled(self, result: tuple[str, int, str] | None) -> None:
        self.pulling = False
        if result is not None and result[2]:
            self.window.status(result[2], 10_000)
        if self.pull_again:
            self.pull_again = False
            self._library_changed()
        # Nothing new, and nothing to catch up on: the matches stand. After the server was
        # away (self.problem), match again: that also writes what the library missed.
        if result is None or result[0] != self.team or not (result[1] or self.problem):
            return
        if not self._remote.isActive():
            self._remote.start()

    def _rematch(self) -> None:
        self.pending = None
        self.refresh()

    def _claims_edited(self, claim_ids: Any) -> None:
        if claim_ids is None or self.pending is None:
            self.pending = None
        else:
            self.pending |= set(claim_ids)
        self._resync.start()

    def refresh(self, *, later: bool = False) -> None:
        """Index and match in the background (one job at a time; edits queue the next);
        `later`: start the job after START_AFTER_MS (a project was just opened)."""
        if not self.window.has_project() or self.running is not None:
            return
        if self.pending is not None and not self.pending:
            return
        if (
            not self.team
            and not library_path().exists()
            and not any(c.rating for c in self.window.model.claims())
        ):
            # No library yet and no verdict to put in one: nothing to index or match against.
            self.pending = set()
            self.results = {}
            self.state = NO_LIBRARY
            self.show_current()
            return
        if later:
            self._start.start()
            return
        self._start.stop()
        wanted, self.pending = self.pending, set()
        if self.team:
            team, mirror = self.team, self.mirror
            claims = [(c.id, c.text) for c in self.window.model.claims()]
            job = Job(
                "Checked before",
                lambda report: match_team_project(team, mirror, claims, wanted, report),
            )
        else:
            path = Path(self.window.project.path)
            job = Job("Checked before", lambda report: match_project(path, wanted, report))
        job.signals.progress.connect(self._progress)
        job.signals.finished.connect(self._matched)
        job.signals.failed.connect(self._failed)
        job.signals.cancelled.connect(self._done)
        self.running = job
        self.jobs.start(job)

    def _progress(self, step: str, _fraction: float) -> None:
        if not self.results:
            self.state = step + "…"
            self.show_current()

    def _matched(self, result: Outcome) -> None:
        location, results, problem, practice, notice = result
        self._done()
        if not self.window.has_project() or self.window.project.location != location:
            return  # another project was opened meanwhile; its own job is queued
        if practice:
            self.results, self.state = {}, PRACTICE
            self.window.model.set_checked_before({})
            self.show_current()
            return
        self.results.update(results)
        self.state = ""
        if problem != self.problem and problem:
            self.window.status(f"{problem} Matching against this computer's copy.", 10_000)
        elif notice:
            self.window.status(notice, 10_000)
        self.problem = problem
        self.window.model.set_checked_before({cid: table_entry(ms) for cid, ms in results.items()})
        self.show_current()
        if self.pending or self.pending is None:
            self._resync.start()

    def _failed(self, message: str) -> None:
        self._done()
        self.state = f"The fact-check library could not be searched: {message}"
        self.show_current()

    def _done(self) -> None:
        self.running = None

    def wait(self, msecs: int = 60_000) -> bool:
        """Tests and screenshots: let the background work finish (starting it now if it waits
        for the window to paint)."""
        if self._start.isActive():
            self.refresh()
        return self.jobs.wait(msecs)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self._stop_listening()
            if self.running:
                self.running.cancel()  # closing: the window waits for jobs, so stop matching now
            if self.preloading:
                self.preloading.cancel()
        return False

    # ------------------------------------------------------------------ showing
    def previously_checked(self, claim_id: int) -> list[Match]:
        return self.results.get(claim_id, [])

    def show_current(self) -> None:
        """The section shows only when the claim has earlier fact checks: the panel is tight
        at 1400x900, and "none found" (or "still looking", or "no library yet") is what the
        claims table's column and filter already say."""
        claim = self.window.current_claim() if self.window.has_project() else None
        matches = self.results.get(claim.id, []) if claim is not None else []
        self.widget.setVisible(bool(matches))
        said = [f"Matched against {self.which}"]
        if self.problem:
            said.append(f"{self.problem} Matching against this computer's copy")
        if self.state:
            said.append(self.state.rstrip("."))
        self.filter.setToolTip(
            "Show only claims with (or without) an earlier fact check. " + ". ".join(said) + "."
        )
        self.widget.heading.setToolTip(f"Matched against {self.which}")
        if claim is None or not matches:
            return
        try:
            attached = {
                cs.source.url
                for cs in self.window.project.claim_sources(claim.id)
                if cs.relation in (RELATION, RELATED_AS)
            }
        except WorkbenchError:  # a team project's server away: the team feature says so
            attached = set()
        note = ""
        if self.team:  # a desk sharing a library should see which one it is
            note = f"In {self.which}" + (
                " (could not be updated just now: this computer's copy)" if self.problem else ""
            )
        self.widget.show_matches(matches, attached, note)

    # ------------------------------------------------------------------ actions
    def attach(self, match: Match) -> None:
        claim = self.window.current_claim()
        check = match.entry.check
        url = web_url(check.url)  # the one URL policy: only http(s) addresses become sources
        if claim is None:
            return
        if url is None:
            self.window.status(f"Not attached: {NOT_WEB_REASON}.")
            return
        said = " · ".join(x for x in (check.rating, check.publisher, check.date[:10]) if x)
        note = f"{said}: “{check.claim_reviewed}”" if said else f"“{check.claim_reviewed}”"
        relation = RELATION if match.strength == "match" else RELATED_AS
        self.window.push(cmd.AttachSource(self.window, claim, cmd.SourceLink(url, relation, note)))
        self.show_current()

    def import_dialog(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self.window, "Import fact checks", str(Path.home()), IMPORT_FILTER
        )
        if names:
            self.import_files([Path(n) for n in names])

    def import_files(self, paths: list[Path]) -> None:
        team, mirror = self.team, self.mirror  # a team window imports into its server's library
        where = self.which

        def work(report: Report) -> str:
            from workbench.core.library.importing import import_file
            from workbench.core.library.store import Library

            lines = []
            if team:
                from workbench.core.library.team import TeamLibrary

                target: Any = TeamLibrary(team, mirror)
            else:
                target = Library.open()
            with target as library:
                for i, path in enumerate(paths):
                    report(f"Importing {path.name}", i / len(paths))
                    r = import_file(library, path)
                    lines.append(
                        f"{path.name}: {r.added} added, {r.updated} updated, "
                        f"{r.unchanged} unchanged, {r.bad} bad"
                    )
            return f"Imported into {where}: " + "; ".join(lines)

        job = Job("Import fact checks", work)
        job.signals.finished.connect(self._imported)
        job.signals.failed.connect(
            lambda message: self.window.show_error("Could not import fact checks", message)
        )
        self.jobs.start(job)

    def _imported(self, summary: str) -> None:
        self.window.status(summary, 10_000)
        if self.window.has_project():
            self.pending = None
            self.refresh()


def _place_in_claim_panel(window: MainWindow, widget: QWidget) -> None:
    """Just above the claim's sources: what others found sits beside what this check cites."""
    panel = window.panel
    layout = panel.widget().layout()
    sources = getattr(panel, "sources", None)
    index = layout.indexOf(sources) if sources is not None else -1
    # The sources' heading sits just above the list.
    layout.insertWidget(index - 1 if index > 0 else layout.count(), widget)
