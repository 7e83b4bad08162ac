"""Application set-up: the QApplication, persistent settings, and `run()` for the CLI."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QSettings, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from workbench.core.settings import SETTINGS_DIR_ENV, Settings
from workbench.gui import style
from workbench.resources import resource

APP_NAME = "Workbench"
LEGACY_KEYS = ("reviewer", "recent", "window/geometry", "window/state")


def settings() -> Settings:
    """The person's settings (workbench/core/settings.py), brought over from the QSettings
    keys older versions wrote, the first time."""
    current = Settings()
    if not current.exists():
        legacy = legacy_values()
        if legacy:
            current.migrate(legacy, version=0)
    return current


def legacy_values() -> dict[str, object]:
    """What the window used to keep in QSettings (version 0 of the settings)."""
    folder = os.environ.get(SETTINGS_DIR_ENV, "").strip()
    if folder:
        old = QSettings(str(Path(folder) / "workbench.ini"), QSettings.Format.IniFormat)
    else:
        old = QSettings(APP_NAME, APP_NAME)
    values: dict[str, object] = {}
    for key in old.allKeys():
        if key in LEGACY_KEYS or key.startswith("lastClaim/"):
            value = old.value(key)
            values[key] = value.data() if hasattr(value, "data") else value
    return values


def ensure_headless_if_needed() -> None:
    """Use the offscreen platform when there is no display (CI, ssh, screenshots)."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def app_icon() -> QIcon:
    """The application icon at every size shipped (packaging/make_icons.py renders them)."""
    icon = QIcon()
    folder = resource("icons")
    for entry in folder.iterdir():
        if entry.name.startswith("workbench-") and entry.name.endswith(".png"):
            icon.addFile(str(entry))
    return icon


# Said by Qt's offscreen platform (screenshots, CI, `workbench report -f pdf`) whenever a window
# is shown; nothing is wrong, so it is not passed on to stderr.
HARMLESS_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)
_previous_handler: object = None


def _qt_messages(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if message in HARMLESS_QT_MESSAGES:
        return
    if callable(_previous_handler):
        _previous_handler(kind, context, message)
    else:
        print(message, file=sys.stderr)


def quiet_harmless_qt_messages() -> None:
    global _previous_handler
    if _previous_handler is None:
        _previous_handler = qInstallMessageHandler(_qt_messages) or False


def ensure_app() -> QApplication:
    """The one QApplication, created and styled on first use."""
    app = QApplication.instance()
    if app is None:
        ensure_headless_if_needed()
        quiet_harmless_qt_messages()
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    if app.property("workbenchStyled") is not True:
        app.setApplicationName(APP_NAME)
        app.setOrganizationName(APP_NAME)
        app.setDesktopFileName("workbench")  # matches packaging/linux/workbench.desktop
        app.setWindowIcon(app_icon())
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

    window = MainWindow(defer_features=True)  # the first frame first; features right after
    window.show()
    if path_or_url:
        # After the event loop starts, so the window paints before a long load begins.
        QTimer.singleShot(0, lambda: window.open_path(path_or_url))
    return app.exec()
