"""Team project URLs that cannot be opened, one per fault the issue names, each made real on
the tests' server (or, for the unknown host, a name that never resolves: `.invalid` is reserved
for that by RFC 6761). Shared by the CLI tests (tests/team) and the window's (tests/gui)."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg

# A password in a failing URL must never come back in the message.
SECRET = "s3cret-pw"


def fault_urls(
    pg_server: Any, team_url: Callable[[str], str], seed_path: Path
) -> dict[str, tuple[str, str]]:
    """name -> (URL, words the one-line message must hold)."""
    from workbench.core.project.backends.postgres import parse_url
    from workbench.core.project.create import new_project

    bare, newer = team_url("bare"), team_url("newer")
    with psycopg.connect(parse_url(bare).conninfo, autocommit=True) as raw:
        # a schema with the project's name but none of its tables (made by hand, half-restored)
        raw.execute(f'CREATE SCHEMA "{parse_url(bare).schema}"')
    new_project(newer, seed_path).close()
    with psycopg.connect(parse_url(newer).conninfo, autocommit=True) as raw:
        raw.execute(f'SET search_path TO "{parse_url(newer).schema}"')
        raw.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    return {
        "unknown host": (
            f"postgresql://ana:{SECRET}@db.newsroom.invalid/newsroom?project=desk",
            "is unknown: its host name could not be found",
        ),
        "no such database": (
            pg_server.url("no_such_db") + "?project=desk",
            'database "no_such_db" does not exist',
        ),
        "no such project": (team_url("absent"), "There is no team project 'absent-"),
        "schema without its tables": (bare, "is not a Workbench project (it has no meta table)"),
        "newer schema": (newer, "was made by a newer Workbench (project version 99"),
    }


@contextlib.contextmanager
def blackhole() -> Iterator[str]:
    """A server URL on which a connect hangs: a TCP socket on 127.0.0.1 that listens but never
    accepts or answers (as a host that drops packets: nothing comes back), closed afterwards."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield f"postgresql://ana:{SECRET}@127.0.0.1:{sock.getsockname()[1]}/newsroom"


class Relay:
    """A TCP relay on 127.0.0.1 in front of the tests' server that can go silent, as a network
    that starts dropping packets: cut() ends every relayed connection and from then on accepts
    new ones but never answers them (a connect hangs); mend() relays again."""

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.silent = False
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, server_url: str) -> str:
        """`server_url` (the tests' server) through the relay."""
        return server_url.replace(f":{self.target}/", f":{self.port}/", 1)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            with self._lock:
                self._open.append(client)
                if self.silent:
                    continue  # held open, never answered
                upstream = socket.create_connection(("127.0.0.1", self.target))
                self._open.append(upstream)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)

    def _drop_all(self) -> None:
        with self._lock:
            for s in self._open:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self._open.clear()

    def cut(self) -> None:
        self.silent = True
        self._drop_all()

    def mend(self) -> None:
        self.silent = False
        self._drop_all()  # the connects held unanswered fail now, and are tried again

    def close(self) -> None:
        self.sock.close()
        self._drop_all()
