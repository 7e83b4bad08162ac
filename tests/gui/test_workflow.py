"""The window driven as a fact-checker would: open, click, rate, source, undo, reopen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from workbench.core.project.store import Project
from workbench.gui.window.dialogs import SourceAnswer


def _wait_open(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=15_000)


def _checkworthy(window: Any, skip: int = 2) -> Any:
    """A check-worthy claim a little way into the article (not the one selected at start)."""
    claims = [c for c in window.model.claims() if c.score >= 0.3]
    return claims[min(skip, len(claims) - 1)]


def _click_claim(qtbot: Any, window: Any, claim: Any) -> None:
    view = window.article_view
    view.select_claim(None)
    # scroll it into view as a reader would, then click inside the highlight
    cursor = view.textCursor()
    cursor.setPosition(view._omap.to_doc(claim.start))
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    point = view.viewport_point_for(claim.start + 3)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_open_article_rate_source_undo_reopen(qtbot: Any, make_window: Any, article: Path) -> None:
    window = make_window()
    window.open_path(str(article))
    _wait_open(qtbot, window)
    project_path = article.with_suffix(".wbproj")
    assert window.project.path == project_path
    total = window.project.claim_count()
    assert total > 10 and window.model.rowCount() == total
    assert window.proxy.rowCount() == total

    claim = _checkworthy(window)
    _click_claim(qtbot, window, claim)
    assert window.current_claim_id() == claim.id
    assert window.table.currentIndex().row() == window.proxy.row_of(claim.id)
    assert window.article_view.selected_claim() == claim.id

    qtbot.keyClick(window.article_view, Qt.Key.Key_1)
    first = window.project.scale.ratings[0]
    stored = window.project.claim(claim.id)
    assert stored.rating == first.id and stored.status == "checked"
    assert len(window.project.verdicts(claim.id)) == 1  # one key, one verdict row
    assert window.model.claim(claim.id).rating == first.id
    assert window.act_undo.text() == f"Undo Set verdict on claim {claim.id}"

    window.ask.sources.append(SourceAnswer("https://example.org/report", "supports", "p. 4"))
    qtbot.keyClick(window.article_view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    links = window.project.claim_sources(claim.id)
    assert [(s.source.url, s.relation, s.note) for s in links] == [
        ("https://example.org/report", "supports", "p. 4")
    ]
    assert window.panel.sources_model.rowCount() == 1

    qtbot.keyClick(window.article_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.project.claim_sources(claim.id) == []
    assert window.panel.sources_model.rowCount() == 0
    qtbot.keyClick(window.article_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    undone = window.project.claim(claim.id)
    assert undone.rating is None and undone.status == "unchecked"
    assert window.project.verdicts(claim.id)[-1].note == "undo"  # append-only: undo is a new row
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.article_view, Qt.Key.Key_Z, shift_ctrl)
    qtbot.keyClick(window.article_view, Qt.Key.Key_Z, shift_ctrl)
    assert window.project.claim(claim.id).rating == first.id
    assert len(window.project.claim_sources(claim.id)) == 1
    window.close()

    again = make_window()
    again.open_path(str(article))  # same article: the existing project opens, no NAME-2
    _wait_open(qtbot, again)
    assert again.project.path == project_path
    assert not article.with_name(f"{article.stem}-2.wbproj").exists()
    assert again.current_claim_id() == claim.id  # where the person left off
    shown = again.model.claim(claim.id)
    assert shown.rating == first.id and shown.source_count == 1
    assert again.recent_files()[0] == str(project_path.resolve())


def test_keys_move_and_typing_does_not_trigger_shortcuts(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    window.open_path(str(seed_project))
    assert window.has_project()
    start = window.current_claim_id()
    row = window.proxy.row_of(start)
    qtbot.keyClick(window.article_view, Qt.Key.Key_J)
    assert window.proxy.row_of(window.current_claim_id()) == row + 1
    qtbot.keyClick(window.article_view, Qt.Key.Key_K)
    assert window.current_claim_id() == start

    claim_id = window.current_claim_id()
    window.panel.rationale.setFocus()
    qtbot.waitUntil(window.panel.rationale.hasFocus)
    qtbot.keyClicks(window.panel.rationale, "1 source: J")
    assert window.panel.rationale.toPlainText() == "1 source: J"
    assert window.project.claim(claim_id).rating is None  # "1" was text, not a verdict
    assert window.current_claim_id() == claim_id  # "J" did not move on
    window.table.setFocus()  # leaving the box saves the rationale as one edit
    qtbot.waitUntil(lambda: window.project.claim(claim_id).rationale == "1 source: J")
    assert window.undo_stack.count() == 1
    assert window.act_undo.text() == f"Undo Edit rationale on claim {claim_id}"

    window.claims_table.filter_text.setFocus()
    qtbot.keyClicks(window.claims_table.filter_text, "N1")
    assert window.claims_table.filter_text.text() == "N1"
    assert window.current_claim_id() == claim_id

    qtbot.keyClick(window.table, Qt.Key.Key_N)
    nxt = window.model.claim(window.current_claim_id())
    assert nxt.status == "unchecked" and nxt.id != claim_id


def test_edits_split_merge_delete_make_undo(qtbot: Any, window: Any, seed_project: Path) -> None:
    window.open_path(str(seed_project))
    project = window.project
    claim = next(c for c in window.model.claims() if len(c.text.split()) > 8)
    window.select_claim(claim.id)
    words = claim.text.split(" ")
    offset = claim.start + len(" ".join(words[:4])) + 1

    window.claim_actions.split_claim(claim.id, offset)
    first = project.claim(claim.id)
    assert first.end < claim.end
    assert window.model.rowCount() == project.claim_count()
    new_id = max(c.id for c in project.claims())
    window.undo_stack.undo()
    assert (project.claim(claim.id).start, project.claim(claim.id).end) == (claim.start, claim.end)
    assert project.claim(new_id).deleted
    window.undo_stack.redo()
    assert not project.claim(new_id).deleted and project.claim(claim.id).end == first.end
    window.undo_stack.undo()

    count = project.claim_count()
    window.select_claim(claim.id)
    window.claim_actions.merge_with_next()
    assert project.claim_count() == count - 1 and project.claim(claim.id).end > claim.end
    window.undo_stack.undo()
    assert project.claim_count() == count and project.claim(claim.id).end == claim.end

    window.claim_actions.delete_claim()
    assert project.claim(claim.id).deleted and window.model.claim(claim.id) is None
    assert window.current_claim_id() != claim.id
    window.undo_stack.undo()
    assert not project.claim(claim.id).deleted and window.model.claim(claim.id) is not None

    window.select_claim(claim.id)
    window.ask.wording_answer = "Reworded claim"
    window.claim_actions.edit_wording()
    assert project.claim(claim.id).text == "Reworded claim"
    window.undo_stack.undo()
    assert project.claim(claim.id).text == claim.text

    text = project.article().text
    window.claim_actions.make_claim(claim.start, claim.start + len(words[0]) + len(words[1]) + 1)
    made = window.current_claim_id()
    assert made != claim.id and project.claim(made).origin == "user"
    assert text[project.claim(made).start : project.claim(made).end].startswith(words[0])
    window.undo_stack.undo()
    assert project.claim(made).deleted and window.model.claim(made) is None


def test_status_returned_and_source_edit_remove(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    window.open_path(str(seed_project))
    cid = window.current_claim_id()
    panel = window.panel
    panel.status_note.setText("Needs a second source")
    panel.status.setCurrentIndex(panel.status.findData("returned"))
    panel.status.activated.emit(panel.status.currentIndex())
    stored = window.project.claim(cid)
    assert stored.status == "returned" and stored.status_note == "Needs a second source"
    assert panel.status_note.isVisible()
    window.undo_stack.undo()
    assert window.project.claim(cid).status == "unchecked"

    window.claim_actions.add_source(SourceAnswer("https://example.org/a", "cited", ""))
    link = window.project.claim_sources(cid)[0]
    window.ask.sources.append(SourceAnswer("https://example.org/a", "refutes", "contradicts"))
    window.claim_actions.edit_source(link)
    assert window.project.claim_sources(cid)[0].relation == "refutes"
    window.undo_stack.undo()
    assert window.project.claim_sources(cid)[0].relation == "cited"
    panel.sources.setCurrentIndex(panel.sources_model.index(0))
    panel.open_source_button.click()
    assert window.opened_urls == ["https://example.org/a"]
    window.claim_actions.remove_source(link)
    assert window.project.claim_sources(cid) == []
    history = [panel.history_model.item(r, 2).text() for r in range(panel.history_model.rowCount())]
    assert any("removed" in h for h in history) and any("Returned" in h for h in history)


def test_another_process_edit_shows_up(qtbot: Any, window: Any, seed_project: Path) -> None:
    window.open_path(str(seed_project))
    cid = window.current_claim_id()
    assert window.check_external_changes() is False
    with Project.open(seed_project) as other:
        other.set_verdict(cid, "false", "from the other window", reviewer="editor")
    assert window.check_external_changes() is True
    assert window.model.claim(cid).rating == "false"
    assert window.panel._buttons["false"].isChecked()
    # and our own edit on top lands in the same file without conflict
    qtbot.keyClick(window.table, Qt.Key.Key_2)
    with Project.open(seed_project) as other:
        assert other.claim(cid).rating == window.project.scale.ratings[1].id
        assert len(other.verdicts(cid)) == 2


def test_escape_leaves_the_rationale_for_the_claims(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    """R to write, Escape when done: the rationale is saved and J/K and 1-9 work again (Escape
    did nothing, so the next "j" was typed into the rationale)."""
    window.open_path(str(seed_project))
    claim_id = window.current_claim_id()
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    qtbot.keyClick(window.table, Qt.Key.Key_R)
    box = window.panel.rationale
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, "Minutes, page 4")
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.table.hasFocus)
    assert window.project.claim(claim_id).rationale == "Minutes, page 4"
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    assert window.current_claim_id() != claim_id
    assert window.project.claim(claim_id).rationale == "Minutes, page 4"
