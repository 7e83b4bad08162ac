"""Project.transaction (nestable, all or nothing) and the pre-migration backup (issue 10,
items 8 and 10)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workbench.core.errors import ProjectError
from workbench.core.project import schema, store
from workbench.core.project.create import new_project
from workbench.core.project.store import Project


@pytest.fixture()
def project(new_location, seed_path: Path) -> Project:
    """On each backend: a SQLite file, then a team project on PostgreSQL."""
    p = new_project(new_location(), seed_path)
    yield p
    p.close()


@pytest.fixture()
def file_project(tmp_path: Path, seed_path: Path) -> Project:
    p = new_project(tmp_path / "p.wbproj", seed_path)
    yield p
    p.close()


def _state(path: str) -> list[tuple]:
    with Project.open(path, readonly=True) as p:
        return [
            (c.id, c.rating, c.status, c.text, c.deleted) for c in p.claims(include_deleted=True)
        ]


def test_a_transaction_saves_all_of_its_edits_or_none(project: Project) -> None:
    a, b = (c.id for c in project.claims()[:2])
    before = _state(project.location)
    with pytest.raises(RuntimeError), project.transaction():
        project.set_verdict(a, "true", "")
        project.delete_claim(b)
        assert project.claim(b).deleted  # visible inside
        raise RuntimeError("crash between two writes")
    assert _state(project.location) == before
    assert all(e.action != "delete" for e in project.history())

    with project.transaction():
        project.set_verdict(a, "true", "")
        project.delete_claim(b)
        assert _state(project.location) == before  # other connections see nothing until commit
    assert project.claim(a).rating == "true" and project.claim(b).deleted


def test_transactions_nest_and_an_inner_failure_undoes_only_the_inner_part(
    project: Project,
) -> None:
    a, b = (c.id for c in project.claims()[:2])
    with project.transaction():
        project.set_verdict(a, "true", "")
        with pytest.raises(ProjectError), project.transaction():
            project.set_status(b, "approved")
            raise ProjectError("refused")
        assert project.in_transaction
    assert not project.in_transaction
    assert project.claim(a).rating == "true"
    assert project.claim(b).status == "unchecked"


def test_a_read_only_project_refuses_a_transaction(project: Project) -> None:
    path = project.location
    project.close()
    ro = Project.open(path, readonly=True)
    try:
        with pytest.raises(ProjectError, match="read-only"), ro.transaction():
            pass
    finally:
        ro.close()


def test_migration_backup_includes_edits_still_in_the_wal(
    file_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another window keeps the project open, so its last edits are still in -wal only."""
    project = file_project
    cid = project.claims()[0].id
    project.conn.execute("PRAGMA wal_autocheckpoint = 0")
    project.set_verdict(cid, "true", "in the WAL", reviewer="ana")
    path = project.path
    assert path.with_name(path.name + "-wal").stat().st_size > 0

    current = schema.SCHEMA_VERSION
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    monkeypatch.setattr(store, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(schema.MIGRATIONS, current, lambda db: db.execute("SELECT 1"))
    with Project.open(path) as migrated:
        assert migrated.meta()["schema_version"] == str(current + 1)

    backup = path.with_name(path.name + f".v{current}.bak")
    assert not backup.with_name(backup.name + "-wal").exists()  # complete on its own
    conn = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        row = conn.execute(
            "SELECT rating, rationale FROM verdicts WHERE claim_id = ? ORDER BY id DESC", (cid,)
        ).fetchone()
        assert row == ("true", "in the WAL")
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert version == (str(current),)
    finally:
        conn.close()
