"""Every hand-written item model passes pytest-qt's model tester, before and while it is edited.

qtmodeltester.check() stays connected to the model's signals, so the edits after it (verdicts,
a source, filters, sorting, a deletion and its undo, a reload) are checked as they happen.
One model per test: the tester follows one model at a time. The window's models go through
Qt's own tester (QAbstractItemModelTester, which accepts numbers as display data, so the id and
score columns sort as numbers); it reports a broken rule as a "FAIL!" warning, which fails the
test here. The feedback models also pass pytest-qt's stricter Python checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import qInstallMessageHandler

from workbench.core.practice.exercise import load_key, make_exercise
from workbench.core.practice.grade import class_row, compare
from workbench.core.project.evaluation import record_evaluation
from workbench.core.project.store import Project
from workbench.gui.practice.feedback import ClassResultsModel, FeedbackModel, SourceFeedbackModel
from workbench.gui.window.dialogs import SourceAnswer


@pytest.fixture()
def model_failures() -> Iterator[list[str]]:
    """What Qt's model tester reports (its "FAIL!" warnings), other messages passed on."""
    failures: list[str] = []

    def handler(kind: Any, context: Any, message: str) -> None:
        if context.category == "qt.modeltest" or "FAIL!" in message:
            failures.append(message)
        elif previous is not None:
            previous(kind, context, message)

    previous = qInstallMessageHandler(handler)
    yield failures
    qInstallMessageHandler(previous)


WINDOW_MODELS = {
    "claims": lambda w: w.model,
    "filter": lambda w: w.proxy,
    "review queue": lambda w: w.features["editing"].queue_model,
    "claim sources": lambda w: w.panel.sources_model,
}


@pytest.mark.parametrize("name", WINDOW_MODELS)
def test_window_models_while_editing(
    qtmodeltester: Any, model_failures: list[str], window: Any, seed_project: Path, name: str
) -> None:
    window.load_project(seed_project)
    qtmodeltester.check(WINDOW_MODELS[name](window))
    assert qtmodeltester._qt_tester is not None  # Qt's tester, not the Python fallback
    first, second = (c.id for c in window.model.claims()[2:4])
    window.select_claim(first)
    window.claim_actions.rate("true")
    window.ask.sources.append(SourceAnswer("https://example.org/report", "supports", ""))
    window.claim_actions.add_source()
    window.features["editing"].approve()
    window.select_claim(second)
    window.claim_actions.rate("false")
    window.proxy.set_text("Russia")
    window.proxy.set_min_score(0.3)
    window.proxy.set_rating("true")
    window.proxy.set_rating(None)
    window.proxy.set_text("")
    window.table.sortByColumn(2, window.table.horizontalHeader().sortIndicatorOrder())
    window.claim_actions.delete_claim()
    window.undo_stack.undo()
    window.select_claim(first)
    window.load_project(seed_project)  # a reset
    assert model_failures == []


FEEDBACK_MODELS = ("claims", "sources", "class")
NEWS = {"behind": "Reuters", "kind": "news", "independent": "yes", "corroborated": "yes"}


@pytest.mark.parametrize("name", FEEDBACK_MODELS)
def test_feedback_models(qtmodeltester: Any, seed_project: Path, tmp_path: Path, name: str) -> None:
    with Project.open(seed_project) as project:
        claims = project.claims()
        project.set_verdict(claims[2].id, "true", "Checked")
        project.set_verdict(claims[3].id, "false", "Wrong")
        project.attach_source(claims[2].id, "https://example.org/a", relation="supports")
        source_id = project.claim_sources(claims[2].id)[0].source.id
        record_evaluation(project, source_id, NEWS)
        make_exercise(project, tmp_path / "ex.wbproj", tmp_path / "key.json")
    with Project.open(tmp_path / "ex.wbproj") as student:
        student.set_verdict(claims[2].id, "mostly-true", "Close")
        feedback = compare(load_key(tmp_path / "key.json"), student)
        scale = student.scale
    model: Any
    if name == "claims":
        model = FeedbackModel()
        qtmodeltester.check(model, force_py=True)
        model.set_feedback(feedback.claims, scale)
        assert model.rowCount() > 0
        model.set_feedback([], None)
    elif name == "sources":
        model = SourceFeedbackModel()
        qtmodeltester.check(model, force_py=True)
        model.set_sources(feedback.sources)
        assert model.rowCount() > 0
        model.set_sources([])
    else:
        model = ClassResultsModel()
        qtmodeltester.check(model, force_py=True)
        model.set_rows([class_row(feedback), class_row(feedback)])
        assert model.rowCount() == 2
        model.set_rows([])
