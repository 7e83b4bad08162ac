"""Fixtures: a fresh fake archive per test and settings with tiny timeouts pointed at it."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_archive import FakeArchive, fast_settings

from workbench.core.archive.http import SafeClient
from workbench.core.archive.settings import ArchiveSettings


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any name lookup beyond this machine fails the way an offline machine would."""
    real = socket.getaddrinfo

    def local_only(host: object, *args: object, **kwargs: object) -> object:
        if host not in ("127.0.0.1", "localhost", "::1", None):
            raise socket.gaierror(socket.EAI_NONAME, f"tests are offline: {host}")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", local_only)


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
