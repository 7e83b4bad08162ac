"""JSON export of a whole project, and import back into a new project without loss."""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path

import pytest
from test_report_fixtures import BODY_A, BODY_B, build_small

from workbench.core.errors import InvalidInputError, ProjectError
from workbench.core.project.jsonio import export_project, import_project, read_export, write_export
from workbench.core.project.store import Project
from workbench.core.sources.fetch import checked_snapshot
from workbench.core.sources.snapshot import Snapshot

NOW = "2024-04-01T12:00:00Z"


def _as_fetched(project: Project) -> None:
    """build_small stores made-up snapshot text; a project built here holds the text, title and
    flags read from each body (core/sources/fetch.checked_snapshot), which import derives again."""
    for snap in project.snapshots():
        stored = Snapshot(
            original_url=snap.original_url,
            archive=snap.archive,
            archive_url=snap.archive_url,
            captured_at=snap.captured_at,
            http_status=snap.http_status,
            content_type=snap.content_type,
            body=project.snapshot_body(snap.id),
            fetched_at=snap.fetched_at,
            encoding=snap.encoding,
        )
        checked, found = checked_snapshot(stored, project.source(snap.source_id).url)
        project.conn.execute(
            "UPDATE snapshots SET text = ?, title = ?, author = ?, published = ?, flags = ?, "
            "note = ? WHERE id = ?",
            (found.text, found.title, found.author, found.published,
             json.dumps(list(checked.flags)), checked.note, snap.id),
        )  # fmt: skip
    project.conn.commit()


@pytest.fixture()
def project(tmp_path: Path):
    with build_small(tmp_path / "small.wbproj") as p:
        p.delete_claim(5)  # deleted claims travel too
        _as_fetched(p)
        yield p


def test_export_holds_everything(project) -> None:
    data = export_project(project, now=NOW)
    assert (data["format"], data["version"], data["exported_at"]) == ("workbench-project", 1, NOW)
    assert data["article"]["text"] == project.article().text
    assert base64.b64decode(data["article"]["raw_base64"]) == project.article_raw()
    assert [c["id"] for c in data["claims"]] == [1, 2, 3, 4, 5, 6]
    assert data["claims"][4]["deleted"] is True
    history = data["claims"][1]["verdicts"]
    assert [v["rating"] for v in history] == ["mostly-true", "false"]
    assert [v["reviewer"] for v in history] == ["bob", "alice"]
    bodies = {base64.b64decode(s["body_base64"]) for s in data["snapshots"]}
    assert bodies == {BODY_A, BODY_B}
    ons = next(s for s in data["sources"] if s["url"] == "https://ons.example.gov/labour")
    assert ons["evaluation"] == {"reliability": "high"}
    assert len(data["events"]) == len(project.history())
    assert data["claims"][3]["status_note"] == "Check the base year"


def test_round_trip_is_lossless(project, tmp_path: Path) -> None:
    first = export_project(project, now=NOW)
    path = write_export(project, tmp_path / "export.json", now=NOW)
    with import_project(read_export(path), tmp_path / "copy.wbproj", now=NOW) as copy_project:
        second = export_project(copy_project, now=NOW)
        # Evidence survives: bodies come back byte for byte and still match their hashes.
        snap_ids = [s.id for s in copy_project.snapshots()]
        assert {copy_project.snapshot_body(i) for i in snap_ids} == {BODY_A, BODY_B}
        assert copy_project.verdicts(2)[0].rating == "mostly-true"
        assert copy_project.claim(5).deleted
    # The only documented difference: the copy records when it was imported.
    assert first["project"]["imported_at"] is None
    assert second["project"]["imported_at"] == NOW
    first["project"]["imported_at"] = second["project"]["imported_at"] = None
    assert second == first
    # And the copy can be exported and imported again with the same result.
    with import_project(copy.deepcopy(second), tmp_path / "copy2.wbproj", now=NOW) as again:
        third = export_project(again, now=NOW)
    third["project"]["imported_at"] = None
    assert third == first


def test_import_refuses_bad_exports(project, tmp_path: Path) -> None:
    good = export_project(project, now=NOW)
    target = tmp_path / "bad.wbproj"
    with pytest.raises(InvalidInputError, match="not a Workbench project export"):
        import_project({"format": "other"}, target)
    newer = dict(good, version=2)
    with pytest.raises(InvalidInputError, match="version 2"):
        import_project(newer, target)
    tampered = copy.deepcopy(good)
    tampered["snapshots"][0]["body_base64"] = base64.b64encode(b"forged").decode()
    with pytest.raises(InvalidInputError, match="SHA-256"):
        import_project(tampered, target)
    assert not target.exists()  # no half-made project is left behind
    outside = copy.deepcopy(good)
    outside["claims"][0]["end"] = 10**6
    with pytest.raises(InvalidInputError, match="outside the article"):
        import_project(outside, target)
    unknown = copy.deepcopy(good)
    unknown["claims"][0]["verdicts"][0]["rating"] = "pants-on-fire"
    with pytest.raises(InvalidInputError, match="not on the exported scale"):
        import_project(unknown, target)
    missing = copy.deepcopy(good)
    del missing["sources"]
    with pytest.raises(InvalidInputError, match="incomplete"):
        import_project(missing, target)
    assert not target.exists()
    with pytest.raises(ProjectError, match="already exists"):
        import_project(good, project.path)


def test_read_export_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="no file"):
        read_export(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="not a readable JSON"):
        read_export(bad)


def test_imported_project_is_a_normal_project(project, tmp_path: Path) -> None:
    data = json.loads(json.dumps(export_project(project)))
    with import_project(data, tmp_path / "c.wbproj") as p:
        pass
    with Project.open(tmp_path / "c.wbproj") as p:
        assert p.claim(2).rating == "false"
        p.set_verdict(6, "true", "now checked", reviewer="dora")  # ids continue after import
        assert p.claim(6).rating == "true"
        assert [s.source.url for s in p.claim_sources(1)][1] == "https://ons.example.gov/labour"


def test_streamed_export_is_the_same_document(tmp_path: Path) -> None:
    """write_export_to streams snapshots; the file must equal json.dumps of the whole dict."""
    import io
    import json as _json

    from workbench.core.project.jsonio import export_project, write_export_to
    from workbench.core.sources.snapshot import Snapshot

    with build_small(tmp_path / "s.wbproj") as project:
        for i, source in enumerate(project.sources()[:2]):
            body = f"<p>body {i} “quoted” é</p>".encode() * 50
            snap = Snapshot(
                source.url, "warc", None, "2024-01-01T00:00:00Z", 200, "text/html", body
            )
            project.add_snapshot(source.id, snap, text=f"text {i}")
        buffer = io.StringIO()
        write_export_to(project, buffer, now="2024-04-01T12:00:00Z")
        whole = export_project(project, now="2024-04-01T12:00:00Z")
    assert buffer.getvalue() == _json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    assert len(whole["snapshots"]) >= 2


def test_streamed_export_without_snapshots(tmp_path: Path) -> None:
    import io
    import json as _json

    from workbench.core.project.jsonio import export_project, write_export_to

    with build_small(tmp_path / "s.wbproj") as project:
        project.conn.execute("DELETE FROM snapshots")
        buffer = io.StringIO()
        write_export_to(project, buffer, now="2024-04-01T12:00:00Z")
        whole = export_project(project, now="2024-04-01T12:00:00Z")
    assert whole["snapshots"] == []
    assert buffer.getvalue() == _json.dumps(whole, ensure_ascii=False, indent=2) + "\n"


def test_a_failed_export_leaves_the_earlier_file_whole(project, tmp_path: Path) -> None:
    """The export streams snapshot by snapshot; a failure half-way must not leave half a file
    where the user's earlier export was (nor a temporary file beside it)."""
    path = write_export(project, tmp_path / "export.json", now=NOW)
    before = path.read_bytes()
    victim = project.snapshots()[-1].id
    project.conn.execute("UPDATE snapshots SET body = ? WHERE id = ?", (b"not zlib", victim))
    project.conn.commit()
    with pytest.raises(ProjectError, match=f"Snapshot {victim}'s stored copy is damaged"):
        write_export(project, path, now=NOW)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
