"""The review pane on the sample project: claim context, quotation checks, passages, warnings."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QTextCursor

from workbench.core.project.records import SnapshotRecord
from workbench.core.project.store import Project
from workbench.core.sources.snapshot import Snapshot
from workbench.gui.sources import review_model as rm
from workbench.gui.sources import review_view as rv

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "sample_data" / "sample-article.html"
WARC = ROOT / "sample_data" / "cited-pages.warc.gz"
MISQUOTE_CLAIM = 12  # "would destroy" in the article, "could damage" in the statement
VERBATIM_CLAIM = 7  # the mayor's "missing link", quoted exactly
LATE_CLAIM = 14  # its source was captured after the article's date
FIVE_PASSAGES_CLAIM = 2  # the council minutes: five passages share words with the claim


@pytest.fixture(scope="module")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.core.project.create import new_project
    from workbench.core.sources.fetch import import_warc_into

    path = tmp_path_factory.mktemp("sample") / "sample.wbproj"
    project = new_project(path, ARTICLE)
    import_warc_into(project, WARC)
    project.close()
    return path


@pytest.fixture()
def project(built_sample: Path, tmp_path: Path) -> Iterator[Project]:
    path = tmp_path / "sample.wbproj"
    shutil.copy(built_sample, path)
    opened = Project.open(path)
    yield opened
    opened.close()


@pytest.fixture()
def view(qtbot: Any, project: Project) -> rv.ReviewView:
    from workbench.gui.app import ensure_app

    ensure_app()
    widget = rv.ReviewView()
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    widget.set_project(project)
    widget.show()
    return widget


def background_at(view: rv.ReviewView, offset: int) -> QColor:
    cursor = QTextCursor(view.text_view.document())
    cursor.setPosition(offset + 1)  # the format of the character before the cursor
    return cursor.charFormat().background().color()


def cursor_at(view: rv.ReviewView) -> int:
    return view.text_view.textCursor().position()


def test_misquote_is_marked_differs_with_a_word_diff(view: rv.ReviewView) -> None:
    view.show_claim(MISQUOTE_CLAIM)
    (check,) = view.quote_checks
    assert check is not None and check.status == "differs"
    (card,) = view.quote_cards()
    assert card.status == "differs"
    assert "Found with differences" in card.status_label.text()
    shown = card.quote_label.text()
    # The article's words struck red, the source's words green, both visible on the card.
    assert f"<span style='{rv.DELETED}'>would destroy</span>" in shown
    assert f"<span style='{rv.INSERTED}'>could damage</span>" in shown
    assert view.diff_legend.isVisibleTo(view)
    # In the source the match is tinted as a differing quotation, its changed words marked.
    assert background_at(view, check.start) == QColor(rv.QUOTE_BG["differs"])
    text = view.text_view.toPlainText()
    changed = text.index("could damage")
    assert background_at(view, changed) == QColor("#d6f5dc")


def test_verbatim_quote_is_marked_found_and_clicking_it_scrolls_to_the_match(
    qtbot: Any, view: rv.ReviewView
) -> None:
    view.show_claim(VERBATIM_CLAIM)
    (check,) = view.quote_checks
    assert check is not None and check.status == "verbatim" and check.start is not None
    (card,) = view.quote_cards()
    assert "✓ Found verbatim" in card.status_label.text()
    assert background_at(view, check.start) == QColor(rv.QUOTE_BG["verbatim"])
    assert cursor_at(view) == view.passages[0].start  # opened at the best passage
    assert cursor_at(view) != check.start
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert cursor_at(view) == check.start


def test_source_text_shows_ranked_passages_and_claim_words(view: rv.ReviewView) -> None:
    view.show_claim(FIVE_PASSAGES_CLAIM)
    text = view.text_view.toPlainText()
    assert "seven votes to two" in text or "Full Council" in text
    assert len(view.passages) == 5
    best, second = view.passages[0], view.passages[1]
    assert background_at(view, best.start) in (QColor(rv.CURRENT_BG), QColor(rv.TERM_BG))
    plain = [
        o
        for o in range(second.start, second.end)
        if background_at(view, o) == QColor(rv.PASSAGE_BG)
    ]
    assert plain, "the other passages keep the lighter tint"
    term = rv.term_spans(best.text, best.terms)[0]
    cursor = QTextCursor(view.text_view.document())
    cursor.setPosition(best.start + term[0] + 1)
    assert cursor.charFormat().background().color() == QColor(rv.TERM_BG)
    assert cursor.charFormat().fontWeight() > 400


def test_next_and_previous_move_through_the_passages(qtbot: Any, view: rv.ReviewView) -> None:
    view.show_claim(FIVE_PASSAGES_CLAIM)
    starts = [p.start for p in view.passages]
    assert cursor_at(view) == starts[0]
    assert view.count_label.text() == "Passage 1 of 5"
    assert not view.prev_button.isEnabled()
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert (view.passage_index, cursor_at(view)) == (1, starts[1])
    assert view.count_label.text() == "Passage 2 of 5"
    assert background_at(view, starts[1]) in (QColor(rv.CURRENT_BG), QColor(rv.TERM_BG))
    best = view.passages[0]
    lo, _hi = rv.term_spans(best.text, best.terms)[0]
    assert background_at(view, best.start + lo) != QColor(rv.TERM_BG)  # colour follows the reader
    for _ in range(10):
        qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert (view.passage_index, cursor_at(view)) == (4, starts[4])
    assert not view.next_button.isEnabled()
    qtbot.mouseClick(view.prev_button, Qt.MouseButton.LeftButton)
    assert (view.passage_index, cursor_at(view)) == (3, starts[3])


def test_claim_is_shown_highlighted_in_its_article_context(
    view: rv.ReviewView, project: Project
) -> None:
    view.show_claim(MISQUOTE_CLAIM)
    claim = project.claim(MISQUOTE_CLAIM)
    article = project.article().text
    context = view.context_view.toPlainText()
    claim_text = article[claim.start : claim.end]
    assert claim_text in context
    assert "Not everyone is pleased." in context  # the sentence before
    assert "Morwenna Hale" in context  # and the one after
    cursor = QTextCursor(view.context_view.document())
    cursor.setPosition(context.index(claim_text) + 1)
    assert cursor.charFormat().background().color() == QColor(rv.CLAIM_BG)
    assert view.claim_title.text() == f"Claim {MISQUOTE_CLAIM}"


def test_after_publication_capture_shows_the_warning_with_its_note(
    view: rv.ReviewView, project: Project
) -> None:
    view.show_claim(LATE_CLAIM)
    snapshot = project.latest_snapshot(view.current_source_id)
    assert snapshot is not None and "after-publication" in snapshot.flags
    assert view.banner.isVisibleTo(view)
    assert snapshot.note in view.banner.text()
    assert view.banner.property("warningKinds") == "after-publication"
    view.show_claim(VERBATIM_CLAIM)
    assert not view.banner.isVisibleTo(view)


def test_live_copy_shows_the_live_warning(view: rv.ReviewView, project: Project) -> None:
    source_id = project.claim_sources(VERBATIM_CLAIM)[0].source.id
    body = b"<html><body><p>The bridge is the missing link, said the mayor.</p></body></html>"
    live = Snapshot(
        "http://news.example.net/x", "live", None, None, 200, "text/html", body, flags=("live",)
    )
    project.add_snapshot(source_id, live, text="The bridge is the missing link, said the mayor.")
    view.show_claim(VERBATIM_CLAIM)
    assert view.banner.isVisibleTo(view)
    assert rm.LIVE_WARNING in view.banner.text()
    assert "Live web" in view.capture_label.text()
    assert not view.archive_link.isVisibleTo(view)  # nothing archived to link to
    assert view.capture_button.isVisibleTo(view)  # a live copy offers Save Page Now
    asked: list[int] = []
    view.captureRequested.connect(asked.append)
    view.capture_button.click()
    assert asked == [source_id]


def test_archived_copy_does_not_offer_a_capture(view: rv.ReviewView) -> None:
    view.show_claim(VERBATIM_CLAIM)
    assert not view.capture_button.isVisibleTo(view)


def test_source_without_snapshot_offers_fetch_and_shows_the_error(
    qtbot: Any, view: rv.ReviewView, project: Project
) -> None:
    source_id = project.attach_source(1, "http://unarchived.example.org/page", relation="supports")
    view.show_claim(1)
    assert view.source_stack.currentWidget() is view.message_page
    assert "no archived copy" in view.message_label.text()
    assert view.fetch_button.text() == "Fetch this source"
    assert not view.error_label.isVisibleTo(view)
    reason = "The archive did not answer within 30 seconds."
    project.record_fetch_error(source_id, "timeout", reason)
    view.refresh()
    assert reason in view.error_label.text() and view.error_label.isVisibleTo(view)
    assert view.fetch_button.text() == "Retry fetching"
    with qtbot.waitSignal(view.fetchRequested, timeout=1000) as signal:
        qtbot.mouseClick(view.fetch_button, Qt.MouseButton.LeftButton)
    assert signal.args == [source_id]
    (card,) = view.quote_cards() or [None]
    assert card is None  # claim 1 quotes no one
    assert view.quotes_hint.text() == "This claim quotes no one."


def test_several_sources_get_a_picker_and_each_shows_its_own_state(
    view: rv.ReviewView, project: Project
) -> None:
    view.show_claim(MISQUOTE_CLAIM)
    assert not view.source_combo.isVisibleTo(view)
    first = view.current_source_id
    extra = project.attach_source(
        MISQUOTE_CLAIM, "http://other.example.org/", relation="context", title="Other page"
    )
    view.refresh()
    assert view.current_source_id == first  # refresh keeps the source being read
    assert view.source_combo.isVisibleTo(view) and view.source_combo.count() == 2
    assert view.source_combo.itemText(1) == "Other page — context (no copy yet)"
    view.source_combo.setCurrentIndex(1)
    assert view.current_source_id == extra
    assert view.source_stack.currentWidget() is view.message_page
    assert view.quote_cards()[0].status == "unchecked"
    view.source_combo.setCurrentIndex(0)
    assert view.quote_cards()[0].status == "differs"


def test_capture_details_and_hash_copy(qtbot: Any, view: rv.ReviewView, project: Project) -> None:
    view.show_claim(VERBATIM_CLAIM)
    snapshot = project.latest_snapshot(view.current_source_id)
    assert snapshot is not None
    assert view.source_title.textFormat() == Qt.TextFormat.PlainText
    assert view.source_title.text() == project.source(view.current_source_id).title
    assert "Imported WARC file" in view.capture_label.text()
    assert rm.local_time(snapshot.captured_at) in view.capture_label.text()
    assert view.hash_label.text() == f"SHA-256 {snapshot.sha256[:12]}…"
    assert snapshot.sha256 in view.hash_label.toolTip()
    qtbot.mouseClick(view.copy_hash, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == snapshot.sha256


def test_long_sources_are_analysed_in_a_worker_with_the_same_result(
    qtbot: Any, view: rv.ReviewView, monkeypatch: pytest.MonkeyPatch
) -> None:
    view.show_claim(MISQUOTE_CLAIM)
    expected = (view.passages, view.quote_checks)
    monkeypatch.setattr(rv, "ASYNC_CHARS", 0)
    view.show_claim(FIVE_PASSAGES_CLAIM)
    view.show_claim(MISQUOTE_CLAIM)  # the first job's late result must be ignored
    qtbot.waitUntil(lambda: view._analysis is not None, timeout=5000)
    qtbot.wait(50)
    assert (view.passages, view.quote_checks) == expected
    assert view.quote_cards()[0].status == "differs"


def test_nothing_selected_says_what_to_do(view: rv.ReviewView) -> None:
    view.show_claim(MISQUOTE_CLAIM)
    view.show_claim(None)
    assert view.source_stack.currentWidget() is view.message_page
    assert "Select a claim" in view.message_label.text()
    assert view.quote_cards() == []
    view.set_project(None)
    assert view.claim_id is None


# --- the pure helpers ---------------------------------------------------------------------------


def test_claim_context_takes_two_sentences_before_and_one_after() -> None:
    text = "One. Two. Three. Claim here. Five. Six."
    spans = [(0, 4), (5, 9), (10, 16), (17, 28), (29, 34), (35, 39)]
    context = rm.claim_context(text, spans, 17, 28)
    assert text[context.start : context.end] == "Two. Three. Claim here. Five."
    first = rm.claim_context(text, spans, 0, 4)
    assert text[first.start : first.end] == "One. Two."


def test_warnings_and_names() -> None:
    assert rm.archive_name("memento:archive.example") == "archive.example (via Memento)"
    assert rm.local_date("2026-03-12") == "12 Mar 2026"
    assert rm.local_time(None) == "unknown"
    base = Snapshot("http://a/", "wayback", "http://w/", "2026-01-01T00:00:00Z", 200, None, b"")
    record = SnapshotRecord(
        1,
        1,
        base.original_url,
        "wayback",
        None,
        None,
        "",
        200,
        None,
        "",
        0,
        None,
        "",
        "",
        None,
        ("after-publication", "soft-404"),
        "",
    )
    kinds = [(w.kind, w.text) for w in rm.warnings_for(record)]
    assert kinds == [
        ("after-publication", rm.AFTER_WARNING),
        ("soft-404", "The copy looks like an error page (page not found), not the cited page."),
    ]


def test_quotation_missing_from_the_source_is_marked_not_found(
    qtbot: Any, view: rv.ReviewView, project: Project
) -> None:
    statement = project.claim_sources(MISQUOTE_CLAIM)[0].source.url
    project.attach_source(3, statement, relation="context")  # a page that never says it
    view.show_claim(3)
    (check,) = view.quote_checks
    assert check is not None and check.status == "not_found"
    (card,) = view.quote_cards()
    assert "✗ Not found in the source" in card.status_label.text()
    assert not card.clickable
    before = cursor_at(view)
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert cursor_at(view) == before


def _shaded_text(view: rv.ReviewView) -> str:
    """The context's characters that carry the claim's background, read fragment by fragment."""
    shaded = []
    block = view.context_view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().background().color() == QColor(rv.CLAIM_BG):
                shaded.append(fragment.text())
            it += 1
        block = block.next()
    return " ".join("".join(shaded).split())


def test_the_next_claims_context_shades_only_its_own_sentence(
    view: rv.ReviewView, project: Project
) -> None:
    """Issue 17.3: after the first claim, the whole context came up in the claim's colour."""
    article = project.article().text
    for claim_id in (MISQUOTE_CLAIM, VERBATIM_CLAIM, FIVE_PASSAGES_CLAIM, MISQUOTE_CLAIM):
        view.show_claim(claim_id)
        claim = project.claim(claim_id)
        claim_text = " ".join(article[claim.start : claim.end].split())
        assert len(view.context_view.toPlainText()) > len(claim_text)  # there is context
        assert _shaded_text(view) == claim_text, f"claim {claim_id}: shading is not the claim"
