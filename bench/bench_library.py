"""The fact-check library: retrieval quality on CLEF-2020 CheckThat! claim retrieval, and speed.

    python bench/bench_library.py [--json] [--scale 100000] [--speed-only]

Quality: the 10,375 Snopes claims become a ClaimReview feed (JSON Lines), imported with
`workbench library import`; the 197 dev tweets are searched with
`workbench library search --queries FILE.jsonl --json`, once with the hybrid re-ranker and once
with FTS5 BM25 alone, and scored with the task's MAP@1, MAP@5 and P@1, beside plain Okapi BM25
on the same data (the data README's reference). (The re-ranker was fitted on the train split;
nothing here looks at the test split.)

Shown strength: how reliable the "N% likely the same claim" of each match is (the calibration
bench/calibrate_library.py fitted on train), on the dev tweets' first 3 matches (what the
window shows) with their claim in the library, and again with it taken out (a library without
every claim judged for a train or dev tweet, and their twins): a table by bins of the stated
chance against how often it was the same claim, and the Brier score.

Speed: a feed of `--scale` ClaimReviews (the Snopes claims, each repeated with words of another
claim appended so that every entry differs) is imported with the CLI, then 100 claims are
matched against it in one process, first cold (library just opened) and then warm; the
embedding model is loaded (and timed) before either, as a window loads it once per session.
Then, after a verdict edit (as a window re-indexes and matches again), the time to bring the
vectors and vocabulary it keeps up to date and the next search. Then, in a fresh process, the
same first search after `warm_up` (the model, the vectors and the vocabulary read beforehand,
as a window does while it is idle after its first frame).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _claimretrieval as cr  # noqa: E402

CPU: dict[str, float] = {}  # CPU seconds of the last CLI run (the machine may be shared)


def cli(args: list[str], library: Path, stdout: Path | None = None) -> float:
    """Wall seconds of one `workbench` process; its CPU seconds go to CPU["last"]."""
    env = dict(os.environ, WORKBENCH_LIBRARY=str(library), PYTHONPATH=str(ROOT))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with open(stdout or os.devnull, "w", encoding="utf-8") as out:
        subprocess.run(
            [sys.executable, "-m", "workbench", *args], stdout=out, env=env, check=True, cwd=ROOT
        )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU["last"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - started


def quality(tmp: Path) -> dict[str, float]:
    feed = tmp / "snopes.jsonl"
    count = cr.write_feed(feed)
    library = tmp / "snopes.sqlite"
    figures: dict[str, float] = {"collection": count}
    figures["import_10k_s"] = cli(["library", "import", str(feed)], library)
    figures["reimport_10k_s"] = cli(["library", "import", str(feed)], library)
    queries = tmp / "dev.jsonl"
    with queries.open("w", encoding="utf-8") as f:
        for qid, text in cr.queries("dev"):
            f.write(json.dumps({"id": qid, "text": text}) + "\n")
    gold = cr.qrels("dev")
    stated: dict[str, Stated] = {}
    for method in ("hybrid", "bm25", "vector"):
        out = tmp / f"{method}.jsonl"
        seconds = cli(
            ["library", "search", "--queries", str(queries), "--json", "--method", method],
            library,
            out,
        )
        ranked = {}
        for line in out.read_text("utf-8").splitlines():
            row = json.loads(line)
            ranked[row["id"]] = [cr.vclaim_of(m["url"]) for m in row["matches"]]
            if method == "hybrid":
                stated.setdefault("present", {})[row["id"]] = [
                    (cr.vclaim_of(m["url"]), m["same_claim"], m["score"]) for m in row["matches"]
                ]
        for name, value in cr.measures(ranked, gold).items():
            figures[f"{method}_{name}"] = value
        figures[f"{method}_search_s"] = seconds
    for name, value in cr.measures(cr.plain_bm25("dev"), gold).items():
        figures[f"plain_{name}"] = value
    figures["queries"] = len(gold)
    stated["absent"] = absent_matches(tmp, queries)
    return figures | shown_strength(stated)


Stated = dict[int, list[tuple[int, float, float]]]  # tweet -> (vclaim, same_claim, score), ...


def absent_matches(tmp: Path, queries: Path) -> Stated:
    """The dev tweets' matches in a library without their claims."""
    feed = tmp / "absent.jsonl"
    cr.write_feed(feed, cr.judged_claims())
    library = tmp / "absent.sqlite"
    cli(["library", "import", str(feed)], library)
    out = tmp / "absent-hybrid.jsonl"
    cli(["library", "search", "--queries", str(queries), "--json"], library, out)
    found = {}
    for line in out.read_text("utf-8").splitlines():
        row = json.loads(line)
        found[row["id"]] = [
            (cr.vclaim_of(m["url"]), m["same_claim"], m["score"]) for m in row["matches"]
        ]
    return found


SHOWN = 3  # the window shows a claim's first 3 (gui/library/feature.py)


def shown_strength(stated: dict[str, Stated]) -> dict[str, float]:
    """Prints the reliability table; returns the Brier scores (and how many were shown), and
    the Brier score of the re-ranker's own score, which the window showed as "N% match"."""
    figures: dict[str, float] = {}
    both: tuple[list[float], list[int]] = ([], [])
    raw: list[float] = []
    for condition in ("present", "absent"):
        found = stated[condition]
        values, labels = cr.labelled(
            {q: [(v, p) for v, p, _ in r] for q, r in found.items()}, "dev", SHOWN
        )
        raw += cr.labelled({q: [(v, s) for v, _, s in r] for q, r in found.items()}, "dev", SHOWN)[
            0
        ]
        both[0].extend(values)
        both[1].extend(labels)
        figures[f"brier_{condition}"] = cr.brier(values, labels)
    figures["brier"] = cr.brier(*both)
    figures["brier_uncalibrated"] = cr.brier(raw, both[1])
    figures["strength_shown"] = len(both[0])
    print(f"Shown strength on dev, first {SHOWN} matches, the claim's fact check in the library")
    print("for half (and taken out for the other half):")
    print("\n".join(cr.reliability_lines(*both)))
    return figures


def scale_feed(path: Path, size: int) -> None:
    claims = cr.verified_claims()
    rng = random.Random(13)
    with path.open("w", encoding="utf-8") as f:
        for i in range(size):
            _, claim, title = claims[i % len(claims)]
            if i >= len(claims):
                other = rng.choice(claims)[2].split()
                claim = f"{claim} {' '.join(other[: rng.randint(3, 8)])}"
            review = {
                "@type": "ClaimReview",
                "url": f"https://factcheck.example/{i}/",
                "claimReviewed": claim,
                "name": title,
                "reviewRating": {
                    "@type": "Rating",
                    "alternateName": rng.choice(["False", "True", "Mixture"]),
                },
                "author": {"@type": "Organization", "name": f"Desk {i % 37}"},
                "datePublished": f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}",
            }
            f.write(json.dumps(review, ensure_ascii=False) + "\n")


PRELOADED = """
import json, sys, time
from pathlib import Path
from workbench.core.library.matching import Matcher, warm_up
from workbench.core.library.store import Library
library, texts = Path(sys.argv[1]), json.loads(sys.stdin.read())
warm_up(library)
started, cpu = time.perf_counter(), time.process_time()
with Library.open(library) as lib:
    Matcher(lib).search_many(texts, 5)
print(json.dumps([time.perf_counter() - started, time.process_time() - cpu]))
"""


def preloaded(library: Path, texts: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of the first search in a fresh process after warm_up."""
    done = subprocess.run(
        [sys.executable, "-c", PRELOADED, str(library)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    wall, cpu = json.loads(done.stdout.strip().splitlines()[-1])
    return wall, cpu


def speed(tmp: Path, size: int) -> dict[str, float]:
    feed = tmp / "scale.jsonl"
    scale_feed(feed, size)
    library = tmp / "scale.sqlite"
    figures: dict[str, float] = {"scale": size}
    figures["import_scale_s"] = cli(["library", "import", str(feed)], library)
    figures["import_scale_cpu_s"] = CPU["last"]
    figures["library_mb"] = sum(p.stat().st_size for p in tmp.glob("scale.sqlite*")) / 1e6
    from workbench.core.embedding import embed
    from workbench.core.library.matching import Matcher
    from workbench.core.library.store import Library

    # The model is loaded first and timed on its own: a window loads it once per session, with
    # its first match (so that match waits for both).
    started, cpu = time.perf_counter(), time.process_time()
    embed(["load the model first: the window loads it once per session"])
    figures["model_load_s"] = time.perf_counter() - started
    figures["model_load_cpu_s"] = time.process_time() - cpu
    texts = [t for _, t in cr.queries("dev")][:100]
    started, cpu = time.perf_counter(), time.process_time()
    with Library.open(library) as lib:
        matcher = Matcher(lib)
        matcher.search_many(texts, 5)
        figures["match_100_cold_s"] = time.perf_counter() - started
        figures["match_100_cold_cpu_s"] = time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        matcher.search_many(texts, 5)
        figures["match_100_warm_s"] = time.perf_counter() - started
        figures["match_100_warm_cpu_s"] = time.process_time() - cpu
    del matcher  # as a window's job ends: nothing holds the vectors it read
    figures |= after_edit(library, texts)
    wall, cpu = preloaded(library, texts)
    figures["match_100_preloaded_s"], figures["match_100_preloaded_cpu_s"] = wall, cpu
    return figures


def after_edit(library: Path, texts: list[str], edits: int = 3) -> dict[str, float]:
    """After a verdict edit a window indexes the project and matches again: the time to bring
    the vectors and vocabulary it keeps up to date (a rating changed and a claim reworded; the
    new wording embedded), and of the next 100-claim search after a rating changed; medians."""
    from workbench.core.library.matching import Matcher
    from workbench.core.library.model import FactCheck
    from workbench.core.library.store import Library

    def verdicts(i: int, reworded: bool) -> dict[int, FactCheck]:
        rating = ("False", "True")[i % 2]
        second = f"{texts[1]} ({i})" if reworded else f"{texts[1]} (0)"
        return {1: FactCheck(texts[0], rating=rating), 2: FactCheck(second, rating="True")}

    refresh: list[tuple[float, float]] = []
    match: list[tuple[float, float]] = []
    with Library.open(library) as lib:
        with Library.open(library) as other:
            other.sync_project("/bench/edited.wbproj", verdicts(0, False))
        lib.vectors()
        lib.document_frequencies()
        for i in range(1, edits + 1):
            with Library.open(library) as other:  # the window's job opens its own
                other.sync_project("/bench/edited.wbproj", verdicts(i, True))
            started, cpu = time.perf_counter(), time.process_time()
            lib.vectors()
            lib.document_frequencies()
            refresh.append((time.perf_counter() - started, time.process_time() - cpu))
            with Library.open(library) as other:
                other.sync_project("/bench/edited.wbproj", verdicts(i + 1, True))
            started, cpu = time.perf_counter(), time.process_time()
            Matcher(lib).search_many(texts, 5)
            match.append((time.perf_counter() - started, time.process_time() - cpu))

    def median(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    return {
        "edit_refresh_s": median([w for w, _ in refresh]),
        "edit_refresh_cpu_s": median([c for _, c in refresh]),
        "match_100_after_edit_s": median([w for w, _ in match]),
        "match_100_after_edit_cpu_s": median([c for _, c in match]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", action="store_true", help="last line: the figures as JSON")
    parser.add_argument("--scale", type=int, default=100_000, help="library size for speed")
    parser.add_argument(
        "--speed-only", action="store_true", help="skip the dev quality runs (about 4 minutes)"
    )
    args = parser.parse_args()
    if not cr.DATA.exists():
        print(f"claim-retrieval data not found at {cr.DATA}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        figures = {} if args.speed_only else quality(Path(tmp))
        figures |= speed(Path(tmp), args.scale)
        figures["load_average"] = os.getloadavg()[0]
    for key, value in figures.items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
