"""Assignment: a desk splits an article's claims among its checkers (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from team_desk import make_desk

from workbench.cli.main import main
from workbench.core.errors import ProjectError
from workbench.core.project.create import new_project
from workbench.core.project.store import Project


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_assign_in_a_file_and_filter_the_listing(
    tmp_path: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "p.wbproj")
    new_project(path, seed_path).close()
    assert run(["assign", path, "2", "ana"], capsys)[1] == "Claim 2 is assigned to ana.\n"
    code, out, _ = run(["claims", path, "--assigned-to", "ana", "--json"], capsys)
    assert code == 0 and [c["id"] for c in json.loads(out)] == [2]
    code, out, _ = run(["claims", path, "--unassigned"], capsys)
    assert "2\t" not in [line[:2] for line in out.splitlines()]
    assert run(["assign", path, "2", "-"], capsys)[1] == "Claim 2 is assigned to nobody.\n"
    with Project.open(path) as p:
        assert p.claim(2).assigned_to is None
        assert [(e.action, e.detail) for e in p.history(2)][-2:] == [
            ("assign", {"from": None, "to": "ana"}),
            ("assign", {"from": "ana", "to": None}),
        ]


@pytest.fixture()
def desk(team_url: Any, seed_path: Path, pg_server: Any) -> dict[str, str]:
    return make_desk(
        pg_server,
        team_url,
        seed_path,
        "assign",
        {"ana": "checker", "ben": "checker", "ed": "editor"},
    )[1]


def test_editor_assigns_checkers_take_and_give_back_only_their_own(desk: dict[str, str]) -> None:
    with Project.open(desk["ed"]) as ed:
        first, second = (c.id for c in ed.claims()[:2])
        ed.assign_claim(first, "ana")
        with pytest.raises(ProjectError, match="not a member of the team"):
            ed.assign_claim(second, "stranger")
    with Project.open(desk["ben"]) as ben:
        with pytest.raises(ProjectError, match="needs the editor role"):
            ben.assign_claim(first, "ben")  # taking ana's claim
        ben.assign_claim(second, "ben")  # an unassigned one he may take
        with pytest.raises(ProjectError, match="needs the editor role"):
            ben.assign_claim(second, "ana")  # handing it to someone else
        ben.assign_claim(second, None)  # giving back his own
    with Project.open(desk["ana"], readonly=True) as ana:
        mine = [c.id for c in ana.claims() if c.assigned_to == "ana"]
        assert mine == [first]
        assert ana.history(first)[-1].actor == "ed"
