"""Shared test set-up: no display, no network, no user settings leaking in."""

from __future__ import annotations

import os
import socket
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


@pytest.fixture(autouse=True)
def private_user_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The person's settings file (network limits, archive URLs) never reaches a test."""
    monkeypatch.setenv("WORKBENCH_SETTINGS_DIR", str(tmp_path_factory.mktemp("user-settings")))


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs as on an offline machine: a name lookup beyond this one fails at once, so a
    test that would reach the internet fails instead of passing by luck."""
    real = socket.getaddrinfo

    def local_only(host: object, *args: object, **kwargs: object) -> object:
        if host not in ("127.0.0.1", "localhost", "::1", None):
            raise socket.gaierror(socket.EAI_NONAME, f"tests are offline: {host}")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", local_only)


@pytest.fixture(autouse=True)
def fresh_cdx_cache() -> None:
    """Fake archives reuse ports across tests; an index answer must never carry over."""
    from workbench.core.sources.archive.wayback import CDX_CACHE

    CDX_CACHE.clear()
