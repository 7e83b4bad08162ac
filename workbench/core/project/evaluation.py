"""The lateral-reading checklist a student (or checker) fills in for each source.

Lateral reading means leaving the page to ask who is behind it and whether others confirm it,
rather than judging the page by its own look. The checklist keeps that to five short answers,
stored as JSON in `sources.evaluation` (NULL while a source is not evaluated):

    behind         who is behind the source (free text, may be left empty)
    kind           primary, official, news, opinion, social or other
    independent    is it independent of the claim's author? yes / no / unsure
    corroborated   do other sources corroborate it? yes / no / unsure
    notes          free text
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.core.errors import InvalidInputError
from workbench.core.project.records import SourceRecord

if TYPE_CHECKING:
    from workbench.core.project.store import Project

KINDS: dict[str, str] = {
    "primary": "Primary document",
    "official": "Official statement",
    "news": "News report",
    "opinion": "Opinion",
    "social": "Social media",
    "other": "Other",
}
ANSWERS = ("yes", "no", "unsure")
FIELDS = ("behind", "kind", "independent", "corroborated", "notes")
# The answers grading compares; the free-text fields are shown side by side, never scored.
SCORED_FIELDS = ("kind", "independent", "corroborated")
MAX_BEHIND = 300
MAX_NOTES = 5000

_INDEPENDENT = {"yes": "independent", "no": "not independent", "unsure": "independence unclear"}
_CORROBORATED = {"yes": "corroborated", "no": "not corroborated", "unsure": "corroboration unclear"}


@dataclass(frozen=True)
class SourceEvaluation:
    kind: str
    independent: str
    corroborated: str
    behind: str = ""
    notes: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    def to_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FIELDS}


def _kind(value: Any) -> str:
    """Accept the short id ("news") or the label ("News report"), in any case."""
    text = str(value or "").strip().casefold()
    for kind, label in KINDS.items():
        if text in (kind, label.casefold()):
            return kind
    raise InvalidInputError(f"'{value}' is not a kind of source; use one of: {', '.join(KINDS)}.")


def _answer(question: str, value: Any) -> str:
    text = str(value or "").strip().casefold()
    if text not in ANSWERS:
        raise InvalidInputError(
            f"'{value}' is not an answer to '{question}'; use yes, no or unsure."
        )
    return text


def _free_text(name: str, value: Any, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInputError(f"The source evaluation's '{name}' must be text.")
    text = value.strip()
    if len(text) > limit:
        raise InvalidInputError(
            f"The source evaluation's '{name}' is {len(text)} characters long; keep it under {limit}."
        )
    return text


def validate_evaluation(data: Mapping[str, Any]) -> SourceEvaluation:
    """A checked evaluation from user input; each problem is one sentence naming the field."""
    if not isinstance(data, Mapping):
        raise InvalidInputError("A source evaluation must be a set of named answers.")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise InvalidInputError(
            f"A source evaluation has no field {', '.join(unknown)}; "
            f"the fields are: {', '.join(FIELDS)}."
        )
    for name in ("kind", "independent", "corroborated"):
        if data.get(name) in (None, ""):
            raise InvalidInputError(f"The source evaluation needs an answer for '{name}'.")
    return SourceEvaluation(
        kind=_kind(data["kind"]),
        independent=_answer("independent of the claim's author", data["independent"]),
        corroborated=_answer("corroborated by other sources", data["corroborated"]),
        behind=_free_text("behind", data.get("behind"), MAX_BEHIND),
        notes=_free_text("notes", data.get("notes"), MAX_NOTES),
    )


MAX_FOREIGN_FIELDS = 32


def check_stored_evaluation(data: Any, what: str) -> dict[str, Any]:
    """An evaluation as it may be stored (imports, other tools): checked, never trusted.

    One that uses only the checklist's fields must be a valid checklist, since the window and the
    reports read it as one. Another tool's shape ({"reliability": "high"}) is kept, but only as a
    small flat record of short values, so an import cannot smuggle megabytes or nesting into it.
    """
    if not isinstance(data, Mapping) or not all(isinstance(k, str) for k in data):
        raise InvalidInputError(f"{what}'s evaluation is not a set of named answers.")
    if set(data) <= set(FIELDS):
        validate_evaluation(data)  # kept as written: an export round trip is lossless
    if len(data) > MAX_FOREIGN_FIELDS:
        raise InvalidInputError(f"{what}'s evaluation has more than {MAX_FOREIGN_FIELDS} fields.")
    for name, value in data.items():
        if not isinstance(value, str | int | float | bool | None):
            raise InvalidInputError(f"{what}'s evaluation field '{name}' is not a plain value.")
        if isinstance(value, str) and len(value) > MAX_NOTES:
            raise InvalidInputError(
                f"{what}'s evaluation field '{name}' is longer than {MAX_NOTES} characters."
            )
    return dict(data)


def evaluation_of(source: SourceRecord) -> SourceEvaluation | None:
    """The stored checklist of a source, or None when it was not evaluated."""
    if source.evaluation is None:
        return None
    return validate_evaluation(source.evaluation)


def summary(evaluation: Mapping[str, Any] | SourceEvaluation | None) -> str:
    """One line for reports: "News report · independent · corroborated · by: Reuters"."""
    if evaluation is None:
        return "Not evaluated"
    try:
        ev = (
            evaluation
            if isinstance(evaluation, SourceEvaluation)
            else validate_evaluation(evaluation)
        )
    except InvalidInputError:
        # A report must not fail on one half-filled checklist (e.g. written by another tool).
        return "Evaluation incomplete"
    parts = [ev.kind_label, _INDEPENDENT[ev.independent], _CORROBORATED[ev.corroborated]]
    if ev.behind:
        parts.append(f"by: {ev.behind}")
    return " · ".join(parts)


def record_evaluation(
    project: Project, source_id: int, data: Mapping[str, Any] | None, *, actor: str | None = None
) -> SourceEvaluation | None:
    """Validate and store a source's checklist on a Project; None clears it."""
    project.source(source_id)  # a wrong id is named before the answers are judged
    if data is None:
        project.update_source(source_id, evaluation=None, actor=actor)
        return None
    ev = validate_evaluation(data)
    project.update_source(source_id, evaluation=ev.to_dict(), actor=actor)
    return ev
