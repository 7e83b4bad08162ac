"""The window's own menus and commands, as data (the registry in actions.py builds them).

Features add their menus and commands the same way, from their own modules. Menu bar order:
File 0, Edit 10, Claim 20, View 30, feature menus between 40 and 90, Help 100.
"""

from __future__ import annotations

from workbench.gui.window.actions import ActionSpec, MenuSpec

WINDOW_MENUS = (
    MenuSpec("file", "&File", order=0, groups=("new", "open", "save", "settings", "quit")),
    MenuSpec("edit", "&Edit", order=10, groups=("undo", "find")),
    MenuSpec("claim", "&Claim", order=20, groups=("move", "rate", "edit", "shape")),
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
        "edit.filter", "&Filter claims", keys=("Ctrl+F",), menu="edit/find", enabled_when="project"
    ),
    ActionSpec(
        "claim.next", "&Next claim", keys=("J", "Down"), menu="claim/move", enabled_when="project"
    ),
    ActionSpec(
        "claim.prev",
        "&Previous claim",
        keys=("K", "Up"),
        menu="claim/move",
        enabled_when="project",
    ),
    ActionSpec(
        "claim.next_unchecked",
        "Next &unchecked claim",
        keys=("N",),
        menu="claim/move",
        toolbar="navigate",
        short="Next unchecked",
        tip="Jump to the next unchecked claim",
        enabled_when="project",
    ),
    MenuSpec("claim.rate", "&Rate", parent="claim/rate", groups=("ratings", "clear")),
    ActionSpec(
        "claim.rationale", "Write &rationale", keys=("R",), menu="claim/edit", enabled_when="claim"
    ),
    ActionSpec(
        "claim.add_source",
        "&Add source…",
        keys=("Ctrl+L",),
        menu="claim/edit",
        toolbar="navigate",
        short="Add source",
        tip="Attach a source to the claim",
        enabled_when="claim",
    ),
    ActionSpec(
        "claim.make",
        "&Make claim from selection",
        keys=("Ctrl+M",),
        menu="claim/shape",
        toolbar="claim",
        short="Make claim",
        tip="Make a claim from the text selected in the article",
        enabled_when="selection",
    ),
    ActionSpec(
        "claim.split",
        "&Split at cursor",
        keys=("Ctrl+Shift+X",),
        menu="claim/shape",
        toolbar="claim",
        short="Split",
        tip="Split the claim where the text cursor is (click in the article first)",
        enabled_when="project",
    ),
    ActionSpec(
        "claim.merge",
        "Mer&ge with next",
        keys=("Ctrl+Shift+M",),
        menu="claim/shape",
        toolbar="claim",
        short="Merge",
        tip="Merge the claim with the next one",
        enabled_when="claim",
    ),
    ActionSpec(
        "claim.wording", "Edit &wording…", keys=("F2",), menu="claim/shape", enabled_when="claim"
    ),
    ActionSpec(
        "claim.rescore",
        "Re-&score",
        keys=("Ctrl+Alt+S",),
        menu="claim/shape",
        tip="Score the claim's check-worthiness again",
        enabled_when="claim",
    ),
    ActionSpec(
        "claim.delete",
        "&Delete claim",
        keys=("Delete",),
        menu="claim/shape",
        toolbar="claim",
        short="Delete",
        enabled_when="claim",
    ),
    ActionSpec(
        "claim.clear", "&Clear verdict", keys=("0",), menu="claim.rate/clear", enabled_when="claim"
    ),
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
