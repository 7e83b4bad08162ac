"""GUI test set-up: offscreen Qt, throwaway settings, dialogs answered by a fake."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from workbench.gui.window.dialogs import SourceAnswer


class FakeAsk:
    """Stands in for dialogs.Asker: canned answers, and every error message kept."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.save_to: Path | None = None
        self.sources: list[SourceAnswer] = []
        self.wording_answer: str | None = None
        self.pasted: str | None = None
        self.url_answer: str | None = None

    def error(self, title: str, message: str) -> None:
        self.errors.append(message)

    def save_path(self, title: str, suggested: Path) -> Path | None:
        return self.save_to

    def source(self, initial: Any = None) -> SourceAnswer | None:
        return self.sources.pop(0) if self.sources else None

    def wording(self, current: str) -> str | None:
        return self.wording_answer

    def pasted_text(self) -> str | None:
        return self.pasted

    def url(self) -> str | None:
        return self.url_answer

    def open_path(self, folder: str) -> str | None:
        return None

    def article_file(self, folder: str) -> str | None:
        return None

    def reviewer(self, current: str) -> str | None:
        return None

    def confirm(self, title: str, question: str) -> bool:
        return True


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "settings"
    folder.mkdir()
    monkeypatch.setenv("WORKBENCH_SETTINGS_DIR", str(folder))
    return folder


@pytest.fixture()
def article(tmp_path: Path, seed_path: Path) -> Path:
    """The seed article copied into a temp folder, so projects are written beside the copy."""
    target = tmp_path / "work" / seed_path.name
    target.parent.mkdir()
    shutil.copy(seed_path, target)
    return target


@pytest.fixture()
def seed_project(article: Path) -> Path:
    from workbench.core.project.create import new_project

    path = article.with_suffix(".wbproj")
    new_project(path, article).close()
    return path


@pytest.fixture()
def make_window(qtbot: Any) -> Iterator[Any]:
    from workbench.gui.app import ensure_app
    from workbench.gui.window.main_window import MainWindow

    ensure_app()
    windows: list[Any] = []

    def make() -> Any:
        ask = FakeAsk()
        opened: list[str] = []
        window = MainWindow(ask=ask, open_url=opened.append)  # type: ignore[arg-type]
        window.opened_urls = opened
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()  # window shortcuts (J, 1, Ctrl+Z) need the active window
        qtbot.waitUntil(window.isActiveWindow)
        windows.append(window)
        return window

    yield make
    for w in windows:
        w.close()


@pytest.fixture()
def window(make_window: Any) -> Any:
    return make_window()
