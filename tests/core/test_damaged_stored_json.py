"""A damaged or crafted project whose JSON columns hold anything (broken JSON, 100,000 nested
brackets, an object where a list belongs): one line naming what is damaged, from every
command, never a traceback."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_report_fixtures import build_small

DEEP = "[" * 100_000 + "]" * 100_000
CASES = {
    "quotes": ("UPDATE claims SET quotes = '{not json' WHERE id = 1", "claims"),
    "deep-quotes": (f"UPDATE claims SET quotes = '{DEEP}' WHERE id = 1", "claims"),
    "quote-shape": ("UPDATE claims SET quotes = '[1, 2]' WHERE id = 1", "claims"),
    "reasons": ("UPDATE claims SET reasons = '{}' WHERE id = 1", "claims"),
    "detail": ("UPDATE events SET detail = 'x' WHERE id = 1", "history"),
    "detail-list": ("UPDATE events SET detail = '[1]' WHERE id = 1", "history"),
    "evaluation": ("UPDATE sources SET evaluation = '['", "sources"),
    "evaluation-report": ("UPDATE sources SET evaluation = '['", "report"),
    "flags": ("UPDATE snapshots SET flags = '{'", "sources"),
    "scale": ("UPDATE meta SET value = '[1' WHERE key = 'scale'", "claims"),
}


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("good") / "good.wbproj"
    build_small(path).close()
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_damaged_stored_json_is_one_line(good: Path, tmp_path: Path, case: str) -> None:
    statement, command = CASES[case]
    path = tmp_path / f"{case}.wbproj"
    shutil.copy(good, path)
    conn = sqlite3.connect(path)
    conn.execute(statement)
    conn.commit()
    conn.close()
    done = subprocess.run(
        [sys.executable, "-m", "workbench", command, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr, done.stderr[-400:]
    assert "the file is damaged" in done.stderr and len(done.stderr.strip().splitlines()) == 1
