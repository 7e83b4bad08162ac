"""Benchmark: the word diff of two ~200 KB readable texts, beside difflib.

Run with ``python bench/bench_diff.py [--json] [--kb 200]``. The older text is the seed article
repeated to the size asked (repetition is the hard case: many equal words to choose between);
the newer one has a figure changed in every 40th sentence, every 25th sentence removed and a
new paragraph every 30 sentences, as a heavily revised page would. Workbench's `word_diff`
(fast-diff-match-patch over words) is timed best of 3; difflib's SequenceMatcher on the same
word lists once (it is quadratic here, and autojunk is off because on prose it throws away the
common words and with them the alignment). Also timed, best of 3: the whole comparison the
review pane's Changes page makes (`compare_texts`: the diff plus two quotations, one found and
one not, checked in both texts), cold, as the first comparison of two copies is.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import emit_json

from workbench.core.project.records import SnapshotRecord
from workbench.core.sources import evidence
from workbench.core.sources.compare import PairTexts, compare_texts
from workbench.core.sources.diff import tokens, word_diff

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "sample_data" / "russia-islamic-state-syria-rebels.txt"


def older_text(kb: int) -> str:
    unit = ARTICLE.read_text("utf-8").strip() + "\n\n"
    return unit * max(1, round(kb * 1024 / len(unit.encode("utf-8"))))


def revised(text: str) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", text)
    out = []
    for i, sentence in enumerate(sentences):
        if i % 25 == 24:
            continue
        if i % 40 == 7:
            sentence = re.sub(r"\d+", lambda m: str(int(m.group()) + 3), sentence, count=1)
            sentence = sentence.replace(" the ", " a ", 1)
        out.append(sentence)
        if i % 30 == 29:
            out.append(f"\n\nUPDATE {i}: This paragraph was added when the page was revised.\n\n")
    return " ".join(out)


def compare_seconds(a: str, b: str) -> float:
    """Best of 3 of compare_texts with two quotations, each run with nothing folded yet."""

    def copy(number: int) -> SnapshotRecord:
        return SnapshotRecord(number, 1, "https://example.org/page", "wayback", None, None,
                              "2026-01-01T00:00:00Z", 200, "text/html", "", 0, None, "", "",
                              None, (), "")  # fmt: skip

    found = " ".join(a.split()[1000:1012])
    quotes = ((1, found), (2, "Nothing like these words appears on the page at all"))
    pair = PairTexts(copy(1), copy(2), a, b, quotes)
    best = float("inf")
    for _ in range(3):
        evidence._folded_source.cache_clear()
        started = time.perf_counter()
        compare_texts(pair)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kb", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    a = older_text(args.kb)
    b = revised(a)
    best = float("inf")
    result = word_diff(a, b)
    for _ in range(3):
        started = time.perf_counter()
        result = word_diff(a, b)
        best = min(best, time.perf_counter() - started)
    a_words = [a[s:e] for s, e in tokens(a)]
    b_words = [b[s:e] for s, e in tokens(b)]
    started = time.perf_counter()
    matcher = difflib.SequenceMatcher(None, a_words, b_words, autojunk=False)
    opcodes = matcher.get_opcodes()
    difflib_s = time.perf_counter() - started
    changed_difflib = sum(1 for op in opcodes if op[0] != "equal")
    figures = {
        "a_kb": len(a.encode("utf-8")) / 1024,
        "b_kb": len(b.encode("utf-8")) / 1024,
        "a_words": len(a_words),
        "b_words": len(b_words),
        "ours_s": best,
        "difflib_s": difflib_s,
        "passages": len(result.passages),
        "words_changed": result.words_changed,
        "difflib_changes": changed_difflib,
        "compare_s": compare_seconds(a, b),
    }
    print(
        f"{figures['a_kb']:.0f} KB / {figures['b_kb']:.0f} KB, "
        f"{len(a_words):,} / {len(b_words):,} tokens\n"
        f"word_diff (best of 3): {best * 1000:,.0f} ms, {result.describe()}\n"
        f"difflib SequenceMatcher (once): {difflib_s:,.2f} s, {changed_difflib:,} changed stretches\n"
        f"compare_texts, diff + 2 quotations in both (best of 3, cold): "
        f"{figures['compare_s']:,.2f} s"
    )
    if args.json:
        emit_json(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
