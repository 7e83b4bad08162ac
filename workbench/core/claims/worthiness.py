"""The trained check-worthiness model: features of a sentence in its context, and its score.

A sentence is described by three groups of numbers:
- what a fact-checker can look up or what weakens it (numbers, dates, names, attribution,
  comparison, hedges, first-person opinion, a question, length; the rule-based finder's
  signals), plus a few pronoun cues;
- its place in the speaker's turn (a paragraph is a turn): first or last, how long the turn is,
  whether the turn asks questions (moderators ask, candidates claim), whether the sentence
  before is a question (an answer starts here);
- its wording and its neighbours' wording: WordLlama sentence vectors of the sentence, the
  mean of its paragraph, and the sentences before and after it.

Two linear stages (trained by `python -m workbench.train_checkworthiness`, with scikit-learn at
training time only) are stored in resources/checkworthiness.npz as one linear model over these
numbers plus a TF-IDF word-choice model, and applied here with numpy. The raw value becomes a
continuous score in (0, 1) read against the training debates (see to_score).
"""

from __future__ import annotations

import bisect
import math
import re
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
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
    ("pos_in_turn", "later in the turn"),
    ("first_in_turn", "opens the turn"),
    ("last_in_turn", "closes the turn"),
    ("turn_length", "long turn"),
    ("turn_questions", "turn asks questions"),
    ("after_question", "answers a question"),
    ("before_question", "followed by a question"),
    ("turn_rule_mean", "turn rich in facts"),
)
# The word-choice model's value (TF-IDF words and word pairs) for the sentence, its turn and
# its neighbours; last in the row.
LEXICAL: tuple[tuple[str, str], ...] = (
    ("lex_self", "word choice"),
    ("lex_turn", "the turn's word choice"),
    ("lex_prev", "the previous sentence's word choice"),
    ("lex_next", "the next sentence's word choice"),
)
EMBEDDING_GROUPS: tuple[tuple[str, str], ...] = (
    ("emb_self", "wording"),
    ("emb_turn", "the turn's wording"),
    ("emb_prev", "the previous sentence"),
    ("emb_next", "the next sentence"),
)

_TERM = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
_I = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'll|I’ll|I'd|I’d|me|my)\b")
_WE = re.compile(r"\b(?:[Ww]e|[Oo]ur|[Uu]s|[Ww]e're|[Ww]e’re|[Ww]e've|[Ww]e’ve)\b")
_YOU = re.compile(r"\b(?:[Yy]ou|[Yy]our|[Yy]ou're|[Yy]ou’re)\b")
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
class Model:
    columns: np.ndarray  # indices into the full feature row
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    quantiles: np.ndarray  # raw values at 0%, 0.1%, ... 100% of the training sentences
    trained_on: str
    terms: dict[str, int]  # word-choice vocabulary: term -> index into term_weights
    term_weights: np.ndarray  # the word-choice model's coefficient per term
    term_idf: np.ndarray
    term_intercept: float


def feature_names() -> list[str]:
    names = [name for name, _ in INTERPRETABLE]
    for group, _ in EMBEDDING_GROUPS:
        names += [f"{group}_{i}" for i in range(256)]
    return names + [name for name, _ in LEXICAL]


def _sentence_row(s: Sentence) -> list[float]:
    import math

    return [
        min(s.numbers, 4),
        min(s.vague_numbers, 2),
        min(s.dates, 3),
        min(s.names, 6),
        float(s.attributed),
        float(s.comparison),
        float(s.causal),
        float(s.first_person_opinion),
        float(s.normative),
        min(s.hedges, 2),
        min(s.evaluative, 2),
        math.log1p(s.words),
        float(s.kind == "question"),
        float(s.kind == "opinion"),
        float(s.kind == "quotation"),
        float(s.kind == "attribution"),
        s.rule_score,
        float(s.quoted),
        float(bool(_I.search(s.text))),
        float(bool(_WE.search(s.text))),
        float(bool(_YOU.search(s.text))),
        float(s.text.rstrip(" ”\"’')").endswith("!")),
        float(bool(_MONEY_OR_PERCENT.search(s.text))),
    ]


_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


def paragraph_ids(text: str, sentences: Sequence[Sentence]) -> list[int]:
    """The paragraph (speaker turn) of each sentence: a blank line starts a new one."""
    lo, hi = sentences[0].start, sentences[-1].end
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(text, lo, hi)]
    return [bisect.bisect_right(breaks, s.start) for s in sentences]


def features(
    text: str, sentences: Sequence[Sentence], lexical: np.ndarray | None = None
) -> np.ndarray:
    """One row of len(feature_names()) floats per sentence, in the order given; the word-choice
    columns are zero unless the sentences' word-choice values are given."""
    import numpy as np

    from workbench.core.embedding import DIMENSIONS, embed

    n = len(sentences)
    if n == 0:
        return np.zeros((0, len(feature_names())), dtype=np.float32)
    paragraphs = paragraph_ids(text, sentences)
    if lexical is None:
        lexical = np.zeros(n, dtype=np.float32)
    # WordLlama pads each batch of 64 to its longest text; embedding in order of length wastes
    # far less on padding (3x faster on a 1 MB article) and gives the same vectors.
    order = np.argsort([len(s.text) for s in sentences], kind="stable")
    vectors = np.empty((n, DIMENSIONS), dtype=np.float32)
    vectors[order] = embed([sentences[i].text for i in order])
    questions = np.array([s.kind == "question" for s in sentences], dtype=np.float32)
    rules = np.array([s.rule_score for s in sentences], dtype=np.float32)
    para = np.asarray(paragraphs)
    # Group boundaries: sentences come in text order, so each paragraph is one contiguous run.
    change = np.flatnonzero(np.diff(para)) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [n]])
    lengths = ends - starts
    run_of = np.repeat(np.arange(len(starts)), lengths)
    index_in = np.arange(n) - starts[run_of]
    count = lengths[run_of]
    q_share = np.add.reduceat(questions, starts) / lengths
    rule_mean = np.add.reduceat(rules, starts) / lengths
    turn_vec = np.add.reduceat(vectors, starts, axis=0) / lengths[:, None]
    zero = np.zeros((1, vectors.shape[1]), dtype=np.float32)
    prev_vec = np.concatenate([zero, vectors[:-1]])
    next_vec = np.concatenate([vectors[1:], zero])
    prev_q = np.concatenate([[0.0], questions[:-1]])
    next_q = np.concatenate([questions[1:], [0.0]])
    base = np.array([_sentence_row(s) for s in sentences], dtype=np.float32)
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
    lexical_part = lexical_columns(paragraphs, lexical)
    return np.hstack(
        [base, context, vectors, turn_vec[run_of], prev_vec, next_vec, lexical_part]
    ).astype(np.float32)


def lexical_columns(paragraphs: Sequence[int], values: np.ndarray) -> np.ndarray:
    """The word-choice value of each sentence, of its turn (mean), and of its neighbours."""
    import numpy as np

    lex = np.asarray(values, dtype=np.float32)
    para = np.asarray(paragraphs)
    change = np.flatnonzero(np.diff(para)) + 1
    starts = np.concatenate([[0], change])
    lengths = np.diff(np.concatenate([starts, [len(lex)]]))
    run_of = np.repeat(np.arange(len(starts)), lengths)
    turn = (np.add.reduceat(lex, starts) / lengths)[run_of]
    prev = np.concatenate([[0.0], lex[:-1]])
    nxt = np.concatenate([lex[1:], [0.0]])
    return np.column_stack([lex, turn, prev, nxt]).astype(np.float32)


def terms_of(text: str) -> list[str]:
    """Lower-cased words of two or more characters and adjacent pairs (as scikit-learn's
    TfidfVectorizer(ngram_range=(1, 2)) makes them, so training and use agree)."""
    words = _TERM.findall(text.lower())
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def lexical_values(m: Model, texts: Sequence[str]) -> np.ndarray:
    """The word-choice model's value per text: its L2-normalised TF-IDF vector times the
    weights, plus the intercept."""
    import numpy as np

    out = np.full(len(texts), m.term_intercept, dtype=np.float64)
    lookup = m.terms.get
    for row, text in enumerate(texts):
        counts: dict[int, int] = {}
        for term in terms_of(text):
            index = lookup(term)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            continue
        indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        values = tf * m.term_idf[indices]
        out[row] += float(values @ m.term_weights[indices]) / float(np.sqrt(values @ values))
    return out


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

    with np.load(path, allow_pickle=False) as data:
        terms = str(data["terms"])
        return Model(
            columns=data["columns"].astype(np.int64),
            mean=data["mean"].astype(np.float32),
            scale=data["scale"].astype(np.float32),
            coef=data["coef"].astype(np.float32),
            intercept=float(data["intercept"]),
            quantiles=data["quantiles"].astype(np.float64),
            trained_on=str(data["trained_on"]),
            terms={t: i for i, t in enumerate(terms.split("\n"))} if terms else {},
            term_weights=data["term_weights"].astype(np.float64),
            term_idf=data["term_idf"].astype(np.float64),
            term_intercept=float(data["term_intercept"]),
        )


def rows(m: Model, text: str, sentences: Sequence[Sentence]) -> np.ndarray:
    """The feature rows of sentences, word-choice columns included."""
    return features(text, sentences, lexical_values(m, [s.text for s in sentences]))


def raw_values(m: Model, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The model's raw value per row and each column's contribution to it."""
    x = (rows[:, m.columns] - m.mean) / m.scale
    contributions = x * m.coef
    return contributions.sum(axis=1) + m.intercept, contributions


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
    """Per row, the largest contributions in words, grouped (the 256 wording numbers of a
    sentence count as one contribution)."""
    import numpy as np

    labels, group_of = _groups(m)
    indicator = np.zeros((len(group_of), len(labels)), dtype=contributions.dtype)
    indicator[np.arange(len(group_of)), group_of] = 1.0
    sums = contributions @ indicator
    order = np.argsort(-np.abs(sums), axis=1, kind="stable")[:, :limit]
    out = []
    for row, picks in zip(sums.tolist(), order.tolist(), strict=True):
        out.append(
            [
                f"model: {labels[g]} {'+' if row[g] >= 0 else '−'}{abs(row[g]):.1f}"
                for g in picks
                if abs(row[g]) >= 0.05
            ]
        )
    return out


def _groups(m: Model) -> tuple[list[str], np.ndarray]:
    """The words for each contribution group, and the group of each model column."""
    import numpy as np

    names = feature_names()
    words = dict(INTERPRETABLE) | dict(EMBEDDING_GROUPS) | dict(LEXICAL)
    keys: list[str] = []
    group_of = []
    for column in m.columns.tolist():
        name = names[column]
        key = name.rsplit("_", 1)[0] if name.startswith("emb_") else name
        if key not in keys:
            keys.append(key)
        group_of.append(keys.index(key))
    return [words[k] for k in keys], np.asarray(group_of, dtype=np.int64)
