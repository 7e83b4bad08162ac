"""The editor's side, driven as an editor would: review queue, approve, return, export, import."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from workbench.core.project.records import ClaimRecord
from workbench.core.project.store import Project
from workbench.core.report.export import EXTENSIONS, FORMATS, ReportOptions, report_data
from workbench.core.report.pdf import PDF_TEMPLATE, render_template
from workbench.gui.claims.editing import ReturnDialog
from workbench.gui.review.preview import preview_html

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
PINNED = ReportOptions(now="2024-05-01T12:00:00Z")


class FakeEditorAsk:
    """Canned answers for the editor's dialogs, and a record of what was asked."""

    def __init__(self) -> None:
        self.comments: list[str | None] = []
        self.export_to: Path | None = None
        self.import_from: Path | None = None
        self.asked_export: list[tuple[str, Path]] = []
        self.published: tuple[str, str] | None = None
        self.asked_publication: list[tuple[str, str]] = []

    def return_comment(self, claim: ClaimRecord) -> str | None:
        return self.comments.pop(0) if self.comments else None

    def export_path(self, fmt: str, suggested: Path) -> Path | None:
        self.asked_export.append((fmt, suggested))
        return self.export_to

    def import_json(self, folder: str) -> Path | None:
        return self.import_from

    def publication(self, url: str, organization: str) -> tuple[str, str] | None:
        self.asked_publication.append((url, organization))
        return self.published


@pytest.fixture()
def reviewed(seed_project: Path) -> dict[str, list[int]]:
    """The seed project after a fact-checker's session: four checked claims, one approved,
    one returned, one rated but still in progress, the rest unchecked."""
    with Project.open(seed_project) as project:
        claims = [c for c in project.claims() if c.score >= 0.3]
        ratings = project.scale.ratings
        for i, claim in enumerate(claims[:7]):
            rationale = f"Source {i} shows the figure; see the ministry's table." if i % 2 else ""
            project.set_verdict(claim.id, ratings[i % 4].id, rationale, reviewer="checker")
        ids = [c.id for c in claims[:7]]
        project.set_status(ids[4], "approved", actor="editor")
        project.set_status(ids[5], "returned", note="Which table?", actor="editor")
        project.set_status(ids[6], "in_progress", actor="checker")
    return {"checked": ids[:4], "others": ids[4:]}


def _open(qtbot: Any, window: Any, path: Path) -> Any:
    window.open_path(str(path))
    qtbot.waitUntil(lambda: window.has_project() and window.job is None, timeout=15_000)
    feature = window.features["editing"]
    feature.ask = FakeEditorAsk()
    feature.options = PINNED
    return feature


def _queued(feature: Any) -> list[int]:
    return [c.id for c in feature.queue_model.claims()]


def _wait_job(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window.job is None, timeout=20_000)


def test_queue_lists_exactly_checked_not_approved_and_follows_selection(
    qtbot: Any, window: Any, seed_project: Path, reviewed: dict[str, list[int]]
) -> None:
    feature = _open(qtbot, window, seed_project)
    assert _queued(feature) == reviewed["checked"]  # article order
    assert feature.queue.counts.text().startswith("4 to review")
    assert "1 approved" in feature.queue.counts.text()
    assert "1 returned" in feature.queue.counts.text()
    assert feature.queue_dock.windowTitle() == "Review queue (4)"
    model = feature.queue_model
    row = 1
    assert model.index(row, 0).data() == reviewed["checked"][row]
    assert model.index(row, 3).data() == "checker"
    assert model.index(row, 4).data().startswith("Source 1 shows")
    rating = window.project.scale.ratings[1]
    assert model.index(row, 2).data() == rating.label
    assert model.index(row, 2).data(Qt.ItemDataRole.BackgroundRole).name() == rating.color.lower()

    feature.show_queue()
    feature.queue.table.selectRow(2)
    assert window.current_claim_id() == reviewed["checked"][2]  # the row selects the claim
    window.select_claim(reviewed["checked"][0])
    assert feature.queue.table.currentIndex().row() == 0  # and the window's choice shows there

    # An edit in the window reaches the queue: rating an unchecked claim queues it.
    unchecked = next(c for c in window.model.claims() if c.status == "unchecked")
    window.select_claim(unchecked.id)
    window.claim_actions.rate(window.project.scale.ratings[0].id)
    assert unchecked.id in _queued(feature)
    assert feature.queue.counts.text().startswith("5 to review")


def test_approve_by_shortcut_writes_status_and_history_moves_on_and_undoes(
    qtbot: Any, window: Any, seed_project: Path, reviewed: dict[str, list[int]]
) -> None:
    feature = _open(qtbot, window, seed_project)
    first, second = reviewed["checked"][:2]
    window.select_claim(first)
    assert (
        window.actions_registry.action("claim.rescore").shortcut().toString() == "Ctrl+Alt+S"
    )  # Ctrl+Shift+R: Return
    qtbot.keyClick(window.table, Qt.Key.Key_A, CTRL_SHIFT)

    with Project.open(seed_project) as other:  # what is in the file, not just on screen
        assert other.claim(first).status == "approved"
        event = other.history(first)[-1]
    assert (event.action, event.detail["from"], event.detail["to"]) == (
        "status",
        "checked",
        "approved",
    )
    assert event.actor == window.actor()
    assert first not in _queued(feature)
    assert window.current_claim_id() == second  # on to the next claim to review
    assert feature.queue.table.currentIndex().row() == 0
    assert feature.queue.counts.text().startswith("3 to review")
    assert window.act_undo.text() == f"Undo Approve claim {first}"

    window.undo_stack.undo()
    assert window.project.claim(first).status == "checked"
    assert window.project.history(first)[-1].detail["to"] == "checked"
    assert _queued(feature) == reviewed["checked"]

    window.select_claim(reviewed["checked"][-1])  # the last one: the queue wraps round
    assert feature.approve()
    assert window.current_claim_id() == first


def test_approve_waits_for_a_returned_claim_and_the_queue_buttons_for_a_queued_one(
    qtbot: Any, window: Any, seed_project: Path, reviewed: dict[str, list[int]]
) -> None:
    """A returned claim had Approve enabled, in the menu and on the queue's button, even with
    the queue empty: one click approved the claim the checker was still to fix."""
    feature = _open(qtbot, window, seed_project)
    approve = window.actions_registry.action("review.approve")
    button, back = feature.queue.approve_button, feature.queue.return_button
    returned, in_progress = reviewed["others"][1], reviewed["others"][2]
    for claim_id in reviewed["checked"]:  # the editor works through the queue
        window.select_claim(claim_id)
        assert button.isEnabled() and back.isEnabled()
        assert feature.approve()
    assert feature.queue_model.rowCount() == 0
    window.select_claim(returned)
    assert not approve.isEnabled() and not button.isEnabled() and not back.isEnabled()
    qtbot.keyClick(window.table, Qt.Key.Key_A, CTRL_SHIFT)
    assert not feature.approve()  # called directly too: refused, and said why
    assert window.project.claim(returned).status == "returned"
    window.select_claim(in_progress)  # rated, not in the queue: the menu may, the queue's
    assert approve.isEnabled()  # buttons (for its selected row) may not
    assert not button.isEnabled() and not back.isEnabled()

    # The checker fixes it and marks it checked: it is in the queue, and may be approved.
    window.select_claim(returned)
    window.claim_actions.set_status(returned, "checked", "")
    assert _queued(feature) == [returned]
    assert approve.isEnabled() and button.isEnabled()
    button.click()
    assert window.project.claim(returned).status == "approved"


def test_the_review_round_trip_return_fix_send_back_approve(
    qtbot: Any, window: Any, seed_project: Path, reviewed: dict[str, list[int]]
) -> None:
    """A returned claim, fixed by the checker, stayed "Returned" and out of the queue: only the
    Status list could send it back, and nothing said so. Review ▸ Send back for review
    (Ctrl+Shift+Enter) does, and the status bar says how after a fix."""
    feature = _open(qtbot, window, seed_project)
    resubmit = window.actions_registry.action("review.resubmit")
    claim_id = reviewed["checked"][0]
    window.select_claim(claim_id)
    assert not resubmit.isEnabled()  # checked: nothing to send back
    feature.ask.comments = ["Which table? Cite the ministry's page."]
    assert feature.return_to_checker()
    assert claim_id not in _queued(feature)

    window.select_claim(claim_id)  # the checker opens it, fixes the verdict
    assert resubmit.isEnabled()
    window.claim_actions.rate(window.project.scale.ratings[5].id)
    assert window.project.claim(claim_id).status == "returned"
    said = f"Fixed? Ctrl+Shift+Enter sends claim {claim_id} back for review."
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == said)
    qtbot.keyClick(window.table, Qt.Key.Key_Return, CTRL_SHIFT)
    stored = window.project.claim(claim_id)
    assert (stored.status, stored.status_note) == ("checked", "")
    assert claim_id in _queued(feature) and not resubmit.isEnabled()
    assert window.act_undo.text() == f"Undo Send claim {claim_id} back for review"
    window.undo_stack.undo()
    stored = window.project.claim(claim_id)
    assert (stored.status, stored.status_note) == (
        "returned",
        "Which table? Cite the ministry's page.",
    )
    window.undo_stack.redo()
    window.select_claim(claim_id)  # the editor approves it from the queue
    feature.queue.approve_button.click()
    assert window.project.claim(claim_id).status == "approved"


def test_sent_back_from_the_rationale_box_with_the_fix_typed_there(
    qtbot: Any, window: Any, seed_project: Path, reviewed: dict[str, list[int]]
) -> None:
    """Ctrl+Shift+Enter while typing the fix in the rationale box saves it and sends the
    claim back; the reminder the save asked for ("Fixed? …") was shown after, over "back in
    the review queue" (seen in X)."""
    _open(qtbot, window, seed_project)
    claim_id = reviewed["others"][1]  # returned, "Which table?"
    window.select_claim(claim_id)
    box = window.panel.rationale
    box.setFocus()
    qtbot.keyClicks(box, " The ministry's table 4.")
    qtbot.keyClick(box, Qt.Key.Key_Return, CTRL_SHIFT)
    stored = window.project.claim(claim_id)
    assert stored.status == "checked" and stored.rationale.endswith("The ministry's table 4.")
    qtbot.wait(50)  # the reminder's turn of the event loop
    assert window.statusBar().currentMessage() == f"Claim {claim_id} is back in the review queue."


def test_a_cleared_verdict_leaves_the_queue_and_the_checked_count(
    qtbot: Any, window: Any, seed_project: Path, reviewed: dict[str, list[int]]
) -> None:
    """Rated (1-9) then cleared (0), a claim stayed "Checked" with no verdict: counted as
    checked and waiting in the editor's queue as "Not rated" (seen in X). Cleared, it is in
    progress again; undo puts the verdict and "Checked" back."""
    feature = _open(qtbot, window, seed_project)
    claim_id = reviewed["checked"][0]
    window.select_claim(claim_id)
    qtbot.keyClick(window.table, Qt.Key.Key_0)
    stored = window.project.claim(claim_id)
    assert (stored.rating, stored.status) == (None, "in_progress")
    assert window.statusBar().currentMessage() == f"Claim {claim_id}: verdict cleared"
    assert claim_id not in _queued(feature)
    assert feature.queue.counts.text().startswith("3 to review")
    assert window.progress_label.text().startswith("<b>4</b> of")  # 4 checked + 1 approved, less it
    window.undo_stack.undo()
    stored = window.project.claim(claim_id)
    assert stored.rating is not None and stored.status == "checked"
    assert claim_id in _queued(feature)


def test_return_needs_a_comment_that_the_checker_sees(
    qtbot: Any, window: Any, seed_project: Path, reviewed: dict[str, list[int]]
) -> None:
    feature = _open(qtbot, window, seed_project)
    claim_id = reviewed["checked"][1]
    window.select_claim(claim_id)

    feature.ask.comments = [None]  # cancelled: nothing happens
    qtbot.keyClick(window.table, Qt.Key.Key_R, CTRL_SHIFT)
    feature.ask.comments = ["   "]  # blank: refused with a message
    qtbot.keyClick(window.table, Qt.Key.Key_R, CTRL_SHIFT)
    assert window.project.claim(claim_id).status == "checked"
    assert window.undo_stack.count() == 0
    assert "comment" in window.ask.errors[-1]

    comment = "The second source is an opinion piece; find the ministry's data."
    feature.ask.comments = [comment]
    qtbot.keyClick(window.table, Qt.Key.Key_R, CTRL_SHIFT)
    stored = window.project.claim(claim_id)
    assert (stored.status, stored.status_note) == ("returned", comment)
    assert window.project.history(claim_id)[-1].detail == {
        "from": "checked",
        "to": "returned",
        "note": comment,
    }
    assert claim_id not in _queued(feature)
    assert feature.queue.counts.text().startswith("3 to review")

    window.select_claim(claim_id)  # the fact-checker opens the claim and reads the comment
    assert window.panel.status_note.isVisibleTo(window.panel)
    assert window.panel.status_note.text() == comment

    window.undo_stack.undo()
    stored = window.project.claim(claim_id)
    assert (stored.status, stored.status_note) == ("checked", "")
    assert claim_id in _queued(feature)


def test_return_dialog_requires_text(qtbot: Any, window: Any, seed_project: Path) -> None:
    _open(qtbot, window, seed_project)
    dialog = ReturnDialog(window, window.current_claim())
    qtbot.addWidget(dialog)
    assert not dialog._ok.isEnabled()
    dialog._edit.setPlainText("  Check the date  ")
    assert dialog._ok.isEnabled() and dialog.comment() == "Check the date"


def test_return_dialog_is_sent_with_ctrl_enter(qtbot: Any, window: Any, seed_project: Path) -> None:
    """Enter is a new line in the comment; Ctrl+Enter sends it (before, only the mouse or
    Tab, Tab, Space did), and does nothing while the comment is empty."""
    _open(qtbot, window, seed_project)
    dialog = ReturnDialog(window, window.current_claim())
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(dialog._edit.hasFocus)
    qtbot.keyClick(dialog._edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible()  # nothing written yet
    qtbot.keyClicks(dialog._edit, "Which table gives the figure?")
    qtbot.keyClick(dialog._edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog._edit.toPlainText().endswith("\n")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.keyClick(dialog._edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.comment() == "Which table gives the figure?"


def test_export_every_format(
    qtbot: Any, window: Any, seed_project: Path, reviewed: dict[str, list[int]], tmp_path: Path
) -> None:
    feature = _open(qtbot, window, seed_project)
    title = window.project.article().title
    out = tmp_path / "out"
    out.mkdir()
    for fmt in FORMATS:
        target = out / f"report{EXTENSIONS[fmt]}"
        assert feature.export_report(fmt, target)
        _wait_job(qtbot, window)
        assert target.is_file() and target.stat().st_size > 0, fmt
        assert str(target) in window.statusBar().currentMessage()
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF-")
    assert title in (out / "report.html").read_text("utf-8")
    assert title in (out / "report.md").read_text("utf-8")
    assert (out / "report.csv").read_text("utf-8").splitlines()[0].count(",") >= 3
    assert json.loads((out / "report.json").read_text("utf-8"))["format"] == "workbench-project"
    reviews = json.loads((out / "report.jsonld").read_text("utf-8"))
    assert "ClaimReview" in json.dumps(reviews)
    assert window.ask.errors == []

    # Through the menu: the save dialog is offered the project's name with the right suffix.
    feature.ask.export_to = tmp_path / "chosen.md"
    feature.export_actions["md"].trigger()
    _wait_job(qtbot, window)
    fmt, suggested = feature.ask.asked_export[-1]
    assert fmt == "md" and suggested == seed_project.with_name(f"{seed_project.stem}-report.md")
    assert (tmp_path / "chosen.md").is_file()


def test_claimreview_asks_where_and_by_whom_the_fact_check_is_published(
    qtbot: Any, window: Any, seed_project: Path, reviewed: dict[str, list[int]], tmp_path: Path
) -> None:
    """From the window a ClaimReview export never asked for the page publishing the fact
    check or the publisher: each review's url was "#claim-3" (the seed article is a file) and
    its author a login name, unusable as published markup."""
    feature = _open(qtbot, window, seed_project)
    feature.ask.export_to = tmp_path / "reviews.jsonld"
    feature.ask.published = None  # cancelled: nothing asked after, nothing written
    feature.export_actions["claimreview"].trigger()
    assert feature.ask.asked_publication == [("", "")] and feature.ask.asked_export == []

    feature.ask.published = ("https://factcheck.example.org/russia", "Example Fact Check")
    feature.export_actions["claimreview"].trigger()
    _wait_job(qtbot, window)
    reviews = json.loads((tmp_path / "reviews.jsonld").read_text("utf-8"))
    first = reviews[0]
    assert first["url"].startswith("https://factcheck.example.org/russia#claim-")
    assert first["author"] == {"@type": "Organization", "name": "Example Fact Check"}
    # The next export offers both again; the organization is kept in the person's settings.
    feature.export_actions["claimreview"].trigger()
    _wait_job(qtbot, window)
    assert feature.ask.asked_publication[-1] == (
        "https://factcheck.example.org/russia",
        "Example Fact Check",
    )
    assert window.settings.get("organization") == "Example Fact Check"


def test_the_publication_dialog_takes_a_typed_address_and_refuses_text(qtbot: Any) -> None:
    from workbench.gui.claims.editing import PublicationDialog

    dialog = PublicationDialog(None, "", "")
    qtbot.addWidget(dialog)
    dialog._url.setText("not an address")
    dialog._accept()
    assert dialog.result() == 0 and "not a web address" in dialog._problem.text()
    dialog._url.setText("factcheck.example.org/russia")
    dialog._organization.setText("  Example   Fact Check ")
    dialog._accept()
    assert dialog.result() == 1
    assert dialog.answer() == ("https://factcheck.example.org/russia", "Example Fact Check")


def test_export_to_missing_folder_shows_error_and_app_keeps_working(
    qtbot: Any, window: Any, seed_project: Path, reviewed: dict[str, list[int]], tmp_path: Path
) -> None:
    feature = _open(qtbot, window, seed_project)
    for fmt in ("pdf", "html"):
        target = tmp_path / "no-such-folder" / f"report{EXTENSIONS[fmt]}"
        assert feature.export_report(fmt, target)
        _wait_job(qtbot, window)
        assert not target.exists()
        assert "does not exist" in window.ask.errors[-1]
        assert str(target.parent) in window.ask.errors[-1]
    assert len(window.ask.errors) == 2
    window.select_claim(reviewed["checked"][0])
    assert feature.approve()  # still working
    assert window.project.claim(reviewed["checked"][0]).status == "approved"


def test_import_json_round_trip_opens_the_new_project(
    qtbot: Any, window: Any, seed_project: Path, reviewed: dict[str, list[int]], tmp_path: Path
) -> None:
    feature = _open(qtbot, window, seed_project)
    exported = tmp_path / "export.json"
    feature.export_report("json", exported)
    _wait_job(qtbot, window)
    before = {(c.id, c.start, c.end, c.text, c.status, c.rating) for c in window.model.claims()}

    target = tmp_path / "imported.wbproj"
    feature.ask.import_from = exported
    window.ask.save_to = target
    feature.act_import.trigger()
    qtbot.waitUntil(lambda: window.has_project() and window.project.path == target, timeout=15_000)
    after = {(c.id, c.start, c.end, c.text, c.status, c.rating) for c in window.model.claims()}
    assert after == before
    assert _queued(feature) == reviewed["checked"]  # the queue follows the newly opened project
    assert window.ask.errors == []

    # Importing over the project that is open is refused, not done.
    assert not feature.import_json(exported, target)
    assert "open now" in window.ask.errors[-1]


def test_preview_is_the_pdf_document_and_follows_edits(
    qtbot: Any, window: Any, seed_project: Path, reviewed: dict[str, list[int]]
) -> None:
    feature = _open(qtbot, window, seed_project)
    feature.show_preview()
    qtbot.waitUntil(lambda: bool(feature.preview.html), timeout=10_000)
    with Project.open(seed_project) as other:
        assert feature.preview.html == preview_html(other, PINNED)
        assert feature.preview.html == render_template(PDF_TEMPLATE, report_data(other, PINNED))
    title = window.project.article().title
    assert title in feature.preview.browser.toPlainText()
    assert feature.preview.browser.loadResource(0, "https://example.org/x.png") is None

    first = feature.preview.html
    window.select_claim(reviewed["checked"][0])
    feature.approve()
    qtbot.waitUntil(lambda: feature.preview.html != first, timeout=10_000)


def _words_broken(document: Any) -> list[str]:
    """Lines of a laid-out document that end inside a word ("Misleadi" / "ng")."""
    document.documentLayout().documentSize()  # lays the whole document out
    broken = []
    block = document.begin()
    while block.isValid():
        text, layout = block.text(), block.layout()
        for i in range(layout.lineCount() - 1):
            line = layout.lineAt(i)
            end = line.textStart() + line.textLength()
            if 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
                token = text[:end].split()[-1] + text[end:].split()[0]
                # An address or a SHA-256 longer than the line may break anywhere.
                if "://" not in token and not re.fullmatch(r"[0-9a-f]{32,}", token):
                    broken.append(f"{text[line.textStart() : end]}|{text[end:]}")
        block = block.next()
    return broken


def test_the_preview_in_a_narrow_dock_breaks_lines_between_words(
    qtbot: Any, window: Any, seed_project: Path, reviewed: dict[str, list[int]]
) -> None:
    """The preview cut the scale's labels in a narrow dock ("Misleadi ng", "Unverifi able");
    the PDF, laid out by the same engine, breaks lines only between words. And nothing makes
    it scroll sideways: a stored copy's address and SHA-256 wrap."""
    from workbench.core.sources.fetch import store_snapshot
    from workbench.core.sources.snapshot import Snapshot

    with Project.open(seed_project) as project:
        claim = project.claims()[reviewed["checked"][0] - 1]
        url = "https://stats.example.gov/syria/casualties/2015/october/full-table-of-figures"
        source_id = project.attach_source(claim.id, url)
        archived = f"https://web.archive.org/web/20151012100000/{url}"
        page = b"<html><body><p>The figures for October.</p></body></html>"
        copy = Snapshot(url, "wayback", archived, "2015-10-12T10:00:00Z", 200, "text/html", page)
        store_snapshot(project, source_id, copy)
    feature = _open(qtbot, window, seed_project)
    feature.show_preview()
    qtbot.waitUntil(lambda: bool(feature.preview.html), timeout=10_000)
    browser = feature.preview.browser
    window.resize(1000, 800)
    feature.preview_dock.setFloating(True)  # as narrow as a dock beside the article can be
    feature.preview_dock.resize(380, 700)
    qtbot.waitUntil(lambda: browser.viewport().width() < 400, timeout=5_000)
    assert "Misleading" in browser.toPlainText() and "SHA-256" in browser.toPlainText()
    assert _words_broken(browser.document()) == []
    qtbot.waitUntil(lambda: browser.horizontalScrollBar().maximum() == 0, timeout=3000)


def test_export_options_change_what_the_report_holds(
    qtbot: Any, window: Any, seed_project: Path, reviewed: dict[str, list[int]], tmp_path: Path
) -> None:
    feature = _open(qtbot, window, seed_project)
    rows = {}
    for include_all in (False, True):
        feature.act_all_claims.setChecked(include_all)
        target = tmp_path / f"r-{include_all}.csv"
        assert feature.export_report("csv", target)
        _wait_job(qtbot, window)
        rows[include_all] = len(target.read_text("utf-8").splitlines()) - 1
    assert rows[True] == window.model.rowCount() > rows[False]

    reviews = {}
    for approved_only in (False, True):
        feature.act_approved_only.setChecked(approved_only)
        target = tmp_path / f"r-{approved_only}.jsonld"
        assert feature.export_report("claimreview", target)
        _wait_job(qtbot, window)
        reviews[approved_only] = json.loads(target.read_text("utf-8"))
    approved = [c for c in window.model.claims() if c.status == "approved" and c.rating]
    assert len(reviews[True]) == len(approved) < len(reviews[False])
