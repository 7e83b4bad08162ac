"""Labels and message boxes that never read stored text as markup.

A QLabel (and a QMessageBox) left at Qt's default AutoText guesses: text that looks like HTML
is rendered as HTML. Claim text, source titles, reviewer and student names, file names and
archived strings come from outside, so a claim reading `<img src=file:///…>` was rendered as an
image in the Return dialog. Every label in the GUI is made here and says which it is:
`plain_label` for any text (the default), `rich_label` only for markup the program builds
itself, with every outside part passed through html.escape first.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain_label(text: str = "", parent: QWidget | None = None, **kwargs: Any) -> QLabel:
    """A label that shows `text` literally, whatever it contains."""
    label = QLabel(text, parent, **kwargs)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def rich_label(markup: str = "", parent: QWidget | None = None, **kwargs: Any) -> QLabel:
    """A label for markup built by the program (outside text escaped by the caller)."""
    label = QLabel(markup, parent, **kwargs)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def plain_message_box(
    icon: QMessageBox.Icon, title: str, text: str, parent: QWidget | None
) -> QMessageBox:
    box = QMessageBox(icon, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def ask_yes_no(parent: QWidget | None, title: str, question: str) -> bool:
    """QMessageBox.question with the question shown as plain text."""
    box = plain_message_box(QMessageBox.Icon.Question, title, question, parent)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
