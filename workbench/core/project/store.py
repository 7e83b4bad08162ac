"""Project: every query and edit the app makes on a project, whatever the engine.

A project is one SQLite file (the default; backends/sqlite.py) or a team project on a
PostgreSQL server (backends/postgres.py, opened by a postgresql:// URL). The business rules
live here once: statuses, append-only verdicts, history events, validation. Every edit is one
transaction (Project.transaction), all of it saved or none of it. Verdicts are append-only:
the current verdict is the newest row. Every edit also writes an event, so a claim's full
history can be shown and audited.
"""

from __future__ import annotations

import bisect
import contextlib
import getpass
import hashlib
import json
import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench import __version__
from workbench.core.article.model import Article, Link
from workbench.core.claims.model import ClaimCandidate, Quote
from workbench.core.clock import utc_now_iso
from workbench.core.errors import InvalidInputError, NotFoundError, ProjectError
from workbench.core.net.urls import kept_url, require_web_url
from workbench.core.project import rows
from workbench.core.project.backends import is_team_url
from workbench.core.project.backends.sqlite import PROJECT_SUFFIX as PROJECT_SUFFIX
from workbench.core.project.backends.sqlite import SQLITE_MAGIC as SQLITE_MAGIC
from workbench.core.project.backends.sqlite import SqliteBackend
from workbench.core.project.backends.sqlite import check_project_file as check_project_file
from workbench.core.project.backends.sqlite import check_target_folder as check_target_folder
from workbench.core.project.backends.sqlite import remove_quietly as remove_quietly
from workbench.core.project.backends.sqlite import write_project_file as write_project_file
from workbench.core.project.records import (
    RELATIONS,
    STATUSES,
    ArticleVersion,
    CaptureRecord,
    ClaimAnchor,
    ClaimRecord,
    ClaimSource,
    EventRecord,
    SnapshotRecord,
    SourceRecord,
    StoredArticle,
    VerdictRecord,
)
from workbench.core.project.scales import DEFAULT_SCALE, Scale, find_scale, scale_from_dict
from workbench.core.project.schema import APP_ID, SCHEMA_VERSION
from workbench.core.sources.snapshot import Snapshot

if TYPE_CHECKING:
    from workbench.core.project.backends.postgres import PostgresBackend

_CLAIM_COLUMNS = """
    c.id, c.start, c."end", c.text, c.kind, c.score, c.reasons, c.quotes, c.status,
    c.status_note, c.origin, c.deleted, c.created_at, c.updated_at,
    v.rating, v.rationale, v.reviewer AS rated_by, v.created_at AS rated_at,
    (SELECT count(*) FROM claim_sources cs WHERE cs.claim_id = c.id) AS source_count,
    c.anchor_state, c.assigned_to
"""
_CLAIM_FROM = """
    FROM claims c
    LEFT JOIN verdicts v ON v.id = (SELECT max(id) FROM verdicts WHERE claim_id = c.id)
"""


def default_actor() -> str:
    """Who is editing: WORKBENCH_USER if set, else the login name."""
    name = os.environ.get("WORKBENCH_USER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


class Project:
    """An open project file. Not thread-safe: use one Project per thread."""

    def __init__(self, backend: SqliteBackend | PostgresBackend) -> None:
        self._backend = backend
        self.path: Path = backend.path
        self.conn: Any = backend.conn
        # True when opened read-only, or when the file or its folder cannot be written (a CD,
        # a locked share): reading works, every edit says "read-only".
        self.readonly = backend.readonly
        self._depth = 0
        # Ids of the events this connection wrote (committed), so an undo can tell its own
        # edits from edits made since by another window or process.
        self._own_events: set[int] = set()
        self._pending_events: list[int] = []
        self.scale: Scale = self._load_scale()
        self._article_cache: StoredArticle | None = None

    @property
    def name(self) -> str:
        """The project's name in messages: the file name, or the team project's name."""
        return self._backend.name

    @property
    def location(self) -> str:
        """Where it lives: the file's path, or the team project's URL without a password."""
        return self._backend.location

    @property
    def open_location(self) -> str:
        """What to pass to Project.open to reach this project again from another thread: for a
        team project the URL as given (it may hold a password, so it is kept in memory only and
        never written to a file, a log or the settings)."""
        return self._backend.open_location

    @property
    def login(self) -> str | None:
        """The server login a team project is edited under (None for a file)."""
        return self._backend.login if self.is_team else None

    @property
    def is_team(self) -> bool:
        return self._backend.kind == "postgresql"

    def watch(self) -> None:
        """For a team project whose server a listener follows in another thread (the
        window's): a lost connection is tried again only briefly here, and the project is
        offline until the listener is connected again (see set_offline)."""
        if self.is_team:
            self._backend.watched = True

    def set_offline(self, offline: bool) -> None:
        """For a team project whose server cannot be reached (its window's listener says so):
        until it is back, whatever would connect again fails at once with one line, instead of
        waiting for the connect timeout on a server that drops packets."""
        if self.is_team:
            self._backend.offline = offline

    # ------------------------------------------------------------------ opening
    @classmethod
    def create(
        cls,
        path: str | Path,
        article: Article,
        claims: Iterable[ClaimCandidate],
        *,
        scale: str | Scale = DEFAULT_SCALE,
        overwrite: bool = False,
        actor: str | None = None,
    ) -> Project:
        """Write a new project: a file built beside the target and renamed into place, or a
        team project made in one transaction on the server."""
        team = is_team_url(path)
        if isinstance(scale, str):
            scale = find_scale(scale, Path.cwd() if team else Path(path).parent)

        def fill(conn: Any) -> None:
            now = utc_now_iso()
            conn.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?)",
                [
                    ("app", APP_ID),
                    ("schema_version", str(SCHEMA_VERSION)),
                    ("created", now),
                    ("app_version", __version__),
                    ("scale", json.dumps(scale.to_dict())),
                ],
            )
            _insert_article(conn, article, claims, now, actor or default_actor())

        if team:
            from workbench.core.project.backends import postgres

            backend = postgres.PostgresBackend.create(
                str(path), fill, overwrite=overwrite, newest=SCHEMA_VERSION
            )
            return cls(backend)
        return cls(
            SqliteBackend.create(Path(path), fill, overwrite=overwrite, newest=SCHEMA_VERSION)
        )

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> Project:
        """Open a project for editing, or read-only (reports, listings, grading a student's
        file): a read-only open never changes anything."""
        if is_team_url(path):
            from workbench.core.project.backends import postgres  # psycopg: only for team URLs

            backend = postgres.PostgresBackend.open(
                str(path), readonly=readonly, newest=SCHEMA_VERSION
            )
            return cls(backend)
        return cls(SqliteBackend.open(Path(path), readonly=readonly, newest=SCHEMA_VERSION))

    def close(self) -> None:
        self._backend.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Project]:
        """One edit, one transaction: everything inside is saved together or not at all.

        Nestable: an inner transaction is a savepoint of the outer one, so a compound edit (an
        undo that deletes one claim and moves another) is still one transaction on disk, and an
        inner failure caught by the caller undoes only the inner part."""
        self._require_writable()
        depth = self._depth
        savepoint = f"wb_{depth}"
        if depth == 0:
            self._backend.ensure_connected()
        try:
            self.conn.execute(f"SAVEPOINT {savepoint}" if depth else self._backend.begin_sql)
        except self._backend.errors as exc:
            raise self._backend.friendly(exc) from None
        self._depth += 1
        try:
            yield self
        except BaseException as exc:
            self._depth -= 1
            with contextlib.suppress(*self._backend.errors):
                if depth:
                    self.conn.execute(f"ROLLBACK TO {savepoint}")
                    self.conn.execute(f"RELEASE {savepoint}")
                else:
                    self.conn.execute("ROLLBACK")
            if depth == 0:
                self._pending_events.clear()
                self._article_cache = None
                self.scale = self._load_scale()
            if isinstance(exc, self._backend.errors):
                raise self._backend.friendly(exc) from None
            raise
        self._depth -= 1
        try:
            self.conn.execute(f"RELEASE {savepoint}" if depth else "COMMIT")
        except self._backend.errors as exc:
            with contextlib.suppress(*self._backend.errors):
                self.conn.execute("ROLLBACK")
            self._pending_events.clear()
            raise self._backend.friendly(exc) from None
        if depth == 0:
            self._own_events.update(self._pending_events)
            self._pending_events.clear()

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def _require_writable(self) -> None:
        if self.readonly:
            raise ProjectError(f"{self.name} is read-only; the change was not saved.")

    @contextlib.contextmanager
    def _write(self) -> Iterator[Any]:
        with self.transaction():
            yield self.conn

    def _query(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> list[Any]:
        """Rows readable by position and by column name, from either engine."""
        if self._depth == 0:
            self._backend.ensure_connected()
        try:
            cur = self.conn.execute(sql, params)
            cur.row_factory = sqlite3.Row
            return cur.fetchall()
        except self._backend.errors as exc:
            raise self._backend.friendly(exc) from None

    def data_version(self) -> int:
        """Changes when another connection commits; lets a window notice edits made elsewhere."""
        try:
            if self._depth == 0:  # after a server restart: connect again, as a read does
                self._backend.ensure_connected()
            return self._backend.data_version()
        except self._backend.errors as exc:
            raise self._backend.friendly(exc) from None

    def save_copy(self, target: str | Path) -> Path:
        """A consistent copy of the project at `target`, safe while the project is in use.

        SQLite's backup API copies a snapshot even while other connections write; the copy is
        made beside the target and renamed into place, so a failed copy leaves no half file.
        A team project is copied table by table into a new file (workbench copy).
        """
        target = Path(target)
        if self.is_team:
            from workbench.core.project.copy import copy_project

            copy_project(self.open_location, target, overwrite=True)
            return target
        if target.resolve() == self.path.resolve():
            raise InvalidInputError("Choose a different file for the copy.")
        partial = target.with_name(f".{target.name}.partial")
        try:
            partial.unlink(missing_ok=True)
            dest = sqlite3.connect(str(partial))
            try:
                self.conn.backup(dest)
            finally:
                dest.close()
            os.replace(partial, target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise ProjectError(f"The copy could not be written: {exc.strerror or exc}.") from None
        except sqlite3.Error as exc:
            partial.unlink(missing_ok=True)
            raise ProjectError(f"The copy could not be written: {exc}.") from None
        return target

    # ------------------------------------------------------------------ meta
    def meta(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self._query("SELECT key, value FROM meta")}

    def set_meta(self, key: str, value: str) -> None:
        """Project-wide settings that are not part of the schema (e.g. imported WARC files)."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def _load_scale(self) -> Scale:
        raw = self.meta().get("scale")
        if not raw:
            return find_scale(DEFAULT_SCALE)
        data = stored_json(raw, "The rating scale", dict)
        return scale_from_dict(data, origin=f"The scale stored in {self.name}")

    def set_scale(self, scale: Scale, *, actor: str | None = None) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES ('scale', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (json.dumps(scale.to_dict()),),
            )
            self._event(conn, None, None, actor, "scale", {"scale": scale.id})
        self.scale = scale

    # ------------------------------------------------------------------ article
    def article(self) -> StoredArticle:
        if self._article_cache is None:
            rows = self._query("SELECT * FROM articles ORDER BY id LIMIT 1")
            if not rows:
                raise ProjectError(f"{self.name} holds no article.")
            row = rows[0]
            links = tuple(
                Link(r["start"], r["end"], r["href"], r["text"])
                for r in self._query(
                    'SELECT start, "end", href, text FROM links WHERE article_id = ? ORDER BY start',
                    (row["id"],),
                )
            )
            self._article_cache = StoredArticle(
                id=row["id"],
                title=row["title"] or "",
                byline=row["byline"] or "",
                published=row["published"],
                url=row["url"],
                text=row["text"],
                links=links,
                source_kind=row["source_kind"] or "text",
                encoding=row["encoding"],
                raw_sha256=row["raw_sha256"] or "",
                loaded_at=row["loaded_at"] or "",
            )
        return self._article_cache

    def article_raw(self) -> bytes:
        rows = self._query("SELECT raw FROM articles ORDER BY id LIMIT 1")
        return bytes(rows[0]["raw"] or b"") if rows else b""

    # ------------------------------------------------------------------ claims: reading
    def claims(
        self, *, min_score: float | None = None, include_deleted: bool = False
    ) -> list[ClaimRecord]:
        where = [] if include_deleted else ["c.deleted = 0"]
        params: list[Any] = []
        if min_score is not None:
            where.append("c.score >= ?")
            params.append(min_score)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self._query(
            f'SELECT {_CLAIM_COLUMNS} {_CLAIM_FROM} {clause} ORDER BY c.start, c."end", c.id',
            params,
        )
        return _claim_records(rows)

    def claim(self, claim_id: int) -> ClaimRecord:
        rows = self._query(f"SELECT {_CLAIM_COLUMNS} {_CLAIM_FROM} WHERE c.id = ?", (claim_id,))
        if not rows:
            raise NotFoundError(f"There is no claim {claim_id} in this project.")
        return _claim_records(rows)[0]

    def claim_count(self) -> int:
        return int(self._query("SELECT count(*) AS n FROM claims WHERE deleted = 0")[0]["n"])

    def verdicts(self, claim_id: int) -> list[VerdictRecord]:
        """Every verdict ever recorded on the claim, oldest first."""
        self._require_claim(claim_id)
        return [
            VerdictRecord(
                r["id"],
                r["claim_id"],
                r["rating"],
                r["rationale"] or "",
                r["reviewer"] or "",
                r["created_at"],
                r["note"] or "",
            )
            for r in self._query(
                "SELECT * FROM verdicts WHERE claim_id = ? ORDER BY id", (claim_id,)
            )
        ]

    def history(self, claim_id: int | None = None) -> list[EventRecord]:
        """Events for one claim (or the whole project), oldest first."""
        if claim_id is None:
            rows = self._query("SELECT * FROM events ORDER BY id")
        else:
            self._require_claim(claim_id)  # a wrong id is an error, not an empty story
            rows = self._query("SELECT * FROM events WHERE claim_id = ? ORDER BY id", (claim_id,))
        return [_event_record(r) for r in rows]

    def progress(self) -> dict[str, dict[str, int]]:
        """Counts by status and by current rating, over live claims."""
        claims = self.claims()
        by_status = {s: 0 for s in STATUSES}
        by_rating: dict[str, int] = {r.id: 0 for r in self.scale.ratings}
        for c in claims:
            by_status[c.status] = by_status.get(c.status, 0) + 1
            if c.rating:
                by_rating[c.rating] = by_rating.get(c.rating, 0) + 1
        return {"status": by_status, "rating": by_rating, "total": {"claims": len(claims)}}

    def _require_claim(self, claim_id: int, *, live: bool = False) -> sqlite3.Row:
        rows = self._query("SELECT * FROM claims WHERE id = ?", (claim_id,))
        if not rows or (live and rows[0]["deleted"]):
            raise NotFoundError(f"There is no claim {claim_id} in this project.")
        return rows[0]

    # ------------------------------------------------------------------ claims: editing
    def _check_span(self, start: int, end: int) -> None:
        n = len(self.article().text)
        if not (0 <= start < end <= n):
            raise InvalidInputError(
                f"The span {start}–{end} is not inside the article (0–{n}) or is empty."
            )
        if not self.article().text[start:end].strip():
            raise InvalidInputError("A claim needs some text; the selected span is blank.")

    def add_claim(self, start: int, end: int, *, actor: str | None = None) -> int:
        """A claim from any span of the article (for example a selection in the window)."""
        text = self.article().text
        self._check_span(start, end)
        start, end = _trim(text, start, end)
        cand = _analyse_span(text, start, end)
        now = utc_now_iso()
        with self._write() as conn:
            claim_id = _insert_claim(conn, self.article().id, cand, "user", now)
            self._event(conn, claim_id, None, actor, "add", {"start": start, "end": end})
        return claim_id

    def set_claim_text(self, claim_id: int, text: str, *, actor: str | None = None) -> None:
        """Edit the wording as checked; the span into the article stays where it is."""
        row = self._require_claim(claim_id, live=True)
        text = text.strip()
        if not text:
            raise InvalidInputError("A claim's wording cannot be empty.")
        with self._write() as conn:
            conn.execute(
                "UPDATE claims SET text = ?, updated_at = ? WHERE id = ?",
                (text, utc_now_iso(), claim_id),
            )
            self._event(conn, claim_id, None, actor, "edit", {"from": row["text"], "to": text})

    def set_claim_span(
        self,
        claim_id: int,
        start: int,
        end: int,
        *,
        text: str | None = None,
        actor: str | None = None,
    ) -> None:
        """Move a claim's span; its wording becomes the new span's text unless given."""
        row = self._require_claim(claim_id)
        self._check_span(start, end)
        new_text = text if text is not None else self.article().text[start:end]
        with self._write() as conn:
            conn.execute(
                'UPDATE claims SET start = ?, "end" = ?, text = ?, updated_at = ? WHERE id = ?',
                (start, end, new_text, utc_now_iso(), claim_id),
            )
            self._event(
                conn,
                claim_id,
                None,
                actor,
                "span",
                {"from": [row["start"], row["end"]], "to": [start, end]},
            )

    def set_claim_analysis(
        self,
        claim_id: int,
        kind: str,
        score: float,
        reasons: Iterable[str],
        quotes: Iterable[Quote],
        *,
        actor: str | None = None,
    ) -> None:
        self._require_claim(claim_id)
        with self._write() as conn:
            conn.execute(
                "UPDATE claims SET kind = ?, score = ?, reasons = ?, quotes = ?, updated_at = ? "
                "WHERE id = ?",
                (
                    kind,
                    float(score),
                    json.dumps(list(reasons)),
                    _quotes_json(quotes),
                    utc_now_iso(),
                    claim_id,
                ),
            )
            self._event(conn, claim_id, None, actor, "score", {"kind": kind, "score": score})

    def rescore_claim(self, claim_id: int, *, actor: str | None = None) -> ClaimRecord:
        row = self._require_claim(claim_id, live=True)
        cand = _analyse_span(self.article().text, row["start"], row["end"])
        self.set_claim_analysis(
            claim_id, cand.kind, cand.score, cand.reasons, cand.quotes, actor=actor
        )
        return self.claim(claim_id)

    def split_claim(self, claim_id: int, offset: int, *, actor: str | None = None) -> int:
        """Split at an article offset: the first part keeps the id, verdicts and sources."""
        row = self._require_claim(claim_id, live=True)
        text = self.article().text
        start, end = row["start"], row["end"]
        a_start, a_end = _trim(text, start, offset)
        b_start, b_end = _trim(text, offset, end)
        if not (start < offset < end) or a_start >= a_end or b_start >= b_end:
            raise InvalidInputError("Place the split point inside the claim, between two words.")
        first = _analyse_span(text, a_start, a_end)
        second = _analyse_span(text, b_start, b_end)
        now = utc_now_iso()
        with self._write() as conn:
            conn.execute(
                'UPDATE claims SET start = ?, "end" = ?, text = ?, kind = ?, score = ?, '
                "reasons = ?, quotes = ?, updated_at = ? WHERE id = ?",
                (
                    a_start,
                    a_end,
                    first.text,
                    first.kind,
                    first.score,
                    json.dumps(list(first.reasons)),
                    _quotes_json(first.quotes),
                    now,
                    claim_id,
                ),
            )
            new_id = _insert_claim(conn, row["article_id"], second, "split", now)
            self._event(conn, claim_id, None, actor, "split", {"at": offset, "new_claim": new_id})
            self._event(conn, new_id, None, actor, "add", {"split_from": claim_id})
        return new_id

    def merge_claims(self, first_id: int, second_id: int, *, actor: str | None = None) -> list[int]:
        """Merge the second claim into the first; returns the source ids copied across.

        The second claim is deleted (softly, so undo can bring it back); its sources are
        attached to the merged claim unless already there.
        """
        a = self._require_claim(first_id, live=True)
        b = self._require_claim(second_id, live=True)
        if first_id == second_id:
            raise InvalidInputError("A claim cannot be merged with itself.")
        text = self.article().text
        start, end = min(a["start"], b["start"]), max(a["end"], b["end"])
        cand = _analyse_span(text, start, end)
        now = utc_now_iso()
        with self._write() as conn:
            existing = {
                r[0]
                for r in conn.execute(
                    "SELECT source_id FROM claim_sources WHERE claim_id = ?", (first_id,)
                )
            }
            moved = [
                r
                for r in conn.execute(
                    "SELECT source_id, relation, note FROM claim_sources WHERE claim_id = ?",
                    (second_id,),
                )
                if r[0] not in existing
            ]
            for source_id, relation, note in moved:
                conn.execute(
                    "INSERT INTO claim_sources(claim_id, source_id, relation, note, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (first_id, source_id, relation, note, now),
                )
            conn.execute(
                'UPDATE claims SET start = ?, "end" = ?, text = ?, kind = ?, score = ?, '
                "reasons = ?, quotes = ?, updated_at = ? WHERE id = ?",
                (
                    start,
                    end,
                    cand.text,
                    cand.kind,
                    cand.score,
                    json.dumps(list(cand.reasons)),
                    _quotes_json(cand.quotes),
                    now,
                    first_id,
                ),
            )
            conn.execute(
                "UPDATE claims SET deleted = 1, updated_at = ? WHERE id = ?", (now, second_id)
            )
            self._event(conn, first_id, None, actor, "merge", {"merged": second_id})
            self._event(conn, second_id, None, actor, "delete", {"merged_into": first_id})
        return [m[0] for m in moved]

    def delete_claim(self, claim_id: int, *, actor: str | None = None) -> None:
        """Soft delete: the claim, its verdicts and sources stay in the file for undo and audit."""
        self._require_claim(claim_id, live=True)
        with self._write() as conn:
            conn.execute(
                "UPDATE claims SET deleted = 1, updated_at = ? WHERE id = ?",
                (utc_now_iso(), claim_id),
            )
            self._event(conn, claim_id, None, actor, "delete", {})

    def restore_claim(self, claim_id: int, *, actor: str | None = None) -> None:
        self._require_claim(claim_id)
        with self._write() as conn:
            conn.execute(
                "UPDATE claims SET deleted = 0, updated_at = ? WHERE id = ?",
                (utc_now_iso(), claim_id),
            )
            self._event(conn, claim_id, None, actor, "restore", {})

    def set_status(
        self, claim_id: int, status: str, *, note: str = "", actor: str | None = None
    ) -> None:
        if status not in STATUSES:
            raise InvalidInputError(
                f"'{status}' is not a status; use one of: {', '.join(STATUSES)}."
            )
        row = self._require_claim(claim_id, live=True)
        with self._write() as conn:
            conn.execute(
                "UPDATE claims SET status = ?, status_note = ?, updated_at = ? WHERE id = ?",
                (status, note, utc_now_iso(), claim_id),
            )
            self._event(
                conn,
                claim_id,
                None,
                actor,
                "status",
                {"from": row["status"], "to": status, "note": note},
            )

    def assign_claim(self, claim_id: int, login: str | None, *, actor: str | None = None) -> None:
        """Give a claim to a checker (by login), or take it back with None. In a team project
        the login must be a member of the team; the server decides who may assign whom."""
        row = self._require_claim(claim_id, live=True)
        login = (login or "").strip() or None
        if login is not None:
            self._backend.check_member(login)
        if row["assigned_to"] == login:
            return
        with self._write() as conn:
            conn.execute(
                "UPDATE claims SET assigned_to = ?, updated_at = ? WHERE id = ?",
                (login, utc_now_iso(), claim_id),
            )
            self._event(
                conn, claim_id, None, actor, "assign", {"from": row["assigned_to"], "to": login}
            )

    def set_verdict(
        self,
        claim_id: int,
        rating: str | None,
        rationale: str = "",
        *,
        reviewer: str | None = None,
        note: str = "",
        advance_status: bool = True,
    ) -> int:
        """Append a verdict (rating None clears it). The claim becomes 'checked' when rated,
        unless it was already approved, since a rating is the checker's decision; a checked
        claim whose verdict is cleared is 'in progress' again (it stayed 'checked' without a
        verdict, counted as done and waiting in the editor's review queue)."""
        row = self._require_claim(claim_id, live=True)
        rating_id = self.scale.rating(rating).id if rating else None
        reviewer = self._who(reviewer)
        now = utc_now_iso()
        with self._write() as conn:
            verdict_id = rows.insert_verdict_row(
                conn, claim_id, rating_id, rationale, reviewer, note, now
            )
            self._event(
                conn,
                claim_id,
                None,
                reviewer,
                "verdict",
                {"rating": rating_id, "rationale": rationale, "note": note},
            )
            moved = None
            if advance_status and rating_id and row["status"] in ("unchecked", "in_progress"):
                moved = "checked"
            elif advance_status and not rating_id and row["status"] == "checked":
                moved = "in_progress"
            if moved is not None:
                conn.execute(
                    "UPDATE claims SET status = ?, updated_at = ? WHERE id = ?",
                    (moved, now, claim_id),
                )
                self._event(
                    conn, claim_id, None, reviewer, "status", {"from": row["status"], "to": moved}
                )
            return verdict_id

    # ------------------------------------------------------------------ sources
    def attach_source(
        self,
        claim_id: int,
        url: str,
        *,
        relation: str = "cited",
        note: str = "",
        title: str = "",
        actor: str | None = None,
    ) -> int:
        """Attach a source (created if new) to a claim; returns the source id."""
        url = require_web_url(url, what="The source address")
        if relation not in RELATIONS:
            raise InvalidInputError(
                f"'{relation}' is not a relation; use one of: {', '.join(RELATIONS)}."
            )
        row = self._require_claim(claim_id, live=True)
        now = utc_now_iso()
        with self._write() as conn:
            source_id = _ensure_source(conn, url, title, now)
            linked = conn.execute(
                "SELECT 1 FROM claim_sources WHERE claim_id = ? AND source_id = ?",
                (claim_id, source_id),
            ).fetchone()
            if linked:
                conn.execute(
                    "UPDATE claim_sources SET relation = ?, note = ? "
                    "WHERE claim_id = ? AND source_id = ?",
                    (relation, note, claim_id, source_id),
                )
            else:
                conn.execute(
                    "INSERT INTO claim_sources(claim_id, source_id, relation, note, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (claim_id, source_id, relation, note, now),
                )
            self._event(
                conn,
                claim_id,
                source_id,
                actor,
                "source",
                {"url": url, "relation": relation, "note": note},
            )
            if row["status"] == "unchecked":
                conn.execute(
                    "UPDATE claims SET status = 'in_progress', updated_at = ? WHERE id = ?",
                    (now, claim_id),
                )
                self._event(
                    conn,
                    claim_id,
                    None,
                    actor,
                    "status",
                    {"from": "unchecked", "to": "in_progress"},
                )
        return source_id

    def detach_source(self, claim_id: int, source_id: int, *, actor: str | None = None) -> None:
        self._require_claim(claim_id)
        with self._write() as conn:
            cur = conn.execute(
                "DELETE FROM claim_sources WHERE claim_id = ? AND source_id = ?",
                (claim_id, source_id),
            )
            if cur.rowcount == 0:
                linked = conn.execute(
                    "SELECT 1 FROM claim_sources WHERE claim_id = ? AND source_id = ?",
                    (claim_id, source_id),
                ).fetchone()
                if linked:  # hidden from the delete by the team's row-level security
                    raise ProjectError(
                        f"Removing source {source_id}, which someone else attached to claim "
                        f"{claim_id}, needs the editor role."
                    )
                raise NotFoundError(f"Source {source_id} is not attached to claim {claim_id}.")
            self._event(conn, claim_id, source_id, actor, "unsource", {})

    def claim_sources(self, claim_id: int) -> list[ClaimSource]:
        rows = self._query(
            "SELECT cs.claim_id, cs.relation, cs.note AS link_note, cs.created_at AS linked_at, s.* "
            "FROM claim_sources cs JOIN sources s ON s.id = cs.source_id "
            "WHERE cs.claim_id = ? ORDER BY cs.created_at, s.id",
            (claim_id,),
        )
        return [
            ClaimSource(
                r["claim_id"],
                _source_record(r),
                r["relation"],
                r["link_note"] or "",
                r["linked_at"],
            )
            for r in rows
        ]

    def sources(self) -> list[SourceRecord]:
        return [_source_record(r) for r in self._query("SELECT * FROM sources ORDER BY id")]

    def source(self, source_id: int) -> SourceRecord:
        rows = self._query("SELECT * FROM sources WHERE id = ?", (source_id,))
        if not rows:
            raise NotFoundError(f"There is no source {source_id} in this project.")
        return _source_record(rows[0])

    def source_claims(self, source_id: int) -> list[tuple[int, str]]:
        """(claim id, relation) for every live claim the source bears on."""
        return [
            (r["claim_id"], r["relation"])
            for r in self._query(
                "SELECT cs.claim_id, cs.relation FROM claim_sources cs "
                "JOIN claims c ON c.id = cs.claim_id WHERE cs.source_id = ? AND c.deleted = 0 "
                "ORDER BY c.start",
                (source_id,),
            )
        ]

    def update_source(self, source_id: int, *, actor: str | None = None, **fields: Any) -> None:
        allowed = {"title", "publisher", "published", "notes", "evaluation"}
        unknown = set(fields) - allowed
        if unknown:
            raise InvalidInputError(f"Sources have no field {', '.join(sorted(unknown))}.")
        self.source(source_id)
        if "evaluation" in fields and fields["evaluation"] is not None:
            fields["evaluation"] = json.dumps(fields["evaluation"], sort_keys=True)
        if not fields:
            return
        sets = ", ".join(f"{k} = ?" for k in fields)
        with self._write() as conn:
            conn.execute(f"UPDATE sources SET {sets} WHERE id = ?", (*fields.values(), source_id))
            self._event(conn, None, source_id, actor, "source-edit", {"fields": sorted(fields)})

    # ------------------------------------------------------------------ snapshots
    def add_snapshot(
        self,
        source_id: int,
        snapshot: Snapshot,
        *,
        text: str = "",
        title: str = "",
        author: str = "",
        published: str | None = None,
    ) -> int:
        """Store a fetched copy; the body is kept compressed and read back only on demand."""
        self.source(source_id)
        with self._write() as conn:
            snapshot_id = rows.insert_snapshot_row(
                conn,
                source_id,
                snapshot,
                text=text,
                title=title,
                author=author,
                published=published,
            )
            conn.execute(
                "UPDATE sources SET fetch_error = NULL, fetch_error_kind = NULL, "
                "fetch_attempted_at = ?, title = CASE WHEN title = '' THEN ? ELSE title END "
                "WHERE id = ?",
                (snapshot.fetched_at, title, source_id),
            )
            self._event(
                conn,
                None,
                source_id,
                None,
                "snapshot",
                {
                    "archive": snapshot.archive,
                    "sha256": snapshot.sha256,
                    # `workbench history` says which capture and where it is kept
                    "captured_at": snapshot.captured_at,
                    "snapshot": snapshot_id,
                },
            )
            return snapshot_id

    def record_fetch_error(self, source_id: int, kind: str, reason: str) -> None:
        self.source(source_id)
        with self._write() as conn:
            conn.execute(
                "UPDATE sources SET fetch_error = ?, fetch_error_kind = ?, fetch_attempted_at = ? "
                "WHERE id = ?",
                (reason, kind, utc_now_iso(), source_id),
            )
            self._event(
                conn, None, source_id, None, "fetch-error", {"kind": kind, "reason": reason}
            )

    def snapshots(self, source_id: int | None = None) -> list[SnapshotRecord]:
        cols = (
            "id, source_id, original_url, archive, archive_url, captured_at, fetched_at, "
            "http_status, content_type, sha256, size, encoding, title, author, published, flags, note"
        )
        if source_id is None:
            rows = self._query(f"SELECT {cols} FROM snapshots ORDER BY id")
        else:
            rows = self._query(
                f"SELECT {cols} FROM snapshots WHERE source_id = ? ORDER BY id", (source_id,)
            )
        return [_snapshot_record(r) for r in rows]

    def latest_snapshot(self, source_id: int) -> SnapshotRecord | None:
        snaps = self.snapshots(source_id)
        return snaps[-1] if snaps else None

    def snapshot_text(self, snapshot_id: int) -> str:
        rows = self._query("SELECT text FROM snapshots WHERE id = ?", (snapshot_id,))
        if not rows:
            raise NotFoundError(f"There is no snapshot {snapshot_id} in this project.")
        return rows[0]["text"] or ""

    def snapshot_body(self, snapshot_id: int) -> bytes:
        """The original bytes; their SHA-256 is checked against the one stored at fetch time."""
        rows = self._query("SELECT body, sha256, size FROM snapshots WHERE id = ?", (snapshot_id,))
        if not rows:
            raise NotFoundError(f"There is no snapshot {snapshot_id} in this project.")
        body = inflate_body(rows[0]["body"] or b"", snapshot_id, rows[0]["size"])
        if hashlib.sha256(body).hexdigest() != rows[0]["sha256"]:
            raise ProjectError(
                f"Snapshot {snapshot_id} no longer matches its SHA-256; the stored copy was altered."
            )
        return body

    # ------------------------------------------------------------------ issue 14: pages over time
    def capture_listing(self, source_id: int) -> list[CaptureRecord]:
        """The captures the archives listed for a source, oldest first."""
        rows = self._query(
            "SELECT * FROM captures WHERE source_id = ? ORDER BY timestamp, archive, id",
            (source_id,),
        )
        return [_capture_record(r) for r in rows]

    def set_capture_listing(
        self, source_id: int, archives: Iterable[str], rows: Iterable[dict[str, Any]]
    ) -> None:
        """Replace the listing of the archives that answered; others keep what they listed."""
        self.source(source_id)
        now = utc_now_iso()
        with self._write() as conn:
            for archive in set(archives):
                conn.execute(
                    "DELETE FROM captures WHERE source_id = ? AND archive = ?", (source_id, archive)
                )
            conn.executemany(
                "INSERT OR REPLACE INTO captures(source_id, archive, original_url, archive_url, "
                "timestamp, captured_at, digest, http_status, mimetype, length, duplicates, "
                "listed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        source_id,
                        row["archive"],
                        row.get("original_url"),
                        row["archive_url"],
                        row["timestamp"],
                        row.get("captured_at"),
                        row.get("digest"),
                        row.get("http_status"),
                        row.get("mimetype"),
                        row.get("length"),
                        int(row.get("duplicates") or 0),
                        now,
                    )
                    for row in rows
                ],
            )

    def article_versions(self) -> list[ArticleVersion]:
        """Every text the article has had, oldest first (version 1 is the text it was made from)."""
        art = self.article()
        rows = self._query(
            "SELECT id, version, title, byline, published, url, raw_sha256, source_kind, "
            "encoding, loaded_at, origin, archive_url, captured_at, length(text) AS chars "
            "FROM article_versions WHERE article_id = ? ORDER BY version",
            (art.id,),
        )
        if not rows:  # a file made without versions (practice exercises, JSON imports)
            return [
                ArticleVersion(0, 1, art.title, art.byline, art.published, art.url,
                               art.raw_sha256, art.source_kind, art.encoding, art.loaded_at,
                               "loaded", None, None, len(art.text))
            ]  # fmt: skip
        return [_article_version(r) for r in rows]

    def article_version_text(self, version: int) -> str:
        art = self.article()
        rows = self._query(
            "SELECT text FROM article_versions WHERE article_id = ? AND version = ?",
            (art.id, version),
        )
        if rows:
            return rows[0]["text"]
        if version == 1 and not self._query("SELECT 1 FROM article_versions LIMIT 1"):
            return art.text
        raise NotFoundError(f"The article has no version {version}.")

    def claim_anchor(self, claim_id: int) -> dict[str, Any] | None:
        """How the claim was re-anchored at the last revision (see schema.CLAIM_ANCHOR_COLUMNS)."""
        row = self._require_claim(claim_id)
        detail = row["anchor_detail"]
        return stored_json(detail, f"Claim {claim_id}'s anchoring", dict) if detail else None

    def add_article_version(
        self,
        article: Article,
        anchors: Iterable[ClaimAnchor],
        new_claims: Iterable[ClaimCandidate],
        *,
        origin: str,
        archive_url: str | None = None,
        captured_at: str | None = None,
        actor: str | None = None,
    ) -> int:
        """Keep a revised text of the article: it becomes the current text, the old one stays a
        version, every claim moves to its new place (or is marked gone) with its verdicts, and
        the revision's new sentences become unchecked claims. One transaction; the number of
        the new version is returned."""
        old = self.article()
        now = utc_now_iso()
        with self._write() as conn:
            if not conn.execute(
                "SELECT 1 FROM article_versions WHERE article_id = ?", (old.id,)
            ).fetchone():
                _insert_version(conn, old.id, 1, "loaded", None, None)
            version = (
                1
                + conn.execute(
                    "SELECT max(version) FROM article_versions WHERE article_id = ?", (old.id,)
                ).fetchone()[0]
            )
            conn.execute(
                "UPDATE articles SET title = ?, byline = ?, published = ?, url = ?, text = ?, "
                "raw = ?, raw_sha256 = ?, source_kind = ?, encoding = ?, loaded_at = ? "
                "WHERE id = ?",
                (
                    article.title or old.title,
                    article.byline or old.byline,
                    article.published or old.published,
                    kept_url(article.url) or old.url,
                    article.text,
                    article.raw,
                    hashlib.sha256(article.raw).hexdigest(),
                    article.source_kind,
                    article.encoding,
                    now,
                    old.id,
                ),
            )
            _insert_version(conn, old.id, version, origin, archive_url, captured_at)
            conn.execute("DELETE FROM links WHERE article_id = ?", (old.id,))
            conn.executemany(
                'INSERT INTO links(article_id, start, "end", href, text) VALUES (?, ?, ?, ?, ?)',
                [
                    (old.id, lk.start, lk.end, kept_url(lk.href) or lk.href, lk.text)
                    for lk in article.links
                ],
            )
            states: dict[str, int] = {}
            for anchor in anchors:
                states[anchor.state] = states.get(anchor.state, 0) + 1
                conn.execute(
                    'UPDATE claims SET start = ?, "end" = ?, quotes = ?, anchor_state = ?, '
                    "anchor_detail = ?, anchor_version = ?, updated_at = ? WHERE id = ?",
                    (
                        anchor.start,
                        anchor.end,
                        _quotes_json(anchor.quotes),
                        anchor.state,
                        json.dumps(anchor.detail, ensure_ascii=False),
                        version,
                        now,
                        anchor.claim_id,
                    ),
                )
            added = []
            for cand in new_claims:
                claim_id = _insert_claim(conn, old.id, cand, "revision", now)
                conn.execute(
                    "UPDATE claims SET anchor_state = 'new', anchor_version = ? WHERE id = ?",
                    (version, claim_id),
                )
                added.append(claim_id)
            self._event(
                conn,
                None,
                None,
                actor,
                "article-revision",
                {"version": version, "origin": origin, "claims": states, "new_claims": added},
            )
        self._article_cache = None
        return int(version)

    # ------------------------------------------------------------------ events
    def _event(
        self,
        conn: sqlite3.Connection,
        claim_id: int | None,
        source_id: int | None,
        actor: str | None,
        action: str,
        detail: dict[str, Any],
    ) -> None:
        cur = conn.execute(
            "INSERT INTO events(claim_id, source_id, at, actor, action, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                claim_id,
                source_id,
                utc_now_iso(),
                self._who(actor),
                action,
                json.dumps(detail, ensure_ascii=False),
            ),
        )
        self._pending_events.append(int(cur.lastrowid or 0))

    def _who(self, actor: str | None) -> str:
        """The actor of an edit: in a team project the server login (the server enforces it
        too), else the name given or the default."""
        if self.is_team:
            return str(self._backend.login)
        return actor or default_actor()

    def last_event_id(self) -> int:
        """The newest event in the project: a mark to ask later what changed after it."""
        return int(self._query("SELECT coalesce(max(id), 0) AS n FROM events")[0]["n"])

    def changes_by_others(
        self, claim_ids: Iterable[int], after: int, *, source_ids: Iterable[int] = ()
    ) -> list[EventRecord]:
        """Edits of these claims (or of these sources' descriptions) after the mark `after` that
        this connection did not write: made since by another window or process, so an undo must
        not overwrite them. A fetch adding a copy of a source is not an edit of it."""
        claims, sources = sorted(set(claim_ids)), sorted(set(source_ids))
        if not claims and not sources:
            return []
        where = []
        if claims:
            where.append(f"claim_id IN ({', '.join('?' for _ in claims)})")
        if sources:
            where.append(
                f"(action = 'source-edit' AND source_id IN ({', '.join('?' for _ in sources)}))"
            )
        rows = self._query(
            f"SELECT * FROM events WHERE id > ? AND ({' OR '.join(where)}) ORDER BY id",
            (after, *claims, *sources),
        )
        return [_event_record(r) for r in rows if r["id"] not in self._own_events]


# ---------------------------------------------------------------------- helpers
def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _quotes_json(quotes: Iterable[Quote]) -> str:
    return json.dumps([{"start": q.start, "end": q.end, "speaker": q.speaker} for q in quotes])


def _insert_claim(
    conn: sqlite3.Connection, article_id: int, cand: ClaimCandidate, origin: str, now: str
) -> int:
    return rows.insert_claim_row(conn, article_id, cand, origin, now)


def _ensure_source(conn: sqlite3.Connection, url: str, title: str, now: str) -> int:
    url = require_web_url(url, what="The source address")  # every source row is made here
    row = conn.execute("SELECT id FROM sources WHERE url = ?", (url,)).fetchone()
    if row:
        return int(row[0])
    return rows.insert_source_row(conn, url, now, title=title)


def _insert_article(
    conn: Any,
    article: Article,
    claims: Iterable[ClaimCandidate],
    now: str,
    actor: str,
) -> None:
    article_id = rows.insert_article_row(conn, article, now)
    spans: list[tuple[int, int, int]] = []
    for cand in claims:
        spans.append((cand.start, cand.end, _insert_claim(conn, article_id, cand, "auto", now)))
    cite_article_links(conn, article.links, spans, now, actor=actor)


def cite_article_links(
    conn: sqlite3.Connection,
    links: Iterable[Link],
    spans: Iterable[tuple[int, int, int]],
    now: str,
    *,
    actor: str | None,
) -> None:
    """The article's own links become 'cited' sources of the claims they sit in.

    spans are (start, end, claim id). With actor None no events are written: an exercise file
    must hold no history at all."""
    ordered = sorted(spans)
    starts = [s for s, _, _ in ordered]
    for link in links:
        url = kept_url(link.href)  # never a password that was in the link
        if url is None:
            continue
        i = bisect.bisect_right(starts, link.start) - 1
        if i < 0 or not (ordered[i][0] <= link.start < ordered[i][1]):
            continue
        claim_id = ordered[i][2]
        source_id = _ensure_source(conn, url, "", now)
        conn.execute(
            "INSERT INTO claim_sources(claim_id, source_id, relation, note, created_at) "
            "VALUES (?, ?, 'cited', ?, ?) ON CONFLICT DO NOTHING",
            (claim_id, source_id, f"Linked in the article as “{link.text}”", now),
        )
        if actor is not None:
            conn.execute(
                "INSERT INTO events(claim_id, source_id, at, actor, action, detail) "
                "VALUES (?, ?, ?, ?, 'source', ?)",
                (
                    claim_id,
                    source_id,
                    now,
                    actor,
                    json.dumps({"url": url, "relation": "cited"}),
                ),
            )


def _claim_records(rows: Iterable[sqlite3.Row]) -> list[ClaimRecord]:
    """Records from rows of _CLAIM_COLUMNS, read by position: this is the hot path of opening a
    project (20,000 claims), where name lookups and JSON decoding dominated. Equal JSON strings
    (most claims have no quotes; reasons repeat) are decoded once."""
    reasons_seen: dict[str, tuple[str, ...]] = {}
    quotes_seen: dict[str, tuple[Quote, ...]] = {}
    records = []
    for r in rows:
        (cid, start, end, text, kind, score, reasons, quotes, status, status_note, origin,
         deleted, created_at, updated_at, rating, rationale, rated_by, rated_at, n_sources,
         anchor_state, assigned_to) = r  # fmt: skip
        reasons = reasons or "[]"
        quotes = quotes or "[]"
        if reasons not in reasons_seen:
            reasons_seen[reasons] = tuple(stored_json(reasons, f"Claim {cid}'s reasons", list))
        if quotes not in quotes_seen:
            quotes_seen[quotes] = _quotes(stored_json(quotes, f"Claim {cid}'s quotations", list))
        records.append(
            ClaimRecord(
                id=cid,
                start=start,
                end=end,
                text=text,
                kind=kind or "other",
                score=float(score or 0.0),
                reasons=reasons_seen[reasons],
                quotes=quotes_seen[quotes],
                status=status,
                status_note=status_note or "",
                origin=origin or "auto",
                rating=rating,
                rationale=rationale or "",
                rated_by=rated_by,
                rated_at=rated_at,
                source_count=int(n_sources or 0),
                created_at=created_at or "",
                updated_at=updated_at or "",
                deleted=bool(deleted),
                anchor_state=anchor_state,
                assigned_to=assigned_to,
            )
        )
    return records


def _source_record(r: sqlite3.Row) -> SourceRecord:
    return SourceRecord(
        id=r["id"],
        url=r["url"],
        title=r["title"] or "",
        publisher=r["publisher"] or "",
        published=r["published"],
        notes=r["notes"] or "",
        evaluation=(
            stored_json(r["evaluation"], f"Source {r['id']}'s evaluation", dict)
            if r["evaluation"]
            else None
        ),
        fetch_error=r["fetch_error"],
        fetch_error_kind=r["fetch_error_kind"],
        fetch_attempted_at=r["fetch_attempted_at"],
        created_at=r["created_at"] or "",
    )


# No stored copy is larger (fetches stop at 20 MB, WARC records too), and a project from someone
# else may hold a compressed bomb: a few MB that inflate to many GB.
MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024


def inflate_body(stored: bytes, snapshot_id: int, size: object = None) -> bytes:
    """A snapshot's body from its stored, compressed form, never inflated past its recorded
    size (nor MAX_SNAPSHOT_BYTES); one line if it is damaged or longer than recorded."""
    altered = f"Snapshot {snapshot_id}'s stored copy is damaged or was altered; fetch it again."
    if not stored:
        return b""
    limit = (
        min(size, MAX_SNAPSHOT_BYTES) if isinstance(size, int) and size >= 0 else MAX_SNAPSHOT_BYTES
    )
    inflater = zlib.decompressobj()
    try:
        body = inflater.decompress(stored, limit + 1)
    except zlib.error:
        raise ProjectError(altered) from None
    if len(body) > limit or inflater.unconsumed_tail or not inflater.eof:
        raise ProjectError(altered)
    return body


def stored_json(text: str, what: str, kind: type) -> Any:
    """A JSON value stored in a project column. A damaged or crafted file may hold anything
    there (broken JSON, 100,000 nested brackets, an object where a list belongs): one line
    naming what is damaged, never a traceback in every command and in the window."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        value = None
    if not isinstance(value, kind):
        raise ProjectError(f"{what} in this project cannot be read: the file is damaged.")
    return value


def _quotes(items: list[Any]) -> tuple[Quote, ...]:
    try:
        return tuple(Quote(int(q["start"]), int(q["end"]), q.get("speaker")) for q in items)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ProjectError(
            "A claim's quotations in this project cannot be read: the file is damaged."
        ) from None


def _event_record(r: sqlite3.Row) -> EventRecord:
    return EventRecord(
        r["id"],
        r["claim_id"],
        r["source_id"],
        r["at"],
        r["actor"] or "",
        r["action"],
        stored_json(r["detail"] or "{}", f"History event {r['id']}", dict),
    )


def _insert_version(
    conn: sqlite3.Connection,
    article_id: int,
    version: int,
    origin: str,
    archive_url: str | None,
    captured_at: str | None,
) -> None:
    """The article row as it is now, kept as version `version`."""
    conn.execute(
        "INSERT INTO article_versions(article_id, version, title, byline, published, url, text, "
        "raw, raw_sha256, source_kind, encoding, loaded_at, origin, archive_url, captured_at) "
        "SELECT id, ?, title, byline, published, url, text, raw, raw_sha256, source_kind, "
        "encoding, loaded_at, ?, ?, ? FROM articles WHERE id = ?",
        (version, origin, archive_url, captured_at, article_id),
    )


def _article_version(r: sqlite3.Row) -> ArticleVersion:
    return ArticleVersion(
        id=r["id"],
        version=r["version"],
        title=r["title"] or "",
        byline=r["byline"] or "",
        published=r["published"],
        url=r["url"],
        raw_sha256=r["raw_sha256"] or "",
        source_kind=r["source_kind"] or "text",
        encoding=r["encoding"],
        loaded_at=r["loaded_at"] or "",
        origin=r["origin"] or "loaded",
        archive_url=r["archive_url"],
        captured_at=r["captured_at"],
        chars=int(r["chars"] or 0),
    )


def _capture_record(r: sqlite3.Row) -> CaptureRecord:
    return CaptureRecord(
        id=r["id"],
        source_id=r["source_id"],
        archive=r["archive"],
        original_url=r["original_url"] or "",
        archive_url=r["archive_url"],
        timestamp=r["timestamp"],
        captured_at=r["captured_at"],
        digest=r["digest"] or "",
        http_status=r["http_status"],
        mimetype=r["mimetype"] or "",
        length=r["length"],
        duplicates=int(r["duplicates"] or 0),
        listed_at=r["listed_at"] or "",
    )


def _snapshot_record(r: sqlite3.Row) -> SnapshotRecord:
    return SnapshotRecord(
        id=r["id"],
        source_id=r["source_id"],
        original_url=r["original_url"] or "",
        archive=r["archive"] or "",
        archive_url=r["archive_url"],
        captured_at=r["captured_at"],
        fetched_at=r["fetched_at"] or "",
        http_status=r["http_status"],
        content_type=r["content_type"],
        sha256=r["sha256"] or "",
        size=int(r["size"] or 0),
        encoding=r["encoding"],
        title=r["title"] or "",
        author=r["author"] or "",
        published=r["published"],
        flags=tuple(stored_json(r["flags"] or "[]", f"Snapshot {r['id']}'s flags", list)),
        note=r["note"] or "",
    )


def _analyse_span(text: str, start: int, end: int) -> ClaimCandidate:
    """The finder's reading of a span (kind, score, quotes). Imported on first use: opening and
    showing a project never finds claims, and the finder compiles some thirty patterns."""
    from workbench.core.claims.finder import analyse_span

    return analyse_span(text, start, end)
