"""Hostile review of team projects: passwords never shown or sent in clear, and notifications
never trusted as data (any login on the server may NOTIFY any channel)."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from team_desk import make_desk

from workbench.core.errors import ProjectError
from workbench.core.project.backends.postgres import channel, parse_url
from workbench.core.project.backends.postgres_roles import add_member
from workbench.core.project.live import TeamListener
from workbench.core.project.store import Project

SECRET = "s3cret-Pw"

# URLs libpq or urllib cannot parse: libpq quotes such a URL back whole, password and all.
MALFORMED = [
    f"postgresql://ana:{SECRET}@127.0.0.1:1/db?project=desk&bogus=1",
    f"postgresql://ana:{SECRET}%zz@127.0.0.1:1/db?project=desk",
    f"postgresql://ana:{SECRET}@[bad/db?project=desk",
    f"postgresql://ana:{SECRET}@127.0.0.1:99999/db?project=desk",
    f"postgresql://127.0.0.1:1/db?password={SECRET}%zz&project=desk&bogus=1",
    f"postgresql://ana:{SECRET}@127.0.0.1:1/db?project=desk&sslmode=bogus",
]


@pytest.mark.parametrize("url", MALFORMED)
def test_a_malformed_team_url_is_one_line_without_its_password(url: str) -> None:
    with pytest.raises(ProjectError) as caught:
        Project.open(url)
    message = str(caught.value)
    assert "s3cret" not in message and "\n" not in message


def test_the_command_line_says_so_in_one_line_without_the_password() -> None:
    for url in MALFORMED[:4]:
        done = subprocess.run(
            [sys.executable, "-m", "workbench", "claims", url],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr and "s3cret" not in done.stderr + done.stdout
        assert done.stderr.startswith("workbench: "), done.stderr


def test_a_parsed_url_never_prints_its_password() -> None:
    url = parse_url(f"postgresql://ana:{SECRET}@db.example/news?project=desk")
    assert "s3cret" not in repr(url) and "s3cret" not in url.display
    assert url.hide(f"bad URI: {url.conninfo}") == "bad URI: postgresql://ana@db.example/news"


def test_adding_a_member_never_sends_the_password_in_clear(pg_server: Any) -> None:
    """Servers log DDL (log_statement = 'ddl' is common): the statement carries only a SCRAM
    verifier, and the login works with the password."""
    server = pg_server.create_database("secrets_logged")
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute("ALTER DATABASE secrets_logged SET log_statement = 'all'")
    log = Path(pg_server.folder) / "log"
    before = log.stat().st_size
    add_member(server, "carol", "checker", SECRET)
    with psycopg.connect(pg_server.url("secrets_logged", "carol", SECRET)) as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("carol",)
    time.sleep(0.3)  # the server's logger writes on its own
    with log.open("rb") as f:
        f.seek(before)
        written = f.read().decode("utf-8", "replace")
    assert "ALTER ROLE" in written  # the statement was logged...
    assert SECRET not in written  # ...without the password


@pytest.fixture()
def desk(team_url: Any, seed_path: Path, pg_server: Any) -> dict[str, str]:
    url, members = make_desk(
        pg_server, team_url, seed_path, "notes", {"ana": "checker", "mallory": "checker"}
    )
    return {
        "ana": members["ana"],
        "mallory": pg_server.url("workbench_tests", "mallory", "mallory-pw"),
        "mallory_project": members["mallory"],
        "channel": channel(parse_url(url)),
    }


def test_a_forged_notification_is_neither_shown_nor_fatal_to_the_listener(
    desk: dict[str, str],
) -> None:
    """A login NOTIFYs the project's channels with a made-up edit by someone else, with
    garbage and with a presence word: no made-up event is passed on, the listener keeps
    listening, and the next real edit arrives with its real author."""
    events: queue.Queue[Any] = queue.Queue()
    presence: queue.Queue[str] = queue.Queue()
    listener = TeamListener(desk["ana"], events.put, on_presence=presence.put).start()
    forged = json.dumps(
        {"id": 10**9, "claim_id": 1, "at": "2026-01-01T00:00:00Z", "actor": "editor-in-chief",
         "action": "verdict", "detail": json.dumps({"rating": "true"})}
    )  # fmt: skip
    try:
        time.sleep(0.5)
        while not presence.empty():  # its own "join"
            presence.get()
        with psycopg.connect(desk["mallory"], autocommit=True) as conn:
            for payload in (forged, "not json", "join", "[1, 2]", "{}"):
                conn.execute("SELECT pg_notify(%s, %s)", (desk["channel"], payload))
            conn.execute("SELECT pg_notify(%s, %s)", (desk["channel"] + "_presence", forged))
        time.sleep(1.0)
        assert events.empty()
        assert listener._thread.is_alive() and listener.up is True
        assert presence.empty()  # a presence word is "join" or "leave", nothing else
        with Project.open(desk["mallory_project"]) as mallory:
            cid = mallory.claims()[0].id
            mallory.set_verdict(cid, "false", "")
        seen = [events.get(timeout=5) for _ in range(2)]
    finally:
        listener.stop()
    assert {(e.actor, e.claim_id) for e in seen} == {("mallory", cid)}
    assert next(e for e in seen if e.action == "verdict").detail["rating"] == "false"
