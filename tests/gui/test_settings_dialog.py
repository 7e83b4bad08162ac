"""File ▸ Settings, the settings brought over from QSettings, and a quiet quit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDoubleSpinBox, QLineEdit

from workbench.core.settings import Settings
from workbench.gui import app as gui_app


def test_settings_dialog_saves_checked_values(window: Any, private_settings: Path) -> None:
    dialog = window.file_actions.settings_dialog()
    deadline = dialog.findChild(QDoubleSpinBox, "deadline_s")
    deadline.setValue(95)
    dialog.findChild(QLineEdit, "proxy").setText("http://proxy.example.org:3128")
    dialog.accept()
    assert not dialog.isVisible()
    saved = Settings(private_settings / "settings.ini", env={})
    assert saved.get("deadline_s") == 95.0
    assert saved.get("proxy") == "http://proxy.example.org:3128"
    assert window.features["sources"].settings_factory().deadline_s == 95.0


def test_a_long_value_shows_its_start(qtbot: Any, window: Any) -> None:
    """The user agent (longer than its field) showed its last words ("…ches one archived copy
    per cited source)") when the dialog opened, and again after Restore Defaults."""
    dialog = window.file_actions.settings_dialog()
    qtbot.addWidget(dialog)
    agent = dialog.findChild(QLineEdit, "user_agent")
    assert agent.fontMetrics().horizontalAdvance(agent.text()) > agent.width()  # it is long
    assert agent.cursorPosition() == 0
    agent.setCursorPosition(len(agent.text()))
    dialog.restore_defaults()
    assert agent.cursorPosition() == 0


def test_settings_dialog_refuses_a_bad_address(window: Any, private_settings: Path) -> None:
    dialog = window.file_actions.settings_dialog()
    dialog.findChild(QLineEdit, "wayback_url").setText("web.archive.org")
    dialog.accept()
    assert dialog.isVisible()
    assert "must be an http or https address" in dialog.error.text()
    assert not (private_settings / "settings.ini").exists()  # nothing saved
    dialog.reject()


def test_a_setting_given_for_the_run_is_shown_read_only(
    window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_DEADLINE_S", "33")
    dialog = window.file_actions.settings_dialog()
    field = dialog.findChild(QDoubleSpinBox, "deadline_s")
    assert field.value() == 33 and not field.isEnabled()
    assert "WORKBENCH_DEADLINE_S" in field.toolTip()
    dialog.reject()


def test_old_qsettings_are_brought_over_once(private_settings: Path, seed_project: Path) -> None:
    old = QSettings(str(private_settings / "workbench.ini"), QSettings.Format.IniFormat)
    old.setValue("reviewer", "Legacy Reviewer")
    old.setValue("recent", [str(seed_project)])
    old.sync()
    settings = gui_app.settings()
    assert settings.get("reviewer") == "Legacy Reviewer"
    assert settings.get("recent_projects") == [str(seed_project)]
    settings.set("reviewer", "New Name")
    assert gui_app.settings().get("reviewer") == "New Name"  # not migrated a second time


def test_no_slot_touches_settings_once_the_window_is_closed(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    """Issue 17 item 5: quitting right after typing printed "Internal C++ object (QSettings)
    already deleted" from the recent-files code, run by signals while Qt tore the window down."""

    class Gone:
        def __getattr__(self, name: str) -> Any:
            raise RuntimeError("Internal C++ object (PySide6.QtCore.QSettings) already deleted.")

    window.load_project(seed_project)
    window.claim_actions.focus_rationale()
    QTest.keyClicks(window.panel.rationale, "Alpha beta.")
    window.close()
    window.settings = Gone()  # as at interpreter exit
    # What tearing down the article view and the undo stack emits:
    window.article_view.cursorPositionChanged.emit()
    window.article_view.selectionChanged.emit()
    window.undo_stack.indexChanged.emit(0)
    qtbot.wait(10)
