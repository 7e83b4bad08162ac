"""Word-level differences between two readable texts (two snapshots, or a snapshot and the live
page, or two versions of the article).

Each distinct word becomes one character and the two character strings go to
fast-diff-match-patch (the C++ diff-match-patch: Myers' O(ND) diff with semantic cleanup), the
"lines to chars" trick that library documents for line diffs, applied to words. difflib's
SequenceMatcher took seconds on two 200 KB pages; this takes tens of milliseconds
(bench/bench_diff.py). Whitespace is not compared: readable text is re-flowed by extraction.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import fast_diff_match_patch

from workbench.core.errors import InvalidInputError
from workbench.core.wording import counted

# Words keep inner punctuation ("1,200", "don't", "e-mail"); other punctuation stands alone.
_TOKEN = re.compile(r"\w+(?:[.,'’\-]\w+)*|[^\w\s]")
# Changes separated by this few unchanged words read as one passage (an edited sentence is one
# passage, not one per word).
JOIN_GAP_WORDS = 4
_SURROGATES = range(0xD800, 0xE000)
_FIRST_CODE = 0x100  # leave ASCII alone so the mapped strings never look like text
_LAST_CODE = 0x10FFFF
# Myers' diff costs O(N*D): two texts that differ throughout take time that grows with the
# square of their length (two different 225 KB pages: 7 s CPU; 1 MB: minutes; a 20 MB page
# that a server swapped for another: hours, with no Cancel inside the C++ call). Past this
# many seconds diff-match-patch gives up on finding the minimal edit for the stretch it is in
# and reports that stretch as replaced: still a correct diff, only a coarser one (and said so).
TIME_LIMIT_S = 3.0


@dataclass(frozen=True)
class Op:
    """One stretch of the diff: character spans in the old text (a) and the new text (b).
    "equal" spans hold the same words; "delete" has an empty b span at the place it was;
    "insert" an empty a span."""

    kind: str  # "equal" | "delete" | "insert"
    a_start: int
    a_end: int
    b_start: int
    b_end: int


@dataclass(frozen=True)
class Passage:
    """One changed place: what the old text had there and what the new text has."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    removed: str
    added: str
    words_removed: int
    words_added: int
    first_op: int  # the ops of WordDiff.ops this passage spans, end exclusive
    end_op: int

    @property
    def words_changed(self) -> int:
        # replacing one word with one word is one changed word, not two
        return max(self.words_removed, self.words_added)


@dataclass(frozen=True)
class WordDiff:
    a: str
    b: str
    ops: tuple[Op, ...]
    passages: tuple[Passage, ...]
    # True when the time limit cut the search short: some changed stretches are reported as
    # replaced whole, though parts of them may be the same.
    coarse: bool = False

    @property
    def words_changed(self) -> int:
        return sum(p.words_changed for p in self.passages)

    @property
    def identical(self) -> bool:
        return not self.passages

    def describe(self) -> str:
        """'12 words changed in 2 passages', or that nothing changed."""
        if self.identical:
            return "The readable texts are the same word for word"
        words, count = self.words_changed, len(self.passages)
        said = f"{counted(words, 'word')} changed in {counted(count, 'passage')}"
        if self.coarse:
            said += " (at most: the texts differ too much to compare word by word in time)"
        return said


def tokens(text: str) -> list[tuple[int, int]]:
    """Character spans of the words and punctuation marks of `text`."""
    return [m.span() for m in _TOKEN.finditer(text)]


def _encode(text: str, spans: list[tuple[int, int]], codes: dict[str, str]) -> str:
    out = []
    for start, end in spans:
        word = text[start:end]
        code = codes.get(word)
        if code is None:
            number = _FIRST_CODE + len(codes)
            if number >= _SURROGATES.start:
                number += len(_SURROGATES)
            if number > _LAST_CODE:  # a page of over a million distinct words: made to harm
                raise InvalidInputError(
                    f"The texts hold more than {_LAST_CODE - _FIRST_CODE - len(_SURROGATES):,} "
                    "different words; they are too large to compare word by word."
                )
            code = codes[word] = chr(number)
        out.append(code)
    return "".join(out)


def word_diff(a: str, b: str, *, readable: bool = True) -> WordDiff:
    """The word-by-word difference from `a` (older) to `b` (newer). Readable diffs merge
    small unchanged islands into the changes around them (diff-match-patch's semantic
    cleanup), as a reader expects; `readable=False` keeps the minimal diff, which maps offsets
    more precisely (re-anchoring)."""
    a_spans, b_spans = tokens(a), tokens(b)
    codes: dict[str, str] = {}
    a_codes, b_codes = _encode(a, a_spans, codes), _encode(b, b_spans, codes)
    started = time.monotonic()
    raw = fast_diff_match_patch.diff(
        a_codes,
        b_codes,
        timelimit=TIME_LIMIT_S,
        checklines=False,
        cleanup="Semantic" if readable else "No",
        counts_only=True,
    )
    coarse = time.monotonic() - started >= TIME_LIMIT_S
    ops: list[Op] = []
    i = j = 0  # token positions in a and b
    for sign, count in raw:
        if sign == "=":
            ops.append(
                Op("equal", *_span(a_spans, i, count, len(a)), *_span(b_spans, j, count, len(b)))
            )
            i, j = i + count, j + count
        elif sign == "-":
            here = _point(b_spans, j, len(b))
            ops.append(Op("delete", *_span(a_spans, i, count, len(a)), here, here))
            i += count
        else:
            here = _point(a_spans, i, len(a))
            ops.append(Op("insert", here, here, *_span(b_spans, j, count, len(b))))
            j += count
    return WordDiff(a, b, tuple(ops), tuple(_passages(a, b, ops)), coarse)


def _span(spans: list[tuple[int, int]], first: int, count: int, length: int) -> tuple[int, int]:
    if count == 0 or first >= len(spans):
        here = _point(spans, first, length)
        return here, here
    return spans[first][0], spans[first + count - 1][1]


def _point(spans: list[tuple[int, int]], index: int, length: int) -> int:
    """Where token `index` starts (the end of the text past the last token)."""
    return spans[index][0] if index < len(spans) else length


def _passages(a: str, b: str, ops: list[Op]) -> list[Passage]:
    groups: list[tuple[int, int]] = []  # op index ranges
    for index, op in enumerate(ops):
        if op.kind == "equal":
            continue
        if groups:
            first, end = groups[-1]
            between = ops[end:index]
            gap = sum(_word_count(a[o.a_start : o.a_end]) for o in between if o.kind == "equal")
            if gap <= JOIN_GAP_WORDS:
                groups[-1] = (first, index + 1)
                continue
        groups.append((index, index + 1))
    passages = []
    for first, end in groups:
        group = ops[first:end]
        # an insertion's span in the other text is the point before the next word: ending a
        # passage there would swallow the space that follows the change
        a_start = group[0].a_start
        a_end = max((o.a_end for o in group if o.kind != "insert"), default=a_start)
        b_start = group[0].b_start
        b_end = max((o.b_end for o in group if o.kind != "delete"), default=b_start)
        # The texts of the whole place, so a change joined across an unchanged word reads
        # whole; the counts are of the changed words only.
        removed = a[a_start:a_end].strip() if any(op.kind == "delete" for op in group) else ""
        added = b[b_start:b_end].strip() if any(op.kind == "insert" for op in group) else ""
        passages.append(
            Passage(
                a_start,
                a_end,
                b_start,
                b_end,
                removed,
                added,
                sum(_word_count(a[o.a_start : o.a_end]) for o in group if o.kind == "delete"),
                sum(_word_count(b[o.b_start : o.b_end]) for o in group if o.kind == "insert"),
                first,
                end,
            )
        )
    return passages


def _word_count(text: str) -> int:
    return sum(1 for m in _TOKEN.finditer(text) if m.group()[0].isalnum() or m.group()[0] == "_")


def inline(diff: WordDiff, context_words: int = 8) -> list[str]:
    """Each passage as one line in `git diff --word-diff` style, with a few words either side:
    '… the budget rises by [-12-]{+14+} per cent …'."""
    lines = []
    for p in diff.passages:
        before = _tail_words(diff.a[: p.a_start], context_words)
        after = _head_words(diff.a[p.a_end :], context_words)
        out = before
        previous = ""
        for op in diff.ops[p.first_op : p.end_op]:
            if op.kind == "insert":
                space = _space_before(diff.b, op.b_start)
                piece = f"{{+{diff.b[op.b_start : op.b_end]}+}}"
            else:
                space = _space_before(diff.a, op.a_start)
                piece = diff.a[op.a_start : op.a_end]
                piece = piece if op.kind == "equal" else f"[-{piece}-]"
            if op.kind == "insert" and previous == "delete":
                space = ""  # [-12-]{+14+}: a replacement reads as one
            if out and not out[-1].isspace():
                out += space
            out += piece
            previous = op.kind
        lines.append((out + after).strip())
    return lines


def _space_before(text: str, index: int) -> str:
    start = index
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return text[start:index]


_CHUNK = re.compile(r"\s*\S+")


def _tail_words(text: str, n: int) -> str:
    """The last `n` words of `text` with their spacing as it was (the whitespace before the
    change included, so the line reads like the text)."""
    window = text[-60 * n :]
    chunks = [m.group() for m in _CHUNK.finditer(window)]
    trailing = window[len(window.rstrip()) :]
    kept = "".join(chunks[-n:]).lstrip() + trailing
    return ("… " if len(chunks) > n else "") + kept if kept.strip() else trailing


def _head_words(text: str, n: int) -> str:
    chunks = [m.group() for m in _CHUNK.finditer(text[: 60 * n])]
    kept = "".join(chunks[:n])
    return kept + (" …" if len(chunks) > n else "")
