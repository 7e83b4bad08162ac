"""The keyboard map: one table, used for the actions and for Help ▸ Keyboard shortcuts."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


@dataclass(frozen=True)
class Shortcut:
    key: str
    what: str
    group: str


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("J / Down", "Next claim (in table order)", "Move"),
    Shortcut("K / Up", "Previous claim", "Move"),
    Shortcut("N", "Next unchecked claim", "Move"),
    Shortcut("Ctrl+F", "Filter the claims", "Move"),
    Shortcut("1 – 9", "Rate the claim (in the scale's order, see the legend)", "Verdict"),
    Shortcut("0", "Clear the verdict", "Verdict"),
    Shortcut("R", "Write the rationale", "Verdict"),
    Shortcut("Ctrl+L", "Add a source", "Verdict"),
    Shortcut("Ctrl+M", "Make a claim from the selected text", "Edit claims"),
    Shortcut("Ctrl+Shift+X", "Split the claim at the text cursor", "Edit claims"),
    Shortcut("Ctrl+Shift+M", "Merge with the next claim", "Edit claims"),
    Shortcut("F2", "Edit the claim's wording", "Edit claims"),
    Shortcut("Ctrl+Shift+R", "Re-score the claim", "Edit claims"),
    Shortcut("Delete", "Delete the claim", "Edit claims"),
    Shortcut("Ctrl+Z", "Undo", "Edit claims"),
    Shortcut("Ctrl+Shift+Z", "Redo", "Edit claims"),
    Shortcut("Ctrl+O", "Open a project or article", "File"),
    Shortcut("Ctrl+Q", "Quit", "File"),
)

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
