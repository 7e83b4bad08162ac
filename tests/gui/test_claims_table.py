"""The claims dock on its own (gui/claims/table.py) and the window as its frame.

The table is usable without a window: it shows the claim it is told, says when the person
moves to another row, keeps the claim selected through filters and sorts, and takes a
feature's filter after the status filter. The Claim menu's commands live in the claims room
(gui/claims/actions.py); the Review menu's actions follow enabled-when conditions.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from workbench.core.project.records import ClaimRecord
from workbench.core.project.scales import builtin_scales
from workbench.gui.claims.model import COL_SCORE
from workbench.gui.claims.table import ClaimsTable

ROOT = Path(__file__).resolve().parents[2]
SCALE = next(iter(builtin_scales().values()))


def _claims() -> list[ClaimRecord]:
    text = "One said 4 things. Two said 5 things. Three said 6 things."
    out = []
    for i, word in enumerate(("One", "Two", "Three")):
        start = text.index(word)
        end = text.index(".", start) + 1
        out.append(
            ClaimRecord(
                id=i + 1,
                start=start,
                end=end,
                text=text[start:end],
                kind="fact",
                score=(0.9, 0.2, 0.5)[i],
                reasons=(),
                quotes=(),
                status="unchecked",
                status_note="",
                origin="auto",
                rating=None,
                rationale="",
                rated_by=None,
                rated_at=None,
                source_count=0,
                created_at="2026-01-01T00:00:00Z",
                updated_at="2026-01-01T00:00:00Z",
            )
        )
    return out


def _table(qtbot: Any, me: str = "ana") -> ClaimsTable:
    table = ClaimsTable(me=lambda: me)
    qtbot.addWidget(table)
    table.model.set_claims(_claims(), SCALE)
    table.set_project_scale(SCALE, team=False)
    table.update_count()
    table.resize(700, 300)
    table.show()
    return table


def test_shown_claim_is_selected_without_being_chosen(qtbot: Any) -> None:
    table = _table(qtbot)
    chosen: list[int] = []
    table.claimChosen.connect(chosen.append)
    table.show_claim(2)
    assert [i.row() for i in table.table.selectionModel().selectedRows()] == [1]
    assert chosen == []
    # The person moves the table: the window is told which claim.
    table.table.selectRow(2)
    assert chosen == [3]


def test_claim_stays_selected_through_a_filter_and_a_sort(qtbot: Any) -> None:
    table = _table(qtbot)
    table.show_claim(3)
    table.filter_score.setValue(0.4)  # hides claim 2
    assert table.count_label.text() == "2 of 3 claims shown"
    rows = table.table.selectionModel().selectedRows()
    assert [table.proxy.claim_id_at(i.row()) for i in rows] == [3]
    table.table.sortByColumn(COL_SCORE, Qt.SortOrder.DescendingOrder)
    rows = table.table.selectionModel().selectedRows()
    assert [table.proxy.claim_id_at(i.row()) for i in rows] == [3]
    assert table.proxy.claim_id_at(0) == 1  # 0.9 first


def test_text_filter_waits_for_a_pause(qtbot: Any) -> None:
    table = _table(qtbot)
    qtbot.keyClicks(table.filter_text, "three")
    assert table.proxy.rowCount() == 3  # not yet: typing goes on
    qtbot.waitUntil(lambda: table.proxy.rowCount() == 1, timeout=2000)
    assert table.count_label.text() == "1 of 3 claims shown"


def test_a_feature_filter_goes_after_the_status_filter(qtbot: Any) -> None:
    table = _table(qtbot)
    extra = QComboBox()
    table.add_filter(extra)
    for width in (1600, 500):  # on the filter line and wrapped under the text box alike
        table.resize(width, 300)
        row = next(r for r in (table.filter_row, table._wrapped_row) if r.indexOf(extra) >= 0)
        assert row.indexOf(extra) == row.indexOf(table.filter_status) + 1


def test_assigned_to_me_asks_who_me_is(qtbot: Any) -> None:
    table = _table(qtbot, me="ana")
    table.set_project_scale(SCALE, team=True)
    assert not table.filter_assigned.isHidden()
    table.filter_assigned.setCurrentIndex(table.filter_assigned.findData("me"))
    assert table.proxy.rowCount() == 0  # nothing is assigned to ana
    table.set_project_scale(SCALE, team=False)  # a file: filter off and hidden
    assert table.filter_assigned.isHidden() and table.proxy.rowCount() == 3


def test_window_hosts_the_claims_room(window: Any, seed_project: Path) -> None:
    window.open_project(seed_project)
    assert window.dock("claims").widget() is window.claims_table
    assert window.model is window.claims_table.model
    claim = window.model.claims()[0]
    window.select_claim(claim.id)
    window.actions_registry.action("claim.rate.1").trigger()
    assert window.model.claim(claim.id).rating == window.project.scale.ratings[0].id
    window.undo_stack.undo()
    assert window.model.claim(claim.id).rating is None


def test_main_window_no_longer_holds_the_claim_edits() -> None:
    """The frame hosts the claims room; it does not define its edits or filters again."""
    tree = ast.parse((ROOT / "workbench/gui/window/main_window.py").read_text())
    window = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "MainWindow")
    methods = {n.name for n in window.body if isinstance(n, ast.FunctionDef)}
    edits = {"rate", "add_source", "split_claim", "merge_with_next", "delete_claim", "move"}
    assert not methods & edits
    assert not methods & {"_apply_filter", "_fill_verdict_filter", "_show_in_table"}


def test_review_actions_follow_their_conditions(window: Any, seed_project: Path) -> None:
    window.open_project(seed_project)
    approve = window.actions_registry.action("review.approve")
    queue = window.features["editing"].queue
    claim = window.model.claims()[0]
    window.select_claim(claim.id)
    assert not approve.isEnabled() and not queue.approve_button.isEnabled()  # unrated
    window.claim_actions.rate(window.project.scale.ratings[0].id)
    assert approve.isEnabled() and queue.approve_button.isEnabled()
    assert window.actions_registry.spec("review.approve").enabled_when == "approvable"


def test_main_window_leaves_the_file_dialogs_to_file_actions() -> None:
    tree = ast.parse((ROOT / "workbench/gui/window/main_window.py").read_text())
    window = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "MainWindow")
    methods = {n.name for n in window.body if isinstance(n, ast.FunctionDef)}
    dialogs = {"open_dialog", "save_copy", "settings_dialog", "show_shortcuts", "open_sample"}
    assert not methods & dialogs
    assert {"open_path", "open_project", "recent_files"} <= methods  # what they lead to stays


def test_enter_or_down_in_the_filter_goes_on_to_the_claims_found(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    """Filter, Enter, rate: Enter (or Down) takes the keys to the table, on the first claim
    found when the filter hides the one open, so J/K and 1-9 work at once (before, the keys
    stayed in the box and "J" became part of the filter)."""
    window.open_path(str(seed_project))
    claims = window.claims_table
    hidden = window.current_claim_id()
    assert "Hamedani" not in window.model.claim(hidden).text
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(claims.filter_text.hasFocus)
    qtbot.keyClicks(claims.filter_text, "Hamedani")
    qtbot.keyClick(claims.filter_text, Qt.Key.Key_Return)
    assert window.table.hasFocus()
    found = [claims.proxy.claim_id_at(r) for r in range(claims.proxy.rowCount())]
    assert len(found) > 2 and window.current_claim_id() == found[0]
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    assert window.current_claim_id() == found[1]
    qtbot.keyClick(window.table, Qt.Key.Key_2)
    assert window.project.claim(found[1]).rating is not None
    assert claims.filter_text.text() == "Hamedani"

    claims.filter_text.setFocus()
    claims.filter_text.selectAll()
    qtbot.keyClicks(claims.filter_text, "Iran")  # the open claim is among these: kept
    qtbot.keyClick(claims.filter_text, Qt.Key.Key_Down)
    assert window.table.hasFocus() and window.current_claim_id() == found[1]
    assert claims.proxy.rowCount() < window.model.rowCount()  # applied without the pause

    claims.filter_text.setFocus()
    claims.filter_text.selectAll()
    qtbot.keyClicks(claims.filter_text, "zzzz-no-claim-says-this")
    qtbot.keyClick(claims.filter_text, Qt.Key.Key_Return)
    assert claims.filter_text.hasFocus()  # nothing found: the cursor stays to retype


def test_the_count_says_all_claims_after_a_delete_or_an_undone_split(
    window: Any, seed_project: Path
) -> None:
    """No filter on: the count is "N claims" after every edit (it read "85 of 86 claims shown"
    after a delete or an undone split, as if a filter hid one)."""
    window.open_path(str(seed_project))
    label = window.claims_table.count_label
    total = window.model.rowCount()
    claim = next(c for c in window.model.claims() if len(c.text.split()) > 8)
    window.select_claim(claim.id)
    offset = claim.start + len(" ".join(claim.text.split(" ")[:4])) + 1
    window.claim_actions.split_claim(claim.id, offset)
    assert label.text() == f"{total + 1} claims"
    window.undo_stack.undo()
    assert label.text() == f"{total} claims"
    window.claim_actions.delete_claim()
    assert label.text() == f"{total - 1} claims"
    window.undo_stack.undo()
    assert label.text() == f"{total} claims"


def test_the_verdict_column_shows_every_label_whole(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    """At a fixed 104 px the truth scale's labels read "Mostly fal…" and "Unverifia…" in the
    claims table, however wide the window."""
    from workbench.gui.claims.model import COL_VERDICT

    window.open_project(seed_project)
    claims = window.model.claims()
    for claim, rating in zip(claims, window.project.scale.ratings, strict=False):
        window.select_claim(claim.id)
        window.claim_actions.rate(rating.id)
    table = window.table
    # The view's own measure of the rows in view: the eight rated claims are at the top.
    assert window.proxy.index(7, COL_VERDICT).data() == window.project.scale.ratings[7].label
    assert table.sizeHintForColumn(COL_VERDICT) <= table.columnWidth(COL_VERDICT)
