"""Features that plug into the main window: archived sources, the editor's review, practice.

Each feature module has `install(window) -> object` and adds its own menus, actions, panels and
views through the window's public API (add_menu, add_action, add_panel, add_view, the signals,
push(), start_job(); see the README's Architecture section), so the main window does not grow
with every feature and features stay testable on their own.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.gui.window.main_window import MainWindow

# name -> module; tests and other features find an installed feature by its name
FEATURE_MODULES = {
    "sources": "workbench.gui.sources.feature",
    "history": "workbench.gui.sources.history",
    "editing": "workbench.gui.claims.editing",
    "practice": "workbench.gui.practice.feature",
    "library": "workbench.gui.library.feature",
    "team": "workbench.gui.team.feature",
}


def install_features(window: MainWindow) -> dict[str, Any]:
    return {
        name: importlib.import_module(module).install(window)
        for name, module in FEATURE_MODULES.items()
    }
