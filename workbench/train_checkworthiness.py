"""Train the check-worthiness model and report its leave-one-debate-out figures.

    python -m workbench.train_checkworthiness [--data ../shared/data] [--out PATH] [--quick]

Needs the `train` extra (scikit-learn) and the two data sets, which are read where they lie and
never copied into the repository:
- clef2019-checkworthiness-train/: 19 debates and speeches, a sentence per line, labelled 1
  where fact-checkers chose it (the CLEF-2019 CheckThat! Task 1 training set);
- claimbuster/: US presidential debate sentences 1960-2016 labelled by crowd workers and
  experts (check-worthy factual statement or not).

Each transcript is rebuilt as an article with one speaker turn per paragraph, and split and
described by the same code as `find_claims`, so the model learns from exactly what it sees at
run time. Every line of a held-out debate gets the highest score of the sentences overlapping
it, as the workbench is measured. Cross-validation holds out one CLEF debate at a time and trains
on the other 18 plus ClaimBuster, minus every ClaimBuster debate and sentence that is also in the
held-out debate (2,433 CLEF sentences occur in ClaimBuster, nearly all from the three 2016
presidential debates). MAP is the mean over debates of the average precision, ties broken by
document order (the CLEF measure). The run is deterministic (a fixed random state).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.core.claims import worthiness
from workbench.core.claims.finder import rule_candidates

# ../shared/data beside the repository (or beside a folder holding it, for a git worktree).
DEFAULT_DATA = next(
    (
        p / "shared" / "data"
        for p in Path(__file__).resolve().parents
        if (p / "shared" / "data").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "data",
)
DEFAULT_OUT = Path(__file__).resolve().parent / "resources" / worthiness.WEIGHTS_FILE
QUANTILES = 1001
MAX_TERMS = 40000


@dataclass
class Document:
    name: str
    source: str  # "clef" or "claimbuster"
    date: str  # YYYY-MM-DD, to keep a held-out debate's ClaimBuster copy out of training
    line_labels: np.ndarray  # per transcript line
    line_texts: list[str]
    rows: np.ndarray  # model features per sentence
    sentence_labels: np.ndarray  # 1 if the sentence overlaps a labelled line
    sentence_lines: list[list[int]]  # the transcript lines each sentence overlaps
    rule_scores: np.ndarray
    texts: list[str]  # the sentences as the workbench split them
    paragraphs: np.ndarray  # the turn of each sentence
    counts: object = None  # sparse term counts per sentence (count_terms)


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def build_document(
    name: str, source: str, date: str, turns: list[list[tuple[str, int]]]
) -> Document:
    """turns: consecutive (sentence, label) lists, one per speaker turn."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    labels: list[int] = []
    texts: list[str] = []
    at = 0
    for turn in turns:
        if parts:
            parts.append("\n\n")
            at += 2
        for i, (sentence, label) in enumerate(turn):
            if i:
                parts.append(" ")
                at += 1
            spans.append((at, at + len(sentence)))
            labels.append(label)
            texts.append(sentence)
            parts.append(sentence)
            at += len(sentence)
    text = "".join(parts)
    inputs = [s for _, s in rule_candidates(text) if s is not None]
    starts = np.array([s for s, _ in spans])
    ends = np.array([e for _, e in spans])
    sentence_lines = []
    for s in inputs:
        overlap = np.flatnonzero((starts < s.end) & (ends > s.start))
        sentence_lines.append(overlap.tolist())
    line_labels = np.array(labels, dtype=np.int8)
    sentence_labels = np.array(
        [int(line_labels[lines].max()) if lines else 0 for lines in sentence_lines], dtype=np.int8
    )
    return Document(
        name=name,
        source=source,
        date=date,
        line_labels=line_labels,
        line_texts=texts,
        rows=worthiness.features(text, inputs),
        sentence_labels=sentence_labels,
        sentence_lines=sentence_lines,
        rule_scores=np.array([s.rule_score for s in inputs], dtype=np.float32),
        texts=[s.text for s in inputs],
        paragraphs=np.array(worthiness.paragraph_ids(text, inputs)),
    )


def _turns(rows: list[tuple[str, str, int]]) -> list[list[tuple[str, int]]]:
    """(speaker, sentence, label) in order -> turns of consecutive sentences by one speaker."""
    turns: list[list[tuple[str, int]]] = []
    last = None
    for speaker, sentence, label in rows:
        sentence = " ".join(sentence.split())
        if not sentence:
            continue
        if speaker != last or not turns:
            turns.append([])
            last = speaker
        turns[-1].append((sentence, label))
    return turns


def load_clef(folder: Path) -> list[Document]:
    docs = []
    for path in sorted(folder.glob("*.tsv")):
        rows = []
        for line in path.read_text("utf-8").splitlines():
            _number, speaker, sentence, label = line.split("\t")
            rows.append((speaker, sentence, int(label)))
        stamp = path.stem[:8]
        date = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}"
        docs.append(build_document(path.stem, "clef", date, _turns(rows)))
    return docs


def load_claimbuster(folder: Path) -> list[Document]:
    by_file: dict[str, dict[int, tuple[str, str, int]]] = defaultdict(dict)
    for name in ("crowdsourced.csv", "groundtruth.csv"):
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                line = int(row["Line_number"])
                by_file[row["File_id"]][line] = (row["Speaker"], row["Text"], row["Verdict"] == "1")
    docs = []
    for file_id in sorted(by_file):
        lines = by_file[file_id]
        rows = [(lines[n][0], lines[n][1], int(lines[n][2])) for n in sorted(lines)]
        docs.append(build_document(file_id, "claimbuster", file_id[:10], _turns(rows)))
    return docs


# ------------------------------------------------------------------------------ measures
def average_precision(scores: np.ndarray, labels: np.ndarray) -> float:
    """AP with ties broken by document order (a stable sort on the negated score)."""
    order = np.argsort(-scores, kind="stable")
    hits = labels[order] > 0
    if not hits.any():
        return 0.0
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float(precision[hits].sum() / hits.sum())


def precision_at(scores: np.ndarray, labels: np.ndarray, k: int) -> float:
    order = np.argsort(-scores, kind="stable")
    return float((labels[order][:k] > 0).mean())


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels > 0, scores))


def line_scores(doc: Document, sentence_scores: np.ndarray) -> np.ndarray:
    """Each transcript line gets the highest score of the sentences overlapping it; lines
    with none (headings, fragments) sit below every sentence, as in the workbench."""
    out = np.full(len(doc.line_labels), -1e9)
    for score, lines in zip(sentence_scores.tolist(), doc.sentence_lines, strict=True):
        for line in lines:
            out[line] = max(out[line], score)
    return out


# ------------------------------------------------------------------------------ models
@dataclass(frozen=True)
class Config:
    name: str
    columns: tuple[str, ...]  # feature groups: "interpretable", "context", or an emb_ group
    c: float
    claimbuster_weight: float
    balanced: bool = False
    stacked: bool = False  # wording model first, its score of the neighbours as features
    lexical_c: float = 0.0  # > 0: a TF-IDF word-choice model too (its C), cross-fitted


def select_columns(groups: tuple[str, ...]) -> np.ndarray:
    names = worthiness.feature_names()
    n_sentence = 23  # the per-sentence interpretable features come first in INTERPRETABLE
    n_interpretable = len(worthiness.INTERPRETABLE)
    keep = []
    for i, name in enumerate(names):
        if i < n_sentence:
            group = "interpretable"
        elif i < n_interpretable:
            group = "context"
        elif name.startswith("lex_"):
            group = "lexical"
        else:
            group = name.rsplit("_", 1)[0]
        if group in groups:
            keep.append(i)
    return np.array(keep, dtype=np.int64)


def _weights(config: Config, docs: list[Document]) -> np.ndarray:
    return np.concatenate(
        [
            np.full(
                len(d.sentence_labels), 1.0 if d.source == "clef" else config.claimbuster_weight
            )
            for d in docs
        ]
    )


def _logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray, c: float, balanced: bool):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    classifier = LogisticRegression(
        C=c, max_iter=500, tol=1e-3, class_weight="balanced" if balanced else None
    )
    classifier.fit(scaler.transform(x), y, sample_weight=weight)
    mean, scale = scaler.mean_, scaler.scale_
    return mean, scale, classifier.coef_[0], float(classifier.intercept_[0])


@dataclass
class Fitted:
    linear: tuple[np.ndarray, ...]  # (columns, mean, scale, coef, intercept) over the row
    lexical: Lexical | None = None


@dataclass
class Lexical:
    """A word-choice model: TF-IDF over the chosen terms of the shared vocabulary."""

    terms: np.ndarray  # indices into VOCABULARY
    idf: np.ndarray
    coef: np.ndarray
    intercept: float


VOCABULARY: list[str] = []  # every word and word pair of every sentence (labels play no part)


def count_terms(docs: list[Document]) -> None:
    """Term counts of every sentence over one vocabulary, once; each fold picks its terms and
    idf from its own training sentences only."""
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(ngram_range=(1, 2), dtype=np.float64)
    vectorizer.fit(t for d in docs for t in d.texts)
    VOCABULARY[:] = vectorizer.get_feature_names_out().tolist()
    for d in docs:
        d.counts = vectorizer.transform(d.texts).tocsr()


def _tfidf(counts, lexical: Lexical):
    from sklearn.preprocessing import normalize

    return normalize(counts[:, lexical.terms].multiply(lexical.idf).tocsr())


def _lexical_model(docs: list[Document], c: float, weight_of: dict[str, float]) -> Lexical:
    import scipy.sparse as sparse
    from sklearn.linear_model import LogisticRegression

    docs = [d for d in docs if weight_of[d.source] > 0]
    counts = sparse.vstack([d.counts for d in docs]).tocsr()
    y = np.concatenate([d.sentence_labels for d in docs])
    w = np.concatenate([np.full(len(d.texts), weight_of[d.source]) for d in docs])
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    total = np.asarray(counts.sum(axis=0)).ravel()
    # As TfidfVectorizer(min_df=3, max_features=MAX_TERMS): the most frequent terms seen in
    # at least three sentences, with smoothed idf.
    eligible = np.flatnonzero(df >= 3)
    order = np.argsort(-total[eligible], kind="stable")[:MAX_TERMS]
    terms = np.sort(eligible[order])
    n = counts.shape[0]
    idf = np.log((1 + n) / (1 + df[terms])) + 1
    lexical = Lexical(terms, idf, np.zeros(len(terms)), 0.0)
    classifier = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=0)
    classifier.fit(_tfidf(counts, lexical), y, sample_weight=w)
    return Lexical(terms, idf, classifier.coef_[0], float(classifier.intercept_[0]))


def _lexical_values(model: Lexical, doc: Document) -> np.ndarray:
    return _tfidf(doc.counts, model) @ model.coef + model.intercept


def _with_lexical(doc: Document, values: np.ndarray) -> np.ndarray:
    rows = doc.rows.copy()
    rows[:, select_columns(("lexical",))] = worthiness.lexical_columns(doc.paragraphs, values)
    return rows


def fit(config: Config, docs: list[Document]) -> Fitted:
    weight_of = {"clef": 1.0, "claimbuster": config.claimbuster_weight}
    weight = _weights(config, docs)
    keep = weight > 0
    y = np.concatenate([d.sentence_labels for d in docs])[keep]
    weight = weight[keep]
    if not config.stacked:
        columns = select_columns(config.columns)
        x = np.vstack([d.rows[:, columns] for d in docs])[keep]
        return Fitted((columns, *_logistic(x, y, weight, config.c, config.balanced)))
    lexical = None
    if config.lexical_c > 0:
        # Out-of-fold word-choice values for the training sentences (three folds of whole
        # debates), so stage 2 weighs them as they behave on unseen text, not as memorised.
        values: dict[int, np.ndarray] = {}
        for fold in range(3):
            inner = [d for i, d in enumerate(docs) if i % 3 != fold]
            model = _lexical_model(inner, config.lexical_c, weight_of)
            for i, d in enumerate(docs):
                if i % 3 == fold:
                    values[i] = _lexical_values(model, d)
        rows = np.vstack([_with_lexical(d, values[i]) for i, d in enumerate(docs)])[keep]
        lexical = _lexical_model(docs, config.lexical_c, weight_of)
    else:
        rows = np.vstack([d.rows for d in docs])[keep]
    # Stage 1: the sentence's own wording. Stage 2: the interpretable and context features
    # (and word choice) plus stage 1's value for the sentence, its turn, and the sentences
    # before and after. Both stages are linear, so the result is one linear model over the row.
    groups = {g: select_columns((g,)) for g in ("emb_self", "emb_turn", "emb_prev", "emb_next")}
    m1, s1, w1, b1 = _logistic(rows[:, groups["emb_self"]], y, weight, config.c, False)
    small_groups = (
        ("interpretable", "context", "lexical") if lexical else ("interpretable", "context")
    )
    small = select_columns(small_groups)
    wording = {g: ((rows[:, cols] - m1) / s1) @ w1 + b1 for g, cols in groups.items()}
    x2 = np.column_stack([rows[:, small], *wording.values()])
    m2, s2, w2, b2 = _logistic(x2, y, weight, 1.0, config.balanced)
    columns = [small]
    mean, scale, coef = [m2[: len(small)]], [s2[: len(small)]], [w2[: len(small)]]
    intercept = b2
    for k, cols in enumerate(groups.values()):
        a = w2[len(small) + k] / s2[len(small) + k]
        columns.append(cols)
        mean.append(m1)
        scale.append(s1)
        coef.append(a * w1)
        intercept += a * (b1 - m2[len(small) + k])
    linear = (
        np.concatenate(columns),
        np.concatenate(mean),
        np.concatenate(scale),
        np.concatenate(coef),
        intercept,
    )
    return Fitted(linear, lexical)


def predict(fitted: Fitted, doc: Document) -> np.ndarray:
    columns, mean, scale, coef, intercept = fitted.linear
    rows = doc.rows
    if fitted.lexical is not None:
        rows = _with_lexical(doc, _lexical_values(fitted.lexical, doc))
    return ((rows[:, columns] - mean) / scale) @ coef + intercept


def training_docs(held_out: Document, clef: list[Document], cb: list[Document]) -> list[Document]:
    """Everything but the held-out debate and any ClaimBuster copy of it."""
    held_texts = {_normal(t) for t in held_out.line_texts}
    out = [d for d in clef if d is not held_out]
    for doc in cb:
        if abs(_days(doc.date) - _days(held_out.date)) <= 1:
            continue  # the same debate transcribed by ClaimBuster
        if any(_normal(t) in held_texts for t in doc.line_texts if len(t.split()) >= 6):
            doc = _without(doc, held_texts)
        out.append(doc)
    return out


def _days(date: str) -> int:
    import datetime as dt

    try:
        return dt.date.fromisoformat(date).toordinal()
    except ValueError:  # 20182601_trump_world is named year-day-month
        year, day, month = date.split("-")
        return dt.date(int(year), int(month), int(day)).toordinal()


def _without(doc: Document, texts: set[str]) -> Document:
    """doc without the sentences that overlap a line whose text is in texts."""
    bad = {i for i, t in enumerate(doc.line_texts) if _normal(t) in texts}
    keep = np.array([not (set(lines) & bad) for lines in doc.sentence_lines], dtype=bool)
    return Document(
        doc.name,
        doc.source,
        doc.date,
        doc.line_labels,
        doc.line_texts,
        doc.rows[keep],
        doc.sentence_labels[keep],
        [lines for lines, k in zip(doc.sentence_lines, keep, strict=True) if k],
        doc.rule_scores[keep],
        [t for t, k in zip(doc.texts, keep, strict=True) if k],
        doc.paragraphs[keep],
        doc.counts[np.flatnonzero(keep)] if doc.counts is not None else None,
    )


def cross_validate(config: Config, clef: list[Document], cb: list[Document]) -> dict[str, float]:
    aps, p10s, aucs = [], [], []
    for held in clef:
        model = fit(config, training_docs(held, clef, cb))
        scores = line_scores(held, predict(model, held))
        aps.append(average_precision(scores, held.line_labels))
        p10s.append(precision_at(scores, held.line_labels, 10))
        aucs.append(auc(scores, held.line_labels))
    return {"MAP": float(np.mean(aps)), "P@10": float(np.mean(p10s)), "AUC": float(np.mean(aucs))}


def baseline(clef: list[Document]) -> dict[str, float]:
    """The rule-based score alone, measured the same way."""
    aps, p10s, aucs = [], [], []
    for doc in clef:
        scores = line_scores(doc, doc.rule_scores.astype(np.float64))
        aps.append(average_precision(scores, doc.line_labels))
        p10s.append(precision_at(scores, doc.line_labels, 10))
        aucs.append(auc(scores, doc.line_labels))
    return {"MAP": float(np.mean(aps)), "P@10": float(np.mean(p10s)), "AUC": float(np.mean(aucs))}


ALL = ("interpretable", "context", "emb_self", "emb_turn", "emb_prev", "emb_next")
CONFIGS = (
    Config("rules and context, no wording", ("interpretable", "context"), 1.0, 1.0),
    Config("rules and sentence wording", ("interpretable", "emb_self"), 0.01, 1.0),
    Config("stacked wording and context", ALL, 0.01, 1.0, stacked=True),
    Config("stacked, ClaimBuster weighted 0.3", ALL, 0.01, 0.3, stacked=True),
    Config("stacked, classes balanced", ALL, 0.01, 1.0, balanced=True, stacked=True),
    Config("stacked with word choice", ALL, 0.01, 1.0, stacked=True, lexical_c=1.0),
    Config("stacked with word choice, C=3", ALL, 0.01, 1.0, stacked=True, lexical_c=3.0),
    Config("stacked with word choice, C=0.3", ALL, 0.01, 1.0, stacked=True, lexical_c=0.3),
    Config(
        "stacked with word choice, ClaimBuster 0.5", ALL, 0.01, 0.5, stacked=True, lexical_c=1.0
    ),
)


def save(
    fitted: Fitted, docs: list[Document], config: Config, metrics: dict[str, float], out: Path
) -> None:
    columns, mean, scale, coef, intercept = fitted.linear
    raw = np.concatenate([predict(fitted, d) for d in docs if d.source == "clef"])
    quantiles = np.quantile(raw, np.linspace(0.0, 1.0, QUANTILES))
    trained_on = (
        f"{config.name}; CLEF-2019 CheckThat! Task 1 English training debates (19) and the "
        f"ClaimBuster crowdsourced + groundtruth sentences; leave-one-debate-out MAP "
        f"{metrics['MAP']:.3f}, P@10 {metrics['P@10']:.3f}, AUC {metrics['AUC']:.3f}"
    )
    if fitted.lexical is not None:
        terms = [VOCABULARY[i] for i in fitted.lexical.terms]
        term_idf = fitted.lexical.idf
        term_weights = fitted.lexical.coef
        term_intercept = fitted.lexical.intercept
    else:
        terms, term_idf, term_weights, term_intercept = [], np.zeros(0), np.zeros(0), 0.0
    if any("\n" in t for t in terms):
        raise ValueError("a term with a line break cannot be stored")
    np.savez_compressed(
        out,
        columns=columns.astype(np.int32),
        mean=mean.astype(np.float32),
        scale=scale.astype(np.float32),
        coef=coef.astype(np.float32),
        intercept=np.float64(intercept),
        quantiles=quantiles.astype(np.float64),
        trained_on=np.array(trained_on),
        terms=np.array("\n".join(terms)),
        term_idf=term_idf.astype(np.float32),
        term_weights=term_weights.astype(np.float32),
        term_intercept=np.float64(term_intercept),
        cv_map=np.float64(metrics["MAP"]),
        cv_p10=np.float64(metrics["P@10"]),
        cv_auc=np.float64(metrics["AUC"]),
        cv_rule_map=np.float64(metrics.get("rule MAP", float("nan"))),
    )
    _check_saved(out, fitted, docs)


def _check_saved(out: Path, fitted: Fitted, docs: list[Document]) -> None:
    """The numpy-only scoring of the saved file must agree with scikit-learn's."""
    saved = worthiness.load(out)
    doc = next(d for d in docs if d.source == "clef")
    if fitted.lexical is not None:
        gap = float(
            np.abs(
                worthiness.lexical_values(saved, doc.texts) - _lexical_values(fitted.lexical, doc)
            ).max()
        )
        if gap > 1e-3:
            raise AssertionError(f"word-choice values differ from scikit-learn's by {gap}")
    rows = _with_lexical(doc, worthiness.lexical_values(saved, doc.texts))
    raw, _ = worthiness.raw_values(saved, rows)
    gap = float(np.abs(raw - predict(fitted, doc)).max())
    if gap > 1e-2:
        raise AssertionError(f"saved model's values differ from the fitted model's by {gap}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--config", action="append", help="cross-validate only this configuration (repeatable)"
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    args = parser.parse_args(argv)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("error: training needs scikit-learn: pip install -e '.[train]'", file=sys.stderr)
        return 2
    clef_dir = args.data / "clef2019-checkworthiness-train"
    cb_dir = args.data / "claimbuster"
    if not clef_dir.is_dir() or not cb_dir.is_dir():
        print(f"error: the training data is not in {args.data}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    clef = load_clef(clef_dir)
    cb = load_claimbuster(cb_dir)
    count_terms(clef + cb)
    print(
        f"loaded {len(clef)} CLEF debates ({sum(len(d.line_labels) for d in clef):,} lines) and "
        f"{len(cb)} ClaimBuster debates in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    results: dict[str, dict[str, float]] = {"rule-based score": baseline(clef)}
    print(_line("rule-based score", results["rule-based score"]), flush=True)
    configs = [c for c in CONFIGS if args.config is None or c.name in args.config]
    if not configs:
        print(f"error: no configuration named {args.config!r}", file=sys.stderr)
        return 2
    for config in configs:
        results[config.name] = cross_validate(config, clef, cb)
        print(_line(config.name, results[config.name]), flush=True)
    best = max(configs, key=lambda c: results[c.name]["MAP"])
    model = fit(best, clef + cb)
    metrics = {**results[best.name], "rule MAP": results["rule-based score"]["MAP"]}
    save(model, clef + cb, best, metrics, args.out)
    print(f"kept: {best.name}; wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    if args.json:
        print(json.dumps({"kept": best.name, **results[best.name], "all": results}))
    return 0


def _line(name: str, m: dict[str, float]) -> str:
    return f"{name:40s} MAP {m['MAP']:.3f}  P@10 {m['P@10']:.3f}  AUC {m['AUC']:.3f}"


if __name__ == "__main__":
    raise SystemExit(main())
