"""Roles enforced by the server: checked through the Project API, the CLI, and raw psycopg
connections as each role (what a checker with psql could try)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from team_desk import make_desk

from workbench.cli.main import main
from workbench.core.errors import InvalidInputError, ProjectError
from workbench.core.project.backends.postgres import parse_url
from workbench.core.project.backends.postgres_roles import add_member, init_team
from workbench.core.project.store import Project

PASSWORDS = {"ana": "ana-pw-1", "ed": "ed-pw-2", "ada": "ada-pw-3"}


@pytest.fixture()
def team(team_url: Any, seed_path: Path, pg_server: Any) -> dict[str, str]:
    """A team project with a checker (ana), an editor (ed) and an admin (ada)."""
    roles = {"ana": "checker", "ed": "editor", "ada": "admin"}
    url, members = make_desk(pg_server, team_url, seed_path, "roles", roles, PASSWORDS)
    return {"owner": url, **members}


def _raw(url: str) -> psycopg.Connection:
    parsed = parse_url(url)
    conn = psycopg.connect(parsed.conninfo, autocommit=True)
    conn.execute(f'SET search_path TO "{parsed.schema}"')
    return conn


def test_checker_rates_sources_and_checks_but_cannot_approve_or_delete_others_work(
    team: dict[str, str],
) -> None:
    with Project.open(team["ana"]) as ana:
        cid = ana.claims()[0].id
        ana.set_verdict(cid, "false", "Contradicted", reviewer="somebody else")
        assert ana.claim(cid).rated_by == "ana"  # the login, not the typed name
        assert ana.history(cid)[-1].actor == "ana"
        ana.attach_source(cid, "https://example.org/ana")
        ana.set_status(cid, "checked")
        with pytest.raises(ProjectError, match="needs the editor role"):
            ana.set_status(cid, "approved")
        with pytest.raises(ProjectError, match="needs the editor role"):
            ana.set_status(cid, "returned", note="no")
        with pytest.raises(ProjectError, match="someone else made, needs the editor role"):
            ana.delete_claim(ana.claims()[1].id)
        own = ana.add_claim(0, 30)
        ana.delete_claim(own)  # her own work she may delete
        assert ana.claim(cid).status == "checked"

    with Project.open(team["ed"]) as ed:
        ed.set_status(cid, "approved")
        source_id = ed.claim_sources(cid)[0].source.id
    with Project.open(team["ana"]) as ana:
        with pytest.raises(ProjectError, match="approved; changing its status needs the editor"):
            ana.set_status(cid, "in_progress")
        other = ana.claims()[2].id
    with Project.open(team["ed"]) as ed:
        ed.attach_source(other, "https://example.org/ed")
        ed_source = ed.claim_sources(other)[0].source.id
    ana = Project.open(team["ana"])
    with pytest.raises(ProjectError, match=r"someone else attached .* needs the editor role"):
        ana.detach_source(other, ed_source)
    ana.close()
    with Project.open(team["ed"]) as ed:
        ed.detach_source(cid, source_id)  # an editor may remove anyone's


def test_a_checker_with_psql_meets_the_same_walls(team: dict[str, str]) -> None:
    with _raw(team["ana"]) as raw:
        cid = raw.execute("SELECT min(id) FROM claims").fetchone()[0]
        # Writing history in someone else's name: the server records the login instead.
        raw.execute(
            "INSERT INTO verdicts(claim_id, rating, rationale, reviewer, note, created_at) "
            "VALUES (%s, 'true', '', 'ed', '', '2026-01-01T00:00:00Z')",
            (cid,),
        )
        assert raw.execute("SELECT reviewer FROM verdicts ORDER BY id DESC").fetchone() == ("ana",)
        for statement in (
            f"UPDATE claims SET status = 'approved' WHERE id = {cid}",
            "DELETE FROM events",
            "UPDATE verdicts SET rating = 'false'",
            "DELETE FROM verdicts",
            "DELETE FROM claims",
            "UPDATE articles SET text = 'rewritten'",
            "DROP TABLE claims",
            "GRANT workbench_editor TO ana",
        ):
            with pytest.raises(psycopg.Error) as refused:
                raw.execute(statement)
            assert isinstance(
                refused.value,
                psycopg.errors.InsufficientPrivilege | psycopg.errors.InvalidGrantOperation,
            ), statement
        # Changing the scale: the row is not hers to change, so nothing changes.
        raw.execute("UPDATE meta SET value = '{}' WHERE key = 'scale'")
        assert raw.execute("SELECT value FROM meta WHERE key = 'scale'").fetchone()[0] != "{}"
    with _raw(team["ed"]) as raw:
        raw.execute("UPDATE claims SET status = 'approved' WHERE id = (SELECT min(id) FROM claims)")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("DELETE FROM events")


def test_members_are_managed_by_admins_only(
    team: dict[str, str], pg_server: Any, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    server_as = {
        login: pg_server.url("workbench_tests", login, PASSWORDS[login]) for login in PASSWORDS
    }
    assert "added as checker" in add_member(server_as["ada"], "carl", "checker", "carl-pw")
    with pytest.raises(ProjectError, match="needs the admin role"):
        add_member(server_as["ana"], "dora", "editor", "x")
    # The CLI reads the password from stdin, never from an argument.
    monkeypatch.setattr(sys, "stdin", io.StringIO("dora-pw\n"))
    code = main(["team", "add", server_as["ada"], "dora", "--role", "editor", "--password"])
    out, _ = capsys.readouterr()
    assert code == 0 and "dora created and added as editor" in out and "dora-pw" not in out
    dora = team["owner"].replace("wbadmin@", "dora:dora-pw@")
    with Project.open(dora) as project:
        project.set_status(project.claims()[0].id, "approved")


def _roles_of(pg_server: Any, login: str) -> tuple[bool, bool, bool, bool]:
    """(checker, editor, admin, may create roles) as the server sees LOGIN."""
    with psycopg.connect(pg_server.url("workbench_tests"), autocommit=True) as conn:
        row = conn.execute(
            "SELECT pg_has_role(%s, 'workbench_checker', 'MEMBER'), "
            "pg_has_role(%s, 'workbench_editor', 'MEMBER'), "
            "pg_has_role(%s, 'workbench_admin', 'MEMBER'), "
            "(SELECT rolcreaterole FROM pg_roles WHERE rolname = %s)",
            (login, login, login, login),
        ).fetchone()
    return tuple(row)


def test_changing_an_admins_role_never_takes_away_roles_they_gave(
    team: dict[str, str], pg_server: Any
) -> None:
    """Since PostgreSQL 16 a membership depends on its grantor's: revoking the admin's role
    would fail ("dependent privileges exist") or, with CASCADE, silently take the checker's.
    Adding a member again is harmless on every version; a demotion that would cut others'
    roles is refused naming them, until another admin has added them again."""
    server = pg_server.url("workbench_tests")
    add_member(server, "ava", "admin", "ava-pw")
    add_member(server, "ava", "admin", "ava-pw")  # again: unchanged, no error
    as_ava = pg_server.url("workbench_tests", "ava", "ava-pw")
    add_member(as_ava, "cy", "checker", "cy-pw")
    with psycopg.connect(server) as conn:
        version = conn.info.server_version
    if version >= 160000:
        with pytest.raises(InvalidInputError, match="ava gave the checker role to cy"):
            add_member(server, "ava", "editor")
        assert _roles_of(pg_server, "ava") == (True, True, True, True)  # untouched
        with psycopg.connect(server, autocommit=True) as conn:  # another admin re-grants it
            conn.execute("GRANT workbench_checker TO cy")
            conn.execute("REVOKE workbench_checker FROM cy GRANTED BY ava")
    add_member(server, "ava", "editor")
    assert _roles_of(pg_server, "ava") == (True, True, False, False)
    assert _roles_of(pg_server, "cy") == (True, False, False, False)


def test_refusals_and_bad_logins_are_one_line_on_the_command_line(
    team: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["status", team["ana"], "1", "approved"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "needs the editor role" in err
    wrong = team["ana"].replace(PASSWORDS["ana"], "Zq9-not-it")
    code = main(["claims", wrong])
    err = capsys.readouterr().err
    assert code == 1 and "wrong user name or password" in err and err.count("\n") == 1
    assert "Zq9-not-it" not in err


def test_members_list_a_sources_captures(team: dict[str, str]) -> None:
    """Ask the archives (the History tab) stores the listing in `captures`: every member was
    refused ("Your role may not change captures…; ask an editor or admin", said to an editor
    too) because the table had no grant."""
    rows = [
        {"archive": "wayback", "archive_url": "https://web.archive.org/web/2015/x",
         "timestamp": "20150301100000"},
    ]  # fmt: skip
    init_team(team["owner"])  # run again, as on a project set up before: it brings the grants
    for login in ("ana", "ed"):
        with Project.open(team[login]) as project:
            cid = project.claims()[0].id
            project.attach_source(cid, f"https://example.org/{login}")
            source_id = project.claim_sources(cid)[-1].source.id
            project.set_capture_listing(source_id, ["wayback"], rows)  # a first listing
            project.set_capture_listing(source_id, ["wayback"], rows)  # and one replacing it
            assert [c.timestamp for c in project.capture_listing(source_id)] == ["20150301100000"]
