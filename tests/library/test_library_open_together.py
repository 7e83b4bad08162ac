"""Every CLI command that records a verdict opens the fact-check library; several commands (or
a command and the window) may do it at the same moment, the very first time included."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHILD = """
import sys, time
from workbench.core.library.model import FactCheck
from workbench.core.library.store import Library
path, start, tag, shared = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
origin = "/projects/shared.wbproj" if shared else f"/projects/{tag}.wbproj"
while time.time() < start:
    time.sleep(0.001)
for i in range(20):
    with Library.open(path) as library:
        check = FactCheck(claim_reviewed=f"Claim {tag} {i}", rating="False")
        library.sync_project(origin, {1: check})
"""


@pytest.mark.parametrize("shared", [False, True], ids=["own-projects", "one-project"])
def test_processes_opening_a_new_library_at_once_all_succeed(tmp_path: Path, shared: bool) -> None:
    """With one project, every process writes the same entry (the same claim's verdict): the
    keys each read before its write transaction were stale, and the insert failed with
    'UNIQUE constraint failed: entries.key'."""
    path = tmp_path / "library.sqlite"
    start = time.time() + 2.0  # every child past its imports, then all open the new file
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), str(start), str(tag), str(int(shared))],
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for tag in range(6)
    ]
    errors = [child.communicate(timeout=120)[1] for child in children]
    assert [child.returncode for child in children] == [0] * 6, errors
    from workbench.core.library.store import Library

    with Library.open(path) as library:
        # Each project holds its one current verdict.
        assert library.count() == (1 if shared else 6)
