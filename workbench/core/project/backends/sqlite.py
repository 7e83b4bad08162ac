"""The SQLite backend: one file per project, opened, checked, created, migrated and backed up.

Durability rules: the file is in WAL mode with synchronous=FULL, every edit is one short
BEGIN IMMEDIATE transaction (so a crash or SIGKILL loses at most the edit in flight, never
half of one), and a busy timeout lets two windows or processes share a project safely.
Everything here is about the file and the engine; the business rules live in store.Project.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where a file is written or upgraded: ~0.3 s (numpy) at start-up
    import sqlite_utils

from workbench.core.errors import ProjectError
from workbench.core.project import schema
from workbench.core.project.schema import APP_ID, create_schema

PROJECT_SUFFIX = ".wbproj"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


def friendly(exc: sqlite3.Error, path: Path) -> ProjectError:
    """Turn SQLite's wording into something a person can act on."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return ProjectError(
            f"{path.name} is busy in another window or process; the change was not saved, try again."
        )
    if "readonly" in text or "read-only" in text:
        return ProjectError(f"{path.name} is read-only; the change was not saved.")
    if "disk is full" in text or "database or disk is full" in text:
        return ProjectError(f"The disk is full; the change to {path.name} was not saved.")
    # "Could not decode to UTF-8 column ..." is a damaged page read as text; its message would
    # otherwise carry the page's garbage bytes to the user.
    if any(w in text for w in ("malformed", "not a database", "corrupt", "could not decode")):
        return ProjectError(f"{path.name} is damaged and cannot be used as a project.")
    return ProjectError(f"{path.name} could not be read or changed: {exc}.")


def _distrust_schema(conn: sqlite3.Connection) -> None:
    """A project may come from someone else: the SQL stored in its schema (defaults, checks,
    indexes on expressions) may call only functions SQLite marks harmless."""
    conn.execute("PRAGMA trusted_schema = OFF")


def connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN IMMEDIATE/COMMIT ourselves, so one edit is one
    # transaction even where sqlite-utils helpers would commit on their own.
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    _distrust_schema(conn)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection. mode=ro still needs the WAL index (-shm) beside the file; where
    that cannot be made (read-only media, a folder we may not write), the file is opened as
    immutable: nobody can be writing it there, so SQLite may skip locking altogether."""
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(
        f"{uri}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
    )
    try:
        _distrust_schema(conn)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        if can_write(path):
            raise
    conn = sqlite3.connect(
        f"{uri}?immutable=1", uri=True, isolation_level=None, check_same_thread=False
    )
    _distrust_schema(conn)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return conn


def can_write(path: Path) -> bool:
    """Whether SQLite could write the file and make its journal beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def missing_folder(path: Path) -> Path | None:
    """The nearest folder on the way to `path` that does not exist, if one is missing."""
    missing = None
    folder = path.absolute().parent
    while not folder.exists():
        missing = folder
        if folder.parent == folder:
            break
        folder = folder.parent
    return missing


def check_target_folder(path: Path, what: str) -> None:
    """A one-line reason why a new file cannot be written at `path`, before trying."""
    missing = missing_folder(path)
    if missing is not None:
        raise ProjectError(
            f"The {what} {path.name} cannot be written: the folder {missing} does not exist."
        )
    folder = path.absolute().parent
    if not folder.is_dir():
        raise ProjectError(f"The {what} {path.name} cannot be written: {folder} is not a folder.")
    if not os.access(folder, os.W_OK):
        raise ProjectError(
            f"The {what} {path.name} cannot be written: the folder {folder} is read-only."
        )


def check_project_file(path: Path, newest: int | None = None) -> int:
    """The schema version of a project file, or ProjectError; never modifies the file."""
    if not path.exists():
        missing = missing_folder(path)
        if missing is not None:
            raise ProjectError(
                f"There is no project file at {path}: the folder {missing} does not exist."
            )
        raise ProjectError(f"There is no project file at {path}.")
    if path.is_dir():
        raise ProjectError(f"{path} is a folder, not a project file.")
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise ProjectError(f"{path.name} cannot be read: {exc.strerror or exc}.") from None
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise ProjectError(f"{path.name} is not a Workbench project (it is not a SQLite database).")
    # A file whose header asks for WAL gets a -wal and -shm beside it when opened, even read
    # only; when it then turns out damaged, the ones this check made are taken away again (a
    # -wal that was there before may hold someone's last edits and is never touched).
    sidecars = [path.with_name(path.name + end) for end in ("-wal", "-shm")]
    made = [p for p in sidecars if not p.exists()]
    try:
        conn = connect_readonly(path)
        try:
            objects = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
            tables = {name for kind, name in objects if kind == "table"}
            if "meta" not in tables:
                raise ProjectError(f"{path.name} is a SQLite database but not a Workbench project.")
            _refuse_foreign_code(path, objects)
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        for sidecar in made:
            remove_quietly(sidecar)
        raise ProjectError(f"{path.name} is damaged or not a Workbench project ({exc}).") from None
    if meta.get("app") != APP_ID:
        raise ProjectError(f"{path.name} is a SQLite database but not a Workbench project.")
    try:
        version = int(meta.get("schema_version", ""))
    except ValueError:
        raise ProjectError(f"{path.name} has no readable schema version.") from None
    newest = schema.SCHEMA_VERSION if newest is None else newest
    if version > newest:
        raise ProjectError(
            f"{path.name} was made by a newer Workbench (project version {version}, this one reads "
            f"up to {newest}); update Workbench to open it."
        )
    return version


def _refuse_foreign_code(path: Path, objects: list[tuple[str, str]]) -> None:
    """A Workbench project has tables and indexes only, at every version. A file from someone
    else with triggers (SQL that runs on our edits: rewriting a verdict as it is saved,
    erasing history) or views (SQL read in place of a table) was not made here: refused
    before anything reads or writes through them."""
    foreign = sorted(f"{kind} {name}" for kind, name in objects if kind in ("trigger", "view"))
    if foreign:
        raise ProjectError(
            f"{path.name} was not made by Workbench: it holds {', '.join(foreign[:3])}"
            f"{' and more' if len(foreign) > 3 else ''}, which a project never has; it is not "
            "opened."
        )


def write_project_file(
    path: Path, fill: Callable[[sqlite_utils.Database], None], *, what: str = "project"
) -> None:
    """Write a new project-shaped file atomically: the schema and `fill` go into a file beside
    the target, which is renamed into place only when complete, so a crash or a full disk never
    leaves half a project (and never touches an existing file until the rename)."""
    check_target_folder(path, what)
    tmp = path.with_name(f".{path.name}.creating-{os.getpid()}")
    try:
        tmp.unlink(missing_ok=True)
        conn = sqlite3.connect(str(tmp))
        try:
            import sqlite_utils

            db = sqlite_utils.Database(conn)
            create_schema(db)
            fill(db)
            conn.commit()
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        os.replace(tmp, path)
    except OSError as exc:
        remove_quietly(tmp)
        raise ProjectError(
            f"The {what} {path.name} could not be written: {exc.strerror or exc}."
        ) from None
    except sqlite3.Error as exc:
        remove_quietly(tmp)
        if "unable to open" in str(exc):
            raise ProjectError(
                f"The {what} {path.name} could not be written in {path.absolute().parent}."
            ) from None
        raise friendly(exc, path) from None
    except BaseException:
        remove_quietly(tmp)
        raise


def remove_quietly(path: Path) -> None:
    """Clean up a half-written file; on a read-only or vanished folder there is nothing to do."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def migrate(path: Path, version: int, target: int) -> None:
    """Bring an older project up to date, keeping a copy of the original beside it."""
    copy = path.with_name(f"{path.name}.v{version}.bak")
    try:
        backup(path, copy)
    except (OSError, sqlite3.Error) as exc:
        raise ProjectError(
            f"{path.name} needs upgrading but no backup could be written beside it: {exc}."
        ) from None
    conn = connect(path)
    try:
        import sqlite_utils

        db = sqlite_utils.Database(conn)
        while version < target:
            step = schema.MIGRATIONS.get(version)
            if step is None:
                raise ProjectError(
                    f"{path.name} is at version {version}, which cannot be upgraded."
                )
            conn.execute("BEGIN IMMEDIATE")
            try:
                step(db)
                version += 1
                conn.execute(
                    "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),)
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
    except sqlite3.Error as exc:
        raise friendly(exc, path) from None
    finally:
        conn.close()


def backup(path: Path, backup: Path) -> None:
    """A complete, openable copy made with SQLite's backup API: it includes edits still in the
    -wal file (copying the main file alone would miss them). Written beside, then renamed."""
    tmp = backup.with_name(f".{backup.name}.writing-{os.getpid()}")
    try:
        source = connect(path)
        try:
            dest = sqlite3.connect(str(tmp))
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
        os.replace(tmp, backup)
    except BaseException:
        remove_quietly(tmp)
        raise


class SqliteBackend:
    """An open project file: the connection, its name for messages, and the engine's dialect."""

    kind = "sqlite"
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)
    begin_sql = "BEGIN IMMEDIATE"

    def __init__(self, path: Path, conn: sqlite3.Connection, *, readonly: bool) -> None:
        self.path = path
        self.conn = conn
        self.readonly = readonly
        self.name = path.name
        self.location = str(path)
        self.open_location = str(path)
        self.folder = path.parent

    @classmethod
    def open(cls, path: Path, *, readonly: bool, newest: int) -> SqliteBackend:
        """Open for editing, or read-only: a read-only open never changes the file, not even
        its journal mode. A file that cannot be written here (read-only media, a locked
        folder) opens read-only too."""
        version = check_project_file(path, newest)
        writable = can_write(path)
        if version < newest:
            if readonly or not writable:
                where = "" if writable else " and is read-only here"
                raise ProjectError(
                    f"{path.name} is from an older Workbench{where}; open it for editing once "
                    "(in a folder you can write to) to upgrade it."
                )
            migrate(path, version, newest)
        readonly = readonly or not writable
        try:
            if readonly:
                conn = connect_readonly(path)
                conn.execute("PRAGMA query_only = ON")
            else:
                conn = connect(path)
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as exc:
            raise friendly(exc, path) from None
        return cls(path, conn, readonly=readonly)

    @classmethod
    def create(
        cls, path: Path, fill: Callable[[Any], None], *, overwrite: bool, newest: int
    ) -> SqliteBackend:
        if path.exists() and not overwrite:
            raise ProjectError(f"{path} already exists; choose another name or remove it first.")
        write_project_file(path, lambda db: fill(db.conn))
        return cls.open(path, readonly=False, newest=newest)

    def friendly(self, exc: Exception) -> ProjectError:
        assert isinstance(exc, sqlite3.Error)
        return friendly(exc, self.path)

    def check_member(self, login: str) -> None:
        """A file has no member list: any name will do."""

    def ensure_connected(self) -> None:
        """A file is always there while open; nothing to reconnect."""

    def data_version(self) -> int:
        """Changes when another connection commits; lets a window notice edits made elsewhere."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
