"""Benchmark: workbench's sentence_spans against pysbd on the seed article, repeated.

Run with ``python bench/bench_segment.py [--json]``. Builds about 1 MB of text by repeating
sample_data/russia-islamic-state-syria-rebels.txt and prints a table of sizes, sentence counts,
times and throughput. pysbd slows down faster than linearly with text length (about 19 s on
350 KB), so it is timed once on ~100 KB and ~350 KB slices rather than on the full megabyte;
sentence_spans is timed (best of 3) on the same slices and on the megabyte.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import emit_json

from workbench.core.article.segment import sentence_spans

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "sample_data" / "russia-islamic-state-syria-rebels.txt"
TARGET_BYTES = 1_000_000
PYSBD_SLICES = (100_000, 350_000)


def build_text(article: str, target_bytes: int) -> str:
    """Repeat the article, paragraph-separated, until it is about target_bytes of UTF-8."""
    unit = article.strip() + "\n\n"
    copies = max(1, round(target_bytes / len(unit.encode("utf-8"))))
    return unit * copies


def head(text: str, target_bytes: int) -> str:
    """The first ~target_bytes of text, cut at a paragraph break so no sentence is cut."""
    approx = len(text[:target_bytes].encode("utf-8")[:target_bytes].decode("utf-8", "ignore"))
    cut = text.rfind("\n\n", 0, approx)
    return text[: cut if cut > 0 else approx]


def best_time(run: Callable[[], int], repeats: int) -> tuple[float, int]:
    """The fastest of repeats runs, and the sentence count it returned."""
    best = float("inf")
    count = 0
    for _ in range(repeats):
        started = time.perf_counter()
        count = run()
        best = min(best, time.perf_counter() - started)
    return best, count


def row(name: str, text: str, seconds: float, count: int, runs: str) -> str:
    kib = len(text.encode("utf-8")) / 1024
    return (
        f"| {name:<15} | {kib:>8.0f} KB | {count:>9,} | {seconds:>9.3f} s "
        f"| {kib / seconds:>10,.0f} KB/s | {runs:<9} |"
    )


def kb_per_s(text: str, seconds: float) -> float:
    return round(len(text.encode("utf-8")) / 1024 / seconds, 1)


def main() -> int:
    as_json = "--json" in sys.argv[1:]  # figures as one JSON line at the end, for bench/run.py
    figures: dict[str, float | int | str] = {}
    article = ARTICLE.read_text("utf-8")
    text = build_text(article, TARGET_BYTES)
    header = (
        f"| {'splitter':<15} | {'text':>11} | {'sentences':>9} | {'time':>11} "
        f"| {'throughput':>15} | {'runs':<9} |"
    )
    rule = "|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|"
    print(f"Seed article: {ARTICLE.name}, {len(article.encode('utf-8')):,} bytes")
    print(f"Bench text: {len(text.encode('utf-8')):,} bytes ({len(text):,} characters)")
    print(f"Python {sys.version.split()[0]}\n")
    print(header)
    print(rule)
    whole = best_time(lambda: len(sentence_spans(text)), 3)
    print(row("sentence_spans", text, *whole, "best of 3"))
    figures.update(
        text_bytes=len(text.encode("utf-8")),
        ours_s=round(whole[0], 4),
        ours_kb_s=kb_per_s(text, whole[0]),
        ours_sentences=whole[1],
    )

    try:
        import pysbd
    except ImportError:
        print("\npysbd is not installed (pip install 'workbench[bench]'); skipped the comparison.")
        if as_json:
            emit_json(figures)
        return 0
    segmenter = pysbd.Segmenter(language="en", clean=False)
    for size in PYSBD_SLICES:
        piece = head(text, size)
        ours = best_time(lambda piece=piece: len(sentence_spans(piece)), 3)
        print(row("sentence_spans", piece, *ours, "best of 3"))
        theirs = best_time(lambda piece=piece: len(segmenter.segment(piece)), 1)
        print(row(f"pysbd {pysbd.__version__}", piece, *theirs, "1 run"))
        kb = round(len(piece.encode("utf-8")) / 1024)
        figures[f"ours_{kb}kb_kb_s"] = kb_per_s(piece, ours[0])
        figures[f"pysbd_{kb}kb_kb_s"] = kb_per_s(piece, theirs[0])
        figures[f"pysbd_{kb}kb_s"] = round(theirs[0], 3)
    figures["pysbd_version"] = pysbd.__version__
    print(
        "\nKB = 1024 bytes of UTF-8. pysbd runs once per slice: it is super-linear, so a\n"
        "megabyte would take minutes. On one copy of the article the splitters disagree in\n"
        "three ways: pysbd keeps a quoted three-sentence passage as one segment, keeps the\n"
        '"*  *  *" separator as a segment (sentence_spans skips it), and cuts three\n'
        'comment titles at "? | The Syrian Intifada" (sentence_spans keeps them whole).'
    )
    if as_json:
        emit_json(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
