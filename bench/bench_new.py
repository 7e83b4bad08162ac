"""`workbench new` on a 1 MB text article: the whole command, and the pipeline in-process.

    python bench/bench_new.py [--mb 1.0] [--runs 3] [--json]

The article is the seed article's title, then its body repeated to about 1 MB.
"End to end" is the `workbench new` process as a user starts it (interpreter start-up,
imports, load, split, score, write); "in-process" is new_project() alone: its first call
(cold caches) and the best of the runs after it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import best_of, emit_json

from workbench.core.article.load import load_article
from workbench.core.project.create import new_project

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sample_data" / "russia-islamic-state-syria-rebels.txt"


def write_article(path: Path, megabytes: float) -> Path:
    """The seed's title, then its body (without the comment section the loader would cut at)
    repeated until the file is about `megabytes`."""
    seed = load_article(SEED)
    unit = seed.text.strip() + "\n\n"
    copies = max(1, round(megabytes * 1_000_000 / len(unit.encode("utf-8"))))
    path.write_text(f"{seed.title}\n\n{unit * copies}", "utf-8")
    return path


def run_cli(project: Path, article: Path) -> tuple[float, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "new", str(project), str(article), "--force"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"workbench new failed: {done.stderr.strip()}")
    return took, done.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON last")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        article = write_article(folder / "article.txt", args.mb)
        size = article.stat().st_size
        cli_times, printed = [], ""
        for _ in range(args.runs):
            took, printed = run_cli(folder / "cli.wbproj", article)
            cli_times.append(took)
        claims = int(printed.split()[0].replace(",", ""))

        def in_process() -> int:
            with new_project(folder / "lib.wbproj", article, overwrite=True) as project:
                return project.claim_count()

        started = time.perf_counter()
        in_process()  # the first call pays for imports and warms the claim finder's caches
        first = time.perf_counter() - started
        lib_time, lib_claims = best_of(in_process, args.runs)
    figures = {
        "article_bytes": size,
        "claims": claims,
        "cli_s": round(min(cli_times), 3),
        "in_process_first_s": round(first, 3),
        "in_process_s": round(lib_time, 3),
        "runs": args.runs,
    }
    assert lib_claims == claims
    print(f"article: {size:,} bytes, {claims:,} claims")
    print(f"workbench new (process, end to end): {figures['cli_s']:.3f} s  best of {args.runs}")
    warm = figures["in_process_s"]
    print(f"new_project() in-process, first:     {figures['in_process_first_s']:.3f} s")
    print(f"new_project() in-process, warm:      {warm:.3f} s  best of {args.runs}")
    if args.json:
        emit_json(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
