"""The "Checked before" section of the claim panel: earlier fact checks that match the claim.

Each match shows its verdict, publisher, date and similarity, the fact check's wording with
the figures that differ from the claim's marked, and an Attach button that adds it to the
claim's sources as "previously checked". The widget only shows what the feature hands it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.library.model import likely_percent
from workbench.core.library.text import number_spans
from workbench.core.net.urls import NOT_WEB_REASON, is_web_url, web_url
from workbench.gui.labels import plain_label, rich_label

if TYPE_CHECKING:  # numpy (matching's vectors) is not needed to show a match
    from workbench.core.library.matching import Match

DIFFERENT_NUMBER = "#ffd166"  # a warm highlight: "this figure is not the claim's"

# Verdict words of other desks, strongest first, and the colour family they belong to.
_VERDICT_COLOURS = (
    (("pants on fire", "false", "fake", "incorrect", "wrong", "hoax", "scam"), "#c0392b"),
    (("mostly false", "misleading", "exaggerat", "distort", "out of context"), "#e67e22"),
    (("half", "mixture", "mixed", "partly", "unproven", "unverif", "missing context"), "#b7950b"),
    (("mostly true", "mostly correct"), "#58a55c"),
    (("true", "correct", "accurate", "legit"), "#1e8449"),
)


def verdict_colour(label: str) -> str:
    folded = label.casefold()
    for words, colour in _VERDICT_COLOURS[1:4]:  # the qualified forms before the bare words
        if any(w in folded for w in words):
            return colour
    for words, colour in (_VERDICT_COLOURS[0], _VERDICT_COLOURS[4]):
        if any(w in folded for w in words):
            return colour
    return "#7f8c8d"


def marked_claim(text: str, differing: Sequence[str]) -> str:
    """The fact check's wording as HTML, its figures that differ from the claim's highlighted."""
    wanted = set(differing)
    parts: list[str] = []
    at = 0
    for start, end, value in number_spans(text):
        if value not in wanted:
            continue
        parts.append(html.escape(text[at:start]))
        parts.append(
            f'<span style="background:{DIFFERENT_NUMBER}; font-weight:600">'
            f"{html.escape(text[start:end])}</span>"
        )
        at = end
    parts.append(html.escape(text[at:]))
    return "".join(parts)


STRENGTH_TIP = (
    "How likely this fact check addresses the same claim, not merely the same topic, estimated "
    "on published fact checks matched to tweets (CLEF-2020 claim retrieval; in its dev split, "
    "21 of the 24 shown at 80-90% were the claim's own). From 50% a fact check counts as "
    "checked before; from 20%, or when only its figures differ, it is shown as related."
)


def strength_html(match: Match) -> str:
    """The head's last part: how likely the same claim, and a related one said to be one."""
    said = f"{likely_percent(match.likely)} likely the same claim"
    if match.strength == "match":
        return f'<span style="color:#555">{said}</span>'
    why = "Related, figures differ" if match.differing_numbers else "Related"
    return f'<span style="color:#8a5a00">{why}: {said}</span>'


def _elided(url: str, limit: int = 70) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


def match_html(match: Match) -> str:
    check = match.entry.check
    colour = verdict_colour(check.rating)
    rating = html.escape(check.rating or "no rating given")
    where = [html.escape(x) for x in (check.publisher, check.date[:10]) if x]
    if match.entry.kind == "project":
        where.insert(0, "your desk" + (f" ({html.escape(check.who)})" if check.who else ""))
    head = " · ".join(
        [
            f'<span style="color:{colour}; font-weight:700">{rating}</span>',
            *where,
            strength_html(match),
        ]
    )
    body = marked_claim(check.claim_reviewed, match.differing_numbers)
    lines = [head, body]
    if match.differing_numbers:
        wanted = set(match.differing_numbers)
        text = check.claim_reviewed
        shown = dict.fromkeys(text[a:b] for a, b, v in number_spans(text) if v in wanted)
        lines.append(
            '<span style="color:#8a5a00">Figures differ from the claim\'s: '
            + html.escape(", ".join(shown or wanted))
            + "</span>"
        )
    url = web_url(check.url)
    if url:
        lines.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(_elided(url))}</a>')
    elif check.url:
        lines.append(html.escape(_elided(check.url)))  # not a web address: text, never a link
    return "<br>".join(lines)


class MatchRow(QFrame):
    def __init__(self, match: Match, attached: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="checkedBeforeMatch")
        self.match = match
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        # Markup built here; every stored part (claim, rating, publisher, URL) is escaped.
        self.label = rich_label(match_html(match), wordWrap=True)
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.label.setOpenExternalLinks(False)
        self.label.setToolTip(STRENGTH_TIP)
        layout.addWidget(self.label)
        same = match.strength == "match"
        self.attach = QPushButton(
            "Attached" if attached else "Attach" if same else "Attach as context"
        )
        linkable = is_web_url(match.entry.check.url)
        self.attach.setEnabled(not attached and linkable)
        self.attach.setToolTip(
            (
                "Add this fact check to the claim's sources as “previously checked” (undoable)"
                if same
                else "Add this related fact check to the claim's sources as “context”: it is "
                "not taken for this claim's earlier check (undoable)"
            )
            if linkable
            else f"This fact check has no web address to attach ({NOT_WEB_REASON})"
        )
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.attach)
        layout.addLayout(buttons)


class CheckedBefore(QWidget):
    """Section of the claim panel; the library feature fills it."""

    attachRequested = Signal(object)  # Match
    openUrlRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.heading = plain_label("Checked before", objectName="sectionTitle")
        layout.addWidget(self.heading)
        self.state = plain_label(objectName="hint", wordWrap=True)
        layout.addWidget(self.state)
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(4)
        layout.addLayout(self.rows_box)
        self.rows: list[MatchRow] = []

    def show_message(self, text: str) -> None:
        self._clear()
        self.state.setText(text)
        self.state.show()

    def show_matches(
        self, matches: Sequence[Match], attached_urls: set[str], note: str = ""
    ) -> None:
        self._clear()
        if not matches:
            self.show_message(note or "No earlier fact check in the library matches this claim.")
            return
        checked = any(m.strength == "match" for m in matches)
        self.heading.setText("Checked before" if checked else "Related fact checks")
        if not checked:  # nothing here is this claim's check: say so before the list
            note = " ".join(x for x in (note, "None of them checks this very claim.") if x)
        self.state.setText(note)
        self.state.setVisible(bool(note))
        for match in matches:
            row = MatchRow(match, match.entry.check.url in attached_urls, self)
            row.attach.clicked.connect(lambda _=False, m=match: self.attachRequested.emit(m))
            row.label.linkActivated.connect(self.openUrlRequested)
            self.rows_box.addWidget(row)
            self.rows.append(row)

    def _clear(self) -> None:
        for row in self.rows:
            self.rows_box.removeWidget(row)
            row.hide()
            row.setParent(None)
            row.deleteLater()
        self.rows = []
