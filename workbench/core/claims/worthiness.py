"""The trained check-worthiness model: features of a sentence in its context, and its score.

A sentence is described by:
- what a fact-checker can look up or what weakens it (numbers, dates, names, attribution,
  comparison, hedges, first-person opinion, a question, length; the rule-based finder's
  signals), plus a few pronoun cues;
- its place in the speaker's turn (a paragraph is a turn): first or last, how long the turn is,
  whether the turn asks questions (moderators ask, candidates claim), whether the sentence
  before is a question (an answer starts here);
- its wording, read by base models: TF-IDF logistic regressions over words and word pairs and
  over character n-grams within words (and, if the weights have one, a logistic regression over
  the WordLlama sentence vector). Each base model's value for the sentence, the mean over its
  turn, and its value for the sentences before and after are inputs of the final model.

The final model is a logistic regression over all of these (trained by
`python -m workbench.train_checkworthiness`, with scikit-learn at training time only), stored in
resources/checkworthiness.npz with the base models and applied here with numpy. The raw value
becomes a continuous score in (0, 1) read against the training debates (see to_score).
"""

from __future__ import annotations

import bisect
import math
import re
import threading
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import chain, pairwise, repeat
from typing import TYPE_CHECKING

from workbench.core.errors import WorkbenchError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    import numpy as np

WEIGHTS_FILE = "checkworthiness.npz"
_LOCK = threading.Lock()

# Interpretable features, each with the words the claim panel shows for its contribution.
INTERPRETABLE: tuple[tuple[str, str], ...] = (
    ("numbers", "numbers"),
    ("vague_numbers", "rough quantities"),
    ("dates", "dates"),
    ("names", "names"),
    ("attributed", "attribution"),
    ("comparison", "comparison"),
    ("causal", "cause and effect"),
    ("first_person_opinion", "first-person opinion"),
    ("normative", "should/must"),
    ("hedges", "hedges"),
    ("evaluative", "evaluative words"),
    ("length", "length"),
    ("question", "a question"),
    ("kind_opinion", "reads as opinion"),
    ("kind_quotation", "mostly quoted words"),
    ("kind_attribution", "reported speech"),
    ("rule_score", "rule-based score"),
    ("quoted", "quotation marks"),
    ("i", "speaks as I"),
    ("we", "speaks as we"),
    ("you", "addresses you"),
    ("exclamation", "exclamation"),
    ("money_or_percent", "money or percentages"),
    ("pos_in_turn", "later in its paragraph"),
    ("first_in_turn", "opens its paragraph"),
    ("last_in_turn", "closes its paragraph"),
    ("turn_length", "long paragraph"),
    ("turn_questions", "paragraph asks questions"),
    ("after_question", "answers a question"),
    ("before_question", "followed by a question"),
    ("turn_rule_mean", "paragraph rich in facts"),
)
# Each base model's value for the sentence, its turn (mean), and the sentences either side;
# the panel sums them over the base models: they all read the wording. The labels say
# "paragraph": the model reads a paragraph as a speaker's turn, but the person reads articles.
CONTEXT_OF_WORDING: tuple[tuple[str, str], ...] = (
    ("self", "word choice"),
    ("turn", "the paragraph's word choice"),
    ("prev", "the previous sentence's word choice"),
    ("next", "the next sentence's word choice"),
)
BASE_KINDS = ("word", "char", "embedding")

_TERM = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
# The same words, found faster: a greedy \w\w+ always ends a word, and it only starts inside one
# where the word's first letter failed, which needs a one-letter word (so never).
_TERM_FAST = re.compile(r"\w\w+")
# Pronoun cues as whole words ("I'm" holds the word "I"; "US" is not "us").
_I = frozenset({"I", "me", "my"})
_WE = frozenset({"We", "we", "Our", "our", "Us", "us"})
_YOU = frozenset({"You", "you", "Your", "your"})
_PRONOUN = re.compile(rf"\b(?:{'|'.join(sorted(_I | _WE | _YOU))})\b")  # = a \w+ word among them
_MONEY_OR_PERCENT = re.compile(r"[$£€¥%]|\bpercent\b|\bper cent\b|\bdollars?\b", re.IGNORECASE)


class ModelError(WorkbenchError):
    """The shipped check-worthiness weights are missing or damaged (a broken install)."""


@dataclass(frozen=True)
class Sentence:
    """What the features need to know about one sentence of the text."""

    start: int
    end: int
    text: str
    kind: str
    rule_score: float
    numbers: int
    vague_numbers: int
    dates: int
    names: int
    attributed: bool
    comparison: bool
    causal: bool
    first_person_opinion: bool
    normative: bool
    hedges: int
    evaluative: int
    words: int
    quoted: bool


@dataclass(frozen=True)
class Lexical:
    """A TF-IDF logistic regression over "word" terms (words of two or more characters and
    adjacent pairs) or "char" terms (2 to 5 character n-grams inside space-padded words), as
    scikit-learn's TfidfVectorizer makes them, so training and use agree."""

    analyzer: str
    terms: dict[str, int]  # term -> index into weights and idf
    weights: np.ndarray
    idf: np.ndarray
    intercept: float
    # Lookup tables derived from terms on first use (see _word_tables).
    tables: dict[str, object] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Linear:
    """A logistic regression over standardised inputs: sum(coef * (x - mean) / scale) + b."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float


@dataclass(frozen=True)
class Model:
    bases: tuple[str, ...]  # the base models in the order of their columns: "word", "char", ...
    lexical: dict[str, Lexical]
    embedding: Linear | None  # over the WordLlama sentence vector, if the weights have one
    final: Linear  # over feature_names(bases)
    quantiles: np.ndarray  # raw values at 0%, 0.1%, ... 100% of the training sentences
    trained_on: str


def feature_names(bases: Sequence[str]) -> list[str]:
    names = [name for name, _ in INTERPRETABLE]
    return names + [f"{base}_{where}" for base in bases for where, _ in CONTEXT_OF_WORDING]


# (attribute, cap) of the counted signals, in INTERPRETABLE order after the first four.
_CAPPED = (("numbers", 4), ("vague_numbers", 2), ("dates", 3), ("names", 6))
_FLAGS = ("attributed", "comparison", "causal", "first_person_opinion", "normative")


def _sentence_columns(sentences: Sequence[Sentence]) -> np.ndarray:
    """The first 23 interpretable features, built a column at a time (a 1 MB article has
    thousands of sentences; per-row lists cost several times more)."""
    import numpy as np

    def column(values) -> np.ndarray:
        return np.fromiter(values, dtype=np.float32, count=len(sentences))

    def says(words: frozenset[str]) -> np.ndarray:
        return column(not words.isdisjoint(w) for w in pronouns)

    def money(text: str) -> bool:
        # The pattern only runs where a currency sign or its words could be.
        lower = text.lower()
        return ("per" in lower or "dollar" in lower or any(c in text for c in "$£€¥%")) and (
            _MONEY_OR_PERCENT.search(text) is not None
        )

    texts = [s.text for s in sentences]
    # The pronoun cues' words that occur as whole words (one scan, not a list of every word).
    pronouns = [set(_PRONOUN.findall(t)) for t in texts]
    kinds = [s.kind for s in sentences]
    columns = [
        np.minimum(column(getattr(s, name) for s in sentences), cap) for name, cap in _CAPPED
    ]
    columns += [column(getattr(s, name) for s in sentences) for name in _FLAGS]
    columns += [
        np.minimum(column(s.hedges for s in sentences), 2),
        np.minimum(column(s.evaluative for s in sentences), 2),
        np.log1p(np.array([s.words for s in sentences], dtype=np.float64)).astype(np.float32),
    ]
    columns += [column(k == kind for k in kinds) for kind in ("question", "opinion")]
    columns += [column(k == kind for k in kinds) for kind in ("quotation", "attribution")]
    columns += [
        column(s.rule_score for s in sentences),
        column(s.quoted for s in sentences),
        says(_I),
        says(_WE),
        says(_YOU),
        column(t.rstrip(" ”\"’')").endswith("!") for t in texts),
        column(money(t) for t in texts),
    ]
    return np.column_stack(columns)


_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


def paragraph_ids(text: str, sentences: Sequence[Sentence]) -> list[int]:
    """The paragraph (speaker turn) of each sentence: a blank line starts a new one."""
    lo, hi = sentences[0].start, sentences[-1].end
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(text, lo, hi)]
    return [bisect.bisect_right(breaks, s.start) for s in sentences]


def interpretable(text: str, sentences: Sequence[Sentence]) -> tuple[np.ndarray, np.ndarray]:
    """The interpretable and turn features of each sentence (one row of len(INTERPRETABLE)),
    and each sentence's paragraph (turn) number; sentences in text order."""
    import numpy as np

    n = len(sentences)
    if n == 0:
        return np.zeros((0, len(INTERPRETABLE)), dtype=np.float32), np.zeros(0, dtype=np.int64)
    para = np.asarray(paragraph_ids(text, sentences))
    questions = np.array([s.kind == "question" for s in sentences], dtype=np.float32)
    rules = np.array([s.rule_score for s in sentences], dtype=np.float32)
    starts, lengths, run_of = _runs(para)
    index_in = np.arange(n) - starts[run_of]
    count = lengths[run_of]
    q_share = np.add.reduceat(questions, starts) / lengths
    rule_mean = np.add.reduceat(rules, starts) / lengths
    prev_q = np.concatenate([[0.0], questions[:-1]])
    next_q = np.concatenate([questions[1:], [0.0]])
    base = _sentence_columns(sentences)
    context = np.column_stack(
        [
            np.log1p(index_in),
            index_in == 0,
            index_in == count - 1,
            np.log1p(count),
            q_share[run_of],
            prev_q,
            next_q,
            rule_mean[run_of],
        ]
    ).astype(np.float32)
    return np.hstack([base, context]), para


def _runs(para: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start and length of each paragraph's run of sentences (sentences come in text order, so
    a paragraph is one contiguous run), and the run of each sentence."""
    import numpy as np

    change = np.flatnonzero(np.diff(para)) + 1
    starts = np.concatenate([[0], change]).astype(np.int64)
    lengths = np.diff(np.concatenate([starts, [len(para)]]))
    return starts, lengths, np.repeat(np.arange(len(starts)), lengths)


def context_columns(paragraphs: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per sentence, a base model's value for it, the mean over its turn, and its value for
    the sentences before and after (0 at the ends of the text)."""
    import numpy as np

    v = np.asarray(values, dtype=np.float32)
    starts, lengths, run_of = _runs(np.asarray(paragraphs))
    turn = (np.add.reduceat(v, starts) / lengths)[run_of]
    prev = np.concatenate([[0.0], v[:-1]])
    nxt = np.concatenate([v[1:], [0.0]])
    return np.column_stack([v, turn, prev, nxt]).astype(np.float32)


def terms_of(text: str) -> list[str]:
    """Lower-cased words of two or more characters and adjacent pairs (as scikit-learn's
    TfidfVectorizer(ngram_range=(1, 2)) makes them, so training and use agree)."""
    words = _TERM.findall(text.lower())
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def char_ngrams(word: str) -> list[str]:
    """The 2- to 5-character n-grams of " word " (scikit-learn's char_wb analyzer: a word
    shorter than n gives itself once)."""
    w = f" {word} "
    out = []
    for n in range(CHAR_MIN, CHAR_MAX + 1):
        if len(w) <= n:
            out.append(w)
            break
        out.extend(w[i : i + n] for i in range(len(w) - n + 1))
    return out


CHAR_MIN, CHAR_MAX = 2, 5


def _ngram_slices(size: int) -> tuple[slice, ...]:
    """char_ngrams' n-grams of a padded word of this many characters, as slices (so a word's
    n-grams are cut and looked up without a Python step per n-gram)."""
    return _word_slices(size) if size <= 64 else _slices(size)  # keep no giant's slices


@cache
def _word_slices(size: int) -> tuple[slice, ...]:
    return _slices(size)


def _slices(size: int) -> tuple[slice, ...]:
    out: list[slice] = []
    for n in range(CHAR_MIN, CHAR_MAX + 1):
        if size <= n:
            out.append(slice(0, size))
            break
        out.extend(slice(i, i + n) for i in range(size - n + 1))
    return tuple(out)


def _word_tables(lex: Lexical) -> tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray]:
    """The words of the vocabulary's terms numbered, each word's own term (or -1), and the
    word pairs as sorted keys (first * words + second) with their terms: a text's pairs are
    then found by one vectorised search instead of a string and a lookup per pair."""
    import numpy as np

    found = lex.tables.get("word")
    if found is None:
        words: dict[str, int] = {}
        single_words, single_terms, firsts, seconds, pair_terms = [], [], [], [], []
        for term, i in lex.terms.items():
            first, space, second = term.partition(" ")
            if space:
                firsts.append(words.setdefault(first, len(words)))
                seconds.append(words.setdefault(second, len(words)))
                pair_terms.append(i)
            else:
                single_words.append(words.setdefault(first, len(words)))
                single_terms.append(i)
        single = np.full(len(words), -1, dtype=np.int64)
        single[single_words] = single_terms
        keys = np.asarray(firsts, dtype=np.int64) * len(words) + np.asarray(seconds, np.int64)
        order = np.argsort(keys, kind="stable")
        found = (words, single, keys[order], np.asarray(pair_terms, dtype=np.int64)[order])
        lex.tables["word"] = found
    return found  # type: ignore[return-value]


def _word_term_indices(lex: Lexical, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The known words and adjacent word pairs of each text (terms_of, without building a
    string per pair)."""
    import numpy as np

    words, single, pair_keys, pair_terms = _word_tables(lex)
    tokens: list[str] = []
    sizes = np.zeros(len(texts), dtype=np.int64)
    for row, text in enumerate(texts):
        found = _TERM_FAST.findall(text.lower())
        sizes[row] = len(found)
        tokens += found
    get = words.get
    ids = np.fromiter(map(get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
    owners = np.repeat(np.arange(len(texts), dtype=np.int64), sizes)
    known = ids >= 0
    own = np.where(known, single[np.where(known, ids, 0)], -1)
    alone = own >= 0
    # A pair is two known words of the same text side by side.
    paired = known[:-1] & known[1:] & (owners[:-1] == owners[1:])
    keys = ids[:-1][paired] * len(single) + ids[1:][paired]
    at = np.minimum(np.searchsorted(pair_keys, keys), max(len(pair_keys) - 1, 0))
    hit = pair_keys[at] == keys if len(pair_keys) else np.zeros(len(keys), dtype=bool)
    return (
        np.concatenate([owners[alone], owners[:-1][paired][hit]]),
        np.concatenate([own[alone], pair_terms[at[hit]]]),
    )


def _char_values(lex: Lexical, texts: Sequence[str]) -> np.ndarray:
    """lexical_values for character n-grams. A text's n-grams are the sum of its words' (they
    never cross a space) and words repeat, so each distinct word is read once: its n-grams are
    copied to every occurrence in one vectorised gather, and its share of the dot product is
    summed once."""
    import numpy as np

    n, width = len(texts), len(lex.idf)
    split = [text.lower().split() for text in texts]
    words = [word for found in split for word in found]
    distinct = {word: i for i, word in enumerate(dict.fromkeys(words))}
    occurrence = np.fromiter(map(distinct.__getitem__, words), dtype=np.int64, count=len(words))
    # Each distinct word's n-grams as term numbers, -1 where the vocabulary lacks one.
    lookup = lex.terms.get
    padded = [f" {word} " for word in distinct]
    cuts = [_ngram_slices(len(p)) for p in padded]
    every = np.fromiter(
        chain.from_iterable(
            map(lookup, map(p.__getitem__, c), repeat(-1))
            for p, c in zip(padded, cuts, strict=True)
        ),
        dtype=np.int32,
        count=sum(map(len, cuts)),
    )
    owner_word = np.repeat(np.arange(len(padded)), np.fromiter(map(len, cuts), dtype=np.int64))
    known = every >= 0
    flat = every[known]
    lengths = np.bincount(owner_word[known], minlength=len(padded))
    counts = lengths[occurrence]
    total = int(counts.sum())
    if not total:
        return np.full(n, lex.intercept, dtype=np.float64)
    word_dot = np.bincount(
        owner_word[known],
        weights=(lex.idf * lex.weights)[flat],
        minlength=len(padded),
    )
    sizes = np.fromiter(map(len, split), dtype=np.int64, count=n)
    text_of = np.repeat(np.arange(n, dtype=np.int32), sizes)
    dot = np.bincount(text_of, weights=word_dot[occurrence], minlength=n)
    # The norm needs each term's count per text: (text, term) keys, sorted, in runs. Position
    # k of the keys reads flat[offset of its word + k - start of its occurrence's run].
    owners = np.repeat(text_of, counts)
    offsets = np.cumsum(lengths) - lengths
    shift = np.repeat(offsets[occurrence] - (np.cumsum(counts) - counts), counts)
    shift += np.arange(total, dtype=np.int64)
    terms = flat[shift]
    if n * width < 2**31:  # 32-bit keys sort twice as fast where they fit
        keys = terms + owners * np.int32(width)
    else:
        keys = owners.astype(np.int64) * width + terms
    keys.sort()
    new = np.empty(total, dtype=bool)
    new[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    owner = owners[starts]  # keys sort by text first, so owners is already in key order
    tfidf = np.diff(starts, append=total) * lex.idf[keys[starts] - owner.astype(keys.dtype) * width]
    return _normalised(lex, dot, np.bincount(owner, weights=tfidf * tfidf, minlength=n))


def _normalised(lex: Lexical, dot: np.ndarray, squares: np.ndarray) -> np.ndarray:
    """The intercept plus the dot product over the L2 norm (0 for a text with no known term)."""
    import numpy as np

    norm = np.sqrt(squares)
    safe = np.where(norm > 0, norm, 1.0)
    return lex.intercept + np.where(norm > 0, dot / safe, 0.0)


def lexical_values(lex: Lexical, texts: Sequence[str]) -> np.ndarray:
    """The model's value per text: its L2-normalised TF-IDF vector times the weights, plus
    the intercept (a text with no known term gets the intercept)."""
    import numpy as np

    if lex.analyzer != "word":
        return _char_values(lex, texts)
    n, width = len(texts), len(lex.idf)
    owners, indices = _word_term_indices(lex, texts)
    if not len(indices):
        return np.full(n, lex.intercept, dtype=np.float64)
    # The dot product is a sum over occurrences; the norm needs each term's count per text,
    # found by sorting (text, term) keys (32-bit keys sort twice as fast where they fit).
    dot = np.bincount(owners, weights=(lex.idf * lex.weights)[indices], minlength=n)
    if n * width < 2**31:
        keys = owners.astype(np.int32) * np.int32(width) + indices.astype(np.int32)
    else:
        keys = owners * width + indices
    keys.sort()
    new = np.empty(len(keys), dtype=bool)
    new[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, len(keys)))
    owner, term = np.divmod(keys[starts], width)
    tfidf = counts * lex.idf[term]
    return _normalised(lex, dot, np.bincount(owner, weights=tfidf * tfidf, minlength=n))


def embedding_values(linear: Linear, texts: Sequence[str]) -> np.ndarray:
    """The embedding model's value per text (loads WordLlama on first use)."""
    import numpy as np

    from workbench.core.embedding import DIMENSIONS, embed

    # WordLlama pads each batch of 64 to its longest text; embedding in order of length wastes
    # far less on padding (3x faster on a 1 MB article) and gives the same vectors.
    order = np.argsort([len(t) for t in texts], kind="stable")
    vectors = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    vectors[order] = embed([texts[i] for i in order])
    return ((vectors - linear.mean) / linear.scale) @ linear.coef + linear.intercept


def base_values(m: Model, texts: Sequence[str]) -> np.ndarray:
    """One column per base model, in m.bases order."""
    import numpy as np

    columns = []
    for base in m.bases:
        if base == "embedding" and m.embedding is not None:
            columns.append(embedding_values(m.embedding, texts))
        else:
            columns.append(lexical_values(m.lexical[base], texts))
    return np.column_stack(columns) if columns else np.zeros((len(texts), 0))


def assemble(interpretable_rows: np.ndarray, paragraphs: np.ndarray, values: np.ndarray):
    """The final model's rows: the interpretable features, then each base model's context
    columns (feature_names order)."""
    import numpy as np

    parts = [interpretable_rows]
    parts += [context_columns(paragraphs, values[:, k]) for k in range(values.shape[1])]
    return np.hstack(parts).astype(np.float32)


@cache
def model() -> Model:
    """The shipped weights, read once (lazily: nothing loads them until claims are scored)."""
    with _LOCK:
        try:
            source = resources.files("workbench.resources").joinpath(WEIGHTS_FILE)
            with resources.as_file(source) as path:
                return load(path)
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(
                f"The check-worthiness model ({WEIGHTS_FILE}) could not be read: {exc}. "
                "Reinstall Workbench to repair it."
            ) from exc


def load(path: Path) -> Model:
    """A weights file written by workbench.train_checkworthiness."""
    import numpy as np

    def linear(data, prefix: str) -> Linear:
        return Linear(
            mean=data[f"{prefix}_mean"].astype(np.float32),
            scale=data[f"{prefix}_scale"].astype(np.float32),
            coef=data[f"{prefix}_coef"].astype(np.float32),
            intercept=float(data[f"{prefix}_intercept"]),
        )

    with np.load(path, allow_pickle=False) as data:
        bases = tuple(str(data["bases"]).split())
        if any(b not in BASE_KINDS for b in bases):
            raise ValueError(f"unknown base models {bases}")
        lexical = {}
        for base in bases:
            if base == "embedding":
                continue
            terms = str(data[f"{base}_terms"])
            lexical[base] = Lexical(
                analyzer=base,
                terms={t: i for i, t in enumerate(terms.split("\n"))} if terms else {},
                weights=data[f"{base}_weights"].astype(np.float64),
                idf=data[f"{base}_idf"].astype(np.float64),
                intercept=float(data[f"{base}_intercept"]),
            )
        final = linear(data, "final")
        if len(final.coef) != len(feature_names(bases)):
            raise ValueError("the final model does not match its base models")
        return Model(
            bases=bases,
            lexical=lexical,
            embedding=linear(data, "embedding") if "embedding" in bases else None,
            final=final,
            quantiles=data["quantiles"].astype(np.float64),
            trained_on=str(data["trained_on"]),
        )


def rows(m: Model, text: str, sentences: Sequence[Sentence]) -> np.ndarray:
    """The final model's feature rows of sentences (in text order)."""
    import numpy as np

    if not sentences:
        return np.zeros((0, len(feature_names(m.bases))), dtype=np.float32)
    features, paragraphs = interpretable(text, sentences)
    return assemble(features, paragraphs, base_values(m, [s.text for s in sentences]))


def raw_values(m: Model, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The model's raw value per row and each column's contribution to it."""
    f = m.final
    contributions = (rows - f.mean) / f.scale * f.coef
    return contributions.sum(axis=1) + f.intercept, contributions


def to_score(m: Model, raw: np.ndarray) -> np.ndarray:
    """Raw values to (0, 1) on a scale read against the training debates: the median debate
    sentence scores 0.2, the top 3% (about the share fact-checkers chose) 0.5 and above.

    A logistic curve rather than the percentile itself, so sentences beyond every training
    sentence (news copy is denser in facts than debate talk) still differ in score.
    """
    import numpy as np

    q = m.quantiles
    median, top = q[(len(q) - 1) // 2], q[round(0.97 * (len(q) - 1))]
    spread = max(float(top - median), 1e-6) / math.log(4.0)  # logit(0.5) - logit(0.2)
    return 1.0 / (1.0 + np.exp(-(np.asarray(raw, dtype=np.float64) - top) / spread))


def explain(m: Model, contributions: np.ndarray, limit: int = 3) -> list[list[str]]:
    """Per row, the largest contributions in words, grouped (the base models' values for the
    sentence count as one "word choice" contribution, and so on for the turn and neighbours)."""
    import numpy as np

    labels = [words for _, words in INTERPRETABLE] + [words for _, words in CONTEXT_OF_WORDING]
    # The base models' columns come in groups of the context's four (self, turn, prev, next):
    # summed by reshaping, not by a matrix product (whose threaded BLAS call cost more CPU
    # than all the rest of this function).
    n, rows = len(INTERPRETABLE), len(contributions)
    by_base = contributions[:, n:].reshape(rows, -1, len(CONTEXT_OF_WORDING))
    sums = np.hstack([contributions[:, :n], by_base.sum(axis=1)])
    order = np.argsort(-np.abs(sums), axis=1, kind="stable")[:, :limit]
    picked = np.take_along_axis(sums, order, axis=1)  # only these become Python floats
    out = []
    for values, picks in zip(picked.tolist(), order.tolist(), strict=True):
        out.append(
            [
                f"model: {labels[g]} {'+' if v >= 0 else '−'}{abs(v):.1f}"
                for g, v in zip(picks, values, strict=True)
                if abs(v) >= 0.05
            ]
        )
    return out
