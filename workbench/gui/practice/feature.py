"""Practice in the window: evaluate sources, make exercises, compare with a key, grade a class.

Installed by workbench/gui/features.py. Everything here goes through the window's public
hooks (menus, dock(), push(), start_job(), select_claim()) and through core functions
(evaluation, practice, practice_grade); files are read and written in jobs, off the UI thread.
Every question to the person goes through `feature.ask`, which tests replace with a fake.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.practice.exercise import load_key, make_exercise
from workbench.core.practice.grade import (
    ClassRow,
    Feedback,
    Refused,
    class_csv,
    class_row,
    grade_file,
    grade_files,
)
from workbench.core.project.evaluation import record_evaluation, summary, validate_evaluation
from workbench.core.project.records import ClaimSource
from workbench.core.project.scales import Scale
from workbench.core.project.store import Project
from workbench.gui.commands import EditContext, ProjectCommand
from workbench.gui.labels import plain_label, plain_message_box
from workbench.gui.practice.feedback import ClassResultsView, FeedbackView
from workbench.gui.safe_html import plain_tooltip
from workbench.gui.sources.evaluation_dialog import EvaluationAnswer, EvaluationDialog, source_name
from workbench.gui.window.actions import ActionSpec, MenuSpec
from workbench.gui.workers import Job, Report

if TYPE_CHECKING:
    from workbench.gui.window.main_window import MainWindow

EVALUATE = ActionSpec(
    "practice.evaluate",
    "&Evaluate source…",
    keys=("Ctrl+E",),
    menu="practice/evaluate",
    also=("claim/edit",),
    tip="Lateral-reading checklist for a source of this claim",
    enabled_when="claim_has_sources",
)
COMPARE = ActionSpec(
    "practice.compare",
    "&Compare with answer key…",
    menu="practice/compare",
    tip="See how your ratings and source checklists compare with the instructor's",
    enabled_when="project",
)
MAKE = ActionSpec(
    "practice.make",
    "&Make exercise from this project…",
    menu="practice/make",
    tip="Write an exercise for students (no verdicts) and its answer key",
    enabled_when="project",
)
CLASS = ActionSpec(
    "practice.class",
    "C&lass results…",
    menu="practice/make",
    tip="Grade several students' submissions against an answer key",
)

KEY_FILTER = "Answer keys (*.json);;All files (*)"
PROJECT_FILTER = "Workbench projects (*.wbproj);;All files (*)"
CSV_FILTER = "CSV files (*.csv);;All files (*)"


def install(window: MainWindow) -> PracticeFeature:
    return PracticeFeature(window)


# ====================================================================== questions
FEEDBACK_MIN_HEIGHT = 440


class PracticeAsker:
    """The real dialogs of the practice feature (tests give the feature a fake instead)."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def evaluation(
        self, sources: Sequence[ClaimSource], selected: int | None
    ) -> EvaluationAnswer | None:
        dialog = EvaluationDialog(self.parent, sources, selected)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def exercise_paths(self, exercise: Path, key: Path) -> tuple[Path, Path] | None:
        """Where to write the exercise (for students) and the answer key (for the instructor)."""
        path, _ = QFileDialog.getSaveFileName(
            self.parent, "Save the exercise (for students) as", str(exercise), PROJECT_FILTER
        )
        if not path:
            return None
        key_path, _ = QFileDialog.getSaveFileName(
            self.parent, "Save the answer key (keep it yourself) as", str(key), KEY_FILTER
        )
        if not key_path:
            return None
        return _with_suffix(path, ".wbproj"), _with_suffix(key_path, ".json")

    def key_file(self, folder: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent, "Choose the answer key", folder, KEY_FILTER
        )
        return Path(path) if path else None

    def submission_files(self, folder: str) -> list[Path]:
        paths, _ = QFileDialog.getOpenFileNames(
            self.parent, "Choose the students' submissions", folder, PROJECT_FILTER
        )
        return [Path(p) for p in paths]

    def csv_path(self, suggested: Path) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(
            self.parent, "Export the class results as", str(suggested), CSV_FILTER
        )
        return _with_suffix(path, ".csv") if path else None

    def info(self, title: str, message: str) -> None:
        box = plain_message_box(QMessageBox.Icon.Information, title, message, self.parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()


def _with_suffix(path: str, suffix: str) -> Path:
    result = Path(path)
    return result if result.suffix else result.with_suffix(suffix)


# ====================================================================== undo
class EvaluateSource(ProjectCommand):
    """Store a source's checklist; undo puts back exactly what was there (None included)."""

    def __init__(
        self,
        ctx: EditContext,
        claim_id: int,
        source_id: int,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        verb = "Clear evaluation" if after is None else "Evaluate source"
        super().__init__(ctx, f"{verb} {source_id}")
        self.claim_id = claim_id
        self.source_id = source_id
        self.before = before
        self.after = after

    def source_ids(self) -> list[int]:
        return [self.source_id]

    def _do(self) -> None:
        record_evaluation(self.project, self.source_id, self.after, actor=self.ctx.actor())

    def _undo(self) -> None:
        # Not re-validated: the previous checklist may be half filled by another tool.
        self.project.update_source(self.source_id, evaluation=self.before, actor=self.ctx.actor())

    def _refresh(self, *, undo: bool) -> None:
        self.ctx.claims_changed([self.claim_id], select=self.claim_id)


# ====================================================================== source evaluations dock
class SourceEvaluationsPanel(QWidget):
    """The selected claim's sources, each with its checklist's one-line summary."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.hint = plain_label(objectName="hint")
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addStretch(1)
        self.evaluate_button = QPushButton("Evaluate…")
        self.evaluate_button.setToolTip("Fill in the lateral-reading checklist (Ctrl+E)")
        row.addWidget(self.evaluate_button)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        layout.addLayout(row)

    def show_sources(self, sources: Sequence[ClaimSource] | None) -> None:
        keep = self.selected_source_id()
        self.list.clear()
        for item in sources or ():
            ev = item.source.evaluation
            entry = QListWidgetItem(f"{source_name(item)}\n    {summary(ev)}")
            entry.setData(Qt.ItemDataRole.UserRole, item.source.id)
            entry.setToolTip(plain_tooltip(item.source.url))
            if ev is None:
                entry.setForeground(Qt.GlobalColor.darkGray)
            self.list.addItem(entry)
            if item.source.id == keep:
                self.list.setCurrentItem(entry)
        if sources is None:
            self.hint.setText("Select a claim to see its sources.")
        elif not sources:
            self.hint.setText("This claim has no sources yet: Ctrl+L adds one.")
        else:
            done = sum(1 for s in sources if s.source.evaluation is not None)
            self.hint.setText(f"{done} of {len(sources)} evaluated. Double-click one to evaluate.")
        self.evaluate_button.setEnabled(bool(sources))

    def selected_source_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def summaries(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]


class ClassResultsDialog(QDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Class results")
        self.resize(900, 520)
        layout = QVBoxLayout(self)
        self.view = ClassResultsView()
        layout.addWidget(self.view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)


# ====================================================================== the feature
class PracticeFeature(QObject):
    """The Practice menu, the Source evaluations dock and the Feedback dock."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ask: Any = PracticeAsker(window)
        self.feedback: Feedback | None = None
        self.class_rows: list[ClassRow] = []
        self.refused: list[Refused] = []
        self.class_dialog: ClassResultsDialog | None = None
        self._has_sources = False  # the current claim's, as last read by refresh()
        window.add_condition("claim_has_sources", lambda: self._has_sources)
        self._build_views()
        self._build_actions()
        window.claimSelected.connect(lambda _cid: self.refresh())
        window.claimsEdited.connect(self._claims_edited)
        window.projectOpened.connect(self._project_opened)
        self.refresh()

    # ---------------------------------------------------------------- building
    def _build_views(self) -> None:
        w = self.window
        self.sources_panel = SourceEvaluationsPanel()
        self.sources_panel.evaluate_button.clicked.connect(lambda: self.evaluate_source())
        self.sources_panel.list.itemDoubleClicked.connect(
            lambda item: self.evaluate_source(int(item.data(Qt.ItemDataRole.UserRole)))
        )
        # A tab beside the claims table: the claim panel on the right keeps its full height,
        # which the verdict buttons need.
        self.sources_dock = w.add_panel(
            "evaluations", "Source evaluations", self.sources_panel, tab_with="claims"
        )
        self.feedback_view = FeedbackView()
        self.feedback_view.claimActivated.connect(w.select_claim)
        w.claimSelected.connect(self.feedback_view.select_claim)
        # Hidden until there is feedback to show.
        self.feedback_dock = w.add_panel("feedback", "Feedback", self.feedback_view, shown=False)

    def _build_actions(self) -> None:
        w = self.window
        w.add_menu(
            MenuSpec("practice", "&Practice", order=70, groups=("evaluate", "compare", "make"))
        )
        for spec, slot in (
            (EVALUATE, self.evaluate_source),
            (COMPARE, self.compare_dialog),
            (MAKE, self.make_exercise_dialog),
            (CLASS, self.class_results_dialog),
        ):
            setattr(self, "act_" + spec.id.split(".", 1)[1], w.add_action(spec, slot))
        self.menu = w.actions_registry.menu("practice")

    # ---------------------------------------------------------------- keeping in step
    def _claim_sources(self) -> list[ClaimSource] | None:
        w = self.window
        cid = w.current_claim_id() if w.has_project() else None
        if cid is None:
            return None
        try:
            return list(w.project.claim_sources(cid))
        except WorkbenchError as exc:
            w.status(str(exc), 8000)
            return []

    def refresh(self) -> None:
        sources = self._claim_sources()
        self.sources_panel.show_sources(sources)
        self._has_sources = bool(sources)
        self.window.refresh_actions()

    def _claims_edited(self, _ids: Any) -> None:
        self.refresh()
        if self.feedback is not None:
            self.feedback_view.mark_outdated()

    def _project_opened(self) -> None:
        self.feedback = None
        self.feedback_view.show_feedback(None)
        self.refresh()

    def _folder(self) -> str:
        """Where to offer files: beside a project file; the home folder for a team project (its
        `path` is only its name, relative to wherever the window was started)."""
        w = self.window
        if w.has_project() and not w.project.is_team:
            return str(w.project.path.parent)
        return str(Path.home())

    # ---------------------------------------------------------------- evaluating a source
    def evaluate_source(self, source_id: int | None = None) -> None:
        """Ask for the checklist of one of the current claim's sources and store it (undoable)."""
        w = self.window
        claim = w.current_claim() if w.has_project() else None
        if claim is None:
            return
        sources = self._claim_sources() or []
        if not sources:
            w.status("This claim has no sources yet: add one (Ctrl+L) first.")
            return
        if source_id is None:
            source_id = self.sources_panel.selected_source_id()
        if source_id is None:
            picked = w.panel.selected_source()
            source_id = picked.source.id if picked is not None else None
        w.panel.commit_rationale()  # the refresh after saving must not drop a typed rationale
        answer = self.ask.evaluation(sources, source_id)
        if answer is None:
            return
        self.save_evaluation(claim.id, answer)

    def save_evaluation(self, claim_id: int, answer: EvaluationAnswer) -> bool:
        w = self.window
        try:
            before = w.project.source(answer.source_id).evaluation
            after = None if answer.data is None else validate_evaluation(answer.data).to_dict()
        except WorkbenchError as exc:
            w.show_error("The evaluation was not saved", str(exc))
            return False
        if before == after:
            return False
        return w.push(EvaluateSource(w, claim_id, answer.source_id, before, after))

    # ---------------------------------------------------------------- making an exercise
    def make_exercise_dialog(self) -> None:
        w = self.window
        if not w.has_project():
            return
        w.panel.commit_rationale()  # the key holds what is on screen, typed rationale included
        # A file or a team project's URL (with its password, in memory only): the job opens
        # its own connection, as every window job does.
        source = w.project.open_location
        folder, stem = Path(self._folder()), w.project.path.stem
        paths = self.ask.exercise_paths(
            folder / f"{stem}-exercise.wbproj", folder / f"{stem}-answer-key.json"
        )
        if paths is None:
            return
        exercise, key = paths

        def work(report: Report) -> tuple[Path, Path]:
            report("Writing the exercise and its answer key", 0.2)
            with Project.open(source) as project:
                # The save dialogs already asked before replacing a file.
                make_exercise(project, exercise, key, overwrite=True)
            report("Done", 1.0)
            return exercise, key

        w.start_job(
            Job("Making the exercise", work),
            self._exercise_made,
            failed_title="Could not make the exercise",
        )

    def _exercise_made(self, paths: tuple[Path, Path]) -> None:
        exercise, key = paths
        self.window.status(f"Exercise written to {exercise}", 8000)
        self.ask.info(
            "Exercise made",
            f"Exercise for students: {exercise}\n"
            f"Answer key (keep it yourself): {key}\n\n"
            "The exercise holds the article and its claims, without your verdicts.",
        )

    # ---------------------------------------------------------------- comparing with a key
    def compare_dialog(self) -> None:
        w = self.window
        if not w.has_project():
            return
        key_path = self.ask.key_file(self._folder())
        if key_path is not None:
            self.compare_with(key_path)

    def compare_with(self, key_path: Path) -> None:
        w = self.window
        w.panel.commit_rationale()
        submission = w.project.open_location  # a file or a team project alike

        def work(report: Report) -> tuple[Feedback, Scale]:
            report("Reading the answer key", 0.1)
            key = load_key(key_path)
            report("Comparing", 0.4)
            return grade_file(key, submission), key.scale

        w.start_job(
            Job("Comparing with the answer key", work),
            lambda result: self.show_feedback(*result),
            failed_title="Could not compare with the answer key",
        )

    def show_feedback(self, feedback: Feedback, scale: Scale) -> None:
        self.feedback = feedback
        self.feedback_view.show_feedback(feedback, scale)
        w = self.window
        if self.feedback_dock.isHidden() and not self.feedback_dock.isFloating():
            # In place of the claims table, a tab away: the feedback needs the width.
            w.tabifyDockWidget(w.dock("claims"), self.feedback_dock)
        self.feedback_dock.show()
        self.feedback_dock.raise_()
        if self.feedback_dock.height() < FEEDBACK_MIN_HEIGHT:  # scores plus several claims
            w.resizeDocks([self.feedback_dock], [FEEDBACK_MIN_HEIGHT], Qt.Orientation.Vertical)
        self.feedback_view.select_claim(self.window.current_claim_id())

    # ---------------------------------------------------------------- a class
    def class_results_dialog(self) -> None:
        key_path = self.ask.key_file(self._folder())
        if key_path is None:
            return
        paths = self.ask.submission_files(str(key_path.parent))
        if paths:
            self.grade_class(key_path, paths)

    def grade_class(self, key_path: Path, paths: Sequence[Path]) -> None:
        files = list(paths)

        def work(report: Report) -> tuple[list[ClassRow], list[Refused]]:
            report("Reading the answer key", 0.05)
            key = load_key(key_path)
            report(f"Grading {len(files)} submissions", 0.2)
            graded, refused = grade_files(key, files)
            return [class_row(f) for f in graded], refused

        self.window.start_job(
            Job("Grading the class", work),
            lambda result: self.show_class(*result),
            failed_title="Could not grade the class",
        )

    def show_class(self, rows: list[ClassRow], refused: list[Refused]) -> None:
        self.class_rows, self.refused = rows, refused
        if self.class_dialog is None:
            self.class_dialog = ClassResultsDialog(self.window)
            self.class_dialog.view.exportRequested.connect(self.export_class_csv)
        self.class_dialog.view.show_results(rows, refused)
        self.class_dialog.show()
        self.class_dialog.raise_()

    def export_class_csv(self) -> Path | None:
        if not self.class_rows:
            return None
        target = self.ask.csv_path(Path(self._folder()) / "class-results.csv")
        if target is None:
            return None
        try:
            # A few hundred rows at most: small enough to write on the UI thread.
            Path(target).write_text(class_csv(self.class_rows), "utf-8")
        except OSError as exc:
            self.window.show_error(
                "Could not export", f"{target} could not be written: {exc.strerror or exc}."
            )
            return None
        self.window.status(f"Class results exported to {target}", 8000)
        return Path(target)
