"""Practice in the window: source checklists, exercises, feedback against a key, a class table."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from workbench.core.practice.exercise import exercise_id, load_key, make_exercise
from workbench.core.practice.grade import Outcome, class_csv, class_row, compare, grade_files
from workbench.core.project.evaluation import summary
from workbench.core.project.store import Project
from workbench.gui.practice.feedback import (
    COL_KEY,
    COL_OUTCOME,
    COL_YOUR_WHY,
    COL_YOURS,
    OUTCOME_WORDS,
    kappa_text,
    percent,
)
from workbench.gui.sources.evaluation_dialog import EvaluationAnswer, EvaluationDialog
from workbench.gui.window.dialogs import SourceAnswer

NEWS = {
    "behind": "Reuters",
    "kind": "news",
    "independent": "yes",
    "corroborated": "yes",
    "notes": "Two other agencies report the same.",
}
OPINION = {
    "behind": "A columnist",
    "kind": "opinion",
    "independent": "no",
    "corroborated": "unsure",
    "notes": "",
}
# The instructor's ratings on truth6 (true, mostly-true, half-true, partly-false, ...).
KEY_RATINGS = ("true", "mostly-true", "half-true", "false", "misleading")


class FakePracticeAsk:
    """Canned answers for the practice feature's questions; what was asked is kept."""

    def __init__(self) -> None:
        self.evaluations: list[EvaluationAnswer] = []
        self.asked_evaluation: list[tuple[list[int], int | None]] = []
        self.exercise: tuple[Path, Path] | None = None
        self.key: Path | None = None
        self.submissions: list[Path] = []
        self.csv: Path | None = None
        self.infos: list[str] = []

    def evaluation(self, sources: Any, selected: int | None) -> EvaluationAnswer | None:
        self.asked_evaluation.append(([s.source.id for s in sources], selected))
        return self.evaluations.pop(0) if self.evaluations else None

    def exercise_paths(self, exercise: Path, key: Path) -> tuple[Path, Path] | None:
        return self.exercise

    def key_file(self, folder: str) -> Path | None:
        return self.key

    def submission_files(self, folder: str) -> list[Path]:
        return self.submissions

    def csv_path(self, suggested: Path) -> Path | None:
        return self.csv

    def info(self, title: str, message: str) -> None:
        self.infos.append(message)


def _practice(window: Any) -> Any:
    feature = window.features["practice"]
    feature.ask = FakePracticeAsk()
    return feature


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window.job is None, timeout=15_000)


def _rated_claims(path: Path, n: int = len(KEY_RATINGS)) -> list[int]:
    with Project.open(path) as project:
        return [c.id for c in project.claims() if c.score >= 0.3][:n]


@pytest.fixture()
def instructor(seed_project: Path) -> Path:
    """The seed project with the instructor's verdicts on five claims and one evaluated source."""
    ids = _rated_claims(seed_project)
    with Project.open(seed_project) as project:
        for cid, rating in zip(ids, KEY_RATINGS, strict=True):
            project.set_verdict(cid, rating, f"Instructor on {cid}: {rating}.", reviewer="prof")
        sid = project.attach_source(ids[0], "https://example.org/wire", relation="supports")
        project.update_source(sid, evaluation=NEWS)
    return seed_project


@pytest.fixture()
def exercise(instructor: Path, tmp_path: Path) -> tuple[Path, Path]:
    ex, key = tmp_path / "exercise.wbproj", tmp_path / "key.json"
    with Project.open(instructor) as project:
        make_exercise(project, ex, key)
    return ex, key


# ---------------------------------------------------------------------- evaluating a source
def test_evaluate_source_stored_shown_and_undone(qtbot: Any, window: Any, seed_project: Path):
    feature = _practice(window)
    window.open_project(seed_project)
    claim = [c for c in window.model.claims() if c.score >= 0.3][1]
    window.select_claim(claim.id)
    evaluate = feature.act_evaluate
    assert not evaluate.isEnabled()  # nothing to evaluate on a claim without sources
    window.ask.sources += [
        SourceAnswer("https://example.org/wire", "supports", ""),
        SourceAnswer("https://example.org/column", "context", ""),
    ]
    window.claim_actions.add_source()
    assert evaluate.isEnabled() and feature.sources_panel.evaluate_button.isEnabled()
    window.undo_stack.undo()
    assert not evaluate.isEnabled()
    window.undo_stack.redo()
    window.claim_actions.add_source()
    links = window.project.claim_sources(claim.id)
    wire, column = (s.source.id for s in links)
    assert feature.sources_panel.list.count() == 2
    assert all(line.endswith("Not evaluated") for line in feature.sources_panel.summaries())

    feature.ask.evaluations.append(EvaluationAnswer(column, OPINION))
    feature.sources_panel.list.setCurrentRow(1)
    qtbot.keyClick(window.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert feature.ask.asked_evaluation == [([wire, column], column)]  # the row picked in the dock
    assert window.project.source(column).evaluation == OPINION
    assert window.project.source(wire).evaluation is None
    assert summary(OPINION) in feature.sources_panel.summaries()[1]

    changed = dict(OPINION, corroborated="no", notes="Nobody else says so.")
    feature.ask.evaluations.append(EvaluationAnswer(column, changed))
    window.features["practice"].act_evaluate.trigger()
    assert window.project.source(column).evaluation == changed
    assert "not corroborated" in feature.sources_panel.summaries()[1]

    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.project.source(column).evaluation == OPINION
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.project.source(column).evaluation is None  # back to "not evaluated"
    assert feature.sources_panel.summaries()[1].endswith("Not evaluated")

    # A wrong answer from the dialog is refused with a sentence, and nothing is pushed.
    depth = window.undo_stack.count()
    assert not feature.save_evaluation(claim.id, EvaluationAnswer(wire, dict(NEWS, kind="blog")))
    assert "not a kind of source" in window.ask.errors[-1]
    assert window.undo_stack.count() == depth


def test_evaluation_dialog_asks_every_question(qtbot: Any, seed_project: Path) -> None:
    with Project.open(seed_project) as project:
        cid = project.claims()[0].id
        a = project.attach_source(cid, "https://example.org/a")
        b = project.attach_source(cid, "https://example.org/b")
        project.update_source(b, evaluation=NEWS)
        sources = project.claim_sources(cid)
    dialog = EvaluationDialog(None, sources, b)
    qtbot.addWidget(dialog)
    assert dialog.data() == NEWS  # the chosen source's stored answers, ready to edit
    dialog.source.setCurrentIndex(0)
    assert dialog.data() == {k: "" for k in NEWS}
    dialog.behind.setText("Ministry of Health")
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    save.click()
    assert dialog.result() == 0 and "what kind of source" in dialog.problem.text()
    dialog.kind.setCurrentIndex(dialog.kind.findData("official"))
    dialog.independent.buttons["no"].click()
    dialog.corroborated.buttons["unsure"].click()
    save.click()
    assert dialog.result() == 1
    assert dialog.answer() == EvaluationAnswer(
        a,
        {
            "behind": "Ministry of Health",
            "kind": "official",
            "independent": "no",
            "corroborated": "unsure",
            "notes": "",
        },
    )


# ---------------------------------------------------------------------- making an exercise
def test_make_exercise_from_the_window(
    qtbot: Any, window: Any, instructor: Path, tmp_path: Path
) -> None:
    feature = _practice(window)
    window.open_project(instructor)
    ex, key = tmp_path / "out" / "ex.wbproj", tmp_path / "out" / "ex-key.json"
    ex.parent.mkdir()
    feature.ask.exercise = (ex, key)
    feature.act_make.trigger()
    _idle(qtbot, window)
    assert window.ask.errors == []
    assert ex.is_file() and key.is_file()
    assert str(ex) in feature.ask.infos[0] and str(key) in feature.ask.infos[0]
    loaded = load_key(key)
    assert [c.rating for c in loaded.claims if c.rating] == list(KEY_RATINGS)
    with Project.open(ex) as project:
        assert exercise_id(project) == loaded.exercise_id
        assert all(c.rating is None and c.rationale == "" for c in project.claims())
        assert all(s.evaluation is None for s in project.sources())
    assert window.project.path == instructor  # the instructor's project stays open


# ---------------------------------------------------------------------- feedback
def test_rate_exercise_with_keys_and_compare(
    qtbot: Any, window: Any, exercise: tuple[Path, Path]
) -> None:
    ex, key_path = exercise
    feature = _practice(window)
    window.open_project(ex)
    ids = _rated_claims(ex)
    ratings = window.project.scale.ratings
    # key: true, mostly-true, half-true  ->  student: true (agree), half-true (one step off),
    # false (differs); the last two stay unrated.
    for cid, key in zip(ids[:3], (Qt.Key.Key_1, Qt.Key.Key_3, Qt.Key.Key_6), strict=True):
        window.select_claim(cid)
        qtbot.keyClick(window.table, key)
    window.select_claim(ids[1])
    window.panel.rationale.setFocus()
    qtbot.keyClicks(window.panel.rationale, "Close, but the figure is rounded up.")
    # The student checks the source the instructor evaluated, and misjudges one answer of three.
    window.ask.sources.append(SourceAnswer("https://example.org/wire/", "supports", ""))
    window.claim_actions.add_source()
    wire = window.project.claim_sources(ids[1])[0].source.id
    feature.ask.evaluations.append(EvaluationAnswer(wire, dict(NEWS, corroborated="unsure")))
    qtbot.keyClick(window.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert [window.project.claim(c).rating for c in ids[:3]] == [
        ratings[0].id,
        ratings[2].id,
        ratings[5].id,
    ]

    feature.ask.key = key_path
    feature.act_compare.trigger()
    _idle(qtbot, window)
    assert window.ask.errors == []
    view = feature.feedback_view
    with Project.open(ex) as project:
        expected = compare(load_key(key_path), project)
    model = view.model
    assert [model.item(r).claim_id for r in range(model.rowCount())] == ids
    outcomes = [model.item(r).outcome for r in range(model.rowCount())]
    assert outcomes == [
        Outcome.AGREE,
        Outcome.ONE_STEP,
        Outcome.DIFFER,
        Outcome.NOT_RATED,
        Outcome.NOT_RATED,
    ]
    assert [f.outcome for f in expected.claims] == outcomes
    text = model.index(1, COL_OUTCOME).data()
    assert OUTCOME_WORDS[Outcome.ONE_STEP] in text
    assert model.index(1, COL_YOURS).data() == ratings[2].label
    assert model.index(1, COL_KEY).data() == "Mostly true"
    assert model.index(1, COL_YOUR_WHY).data() == "Close, but the figure is rounded up."
    assert model.index(1, COL_OUTCOME).data(Qt.ItemDataRole.BackgroundRole) is not None
    s = expected.scores
    assert (s.exact, s.within_one) == (1 / 5, 2 / 5)
    assert view.exact_card.value.text() == percent(s.exact) == "20 %"
    assert view.near_card.value.text() == percent(s.within_one) == "40 %"
    assert view.kappa_card.value.text() == kappa_text(s.kappa)
    assert view.source_card.value.text() == percent(s.source_agreement) == "67 %"
    assert view.source_model.index(0, 3).data() == "2 of 3 (kind, independent)"
    assert feature.feedback_dock.isVisible()

    view.table.selectRow(2)  # a row of the feedback selects its claim in the window
    assert window.current_claim_id() == ids[2]
    assert "Instructor on" in view.detail.toPlainText()
    window.select_claim(ids[0])  # and the window's selection moves the row
    assert view.table.currentIndex().row() == 0


def test_wrong_key_is_refused_and_the_window_carries_on(
    qtbot: Any, window: Any, instructor: Path, exercise: tuple[Path, Path], tmp_path: Path
) -> None:
    ex, _key = exercise
    with Project.open(instructor) as project:
        make_exercise(project, tmp_path / "other.wbproj", tmp_path / "other-key.json")
    feature = _practice(window)
    window.open_project(ex)
    feature.ask.key = tmp_path / "other-key.json"
    feature.act_compare.trigger()
    _idle(qtbot, window)
    assert "different exercise" in window.ask.errors[-1]
    assert feature.feedback is None and not feature.feedback_dock.isVisible()

    broken = tmp_path / "broken.json"
    broken.write_text("{not json", "utf-8")
    feature.ask.key = broken
    feature.act_compare.trigger()
    _idle(qtbot, window)
    assert "not a Workbench answer key" in window.ask.errors[-1]

    window.select_claim(_rated_claims(ex)[0])  # still usable: rate a claim
    qtbot.keyClick(window.table, Qt.Key.Key_2)
    assert window.project.claim(_rated_claims(ex)[0]).rating == "mostly-true"


# ---------------------------------------------------------------------- a class
def _submission(ex: Path, target: Path, student: str, ratings: dict[int, str]) -> Path:
    shutil.copy(ex, target)
    with Project.open(target) as project:
        for cid, rating in ratings.items():
            project.set_verdict(cid, rating, "", reviewer=student)
    return target


def test_class_results_and_csv(
    qtbot: Any, window: Any, exercise: tuple[Path, Path], seed_project: Path, tmp_path: Path
) -> None:
    ex, key_path = exercise
    ids = _rated_claims(ex)
    alice = _submission(
        ex, tmp_path / "alice.wbproj", "alice", dict(zip(ids, KEY_RATINGS, strict=True))
    )
    bob = _submission(ex, tmp_path / "bob.wbproj", "bob", {ids[0]: "false", ids[1]: "true"})
    feature = _practice(window)
    feature.ask.key = key_path
    feature.ask.submissions = [alice, bob, seed_project]
    feature.act_class.trigger()
    _idle(qtbot, window)
    qtbot.waitUntil(lambda: feature.class_dialog is not None and feature.class_dialog.isVisible())
    view = feature.class_dialog.view

    graded, refused = grade_files(load_key(key_path), [alice, bob, seed_project])
    rows = [class_row(f) for f in graded]
    assert view.model.rows == rows
    cells = [
        [view.model.index(r, c).data() for c in range(view.model.columnCount())]
        for r in range(view.model.rowCount())
    ]
    assert cells[0][:5] == ["alice", "alice.wbproj", "5 of 5", "100 %", "100 %"]
    assert cells[1][:5] == ["bob", "bob.wbproj", "2 of 5", "0 %", "20 %"]
    assert view.refused.count() == 1 == len(refused)
    assert "is not an exercise project" in view.refused.item(0).text()
    assert seed_project.name in view.refused.item(0).text()

    feature.ask.csv = tmp_path / "class.csv"
    view.export_button.click()
    assert feature.ask.csv.read_text("utf-8") == class_csv(rows)
