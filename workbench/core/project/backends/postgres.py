"""The PostgreSQL backend: team projects on a server, behind the same Project API.

A team project lives in its own schema (namespace) `wb_NAME` of a database, named by a URL:
postgresql://[user[:password]@]host[:port]/database?project=NAME. libpq conventions hold
(PGPASSWORD, ~/.pgpass, PGSSLMODE, sslmode=...); the `project` parameter is the workbench's and
is removed before connecting. The tables are the SQLite schema's (schema.create_schema),
translated once into PostgreSQL DDL, so the two engines never drift apart.

The dialect differences live here: `?` placeholders become `%s`, an INSERT into a table with
an `id` returns it (lastrowid), explicit ids move the identity sequence on, errors become one
line. No password is ever kept: `location` is the URL without it.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import psycopg
import psycopg.errors
from psycopg import sql

from workbench.core.errors import ProjectError
from workbench.core.project import schema
from workbench.core.project.backends import SCHEMES as SCHEMES
from workbench.core.project.backends import is_team_url as is_team_url
from workbench.core.project.schema import APP_ID

SCHEMA_PREFIX = "wb_"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
CONNECT_TIMEOUT_S = 10
PROBE_S = 1.5  # how long a watched project's reconnect may wait on the UI thread


@dataclass(frozen=True)
class TeamUrl:
    """A parsed team-project URL: what to connect to, and which project."""

    # The URL without the project parameter: it may hold a password, so it is never shown
    # (not even in a repr that a traceback or a log might print).
    conninfo: str = field(repr=False)
    project: str
    display: str  # host, port, database and project: no user password, safe to show and store
    # The password as typed and as decoded (in the user part or a `password` parameter):
    # libpq quotes a malformed URL back whole, so every message is cleaned of them (hide()).
    secrets: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @property
    def schema(self) -> str:
        return SCHEMA_PREFIX + self.project

    @property
    def server(self) -> str:
        return self.display.split("?", 1)[0]

    def hide(self, text: str) -> str:
        """`text` with the URL shown as `display` and every form of the password masked."""
        text = text.replace(self.conninfo, self.server)
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return _URL_PASSWORD.sub(r"\1***@", text)


# A password in any URL quoted in a message: "postgresql://user:password@host".
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s\"']*:)[^@\s\"']*@", re.IGNORECASE)


def parse_url(url: str, *, need_project: bool = True) -> TeamUrl:
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or "localhost"
        port = f":{parts.port}" if parts.port else ""
    except ValueError as exc:  # "Port out of range", "Invalid IPv6 URL": never the password
        raise ProjectError(f"That is not a team project URL ({exc}).") from None
    secrets = _secrets(parts.netloc, parts.query)
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = [v for k, v in query if k == "project"]
    rest = [(k, v) for k, v in query if k != "project"]
    project = names[-1].strip() if names else ""
    if need_project and not project:
        raise ProjectError(
            "A team project URL needs ?project=NAME, e.g. postgresql://host/newsroom?project=desk."
        )
    if project and not _NAME.match(project):
        raise ProjectError(
            f"'{project}' is not a team project name; use lower-case letters, digits, - and _ "
            "(up to 50)."
        )
    conninfo = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(rest), ""))
    user = f"{parts.username}@" if parts.username else ""
    shown = f"postgresql://{user}{host}{port}{parts.path or '/'}"
    display = f"{shown}?project={project}" if project else shown
    return TeamUrl(conninfo, project, display, secrets)


def _secrets(netloc: str, query: str) -> tuple[str, ...]:
    """Every spelling of the URL's password that a message could quote back."""
    found: set[str] = set()
    userinfo = netloc.rpartition("@")[0] if "@" in netloc else ""
    if ":" in userinfo:
        found.add(userinfo.split(":", 1)[1])
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key == "password":
            found.add(value)
    for raw in re.findall(r"(?:^|[?&])password=([^&#]*)", query):
        found.add(raw)
    spelled = {form for s in found for form in (s, unquote(s), quote(s, safe=""))}
    return tuple(s for s in spelled if s)


# ---------------------------------------------------------------------- rows and cursors
class Row(tuple):  # type: ignore[type-arg]
    """A result row readable by position and by column name, like sqlite3.Row."""

    _names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: psycopg.Cursor[Any]) -> Callable[[Sequence[Any]], Row]:
    names = {d.name: i for i, d in enumerate(cursor.description or ())}
    cls = type("Row", (Row,), {"_names": names})

    def make(values: Sequence[Any]) -> Row:
        return cls(values)

    return make


class Cursor:
    """The part of the DB-API cursor the store uses, over a psycopg cursor."""

    def __init__(self, cur: psycopg.Cursor[Any], lastrowid: int | None = None) -> None:
        self._cur = cur
        self.lastrowid = lastrowid
        self.row_factory: Any = None  # rows always read both ways; kept for sqlite3 callers

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    @property
    def description(self) -> Any:
        return self._cur.description

    def fetchone(self) -> Row | None:
        return self._cur.fetchone() if self._cur.description else None

    def fetchall(self) -> list[Row]:
        return self._cur.fetchall() if self._cur.description else []

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())


@lru_cache(maxsize=512)
def translate(statement: str) -> str:
    """qmark placeholders to psycopg's, outside quoted strings and names."""
    out: list[str] = []
    quote = ""
    for ch in statement:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


_INSERT_OR = re.compile(
    r'^(\s*INSERT)\s+OR\s+(REPLACE|IGNORE)(\s+INTO\s+"?(\w+)"?\s*\(([^)]*)\))', re.IGNORECASE
)


@lru_cache(maxsize=256)
def sqlite_upsert(statement: str) -> str:
    """SQLite's INSERT OR REPLACE / OR IGNORE as PostgreSQL's ON CONFLICT: the conflict target
    is the table's unique index (else its primary key), so code written for the file works on
    a team project unchanged."""
    match = _INSERT_OR.match(statement)
    if not match:
        return statement
    head, verb, into, table_name, cols = match.groups()
    rest = statement[match.end() :].rstrip().rstrip(";")
    plain = f"{head}{into}{rest}"
    if verb.upper() == "IGNORE":
        return f"{plain} ON CONFLICT DO NOTHING"
    table = next(
        (t for t in reference_tables(schema.SCHEMA_VERSION) if t.name == table_name.lower()), None
    )
    if table is None:
        return plain
    unique = [cols_ for _name, cols_, is_unique in table.indexes if is_unique]
    key = unique[0] if unique else table.pk
    columns = [c.strip().strip('"') for c in cols.split(",")]
    updates = [c for c in columns if c not in key]
    target = ", ".join(f'"{c}"' for c in key)
    if not updates:
        return f"{plain} ON CONFLICT ({target}) DO NOTHING"
    sets = ", ".join(f'"{c}" = excluded."{c}"' for c in updates)
    return f"{plain} ON CONFLICT ({target}) DO UPDATE SET {sets}"


_INSERT = re.compile(r'^\s*INSERT\s+INTO\s+"?(\w+)"?\s*\(([^)]*)\)', re.IGNORECASE)


class Connection:
    """What the store needs of a connection (execute, executemany), on PostgreSQL.

    Autocommit: the store opens its transactions itself (BEGIN, SAVEPOINT, COMMIT), exactly as
    on SQLite. An INSERT into a table with an id column returns the new id as lastrowid; one
    that gives explicit ids moves that table's identity sequence on before COMMIT."""

    def __init__(self, raw: psycopg.Connection[Any], id_tables: frozenset[str]) -> None:
        self.raw = raw
        self._id_tables = id_tables
        self._explicit: set[str] = set()

    def execute(self, statement: str, params: Iterable[Any] | dict[str, Any] = ()) -> Cursor:
        head = statement.lstrip()[:8].upper()
        if head.startswith("PRAGMA"):
            return self._pragma(statement)
        if head.startswith("COMMIT"):
            self._fix_sequences()
        elif head.startswith("ROLLBACK") and "TO" not in statement.upper():
            self._explicit.clear()
        statement = sqlite_upsert(statement)
        cur = self.raw.cursor(row_factory=_row_factory)
        text = translate(statement)
        args = params if isinstance(params, dict) else tuple(params)
        match = _INSERT.match(statement)
        if match and match.group(1).lower() in self._id_tables:
            table = match.group(1).lower()
            columns = [c.strip().strip('"').lower() for c in match.group(2).split(",")]
            if "id" in columns:
                self._explicit.add(table)
            if "returning" not in statement.lower():
                cur.execute(text + " RETURNING id", args)
                row = cur.fetchone()
                return Cursor(cur, int(row[0]) if row else None)
        cur.execute(text, args)
        return Cursor(cur)

    def executemany(self, statement: str, seq: Iterable[Sequence[Any]]) -> Cursor:
        statement = sqlite_upsert(statement)
        match = _INSERT.match(statement)
        if match and match.group(1).lower() in self._id_tables:
            columns = [c.strip().strip('"').lower() for c in match.group(2).split(",")]
            if "id" in columns:
                self._explicit.add(match.group(1).lower())
        cur = self.raw.cursor(row_factory=_row_factory)
        cur.executemany(translate(statement), [tuple(p) for p in seq])
        return Cursor(cur)

    def _pragma(self, statement: str) -> Cursor:
        # The only pragma the shared code issues: let foreign keys be checked at COMMIT.
        if "defer_foreign_keys" in statement.lower():
            cur = self.raw.cursor(row_factory=_row_factory)
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
            return Cursor(cur)
        raise ProjectError(f"Team projects have no SQLite pragma ({statement.strip()}).")

    def _fix_sequences(self) -> None:
        for table in sorted(self._explicit):
            self.raw.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence({t}, 'id'), "
                    "coalesce((SELECT max(id) FROM {i}), 0) + 1, false)"
                ).format(t=sql.Literal(table), i=sql.Identifier(table))
            )
        self._explicit.clear()

    def close(self) -> None:
        with contextlib.suppress(psycopg.Error):
            self.raw.close()


# ---------------------------------------------------------------------- schema
_TYPES = {"INTEGER": "bigint", "TEXT": "text", "FLOAT": "double precision", "REAL": "double precision",
          "BLOB": "bytea", "NUMERIC": "numeric"}  # fmt: skip


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str, bool, str | None], ...]  # name, pg type, not null, default
    pk: tuple[str, ...]
    identity: bool
    foreign_keys: tuple[tuple[str, str, str], ...]  # column, other table, other column
    indexes: tuple[tuple[str, tuple[str, ...], bool], ...]  # name, columns, unique


@lru_cache(maxsize=4)
def reference_tables(version: int) -> tuple[Table, ...]:
    """The project tables as schema.create_schema makes them in SQLite, read back through
    SQLite's own catalogue: the one definition both engines use."""
    import sqlite_utils

    conn = sqlite3.connect(":memory:")
    schema.create_schema(sqlite_utils.Database(conn))
    tables = []
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rowid"
        )
    ]
    for name in names:
        info = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
        pk = tuple(r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5]))
        identity = len(pk) == 1 and pk == ("id",)
        columns = tuple(
            (r[1], _TYPES.get((r[2] or "TEXT").upper(), "text"), bool(r[3]), r[4]) for r in info
        )
        fks = tuple(
            (r[3], r[2], r[4] or "id")
            for r in conn.execute(f'PRAGMA foreign_key_list("{name}")').fetchall()
        )
        indexes = []
        for r in conn.execute(f'PRAGMA index_list("{name}")').fetchall():
            if r[3] == "pk":
                continue
            cols = tuple(c[2] for c in conn.execute(f'PRAGMA index_info("{r[1]}")').fetchall())
            indexes.append((r[1], cols, bool(r[2])))
        tables.append(Table(name, columns, pk, identity, fks, tuple(indexes)))
    conn.close()
    return tuple(tables)


def _column_ddl(column: tuple[str, str, bool, str | None], table: Table) -> sql.Composable:
    name, kind, not_null, default = column
    if table.identity and name == "id":
        return sql.SQL("id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
    parts: list[sql.Composable] = [sql.Identifier(name), sql.SQL(kind)]
    if not_null:
        parts.append(sql.SQL("NOT NULL"))
    if default is not None:
        parts.append(sql.SQL("DEFAULT " + default))  # SQLite's literal: '' or 0 or 'text'
    return sql.SQL(" ").join(parts)


def table_ddl(table: Table) -> list[sql.Composable]:
    cols = [_column_ddl(c, table) for c in table.columns]
    if table.pk and not table.identity:
        cols.append(
            sql.SQL("PRIMARY KEY ({})").format(sql.SQL(", ").join(map(sql.Identifier, table.pk)))
        )
    statements: list[sql.Composable] = [
        sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(table.name), sql.SQL(", ").join(cols))
    ]
    statements += [index_ddl(table, index) for index in table.indexes]
    return statements


def index_ddl(table: Table, index: tuple[str, tuple[str, ...], bool]) -> sql.Composable:
    name, cols, unique = index
    return sql.SQL("CREATE {}INDEX {} ON {} ({})").format(
        sql.SQL("UNIQUE " if unique else ""),
        sql.Identifier(name),
        sql.Identifier(table.name),
        sql.SQL(", ").join(map(sql.Identifier, cols)),
    )


def foreign_key_ddl(table: Table) -> list[sql.Composable]:
    return [
        sql.SQL(
            "ALTER TABLE {} ADD FOREIGN KEY ({}) REFERENCES {} ({}) DEFERRABLE INITIALLY IMMEDIATE"
        ).format(
            sql.Identifier(table.name),
            sql.Identifier(column),
            sql.Identifier(other),
            sql.Identifier(other_column),
        )
        for column, other, other_column in table.foreign_keys
    ]


def channel(url: TeamUrl) -> str:
    """The LISTEN/NOTIFY channel of a project: every committed history event is sent on it."""
    return f"wb_{url.project}".replace("-", "_")


_NOTIFY = """
CREATE OR REPLACE FUNCTION wb_notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Delivered at COMMIT only, so a listener never sees an edit that was rolled back.
  PERFORM pg_notify(TG_ARGV[0], json_build_object(
    'id', NEW.id, 'claim_id', NEW.claim_id, 'source_id', NEW.source_id, 'at', NEW.at,
    'actor', NEW.actor, 'action', NEW.action, 'detail', left(NEW.detail, 2000))::text);
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS wb_notify ON events;
"""


def install_notify(raw: psycopg.Connection[Any], url: TeamUrl) -> None:
    raw.execute(_NOTIFY)
    raw.execute(
        sql.SQL(
            "CREATE TRIGGER wb_notify AFTER INSERT ON events FOR EACH ROW "
            "EXECUTE FUNCTION wb_notify_event({})"
        ).format(sql.Literal(channel(url)))
    )


def create_tables(raw: psycopg.Connection[Any], version: int) -> None:
    tables = reference_tables(version)
    for table in tables:
        for statement in table_ddl(table):
            raw.execute(statement)
    for table in tables:
        for statement in foreign_key_ddl(table):
            raw.execute(statement)


def migrate_tables(raw: psycopg.Connection[Any], version: int) -> list[str]:
    """Bring an older team schema up to `version` by adding what it lacks (tables, columns,
    indexes); returns what was added. Runs inside the caller's transaction."""
    added: list[str] = []
    present = {
        r[0]: set()
        for r in raw.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    }
    for r in raw.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema()"
    ):
        present.setdefault(r[0], set()).add(r[1])
    indexes = {
        r[0]
        for r in raw.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
    }
    tables = reference_tables(version)
    for table in tables:
        if table.name not in present:
            for statement in table_ddl(table):
                raw.execute(statement)
            added.append(f"table {table.name}")
            continue
        for column in table.columns:
            if column[0] not in present[table.name]:
                raw.execute(
                    sql.SQL("ALTER TABLE {} ADD COLUMN {}").format(
                        sql.Identifier(table.name), _column_ddl(column, table)
                    )
                )
                added.append(f"column {table.name}.{column[0]}")
        for index in table.indexes:
            if index[0] not in indexes:
                raw.execute(index_ddl(table, index))
                added.append(f"index {index[0]}")
    return added


# ---------------------------------------------------------------------- errors
# The oldest server Workbench supports (libpq's number). The schema itself needs 11 at least
# (its triggers are CREATE TRIGGER ... EXECUTE FUNCTION); older releases than 13 are out of
# upstream support, so they are refused at connection, before anything is read or written.
MIN_SERVER_VERSION = 130000


def _version_name(number: int) -> str:
    """libpq's server_version as people write it: 150004 -> "15", 90624 -> "9.6"."""
    major = number // 10000
    return str(major) if major >= 10 else f"{major}.{number // 100 % 100}"


def check_server_version(number: int, where: str) -> None:
    """Refuse a server older than MIN_SERVER_VERSION (libpq's number, as the connection reports
    it) with one line naming both versions."""
    if number < MIN_SERVER_VERSION:
        raise ProjectError(
            f"The server of {where} runs PostgreSQL {_version_name(number)}; Workbench needs "
            f"{_version_name(MIN_SERVER_VERSION)} or newer."
        )


# psycopg 3.2's name for a connect that got no answer in time (earlier: an OperationalError).
_TIMEOUT: Any = getattr(psycopg.errors, "ConnectionTimeout", ())


class PasswordNeededError(ProjectError):
    """The server asks for a password the URL, PGPASSWORD and ~/.pgpass did not give: the
    window asks for it (a remembered team project never keeps one)."""


def friendly(exc: Exception, where: str, url: TeamUrl | None = None) -> ProjectError:
    """One line a person can act on, never the server's multi-line report or a password
    (libpq quotes a URL it cannot parse back whole, password and all: `url` hides it)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = url.hide(text) if url is not None else _URL_PASSWORD.sub(r"\1***@", text)
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return ProjectError(_refusal(text, where))
    if isinstance(exc, psycopg.errors.ReadOnlySqlTransaction):
        return ProjectError(f"{where} is open read-only; the change was not saved.")
    if isinstance(exc, psycopg.errors.SerializationFailure | psycopg.errors.DeadlockDetected):
        return ProjectError(
            f"{where} was busy with another edit; the change was not saved, try again."
        )
    if isinstance(exc, psycopg.OperationalError):
        lowered = text.lower()
        if "no password supplied" in lowered:
            return PasswordNeededError(
                f"The server of {where} asks for a password (give it in the URL or the "
                "window's Password field, or keep it in ~/.pgpass or PGPASSWORD)."
            )
        if "password authentication failed" in lowered:
            return ProjectError(
                f"The server refused the login for {where}: wrong user name or password."
            )
        # libpq's words, and psycopg's (it resolves the name itself before libpq connects).
        if any(w in lowered for w in ("could not translate host name", "failed to resolve host",
                                      "name or service not known")):  # fmt: skip
            return ProjectError(
                f"The server of {where} is unknown: its host name could not be found."
            )
        if isinstance(exc, _TIMEOUT) or "timeout expired" in lowered:
            return ProjectError(
                f"The server of {where} did not answer within {CONNECT_TIMEOUT_S} s (check the "
                "address, and that the server is running and reachable)."
            )
        if "connection refused" in lowered or "could not connect" in lowered:
            return ProjectError(f"The server of {where} cannot be reached (is it running?).")
        if "does not exist" in lowered and "database" in lowered:
            return ProjectError(f"{where}: {text}.")
        return ProjectError(f"The connection to {where} failed: {text}.")
    return ProjectError(f"{where} could not be read or changed: {text}.")


_ADMIN_TABLES = {"meta", "articles", "links", "article_versions"}


def _refusal(text: str, where: str) -> str:
    """The server's refusal as a sentence naming the role that may do it."""
    if "needs the" in text:  # our own triggers already say it
        return text
    table = re.search(r'table "?(\w+)"?', text)
    name = table.group(1) if table else ""
    if "row-level security" in text and name in ("verdicts", "events"):
        return (
            f"{where} records every edit under your own login; writing as someone else is refused."
        )
    if "row-level security" in text and name == "meta":
        return f"Changing the project's scale or settings in {where} needs the editor role."
    if name in _ADMIN_TABLES:
        return f"Changing {name} in {where} needs the admin role."
    if name:
        return f"Your role may not change {name} in {where}; ask an editor or admin."
    return f"Your role may not do this in {where}: {text}."


# ---------------------------------------------------------------------- the backend
class PostgresBackend:
    kind = "postgresql"
    errors: tuple[type[Exception], ...] = (psycopg.Error,)
    begin_sql = "BEGIN"

    def __init__(
        self, url: TeamUrl, raw: psycopg.Connection[Any], *, readonly: bool, given: str = ""
    ) -> None:
        self.url = url
        self.open_location = given or url.display
        self.raw = raw
        self.readonly = readonly
        ids = frozenset(t.name for t in reference_tables(schema.SCHEMA_VERSION) if t.identity)
        self.conn = Connection(raw, ids)
        self.name = f"team project {url.project}"
        # Who edits: in a team project always the login, never a name typed by the user.
        self.login = str(raw.info.user or "")
        self.location = url.display
        # Messages and relative paths (scales beside the project) need a folder and a name.
        self.path = Path(url.project)
        self.folder = Path.cwd()
        # Set while the window's listener cannot reach the server: no connect is tried (a server
        # that drops packets would hold each try for the connect timeout); see ensure_connected.
        self.offline = False
        # Set when a listener in another thread follows the server for this project (the
        # window's): connecting again here is then only a short probe; see ensure_connected.
        self.watched = False

    # ---------------------------------------------------------------- connecting
    # One connection per Project, no pool (psycopg-pool). A Project holds its connection for its
    # whole life (the window's for as long as the project is open) because its transactions,
    # search_path and read-only setting are session state; only short-lived worker Projects
    # (a report, a fetch) would reuse a pooled one, saving the connect (~16 ms on localhost with
    # SCRAM, measured under load) on jobs that take far longer, while pooled sessions would carry
    # another project's search_path or read-only flag and idle ones would show in presence
    # (pg_stat_activity by application_name). The listener keeps its own connection: LISTEN is
    # per session and must stay open.
    @staticmethod
    def connect(url: TeamUrl) -> psycopg.Connection[Any]:
        try:
            raw = psycopg.connect(
                url.conninfo,
                autocommit=True,
                connect_timeout=CONNECT_TIMEOUT_S,
                # Who else has the project open is read from pg_stat_activity by this name.
                application_name=f"workbench:{url.project}"[:63],
            )
        except psycopg.Error as exc:
            raise friendly(exc, url.display, url) from None
        try:
            check_server_version(raw.info.server_version, url.display)
        except ProjectError:
            raw.close()
            raise
        return raw

    @classmethod
    def open(cls, location: str, *, readonly: bool, newest: int) -> PostgresBackend:
        url = parse_url(location)
        raw = cls.connect(url)
        try:
            _use_schema(raw, url)
            version = _schema_version(raw, url)
            if version > newest:
                raise ProjectError(
                    f"{url.display} was made by a newer Workbench (project version {version}, "
                    f"this one reads up to {newest}); update Workbench to open it."
                )
            if version < newest:
                if readonly:
                    raise ProjectError(
                        f"{url.display} is from an older Workbench; open it for editing once "
                        "to upgrade it."
                    )
                _upgrade(raw, newest, url)
            if readonly:
                raw.execute("SET default_transaction_read_only = on")
        except psycopg.Error as exc:
            raw.close()
            raise friendly(exc, url.display, url) from None
        except BaseException:
            raw.close()
            raise
        return cls(url, raw, readonly=readonly, given=location)

    @classmethod
    def create(
        cls, location: str, fill: Callable[[Any], None], *, overwrite: bool, newest: int
    ) -> PostgresBackend:
        url = parse_url(location)
        raw = cls.connect(url)
        backend = None
        try:
            exists = _schema_exists(raw, url)
            if exists and not overwrite:
                raise ProjectError(
                    f"{url.display} already exists; choose another name or remove it first."
                )
            with raw.transaction():
                if exists:
                    raw.execute(
                        sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(url.schema))
                    )
                raw.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(url.schema)))
                _set_search_path(raw, url)
                create_tables(raw, newest)
                install_notify(raw, url)
                backend = cls(url, raw, readonly=False, given=location)
                backend.conn._explicit.clear()
                fill(backend.conn)
                backend.conn._fix_sequences()
        except psycopg.Error as exc:
            raw.close()
            raise friendly(exc, url.display, url) from None
        except BaseException:
            raw.close()
            raise
        assert backend is not None
        return backend

    def friendly(self, exc: Exception) -> ProjectError:
        if isinstance(exc, psycopg.OperationalError) and (self.raw.closed or self.raw.broken):
            return ProjectError(self._lost())
        return friendly(exc, self.location, self.url)

    def _lost(self) -> str:
        return (
            f"The connection to {self.location} was lost; the change was not saved. "
            "Workbench reconnects when the server is back."
        )

    def ensure_connected(self) -> None:
        """After the server restarted or the network dropped: connect again before the next
        read or edit (the lost transaction was rolled back by the server, never half-written).
        While `offline`, refused at once instead: the listener connects again in its own thread
        and clears it when the server is back."""
        if self.offline:
            raise ProjectError(self._lost())
        if not self.raw.closed and not self.raw.broken:
            return
        if self.watched:
            self._probe()
        raw = self.connect(self.url)
        try:
            _use_schema(raw, self.url)
            if self.readonly:
                raw.execute("SET default_transaction_read_only = on")
        except psycopg.Error as exc:
            raw.close()
            raise friendly(exc, self.location, self.url) from None
        self.raw = raw
        self.conn.raw = raw
        self.conn._explicit.clear()

    def _probe(self) -> None:
        """The window's connection broke and its listener has not said why yet (its news is
        still queued): a server restart answers a connect at once, a network that drops
        packets never does. Probe briefly, so the window never waits out the connect timeout;
        no answer makes the project offline until the listener is connected again."""
        deadline = time.monotonic() + PROBE_S

        def check() -> None:
            if time.monotonic() > deadline:
                raise TimeoutError

        try:
            reach(self.url, check)
        except (ProjectError, TimeoutError):
            self.offline = True
            raise ProjectError(self._lost()) from None

    def check_member(self, login: str) -> None:
        """Claims are assigned to team members only (any login in one of the team roles)."""
        row = self.raw.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = %s AND r.rolcanlogin "
            "AND pg_has_role(r.oid, 'workbench_checker', 'MEMBER'))",
            (login,),
        ).fetchone()
        if not row or not row[0]:
            raise ProjectError(
                f"{login} is not a member of the team (add them with workbench team add)."
            )

    def others_present(self) -> list[str]:
        """Logins with this project open in another connection (window, CLI, worker)."""
        self.ensure_connected()
        rows = self.raw.execute(
            "SELECT DISTINCT usename FROM pg_stat_activity WHERE application_name = %s "
            "AND pid <> pg_backend_pid() AND datname = current_database() ORDER BY usename",
            (f"workbench:{self.url.project}"[:63],),
        ).fetchall()
        return [str(r[0]) for r in rows if r[0] and str(r[0]) != self.login]

    def data_version(self) -> int:
        row = self.raw.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        self.conn.close()


def _set_search_path(raw: psycopg.Connection[Any], url: TeamUrl) -> None:
    raw.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(url.schema)))


def _schema_exists(raw: psycopg.Connection[Any], url: TeamUrl) -> bool:
    row = raw.execute(
        "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (url.schema,)
    ).fetchone()
    return row is not None


def _use_schema(raw: psycopg.Connection[Any], url: TeamUrl) -> None:
    if not _schema_exists(raw, url):
        raise ProjectError(
            f"There is no team project '{url.project}' on {url.server} "
            "(create it with workbench new or workbench copy)."
        )
    _set_search_path(raw, url)


def _schema_version(raw: psycopg.Connection[Any], url: TeamUrl) -> int:
    try:
        rows = dict(raw.execute("SELECT key, value FROM meta").fetchall())
    except psycopg.errors.UndefinedTable:
        raise ProjectError(
            f"{url.display} is not a Workbench project (it has no meta table)."
        ) from None
    if rows.get("app") != APP_ID:
        raise ProjectError(f"{url.display} is not a Workbench project.")
    try:
        return int(rows.get("schema_version", ""))
    except ValueError:
        raise ProjectError(f"{url.display} has no readable schema version.") from None


def _upgrade(raw: psycopg.Connection[Any], newest: int, url: TeamUrl) -> None:
    """Older team schemas gain what they lack, all in one transaction (or nothing changes)."""
    with raw.transaction():
        migrate_tables(raw, newest)
        install_notify(raw, url)
        raw.execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(newest),))


def list_projects(location: str) -> list[str]:
    """The team projects in the URL's database (a `project` parameter in it is ignored)."""
    url = parse_url(location, need_project=False)
    raw = PostgresBackend.connect(url)
    try:
        rows = raw.execute(
            "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE %s "
            "ORDER BY schema_name",
            (SCHEMA_PREFIX.replace("_", r"\_") + "%",),
        ).fetchall()
    except psycopg.Error as exc:
        raise friendly(exc, url.server, url) from None
    finally:
        raw.close()
    return [r[0][len(SCHEMA_PREFIX) :] for r in rows]


# ---------------------------------------------------------------------- from a worker, cancellable
# A blocking psycopg.connect cannot be interrupted: a server that never answers (a host that
# drops packets, a port that listens but never replies) holds the thread for the whole connect
# timeout. The window's jobs reach the server with psycopg's asyncio connection instead, in a
# private event loop, so Cancel (or closing the window) ends the attempt within POLL_S.
POLL_S = 0.05
T = TypeVar("T")


def _cancellable(make: Callable[[], Awaitable[T]], check: Callable[[], None]) -> T:
    """Run make() to its end; `check` is called every POLL_S and cancels it by raising."""

    async def main() -> T:
        task = asyncio.ensure_future(make())
        while True:
            done, _ = await asyncio.wait({task}, timeout=POLL_S)
            if done:
                return task.result()
            try:
                check()
            except BaseException:
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
                raise

    return asyncio.run(main())


async def _aconnect(url: TeamUrl, where: str, purpose: str) -> psycopg.AsyncConnection[Any]:
    try:
        conn = await psycopg.AsyncConnection.connect(
            url.conninfo,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_S,
            # Not "workbench:PROJECT": presence must not count a window still connecting.
            application_name=f"workbench {purpose}"[:63],
        )
    except psycopg.Error as exc:
        raise friendly(exc, where, url) from None
    try:
        check_server_version(conn.info.server_version, where)
    except ProjectError:
        await conn.close()
        raise
    return conn


def reach(location: str | TeamUrl, check: Callable[[], None]) -> None:
    """Connect to the team project's server once and leave (the person may cancel while it
    is tried): what is wrong (no answer, no password, wrong password, unknown host, too old a
    server) is the same one-line ProjectError as Project.open's."""
    url = location if isinstance(location, TeamUrl) else parse_url(location)

    async def attempt() -> None:
        conn = await _aconnect(url, url.display, "connecting")
        await conn.close()

    _cancellable(attempt, check)


@dataclass(frozen=True)
class ProjectSummary:
    """One team project as a list shows it, read without opening it."""

    name: str
    title: str = ""
    claims: int = 0
    checked: int = 0  # checked or approved, as the window's progress counts them
    changed: str = ""  # the last history event's time (UTC, ISO), else when it was made
    readable: bool = True  # False: a wb_ schema this login cannot read, or without the tables


_SUMMARY_TABLES = ("meta", "articles", "claims", "events")


def _summary_select(name: str) -> sql.Composable:
    s = sql.Identifier(SCHEMA_PREFIX + name)
    return sql.SQL(
        "SELECT {name}, a.title, c.n, c.done, coalesce(e.at, m.value) FROM "
        "(SELECT count(*) AS n, count(*) FILTER (WHERE status IN ('checked', 'approved')) "
        "AS done FROM {s}.claims WHERE deleted = 0) c "
        "LEFT JOIN LATERAL (SELECT title FROM {s}.articles ORDER BY id LIMIT 1) a ON true "
        "LEFT JOIN LATERAL (SELECT at FROM {s}.events ORDER BY id DESC LIMIT 1) e ON true "
        "LEFT JOIN LATERAL (SELECT value FROM {s}.meta WHERE key = 'created') m ON true"
    ).format(name=sql.Literal(name), s=s)


def project_summaries(location: str, check: Callable[[], None]) -> list[ProjectSummary]:
    """The team projects in the URL's database with their article title, claim and checked
    counts and last change, newest change first: two queries whatever the number of projects
    (which schemas this login can read, then one UNION ALL over them)."""
    url = parse_url(location, need_project=False)

    async def read() -> list[ProjectSummary]:
        conn = await _aconnect(url, url.server, "listing")
        try:
            cur = await conn.execute(
                "SELECT schema_name, bool_and(coalesce(has_table_privilege("
                "to_regclass(format('%%I.%%I', schema_name, t)), 'SELECT'), false)) "
                "FROM information_schema.schemata, unnest(%s::text[]) AS t "
                "WHERE schema_name LIKE %s GROUP BY schema_name ORDER BY schema_name",
                (list(_SUMMARY_TABLES), SCHEMA_PREFIX.replace("_", r"\_") + "%"),
            )
            listed = [(str(r[0])[len(SCHEMA_PREFIX) :], bool(r[1])) for r in await cur.fetchall()]
            readable = [name for name, ok in listed if ok]
            rows: dict[str, ProjectSummary] = {}
            if readable:
                query = sql.SQL(" UNION ALL ").join(_summary_select(n) for n in readable)
                cur = await conn.execute(query)
                for name, title, n, done, changed in await cur.fetchall():
                    rows[name] = ProjectSummary(name, title or "", n, done, changed or "")
        except psycopg.Error as exc:
            raise friendly(exc, url.server, url) from None
        finally:
            await conn.close()
        out = [rows.get(name) or ProjectSummary(name, readable=False) for name, _ok in listed]
        return sorted(out, key=lambda p: p.changed, reverse=True)  # stable: names A-Z within

    return _cancellable(read, check)
