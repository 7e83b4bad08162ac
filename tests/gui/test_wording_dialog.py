"""Edit wording (F2) as a checker uses it: the whole claim readable, Ctrl+Enter to save. Qt's
multi-line input dialog it used was ~230 px wide and did not wrap, so a claim was one line
scrolled sideways ("The budget was passed by seven vot"). New from pasted text: Ctrl+Enter too."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from workbench.gui.window.dialogs import Asker, PasteDialog

CLAIM = (
    "The budget was passed by seven votes to two at a full council meeting on 3 March, "
    "according to the published minutes of the meeting."
)


def test_the_wording_is_read_whole_and_saved_with_ctrl_enter(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: dict[str, Any] = {}

    def look_and_save() -> None:
        dialog = QApplication.activeModalWidget()
        edit = dialog.findChild(QPlainTextEdit) if dialog is not None else None
        if edit is None or not edit.hasFocus():  # keys and shortcuts once it is up
            QTimer.singleShot(20, look_and_save)
            return
        seen["width"] = dialog.width()
        seen["sideways"] = edit.horizontalScrollBar().isVisible()
        edit.selectAll()
        qtbot.keyClicks(edit, "The budget passed by seven votes to two on 3 March.")
        qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        safety.start(1000)  # Ctrl+Enter ignored: close it, so the test fails instead of hanging

    safety = QTimer(parent)
    safety.setSingleShot(True)
    safety.timeout.connect(lambda: QApplication.activeModalWidget().reject())
    QTimer.singleShot(0, look_and_save)
    text = Asker(parent).wording(CLAIM)
    safety.stop()
    assert seen["width"] >= 480 and not seen["sideways"], seen
    assert text == "The budget passed by seven votes to two on 3 March."


def test_pasted_text_is_taken_with_ctrl_enter(qtbot: Any) -> None:
    """New from pasted text: Enter is a new paragraph, Ctrl+Enter makes the project."""
    dialog = PasteDialog(None)
    qtbot.addWidget(dialog)
    dialog.open()
    edit = dialog.findChild(QPlainTextEdit)
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, "Bridge approved")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, "The council voted 7-2.")
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.text() == "Bridge approved\nThe council voted 7-2."
