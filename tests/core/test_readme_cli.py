"""The README's command-line section runs top to bottom as written (issue 10, item 20).

Its shell blocks are extracted and run in order, as one script, in a temporary folder that holds a
copy of sample_data/ as a fresh clone would. `workbench` there is this checkout's CLI. Any archive
look-up is pointed at a closed port on 127.0.0.1, so a line that would need the internet fails
instead of reaching it.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECTION = "## The command line"


def readme_cli_blocks(readme: str) -> list[str]:
    start = readme.index(SECTION)
    end = readme.find("\n## ", start + len(SECTION))
    section = readme[start : end if end != -1 else len(readme)]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_readme_has_the_blocks_this_test_runs() -> None:
    blocks = readme_cli_blocks((ROOT / "README.md").read_text("utf-8"))
    commands = {
        line.split()[1]
        for block in blocks
        for line in block.splitlines()
        if line.startswith("workbench ")
    }
    # Every subcommand the README teaches is exercised here, so none can rot unnoticed.
    assert {"new", "verdict", "fetch", "import-json", "grade", "evaluate", "screenshot"} <= commands


def test_the_readme_command_line_runs_top_to_bottom(tmp_path: Path) -> None:
    blocks = readme_cli_blocks((ROOT / "README.md").read_text("utf-8"))
    shutil.copytree(ROOT / "sample_data", tmp_path / "sample_data")
    dead = f"http://127.0.0.1:{_closed_port()}"
    script = "\n".join(
        [
            "set -euo pipefail",
            f'workbench() {{ "{sys.executable}" -m workbench "$@"; }}',
            *blocks,
        ]
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "WORKBENCH_WAYBACK_URL": dead,
        "WORKBENCH_AVAILABILITY_URL": dead,
        "WORKBENCH_MEMENTO_URL": dead,
    }
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    for made in ("russia.wbproj", "harbour.wbproj", "report.html", "export.json", "copy.wbproj"):
        assert (tmp_path / made).is_file(), made
    assert (tmp_path / "class.csv").read_text("utf-8").count("\n") >= 3  # header + 2 students
    assert (tmp_path / "shot.png").stat().st_size > 10_000
    # The six cited pages of the Harbour Town article come from the archive file beside it.
    assert "6 from web archive files" in done.stdout
