"""Every CLI command on a team project URL, and `workbench copy` both ways, losslessly."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pytest

from workbench.cli.main import main
from workbench.core.project import schema
from workbench.core.project.backends import postgres
from workbench.core.project.store import Project
from workbench.core.sources.snapshot import Snapshot


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_every_project_command_takes_a_team_url(
    team_url: Any, seed_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = team_url("cli")
    code, out, err = run(["new", url, str(seed_path)], capsys)
    assert code == 0, err
    assert "claims" in out and "project=cli-" in out
    assert run(["article", url, "--json"], capsys)[0] == 0
    code, out, _ = run(["claims", url, "--json"], capsys)
    first = json.loads(out)[0]["id"]
    for args in (
        ["verdict", url, str(first), "false", "--note", "contradicted"],
        ["source", url, str(first), "https://example.org/evidence"],
        ["status", url, str(first), "checked"],
    ):
        code, _, err = run(args, capsys)
        assert code == 0, (args, err)
    code, out, _ = run(["sources", url, "--json"], capsys)
    source_id = next(s["id"] for s in json.loads(out) if s["url"] == "https://example.org/evidence")
    args = ["evaluate", url, str(source_id), "--kind", "official", "--behind", "the ministry",
            "--independent", "yes", "--corroborated", "no"]  # fmt: skip
    assert run(args, capsys)[0] == 0
    code, out, _ = run(["claims", url], capsys)
    assert "\tfalse\t" in out
    code, out, _ = run(["history", url, str(first)], capsys)
    assert code == 0 and "False" in out
    code, out, _ = run(["sources", url, "--json"], capsys)
    assert code == 0 and "https://example.org/evidence" in out
    report = tmp_path / "r.md"
    code, _, err = run(["report", url, "-f", "md", "-o", str(report)], capsys)
    assert code == 0, err
    assert "contradicted" in report.read_text() or "False" in report.read_text()
    exported = tmp_path / "e.json"
    code, _, err = run(["report", url, "-f", "json", "-o", str(exported)], capsys)
    assert code == 0, err
    exercise, key = tmp_path / "ex.wbproj", tmp_path / "key.json"
    code, _, err = run(["exercise", url, str(exercise), str(key)], capsys)
    assert code == 0, err
    code, out, err = run(["grade", "--json", str(key), str(exercise)], capsys)
    assert code == 0, err


def test_errors_on_team_urls_are_one_line(
    team_url: Any, capsys: pytest.CaptureFixture[str], pg_server: Any
) -> None:
    code, _, err = run(["claims", team_url("absent")], capsys)
    assert (
        code == 1 and err.startswith("workbench: There is no team project") and err.count("\n") == 1
    )
    dead = f"postgresql://nobody:hunter2@127.0.0.1:{pg_server.port + 1}/x?project=p"
    code, _, err = run(["claims", dead], capsys)
    assert code == 1 and "cannot be reached" in err and "hunter2" not in err


def _everything(conn: Any) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order, as plain Python values."""
    out = {}
    for table in postgres.reference_tables(schema.SCHEMA_VERSION):
        cols = ", ".join(f'"{c[0]}"' for c in table.columns)
        order = ", ".join(f'"{c}"' for c in table.pk) if table.pk else cols
        rows = conn.execute(f'SELECT {cols} FROM "{table.name}" ORDER BY {order}').fetchall()
        out[table.name] = [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in rows
        ]
    return out


def _rich_project(path: Path, seed_path: Path) -> None:
    from workbench.core.project.create import new_project

    with new_project(path, seed_path) as p:
        claims = p.claims()
        a, b = claims[0].id, claims[1].id
        p.set_verdict(a, "mostly-false", "Ministry figures say otherwise", reviewer="ana")
        p.set_verdict(a, "false", "Second look", reviewer="ben")
        sid = p.attach_source(a, "https://example.org/report", relation="refutes", note="p. 4")
        p.update_source(sid, evaluation={"who": "ministry", "score": 2})
        body = "<html><body>Ünïcode body — 42</body></html>".encode()
        snap = Snapshot(
            original_url="https://example.org/report",
            archive="wayback",
            archive_url="https://web.archive.org/web/2015/https://example.org/report",
            captured_at="2015-10-11T00:00:00Z",
            fetched_at="2026-01-01T00:00:00Z",
            http_status=200,
            content_type="text/html",
            body=body,
            encoding="utf-8",
            flags=("paywall",),
            note="from the test",
        )
        p.add_snapshot(sid, snap, text="Ünïcode body — 42", title="Report")
        p.split_claim(b, claims[1].start + len(claims[1].text) // 2)
        p.set_status(a, "returned", note="Needs a second source", actor="editor")
        p.delete_claim(claims[2].id)


def test_copy_file_to_server_to_file_keeps_every_field(
    team_url: Any, seed_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = tmp_path / "original.wbproj"
    _rich_project(original, seed_path)
    url = team_url("round")
    code, out, err = run(["copy", str(original), url], capsys)
    assert code == 0, err
    assert out.startswith(f"Copied {original} to postgresql://") and "claims" in out
    back = tmp_path / "back.wbproj"
    code, _, err = run(["copy", url, str(back)], capsys)
    assert code == 0, err

    with sqlite3.connect(original) as a, sqlite3.connect(back) as b:
        before, after = _everything(a), _everything(b)
    assert before.keys() == after.keys()
    for table in before:
        assert before[table] == after[table], table
    assert before["snapshots"] and before["events"] and before["verdicts"]

    # The copy on the server is a working project: ids continue after the copied ones.
    with Project.open(url) as team:
        assert team.snapshot_body(team.snapshots()[0].id).startswith(b"<html>")
        new_id = team.add_claim(0, 20)
        assert new_id > max(r[0] for r in before["claims"])
        assert len(team.history()) == len(before["events"]) + 1

    # Refused without --force; the target is untouched.
    code, _, err = run(["copy", str(original), url], capsys)
    assert code == 1 and "already exists" in err
    with Project.open(url, readonly=True) as team:
        assert team.claim(new_id).origin == "user"


def test_save_copy_of_a_team_project_writes_a_file(
    team_url: Any, seed_path: Path, tmp_path: Path
) -> None:
    from workbench.core.project.create import new_project

    url = team_url("snap")
    with new_project(url, seed_path) as team:
        team.set_verdict(team.claims()[0].id, "true", "", reviewer="typed name")
        target = team.save_copy(tmp_path / "archive.wbproj")
        count = team.claim_count()
    with Project.open(target, readonly=True) as copy:
        assert copy.claim_count() == count and copy.claims()[0].rated_by == "wbadmin"


def test_import_json_and_capture_listings_work_on_a_team_project(
    team_url: Any, seed_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Store code written in SQLite's idiom (INSERT OR REPLACE, deferred foreign keys) runs on
    the server too."""
    original = tmp_path / "original.wbproj"
    _rich_project(original, seed_path)
    exported = tmp_path / "export.json"
    assert run(["report", str(original), "-f", "json", "-o", str(exported)], capsys)[0] == 0
    url = team_url("imported")
    code, _, err = run(["import-json", str(exported), url], capsys)
    assert code == 0, err
    with Project.open(url) as team, Project.open(original, readonly=True) as file:
        assert [(c.id, c.rating, c.status) for c in team.claims()] == [
            (c.id, c.rating, c.status) for c in file.claims()
        ]
        source_id = team.sources()[0].id
        row = {
            "archive": "wayback",
            "archive_url": "https://web.archive.org/web/2015/https://example.org/report",
            "timestamp": "20151011000000",
        }
        team.set_capture_listing(source_id, ["wayback"], [row])
        team.set_capture_listing(source_id, ["wayback"], [row, row])  # a repeat replaces
        assert len(team.capture_listing(source_id)) == 1
        team.set_meta("imported_at", "again")  # INSERT OR REPLACE on meta
        assert team.meta()["imported_at"] == "again"


def test_team_list_names_the_projects_on_a_server(
    team_url: Any, pg_database: str, seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = [team_url("listed"), team_url("listed")]
    for url in made:
        assert run(["new", url, str(seed_path)], capsys)[0] == 0
    code, out, err = run(["team", "list", pg_database], capsys)
    assert code == 0, err
    for url in made:  # each listed as a URL that opens it, with no password in it
        assert postgres.parse_url(url).display in out.splitlines()
    code, out, _ = run(["team", "list", pg_database, "--json"], capsys)
    listed = {p["project"]: p["url"] for p in json.loads(out)}
    for url in made:
        name = postgres.parse_url(url).project
        assert listed[name] == postgres.parse_url(url).display
        assert run(["claims", listed[name]], capsys)[0] == 0


def test_team_list_says_what_each_project_holds(
    team_url: Any, pg_database: str, seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--long and --json: the article title, claims, how many are checked, the last change
    (what the window's Open team project dialog shows), last changed first."""
    from workbench.core.project.store import Project

    first, second = team_url("desk"), team_url("desk")
    for url in (first, second):
        assert run(["new", url, str(seed_path)], capsys)[0] == 0
    with Project.open(second) as project:
        claim = project.claims()[0].id
        project.set_verdict(claim, "false", "Checked.")
        total, title = project.claim_count(), project.article().title
        changed = max(project.history(), key=lambda e: e.id).at
    with psycopg.connect(postgres.parse_url(first).conninfo, autocommit=True) as raw:
        old = postgres.parse_url(first).schema  # made a year ago (times are to the second)
        raw.execute(f'UPDATE "{old}".events SET at = %s', ("2025-11-30T09:00:00Z",))
        raw.execute(
            f"UPDATE \"{old}\".meta SET value = %s WHERE key = 'created'", ("2025-11-30T09:00:00Z",)
        )
    code, out, _ = run(["team", "list", pg_database, "--json"], capsys)
    rows = {r["project"]: r for r in json.loads(out)}
    row = rows[postgres.parse_url(second).project]
    assert (row["title"], row["claims"], row["checked"]) == (title, total, 1)
    assert row["last_change"] == changed and row["readable"] is True
    code, out, _ = run(["team", "list", pg_database, "--long"], capsys)
    assert code == 0
    lines = out.splitlines()
    at = lines.index(postgres.parse_url(second).display)
    assert lines[at + 1].strip().startswith(f"1 of {total} claims checked; last change ")
    assert lines[at + 1].endswith(title)
    assert at < lines.index(postgres.parse_url(first).display)  # last changed first


def test_team_list_on_a_database_without_projects(
    pg_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = pg_server.create_database("workbench_empty")
    code, out, _ = run(["team", "list", empty], capsys)
    assert code == 0 and out.startswith("No team projects on postgresql://")
