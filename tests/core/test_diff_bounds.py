"""Word diffs of hostile pages: a copy swapped wholesale for another page, or a page made of a
million different words, cost bounded time and say so in one line."""

from __future__ import annotations

import random
import time

import pytest

from workbench.core.errors import InvalidInputError
from workbench.core.sources import diff


def _random_text(seed: int, words: int) -> str:
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(5000)]
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def test_two_pages_that_differ_throughout_are_compared_in_bounded_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """40,000 words each, different throughout: 7 s of CPU unbounded (Myers is O(N*D)); with
    the limit the diff stops searching and calls the rest replaced, and says so."""
    monkeypatch.setattr(diff, "TIME_LIMIT_S", 0.3)
    a, b = _random_text(1, 40_000), _random_text(2, 40_000)
    started = time.monotonic()
    result = diff.word_diff(a, b)
    assert time.monotonic() - started < 4.0
    assert result.coarse and "at most" in result.describe()
    # Still a diff of these two texts: every op's spans lie inside them, in order.
    assert result.ops[0].a_start == 0 and result.ops[-1].a_end <= len(a)
    assert all(op.b_end <= len(b) for op in result.ops)


def test_a_small_edit_of_a_large_page_is_exact() -> None:
    a = _random_text(3, 60_000)
    b = a.replace("w17 ", "w17 inserted ", 1)
    result = diff.word_diff(a, b)
    assert not result.coarse and result.words_changed == 1


def test_a_page_of_a_million_different_words_is_one_line() -> None:
    a = " ".join(f"x{i}" for i in range(1_120_000))
    with pytest.raises(InvalidInputError, match="too large to compare"):
        diff.word_diff(a, "x1 x2")
