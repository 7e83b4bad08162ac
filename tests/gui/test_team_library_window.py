"""A team project's window matches against its server's team library: what another desk
imports arrives by itself (LISTEN/NOTIFY), the window's verdicts reach the server, and a server
that goes away leaves the window matching from its mirror, saying the library could not be
updated, and catches up when it is back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
from feeds import write_feed

from workbench.core.library.importing import import_file
from workbench.core.library.team import SCHEMA, TeamLibrary
from workbench.core.project.backends.postgres_roles import add_member, init_team
from workbench.core.project.create import new_project
from workbench.gui.library.feature import REMOTE_MS

FEED = [
    (
        "https://factcheck.example/civilians-2000",
        "At least 2,000 civilians were killed during Russia's five-month intervention in Syria.",
        "Mostly true",
    ),
    (
        "https://factcheck.example/shark",
        "A photo shows a shark swimming on a flooded highway after a hurricane.",
        "False",
    ),
]


def test_a_team_window_matches_against_the_team_library(
    make_window: Any, qtbot: Any, pg_server: Any, seed_path: Path, tmp_path: Path
) -> None:
    owner = pg_server.create_database("newsroom_window")
    new_project(f"{owner}?project=desk", seed_path).close()
    init_team(f"{owner}?project=desk")
    add_member(owner, "win_ana", "checker", "win-ana-pw")
    add_member(owner, "win_ed", "editor", "win-ed-pw")
    ana = pg_server.url("newsroom_window", "win_ana", "win-ana-pw")

    window = make_window()
    window.open_path(f"{ana}?project=desk")  # a background job
    qtbot.waitUntil(lambda: window.job is None, timeout=15_000)
    assert window.has_project(), window.ask.errors
    feature = window.features["library"]
    feature.wait()
    qtbot.waitUntil(lambda: feature.running is None, timeout=60_000)
    assert feature.which == f"the team library on 127.0.0.1:{pg_server.port}/newsroom_window"
    assert "Matched against the team library on 127.0.0.1" in feature.filter.toolTip()
    claim_id = next(
        c.id for c in window.model.claims() if c.text.startswith("At least 2,000 civilians")
    )
    assert feature.previously_checked(claim_id) == []

    # Another desk (the editor, with a mirror of its own) imports a feed: the window hears it.
    feed = write_feed(tmp_path / "feed.jsonl", FEED)
    editor = pg_server.url("newsroom_window", "win_ed", "win-ed-pw")
    with TeamLibrary(editor, tmp_path / "ed-mirror.sqlite") as team:
        import_file(team, feed)
    qtbot.waitUntil(lambda: bool(feature.previously_checked(claim_id)), timeout=30_000)
    # A malformed entry written by hand on the server: skipped, and the window says so once.
    qtbot.waitUntil(lambda: feature.running is None and not feature.pulling, timeout=30_000)
    with psycopg.connect(owner) as conn:
        conn.execute(
            f"INSERT INTO {SCHEMA}.entries (key, kind, origin, digest, fields) "
            """VALUES ('import:bad', 'import', 'hand', 'd', '{"claim_reviewed": [1]}')"""
        )
    qtbot.waitUntil(
        lambda: (
            window.statusBar()
            .currentMessage()
            .startswith(
                "1 entry from the server was malformed and skipped (the team library on 127.0.0.1:"
            )
        ),
        timeout=30_000,
    )
    window.select_claim(claim_id)
    rows = feature.widget.rows
    assert rows[0].match.entry.check.url == "https://factcheck.example/civilians-2000"
    assert feature.widget.state.text().startswith("In the team library on 127.0.0.1:")

    # The checker's verdict in the window reaches the server's library.
    feature._resync.setInterval(0)
    window.claim_actions.rate("false")

    def on_server() -> list[Any]:
        with psycopg.connect(owner) as conn:
            return conn.execute(
                f"SELECT fields->>'rating', changed_by FROM {SCHEMA}.entries "
                "WHERE key = %s AND NOT deleted",
                (f"project:team:desk#{claim_id}",),
            ).fetchall()

    qtbot.waitUntil(lambda: on_server() == [("False", "win_ana")], timeout=30_000)
    qtbot.waitUntil(lambda: feature.running is None and not feature.pulling, timeout=30_000)

    # The server goes away: matching goes on from the mirror, and the window says so.
    pg_server.stop()
    try:
        feature.results = {}
        feature.pending = None
        feature.refresh()
        qtbot.waitUntil(lambda: feature.running is None, timeout=60_000)
        assert feature.previously_checked(claim_id)[0].entry.check.url.endswith("civilians-2000")
        assert "could not be updated" in feature.problem
        assert "this computer's copy" in feature.filter.toolTip()
        assert "\n" not in feature.problem and "win-ana-pw" not in feature.problem
    finally:
        pg_server.restart()
    # Back: the listener reconnects, and the window catches up by itself.
    qtbot.waitUntil(lambda: feature.problem == "" and feature.running is None, timeout=30_000)
    assert "this computer's copy" not in feature.filter.toolTip()

    # A burst of other desks' changes re-matches once, REMOTE_MS after the first; a change
    # announced while a pull runs is pulled again after it.
    qtbot.waitUntil(lambda: not feature.pulling and not feature._remote.isActive(), timeout=30_000)
    runs: list[int] = []
    real_refresh = feature.refresh
    feature.refresh = lambda **kw: runs.append(1)  # type: ignore[method-assign]
    try:
        feature._pulled((feature.team, 3, ""))
        feature._pulled((feature.team, 1, ""))
        feature._pulled((feature.team, 2, ""))
        qtbot.wait(REMOTE_MS + 500)
        assert runs == [1]
        feature.pulling = True
        feature._library_changed()
        assert feature.pull_again
        feature._pulled((feature.team, 0, ""))  # the running pull ends: another one starts
        assert feature.pulling and not feature.pull_again
        qtbot.waitUntil(lambda: not feature.pulling, timeout=30_000)
    finally:
        feature.refresh = real_refresh  # type: ignore[method-assign]
