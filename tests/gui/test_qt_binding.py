"""The Qt binding itself must not leak or drop references: PySide6 6.12.0 on CPython 3.11 drops a
reference to None on every Qt call that returns nothing, and a long session then aborts with
"deallocating None". pyproject pins below it; this catches any binding with the same bug."""

from __future__ import annotations

import sys

from PySide6.QtGui import QImage, QPainter


def test_calls_returning_nothing_keep_the_references_to_none(qapp: object) -> None:
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        before = sys.getrefcount(None)
        for _ in range(2_000):
            painter.translate(1.0, 1.0)  # returns nothing
        lost = before - sys.getrefcount(None)
    finally:
        painter.end()
    assert lost < 50, f"the Qt binding dropped {lost} references to None"
