"""Rating scales: the verdicts a project can record.

A scale is an ordered list of ratings. Ordinal ratings run from best (most true) to worst and
carry a numeric value for schema.org's ratingValue; the rest (Misleading, Unverifiable) stand
outside the order. Built-in scales ship in workbench/resources/scales; a newsroom can add its
own as JSON, either beside the project file (NAME.scale.json) or in that folder.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import InvalidInputError, NotFoundError, WorkbenchWarning
from workbench.resources import resource

DEFAULT_SCALE = "truth6"
SCALE_SUFFIX = ".scale.json"


@dataclass(frozen=True)
class Rating:
    id: str
    label: str
    color: str
    ordinal: bool
    description: str = ""


@dataclass(frozen=True)
class Scale:
    id: str
    name: str
    ratings: tuple[Rating, ...]
    description: str = ""

    @property
    def ordinal(self) -> tuple[Rating, ...]:
        return tuple(r for r in self.ratings if r.ordinal)

    def rating(self, key: str) -> Rating:
        """A rating by id or label (case-insensitive), so users can type either."""
        wanted = key.strip().casefold()
        for r in self.ratings:
            if wanted in (r.id.casefold(), r.label.casefold()):
                return r
        choices = ", ".join(r.id for r in self.ratings)
        raise InvalidInputError(
            f"'{key}' is not a rating on the {self.name}; use one of: {choices}."
        )

    def value(self, rating_id: str) -> int | None:
        """schema.org ratingValue: best ordinal = len(ordinal), worst = 1; None outside the order."""
        ordinal = self.ordinal
        for i, r in enumerate(ordinal):
            if r.id == rating_id:
                return len(ordinal) - i
        return None

    def step(self, a: str, b: str) -> int | None:
        """Distance between two ratings on the ordinal part, or None if either is outside it."""
        va, vb = self.value(a), self.value(b)
        if va is None or vb is None:
            return None
        return abs(va - vb)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "ratings": [
                {
                    "id": r.id,
                    "label": r.label,
                    "color": r.color,
                    "ordinal": r.ordinal,
                    "description": r.description,
                }
                for r in self.ratings
            ],
        }


def scale_from_dict(data: Any, *, origin: str = "scale") -> Scale:
    """Validate a scale read from JSON; every problem is reported in one sentence."""
    if not isinstance(data, dict):
        raise InvalidInputError(f"{origin} is not a rating scale: expected a JSON object.")
    try:
        ratings = tuple(
            Rating(
                id=str(r["id"]),
                label=str(r.get("label") or r["id"]),
                color=str(r.get("color") or "#888888"),
                ordinal=bool(r.get("ordinal", True)),
                description=str(r.get("description") or ""),
            )
            for r in data["ratings"]
        )
        scale = Scale(
            id=str(data["id"]),
            name=str(data.get("name") or data["id"]),
            ratings=ratings,
            description=str(data.get("description") or ""),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        # A rating that is not an object ("ratings": ["true"]) fails on .get: one line too.
        what = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
        raise InvalidInputError(f"{origin} is not a valid rating scale ({what}).") from None
    if not ratings:
        raise InvalidInputError(f"{origin} has no ratings.")
    ids = [r.id for r in ratings]
    if len(set(ids)) != len(ids):
        raise InvalidInputError(f"{origin} names the same rating twice.")
    return scale


def builtin_scales() -> dict[str, Scale]:
    folder = resource("scales")
    scales = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            scale = scale_from_dict(json.loads(entry.read_text("utf-8")), origin=entry.name)
            scales[scale.id] = scale
    return scales


class ScaleFileWarning(WorkbenchWarning):
    """A NAME.scale.json beside a project that cannot be used; the other scales still can.

    A warning, not an error: one broken file must not block every project in its folder. The
    command line prints it as one line.
    """


def _read_scale_file(path: Path) -> Scale:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInputError(f"The rating scale {path.name} cannot be read: {exc}.") from None
    except RecursionError:  # thousands of nested brackets
        raise InvalidInputError(f"The rating scale {path.name} is nested too deeply.") from None
    return scale_from_dict(data, origin=path.name)


def user_scales(folder: Path) -> dict[str, Scale]:
    """Scales saved as NAME.scale.json beside a project; a broken one is skipped with a warning."""
    scales = {}
    for path in sorted(folder.glob(f"*{SCALE_SUFFIX}")):
        try:
            scale = _read_scale_file(path)
        except InvalidInputError as exc:
            warnings.warn(f"{exc} It was skipped.", ScaleFileWarning, stacklevel=2)
            continue
        scales[scale.id] = scale
    return scales


def available_scales(project_dir: Path | None = None) -> dict[str, Scale]:
    scales = builtin_scales()
    if project_dir is not None and project_dir.is_dir():
        scales.update(user_scales(project_dir))
    return scales


def _read_scale_path(path: Path) -> Scale:
    if path.is_dir():
        raise InvalidInputError(f"The rating scale {path} cannot be read: it is a folder.")
    if not path.exists():
        raise NotFoundError(f"There is no rating scale file at {path}.")
    return _read_scale_file(path)


def find_scale(key: str, project_dir: Path | None = None) -> Scale:
    """A scale by id, or from a file path (any name: an existing file that is not an id is read)."""
    if key.endswith(".json") or "/" in key or os.sep in key:
        return _read_scale_path(Path(key))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ScaleFileWarning)
        scales = available_scales(project_dir)
    broken = [w.message for w in caught if issubclass(w.category, ScaleFileWarning)]
    if key not in scales and Path(key).is_file():
        return _read_scale_path(Path(key))
    if key not in scales:
        why = f" ({' '.join(str(m) for m in broken)})" if broken else ""
        raise NotFoundError(
            f"There is no rating scale '{key}'; known: {', '.join(sorted(scales))}{why}."
        )
    for message in broken:  # the scale was found; the broken neighbours are still worth a word
        warnings.warn(str(message), ScaleFileWarning, stacklevel=2)
    return scales[key]
