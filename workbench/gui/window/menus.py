"""The window's own menus and commands, as data (the registry in actions.py builds them).

The Claim menu and its commands are the claims room's (gui/claims/actions.py); features add
their menus and commands the same way, from their own modules. Menu bar order: File 0, Edit 10,
Claim 20, View 30, feature menus between 40 and 90, Help 100.
"""

from __future__ import annotations

from workbench.gui.window.actions import ActionSpec, MenuSpec

WINDOW_MENUS = (
    MenuSpec("file", "&File", order=0, groups=("new", "open", "save", "settings", "quit")),
    MenuSpec("edit", "&Edit", order=10, groups=("undo", "find")),
    MenuSpec("view", "&View", order=30, groups=("panels", "views")),
    MenuSpec("help", "&Help", order=100, groups=("keys",)),
)

UNDO = ActionSpec(
    "edit.undo", "&Undo", keys=("Ctrl+Z",), menu="edit/undo", toolbar="undo", short="Undo"
)
REDO = ActionSpec(
    "edit.redo",
    "&Redo",
    keys=("Ctrl+Shift+Z", "Ctrl+Y"),
    menu="edit/undo",
    toolbar="undo",
    short="Redo",
)

# Submenus sit among the actions, in the order they appear.
WINDOW_ACTIONS: tuple[ActionSpec | MenuSpec, ...] = (
    ActionSpec("file.new_file", "New from &file…", keys=("Ctrl+N",), menu="file/new"),
    ActionSpec("file.new_url", "New from &URL…", keys=("Ctrl+Shift+N",), menu="file/new"),
    ActionSpec("file.new_text", "New from &pasted text…", menu="file/new"),
    ActionSpec("file.open", "&Open project…", keys=("Ctrl+O",), menu="file/open"),
    MenuSpec("file.recent", "Open &recent", parent="file/open"),
    ActionSpec(
        "file.save_copy",
        "Save a &copy as…",
        keys=("Ctrl+Shift+S",),
        menu="file/save",
        enabled_when="project",
    ),
    ActionSpec("file.reviewer", "Reviewer &name…", menu="file/settings"),
    ActionSpec(
        "file.settings",
        "&Settings…",
        keys=("Ctrl+,",),
        menu="file/settings",
        tip="Network limits, proxy, archive addresses and your name",
    ),
    ActionSpec("file.quit", "&Quit", keys=("Ctrl+Q",), menu="file/quit"),
    ActionSpec(
        "view.article",
        "Show &article",
        keys=("Ctrl+1",),
        menu="view/views",
        tip="The article with its claims highlighted",
    ),
    ActionSpec("help.shortcuts", "&Keyboard shortcuts", keys=("F1", "?"), menu="help/keys"),
    ActionSpec(
        "help.sample",
        "Open the &sample article",
        menu="help/sample",
        tip="A short fictional article with its cited pages archived beside it, to try everything",
    ),
)
