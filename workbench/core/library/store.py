"""The fact-check library: one SQLite file with an FTS5 index and a vector per entry.

Plain sqlite3 rather than sqlite-utils: the FTS5 index is an external-content table kept in
step by triggers, and imports write tens of thousands of rows in one transaction.

Vectors are WordLlama sentence embeddings stored as float16 BLOBs (512 bytes a row); searching
loads them once into one numpy matrix, so 100 claims against 100,000 entries is a single
matrix product. sqlite-vec would add a native extension to install on every platform for no
gain at this size: a brute-force product over 100,000 rows takes tens of milliseconds.

Entries from projects are written without a vector (so that `workbench verdict` stays fast) and
embedded by the next search that needs them.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from workbench.core.embedding import DIMENSIONS
from workbench.core.errors import WorkbenchError
from workbench.core.library.model import (
    KIND_IMPORT,
    KIND_PROJECT,
    FactCheck,
    ImportReport,
    LibraryEntry,
)
from workbench.core.library.paths import library_path
from workbench.core.library.text import normalize_claim

SCHEMA_VERSION = 4  # 2: entries_vocab (document frequencies for choosing query words)
# What upgrading a library from an older version does beyond SCHEMA (which is all IF NOT EXISTS).
# 3: a project verdict no longer carries its article's headline as its title (projects.py says
# why); its words change, so its vector (made from claim + headline) is dropped and remade by
# the next search. Run again by a second writer that waited, it finds nothing left to do.
MIGRATIONS = {
    3: "UPDATE entries SET title = '', vector = NULL WHERE kind = 'project' AND title <> '';",
    # 4: the changes table (in SCHEMA); nothing to convert.
}
_CHECK_FIELDS = [f.name for f in fields(FactCheck)]
_LIST_FIELDS = {"appearances", "sources"}

TOKENIZE = "porter unicode61 remove_diacritics 2"
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    origin TEXT NOT NULL,
    claim_id INTEGER,
    digest TEXT NOT NULL,
    {", ".join(f"{name} {'REAL' if name.endswith('_rating') or name == 'rating_value' else 'TEXT'}" for name in _CHECK_FIELDS)},
    vector BLOB
);
CREATE INDEX IF NOT EXISTS entries_origin ON entries(kind, origin);
CREATE VIRTUAL TABLE IF NOT EXISTS entries_fts USING fts5(
    claim_reviewed, title, content='entries', content_rowid='id', tokenize='{TOKENIZE}'
);
CREATE VIRTUAL TABLE IF NOT EXISTS entries_vocab USING fts5vocab(entries_fts, 'row');
-- What each write changed (version 4), so that a process holding the vectors and vocabulary
-- updates them instead of reading everything again: per write (its generation), each entry it
-- added, changed or removed, with its words before the write (NULL when it is new; id 0 marks
-- a write that changed no entry). Large writes are not logged (LOG_AT_MOST): a gap in the
-- generations means "read everything again", and so does a write by an older version.
CREATE TABLE IF NOT EXISTS changes (
    generation INTEGER NOT NULL,
    id INTEGER NOT NULL,
    claim_reviewed TEXT,
    title TEXT,
    PRIMARY KEY (generation, id)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS entries_ai AFTER INSERT ON entries BEGIN
    INSERT INTO entries_fts(rowid, claim_reviewed, title)
    VALUES (new.id, new.claim_reviewed, new.title);
END;
CREATE TRIGGER IF NOT EXISTS entries_ad AFTER DELETE ON entries BEGIN
    INSERT INTO entries_fts(entries_fts, rowid, claim_reviewed, title)
    VALUES ('delete', old.id, old.claim_reviewed, old.title);
END;
CREATE TRIGGER IF NOT EXISTS entries_au AFTER UPDATE OF claim_reviewed, title ON entries BEGIN
    INSERT INTO entries_fts(entries_fts, rowid, claim_reviewed, title)
    VALUES ('delete', old.id, old.claim_reviewed, old.title);
    INSERT INTO entries_fts(rowid, claim_reviewed, title)
    VALUES (new.id, new.claim_reviewed, new.title);
END;
"""


class LibraryError(WorkbenchError):
    """The library file cannot be opened or written."""


def import_key(check: FactCheck) -> str:
    """Same review URL and same claim (ignoring case, quotes, spacing) = same entry."""
    basis = f"{check.url.strip()}\n{normalize_claim(check.claim_reviewed)}"
    return "import:" + hashlib.sha1(basis.encode("utf-8")).hexdigest()


def project_key(project: str, claim_id: int) -> str:
    return f"project:{project}#{claim_id}"


def _digest(check: FactCheck) -> str:
    return hashlib.sha1(repr(_row_values(check)).encode("utf-8")).hexdigest()


def entry_digest(check: FactCheck) -> str:
    """What an entry's fields hash to: equal digests, nothing to write."""
    return _digest(check)


def _embedding_text(claim: str, title: str) -> str:
    return (
        claim
        if not title or normalize_claim(title) in normalize_claim(claim)
        else f"{claim} {title}"
    )


def _row_values(check: FactCheck) -> list[object]:
    values: list[object] = []
    for name in _CHECK_FIELDS:
        value = getattr(check, name)
        values.append(json.dumps(list(value)) if name in _LIST_FIELDS else value)
    return values


def _check_from_row(row: sqlite3.Row) -> FactCheck:
    kwargs: dict[str, object] = {}
    for name in _CHECK_FIELDS:
        value = row[name]
        if name in _LIST_FIELDS:
            value = tuple(json.loads(value or "[]"))
        elif value is None and not (name.endswith("_rating") or name == "rating_value"):
            value = ""
        kwargs[name] = value
    return FactCheck(**kwargs)  # type: ignore[arg-type]


_BUMP = (  # a write's mark: the caches of vectors and vocabulary are read again after it
    "INSERT INTO meta(name, value) VALUES ('generation', '1') ON CONFLICT(name) "
    "DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
)
OPEN_PATIENCE_S = 10.0
# A write touching more entries than this is not logged in `changes` (readers then read the
# whole library again, which costs about what updating would); the log keeps this many writes.
LOG_AT_MOST = 2000
LOG_KEEP = 500
Before = list[tuple[int, "str | None", "str | None"]]  # (id, claim, title) before a write
# An import (or a removal) of this many entries, and this share of the library, merges the
# full-text index afterwards (Library._optimize): its cost grows with the library.
OPTIMIZE_AT_LEAST = 1000
OPTIMIZE_SHARE = 0.1


def _open_connection(target: Path) -> sqlite3.Connection:
    """A connection to the library at `target`, made and upgraded to this version if needed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(target, timeout=30, isolation_level=None)
    try:
        db.row_factory = sqlite3.Row
        # WAL is kept by the file: set it once, since changing it needs the file to itself.
        if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise LibraryError(f"The fact-check library {target} was written by a newer Workbench.")
        if version < SCHEMA_VERSION:
            # One writer makes (or upgrades) the schema; another waiting for it then finds every
            # statement already done (they are all IF NOT EXISTS).
            steps = " ".join(sql for v, sql in sorted(MIGRATIONS.items()) if v > version)
            try:
                db.executescript(
                    f"BEGIN IMMEDIATE; {SCHEMA}; {steps} {_BUMP}; "
                    f"PRAGMA user_version={SCHEMA_VERSION}; COMMIT;"
                )
            except sqlite3.Error:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
    except BaseException:
        db.close()
        raise
    return db


class Library:
    """An open library file. One per thread: connections are not shared across threads."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: Path | str | None = None) -> Library:
        target = Path(path) if path is not None else library_path()
        # SQLite answers "database is locked" at once, without waiting, in a few moments of a
        # WAL file's life (another process setting WAL or recovering the index on open); every
        # verdict command opens the library, so two at once met it. Such an answer is retried
        # for a few seconds; anything else, and a lock that lasts, is reported.
        deadline = time.monotonic() + OPEN_PATIENCE_S
        pause = 0.02
        while True:
            try:
                return cls(target, _open_connection(target))
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                    raise LibraryError(
                        f"The fact-check library {target} cannot be opened: {exc}."
                    ) from exc
            except sqlite3.DatabaseError as exc:
                raise LibraryError(
                    f"The fact-check library {target} cannot be opened: {exc}."
                ) from exc
            time.sleep(pause)
            pause = min(pause * 2, 0.5)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # ------------------------------------------------------------------ writing
    def add_imported(
        self, checks: Iterable[FactCheck], origin: str, *, batch: int = 5000
    ) -> ImportReport:
        """Add or update published fact checks read from `origin` (a file path)."""
        report = ImportReport()
        chunk: list[tuple[str, FactCheck]] = []
        for check in checks:
            chunk.append((import_key(check), check))
            if len(chunk) >= batch:
                report += self._upsert(chunk, KIND_IMPORT, origin, None)
                chunk = []
        if chunk:
            report += self._upsert(chunk, KIND_IMPORT, origin, None)
        self.merge_index_if_large(report.added + report.updated)
        return report

    def merge_index_if_large(self, changed: int, size: int | None = None) -> bool:
        """After `changed` entries were written or removed: merge the full-text index when they
        were many (OPTIMIZE_AT_LEAST, and OPTIMIZE_SHARE of `size`, the library as it is
        unless given). Local imports and removals do, and so does a team mirror's pull: a new
        desk's first pull of 100,000 entries otherwise left the index in one segment per batch
        for every search after it. Returns whether it merged."""
        size = self.count() if size is None else size
        if changed < max(OPTIMIZE_AT_LEAST, OPTIMIZE_SHARE * size):
            return False
        self._optimize()
        return True

    def _optimize(self) -> None:
        """Merges the full-text index into one segment. An import writes it in many (one per
        transaction, merged only in part as it goes), and every query word is looked up in each:
        at 100,000 entries the merge costs ~0.13 s of CPU once and saves ~0.05-0.07 s of the
        FTS5 queries of every 100-claim search after it (~0.5 s)."""
        with self._transaction() as db:
            db.execute("INSERT INTO entries_fts(entries_fts) VALUES ('optimize')")

    def sync_project(self, project: str, checks: dict[int, FactCheck]) -> ImportReport:
        """Make the library's entries for `project` exactly its rated claims (id -> check)."""
        existing = {
            row[0]
            for row in self._db.execute(
                "SELECT claim_id FROM entries WHERE kind=? AND origin=?", (KIND_PROJECT, project)
            )
        }
        gone = existing - set(checks)
        report = self._upsert(
            [(project_key(project, cid), c) for cid, c in checks.items()],
            KIND_PROJECT,
            project,
            list(checks),
            embed=False,
            delete_ids=sorted(gone),
        )
        return report

    def _upsert(
        self,
        items: Sequence[tuple[str, FactCheck]],
        kind: str,
        origin: str,
        claim_ids: list[int] | None,
        *,
        embed: bool = True,
        delete_ids: Sequence[int] = (),
    ) -> ImportReport:
        # The last of several rows with one key wins, as a re-import of a corrected feed would.
        latest: dict[str, tuple[FactCheck, int | None]] = {}
        for i, (key, check) in enumerate(items):
            latest[key] = (check, claim_ids[i] if claim_ids else None)
        keys = list(latest)
        known: dict[str, tuple[str, str, str]] = {}
        for start in range(0, len(keys), 900):
            part = keys[start : start + 900]
            marks = ",".join("?" * len(part))
            for row in self._db.execute(
                f"SELECT key, digest, claim_reviewed, title FROM entries WHERE key IN ({marks})",
                part,
            ):
                known[row[0]] = (row[1], row[2], row[3])
        new, changed = [], []
        for key, (check, claim_id) in latest.items():
            digest = _digest(check)
            if key not in known:
                new.append((key, check, claim_id, digest))
            elif known[key][0] != digest:
                text_changed = known[key][1:] != (check.claim_reviewed, check.title)
                changed.append((key, check, claim_id, digest, text_changed))
        vectors: dict[str, bytes] = {}
        if embed:
            to_embed = [(k, c) for k, c, *_ in new] + [(k, c) for k, c, _, _, t in changed if t]
            vectors = self._embed_many(to_embed)
        columns = ", ".join(_CHECK_FIELDS)
        marks = ", ".join("?" * (len(_CHECK_FIELDS) + 6))
        sets = ", ".join(f"{name}=?" for name in _CHECK_FIELDS)
        touched = [key for key, *_ in new] + [key for key, *_ in changed]
        with self._transaction() as db:
            log = len(touched) + len(delete_ids) <= LOG_AT_MOST
            before: Before = []
            if log:
                before = self._rows_of(db, "key", touched) + [
                    row
                    for cid in delete_ids
                    for row in db.execute(
                        "SELECT id, claim_reviewed, title FROM entries "
                        "WHERE kind=? AND origin=? AND claim_id=?",
                        (kind, origin, cid),
                    )
                ]
            if delete_ids:
                db.executemany(
                    "DELETE FROM entries WHERE kind=? AND origin=? AND claim_id=?",
                    [(kind, origin, cid) for cid in delete_ids],
                )
            # An upsert: the keys were read before this transaction (embedding them must not
            # hold the write lock), so another process may have added one since — two
            # `workbench verdict` commands on one project, or a window and a command.
            db.executemany(
                f"INSERT INTO entries (key, kind, origin, claim_id, digest, vector, {columns}) "
                f"VALUES ({marks}) ON CONFLICT(key) DO UPDATE SET origin=excluded.origin, "
                "claim_id=excluded.claim_id, digest=excluded.digest, "
                "vector=COALESCE(excluded.vector, entries.vector), "
                + ", ".join(f"{name}=excluded.{name}" for name in _CHECK_FIELDS),
                [
                    (key, kind, origin, cid, digest, vectors.get(key), *_row_values(check))
                    for key, check, cid, digest in new
                ],
            )
            for key, check, cid, digest, text_changed in changed:
                vector_sql = ", vector=?" if text_changed else ""
                extra = [vectors.get(key)] if text_changed else []
                db.execute(
                    f"UPDATE entries SET origin=?, claim_id=?, digest=?, {sets}{vector_sql} "
                    "WHERE key=?",
                    [origin, cid, digest, *_row_values(check), *extra, key],
                )
            if new or changed or delete_ids:
                self._bump(db, self._log(db, before, touched) if log else None)
        return ImportReport(
            added=len(new), updated=len(changed), unchanged=len(latest) - len(new) - len(changed)
        )

    @staticmethod
    def embed_checks(items: Sequence[tuple[str, FactCheck]]) -> dict[str, bytes]:
        """key -> the check's vector as stored (float16 bytes); the team library sends these."""
        return Library._embed_many(items)

    @staticmethod
    def _embed_many(items: Sequence[tuple[str, FactCheck]]) -> dict[str, bytes]:
        from workbench.core.embedding import embed

        if not items:
            return {}
        matrix = embed([_embedding_text(c.claim_reviewed, c.title) for _, c in items])
        half = matrix.astype(np.float16)
        return {key: half[i].tobytes() for i, (key, _) in enumerate(items)}

    @staticmethod
    def _bump(db: sqlite3.Connection, changes: Before | None = None) -> None:
        """Marks a write (a new generation); with `changes` (the entries it touched, with their
        words before it), logs them for the readers' caches and forgets the oldest writes."""
        db.execute(_BUMP)
        if changes is None or len(changes) > LOG_AT_MOST:
            return
        generation = int(db.execute("SELECT value FROM meta WHERE name='generation'").fetchone()[0])
        db.executemany(
            "INSERT OR REPLACE INTO changes(generation, id, claim_reviewed, title) VALUES (?,?,?,?)",
            [(generation, *row) for row in changes] or [(generation, 0, None, None)],
        )
        db.execute("DELETE FROM changes WHERE generation <= ?", (generation - LOG_KEEP,))

    @staticmethod
    def _rows_of(db: sqlite3.Connection, column: str, values: Sequence[object]) -> Before:
        """(id, claim, title) of the entries whose `column` is one of `values`."""
        found: Before = []
        for start in range(0, len(values), 900):
            part = list(values[start : start + 900])
            found += db.execute(
                f"SELECT id, claim_reviewed, title FROM entries WHERE {column} IN "
                f"({','.join('?' * len(part))})",
                part,
            ).fetchall()
        return found

    def _log(self, db: sqlite3.Connection, before: Before, keys: Sequence[str]) -> Before:
        """The entries a write touched: those it found (words before it), and the ones it added
        under `keys` (no words before)."""
        seen = {row[0] for row in before}
        return before + [
            (i, None, None) for i, _, _ in self._rows_of(db, "key", keys) if i not in seen
        ]

    def remove_origin(self, kind: str, origin: str) -> int:
        """Remove every entry imported from a file, or taken from a project."""
        with self._transaction() as db:
            (n,) = db.execute(
                "SELECT count(*) FROM entries WHERE kind=? AND origin=?", (kind, origin)
            ).fetchone()
            before: Before | None = None
            if n <= LOG_AT_MOST:
                before = db.execute(
                    "SELECT id, claim_reviewed, title FROM entries WHERE kind=? AND origin=?",
                    (kind, origin),
                ).fetchall()
            removed = db.execute(
                "DELETE FROM entries WHERE kind=? AND origin=?", (kind, origin)
            ).rowcount
            if removed:
                self._bump(db, before)
        # The removed entries' words stay in the index, marked deleted, until it is merged: at
        # 100,000 entries less half of them, queries took ~0.27 s instead of ~0.23 s merged.
        self.merge_index_if_large(removed, self.count() + removed)
        return removed

    # ------------------------------------------------------------------ mirroring
    def apply_changes(
        self,
        rows: Sequence[tuple[str, str, str, int | None, str, bytes | None, FactCheck]],
        removed: Sequence[str],
        state: dict[str, str],
    ) -> None:
        """A team library mirror's pull, in one transaction: rows (key, kind, origin, claim id,
        digest, vector or None, check) written as the server has them, `removed` keys deleted,
        and `state` (how far the mirror has read) kept in meta with them.

        A row without a vector keeps the one embedded here while its words stay the same."""
        columns = ", ".join(_CHECK_FIELDS)
        marks = ", ".join("?" * (len(_CHECK_FIELDS) + 6))
        keys = [row[0] for row in rows]
        with self._transaction() as db:
            log = len(rows) + len(removed) <= LOG_AT_MOST
            before = self._rows_of(db, "key", [*keys, *removed]) if log else []
            for start in range(0, len(removed), 900):
                part = list(removed[start : start + 900])
                db.execute(f"DELETE FROM entries WHERE key IN ({','.join('?' * len(part))})", part)
            db.executemany(
                f"INSERT INTO entries (key, kind, origin, claim_id, digest, vector, {columns}) "
                f"VALUES ({marks}) ON CONFLICT(key) DO UPDATE SET kind=excluded.kind, "
                "origin=excluded.origin, claim_id=excluded.claim_id, digest=excluded.digest, "
                "vector=CASE WHEN excluded.vector IS NOT NULL THEN excluded.vector "
                "WHEN entries.claim_reviewed IS excluded.claim_reviewed "
                "AND entries.title IS excluded.title THEN entries.vector END, "
                + ", ".join(f"{name}=excluded.{name}" for name in _CHECK_FIELDS),
                [
                    (key, kind, origin, cid, digest, vector, *_row_values(check))
                    for key, kind, origin, cid, digest, vector, check in rows
                ],
            )
            db.executemany(
                "INSERT INTO meta(name, value) VALUES (?, ?) ON CONFLICT(name) "
                "DO UPDATE SET value=excluded.value",
                list(state.items()),
            )
            if rows or removed:
                self._bump(db, self._log(db, before, keys) if log else None)

    def clear(self) -> None:
        """Forget every entry (a mirror whose server library was made anew)."""
        with self._transaction() as db:
            db.execute("DELETE FROM entries")
            db.execute("DELETE FROM meta WHERE name <> 'generation'")
            self._bump(db)

    def meta_value(self, name: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE name=?", (name,)).fetchone()
        return str(row[0]) if row else None

    # ------------------------------------------------------------------ reading
    def generation(self) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE name='generation'").fetchone()
        return int(row[0]) if row else 0

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM entries").fetchone()[0])

    def stats(self) -> dict[str, object]:
        """Entries per origin, per publisher and per rating, for `workbench library stats`."""

        def grouped(sql: str) -> list[tuple[str, str, int]] | list[tuple[str, int]]:
            return [tuple(row) for row in self._db.execute(sql)]  # type: ignore[misc]

        return {
            "path": str(self.path),
            "entries": self.count(),
            "origins": grouped(
                "SELECT kind, origin, count(*) FROM entries GROUP BY kind, origin ORDER BY kind, origin"
            ),
            "publishers": grouped(
                "SELECT publisher, count(*) n FROM entries WHERE kind='import' "
                "GROUP BY publisher ORDER BY n DESC, publisher LIMIT 20"
            ),
            "ratings": grouped(
                "SELECT rating, count(*) n FROM entries GROUP BY rating ORDER BY n DESC, rating LIMIT 20"
            ),
        }

    def entries(self, ids: Sequence[int]) -> dict[int, LibraryEntry]:
        found: dict[int, LibraryEntry] = {}
        for start in range(0, len(ids), 900):
            part = list(ids[start : start + 900])
            marks = ",".join("?" * len(part))
            for row in self._db.execute(f"SELECT * FROM entries WHERE id IN ({marks})", part):
                found[row["id"]] = LibraryEntry(
                    row["id"], row["kind"], row["origin"], row["claim_id"], _check_from_row(row)
                )
        return found

    def project_entries(self, origin: str) -> dict[int, int]:
        """claim id -> entry id for one project's verdicts."""
        return {
            int(row[0]): int(row[1])
            for row in self._db.execute(
                "SELECT claim_id, id FROM entries WHERE kind=? AND origin=?", (KIND_PROJECT, origin)
            )
        }

    def texts(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """(claim, title) per id: what the matcher compares, without the rest of the row."""
        found: dict[int, tuple[str, str]] = {}
        for start in range(0, len(ids), 900):
            part = list(ids[start : start + 900])
            marks = ",".join("?" * len(part))
            for row in self._db.execute(
                f"SELECT id, claim_reviewed, {_MATCHED_TITLE} FROM entries WHERE id IN ({marks})",
                part,
            ):
                found[row[0]] = (row[1], row[2] or "")
        return found

    def lexical(self, match: str, limit: int) -> list[tuple[int, float]]:
        """(id, BM25 score, higher is better) for an FTS5 MATCH expression, best first.

        Ties break by id, oldest first: a collection re-adding a claim keeps the first one ahead.
        """
        if not match:
            return []
        rows = self._db.execute(
            "SELECT rowid, bm25(entries_fts, 1.0, 0.6) AS r FROM entries_fts "
            "WHERE entries_fts MATCH ? ORDER BY r, rowid LIMIT ?",
            (match, limit),
        ).fetchall()
        return [(int(row[0]), -float(row[1])) for row in rows]

    def lexical_for(self, match: str, ids: Sequence[int]) -> dict[int, float]:
        """BM25 scores of the given entries for a MATCH expression (absent: no word matched)."""
        if not match or not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._db.execute(
            "SELECT rowid, bm25(entries_fts, 1.0, 0.6) FROM entries_fts "
            f"WHERE entries_fts MATCH ? AND rowid IN ({marks})",
            (match, *ids),
        ).fetchall()
        return {int(row[0]): -float(row[1]) for row in rows}

    def document_frequencies(self) -> dict[str, int]:
        """Indexed (stemmed) term -> number of entries holding it, cached per file (across
        Library objects) and brought up to date after a write: a logged one recounts only the
        terms of the entries it touched (their words before and after it), anything else reads
        the whole vocabulary again (~0.08 s of CPU at 100,000 entries)."""
        key = str(self.path.resolve())
        with _VOCAB_LOCK:  # not the matrix's: the two are read at once, by two threads
            generation = self.generation()
            cached = _VOCAB_CACHE.get(key)
            if cached is not None and cached[0] == generation:
                return cached[1]
            with self._snapshot():
                generation = self.generation()
                changes = self._changes_since(cached[0], generation) if cached else None
                if cached is not None and changes is not None:
                    terms = dict(cached[1])  # a copy: another thread may be reading the old one
                    for term, n in self._recount(changes).items():
                        if n:
                            terms[term] = n
                        else:
                            terms.pop(term, None)
                else:
                    terms = dict(self._db.execute("SELECT term, doc FROM entries_vocab"))
            cached = (generation, terms)
            _VOCAB_CACHE.clear()
            _VOCAB_CACHE[key] = cached
            return cached[1]

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """One read transaction: the generation and the rows read in it agree (WAL readers never
        wait for a writer)."""
        self._db.execute("BEGIN")
        try:
            yield
        finally:
            self._db.execute("COMMIT")

    def _changes_since(self, since: int, generation: int) -> dict[int, list[str]] | None:
        """Entry id -> its words before each logged write after `since` (up to `generation`),
        or None when a write in between was not logged (large, or by an older version)."""
        if since < 0 or generation < since:
            return None
        if generation == since:
            return {}
        rows = self._db.execute(
            "SELECT generation, id, claim_reviewed, title FROM changes "
            "WHERE generation > ? AND generation <= ? LIMIT ?",
            (since, generation, LOG_AT_MOST + 1),
        ).fetchall()
        if len({row[0] for row in rows}) != generation - since or len(rows) > LOG_AT_MOST:
            return None  # a write not logged, or many small ones: reading it all costs less
        changes: dict[int, list[str]] = {}
        for _, i, claim, title in rows:
            if i:
                changes.setdefault(i, []).extend(t for t in (claim, title) if t)
        return changes

    def _recount(self, changes: dict[int, list[str]]) -> dict[str, int]:
        """Entries holding each term of the changed entries' words, before and after (0: none)."""
        words = [t for texts in changes.values() for t in texts]
        for row in self._rows_of(self._db, "id", sorted(changes)):
            words += [t for t in row[1:] if t]
        terms = _terms(self._db, words)
        found: dict[str, int] = dict.fromkeys(terms, 0)
        for start in range(0, len(terms), 900):
            part = terms[start : start + 900]
            found.update(
                self._db.execute(
                    "SELECT term, doc FROM entries_vocab WHERE term IN "
                    f"({','.join('?' * len(part))})",
                    part,
                ).fetchall()
            )
        return found

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, unit vectors as float32 rows) of every entry, the entries written without a
        vector (project verdicts) embedded and stored first.

        Cached per file until the next write, across Library objects: the window opens one per
        background job, and reading 100,000 vectors again for each would cost a second. One
        read of the table finds both the vectors and the entries that lack one (a separate
        scan for those cost ~0.035 s of CPU per search at 100,000 entries, cached or not), and
        the few embedded here join the matrix without the others being read again. After a
        logged write (a verdict changed, a mirror's small pull) only the entries it touched are
        read and put in place of their old rows."""
        key = str(self.path.resolve())
        with _MATRIX_LOCK:
            generation = self.generation()
            cached = _MATRIX_CACHE.get(key)
            if cached is not None and cached.generation == generation:
                return cached.view()
            with self._snapshot():
                generation = self.generation()
                changes = self._changes_since(cached.generation, generation) if cached else None
                cursor = self._db.cursor()
                cursor.row_factory = None  # plain tuples: 100,000 sqlite3.Row objects cost more
                if cached is not None and changes is not None:
                    found = _rows_by_id(cursor, sorted(changes))
                else:
                    found = cursor.execute("SELECT id, vector FROM entries ORDER BY id").fetchall()
            # A vector of the wrong size (a mirror that pulled a damaged one before pulls
            # checked them) is made again, as a missing one: reshape would fail on it.
            missing = [row[0] for row in found if row[1] is None or len(row[1]) != _VECTOR_BYTES]
            if missing:
                generation, found = self._embed_found(generation, missing, found)
            found = [row for row in found if row[1] is not None and len(row[1]) == _VECTOR_BYTES]
            ids = np.asarray([row[0] for row in found], dtype=np.int64)
            blobs = b"".join([row[1] for row in found])
            rows = np.frombuffer(blobs, dtype=np.float16).reshape(len(ids), DIMENSIONS)
            if cached is not None and changes is not None:
                cached = cached.updated(generation, sorted(changes), ids, rows)
            else:
                cached = _Vectors.of(generation, ids, rows)
            _MATRIX_CACHE.clear()  # one library at a time is in use; free the last one
            _MATRIX_CACHE[key] = cached
            return cached.view()

    def _embed_found(
        self, generation: int, missing: list[int], found: list[tuple[int, bytes | None]]
    ) -> tuple[int, list[tuple[int, bytes | None]]]:
        """Embeds and stores the vectors of the `missing` ids of a read at `generation`; returns
        the generation the rows are at (-1 when someone else wrote meanwhile: a matrix kept at
        -1 never matches the library's generation, so the next search reads it again) and the
        rows with the new vectors in place."""
        texts = {
            row[0]: (row[1], row[2], row[3], row[4])  # key, claim, title as stored, as matched
            for start in range(0, len(missing), 900)
            for row in self._db.execute(
                f"SELECT id, key, claim_reviewed, title, {_MATCHED_TITLE} FROM entries WHERE id IN "
                f"({','.join('?' * len(missing[start : start + 900]))})",
                missing[start : start + 900],
            )
        }
        vectors = self._embed_many(
            [
                (str(i), FactCheck(claim_reviewed=claim, title=matched or ""))
                for i, (_, claim, _title, matched) in texts.items()
            ]
        )
        with self._transaction() as db:
            before = self.generation()
            # Only where still missing and still the same words: a verdict changed since the
            # read keeps no vector made from its old words.
            db.executemany(
                "UPDATE entries SET vector=? WHERE id=? AND key=? "
                f"AND (vector IS NULL OR length(vector) <> {_VECTOR_BYTES}) "
                "AND claim_reviewed IS ? AND title IS ?",
                [
                    (vectors[str(i)], i, key, claim, title)
                    for i, (key, claim, title, _) in texts.items()
                ],
            )
            # Logged with their words (unchanged): readers take the new vectors.
            self._bump(db, [(i, claim, title) for i, (_, claim, title, _) in texts.items()])
            after = self.generation()
        stored = {i: vectors[str(i)] for i in texts}
        rows = [(i, stored.get(i, v)) for i, v in found]
        return (after if before == generation else -1), rows


def _rows_by_id(cursor: sqlite3.Cursor, ids: Sequence[int]) -> list[tuple[int, bytes | None]]:
    found: list[tuple[int, bytes | None]] = []
    for start in range(0, len(ids), 900):
        part = list(ids[start : start + 900])
        found += cursor.execute(
            f"SELECT id, vector FROM entries WHERE id IN ({','.join('?' * len(part))}) ORDER BY id",
            part,
        ).fetchall()
    return found


@dataclass
class _Vectors:
    """A library's vectors as one float32 matrix, rows in id order, with room for more: the
    first `n` rows of `rows` (and `ids`) are the library at `generation`.

    After a small write only the rows it touched change: new entries (their ids come last) go
    into the room after the others, a changed vector is written over its row, a removed entry's
    row is closed up. The rows handed out (views) are never changed under a holder: while any
    view of the buffers is alive (a search in another thread may be reading it), a change to
    them makes new buffers instead (one copy, 0.06-0.5 s of CPU at 100,000 rows on the 2-CPU
    test machine, page faults included); adding entries never does."""

    generation: int
    ids: np.ndarray
    rows: np.ndarray
    n: int

    ROOM = 1024  # rows kept free for new entries

    @classmethod
    def room_for(cls, generation: int, n: int) -> _Vectors:
        """Buffers for n rows and the room after them (rows not filled in)."""
        rows = np.empty((n + cls.ROOM, DIMENSIONS), dtype=np.float32)
        return cls(generation, np.zeros(n + cls.ROOM, dtype=np.int64), rows, n)

    @classmethod
    def of(cls, generation: int, ids: np.ndarray, rows: np.ndarray) -> _Vectors:
        result = cls.room_for(generation, len(ids))
        result.rows[: len(ids)] = rows  # float16 -> float32 into place, no copy in between
        result.ids[: len(ids)] = ids
        return result

    def view(self) -> tuple[np.ndarray, np.ndarray]:
        return self.ids[: self.n], self.rows[: self.n]

    def _held(self) -> bool:
        """Whether anything but this object refers to the buffers (a view keeps its buffer
        alive through its base): then their first n rows must not change. 2 references = this
        object's attribute and getrefcount's argument."""
        return sys.getrefcount(self.rows) > 2 or sys.getrefcount(self.ids) > 2

    def updated(
        self, generation: int, changed: Sequence[int], new_ids: np.ndarray, new_rows: np.ndarray
    ) -> _Vectors:
        """The vectors after a write: the `changed` entries now have `new_rows` (their ids in
        `new_ids`, ascending), or are gone when not among them."""
        held = self._held()  # before this method makes views of its own
        ids, rows = self.view()
        new_rows = new_rows.astype(np.float32)
        at = np.searchsorted(ids, new_ids)
        old = (at < self.n) & (ids[np.minimum(at, self.n - 1)] == new_ids) if self.n else at < 0
        same = old.copy()
        same[old] = np.all(rows[at[old]] == new_rows[old], axis=1)  # a rating changed, not words
        replaced = old & ~same
        gone_at = self._positions(np.setdiff1d(np.asarray(changed, dtype=np.int64), new_ids))
        added = ~old
        fits = self.n - len(gone_at) + int(added.sum()) <= len(self.ids)
        last, leaving = self.n - 1, set(gone_at.tolist())  # the last row kept
        while last in leaving:
            last -= 1
        in_order = not added.any() or last < 0 or new_ids[added][0] > ids[last]
        if fits and in_order and (not held or not (len(gone_at) or replaced.any())):
            result = _Vectors(generation, self.ids, self.rows, self.n)
            result.rows[at[replaced]] = new_rows[replaced]
            result._close_up(gone_at)
            more = int(added.sum())
            result.ids[result.n : result.n + more] = new_ids[added]
            result.rows[result.n : result.n + more] = new_rows[added]
            result.n += more
            return result
        # New buffers, filled in one pass: each final row taken from the kept rows or the new.
        keep = np.ones(self.n, dtype=bool)
        keep[gone_at] = False
        keep[at[replaced]] = False
        kept_at, add_ids, add_rows = np.flatnonzero(keep), new_ids[~same], new_rows[~same]
        all_ids = np.concatenate([ids[keep], add_ids])
        order = np.argsort(all_ids, kind="stable")
        total, nk = len(all_ids), len(kept_at)
        result = _Vectors.room_for(generation, total)
        result.ids[:total] = all_ids[order]
        from_kept = order < nk
        if nk:
            picked = kept_at[np.where(from_kept, order, 0)]
            np.take(rows, picked, axis=0, out=result.rows[:total])
        result.rows[:total][~from_kept] = add_rows[order[~from_kept] - nk]
        return result

    def _positions(self, wanted: np.ndarray) -> np.ndarray:
        """The rows of those of the ids that are here (ascending); a search, not a scan."""
        if not self.n or not len(wanted):
            return np.zeros(0, dtype=np.int64)
        at = np.searchsorted(self.ids[: self.n], wanted)
        found = (at < self.n) & (self.ids[np.minimum(at, self.n - 1)] == wanted)
        return at[found]

    def _close_up(self, gone_at: np.ndarray) -> None:
        """Removes the rows at these positions (ascending), moving the later rows up in place
        (memmove: no copy of the matrix)."""
        if not len(gone_at):
            return
        width = self.rows.strides[0]
        base = self.rows.ctypes.data
        ends = [*gone_at[1:].tolist(), self.n]
        for shift, (at, end) in enumerate(zip(gone_at.tolist(), ends, strict=True), start=1):
            count = end - at - 1
            if count > 0:
                dst = at - shift + 1
                ctypes.memmove(base + dst * width, base + (at + 1) * width, count * width)
        n = self.n - len(gone_at)
        self.ids[:n] = np.delete(self.ids[: self.n], gone_at)
        self.n = n


def _terms(db: sqlite3.Connection, texts: Sequence[str]) -> list[str]:
    """The index's terms of these texts, cut as the full-text index cuts them: through a
    temporary FTS5 table with the same tokenizer on this connection."""
    if not texts:
        return []
    db.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.words USING fts5(text, tokenize='{TOKENIZE}')"
    )
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.words_vocab USING fts5vocab(temp, words, row)"
    )
    db.execute("DELETE FROM temp.words")
    db.executemany("INSERT INTO temp.words(text) VALUES (?)", [(t,) for t in texts])
    terms = [row[0] for row in db.execute("SELECT term FROM temp.words_vocab")]
    db.execute("DELETE FROM temp.words")
    return terms


# The title the matcher compares (and embeds): a project verdict's is never its article's
# headline, even as a team server that older versions wrote still sends it (projects.py).
_VECTOR_BYTES = DIMENSIONS * 2  # float16
_MATCHED_TITLE = f"CASE WHEN kind = '{KIND_PROJECT}' THEN '' ELSE title END"
_VOCAB_LOCK = threading.Lock()
_VOCAB_CACHE: dict[str, tuple[int, dict[str, int]]] = {}
_MATRIX_LOCK = threading.Lock()
_MATRIX_CACHE: dict[str, _Vectors] = {}
