"""The Sources review pane's Changes page (issue 14): two copies of the source picked in the pane
and their word diff side by side with its one-line summary, and a copy against the live page."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "archive"))

from fake_archive import FakeArchive, Reply, fast_settings
from port_report import QUOTE, page, port_project

from workbench.gui.sources.compare_pane import LIVE

COPIES = (  # (capture time, page): the figure edited, then the quotation removed
    ("2015-03-01T10:00:00Z", page("12", True)),
    ("2016-09-01T10:00:00Z", page("14", True)),
    ("2019-05-02T10:00:00Z", page("14", False)),
)


@pytest.fixture()
def fake() -> Iterator[FakeArchive]:
    with FakeArchive() as archive:
        yield archive


def _project(tmp_path: Path, url: str, copies: tuple[tuple[str, bytes], ...]) -> Path:
    return port_project(tmp_path / "c.wbproj", url, copies)


def _open(qtbot: Any, window: Any, path: Path) -> Any:
    window.open_path(str(path))
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=15_000)
    window.select_claim(window.project.claims()[1].id)
    sources = window.features["sources"]
    sources.show_review()
    return sources.review


def test_two_captures_compared_in_the_review_pane(qtbot: Any, window: Any, tmp_path: Path) -> None:
    review = _open(qtbot, window, _project(tmp_path, "https://port.example.org/r", COPIES))
    claim = window.project.claims()[1].id
    ids = [s.id for s in sorted(window.project.snapshots(), key=lambda s: s.captured_at)]
    assert review.changes_button.isVisible() and not review.showing_changes()
    before = review.splitter.sizes()

    review.changes_button.click()
    pane = review.compare_pane
    assert review.showing_changes()
    assert pane.pair() == (ids[1], ids[2])  # the copy shown (the newest) and the one before
    assert pane.diff.summary.text() == (
        f"13 words changed in 1 passage; the quotation in claim {claim} is in the older copy only"
    )
    assert QUOTE in pane.diff.left.toPlainText() and QUOTE not in pane.diff.right.toPlainText()
    assert "line-through" in pane.diff.left.toHtml()
    assert review.splitter.sizes()[1] > before[1]  # the source side widened for two columns
    assert not review.prev_button.isEnabled()  # passages belong to the readable text
    assert not window.features["sources"].legend.isVisible()
    assert not review.capture_row.isVisible()  # it describes the copy read, not the two compared

    # Pick the oldest copy from the pane: the figure and the quotation both show.
    pane.older.setCurrentIndex(pane.older.findData(ids[0]))
    pane.older.activated.emit(pane.older.currentIndex())
    assert pane.pair() == (ids[0], ids[2])
    summary = pane.diff.summary.text()
    assert summary.startswith("14 words changed in 2 passages;")
    assert "12" in pane.diff.left.toPlainText() and "14 per cent" in pane.diff.right.toPlainText()
    pane.swap_button.click()
    assert pane.pair() == (ids[2], ids[0])
    assert pane.diff.summary.text() == summary  # the same copies: still "the older copy"
    assert QUOTE in pane.diff.right.toPlainText() and QUOTE not in pane.diff.left.toPlainText()

    # Another claim citing the same source keeps the Changes page and its pair.
    window.select_claim(window.project.claims()[0].id)
    assert review.showing_changes() and pane.pair() == (ids[2], ids[0])

    review.readable_button.click()
    assert not review.showing_changes() and review.splitter.sizes() == before
    assert review.capture_row.isVisible()
    window.select_claim(claim)
    assert not review.showing_changes()  # left by the person: not opened again


def test_one_copy_beside_the_live_page(
    qtbot: Any, window: Any, tmp_path: Path, fake: FakeArchive
) -> None:
    url = fake.live_url("report")
    fake.live["report"] = Reply(body=page("14", False, "<p>Figures for 2026 follow in May.</p>"))
    review = _open(qtbot, window, _project(tmp_path, url, COPIES[:1]))
    window.features["sources"].settings_factory = lambda: fast_settings(fake)
    (stored,) = window.project.snapshots()
    assert review.changes_button.isVisible()  # one copy, but a web page to fetch
    assert not review.show_changes()  # no pair yet: the pane says how to get one
    pane = review.compare_pane
    assert "one stored copy" in pane.diff.summary.text()
    assert pane.newer.currentData() == LIVE

    pane.newer.activated.emit(pane.newer.currentIndex())
    qtbot.waitUntil(lambda: window.job is None, timeout=15_000)
    live = window.project.latest_snapshot(stored.source_id)
    assert live is not None and live.archive == "live"
    assert review.showing_changes() and pane.pair() == (stored.id, live.id)
    claim = window.project.claims()[1].id
    assert pane.diff.summary.text() == (
        f"20 words changed in 3 passages; the quotation in claim {claim} is in the older copy only"
    )
    assert "Figures for 2026" in pane.diff.right.toPlainText()
    assert "live page" in pane.newer.currentText()
    assert pane.diff.right_title.text().startswith("Live web (not archived), ")


def test_no_changes_page_without_a_stored_copy(qtbot: Any, window: Any, tmp_path: Path) -> None:
    review = _open(qtbot, window, _project(tmp_path, "https://port.example.org/r", ()))
    assert not review.changes_button.isVisibleTo(review)
    assert not review.show_changes() and not review.showing_changes()


def test_a_live_page_that_cannot_be_fetched_leaves_the_pair_as_it_was(
    qtbot: Any, window: Any, tmp_path: Path, fake: FakeArchive
) -> None:
    url = fake.live_url("gone")  # the live site answers 404
    review = _open(qtbot, window, _project(tmp_path, url, COPIES[:2]))
    window.features["sources"].settings_factory = lambda: fast_settings(fake)
    assert review.show_changes()
    pane = review.compare_pane
    pair, summary = pane.pair(), pane.diff.summary.text()
    pane.newer.setCurrentIndex(pane.newer.findData(LIVE))
    pane.newer.activated.emit(pane.newer.currentIndex())
    assert pane.diff.summary.text() == "Fetching the live page…"
    qtbot.waitUntil(lambda: window.job is None, timeout=15_000)
    assert window.ask.errors  # the window said why
    assert pane.pair() == pair and pane.diff.summary.text() == summary
    assert len(window.project.snapshots()) == 2


FILLER = "".join(f"<p>Table {n}: the authority's figures for berth {n}, audited.</p>"
                 for n in range(900)).encode()  # fmt: skip
LONG_COPIES = tuple((when, body.replace(b"</article>", FILLER + b"</article>"))
                    for when, body in COPIES)  # fmt: skip


def test_long_pages_are_compared_in_a_worker(qtbot: Any, window: Any, tmp_path: Path) -> None:
    """Two long copies: the pane says it is comparing and stays responsive; the answer for a
    pair that is no longer chosen is dropped."""
    review = _open(qtbot, window, _project(tmp_path, "https://port.example.org/r", LONG_COPIES))
    ids = [s.id for s in sorted(window.project.snapshots(), key=lambda s: s.captured_at)]
    pane = review.compare_pane
    assert review.show_changes()
    assert pane.diff.summary.text() == "Comparing the two copies…" and pane.busy()
    pane.older.setCurrentIndex(pane.older.findData(ids[0]))  # changed before the answer came
    pane.older.activated.emit(pane.older.currentIndex())
    qtbot.waitUntil(lambda: not pane.busy(), timeout=30_000)
    assert pane.diff.summary.text().startswith("14 words changed in 2 passages;")
    assert pane.diff.left_title.text().endswith(f"(snapshot {ids[0]})")


def test_history_checks_the_quotations_of_long_copies_in_a_worker(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    _open(qtbot, window, _project(tmp_path, "https://port.example.org/r", LONG_COPIES))
    history = window.features["history"]
    history.show()
    assert history.view.quotes.text() == "Checking the quotations in 3 stored copies…"
    assert len(history.view.timeline.entries) == 3  # the timeline does not wait
    qtbot.waitUntil(lambda: "Checking" not in history.view.quotes.text(), timeout=30_000)
    claim = window.project.claims()[1].id
    assert history.view.quotes.text() == (
        f"Claim {claim}, “{QUOTE}”: found in the 2015-03-01 copy, found in the 2016-09-01 copy, "
        "absent in the 2019-05-02 copy"
    )


def _rows(numbers: range, wording: str = "audited") -> str:
    return "".join(f"<p>Row {n}: the authority's figures for berth {n}, {wording}.</p>"
                   for n in numbers)  # fmt: skip


def _top_line(browser: Any) -> str:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QTextCursor

    cursor = browser.cursorForPosition(QPoint(4, 4))
    cursor.movePosition(QTextCursor.MoveOperation.StartOfLine)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfLine, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def test_the_two_sides_move_together(qtbot: Any, window: Any, tmp_path: Path) -> None:
    """A side-by-side diff is read across: both sides start at the first change, Next and
    Previous step both to each change, and scrolling one brings the other to the same words,
    even past a long insertion (where scrolling by proportion would drift)."""
    old = _rows(range(0, 10)) + "<p>Traffic rose by 12 per cent.</p>" + _rows(range(10, 300))
    new = (
        _rows(range(0, 10)) + "<p>Traffic rose by 14 per cent.</p>" + _rows(range(10, 60))
        + "".join(f"<p>New note {n} on the berths' dredging.</p>" for n in range(120))
        + _rows(range(60, 250)) + _rows(range(250, 300), "not yet audited")
    )  # fmt: skip
    copies = tuple(
        (when, page("12", True, extra).replace(b"<p>Traffic through", b"<p>Port traffic"))
        for when, extra in (("2015-03-01T10:00:00Z", old), ("2019-05-02T10:00:00Z", new))
    )
    review = _open(qtbot, window, _project(tmp_path, "https://port.example.org/r", copies))
    pane = review.compare_pane
    window.resize(1400, 900)
    assert review.show_changes()
    qtbot.waitUntil(lambda: not pane.busy(), timeout=30_000)
    diff = pane.diff
    count = len(diff.passages)
    assert count >= 3 and diff.where.text() == f"Change 1 of {count}"
    assert not diff.previous.isEnabled() and diff.next.isEnabled()
    assert "12" in _top_line(diff.left) and "14" in _top_line(diff.right)

    diff.next.click()
    assert diff.where.text() == f"Change 2 of {count}" and diff.previous.isEnabled()
    assert _top_line(diff.left).startswith("Row 60:")  # where the new notes begin
    assert _top_line(diff.right).startswith("New note 0")

    # Scroll the older side down to row 200: the newer side follows to its row 200, which
    # sits 120 paragraphs further down in its own text.
    text = diff.left.toPlainText()
    cursor = diff.left.textCursor()
    cursor.setPosition(text.index("Row 200:"))
    bar = diff.left.verticalScrollBar()
    bar.setValue(bar.value() + diff.left.cursorRect(cursor).top())
    assert _top_line(diff.left).startswith("Row 200:")
    assert _top_line(diff.right).startswith("Row 200:")
    # And the other way round.
    text = diff.right.toPlainText()
    cursor = diff.right.textCursor()
    cursor.setPosition(text.index("Row 30:"))
    bar = diff.right.verticalScrollBar()
    bar.setValue(bar.value() + diff.right.cursorRect(cursor).top())
    assert _top_line(diff.left).startswith("Row 30:")

    diff.previous.click()
    assert diff.where.text() == f"Change 1 of {count}"
    for _ in range(count):
        diff.next.click()
    assert diff.where.text() == f"Change {count} of {count}" and not diff.next.isEnabled()
    assert "not yet audited" in _top_line(diff.right)
