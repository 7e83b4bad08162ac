"""What a claim finder hands over: a candidate claim's span, wording, kind and quotations.

Apart from the finder (finder.py), so the project store and its records can name these types
without compiling the finder's patterns (start-up: the window's first frame never finds claims).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Quote:
    start: int
    end: int
    speaker: str | None = None


@dataclass(frozen=True)
class ClaimCandidate:
    start: int
    end: int
    text: str
    kind: str
    score: float
    reasons: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
