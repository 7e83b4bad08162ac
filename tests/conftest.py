"""Shared test set-up: no display, no network, no user settings leaking in."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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
def private_library(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fact-check library (kept in the user's data folder) is a fresh file per test."""
    folder = tmp_path_factory.mktemp("library")
    monkeypatch.setenv("WORKBENCH_LIBRARY", str(folder / "library.sqlite"))


@pytest.fixture(autouse=True)
def fresh_cdx_cache() -> None:
    """Fake archives reuse ports across tests; an index answer must never carry over."""
    from workbench.core.sources.archive.wayback import CDX_CACHE

    CDX_CACHE.clear()


# ---------------------------------------------------------------------- team projects
# A real PostgreSQL server, started once per test session in a temp folder on a free port
# (tests/pgserver.py). It is started only when a test asks for it, and a missing server makes
# those tests fail, never skip.
_team_names = iter(range(1, 1_000_000))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    from pgserver import PgServer

    server = PgServer().start()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def pg_database(pg_server: Any) -> str:
    """A database for the tests' team projects (each test uses its own project in it)."""
    return pg_server.create_database("workbench_tests")


@pytest.fixture()
def team_url(pg_database: str) -> Callable[[str], str]:
    """team_url("desk") -> a URL of a fresh, not yet created team project."""

    def make(name: str = "p") -> str:
        return f"{pg_database}?project={name}-{next(_team_names)}"

    return make


@pytest.fixture(params=["sqlite", "postgresql"])
def new_location(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str]:
    """Where to create a project, on each backend in turn: a file path or a team URL."""
    if request.param == "sqlite":
        return lambda name="p": str(tmp_path / f"{name}.wbproj")
    return request.getfixturevalue("team_url")
