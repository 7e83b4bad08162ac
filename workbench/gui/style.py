"""Colours, fonts and the style sheet: one place to change the look."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QColor

from workbench.resources import resource

UNRATED_HIGHLIGHT = "#e4e9f2"  # a quiet blue-grey: "a claim, not yet rated"
MUTED_TEXT = "#8d939c"  # low check-worthiness: readable but clearly secondary
SELECTED_OUTLINE = "#1d4f91"
LINK_COLOR = "#1a5fb4"
LOW_SCORE = 0.3  # below this a sentence is shown muted: probably not worth checking
RATED_TINT = 0.62  # how far a verdict colour is blended toward white behind text
ARTICLE_FONT = "DejaVu Serif"
UI_FONT_POINT_SIZE = 10


def tint(color: str, amount: float) -> QColor:
    """The colour blended toward white by `amount` (0 = as is, 1 = white), cached per pair."""
    return QColor(_tint_hex(color, round(amount, 3)))


@lru_cache(maxsize=256)
def _tint_hex(color: str, amount: float) -> str:
    c = QColor(color)
    r = round(c.red() + (255 - c.red()) * amount)
    g = round(c.green() + (255 - c.green()) * amount)
    b = round(c.blue() + (255 - c.blue()) * amount)
    return QColor(r, g, b).name()


def text_on(color: str) -> str:
    """Black or white, whichever reads better on the given background."""
    c = QColor(color)
    luminance = 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()
    return "#000000" if luminance > 150 else "#ffffff"


def style_sheet() -> str:
    """The application style sheet shipped in workbench/resources/style."""
    try:
        return resource("style", "workbench.qss").read_text("utf-8")
    except OSError:  # a broken install should still open, just plainer
        return ""
