"""Soft word overlap: how close a fact check's words come to a claim's, word by word.

Exact overlap misses a tweet saying "juuling" against a fact check saying "JUUL e-cigarette",
or "slain" against "killed". Each word gets a vector (WordLlama's token vectors of that word,
pooled), and a candidate's words are compared with the query's: for each word the closest one
on the other side counts. The re-ranker uses three such figures (matching.FEATURES).

Word vectors are kept per process in one growing matrix: a library's vocabulary is tens of
thousands of words (256 floats each), embedded once in a batch and reused by every search.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

import numpy as np

_LOCK = threading.Lock()
_ROWS: dict[str, int] = {}
_MATRIX = np.zeros((0, 0), dtype=np.float32)
LIMIT = 200_000  # words kept; past it the cache starts again (about 200 MB at most)


def word_rows(words: Iterable[str]) -> tuple[np.ndarray, list[int]]:
    """The word-vector matrix and each word's row in it (words not seen yet are embedded, all
    in one batch). Returns the matrix itself so that a concurrent reset cannot mix rows."""
    global _MATRIX
    wanted = list(words)
    with _LOCK:
        missing = [w for w in dict.fromkeys(wanted) if w not in _ROWS]
        if len(_ROWS) + len(missing) > LIMIT:
            _ROWS.clear()
            _MATRIX = np.zeros((0, 0), dtype=np.float32)
            missing = list(dict.fromkeys(wanted))
        if missing:
            from workbench.core.embedding import embed

            vectors = embed(missing)
            start = len(_ROWS)
            _MATRIX = vectors if start == 0 else np.vstack([_MATRIX[:start], vectors])
            _ROWS.update((w, start + k) for k, w in enumerate(missing))
        return _MATRIX, [_ROWS[w] for w in wanted]


class SoftOverlap:
    """One query against its candidate pool: every word of the pool is compared with every
    content word of the query in one matrix product."""

    def __init__(
        self, query_words: list[str], query_weights: list[float], pool_words: set[str]
    ) -> None:
        vocabulary = list(pool_words)
        self.row = {w: i for i, w in enumerate(vocabulary)}
        self.weights = np.asarray(query_weights, dtype=np.float32)
        self.total = float(self.weights.sum()) or 1.0
        if query_words and vocabulary:
            matrix, rows = word_rows(vocabulary + query_words)
            pool_vectors = matrix[rows[: len(vocabulary)]]
            self.sims = pool_vectors @ matrix[rows[len(vocabulary) :]].T
            best = self.sims.max(axis=1).tolist()
        else:
            self.sims = np.zeros((len(vocabulary), len(query_words)), dtype=np.float32)
            best = [0.0] * len(vocabulary)
        self.best = dict(zip(vocabulary, best, strict=True))

    def mean_best(self, part: frozenset[str]) -> float:
        """Mean over the part's words of how close the nearest query word comes."""
        return sum(self.best[w] for w in part) / len(part) if part else 0.0

    def query_side(self, part: frozenset[str]) -> float:
        """Weighted mean over the query's words of how close the part's nearest word comes."""
        return self.query_sides([part])[0]

    def query_sides(self, parts: Sequence[frozenset[str]]) -> list[float]:
        """query_side() of each part, for the whole pool in a few numpy calls (one call per
        part cost ~0.1 s of CPU for 100 claims' pools)."""
        found = [0.0] * len(parts)
        if self.sims.shape[1] == 0:
            return found
        rows: list[int] = []
        starts: list[int] = []
        which: list[int] = []
        for k, part in enumerate(parts):
            if part:
                starts.append(len(rows))
                which.append(k)
                rows.extend(self.row[w] for w in part)
        if not which:
            return found
        closest = np.maximum.reduceat(self.sims[rows], starts, axis=0)
        for k, value in zip(which, (closest @ self.weights).tolist(), strict=True):
            found[k] = value / self.total
        return found
