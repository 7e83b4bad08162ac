"""Team-project subcommands: copy a project between a file and a PostgreSQL server."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from workbench.cli.common import BY_HELP, CLAIM_HELP, JSON_HELP, PROJECT_HELP
from workbench.core.errors import InvalidInputError
from workbench.core.project.backends import TEAM_ROLES as ROLES
from workbench.core.project.store import Project


def register(sub: Any) -> None:
    p = sub.add_parser(
        "copy",
        help="copy a whole project between a file and a team server, either way",
        description=(
            "Copy every claim, verdict, source, snapshot, evaluation and history event. "
            "SRC and DEST are each a .wbproj file or a team project URL "
            "(postgresql://[user@]host[:port]/database?project=NAME)."
        ),
    )
    p.add_argument("source", metavar="SRC", help="the project to copy (file or team URL)")
    p.add_argument("target", metavar="DEST", help="the new copy (file or team URL)")
    p.add_argument("--force", action="store_true", help="replace DEST if it exists")
    p.set_defaults(handler=cmd_copy)

    p = sub.add_parser("assign", help="give a claim to a checker (or take it back)")
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("claim_id", type=int, help=CLAIM_HELP)
    p.add_argument("login", help="the checker's login; - to leave the claim unassigned")
    p.add_argument("--by", default=None, help=BY_HELP)
    p.set_defaults(handler=cmd_assign)

    team = sub.add_parser(
        "team", help="team projects on a server: list them, set up roles, add members"
    )
    steps = team.add_subparsers(dest="team_command", metavar="STEP", required=True)
    p = steps.add_parser(
        "init", help="set up the roles, grants and row-level security of a team project"
    )
    p.add_argument("url", help="the team project URL (postgresql://…?project=NAME)")
    p.set_defaults(handler=cmd_team_init)
    p = steps.add_parser("add", help="give a login a role (creating the login if needed)")
    p.add_argument("url", help="the team project's server URL (postgresql://host/database)")
    p.add_argument("login", help="the login name on the server")
    p.add_argument("--role", choices=ROLES, required=True, help="checker, editor or admin")
    p.add_argument(
        "--password",
        action="store_true",
        help="ask for a password for the login (read without echo, or one line on stdin); "
        "leave it out where the server authenticates by certificate, peer or identity provider",
    )
    p.set_defaults(handler=cmd_team_add)
    p = steps.add_parser("list", help="the team projects on a server's database, as URLs to open")
    p.add_argument("url", help="the server URL (postgresql://[user@]host[:port]/database)")
    p.add_argument(
        "-l",
        "--long",
        action="store_true",
        help="each project's claims, how many are checked, its last change and article title, "
        "last changed first (the --json output always has them)",
    )
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(handler=cmd_team_list)


# psycopg is imported by the handlers that need it, not when the CLI starts.
def cmd_copy(args: argparse.Namespace) -> int:
    from workbench.core.project.copy import copy_project

    summary = copy_project(args.source, args.target, overwrite=args.force)
    print(summary.line())
    return 0


def cmd_team_init(args: argparse.Namespace) -> int:
    from workbench.core.project.backends.postgres_roles import init_team

    where = init_team(args.url)
    print(f"Team roles set up on {where}: checker, editor, admin (add members with team add).")
    return 0


def cmd_team_add(args: argparse.Namespace) -> int:
    from workbench.core.project.backends.postgres_roles import add_member

    password = _read_password() if args.password else None
    print(add_member(args.url, args.login, args.role, password))
    return 0


def cmd_team_list(args: argparse.Namespace) -> int:
    from workbench.core.project.backends.postgres import parse_url, project_summaries

    server = parse_url(args.url, need_project=False).server  # never shows a password
    found = project_summaries(args.url, lambda: None)
    if not (args.long or args.json):
        found.sort(key=lambda p: p.name)
    if args.json:
        rows = [
            {"project": p.name, "url": f"{server}?project={p.name}", "readable": p.readable,
             "title": p.title, "claims": p.claims, "checked": p.checked,
             "last_change": p.changed}
            for p in found
        ]  # fmt: skip
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    elif not found:
        print(
            f"No team projects on {server} yet (workbench new URL?project=NAME ARTICLE makes one)."
        )
    elif args.long:
        for p in found:
            url = f"{server}?project={p.name}"
            if not p.readable:
                print(f"{url}\n    cannot be read by this login, or not a Workbench project")
                continue
            changed = p.changed.replace("T", " ").replace("Z", " UTC") if p.changed else "never"
            print(f"{url}\n    {p.checked} of {p.claims} claims checked; last change {changed}; "
                  f"{p.title or '(no title)'}")  # fmt: skip
    else:
        print("\n".join(f"{server}?project={p.name}" for p in found))
    return 0


def _read_password() -> str:
    """From the terminal without echo, or one line of stdin (scripts); never an argument, which
    would show in the process list and the shell's history."""
    if sys.stdin.isatty():
        password = getpass.getpass("Password for the login: ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    if not password:
        raise InvalidInputError("The password is empty; leave out --password for none.")
    return password


def cmd_assign(args: argparse.Namespace) -> int:
    login = None if args.login.strip() in ("-", "") else args.login.strip()
    with Project.open(args.project) as project:
        project.assign_claim(args.claim_id, login, actor=args.by)
        claim = project.claim(args.claim_id)
    who = claim.assigned_to or "nobody"
    print(f"Claim {claim.id} is assigned to {who}.")
    return 0
