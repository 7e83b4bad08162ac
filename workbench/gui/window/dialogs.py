"""Every question the window asks a person, behind one object that tests can replace.

MainWindow calls `self.ask.<question>()`; the real Asker shows dialogs, a test gives a fake
with canned answers, so no test ever blocks on a modal dialog.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.net.urls import NOT_WEB_REASON, shown, typed_web_url
from workbench.core.project.records import RELATIONS
from workbench.gui.labels import ask_yes_no, plain_label, plain_message_box
from workbench.gui.window.shortcuts import Shortcut

RELATION_HELP = {
    "cited": "cited by the article",
    "supports": "supports the claim",
    "refutes": "contradicts the claim",
    "context": "gives context",
    "previously checked": "an earlier fact check of the claim",
}
ARTICLE_FILTER = "Articles (*.txt *.text *.md *.html *.htm);;All files (*)"
PROJECT_FILTER = "Workbench projects (*.wbproj);;All files (*)"


@dataclass(frozen=True)
class SourceAnswer:
    url: str
    relation: str
    note: str


class Asker:
    """Real dialogs. Errors are shown non-modally so the window (and tests) keep running."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def error(self, title: str, message: str) -> None:
        box = plain_message_box(QMessageBox.Icon.Warning, title, message, self.parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def open_path(self, folder: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent,
            "Open a project or an article",
            folder,
            f"Projects and articles (*.wbproj *.txt *.text *.md *.html *.htm);;{PROJECT_FILTER};;"
            f"{ARTICLE_FILTER}",
        )
        return path or None

    def article_file(self, folder: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent, "New project from an article file", folder, ARTICLE_FILTER
        )
        return path or None

    def save_path(self, title: str, suggested: Path) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, str(suggested), PROJECT_FILTER)
        if not path:
            return None
        result = Path(path)
        return result if result.suffix else result.with_suffix(".wbproj")

    def url(self) -> str | None:
        text, ok = QInputDialog.getText(
            self.parent, "New project from a URL", "Address of the article (http or https):"
        )
        return text.strip() if ok and text.strip() else None

    def pasted_text(self) -> str | None:
        dialog = PasteDialog(self.parent)
        return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def source(self, initial: SourceAnswer | None = None) -> SourceAnswer | None:
        dialog = SourceDialog(self.parent, initial)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def wording(self, current: str) -> str | None:
        dialog = WordingDialog(self.parent, current)
        return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def reviewer(self, current: str) -> str | None:
        text, ok = QInputDialog.getText(
            self.parent,
            "Reviewer name",
            "Your name, recorded with every verdict and edit:",
            QLineEdit.EchoMode.Normal,
            current,
        )
        return text.strip() if ok and text.strip() else None

    def confirm(self, title: str, question: str) -> bool:
        return ask_yes_no(self.parent, title, question)


class PasteDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New project from pasted text")
        self.resize(640, 480)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                "Paste the article: title on the first line, then the text. "
                "Ctrl+Enter makes the project."
            )
        )
        self._edit = QPlainTextEdit()
        layout.addWidget(self._edit)
        add_ok_cancel(self, layout)  # Enter is a new paragraph here: Ctrl+Enter accepts

    def text(self) -> str:
        return self._edit.toPlainText()


def add_ok_cancel(dialog: QDialog, layout: QVBoxLayout) -> None:
    """OK and Cancel under a multi-line text box, where Enter is a new line: Ctrl+Enter is OK."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        QShortcut(QKeySequence(keys), dialog, activated=dialog.accept)


class WordingDialog(QDialog):
    """The claim's words, wrapped in a box wide enough to read them; Ctrl+Enter saves. (Qt's
    multi-line input dialog was ~230 px wide and did not wrap: one line scrolled sideways.)"""

    def __init__(self, parent: QWidget | None, current: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit wording")
        self.resize(560, 240)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label("The claim as it will be checked (Ctrl+Enter saves it):"))
        self._edit = QPlainTextEdit(current)
        self._edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._edit.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._edit.selectAll()
        layout.addWidget(self._edit)
        add_ok_cancel(self, layout)

    def text(self) -> str:
        return self._edit.toPlainText()


class SourceDialog(QDialog):
    """URL, how it bears on the claim, and a note."""

    def __init__(self, parent: QWidget | None, initial: SourceAnswer | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit source" if initial else "Add source")
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        self._url = QLineEdit(initial.url if initial else "")
        self._url.setPlaceholderText("https://…")
        self._url.setReadOnly(initial is not None)  # a different URL is a different source
        self._relation = QComboBox()
        for rel in RELATIONS:
            self._relation.addItem(f"{rel} — {RELATION_HELP[rel]}", rel)
        self._relation.setCurrentIndex(
            RELATIONS.index(initial.relation) if initial else RELATIONS.index("supports")
        )
        self._note = QLineEdit(initial.note if initial else "")
        self._note.setPlaceholderText("What in it bears on the claim (optional)")
        # Said under the address, and the dialog stays open: closing it lost what was typed.
        self._problem = plain_label()
        self._problem.setObjectName("sourceProblem")
        self._problem.setStyleSheet("color: #b3261e;")
        self._problem.setWordWrap(True)  # the reason is a sentence: never cut at the edge
        self._problem.setVisible(False)
        form.addRow("URL", self._url)
        form.addRow("", self._problem)
        form.addRow("Relation", self._relation)
        form.addRow("Note", self._note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        """A bare "www.example.org/page" gets https:// (shown); anything else that is not a web
        address is said in the dialog, which keeps the URL, relation and note as typed."""
        if not self._url.isReadOnly():
            text = self._url.text().strip()
            url = typed_web_url(text)
            if url is None:
                self._problem.setText(
                    f"{shown(text)} is not a web address; {NOT_WEB_REASON}."
                    if text
                    else "Type or paste the source's web address."
                )
                self._problem.setVisible(True)
                # A form layout sizes a wrapped label by its guess at a narrow width (two
                # lines too many here): give it the height of its text at the field's width.
                width = self._url.width()
                self._problem.setFixedHeight(self._problem.heightForWidth(width))
                self.adjustSize()
                self._url.setFocus()
                self._url.selectAll()
                return
            self._url.setText(url)
        super().accept()

    def answer(self) -> SourceAnswer:
        return SourceAnswer(
            self._url.text().strip(), str(self._relation.currentData()), self._note.text().strip()
        )


class ShortcutsDialog(QDialog):
    """Help ▸ Keyboard shortcuts: the keys of the window's own menu actions."""

    def __init__(self, shortcuts: list[Shortcut], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(520, 560)
        layout = QVBoxLayout(self)
        tree = QTreeWidget()
        tree.setHeaderLabels(["Key", "What it does"])
        tree.setRootIsDecorated(False)
        groups: dict[str, QTreeWidgetItem] = {}
        for sc in shortcuts:
            if sc.group not in groups:
                head = QTreeWidgetItem(tree, [sc.group, ""])
                font = head.font(0)
                font.setBold(True)
                head.setFont(0, font)
                groups[sc.group] = head
            tree.addTopLevelItem(QTreeWidgetItem([sc.key, sc.what]))
        # As wide as the longest keys ("Ctrl+Shift+Z / Ctrl+Y"), never cut off.
        tree.resizeColumnToContents(0)
        tree.setColumnWidth(0, tree.columnWidth(0) + 16)
        self.resize(max(520, tree.columnWidth(0) + 360), 560)
        layout.addWidget(tree)
        note = plain_label(
            "Single keys (J, K, N, 0–9) do nothing while you type in a text field: Esc "
            "leaves the rationale, Enter or Down the claims filter."
        )
        note.setWordWrap(True)  # the dialog keeps its width; the note takes two lines
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
