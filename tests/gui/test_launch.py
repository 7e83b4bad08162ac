"""Issue 15 item 7: `workbench FILE` opens the window without building every command's parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main as cli
from workbench.gui import app as gui_app


@pytest.fixture()
def launched(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    opened: list[str | None] = []

    def no_parser() -> None:
        raise AssertionError("the parser was built for a window launch")

    monkeypatch.setattr(cli, "build_parser", no_parser)
    monkeypatch.setattr(gui_app, "run", lambda target=None: opened.append(target) or 0)
    return opened


def test_a_file_or_nothing_opens_the_window_at_once(
    launched: list[str | None], seed_project: Path
) -> None:
    assert cli.main([str(seed_project)]) == 0
    assert cli.main([]) == 0
    assert cli.main(["https://example.org/article"]) == 0
    assert launched == [str(seed_project), None, "https://example.org/article"]


def test_a_team_projects_url_opens_the_window(launched: list[str | None]) -> None:
    """A team URL is a project wherever a path is (README), so `workbench URL` opens it too
    (it was refused: "there is no file or command 'postgresql://…'")."""
    url = "postgresql://ana@db.newsroom.example:5432/checks?project=desk"
    assert cli.main([url]) == 0
    assert cli.main(["postgres://ana@localhost/checks?project=desk"]) == 0
    assert launched == [url, "postgres://ana@localhost/checks?project=desk"]


def test_a_plain_word_still_goes_to_the_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gui_app, "run", lambda target=None: pytest.fail("window opened"))
    with pytest.raises(SystemExit):
        cli.main(["fetchh"])  # a typo of a command: the parser says so
