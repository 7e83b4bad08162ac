"""Two windows on one team project: an edit in one appears in the other within a second, with
who made it; the title names the server and project; the status bar says who else is there."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, QTimer
from team_desk import make_desk

from workbench.core.project.backends import postgres
from workbench.core.project.backends.postgres import parse_url
from workbench.core.project.create import new_project


def opened(qtbot: Any, window: Any, url: str) -> Any:
    """Open a team project as the person does (in a background job) and wait for it, and for
    its listener to listen."""
    window.open_path(url)
    qtbot.waitUntil(lambda: window.job is None, timeout=15_000)
    team = window.features["team"]
    if window.has_project() and window.project.is_team:
        qtbot.waitUntil(lambda: team.listener is not None and team.listener._ready.is_set())
    return window


@pytest.fixture()
def desk(team_url: Any, seed_path: Path, pg_server: Any) -> dict[str, str]:
    url, members = make_desk(
        pg_server, team_url, seed_path, "window", {"ana": "checker", "ed": "editor"}
    )
    return {**members, "project": parse_url(url).project}


def test_an_edit_in_one_window_appears_in_the_other(
    qtbot: Any, make_window: Any, desk: dict[str, str]
) -> None:
    checker, editor = make_window(), make_window()
    opened(qtbot, checker, desk["ana"])
    opened(qtbot, editor, desk["ed"])
    assert checker.has_project() and editor.has_project(), checker.ask.errors + editor.ask.errors
    assert f"{desk['project']} on postgresql://ana@127.0.0.1" in checker.windowTitle()
    team = editor.features["team"]
    qtbot.waitUntil(lambda: "ana" in team.presence.text(), timeout=5000)

    claim = checker.model.claims()[0]
    checker.select_claim(claim.id)
    checker.claim_actions.rate("false")
    qtbot.waitUntil(lambda: editor.model.claim(claim.id).rating == "false", timeout=3000)
    assert team.last_news.startswith(f"ana rated claim {claim.id} False")
    assert editor.model.claim(claim.id).rated_by == "ana"

    # The editor approves it as it arrives; the checker's window shows that too.
    editor.select_claim(claim.id)
    editor.features["editing"].approve()
    qtbot.waitUntil(lambda: checker.model.claim(claim.id).status == "approved", timeout=3000)
    assert checker.features["team"].last_news.startswith(f"ed moved claim {claim.id} to approved")

    # The checker may not approve: the server refuses, the window says which role it takes.
    other = checker.model.claims()[1]
    checker.select_claim(other.id)
    checker.claim_actions.rate("true")
    checker.features["editing"].approve()
    assert "needs the editor role" in checker.ask.errors[-1]
    assert checker.model.claim(other.id).status != "approved"


def test_who_else_is_here_follows_people_opening_and_leaving(
    qtbot: Any, make_window: Any, desk: dict[str, str]
) -> None:
    """The status bar's "Also here" changes when someone opens the project or leaves it, not
    only when someone edits (each window's listener says so on the project's presence channel)."""
    first = opened(qtbot, make_window(), desk["ana"])
    team = first.features["team"]
    assert team.presence.text() == "Nobody else has it open"
    second = opened(qtbot, make_window(), desk["ed"])
    qtbot.waitUntil(lambda: team.presence.text() == "Also here: ed", timeout=3000)
    second.close()
    qtbot.waitUntil(lambda: team.presence.text() == "Nobody else has it open", timeout=4000)


def test_news_from_a_stopped_listener_is_not_shown_for_the_next_project(
    qtbot: Any, make_window: Any, desk: dict[str, str], seed_project: Path
) -> None:
    """A listener's "lost" arrives (queued) after the person opened a file instead: the file
    project is not said to be offline, and its edits are not refused."""
    window = opened(qtbot, make_window(), desk["ana"])
    team = window.features["team"]
    window.open_path(str(seed_project))
    assert not window.project.is_team and team.listener is None
    team.bridge.connection.emit(False, "The connection to … was lost; edits are refused …")
    qtbot.wait(50)
    assert team.online and team.presence.text() == ""
    window.select_claim(window.model.claims()[0].id)
    window.claim_actions.rate("false")
    assert window.ask.errors == [] and window.project.claim(window.model.claims()[0].id).rating


def test_open_team_project_action_takes_a_url(
    qtbot: Any, make_window: Any, desk: dict[str, str]
) -> None:
    window = make_window()
    window.features["team"].ask_url = lambda *_: desk["ana"]
    window.actions_registry.action("file.open_team").trigger()
    qtbot.waitUntil(lambda: window.job is None, timeout=15_000)
    assert window.has_project() and window.project.is_team
    assert "ana-pw" not in " ".join(window.recent_files())


def test_window_jobs_work_on_a_team_project(
    qtbot: Any, make_window: Any, desk: dict[str, str], tmp_path: Path
) -> None:
    """Workers (report export, preview) open their own connection by the project's URL."""
    window = make_window()
    opened(qtbot, window, desk["ed"])
    claim = window.model.claims()[0]
    window.select_claim(claim.id)
    window.claim_actions.rate("false")
    target = tmp_path / "desk.md"
    assert window.features["editing"].export_report("md", target)
    qtbot.waitUntil(lambda: target.exists() and window.job is None, timeout=15000)
    assert "False" in target.read_text("utf-8")
    assert not window.ask.errors


def test_claims_filter_assigned_to_me_and_unassigned(
    qtbot: Any, make_window: Any, desk: dict[str, str], team_url: Any
) -> None:
    from workbench.core.project.store import Project

    owner_url = desk["ed"]
    with Project.open(owner_url) as ed:
        first, second = (c.id for c in ed.claims()[:2])
        ed.assign_claim(first, "ana")
        ed.assign_claim(second, "ed")
        total = ed.claim_count()
    window = make_window()
    opened(qtbot, window, desk["ana"])
    combo = window.claims_table.filter_assigned
    combo.setCurrentIndex(combo.findText("Assigned to me"))
    assert [window.proxy.claim_id_at(r) for r in range(window.proxy.rowCount())] == [first]
    combo.setCurrentIndex(combo.findText("Unassigned"))
    assert window.proxy.rowCount() == total - 2
    combo.setCurrentIndex(0)
    assert window.proxy.rowCount() == total


def test_the_window_rides_out_a_server_restart(
    qtbot: Any, make_window: Any, desk: dict[str, str], pg_server: Any
) -> None:
    """The server stops mid-session: the window says so, stays readable, refuses an edit with
    one line, and carries on by itself once the server is back."""
    window = make_window()
    opened(qtbot, window, desk["ana"])
    team = window.features["team"]
    claim = window.model.claims()[0]
    window.select_claim(claim.id)
    pg_server.stop()
    try:
        qtbot.waitUntil(lambda: not team.online, timeout=10000)
        assert team.presence.text().startswith("Offline")
        assert window.model.claim(claim.id).text == claim.text  # still readable
        window.claim_actions.rate("false")
        message = window.ask.errors[-1]
        assert "\n" not in message and ("lost" in message or "cannot be reached" in message)
        assert window.model.claim(claim.id).rating is None
    finally:
        pg_server.restart()
    qtbot.waitUntil(lambda: team.online, timeout=15000)
    window.claim_actions.rate("false")
    assert window.project.claim(claim.id).rating == "false"
    assert window.model.claim(claim.id).rating == "false"


def test_after_a_server_restart_edits_by_others_arrive_again(
    qtbot: Any, make_window: Any, desk: dict[str, str], pg_server: Any
) -> None:
    """The window's own connection went with the restart: what another person edits after it
    must still reach the table, and the status bar must stop saying "Offline"."""
    from workbench.core.project.store import Project

    window = opened(qtbot, make_window(), desk["ana"])
    team = window.features["team"]
    claim = window.model.claims()[0]
    pg_server.stop()
    try:
        qtbot.waitUntil(lambda: not team.online, timeout=10000)
    finally:
        pg_server.restart()
    qtbot.waitUntil(lambda: team.online, timeout=15000)
    qtbot.waitUntil(lambda: not team.presence.text().startswith("Offline"), timeout=3000)
    with Project.open(desk["ed"]) as ed:
        ed.set_verdict(claim.id, "false", "After the restart.")
    qtbot.waitUntil(lambda: window.model.claim(claim.id).rating == "false", timeout=3000)
    assert team.last_news.startswith(f"ed rated claim {claim.id} False")
    assert window.ask.errors == []


def test_a_network_that_goes_silent_under_an_open_window(
    qtbot: Any, make_window: Any, desk: dict[str, str], pg_server: Any
) -> None:
    """Between the window and the server, the network starts dropping packets (a relay that
    cuts its connections and then answers nothing): the window says it is offline and refuses
    an edit at once in one line (no connect attempt waits out the timeout on the UI thread),
    stays readable, and when the network is back it carries on: others' edits arrive, its own
    are saved."""
    from team_faults import Relay

    from workbench.core.project.store import Project

    relay = Relay(pg_server.port)
    try:
        window = opened(qtbot, make_window(), relay.url(desk["ana"]))
        team = window.features["team"]
        claim = window.model.claims()[0]
        window.select_claim(claim.id)
        relay.cut()
        qtbot.waitUntil(lambda: not team.online, timeout=10000)
        for _ in range(2):  # the first finds the connection gone, the second would reconnect
            started = time.monotonic()
            window.claim_actions.rate("false")
            assert time.monotonic() - started < 1.0
            message = window.ask.errors[-1]
            assert "\n" not in message and "was lost" in message, message
        assert window.model.claim(claim.id).rating is None
        window.select_claim(window.model.claims()[1].id)  # still readable
        assert window.article_view.toPlainText()
        relay.mend()
        qtbot.waitUntil(lambda: team.online, timeout=15000)
        with Project.open(desk["ed"]) as ed:
            ed.set_verdict(claim.id, "true", "While ana was away.")
        qtbot.waitUntil(lambda: window.model.claim(claim.id).rating == "true", timeout=3000)
        window.select_claim(claim.id)
        window.claim_actions.rate("false")
        assert window.project.claim(claim.id).rating == "false"
    finally:
        relay.close()


def test_closing_the_window_ends_its_listener(
    qtbot: Any, make_window: Any, desk: dict[str, str]
) -> None:
    window = make_window()
    opened(qtbot, window, desk["ana"])
    listener = window.features["team"].listener
    assert listener is not None and listener._thread.is_alive()
    window.close()
    assert not listener._thread.is_alive()
    assert window.features["team"].listener is None


# ---------------------------------------------------------------------- File ▸ Open team project
def _dialog(qtbot: Any, recent: list[str]) -> Any:
    from workbench.gui.team.open_dialog import OpenTeamDialog

    dialog = OpenTeamDialog(None, recent)
    qtbot.addWidget(dialog)
    return dialog


def test_open_dialog_lists_the_servers_projects_to_pick_from(
    qtbot: Any, desk: dict[str, str], pg_server: Any, team_url: Any, seed_path: Path
) -> None:
    """The projects come from the server itself (as `workbench team list` shows them); picking
    one gives its URL, with the typed password for this connection only."""
    other = team_url("also")
    new_project(other, seed_path).close()
    dialog = _dialog(qtbot, [])
    server = pg_server.url("workbench_tests", "ana")  # no password in the URL
    dialog.url.setText(server)
    dialog.password.setText("ana-pw")
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Open).isEnabled()
    assert dialog.list_projects()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=15000)
    names = dialog.project_names()
    # ana is listed what she may open: a project without her team's roles is not hers to see
    assert desk["project"] in names and parse_url(other).project not in names
    assert "team project" in dialog.message.text() and " on ana@127.0.0.1:" in dialog.message.text()
    assert dialog.pick(desk["project"])
    assert dialog.url.text() == f"{server}?project={desk['project']}"
    chosen = dialog.chosen_url()
    assert chosen is not None and parse_url(chosen).conninfo.endswith("/workbench_tests")
    assert "ana:ana-pw@" in chosen
    dialog.url.setText(pg_server.url("workbench_tests"))  # the server's owner sees them all
    dialog.password.clear()
    dialog.list_projects()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=15000)
    assert {desk["project"], parse_url(other).project} <= set(dialog.project_names())


def test_open_dialog_shows_each_projects_article_progress_and_last_change(
    qtbot: Any, pg_server: Any, team_url: Any, seed_path: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """A desk with many projects picks by article: each row has the article's title, its
    claims, how many are checked and when anyone last changed it, last changed first; the
    filter box narrows by name or title; all of it read in the same two queries whatever the
    number of projects; a wb_ schema that is not a readable project is listed, greyed."""
    import psycopg
    from team_faults import fault_urls

    from workbench.core.project.store import Project
    from workbench.gui.team.project_list import when

    older, newest, quiet = team_url("budget"), team_url("election"), team_url("quiet")
    new_project(older, seed_path).close()
    other = tmp_path / "other.txt"
    other.write_text("Mayor Promises Ten New Schools\n\nThe mayor said 10 schools open in 2027.\n")
    new_project(newest, other).close()
    new_project(quiet, seed_path).close()
    with Project.open(older) as project:
        ids = [c.id for c in project.claims()[:3]]
        for cid in ids[:2]:
            project.set_verdict(cid, "false", "Checked.")
        project.set_status(ids[2], "in_progress")
        total = project.claim_count()
        title = project.article().title
    with psycopg.connect(parse_url(older).conninfo, autocommit=True) as raw:  # months apart
        for url, at in ((older, "2026-03-02T09:15:00Z"), (quiet, "2025-01-10T08:00:00Z")):
            raw.execute(f'UPDATE "{parse_url(url).schema}".events SET at = %s', (at,))
            raw.execute(f'UPDATE "{parse_url(url).schema}".meta SET value = %s '
                        "WHERE key = 'created'", (at,))  # fmt: skip
    fault_urls(pg_server, team_url, seed_path)  # among others, a wb_ schema without tables

    calls: list[str] = []
    execute = psycopg.AsyncConnection.execute

    async def counted(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(str(query)[:40])
        return await execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.AsyncConnection, "execute", counted)
    dialog = _dialog(qtbot, [])
    dialog.url.setText(pg_server.url("workbench_tests"))
    dialog.list_projects()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=15000)
    assert len(calls) == 2, calls  # which schemas, then one UNION ALL over all of them
    names = dialog.project_names()
    assert len(names) > 5
    rows = {
        n: dialog.model.projects()[i] for i, n in enumerate(p.name for p in dialog.model.projects())
    }
    budget = rows[parse_url(older).project]
    assert (budget.title, budget.claims, budget.checked) == (title, total, 2)
    assert budget.changed == "2026-03-02T09:15:00Z"
    assert rows[parse_url(newest).project].title == "Mayor Promises Ten New Schools"
    # last change first: the new project, ..., the budget desk (March), the quiet one (2025)
    assert names.index(parse_url(newest).project) < names.index(parse_url(older).project)
    assert names.index(parse_url(older).project) < names.index(parse_url(quiet).project)

    def shown(name: str) -> list[str]:
        row = names.index(name)
        return [str(dialog.proxy.index(row, c).data()) for c in range(5)]

    assert shown(parse_url(older).project) == [
        parse_url(older).project, title, str(total), "2", when("2026-03-02T09:15:00Z")
    ]  # fmt: skip
    assert shown(parse_url(quiet).project)[4] == when("2025-01-10T08:00:00Z")
    bare = [p for p in dialog.model.projects() if not p.readable]
    assert bare and "cannot be read" in shown(bare[0].name)[1]

    dialog.filter.setText("mayor SCHOOLS")  # every word, any case, name or title
    assert dialog.project_names() == [parse_url(newest).project]
    assert "1 matches the filter" in dialog.message.text()
    dialog.filter.setText("budget")
    assert dialog.project_names() == [parse_url(older).project]
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)  # the only match: opened
    assert dialog.result() == dialog.DialogCode.Accepted
    assert parse_url(dialog.chosen_url() or "").project == parse_url(older).project

    # Up and Down in the filter box move in the list; Enter opens the one picked.
    dialog = _dialog(qtbot, [])
    dialog.url.setText(pg_server.url("workbench_tests"))
    dialog.list_projects()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=15000)
    dialog.filter.setFocus()
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Up):
        qtbot.keyClick(dialog.filter, key)
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert parse_url(dialog.chosen_url() or "").project == dialog.project_names()[1]


def test_last_change_is_said_as_a_person_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime

    from workbench.gui.team.project_list import when

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
        said = [when(at, now) for at in (
            "2026-11-30T11:59:30Z", "2026-11-30T11:15:00Z", "2026-11-30T08:05:00Z",
            "2026-11-29T18:05:00Z", "2026-11-26T10:00:00Z", "2026-03-02T09:15:00Z",
            "2025-01-10T08:00:00Z", "not a time",
        )]  # fmt: skip
        assert said == [
            "just now", "45 min ago", "today 08:05", "yesterday 18:05", "Thu 26 Nov", "2 Mar",
            "10 Jan 2025", "not a time",
        ]  # fmt: skip
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_closing_the_open_dialog_ends_a_listing_that_gets_no_answer(qtbot: Any) -> None:
    from team_faults import blackhole

    dialog = _dialog(qtbot, [])
    with blackhole() as server:
        dialog.url.setText(server)
        assert dialog.list_projects()
        qtbot.wait(300)
        assert dialog.job is not None and "Asking" in dialog.message.text()
        started = time.monotonic()
        dialog.reject()
        assert dialog.runner.wait(1000) and time.monotonic() - started < 1.0


def test_open_dialog_says_in_one_line_why_it_cannot_list(
    qtbot: Any, desk: dict[str, str], pg_server: Any
) -> None:
    dialog = _dialog(qtbot, [])
    for server, words in (
        (pg_server.url("workbench_tests", "ana", "wrong"), "wrong user name or password"),
        (pg_server.url("workbench_tests", "ana"), "asks for a password"),
        (f"postgresql://ana@127.0.0.1:{pg_server.port + 1}/x", "cannot be reached"),
        ("postgresql://ana@db.newsroom.invalid/x", "host name could not be found"),
    ):
        dialog.url.setText(server)
        assert dialog.list_projects()
        qtbot.waitUntil(lambda: dialog.job is None, timeout=15000)
        text = dialog.message.text()
        assert text.startswith("Could not list the projects: ") and words in text, text
        assert "\n" not in text and "wrong@" not in text and "Traceback" not in text
        assert dialog.project_names() == []


def test_open_dialog_starts_on_the_last_server_with_recent_projects(
    qtbot: Any, make_window: Any, desk: dict[str, str], pg_server: Any
) -> None:
    """Opening a project puts it in the recent list (without password); the dialog then lists
    that server's projects at once, and picking the recent one opens it."""
    window = make_window()
    window.persist = True
    opened(qtbot, window, desk["ed"])
    recent = window.features["team"].recent_team_projects()
    assert recent and "ed-pw" not in recent[0] and "@" in recent[0]
    dialog = _dialog(qtbot, recent)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=15000)
    # ed's URL without password: this server asks for one, and the dialog says so in one line,
    # with the cursor in the password field; Enter there lists again
    assert "asks for a password" in dialog.message.text()
    assert dialog.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, "ed-pw")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.job is not None
    qtbot.waitUntil(lambda: dialog.job is None, timeout=15000)
    assert desk["project"] in dialog.project_names()
    dialog.recent.setCurrentRow(0)
    assert dialog.chosen_url() == recent[0].replace("ed@", "ed:ed-pw@")
    window.features["team"].ask_url = lambda *_: dialog.chosen_url()
    window.actions_registry.action("file.open_team").trigger()
    qtbot.waitUntil(lambda: window.job is None, timeout=15_000)
    assert window.has_project() and window.project.login == "ed", window.ask.errors


# ---------------------------------------------------------------------- practice on a team project
class _PracticeAsk:
    def __init__(self, exercise: tuple[Path, Path] | None = None, key: Path | None = None):
        self.exercise, self.key = exercise, key
        self.offered: list[Path] = []
        self.infos: list[str] = []

    def exercise_paths(self, exercise: Path, key: Path) -> tuple[Path, Path] | None:
        self.offered += [exercise, key]
        return self.exercise

    def key_file(self, folder: str) -> Path | None:
        return self.key

    def info(self, title: str, message: str) -> None:
        self.infos.append(message)


def test_practice_makes_an_exercise_from_a_team_project_and_grades_one(
    qtbot: Any, make_window: Any, desk: dict[str, str], team_url: Any, tmp_path: Path
) -> None:
    """The editor makes an exercise from the desk's team project in the window; a student's
    exercise uploaded to the server (workbench copy) is compared with the key from its window."""
    from workbench.core.practice.exercise import load_key
    from workbench.core.project.copy import copy_project
    from workbench.core.project.store import Project

    with Project.open(desk["ed"]) as ed:
        rated = [c.id for c in ed.claims()[:3]]
        for cid, rating in zip(rated, ("true", "false", "half-true"), strict=True):
            ed.set_verdict(cid, rating, f"Editor on {cid}.")
    window = make_window()
    opened(qtbot, window, desk["ed"])
    practice = window.features["practice"]
    ex, key = tmp_path / "desk-exercise.wbproj", tmp_path / "desk-key.json"
    practice.ask = _PracticeAsk((ex, key))
    practice.act_make.trigger()
    qtbot.waitUntil(lambda: window.job is None, timeout=15000)
    assert window.ask.errors == [] and ex.is_file() and key.is_file()
    # offered beside nothing in the working folder: the home folder, named after the project
    assert practice.ask.offered[0] == Path.home() / f"{desk['project']}-exercise.wbproj"
    loaded = load_key(key)
    assert {c.id: c.rating for c in loaded.claims if c.rating} == dict(
        zip(rated, ("true", "false", "half-true"), strict=True)
    )
    with Project.open(ex) as student:
        assert all(c.rating is None for c in student.claims())

    # The student's exercise on the server, rated there, compared with the key in the window.
    submission = team_url("student")
    copy_project(ex, submission)
    student_window = make_window()
    opened(qtbot, student_window, submission)
    assert student_window.project.is_team, student_window.ask.errors
    student_window.select_claim(rated[0])
    student_window.claim_actions.rate("true")
    student_practice = student_window.features["practice"]
    student_practice.ask = _PracticeAsk(key=key)
    student_practice.act_compare.trigger()
    qtbot.waitUntil(lambda: student_window.job is None, timeout=15000)
    assert student_window.ask.errors == []
    feedback = student_practice.feedback
    assert feedback is not None and feedback.scores.rated == 1
    assert feedback.scores.exact == 1 / 3


# ---------------------------------------------------------------------- faults
def test_each_server_fault_is_one_line_in_the_window(
    qtbot: Any, make_window: Any, pg_server: Any, team_url: Any, seed_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Unknown host, missing database or project, a schema without its tables, a newer schema,
    and (the real server made too old by raising the minimum) an unsupported server version."""
    from team_faults import SECRET, fault_urls

    window = make_window()
    cases = list(fault_urls(pg_server, team_url, seed_path).values())
    old = team_url("old")
    new_project(old, seed_path).close()
    with postgres.psycopg.connect(parse_url(old).conninfo) as raw:
        major = raw.info.server_version // 10000  # the real server's own number
    cases.append((old, f"runs PostgreSQL {major}; Workbench needs {major + 1} or newer."))
    for url, words in cases:
        if url == old:
            monkeypatch.setattr(postgres, "MIN_SERVER_VERSION", (major + 1) * 10000)
        opened(qtbot, window, url)
        message = window.ask.errors[-1]
        assert words in message and "\n" not in message and SECRET not in message, message
        assert not window.has_project()
        assert words in window.statusBar().currentMessage()


# ---------------------------------------------------------------------- the "Assigned to" column
def test_assigned_to_column_in_a_team_project(
    qtbot: Any, qtmodeltester: Any, make_window: Any, desk: dict[str, str], seed_path: Path,
    tmp_path: Path,
) -> None:  # fmt: skip
    """Shown for a team project (hidden for a file), filled from the claims, kept current when
    someone assigns a claim elsewhere, sortable with the unassigned last; the model passes Qt's
    model tester through all of it."""
    from PySide6.QtCore import Qt

    from workbench.core.project.store import Project
    from workbench.gui.claims.model import COL_ASSIGNED, COLUMNS

    with Project.open(desk["ed"]) as ed:
        first, second, third = (c.id for c in ed.claims()[:3])
        ed.assign_claim(second, "ed")
    window = make_window()
    opened(qtbot, window, desk["ana"])
    model, proxy = window.model, window.proxy
    qtmodeltester.check(model)
    assert COLUMNS[COL_ASSIGNED] == "Assigned to"
    assert not window.table.isColumnHidden(COL_ASSIGNED)
    header = window.table.horizontalHeader()  # the header is not cut off
    assert (
        header.sectionSize(COL_ASSIGNED)
        >= header.fontMetrics().horizontalAdvance(COLUMNS[COL_ASSIGNED]) + 12
    )

    def shown(claim_id: int) -> str:
        return str(model.index(model.row_of(claim_id), COL_ASSIGNED).data())

    assert shown(second) == "ed" and shown(first) == ""
    with Project.open(desk["ed"]) as ed:  # another person assigns: the column follows, live
        ed.assign_claim(first, "ana")
    qtbot.waitUntil(lambda: shown(first) == "ana", timeout=3000)
    window.select_claim(third)
    window.table.sortByColumn(COL_ASSIGNED, Qt.SortOrder.AscendingOrder)
    top = [proxy.claim_id_at(r) for r in range(3)]
    assert top[:2] == [first, second]  # ana, ed, then the unassigned
    assert window.current_claim_id() == third
    window.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)

    seeded = tmp_path / "file.wbproj"
    new_project(seeded, seed_path).close()
    window.open_path(str(seeded))  # a file: no desk, no column
    assert window.table.isColumnHidden(COL_ASSIGNED)


def test_welcome_screen_lists_recent_team_projects(
    qtbot: Any, make_window: Any, desk: dict[str, str], pg_server: Any
) -> None:
    """Before a project is open, a recent team project is one activation away, named by project
    and server, never with its password."""
    owner_url = pg_server.url("workbench_tests") + f"?project={desk['project']}"
    first = make_window()
    first.persist = True
    opened(qtbot, first, desk["ed"])  # remembered without the password
    opened(qtbot, first, owner_url)
    first.recent_menu.aboutToShow.emit()  # File ▸ Open recent names them the same way
    assert [a.text() for a in first.recent_menu.actions()][:2] == [
        f"{desk['project']} on wbadmin@127.0.0.1:{pg_server.port}/workbench_tests",
        f"{desk['project']} on ed@127.0.0.1:{pg_server.port}/workbench_tests",
    ]
    first.close()
    window = make_window()
    welcome = window.welcome
    labels = [welcome.recent.item(i).text() for i in range(welcome.recent.count())]
    assert labels[:2] == [
        f"{desk['project']}    —    wbadmin@127.0.0.1:{pg_server.port}/workbench_tests",
        f"{desk['project']}    —    ed@127.0.0.1:{pg_server.port}/workbench_tests",
    ]
    assert not any("ed-pw" in welcome.recent.item(i).toolTip() for i in range(len(labels)))
    welcome.recent.itemActivated.emit(welcome.recent.item(0))
    qtbot.waitUntil(window.has_project, timeout=15_000)
    assert window.project.is_team and window.project.location == parse_url(owner_url).display


def test_a_remembered_team_project_asks_for_its_password(
    qtbot: Any, make_window: Any, desk: dict[str, str]
) -> None:
    """Recent entries keep no password: opening one on a server that asks for it brings up
    the Open team project dialog with the project filled in, instead of an error."""
    from workbench.core.project.backends import with_password
    from workbench.gui.team.open_dialog import OpenTeamDialog

    first = make_window()
    first.persist = True
    opened(qtbot, first, desk["ed"])
    remembered = first.features["team"].recent_team_projects()[0]
    assert "ed-pw" not in remembered
    first.close()

    window = make_window()
    team = window.features["team"]
    asked: list[tuple[str, str]] = []
    team.ask_url = lambda url="", message="": asked.append((url, message))  # cancelled
    opened(qtbot, window, remembered)
    assert asked == [
        (remembered, "The server asks for the password of ed (used for now, never saved).")
    ]
    assert not window.has_project() and window.ask.errors == []

    team.ask_url = lambda url="", message="": with_password(url, "ed-pw")
    opened(qtbot, window, remembered)
    assert window.has_project() and window.project.login == "ed", window.ask.errors

    dialog = OpenTeamDialog(None, [remembered], remembered, asked[0][1])
    qtbot.addWidget(dialog)
    assert dialog.job is None and dialog.url.text() == remembered  # nothing asked of the server
    assert dialog.message.text() == asked[0][1]
    dialog.password.setText("ed-pw")
    assert dialog.chosen_url() == with_password(remembered, "ed-pw")


# ---------------------------------------------------------------------- a server that never answers
class _Ticks(QObject):
    """Counts a timer's ticks and the paints of one widget: proof the event loop runs."""

    def __init__(self, widget: Any) -> None:
        super().__init__()
        self.ticks = self.paints = 0
        self.timer = QTimer(self)
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        widget.installEventFilter(self)

    def _tick(self) -> None:
        self.ticks += 1

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def test_opening_on_a_server_that_never_answers_keeps_the_window_working(
    qtbot: Any, make_window: Any, seed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A TCP socket that listens but never answers holds a connect for the whole timeout: the
    open runs in the background, the window keeps running (a timer ticks, the status bar
    repaints, the open project can still be rated), the status bar says whom it is connecting
    to, Cancel ends it at once, and the project open before is untouched. After the timeout the
    reason is one line, and the project open before is still the open one."""
    from team_faults import SECRET, blackhole

    window = make_window()
    window.open_path(str(seed_project))
    before = window.project
    claim = window.model.claims()[0]
    window.select_claim(claim.id)
    with blackhole() as server:
        ticks = _Ticks(window.job_label)
        started = time.monotonic()
        window.open_path(f"{server}?project=desk")
        assert time.monotonic() - started < 1.0  # returned at once: nothing waits on the server
        assert window.job is not None and window.job_label.isVisible()
        host = server.rsplit("@", 1)[1].split("/")[0]
        # Said once, beside the progress bar and Cancel (the status message said it too).
        qtbot.waitUntil(lambda: f"connecting to {host}…" in window.job_label.text())
        assert host not in window.statusBar().currentMessage()
        qtbot.wait(600)
        assert window.job is not None  # still connecting, and the window ran meanwhile:
        assert ticks.ticks >= 10 and ticks.paints >= 1, (ticks.ticks, ticks.paints)
        window.claim_actions.rate("false")  # the open project is still the one edited
        assert window.project is before and before.claim(claim.id).rating == "false"

        started = time.monotonic()
        qtbot.mouseClick(window.job_cancel, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.job is None, timeout=2000)
        assert time.monotonic() - started < 1.0
        assert QThreadPool.globalInstance().waitForDone(1000)  # the worker ended too
        assert window.statusBar().currentMessage() == "Cancelled; desk was not opened."
        assert window.project is before and window.ask.errors == []
        assert window.model.claim(claim.id).rating == "false"

        monkeypatch.setattr(postgres, "CONNECT_TIMEOUT_S", 1)
        window.open_path(f"{server}?project=desk")
        qtbot.waitUntil(lambda: window.job is None, timeout=5000)
    message = window.ask.errors[-1]
    assert "did not answer within 1 s" in message, message
    assert "\n" not in message and SECRET not in message
    assert window.project is before and before.claim(claim.id).rating == "false"
    assert window.windowTitle().startswith(before.article().title or "")


def test_closing_the_window_while_it_connects_does_not_wait_for_the_server(
    qtbot: Any, make_window: Any
) -> None:
    from team_faults import blackhole

    window = make_window()
    with blackhole() as server:
        window.open_path(f"{server}?project=desk")
        assert window.job is not None
        started = time.monotonic()
        window.close()
        assert time.monotonic() - started < 1.0
        assert QThreadPool.globalInstance().waitForDone(1000)
    assert not window.has_project()


def test_file_dialogs_of_a_team_project_start_in_the_documents_folder(
    qtbot: Any, make_window: Any, desk: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Export report, Save a copy and Import web archive offered a place "beside" the team
    project, whose path is only its name: a relative path, so wherever the window started."""
    from workbench.gui.window import opening

    window = opened(qtbot, make_window(), desk["ed"])
    offered: list[str] = []
    monkeypatch.setattr(opening, "documents_dir", lambda: Path("/home/ed/Documents"))

    class Asks:
        def export_path(self, fmt: str, suggested: Path) -> None:
            offered.append(str(suggested))

        def archive_file(self, folder: str) -> None:
            offered.append(folder)

    window.features["editing"].ask = Asks()
    window.features["sources"].ask = Asks()
    window.ask.save_path = lambda title, suggested: offered.append(str(suggested))  # type: ignore[method-assign]
    window.features["editing"].export_dialog("html")
    window.file_actions.save_copy_dialog()
    window.features["sources"].import_archive_dialog()
    name = desk["project"]
    assert offered == [
        f"/home/ed/Documents/{name}-report.html",
        f"/home/ed/Documents/{name}-copy.wbproj",
        "/home/ed/Documents",
    ]
