"""Team project URLs that cannot be opened, one per fault the issue names, each made real on
the tests' server (or, for the unknown host, a name that never resolves: `.invalid` is reserved
for that by RFC 6761). Shared by the CLI tests (tests/team) and the window's (tests/gui)."""

from __future__ import annotations

import contextlib
import socket
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
