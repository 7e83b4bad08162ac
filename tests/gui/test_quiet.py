"""Issue 10 item 21: no Qt noise on stderr, and the GUI says check-worthiness as the README does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _workbench(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_a_screenshot_prints_no_qt_noise(seed_project: Path, tmp_path: Path) -> None:
    done = _workbench("screenshot", str(seed_project), str(tmp_path / "shot.png"))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # was "This plugin does not support propagateSizeHints()" twice


def test_an_unwritable_pdf_is_one_line_with_its_reason(seed_project: Path, tmp_path: Path) -> None:
    done = _workbench(
        "report", str(seed_project), "-f", "pdf", "-o", str(tmp_path / "missing" / "r.pdf")
    )
    assert done.returncode != 0
    assert "QPainter" not in done.stderr  # was "QPainter::begin(): Returned false" first
    assert done.stderr.strip().splitlines() == [
        f"workbench: The PDF report could not be written to {tmp_path / 'missing' / 'r.pdf'}: "
        "No such file or directory."
    ]


def test_the_table_and_filter_say_check_worthy(window: Any, seed_project: Path) -> None:
    from PySide6.QtCore import Qt

    from workbench.gui.claims.model import COL_SCORE

    window.load_project(seed_project)
    header = window.model.headerData(COL_SCORE, Qt.Orientation.Horizontal)
    assert header == "Check-worthy"
    assert window.claims_table.filter_score.prefix().startswith("check-worthy")
    width = window.table.horizontalHeader().fontMetrics().horizontalAdvance(header)
    assert window.table.columnWidth(COL_SCORE) >= width + 12  # the header is not cut off
