"""The History tab and Article ▸ Check for revisions (issue 14), against the fake archive."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "archive"))

from fake_archive import FakeArchive, fast_settings
from port_report import page, port_project

from workbench.core.article.model import Article
from workbench.core.claims.finder import find_claims
from workbench.core.project.store import Project

URL = "https://port.example.org/reports/annual"


@pytest.fixture()
def fake() -> Iterator[FakeArchive]:
    with FakeArchive() as archive:
        archive.add_capture(URL, "20150301100000", body=page("12", True))
        archive.add_capture(URL, "20160901100000", body=page("14", True))
        archive.add_capture(URL, "20190502100000", body=page("14", False))
        archive.add_other_memento(URL, "20180101000000", body=page("14", True))
        yield archive


def _project(tmp_path: Path) -> Path:
    return port_project(tmp_path / "h.wbproj", URL)


def _wait(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window.job is None, timeout=15_000)


def test_timeline_fetch_compare_and_copy_citation(
    qtbot: Any, window: Any, fake: FakeArchive, tmp_path: Path
) -> None:
    window.open_path(str(_project(tmp_path)))
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=15_000)
    history = window.features["history"]
    history.settings_factory = lambda: fast_settings(fake)
    claim = window.project.claims()[1]
    window.select_claim(claim.id)
    history.show()
    assert window.current_view() == "history"
    view = history.view
    assert view.timeline is not None and view.timeline.entries == ()
    assert view.strip.empty_text == "No captures listed for this source yet."
    view.show_timeline(None, [])  # no source chosen: the heading says so, the strip is blank
    assert view.heading.text() == "Choose a claim with a source to see its captures."
    assert view.strip.empty_text == ""
    window.select_claim(claim.id)
    history.show()

    assert history.list_captures()
    _wait(qtbot, window)
    stamps = [e.timestamp for e in view.timeline.entries]
    assert stamps == ["20150301100000", "20160901100000", "20180101000000", "20190502100000"]
    assert view.model.rowCount() == 4
    assert view.model.item(0, 4).text() == "captured 11 months before the article"

    for row in (0, 3):
        view.select_rows([row])
        assert view.fetch_button.isEnabled()
        view.fetch_button.click()
        _wait(qtbot, window)
        qtbot.waitUntil(lambda row=row: bool(view.timeline.entries[row].snapshot_id), timeout=5_000)
    stored = [e.snapshot_id for e in view.timeline.entries]
    assert stored[0] and stored[3] and not stored[1]
    # In words, as the capture list says it (it read "2019-05-02T10:00:00Z (wayback) stored
    # as snapshot 2"): the time as listed, the archive's name, what happened.
    assert window.statusBar().currentMessage() == (
        "Fetched the capture of 2019-05-02 10:00:00 UTC from the Wayback Machine (3 years after "
        f"the article) and stored it as snapshot {stored[3]}."
    )
    assert view.model.item(3, 0).text() + " UTC" in window.statusBar().currentMessage()
    assert "found in the 2015-03-01 copy, absent in the 2019-05-02 copy" in view.quotes.text()

    view.select_rows([])
    assert view.compare_button.isEnabled()
    view.compare_button.click()  # the diff is shown in the Sources review pane
    assert window.current_view() == "sources"
    review = window.features["sources"].review
    assert review.showing_changes() and review.changes_button.isChecked()
    diff = review.compare_pane.diff
    assert diff.summary.text() == (
        f"14 words changed in 2 passages; the quotation in claim {claim.id} is in the older "
        "copy only"
    )
    assert "line-through" in diff.left.toHtml() and "12" in diff.left.toPlainText()
    assert "14 per cent" in diff.right.toPlainText()
    assert review.compare_pane.pair() == (stored[0], stored[3])
    window.show_view("history")

    view.style_box.setCurrentText("mla")
    view.select_rows([])
    view.cite_button.click()  # the copy the report cites: the one before the article
    copied = QGuiApplication.clipboard().text()
    assert URL in copied and "/web/20150301100000/" in copied and "captured 1 March 2015" in copied
    assert (
        window.statusBar().currentMessage() == "Citation copied (mla, the copy the report cites)."
    )
    view.select_rows([3])  # a capture chosen in the list: that one
    view.cite_button.click()
    copied = QGuiApplication.clipboard().text()
    assert URL in copied and "/web/20190502100000/" in copied and "captured 2 May 2019" in copied


def test_check_for_revisions_re_anchors_the_claims(qtbot: Any, window: Any, tmp_path: Path) -> None:
    article = tmp_path / "budget.txt"
    article.write_text(
        "Budget\n\nThe council approved the budget on Tuesday. Roads get 12 per cent more. "
        "The mayor promised a bridge by 2028.\n",
        encoding="utf-8",
    )
    window.open_path(str(article))
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=15_000)
    before = {c.text: c.id for c in window.project.claims()}
    article.write_text(
        "Budget\n\nThe council approved the budget on Tuesday. Roads get 14 per cent more. "
        "Buses will run every ten minutes from June.\n",
        encoding="utf-8",
    )
    history = window.features["history"]
    assert history.check_revisions()
    _wait(qtbot, window)
    assert history.last_result.version == 2
    states = {c.id: c.anchor_state for c in window.project.claims()}
    assert states[before["Roads get 12 per cent more."]] == "changed"
    assert states[before["The mayor promised a bridge by 2028."]] == "gone"
    assert "new" in states.values()
    assert "Version 2 kept" in window.statusBar().currentMessage()
    gone = before["The mayor promised a bridge by 2028."]
    window.select_claim(gone)  # an empty span is shown without trouble
    assert window.current_claim_id() == gone
    assert window.project.article().text.count("14 per cent") == 1
    assert find_claims  # the finder made the new sentence a claim


def test_check_for_revisions_in_the_wayback_machine(
    qtbot: Any, window: Any, fake: FakeArchive, tmp_path: Path
) -> None:
    """Article ▸ Check for revisions in the Wayback Machine: asks for a time (empty: the newest
    capture after the text held), loads that capture in the background, re-anchors the claims."""
    story = "https://news.example.org/budget"
    first = "The council approved the budget on Tuesday. Roads get 12 per cent more."
    later = "The council approved the budget on Tuesday. Roads get 14 per cent more."
    text = f"Budget\n\n{first}\n"
    article = Article("Budget", "", "2026-03-12", story, text, (), text.encode())
    path = tmp_path / "budget.wbproj"
    with Project.create(path, article, find_claims(text)):
        pass
    fake.add_capture(story, "20260315090000", body=f"<html><body><h1>Budget</h1><p>{later}</p>"
                     "<p>Buses will run every ten minutes from June.</p></body></html>".encode())  # fmt: skip
    window.open_path(str(path))
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=15_000)
    history = window.features["history"]
    history.settings_factory = lambda: fast_settings(fake)
    asked: list[str | None] = [None, "20260315"]
    history.ask_time = lambda _parent: asked.pop(0)
    assert not history.check_archived_revision()  # cancelled: nothing asked of the archive
    assert fake.requests("cdx") == []

    assert history.check_archived_revision()
    _wait(qtbot, window)
    assert history.last_result.version == 2
    assert "Version 2 kept" in window.statusBar().currentMessage()
    version = window.project.article_versions()[-1]
    assert version.origin == "archive" and version.captured_at == "2026-03-15T09:00:00Z"
    assert "14 per cent" in window.project.article().text
    states = {c.text: c.anchor_state for c in window.project.claims()}
    assert states["Roads get 12 per cent more."] == "changed"
    assert "new" in states.values()


def test_the_capture_time_is_picked_not_typed(qtbot: Any) -> None:
    """Article ▸ Check for revisions in the Wayback Machine asks with a dialog: the newest
    capture after the held text is the default; editing the time picks "closest to", in UTC."""
    from datetime import UTC, datetime

    from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone

    from workbench.gui.sources.capture_time import CaptureTimeDialog

    held = datetime(2026, 3, 12, 8, 30, tzinfo=UTC)
    dialog = CaptureTimeDialog(None, held, "the capture the project holds", held)
    qtbot.addWidget(dialog)
    assert dialog.since.text() == "after 2026-03-12 08:30 UTC, the capture the project holds"
    assert dialog.answer() == "" and not dialog.when.isEnabled()

    picked = QDateTime(QDate(2026, 3, 15), QTime(9, 0), QTimeZone.utc())
    dialog.when.setDateTime(picked)
    assert dialog.closest.isChecked() and dialog.when.isEnabled()
    assert dialog.answer() == "20260315090000"
    dialog.newest.setChecked(True)
    assert dialog.answer() == ""
    # Nothing before the archive's first captures, nothing in the future.
    dialog.when.setDateTime(QDateTime(QDate(1980, 1, 1), QTime(0, 0), QTimeZone.utc()))
    assert dialog.answer() == "19960101000000"


def test_an_article_from_a_file_is_not_sent_to_the_archive(
    qtbot: Any, window: Any, fake: FakeArchive, tmp_path: Path
) -> None:
    text = "Budget\n\nThe council approved the budget on Tuesday. Roads get 12 per cent more.\n"
    article = Article("Budget", "", "2026-03-12", "", text, (), text.encode())
    path = tmp_path / "file.wbproj"
    with Project.create(path, article, find_claims(text)):
        pass
    window.open_path(str(path))
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=15_000)
    history = window.features["history"]
    history.settings_factory = lambda: fast_settings(fake)
    asked: list[QWidget] = []
    history.ask_time = lambda parent: asked.append(parent)
    assert not history.check_archived_revision()
    assert asked == [] and fake.requests("cdx") == []  # said at once, nothing asked
    assert "has no URL" in window.ask.errors[-1]


def test_the_capture_list_shows_each_capture_whole(
    qtbot: Any, window: Any, fake: FakeArchive, tmp_path: Path
) -> None:
    """The capture time, archive and copy columns fit their text: they were as wide as their
    headers ("2026-03-01 …", "Waybac…", "snap…") while the last column took the rest. And one
    capture is "1 capture"."""
    window.open_path(str(_project(tmp_path)))
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=15_000)
    history = window.features["history"]
    history.settings_factory = lambda: fast_settings(fake)
    window.select_claim(window.project.claims()[1].id)
    assert history.list_captures()
    _wait(qtbot, window)
    history.show()
    view = history.view
    qtbot.waitUntil(lambda: view.table.isVisible())
    table = view.table
    for column in range(view.model.columnCount() - 1):
        assert table.columnWidth(column) >= table.sizeHintForColumn(column), column
    assert "4 captures;" in view.heading.text()
    assert window.statusBar().currentMessage().startswith("4 captures of the source")
    view.show_timeline(dataclasses.replace(view.timeline, entries=view.timeline.entries[:1]), [])
    assert "1 capture;" in view.heading.text()


def test_the_articles_date_on_the_strip_stays_inside_it(
    qtbot: Any, window: Any, fake: FakeArchive, tmp_path: Path
) -> None:
    """An article newer than every capture has its line near the strip's right edge: its label
    goes left of the line there ("article 12 Mar 2" was cut off), right of it elsewhere."""
    window.open_path(str(_project(tmp_path)))
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=15_000)
    history = window.features["history"]
    window.select_claim(window.project.claims()[1].id)
    history.show()
    strip = history.view.strip
    qtbot.waitUntil(strip.isVisible)
    assert strip.published is not None
    metrics = strip.fontMetrics()
    width = metrics.horizontalAdvance(f"article {strip.published:%d %b %Y}")
    near_edge = strip.article_label_at(strip.width() - 10, metrics)
    assert near_edge.x() + width <= strip.width()
    middle = strip.article_label_at(strip.width() / 2, metrics)
    assert middle.x() > strip.width() / 2


def test_the_history_tab_works_on_a_team_project(
    qtbot: Any, window: Any, fake: FakeArchive, team_url: Any
) -> None:
    """Listing and fetching captures in a team project's window (the jobs opened the project's
    name as a file: "There is no project file at …")."""
    url = team_url("history")
    port_project(url, URL)  # type: ignore[arg-type]
    window.open_path(url)
    qtbot.waitUntil(lambda: window.job is None and window.has_project(), timeout=15_000)
    assert window.project.is_team
    history = window.features["history"]
    history.settings_factory = lambda: fast_settings(fake)
    window.select_claim(window.project.claims()[1].id)
    history.show()
    assert history.list_captures()
    _wait(qtbot, window)
    assert window.ask.errors == []
    view = history.view
    assert len(view.timeline.entries) == 4
    view.select_rows([0])
    view.fetch_button.click()
    _wait(qtbot, window)
    assert window.ask.errors == []
    qtbot.waitUntil(lambda: bool(view.timeline.entries[0].snapshot_id), timeout=5_000)


def test_check_for_revisions_from_a_file(qtbot: Any, window: Any, tmp_path: Path) -> None:
    """Article ▸ Check for revisions from a file…: a later version saved from the browser
    (offline, or the site changed) is read like the URL's, both texts kept, claims
    re-anchored. Before, only the command line could (`workbench refresh --from FILE`)."""
    samples = Path(__file__).resolve().parents[2] / "sample_data"
    for name in ("sample-article.html", "sample-article-revised.html"):
        (tmp_path / name).write_bytes((samples / name).read_bytes())
    window.open_path(str(tmp_path / "sample-article.html"))
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=15_000)
    url = window.project.article().url
    history = window.features["history"]
    offered: list[str] = []
    history.ask_file = lambda _parent, folder: (
        offered.append(folder) or str(tmp_path / "sample-article-revised.html")
    )
    window.actions_registry.action("article.revision_file").trigger()
    _wait(qtbot, window)
    assert offered == [str(tmp_path)]
    assert window.ask.errors == []
    assert history.last_result.version == 2
    assert "Version 2 kept" in window.statusBar().currentMessage()
    assert window.project.article().url == url  # still the article of that address
    assert any(c.anchor_state not in (None, "unchanged") for c in window.project.claims())
