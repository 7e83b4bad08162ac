"""Fit the library's calibration (how likely a match is the same claim) on the claim-retrieval
train split; report its reliability on dev; write it for the program.

    python bench/calibrate_library.py [--write]

The re-ranker's score (workbench/core/library/matching.py) orders the candidates well but is
no probability. Here its logit is rescaled (Platt scaling: two numbers) to match how often a
fact check shown with that score really checks the tweet's claim. The fit uses the top 5 of
each train tweet under two conditions, so that it also learns what scores come without any
right answer: the whole Snopes collection ("present"), and the collection without every claim
judged for a train or dev tweet and their twins ("absent": the claim was never checked). Dev
is reported the same way, on the top 3 (what the window shows). The ranking is untouched.
--write stores the two numbers in workbench/resources/library_calibration.json.
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
from workbench.core.library.matching import RELATED, SAME_CLAIM, SCORE_CLIP, Matcher, same_claim
from workbench.core.library.store import Library

OUT = Path(__file__).resolve().parents[1] / "workbench" / "resources" / "library_calibration.json"
FIT_TOP = 5
SHOWN = 3  # gui/library/feature.py shows the best 3 of a claim


def search(tmp: Path, condition: str) -> dict[str, dict[int, list[tuple[int, float]]]]:
    """split -> tweet -> [(vclaim, re-ranker score), ...] best first, top FIT_TOP."""
    feed = tmp / f"{condition}.jsonl"
    cr.write_feed(feed, cr.judged_claims() if condition == "absent" else frozenset())
    found: dict[str, dict[int, list[tuple[int, float]]]] = {}
    with Library.open(tmp / f"{condition}.sqlite") as library:
        import_file(library, feed)
        matcher = Matcher(library)
        for split in ("train", "dev"):
            qs = cr.queries(split)
            results = matcher.search_many([t for _, t in qs], FIT_TOP)
            found[split] = {
                qid: [(cr.vclaim_of(m.entry.check.url), m.score) for m in matches]
                for (qid, _), matches in zip(qs, results, strict=True)
            }
    return found


def platt(scores: list[float], labels: list[int]) -> dict[str, float]:
    """Logistic regression of the label on logit(score), by Newton's method (two numbers)."""
    p = np.clip(np.asarray(scores), SCORE_CLIP, 1 - SCORE_CLIP)
    x = np.c_[np.log(p / (1 - p)), np.ones(len(p))]
    y = np.asarray(labels, dtype=np.float64)
    w = np.zeros(2)
    for _ in range(50):
        q = 1 / (1 + np.exp(-(x @ w)))
        step = np.linalg.solve((x * (q * (1 - q))[:, None]).T @ x, x.T @ (y - q))
        w += step
        if np.abs(step).max() < 1e-10:
            break
    return {"slope": float(w[0]), "intercept": float(w[1])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--write", action="store_true", help="store the fit for the program")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = {c: search(Path(tmp), c) for c in ("present", "absent")}
    scores, labels = [], []
    for condition in runs.values():
        s, y = cr.labelled(condition["train"], "train", FIT_TOP)
        scores += s
        labels += y
    fitted = platt(scores, labels)
    if fitted["slope"] <= 0:
        raise SystemExit(f"the fit is not increasing: {fitted}")
    print(f"train: {len(scores)} fact checks (top {FIT_TOP}, both conditions), fit {fitted}")
    values: dict[str, tuple[list[float], list[int]]] = {}
    for condition, found in runs.items():
        raw, y = cr.labelled(found["dev"], "dev", SHOWN)
        values[condition] = (same_claim(raw, fitted).tolist(), y)
    values["both"] = (
        values["present"][0] + values["absent"][0],
        values["present"][1] + values["absent"][1],
    )
    for name in ("both", "present", "absent"):
        print(f"dev, {name} (top {SHOWN}):")
        print("\n".join(cr.reliability_lines(*values[name])))
    likely, same = values["both"]
    for name, lo, hi in (
        ("match", SAME_CLAIM, 2.0),
        ("related", RELATED, SAME_CLAIM),
        ("hidden", -1.0, RELATED),
    ):
        inside = [y for v, y in zip(likely, same, strict=True) if lo <= v < hi]
        share = sum(inside) / max(len(inside), 1)
        print(
            f"dev, both: shown as {name}: {len(inside)}, of which the same claim {sum(inside)} ({share:.1%})"
        )
    if args.write:
        about = (
            "Platt scaling of the library re-ranker's score: P(same claim) = "
            "1 / (1 + exp(-(slope * logit(score) + intercept))); written by "
            "bench/calibrate_library.py (CLEF-2020 CheckThat! 2a train split, top "
            f"{FIT_TOP}, claim in the library for half: dev Brier "
            f"{cr.brier(*values['both']):.4f})"
        )
        OUT.write_text(
            json.dumps(
                {
                    "about": about,
                    "slope": round(fitted["slope"], 6),
                    "intercept": round(fitted["intercept"], 6),
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
