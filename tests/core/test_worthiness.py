"""The trained check-worthiness model: shipped, lazily loaded, continuous, explained, in context."""

from __future__ import annotations

import math
import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from workbench.core.claims import worthiness
from workbench.core.claims.finder import find_claims
from workbench.train_checkworthiness import (
    Config,
    _log_count_ratio,
    average_precision,
    kept,
    precision_at,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "sample_data" / "russia-islamic-state-syria-rebels.txt").read_text("utf-8")


def test_the_weights_ship_inside_the_package_and_say_what_they_were_trained_on() -> None:
    source = resources.files("workbench.resources").joinpath(worthiness.WEIGHTS_FILE)
    with resources.as_file(source) as path:
        assert path.is_file() and path.stat().st_size < 2_000_000  # a small weights file
    model = worthiness.model()
    assert "CLEF-2019" in model.trained_on and "ClaimBuster" in model.trained_on
    assert "licence" in model.trained_on  # the terms travel with the weights
    assert {"word", "char"} <= set(model.bases)
    width = len(worthiness.feature_names(model.bases))
    assert len(model.final.coef) == len(model.final.mean) == len(model.final.scale) == width
    for base in ("word", "char"):
        lexical = model.lexical[base]
        assert lexical.terms and len(lexical.terms) == len(lexical.weights) == len(lexical.idf)


def test_finding_claims_does_not_load_the_model_until_asked() -> None:
    # The window imports the claim finder at start; the model must wait for the first scoring.
    code = (
        "import sys\n"
        "import workbench.core.claims.finder\n"
        "from workbench.core.claims import worthiness\n"
        "print(worthiness.model.cache_info().currsize, 'wordllama' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split() == ["0", "False"]


def test_scoring_loads_no_sentence_embedding_model() -> None:
    # WordLlama costs ~0.9 s to load and ~0.4 s per MB to run; the shipped model reads the
    # wording through words and character n-grams instead (as good by cross-validation).
    code = (
        "import sys\n"
        "from workbench.core.claims.finder import find_claims\n"
        "from workbench.core.claims import worthiness\n"
        "find_claims('We cut taxes by 5 percent in 2014.\\n\\nThe deficit fell.')\n"
        "print(' '.join(worthiness.model().bases), 'wordllama' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    bases, loaded = done.stdout.rsplit(maxsplit=1)
    assert bases.split() == ["word", "char"]
    assert loaded == "False"


def test_scores_are_continuous_not_a_few_levels() -> None:
    sentences = [c for c in find_claims(SEED) if c.kind != "other"]
    scores = [c.score for c in sentences]
    assert len(set(scores)) >= 0.9 * len(scores)
    assert all(0.0 < s <= 1.0 for s in scores)


def test_reasons_keep_the_facts_and_add_the_models_main_contributions() -> None:
    claim = next(c for c in find_claims(SEED) if "60-70 Iranians" in c.text)
    assert "number: 60-70" in claim.reasons
    model_reasons = [r for r in claim.reasons if r.startswith("model: ")]
    assert 1 <= len(model_reasons) <= 3
    assert all(r[-3:-1].replace(".", "").isdigit() and r[-4] in "+−" for r in model_reasons)


def test_the_reasons_speak_of_paragraphs_not_speaker_turns() -> None:
    """The model reads a paragraph as a debate's speaker turn; a person reading an article sees
    paragraphs, so that is the word the panel uses."""
    reasons = {r for c in find_claims(SEED) for r in c.reasons if r.startswith("model: ")}
    assert any("paragraph" in r for r in reasons)
    assert not any("turn" in r for r in reasons)


def test_a_moderators_question_scores_below_the_answer_with_a_figure() -> None:
    text = (
        "Senator, how would you pay for the plan you announced tonight?\n\n"
        "We cut the deficit by $200 billion in 2014, and unemployment fell to 5 percent."
    )
    question, answer = find_claims(text)
    assert question.kind == "question"
    assert answer.score > question.score + 0.2


def _lexical(analyzer: str, terms: list[str], weights: list[float], idf: list[float]):
    return worthiness.Lexical(
        analyzer=analyzer,
        terms={t: i for i, t in enumerate(terms)},
        weights=np.array(weights),
        idf=np.array(idf),
        intercept=-1.0,
    )


def test_word_choice_values_are_tfidf_times_weights() -> None:
    lexical = _lexical("word", ["tax", "tax cut", "jobs"], [1.0, 0.5, 2.0], [2.0, 3.0, 1.0])
    values = worthiness.lexical_values(lexical, ["Tax cut now, tax!", "Nothing known here."])
    # "tax" twice (tf 2, idf 2 -> 4) and "tax cut" once (idf 3 -> 3): norm 5.
    assert values[0] == pytest.approx(-1.0 + (4 * 1.0 + 3 * 0.5) / math.sqrt(16 + 9))
    assert values[1] == pytest.approx(-1.0)


def test_word_pairs_are_adjacent_words_of_one_text_only() -> None:
    # Pairs are found by number, not by string: a pair never joins the last word of one text
    # to the first of the next, nor two words with an unknown word between them.
    lexical = _lexical("word", ["tax cut", "cut jobs"], [1.0, 2.0], [1.0, 1.0])
    values = worthiness.lexical_values(
        lexical, ["A tax", "cut", "tax and cut", "cut jobs, tax cut"]
    )
    assert values[:3].tolist() == [-1.0, -1.0, -1.0]
    # "cut jobs" and "tax cut" once each (idf 1): norm sqrt(2); "jobs tax" is no term.
    assert values[3] == pytest.approx(-1.0 + (1.0 + 2.0) / math.sqrt(2))


def test_character_ngrams_are_read_inside_space_padded_words_as_scikit_learn_does() -> None:
    # scikit-learn's char_wb: n-grams of " word ", 2 to 5 long; a word too short for n
    # gives itself once and no longer n-grams.
    assert worthiness.char_ngrams("tax") == [
        " t", "ta", "ax", "x ", " ta", "tax", "ax ", " tax", "tax ", " tax "
    ]  # fmt: skip
    assert worthiness.char_ngrams("a") == [" a", "a ", " a "]
    lexical = _lexical("char", [" t", "ax", " tax "], [1.0, 2.0, 3.0], [1.0, 2.0, 1.0])
    values = worthiness.lexical_values(lexical, ["TAX  tax", "", "to"])
    # Twice each: " t" (tf 2 -> 2), "ax" (tf 2, idf 2 -> 4), " tax " (tf 2 -> 2); norm sqrt(24).
    assert values[0] == pytest.approx(-1.0 + (2 * 1.0 + 4 * 2.0 + 2 * 3.0) / math.sqrt(24))
    assert values[1] == pytest.approx(-1.0)
    assert values[2] == pytest.approx(-1.0 + 1.0)  # " t" alone: its weight


def test_average_precision_breaks_ties_by_document_order() -> None:
    labels = np.array([0, 1, 0, 1])
    assert average_precision(np.array([0.5, 0.5, 0.1, 0.9]), labels) == pytest.approx(
        (1 / 1 + 2 / 3) / 2
    )
    assert average_precision(np.array([0.5, 0.5, 0.5, 0.5]), labels) == pytest.approx(
        (1 / 2 + 2 / 4) / 2
    )
    assert precision_at(np.array([0.9, 0.1, 0.8, 0.2]), labels, 2) == 0.0


def test_an_embedding_base_model_reads_wordllama_vectors_in_the_given_order() -> None:
    # Weights trained with the WordLlama configuration (--config "words, character n-grams and
    # WordLlama") score through the same path; texts are embedded sorted by length, so the
    # order handed back must be the caller's.
    from workbench.core.embedding import DIMENSIONS, embed

    texts = ["A much longer sentence about the budget deficit in 2014.", "Short one.", "Tax."]
    coef = np.zeros(DIMENSIONS, dtype=np.float32)
    coef[:3] = (1.0, -2.0, 0.5)
    linear = worthiness.Linear(
        mean=np.zeros(DIMENSIONS, dtype=np.float32),
        scale=np.ones(DIMENSIONS, dtype=np.float32),
        coef=coef,
        intercept=0.25,
    )
    model = worthiness.Model(
        bases=("embedding",),
        lexical={},
        embedding=linear,
        final=linear,
        quantiles=np.linspace(0, 1, 3),
        trained_on="test",
    )
    expected = embed(texts) @ coef + 0.25
    assert worthiness.base_values(model, texts)[:, 0] == pytest.approx(expected, abs=1e-5)


def test_training_keeps_the_first_configuration_unless_another_wins_beyond_the_noise() -> None:
    first, second = Config("first", ("word",)), Config("second", ("word", "char"))

    def results(map_: float, auc: float) -> dict[str, dict[str, float]]:
        return {"first": {"MAP": 0.257, "AUC": 0.812}, "second": {"MAP": map_, "AUC": auc}}

    assert kept([first, second], results(0.265, 0.811)) is first  # within the noise
    assert kept([first, second], results(0.280, 0.805)) is first  # loses AUC
    assert kept([first, second], results(0.280, 0.812)) is second


def test_naive_bayes_ratios_favour_the_terms_of_chosen_sentences() -> None:
    # Term 0 appears only in chosen sentences, term 1 only in the others, term 2 in both.
    x = np.array([[1.0, 0.0, 1.0], [1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [0.0, 1.0, 1.0]])
    ratio = _log_count_ratio(x, np.array([1, 1, 0, 0]), 1.0)
    assert ratio[0] > 0 > ratio[1]
    assert ratio[2] == pytest.approx(0.0)
