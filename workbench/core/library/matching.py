"""Matching claims against the library: lexical and semantic candidates, re-ranked together.

For each query the candidates are the union of the FTS5 BM25 top hits and the WordLlama cosine
top hits. Each candidate is described by a few features (how strong each ranker found it
relative to the query's best, word and name overlap, also weighted by rarity and softened by
word vectors (soft.py), disagreeing numbers) and scored by a
logistic re-ranker fitted on the CLEF-2020 CheckThat! claim-retrieval train split
(bench/train_library_ranker.py writes its weights to resources/library_ranker.json). A
fact check whose numbers differ from the claim's ("41%" against "14%") is then marked down
explicitly, whatever the model learned, because a checker must never take it for a match.
"""

from __future__ import annotations

import gc
import itertools
import json
import math
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from workbench.core.library.model import LibraryEntry
from workbench.core.library.soft import SoftOverlap, word_rows
from workbench.core.library.store import Library
from workbench.core.library.text import (
    STOPWORDS,
    clean_query,
    content_words,
    entities,
    number_conflict,
    words,
)

# 40 + 30 candidates hold the answer for as many dev queries (96.4%) as 50 + 30 did, and each
# candidate costs features: fewer keep the first search quick.
LEXICAL_POOL = 40
VECTOR_POOL = 30
# FTS5 scores every entry holding any query word (bm25() per row is most of its cost), so the
# cost grows with the words and with how common they are: the 18 rarest keep 100 claims
# against 100,000 entries at ~0.8 s of CPU (20: 0.93 s, 24 words and a 10% cut: ~1.5 s) for
# the same dev MAP@5 (0.850; 16 words: 0.843, 12: 0.835). Leaving out the words in more than
# 1% of the entries (5% before) halves the rows scored: ~0.5 s instead of ~0.7 s of CPU for
# those 100 claims, dev MAP@5 0.855 (2%: 0.848; all within the dev set's noise).
MAX_TERMS = 18
COMMON_SHARE = 0.01
# A query of common words only ("covid vaccine mandate" in a library about the pandemic) keeps
# its 3 rarest all the same: one word alone would pick 40 of thousands of entries by chance.
# Dev queries nearly always hold 3 rarer words: same MAP@5, same FTS5 time.
MIN_TERMS = 3
COMMON_AT_LEAST = 100  # a word in fewer entries is never "common" (a small library keeps all)
LEXICAL_THREADS = 4  # SQLite runs FTS5 queries without the GIL: one connection per thread
NUMBER_PENALTY = 0.5  # a fact check whose figures all differ keeps half its score
METHODS = ("hybrid", "bm25", "vector")

FEATURES = (
    "bm25_rel",  # BM25 / the query's best BM25
    "bm25_log",  # log(1 + BM25)
    "bm25_rr",  # 1 / (1 + BM25 rank)
    "cos",  # cosine similarity
    "cos_gap",  # cosine - the query's best cosine
    "cos_rr",  # 1 / (1 + cosine rank)
    "claim_cover",  # share of the fact check's claim words found in the query
    "query_cover",  # share of the query's words found in the claim or title
    "title_cover",  # share of the title's words found in the query
    "bigram_cover",  # share of the claim's word pairs found in the query
    "entity_cover",  # share of the claim's names found in the query
    "idf_claim",  # claim_cover weighted by how rare each word is in the library
    "idf_query",  # query_cover weighted by how rare each word is in the library
    "soft_claim",  # mean over the claim's words of the closest query word (word vectors)
    "soft_title",  # the same for the title's words
    "soft_query",  # rarity-weighted mean over the query's words of the closest claim/title word
    "number_conflict",  # share of the claim's numbers the query contradicts (always last)
)


Rarity = tuple[dict[str, int], int]  # (entries holding each indexed term, entries)


# What a match is shown as, by its chance of checking the same claim (same_claim()). The
# thresholds were chosen from the dev split's reliability (bench/calibrate_library.py; README):
# at 0.5 or more a fact check is more likely than not the claim's own (dev: 139 of 165 were),
# and the claims table lists it as checked before; from 0.2 it is shown as related (dev: 40 of
# 109 were the same claim); below, hidden (dev: 34 of 908).
SAME_CLAIM = 0.5
RELATED = 0.2


@dataclass(frozen=True)
class Match:
    entry: LibraryEntry
    score: float  # the re-ranker's score: it orders matches, but is not a probability
    lexical: float  # BM25 (0 when the words did not match)
    semantic: float  # cosine similarity of the sentence vectors
    differing_numbers: tuple[str, ...]  # the fact check's figures the claim does not state
    # The chance that this fact check addresses the same claim (calibrated: same_claim()), and
    # what it would be if the figures agreed (the same as likely when none differ).
    likely: float = 0.0
    likely_figures_aside: float = 0.0

    @property
    def strength(self) -> str:
        """ "match" (shown as checked before), "related" (shown apart), or "" (not shown).

        A fact check that would be a match but for its figures is related: "20,000 killed"
        against "2,000 killed" is worth seeing, marked, and never taken for the claim's check."""
        if self.likely >= SAME_CLAIM:
            return "match"
        if self.likely >= RELATED or self.likely_figures_aside >= SAME_CLAIM:
            return "related"
        return ""


@dataclass
class Candidate:
    id: int
    features: list[float]
    lexical: float
    semantic: float
    differing: tuple[str, ...]
    key: str = ""  # the claim's words, folded: equal keys are one claim


@dataclass(frozen=True)
class _Analysed:
    key: str
    tokens: list[str]
    content: frozenset[str]
    title_content: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    names: frozenset[str]


@lru_cache(maxsize=200_000)
def _analyse(claim: str, title: str) -> _Analysed:
    tokens = words(claim)  # once: the content words and pairs are read from the same tokens
    return _Analysed(
        " ".join(tokens),
        tokens,
        frozenset(w for w in tokens if w not in STOPWORDS and len(w) > 1),
        frozenset(content_words(title)),
        frozenset(itertools.pairwise(tokens)),
        frozenset(entities(claim)),
    )


@cache
def ranker_weights() -> dict[str, Any]:
    text = resources.files("workbench.resources").joinpath("library_ranker.json").read_text("utf-8")
    return json.loads(text)


_SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "ly", "s", "e", "y")


def _frequency(word: str, frequencies: dict[str, int]) -> int:
    """How many entries hold the word, looked up by its stem as well as FTS5's Porter stemmer
    would cut it; an unknown word counts as rare."""
    if word in frequencies:
        return frequencies[word]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            for form in (stem, stem + "i", stem + "e"):
                if form in frequencies:
                    return frequencies[form]
    return 0


def fts_query(text: str, frequencies: dict[str, int] | None = None, entries: int = 0) -> str:
    """An FTS5 expression: any of the query's content words, each quoted (so no syntax leaks).

    With the library's document frequencies, only the MAX_TERMS rarest words are kept, and
    words in more than COMMON_SHARE of the entries are dropped (but never the MIN_TERMS rarest):
    they add little to BM25 and most of its cost, since every entry holding them has to be
    scored. In a small library no word is that costly, so a word counts as common only past
    COMMON_AT_LEAST entries."""
    terms = list(dict.fromkeys(content_words(text)))
    if frequencies and entries:
        counted = sorted((_frequency(t, frequencies), i, t) for i, t in enumerate(terms))
        common = max(COMMON_SHARE * entries, COMMON_AT_LEAST)
        kept = [(i, t) for k, (n, i, t) in enumerate(counted) if n <= common or k < MIN_TERMS]
        terms = [t for _, t in sorted(kept[:MAX_TERMS])]
    return " OR ".join(f'"{t}"' for t in terms[: MAX_TERMS * 3])


def _pairs(tokens: list[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(tokens))


def _cover(part: set[Any], whole: set[Any]) -> float:
    return len(part & whole) / len(part) if part else 0.0


# Features that do not depend on the other candidates: how alike the two texts are on their own.
ABSOLUTE = tuple(
    FEATURES.index(name)
    for name in (
        "cos",
        "claim_cover",
        "query_cover",
        "title_cover",
        "bigram_cover",
        "entity_cover",
        "idf_claim",
        "idf_query",
        "soft_claim",
        "soft_title",
        "soft_query",
        "number_conflict",
    )
)


@cache
def calibration() -> dict[str, Any]:
    text = resources.files("workbench.resources").joinpath("library_calibration.json")
    return json.loads(text.read_text("utf-8"))


SCORE_CLIP = 1e-9  # scores of exactly 0 or 1 (float rounding) have no logit


def same_claim(
    score: np.ndarray | Sequence[float], fitted: dict[str, Any] | None = None
) -> np.ndarray:
    """The chance that a fact check with this re-ranker score addresses the same claim.

    The re-ranker's score ranks well but overstates: it was fitted with the classes balanced,
    and on a library that lacks the claim its best candidate still scores high (dev: 66 of 591
    shown fact checks scored 0.9 or more, none of them the claim's). Logistic (Platt) scaling
    of its logit, fitted on the train split's top 5 with the claim's fact check in the library
    for half the tweets and taken out for the other half (bench/calibrate_library.py), maps it
    to a frequency: increasing, so the order of matches never changes, and within (0, 1)."""
    fitted = fitted or calibration()
    p = np.clip(np.asarray(score, dtype=np.float64), SCORE_CLIP, 1.0 - SCORE_CLIP)
    z = fitted["slope"] * np.log(p / (1.0 - p)) + fitted["intercept"]
    return 1.0 / (1.0 + np.exp(-z))


def _logistic(x: np.ndarray, model: dict[str, Any]) -> np.ndarray:
    """The model's probability for each row of x."""
    z = (x - np.asarray(model["mean"])) / np.asarray(model["scale"])
    return 1.0 / (1.0 + np.exp(-(z @ np.asarray(model["weights"]) + model["bias"])))


def scores(pool: Sequence[Candidate], model: dict[str, Any], method: str = "hybrid") -> list[float]:
    """The chance that each fact check checks the query's claim (one matrix for the pool).

    Two fitted models multiply: one ranks the candidate against the others found for the query
    (so it knows which is best, not whether the best is any good), the other judges the pair
    alone (so a library without the claim gives low scores instead of a "best" that is not).
    The second is damped by a power chosen on dev, where it costs ranking least."""
    if method == "bm25":
        return [c.lexical for c in pool]
    if method == "vector":
        return [c.semantic for c in pool]
    if not pool:
        return []
    x = np.asarray([c.features for c in pool], dtype=np.float64)
    relative = _logistic(x, model["relative"])
    absolute = _logistic(x[:, list(ABSOLUTE)], model["absolute"]) ** model["absolute_power"]
    return (relative * absolute * (1.0 - NUMBER_PENALTY * x[:, -1])).tolist()


def score(c: Candidate, model: dict[str, Any], method: str = "hybrid") -> float:
    """One candidate's score, as scores() gives it."""
    return scores([c], model, method)[0]


def rank_pool(
    pool: list[Candidate], model: dict[str, Any], method: str = "hybrid"
) -> list[tuple[float, Candidate]]:
    """(score, candidate), best first.

    The same claim imported twice (a collection re-adding a claim with other quotation marks)
    gets one score, the best of its copies, and its copies follow each other oldest first, so
    near-identical wordings never split on noise."""
    scored = list(zip(scores(pool, model, method), pool, strict=True))
    best: dict[str, float] = {}
    for s, c in scored:
        if c.key:
            best[c.key] = max(best.get(c.key, s), s)
    scored = [(best.get(c.key, s) if c.key else s, c) for s, c in scored]
    scored.sort(key=lambda sc: (-sc[0], sc[1].id))
    return scored


def _likelihoods(scored: list[tuple[float, Candidate]], method: str) -> list[tuple[float, float]]:
    """(chance of the same claim, the same if the figures agreed) per ranked candidate; the
    calibration is the hybrid ranker's, so a single ranker's scores get none."""
    if method != "hybrid" or not scored:
        return [(0.0, 0.0) for _ in scored]
    raw = np.asarray([s for s, _ in scored])
    conflict = np.asarray([c.features[-1] for _, c in scored])
    likely = same_claim(raw)
    aside = same_claim(np.minimum(raw / (1.0 - NUMBER_PENALTY * conflict), 1.0))
    return list(zip(likely.tolist(), aside.tolist(), strict=True))


TOP_BLOCK = 128  # columns per block when looking for each row's largest values


def top_columns(sims: np.ndarray, k: int) -> np.ndarray:
    """Per row, the columns of its k largest values (in no order); ties may pick either.

    A row's k largest values lie in the k blocks of columns whose maxima are largest (a block
    holding one of them has a maximum at least as large), so only those blocks are searched:
    for 100,000 columns that is a quarter of the time of partitioning whole rows."""
    rows, n = sims.shape
    k = min(k, n)
    blocks = n // TOP_BLOCK
    if blocks < 4 * k:
        return np.argpartition(sims, -k, axis=1)[:, -k:]  # no negated copy of the columns
    maxima = sims[:, : blocks * TOP_BLOCK].reshape(rows, blocks, TOP_BLOCK).max(axis=2)
    best = np.argpartition(maxima, -k, axis=1)[:, -k:]
    cols = (best[:, :, None] * TOP_BLOCK + np.arange(TOP_BLOCK)).reshape(rows, -1)
    tail = np.broadcast_to(np.arange(blocks * TOP_BLOCK, n), (rows, n - blocks * TOP_BLOCK))
    cols = np.concatenate([cols, tail], axis=1)
    picked = np.argpartition(np.take_along_axis(sims, cols, axis=1), -k, axis=1)[:, -k:]
    return np.take_along_axis(cols, picked, axis=1)


_GC_LOCK = threading.Lock()
_GC_PAUSES = [0, False]  # searches running, and whether the collector was on before the first


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector paused while searches run (and then restored as it was).

    A search makes no reference cycles, so reference counting frees all it drops; but its
    ~10^5 new objects (analysed texts, word sets) set off collections that walk every object
    of the process: ~0.1-0.2 s of a first search's CPU in a bare process (3 full collections),
    and a single full one took 0.4-0.7 s in a process holding a million objects, as a window
    with a large project does."""
    with _GC_LOCK:
        if _GC_PAUSES[0] == 0:
            _GC_PAUSES[1] = gc.isenabled()
            gc.disable()
        _GC_PAUSES[0] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_PAUSES[0] -= 1
            if _GC_PAUSES[0] == 0 and _GC_PAUSES[1]:
                gc.enable()


def warm_up(library: Path | None = None, *, between: Callable[[], None] = lambda: None) -> None:
    """Loads what a first search would otherwise wait for, and keeps it for the searches of
    this process: the embedding model and, given a library file that exists, its vectors and
    vocabulary (until the library changes). A window does this while it is idle.

    between: called before each step; raising from it stops there (a window being closed)."""
    from workbench.core.embedding import load_model

    between()
    load_model()
    if library is not None and library.exists():
        with Library.open(library) as lib:
            between()
            lib.vectors()
            between()
            lib.document_frequencies()


class Matcher:
    """Ranks library entries for claims; reuse one per thread (it caches the vector matrix)."""

    def __init__(self, library: Library) -> None:
        self.library = library

    def search(self, text: str, limit: int = 5, *, method: str = "hybrid") -> list[Match]:
        return self.search_many([text], limit, method=method)[0]

    def search_many(
        self,
        texts: Sequence[str],
        limit: int = 5,
        *,
        method: str = "hybrid",
        exclude: Sequence[set[int]] | None = None,
    ) -> list[list[Match]]:
        """The best `limit` matches for each text, best first (same order as texts).

        exclude: per text, entry ids never to return (the claim's own entry)."""
        pools = self.candidates(texts, method=method, exclude=exclude)
        model = ranker_weights()
        ranked = [rank_pool(pool, model, method)[:limit] for pool in pools]
        wanted = sorted({c.id for scored in ranked for _, c in scored})
        found = self.library.entries(wanted)
        return [
            [
                Match(found[c.id], score, c.lexical, c.semantic, c.differing, *likely)
                for (score, c), likely in zip(scored, _likelihoods(scored, method), strict=True)
                if c.id in found
            ]
            for scored in ranked
        ]

    # ------------------------------------------------------------------ candidates
    def candidates(
        self,
        texts: Sequence[str],
        *,
        method: str = "hybrid",
        exclude: Sequence[set[int]] | None = None,
    ) -> list[list[Candidate]]:
        """The candidate pool of each text with its features (training uses this too).

        exclude: per text, entry ids left out of its pool before any feature is computed, so
        that they do not change how the others compare (a claim's own verdict would otherwise
        be the "best" every other fact check is measured against)."""
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}")
        # One BLAS thread: the products here are small (a pool's words by a query's), where
        # OpenBLAS's worker threads spin for more CPU than they save; on a busy 2-core machine
        # 100 claims against 10k entries took 3.3 s of CPU with them and 1.35 s without.
        with threadpool_limits(limits=1, user_api="blas"), gc_paused():
            return self._candidates(texts, method, exclude)

    def _candidates(
        self, texts: Sequence[str], method: str, exclude: Sequence[set[int]] | None = None
    ) -> list[list[Candidate]]:
        queries = [clean_query(t) or t for t in texts]
        self._idf_cache: dict[str, float] = {}
        # The vocabulary (how many entries hold each word: which query words go to FTS5) is
        # read, and then the FTS5 queries run, in threads (SQLite releases the GIL) while this
        # thread reads the vectors and finds the nearest ones (numpy releases it too): on the
        # first search after opening a library, reading 100,000 vectors and the vocabulary
        # then costs no waiting of its own.
        threads = min(LEXICAL_THREADS, os.cpu_count() or 1, len(queries) // 8)
        texts_by_id: dict[int, tuple[str, str]] = {}
        with ThreadPoolExecutor(max(threads, 1)) as executor:
            rarity, lexical_pending = self._lexical_hits(
                queries, LEXICAL_POOL if method != "vector" else 0, executor, threads
            )
            vector = self._vector_hits(queries, VECTOR_POOL if method != "bm25" else 0)
            if method == "hybrid":  # and the vector candidates are read while FTS5 still works
                words_of_queries = [w for q in queries for w in content_words(q)]
                self._prepare(vector, texts_by_id, words_of_queries, rarity)
            lexical = lexical_pending()
        if method == "hybrid":
            self._prepare(lexical, texts_by_id, [], rarity)
        pools: list[list[Candidate]] = []
        for qi, (q, lex, vec) in enumerate(zip(queries, lexical, vector, strict=True)):
            if exclude and exclude[qi]:
                lex = [hit for hit in lex if hit[0] not in exclude[qi]]
                vec = [hit for hit in vec if hit[0] not in exclude[qi]]
            pools.append(self._pool(q, qi, lex, vec, texts_by_id, method))
        return pools

    def _prepare(
        self,
        hits: list[list[tuple[int, float]]],
        texts_by_id: dict[int, tuple[str, str]],
        extra_words: list[str],
        rarity: Callable[[], Rarity],
    ) -> None:
        """Reads the texts of the hits not read yet (into texts_by_id) and readies what their
        features need: each text analysed, and each word's vector and rarity, all words in
        one batch (the vectors) rather than per query; _pool reads self._idf_cache."""
        wanted = sorted({i for found in hits for i, _ in found} - texts_by_id.keys())
        new = self.library.texts(wanted)
        texts_by_id.update(new)
        vocabulary = set(extra_words).union(
            *(_analyse(*t).content | _analyse(*t).title_content for t in new.values())
        )
        word_rows(vocabulary)
        self._frequencies, self._entries = rarity()  # waits for the vocabulary, if need be
        for word in vocabulary:
            self._idf(word)

    def _lexical_hits(
        self, queries: list[str], pool: int, executor: ThreadPoolExecutor, threads: int
    ) -> tuple[Callable[[], Rarity], Callable[[], list[list[tuple[int, float]]]]]:
        """Starts reading the vocabulary and then the FTS5 queries; returns two functions that
        wait for them: the vocabulary (document frequencies, entries) and the hits of each
        query (same order)."""
        if threads < 2:
            rarity = (self.library.document_frequencies(), self.library.count())
            matches = [fts_query(q, *rarity) for q in queries]
            return (lambda: rarity), lambda: [self.library.lexical(m, pool) for m in matches]

        def run(chunk: list[str]) -> list[list[tuple[int, float]]]:
            with Library.open(self.library.path) as own:
                return [own.lexical(m, pool) for m in chunk]

        def start() -> tuple[Rarity, list[Future[list[list[tuple[int, float]]]]]]:
            # In a worker, with its own connection: the queries need the vocabulary, and the
            # vectors do not.
            with Library.open(self.library.path) as own:
                rarity = (own.document_frequencies(), own.count())
            if pool == 0:
                return rarity, []
            matches = [fts_query(q, *rarity) for q in queries]
            return rarity, [executor.submit(run, matches[i::threads]) for i in range(threads)]

        started = executor.submit(start)

        def collect() -> list[list[tuple[int, float]]]:
            hits: list[list[tuple[int, float]]] = [[] for _ in queries]
            for i, future in enumerate(started.result()[1]):
                hits[i::threads] = future.result()
            return hits

        return (lambda: started.result()[0]), collect

    def _vector_hits(self, queries: list[str], pool: int) -> list[list[tuple[int, float]]]:
        if pool == 0:
            return [[] for _ in queries]
        from workbench.core.embedding import embed

        ids, matrix = self.library.vectors()
        if len(ids) == 0:
            return [[] for _ in queries]
        self._ids, self._matrix = ids, matrix
        q = embed(queries)
        hits: list[list[tuple[int, float]]] = []
        for start in range(0, len(queries), 64):
            sims = q[start : start + 64] @ matrix.T
            for row, cols in zip(sims, top_columns(sims, pool), strict=True):
                order = sorted(cols.tolist(), key=lambda c: (-row[c], ids[c]))
                hits.append([(int(ids[c]), float(row[c])) for c in order])
        self._query_vectors = q
        return hits

    def _idf(self, word: str) -> float:
        """How rare the word is in the library (cached for this batch of queries)."""
        value = self._idf_cache.get(word)
        if value is None:
            n = _frequency(word, self._frequencies)
            value = self._idf_cache[word] = math.log((self._entries + 1) / (n + 0.5))
        return value

    def _cosines(self, query_index: int, wanted: list[int]) -> dict[int, float]:
        cols = np.searchsorted(self._ids, wanted)
        ok = [
            (w, c)
            for w, c in zip(wanted, cols, strict=True)
            if c < len(self._ids) and self._ids[c] == w
        ]
        if not ok:
            return {}
        sims = self._matrix[[c for _, c in ok]] @ self._query_vectors[query_index]
        return {w: float(s) for (w, _), s in zip(ok, sims, strict=True)}

    def _pool(
        self,
        query: str,
        qi: int,
        lex: list[tuple[int, float]],
        vec: list[tuple[int, float]],
        texts_by_id: dict[int, tuple[str, str]],
        method: str,
    ) -> list[Candidate]:
        bm25 = dict(lex)
        cos = dict(vec)
        ids = list(dict.fromkeys([i for i, _ in lex] + [i for i, _ in vec]))
        if method != "hybrid":
            return [Candidate(i, [], bm25.get(i, 0.0), cos.get(i, 0.0), ()) for i in ids]
        missing_cos = [i for i in ids if i not in cos]
        if missing_cos:
            cos.update(self._cosines(qi, missing_cos))
        best_bm25 = max(bm25.values(), default=0.0) or 1.0
        best_cos = max(cos.values(), default=0.0)
        bm25_rank = {i: r for r, (i, _) in enumerate(sorted(bm25.items(), key=lambda kv: -kv[1]))}
        cos_rank = {i: r for r, (i, _) in enumerate(sorted(cos.items(), key=lambda kv: -kv[1]))}
        q_tokens = words(query)
        q_words = set(q_tokens)
        q_content = set(content_words(query))
        q_pairs = _pairs(q_tokens)
        analysed = {i: _analyse(*texts_by_id.get(i, ("", ""))) for i in ids}
        idf = self._idf_cache  # every word of the batch is in it (see _candidates)
        q_list = sorted(q_content)
        q_idf_total = sum(map(idf.__getitem__, q_list)) or 1.0
        soft = SoftOverlap(
            q_list,
            [idf[w] for w in q_list],
            set().union(*(a.content | a.title_content for a in analysed.values())),
        )
        pool: list[Candidate] = []
        boths = {i: analysed[i].content | analysed[i].title_content for i in ids}
        soft_query = dict(zip(ids, soft.query_sides([boths[i] for i in ids]), strict=True))
        for i in ids:
            claim, _title = texts_by_id.get(i, ("", ""))
            a = analysed[i]
            conflict, differing = number_conflict(query, claim)
            b = bm25.get(i, 0.0)
            s = cos.get(i, 0.0)
            both = boths[i]
            claim_idf = sum(map(idf.__getitem__, a.content)) or 1.0
            features = [
                b / best_bm25,
                math.log1p(b),
                1.0 / (1 + bm25_rank.get(i, len(bm25))),
                s,
                s - best_cos,
                1.0 / (1 + cos_rank.get(i, len(cos))),
                _cover(a.content, q_words),
                _cover(q_content, both),
                _cover(a.title_content, q_words),
                _cover(a.pairs, q_pairs),
                _cover(a.names, q_words),
                sum(map(idf.__getitem__, a.content & q_words)) / claim_idf,
                sum(map(idf.__getitem__, q_content & both)) / q_idf_total,
                soft.mean_best(a.content),
                soft.mean_best(a.title_content),
                soft_query[i],
                conflict,
            ]
            pool.append(Candidate(i, features, b, s, tuple(sorted(differing)), a.key))
        return pool
