"""The window's side of the library: "Checked before" on the claim panel, Attach (undoable),
the claims table's column and filter, all worked out in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from feeds import write_feed
from library_reads import watch_whole_reads

from workbench.core.library.importing import import_file
from workbench.core.library.store import Library

FEED = [
    (
        "https://factcheck.example/civilians-2000",
        "At least 2,000 civilians were killed during Russia's five-month intervention in Syria.",
        "Mostly true",
    ),
    (
        "https://factcheck.example/civilians-20000",
        "At least 20,000 civilians were killed during Russia's five-month intervention in Syria.",
        "False",
    ),
    (
        "https://factcheck.example/shark",
        "A photo shows a shark swimming on a flooded highway after a hurricane.",
        "False",
    ),
]


def fill_library(tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "feed.jsonl", FEED)
    with Library.open() as library:
        import_file(library, feed)


def civilians_claim(window: Any) -> int:
    return next(
        c.id for c in window.project.claims() if c.text.startswith("At least 2,000 civilians")
    )


def test_checked_before_panel_attach_undo_and_table(
    window: Any, seed_project: Path, qtbot: Any, tmp_path: Path
) -> None:
    fill_library(tmp_path)
    window.open_path(seed_project)
    feature = window.features["library"]
    qtbot.waitUntil(lambda: feature.running is None and bool(feature.results), timeout=60_000)
    claim_id = civilians_claim(window)
    window.select_claim(claim_id)
    widget = feature.widget
    assert widget.isVisible()
    urls = [row.match.entry.check.url for row in widget.rows]
    assert urls[0] == "https://factcheck.example/civilians-2000"
    wrong = widget.rows[urls.index("https://factcheck.example/civilians-20000")]
    assert wrong.match.differing_numbers == ("20000",)
    assert "background:#ffd166" in wrong.label.text() and ">20,000<" in wrong.label.text()
    assert wrong.match.score < widget.rows[0].match.score
    assert "shark" not in " ".join(urls)

    # The claims table: a column with the best match, and a filter on it.
    model = window.model
    from workbench.gui.claims.model import COL_CHECKED

    row = model.row_of(claim_id)
    assert model.index(row, COL_CHECKED).data() == "Mostly true · Example Desk"
    feature.filter.setCurrentIndex(1)  # previously checked only
    shown = {window.proxy.claim_id_at(r) for r in range(window.proxy.rowCount())}
    assert claim_id in shown and all(model.checked_before(cid) for cid in shown)
    feature.filter.setCurrentIndex(2)
    assert claim_id not in {window.proxy.claim_id_at(r) for r in range(window.proxy.rowCount())}
    feature.filter.setCurrentIndex(0)

    # Attach: a source with relation "previously checked", undoable.
    widget.rows[0].attach.click()
    (source,) = window.project.claim_sources(claim_id)
    assert source.relation == "previously checked"
    assert source.source.url == "https://factcheck.example/civilians-2000"
    assert "Mostly true" in source.note
    assert widget.rows[0].attach.text() == "Attached" and not widget.rows[0].attach.isEnabled()
    window.undo_stack.undo()
    assert window.project.claim_sources(claim_id) == []
    window.undo_stack.redo()
    assert len(window.project.claim_sources(claim_id)) == 1

    # A related fact check (its figures differ) is attached as context, never as the claim's
    # own earlier check (the report and ClaimReview output would say it is).
    wrong = widget.rows[urls.index("https://factcheck.example/civilians-20000")]
    assert wrong.match.strength == "related" and wrong.attach.text() == "Attach as context"
    wrong.attach.click()
    relations = {s.source.url: s.relation for s in window.project.claim_sources(claim_id)}
    assert relations == {
        "https://factcheck.example/civilians-2000": "previously checked",
        "https://factcheck.example/civilians-20000": "context",
    }
    wrong = widget.rows[urls.index("https://factcheck.example/civilians-20000")]
    assert wrong.attach.text() == "Attached" and not wrong.attach.isEnabled()


def test_a_new_verdict_reaches_the_library(window: Any, seed_project: Path, qtbot: Any) -> None:
    window.open_path(seed_project)
    feature = window.features["library"]
    assert feature.running is None  # no library and no verdict yet: nothing to do
    claim_id = civilians_claim(window)
    window.select_claim(claim_id)
    window.claim_actions.rate("false")
    feature._resync.setInterval(0)

    def indexed() -> bool:
        with Library.open() as library:
            return library.count() == 1

    qtbot.waitUntil(indexed, timeout=60_000)
    with Library.open() as library:
        (entry,) = library.entries(
            [*library.project_entries(str(seed_project.resolve())).values()]
        ).values()
    assert entry.check.rating == "False" and entry.claim_id == claim_id


def test_every_relation_has_words_in_the_source_dialog() -> None:
    from workbench.core.project.records import RELATIONS
    from workbench.gui.window.dialogs import RELATION_HELP

    assert set(RELATIONS) <= set(RELATION_HELP)


def test_a_fact_check_without_a_web_address_is_shown_but_not_attachable(qtbot: Any) -> None:
    from workbench.core.library.matching import Match
    from workbench.core.library.model import FactCheck, LibraryEntry
    from workbench.gui.library.checked_before import CheckedBefore

    widget = CheckedBefore()
    qtbot.addWidget(widget)
    check = FactCheck("A claim.", url="javascript:alert(1)", rating="False")
    widget.show_matches(
        [Match(LibraryEntry(1, "import", "x", None, check), 0.9, 1, 0.9, ())], set()
    )
    (row,) = widget.rows
    assert not row.attach.isEnabled()
    assert "<a " not in row.label.text() and "javascript:alert(1)" in row.label.text()


def test_stored_text_of_a_fact_check_is_escaped(qtbot: Any) -> None:
    from workbench.core.library.matching import Match
    from workbench.core.library.model import FactCheck, LibraryEntry
    from workbench.gui.library.checked_before import CheckedBefore

    widget = CheckedBefore()
    qtbot.addWidget(widget)
    hostile = "<img src=file:///etc/hostname><b>Bold</b> rose 5%"
    check = FactCheck(hostile, url="https://x.example/1", rating="<b>False</b>", publisher=hostile)
    widget.show_matches(
        [Match(LibraryEntry(1, "import", "x", None, check), 0.9, 1, 0.9, ())], set()
    )
    text = widget.rows[0].label.text()
    assert "<img" not in text and "<b>Bold" not in text and "&lt;img" in text


def test_without_a_library_or_verdicts_no_job_runs_and_the_section_stays_hidden(
    window: Any, seed_project: Path
) -> None:
    from workbench.gui.library.feature import NO_LIBRARY

    window.open_path(seed_project)
    feature = window.features["library"]
    assert feature.running is None
    window.select_claim(window.project.claims()[0].id)
    assert not feature.widget.isVisible()
    assert NO_LIBRARY in feature.filter.toolTip()


def test_matching_starts_after_the_window_has_painted(
    window: Any, seed_project: Path, qtbot: Any, tmp_path: Path
) -> None:
    """Opening a project does not start matching (numpy, the embedding model) while the window
    builds its first frame: the job follows START_AFTER_MS later, or at once when waited for."""
    import sys

    from workbench.gui.library.feature import START_AFTER_MS

    fill_library(tmp_path)
    window.open_path(seed_project)
    feature = window.features["library"]
    assert feature.running is None and feature._start.isActive()
    assert feature._start.interval() == START_AFTER_MS
    qtbot.waitUntil(lambda: feature.running is not None or bool(feature.results), timeout=5000)
    feature.wait()
    qtbot.waitUntil(lambda: bool(feature.results), timeout=60_000)
    assert "numpy" in sys.modules  # loaded by the job, not by the feature's module

    # A screenshot or a test that waits starts it at once.
    window.open_path(seed_project)
    assert feature._start.isActive()
    feature.wait()
    assert not feature._start.isActive()
    qtbot.waitUntil(lambda: feature.running is None and bool(feature.results), timeout=60_000)


def test_the_filter_reads_whole_at_1400_px(window: Any, seed_project: Path, qtbot: Any) -> None:
    window.resize(1400, 900)
    window.show()
    window.open_path(seed_project)
    feature = window.features["library"]
    row = window.claims_table.filter_row
    combo = feature.filter
    assert row.indexOf(combo) == row.indexOf(window.claims_table.filter_status) + 1
    qtbot.waitUntil(lambda: combo.width() > 0)
    for i in range(combo.count()):
        combo.setCurrentIndex(i)
        text = combo.fontMetrics().horizontalAdvance(combo.currentText())
        # The text plus the drop-down arrow and the frame fit (was cut at 8 characters).
        assert combo.width() >= text + 30, (combo.currentText(), combo.width(), text)
    combo.setCurrentIndex(0)


PRELOAD_PROBE = """
import sys, time
from pathlib import Path
from workbench.gui.app import ensure_app
app = ensure_app()
from workbench.core import embedding
from workbench.core.library import store
from workbench.core.settings import Settings
from workbench.gui.window.main_window import MainWindow
window = MainWindow(settings=Settings(Path(sys.argv[1])), persist=False, defer_features=True)
window.resize(900, 600)
window.show()
deadline = time.monotonic() + 30
while not window.features and time.monotonic() < deadline:
    app.processEvents()
first = embedding.model_loaded()
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline and not (embedding.model_loaded() and store._MATRIX_CACHE):
    app.processEvents()
    time.sleep(0.01)
window.close()
library = str(Path(sys.argv[3]).resolve())
print(first, embedding.model_loaded(), list(store._MATRIX_CACHE) == [library], list(store._VOCAB_CACHE) == [library])
"""


def test_an_idle_window_preloads_the_model_and_the_library(tmp_path: Path) -> None:
    """After its first frame, an idle window loads the embedding model and reads the library's
    vectors and vocabulary in the background, so that the first "Checked before" waits for
    none of them; not before its features are built, and not at all without a library (the
    model holds ~130 MB). A fresh process each time: all three are kept per process."""
    import os
    import subprocess
    import sys

    from workbench.core.library.paths import library_path

    root = Path(__file__).resolve().parents[2]

    def probe(patience: float) -> list[str]:
        arguments = [str(tmp_path / "s.ini"), str(patience), str(library_path())]
        done = subprocess.run(
            [sys.executable, "-c", PRELOAD_PROBE, *arguments],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        )
        return done.stdout.split()

    assert not library_path().exists()
    assert probe(2.0) == ["False", "False", "False", "False"]
    fill_library(tmp_path)
    assert probe(60.0) == ["False", "True", "True", "True"]


def test_a_practice_exercise_shows_no_earlier_fact_checks(
    window: Any, seed_project: Path, qtbot: Any, tmp_path: Path
) -> None:
    """The instructor's verdicts (and published fact checks) would give the answers away."""
    from workbench.core.library.projects import index_project, project_origin
    from workbench.core.practice.exercise import make_exercise
    from workbench.core.project.store import Project
    from workbench.gui.library.feature import PRACTICE

    fill_library(tmp_path)
    exercise = tmp_path / "exercise.wbproj"
    with Project.open(seed_project) as instructor, Library.open() as library:
        civilians = next(c.id for c in instructor.claims() if c.text.startswith("At least 2,000"))
        instructor.set_verdict(civilians, "false", "The instructor's answer")
        index_project(library, instructor)
        make_exercise(instructor, exercise, tmp_path / "key.json")
        assert library.count() == len(FEED) + 1
    window.open_path(exercise)
    feature = window.features["library"]
    feature._resync.setInterval(0)
    qtbot.waitUntil(lambda: feature.state == PRACTICE, timeout=60_000)
    window.select_claim(civilians)
    assert not feature.widget.isVisible() and feature.previously_checked(civilians) == []
    assert not window.model.checked_before(civilians)
    assert PRACTICE in feature.filter.toolTip()

    # The student's rating does not join the library either.
    window.claim_actions.rate("true")
    qtbot.waitUntil(
        lambda: feature.running is None and not feature._resync.isActive(), timeout=60_000
    )
    qtbot.wait(200)
    qtbot.waitUntil(lambda: feature.running is None, timeout=60_000)
    with Library.open() as library:
        assert library.count() == len(FEED) + 1
        assert library.project_entries(project_origin(exercise)) == {}


def test_only_a_likely_same_claim_counts_as_checked_before(qtbot: Any) -> None:
    """The panel says how likely each fact check addresses the same claim; one that is only
    related (or would match but for its figures) is shown apart, and the claims table lists a
    claim as checked before only for a fact check more likely than not its own."""
    from workbench.core.library.matching import Match
    from workbench.core.library.model import FactCheck, LibraryEntry
    from workbench.gui.library.checked_before import CheckedBefore
    from workbench.gui.library.feature import table_entry

    def match(i: int, likely: float, aside: float = 0.0, differing: tuple[str, ...] = ()) -> Match:
        check = FactCheck(f"Claim {i} rose 20%.", url=f"https://x.example/{i}", rating="False")
        entry = LibraryEntry(i, "import", "x", None, check)
        return Match(entry, 0.99, 1, 0.9, differing, likely, max(aside, likely))

    same, near, figures, noise = (
        match(1, 0.83),
        match(2, 0.31),
        match(3, 0.04, 0.7, ("20%",)),
        match(4, 0.1),
    )
    assert [m.strength for m in (same, near, figures, noise)] == ["match", "related", "related", ""]
    cell = table_entry([same, near, figures])
    assert cell is not None and cell.score == 0.83 and cell.label == "False"
    assert "83% likely the same claim" in cell.details and "Claim 2" not in cell.details
    assert table_entry([near, figures]) is None

    widget = CheckedBefore()
    qtbot.addWidget(widget)
    widget.show_matches([same, near, figures], set())
    texts = [row.label.text() for row in widget.rows]
    assert "83% likely the same claim" in texts[0] and "Related" not in texts[0]
    assert "Related: 31% likely the same claim" in texts[1]
    assert "Related, figures differ: 4% likely the same claim" in texts[2]
    assert widget.heading.text() == "Checked before"
    widget.show_matches([near], set())
    assert widget.heading.text() == "Related fact checks"
    assert "None of them checks this very claim" in widget.state.text()


def test_after_an_edit_undo_and_redo_the_window_updates_its_library_in_place(
    window: Any, seed_project: Path, qtbot: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """Each verdict edit (and its undo and redo) is indexed and matched again; the process's
    vectors and vocabulary follow from the library's change log without reading every vector
    or the whole vocabulary again, and agree with a fresh read each time."""
    import numpy as np

    from workbench.core.library import store

    fill_library(tmp_path)
    window.open_path(seed_project)
    feature = window.features["library"]
    feature._resync.setInterval(0)
    qtbot.waitUntil(lambda: feature.running is None and bool(feature.results), timeout=60_000)
    real_open = store.Library.open.__func__  # type: ignore[attr-defined]

    def settled(entries: int) -> None:
        """Waits for the job the edit started; compares what it kept with a fresh read."""
        qtbot.waitUntil(
            lambda: feature.running is None and not feature._resync.isActive(), timeout=60_000
        )
        (kept,) = store._MATRIX_CACHE.values()
        ids, rows = kept.view()
        ((_, vocabulary),) = store._VOCAB_CACHE.values()
        saved = (dict(store._MATRIX_CACHE), dict(store._VOCAB_CACHE))
        store._MATRIX_CACHE.clear()
        store._VOCAB_CACHE.clear()
        with real_open(store.Library) as lib:  # not watched: the test's own full read
            assert lib.count() == entries
            fresh_ids, fresh_rows = lib.vectors()
            assert ids.tolist() == fresh_ids.tolist() and np.array_equal(rows, fresh_rows)
            assert vocabulary == lib.document_frequencies()
        del ids, rows, fresh_ids, fresh_rows  # views: the next update may work in place
        store._MATRIX_CACHE.clear()
        store._VOCAB_CACHE.clear()
        store._MATRIX_CACHE.update(saved[0])
        store._VOCAB_CACHE.update(saved[1])

    whole = watch_whole_reads(monkeypatch)  # by the window's jobs from here on
    claim_id = civilians_claim(window)
    window.select_claim(claim_id)
    window.claim_actions.rate("false")
    settled(len(FEED) + 1)
    window.undo_stack.undo()
    settled(len(FEED))
    window.undo_stack.redo()
    settled(len(FEED) + 1)
    window.claim_actions.rate("true")
    settled(len(FEED) + 1)
    assert whole == []
