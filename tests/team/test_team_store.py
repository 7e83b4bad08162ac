"""Team projects on a real PostgreSQL server: URLs, one-line errors, schema versions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from workbench.core.errors import ProjectError
from workbench.core.project import schema, store
from workbench.core.project.backends.postgres import list_projects, parse_url
from workbench.core.project.create import new_project
from workbench.core.project.store import Project


def test_url_keeps_the_project_apart_and_never_shows_a_password() -> None:
    url = parse_url("postgresql://ana:s3cret@db.example:5433/newsroom?sslmode=require&project=desk")
    assert url.project == "desk" and url.schema == "wb_desk"
    assert url.conninfo == "postgresql://ana:s3cret@db.example:5433/newsroom?sslmode=require"
    assert url.display == "postgresql://ana@db.example:5433/newsroom?project=desk"
    assert "s3cret" not in url.display
    with pytest.raises(ProjectError, match="needs \\?project=NAME"):
        parse_url("postgresql://db.example/newsroom")
    with pytest.raises(ProjectError, match="is not a team project name"):
        parse_url("postgresql://db.example/newsroom?project=Desk;drop")


def test_new_team_project_opens_everywhere_and_is_listed(
    team_url: Any, seed_path: Path, pg_database: str
) -> None:
    url = team_url("desk")
    with new_project(url, seed_path) as project:
        assert project.is_team and project.name.startswith("team project desk-")
        count = project.claim_count()
        assert count > 10
    with Project.open(url, readonly=True) as again:
        assert again.claim_count() == count
        with pytest.raises(ProjectError, match="read-only"):
            again.set_verdict(again.claims()[0].id, "true", "")
    assert parse_url(url).project in list_projects(pg_database)


def test_missing_project_and_unreachable_server_are_one_line(team_url: Any, pg_server: Any) -> None:
    with pytest.raises(ProjectError, match="There is no team project 'absent-"):
        Project.open(team_url("absent"))
    dead = f"postgresql://u@127.0.0.1:{pg_server.port + 1}/x?project=p"
    try:
        Project.open(dead)
    except ProjectError as exc:
        assert "cannot be reached" in str(exc) and "\n" not in str(exc)
    else:
        raise AssertionError("opened a project on a port where nothing listens")
    with pytest.raises(ProjectError, match="does not exist"):
        Project.open(pg_server.url("no_such_db") + "?project=p")


def _raw(url: str) -> psycopg.Connection:
    parsed = parse_url(url)
    conn = psycopg.connect(parsed.conninfo, autocommit=True)
    conn.execute(f'SET search_path TO "{parsed.schema}"')
    return conn


def test_newer_team_schema_is_refused_untouched(team_url: Any, seed_path: Path) -> None:
    url = team_url()
    new_project(url, seed_path).close()
    with _raw(url) as raw:
        raw.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ProjectError, match="newer Workbench"):
        Project.open(url)
    with _raw(url) as raw:
        assert raw.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (
            "99",
        )


def test_older_team_schema_is_migrated_in_one_transaction(
    team_url: Any, seed_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = team_url()
    new_project(url, seed_path).close()
    current = schema.SCHEMA_VERSION
    with _raw(url) as raw:  # as an older Workbench left it: a column and a table missing
        raw.execute("ALTER TABLE sources DROP COLUMN fetch_error_kind")
        raw.execute("DROP TABLE captures")
        raw.execute(f"UPDATE meta SET value = '{current - 1}' WHERE key = 'schema_version'")
    with pytest.raises(ProjectError, match="older Workbench"):
        Project.open(url, readonly=True)
    with Project.open(url) as project:
        assert project.meta()["schema_version"] == str(current)
        source_id = project.attach_source(project.claims()[0].id, "https://example.org/a")
        project.record_fetch_error(source_id, "http", "404")
        assert project.source(source_id).fetch_error_kind == "http"
    with _raw(url) as raw:
        tables = {r[0] for r in raw.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )}  # fmt: skip
        assert "captures" in tables

    # A step that fails half way leaves the older schema exactly as it was.
    with _raw(url) as raw:
        raw.execute("ALTER TABLE sources DROP COLUMN fetch_error_kind")
        raw.execute("DROP TABLE captures")
        raw.execute(f"UPDATE meta SET value = '{current - 1}' WHERE key = 'schema_version'")
    from workbench.core.project.backends import postgres

    real = postgres.migrate_tables

    def broken(raw: Any, version: int) -> list[str]:
        real(raw, version)
        raise psycopg.errors.DiskFull("could not extend file")

    monkeypatch.setattr(postgres, "migrate_tables", broken)
    with pytest.raises(ProjectError):
        Project.open(url)
    with _raw(url) as raw:
        version = raw.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        assert version == (str(current - 1),)
        cols = {r[0] for r in raw.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'sources' "
            "AND table_schema = current_schema()"
        )}  # fmt: skip
        assert "fetch_error_kind" not in cols
    assert current == store.SCHEMA_VERSION
