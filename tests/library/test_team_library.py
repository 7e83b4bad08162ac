"""The desk's fact-check library on a team server, as two desks use it: each with its own
mirror (a folder of its own), the CLI as they run it, the real PostgreSQL of tests/pgserver.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import count
from pathlib import Path
from typing import Any

import psycopg
import pytest

from workbench.cli.main import main
from workbench.core.library.model import FactCheck
from workbench.core.library.store import LibraryError
from workbench.core.library.team import SCHEMA, TeamLibrary, mirror_path
from workbench.core.project.backends.postgres_roles import add_member, init_team
from workbench.core.project.create import new_project
from workbench.core.project.store import Project

PASSWORDS = {"lib_ana": "ana-lib-secret-7", "lib_ed": "ed-lib-secret-8"}
FEED = [
    {
        "@type": "ClaimReview",
        "url": "https://checks.example/bridge",
        "claimReviewed": "The new bridge cost 40 million euros.",
        "reviewRating": {"alternateName": "Mostly true"},
        "author": {"name": "Desk A"},
        "datePublished": "2023-05-01",
    },
    {
        "@type": "ClaimReview",
        "url": "https://checks.example/yachts",
        "claimReviewed": "The mayor owns three yachts.",
        "reviewRating": {"alternateName": "False"},
        "author": {"name": "Desk B"},
    },
]
_databases = count(1)


@pytest.fixture()
def newsroom(pg_server: Any, seed_path: Path) -> dict[str, str]:
    """A database of its own (so a library of its own) with a team project "desk", set up by
    its owner; lib_ana is a checker, lib_ed an editor, each with a password."""
    database = f"newsroom_{next(_databases)}"
    owner = pg_server.create_database(database)
    project = f"{owner}?project=desk"
    new_project(project, seed_path).close()
    init_team(project)
    for login, role in (("lib_ana", "checker"), ("lib_ed", "editor")):
        add_member(owner, login, role, PASSWORDS[login])
    urls = {"owner": owner}
    for login, password in PASSWORDS.items():
        server = pg_server.url(database, login, password)
        urls[login] = server
        urls[f"{login}_project"] = f"{server}?project=desk"
    return urls


@pytest.fixture()
def desk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    """desk("a", "library", "search", …): run the CLI as on desk a's computer (its own data
    folder, so its own mirror)."""

    def run(name: str, *args: str) -> tuple[int, str, str]:
        monkeypatch.setenv("WORKBENCH_LIBRARY", str(tmp_path / f"desk-{name}" / "library.sqlite"))
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture()
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in FEED) + "\n", "utf-8")
    return path


def _search(desk: Callable[..., tuple[int, str, str]], name: str, server: str, text: str) -> Any:
    code, out, err = desk(name, "library", "search", text, "--server", server, "--json")
    assert code == 0, err
    return json.loads(out)["matches"], err


def test_import_on_one_desk_search_on_the_other_and_remove_from_both(
    newsroom: dict[str, str], desk: Any, feed: Path
) -> None:
    code, out, err = desk("a", "library", "import", str(feed), "--server", newsroom["lib_ed"])
    assert code == 0, err
    assert "2 added, 0 updated, 0 unchanged, 0 bad" in out
    code, out, _ = desk("a", "library", "import", str(feed), "--server", newsroom["lib_ed"])
    assert "0 added, 0 updated, 2 unchanged" in out  # idempotent on the server too

    # Desk b never imported anything: its mirror is filled from the server.
    matches, err = _search(desk, "b", newsroom["lib_ana"], "the bridge cost 40 million euros")
    assert err == ""
    assert matches[0]["url"] == "https://checks.example/bridge"
    assert matches[0]["rating"] == "Mostly true"
    code, out, _ = desk("b", "library", "stats", "--server", newsroom["lib_ana"])
    assert out.startswith("2 fact checks in the team library on 127.0.0.1:")
    assert "lib_ana" not in out.splitlines()[0] and PASSWORDS["lib_ana"] not in out

    # A checker may not remove published fact checks; the editor may, and they leave both.
    code, out, err = desk(
        "b", "library", "remove", "--source", str(feed), "--server", newsroom["lib_ana"]
    )
    assert code == 1
    assert err.count("\n") == 1 and "needs the editor role" in err
    code, out, err = desk(
        "a", "library", "remove", "--source", str(feed), "--server", newsroom["lib_ed"]
    )
    assert (code, out.strip()) == (0, f"2 fact checks from {feed} removed")
    for name in ("a", "b"):
        matches, _ = _search(desk, name, newsroom["lib_ed"], "the bridge cost 40 million euros")
        assert matches == []
    # A removed fact check imported again comes back, to every desk.
    desk("a", "library", "import", str(feed), "--server", newsroom["lib_ed"])
    matches, _ = _search(desk, "b", newsroom["lib_ana"], "the mayor owns three yachts")
    assert matches[0]["url"] == "https://checks.example/yachts"


def test_a_checkers_verdict_reaches_the_other_desk_and_leaves_when_cleared(
    newsroom: dict[str, str], desk: Any, tmp_path: Path
) -> None:
    with Project.open(newsroom["lib_ana_project"], readonly=True) as project:
        claim = project.claims()[3]
    code, out, err = desk("a", "verdict", newsroom["lib_ana_project"], str(claim.id), "false")
    assert code == 0 and err == "", err
    assert out.startswith(f"Claim {claim.id}: False")

    matches, _ = _search(desk, "b", newsroom["lib_ed"], claim.text)
    assert matches[0]["claim_reviewed"] == claim.text
    assert (matches[0]["kind"], matches[0]["origin"]) == ("project", "team:desk")
    assert matches[0]["rating"] == "False"

    # A checker cannot take a verdict that still stands out of the library …
    code, _, err = desk(
        "a", "library", "remove", "--project", "desk", "--server", newsroom["lib_ana"]
    )
    assert code == 1 and "needs the editor role (it is still rated in the project)" in err
    # … nor put in an entry for a claim nobody rated.
    ana = TeamLibrary(newsroom["lib_ana"])
    unrated = next(c for c in project.claims() if c.id != claim.id)
    with pytest.raises(LibraryError, match="has no verdict in the project"):
        ana.sync_project("desk", {unrated.id: FactCheck(unrated.text, rating="False")})
    # … nor make a standing verdict say something else.
    with pytest.raises(LibraryError, match="does not say what the project says"):
        ana.sync_project("desk", {claim.id: FactCheck("The opposite.", rating="True")})

    ana.close()

    with Project.open(newsroom["lib_ana_project"]) as project:
        project.set_verdict(claim.id, "")
    # `library add` of a team project writes to its server's library, --server or not.
    code, out, err = desk("a", "library", "add", newsroom["lib_ana_project"])
    assert code == 0, err
    assert "lib_ana@127.0.0.1" in out and PASSWORDS["lib_ana"] not in out
    matches, _ = _search(desk, "b", newsroom["lib_ed"], claim.text)
    assert all(m["origin"] != "team:desk" for m in matches)
    code, _, err = desk(
        "a", "library", "add", newsroom["lib_ana_project"], "--server", newsroom["lib_ana"]
    )
    assert code == 0, err
    # A team project's verdicts never went into desk a's personal library.
    assert not (tmp_path / "desk-a" / "library.sqlite").exists()


def test_a_checker_is_refused_a_feed_import_in_one_line(
    newsroom: dict[str, str], desk: Any, feed: Path
) -> None:
    code, out, err = desk("a", "library", "import", str(feed), "--server", newsroom["lib_ana"])
    assert code == 1 and out == ""
    assert err.strip() == (
        "workbench: Importing or removing published fact checks in the team library needs the "
        "editor role."
    )
    code, out, err = desk("a", "library", "stats", "--server", newsroom["lib_ana"])
    assert out.startswith("0 fact checks")


def test_a_login_outside_the_team_and_a_library_not_set_up(
    pg_server: Any, newsroom: dict[str, str], desk: Any, feed: Path
) -> None:
    database = f"newsroom_{next(_databases)}"
    pg_server.create_database(database)
    with psycopg.connect(newsroom["owner"], autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS lib_outsider")
        conn.execute("CREATE ROLE lib_outsider LOGIN PASSWORD 'out-pw-9'")
    # Not set up on this database, and a checker may not set it up: a write is refused, a
    # read answers from the (empty) mirror with the reason on stderr.
    fresh = pg_server.url(database, "lib_ana", PASSWORDS["lib_ana"])
    code, _, err = desk("a", "library", "import", str(feed), "--server", fresh)
    assert code == 1 and "is not set up yet, and your login may not set it up" in err
    assert err.count("\n") == 1
    code, out, err = desk("a", "library", "stats", "--server", fresh)
    assert code == 0 and out.startswith("0 fact checks") and "is not set up yet" in err
    code, _, err = desk(
        "a",
        "library",
        "search",
        "x",
        "--server",
        pg_server.url(newsroom["owner"].rsplit("/", 1)[1], "lib_outsider", "out-pw-9"),
    )
    # The mirror answers (empty); the line says why it could not be brought up to date.
    assert code == 0 and "is not a member of the desk" in err


def test_the_server_stopped_and_back_the_mirror_keeps_matching_and_catches_up(
    pg_server: Any, newsroom: dict[str, str], desk: Any, feed: Path, tmp_path: Path
) -> None:
    desk("a", "library", "import", str(feed), "--server", newsroom["lib_ed"])
    _search(desk, "b", newsroom["lib_ana"], "three yachts")  # desk b's mirror is filled
    pg_server.stop()
    try:
        matches, err = _search(desk, "b", newsroom["lib_ana"], "the mayor owns three yachts")
        assert matches[0]["url"] == "https://checks.example/yachts"
        assert "could not be updated" in err and "Answering from this computer's copy" in err
        assert err.count("\n") == 1
        code, _, err = desk("a", "library", "import", str(feed), "--server", newsroom["lib_ed"])
        assert code == 1 and "cannot be reached" in err and err.count("\n") == 1
    finally:
        pg_server.restart()
    more = tmp_path / "more.json"
    more.write_text(
        json.dumps(
            {
                "@type": "ClaimReview",
                "url": "https://checks.example/tram",
                "claimReviewed": "The tram line carries 90,000 passengers a day.",
                "reviewRating": {"alternateName": "True"},
            }
        ),
        "utf-8",
    )
    code, _, err = desk("a", "library", "import", str(more), "--server", newsroom["lib_ed"])
    assert code == 0, err
    matches, err = _search(desk, "b", newsroom["lib_ana"], "tram line carries 90,000 passengers")
    assert err == "" and matches[0]["url"] == "https://checks.example/tram"


def test_no_password_in_any_file_name_or_origin(
    newsroom: dict[str, str], desk: Any, feed: Path, tmp_path: Path
) -> None:
    desk("a", "library", "import", str(feed), "--server", newsroom["lib_ed"])
    with Project.open(newsroom["lib_ana_project"], readonly=True) as project:
        cid = project.claims()[0].id
    desk("a", "verdict", newsroom["lib_ana_project"], str(cid), "true")
    for name, server in (("a", newsroom["lib_ed"]), ("b", newsroom["lib_ana"])):
        code, out, err = desk(name, "library", "stats", "--server", server, "--json")
        assert code == 0, err
        assert all(PASSWORDS[login] not in out for login in PASSWORDS)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".sqlite") for p in files)
    assert mirror_path(newsroom["lib_ed"]) == mirror_path(newsroom["lib_ana"])  # per server
    for path in files:
        data = path.read_bytes()
        for secret in PASSWORDS.values():
            assert secret not in str(path) and secret.encode() not in data, path
    with psycopg.connect(newsroom["owner"]) as conn:
        origins = [r[0] for r in conn.execute(f"SELECT DISTINCT origin FROM {SCHEMA}.entries")]
    assert "team:desk" in origins
    assert all(secret not in o for o in origins for secret in PASSWORDS.values())


def test_a_library_set_up_by_a_newer_workbench_is_refused_in_one_line(
    newsroom: dict[str, str], desk: Any
) -> None:
    with psycopg.connect(newsroom["owner"], autocommit=True) as conn:
        conn.execute(f"UPDATE {SCHEMA}.meta SET value = '99' WHERE key = 'version'")
    code, _, err = desk("a", "library", "search", "x", "--server", newsroom["lib_ana"])
    assert code == 0 and err.count("\n") == 1
    assert "was set up by a newer Workbench (version 99" in err


def test_a_pull_reports_its_progress_and_resumes_where_it_stopped(
    newsroom: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import workbench.core.library.team as team_module

    checks = [
        FactCheck(f"Claim number {i} about the harbour.", url=f"https://c.example/{i}")
        for i in range(7)
    ]
    with TeamLibrary(newsroom["lib_ed"], tmp_path / "ed.sqlite") as editor:
        editor.add_imported(checks, "feed")
    monkeypatch.setattr(team_module, "PULL_BATCH", 3)
    seen: list[tuple[int, int]] = []

    def stop_after_the_first_batch(done: int, total: int) -> None:
        seen.append((done, total))
        if done:
            raise KeyboardInterrupt  # as a cancelled job stops it

    with TeamLibrary(newsroom["lib_ana"], tmp_path / "ana.sqlite") as ana, ana.mirror() as mirror:
        with pytest.raises(KeyboardInterrupt):
            ana.pull(mirror, stop_after_the_first_batch)
        assert seen == [(0, 7), (3, 7)] and mirror.count() == 3  # the first batch is kept
        seen.clear()
        assert ana.pull(mirror, lambda done, total: seen.append((done, total))) == 4
        assert seen == [(0, 4), (3, 4)] and mirror.count() == 7


def test_a_large_pull_leaves_the_mirrors_full_text_index_in_one_segment(
    newsroom: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull writes each batch in a transaction of its own (a few index segments each, which
    every query word is then looked up in): after a large one the mirror's index is merged, as
    after a large local import; a small pull into a large mirror leaves it as it is."""
    import workbench.core.library.store as store_module
    import workbench.core.library.team as team_module

    monkeypatch.setattr(team_module, "PULL_BATCH", 3)
    monkeypatch.setattr(store_module, "OPTIMIZE_AT_LEAST", 6)

    def checks(tag: str, n: int) -> list[FactCheck]:
        return [
            FactCheck(f"Claim {tag} {i} about the harbour levy.", url=f"https://c.example/{tag}{i}")
            for i in range(n)
        ]

    def segments(mirror: Any) -> int:
        sql = "SELECT count(DISTINCT segid) FROM entries_fts_idx"
        return mirror._db.execute(sql).fetchone()[0]

    with TeamLibrary(newsroom["lib_ed"], tmp_path / "ed.sqlite") as editor:
        editor.add_imported(checks("a", 20), "feed-a")
    with TeamLibrary(newsroom["lib_ana"], tmp_path / "ana.sqlite") as ana, ana.mirror() as mirror:
        assert ana.pull(mirror) == 20  # 7 batches
        assert segments(mirror) == 1 and mirror.count() == 20
        with TeamLibrary(newsroom["lib_ed"], tmp_path / "ed.sqlite") as editor:
            editor.add_imported(checks("b", 2), "feed-b")  # 10% of 22 is more than 2
        assert ana.pull(mirror) == 2
        assert segments(mirror) > 1  # not merged
        assert {i for i, _ in mirror.lexical('"levy"', 50)} == {
            row[0] for row in mirror._db.execute("SELECT id FROM entries")
        }


def test_stopping_the_library_listener_on_a_silent_network_is_quick(
    newsroom: dict[str, str], pg_server: Any
) -> None:
    """The network to the server starts dropping packets under an open window: its library
    listener tries again (a connect that gets no answer), and stop() (the window closing or
    opening another project) ends it at once instead of waiting out the connect timeout."""
    import time

    from team_faults import Relay

    from workbench.core.library.team import LibraryListener

    relay = Relay(pg_server.port)
    try:
        listener = LibraryListener(relay.url(newsroom["lib_ana"]), lambda: None).start()
        time.sleep(1.0)  # listening
        relay.cut()
        time.sleep(LibraryListener.RETRY_S + 1.0)  # past the pause: now it is connecting
        assert listener._thread.is_alive()
        started = time.monotonic()
        listener.stop()
        assert time.monotonic() - started < 1.0 and not listener._thread.is_alive()
    finally:
        relay.close()


def test_malformed_entries_on_the_server_are_skipped_and_counted_once(
    newsroom: dict[str, str], desk: Any, feed: Path
) -> None:
    """Anyone with a login may write rows by hand (an editor any, a checker project ones): an
    entry that is not as Workbench writes them is skipped, said once, and the pull goes on;
    search never sees a bad vector. Before: every pull failed for good (sqlite3's
    ProgrammingError), or search raised ValueError on a 7-byte vector."""
    code, _, err = desk("a", "library", "import", str(feed), "--server", newsroom["lib_ed"])
    assert code == 0, err
    _search(desk, "b", newsroom["lib_ana"], "three yachts")  # desk b has both entries
    claim = "The harbour tunnel opened in 1990."
    bad: list[tuple[str, Any, bytes | None]] = [
        ("dict", {"claim_reviewed": claim, "url": {"a": 1}}, None),
        ("list", {"claim_reviewed": [claim]}, None),
        ("array", [claim], None),
        ("none", {"url": "https://x.example/none"}, None),
        ("rating", {"claim_reviewed": claim, "rating_value": "high"}, None),
        ("short", {"claim_reviewed": claim}, b"\x00" * 7),
        ("nan", {"claim_reviewed": claim}, b"\x00\x7e" * 256),  # float16 NaN
        ("huge", {"claim_reviewed": claim, "rationale": "x" * 200_000}, None),
    ]
    good = {"claim_reviewed": "The ferry to the island runs every 20 minutes.", "url": "u"}
    with psycopg.connect(newsroom["lib_ed"]) as conn:
        sql = (
            f"INSERT INTO {SCHEMA}.entries (key, kind, origin, digest, fields, vector) "
            "VALUES (%s, 'import', 'hand', 'd', %s::jsonb, %s)"
        )
        for name, fields, vector in bad:
            conn.execute(sql, (f"import:{name}", json.dumps(fields), vector))
        conn.execute(sql, ("import:good", json.dumps(good), None))
        # A good entry made malformed: the copy desk b pulled before goes too.
        conn.execute(
            f"UPDATE {SCHEMA}.entries SET fields = fields || '{{\"title\": 3}}' "
            "WHERE fields->>'url' = 'https://checks.example/yachts'"
        )

    matches, err = _search(desk, "b", newsroom["lib_ana"], "the ferry runs every 20 minutes")
    assert (
        err
        == f"workbench: 9 entries from the server were malformed and skipped (the team library on {newsroom['lib_ana'].split('@')[1]}).\n"
    )
    assert matches[0]["claim_reviewed"] == good["claim_reviewed"]
    matches, err = _search(desk, "b", newsroom["lib_ana"], claim)
    assert err == ""  # said once: the next pull starts after them
    assert all(m["claim_reviewed"] != claim for m in matches)
    code, out, _ = desk("b", "library", "stats", "--server", newsroom["lib_ana"])
    assert out.startswith("2 fact checks in the team library")  # bridge and ferry
