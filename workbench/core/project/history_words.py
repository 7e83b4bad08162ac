"""A project's events as sentences a person reads: "Ann rated claim 3 Mostly true".

The event log stores an action and a JSON detail per edit; these words are what `workbench history`
prints, one event per line, so a project's story reads without knowing the schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.core.project.records import STATUS_LABELS, EventRecord
from workbench.core.project.scales import Scale

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


def _verdict(e: EventRecord, scale: Scale | None, rated_before: bool = True) -> str:
    d = e.detail
    rating = d.get("rating")
    if not rating and not rated_before and d.get("rationale"):
        # A rationale saved before any rating is stored as a verdict without one.
        return _with_note(f"wrote a rationale for {_claim(e)}, not rated yet", d["rationale"])
    if not rating:
        return f"cleared the verdict on {_claim(e)}"
    label = str(rating)
    if scale is not None:
        label = next((r.label for r in scale.ratings if r.id == rating), label)
    sentence = f"rated {_claim(e)} {label}"
    if d.get("note"):
        sentence += f" ({' '.join(str(d['note']).split())})"
    return _with_note(sentence, d.get("rationale"))


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
    d = e.detail
    digest = str(d.get("sha256") or "")[:12]
    sentence = f"stored a copy of {_source(e)} from {d.get('archive') or 'an archive'}"
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
    """One line per event, oldest first (as `Project.history` gives them): a verdict without a
    rating reads as a cleared verdict only when the claim had one."""
    rated: dict[int | None, bool] = {}
    lines = []
    for event in events:
        lines.append(event_sentence(event, scale, rated_before=rated.get(event.claim_id, False)))
        if event.action == "verdict":
            rated[event.claim_id] = bool(event.detail.get("rating"))
    return lines


def event_sentence(
    event: EventRecord, scale: Scale | None = None, *, rated_before: bool = True
) -> str:
    """One line: who did what to which claim or source (no time; the caller adds it).
    rated_before: whether the claim had a rating before this event (see history_sentences)."""
    words = _WORDS.get(event.action)
    if event.action == "verdict":
        what = _verdict(event, scale, rated_before)
    elif words is not None:
        what = words(event, scale)
    else:  # an action newer than this table still reads as a sentence
        target = _claim(event) if event.claim_id is not None else _source(event)
        what = f"{event.action.replace('-', ' ')} on {target}"
    return f"{event.actor or 'someone'} {what}"
