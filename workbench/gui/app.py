"""Application set-up: the QApplication, persistent settings, and `run()` for the CLI."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from workbench.gui import style

SETTINGS_ENV = "WORKBENCH_SETTINGS_DIR"  # tests (and portable installs) keep settings here
APP_NAME = "Workbench"


def settings() -> QSettings:
    """Where window layout, recent files and the reviewer's name live.

    WORKBENCH_SETTINGS_DIR points at a folder holding workbench.ini, so tests never read or
    write the user's real settings.
    """
    folder = os.environ.get(SETTINGS_ENV, "").strip()
    if folder:
        return QSettings(str(Path(folder) / "workbench.ini"), QSettings.Format.IniFormat)
    return QSettings(APP_NAME, APP_NAME)


def ensure_headless_if_needed() -> None:
    """Use the offscreen platform when there is no display (CI, ssh, screenshots)."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def ensure_app() -> QApplication:
    """The one QApplication, created and styled on first use."""
    app = QApplication.instance()
    if app is None:
        ensure_headless_if_needed()
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    if app.property("workbenchStyled") is not True:
        app.setApplicationName(APP_NAME)
        app.setOrganizationName(APP_NAME)
        app.setStyle("Fusion")  # same look on every platform, and offscreen screenshots
        font = QFont(app.font())
        font.setPointSize(style.UI_FONT_POINT_SIZE)
        app.setFont(font)
        app.setStyleSheet(style.style_sheet())
        app.setProperty("workbenchStyled", True)
    return app


def run(path_or_url: str | None = None) -> int:
    """Open the main window (and the given project, article file or URL); returns the exit code."""
    app = ensure_app()
    from workbench.gui.window.main_window import MainWindow

    window = MainWindow()
    window.show()
    if path_or_url:
        # After the event loop starts, so the window paints before a long load begins.
        QTimer.singleShot(0, lambda: window.open_path(path_or_url))
    return app.exec()
