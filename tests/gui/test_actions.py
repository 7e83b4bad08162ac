"""Actions as data: the registry builds menus, toolbar and Help; features use the window's API."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QToolButton, QTreeWidget

from workbench.gui.window.actions import ActionSpec, MenuSpec, plain

GUI = Path(__file__).resolve().parents[2] / "workbench" / "gui"


def _menu_texts(menu: Any) -> list[str]:
    return ["---" if a.isSeparator() else plain(a.text()) for a in menu.actions()]


def test_a_feature_declares_a_menu_and_an_action_as_data(window: Any, seed_project: Path) -> None:
    calls: list[str] = []
    window.add_menu(MenuSpec("demo", "&Demo", order=35, groups=("check",)))
    action = window.add_action(
        ActionSpec(
            "demo.revisions",
            "Check for &revisions…",
            keys=("Ctrl+Shift+V",),
            menu="demo/check",
            also=("file/open",),
            toolbar="article",
            short="Revisions",
            tip="Look for later versions of the article",
            enabled_when="project",
        ),
        lambda: calls.append("revisions"),
    )
    tops = [plain(a.text()) for a in window.menuBar().actions()]
    assert tops.index("Demo") == tops.index("View") + 1  # placed by its order
    assert tops[-1] == "Help"
    assert _menu_texts(window.actions_registry.menu("demo")) == ["Check for revisions"]
    assert "Check for revisions" in _menu_texts(window.actions_registry.menu("file"))
    assert action in window.toolbar.actions()
    assert action.iconText() == "Revisions"
    assert action.toolTip() == "Look for later versions of the article (Ctrl+Shift+V)"
    assert not action.isEnabled()  # enabled when a project is open
    window.load_project(seed_project)
    assert action.isEnabled()
    action.trigger()
    assert calls == ["revisions"]
    listed = {(s.group, s.what): s.key for s in window.actions_registry.shortcuts()}
    assert listed[("Demo", "Check for revisions")] == "Ctrl+Shift+V"


def test_groups_keep_their_declared_order_with_lines_between(window: Any) -> None:
    file_menu = _menu_texts(window.actions_registry.menu("file"))
    assert file_menu[:4] == ["New from file", "New from URL", "New from pasted text", "---"]
    assert file_menu[-1] == "Quit" and file_menu[-2] == "---"
    # Features' items (the editor's JSON import, the library's fact-check import, the team
    # feature's Open team project) join the Open group after the window's own, in the order
    # the features install.
    open_group = file_menu[4 : file_menu.index("---", 4)]
    assert open_group == [
        "Open project",
        "Open recent",
        "Import project from JSON",
        "Import fact checks",
        "Open team project",
    ]


def test_ratings_are_replaced_when_another_scale_opens(window: Any, seed_project: Path) -> None:
    window.load_project(seed_project)
    rate = _menu_texts(window.actions_registry.menu("claim.rate"))
    assert rate[0] == "True" and rate[-2:] == ["---", "Clear verdict"]
    count = len(window.actions())
    window.load_project(seed_project)
    assert _menu_texts(window.actions_registry.menu("claim.rate")) == rate
    assert len(window.actions()) == count  # the old rating actions went


def test_toolbar_fits_at_1100_px_with_short_labels(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    """Issue 17 item 7: the long Undo text pushed Fetch and Review into a blank overflow."""
    window.resize(1100, 700)
    window.load_project(seed_project)
    window.claim_actions.rate("true")
    qtbot.wait(50)
    assert window.act_undo.text().startswith("Undo Set verdict on claim")  # the Edit menu
    assert window.act_undo.toolTip().startswith("Undo Set verdict on claim")
    buttons = {
        a.iconText(): window.toolbar.widgetForAction(a)
        for a in window.toolbar.actions()
        if not a.isSeparator()
    }
    assert buttons["Undo"].text() == "Undo"
    for label in ("Review", "Fetch", "Undo", "Redo", "Next unchecked"):
        assert buttons[label].isVisible(), label
    overflow = window.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert overflow is None or not overflow.isVisible()


def test_help_lists_undo_plainly_and_shows_whole_keys(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    """Issue 17 item 9: the Undo row read "Undo Set verdict on claim 10"; Redo's keys were cut."""
    window.load_project(seed_project)
    window.claim_actions.rate("true")
    window.file_actions.show_shortcuts()
    dialog = window.findChild(QTreeWidget).window()
    qtbot.waitUntil(dialog.isVisible)
    tree = dialog.findChild(QTreeWidget)
    rows = {
        tree.topLevelItem(i).text(1): tree.topLevelItem(i).text(0)
        for i in range(tree.topLevelItemCount())
    }
    assert rows["Undo"] == "Ctrl+Z"
    assert not any(what.startswith("Undo ") for what in rows)
    redo_keys = rows["Redo"]
    needed = tree.fontMetrics().horizontalAdvance(redo_keys)
    assert tree.columnWidth(0) >= needed + 8
    dialog.close()


def test_features_use_the_window_api_not_its_widgets() -> None:
    """No feature reaches into the frame's widgets to place menus, toolbars or the centre."""
    banned = {"toolbar", "help_menu", "file_menu", "claim_menu", "view_menu", "recent_menu"}
    banned_calls = {"takeCentralWidget", "setCentralWidget", "menuBar", "insertMenu"}
    for path in GUI.rglob("*.py"):
        if path.parent.name == "window":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute):
                assert node.attr not in banned | banned_calls, f"{path.name}: {node.attr}"
