"""Actions as data: one registry builds the menus, the toolbar and Help ▸ Keyboard shortcuts.

An action is declared once (`ActionSpec`: id, text, keys, where it is placed, when it is
enabled) and registered with a slot; the registry makes the QAction, puts it in its menus and
toolbar group, and rebuilds those in a stable order, so features never reach into the window's
widgets to insert items. Places are written "menu/group": groups are separated by lines and keep
the order the menu declares (`MenuSpec.groups`); groups it does not name follow in arrival order.

    window.add_menu(MenuSpec("sources", "&Sources", order=40))
    window.add_action(
        ActionSpec("sources.fetch_all", "&Fetch cited sources", keys=("Ctrl+Shift+F",),
                   menu="sources/fetch", toolbar="sources", short="Fetch",
                   tip="Find an archived copy of every source that has none",
                   enabled_when="project"),
        self.fetch_all,
    )

The toolbar shows `short` (or the text); the tooltip and the menu keep the full description.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

from workbench.gui.window.shortcuts import Shortcut

TOOLBAR = "toolbar"
# Toolbar groups in order; features add groups after these.
TOOLBAR_GROUPS = ("navigate", "claim", "undo")


def _keys(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class MenuSpec:
    """A menu: on the menu bar (`parent` empty, placed by `order`) or a submenu at a place."""

    id: str
    title: str
    order: int = 50  # menu bar position: File 0, Edit 10, Claim 20, View 30, Help 100
    groups: tuple[str, ...] = ()  # the order of this menu's groups
    parent: str = ""  # "menu/group" for a submenu
    also: tuple[str, ...] = ()  # further "menu/group" places for a submenu


@dataclass(frozen=True)
class ActionSpec:
    """One command: what it says, its keys, where it appears, and when it is enabled."""

    id: str
    text: str
    keys: tuple[str, ...] = ()
    menu: str = ""  # "menu/group"; empty: keys only (still listed in Help under "Other")
    also: tuple[str, ...] = ()  # further "menu/group" places
    toolbar: str = ""  # toolbar group; empty: not on the toolbar
    short: str = ""  # the toolbar label, when the text is too long for it
    tip: str = ""  # the description: tooltip, status bar
    enabled_when: str = ""  # a condition name (see ActionRegistry.add_condition); empty: left alone
    checkable: bool = False  # the slot then receives the checked state
    in_help: bool = True  # listed in Help ▸ Keyboard shortcuts when it has keys

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", _keys(self.keys))
        object.__setattr__(self, "also", _keys(self.also))

    @property
    def places(self) -> tuple[str, ...]:
        return ((self.menu,) if self.menu else ()) + self.also


def plain(text: str) -> str:
    """Menu text without mnemonics or the trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


@dataclass
class _Slots:
    """What one menu or the toolbar holds, group by group, in arrival order."""

    groups: dict[str, list[QAction]] = field(default_factory=dict)

    def add(self, group: str, action: QAction) -> None:
        items = self.groups.setdefault(group, [])
        if action not in items:
            items.append(action)

    def remove(self, action: QAction) -> None:
        for items in self.groups.values():
            if action in items:
                items.remove(action)

    def ordered(self, declared: Iterable[str]) -> list[list[QAction]]:
        declared = list(declared)
        names = [g for g in declared if g in self.groups]
        names += [g for g in self.groups if g not in declared]
        return [self.groups[g] for g in names if self.groups[g]]


class ActionRegistry(QObject):
    """Owns the window's actions, menus and toolbar; rebuilds a menu when its contents change."""

    def __init__(self, window: QMainWindow, toolbar: QToolBar) -> None:
        super().__init__(window)
        self.window = window
        self.toolbar = toolbar
        self._specs: dict[str, ActionSpec] = {}
        self._actions: dict[str, QAction] = {}
        self._menus: dict[str, QMenu] = {}
        self._menu_specs: dict[str, MenuSpec] = {}
        self._slots: dict[str, _Slots] = {TOOLBAR: _Slots()}
        self._conditions: dict[str, Callable[[], bool]] = {}
        self._batching = 0
        self._dirty: set[str] = set()  # menus (and TOOLBAR, "") to rebuild when a batch ends

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Register many actions and rebuild each menu once at the end (start-up)."""
        self._batching += 1
        try:
            yield
        finally:
            self._batching -= 1
            if not self._batching:
                dirty, self._dirty = self._dirty, set()
                for name in dirty:
                    self._rebuild(name)

    def _rebuild(self, name: str) -> None:
        if self._batching:
            self._dirty.add(name)
        elif name == TOOLBAR:
            self._rebuild_toolbar_now()
        elif name == "":
            self._rebuild_menu_bar_now()
        else:
            self._rebuild_menu_now(name)

    # ------------------------------------------------------------------ declaring
    def add_menu(self, spec: MenuSpec) -> QMenu:
        if spec.id in self._menus:
            raise ValueError(f"menu {spec.id!r} is declared twice")
        menu = QMenu(spec.title, self.window)
        menu.setObjectName(f"{spec.id}Menu")
        self._menus[spec.id] = menu
        self._menu_specs[spec.id] = spec
        self._slots[spec.id] = _Slots()
        places = ((spec.parent,) if spec.parent else ()) + spec.also
        for place in places:
            self._place(menu.menuAction(), place)
        if not spec.parent:
            self._rebuild("")
        return menu

    def add(
        self,
        spec: ActionSpec,
        slot: Callable[..., Any] | None = None,
        *,
        action: QAction | None = None,
    ) -> QAction:
        """Make (or adopt) the QAction for `spec` and place it; its keys work with menus hidden."""
        if spec.id in self._actions:
            raise ValueError(f"action {spec.id!r} is registered twice")
        adopted = action is not None
        action = action if action is not None else QAction(spec.text, self.window)
        action.setObjectName(spec.id)
        if spec.keys:
            action.setShortcuts([QKeySequence(k) for k in spec.keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if spec.short:
            action.setIconText(spec.short)
        if spec.checkable:
            action.setCheckable(True)
            if slot is not None:
                action.toggled.connect(slot)
        elif slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        if spec.tip or not adopted:  # an adopted action (undo, a dock's toggle) keeps its own
            self.set_tip(action, spec.tip or plain(spec.text))
        self.window.addAction(action)  # shortcuts work even when the menu bar is hidden
        self._specs[spec.id] = spec
        self._actions[spec.id] = action
        for place in spec.places:
            self._place(action, place)
        if spec.toolbar:
            self._slots[TOOLBAR].add(spec.toolbar, action)
            self._rebuild(TOOLBAR)
        self._enable(spec, action)
        return action

    def remove(self, action_id: str) -> None:
        """Take an action out of its menus and the toolbar (dynamic lists: ratings)."""
        spec = self._specs.pop(action_id)
        action = self._actions.pop(action_id)
        touched = {place.split("/", 1)[0] for place in spec.places}
        for name in touched:
            self._slots[name].remove(action)
            self._rebuild(name)
        if spec.toolbar:
            self._slots[TOOLBAR].remove(action)
            self._rebuild(TOOLBAR)
        self.window.removeAction(action)
        action.deleteLater()

    def add_condition(self, name: str, test: Callable[[], bool]) -> None:
        """A named enabled-when test; refresh() applies it to every action that names it."""
        self._conditions[name] = test

    # ------------------------------------------------------------------ reading
    def action(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def menu(self, menu_id: str) -> QMenu:
        return self._menus[menu_id]

    def ids(self) -> list[str]:
        return list(self._actions)

    def spec(self, action_id: str) -> ActionSpec:
        return self._specs[action_id]

    def shortcuts(self) -> list[Shortcut]:
        """Every action with keys, grouped by its first menu bar menu, in menu bar order."""
        found: list[tuple[int, int, Shortcut]] = []
        for n, (action_id, spec) in enumerate(self._specs.items()):
            if not spec.keys or not spec.in_help:
                continue
            action = self._actions[action_id]
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
            top = self._top_menu(spec.menu.split("/", 1)[0]) if spec.menu else None
            group = plain(top.title) if top else "Other"
            order = top.order if top else 1000
            found.append((order, n, Shortcut(" / ".join(keys), plain(spec.text), group)))
        return [sc for _order, _n, sc in sorted(found, key=lambda t: (t[0], t[1]))]

    def _top_menu(self, menu_id: str) -> MenuSpec | None:
        spec = self._menu_specs.get(menu_id)
        while spec is not None and spec.parent:
            spec = self._menu_specs.get(spec.parent.split("/", 1)[0])
        return spec

    # ------------------------------------------------------------------ enabling
    def refresh(self) -> None:
        """Apply every enabled-when condition (cheap: a few dozen calls)."""
        results: dict[str, bool] = {}
        for action_id, spec in self._specs.items():
            if spec.enabled_when:
                if spec.enabled_when not in results:
                    results[spec.enabled_when] = bool(self._conditions[spec.enabled_when]())
                self._actions[action_id].setEnabled(results[spec.enabled_when])

    def _enable(self, spec: ActionSpec, action: QAction) -> None:
        test = self._conditions.get(spec.enabled_when) if spec.enabled_when else None
        if test is not None:
            action.setEnabled(bool(test()))

    @staticmethod
    def set_tip(action: QAction, tip: str) -> None:
        """Tooltip and status tip: the description, with the first key."""
        keys = action.shortcuts()
        key = keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else ""
        action.setToolTip(f"{tip} ({key})" if key and key not in tip else tip)
        action.setStatusTip(tip)

    # ------------------------------------------------------------------ building
    def _place(self, action: QAction, place: str) -> None:
        menu_id, _, group = place.partition("/")
        if menu_id == TOOLBAR:
            self._slots[TOOLBAR].add(group, action)
            self._rebuild(TOOLBAR)
            return
        if menu_id not in self._menus:
            raise KeyError(f"no menu {menu_id!r} for {place!r}; add_menu() it first")
        self._slots[menu_id].add(group, action)
        self._rebuild(menu_id)

    def _rebuild_menu_now(self, menu_id: str) -> None:
        menu = self._menus[menu_id]
        _empty(menu)
        for n, items in enumerate(self._slots[menu_id].ordered(self._menu_specs[menu_id].groups)):
            if n:
                menu.addSeparator()
            menu.addActions(items)

    def _rebuild_menu_bar_now(self) -> None:
        bar = self.window.menuBar()
        _empty(bar)
        tops = sorted(
            (spec for spec in self._menu_specs.values() if not spec.parent),
            key=lambda spec: spec.order,
        )
        for spec in tops:
            bar.addMenu(self._menus[spec.id])

    def _rebuild_toolbar_now(self) -> None:
        _empty(self.toolbar)
        for n, items in enumerate(self._slots[TOOLBAR].ordered(TOOLBAR_GROUPS)):
            if n:
                self.toolbar.addSeparator()
            self.toolbar.addActions(items)


def _empty(widget: QWidget) -> None:
    """Take every action out of a menu, menu bar or toolbar without deleting it.

    Not clear(): PySide's clear() invalidates the Python side of every action it removes, even
    actions the window still holds. Separators the rebuild made belong to the widget and go."""
    for action in widget.actions():
        widget.removeAction(action)
        if action.isSeparator() and action.parent() is widget:
            action.deleteLater()
