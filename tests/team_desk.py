"""A team project made from the seed article, with its members: what most team tests start
from. Shared by the CLI tests (tests/team) and the window's (tests/gui)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any


def make_desk(
    pg_server: Any,
    team_url: Callable[[str], str],
    seed_path: Path,
    name: str,
    members: Mapping[str, str],
    passwords: Mapping[str, str] | None = None,
) -> tuple[str, dict[str, str]]:
    """The owner's URL of team project `name`, and each member's URL of it (login -> role in
    `members`; a member's password is passwords[login], else "LOGIN-pw")."""
    from workbench.core.project.backends.postgres import parse_url
    from workbench.core.project.backends.postgres_roles import add_member, init_team
    from workbench.core.project.create import new_project

    url = team_url(name)
    new_project(url, seed_path).close()
    init_team(url)
    server = pg_server.url("workbench_tests")
    project = parse_url(url).project
    urls = {}
    for login, role in members.items():
        password = (passwords or {}).get(login, f"{login}-pw")
        add_member(server, login, role, password)
        urls[login] = pg_server.url("workbench_tests", login, password) + f"?project={project}"
    return url, urls
