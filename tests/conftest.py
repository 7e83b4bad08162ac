"""Shared test set-up: no display, no network, no user settings leaking in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before any Qt import: tests run headless everywhere, with or without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("WORKBENCH_USER", "tester")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sample_data" / "russia-islamic-state-syria-rebels.txt"


@pytest.fixture()
def seed_path() -> Path:
    return SEED
