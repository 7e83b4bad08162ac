"""The desk's fact-check library on a team server, and each desk's local mirror of it.

The server holds the library in one schema per database, `workbench_library` (not `wb_…`:
that prefix names team projects, and a project called "library" would collide; nor is it
listed as a project). Its `entries` table is keyed as the personal file's (import: and
project: keys), with a change number `seq` taken from one sequence on every insert and update,
and tombstones (`deleted`) instead of deletes, so a mirror asks only for what changed since the
last number it read. Imported fact checks carry their vector (the importing desk embeds them
once); project verdicts do not, each mirror embeds those itself when it next matches.

Matching stays local: each desk keeps a SQLite mirror per server (the personal library's own
schema, FTS5 and vectors, so matching is the same code at the same speed), named after the
server's host, port and database, never its login or password. Writes go to the server in one
transaction and reach every mirror, the writer's too, by the next pull.

Who may do what is decided by the server, with the team projects' group roles: every member
reads; a checker's verdicts reach the library (an entry for a claim of a project their login can
open, only while the claim is rated there and saying what the project says: the claim's words,
the verdict's rationale and checker; a cleared verdict's entry leaves); importing
published fact checks and removing entries needs the editor role. One trigger checks this and
numbers each change, under a transaction-wide lock so that change numbers are handed out in
commit order (a mirror that read up to N never misses a later commit numbered below N).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import psycopg
import psycopg.errors

from workbench.core.embedding import DIMENSIONS
from workbench.core.errors import ProjectError, WorkbenchError
from workbench.core.library.model import KIND_IMPORT, KIND_PROJECT, FactCheck, ImportReport
from workbench.core.library.paths import library_path
from workbench.core.library.store import (
    Library,
    LibraryError,
    entry_digest,
    import_key,
    project_key,
)
from workbench.core.project.backends.postgres import PostgresBackend, TeamUrl, parse_url, reach
from workbench.core.project.live import ServerListener, Stopped

SCHEMA = "workbench_library"
CHANNEL = "workbench_library"
VERSION = "1"
PULL_BATCH = 5000
_LOCK = 7_220_013  # pg_advisory_xact_lock key: one writer (and one set-up) at a time
_FIELDS = set(FactCheck.__dataclass_fields__)
# A pulled entry is used only as this Workbench writes them (anyone with a login may write rows
# by hand): these bounds are far above any real fact check or verdict (~1-5 KB), so a hostile
# or damaged row is never fetched whole, and a batch stays below ~0.5 GB however it is filled.
MAX_ENTRY_BYTES = 100_000  # the entry's fields as JSON
MAX_NAME_BYTES = 4_096  # its origin (a file's path, team:project)
VECTOR_BYTES = DIMENSIONS * 2  # float16
_NUMBER_FIELDS = {"rating_value", "best_rating", "worst_rating"}
_LIST_FIELDS = {"appearances", "sources"}

_SETUP = f"""
CREATE SCHEMA {SCHEMA};
SET LOCAL search_path TO {SCHEMA};
CREATE SEQUENCE changes;
CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE entries (
  key text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('import', 'project')),
  origin text NOT NULL,
  project text,
  claim_id bigint,
  digest text NOT NULL,
  fields jsonb NOT NULL,
  vector bytea,
  deleted boolean NOT NULL DEFAULT false,
  seq bigint NOT NULL DEFAULT 0,
  changed_by text NOT NULL DEFAULT session_user,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX entries_seq ON entries (seq);
CREATE INDEX entries_origin ON entries (kind, origin);

CREATE FUNCTION may_edit() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT session_user = (SELECT nspowner::regrole::text FROM pg_namespace
                         WHERE nspname = '{SCHEMA}')
      OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
      OR pg_has_role(session_user, 'workbench_editor', 'MEMBER')
$$;

CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  rated boolean;
  said text;
  rating text;
  why text;
  who text;
  place text := 'wb_' || NEW.project;
BEGIN
  IF NOT {SCHEMA}.may_edit() THEN
    IF NEW.kind <> 'project' OR (TG_OP = 'UPDATE' AND OLD.kind <> 'project') THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE =
        'Importing or removing published fact checks in the team library needs the editor role.';
    END IF;
    IF NEW.project IS NULL OR NOT EXISTS (
        SELECT 1 FROM pg_namespace WHERE nspname = place
        AND has_schema_privilege(session_user, oid, 'USAGE')) THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = format(
        'Your login cannot open team project %s, so its verdicts cannot go into the team library.',
        NEW.project);
    END IF;
    EXECUTE format('SELECT c.text, v.rating, v.rationale, v.reviewer FROM %I.claims c '
                   'LEFT JOIN LATERAL (SELECT rating, rationale, reviewer FROM %I.verdicts '
                   'WHERE claim_id = c.id ORDER BY id DESC LIMIT 1) v ON true '
                   'WHERE c.id = $1 AND c.deleted = 0', place, place)
      INTO said, rating, why, who USING NEW.claim_id;
    rated := coalesce(rating, '') <> '';
    IF NEW.deleted AND rated THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = format(
        'Removing the verdict on claim %s of %s from the team library needs the editor role '
        '(it is still rated in the project).', NEW.claim_id, NEW.project);
    END IF;
    IF NOT NEW.deleted AND NOT rated THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = format(
        'Claim %s of %s has no verdict in the project; only verdicts go into the team library.',
        NEW.claim_id, NEW.project);
    END IF;
    IF NOT NEW.deleted AND (said IS DISTINCT FROM NEW.fields->>'claim_reviewed'
        OR coalesce(why, '') IS DISTINCT FROM coalesce(NEW.fields->>'rationale', '')
        OR coalesce(who, '') IS DISTINCT FROM coalesce(NEW.fields->>'who', '')) THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = format(
        'The entry for claim %s of %s does not say what the project says (its words, rationale '
        'or checker); only the project''s verdicts go into the team library.',
        NEW.claim_id, NEW.project);
    END IF;
  END IF;
  -- Numbers in commit order: the lock is held to the end of the writing transaction.
  PERFORM pg_advisory_xact_lock({_LOCK});
  NEW.seq := nextval('{SCHEMA}.changes');
  NEW.changed_by := session_user;
  NEW.changed_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON entries FOR EACH ROW EXECUTE FUNCTION stamp();

CREATE FUNCTION announce() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('{CHANNEL}', '');  -- delivered at COMMIT, once per transaction
  RETURN NULL;
END $$;
CREATE TRIGGER announce AFTER INSERT OR UPDATE ON entries
  FOR EACH STATEMENT EXECUTE FUNCTION announce();

GRANT USAGE ON SCHEMA {SCHEMA} TO workbench_checker;
GRANT SELECT ON meta TO workbench_checker;
GRANT SELECT, INSERT, UPDATE ON entries TO workbench_checker;
GRANT USAGE ON SEQUENCE changes TO workbench_checker;
"""

_COLUMNS = "key, kind, origin, project, claim_id, digest, fields, vector"
# One batch of a pull. An entry too large is sent without its origin, fields and vector (so
# taken as malformed), never whole.
_PULL = f"""
SELECT key, kind, CASE WHEN fits THEN origin END, claim_id, CASE WHEN fits THEN digest END,
       CASE WHEN fits THEN fields END, CASE WHEN fits THEN vector END, deleted, seq
FROM (SELECT *, octet_length(fields::text) <= {MAX_ENTRY_BYTES}
                AND octet_length(origin) <= {MAX_NAME_BYTES} AND octet_length(digest) <= 256
                AND coalesce(octet_length(vector), 0) <= {VECTOR_BYTES} AS fits
      FROM {SCHEMA}.entries WHERE seq > %s ORDER BY seq LIMIT %s) AS batch
ORDER BY seq
"""


def team_origin(project: str) -> str:
    """How a team project's verdicts are remembered in its server's library: by the project's
    name, the same from every desk however it names the server (and never with a login)."""
    return f"team:{project}"


def team_project(location: str) -> str:
    """The project's name in a team project's URL."""
    return parse_url(location).project


def server_name(location: str) -> str:
    """host:port/database of a team URL, as the library is named to people (no login)."""
    return (
        parse_url(location, need_project=False)
        .server.split("@", 1)[-1]
        .removeprefix("postgresql://")
    )


def mirror_path(location: str) -> Path:
    """The desk's mirror of a server's library, beside the personal library file: named by host,
    port and database only (never a login or password)."""
    parts = urlsplit(location.strip())
    host = parts.hostname or "localhost"
    port = str(parts.port or 5432)
    database = parts.path.strip("/") or "postgres"
    name = re.sub(r"[^A-Za-z0-9.-]+", "_", f"{host}-{port}-{database}")
    return library_path().parent / "team-libraries" / f"{name}.sqlite"


def _check_of(fields: Any) -> FactCheck | None:
    """The FactCheck in a pulled entry's fields, or None when they are not as Workbench writes
    them (unknown names are left out: a newer Workbench may add some)."""
    if not isinstance(fields, dict):
        return None
    kept: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in _FIELDS:
            continue
        if name in _LIST_FIELDS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return None
            value = tuple(value)
        elif name in _NUMBER_FIELDS:
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                return None
        elif not isinstance(value, str):
            return None
        kept[name] = value
    if "claim_reviewed" not in kept:
        return None
    return FactCheck(**kept)


def _vector_of(value: Any) -> bytes | bool | None:
    """A pulled vector as stored (None: none sent), or False when it is not DIMENSIONS finite
    float16 values (search would fail on it, or score with NaN)."""
    if value is None:
        return None
    blob = bytes(value)
    if len(blob) != VECTOR_BYTES or not np.isfinite(np.frombuffer(blob, np.float16)).all():
        return False
    return blob


def _entry_of(
    row: tuple[Any, ...],
) -> tuple[str, str, str, int | None, str, bytes | None, FactCheck] | None:
    """A pulled (not deleted) row as the mirror stores it, or None when it is malformed."""
    key, kind, origin, claim_id, digest, fields, vector = row[:7]
    check = _check_of(fields)
    blob = _vector_of(vector)
    if (
        check is None
        or blob is False
        or kind not in (KIND_IMPORT, KIND_PROJECT)
        or not isinstance(origin, str)
        or not isinstance(digest, str)
    ):
        return None
    return key, kind, origin, claim_id, digest, blob, check


def _fields_of(check: FactCheck) -> str:
    return json.dumps(
        {k: (list(v) if isinstance(v, tuple) else v) for k, v in check.__dict__.items()},
        ensure_ascii=False,
    )


class TeamLibrary:
    """The library on the server of a team URL (a project's or a server's), with its mirror."""

    def __init__(self, location: str, mirror: Path | None = None) -> None:
        self.location = location  # may carry a password, in memory only
        self.url: TeamUrl = parse_url(location, need_project=False)
        self.server = server_name(location)
        self.where = f"the team library on {self.server}"
        self.title = self.where[0].upper() + self.where[1:]
        self.mirror_path = mirror if mirror is not None else mirror_path(location)
        self._raw: psycopg.Connection[Any] | None = None
        self.malformed = 0  # entries the last pull skipped as malformed

    def malformed_note(self) -> str:
        """The one line to say after a pull that skipped entries ("" when none)."""
        if not self.malformed:
            return ""
        n = self.malformed
        return (
            f"{n} {'entry' if n == 1 else 'entries'} from the server {'was' if n == 1 else 'were'} "
            f"malformed and skipped ({self.where})."
        )

    # ---------------------------------------------------------------- connecting
    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()
            self._raw = None

    def __enter__(self) -> TeamLibrary:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _connection(self) -> psycopg.Connection[Any]:
        if self._raw is None or self._raw.closed or self._raw.broken:
            try:
                raw = PostgresBackend.connect(self.url)
            except ProjectError as exc:
                raise LibraryError(str(exc)) from None
            try:
                self._ensure_schema(raw)
            except BaseException:
                raw.close()
                raise
            self._raw = raw
        return self._raw

    @contextmanager
    def _server(self) -> Iterator[psycopg.Connection[Any]]:
        """The connection, with the server's errors as one line each."""
        raw = self._connection()
        try:
            yield raw
        except psycopg.errors.InsufficientPrivilege as exc:
            raise LibraryError(self._refusal(exc)) from None
        except psycopg.Error as exc:
            if raw.closed or raw.broken:
                self.close()
                raise LibraryError(f"The connection to {self.where} was lost.") from None
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise LibraryError(f"{self.where} could not be read or changed: {first}.") from None

    def _refusal(self, exc: psycopg.Error) -> str:
        text = (str(exc).strip().splitlines() or [""])[0]
        if "team library" in text:  # the trigger's own sentence
            return text
        return (
            f"Your login is not a member of the desk on {self.server}: {self.where} is for "
            "its team (an admin adds members with workbench team add)."
        )

    def _ensure_schema(self, raw: psycopg.Connection[Any]) -> None:
        """Set the library up on first use, when the login may (the server's owner, a
        superuser, anyone with CREATE on the database); otherwise say who can."""
        if raw.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (SCHEMA,)).fetchone():
            self._check_version(raw)
            return
        from workbench.core.project.backends.postgres_roles import _ensure_group_roles

        try:
            with raw.transaction():
                raw.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
                if raw.execute(
                    "SELECT 1 FROM pg_namespace WHERE nspname = %s", (SCHEMA,)
                ).fetchone():
                    return  # another desk set it up while this one waited
                _ensure_group_roles(raw)
                raw.execute(_SETUP)
                raw.execute(
                    f"INSERT INTO {SCHEMA}.meta VALUES ('version', %s), ('id', %s)",
                    (VERSION, uuid.uuid4().hex),
                )
        except psycopg.errors.InsufficientPrivilege:
            raise LibraryError(
                f"{self.title} is not set up yet, and your login may "
                "not set it up: the server's owner or an admin does it once with "
                "`workbench team init` or any `workbench library … --server URL` command."
            ) from None
        except psycopg.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise LibraryError(f"{self.where} could not be set up: {first}.") from None

    def not_updated(self, exc: Exception) -> str:
        """One sentence: the library could not be updated, and why (naming it once)."""
        reason = str(exc).rstrip(".")
        if reason.startswith(self.title):
            return f"{reason}."
        return f"{self.title} could not be updated: {reason}."

    def ensure(self) -> None:
        """Set the library up now if it is not yet (what `team init` does for a desk)."""
        self._connection()

    def _check_version(self, raw: psycopg.Connection[Any]) -> None:
        try:
            row = raw.execute(f"SELECT value FROM {SCHEMA}.meta WHERE key = 'version'").fetchone()
        except psycopg.errors.InsufficientPrivilege:
            return  # not a member: reading the entries says so, in the caller's words
        if row and int(row[0]) > int(VERSION):
            raise LibraryError(
                f"{self.title} was set up by a newer Workbench (version {row[0]}, this one "
                f"knows {VERSION}); update Workbench to use it."
            )

    # ---------------------------------------------------------------- the mirror
    def mirror(self) -> Library:
        return Library.open(self.mirror_path)

    def pull(self, mirror: Library, progress: Callable[[int, int], None] | None = None) -> int:
        """Bring the mirror up to the server: every change after the last one it read, in
        batches (each one transaction, so an interrupted pull resumes where it stopped).
        progress(done, total) is called before each batch (it may raise to stop the pull).
        Returns how many changes were applied. An entry that is not as Workbench writes them
        (wrong types, a vector of the wrong length, too large) is skipped and counted in
        `malformed` (see malformed_note)."""
        self.malformed = 0
        with self._server() as raw:
            ident = str(
                raw.execute(f"SELECT value FROM {SCHEMA}.meta WHERE key = 'id'").fetchone()[0]
            )
            if mirror.meta_value("server_library") not in (None, ident):
                mirror.clear()  # the server's library was made anew: start over
            last = int(mirror.meta_value("server_seq") or 0)
            applied = 0
            total = 0
            if progress is not None:
                total = int(
                    raw.execute(
                        f"SELECT count(*) FROM {SCHEMA}.entries WHERE seq > %s", (last,)
                    ).fetchone()[0]
                )
            while True:
                if progress is not None:
                    progress(applied, max(total, applied))
                rows = raw.execute(_PULL, (last, PULL_BATCH)).fetchall()
                if not rows:
                    if mirror.meta_value("server_library") is None:
                        mirror.apply_changes([], [], {"server_library": ident, "server_seq": "0"})
                    break
                upserts, removed = [], []
                for row in rows:
                    entry = None if row[7] else _entry_of(row)
                    if entry is not None:
                        upserts.append(entry)
                        continue
                    # Deleted, or malformed: a copy of it pulled before goes too (it is no
                    # longer what the server holds).
                    removed.append(row[0])
                    self.malformed += not row[7]
                last = int(rows[-1][8])
                state = {"server_library": ident, "server_seq": str(last)}
                mirror.apply_changes(upserts, removed, state)
                applied += len(rows)
                if len(rows) < PULL_BATCH:
                    break
        # Each batch is a transaction, and so a few more segments of the full-text index: a
        # large pull merges them as a large import does (after the server's connection is
        # given back: the merge is the mirror's alone).
        mirror.merge_index_if_large(applied)
        return applied

    # ---------------------------------------------------------------- writing
    def add_imported(
        self, checks: Iterable[FactCheck], origin: str, *, batch: int = 5000
    ) -> ImportReport:
        """Published fact checks from one file, in one transaction (editors)."""
        report = ImportReport()
        # key -> (digest, claim, title, has a vector) of what this import sent already
        sent: dict[str, tuple[str, str, str, bool]] = {}
        with self._server() as raw, raw.transaction():
            raw.execute(
                "CREATE TEMP TABLE incoming (n bigserial, key text, kind text, origin text, "
                "project text, claim_id bigint, digest text, fields jsonb, vector bytea) "
                "ON COMMIT DROP"
            )
            chunk: list[FactCheck] = []
            for check in checks:
                chunk.append(check)
                if len(chunk) >= batch:
                    report += self._send(raw, chunk, origin, sent)
                    chunk = []
            if chunk:
                report += self._send(raw, chunk, origin, sent)
            raw.execute(
                f"INSERT INTO {SCHEMA}.entries ({_COLUMNS}) "
                f"SELECT DISTINCT ON (key) key, kind, origin, project, claim_id, digest, "
                f"fields, vector FROM incoming ORDER BY key, n DESC "
                "ON CONFLICT (key) DO UPDATE SET origin = excluded.origin, "
                "digest = excluded.digest, fields = excluded.fields, deleted = false, "
                "vector = coalesce(excluded.vector, entries.vector)"
            )
        return report

    def _send(
        self,
        raw: psycopg.Connection[Any],
        chunk: list[FactCheck],
        origin: str,
        sent: dict[str, tuple[str, str, str, bool]],
    ) -> ImportReport:
        latest = {import_key(c): c for c in chunk}
        known = {k: v for k, v in sent.items() if k in latest}
        missing = [k for k in latest if k not in known]
        for row in raw.execute(
            f"SELECT key, digest, fields->>'claim_reviewed', coalesce(fields->>'title', ''), "
            f"vector IS NOT NULL FROM {SCHEMA}.entries WHERE key = ANY(%s) AND NOT deleted",
            (missing,),
        ):
            known[row[0]] = (row[1], row[2], row[3], row[4])
        new, changed, unchanged = [], [], 0
        for key, check in latest.items():
            digest = entry_digest(check)
            before = known.get(key)
            if before is None:
                new.append((key, check, digest, True))
            elif before[0] != digest or not before[3]:
                # Its words changed, or it has no vector yet: (re-)embed it.
                words = before[1:3] != (check.claim_reviewed, check.title) or not before[3]
                changed.append((key, check, digest, words))
            else:
                unchanged += 1
            sent[key] = (digest, check.claim_reviewed, check.title, True)
        to_embed = [(k, c) for k, c, _, text_changed in new + changed if text_changed]
        vectors = Library.embed_checks(to_embed)
        with raw.cursor().copy(f"COPY incoming ({_COLUMNS}) FROM STDIN") as copy:
            for key, check, digest, _ in new + changed:
                copy.write_row(
                    (
                        key,
                        KIND_IMPORT,
                        origin,
                        None,
                        None,
                        digest,
                        _fields_of(check),
                        vectors.get(key),
                    )
                )
        return ImportReport(added=len(new), updated=len(changed), unchanged=unchanged)

    def sync_project(self, project: str, checks: dict[int, FactCheck]) -> ImportReport:
        """Make the library's entries for a team project exactly its rated claims: what
        changed is written (without vectors: mirrors embed verdicts themselves), a cleared
        verdict's entry becomes a tombstone."""
        origin = team_origin(project)
        wanted = {project_key(origin, cid): (cid, c) for cid, c in checks.items()}
        with self._server() as raw, raw.transaction():
            current = {
                r[0]: (r[1], r[2])
                for r in raw.execute(
                    f"SELECT key, digest, deleted FROM {SCHEMA}.entries "
                    "WHERE kind = 'project' AND origin = %s",
                    (origin,),
                )
            }
            writes, added, updated = [], 0, 0
            for key, (cid, check) in wanted.items():
                digest = entry_digest(check)
                before = current.get(key)
                if before is None or before[1]:
                    added += 1
                elif before[0] == digest:
                    continue
                else:
                    updated += 1
                writes.append(
                    (key, KIND_PROJECT, origin, project, cid, digest, _fields_of(check), None)
                )
            gone = [k for k, (_, deleted) in current.items() if not deleted and k not in wanted]
            if writes:
                raw.cursor().executemany(
                    f"INSERT INTO {SCHEMA}.entries ({_COLUMNS}) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s::jsonb, %s) "
                    "ON CONFLICT (key) DO UPDATE SET digest = excluded.digest, "
                    "fields = excluded.fields, vector = NULL, deleted = false, "
                    "claim_id = excluded.claim_id, project = excluded.project",
                    writes,
                )
            if gone:
                raw.execute(
                    f"UPDATE {SCHEMA}.entries SET deleted = true, vector = NULL "
                    "WHERE key = ANY(%s)",
                    (gone,),
                )
        return ImportReport(added=added, updated=updated, unchanged=len(wanted) - added - updated)

    def remove_origin(self, kind: str, origin: str) -> int:
        """Remove (as tombstones) every entry from one imported file or one project."""
        with self._server() as raw, raw.transaction():
            done = raw.execute(
                f"UPDATE {SCHEMA}.entries SET deleted = true, vector = NULL "
                "WHERE kind = %s AND origin = %s AND NOT deleted",
                (kind, origin),
            )
            return int(done.rowcount)


class LibraryListener(ServerListener):
    """Calls on_change() after every write to the server's library by anyone (LISTEN/NOTIFY,
    delivered at COMMIT), from a daemon thread; while the server is away it tries again every
    few seconds, and calls on_change() once it is back (changes may have been missed)."""

    RETRY_S = 2.0

    def __init__(self, location: str, on_change: Callable[[], None]) -> None:
        self.url = parse_url(location, need_project=False)
        self.on_change = on_change
        super().__init__("library-listener")

    def start(self) -> LibraryListener:
        self._thread.start()
        return self

    def _run(self) -> None:
        missed = False
        while not self._stop.is_set():
            try:
                # Reached first with the cancellable connect (see ServerListener).
                reach(self.url, self._check_stop)
                conn = PostgresBackend.connect(self.url)
            except Stopped:
                break
            except WorkbenchError:
                missed = True
                self._stop.wait(self.RETRY_S)
                continue
            try:
                conn.execute(f'LISTEN "{CHANNEL}"')
                if missed:
                    self.on_change()
                    missed = False
                while not self._stop.is_set():
                    if any(True for _ in conn.notifies(timeout=0.5, stop_after=50)):
                        self.on_change()
            except psycopg.Error:
                missed = True
            finally:
                conn.close()
