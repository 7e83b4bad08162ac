"""The lateral-reading checklist for one source of a claim, as a short dialog.

The dialog only collects answers; validating and storing them is core's job
(evaluation.record_evaluation), wrapped in an undo command by the practice feature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from workbench.core.project.evaluation import ANSWERS, KINDS, MAX_BEHIND
from workbench.core.project.records import ClaimSource
from workbench.gui.labels import plain_label
from workbench.gui.safe_html import plain_tooltip


@dataclass(frozen=True)
class EvaluationAnswer:
    """Which source, and its checklist as core's field dict (None: clear the evaluation)."""

    source_id: int
    data: dict[str, str] | None


def source_name(item: ClaimSource) -> str:
    return item.source.title or item.source.url


class AnswerRow(QWidget):
    """yes / no / unsure as three radio buttons; nothing picked until the person picks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for answer in ANSWERS:
            button = QRadioButton(answer.capitalize())
            self.group.addButton(button)
            self.buttons[answer] = button
            row.addWidget(button)
        row.addStretch(1)

    def value(self) -> str:
        return next((a for a, b in self.buttons.items() if b.isChecked()), "")

    def set_value(self, value: str) -> None:
        self.group.setExclusive(False)  # an exclusive group cannot go back to "none picked"
        for answer, button in self.buttons.items():
            button.setChecked(answer == value)
        self.group.setExclusive(True)


class EvaluationDialog(QDialog):
    """Who is behind it, what kind, independent, corroborated, notes; for a chosen source."""

    def __init__(
        self,
        parent: QWidget | None,
        sources: Sequence[ClaimSource],
        selected_source_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Evaluate source")
        self.setMinimumWidth(560)
        self._sources = list(sources)
        form = QFormLayout(self)
        intro = plain_label("Read laterally: leave the page and look at what others say about it.")
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        form.addRow(intro)
        self.source = QComboBox()
        for item in self._sources:
            self.source.addItem(source_name(item), item.source.id)
            self.source.setItemData(
                self.source.count() - 1,
                plain_tooltip(item.source.url),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.behind = QLineEdit()
        self.behind.setMaxLength(MAX_BEHIND)
        self.behind.setPlaceholderText("A person, company, agency or group (optional)")
        self.kind = QComboBox()
        self.kind.addItem("Choose…", "")
        for kind, label in KINDS.items():
            self.kind.addItem(label, kind)
        self.independent = AnswerRow()
        self.corroborated = AnswerRow()
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("What you found, and where (optional)")
        self.notes.setFixedHeight(90)
        self.problem = plain_label()
        self.problem.setStyleSheet("color: #b2182b;")
        self.problem.setWordWrap(True)
        form.addRow("Source", self.source)
        form.addRow("Who is behind it?", self.behind)
        form.addRow("What kind of source?", self.kind)
        form.addRow("Independent of the claim's author?", self.independent)
        form.addRow("Corroborated by other sources?", self.corroborated)
        form.addRow("Notes", self.notes)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.clear_button = buttons.addButton(
            "Clear evaluation", QDialogButtonBox.ButtonRole.ResetRole
        )
        self.clear_button.clicked.connect(self._clear)
        self._cleared = False
        buttons.accepted.connect(self._accept_if_complete)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.source.currentIndexChanged.connect(lambda _i: self._load_current())
        ids = [s.source.id for s in self._sources]
        if selected_source_id in ids:
            self.source.setCurrentIndex(ids.index(selected_source_id))
        self._load_current()

    def _load_current(self) -> None:
        """Show the stored answers of the chosen source, so saving edits rather than restarts."""
        index = self.source.currentIndex()
        stored: dict[str, Any] = {}
        if 0 <= index < len(self._sources):
            stored = self._sources[index].source.evaluation or {}
        self.behind.setText(str(stored.get("behind") or ""))
        kind_index = self.kind.findData(str(stored.get("kind") or ""))
        self.kind.setCurrentIndex(max(kind_index, 0))
        self.independent.set_value(str(stored.get("independent") or ""))
        self.corroborated.set_value(str(stored.get("corroborated") or ""))
        self.notes.setPlainText(str(stored.get("notes") or ""))
        self.problem.setText("")
        self.clear_button.setEnabled(bool(stored))

    def fill(self, data: dict[str, str]) -> None:
        """Set the answers (used by tests and to pre-fill)."""
        self.behind.setText(data.get("behind", ""))
        self.kind.setCurrentIndex(max(self.kind.findData(data.get("kind", "")), 0))
        self.independent.set_value(data.get("independent", ""))
        self.corroborated.set_value(data.get("corroborated", ""))
        self.notes.setPlainText(data.get("notes", ""))

    def missing(self) -> list[str]:
        names = {
            "kind": "what kind of source it is",
            "independent": "whether it is independent",
            "corroborated": "whether others corroborate it",
        }
        data = self.data()
        return [text for field, text in names.items() if not data[field]]

    def _accept_if_complete(self) -> None:
        missing = self.missing()
        if missing:
            self.problem.setText("Still to answer: " + ", ".join(missing) + ".")
            return
        self.accept()

    def _clear(self) -> None:
        self._cleared = True
        self.accept()

    def data(self) -> dict[str, str]:
        return {
            "behind": self.behind.text().strip(),
            "kind": str(self.kind.currentData() or ""),
            "independent": self.independent.value(),
            "corroborated": self.corroborated.value(),
            "notes": self.notes.toPlainText().strip(),
        }

    def answer(self) -> EvaluationAnswer | None:
        if self.source.currentIndex() < 0:
            return None
        source_id = int(self.source.currentData())
        return EvaluationAnswer(source_id, None if self._cleared else self.data())
