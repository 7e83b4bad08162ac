"""What every subcommand shares: the words of its help and the way it speaks on stderr."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from workbench.core.errors import WorkbenchWarning
from workbench.core.wording import counted

PROJECT_HELP = "the project file (.wbproj), or a team project URL (postgresql://…?project=NAME)"
CLAIM_HELP = "the claim's number (see `workbench claims`)"
JSON_HELP = "print JSON instead of text"
BY_HELP = "who does it (default: $WORKBENCH_USER or your login name)"


def count_claims(n: int) -> str:
    return counted(n, "claim")


def add_note_option(parser: argparse.ArgumentParser, example: str, dest: str = "note") -> None:
    """--note everywhere, with --notes accepted too, so neither spelling is ever an error."""
    parser.add_argument("--note", "--notes", dest=dest, default="", metavar="TEXT", help=example)


@contextmanager
def user_warnings_as_lines() -> Iterator[None]:
    """Within: each WorkbenchWarning is printed as one plain line on stderr (no file name, no
    source line), every time; other warnings keep Python's usual handling."""
    with warnings.catch_warnings():
        warnings.simplefilter("always", WorkbenchWarning)
        plain = warnings.showwarning

        def show(message: Any, category: type[Warning], *args: Any, **kwargs: Any) -> None:
            if issubclass(category, WorkbenchWarning):
                print(f"workbench: warning: {' '.join(str(message).split())}", file=sys.stderr)
            else:
                plain(message, category, *args, **kwargs)

        warnings.showwarning = show
        yield
