"""Shared set-up for the reliability tests: small real projects and CLI runs in subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from workbench.core.project.create import new_project

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "sample_data" / "russia-islamic-state-syria-rebels.txt"
BAD = ROOT / "tests" / "data" / "bad"
HERE = Path(__file__).resolve().parent


def seed_project(path: Path) -> Path:
    """A project of the seed article (87 claims), closed; returns its path."""
    new_project(path, SEED).close()
    return path


def child_env() -> dict[str, str]:
    """The environment for a child Python: headless, a fixed user, unbuffered output."""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        WORKBENCH_USER="tester",
        PYTHONUNBUFFERED="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def run_cli(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`workbench ARGS` as a separate process, the way a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "workbench", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(),
        cwd=ROOT,
    )
