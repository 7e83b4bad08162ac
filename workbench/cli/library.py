"""`workbench library`: the fact-check library of past verdicts and published ClaimReviews.

    workbench library import FILE…                 ClaimReview JSON-LD, JSON Lines, feeds,
                                                    Fact Check Tools JSON, HTML pages, CSV
    workbench library search TEXT [--limit N] [--json]
    workbench library search --queries FILE.jsonl --json [--limit N]
    workbench library add PROJECT…                  index a project's verdicts
    workbench library stats [--json]
    workbench library remove --source FILE | --project PROJECT

The library file is in the user's data folder; WORKBENCH_LIBRARY names another file. With
--server postgresql://[user@]host[:port]/database each command uses the desk's team library on
that server instead: writes go to the server, searches run on this computer's mirror of it
(brought up to date first; when the server cannot be reached the mirror still answers, and a
line on stderr says so).
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from workbench.core.errors import InvalidInputError, LoadError

SERVER_HELP = (
    "use the desk's team library on this PostgreSQL server "
    "(postgresql://[user@]host[:port]/database) instead of your personal one"
)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "library", help="the fact-check library: import ClaimReviews, search past fact checks"
    )
    sub = p.add_subparsers(dest="library_command", metavar="ACTION")
    p.set_defaults(handler=lambda args: _help(p))

    q = sub.add_parser("import", help="import ClaimReview files (JSON-LD, JSON Lines, CSV, …)")
    q.add_argument("files", nargs="+", metavar="FILE", help="ClaimReview files to import")
    q.add_argument("--json", action="store_true", help="one JSON report per file")
    q.add_argument("--server", metavar="URL", help=SERVER_HELP)
    q.set_defaults(handler=cmd_import)

    q = sub.add_parser("search", help="fact checks that match a claim, best first")
    q.add_argument("text", nargs="?", help="the claim to look for")
    q.add_argument(
        "--queries", metavar="FILE.jsonl", help='one {"id": …, "text": …} per line; JSON Lines out'
    )
    q.add_argument("--limit", type=int, default=5, help="matches per claim (5)")
    q.add_argument("--json", action="store_true", help="JSON output")
    q.add_argument(
        "--method",
        choices=("hybrid", "bm25", "vector"),
        default="hybrid",
        help="hybrid re-ranking (default), or one ranker alone for comparison",
    )
    q.add_argument("--server", metavar="URL", help=SERVER_HELP)
    q.set_defaults(handler=cmd_search)

    q = sub.add_parser("add", help="index the verdicts of projects")
    q.add_argument(
        "projects",
        nargs="+",
        metavar="PROJECT",
        help="projects whose verdicts to index: files (into your personal library) or team "
        "project URLs (into their server's team library)",
    )
    q.add_argument("--server", metavar="URL", help=SERVER_HELP)
    q.set_defaults(handler=cmd_add)

    q = sub.add_parser("stats", help="what the library holds")
    q.add_argument("--json", action="store_true", help="JSON output")
    q.add_argument("--server", metavar="URL", help=SERVER_HELP)
    q.set_defaults(handler=cmd_stats)

    q = sub.add_parser("remove", help="remove what one file or project contributed")
    group = q.add_mutually_exclusive_group(required=True)
    group.add_argument("--source", metavar="FILE", help="an imported ClaimReview file")
    group.add_argument("--project", metavar="PROJECT", help="a project file")
    q.add_argument("--server", metavar="URL", help=SERVER_HELP)
    q.set_defaults(handler=cmd_remove)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 0


def _open() -> Any:
    from workbench.core.library.store import Library

    return Library.open()


def _team(args: argparse.Namespace) -> Any:
    from workbench.core.library.team import TeamLibrary

    return TeamLibrary(args.server)


def _writer(args: argparse.Namespace) -> Any:
    """Where writes go: the team library on the server, or the personal file."""
    return _team(args) if args.server else _open()


@contextmanager
def _reader(args: argparse.Namespace) -> Any:
    """The library to read: the personal file, or this computer's mirror of the team library
    after a pull (a server that cannot be reached leaves the mirror as it was, and says so)."""
    if not args.server:
        with _open() as library:
            yield library
        return
    from workbench.core.library.store import LibraryError

    with _team(args) as team, team.mirror() as mirror:
        try:
            team.pull(mirror)
        except LibraryError as exc:
            print(
                f"workbench: {team.not_updated(exc)} Answering from this computer's copy.",
                file=sys.stderr,
            )
        if team.malformed:
            print(f"workbench: {team.malformed_note()}", file=sys.stderr)
        yield mirror


def cmd_import(args: argparse.Namespace) -> int:
    from workbench.core.library.importing import import_file

    total_bad = 0
    with _writer(args) as library:
        for name in args.files:
            path = Path(name)
            if not path.is_file():
                raise LoadError(f"No such file: {name}.")
            report = import_file(library, path)
            total_bad += report.bad
            if args.json:
                data = {"file": name, "added": report.added, "updated": report.updated}
                data |= {"unchanged": report.unchanged, "bad": report.bad}
                data["problems"] = list(report.problems)
                print(json.dumps(data, ensure_ascii=False))
                continue
            print(
                f"{name}: {report.added} added, {report.updated} updated, "
                f"{report.unchanged} unchanged, {report.bad} bad"
            )
            for problem in report.problems:
                print(f"  bad entry: {problem}", file=sys.stderr)
            if report.bad > len(report.problems):
                print(f"  … and {report.bad - len(report.problems)} more", file=sys.stderr)
    return 0


def _match_json(match: Any, method: str) -> dict[str, Any]:
    check = match.entry.check
    data: dict[str, Any] = {
        "url": check.url,
        "claim_reviewed": check.claim_reviewed,
        "rating": check.rating,
        "publisher": check.publisher,
        "date": check.date,
        "score": round(match.score, 4),
        "title": check.title,
        "kind": match.entry.kind,
        "origin": match.entry.origin,
        "differing_numbers": list(match.differing_numbers),
    }
    if method == "hybrid":  # the calibration is the hybrid ranker's; one ranker alone has none
        data["same_claim"] = round(match.likely, 4)  # the chance it checks this very claim
        data["shown_as"] = match.strength or "hidden"  # as the window shows it
    return data


def _read_queries(path: str) -> list[tuple[Any, str]]:
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except FileNotFoundError as exc:
        raise LoadError(f"No such file: {path}.") from exc
    queries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            queries.append((item.get("id"), str(item["text"])))
        except (json.JSONDecodeError, KeyError, AttributeError) as exc:
            raise InvalidInputError(
                f'{path} line {number} is not a JSON object with "text".'
            ) from exc
    return queries


def cmd_search(args: argparse.Namespace) -> int:
    from workbench.core.library.matching import Matcher
    from workbench.core.library.model import likely_percent

    if args.limit < 1:
        raise InvalidInputError("--limit must be at least 1.")
    if bool(args.text) == bool(args.queries):
        raise InvalidInputError("Give either a claim to search for or --queries FILE.jsonl.")
    queries = _read_queries(args.queries) if args.queries else [(None, args.text)]
    with _reader(args) as library:
        results = Matcher(library).search_many(
            [text for _, text in queries], args.limit, method=args.method
        )
    if args.queries:
        for (query_id, _), matches in zip(queries, results, strict=True):
            line = {"id": query_id, "matches": [_match_json(m, args.method) for m in matches]}
            print(json.dumps(line, ensure_ascii=False))
        return 0
    matches = results[0]
    if args.json:
        print(
            json.dumps(
                {"text": args.text, "matches": [_match_json(m, args.method) for m in matches]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not matches:
        print("No fact check in the library matches.")
    for m in matches:
        check = m.entry.check
        where = " · ".join(
            x for x in (check.rating or "no rating", check.publisher, check.date) if x
        )
        # The chance that it checks this very claim (a single ranker's --method: its score).
        value = likely_percent(m.likely) if args.method == "hybrid" else f"{m.score:.2f}"
        print(f"{value}\t{where}\t{check.claim_reviewed}\t{check.url}")
        if m.differing_numbers:
            print(f"\tdiffering numbers: {', '.join(m.differing_numbers)}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """A file's verdicts go to the personal library; a team project's to its server's library
    (--server, if given, must name that server)."""
    from workbench.core.project.backends import is_team_url

    for name in args.projects:
        if args.server and not is_team_url(name):
            raise InvalidInputError(
                f"{name} is not a team project: a team library holds its server's team "
                "projects' verdicts (leave out --server for your personal library)."
            )
        if args.server and is_team_url(name):
            from workbench.core.library.team import mirror_path

            if mirror_path(name) != mirror_path(args.server):  # host, port and database
                raise InvalidInputError(
                    f"{_shown(name)} is on another server than {_shown(args.server)}; "
                    "a team project's verdicts go to its own server's library."
                )
    for name in args.projects:
        report = _add_one(name, args.server)
        shown = _shown(name) if is_team_url(name) else name
        print(
            f"{shown}: {report.added} added, {report.updated} updated, {report.unchanged} unchanged"
        )
        for problem in report.problems:
            print(f"  {shown}: {problem}")
    return 0


def _add_one(name: str, server: str | None) -> Any:
    from workbench.core.library.projects import index_project_file, index_team_project
    from workbench.core.project.backends import is_team_url

    if is_team_url(name):
        from workbench.core.library.team import TeamLibrary

        with TeamLibrary(server or name) as team:
            return index_team_project(team, name)
    with _open() as library:
        return index_project_file(library, name)


def _shown(url: str) -> str:
    from workbench.core.project.backends.postgres import parse_url

    return parse_url(url, need_project=False).display  # never a password


def cmd_stats(args: argparse.Namespace) -> int:
    with _reader(args) as library:
        stats = library.stats()
    if args.server:
        from workbench.core.library.team import server_name

        stats["server"] = server_name(args.server)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    where = (
        f"the team library on {stats['server']} (copy: {stats['path']})"
        if args.server
        else stats["path"]
    )
    print(f"{stats['entries']} fact checks in {where}")
    for kind, origin, count in stats["origins"]:
        print(f"  {count}\t{kind}\t{origin}")
    if stats["publishers"]:
        print("publishers:")
        for name, count in stats["publishers"]:
            print(f"  {count}\t{name or '(none given)'}")
    if stats["ratings"]:
        print("ratings:")
        for name, count in stats["ratings"]:
            print(f"  {count}\t{name or '(none given)'}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from workbench.core.library.importing import remove_source
    from workbench.core.library.projects import remove_project, remove_team_project

    with _writer(args) as library:
        if args.source:
            removed = remove_source(library, Path(args.source))
            what = args.source
        elif args.server:
            removed = remove_team_project(library, args.project)
            what = _shown(args.project) if "://" in args.project else args.project
        else:
            removed = remove_project(library, args.project)
            what = args.project
    print(f"{removed} fact checks from {what} removed")
    return 0
