"""The desktop app's identity and its sample (issue 16): icon, names, Help ▸ Open the sample article."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from workbench.core.errors import NotFoundError
from workbench.core.sample import SAMPLE_FILES, copy_sample, sample_folder
from workbench.gui.app import ensure_app


def test_the_application_has_its_icon_and_names(qtbot: Any) -> None:
    app = ensure_app()
    assert app.applicationName() == "Workbench"
    assert app.organizationName() == "Workbench"
    assert app.desktopFileName() == "workbench"  # packaging/linux/workbench.desktop
    sizes = {s.width() for s in app.windowIcon().availableSizes()}
    assert {16, 32, 48, 256} <= sizes


def test_help_opens_the_sample_article_from_a_writable_copy(
    qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import workbench.gui.window.opening as opening

    monkeypatch.setattr(opening, "documents_dir", lambda: tmp_path / "Documents")
    action = window.actions_registry.action("help.sample")
    assert action in window.actions_registry.menu("help").actions()
    action.trigger()
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=20_000)
    copied = tmp_path / "Documents" / "Workbench sample"
    assert set(SAMPLE_FILES) <= {p.name for p in copied.iterdir()}
    assert list(copied.glob("*.wbproj")), "the project is saved beside the copied article"
    assert window.ask.errors == []


def test_copying_the_sample_twice_keeps_the_first_copy(tmp_path: Path) -> None:
    article = copy_sample(tmp_path)
    article.write_text("my notes", encoding="utf-8")
    assert copy_sample(tmp_path).read_text("utf-8") == "my notes"
    assert (sample_folder() / "cited-pages.warc.gz").is_file()


def test_a_missing_sample_is_one_sentence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import workbench.core.sample as sample

    monkeypatch.setattr(sample, "__file__", str(tmp_path / "a" / "b" / "sample.py"))
    with pytest.raises(NotFoundError, match="not part of this installation"):
        sample.sample_folder()


def test_without_a_documents_folder_files_are_offered_in_the_home_folder(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from PySide6.QtCore import QStandardPaths

    from workbench.gui.window import opening

    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda _where: str(tmp_path / "none"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    assert opening.documents_dir() == tmp_path / "home"
