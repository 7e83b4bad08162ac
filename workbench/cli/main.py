"""The `workbench` command: opens the window by default; subcommands do headless work.

    workbench                         open the window
    workbench PATH_OR_URL             open a project, or start one from an article file or URL
    workbench new PROJECT ARTICLE     load, split and save; prints the claim count and path
    workbench claims PROJECT [--json] [--min-score X]
    ...

Every user mistake ends as one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from workbench import __version__
from workbench.cli.common import (
    BY_HELP,
    CLAIM_HELP,
    JSON_HELP,
    PROJECT_HELP,
    add_note_option,
    count_claims,
    user_warnings_as_lines,
)
from workbench.core.errors import WorkbenchError
from workbench.core.project.backends import is_team_url
from workbench.core.project.records import RELATIONS, STATUSES, claim_json
from workbench.core.project.store import Project

EXIT_USER_ERROR = 1


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------- commands
def cmd_new(args: argparse.Namespace) -> int:
    from workbench.core.project.create import new_project, refused_links_note

    with new_project(args.project, args.article, scale=args.scale, overwrite=args.force) as project:
        print(f"{count_claims(project.claim_count())}\t{project.location}")
        note = refused_links_note(project)
    if note:
        print(f"warning: {note}", file=sys.stderr)
    return 0


def cmd_article(args: argparse.Namespace) -> int:
    with Project.open(args.project, readonly=True) as project:
        art = project.article()
        data = {
            "title": art.title,
            "byline": art.byline,
            "published": art.published,
            "url": art.url,
            "text": art.text,
            "links": [asdict(link) for link in art.links],
            "encoding": art.encoding,
            "source_kind": art.source_kind,
            "sha256": art.raw_sha256,
        }
    if args.json:
        _print_json(data)
    else:
        print(data["title"])
        print(" · ".join(x for x in (data["byline"], data["published"], data["url"]) if x))
        print()
        print(data["text"])
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    with Project.open(args.project, readonly=True) as project:
        text = project.article().text
        claims = project.claims(min_score=args.min_score)
    if args.unassigned:
        claims = [c for c in claims if c.assigned_to is None]
    elif args.assigned_to:
        claims = [c for c in claims if c.assigned_to == args.assigned_to]
    if args.json:
        _print_json([claim_json(c, text) for c in claims])
        return 0
    for c in claims:
        verdict = c.rating or "-"
        print(f"{c.id}\t{c.score:.2f}\t{c.kind}\t{c.status}\t{verdict}\t{_one_line(c.text)}")
    return 0


def cmd_verdict(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        project.set_verdict(args.claim_id, args.rating, args.note or "", reviewer=args.by)
        claim = project.claim(args.claim_id)
        label = project.scale.rating(claim.rating or "").label if claim.rating else "-"
        problem = _keep_library_current(project)
    print(f"Claim {claim.id}: {label} ({claim.status})")
    if problem:
        print(f"workbench: {problem}", file=sys.stderr)
    return 0


def _keep_library_current(project: Project) -> str | None:
    """The fact-check library follows verdicts (and their sources) as the window's does."""
    from workbench.core.library.projects import keep_current

    return keep_current(project)


def cmd_source(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        source_id = project.attach_source(
            args.claim_id, args.url, relation=args.relation, note=args.note or ""
        )
        problem = _keep_library_current(project)
    print(f"Source {source_id} attached to claim {args.claim_id} ({args.relation})")
    if problem:
        print(f"workbench: {problem}", file=sys.stderr)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        project.set_status(args.claim_id, args.status, note=args.note or "", actor=args.by)
    print(f"Claim {args.claim_id}: {args.status}")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from workbench.core.project.history_words import history_sentences

    with Project.open(args.project, readonly=True) as project:
        events = project.history(args.claim_id)
        scale = project.scale
    if args.json:
        _print_json([asdict(e) for e in events])
        return 0
    for e, sentence in zip(events, history_sentences(events, scale), strict=True):
        print(f"{e.at}  {_one_line(sentence)}")
    return 0


def cmd_scales(args: argparse.Namespace) -> int:
    from workbench.core.project.scales import available_scales

    for scale in available_scales(Path.cwd()).values():  # broken files: a warning each
        print(f"{scale.id}\t{scale.name}")
        for r in scale.ratings:
            print(f"  {r.id}\t{r.label}{'' if r.ordinal else ' (outside the order)'}")
    return 0


# ---------------------------------------------------------------------- parser
OWN_COMMANDS = ("new", "article", "claims", "verdict", "source", "status", "history", "scales")
# The commands that live beside their feature, by the module that registers them (a test
# keeps this in step with the modules).
COMMAND_MODULES = {
    **dict.fromkeys(("fetch", "import-warc", "sources"), "workbench.cli.archive"),
    **dict.fromkeys(("captures", "diff", "refresh", "cite"), "workbench.cli.history"),
    **dict.fromkeys(("report", "import-json"), "workbench.cli.report"),
    **dict.fromkeys(("exercise", "grade", "evaluate"), "workbench.cli.practice"),
    "library": "workbench.cli.library",
    "screenshot": "workbench.cli.gui",
    "settings": "workbench.cli.settings",
    **dict.fromkeys(("copy", "assign", "team"), "workbench.cli.team"),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser; or, given a command's name, only its own (and its module's):
    `workbench screenshot ...` need not import every command module and build forty parsers
    (each help text is a gettext lookup) to read its arguments."""
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Check the claims in an article against their sources.",
        epilog="Run `workbench` alone, or `workbench FILE`, to open the window.",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if command is None or command in OWN_COMMANDS:
        _add_own_commands(sub)
    modules = (
        None
        if command is None
        else [COMMAND_MODULES[command]]
        if command in COMMAND_MODULES
        else []
    )
    for register in _extra_commands(modules):
        register(sub)
    return parser


def _add_own_commands(sub: Any) -> None:
    p = sub.add_parser("new", help="load an article, split it into claims, save a project")
    p.add_argument("project", help="the project file to write (.wbproj)")
    p.add_argument("article", help="an article: text or HTML file, or an http(s) URL")
    p.add_argument("--scale", default="truth6", help="rating scale id or JSON file (truth6)")
    p.add_argument("--force", action="store_true", help="overwrite an existing project file")
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser("article", help="show the project's article")
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(handler=cmd_article)

    p = sub.add_parser("claims", help="list the claims, one per line or as JSON")
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.add_argument(
        "--min-score",
        type=float,
        default=None,
        metavar="X",
        help="only claims whose check-worthiness is at least X (0 to 1)",
    )
    who = p.add_mutually_exclusive_group()
    who.add_argument(
        "--assigned-to", metavar="LOGIN", help="only the claims assigned to this login"
    )
    who.add_argument("--unassigned", action="store_true", help="only the unassigned claims")
    p.set_defaults(handler=cmd_claims)

    p = sub.add_parser("verdict", help="record a verdict on a claim")
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("claim_id", type=int, help=CLAIM_HELP)
    p.add_argument("rating", help="a rating id or label of the project's scale")
    add_note_option(p, "the rationale")
    p.add_argument("--by", help=BY_HELP)
    p.set_defaults(handler=cmd_verdict)

    p = sub.add_parser("source", help="attach a source URL to a claim")
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("claim_id", type=int, help=CLAIM_HELP)
    p.add_argument("url", help="the source's address (http or https)")
    p.add_argument(
        "--relation",
        choices=RELATIONS,
        default="cited",
        help="how the source bears on the claim (cited)",
    )
    add_note_option(p, "e.g. where in the source to look")
    p.set_defaults(handler=cmd_source)

    p = sub.add_parser("status", help="move a claim through the review")
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("claim_id", type=int, help=CLAIM_HELP)
    p.add_argument("status", choices=STATUSES, help="the new status")
    add_note_option(p, "e.g. why it was returned")
    p.add_argument("--by", help=BY_HELP)
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser("history", help="what happened to a claim (or the project), oldest first")
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument(
        "claim_id", type=int, nargs="?", help="only this claim's history (default: the project's)"
    )
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(handler=cmd_history)

    p = sub.add_parser("scales", help="list the rating scales")
    p.set_defaults(handler=cmd_scales)


def _extra_commands(modules: list[str] | None = None) -> list[Callable[[Any], None]]:
    """Subcommands that live beside their feature (archive, reports, practice, GUI tools):
    every module's, or only those of `modules`."""
    registers: list[Callable[[Any], None]] = []
    for module_name in dict.fromkeys(COMMAND_MODULES.values()) if modules is None else modules:
        try:
            module = __import__(module_name, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        registers.append(module.register)
    return registers


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _is_subcommand(argv: Sequence[str], parser: argparse.ArgumentParser) -> bool:
    if not argv:
        return False
    first = argv[0]
    return first.startswith("-") or first in _commands(parser)


def _is_openable(word: str) -> bool:
    """What the window can open: an existing file, a web address, or a team project's URL."""
    return (
        Path(word).exists()
        or word.strip().lower().startswith(("http://", "https://"))
        or is_team_url(word)
    )


def _plainly_a_file_or_url(word: str) -> bool:
    """An existing path with a folder or a suffix in it, or a web address: never a command's
    name (command names are plain words), so no parser is needed to tell."""
    return _is_openable(word) and any(ch in word for ch in "/.\\")


def _refuse_unknown_word(argv: Sequence[str], parser: argparse.ArgumentParser) -> None:
    """A word that is neither a command nor something to open is a typo until shown otherwise:
    say so on the command line instead of opening a window that reports a missing file."""
    word = argv[0]
    if len(argv) == 1 and _is_openable(word):
        return
    close = difflib.get_close_matches(word, list(_commands(parser)), n=1, cutoff=0.6)
    if close:
        parser.error(f"'{word}' is not a command; did you mean '{close[0]}'?")
    if len(argv) == 1:
        parser.error(f"there is no file or command '{word}' (see workbench --help)")
    parser.error("give one file or URL to open, or a command (see --help)")


def main(argv: Sequence[str] | None = None) -> int:
    """The `workbench` program (`argv` None: the process's arguments); returns the exit code."""
    code = _main(list(sys.argv[1:] if argv is None else argv))
    if argv is None:
        # The process ends next: the interpreter's last collections would walk every object
        # start-up made (Qt wrappers, enums, dataclasses) only to free what the exit frees
        # anyway (~0.15 s). Calls with arguments (tests, scripts) go on living: left alone.
        gc.freeze()
    return code


def _main(argv: list[str]) -> int:
    if not argv or (len(argv) == 1 and _plainly_a_file_or_url(argv[0])):
        # The window, without first building every command's parser (~0.15 s of start-up).
        from workbench.gui.app import run

        return run(argv[0] if argv else None)
    parser = build_parser(argv[0] if argv[0] in (*OWN_COMMANDS, *COMMAND_MODULES) else None)
    if not _is_subcommand(argv, parser):
        if argv:
            _refuse_unknown_word(argv, parser)
        from workbench.gui.app import run

        return run(argv[0] if argv else None)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    with user_warnings_as_lines():
        return _run_handler(args)


def _run_handler(args: argparse.Namespace) -> int:
    try:
        return args.handler(args)
    except WorkbenchError as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
