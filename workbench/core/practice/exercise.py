"""Practice mode, part one: an instructor turns a project into an exercise and an answer key.

The exercise is a new project file built from a whitelist: the article, its links and its live
claims (ids, spans, wording, kinds, scores), and optionally the sources the article itself links
to. Nothing is copied from the instructor's work (verdicts, rationales, status notes, source
notes or evaluations, the event log, snapshots), and because the file is written fresh rather
than copied and scrubbed, no deleted row can linger in a free page of the file either.

The answer key is a JSON file holding what the instructor decided. Both carry the same exercise
id (in the key, and in the exercise's meta table under "exercise"), so grading can refuse a
submission that was made from another exercise.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench import __version__
from workbench.core.article.model import Article
from workbench.core.claims.model import ClaimCandidate
from workbench.core.clock import utc_now_iso
from workbench.core.errors import InvalidInputError, NotFoundError, ProjectError
from workbench.core.project import rows
from workbench.core.project.evaluation import evaluation_of
from workbench.core.project.records import ClaimRecord
from workbench.core.project.scales import Scale, scale_from_dict
from workbench.core.project.schema import APP_ID, SCHEMA_VERSION
from workbench.core.project.store import (
    Project,
    check_target_folder,
    cite_article_links,
    remove_quietly,
    write_project_file,
)

KEY_FORMAT = "workbench-answer-key"
KEY_VERSION = 1
EXERCISE_META = "exercise"


@dataclass(frozen=True)
class KeySource:
    url: str
    relation: str


@dataclass(frozen=True)
class KeyClaim:
    id: int
    start: int
    end: int
    text: str
    rating: str | None  # None: the instructor left this claim unrated
    rationale: str
    reviewer: str
    sources: tuple[KeySource, ...] = ()


@dataclass(frozen=True)
class AnswerKey:
    exercise_id: str
    created: str
    title: str
    article_sha256: str
    scale: Scale
    claims: tuple[KeyClaim, ...]
    evaluations: dict[str, dict[str, Any]] = field(default_factory=dict)  # by source URL

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": KEY_FORMAT,
            "version": KEY_VERSION,
            "exercise_id": self.exercise_id,
            "created": self.created,
            "article": {"title": self.title, "sha256": self.article_sha256},
            "scale": self.scale.to_dict(),
            "claims": [
                {
                    "id": c.id,
                    "start": c.start,
                    "end": c.end,
                    "text": c.text,
                    "rating": c.rating,
                    "rationale": c.rationale,
                    "reviewer": c.reviewer,
                    "sources": [{"url": s.url, "relation": s.relation} for s in c.sources],
                }
                for c in self.claims
            ],
            "source_evaluations": self.evaluations,
        }


# ---------------------------------------------------------------------- making an exercise
def make_exercise(
    project: Project,
    exercise_path: str | Path,
    key_path: str | Path,
    *,
    include_cited_sources: bool = True,
    overwrite: bool = False,
) -> AnswerKey:
    """Write the exercise project and its answer key; returns the key.

    include_cited_sources keeps the links the article itself makes as 'cited' sources of the
    claims they sit in (recomputed from the article, never copied from the instructor's
    research). Neither file is written if either name is taken, unless overwrite is set; the
    instructor's own project is never overwritten.
    """
    exercise_path, key_path = Path(exercise_path), Path(key_path)
    _check_targets(project.path, exercise_path, key_path, overwrite)
    check_target_folder(key_path, "answer key")
    key = answer_key(project, uuid.uuid4().hex)
    _write_exercise(project, exercise_path, key, include_cited_sources)
    try:
        write_key(key, key_path)
    except BaseException:
        remove_quietly(exercise_path)  # half a pair is worse than none
        raise
    return key


def _check_targets(source: Path, exercise: Path, key: Path, overwrite: bool) -> None:
    if exercise.resolve() == key.resolve():
        raise InvalidInputError("The exercise and the answer key need two different file names.")
    for target in (exercise, key):
        if target.resolve() == source.resolve():
            raise InvalidInputError(
                f"{target.name} is the project the exercise is made from; choose another name."
            )
        if target.is_dir():
            raise InvalidInputError(f"{target} is a folder; give a file name.")
        if target.exists() and not overwrite:
            raise ProjectError(
                f"{target} already exists; choose another name or allow overwriting (--force)."
            )


def answer_key(project: Project, exercise_id: str) -> AnswerKey:
    """The instructor's current decisions on the project, as an answer key."""
    article = project.article()
    claims = tuple(_key_claim(project, c) for c in project.claims())
    evaluations: dict[str, dict[str, Any]] = {}
    for source in project.sources():
        try:
            ev = evaluation_of(source)
        except InvalidInputError:
            raise InvalidInputError(
                f"Source {source.id} ({source.url}) has an unfinished evaluation; "
                "complete or clear it before making the exercise."
            ) from None
        if ev is not None:
            evaluations[source.url] = ev.to_dict()
    return AnswerKey(
        exercise_id=exercise_id,
        created=utc_now_iso(),
        title=article.title,
        article_sha256=article.raw_sha256,
        scale=project.scale,
        claims=claims,
        evaluations=evaluations,
    )


def _key_claim(project: Project, claim: ClaimRecord) -> KeyClaim:
    return KeyClaim(
        id=claim.id,
        start=claim.start,
        end=claim.end,
        text=claim.text,
        rating=claim.rating,
        rationale=claim.rationale,
        reviewer=claim.rated_by or "",
        sources=tuple(
            KeySource(cs.source.url, cs.relation) for cs in project.claim_sources(claim.id)
        ),
    )


def _write_exercise(project: Project, path: Path, key: AnswerKey, with_sources: bool) -> None:
    """Build the exercise beside the target and rename it into place (never half written)."""
    write_project_file(
        path, lambda db: _fill_exercise(db.conn, project, key, with_sources), what="exercise"
    )


def _fill_exercise(
    conn: sqlite3.Connection, project: Project, key: AnswerKey, with_sources: bool
) -> None:
    """The exercise file through the store's insert path (rows.py): the article with its
    version and links, the claims with the instructor's ids, and no verdict and no history."""
    now = utc_now_iso()
    exercise = {"id": key.exercise_id, "created": key.created, "title": key.title}
    rows.insert_meta_rows(
        conn,
        [
            ("app", APP_ID),
            ("schema_version", str(SCHEMA_VERSION)),
            ("created", now),
            ("app_version", __version__),
            ("scale", json.dumps(project.scale.to_dict())),
            (EXERCISE_META, json.dumps(exercise)),
        ],
    )
    article = project.article()
    source = Article(
        title=article.title,
        byline=article.byline,
        published=article.published,
        url=article.url,
        text=article.text,
        links=article.links,
        raw=project.article_raw(),
        source_kind=article.source_kind,
        encoding=article.encoding,
    )
    article_id = rows.insert_article_row(conn, source, now)
    claims = project.claims()
    for c in claims:
        # Status, status note and timestamps start afresh: they are the instructor's progress.
        candidate = ClaimCandidate(c.start, c.end, c.text, c.kind, c.score, c.reasons, c.quotes)
        rows.insert_claim_row(
            conn,
            article_id,
            candidate,
            c.origin,
            now,
            claim_id=c.id,
            article_length=len(article.text),
        )
    if with_sources:
        cite_article_links(
            conn, article.links, [(c.start, c.end, c.id) for c in claims], now, actor=None
        )


# ---------------------------------------------------------------------- key files
def write_key(key: AnswerKey, path: str | Path) -> None:
    """Write the key as JSON, atomically (a reader never sees half a key)."""
    path = Path(path)
    check_target_folder(path, "answer key")
    tmp = path.with_name(f".{path.name}.writing-{os.getpid()}")
    try:
        tmp.write_text(json.dumps(key.to_dict(), ensure_ascii=False, indent=2) + "\n", "utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        remove_quietly(tmp)
        raise ProjectError(
            f"The answer key {path.name} could not be written: {exc.strerror or exc}."
        ) from None


def load_key(path: str | Path) -> AnswerKey:
    """Read and check an answer key file; every problem is reported in one sentence."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"There is no answer key file at {path}.")
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise InvalidInputError(f"{path.name} cannot be read: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise InvalidInputError(
            f"{path.name} is not a Workbench answer key (it is not a text file)."
        ) from None
    except ValueError as exc:
        raise InvalidInputError(
            f"{path.name} is not a Workbench answer key (its JSON is broken: {exc})."
        ) from None
    except RecursionError:  # thousands of nested brackets: no key is built like that
        raise InvalidInputError(
            f"{path.name} is not a Workbench answer key (it is nested too deeply)."
        ) from None
    return key_from_dict(data, origin=path.name)


def key_from_dict(data: Any, *, origin: str = "The answer key") -> AnswerKey:
    if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
        raise InvalidInputError(f"{origin} is not a Workbench answer key.")
    version = data.get("version")
    if not isinstance(version, int) or version > KEY_VERSION:
        raise InvalidInputError(
            f"{origin} is answer key version {version}; this Workbench reads up to "
            f"{KEY_VERSION}, update Workbench to use it."
        )
    try:
        claims = tuple(
            KeyClaim(
                id=int(c["id"]),
                start=int(c["start"]),
                end=int(c["end"]),
                text=str(c.get("text") or ""),
                rating=None if c.get("rating") is None else str(c["rating"]),
                rationale=str(c.get("rationale") or ""),
                reviewer=str(c.get("reviewer") or ""),
                sources=tuple(
                    KeySource(str(s["url"]), str(s.get("relation") or "cited"))
                    for s in c.get("sources") or ()
                ),
            )
            for c in data["claims"]
        )
        evaluations = {
            str(url): dict(ev) for url, ev in (data.get("source_evaluations") or {}).items()
        }
        key = AnswerKey(
            exercise_id=str(data["exercise_id"]),
            created=str(data.get("created") or ""),
            title=str((data.get("article") or {}).get("title") or ""),
            article_sha256=str(data["article"]["sha256"]),
            scale=scale_from_dict(data["scale"], origin=f"The scale in {origin}"),
            claims=claims,
            evaluations=evaluations,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidInputError(
            f"{origin} is damaged (a field is missing or wrong: {exc})."
        ) from None
    for claim in key.claims:
        if claim.rating is not None and claim.rating not in {r.id for r in key.scale.ratings}:
            raise InvalidInputError(
                f"{origin} rates claim {claim.id} '{claim.rating}', which is not on its scale."
            )
    return key


def exercise_id(project: Project) -> str | None:
    """The exercise id stored in a project's meta, or None for an ordinary project."""
    raw = project.meta().get(EXERCISE_META)
    if not raw:
        return None
    try:
        return str(json.loads(raw)["id"])
    except (ValueError, KeyError, TypeError):
        return None
