"""The values the fact-check library keeps and hands out."""

from __future__ import annotations

from dataclasses import dataclass, field

KIND_IMPORT = "import"  # a published ClaimReview read from a file
KIND_PROJECT = "project"  # a verdict given in one of the user's projects


@dataclass(frozen=True)
class FactCheck:
    """One checked claim: a published ClaimReview, or a verdict from one of the user's projects."""

    claim_reviewed: str
    url: str = ""
    rating: str = ""  # reviewRating.alternateName: the verdict in words
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None
    title: str = ""  # the fact check's headline (ClaimReview name / headline)
    publisher: str = ""
    author: str = ""
    date: str = ""  # datePublished of the review, ISO 8601 as given
    claimant: str = ""  # itemReviewed.author: who made the claim
    claim_date: str = ""
    appearances: tuple[str, ...] = ()  # where the claim appeared (URLs)
    language: str = ""
    rationale: str = ""  # project verdicts: the checker's note
    sources: tuple[str, ...] = ()  # project verdicts: the URLs the checker attached
    who: str = ""  # project verdicts: who rated it


@dataclass(frozen=True)
class LibraryEntry:
    """A FactCheck as stored: where it came from and its row id."""

    id: int
    kind: str  # KIND_IMPORT or KIND_PROJECT
    origin: str  # the imported file, or the project file
    claim_id: int | None  # project verdicts: the claim's id in its project
    check: FactCheck


@dataclass(frozen=True)
class ImportReport:
    """What one import did: new entries, changed ones, ones already there, rows it could not use."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    bad: int = 0
    problems: tuple[str, ...] = field(default_factory=tuple)  # first few bad rows, one line each

    def __add__(self, other: ImportReport) -> ImportReport:
        return ImportReport(
            self.added + other.added,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.bad + other.bad,
            (self.problems + other.problems)[:20],
        )


def likely_percent(likely: float) -> str:
    """A chance as a reader takes it: never "0%" or "100%", which an estimate cannot be."""
    if likely < 0.01:
        return "<1%"
    if likely > 0.99:
        return ">99%"
    return f"{round(likely * 100)}%"
