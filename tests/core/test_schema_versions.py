"""Schema version 2 (issue 14): article versions, claim re-anchoring, capture listings.

`tests/data/projects/schema-v1.wbproj` was written by the version-1 Workbench (main before this
change): an article with a link, four claims and one verdict.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from workbench.core.article.model import Article
from workbench.core.project import schema
from workbench.core.project.store import Project

V1_FILE = Path(__file__).parents[1] / "data" / "projects" / "schema-v1.wbproj"


@pytest.fixture()
def v1_copy(tmp_path: Path) -> Path:
    path = tmp_path / "old.wbproj"
    shutil.copy(V1_FILE, path)
    return path


def _shape(conn: sqlite3.Connection) -> dict[str, object]:
    """Tables with their columns (name, type, not-null, default) and index columns."""
    shape: dict[str, object] = {}
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    for table in tables:
        cols = sorted((r[1], r[2], r[3], r[4]) for r in conn.execute(f"PRAGMA table_info({table})"))
        indexes = sorted(
            (bool(r[2]), tuple(c[2] for c in conn.execute(f"PRAGMA index_info('{r[1]}')")))
            for r in conn.execute(f"PRAGMA index_list({table})")
        )
        shape[table] = (cols, indexes)
    return shape


def test_the_fixture_is_a_version_1_project() -> None:
    conn = sqlite3.connect(V1_FILE)
    try:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    finally:
        conn.close()
    assert version == ("1",)


def test_version_1_file_upgrades_keeping_its_text_as_version_1(v1_copy: Path) -> None:
    with Project.open(v1_copy) as project:
        assert project.meta()["schema_version"] == str(schema.SCHEMA_VERSION)
        article = project.article()
        rows = project.conn.execute(
            "SELECT article_id, version, text, raw_sha256, origin, url FROM article_versions"
        ).fetchall()
        assert rows == [(article.id, 1, article.text, article.raw_sha256, "loaded", article.url)]
        claims = project.claims()
        assert len(claims) == 4
        assert claims[0].rating is not None  # the verdict survived
        anchors = project.conn.execute(
            "SELECT anchor_state, anchor_detail, anchor_version FROM claims"
        ).fetchall()
        assert anchors == [(None, None, None)] * 4
        assert project.conn.execute("SELECT count(*) FROM captures").fetchone() == (0,)
    assert v1_copy.with_name(v1_copy.name + ".v1.bak").exists()


def test_upgraded_file_has_the_same_shape_as_a_new_one(v1_copy: Path, tmp_path: Path) -> None:
    with Project.open(v1_copy) as upgraded:
        old_shape = _shape(upgraded.conn)
    article = Article(title="T", byline="", published=None, url=None, text="A sentence here.")
    with Project.create(tmp_path / "new.wbproj", article, []) as fresh:
        new_shape = _shape(fresh.conn)
    assert old_shape == new_shape
    assert {"article_versions", "captures"} <= set(new_shape)


def test_a_new_project_starts_with_its_text_as_version_1(tmp_path: Path) -> None:
    article = Article(
        title="T", byline="B", published="2024-01-02", url="https://example.org/a", text="Words."
    )
    with Project.create(tmp_path / "p.wbproj", article, []) as project:
        rows = project.conn.execute(
            "SELECT version, title, byline, published, url, text, origin FROM article_versions"
        ).fetchall()
    assert rows == [(1, "T", "B", "2024-01-02", "https://example.org/a", "Words.", "loaded")]


def test_captures_are_unique_per_source_and_address(tmp_path: Path) -> None:
    article = Article(title="T", byline="", published=None, url=None, text="Words.")
    with Project.create(tmp_path / "p.wbproj", article, []) as project:
        conn = project.conn
        conn.execute("INSERT INTO sources(url, created_at) VALUES ('https://example.org/s', '')")
        row = "INSERT INTO captures(source_id, archive, archive_url, timestamp) VALUES (1, 'a', 'u', 't')"
        conn.execute(row)
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(row)
