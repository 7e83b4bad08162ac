"""The article scrolls to a claim only when the claim is not in full view already. It always
centred the claim: opening a project cut the article's title in half (the first claim to check
was centred although it was on screen), and every J/K made the text jump."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor


def _in_view(view: Any, claim_id: int) -> bool:
    start, end = view.index.span(claim_id)
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    top = view.cursorRect(cursor).top()
    cursor.setPosition(end)
    return top >= 0 and view.cursorRect(cursor).bottom() <= view.viewport().height()


def test_a_claim_in_view_is_not_scrolled_to(
    qtbot: Any, make_window: Any, seed_project: Path
) -> None:
    window = make_window()
    window.resize(1400, 900)
    window.open_path(str(seed_project))
    view = window.article_view
    bar = view.verticalScrollBar()
    first = window.current_claim_id()
    assert first is not None and _in_view(view, first)
    assert bar.value() == 0  # the title and byline show above the first claim

    claims = [c.id for c in window.model.claims()]
    following = claims[claims.index(first) + 1]
    assert _in_view(view, following)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    assert window.current_claim_id() == following
    assert bar.value() == 0  # on screen already: the text stays where it is

    far = claims[-1]
    window.select_claim(far)
    assert bar.value() > 0 and _in_view(view, far)  # off screen: brought into view
    before = bar.value()
    near = next(c for c in reversed(claims[:-1]) if _in_view(view, c))
    window.select_claim(near)
    assert bar.value() == before
