"""The project file: round trip, history, edits, refusal of foreign files, migrations."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from workbench.core.article.model import Article, Link
from workbench.core.claims.finder import ClaimCandidate, Quote
from workbench.core.errors import InvalidInputError, NotFoundError, ProjectError
from workbench.core.project import schema, store
from workbench.core.project.store import Project
from workbench.core.sources.snapshot import Snapshot

TEXT = (
    "Russia said it hit sixty targets on Friday. "
    "I think that is silly. "
    "The U.S. Embassy wrote that the regime is “aiding extremists”."
)


def _candidates(text: str) -> list[ClaimCandidate]:
    spans = [(0, 43), (44, 66), (67, len(text))]
    return [
        ClaimCandidate(s, e, text[s:e], "fact", 0.9 - i * 0.3, ("number: sixty",), ())
        for i, (s, e) in enumerate(spans)
    ] + []


@pytest.fixture()
def article() -> Article:
    link_start = TEXT.index("U.S. Embassy")
    return Article(
        title="A title",
        byline="Kyle Orton",
        published="2015-10-11",
        url="https://example.org/post",
        text=TEXT,
        links=(Link(link_start, link_start + 12, "https://example.org/embassy", "U.S. Embassy"),),
        raw=TEXT.encode(),
        source_kind="text",
        encoding="utf-8",
    )


@pytest.fixture()
def project(new_location, article: Article) -> Project:
    """The same project on each backend: a SQLite file, then a team project on PostgreSQL."""
    p = _make(new_location(), article)
    yield p
    p.close()


@pytest.fixture()
def file_project(tmp_path: Path, article: Article) -> Project:
    """For what only a file has: its bytes, its WAL, its migrations' backup."""
    p = _make(str(tmp_path / "p.wbproj"), article)
    yield p
    p.close()


def _make(location: str, article: Article) -> Project:
    cands = _candidates(TEXT)
    q_start = TEXT.index("aiding")
    cands[2] = ClaimCandidate(
        cands[2].start,
        cands[2].end,
        cands[2].text,
        "attribution",
        0.7,
        ("attributed: wrote",),
        (Quote(q_start, q_start + len("aiding extremists"), "The U.S. Embassy"),),
    )
    return Project.create(location, article, cands)


def test_round_trip_keeps_article_links_and_claims(project: Project, article: Article) -> None:
    path = project.location
    project.close()
    with Project.open(path) as again:
        stored = again.article()
        assert (stored.title, stored.byline, stored.published, stored.url) == (
            article.title,
            article.byline,
            article.published,
            article.url,
        )
        assert stored.text == TEXT
        assert stored.links == article.links
        assert again.article_raw() == article.raw
        claims = again.claims()
        assert [c.text for c in claims] == [TEXT[c.start : c.end] for c in claims]
        assert claims[2].quotes[0].speaker == "The U.S. Embassy"
        assert TEXT[claims[2].quotes[0].start : claims[2].quotes[0].end] == "aiding extremists"
        assert again.scale.id == "truth6"


def test_cited_links_become_sources_of_their_claims(project: Project) -> None:
    third = project.claims()[2]
    sources = project.claim_sources(third.id)
    assert [(s.source.url, s.relation) for s in sources] == [
        ("https://example.org/embassy", "cited")
    ]
    assert third.source_count == 1


def test_verdicts_are_append_only_and_newest_wins(project: Project) -> None:
    cid = project.claims()[0].id
    project.set_verdict(cid, "True", "Matches the ministry's statement.", reviewer="ann")
    project.set_verdict(cid, "mostly-false", "Only 40 were hit.", reviewer="bob")
    history = project.verdicts(cid)
    # In a team project the reviewer is always the server login, never a typed name.
    ann, bob = ("wbadmin", "wbadmin") if project.is_team else ("ann", "bob")
    assert [(v.rating, v.reviewer) for v in history] == [("true", ann), ("mostly-false", bob)]
    claim = project.claim(cid)
    assert (claim.rating, claim.rationale, claim.rated_by) == (
        "mostly-false",
        "Only 40 were hit.",
        bob,
    )
    assert claim.status == "checked"
    actions = [e.action for e in project.history(cid)]
    assert actions.count("verdict") == 2


def test_unknown_rating_and_status_are_refused(project: Project) -> None:
    cid = project.claims()[0].id
    with pytest.raises(InvalidInputError, match="not a rating"):
        project.set_verdict(cid, "sort of", "")
    with pytest.raises(InvalidInputError, match="not a status"):
        project.set_status(cid, "done")
    with pytest.raises(NotFoundError):
        project.set_verdict(999, "true", "")
    assert project.verdicts(cid) == []


def test_status_moves_and_returned_note(project: Project) -> None:
    cid = project.claims()[0].id
    project.attach_source(cid, "https://example.org/ministry", relation="supports", note="p. 2")
    assert project.claim(cid).status == "in_progress"
    project.set_verdict(cid, "true", "ok")
    assert project.claim(cid).status == "checked"
    project.set_status(cid, "returned", note="Which ministry statement?")
    claim = project.claim(cid)
    assert (claim.status, claim.status_note) == ("returned", "Which ministry statement?")
    project.set_status(cid, "approved")
    assert project.claim(cid).status == "approved"


def test_sources_attach_detach_and_bad_urls(project: Project) -> None:
    cid = project.claims()[0].id
    sid = project.attach_source(cid, "https://example.org/a", relation="refutes", note="n")
    assert project.attach_source(cid, "https://example.org/a", relation="context") == sid
    links = project.claim_sources(cid)
    assert [(link.source.id, link.relation) for link in links] == [(sid, "context")]
    assert project.source_claims(sid) == [(cid, "context")]
    project.detach_source(cid, sid)
    assert project.claim_sources(cid) == []
    with pytest.raises(InvalidInputError, match="web address"):
        project.attach_source(cid, "javascript:alert(1)")
    with pytest.raises(InvalidInputError, match="relation"):
        project.attach_source(cid, "https://example.org/b", relation="likes")


def test_delete_and_restore_keep_verdicts(project: Project) -> None:
    cid = project.claims()[1].id
    project.set_verdict(cid, "false", "no")
    project.delete_claim(cid)
    assert cid not in [c.id for c in project.claims()]
    project.restore_claim(cid)
    assert project.claim(cid).rating == "false"


def test_split_and_merge_keep_exact_spans(project: Project) -> None:
    first = project.claims()[0]
    offset = TEXT.index("on Friday")
    new_id = project.split_claim(first.id, offset)
    a, b = project.claim(first.id), project.claim(new_id)
    assert a.text == TEXT[a.start : a.end] == "Russia said it hit sixty targets"
    assert b.text == TEXT[b.start : b.end] == "on Friday."
    with pytest.raises(InvalidInputError):
        project.split_claim(first.id, a.start)
    project.merge_claims(first.id, new_id)
    merged = project.claim(first.id)
    assert merged.text == TEXT[0:43]
    assert project.claim(new_id).deleted


def test_add_claim_from_selection_trims_and_checks(project: Project) -> None:
    start = TEXT.index("sixty targets")
    cid = project.add_claim(start - 1, start + len("sixty targets") + 1)
    claim = project.claim(cid)
    assert claim.text == "sixty targets" and claim.origin == "user"
    with pytest.raises(InvalidInputError):
        project.add_claim(5, 5)
    with pytest.raises(InvalidInputError):
        project.add_claim(0, len(TEXT) + 10)


def test_snapshot_body_is_compressed_and_verified(project: Project) -> None:
    sid = project.sources()[0].id
    body = b"<html><body><p>The regime is aiding extremists.</p></body></html>" * 50
    snap = Snapshot(
        original_url="https://example.org/embassy",
        archive="wayback",
        archive_url="https://web.archive.org/web/20150601000000/https://example.org/embassy",
        captured_at="2015-06-01T00:00:00Z",
        http_status=200,
        content_type="text/html",
        body=body,
    )
    snap_id = project.add_snapshot(sid, snap, text="The regime is aiding extremists.", title="T")
    rec = project.latest_snapshot(sid)
    assert rec is not None and rec.id == snap_id and rec.sha256 == snap.sha256
    assert project.snapshot_body(snap_id) == body
    assert project.snapshot_text(snap_id) == "The regime is aiding extremists."
    stored = project.conn.execute("SELECT length(body) FROM snapshots").fetchone()[0]
    assert stored < len(body) / 5
    project.conn.execute("UPDATE snapshots SET body = ?", (__import__("zlib").compress(b"x"),))
    with pytest.raises(ProjectError, match="SHA-256"):
        project.snapshot_body(snap_id)


def test_fetch_error_recorded_then_cleared_by_snapshot(project: Project) -> None:
    sid = project.sources()[0].id
    project.record_fetch_error(sid, "TIMEOUT", "The archive did not answer within 60 seconds.")
    assert project.source(sid).fetch_error_kind == "TIMEOUT"
    snap = Snapshot("https://example.org/embassy", "live", None, None, 200, "text/html", b"x")
    project.add_snapshot(sid, snap)
    assert project.source(sid).fetch_error is None


def test_two_connections_both_write_safely(project: Project) -> None:
    other = Project.open(project.location)
    try:
        a, b = project.claims()[0].id, project.claims()[1].id
        before = project.data_version()
        other.set_verdict(a, "true", "from the other window")
        assert project.data_version() != before
        project.set_verdict(b, "false", "from this window")
        assert other.claim(b).rating == "false"
        assert project.claim(a).rating == "true"
    finally:
        other.close()


# ---------------------------------------------------------------------- refusing files
def _unchanged(path: Path):
    data = path.read_bytes()
    return lambda: path.read_bytes() == data


def test_missing_and_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no project file"):
        Project.open(tmp_path / "nope.wbproj")
    with pytest.raises(ProjectError, match="folder"):
        Project.open(tmp_path)


@pytest.mark.parametrize(
    "content", [b"", b"just some text\n" * 20, b"\x89PNG\r\n\x1a\n" + bytes(200)]
)
def test_non_sqlite_files_are_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.wbproj"
    path.write_bytes(content)
    same = _unchanged(path)
    with pytest.raises(ProjectError, match="not a Workbench project"):
        Project.open(path)
    assert same()


def test_foreign_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE people (name TEXT)")
    conn.commit()
    conn.close()
    same = _unchanged(path)
    with pytest.raises(ProjectError, match="not a Workbench project"):
        Project.open(path)
    assert same()
    assert not (tmp_path / "other.db-wal").exists()


def test_newer_project_is_refused_untouched(file_project: Project) -> None:
    project = file_project
    path = project.path
    project.conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    project.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    project.close()
    same = _unchanged(path)
    with pytest.raises(ProjectError, match="newer Workbench"):
        Project.open(path)
    assert same()


def _truncated(project: Project) -> Path:
    """The project's file cut to a third, as a copy interrupted mid-way leaves it."""
    path = project.path
    project.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    project.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def test_truncated_project_is_refused(file_project: Project) -> None:
    path = _truncated(file_project)
    with pytest.raises(ProjectError), Project.open(path) as p:
        p.claims()
    # Nothing left beside it: the -wal and -shm the refused open made are gone again.
    assert sorted(f.name for f in path.parent.iterdir() if f.name.startswith(path.name)) == [
        path.name
    ]


def test_a_wal_left_beside_a_damaged_project_is_kept(file_project: Project) -> None:
    """A -wal that was there before may hold the last edits: a refused open never removes it."""
    path = _truncated(file_project)
    wal = path.with_name(path.name + "-wal")
    wal.write_bytes(b"")
    with pytest.raises(ProjectError), Project.open(path) as p:
        p.claims()
    assert wal.exists()


def test_create_refuses_to_overwrite(project: Project, article: Article) -> None:
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(project.location, article, [])


def test_older_project_is_migrated_with_a_backup(
    file_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step registered for version 1 runs once, in a transaction, with a backup kept."""
    project = file_project
    path = project.path
    project.close()
    ran: list[int] = []

    def step(db) -> None:
        db.execute("ALTER TABLE sources ADD COLUMN extra TEXT")
        ran.append(1)

    current = schema.SCHEMA_VERSION
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    monkeypatch.setattr(store, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(schema.MIGRATIONS, current, step)
    with Project.open(path) as migrated:
        assert migrated.meta()["schema_version"] == str(current + 1)
        cols = [r[1] for r in migrated.conn.execute("PRAGMA table_info(sources)")]
        assert "extra" in cols
    backup = path.with_name(path.name + f".v{current}.bak")
    # The backup is the project as it was (made by SQLite's backup API, so its header bytes
    # differ from the original's while every row is the same).
    old = sqlite3.connect(backup)
    version = old.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert version == (str(current),)
    assert "extra" not in [r[1] for r in old.execute("PRAGMA table_info(sources)")]
    assert old.execute("SELECT count(*) FROM claims").fetchone() == (3,)
    old.close()
    with Project.open(path):
        pass
    assert ran == [1]


def test_failed_migration_leaves_the_file_as_it_was(
    file_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = file_project
    path = project.path
    project.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    project.close()

    def broken(db) -> None:
        db.execute("ALTER TABLE sources ADD COLUMN extra TEXT")
        raise sqlite3.OperationalError("disk I/O error")

    current = schema.SCHEMA_VERSION
    monkeypatch.setattr(store, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(schema.MIGRATIONS, current, broken)
    with pytest.raises(ProjectError):
        Project.open(path)
    monkeypatch.setattr(store, "SCHEMA_VERSION", current)
    with Project.open(path) as p:
        assert p.meta()["schema_version"] == str(current)
        cols = [r[1] for r in p.conn.execute("PRAGMA table_info(sources)")]
        assert "extra" not in cols


def test_project_records_its_scale(new_location, article: Article) -> None:
    with Project.create(new_location("e"), article, [], scale="evidence3") as p:
        assert p.scale.id == "evidence3"
        assert json.loads(p.meta()["scale"])["id"] == "evidence3"


def test_read_only_open_never_changes_the_file(file_project: Project) -> None:
    project = file_project
    path = project.path
    cid = project.claims()[0].id
    project.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    project.conn.execute("PRAGMA journal_mode = DELETE")  # as a file arrives by mail
    project.close()
    same = _unchanged(path)
    with Project.open(path, readonly=True) as ro:
        assert ro.claims()[0].id == cid
        with pytest.raises(ProjectError, match="read-only"):
            ro.set_verdict(cid, "true", "")
    assert same()
    assert not path.with_name(path.name + "-wal").exists()


def test_read_only_open_refuses_to_upgrade(
    file_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = file_project
    path = project.path
    project.close()
    monkeypatch.setattr(store, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    with pytest.raises(ProjectError, match="open it for editing"):
        Project.open(path, readonly=True)
