"""Bad input never takes the window down or touches the open project."""

from __future__ import annotations

import hashlib
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from workbench.gui.workers import JobRunner, new_project_job


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def opened(window: Any, seed_project: Path) -> Any:
    window.open_path(str(seed_project))
    assert window.has_project()
    window.claim_actions.rate(window.project.scale.ratings[0].id)
    return window


def _assert_untouched(window: Any, seed_project: Path, claim_id: int, digest: str) -> None:
    assert window.project.path == seed_project
    assert window.current_claim_id() == claim_id
    assert window.model.rowCount() == window.project.claim_count()
    assert _digest(seed_project) == digest
    assert window.isVisible()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_missing_and_foreign_files(opened: Any, seed_project: Path, tmp_path: Path) -> None:
    cid, digest = opened.current_claim_id(), _digest(seed_project)
    opened.open_path(str(tmp_path / "nowhere.wbproj"))
    assert "There is no file" in opened.ask.errors[-1]

    fake = tmp_path / "notes.wbproj"
    fake.write_text("these are my notes, not a project")
    opened.open_path(str(fake))
    assert "not a Workbench project" in opened.ask.errors[-1]

    other_db = tmp_path / "other.wbproj"
    conn = sqlite3.connect(other_db)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    opened.open_path(str(other_db))
    assert "not a Workbench project" in opened.ask.errors[-1]
    assert len(opened.ask.errors) == 3
    assert all("Traceback" not in e for e in opened.ask.errors)
    _assert_untouched(opened, seed_project, cid, digest)


def test_empty_article_and_unreachable_url(
    qtbot: Any, opened: Any, seed_project: Path, tmp_path: Path
) -> None:
    cid, digest = opened.current_claim_id(), _digest(seed_project)
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    opened.open_path(str(empty))
    qtbot.waitUntil(lambda: opened.job is None and bool(opened.ask.errors), timeout=10_000)
    assert "blank" in opened.ask.errors[-1] or "empty" in opened.ask.errors[-1]
    assert not empty.with_suffix(".wbproj").exists()

    opened.ask.save_to = tmp_path / "from-url.wbproj"
    opened.open_path(f"http://127.0.0.1:{_free_port()}/article.html")
    qtbot.waitUntil(lambda: opened.job is None and len(opened.ask.errors) == 2, timeout=15_000)
    assert "Traceback" not in opened.ask.errors[-1]
    assert not (tmp_path / "from-url.wbproj").exists()
    _assert_untouched(opened, seed_project, cid, digest)


def test_url_save_cancelled_starts_nothing(opened: Any) -> None:
    opened.ask.save_to = None
    opened.open_path("https://example.org/story")
    assert opened.job is None and opened.ask.errors == []


def test_refused_edit_is_shown_and_not_pushed(opened: Any) -> None:
    count = opened.undo_stack.count()
    opened.claim_actions.make_claim(0, 0)  # an empty span is refused by the core
    assert opened.undo_stack.count() == count
    assert opened.ask.errors and "Traceback" not in opened.ask.errors[-1]


def test_cancelled_job_writes_nothing(qtbot: Any, article: Path, tmp_path: Path) -> None:
    target = tmp_path / "cancelled.wbproj"
    runner = JobRunner()
    job = new_project_job(target, article)
    job.cancel()
    with qtbot.waitSignal(job.signals.cancelled, timeout=10_000):
        runner.start(job)
    assert not target.exists()


def test_new_article_beside_a_different_project_gets_a_new_name(
    qtbot: Any, window: Any, seed_project: Path, article: Path
) -> None:
    article.write_text(article.read_text("utf-8") + "\nOne more sentence of 2016.\n", "utf-8")
    window.open_path(str(article))  # the file changed: the old project is kept, -2 is made
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=15_000)
    assert window.project.path == article.with_name(f"{article.stem}-2.wbproj")
    assert seed_project.exists()


def test_large_project_is_read_off_the_ui_thread(
    qtbot: Any, window: Any, seed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import workbench.gui.window.main_window as main_window

    monkeypatch.setattr(main_window, "LARGE_PROJECT_BYTES", 0)
    window.open_path(str(seed_project))
    assert window.job is not None and not window.has_project()  # the read is in a worker
    assert window.job_bar.isVisible() and window.job_cancel.isVisible()
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=10_000)
    assert window.model.rowCount() == window.project.claim_count()
    assert not window.job_bar.isVisible()


def test_save_a_copy_goes_through_the_project(window: Any, seed_project: Path) -> None:
    window.load_project(seed_project)
    target = seed_project.with_name("copy.wbproj")
    assert window.file_actions.save_copy(target)
    assert target.exists()
    assert not window.file_actions.save_copy(seed_project)
    assert window.ask.errors[-1] == "Choose a different file for the copy."
    assert not window.file_actions.save_copy(seed_project.parent / "missing" / "copy.wbproj")
    assert window.ask.errors[-1].startswith("The copy could not be written")


def test_a_long_status_message_can_be_read_whole(window: Any) -> None:
    """The status bar cuts a message longer than itself (a revision's summary lost its end);
    the bar's tooltip holds the whole message while it is shown."""
    message = "Version 2 kept (65 words changed in 3 passages); claims: " + "17 unchanged, " * 12
    window.status(message)
    assert window.statusBar().toolTip() == message
    window.statusBar().clearMessage()
    assert window.statusBar().toolTip() == ""


def test_the_counts_make_room_for_a_message(qtbot: Any, window: Any, seed_project: Path) -> None:
    """The counts beside the status bar (checked, then each verdict) took most of a 1400 px
    bar, so a fetch's message read "Fetched the capture of 2015-10-12 10:00:00 UTC from the
    Wa". While a message shows they say only how many are checked."""
    window.resize(1400, 900)
    window.open_project(seed_project)
    for claim, rating in zip(window.model.claims(), window.project.scale.ratings, strict=False):
        window.select_claim(claim.id)
        window.claim_actions.rate(rating.id)
    qtbot.wait(50)
    window.statusBar().clearMessage()
    counts = window.progress_label
    full = counts.text()
    assert "Unverifiable" in full and "of 85 checked" in full
    message = (
        "Fetched the capture of 2015-10-12 10:00:00 UTC from the Wayback Machine (1 day after "
        "the article) and stored it as snapshot 4."
    )
    window.status(message)
    qtbot.waitUntil(lambda: counts.width() < 300)
    assert "Unverifiable" not in counts.text() and "of 85 checked" in counts.text()
    assert "Unverifiable" in counts.toolTip()
    room = window.statusBar().width() - counts.width()
    assert window.statusBar().fontMetrics().horizontalAdvance(message) < room
    window.statusBar().clearMessage()
    assert counts.text() == full and counts.toolTip() == ""
