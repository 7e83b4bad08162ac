"""A claim's verdict rows told as what the person did, one entry per meaningful edit.

Verdicts are append-only, and the rationale box saves after every pause in typing, so one
rationale written in three bursts is three rows. Read back, consecutive rationale-only rows by
the same person a few minutes apart are one edit ("Rationale written: …"); a rating change is
"Verdict: …"; an undo says what it put back. Nothing is dropped from the file, only grouped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from workbench.core.project.records import VerdictRecord

RUN_GAP_S = 300  # rationale saves further apart than this are separate edits
EXCERPT_CHARS = 120


@dataclass(frozen=True)
class VerdictChange:
    """One history entry: when (the last row it covers), its row id, who, and the words."""

    at: str
    id: int
    who: str
    words: str


@dataclass
class _Entry:
    first: VerdictRecord
    last: VerdictRecord
    rating_before: str | None
    rationale_before: str

    @property
    def rationale_only(self) -> bool:
        return (
            self.last.note == ""
            and self.rating_before == self.last.rating
            and self.rationale_before != self.last.rationale
        )


def describe_verdicts(
    verdicts: Iterable[VerdictRecord], label: Callable[[str], str]
) -> list[VerdictChange]:
    """Oldest first, as the rows are; `label` names a rating id ("mostly-true" → "Mostly true")."""
    entries: list[_Entry] = []
    rating: str | None = None
    rationale = ""
    for v in verdicts:
        last = entries[-1] if entries else None
        if (
            last is not None
            and last.rationale_only
            and v.note == ""
            and v.rating == rating
            and v.reviewer == last.last.reviewer
            and _seconds_between(last.last.created_at, v.created_at) <= RUN_GAP_S
        ):
            last.last = v  # the same typing, saved again after a pause
        else:
            entries.append(_Entry(v, v, rating, rationale))
        rating, rationale = v.rating, v.rationale
    changes = []
    for e in entries:
        words = _words(e, label)
        if words:
            changes.append(VerdictChange(e.last.created_at, e.last.id, e.last.reviewer, words))
    return changes


def _words(e: _Entry, label: Callable[[str], str]) -> str:
    v = e.last
    rating_changed = v.rating != e.rating_before
    rationale_changed = v.rationale != e.rationale_before
    if v.note == "undo":
        return "Undone: " + _state(v, label, rating_changed, rationale_changed)
    if not rating_changed and not rationale_changed:
        # A run typed and then taken back adds nothing; a repeated verdict is still shown.
        return "" if e.first is not v else _with_note(f"Verdict kept: {_rating(v, label)}", v)
    if rating_changed:
        words = f"Verdict: {label(v.rating)}" if v.rating else "Verdict cleared"
        if rationale_changed:
            words += " — " + (_quoted(v.rationale) if v.rationale else "rationale removed")
        return _with_note(words, v)
    if not v.rationale:
        return _with_note("Rationale removed", v)
    verb = "written" if not e.rationale_before else "edited"
    return _with_note(f"Rationale {verb}: {_quoted(v.rationale)}", v)


def _state(
    v: VerdictRecord, label: Callable[[str], str], rating_changed: bool, rationale_changed: bool
) -> str:
    """What an undo put back."""
    parts = []
    if rating_changed or not rationale_changed:
        parts.append(f"verdict back to {label(v.rating)}" if v.rating else "verdict cleared")
    if rationale_changed:
        parts.append(
            f"rationale back to {_quoted(v.rationale)}" if v.rationale else "rationale removed"
        )
    return ", ".join(parts)


def _rating(v: VerdictRecord, label: Callable[[str], str]) -> str:
    return label(v.rating) if v.rating else "not rated"


def _with_note(words: str, v: VerdictRecord) -> str:
    return f"{words} ({v.note})" if v.note else words


def _quoted(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) > EXCERPT_CHARS:
        flat = flat[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"
    return f"“{flat}”"


def _seconds_between(earlier: str, later: str) -> float:
    try:
        a = datetime.fromisoformat(earlier.replace("Z", "+00:00"))
        b = datetime.fromisoformat(later.replace("Z", "+00:00"))
    except ValueError:
        return float("inf")  # an unreadable time never joins a run
    return (b - a).total_seconds()
