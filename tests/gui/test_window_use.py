"""The window as a person uses it (issue 17): typing with pauses, undo from the rationale box,
clicks on partly visible rows, the history's wording, sizes.

Marked `x11`: .ci/run also runs these under a real X server (Xvfb and a window manager) with
the xcb platform, where focus, timing and scrolling behave as on a desktop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from workbench.gui.claims.panel import RATIONALE_PAUSE_MS

pytestmark = pytest.mark.x11

PAST_AUTOSAVE_MS = RATIONALE_PAUSE_MS + 600
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def sample_project(tmp_path: Path) -> Path:
    """The offline sample (Harbour Town) with its cited pages stored, as after a fetch."""
    from workbench.core.project.create import new_project
    from workbench.core.sources.fetch import import_warc_into

    path = tmp_path / "sample.wbproj"
    project = new_project(path, ROOT / "sample_data" / "sample-article.html")
    import_warc_into(project, ROOT / "sample_data" / "cited-pages.warc.gz")
    project.close()
    return path


def _open(qtbot: Any, window: Any, project: Path) -> None:
    window.open_path(str(project))
    qtbot.waitUntil(window.has_project)


def _focus_rationale(qtbot: Any, window: Any) -> Any:
    qtbot.keyClick(window.table, Qt.Key.Key_R)  # the R key: "Write rationale"
    box = window.panel.rationale
    qtbot.waitUntil(box.hasFocus)
    return box


def _stored(window: Any, claim_id: int) -> str:
    return window.project.claim(claim_id).rationale


def _history(window: Any) -> list[str]:
    model = window.panel.history_model
    return [model.item(r, 2).text() for r in range(model.rowCount())]


# ---------------------------------------------------------------------- 1: typing with pauses
def test_rationale_typed_in_two_bursts_is_saved_in_order(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    _open(qtbot, window, seed_project)
    claim_id = window.current_claim_id()
    box = _focus_rationale(qtbot, window)
    qtbot.keyClicks(box, "Alpha beta.")
    qtbot.wait(PAST_AUTOSAVE_MS)
    assert _stored(window, claim_id) == "Alpha beta."  # the pause saved it
    assert box.textCursor().position() == len("Alpha beta.")  # and left the cursor alone
    qtbot.keyClicks(box, " Gamma delta.")
    assert box.toPlainText() == "Alpha beta. Gamma delta."
    qtbot.wait(PAST_AUTOSAVE_MS)
    assert _stored(window, claim_id) == "Alpha beta. Gamma delta."
    assert box.toPlainText() == "Alpha beta. Gamma delta."
    assert box.textCursor().position() == len("Alpha beta. Gamma delta.")
    assert box.hasFocus()
    # One undo step for the typing, however many pauses it had.
    assert window.undo_stack.count() == 1
    assert window.act_undo.text() == f"Undo Edit rationale on claim {claim_id}"


def test_autosave_leaves_a_selection_and_the_scroll_alone(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    _open(qtbot, window, seed_project)
    box = _focus_rationale(qtbot, window)
    qtbot.keyClicks(box, "First line of the rationale.")
    cursor = box.textCursor()
    cursor.setPosition(6)
    cursor.setPosition(10, cursor.MoveMode.KeepAnchor)
    box.setTextCursor(cursor)
    qtbot.wait(PAST_AUTOSAVE_MS)
    assert window.project.claim(window.current_claim_id()).rationale.startswith("First line")
    after = box.textCursor()
    assert (after.anchor(), after.position()) == (6, 10)


def test_undo_in_the_box_steps_back_through_typing_then_earlier_edits(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    _open(qtbot, window, seed_project)
    claim_id = window.current_claim_id()
    qtbot.keyClick(window.table, Qt.Key.Key_1)  # an earlier edit: a verdict
    rating = window.project.claim(claim_id).rating
    assert rating is not None
    box = _focus_rationale(qtbot, window)
    qtbot.keyClicks(box, "Alpha beta.")
    qtbot.wait(PAST_AUTOSAVE_MS)
    qtbot.keyClicks(box, " Gamma delta.")
    qtbot.wait(PAST_AUTOSAVE_MS)
    assert _stored(window, claim_id) == "Alpha beta. Gamma delta."

    # Ctrl+Z in the box takes the typing back, across the autosave in the middle ...
    for _ in range(40):
        if not box.toPlainText():
            break
        qtbot.keyClick(box, Qt.Key.Key_Z, CTRL)
    assert box.toPlainText() == ""
    qtbot.wait(PAST_AUTOSAVE_MS)
    assert _stored(window, claim_id) == ""
    assert window.project.claim(claim_id).rating == rating
    # ... then reaches the edits before it, without leaving the box.
    qtbot.keyClick(box, Qt.Key.Key_Z, CTRL)
    assert window.project.claim(claim_id).rating is None
    assert box.hasFocus()
    qtbot.keyClick(box, Qt.Key.Key_Z, CTRL_SHIFT)  # and redo comes back the same way
    assert window.project.claim(claim_id).rating == rating


def test_undo_in_the_box_reaches_a_rationale_saved_before(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    _open(qtbot, window, seed_project)
    claim_id = window.current_claim_id()
    box = _focus_rationale(qtbot, window)
    qtbot.keyClicks(box, "Alpha beta.")
    qtbot.wait(PAST_AUTOSAVE_MS)
    qtbot.keyClicks(box, " Gamma delta.")
    window.table.setFocus()  # leaving the box saves
    qtbot.waitUntil(lambda: _stored(window, claim_id) == "Alpha beta. Gamma delta.")
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    qtbot.keyClick(window.table, Qt.Key.Key_K)  # away and back: the box is loaded afresh
    assert window.current_claim_id() == claim_id
    box = _focus_rationale(qtbot, window)
    assert box.toPlainText() == "Alpha beta. Gamma delta."

    qtbot.keyClick(box, Qt.Key.Key_Z, CTRL)
    assert _stored(window, claim_id) == ""  # the saved edit, undone as one step
    assert box.toPlainText() == ""
    assert box.hasFocus()
    qtbot.keyClick(box, Qt.Key.Key_Z, CTRL_SHIFT)
    assert _stored(window, claim_id) == "Alpha beta. Gamma delta."
    assert box.toPlainText() == "Alpha beta. Gamma delta."


def test_undo_from_the_menu_while_typing_shows_the_undone_text(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    _open(qtbot, window, seed_project)
    claim_id = window.current_claim_id()
    box = _focus_rationale(qtbot, window)
    qtbot.keyClicks(box, "Alpha beta.")
    qtbot.wait(PAST_AUTOSAVE_MS)
    window.act_undo.trigger()  # Edit ▸ Undo, the box keeping the focus
    assert _stored(window, claim_id) == ""
    assert box.toPlainText() == ""
    window.act_redo.trigger()
    assert box.toPlainText() == "Alpha beta."


# ---------------------------------------------------------------------- 8: history wording
def test_history_has_one_row_per_rationale_edit_worded_for_what_happened(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    _open(qtbot, window, seed_project)
    claim_id = window.current_claim_id()
    assert window.project.claim(claim_id).rating is None
    box = _focus_rationale(qtbot, window)
    for burst in ("The minutes", " record the vote", " as seven to two."):
        qtbot.keyClicks(box, burst)
        qtbot.wait(PAST_AUTOSAVE_MS)
    assert len(window.project.verdicts(claim_id)) == 3  # every pause saved (append-only)
    rows = _history(window)
    assert rows == ["Rationale written: “The minutes record the vote as seven to two.”"]

    qtbot.keyClick(window.table, Qt.Key.Key_2)  # a verdict, then more rationale later
    label = window.project.scale.ratings[1].label
    box = _focus_rationale(qtbot, window)
    qtbot.keyClicks(box, " Checked.")
    window.table.setFocus()
    qtbot.waitUntil(lambda: _stored(window, claim_id).endswith("Checked."))
    rows = _history(window)
    assert rows[0] == ("Rationale edited: “The minutes record the vote as seven to two. Checked.”")
    assert sorted(rows[1:]) == sorted(
        [
            "Status Unchecked → Checked",
            f"Verdict: {label}",
            "Rationale written: “The minutes record the vote as seven to two.”",
        ]
    )
    assert not any("cleared" in r for r in rows)


def test_redo_in_the_box_brings_back_typing_undone_there(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    _open(qtbot, window, seed_project)
    claim_id = window.current_claim_id()
    box = _focus_rationale(qtbot, window)
    qtbot.keyClicks(box, "Alpha beta.")
    qtbot.wait(PAST_AUTOSAVE_MS)
    while box.toPlainText():
        qtbot.keyClick(box, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(box, Qt.Key.Key_Z, CTRL)  # nothing left anywhere: a no-op, not an error
    assert _stored(window, claim_id) == "" and window.undo_stack.count() == 0
    qtbot.keyClick(box, Qt.Key.Key_Z, CTRL_SHIFT)
    assert box.toPlainText() == "Alpha beta."
    qtbot.wait(PAST_AUTOSAVE_MS)
    assert _stored(window, claim_id) == "Alpha beta."


# ---------------------------------------------------------------------- 2: the claims table
def _selected_rows(window: Any) -> list[int]:
    return sorted(i.row() for i in window.table.selectionModel().selectedRows())


def _partly_visible_row(window: Any) -> int:
    table = window.table
    bottom = table.viewport().height()
    for row in range(window.proxy.rowCount()):
        rect = table.visualRect(window.proxy.index(row, 0))
        if rect.top() < bottom - 4 < rect.bottom():
            return row
    raise AssertionError("no row is cut off at the bottom of the table")


def _squeeze_table(qtbot: Any, window: Any, rows: float) -> None:
    """Make the table show `rows` rows, the last one cut off, as a small window does."""
    table = window.table
    height = table.verticalHeader().defaultSectionSize()
    extra = table.height() - table.viewport().height()
    table.setFixedHeight(int(extra + height * rows))
    qtbot.waitUntil(lambda: table.viewport().height() < height * (rows + 0.2))
    table.scrollToTop()


def test_clicking_the_cut_off_bottom_row_selects_that_claim(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    _open(qtbot, window, seed_project)
    _squeeze_table(qtbot, window, 4.5)
    row = _partly_visible_row(window)
    claim_id = window.proxy.claim_id_at(row)
    rect = window.table.visualRect(window.proxy.index(row, 1))
    qtbot.mouseClick(
        window.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(rect.center().x(), rect.top() + 3),
    )
    assert window.current_claim_id() == claim_id
    assert _selected_rows(window) == [row]  # the row clicked, not the one below it
    # Qt scrolls a clicked row into view after the double-click interval: it comes wholly in.
    table = window.table
    qtbot.waitUntil(
        lambda: table.visualRect(window.proxy.index(row, 0)).bottom() <= table.viewport().height(),
        timeout=5000,
    )
    assert _selected_rows(window) == [row]
    assert window.table.currentIndex().row() == row
    qtbot.keyClick(window.table, Qt.Key.Key_3)
    assert window.project.claim(claim_id).rating == window.project.scale.ratings[2].id


def test_moving_to_a_claim_below_the_table_scrolls_it_into_view(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    _open(qtbot, window, seed_project)
    _squeeze_table(qtbot, window, 3.5)
    window.select_claim(window.proxy.claim_id_at(0))
    for _ in range(6):
        qtbot.keyClick(window.table, Qt.Key.Key_J)
    row = window.proxy.row_of(window.current_claim_id())
    assert row == 6
    assert _selected_rows(window) == [row]
    rect = window.table.visualRect(window.proxy.index(row, 0))
    assert rect.top() >= 0 and rect.bottom() <= window.table.viewport().height()
    last = window.proxy.claim_id_at(window.proxy.rowCount() - 1)
    window.select_claim(last)  # e.g. a click in the article
    rect = window.table.visualRect(window.proxy.index(window.proxy.rowCount() - 1, 0))
    assert rect.top() >= 0 and rect.bottom() <= window.table.viewport().height()
    assert _selected_rows(window) == [window.proxy.rowCount() - 1]


# ---------------------------------------------------------------------- 9: nothing cut off
LONG_REASON = (
    "The Wayback Machine has no capture of this page before the article's date, and the "
    "Memento aggregator's archives answered with errors (archive.today: timed out after 20 s; "
    "Library of Congress: HTTP 503). The live page now redirects to the site's home page, so "
    "a live copy would not show what the article cited: https://www.example.org/news/2026/03/"
    "a-very-long-address-without-any-spaces-at-all-that-must-still-be-readable-in-full"
)


def test_fetch_failure_dialog_shows_each_whole_reason(qtbot: Any) -> None:
    from PySide6.QtGui import QTextLayout, QTextOption

    from workbench.gui.app import ensure_app
    from workbench.gui.sources.fetch_report import Failure, FailuresDialog

    ensure_app()
    rows = [Failure("https://example.org/a", LONG_REASON), Failure("x", "Timed out.")]
    dialog = FailuresDialog(None, "Some sources could not be fetched", "2 of 3", rows)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    tree = dialog.tree
    width = tree.columnWidth(1)
    assert width < tree.fontMetrics().horizontalAdvance(LONG_REASON)  # it has to wrap
    layout = QTextLayout(LONG_REASON, tree.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = 0
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width - 16)
        lines += 1
    layout.endLayout()
    assert lines >= 3
    row = tree.visualItemRect(tree.topLevelItem(0))
    short = tree.visualItemRect(tree.topLevelItem(1))
    assert row.height() >= lines * tree.fontMetrics().lineSpacing()  # every line has room
    assert short.top() >= row.bottom()  # and the next row starts below it
    # Narrower: the rows grow to keep the whole reason.
    dialog.resize(560, 420)
    qtbot.waitUntil(lambda: tree.visualItemRect(tree.topLevelItem(0)).height() > row.height())


def _history_rows_fit(panel: Any) -> None:
    """Each history entry is as tall as its wrapped text: nothing is cut off with '…'."""
    history, model = panel.history, panel.history_model
    metrics = history.fontMetrics()
    width = history.columnWidth(2) - 16
    for row in range(model.rowCount()):
        text = model.item(row, 2).text()
        lines = -(-metrics.horizontalAdvance(text) // max(width, 1))  # at least this many
        rect = history.visualRect(model.index(row, 2))
        assert rect.height() >= lines * metrics.lineSpacing(), text


def test_history_is_not_cut_off_at_1400x900(qtbot: Any, window: Any, sample_project: Path) -> None:
    from workbench.gui.window.dialogs import SourceAnswer

    _open(qtbot, window, sample_project)
    window.resize(1400, 900)
    qtbot.waitUntil(lambda: window.height() == 900)
    panel = window.panel
    claim_id = window.current_claim_id()
    qtbot.keyClick(window.table, Qt.Key.Key_2)
    window.ask.sources.append(
        SourceAnswer(
            "https://example.org/reports/2026/a-long-address/for-the-source", "supports", "p. 4"
        )
    )
    window.claim_actions.add_source()
    box = _focus_rationale(qtbot, window)
    qtbot.keyClicks(box, "The minutes record 7 votes in favour and 2 against; the budget passed.")
    window.table.setFocus()
    qtbot.waitUntil(lambda: _stored(window, claim_id).endswith("passed."))
    assert panel.history_model.rowCount() >= 4
    for claim in window.model.claims():
        window.select_claim(claim.id)
        qtbot.wait(10)
        history = panel.history
        top = history.mapTo(panel.viewport(), QPoint(0, 0)).y()
        assert top >= 0 and top + history.height() <= panel.viewport().height(), claim.id
        assert history.height() >= 70  # the header and two entries at least
    window.select_claim(claim_id)
    qtbot.wait(10)
    _history_rows_fit(panel)


def test_the_panels_claim_is_selected_again_when_a_filter_or_sort_brings_it_back(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    _open(qtbot, window, seed_project)
    _squeeze_table(qtbot, window, 4.5)
    claim_id = window.proxy.claim_id_at(8)
    window.select_claim(claim_id)
    window.claims_table.filter_text.setText("zzzz-no-claim-says-this")
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 0)
    assert window.current_claim_id() == claim_id  # the panel keeps it while it is hidden
    window.claims_table.filter_text.setText("")
    qtbot.waitUntil(lambda: window.proxy.rowCount() == window.model.rowCount())
    row = window.proxy.row_of(claim_id)
    assert _selected_rows(window) == [row]
    window.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # by worth: it moves
    row = window.proxy.row_of(claim_id)
    assert _selected_rows(window) == [row]
    rect = window.table.visualRect(window.proxy.index(row, 0))
    assert rect.top() >= 0 and rect.bottom() <= window.table.viewport().height()
