"""Before a project is open, the first step is a button and recent projects are one click away."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
