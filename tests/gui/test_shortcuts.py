"""Keys: no two actions share one (Qt would fire neither), and Help lists what the keys do."""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QTreeWidget

from workbench.gui.window.dialogs import ShortcutsDialog
from workbench.gui.window.shortcuts import menu_shortcuts


def _all_keys(window: Any) -> Counter[str]:
    keys: Counter[str] = Counter()
    seen: set[int] = set()
    actions = list(window.actions())
    for top in window.menuBar().actions():
        stack = [top.menu()] if top.menu() else []
        while stack:
            menu = stack.pop()
            for action in menu.actions():
                if action.menu() is not None:
                    stack.append(action.menu())
                else:
                    actions.append(action)
    for action in actions:
        if id(action) in seen:
            continue
        seen.add(id(action))
        for key in action.shortcuts():
            keys[key.toString(QKeySequence.SequenceFormat.PortableText)] += 1
    return keys


def test_no_key_is_claimed_twice(window: Any, seed_project: Any) -> None:
    window.load_project(seed_project)
    clashes = {key: n for key, n in _all_keys(window).items() if n > 1}
    assert clashes == {}


def test_help_lists_the_keys_of_every_menu_including_features(
    window: Any, seed_project: Any
) -> None:
    window.load_project(seed_project)
    listed = {(s.group, s.what): s.key for s in menu_shortcuts(window.menuBar())}
    whats = {what for _group, what in listed}
    assert "Undo" in " ".join(whats)
    assert any(key == "Ctrl+L" for key in listed.values())
    assert any("J" in key.split(" / ") for key in listed.values())
    for feature_key in ("Ctrl+Shift+A", "Ctrl+Shift+R"):
        assert feature_key in listed.values(), feature_key
    shortcuts = menu_shortcuts(window.menuBar())
    dialog = ShortcutsDialog(shortcuts, window)
    (tree,) = dialog.findChildren(QTreeWidget)
    rows = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    shown = {(row.text(0), row.text(1)) for row in rows if row.text(1)}
    # Every shortcut of the menus is listed in the dialog, under a heading for its group.
    assert shown == {(sc.key, sc.what) for sc in shortcuts}
    assert {row.text(0) for row in rows if not row.text(1)} == {sc.group for sc in shortcuts}
    # The note under the list wraps: on one line it widened the dialog to its length.
    assert dialog.sizeHint().width() <= tree.columnWidth(0) + 380
    dialog.close()
