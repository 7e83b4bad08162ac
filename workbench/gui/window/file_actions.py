"""The File and Help menus' commands: what each asks the person, then the window's opening.

`FileActions` holds the dialogs behind New, Open, Open recent, Save a copy, Reviewer name,
Settings, Help ▸ Keyboard shortcuts and the sample article; the window keeps what they lead
to (open_path, open_project, new_from_url, new_from_text, the recent list) because features,
drops and the welcome panel open projects too. Every question goes through `window.ask`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog

from workbench.core.errors import WorkbenchError
from workbench.core.net.urls import typed_web_url
from workbench.core.project.backends import is_team_url, team_label
from workbench.gui.safe_html import plain_tooltip
from workbench.gui.window.dialogs import ShortcutsDialog
from workbench.gui.window.opening import documents_dir, free_path, project_folder

if TYPE_CHECKING:
    from workbench.gui.window.main_window import MainWindow


class FileActions(QObject):
    """The slots of File ▸ New/Open/Save a copy/Settings and Help, acting on the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def _last_folder(self) -> str:
        project = self.window.project if self.window.has_project() else None
        return str(project_folder(project)) if project is not None else str(documents_dir())

    def new_from_file_dialog(self) -> None:
        path = self.window.ask.article_file(self._last_folder())
        if path:
            self.window.open_path(path)

    def new_from_url_dialog(self) -> None:
        typed = self.window.ask.url()
        if not typed:
            return
        url = typed_web_url(typed)  # "www.example.org/story" as a browser takes it
        if url is None:
            self.window.show_error(
                "Not a web address", f"'{typed}' is not a web address; use http or https."
            )
            return
        self.window.new_from_url(url)

    def new_from_text_dialog(self) -> None:
        text = self.window.ask.pasted_text()
        if text is not None:
            self.window.new_from_text(text)

    def open_dialog(self) -> None:
        path = self.window.ask.open_path(self._last_folder())
        if path:
            self.window.open_path(path)

    def save_copy_dialog(self) -> None:
        if not self.window.has_project():
            return
        project = self.window.project
        folder, stem = project_folder(project), project.path.stem
        target = self.window.ask.save_path(
            "Save a copy as", free_path(folder / f"{stem}-copy.wbproj")
        )
        if target is not None:
            self.save_copy(target)

    def save_copy(self, target: Path) -> bool:
        """A consistent copy of the open project (Project.save_copy); errors are shown."""
        if not self.window.has_project():
            return False
        try:
            self.window.project.save_copy(target)
        except WorkbenchError as exc:
            self.window.show_error("Could not save a copy", str(exc))
            return False
        self.window.status(f"Saved a copy as {target}")
        return True

    def reviewer_dialog(self) -> None:
        name = self.window.ask.reviewer(self.window.actor())
        if name:
            self.window.settings.set("reviewer", name)
            self.window.status(f"Verdicts are now recorded as {name}")

    def settings_dialog(self) -> QDialog:
        from workbench.gui.window.settings_dialog import SettingsDialog  # not needed at start-up

        dialog = SettingsDialog(self.window.settings, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.window.status("Settings saved; new fetches use them."))
        dialog.open()
        return dialog

    def open_sample(self) -> None:
        """Copy the shipped sample into Documents/Workbench sample (once) and open it there."""
        from workbench.core.sample import copy_sample
        from workbench.gui.window import opening  # looked up now: tests point it elsewhere

        try:
            article = copy_sample(opening.documents_dir() / "Workbench sample")
        except WorkbenchError as exc:
            self.window.show_error("Could not open the sample", str(exc))
            return
        self.window.open_path(article)

    def show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self.window.actions_registry.shortcuts(), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def fill_recent_menu(self) -> None:
        """File ▸ Open recent, filled as it opens: the files still there and team projects."""
        menu = self.window.recent_menu
        menu.clear()
        items = [p for p in self.window.recent_files() if is_team_url(p) or Path(p).exists()]
        if not items:
            menu.addAction("No recent projects").setEnabled(False)
            return
        for p in items:
            action = menu.addAction(recent_label(p))
            action.setToolTip(plain_tooltip(p))
            action.triggered.connect(lambda _c=False, path=p: self.window.open_path(path))


def recent_label(entry: str) -> str:
    """A file's name, or a team project as "NAME on SERVER" (never a password: none is kept)."""
    if is_team_url(entry):  # read without psycopg: showing the menu must not import it
        return " on ".join(team_label(entry))
    return Path(entry).name
