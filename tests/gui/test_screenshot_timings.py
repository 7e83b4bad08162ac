"""`workbench screenshot --timings` writes down when its window was first shown and when the
picture was saved (time.time()), so bench/bench_gui.py counts both from process start."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from workbench.cli.main import main


def test_timings_name_the_first_frame_and_the_saved_picture(
    seed_project: Path, tmp_path: Path, capsys: Any
) -> None:
    started = time.time()
    out = tmp_path / "shot.png"
    assert main(["screenshot", str(seed_project), str(out), "--timings"]) == 0
    timings = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert out.stat().st_size > 0
    assert started < timings["first_frame_at"] <= timings["saved_at"] <= time.time()
    assert 0 < timings["first_frame_s"] <= timings["since_import_s"]
