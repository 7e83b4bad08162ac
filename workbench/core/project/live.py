"""Live updates of a team project: every committed edit, pushed by the server as it happens.

The server sends each new history event on the project's channel (LISTEN/NOTIFY, delivered at
COMMIT; no polling). A TeamListener holds its own connection in a daemon thread and hands each
event to a callback; when the server goes away it says so, keeps trying, and says so again
when it is back. Qt-free: the window wraps the callbacks in signals.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg import sql

from workbench.core.project.backends.postgres import (
    PostgresBackend,
    TeamUrl,
    channel,
    parse_url,
    reach,
)
from workbench.core.project.records import EventRecord

RETRY_S = 1.0


class Stopped(Exception):
    """A listener was stopped while it was reaching the server."""


class ServerListener:
    """A daemon thread that follows a team server until stop(). Its connects go through the
    cancellable reach() first, so stop() (a window closing, another project opening) never
    waits out the connect timeout of a server that stopped answering."""

    def __init__(self, name: str) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _check_stop(self) -> None:
        if self._stop.is_set():
            raise Stopped

    def _run(self) -> None:
        raise NotImplementedError


# Any login on the server may NOTIFY any channel, and a channel name is not unique to a project
# (the events of a project named "desk_presence" arrive on "desk"'s presence channel): a
# notification's payload is never trusted as data. It only says "something was committed";
# the events themselves are read back from the project's events table, where every row is the
# server's own record of who did what (rows are written under the author's login only).
EVENT_COLUMNS = "id, claim_id, source_id, at, actor, action, detail"
READ_AT_MOST = 500  # events read back per notification; more follow on the next one
PRESENCE = ("join", "leave")


def event_from_row(row: Sequence[Any]) -> EventRecord:
    """An EventRecord from a row of EVENT_COLUMNS."""
    id_, claim_id, source_id, at, actor, action, detail = row
    try:
        parsed = json.loads(detail or "{}")
    except ValueError:
        parsed = {}
    return EventRecord(
        int(id_),
        claim_id,
        source_id,
        str(at or ""),
        str(actor or ""),
        str(action or ""),
        parsed if isinstance(parsed, dict) else {},
    )


def newer_events(conn: psycopg.Connection[Any], url: TeamUrl, after: int) -> list[EventRecord]:
    """The project's events after id `after`, oldest first (at most READ_AT_MOST)."""
    query = sql.SQL("SELECT {} FROM {}.events WHERE id > %s ORDER BY id LIMIT %s").format(
        sql.SQL(EVENT_COLUMNS), sql.Identifier(url.schema)
    )
    return [event_from_row(r) for r in conn.execute(query, (after, READ_AT_MOST)).fetchall()]


def last_event_id(conn: psycopg.Connection[Any], url: TeamUrl) -> int:
    query = sql.SQL("SELECT coalesce(max(id), 0) FROM {}.events").format(sql.Identifier(url.schema))
    row = conn.execute(query).fetchone()
    return int(row[0]) if row else 0


class TeamListener(ServerListener):
    """Calls on_event(EventRecord) for every edit committed to the project by anyone, and
    on_connection(bool, message) when the link to the server drops or comes back."""

    def __init__(
        self,
        location: str,
        on_event: Callable[[EventRecord], None],
        on_connection: Callable[[bool, str], None] | None = None,
        *,
        on_ready: Callable[[], None] | None = None,
        on_presence: Callable[[str], None] | None = None,
    ) -> None:
        """`on_ready`: called once, when the first attempt to listen succeeded (edits committed
        before are not sent: the caller reads what it missed then); if that attempt failed,
        on_connection(True, ...) says when it is back instead. `on_presence("join" or "leave")`:
        a listener on the same project started or stopped (a window opened or left it), so who
        else is there can be read again."""
        self.url = parse_url(location)
        self.on_event = on_event
        self.on_connection = on_connection or (lambda _up, _message: None)
        self.on_ready = on_ready or (lambda: None)
        self.on_presence = on_presence or (lambda _kind: None)
        # Joins and leaves, on a channel of their own: events' payloads stay history events.
        self._presence = f"{channel(self.url)}_presence"
        super().__init__("team-listener")
        self._ready = threading.Event()
        # True while it listens, False after it lost the server, None before the first try:
        # its callbacks arrive late on the UI thread, which reads this to drop stale news.
        self.up: bool | None = None
        self._conn: psycopg.Connection[Any] | None = None
        self._seen = 0  # the last event id passed on (read back from the server, not a payload)

    def start(self, timeout: float = 10.0) -> TeamListener:
        self._thread.start()
        self._ready.wait(timeout)
        return self

    def _connect(self) -> psycopg.Connection[Any]:
        # Reached first with the cancellable connect: stop() must not wait out the connect
        # timeout of a server that drops packets (the window's close or next project waits
        # for it); the connection it listens on then comes at once.
        reach(self.url, self._check_stop)
        conn = PostgresBackend.connect(self.url)
        conn.execute(f'LISTEN "{channel(self.url)}"')
        conn.execute(f'LISTEN "{self._presence}"')
        # Listening first: an edit committed from here on is both notified and after _seen.
        # (Edits before are the caller's to read: on_ready, or "Connected again".)
        self._seen = last_event_id(conn, self.url)
        conn.execute("SELECT pg_notify(%s, 'join')", (self._presence,))
        return conn

    def _run(self) -> None:
        # `up` changes before each callback: a callback read on the UI thread later can tell
        # whether it is still true.
        while not self._stop.is_set():
            try:
                conn = self._connect()
            except Stopped:
                break
            except Exception as exc:  # any failure to reach the server: say so, try again
                if self.up is not False:
                    self.up = False
                    self.on_connection(False, str(exc))
                self._ready.set()
                self._stop.wait(RETRY_S)
                continue
            was, self.up = self.up, True
            if was is False:
                self.on_connection(True, f"Connected again to {self.url.server}.")
            elif was is None:  # the first time it listens (after a failure: "Connected again")
                self.on_ready()
            self._ready.set()
            try:
                while not self._stop.is_set():
                    # The events are read once the generator ends (it holds the connection
                    # while it runs): after the first packet of notifications, or 0.5 s.
                    committed = False
                    for note in conn.notifies(timeout=0.5, stop_after=1):
                        if note.channel != self._presence:
                            committed = True
                        elif note.payload in PRESENCE:
                            self.on_presence(note.payload)
                    if committed:
                        self._pass_on_new_events(conn)
                with contextlib.suppress(psycopg.Error):  # stopped: the others are told
                    conn.execute("SELECT pg_notify(%s, 'leave')", (self._presence,))
            except psycopg.Error:
                self.up = False
                self.on_connection(
                    False,
                    f"The connection to {self.url.display} was lost; edits are refused until "
                    "it is back.",
                )
            finally:
                conn.close()

    def _pass_on_new_events(self, conn: psycopg.Connection[Any]) -> None:
        for event in newer_events(conn, self.url, self._seen):
            self._seen = event.id
            self.on_event(event)


_LABELS = {
    "verdict": "rated",
    "status": "moved",
    "edit": "reworded",
    "add": "added",
    "delete": "deleted",
    "restore": "restored",
    "source": "added a source to",
    "unsource": "removed a source from",
    "split": "split",
    "merge": "merged into",
    "score": "re-scored",
    "span": "moved the span of",
}


def describe(
    event: EventRecord, rating_label: Callable[[str], str] = str, now: float | None = None
) -> str:
    """One sentence for a person who was not there: "ana rated claim 4 Mostly false 3 s ago"."""
    verb = _LABELS.get(event.action, event.action)
    what = f"claim {event.claim_id}" if event.claim_id is not None else "the project"
    tail = ""
    if event.action == "verdict":
        rating = event.detail.get("rating")
        tail = f" {rating_label(rating)}" if rating else " (cleared)"
        verb = "rated" if rating else "cleared the verdict of"
    elif event.action == "status":
        tail = f" to {str(event.detail.get('to', '')).replace('_', ' ')}"
    return f"{event.actor} {verb} {what}{tail} {_ago(event.at, now)}"


def _ago(at: str, now: float | None) -> str:
    try:
        then = datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
    except ValueError:
        return f"at {at}"
    seconds = max(0, int((time.time() if now is None else now) - then))
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    return f"at {at}"
