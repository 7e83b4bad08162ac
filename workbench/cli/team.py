"""Team-project subcommands: copy a project between a file and a PostgreSQL server."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.core.project.copy import copy_project


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


def cmd_copy(args: argparse.Namespace) -> int:
    summary = copy_project(args.source, args.target, overwrite=args.force)
    print(summary.line())
    return 0
