"""Practice mode, part two: comparing a student's submission with the answer key.

compare() gives a Feedback a view can show as it is: claim by claim in article order, the
student's rating and rationale beside the instructor's, the source checklists side by side,
and the scores. grade_files() turns many submissions into a class table (CSV export).

Claims are matched by id AND span: the exercise keeps the instructor's claim ids, so a student
claim with the same id over the same span is the same claim; one the student added, split or
moved is not in the key.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from workbench.core.csvout import write_csv
from workbench.core.errors import InvalidInputError, WorkbenchError
from workbench.core.practice.exercise import AnswerKey, KeyClaim, exercise_id
from workbench.core.practice.stats import cohen_kappa, linear_weighted_kappa, share
from workbench.core.project.evaluation import SCORED_FIELDS
from workbench.core.project.records import ClaimRecord
from workbench.core.project.scales import Scale
from workbench.core.project.store import Project

CLASS_COLUMNS = ("student", "file", "rated", "exact", "within_one", "kappa", "source_agreement")


class Outcome(StrEnum):
    AGREE = "agree"
    ONE_STEP = "one-step"  # adjacent ratings on the ordinal part of the scale
    DIFFER = "differ"
    NOT_RATED = "not-rated"  # the key rates it, the student did not
    NOT_IN_KEY = "not-in-key"  # the student rated a claim the key does not rate


OUTCOME_LABELS = {
    Outcome.AGREE: "Agrees with the key",
    Outcome.ONE_STEP: "One step off",
    Outcome.DIFFER: "Differs from the key",
    Outcome.NOT_RATED: "Not rated by you",
    Outcome.NOT_IN_KEY: "Not in the key",
}


@dataclass(frozen=True)
class ClaimFeedback:
    claim_id: int
    start: int
    end: int
    text: str
    outcome: Outcome
    key_rating: str | None
    key_label: str
    key_rationale: str
    student_rating: str | None
    student_label: str
    student_rationale: str
    step: int | None  # distance on the ordinal scale, None when either rating is outside it


@dataclass(frozen=True)
class SourceFeedback:
    url: str
    key: dict[str, Any]
    student: dict[str, Any] | None  # None: the student did not evaluate this source
    matched: tuple[str, ...]  # which of SCORED_FIELDS agree
    share: float | None


@dataclass(frozen=True)
class Scores:
    key_rated: int  # claims the key rates
    rated: int  # of those, how many the student rated (also the sample for the kappas)
    exact: float | None
    within_one: float | None
    kappa: float | None
    weighted_kappa: float | None  # linear weights, over claims both rated on the ordinal part
    source_agreement: float | None
    sources_compared: int


@dataclass(frozen=True)
class Feedback:
    exercise_id: str
    submission: Path
    student: str
    claims: tuple[ClaimFeedback, ...]
    sources: tuple[SourceFeedback, ...]
    scores: Scores


@dataclass(frozen=True)
class ClassRow:
    student: str
    file: str
    rated: int
    exact: float | None
    within_one: float | None
    kappa: float | None
    source_agreement: float | None
    key_rated: int = 0
    weighted_kappa: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "student": self.student,
            "file": self.file,
            "rated": self.rated,
            "key_rated": self.key_rated,
            "exact": self.exact,
            "within_one": self.within_one,
            "kappa": self.kappa,
            "weighted_kappa": self.weighted_kappa,
            "source_agreement": self.source_agreement,
        }


# ---------------------------------------------------------------------- checking a submission
def check_submission(key: AnswerKey, project: Project) -> None:
    """Refuse a project that was not made from this key's exercise."""
    name = project.path.name
    found = exercise_id(project)
    if found is None:
        raise InvalidInputError(
            f"{name} is not an exercise project, so it cannot be graded against an answer key."
        )
    if found != key.exercise_id:
        raise InvalidInputError(
            f"{name} was made from a different exercise than this answer key; "
            "grade it with the key that came with its exercise."
        )
    if project.article().raw_sha256 != key.article_sha256:
        raise InvalidInputError(
            f"{name} holds a different article than this answer key; it cannot be graded with it."
        )
    if project.scale.id != key.scale.id:
        raise InvalidInputError(
            f"{name} is rated on the {project.scale.name}, but the answer key uses the "
            f"{key.scale.name}."
        )


# ---------------------------------------------------------------------- claims
def _label(scale: Scale, rating: str | None) -> str:
    if rating is None:
        return ""
    return next((r.label for r in scale.ratings if r.id == rating), rating)


def _outcome(scale: Scale, key: str | None, student: str | None) -> tuple[Outcome, int | None]:
    if key is None:
        return Outcome.NOT_IN_KEY, None
    if student is None:
        return Outcome.NOT_RATED, None
    step = scale.step(key, student)
    if key == student:
        return Outcome.AGREE, step
    if step == 1:
        return Outcome.ONE_STEP, step
    return Outcome.DIFFER, step


def _claim_feedback(
    scale: Scale, key: KeyClaim | None, student: ClaimRecord | None
) -> ClaimFeedback:
    base = key or student
    assert base is not None
    key_rating = key.rating if key else None
    student_rating = student.rating if student else None
    outcome, step = _outcome(scale, key_rating, student_rating)
    return ClaimFeedback(
        claim_id=base.id,
        start=base.start,
        end=base.end,
        text=base.text,
        outcome=outcome,
        key_rating=key_rating,
        key_label=_label(scale, key_rating),
        key_rationale=key.rationale if key else "",
        student_rating=student_rating,
        student_label=_label(scale, student_rating),
        student_rationale=student.rationale if student else "",
        step=step,
    )


def claim_feedback(key: AnswerKey, claims: Iterable[ClaimRecord]) -> list[ClaimFeedback]:
    """Every claim either side rated, in article order; claims nobody rated are left out."""
    by_span = {(c.id, c.start, c.end): c for c in claims}
    items: list[ClaimFeedback] = []
    matched: set[tuple[int, int, int]] = set()
    for kc in key.claims:
        ident = (kc.id, kc.start, kc.end)
        student = by_span.get(ident)
        matched.add(ident)
        if kc.rating is None and (student is None or student.rating is None):
            continue
        items.append(_claim_feedback(key.scale, kc, student))
    for ident, student in by_span.items():
        if ident not in matched and student.rating is not None:
            items.append(_claim_feedback(key.scale, None, student))
    items.sort(key=lambda f: (f.start, f.end, f.claim_id))
    return items


# ---------------------------------------------------------------------- scores
def claim_scores(scale: Scale, items: Sequence[ClaimFeedback]) -> dict[str, Any]:
    """Exact and within-one-step agreement over key-rated claims; kappas over claims both rated."""
    keyed = [f for f in items if f.key_rating is not None]
    both = [f for f in keyed if f.student_rating is not None]
    exact = sum(1 for f in both if f.key_rating == f.student_rating)
    # Within one step needs both ratings on the ordinal part; outside it only identical counts.
    near = sum(1 for f in both if f.key_rating == f.student_rating or f.step == 1)
    positions = {r.id: i for i, r in enumerate(scale.ordinal)}
    ordinal = [
        (positions[f.key_rating], positions[f.student_rating])
        for f in both
        if f.key_rating in positions and f.student_rating in positions
    ]
    return {
        "key_rated": len(keyed),
        "rated": len(both),
        "exact": share(exact, len(keyed)),
        "within_one": share(near, len(keyed)),
        "kappa": cohen_kappa([(f.key_rating, f.student_rating) for f in both]),
        "weighted_kappa": linear_weighted_kappa(ordinal, len(scale.ordinal)),
    }


def normalise_url(url: str) -> str:
    """Match sources across files despite trivial differences (case of host, '/' or #fragment)."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def source_feedback(key: AnswerKey, project: Project) -> list[SourceFeedback]:
    """The key's evaluated sources, each beside the student's checklist for the same URL."""
    student = {
        normalise_url(s.url): s.evaluation for s in project.sources() if s.evaluation is not None
    }
    items = []
    for url, key_ev in sorted(key.evaluations.items()):
        theirs = student.get(normalise_url(url))
        matched: tuple[str, ...] = ()
        if theirs is not None:
            matched = tuple(f for f in SCORED_FIELDS if theirs.get(f) == key_ev.get(f))
        items.append(
            SourceFeedback(
                url=url,
                key=key_ev,
                student=theirs,
                matched=matched,
                share=None if theirs is None else len(matched) / len(SCORED_FIELDS),
            )
        )
    return items


# ---------------------------------------------------------------------- the whole comparison
def student_name(project: Project, claims: Iterable[ClaimRecord]) -> str:
    """Who rated most of the claims, or the file's stem when nobody rated any."""
    counts = Counter(c.rated_by for c in claims if c.rating is not None and c.rated_by)
    if not counts:
        return project.path.stem
    top = max(counts.values())
    return min(name for name, n in counts.items() if n == top)


def compare(key: AnswerKey, project: Project) -> Feedback:
    """Grade one submission against the key (after checking it belongs to the key)."""
    check_submission(key, project)
    claims = project.claims()
    items = claim_feedback(key, claims)
    sources = source_feedback(key, project)
    compared = [s for s in sources if s.student is not None]
    matched_fields = sum(len(s.matched) for s in compared)
    scores = Scores(
        **claim_scores(key.scale, items),
        source_agreement=share(matched_fields, len(compared) * len(SCORED_FIELDS)),
        sources_compared=len(compared),
    )
    return Feedback(
        exercise_id=key.exercise_id,
        submission=project.path,
        student=student_name(project, claims),
        claims=tuple(items),
        sources=tuple(sources),
        scores=scores,
    )


def grade_file(key: AnswerKey, path: str | Path) -> Feedback:
    with Project.open(path, readonly=True) as project:
        return compare(key, project)


@dataclass(frozen=True)
class Refused:
    """A submission that could not be graded, and the one-sentence reason."""

    file: Path
    reason: str


def grade_files(
    key: AnswerKey, paths: Iterable[str | Path]
) -> tuple[list[Feedback], list[Refused]]:
    """Grade many submissions; one that cannot be graded is set aside, not fatal to the rest."""
    graded: list[Feedback] = []
    refused: list[Refused] = []
    for path in paths:
        try:
            graded.append(grade_file(key, path))
        except WorkbenchError as exc:
            refused.append(Refused(Path(path), str(exc)))
    return graded, refused


def class_row(feedback: Feedback) -> ClassRow:
    s = feedback.scores
    return ClassRow(
        student=feedback.student,
        file=feedback.submission.name,
        rated=s.rated,
        exact=s.exact,
        within_one=s.within_one,
        kappa=s.kappa,
        source_agreement=s.source_agreement,
        key_rated=s.key_rated,
        weighted_kappa=s.weighted_kappa,
    )


def class_csv(rows: Iterable[ClassRow]) -> str:
    """The class table as CSV: shares and kappas to four places, blank when undefined."""
    table = ([_cell(row.to_dict()[col]) for col in CLASS_COLUMNS] for row in rows)
    return write_csv(CLASS_COLUMNS, table, lineterminator="\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)
