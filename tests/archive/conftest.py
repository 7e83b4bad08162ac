"""Fixtures: a fresh fake archive per test and settings with tiny timeouts pointed at it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_archive import FakeArchive, fast_settings

from workbench.core.net.http import SafeClient
from workbench.core.net.settings import ArchiveSettings


@pytest.fixture
def fake() -> Iterator[FakeArchive]:
    with FakeArchive() as archive:
        yield archive


@pytest.fixture
def settings(fake: FakeArchive) -> ArchiveSettings:
    return fast_settings(fake)


@pytest.fixture
def client(settings: ArchiveSettings) -> Iterator[SafeClient]:
    with SafeClient(settings) as safe:
        yield safe
