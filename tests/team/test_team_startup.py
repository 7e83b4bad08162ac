"""A file user never pays for team projects: psycopg is imported only when a team URL is used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
from workbench.cli.main import build_parser, main
build_parser()
from workbench.gui.app import ensure_app
ensure_app()
from workbench.gui.window.main_window import MainWindow
window = MainWindow(persist=False)
window.load_project(sys.argv[1])
assert not [m for m in sys.modules if m.startswith("psycopg")], "psycopg imported"
print("ok")
"""


def test_cli_and_window_on_a_file_do_not_import_psycopg(tmp_path: Path, seed_path: Path) -> None:
    from workbench.core.project.create import new_project

    project = tmp_path / "p.wbproj"
    new_project(project, seed_path).close()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "WORKBENCH_SETTINGS_DIR": str(tmp_path)}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(project)],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
