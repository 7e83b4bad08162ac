"""Live team work: notifications between clients, conflicts told plainly, presence, and a
server that stops and comes back mid-session."""

from __future__ import annotations

import queue
import time
from pathlib import Path
from typing import Any

import pytest
from team_desk import make_desk

from workbench.core.errors import ProjectError
from workbench.core.project.backends.postgres import parse_url
from workbench.core.project.live import TeamListener, describe
from workbench.core.project.store import Project


@pytest.fixture()
def desk(team_url: Any, seed_path: Path, pg_server: Any) -> dict[str, str]:
    url, members = make_desk(
        pg_server, team_url, seed_path, "live", {"ana": "checker", "ben": "checker"}
    )
    return {"owner": url, **members}


def test_an_edit_reaches_another_client_with_who_made_it(desk: dict[str, str]) -> None:
    events: queue.Queue[Any] = queue.Queue()
    listener = TeamListener(desk["ana"], events.put).start()
    try:
        with Project.open(desk["ben"]) as ben:
            cid = ben.claims()[0].id
            ben.set_verdict(cid, "false", "")
        seen = [events.get(timeout=5) for _ in range(2)]  # the verdict and the status move
    finally:
        listener.stop()
    verdict = next(e for e in seen if e.action == "verdict")
    assert (verdict.actor, verdict.claim_id, verdict.detail["rating"]) == ("ben", cid, "false")


def test_two_people_rating_one_claim_both_keep_their_verdicts_and_the_first_is_told(
    desk: dict[str, str],
) -> None:
    events: queue.Queue[Any] = queue.Queue()
    with Project.open(desk["ana"]) as ana, Project.open(desk["ben"]) as ben:
        listener = TeamListener(desk["ben"], events.put).start()
        try:
            cid = ana.claims()[0].id
            ben.set_verdict(cid, "true", "first")
            ana.set_verdict(cid, "mostly-false", "second")
            told = [events.get(timeout=5) for _ in range(3)]
        finally:
            listener.stop()
        history = ben.verdicts(cid)
        assert [(v.reviewer, v.rating) for v in history] == [
            ("ben", "true"),
            ("ana", "mostly-false"),
        ]
        assert ben.claim(cid).rating == "mostly-false"  # the later one is current
        news = next(e for e in told if e.action == "verdict" and e.actor == "ana")
        line = describe(news, lambda r: ben.scale.rating(r).label)
        assert line.startswith(f"ana rated claim {cid} Mostly false ") and line.endswith(" s ago")


def test_who_else_has_the_project_open(desk: dict[str, str]) -> None:
    with Project.open(desk["ana"]) as ana, Project.open(desk["ben"]):
        assert ana._backend.others_present() == ["ben"]


def test_server_stops_and_comes_back_mid_session(desk: dict[str, str], pg_server: Any) -> None:
    changes: queue.Queue[Any] = queue.Queue()
    events: queue.Queue[Any] = queue.Queue()
    project = Project.open(desk["ana"])
    listener = TeamListener(
        desk["ana"], events.put, lambda up, message: changes.put((up, message))
    ).start()
    try:
        cid = project.claims()[0].id
        before = len(project.verdicts(cid))
        pg_server.stop()
        assert changes.get(timeout=10)[0] is False
        with pytest.raises(ProjectError) as refused:
            project.set_verdict(cid, "false", "while the server is down")
        message = str(refused.value)
        assert "\n" not in message and ("lost" in message or "cannot be reached" in message)
        pg_server.restart()
        assert changes.get(timeout=15) == (True, changes_text(desk))
        project.set_verdict(cid, "false", "after the restart")  # reconnected by itself
        assert [v.rationale for v in project.verdicts(cid)][before:] == ["after the restart"]
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            event = events.get(timeout=5)
            if event.action == "verdict":
                break
        assert event.detail["rationale"] == "after the restart"
    finally:
        listener.stop()
        project.close()


def changes_text(desk: dict[str, str]) -> str:
    return f"Connected again to {parse_url(desk['ana']).server}."


def test_a_listener_started_without_waiting_says_when_it_listens(desk: dict[str, str]) -> None:
    """The window starts its listener without waiting for the server (start(timeout=0)) and
    reads what it missed when on_ready comes: from then on every edit is sent to it."""
    events: queue.Queue[Any] = queue.Queue()
    ready: queue.Queue[bool] = queue.Queue()
    started = time.monotonic()
    listener = TeamListener(desk["ana"], events.put, on_ready=lambda: ready.put(True))
    listener.start(timeout=0)
    assert time.monotonic() - started < 0.5
    try:
        assert ready.get(timeout=10)
        with Project.open(desk["ben"]) as ben:
            ben.set_verdict(ben.claims()[0].id, "false", "after on_ready")
        assert events.get(timeout=5).actor == "ben"
        assert ready.empty()  # once
    finally:
        listener.stop()


def test_stopping_a_listener_that_is_connecting_to_a_silent_server_is_quick(
    desk: dict[str, str], pg_server: Any
) -> None:
    """The network to the server starts dropping packets while the listener listens: it says
    so, tries again (a connect that gets no answer), and stop() (a window closing or opening
    another project) ends it at once instead of waiting out the connect timeout."""
    from team_faults import Relay

    changes: queue.Queue[Any] = queue.Queue()
    relay = Relay(pg_server.port)
    try:
        listener = TeamListener(
            relay.url(desk["ana"]), lambda _e: None, lambda up, m: changes.put((up, m))
        ).start()
        assert listener.up is True
        relay.cut()
        assert changes.get(timeout=10)[0] is False and listener.up is False
        time.sleep(1.5)  # past the pause before it tries again: now it is connecting
        assert listener._thread.is_alive()
        started = time.monotonic()
        listener.stop()
        assert time.monotonic() - started < 1.0 and not listener._thread.is_alive()
    finally:
        relay.close()


def test_a_watched_project_whose_network_goes_silent_never_waits_out_the_connect_timeout(
    desk: dict[str, str], pg_server: Any
) -> None:
    """The window's project connection breaks before its listener has said so (its news is
    still queued behind other work on the UI thread): the next read tries the server only
    briefly, then the project is offline, refusing at once, until the listener is back."""
    from team_faults import Relay

    relay = Relay(pg_server.port)
    try:
        with Project.open(relay.url(desk["ana"])) as project:
            project.watch()
            relay.cut()
            with pytest.raises(ProjectError):  # the broken connection is found
                project.data_version()
            started = time.monotonic()
            with pytest.raises(ProjectError, match="was lost"):
                project.data_version()  # would connect again: a short probe, no answer
            assert time.monotonic() - started < 5.0  # the connect timeout is 10 s
            started = time.monotonic()
            with pytest.raises(ProjectError, match="was lost"):
                project.data_version()  # offline now: refused without trying
            assert time.monotonic() - started < 0.5

            relay.mend()
            project.set_offline(False)  # the listener is connected again
            assert project.data_version() >= 0  # a restart: connects at once
    finally:
        relay.close()
