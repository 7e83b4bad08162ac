"""Features that plug into the main window: archived sources, the editor's review, practice.

Each feature module has `install(window) -> object` and adds its own menus, docks and actions
through the window's public hooks (signals, named menus, dock(), push(), start_job()), so the
main window does not grow with every feature and features stay testable on their own.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.gui.main_window import MainWindow

FEATURE_MODULES = (
    "workbench.gui.sources_feature",
    "workbench.gui.editor_feature",
    "workbench.gui.practice_feature",
)


def install_features(window: MainWindow) -> dict[str, Any]:
    installed: dict[str, Any] = {}
    for name in FEATURE_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # not built yet
        installed[name.rsplit(".", 1)[-1]] = module.install(window)
    return installed
