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

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
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

SCHEMA_VERSION = 3  # 2: entries_vocab (document frequencies for choosing query words)
# What upgrading a library from an older version does beyond SCHEMA (which is all IF NOT EXISTS).
# 3: a project verdict no longer carries its article's headline as its title (projects.py says
# why); its words change, so its vector (made from claim + headline) is dropped and remade by
# the next search. Run again by a second writer that waited, it finds nothing left to do.
MIGRATIONS = {
    3: "UPDATE entries SET title = '', vector = NULL WHERE kind = 'project' AND title <> '';",
}
_CHECK_FIELDS = [f.name for f in fields(FactCheck)]
_LIST_FIELDS = {"appearances", "sources"}

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
    claim_reviewed, title, content='entries', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS entries_vocab USING fts5vocab(entries_fts, 'row');
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
        with self._transaction() as db:
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
                self._bump(db)
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
    def _bump(db: sqlite3.Connection) -> None:
        db.execute(_BUMP)

    def remove_origin(self, kind: str, origin: str) -> int:
        """Remove every entry imported from a file, or taken from a project."""
        with self._transaction() as db:
            removed = db.execute(
                "DELETE FROM entries WHERE kind=? AND origin=?", (kind, origin)
            ).rowcount
            if removed:
                self._bump(db)
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
        with self._transaction() as db:
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
                self._bump(db)

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
        """Indexed (stemmed) term -> number of entries holding it, cached until the next write."""
        key = str(self.path.resolve())
        with _VOCAB_LOCK:  # not the matrix's: the two are read at once, by two threads
            generation = self.generation()
            cached = _VOCAB_CACHE.get(key)
            if cached is None or cached[0] != generation:
                terms = dict(self._db.execute("SELECT term, doc FROM entries_vocab"))
                cached = (generation, terms)
                _VOCAB_CACHE.clear()
                _VOCAB_CACHE[key] = cached
            return cached[1]

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, unit vectors as float32 rows) of every entry, the entries written without a
        vector (project verdicts) embedded and stored first.

        Cached per file until the next write, across Library objects: the window opens one per
        background job, and reading 100,000 vectors again for each would cost a second. One
        read of the table finds both the vectors and the entries that lack one (a separate
        scan for those cost ~0.035 s of CPU per search at 100,000 entries, cached or not), and
        the few embedded here join the matrix without the others being read again."""
        key = str(self.path.resolve())
        with _MATRIX_LOCK:
            generation = self.generation()
            cached = _MATRIX_CACHE.get(key)
            if cached is not None and cached[0] == generation:
                return cached[1], cached[2]
            # One snapshot: the generation and the rows it describes (WAL readers never wait).
            self._db.execute("BEGIN")
            try:
                generation = self.generation()
                cursor = self._db.cursor()
                cursor.row_factory = None  # plain tuples: 100,000 sqlite3.Row objects cost more
                found = cursor.execute("SELECT id, vector FROM entries ORDER BY id").fetchall()
            finally:
                self._db.execute("COMMIT")
            missing = [row[0] for row in found if row[1] is None]
            if missing:
                generation, found = self._embed_found(generation, missing, found)
            found = [row for row in found if row[1] is not None]
            ids = np.asarray([row[0] for row in found], dtype=np.int64)
            blobs = b"".join([row[1] for row in found])
            rows = np.frombuffer(blobs, dtype=np.float16).reshape(len(ids), DIMENSIONS)
            cached = (generation, ids, rows.astype(np.float32))
            _MATRIX_CACHE.clear()  # one library at a time is in use; free the last one
            _MATRIX_CACHE[key] = cached
            return cached[1], cached[2]

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
                "UPDATE entries SET vector=? WHERE id=? AND key=? AND vector IS NULL "
                "AND claim_reviewed IS ? AND title IS ?",
                [
                    (vectors[str(i)], i, key, claim, title)
                    for i, (key, claim, title, _) in texts.items()
                ],
            )
            self._bump(db)
            after = self.generation()
        stored = {i: vectors[str(i)] for i in texts}
        rows = [(i, v if v is not None else stored.get(i)) for i, v in found]
        return (after if before == generation else -1), rows


# The title the matcher compares (and embeds): a project verdict's is never its article's
# headline, even as a team server that older versions wrote still sends it (projects.py).
_MATCHED_TITLE = f"CASE WHEN kind = '{KIND_PROJECT}' THEN '' ELSE title END"
_VOCAB_LOCK = threading.Lock()
_VOCAB_CACHE: dict[str, tuple[int, dict[str, int]]] = {}
_MATRIX_LOCK = threading.Lock()
_MATRIX_CACHE: dict[str, tuple[int, np.ndarray, np.ndarray]] = {}
