"""One version, from workbench/__init__.py: the package metadata and `workbench --version` agree."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

from workbench import __version__

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_is_declared_in_one_place() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"][
        "dynamic"
    ]["version"] == {"attr": "workbench.__version__"}


def test_the_installed_package_and_the_command_say_the_same_version() -> None:
    assert importlib.metadata.version("workbench") == __version__
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "--version"], capture_output=True, text=True
    )
    assert done.stdout.strip() == f"workbench {__version__}"
