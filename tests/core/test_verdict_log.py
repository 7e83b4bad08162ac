"""A claim's verdict rows read back as one entry per meaningful edit (issue 17.8)."""

from __future__ import annotations

from workbench.core.project.records import VerdictRecord
from workbench.core.project.verdict_log import describe_verdicts


def _row(n: int, at: str, rating: str | None, rationale: str, note: str = "", who: str = "ann"):
    return VerdictRecord(n, 1, rating, rationale, who, f"2026-03-12T10:{at}Z", note)


def _words(rows: list[VerdictRecord]) -> list[str]:
    return [c.words for c in describe_verdicts(rows, lambda r: r.replace("-", " ").capitalize())]


def test_rationale_saves_of_one_typing_run_are_one_entry_on_an_unrated_claim() -> None:
    rows = [_row(1, "00:00", None, "The"), _row(2, "00:04", None, "The minutes agree.")]
    assert _words(rows) == ["Rationale written: “The minutes agree.”"]
    (change,) = describe_verdicts(rows, str)
    assert (change.id, change.at) == (2, "2026-03-12T10:00:04Z")  # the run's last save


def test_a_verdict_then_later_rationale_edits_are_separate_entries() -> None:
    rows = [
        _row(1, "00:00", "true", ""),
        _row(2, "00:10", "true", "Minutes say 7-2."),
        _row(3, "20:00", "true", "Minutes say 7-2. Checked."),  # twenty minutes later
        _row(4, "20:05", None, "Minutes say 7-2. Checked."),
    ]
    assert _words(rows) == [
        "Verdict: True",
        "Rationale written: “Minutes say 7-2.”",
        "Rationale edited: “Minutes say 7-2. Checked.”",
        "Verdict cleared",
    ]


def test_other_reviewers_undo_and_no_net_change_are_told_apart() -> None:
    rows = [
        _row(1, "00:00", None, "Draft"),
        _row(2, "00:02", None, "Draft", who="bob"),  # nothing changed: a kept (repeated) row
        _row(3, "00:03", None, "Draft two", who="bob"),
        _row(4, "00:04", None, "Draft", note="undo", who="bob"),
        _row(5, "00:05", "false", "Draft"),
        _row(6, "00:06", "false", "Draft x"),
        _row(7, "00:07", "false", "Draft"),  # typed and taken back: no entry
    ]
    assert _words(rows) == [
        "Rationale written: “Draft”",
        "Verdict kept: not rated",
        "Rationale edited: “Draft two”",
        "Undone: rationale back to “Draft”",
        "Verdict: False",
    ]
