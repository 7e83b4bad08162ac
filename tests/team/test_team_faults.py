"""Each fault of a team project's server is one line on the command line, never a traceback:
unknown host, missing database, missing project, a schema without its tables, a newer schema,
and a server older than Workbench supports (the version check, decided on the real server's
reported version)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from team_faults import SECRET, blackhole, fault_urls

from workbench.cli.main import main
from workbench.core.errors import ProjectError
from workbench.core.project.backends import postgres
from workbench.core.project.create import new_project
from workbench.core.project.store import Project

ROOT = Path(__file__).resolve().parents[2]


def _one_line(code: int, err: str, words: str) -> None:
    assert code == 1, err
    assert err.startswith("workbench: ") and err.count("\n") == 1, err
    assert words in err and SECRET not in err and "Traceback" not in err


def test_each_fault_is_one_line_on_the_command_line(
    pg_server: Any, team_url: Any, seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for url, words in fault_urls(pg_server, team_url, seed_path).values():
        for args in (["claims", url], ["verdict", url, "1", "false"]):
            code = main(args)
            _one_line(code, capsys.readouterr().err, words)
        with pytest.raises(ProjectError):
            Project.open(url)


def test_unknown_host_through_the_real_resolver() -> None:
    """In a separate process, without the tests' offline guard: the system's own resolver says
    the name does not exist (`.invalid` never resolves), and the CLI says so in one line."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    url = f"postgresql://ana:{SECRET}@db.newsroom.invalid/newsroom"
    for args in (["claims", f"{url}?project=desk"], ["team", "list", url]):
        done = subprocess.run(
            [sys.executable, "-m", "workbench", *args],
            capture_output=True, text=True, env=env, timeout=60, cwd=ROOT,
        )  # fmt: skip
        _one_line(done.returncode, done.stderr, "its host name could not be found")


def test_a_server_older_than_supported_is_refused_in_one_line(
    pg_server: Any, team_url: Any, seed_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """No old server exists here, so the real server is made the old one: the minimum is set one
    major release above what it reports, and the check refuses it, before anything is read."""
    url = team_url("old")
    new_project(url, seed_path).close()
    with Project.open(url) as project:
        reported = project._backend.raw.info.server_version  # the real server's own number
    major = reported // 10000
    monkeypatch.setattr(postgres, "MIN_SERVER_VERSION", (major + 1) * 10000)
    words = f"runs PostgreSQL {major}; Workbench needs {major + 1} or newer."
    for args in (["claims", url], ["team", "list", pg_server.url("workbench_tests")]):
        code = main(args)
        _one_line(code, capsys.readouterr().err, words)
    monkeypatch.setattr(postgres, "MIN_SERVER_VERSION", major * 10000)  # its own release: fine
    with Project.open(url) as project:
        assert project.claim_count() > 0


def test_old_version_numbers_are_named_as_people_write_them() -> None:
    with pytest.raises(ProjectError, match=r"runs PostgreSQL 9\.6; Workbench needs 13 or newer"):
        postgres.check_server_version(90624, "postgresql://db/x?project=p")
    with pytest.raises(ProjectError, match=r"runs PostgreSQL 12; Workbench needs 13"):
        postgres.check_server_version(120017, "postgresql://db/x?project=p")
    postgres.check_server_version(130000, "postgresql://db/x?project=p")


def test_a_server_that_never_answers_is_one_line_after_the_timeout(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A host that drops packets: libpq waits for the connect timeout, then the CLI says the
    server did not answer in that time (not psycopg's "connection timeout expired")."""
    monkeypatch.setattr(postgres, "CONNECT_TIMEOUT_S", 1)
    with blackhole() as server:
        for args in (["claims", f"{server}?project=desk"], ["team", "list", server]):
            code = main(args)
            _one_line(code, capsys.readouterr().err, "did not answer within 1 s")
