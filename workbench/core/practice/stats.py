"""Agreement statistics for grading: Cohen's kappa, plain and linearly weighted.

Arithmetic is done in exact fractions so the degenerate cases (p_e == 1, no expected
disagreement) are recognised exactly rather than through a float that is nearly 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from fractions import Fraction


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide (no claims to score)."""
    return part / whole if whole else None


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Unweighted Cohen's kappa between two raters' labels; None when there are no pairs."""
    n = len(pairs)
    if n == 0:
        return None
    p_o = Fraction(sum(1 for a, b in pairs if a == b), n)
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    p_e = Fraction(sum(first[c] * second[c] for c in first), n * n)
    if p_e == 1:
        # Both raters put every item in one and the same category, so chance alone predicts
        # perfect agreement and kappa's formula divides by zero. We call that perfect agreement
        # (1.0) when the raters did agree throughout, which p_e == 1 implies, and 0.0 otherwise
        # as a guard; the class table then shows a number rather than a blank.
        return 1.0 if p_o == 1 else 0.0
    return float((p_o - p_e) / (1 - p_e))


def linear_weighted_kappa(pairs: Sequence[tuple[int, int]], categories: int) -> float | None:
    """Cohen's kappa with linear weights |i - j| / (k - 1) over k ordered categories.

    pairs hold category positions 0..k-1 on the whole ordinal scale (not only the ones used),
    so a two-step miss costs twice a one-step miss whatever the student happened to use.
    """
    n = len(pairs)
    if n == 0:
        return None
    if categories < 2:
        return 1.0  # one category: every pair agrees
    for a, b in pairs:
        if not (0 <= a < categories and 0 <= b < categories):
            raise ValueError(f"category position outside 0..{categories - 1}: {(a, b)}")
    span = categories - 1
    observed = Fraction(sum(abs(a - b) for a, b in pairs), n * span)
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = Fraction(
        sum(first[i] * second[j] * abs(i - j) for i in first for j in second), n * n * span
    )
    if expected == 0:
        # Same degenerate case as above: both raters used one and the same category throughout.
        return 1.0 if observed == 0 else 0.0
    return float(1 - observed / expected)
