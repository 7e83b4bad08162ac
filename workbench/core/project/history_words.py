"""A project's events as sentences a person reads: "Ann rated claim 3 Mostly true".

The event log stores an action and a JSON detail per edit; these words are what `workbench history`
prints, one event per line, so a project's story reads without knowing the schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.core.project.records import STATUS_LABELS, EventRecord
from workbench.core.project.scales import Scale
from workbench.core.sources.archive_words import archive_in_words, capture_time_in_words

_MAX_QUOTE = 160


def _quote(text: Any) -> str:
    words = " ".join(str(text or "").split())
    if len(words) > _MAX_QUOTE:
        words = words[: _MAX_QUOTE - 1].rstrip() + "…"
    return f"“{words}”"


def _status(value: Any) -> str:
    return STATUS_LABELS.get(str(value), str(value or "?"))


def _claim(e: EventRecord) -> str:
    return f"claim {e.claim_id}" if e.claim_id is not None else "the project"


def _source(e: EventRecord) -> str:
    return f"source {e.source_id}" if e.source_id is not None else "a source"


def _with_note(sentence: str, note: Any, joiner: str = " — ") -> str:
    return f"{sentence}{joiner}{_quote(note)}" if note else sentence


Before = tuple[str | None, str]  # a claim's rating and rationale before an event


def _verdict(e: EventRecord, scale: Scale | None, before: Before | None = None) -> str:
    """Said as what changed, like the claim panel's history: the rationale box saves a verdict
    row (with the rating unchanged, or none) at every pause in typing, so a rationale written
    on an unrated claim read "cleared the verdict", and one edited on a rated claim read as
    rating it again. `before`: None when the claim's earlier verdicts are not known."""
    d = e.detail
    rating, rationale = d.get("rating") or None, str(d.get("rationale") or "")
    had_rating, had_rationale = before if before is not None else (rating, "")
    if d.get("note") == "undo":
        return _undone(e, scale, rating, rationale, before)
    if rating != had_rating or before is None:
        if not rating:
            sentence = f"cleared the verdict on {_claim(e)}"
            return sentence + (" and its rationale" if had_rationale and not rationale else "")
        sentence = f"rated {_claim(e)} {_label(rating, scale)}"
        if d.get("note"):
            sentence += f" ({' '.join(str(d['note']).split())})"
        if rationale and (before is None or rationale != had_rationale):
            return _with_note(sentence, rationale)
        return sentence + (" and removed its rationale" if had_rationale and not rationale else "")
    unrated = "" if rating else ", not rated yet"
    if rationale == had_rationale:
        if rating:
            return f"rated {_claim(e)} {_label(rating, scale)} again"
        return f"left {_claim(e)} unrated"
    if not rationale:
        return f"removed the rationale of {_claim(e)}{unrated}"
    verb = "edited the rationale of" if had_rationale else "wrote a rationale for"
    return _with_note(f"{verb} {_claim(e)}{unrated}", rationale)


def _undone(
    e: EventRecord, scale: Scale | None, rating: str | None, rationale: str, before: Before | None
) -> str:
    """An undo appends the earlier verdict again: say what it put back."""
    had_rating, had_rationale = before if before is not None else (None, rationale)
    parts = []
    if rating != had_rating or rationale == had_rationale:
        parts.append(f"verdict back to {_label(rating, scale)}" if rating else "verdict cleared")
    if rationale != had_rationale:
        parts.append(f"rationale back to {_quote(rationale)}" if rationale else "rationale removed")
    return f"undid an edit of {_claim(e)}: {', '.join(parts)}"


def _label(rating: Any, scale: Scale | None) -> str:
    if scale is not None:
        return next((r.label for r in scale.ratings if r.id == rating), str(rating))
    return str(rating)


def _status_change(e: EventRecord, scale: Scale | None) -> str:
    d = e.detail
    if d.get("from") == d.get("to"):
        sentence = f"marked {_claim(e)} {_status(d.get('to'))} again"
    else:
        sentence = f"moved {_claim(e)} from {_status(d.get('from'))} to {_status(d.get('to'))}"
    return _with_note(sentence, d.get("note"))


def _attached(e: EventRecord, scale: Scale | None) -> str:
    d = e.detail
    sentence = f"attached {_source(e)} to {_claim(e)} as {d.get('relation') or 'cited'}"
    if d.get("url"):
        sentence += f": {d['url']}"
    return _with_note(sentence, d.get("note"))


def _source_edit(e: EventRecord, scale: Scale | None) -> str:
    fields = [str(f) for f in e.detail.get("fields") or []]
    if fields == ["evaluation"]:
        return f"recorded the evaluation of {_source(e)}"
    if not fields:
        return f"edited {_source(e)}"
    return f"changed the {', '.join(f.replace('_', ' ') for f in fields)} of {_source(e)}"


def _snapshot(e: EventRecord, scale: Scale | None) -> str:
    """'stored the capture of 2015-03-01 10:00:00 UTC from the Wayback Machine as snapshot 1
    of source 2 (sha256 …)', as the window's History tab says it; older events did not
    record the capture's time or the snapshot."""
    d = e.detail
    digest = str(d.get("sha256") or "")[:12]
    where = archive_in_words(d.get("archive"))
    if "captured_at" in d:
        sentence = (
            f"stored the capture of {capture_time_in_words(d.get('captured_at'))} from {where}"
        )
        if d.get("snapshot"):
            sentence += f" as snapshot {d['snapshot']}"
        sentence += f" of {_source(e)}"
    else:
        sentence = f"stored a copy of {_source(e)} from {where}"
    return f"{sentence} (sha256 {digest}…)" if digest else sentence


def _added(e: EventRecord, scale: Scale | None) -> str:
    origin = e.detail.get("split_from")
    if origin:
        return f"split {_claim(e)} off claim {origin}"
    return f"made {_claim(e)} from a selection"


def _deleted(e: EventRecord, scale: Scale | None) -> str:
    into = e.detail.get("merged_into")
    return f"deleted {_claim(e)}" + (f" (merged into claim {into})" if into else "")


def _score(e: EventRecord, scale: Scale | None) -> str:
    d = e.detail
    try:
        score = f"{float(d.get('score', 0)):.2f}"
    except (TypeError, ValueError):
        score = str(d.get("score"))
    return f"re-scored {_claim(e)}: {d.get('kind') or 'claim'}, {score}"


_WORDS: dict[str, Callable[[EventRecord, Scale | None], str]] = {
    "verdict": _verdict,
    "status": _status_change,
    "source": _attached,
    "unsource": lambda e, s: f"removed {_source(e)} from {_claim(e)}",
    "source-edit": _source_edit,
    "snapshot": _snapshot,
    "fetch-error": lambda e, s: _with_note(
        f"could not fetch {_source(e)}", e.detail.get("reason"), ": "
    ),
    "edit": lambda e, s: f"changed the wording of {_claim(e)} to {_quote(e.detail.get('to'))}",
    "span": lambda e, s: f"moved the span of {_claim(e)}",
    "split": lambda e, s: (
        f"split {_claim(e)}; the second part is claim {e.detail.get('new_claim')}"
    ),
    "merge": lambda e, s: f"merged claim {e.detail.get('merged')} into {_claim(e)}",
    "add": _added,
    "delete": _deleted,
    "restore": lambda e, s: f"restored {_claim(e)}",
    "score": _score,
    "scale": lambda e, s: f"set the rating scale to {e.detail.get('scale')}",
}


def history_sentences(events: list[EventRecord], scale: Scale | None = None) -> list[str]:
    """One line per event, oldest first (as `Project.history` gives them); a verdict is said
    as what it changed in the claim's rating or rationale."""
    verdicts: dict[int | None, Before] = {}
    lines = []
    for event in events:
        before = verdicts.get(event.claim_id, (None, ""))
        lines.append(event_sentence(event, scale, before=before))
        if event.action == "verdict":
            d = event.detail
            verdicts[event.claim_id] = (d.get("rating") or None, str(d.get("rationale") or ""))
    return lines


def event_sentence(
    event: EventRecord, scale: Scale | None = None, *, before: Before | None = None
) -> str:
    """One line: who did what to which claim or source (no time; the caller adds it).
    before: the claim's rating and rationale before this event (see history_sentences), or
    None when they are not known."""
    words = _WORDS.get(event.action)
    if event.action == "verdict":
        what = _verdict(event, scale, before)
    elif words is not None:
        what = words(event, scale)
    else:  # an action newer than this table still reads as a sentence
        target = _claim(event) if event.claim_id is not None else _source(event)
        what = f"{event.action.replace('-', ' ')} on {target}"
    return f"{event.actor or 'someone'} {what}"
