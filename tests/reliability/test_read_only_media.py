"""Projects on read-only media and in missing folders: clear one-line messages, never a
traceback, and valid projects still open for reading (issue 10, items 11-13).

A real read-only filesystem: the test folder is bind-mounted read-only inside a private user
and mount namespace (`unshare`), so SQLite meets EROFS exactly as on a CD or a locked share.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from workbench.core.errors import ProjectError
from workbench.core.project.create import new_project
from workbench.core.project.jsonio import export_project
from workbench.core.project.store import Project

ROOT = Path(__file__).resolve().parent.parent.parent
CHILD = Path(__file__).with_name("read_only_child.py")


@pytest.fixture()
def media(tmp_path: Path, seed_path: Path) -> Path:
    """A folder holding a rated project with no -wal/-shm beside it, as burnt to a CD."""
    folder = tmp_path / "cd"
    folder.mkdir()
    article = folder / "article.txt"
    shutil.copy(seed_path, article)
    with new_project(folder / "p.wbproj", article) as project:
        project.set_verdict(project.claims()[0].id, "true", "checked", reviewer="ana")
        (folder / "export.json").write_text(json.dumps(export_project(project)))
    conn = sqlite3.connect(folder / "p.wbproj")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert sorted(p.name for p in folder.iterdir()) == ["article.txt", "export.json", "p.wbproj"]
    return folder


def _on_read_only(folder: Path, commands: list[list[str]]) -> list[Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", sys.executable, str(CHILD),
         str(folder), json.dumps(commands)],
        capture_output=True, text=True, timeout=300, env=env, cwd=folder.parent,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _one_line(result: dict[str, Any]) -> str:
    assert result["rc"] == 1, result
    assert "Traceback" not in result["err"], result["err"]
    lines = result["err"].strip().splitlines()
    assert len(lines) == 1, result["err"]
    return lines[0]


def test_read_only_media_reads_work_and_writes_say_read_only(media: Path) -> None:
    p = str(media / "p.wbproj")
    claims, history, sources, report, verdict = _on_read_only(
        media,
        [
            ["cli", "claims", p],
            ["cli", "history", p],
            ["cli", "sources", p],
            ["cli", "report", p, "--format", "md", "-o", str(media.parent / "r.md")],
            ["cli", "verdict", p, "1", "false"],
        ],
    )
    assert claims["rc"] == 0 and "\ttrue\t" in claims["out"], claims
    assert history["rc"] == 0 and "ana" in history["out"], history
    assert sources["rc"] == 0, sources
    assert report["rc"] == 0 and (media.parent / "r.md").exists(), report
    assert "read-only" in _one_line(verdict)
    # Nothing was written beside the project (no WAL index could be, and none was needed).
    assert sorted(x.name for x in media.iterdir()) == ["article.txt", "export.json", "p.wbproj"]


def test_grading_a_submission_on_read_only_media(media: Path) -> None:
    """A student's submission handed in on a read-only share is graded where it lies."""
    key = media.parent / "key.json"
    made = subprocess.run(
        [sys.executable, "-m", "workbench", "exercise", str(media / "p.wbproj"),
         str(media / "student.wbproj"), str(key)],
        capture_output=True, text=True, cwd=media.parent,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    conn = sqlite3.connect(media / "student.wbproj")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    (graded,) = _on_read_only(
        media, [["cli", "grade", "--json", str(key), str(media / "student.wbproj")]]
    )
    assert graded["rc"] == 0, graded
    (row,) = json.loads(graded["out"])
    assert (row["student"], row["key_rated"], row["rated"]) == ("student", 1, 0)


def test_writing_new_files_on_read_only_media_is_one_line(media: Path) -> None:
    new, exercise, imported = _on_read_only(
        media,
        [
            ["cli", "new", str(media / "n.wbproj"), str(media / "article.txt")],
            ["cli", "exercise", str(media / "p.wbproj"), str(media / "e.wbproj"),
             str(media.parent / "key.json")],
            ["cli", "import-json", str(media / "export.json"), str(media / "i.wbproj")],
        ],
    )  # fmt: skip
    for result, what in ((new, "n.wbproj"), (exercise, "e.wbproj"), (imported, "i.wbproj")):
        line = _one_line(result)
        assert what in line and "read-only" in line and str(media) in line, line


def test_the_window_opens_read_only_media_and_refuses_edits_plainly(media: Path) -> None:
    (window,) = _on_read_only(
        media, [["window", str(media / "p.wbproj"), str(media / "article.txt")]]
    )
    assert window["opened"] is True
    assert window["rated"] is False
    assert any("read-only" in e for e in window["errors"]), window
    assert all("Errno" not in e and "Traceback" not in e for e in window["errors"]), window


def test_missing_folder_is_named(tmp_path: Path, seed_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    with pytest.raises(ProjectError, match=f"the folder {missing} does not exist"):
        new_project(missing / "deeper" / "p.wbproj", seed_path)
    with pytest.raises(ProjectError, match=f"the folder {missing} does not exist"):
        Project.open(missing / "p.wbproj")
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "claims", str(missing / "p.wbproj")],
        capture_output=True, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 1 and f"the folder {missing} does not exist" in done.stderr


def test_exercise_key_in_a_missing_folder_is_named_and_nothing_is_written(
    tmp_path: Path, seed_path: Path
) -> None:
    from workbench.core.practice.exercise import make_exercise

    with new_project(tmp_path / "p.wbproj", seed_path) as project:
        missing = tmp_path / "keys"
        with pytest.raises(ProjectError, match=f"the folder {missing} does not exist"):
            make_exercise(project, tmp_path / "e.wbproj", missing / "k.json")
    assert not (tmp_path / "e.wbproj").exists()
