"""Addresses as a fact-checker types them: "www.example.org/page" into Add source or New from
URL. Both refused it, and Add source closed on the refusal, losing the note typed with it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit

from workbench.gui.window.dialogs import SourceDialog


def _fields(dialog: SourceDialog) -> tuple[QLineEdit, QLineEdit]:
    url, note = dialog.findChildren(QLineEdit)[:2]
    return url, note


def _typed(qtbot: Any, url_text: str, note_text: str) -> SourceDialog:
    """An Add source dialog with the address and the note typed into it."""
    dialog = SourceDialog(None, None)
    qtbot.addWidget(dialog)
    dialog.open()
    url, note = _fields(dialog)
    qtbot.keyClicks(url, url_text)
    qtbot.keyClicks(note, note_text)
    return dialog


def _ok(qtbot: Any, dialog: SourceDialog) -> None:
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_add_source_takes_an_address_without_https(qtbot: Any) -> None:
    dialog = _typed(qtbot, "www.example.org/traffic-count-2025", "Table 3")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        _ok(qtbot, dialog)
    answer = dialog.answer()
    assert answer.url == "https://www.example.org/traffic-count-2025"
    assert answer.note == "Table 3"


def test_add_source_keeps_what_was_typed_when_the_address_is_not_one(qtbot: Any) -> None:
    dialog = _typed(qtbot, "Reuters report of 12 May", "para 2 gives the figure")
    url, note = _fields(dialog)
    _ok(qtbot, dialog)
    assert dialog.isVisible() and dialog.result() == 0  # still open: nothing lost
    problem = dialog.findChild(QLabel, "sourceProblem")
    assert problem.isVisible()
    assert "'Reuters report of 12 May' is not a web address" in problem.text()
    qtbot.waitUntil(lambda: problem.height() >= problem.heightForWidth(problem.width()))
    assert problem.geometry().right() <= dialog.contentsRect().right()  # all of it shows
    assert url.text() == "Reuters report of 12 May" and note.text() == "para 2 gives the figure"
    url.clear()
    _ok(qtbot, dialog)
    assert dialog.isVisible() and "Type or paste" in problem.text()
    qtbot.keyClicks(url, "https://example.org/wire")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        _ok(qtbot, dialog)
    assert dialog.answer().url == "https://example.org/wire"


def test_new_from_url_takes_an_address_without_https(window: Any, monkeypatch: Any) -> None:
    loaded: list[str] = []
    monkeypatch.setattr(window, "new_from_url", loaded.append)
    window.ask.url_answer = "www.example.org/news/2026/bridge"
    window.file_actions.new_from_url_dialog()
    assert loaded == ["https://www.example.org/news/2026/bridge"] and window.ask.errors == []
    window.ask.url_answer = "the bridge story"
    window.file_actions.new_from_url_dialog()
    assert loaded == ["https://www.example.org/news/2026/bridge"]
    assert window.ask.errors == ["'the bridge story' is not a web address; use http or https."]
