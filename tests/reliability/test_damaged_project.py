"""A damaged, full or read-only project file gives one clear ProjectError, never a raw sqlite3
error, and never leaves half an edit behind.

(tests/core/test_store.py covers migration with a backup and refusal of newer, foreign and
truncated files; these are the failures that happen to a file already in use.)
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from reliability_helpers import run_cli, seed_project

from workbench.core.errors import ProjectError
from workbench.core.project.store import Project
from workbench.core.sources.snapshot import Snapshot

GARBAGE = 0xA5


def page_size(data: bytes) -> int:
    size = int.from_bytes(data[16:18], "big")
    return 65536 if size == 1 else size


def corrupt_page(source: Path, target: Path, page: int) -> Path:
    """A copy of source with one page (numbered from 1, as SQLite does) overwritten."""
    data = bytearray(source.read_bytes())
    size = page_size(bytes(data))
    data[(page - 1) * size : page * size] = bytes([GARBAGE]) * size
    target.write_bytes(bytes(data))
    return target


def read_everything(path: Path) -> None:
    """What opening a project in the window reads first."""
    with Project.open(path) as project:
        project.article()
        project.claims()
        project.progress()
        project.sources()
        project.snapshots()
        project.history()


def root_page(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(
            conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[
                0
            ]
        )
    finally:
        conn.close()


@pytest.fixture()
def project_file(tmp_path: Path) -> Path:
    path = seed_project(tmp_path / "good.wbproj")
    with Project.open(path) as p:
        claim = p.claims()[0].id
        p.set_verdict(claim, "true", "Checked against the ministry's statement.")
        p.attach_source(claim, "https://example.org/statement")
    return path


def test_a_damaged_claims_page_is_a_clear_error_in_core_and_cli(
    project_file: Path, tmp_path: Path
) -> None:
    bad = corrupt_page(project_file, tmp_path / "bad.wbproj", root_page(project_file, "claims"))
    with pytest.raises(ProjectError, match=r"^bad\.wbproj is damaged and cannot be used"):
        read_everything(bad)
    run = run_cli("claims", bad)
    assert run.returncode == 1
    assert run.stderr == "workbench: bad.wbproj is damaged and cannot be used as a project.\n"


def test_any_damaged_page_gives_a_project_error_or_reads_fine(
    project_file: Path, tmp_path: Path
) -> None:
    size = page_size(project_file.read_bytes())
    pages = project_file.stat().st_size // size
    outcomes: dict[int, str] = {}
    for page in range(1, pages + 1):
        bad = corrupt_page(project_file, tmp_path / f"bad-{page}.wbproj", page)
        try:
            read_everything(bad)
            outcomes[page] = "read"  # an index or blob page the first reads do not touch
        except ProjectError as exc:
            message = str(exc)
            assert "\n" not in message and len(message) < 200, message
            assert "\ufffd" not in message and chr(GARBAGE) not in message, message
            assert "damaged" in message or "not a Workbench project" in message, message
            outcomes[page] = "refused"
        # Anything else (sqlite3.DatabaseError, UnicodeDecodeError, ...) fails the test.
    assert outcomes[1] == "refused"  # the header and schema page
    assert list(outcomes.values()).count("refused") >= pages // 2


def test_disk_full_during_an_edit_saves_nothing_and_keeps_what_was_there(
    project_file: Path,
) -> None:
    with Project.open(project_file) as p:
        claim = p.claims()[0].id
        before = [(v.rating, v.rationale) for v in p.verdicts(claim)]
        events_before = len(p.history())
        source_id = p.sources()[0].id
        pages = p.conn.execute("PRAGMA page_count").fetchone()[0]
        # No room for more than two new pages: the file system is "full" for this connection.
        p.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(ProjectError, match=r"^The disk is full; the change to good\.wbproj"):
            p.set_verdict(claim, "false", "A long rationale. " * 20_000)
        body = os.urandom(400_000)  # random bytes do not compress
        snap = Snapshot("https://example.org/statement", "warc", None, None, 200, "text/html", body)
        with pytest.raises(ProjectError, match="disk is full"):
            p.add_snapshot(source_id, snap)
        # A small edit still fits: the connection is usable after the failure.
        p.set_status(claim, "returned", note="after the full disk")
    with Project.open(project_file) as p:
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [(v.rating, v.rationale) for v in p.verdicts(claim)] == before
        assert p.snapshots() == []
        actions = [e.action for e in p.history()[events_before:]]
        assert actions == ["status"]  # no verdict or snapshot event without its row
        assert p.claim(claim).status == "returned"


def test_read_only_file_refuses_edits_without_writing_anything(project_file: Path) -> None:
    # root ignores chmod, so read-only is simulated on the connection itself.
    with Project.open(project_file) as p:
        claim = p.claims()[0].id
        verdicts = len(p.verdicts(claim))
        events = len(p.history())
        p.conn.execute("PRAGMA query_only = ON")
        with pytest.raises(ProjectError, match=r"^good\.wbproj is read-only; the change was not"):
            p.set_verdict(claim, "false", "should not be saved")
        with pytest.raises(ProjectError, match="read-only"):
            p.attach_source(claim, "https://example.org/not-saved")
        assert len(p.claims()) > 0  # reading still works
    with Project.open(project_file) as p:
        assert len(p.verdicts(claim)) == verdicts
        assert len(p.history()) == events
        assert "https://example.org/not-saved" not in {s.url for s in p.sources()}
        assert p.claim(claim).status == "checked"
