"""Dropping a file on the window opens it, as the File menu would."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent


def _drop(window: Any, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pos = QPointF(window.width() / 2, window.height() / 2)
    actions = Qt.DropAction.CopyAction
    with warnings.catch_warnings():
        # PySide6 marks this constructor deprecated; it is still how a drag is delivered.
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            pos.toPoint(), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        )
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(pos, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)


def test_dropping_an_article_starts_a_project(qtbot: Any, window: Any, article: Path) -> None:
    _drop(window, article)
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=15_000)
    assert window.project.path == article.with_suffix(".wbproj")
    assert window.model.rowCount() > 40


def test_dropping_a_project_opens_it(qtbot: Any, window: Any, seed_project: Path) -> None:
    _drop(window, seed_project)
    qtbot.waitUntil(window.has_project, timeout=15_000)
    assert window.project.path == seed_project


def test_dropping_a_foreign_file_says_why(qtbot: Any, window: Any, tmp_path: Path) -> None:
    junk = tmp_path / "photo.png"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    _drop(window, junk)
    qtbot.waitUntil(lambda: bool(window.ask.errors), timeout=15_000)
    assert not window.has_project()
    assert "is a PNG image, not a text or HTML article" in window.ask.errors[-1]
