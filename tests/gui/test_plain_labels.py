"""Issue 10.7: stored text (claim wording, names, titles) shown in a label is plain text.

Qt's default AutoText renders anything that looks like HTML, so a claim reading
`<img src=file:…>` showed an image in the Return dialog."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

import workbench.gui
from workbench.core.project.store import Project
from workbench.gui.claims.editing import ReturnDialog

HOSTILE = "<img src=file:///etc/hostname><b>Bold</b> rose 5%"
GUI = Path(workbench.gui.__file__).parent


def _hostile_claim(seed_project: Path) -> int:
    project = Project.open(seed_project)
    claim_id = project.claims()[0].id
    project.set_claim_text(claim_id, HOSTILE)
    project.set_verdict(claim_id, project.scale.ratings[0].id, HOSTILE, reviewer=HOSTILE)
    project.close()
    return claim_id


def _labels_showing(widget: Any, text: str) -> list[QLabel]:
    return [label for label in widget.findChildren(QLabel) if text in label.text()]


def test_return_dialog_shows_the_claim_as_plain_text(window: Any, seed_project: Path) -> None:
    claim_id = _hostile_claim(seed_project)
    window.open_path(str(seed_project))
    dialog = ReturnDialog(window, window.project.claim(claim_id))
    shown = _labels_showing(dialog, "<img src=file:")
    assert len(shown) == 1
    assert shown[0].textFormat() == Qt.TextFormat.PlainText


def test_no_label_in_the_window_renders_stored_text(window: Any, seed_project: Path) -> None:
    claim_id = _hostile_claim(seed_project)
    window.open_path(str(seed_project))
    window.select_claim(claim_id)
    labels = window.findChildren(QLabel)
    assert len(labels) > 10
    for label in labels:
        text = label.text()
        if "<img" in text:  # the stored text, shown as it is
            assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
        elif "img src" in text or "Bold" in text:  # made into markup: it must have been escaped
            assert "&lt;img" in text and "<b>Bold" not in text, label.objectName()


def _constructed(tree: ast.AST, names: set[str]) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = getattr(getattr(func, "value", None), "id", "")
            if name in names or (
                owner == "QMessageBox"
                and name in {"question", "information", "warning", "critical"}
            ):
                lines.append(node.lineno)
    return lines


def test_every_label_and_message_box_says_whether_it_is_plain() -> None:
    """Labels come from gui/labels.py (plain_label, or rich_label for markup built here), so no
    label or message box is left to Qt's guess."""
    offenders = []
    for path in GUI.rglob("*.py"):
        if path.name == "labels.py":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        offenders += [f"{path.name}:{n}" for n in _constructed(tree, {"QLabel", "QMessageBox"})]
    assert offenders == []


def test_tooltips_show_stored_text_literally(window: Any, seed_project: Path) -> None:
    """Qt renders a tooltip that looks like HTML as HTML, so the claims table's tooltips (and
    the other models') escape claim text, notes and rationales."""
    from PySide6.QtCore import Qt as QtNs

    from workbench.gui.claims.model import COL_STATUS, COL_TEXT

    claim_id = _hostile_claim(seed_project)
    project = Project.open(seed_project)
    long_text = HOSTILE + " and more words so that the table elides it " * 3
    project.set_claim_text(claim_id, long_text)
    project.set_status(claim_id, "returned", note=HOSTILE)
    project.close()
    window.open_path(str(seed_project))
    model = window.model
    row = next(r for r in range(model.rowCount()) if model.claim_at(r).id == claim_id)
    for col in (COL_TEXT, COL_STATUS):
        tip = model.index(row, col).data(QtNs.ItemDataRole.ToolTipRole)
        assert tip and "<img" not in tip and "&lt;img" in tip, col
