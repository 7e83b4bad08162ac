"""The ratings bar chart as inline SVG, drawn in Python so no browser or script is needed.

Every label goes through html.escape: rating labels come from user-defined scales.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from workbench.core.report.data import Count

ROW = 26  # px per bar
LABEL_WIDTH = 130
BAR_WIDTH = 300
COUNT_WIDTH = 60


def bar_chart_svg(counts: Sequence[Count], *, title: str = "Verdicts by rating") -> str:
    """Horizontal bars, one per rating in scale order, scaled to the largest count."""
    top = max((c.count for c in counts), default=0) or 1
    width = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH
    height = ROW * len(counts) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, c in enumerate(counts):
        y = 4 + i * ROW
        bar = round(BAR_WIDTH * c.count / top, 1)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end" '
            f'font-size="13" font-family="sans-serif" fill="#222">{escape(c.label)}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{bar}" height="{ROW - 8}" '
            f'fill="{escape(_color(c.color))}"><title>{escape(c.label)}: {c.count}</title></rect>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + bar + 6}" y="{y + 17}" font-size="13" '
            f'font-family="sans-serif" fill="#222">{c.count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _color(value: str) -> str:
    """Only #rgb/#rrggbb colours reach the markup; anything else from a scale file turns grey."""
    v = value.strip()
    if (
        v.startswith("#")
        and len(v) in (4, 7)
        and all(ch in "0123456789abcdefABCDEF" for ch in v[1:])
    ):
        return v
    return "#888888"


safe_color = _color
