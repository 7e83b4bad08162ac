"""Benchmark: find_claims on about 1 MB of text, and the shipped model's cross-validated figures.

    python bench/bench_claims.py [--mb 1.0] [--runs 3] [--json]

The text is the seed article repeated to about 1 MB (paragraphs kept; nothing is cached by
sentence text, so repeats cost what new text costs). "First call" includes loading the
check-worthiness weights (once per process); "warm" is the best of the runs after it, as wall
time and as CPU time of this process (time.process_time: robust when other work shares the
machine). The figures of the shipped weights are the leave-one-debate-out
cross-validation that `python -m workbench.train_checkworthiness` printed when it wrote them
(stored in the weights file), beside the rule-based score measured the same way.
"""

from __future__ import annotations

import argparse
import sys
import time
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import emit_json

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sample_data" / "russia-islamic-state-syria-rebels.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import numpy as np

    from workbench.core.claims import worthiness
    from workbench.core.claims.finder import find_claims

    unit = SEED.read_text("utf-8").strip() + "\n\n"
    text = unit * max(1, round(args.mb * 1_000_000 / len(unit.encode("utf-8"))))
    started = time.perf_counter()
    claims = find_claims(text)
    first = time.perf_counter() - started
    warm, warm_cpu = float("inf"), float("inf")
    for _ in range(args.runs):
        wall_at, cpu_at = time.perf_counter(), time.process_time()
        find_claims(text)
        warm_cpu = min(warm_cpu, time.process_time() - cpu_at)
        warm = min(warm, time.perf_counter() - wall_at)

    source = resources.files("workbench.resources").joinpath(worthiness.WEIGHTS_FILE)
    with resources.as_file(source) as path, np.load(path, allow_pickle=False) as data:
        figures = {key: float(data[key]) for key in ("cv_map", "cv_p10", "cv_auc", "cv_rule_map")}
        weights_bytes = path.stat().st_size
    scored = [c.score for c in claims if c.kind != "other"]
    out = {
        "text_bytes": len(text.encode("utf-8")),
        "claims": len(claims),
        "first_s": first,
        "warm_s": warm,
        "warm_cpu_s": warm_cpu,
        "bases": " ".join(worthiness.model().bases),
        "distinct_score_share": len(set(scored)) / max(len(scored), 1),
        "weights_bytes": weights_bytes,
        **figures,
    }
    print(
        f"find_claims on {out['text_bytes'] / 1e6:.1f} MB ({len(claims):,} claims): "
        f"first call {first:.2f} s (model loading included), warm {warm:.2f} s "
        f"(CPU {warm_cpu:.2f} s)"
    )
    print(
        f"shipped model ({out['bases']}), leave-one-debate-out on the CLEF-2019 training debates: "
        f"MAP {figures['cv_map']:.3f}, P@10 {figures['cv_p10']:.3f}, AUC {figures['cv_auc']:.3f} "
        f"(rule-based score: MAP {figures['cv_rule_map']:.3f}); weights {weights_bytes:,} bytes"
    )
    if args.json:
        emit_json(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
