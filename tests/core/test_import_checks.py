"""Issue 10.2: an imported project goes through the same checks as one built here.

Snapshot text is read from the body again (the review pane's passages and quotation checks use
it, so a made-up quotation must not come back "found verbatim"); URLs, kinds, dates, statuses
are validated; JSON import and exercise creation write rows through the store's insert path."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from test_report_fixtures import build_small

import workbench.core.practice.exercise as exercise_module
import workbench.core.project.jsonio as jsonio_module
from workbench.core.errors import InvalidInputError
from workbench.core.practice.exercise import make_exercise
from workbench.core.project.jsonio import export_project, import_project
from workbench.core.project.store import Project

NOW = "2024-04-01T12:00:00Z"
FORGED = "The minister admitted everything, word for word"


@pytest.fixture()
def export(tmp_path: Path) -> dict[str, Any]:
    with build_small(tmp_path / "small.wbproj") as project:
        return export_project(project, now=NOW)


def test_forged_snapshot_text_is_not_imported(export: dict[str, Any], tmp_path: Path) -> None:
    forged = copy.deepcopy(export)
    for snap in forged["snapshots"]:
        snap["text"] = FORGED
        snap["title"] = "Forged title"
    with import_project(forged, tmp_path / "copy.wbproj", now=NOW) as copy_project:
        for snap in copy_project.snapshots():
            text = copy_project.snapshot_text(snap.id)
            assert FORGED not in text
            assert snap.title != "Forged title"
        first = copy_project.snapshots()[0]
        assert "3.9%" in copy_project.snapshot_text(first.id)  # read from the body itself


def _refused(export: dict[str, Any], tmp_path: Path, change: Any, match: str) -> None:
    bad = copy.deepcopy(export)
    change(bad)
    target = tmp_path / "bad.wbproj"
    with pytest.raises(InvalidInputError, match=match):
        import_project(bad, target, now=NOW)
    assert not target.exists()


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d["sources"][0].update(url="file:///etc/passwd"), "not a web address"),
        (lambda d: d["sources"][0].update(url="smb://host/share"), "not a web address"),
        (lambda d: d["claims"][0].update(kind="=cmd()"), "kind"),
        (lambda d: d["claims"][0].update(status="done"), "status"),
        (lambda d: d["claims"][0].update(created_at="yesterday"), "not an ISO date"),
        (lambda d: d["claims"][0]["verdicts"][0].update(created_at="soon"), "not an ISO date"),
        (lambda d: d["events"][0].update(at="whenever"), "not an ISO date"),
        (lambda d: d["snapshots"][0].update(original_url="file:///x"), "not a web address"),
        (lambda d: d["snapshots"][0].update(archive_url="javascript:alert(1)"), "archive address"),
        (lambda d: d["snapshots"][0].update(fetched_at="later"), "not an ISO date"),
        (lambda d: d["snapshots"][0].update(http_status=9999), "HTTP status"),
        (lambda d: d["snapshots"][0].update(source_id=999), "not in the export"),
        (lambda d: d["sources"][0].update(evaluation=["high"]), "not a set of named answers"),
        (lambda d: d["sources"][0].update(evaluation={"kind": "rumour", "independent": "yes",
                                                       "corroborated": "no"}), "kind"),
        (lambda d: d["sources"][0].update(evaluation={"kind": "news"}), "needs an answer"),
        (lambda d: d["sources"][0].update(evaluation={"x": {"nested": 1}}), "not a plain value"),
        (lambda d: d["sources"][0].update(evaluation={"x": "y" * 6000}), "longer than 5000"),
    ],
    ids=[
        "file-source", "smb-source", "kind", "status", "claim-date", "verdict-date",
        "event-date", "snapshot-url", "archive-url", "fetched-date", "http-status", "orphan",
        "evaluation-list", "evaluation-kind", "evaluation-half", "evaluation-nested",
        "evaluation-huge",
    ],
)  # fmt: skip
def test_import_validates_every_field(
    export: dict[str, Any], tmp_path: Path, change: Any, match: str
) -> None:
    _refused(export, tmp_path, change, match)


def test_non_web_article_links_are_not_imported(export: dict[str, Any], tmp_path: Path) -> None:
    data = copy.deepcopy(export)
    data["article"]["links"].append({"start": 0, "end": 3, "href": "file:///x", "text": "x"})
    with import_project(data, tmp_path / "copy.wbproj", now=NOW) as copy_project:
        assert all(not lk.href.startswith("file:") for lk in copy_project.article().links)


def test_import_and_exercise_have_no_insert_of_their_own() -> None:
    for module in (jsonio_module, exercise_module):
        source = Path(str(module.__file__)).read_text("utf-8")
        assert "INSERT INTO" not in source, module.__name__


def test_an_exercise_is_a_complete_project(tmp_path: Path) -> None:
    """Written through the store's path, an exercise has its article version like any project
    (its own INSERTs left article_versions empty)."""
    with build_small(tmp_path / "small.wbproj") as project:
        for source in project.sources():
            project.update_source(source.id, evaluation=None)  # the fixture's are not checklists
        make_exercise(project, tmp_path / "ex.wbproj", tmp_path / "ex.key.json")
    with sqlite3.connect(tmp_path / "ex.wbproj") as conn:
        assert conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM verdicts").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    with Project.open(tmp_path / "ex.wbproj") as opened:
        assert len(opened.claims()) == 6


def test_evaluations_survive_an_import(export: dict[str, Any], tmp_path: Path) -> None:
    """A valid checklist and another tool's flat record are both kept exactly as exported."""
    data = copy.deepcopy(export)
    checklist = {"kind": "news", "independent": "yes", "corroborated": "unsure", "notes": "ok"}
    data["sources"][0]["evaluation"] = checklist
    data["sources"][1]["evaluation"] = {"reliability": "high", "score": 4}
    with import_project(data, tmp_path / "copy.wbproj", now=NOW) as copy_project:
        again = export_project(copy_project, now=NOW)
    assert again["sources"][0]["evaluation"] == checklist
    assert again["sources"][1]["evaluation"] == {"reliability": "high", "score": 4}
