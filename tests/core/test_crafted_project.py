"""A project file from someone else, built to do harm: SQL that runs on our edits, tables
replaced by views, SQL functions in its schema, and a compressed bomb as a stored copy."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import tracemalloc
import zlib
from pathlib import Path

import pytest
from test_report_fixtures import build_small

from workbench.core.errors import ProjectError
from workbench.core.project.jsonio import write_export
from workbench.core.project.store import Project


def _small(tmp_path: Path) -> Path:
    path = tmp_path / "sent.wbproj"
    build_small(path).close()
    return path


def _tamper(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


# A trigger that changes every verdict saved from now on, and one that erases the history.
REWRITE = (
    "CREATE TRIGGER planted AFTER INSERT ON verdicts BEGIN "
    "UPDATE verdicts SET rating = 'true' WHERE id = new.id; END"
)
ERASE = "CREATE TRIGGER planted2 AFTER INSERT ON events BEGIN DELETE FROM events; END"


@pytest.mark.parametrize(
    "statements",
    [
        (REWRITE,),
        (ERASE,),
        ("CREATE VIEW claims_shown AS SELECT * FROM claims",),
        # A table swapped for a view that makes up what a reader (or grader) sees.
        (
            "ALTER TABLE verdicts RENAME TO verdicts_real",
            "CREATE VIEW verdicts AS SELECT id, claim_id, 'true' AS rating, rationale, "
            "reviewer, rated_at FROM verdicts_real",
        ),
    ],
)
def test_a_project_with_sql_of_its_own_is_refused_everywhere(
    tmp_path: Path, statements: tuple[str, ...]
) -> None:
    path = _small(tmp_path)
    _tamper(path, *statements)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    for readonly in (False, True):
        with pytest.raises(ProjectError, match="was not made by Workbench") as caught:
            Project.open(path, readonly=readonly)
        assert "\n" not in str(caught.value)
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "claims", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "was not made by Workbench" in done.stderr
    assert "Traceback" not in done.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_sql_functions_in_the_schema_may_only_be_harmless_ones(tmp_path: Path) -> None:
    """trusted_schema is off: a default stored in the file may not call a function that
    SQLite does not mark harmless (an application's own function, say)."""
    path = _small(tmp_path)
    with Project.open(path) as project:
        row = project.conn.execute("PRAGMA trusted_schema").fetchone()
        assert row[0] == 0
    with Project.open(path, readonly=True) as project:
        assert project.conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0


def _bomb(path: Path, inflated: int) -> int:
    """Replace the stored copy of the first snapshot by zeros that inflate to `inflated`
    bytes (its recorded size and SHA-256 are left as they were)."""
    conn = sqlite3.connect(path)
    try:
        sid = conn.execute("SELECT min(id) FROM snapshots").fetchone()[0]
        bomb = zlib.compress(bytes(inflated), 9)
        conn.execute("UPDATE snapshots SET body = ? WHERE id = ?", (bomb, sid))
        conn.commit()
    finally:
        conn.close()
    return int(sid)


def test_a_compressed_bomb_in_a_stored_copy_is_not_inflated(tmp_path: Path) -> None:
    path = _small(tmp_path)
    sid = _bomb(path, 200 * 1024 * 1024)  # ~200 KB in the file
    with Project.open(path, readonly=True) as project:
        tracemalloc.start()
        try:
            with pytest.raises(ProjectError, match="damaged or was altered"):
                project.snapshot_body(sid)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 16 * 1024 * 1024, f"inflated {peak / 2**20:.0f} MB"


def test_a_damaged_stored_copy_is_one_line(tmp_path: Path) -> None:
    path = _small(tmp_path)
    conn = sqlite3.connect(path)
    sid = conn.execute("SELECT min(id) FROM snapshots").fetchone()[0]
    conn.execute("UPDATE snapshots SET body = ? WHERE id = ?", (b"not zlib at all", sid))
    conn.commit()
    conn.close()
    with Project.open(path, readonly=True) as project:
        with pytest.raises(ProjectError, match="damaged or was altered"):
            project.snapshot_body(sid)
        with pytest.raises(ProjectError, match="cannot be exported"):
            write_export(project, tmp_path / "out.json")
