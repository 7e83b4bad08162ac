"""The one architectural rule: workbench/core never imports Qt (so every core function runs in
scripts, the CLI and tests without a display)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import workbench.core


def test_importing_every_core_module_loads_no_qt() -> None:
    names = [
        m.name for m in pkgutil.walk_packages(workbench.core.__path__, prefix="workbench.core.")
    ]
    assert (
        "workbench.core.project.store" in names
        and "workbench.core.sources.archive.service" in names
    )
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        "assert not qt, qt\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
