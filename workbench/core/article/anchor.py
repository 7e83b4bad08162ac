"""Re-anchoring a span of an old text in a revised text, the way W3C Web Annotation selectors
do it: a TextQuoteSelector (the exact words plus a little context either side) finds the span,
and a TextPositionSelector (where it was, carried through the word diff of the two texts) is
the hint that decides between several matches and places a span whose words changed.

Outcomes: "exact" (the same words in the same place of the text: nothing around them changed
that matters), "moved" (the same words found elsewhere), "changed" (the place is there but the
words were edited; the word diff says how), "gone" (too little of it is left to call it the
same sentence; the span becomes empty where it stood).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from workbench.core.article.segment import trim_span
from workbench.core.sources.diff import Op, WordDiff, tokens, word_diff

CONTEXT_CHARS = 32  # prefix/suffix kept by the TextQuoteSelector (Hypothesis keeps 32)
MIN_KEPT = 0.5  # share of a span's words that must survive for it to count as "changed"


@dataclass(frozen=True)
class TextQuoteSelector:
    exact: str
    prefix: str
    suffix: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> TextQuoteSelector:
        return cls(
            text[start:end],
            text[max(0, start - CONTEXT_CHARS) : start],
            text[end : end + CONTEXT_CHARS],
        )

    def to_json(self) -> dict[str, str]:
        return {
            "type": "TextQuoteSelector",
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
        }


@dataclass(frozen=True)
class Anchored:
    state: str  # "exact" | "moved" | "changed" | "gone"
    start: int
    end: int
    old_start: int
    old_end: int
    selector: TextQuoteSelector
    changes: tuple[tuple[str, str], ...] = ()  # for "changed": (op, words) from old to new
    kept: float = 1.0  # share of the old words still there
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "selector": [
                self.selector.to_json(),
                {"type": "TextPositionSelector", "start": self.old_start, "end": self.old_end},
            ],
            "state": self.state,
            "kept": round(self.kept, 3),
            "changes": [list(c) for c in self.changes],
            **self.detail,
        }


class Mapper:
    """Carries offsets of the old text into the new one through a word diff."""

    def __init__(self, diff: WordDiff) -> None:
        self.diff = diff
        self.ops = diff.ops
        self._starts = [op.a_start for op in self.ops]

    def point(self, offset: int, *, at_end: bool = False) -> int:
        """Where old `offset` lands in the new text. Inside an unchanged stretch it moves with
        it; inside a deleted one it lands where the deletion was."""
        if not self.ops:
            return min(offset, len(self.diff.b))
        index = max(0, bisect.bisect_right(self._starts, offset) - 1)
        # an offset at the boundary of two ops belongs to the later one for starts, the
        # earlier one for ends (so an insertion right after a span is not swallowed by it)
        if at_end:
            while index > 0 and self.ops[index].a_start == offset and offset > 0:
                index -= 1
        op = self.ops[index]
        if op.kind == "equal":
            return op.b_start + min(max(offset - op.a_start, 0), op.b_end - op.b_start)
        return op.b_end if at_end else op.b_start

    def unchanged(self, start: int, end: int) -> bool:
        """True when [start, end) of the old text lies inside one unchanged stretch."""
        return any(
            op.kind == "equal" and op.a_start <= start and end <= op.a_end for op in self.ops
        )

    def kept_share(self, start: int, end: int) -> float:
        """The share of the words of old [start, end) that the diff keeps."""
        words = [s for s in tokens(self.diff.a[start:end])]
        if not words:
            return 0.0
        kept = 0
        for op in self._ops_over(start, end):
            if op.kind == "equal":
                lo, hi = max(op.a_start, start), min(op.a_end, end)
                if hi > lo:
                    kept += len(tokens(self.diff.a[lo:hi]))
        return min(1.0, kept / len(words))

    def _ops_over(self, start: int, end: int) -> list[Op]:
        return [op for op in self.ops if op.a_end > start and op.a_start < end]


def anchor(old: str, new: str, start: int, end: int, mapper: Mapper | None = None) -> Anchored:
    """Where old[start:end] is in `new`."""
    mapper = mapper or Mapper(word_diff(old, new))
    selector = TextQuoteSelector.of(old, start, end)
    hint = mapper.point(start)
    if mapper.unchanged(start, end):
        new_start = mapper.point(start)
        return Anchored("exact", new_start, new_start + (end - start), start, end, selector)
    found = _best_occurrence(new, selector, hint)
    if found is not None:
        # The same words where the diff carries the old place (a minimal diff may pair a word
        # at the edge, like a leading "The", with a neighbour): still in place, not moved.
        length = len(selector.exact)
        mapped_end = mapper.point(end, at_end=True)
        overlap = min(mapped_end, found + length) - max(hint, found)
        state = "exact" if overlap * 2 >= length else "moved"
        return Anchored(state, found, found + length, start, end, selector)
    kept = mapper.kept_share(start, end)
    new_start, new_end = mapper.point(start), mapper.point(end, at_end=True)
    new_start, new_end = trim_span(new, new_start, max(new_start, new_end))
    if kept >= MIN_KEPT and new_end > new_start:
        edits = word_diff(selector.exact, new[new_start:new_end])
        changes = tuple(
            (
                op.kind,
                edits.a[op.a_start : op.a_end]
                if op.kind != "insert"
                else edits.b[op.b_start : op.b_end],
            )
            for op in edits.ops
        )
        return Anchored("changed", new_start, new_end, start, end, selector, changes, kept)
    return Anchored("gone", new_start, new_start, start, end, selector, (), kept)


def find_again(old_start: int, new: str, selector: TextQuoteSelector, mapper: Mapper) -> Anchored:
    """A claim gone from an earlier version (an empty span at old_start), looked for by its last
    words and their context: back when they are in the new text ("moved", detail `returned`),
    else still gone. Without this a gone claim's empty span read as unchanged next time."""
    hint = mapper.point(old_start)
    found = _best_occurrence(new, selector, hint)
    if found is None:
        return Anchored("gone", hint, hint, old_start, old_start, selector, (), 0.0)
    end = found + len(selector.exact)
    return Anchored("moved", found, end, old_start, old_start, selector, detail={"returned": True})


def _best_occurrence(new: str, selector: TextQuoteSelector, hint: int) -> int | None:
    """The occurrence of the exact words whose context matches best, nearest the hint."""
    if not selector.exact.strip():
        return None
    best: tuple[int, int, int] | None = None  # (-context score, distance, start)
    at = new.find(selector.exact)
    while at != -1:
        before = new[max(0, at - CONTEXT_CHARS) : at]
        after = new[at + len(selector.exact) : at + len(selector.exact) + CONTEXT_CHARS]
        score = _common_suffix(before, selector.prefix) + _common_prefix(after, selector.suffix)
        key = (-score, abs(at - hint), at)
        if best is None or key < best:
            best = key
        at = new.find(selector.exact, at + 1)
    return best[2] if best else None


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
