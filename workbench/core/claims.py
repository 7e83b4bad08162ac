"""Claim candidates: kind, check-worthiness and quotations for sentence spans.

CONTRACT (other modules rely on this; extend with defaulted fields only):
- KINDS = ("fact", "quotation", "attribution", "opinion", "question", "other")
- Quote(start, end, speaker): absolute offsets into the article text; speaker may be None.
- ClaimCandidate(start, end, text, kind, score, reasons, quotes): text == article_text[start:end].
- find_claims(text: str) -> list[ClaimCandidate]   (splits with segment.sentence_spans)
- analyse_span(text: str, start: int, end: int) -> ClaimCandidate  (re-score any span)
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("fact", "quotation", "attribution", "opinion", "question", "other")


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
