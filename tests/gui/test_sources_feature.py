"""The Sources feature driven like a person: the review tab, fetching (offline sample and a fake
archive on 127.0.0.1), failures listed and stored, Cancel, a bad web archive file, Save Page Now."""

from __future__ import annotations

import shutil
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "archive"))

from fake_archive import FakeArchive, fast_settings

from workbench.core.article.model import Article
from workbench.core.claims.finder import find_claims
from workbench.core.project.store import Project
from workbench.core.sources.snapshot import Snapshot
from workbench.gui.sources.feature import SOURCES_TAB, SourcesFeature
from workbench.gui.sources.fetch_report import Failure, fetch_line

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_HTML = ROOT / "sample_data" / "sample-article.html"
SAMPLE_WARC = ROOT / "sample_data" / "cited-pages.warc.gz"
MISQUOTE_CLAIM = 12  # "would destroy" in the article, "could damage" in the statement
PAGE = (
    b"<html><head><title>Ministry statement</title></head><body><article><h1>Ministry "
    b"statement</h1><p>The ministry said 60 targets were hit on Friday in northern Syria.</p>"
    b"<p>Officials gave no further detail.</p></article></body></html>"
)


class FakeSourcesAsk:
    """Stands in for fetch_report.SourcesAsker: canned answers, every question kept."""

    def __init__(self) -> None:
        self.archive_answer: str | None = None
        self.confirm_answer = True
        self.confirmed: list[str] = []
        self.failures: list[tuple[str, str, list[Failure]]] = []

    def archive_file(self, folder: str) -> str | None:
        return self.archive_answer

    def confirm_capture(self, url: str) -> bool:
        self.confirmed.append(url)
        return self.confirm_answer

    def fetch_failures(self, title: str, message: str, failures: list[Failure]) -> None:
        self.failures.append((title, message, failures))


@pytest.fixture()
def fake() -> Iterator[FakeArchive]:
    with FakeArchive() as archive:
        yield archive


@pytest.fixture()
def win(window: Any, fake: FakeArchive) -> Any:
    feature: SourcesFeature = window.features["sources"]
    feature.ask = FakeSourcesAsk()
    feature.settings_factory = lambda: fast_settings(fake)
    return window


def feature_of(window: Any) -> SourcesFeature:
    return window.features["sources"]


def wait_idle(qtbot: Any, window: Any, timeout: int = 15_000) -> None:
    qtbot.waitUntil(lambda: window.job is None, timeout=timeout)


def open_project(qtbot: Any, window: Any, path: Path) -> None:
    window.open_path(str(path))
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=15_000)


def project_citing(tmp_path: Path, urls: list[str], published: str | None = "2015-10-11") -> Path:
    text = " ".join(f"Claim {i} says 60 targets were hit on Friday." for i in range(len(urls)))
    article = Article("T", "B", published, None, text, (), text.encode())
    path = tmp_path / "cites.wbproj"
    project = Project.create(path, article, find_claims(text))
    for claim, url in zip(project.claims(), urls, strict=True):
        project.attach_source(claim.id, url)
    project.close()
    return path


def source_by_url(window: Any, url: str) -> Any:
    return next(s for s in window.project.sources() if s.url == url)


# ---------------------------------------------------------------------------- the review tab


def test_sources_tab_sits_beside_the_article_and_follows_the_claim_lazily(
    qtbot: Any, win: Any, tmp_path: Path
) -> None:
    feature = feature_of(win)
    assert win.centralWidget() is feature.tabs
    assert [feature.tabs.tabText(i) for i in range(2)] == ["Article", "Sources"]
    assert feature.tabs.widget(0).isAncestorOf(win.article_view)  # the article kept, not rebuilt
    assert win.panel_dock.isVisible()
    assert "Sources" in [a.text().replace("&", "") for a in win.menuBar().actions()]

    project = Project.create(
        tmp_path / "p.wbproj",
        Article("T", "B", None, None, "One says 5. Two says 6. Three says 7.", (), b""),
        find_claims("One says 5. Two says 6. Three says 7."),
    )
    project.close()
    open_project(qtbot, win, tmp_path / "p.wbproj")
    first, second = [c.id for c in win.project.claims()][:2]
    win.select_claim(first)
    assert feature.review.claim_id is None  # hidden: not updated

    qtbot.keyClick(win, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert feature.tabs.currentIndex() == SOURCES_TAB
    assert feature.review.claim_id == first  # caught up on showing
    win.select_claim(second)
    assert feature.review.claim_id == second  # visible: follows at once
    qtbot.keyClick(win, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    win.select_claim(first)
    assert feature.review.claim_id == second
    qtbot.keyClick(win, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert feature.review_visible() and feature.review.claim_id == first


def test_offline_sample_fetch_shows_the_misquote_in_the_review_pane(
    qtbot: Any, win: Any, tmp_path: Path, fake: FakeArchive
) -> None:
    folder = tmp_path / "story"
    folder.mkdir()
    article = folder / SAMPLE_HTML.name
    shutil.copy(SAMPLE_HTML, article)
    shutil.copy(SAMPLE_WARC, folder / SAMPLE_WARC.name)
    open_project(qtbot, win, article)
    feature = feature_of(win)

    assert feature.legend is not None and not feature.legend.isVisible()  # article tab
    feature.act_fetch_all.trigger()
    wait_idle(qtbot, win)
    summary = feature.last_result
    assert len(summary.from_warc) == 6 and not summary.failed
    assert fake.requests() == []  # all six came from the archive file beside the article
    assert "6 copies stored" in win.statusBar().currentMessage()
    assert feature.ask.failures == []  # nothing modal when everything worked

    feature.act_review.trigger()
    win.select_claim(MISQUOTE_CLAIM)
    review = feature.review
    assert review.claim_id == MISQUOTE_CLAIM and review.current_source_id
    qtbot.waitUntil(lambda: bool(review.passages), timeout=5_000)
    assert feature.legend is not None and feature.legend.isVisible()  # colour key shown
    (check,) = review.quote_checks
    assert check is not None and check.status == "differs"
    assert "could damage" in review.text_view.toPlainText()
    # Showing a source never squeezes the claim panel (it once shrank to 150 px), on either tab.
    assert feature.tabs.minimumSizeHint().width() < 700
    assert win.panel_dock.width() >= 350
    feature.show_article()
    assert win.panel_dock.width() >= 350 and not feature.legend.isVisible()


# ---------------------------------------------------------------------------- the fake archive


def test_fetch_stores_the_capture_and_lists_the_failure_with_its_reason(
    qtbot: Any, win: Any, tmp_path: Path, fake: FakeArchive
) -> None:
    good = "https://example.org/ministry"
    gone = fake.live_url("gone")  # never archived, and the live page 404s
    fake.add_capture(good, "20151009120000", body=PAGE)
    open_project(qtbot, win, project_citing(tmp_path, [good, gone]))
    feature = feature_of(win)

    progress: list[str] = []
    assert feature.fetch_all()
    win.job.signals.progress.connect(lambda step, _f: progress.append(step))
    wait_idle(qtbot, win)

    snap = win.project.latest_snapshot(source_by_url(win, good).id)
    assert snap is not None and snap.archive == "wayback"
    assert win.project.snapshot_body(snap.id) == PAGE
    failed = source_by_url(win, gone)
    assert failed.fetch_error and win.project.latest_snapshot(failed.id) is None
    ((title, message, failures),) = feature.ask.failures
    assert failures == [Failure(gone, failed.fetch_error)]
    assert "1 of 2 sources" in message and "could not be fetched" in title
    assert "1 copy stored, 1 source could not be fetched" in win.statusBar().currentMessage()
    assert "2 of 2" in progress

    # Retry touches only the failed source; once the archive has it, the error is cleared.
    fake.add_capture(gone, "20151001000000", body=PAGE)
    before = len(fake.requests("cdx"))
    feature.act_retry.trigger()
    wait_idle(qtbot, win)
    assert len(fake.requests("cdx")) == before + 1
    assert win.project.source(failed.id).fetch_error is None
    assert win.project.latest_snapshot(failed.id) is not None
    assert len(feature.ask.failures) == 1  # no new dialog


def test_fetch_requested_from_the_review_pane_fetches_that_claims_sources(
    qtbot: Any, win: Any, tmp_path: Path, fake: FakeArchive
) -> None:
    first, second = "https://example.org/a", "https://example.org/b"
    for url in (first, second):
        fake.add_capture(url, "20151009120000", body=PAGE)
    open_project(qtbot, win, project_citing(tmp_path, [first, second]))
    feature = feature_of(win)
    claim = win.project.claims()[0].id
    feature.show_review()
    win.select_claim(claim)
    assert feature.review.fetch_button.isVisibleTo(feature.review)
    qtbot.mouseClick(feature.review.fetch_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, win)
    assert win.project.latest_snapshot(source_by_url(win, first).id) is not None
    assert win.project.latest_snapshot(source_by_url(win, second).id) is None  # other claim
    assert feature.review.passages or feature.review.text_view.toPlainText()  # pane refreshed
    assert not feature.review.fetch_button.isVisibleTo(feature.review)


def test_unreachable_archive_is_listed_not_fatal(
    qtbot: Any, win: Any, tmp_path: Path, fake: FakeArchive
) -> None:
    url = "https://example.org/ministry"
    open_project(qtbot, win, project_citing(tmp_path, [url]))
    feature = feature_of(win)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    dead = f"http://127.0.0.1:{port}"
    feature.settings_factory = lambda: fast_settings(
        fake, wayback_url=dead, availability_url=dead, memento_url=dead
    )
    feature.fetch_all()
    wait_idle(qtbot, win)
    ((_title, _message, (failure,)),) = feature.ask.failures
    assert failure.url == url and failure.reason
    assert source_by_url(win, url).fetch_error == failure.reason
    assert win.has_project() and win.ask.errors == []


def test_cancel_a_slow_fetch_keeps_what_was_stored(
    qtbot: Any, win: Any, tmp_path: Path, fake: FakeArchive
) -> None:
    urls = [f"https://example.org/page{i}" for i in range(3)]
    for url in urls:
        fake.add_capture(url, "20151009120000", body=PAGE)
    path = project_citing(tmp_path, urls)
    with Project.open(path) as project:
        kept = project.sources()[0]
        body = b"<html><body><p>Stored before the slow fetch.</p></body></html>"
        project.add_snapshot(
            kept.id, Snapshot(kept.url, "warc", None, None, 200, "text/html", body)
        )
    open_project(qtbot, win, path)
    feature = feature_of(win)
    fake.latency_s = 1.0
    feature.settings_factory = lambda: fast_settings(fake, read_timeout_s=10.0, deadline_s=10.0)

    assert feature.fetch_all()
    qtbot.waitUntil(lambda: bool(fake.requests()), timeout=5_000)
    started = time.monotonic()
    win.job_cancel.click()
    wait_idle(qtbot, win)
    assert time.monotonic() - started < 3.0

    assert feature.last_result.cancelled
    assert "cancelled" in win.statusBar().currentMessage().lower()
    assert feature.ask.failures == []  # a cancel is not a list of broken sources
    project = win.project
    assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    (snap,) = project.snapshots()
    assert snap.source_id == kept.id and project.snapshot_body(snap.id) == body


def test_importing_a_file_that_is_not_a_web_archive_says_so(
    qtbot: Any, win: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "story"
    folder.mkdir()
    article = folder / SAMPLE_HTML.name
    shutil.copy(SAMPLE_HTML, article)
    open_project(qtbot, win, article)
    feature = feature_of(win)
    feature.import_archive(SAMPLE_WARC)
    wait_idle(qtbot, win)
    assert len(win.project.snapshots()) == 6

    bogus = tmp_path / "notes.warc"
    bogus.write_text("These are my notes, not a web archive.\n")
    feature.ask.archive_answer = str(bogus)
    feature.act_import.trigger()
    wait_idle(qtbot, win)
    (error,) = win.ask.errors
    assert "WARC" in error or "web archive" in error
    assert len(win.project.snapshots()) == 6  # stored copies untouched
    win.select_claim(MISQUOTE_CLAIM)  # still working
    assert win.current_claim_id() == MISQUOTE_CLAIM


# ---------------------------------------------------------------------------- Save Page Now


def test_save_page_now_captures_then_fetches_the_source(
    qtbot: Any, win: Any, tmp_path: Path, fake: FakeArchive
) -> None:
    url = "https://example.org/fresh"
    open_project(qtbot, win, project_citing(tmp_path, [url], published=None))
    feature = feature_of(win)
    feature.fetch_all()
    wait_idle(qtbot, win)
    assert source_by_url(win, url).fetch_error  # nothing archived yet

    win.select_claim(win.project.claims()[0].id)
    feature.ask.confirm_answer = False
    assert not feature.request_capture()
    assert fake.requests("save") == []  # declined: nothing asked of the archive
    feature.ask.confirm_answer = True
    fake.save_statuses.append({"status": "pending"})
    feature.act_capture.trigger()
    wait_idle(qtbot, win)

    assert feature.ask.confirmed == [url, url]
    assert len(fake.requests("save")) == 1 and len(fake.requests("save_status")) == 2
    source = source_by_url(win, url)
    snap = win.project.latest_snapshot(source.id)
    assert snap is not None and snap.archive == "wayback" and source.fetch_error is None
    assert "captured" in win.statusBar().currentMessage()
    assert feature.review.current_source_id == source.id and feature.review_visible()


def test_save_page_now_refused_by_the_archive_is_explained(
    qtbot: Any, win: Any, tmp_path: Path, fake: FakeArchive
) -> None:
    url = "https://example.org/busy"
    open_project(qtbot, win, project_citing(tmp_path, [url]))
    feature = feature_of(win)
    win.select_claim(win.project.claims()[0].id)
    fake.save_statuses.append(
        {
            "status": "error",
            "status_ext": "error:too-many-daily-captures",
            "message": "This URL has been already captured 10 times today.",
        }
    )
    feature.request_capture()
    wait_idle(qtbot, win)
    (error,) = win.ask.errors
    assert url in error and "captured 10 times today" in error
    assert win.project.snapshots() == []


def test_fetch_line_wording() -> None:
    from workbench.core.sources.fetch import FetchSummary

    assert fetch_line(FetchSummary()) == (
        "There were no sources to fetch: attach sources to claims first."
    )
    assert fetch_line(FetchSummary(skipped=[1, 2])) == (
        "Every source already has a copy; nothing was fetched."
    )
    cancelled = FetchSummary(fetched=[1], cancelled=True)
    assert fetch_line(cancelled) == "Fetch cancelled: 1 copy stored; stored copies were kept."


def test_a_fetch_ending_after_another_project_opened_lists_nothing_there(
    qtbot: Any, win: Any, tmp_path: Path, fake: FakeArchive
) -> None:
    gone = fake.live_url("gone")
    first = project_citing(tmp_path, [gone])
    other = tmp_path / "other" / "cites.wbproj"
    other.parent.mkdir()
    shutil.copy(first, other)
    open_project(qtbot, win, first)
    feature = feature_of(win)
    fake.latency_s = 0.3
    assert feature.fetch_all()
    assert win.open_project(other)  # small projects open at once, during the fetch
    wait_idle(qtbot, win)
    assert feature.ask.failures == []  # its source ids belong to the other file
    assert win.statusBar().currentMessage().startswith("cites.wbproj: ")
    with Project.open(first) as written:
        assert written.sources()[0].fetch_error  # recorded where it was fetched
    assert win.project.sources()[0].fetch_error is None


def test_the_real_failures_dialog_lists_each_source_and_reason(win: Any) -> None:
    from workbench.gui.sources.fetch_report import FailuresDialog, SourcesAsker

    rows = [Failure("https://example.org/a", "No archived copy."), Failure("x", "Timed out.")]
    dialog = FailuresDialog(win, "Some sources could not be fetched", "2 of 3", rows)
    assert dialog.tree.topLevelItemCount() == 2
    assert dialog.tree.topLevelItem(1).text(1) == "Timed out."
    asker = SourcesAsker(win)
    asker.fetch_failures("t", "m", rows)  # returns at once: not modal
    shown = [d for d in win.findChildren(FailuresDialog) if d.isVisible()]
    assert len(shown) == 1 and not shown[0].isModal()
    shown[0].close()
