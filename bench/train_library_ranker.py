"""Fit the library's re-ranker on the claim-retrieval train split; report dev; write the weights.

    python bench/train_library_ranker.py [--write]

The re-ranker is a logistic regression over the features of workbench/core/library/matching.py,
fitted on the candidate pools of the 800 train tweets (gold claim = 1, other candidates = 0).
Its regularisation is chosen on dev. --write stores the fitted weights in
workbench/resources/library_ranker.json, which the program ships.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _claimretrieval as cr

from workbench.core.library.importing import import_file
from workbench.core.library.matching import ABSOLUTE, FEATURES, Matcher, rank_pool
from workbench.core.library.store import Library

OUT = Path(__file__).resolve().parents[1] / "workbench" / "resources" / "library_ranker.json"


def pools(matcher: Matcher, split: str, url_of: dict[int, int]):
    qs = cr.queries(split)
    gold = cr.qrels(split)
    result = []
    for (qid, _), pool in zip(qs, matcher.candidates([t for _, t in qs]), strict=True):
        x = np.asarray([c.features for c in pool], dtype=np.float64).reshape(-1, len(FEATURES))
        y = np.asarray([url_of[c.id] in gold.get(qid, ()) for c in pool], dtype=np.float64)
        result.append((qid, pool, x, y))
    return result, gold


def logistic(x: np.ndarray, y: np.ndarray, l2: float) -> dict[str, object]:
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    w, b = fit((x - mean) / scale, y, l2)
    return {
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "weights": w.round(6).tolist(),
        "bias": round(float(b), 6),
    }


def fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 3000) -> tuple[np.ndarray, float]:
    """Plain logistic regression by gradient descent (no scikit-learn needed for 12 weights)."""
    w = np.zeros(x.shape[1])
    b = 0.0
    pos = max(y.mean(), 1e-6)
    weight = np.where(y > 0, 0.5 / pos, 0.5 / (1 - pos))  # balance the classes
    lr = 0.5
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        g = weight * (p - y)
        w -= lr * (x.T @ g / len(y) + l2 * w)
        b -= lr * g.mean()
    return w, b


def evaluate(data, url_of, gold, model) -> dict[str, float]:
    """The task's measures on dev, ranking as the program does."""
    ranked = {}
    for qid, pool, _, _ in data:
        ranked[qid] = [url_of[c.id] for _, c in rank_pool(pool, model)[:5]]
    return cr.measures(ranked, gold)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--write", action="store_true", help="store the weights for the program")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.jsonl"
        cr.write_feed(feed)
        library = Library.open(Path(tmp) / "library.sqlite")
        import_file(library, feed)
        url_of = {
            e.id: cr.vclaim_of(e.check.url)
            for e in library.entries(list(range(1, library.count() + 1))).values()
        }
        matcher = Matcher(library)
        train, _ = pools(matcher, "train", url_of)
        dev, dev_gold = pools(matcher, "dev", url_of)
        library.close()
    x = np.vstack([d[2] for d in train])
    y = np.concatenate([d[3] for d in train])
    recall = sum(d[3].any() for d in dev) / len(dev)
    print(f"train: {len(train)} queries, {len(y)} candidates; dev recall of pools {recall:.3f}")
    columns = list(ABSOLUTE)
    best = None
    for l2 in (0.0, 0.001, 0.03):
        fitted = {"relative": logistic(x, y, l2), "absolute": logistic(x[:, columns], y, l2)}
        # The absolute model always counts: without it a library lacking the claim would still
        # show its "best" candidate as a sure match.
        for power in (0.5, 1.0):
            model = fitted | {"absolute_power": power}
            m = evaluate(dev, url_of, dev_gold, model)
            print(f"l2={l2} absolute^{power}: " + ", ".join(f"{k} {v:.3f}" for k, v in m.items()))
            if best is None or m["map5"] > best[0]["map5"] + 1e-9:
                best = (m, l2, model)
    assert best is not None
    m, l2, model = best
    for name, weight in zip(FEATURES, model["relative"]["weights"], strict=True):
        print(f"  relative {name:16s} {weight:+.3f}")
    for i, weight in zip(columns, model["absolute"]["weights"], strict=True):
        print(f"  absolute {FEATURES[i]:16s} {weight:+.3f}")
    if args.write:
        OUT.write_text(
            json.dumps(
                {
                    "about": "Logistic re-ranker for the fact-check library; written by "
                    "bench/train_library_ranker.py (CLEF-2020 CheckThat! 2a train split, "
                    f"l2 {l2} and absolute_power chosen on dev: MAP@5 {m['map5']:.3f})",
                    "features": list(FEATURES),
                    "absolute_power": model["absolute_power"],
                    "relative": model["relative"],
                    "absolute": model["absolute"] | {"features": [FEATURES[i] for i in columns]},
                },
                indent=1,
            )
            + "\n",
            "utf-8",
        )
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
