"""The CLEF-2020 CheckThat! claim-retrieval data (../shared/data/claim-retrieval/), for the
library benchmark and the re-ranker's training: reading it, turning the verified claims into a
ClaimReview feed, and the task's measures."""

from __future__ import annotations

import csv
import itertools
import json
import os
from pathlib import Path


def _data() -> Path:
    """../shared/data/claim-retrieval beside the checkout (or beside any folder above it, as
    for worktrees); CLAIM_RETRIEVAL_DATA names it directly."""
    if os.environ.get("CLAIM_RETRIEVAL_DATA"):
        return Path(os.environ["CLAIM_RETRIEVAL_DATA"])
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared" / "data" / "claim-retrieval"
        if candidate.exists():
            return candidate
    return Path(__file__).resolve().parents[2] / "shared" / "data" / "claim-retrieval"


DATA = _data()
URL = "https://www.snopes.com/fact-check/vclaim-{}/"


def _tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter="\t"))[1:]


def verified_claims() -> list[tuple[int, str, str]]:
    """(vclaim id, claim, title) in collection order."""
    return [(int(r[0]), r[1], r[2]) for r in _tsv(DATA / "verified_claims.docs.tsv")]


def queries(split: str) -> list[tuple[int, str]]:
    return [(int(r[0]), r[1]) for r in _tsv(DATA / split / "tweets.queries.tsv")]


def qrels(split: str) -> dict[int, set[int]]:
    gold: dict[int, set[int]] = {}
    for line in (DATA / split / "tweet-vclaim-pairs.qrels").read_text("utf-8").splitlines():
        if line.strip():
            tweet, _, vclaim, rel = line.split()
            if int(rel) > 0:
                gold.setdefault(int(tweet), set()).add(int(vclaim))
    return gold


def write_feed(path: Path, without: set[int] | frozenset[int] = frozenset()) -> int:
    """The verified claims (but those `without`) as a JSON Lines feed of schema.org
    ClaimReviews."""
    claims = [c for c in verified_claims() if c[0] not in without]
    with path.open("w", encoding="utf-8") as f:
        for vid, claim, title in claims:
            review = {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": URL.format(vid),
                "claimReviewed": claim,
                "name": title,
                "author": {"@type": "Organization", "name": "Snopes"},
            }
            f.write(json.dumps(review, ensure_ascii=False) + "\n")
    return len(claims)


def vclaim_of(url: str) -> int:
    return int(url.rstrip("/").rsplit("vclaim-", 1)[1])


def measures(ranked: dict[int, list[int]], gold: dict[int, set[int]]) -> dict[str, float]:
    """MAP@1, MAP@3, MAP@5, P@1 and MRR as the task's scorer computes them."""

    def ap(ranking: list[int], relevant: set[int], k: int) -> float:
        hits, total = 0, 0.0
        for rank, doc in enumerate(ranking[:k], start=1):
            if doc in relevant:
                hits += 1
                total += hits / rank
        return total / len(relevant)

    def rr(ranking: list[int], relevant: set[int]) -> float:
        return next((1 / r for r, d in enumerate(ranking, start=1) if d in relevant), 0.0)

    n = len(gold)
    return {
        "map1": sum(ap(ranked.get(q, []), g, 1) for q, g in gold.items()) / n,
        "map3": sum(ap(ranked.get(q, []), g, 3) for q, g in gold.items()) / n,
        "map5": sum(ap(ranked.get(q, []), g, 5) for q, g in gold.items()) / n,
        "p1": sum(1.0 for q, g in gold.items() if ranked.get(q, [None])[:1][0] in g) / n,
        "mrr": sum(rr(ranked.get(q, []), g) for q, g in gold.items()) / n,
    }


def plain_bm25(split: str, k1: float = 1.5, b: float = 0.75, eps: float = 0.25) -> dict[int, list]:
    """The data README's reference baseline, computed: Okapi BM25 as rank-bm25's BM25Okapi
    (same k1, b and floor for negative idf) over claim + title, lower-cased `\\w+` tokens, links
    dropped from the tweets; ties broken as the task's scorer does (claim id, descending).
    Returns each query's top 5 claim ids."""
    import math
    import re
    from collections import Counter

    word = re.compile(r"\w+")
    link = re.compile(r"https?://\S+|pic\.twitter\.com/\S+")
    claims = verified_claims()
    docs = [Counter(word.findall(f"{c} {t}".lower())) for _, c, t in claims]
    lengths = [sum(d.values()) for d in docs]
    average = sum(lengths) / len(docs)
    df = Counter(w for d in docs for w in d)
    idf = {w: math.log(len(docs) - n + 0.5) - math.log(n + 0.5) for w, n in df.items()}
    floor = eps * sum(idf.values()) / len(idf)
    idf = {w: v if v >= 0 else floor for w, v in idf.items()}
    postings: dict[str, list[int]] = {}
    for i, d in enumerate(docs):
        for w in d:
            postings.setdefault(w, []).append(i)
    ranked: dict[int, list] = {}
    for qid, text in queries(split):
        scores: dict[int, float] = {}
        for w in word.findall(link.sub(" ", text).lower()):
            for i in postings.get(w, ()):
                tf = docs[i][w]
                norm = tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[i] / average))
                scores[i] = scores.get(i, 0.0) + idf[w] * norm
        top = sorted(scores, key=lambda i: (-scores[i], -claims[i][0]))[:5]
        ranked[qid] = [claims[i][0] for i in top]
    return ranked


def _twin_key(claim: str) -> str:
    from workbench.core.library.text import words

    return " ".join(words(claim))  # as the matcher folds a claim (Candidate.key)


def same_claims(split: str) -> dict[int, set[int]]:
    """Per tweet, the verified claims that check its claim: the judged one and its twins (the
    same words imported again with other quotation marks; the qrels name one of them)."""
    claims = verified_claims()
    key_of = {vid: _twin_key(c) for vid, c, _ in claims}
    by_key: dict[str, set[int]] = {}
    for vid, key in key_of.items():
        by_key.setdefault(key, set()).add(vid)
    return {
        q: {twin for v in relevant for twin in by_key[key_of[v]]}
        for q, relevant in qrels(split).items()
    }


def judged_claims() -> set[int]:
    """Every verified claim that checks a train or dev tweet, with its twins: taken out of the
    library, the tweets' claims have not been checked before (the "absent" condition)."""
    return {v for split in ("train", "dev") for s in same_claims(split).values() for v in s}


def labelled(
    found: dict[int, list[tuple[int, float]]], split: str, shown: int
) -> tuple[list[float], list[int]]:
    """(value, 1 if the same claim else 0) of each query's first `shown` results, from
    query id -> [(vclaim id, value), ...] best first."""
    same = same_claims(split)
    values, labels = [], []
    for qid, results in found.items():
        for vid, value in results[:shown]:
            values.append(value)
            labels.append(int(vid in same[qid]))
    return values, labels


BINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def reliability(
    values: list[float], labels: list[int]
) -> list[tuple[float, float, int, float, float]]:
    """Per bin of the predicted chance: (from, to, count, mean predicted, observed share)."""
    rows = []
    for lo, hi in itertools.pairwise(BINS):
        inside = [
            (v, y) for v, y in zip(values, labels, strict=True) if lo <= v < hi or v == hi == 1.0
        ]
        if inside:
            n = len(inside)
            rows.append((lo, hi, n, sum(v for v, _ in inside) / n, sum(y for _, y in inside) / n))
    return rows


def brier(values: list[float], labels: list[int]) -> float:
    return sum((v - y) ** 2 for v, y in zip(values, labels, strict=True)) / max(len(values), 1)


def reliability_lines(values: list[float], labels: list[int]) -> list[str]:
    lines = [f"  Brier {brier(values, labels):.4f} over {len(values)} shown fact checks"]
    for lo, hi, n, mean, seen in reliability(values, labels):
        lines.append(
            f"  {lo:.1f}-{hi:.1f}: {n:4d} shown, predicted {mean:.3f}, same claim {seen:.3f}"
        )
    return lines
