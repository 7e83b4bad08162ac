"""The `workbench` program skips the interpreter's last walk over every object at exit.

Collections at exit cost ~0.15 s after a window (Qt wrappers, enums, dataclasses) and free
only memory the exit frees anyway; calls of main() with arguments (tests, scripts) go on
living, so they are left alone.
"""

from __future__ import annotations

import gc
import sys

import pytest

from workbench.cli.main import main


def test_the_program_freezes_the_heap_before_it_exits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["workbench", "scales"])
    gc.unfreeze()
    try:
        assert main() == 0
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_call_with_arguments_leaves_the_collector_alone() -> None:
    gc.unfreeze()
    assert main(["scales"]) == 0
    assert gc.get_freeze_count() == 0
