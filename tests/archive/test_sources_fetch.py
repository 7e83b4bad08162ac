"""Sources of a project filled with snapshots: from WARC files, from the (fake) archive, with
failures recorded on the source and nothing already stored lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_archive import FakeArchive

from workbench.cli.main import main
from workbench.core.article.model import Article
from workbench.core.claims.finder import find_claims
from workbench.core.net.settings import ArchiveSettings
from workbench.core.project.create import new_project
from workbench.core.project.store import Project
from workbench.core.sources.fetch import fetch_sources, import_warc_into, readable
from workbench.core.sources.snapshot import Snapshot

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_HTML = ROOT / "sample_data" / "sample-article.html"
SAMPLE_WARC = ROOT / "sample_data" / "cited-pages.warc.gz"
PAGE = (
    b"<html><head><title>Ministry statement</title></head><body><nav>Home | About</nav>"
    b"<article><h1>Ministry statement</h1><p>The ministry said 60 targets were hit on Friday "
    b"in northern Syria.</p><p>Officials gave no further detail.</p></article>"
    b"<footer>Copyright</footer></body></html>"
)


@pytest.fixture()
def sample(tmp_path: Path) -> Project:
    project = new_project(tmp_path / "sample.wbproj", str(SAMPLE_HTML))
    yield project
    project.close()


def _project_citing(tmp_path: Path, urls: list[str]) -> Project:
    text = " ".join(f"Claim {i} says 60 targets were hit on Friday." for i in range(len(urls)))
    article = Article("T", "B", "2015-10-11", None, text, (), text.encode())
    project = Project.create(tmp_path / "p.wbproj", article, find_claims(text))
    for claim, url in zip(project.claims(), urls, strict=True):
        project.attach_source(claim.id, url)
    return project


def test_warc_import_fills_every_cited_source(sample: Project) -> None:
    summary = import_warc_into(sample, SAMPLE_WARC)
    assert summary.captures == 6 and len(summary.matched) == 6
    for source in sample.sources():
        snap = sample.latest_snapshot(source.id)
        assert snap is not None and snap.archive == "warc"
        assert sample.snapshot_text(snap.id).strip(), source.url
        assert "<" not in sample.snapshot_text(snap.id)[:200]
    after = [s for s in sample.snapshots() if "after-publication" in s.flags]
    assert len(after) == 1 and "after" in after[0].note


def test_reimporting_a_warc_says_already_stored(sample: Project) -> None:
    """Issue 10.19: a second import of the same file stored nothing because everything was
    already there, and it said so as "0 matched the project's sources"."""
    import_warc_into(sample, SAMPLE_WARC)
    again = import_warc_into(sample, SAMPLE_WARC)
    assert again.matched == [] and len(again.already) == 6
    assert again.describe() == "6 captures read, 6 already stored"
    assert "0 matched" not in again.describe()
    assert len(sample.snapshots()) == 6


def test_remembered_warc_serves_a_later_fetch_without_network(
    sample: Project, settings: ArchiveSettings, fake: FakeArchive
) -> None:
    import_warc_into(sample, SAMPLE_WARC)
    sample.conn.execute("DELETE FROM snapshots")
    summary = fetch_sources(sample, settings=settings)
    assert len(summary.from_warc) == 6 and not summary.failed
    assert fake.requests() == []


def test_fetch_from_the_archive_and_record_failures(
    tmp_path: Path, fake: FakeArchive, settings: ArchiveSettings
) -> None:
    good = "https://example.org/ministry"
    gone = fake.live_url("gone")  # never archived, and the live page 404s
    fake.add_capture(good, "20151009120000", body=PAGE)
    project = _project_citing(tmp_path, [good, gone])
    progress: list[tuple[int, int]] = []
    summary = fetch_sources(
        project, settings=settings, progress=lambda d, t, _m: progress.append((d, t))
    )
    assert len(summary.fetched) == 1 and len(summary.failed) == 1
    assert progress[-1] == (2, 2)
    by_url = {s.url: s for s in project.sources()}
    snap = project.latest_snapshot(by_url[good].id)
    assert snap is not None and snap.archive == "wayback"
    assert snap.captured_at.startswith("2015-10-09")
    text = project.snapshot_text(snap.id)
    assert "60 targets were hit" in text and "Home | About" not in text
    assert project.snapshot_body(snap.id) == PAGE
    failed = by_url[gone]
    assert failed.fetch_error and failed.fetch_error_kind
    assert project.latest_snapshot(failed.id) is None

    # A retry of everything keeps the stored snapshot, and the failure can succeed later.
    fake.add_capture(gone, "20151001000000", body=PAGE)
    again = fetch_sources(project, settings=settings)
    assert again.skipped == [by_url[good].id] and len(again.fetched) == 1
    assert project.source(failed.id).fetch_error is None
    assert project.snapshot_body(snap.id) == PAGE


def test_readable_decodes_with_the_declared_charset() -> None:
    body = "<html><body><article><p>Москва заявила о 60 целях в Сирии сегодня утром.</p></article></body></html>"
    snap = Snapshot(
        "https://example.org/ru",
        "live",
        None,
        None,
        200,
        "text/html",
        body.encode("cp1251"),
        encoding="windows-1251",
    )
    assert "Москва заявила" in readable(snap).text


def test_cli_sources_json_and_import(sample: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(sample.path)
    sample.close()
    assert main(["sources", path, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 6 and all(r["snapshot"] is None for r in rows)
    assert main(["import-warc", path, str(SAMPLE_WARC)]) == 0
    assert "6 matched" in capsys.readouterr().out
    assert main(["sources", path, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    keys = {
        "archive",
        "archive_url",
        "captured_at",
        "fetched_at",
        "http_status",
        "sha256",
        "size",
        "title",
        "error",
    }
    for row in rows:
        assert keys <= set(row["snapshot"]) and row["claims"]
        assert len(row["snapshot"]["sha256"]) == 64


def test_cli_fetch_uses_the_configured_archive(
    tmp_path: Path,
    fake: FakeArchive,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = "https://example.org/ministry"
    fake.add_capture(url, "20151009120000", body=PAGE)
    project = _project_citing(tmp_path, [url])
    path = str(project.path)
    project.close()
    for name in ("WORKBENCH_WAYBACK_URL", "WORKBENCH_AVAILABILITY_URL", "WORKBENCH_MEMENTO_URL"):
        monkeypatch.setenv(name, fake.base_url)
    assert main(["fetch", path]) == 0
    assert "1 fetched" in capsys.readouterr().out
    assert fake.requests("cdx")


def test_cli_import_of_a_non_warc_is_one_line(
    sample: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "notes.warc"
    bogus.write_text("hello")
    assert main(["import-warc", str(sample.path), str(bogus)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("workbench: ") and "not a web archive" in err


def test_archive_files_beside_the_article_are_used_offline(
    tmp_path: Path, settings: ArchiveSettings, fake: FakeArchive
) -> None:
    import shutil

    folder = tmp_path / "story"
    folder.mkdir()
    shutil.copy(SAMPLE_HTML, folder / "article.html")
    shutil.copy(SAMPLE_WARC, folder / "captures.warc.gz")
    with new_project(tmp_path / "story.wbproj", str(folder / "article.html")) as project:
        summary = fetch_sources(project, settings=settings)
        assert len(summary.from_warc) == 6 and not summary.failed and not summary.fetched
        assert "6 from web archive files" in summary.describe()
    assert fake.requests() == []


def test_an_article_without_archives_beside_it_goes_to_the_network(
    tmp_path: Path, settings: ArchiveSettings, fake: FakeArchive
) -> None:
    import shutil

    shutil.copy(SAMPLE_HTML, tmp_path / "article.html")
    with new_project(tmp_path / "story.wbproj", str(tmp_path / "article.html")) as project:
        summary = fetch_sources(project, settings=settings)
        assert not summary.from_warc and len(summary.failed) == 6
    assert fake.requests("cdx")


def test_fetch_exactly_the_given_sources(
    tmp_path: Path, fake: FakeArchive, settings: ArchiveSettings
) -> None:
    first, second = "https://example.org/one", "https://example.org/two"
    for url in (first, second):
        fake.add_capture(url, "20151009120000", body=PAGE)
    project = _project_citing(tmp_path, [first, second])
    by_url = {s.url: s.id for s in project.sources()}
    summary = fetch_sources(project, source_ids=[by_url[second]], settings=settings)
    assert summary.fetched == [by_url[second]]
    assert project.latest_snapshot(by_url[first]) is None
    again = fetch_sources(project, source_ids=[by_url[second]], refetch=True, settings=settings)
    assert again.fetched == [by_url[second]]
    assert len(project.snapshots(by_url[second])) == 2


def test_cancelled_sources_get_no_error(
    tmp_path: Path, fake: FakeArchive, settings: ArchiveSettings
) -> None:
    import threading

    project = _project_citing(tmp_path, ["https://example.org/slow"])
    cancel = threading.Event()
    cancel.set()
    summary = fetch_sources(project, settings=settings, cancel=cancel)
    assert summary.cancelled and not summary.failed
    assert project.sources()[0].fetch_error is None


def test_a_deep_link_that_redirected_home_is_flagged(
    tmp_path: Path, fake: FakeArchive, settings: ArchiveSettings
) -> None:
    deep, home = "https://example.org/news/2015/10/ministry-statement", "https://example.org/"
    fake.add_capture(deep, "20151009120000", status=301, redirect_to=home)
    fake.add_capture(home, "20151009120000", body=PAGE)
    project = _project_citing(tmp_path, [deep])
    fetch_sources(project, settings=settings)
    snap = project.latest_snapshot(project.sources()[0].id)
    assert snap is not None
    assert snap.archive_url is not None and snap.archive_url.endswith("/https://example.org/")
    assert {"redirected", "redirected-home"} <= set(snap.flags), snap.flags


def test_a_live_copy_knows_where_it_landed(fake: FakeArchive, settings: ArchiveSettings) -> None:
    """No archive has it; the live site redirects, and the snapshot says where it ended."""
    from fake_archive import Reply

    from workbench.core.sources.archive.service import find_snapshot

    fake.live["old/statement"] = Reply(
        status=301, headers=[("Location", fake.live_url("new/statement"))], content_type=None
    )
    fake.live["new/statement"] = Reply(body=PAGE)
    snap = find_snapshot(fake.live_url("old/statement"), "2015-10-11", settings=settings)
    assert snap.archive == "live"
    assert snap.original_url == fake.live_url("old/statement")
    assert snap.landed_url == fake.live_url("new/statement")


def test_a_live_deep_link_that_landed_on_the_home_page_is_flagged() -> None:
    from workbench.core.sources.checks import check_snapshot

    snap = Snapshot(
        "https://example.org/news/2015/10/statement", "live", None, None, 200, "text/html",
        b"<html><body><h1>Example News</h1><p>Latest stories.</p></body></html>",
        flags=("live",), landed_url="https://example.org/",
    )  # fmt: skip
    flags = [flag for flag, _why in check_snapshot(
        snap, "Latest stories.", "Example News", cited_url=snap.original_url
    )]  # fmt: skip
    assert "redirected-home" in flags
