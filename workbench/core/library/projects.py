"""Keeping the library current with the user's own verdicts.

Every project the user opens or creates contributes its rated claims; calling
`index_project` again after a verdict changes replaces that project's entries with what the
project now says (a cleared verdict leaves the library, a changed one is updated). Only the
words are written here; their vectors are filled in by the next search, so indexing a project
never waits for the embedding model.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.library.model import KIND_PROJECT, FactCheck, ImportReport
from workbench.core.library.paths import library_path
from workbench.core.library.store import Library, LibraryError
from workbench.core.practice.exercise import exercise_id
from workbench.core.project.store import Project

if TYPE_CHECKING:  # psycopg: only when a team library is used
    from workbench.core.library.team import TeamLibrary


def project_origin(path: Path | str) -> str:
    return str(Path(path).expanduser().resolve())


PRACTICE_NOT_INDEXED = (
    "a practice exercise: its ratings are a student's answers, not fact checks, so they stay "
    "out of the library"
)


def project_checks(project: Project) -> dict[int, FactCheck]:
    """Claim id -> FactCheck for every claim of the project that has a verdict; none for a
    practice exercise, whose ratings would otherwise come back as "checked before" in the
    instructor's own project (and in the next student's exercise)."""
    if exercise_id(project) is not None:
        return {}
    article = project.article()
    scale = project.scale
    best = float(len(scale.ordinal)) if scale.ordinal else None
    publisher = project.meta().get("organization", "")  # one read, not one per rated claim
    checks: dict[int, FactCheck] = {}
    for claim in project.claims():
        if not claim.rating:
            continue
        try:
            label = scale.rating(claim.rating).label
        except Exception:  # a rating id the scale no longer knows: keep the id itself
            label = claim.rating
        value = scale.value(claim.rating)
        sources = tuple(cs.source.url for cs in project.claim_sources(claim.id))
        checks[claim.id] = FactCheck(
            claim_reviewed=claim.text,
            url=f"{article.url}#claim-{claim.id}" if article.url else "",
            rating=label,
            rating_value=float(value) if value is not None else None,
            best_rating=best if value is not None else None,
            worst_rating=1.0 if value is not None else None,
            # No title: the article's headline is not this verdict's. Every claim of an article
            # shared it, so its words (and a vector made with them) made the claims of one
            # article look alike: a budget's amount "96% matched" the verdict on its vote.
            title="",
            publisher=publisher,
            date=claim.rated_at or "",
            appearances=(article.url,) if article.url else (),
            rationale=claim.rationale,
            sources=sources,
            who=claim.rated_by or "",
        )
    return checks


def index_project(library: Library, project: Project) -> ImportReport:
    """Make the library hold exactly the project's current verdicts."""
    checks = project_checks(project)
    report = library.sync_project(project_origin(project.path), checks)
    if not checks and exercise_id(project) is not None:
        return report + ImportReport(problems=(PRACTICE_NOT_INDEXED,))
    return report


def keep_current(project: Project) -> str | None:
    """After a command changed the project's verdicts or sources: bring the library up to date
    as the window does, so the next search (or window) sees the change at once. A team
    project's verdicts go to its server's library; a file's to the personal library.

    Returns None, or one line saying why the library could not be updated (the project's own
    change stands either way). Without a library file and without a verdict there is nothing to
    index, and no file is created."""
    if project.is_team:
        return _keep_team_current(project)
    if not library_path().exists() and not any(c.rating for c in project.claims()):
        return None
    later = f"(the project is saved; `workbench library add {project.path}` catches up later)"
    try:
        with Library.open() as library:
            index_project(library, project)
    except LibraryError as exc:
        return f"{exc} {later}"
    except (sqlite3.Error, OSError) as exc:
        return f"The fact-check library {library_path()} could not be updated: {exc} {later}"
    return None


def _keep_team_current(project: Project) -> str | None:
    from workbench.core.library.team import TeamLibrary, team_project

    with TeamLibrary(project.open_location) as library:
        try:
            library.sync_project(team_project(project.location), project_checks(project))
        except LibraryError as exc:
            return (
                f"{library.not_updated(exc)} The project has the change; the library catches "
                "up when the project is next opened in the window, or with "
                f"`workbench library add {project.location} --server URL`."
            )
    return None


def index_project_file(library: Library, path: Path | str) -> ImportReport:
    with Project.open(path, readonly=True) as project:
        return index_project(library, project)


def remove_project(library: Library, path: Path | str) -> int:
    return library.remove_origin(KIND_PROJECT, project_origin(path))


def index_team_project(library: TeamLibrary, location: str) -> ImportReport:
    """A team project's verdicts into its server's library."""
    from workbench.core.library.team import team_project

    with Project.open(location, readonly=True) as project:
        return library.sync_project(team_project(location), project_checks(project))


def remove_team_project(library: TeamLibrary, project: str) -> int:
    """Every entry of a team project (named, or by its URL) from its server's library."""
    from workbench.core.library.team import team_origin, team_project
    from workbench.core.project.backends import is_team_url

    name = team_project(project) if is_team_url(project) else project.strip()
    return library.remove_origin(KIND_PROJECT, team_origin(name))
