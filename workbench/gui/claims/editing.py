"""The editor's side: review queue, approve or return, report preview and export, JSON import.

Installed by workbench/gui/features.py. Everything goes through the window's public hooks:
decisions are undoable commands pushed with window.push() (the store records each status
change in the history), exports and imports run as window jobs, and every question asked of
the person goes through `feature.ask` (an EditorAsk), which tests replace with canned answers.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import ProjectError
from workbench.core.net.urls import shown, typed_web_url
from workbench.core.project.records import ClaimRecord
from workbench.core.project.store import Project
from workbench.core.report.export import (
    EXTENSIONS,
    FORMATS,
    ReportOptions,
    check_format,
    write_report,
)
from workbench.gui import commands as cmd
from workbench.gui.labels import plain_label
from workbench.gui.review.preview import ReportPreview, preview_job
from workbench.gui.review.queue import ReviewQueueModel, ReviewQueueView, queue_counts
from workbench.gui.window.actions import ActionSpec, MenuSpec
from workbench.gui.window.opening import free_path, project_folder
from workbench.gui.workers import Job, Report

if TYPE_CHECKING:
    from workbench.gui.window.main_window import MainWindow

FORMAT_LABELS = {
    "html": "HTML page",
    "pdf": "PDF document",
    "md": "Markdown",
    "csv": "CSV table",
    "json": "Project JSON (everything, for archiving or import)",
    "claimreview": "ClaimReview JSON-LD (schema.org)",
}
APPROVE = ActionSpec(
    "review.approve",
    "&Approve claim",
    keys=("Ctrl+Shift+A",),
    menu="review/decide",
    tip="Approve the verdict",
    enabled_when="approvable",
)
RETURN = ActionSpec(
    "review.return",
    "Re&turn to checker…",
    keys=("Ctrl+Shift+R",),
    menu="review/decide",
    tip="Send the claim back to the fact-checker with a comment",
    enabled_when="returnable",
)
RESUBMIT = ActionSpec(
    "review.resubmit",
    "&Send back for review",
    keys=("Ctrl+Shift+Enter", "Ctrl+Shift+Return"),  # shown as the first: "Enter" to people
    menu="review/decide",
    tip="The returned claim is fixed: put it in the editor's review queue again",
    enabled_when="resubmittable",
)
NEXT_REVIEW = ActionSpec(
    "review.next_review", "&Next claim to review", menu="review/decide", enabled_when="to_review"
)
QUEUE = ActionSpec("review.queue", "Review &queue", keys=("Ctrl+Shift+Q",), menu="review/see")
PREVIEW = ActionSpec(
    "review.preview",
    "&Preview report",
    keys=("Ctrl+Shift+P",),
    menu="review/see",
    enabled_when="project",
)
IMPORT_JSON = ActionSpec(
    "review.import",
    "&Import project from JSON…",
    menu="file/open",
    tip="A project exported as JSON",
)
ALL_CLAIMS = ActionSpec(
    "review.all_claims",
    "Include every claim (not only rated and check-worthy)",
    menu="review.export/options",
    checkable=True,
)
APPROVED_ONLY = ActionSpec(
    "review.approved_only",
    "ClaimReview: approved claims only",
    menu="review.export/options",
    checkable=True,
)
JSON_FILTER = "Workbench JSON exports (*.json);;All files (*)"
QUEUE_MIN_HEIGHT = 260  # pixels: the counts, the buttons and about seven rows
PREVIEW_DELAY_MS = 400  # edits in quick succession re-render the preview once


def install(window: MainWindow) -> EditorFeature:
    return EditorFeature(window)


# ---------------------------------------------------------------------- commands
class ApproveClaim(cmd.SetStatus):
    """The editor accepts the verdict; undo puts the previous status and note back."""

    def __init__(self, ctx: cmd.EditContext, claim: ClaimRecord) -> None:
        super().__init__(ctx, claim, "approved", "")
        self.setText(f"Approve claim {claim.id}")


class ResubmitClaim(cmd.SetStatus):
    """The fact-checker fixed a returned claim: checked again, so it is in the queue."""

    def __init__(self, ctx: cmd.EditContext, claim: ClaimRecord) -> None:
        super().__init__(ctx, claim, "checked", "")
        self.setText(f"Send claim {claim.id} back for review")


class ReturnClaim(cmd.SetStatus):
    """Send the claim back with a comment the fact-checker sees on the claim."""

    def __init__(self, ctx: cmd.EditContext, claim: ClaimRecord, comment: str) -> None:
        super().__init__(ctx, claim, "returned", comment)
        self.setText(f"Return claim {claim.id} to checker")


# ---------------------------------------------------------------------- jobs
def export_job(
    project_path: str | Path, fmt: str, target: Path, options: ReportOptions | None = None
) -> Job:
    """Write the report in a worker (a PDF lays out every claim: it can take seconds)."""
    fmt = check_format(fmt)
    options = options or ReportOptions()

    def work(report: Report) -> Path:
        if not target.parent.is_dir():
            raise ProjectError(
                f"The folder {target.parent} does not exist; choose another folder for the report."
            )
        report("Reading the project", 0.1)
        # A connection is per thread: the worker opens its own (WAL lets it read while the
        # window's connection writes). QTextDocument and QPdfWriter are safe off the UI thread.
        with Project.open(project_path) as project:
            report("Laying out the PDF" if fmt == "pdf" else "Writing", 0.3)
            write_report(project, fmt, target, options)
        report("Done", 1.0)
        return target

    return Job(f"Exporting the {fmt.upper()} report", work)


def import_job(json_path: Path, target: Path) -> Job:
    """Build a new project from a JSON export; finishes with the new project's path."""

    def work(report: Report) -> Path:
        # In the job: JSON import brings the fetch machinery (~0.3 s) the first frame skips.
        from workbench.core.project.jsonio import import_file

        report("Reading the export", 0.1)
        # The save dialog has already asked whether to replace an existing file.
        import_file(json_path, target, overwrite=True).close()
        report("Done", 1.0)
        return target

    return Job(f"Importing {json_path.name}", work)


# ---------------------------------------------------------------------- questions
class EditorAsk:
    """The editor's dialogs; a test replaces `feature.ask` with canned answers."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def return_comment(self, claim: ClaimRecord) -> str | None:
        dialog = ReturnDialog(self.parent, claim)
        return dialog.comment() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def export_path(self, fmt: str, suggested: Path) -> Path | None:
        ext = EXTENSIONS[fmt]
        path, _ = QFileDialog.getSaveFileName(
            self.parent,
            f"Export the report as {FORMAT_LABELS[fmt].split(' (')[0]}",
            str(suggested),
            f"{FORMAT_LABELS[fmt]} (*{ext});;All files (*)",
        )
        if not path:
            return None
        result = Path(path)
        return result if result.suffix.lower() == ext else result.with_name(result.name + ext)

    def import_json(self, folder: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent, "Import a project from a JSON export", folder, JSON_FILTER
        )
        return Path(path) if path else None

    def publication(self, url: str, organization: str) -> tuple[str, str] | None:
        dialog = PublicationDialog(self.parent, url, organization)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None


class PublicationDialog(QDialog):
    """Where the fact check is published, and by whom: ClaimReview's `url` and `author`.
    From the window these were never asked, so every review's url was the article's address
    (or "#claim-3" alone for an article from a file) and its author a login name."""

    def __init__(self, parent: QWidget | None, url: str, organization: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Publish as ClaimReview")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = plain_label(
            "ClaimReview markup goes on the page that publishes the fact check. Each claim's "
            "review points at that page with its own anchor (#claim-3)."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self._url = QLineEdit(url)
        self._url.setPlaceholderText("https://factcheck.example.org/2015/russia-syria")
        self._organization = QLineEdit(organization)
        self._organization.setPlaceholderText("Empty: each verdict's reviewer, as a person")
        form.addRow("Fact check published at", self._url)
        form.addRow("Published by", self._organization)
        layout.addLayout(form)
        self._problem = plain_label(objectName="error", wordWrap=True)
        self._problem.setVisible(False)
        layout.addWidget(self._problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        text = self._url.text().strip()
        if typed_web_url(text) is None:
            self._problem.setText(
                f"{shown(text)} is not a web address; give the page's https:// address."
                if text
                else "Type the address of the page that publishes the fact check."
            )
            self._problem.setVisible(True)
            return
        self.accept()

    def answer(self) -> tuple[str, str]:
        """The page's address (https:// added to a bare one) and the organization."""
        url = typed_web_url(self._url.text().strip()) or ""
        return url, " ".join(self._organization.text().split())


class ReturnDialog(QDialog):
    """The comment is required: OK stays disabled until something is written."""

    def __init__(self, parent: QWidget | None, claim: ClaimRecord) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Return claim {claim.id} to the fact-checker")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        quoted = plain_label(f"“{' '.join(claim.text.split())}”")
        quoted.setWordWrap(True)
        layout.addWidget(quoted)
        layout.addWidget(
            plain_label(
                "What should the fact-checker fix? They see this on the claim. "
                "Ctrl+Enter returns it."
            )
        )
        self._edit = QPlainTextEdit(claim.status_note)
        self._edit.setPlaceholderText("e.g. The second source is an opinion piece; find the data.")
        layout.addWidget(self._edit)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._ok = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setText("Return")
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        layout.addWidget(self._buttons)
        self._edit.textChanged.connect(self._changed)
        self._changed()
        # Enter is a new line in the comment, so the keyboard needs its own way to send it.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self._send)

    def _send(self) -> None:
        if self._ok.isEnabled():
            self.accept()

    def _changed(self) -> None:
        self._ok.setEnabled(bool(self.comment()))

    def comment(self) -> str:
        return self._edit.toPlainText().strip()


# ---------------------------------------------------------------------- the feature
class EditorFeature(QObject):
    """Review queue, approve/return, report preview and export, import from JSON."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ask: Any = EditorAsk(window)
        self.options = ReportOptions()
        self.queue_model = ReviewQueueModel(self)
        self.queue = ReviewQueueView(self.queue_model)
        self._preview_generation = 0
        self._published_at: dict[str, str] = {}  # a project's ClaimReview page, this session
        self._verdict_seen: tuple[int, str | None, str] | None = None  # the current claim's
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self._build_actions()
        self._build_docks()
        self._connect()
        self._update_enabled()

    # ------------------------------------------------------------------ building
    def _build_actions(self) -> None:
        w = self.window
        w.add_condition("approvable", self._can_approve)
        w.add_condition("returnable", self._can_return)
        w.add_condition("resubmittable", self._can_resubmit)
        w.add_condition("to_review", lambda: self.queue_model.rowCount() > 0)
        w.add_menu(MenuSpec("review", "&Review", order=60, groups=("decide", "see", "export")))
        # Exports sit in Review and in File with the other ways out of the project.
        w.add_menu(
            MenuSpec(
                "review.export",
                "&Export report",
                parent="review/export",
                also=("file/save",),
                groups=("formats", "options"),
            )
        )
        for spec, slot in (
            (APPROVE, self.approve),
            (RETURN, self.return_to_checker),
            (RESUBMIT, self.send_back_for_review),
            (NEXT_REVIEW, self.next_to_review),
            (QUEUE, self.show_queue),
            (PREVIEW, self.show_preview),
            (IMPORT_JSON, self.import_dialog),
        ):
            setattr(self, "act_" + spec.id.split(".", 1)[1], w.add_action(spec, slot))
        self.export_actions: dict[str, QAction] = {}
        for fmt in FORMATS:
            self.export_actions[fmt] = w.add_action(
                ActionSpec(
                    f"review.export.{fmt}",
                    f"{FORMAT_LABELS[fmt]}…",
                    menu="review.export/formats",
                    enabled_when="project",
                ),
                lambda f=fmt: self.export_dialog(f),
            )
        # What goes into the report; the preview follows the same choices.
        self.act_all_claims = w.add_action(ALL_CLAIMS, lambda on: self.set_options(include_all=on))
        self.act_approved_only = w.add_action(
            APPROVED_ONLY, lambda on: self.set_options(approved_only=on)
        )
        self.export_menu = w.actions_registry.menu("review.export")
        self.review_menu = w.actions_registry.menu("review")

    def _build_docks(self) -> None:
        w = self.window
        # The fact-checker's table stays in front until review starts.
        self.queue_dock = w.add_panel("queue", "Review queue", self.queue, tab_with="claims")
        self.preview = ReportPreview(self.export_menu)
        # Tabified only when first shown: a hidden tabified dock leaves a stray tab bar that
        # draws over other docks.
        self.preview_dock = w.add_panel(
            "preview", "Report preview", self.preview, area="right", shown=False
        )

    def set_options(
        self, *, include_all: bool | None = None, approved_only: bool | None = None
    ) -> None:
        """Change what exports and the preview include."""
        changes: dict[str, object] = {}
        if include_all is not None:
            changes["include"] = "all" if include_all else "default"
        if approved_only is not None:
            changes["approved_only"] = approved_only
        self.options = dataclasses.replace(self.options, **changes)
        if self.preview_dock.isVisible():
            self.refresh_preview()

    def _connect(self) -> None:
        w = self.window
        w.projectOpened.connect(self._project_opened)
        w.claimsEdited.connect(self._claims_edited)
        w.claimSelected.connect(self._claim_selected)
        self.queue.claimChosen.connect(lambda cid: w.select_claim(cid))
        self.queue.approve_button.clicked.connect(self.approve)
        self.queue.return_button.clicked.connect(self.return_to_checker)
        self.preview.refresh_button.clicked.connect(self.refresh_preview)
        self.preview.browser.linkRequested.connect(w.open_url)
        self.preview_dock.visibilityChanged.connect(self._preview_visibility)

    # ------------------------------------------------------------------ following the window
    def _project_opened(self) -> None:
        self._reload_queue()
        self._schedule_preview()

    def _claims_edited(self, ids: Any) -> None:
        if ids is None:
            self._reload_queue()
        else:
            for claim_id in ids:
                self.queue_model.update_claim(claim_id, self.window.model.claim(claim_id))
            self._update_counts()
            self._remind_to_send_back()
        self.queue.show_claim(self.window.current_claim_id())
        self._update_enabled()
        self._schedule_preview()

    def _claim_selected(self, claim_id: Any) -> None:
        self.queue.show_claim(claim_id)
        self._update_enabled()
        self._verdict_seen = self._verdict_of(self.window.current_claim())

    def _verdict_of(self, claim: ClaimRecord | None) -> tuple[int, str | None, str] | None:
        return (claim.id, claim.rating, claim.rationale) if claim is not None else None

    def _remind_to_send_back(self) -> None:
        """A returned claim whose verdict or rationale the checker just changed stays out of
        the queue until sent back: say how, once the edit's own message is shown."""
        claim = self.window.current_claim() if self.window.has_project() else None
        seen, self._verdict_seen = self._verdict_seen, self._verdict_of(claim)
        if claim is None or claim.status != "returned" or seen is None or seen[0] != claim.id:
            return
        if seen != self._verdict_seen and claim.rating is not None:
            keys = RESUBMIT.keys[0]
            # Short: the status bar's counts leave it ~50 characters at 1400 px.
            message = f"Fixed? {keys} sends claim {claim.id} back for review."
            QTimer.singleShot(0, lambda: self._remind(claim.id, message))

    def _remind(self, claim_id: int, message: str) -> None:
        # Not if it was sent back meanwhile: Ctrl+Shift+Enter in the rationale box saves the
        # rationale (which asks for this reminder) and then sends the claim back.
        claim = self.window.model.claim(claim_id) if self.window.has_project() else None
        if claim is not None and claim.status == "returned":
            self.window.status(message, 10_000)

    def _reload_queue(self) -> None:
        w = self.window
        scale = w.project.scale if w.has_project() else None
        self.queue_model.set_claims(w.model.claims(), scale)
        self._update_counts()
        self.queue.show_claim(w.current_claim_id())
        self._update_enabled()

    def _update_counts(self) -> None:
        counts = queue_counts(self.window.model.claims())
        self.queue.set_counts(counts)
        todo = counts["checked"]
        self.queue_dock.setWindowTitle(f"Review queue ({todo})" if todo else "Review queue")

    def _can_approve(self) -> bool:
        """A rated claim not yet approved, unless it is back with the checker: a returned
        claim waits for them to fix it and mark it checked (Undo takes a return back)."""
        claim = self.window.current_claim() if self.window.has_project() else None
        return (
            claim is not None
            and claim.rating is not None
            and claim.status not in ("approved", "returned")
        )

    def _can_return(self) -> bool:
        claim = self.window.current_claim() if self.window.has_project() else None
        return claim is not None and claim.status not in ("returned", "unchecked")

    def _can_resubmit(self) -> bool:
        claim = self.window.current_claim() if self.window.has_project() else None
        return claim is not None and claim.status == "returned" and claim.rating is not None

    def _update_enabled(self) -> None:
        """The queue's buttons follow the Review menu's conditions, for a claim in the queue:
        they act on its selected row, and an empty queue has none."""
        self.window.refresh_actions()
        queued = self.queue_model.row_of(self.window.current_claim_id()) is not None
        self.queue.approve_button.setEnabled(queued and self.act_approve.isEnabled())
        self.queue.return_button.setEnabled(queued and self.act_return.isEnabled())

    # ------------------------------------------------------------------ decisions
    def _current(self) -> ClaimRecord | None:
        w = self.window
        if not w.has_project():
            return None
        w.panel.commit_rationale()  # a rationale being typed is saved before the decision
        return w.current_claim()

    def approve(self) -> bool:
        claim = self._current()
        if claim is None or claim.status == "approved":
            return False
        if claim.rating is None:
            self.window.status("This claim has no verdict yet; there is nothing to approve.", 6000)
            return False
        if claim.status == "returned":
            self.window.status(
                f"Claim {claim.id} is back with the checker; approve it once they mark it "
                "checked again.",
                6000,
            )
            return False
        following = self._next_in_queue(claim)
        if not self.window.push(ApproveClaim(self.window, claim)):
            return False
        self.window.status(f"Claim {claim.id} approved.", 4000)
        self._go_to(following)
        return True

    def return_to_checker(self) -> bool:
        claim = self._current()
        if claim is None:
            return False
        comment = self.ask.return_comment(claim)
        if comment is None:
            return False
        comment = comment.strip()
        if not comment:
            self.window.show_error(
                "Not returned",
                "Write what the fact-checker should fix; a claim is returned with a comment.",
            )
            return False
        following = self._next_in_queue(claim)
        if not self.window.push(ReturnClaim(self.window, claim, comment)):
            return False
        self.window.status(f"Claim {claim.id} returned to the checker.", 4000)
        self._go_to(following)
        return True

    def send_back_for_review(self) -> bool:
        """The checker's side of the round trip: a returned claim, fixed, goes back in the
        queue (before, only the Status list did it, and nothing said so)."""
        claim = self._current()
        if claim is None or claim.status != "returned":
            return False
        if claim.rating is None:
            self.window.status(f"Claim {claim.id} has no verdict; rate it first.", 6000)
            return False
        if not self.window.push(ResubmitClaim(self.window, claim)):
            return False
        self.window.status(f"Claim {claim.id} is back in the review queue.", 4000)
        return True

    def next_to_review(self) -> None:
        claim = self.window.current_claim() if self.window.has_project() else None
        following = self._next_in_queue(claim) if claim else self.queue_model.claim_id_at(0)
        if following is None and self.queue_model.rowCount():
            following = self.queue_model.claim_id_at(0)
        self._go_to(following)

    def _next_in_queue(self, claim: ClaimRecord | None) -> int | None:
        """The queued claim after this one in article order, wrapping round; None if none."""
        queued = [c for c in self.queue_model.claims() if claim is None or c.id != claim.id]
        if not queued:
            return None
        if claim is None:
            return queued[0].id
        key = (claim.start, claim.end, claim.id)
        later = [c for c in queued if (c.start, c.end, c.id) > key]
        return (later or queued)[0].id

    def _go_to(self, claim_id: int | None) -> None:
        if claim_id is None:
            self.window.status("Nothing left to review.", 5000)
            return
        self.window.select_claim(claim_id)

    def show_queue(self) -> None:
        self.queue_dock.show()
        self.queue_dock.raise_()
        if self.queue_dock.height() < QUEUE_MIN_HEIGHT:  # room for several claims at once
            self.window.resizeDocks([self.queue_dock], [QUEUE_MIN_HEIGHT], Qt.Orientation.Vertical)
        self.queue.table.setFocus()

    # ------------------------------------------------------------------ report preview
    def show_preview(self) -> None:
        w = self.window
        if self.preview_dock.isHidden() and not self.preview_dock.isFloating():
            w.tabifyDockWidget(w.dock("claim"), self.preview_dock)
        self.preview_dock.show()
        self.preview_dock.raise_()
        self.refresh_preview()

    def _preview_visibility(self, visible: bool) -> None:
        if visible:
            self._schedule_preview()

    def _schedule_preview(self) -> None:
        if self.preview_dock.isVisible() and self.window.has_project():
            self._preview_timer.start()

    def refresh_preview(self) -> None:
        """Render in a worker; a rendering overtaken by a newer one is dropped."""
        self._preview_timer.stop()
        if not self.window.has_project():
            self.preview.set_message("Open a project to preview its report.")
            return
        self._preview_generation += 1
        generation = self._preview_generation
        job = preview_job(self.window.project.open_location, self.options)
        job.signals.finished.connect(lambda html: self._preview_ready(generation, html))
        job.signals.failed.connect(lambda message: self._preview_ready(generation, None, message))
        self.window.jobs.start(job)

    def _preview_ready(self, generation: int, html: str | None, message: str = "") -> None:
        if generation != self._preview_generation:
            return
        if html is None:
            self.preview.set_message(f"The preview could not be made: {message}")
        else:
            self.preview.set_html(html)

    # ------------------------------------------------------------------ export and import
    def export_dialog(self, fmt: str) -> None:
        w = self.window
        if not w.has_project():
            return
        options = self.options
        if fmt == "claimreview":
            published = self._publication()
            if published is None:
                return
            options = dataclasses.replace(options, **published)
        stem = w.project.path.stem
        suggested = project_folder(w.project) / f"{stem}-report{EXTENSIONS[fmt]}"
        target = self.ask.export_path(fmt, suggested)
        if target is not None:
            self.export_report(fmt, target, options)

    def _publication(self) -> dict[str, str | None] | None:
        """Ask where and by whom the ClaimReview is published: the page the project last
        named (else the article's address) and the organization in the person's settings."""
        w = self.window
        url = self._published_at.get(str(w.project.open_location)) or w.project.article().url
        organization = str(w.settings.get("organization") or "")
        answer = self.ask.publication(url or "", organization)
        if answer is None:
            return None
        url, organization = answer
        self._published_at[str(w.project.open_location)] = url
        if organization != str(w.settings.get("organization") or ""):
            w.settings.set("organization", organization)
        return {"review_url": url, "organization": organization or None}

    def export_report(
        self, fmt: str, target: str | Path, options: ReportOptions | None = None
    ) -> bool:
        """Write the report in a window job; the status bar names the file when it is done."""
        w = self.window
        if not w.has_project():
            return False
        w.panel.commit_rationale()
        job = export_job(w.project.open_location, fmt, Path(target), options or self.options)
        return w.start_job(job, self._exported, failed_title="Could not export the report")

    def _exported(self, path: Path) -> None:
        self.window.status(f"Report saved to {path}", 10_000)

    def import_dialog(self) -> None:
        w = self.window
        folder = str(project_folder(w.project)) if w.has_project() else ""
        source = self.ask.import_json(folder)
        if source is None:
            return
        suggested = free_path(source.with_suffix(".wbproj"))
        target = w.ask.save_path("Save the imported project as", suggested)
        if target is not None:
            self.import_json(source, target)

    def import_json(self, source: str | Path, target: str | Path) -> bool:
        """Make a new project from a JSON export at `target`, then open it."""
        w = self.window
        source, target = Path(source), Path(target)
        if w.has_project() and target.resolve() == w.project.path.resolve():
            w.show_error(
                "Could not import the project",
                "That is the project open now; choose another file for the imported project.",
            )
            return False
        return w.start_job(
            import_job(source, target), self._imported, failed_title="Could not import the project"
        )

    def _imported(self, path: Path) -> None:
        w = self.window
        if w.open_project(Path(path)):
            from workbench.core.project.create import refused_links_note

            note = refused_links_note(w.project)
            if note:  # file:, javascript: ... links in the export: kept as text, and said so
                w.status(note, 15_000)
