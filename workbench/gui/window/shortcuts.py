"""Keys: what Help ▸ Keyboard shortcuts lists, and which single keys stay text while typing."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


@dataclass(frozen=True)
class Shortcut:
    key: str
    what: str
    group: str


def menu_shortcuts(menu_bar: QMenuBar) -> list[Shortcut]:
    """Every menu action that has a key, grouped by its top-level menu.

    Read from the live menus, so the Help window lists exactly what the keys do, including
    the keys that features (sources, review, practice) add."""
    found: list[Shortcut] = []
    seen: set[tuple[str, str]] = set()

    def walk(menu: QMenu, group: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), group)
                continue
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
            keys = [k for k in keys if k]
            if not keys or action.isSeparator():
                continue
            what = action.text().replace("&", "").rstrip("…")
            if (what, group) in seen:
                continue
            seen.add((what, group))
            found.append(Shortcut(" / ".join(keys), what, group))

    for top in menu_bar.actions():
        if top.menu() is not None:
            walk(top.menu(), top.text().replace("&", ""))
    return found


SINGLE_KEYS = frozenset("JKNR0123456789")


def is_typing_widget(widget: QWidget | None) -> bool:
    """True when keys typed now are text for the focused widget (a field, an editor)."""
    if widget is None:
        return False
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return True
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return not widget.isReadOnly()
    return False


class TypingGuard(QObject):
    """Stops single-key shortcuts (J, K, N, 1–9) from stealing keys typed into a text field.

    Qt already lets most editors claim printable keys; this makes it explicit for every
    editor, so typing "1" in the rationale never records a verdict.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            text = event.text().upper()
            mods = event.modifiers().value & ~0x20000000  # ignore the keypad flag
            if (
                len(text) == 1
                and text in SINGLE_KEYS
                and mods in (0, 0x02000000)  # none or Shift
                and is_typing_widget(watched if isinstance(watched, QWidget) else None)
            ):
                event.accept()  # accepted override: the key goes to the widget, not the shortcut
        return False
