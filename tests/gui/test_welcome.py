"""Before a project is open, the first step is a button and recent projects are one click away."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton


def test_welcome_buttons_start_each_way_in(window: Any, monkeypatch: Any) -> None:
    called: list[str] = []
    for name in (
        "new_from_file_dialog",
        "new_from_url_dialog",
        "new_from_text_dialog",
        "open_dialog",
    ):
        monkeypatch.setattr(window.file_actions, name, lambda n=name: called.append(n))
    for button in window.welcome.findChildren(QPushButton):
        button.click()
    assert called == [
        "new_from_file_dialog",
        "new_from_url_dialog",
        "new_from_text_dialog",
        "open_dialog",
    ]


def test_recent_projects_open_with_one_activation(
    qtbot: Any, make_window: Any, seed_project: Path
) -> None:
    first = make_window()
    first.load_project(seed_project)  # remembered as recent
    first.close()
    window = make_window()
    assert window.welcome.isVisibleTo(window)
    items = [window.welcome.recent.item(i) for i in range(window.welcome.recent.count())]
    assert [Path(i.toolTip()) for i in items] == [seed_project.resolve()]
    window.welcome.recent.itemActivated.emit(items[0])
    qtbot.waitUntil(window.has_project, timeout=15_000)
    assert window.project.path.resolve() == seed_project.resolve()
    assert not window.welcome.isVisibleTo(window)


def test_recent_projects_are_read_whole(qtbot: Any, make_window: Any) -> None:
    """Each recent project's name and folder show on one line with no sideways scrolling, and
    every row shows (the list was ~250 px wide with a scroll bar over its last row); a folder
    too long for the welcome is shortened in its middle."""
    window = make_window()
    window.resize(1400, 900)
    recent = window.welcome.recent
    folder = "/home/ana/Documents/newsroom desk/2026-11 elections"
    paths = [f"{folder}/{name}.wbproj" for name in ("bridge-costs", "harbour-levy", "vote")]
    window.welcome.set_recent(paths)
    qtbot.waitUntil(recent.isVisible)
    view = recent.viewport()
    for row in range(recent.count()):
        rect = recent.visualItemRect(recent.item(row))
        assert rect.top() >= 0 and rect.bottom() <= view.rect().bottom(), row  # whole row
        text = recent.item(row).text()
        assert recent.fontMetrics().horizontalAdvance(text) <= view.width(), text
    assert not recent.horizontalScrollBar().isVisible()

    deep = "/".join(["/srv/share/desk"] + ["a long folder name for the archive"] * 6)
    window.welcome.set_recent([f"{deep}/bridge.wbproj", *paths])
    assert recent.width() <= window.welcome.width()
    assert recent.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert not recent.horizontalScrollBar().isVisible()
