"""Pages over time (issue 14): a source's captures, the diff of two copies, the article's own
revisions, and citations that name the archived copy.

    workbench captures PROJECT SOURCE_ID [--json] [--offline]
    workbench diff PROJECT SNAPSHOT_A SNAPSHOT_B|live [--json]
    workbench refresh PROJECT [--from FILE_OR_URL | --from-archive [TIMESTAMP]] [--json]
    workbench cite PROJECT SOURCE_ID --style apa|chicago|mla|bibtex|ris|csl-json
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from workbench.cli.common import JSON_HELP, PROJECT_HELP
from workbench.core.errors import InvalidInputError
from workbench.core.project.store import Project

if TYPE_CHECKING:
    from workbench.core.sources.captures import Timeline

# The archive machinery is imported by the commands that use it: `workbench FILE` (the window)
# and every other command import this module to read the arguments, and it costs ~0.5 s.


def register(sub: Any) -> None:
    p = sub.add_parser(
        "captures", help="every capture of a source the archives know, around the article's date"
    )
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument(
        "source",
        type=int,
        metavar="SOURCE_ID",
        help="the source's number (see `workbench sources`)",
    )
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.add_argument(
        "--offline", action="store_true", help="show the stored listing without asking archives"
    )
    p.set_defaults(handler=cmd_captures)

    p = sub.add_parser(
        "diff", help="word-by-word changes between two snapshots (or a snapshot and the live page)"
    )
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument(
        "a",
        metavar="SNAPSHOT_A",
        type=int,
        help="the older copy's snapshot number (see `workbench captures`)",
    )
    p.add_argument("b", metavar="SNAPSHOT_B", help="a snapshot id, or 'live' to fetch the page now")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(handler=cmd_diff)

    register_refresh(sub)

    from workbench.core.report.citation import STYLES

    p = sub.add_parser(
        "cite", help="a citation of a source naming its archived copy, capture time and access date"
    )
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument(
        "source",
        type=int,
        metavar="SOURCE_ID",
        help="the source's number (see `workbench sources`)",
    )
    p.add_argument("--style", choices=STYLES, default="apa", help="citation style (apa)")
    p.add_argument(
        "--snapshot",
        type=int,
        metavar="ID",
        help="cite this stored copy (default: the newest archived one)",
    )
    p.set_defaults(handler=cmd_cite)


def register_refresh(sub: Any) -> None:
    p = sub.add_parser(
        "refresh",
        help="load the article again; keep both texts and re-anchor every claim in the new one",
    )
    p.add_argument("project", help=PROJECT_HELP)
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--from",
        dest="location",
        metavar="FILE_OR_URL",
        help="load the revision from here (default: the article's URL, else its file)",
    )
    where.add_argument(
        "--from-archive",
        dest="archived",
        nargs="?",
        const="",
        metavar="TIMESTAMP",
        help="load it from the Wayback Machine: the newest capture after the text held, or the "
        "capture closest to TIMESTAMP (YYYYMMDDhhmmss or a prefix)",
    )
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(handler=cmd_refresh)


def cmd_refresh(args: argparse.Namespace) -> int:
    from workbench.core.project.revisions import STATE_LABELS, refresh_article

    with Project.open(args.project) as project:
        if args.archived is not None:
            from workbench.core.project.archived_revision import refresh_from_archive
            from workbench.core.settings import archive_settings

            revision = refresh_from_archive(
                project, args.archived or None, settings=archive_settings()
            )
        else:
            revision = refresh_article(project, location=args.location)
        new_claims = [project.claim(cid) for cid in revision.new_claims]
        text = project.article().text
    if args.json:
        data = {
            "location": revision.location,
            "version": revision.version,
            "summary": revision.describe(),
            "counts": revision.counts() if revision.version else {},
            "claims": [
                {
                    "id": claim.id,
                    "state": outcome.state,
                    "old_text": claim.text,
                    "new_text": text[outcome.start : outcome.end],
                    "changes": [list(c) for c in outcome.changes],
                    "verdict": claim.rating,
                }
                for claim, outcome in revision.outcomes
            ],
            "new_claims": [{"id": c.id, "text": c.text} for c in new_claims],
        }
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(revision.describe())
    for claim, outcome in revision.outcomes:
        if outcome.state == "exact":
            continue
        line = f"claim {claim.id}: {STATE_LABELS[outcome.state]}"
        if outcome.detail.get("returned"):
            line = f"claim {claim.id}: back in the revision: {claim.text}"
        elif outcome.state == "changed":
            line += ": " + "".join(_change(op, words) for op, words in outcome.changes).strip()
        elif outcome.state == "gone":
            line += f": {claim.text}"
        print(line)
    for claim in new_claims:
        print(f"claim {claim.id}: {STATE_LABELS['new']}: {claim.text}")
    return 0


def _change(op: str, words: str) -> str:
    if op == "equal":
        return f" {words} "
    return f"[-{words}-]" if op == "delete" else f"{{+{words}+}}"


def cmd_cite(args: argparse.Namespace) -> int:
    from workbench.core.report.citation import cite

    with Project.open(args.project, readonly=True) as project:
        print(cite(project, args.source, args.style, args.snapshot))
    return 0


def timeline_json(found: Timeline) -> dict[str, Any]:
    return {
        "source": {"id": found.source.id, "url": found.source.url},
        "article_published": found.published,
        "listed_at": found.listed_at,
        "problems": list(found.problems),
        "captures": [
            {
                "archive": e.archive,
                "archive_url": e.archive_url,
                "timestamp": e.timestamp,
                "captured_at": e.captured_at,
                "http_status": e.http_status,
                "digest": e.digest,
                "duplicates": e.duplicates,
                "listed": e.listed,
                "snapshot": e.snapshot_id,
                "relation": e.relation,
                "after_article": e.after_article,
            }
            for e in found.entries
        ],
    }


def cmd_captures(args: argparse.Namespace) -> int:
    from workbench.core.sources.captures import list_captures, timeline
    from workbench.core.sources.compare import quotation_history

    with Project.open(args.project, readonly=args.offline) as project:
        if args.offline:
            found = timeline(project, args.source)
        else:
            found = list_captures(project, args.source)
        history = quotation_history(project, args.source)
        snapshots = {s.id: s for s in project.snapshots(args.source)}
    for problem in found.problems:
        print(f"warning: {problem}", file=sys.stderr)
    if args.json:
        data = timeline_json(found)
        data["quotations"] = [
            {"claim": h.claim_id, "quote": h.quote, "in_snapshots": dict(h.statuses)}
            for h in history
        ]
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    published = found.published or "unknown"
    print(f"{found.source.url}\narticle published {published}; {len(found.entries)} captures")
    article_line_printed = found.published is None
    for e in found.entries:
        if not article_line_printed and e.after_article:
            print(f"  ---- {published}  the article ----")
            article_line_printed = True
        status = str(e.http_status) if e.http_status else "-"
        stored = f"snapshot {e.snapshot_id}" if e.snapshot_id else "not fetched"
        same = f" (+{e.duplicates} identical)" if e.duplicates else ""
        print(f"  {e.timestamp}  {e.archive:<22} {status:>3}  {stored:<13} {e.relation}{same}")
    if not article_line_printed:
        print(f"  ---- {published}  the article ----")
    for h in history:
        print(f"claim {h.claim_id}, “{h.quote}”: {h.describe(snapshots) or 'no stored copy'}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from workbench.core.sources.captures import fetch_live
    from workbench.core.sources.compare import compare_snapshots, comparison_json
    from workbench.core.sources.diff import inline

    with Project.open(args.project, readonly=args.b != "live") as project:
        if args.b == "live":
            source_id = next((s.source_id for s in project.snapshots() if s.id == args.a), None)
            if source_id is None:
                raise InvalidInputError(f"There is no snapshot {args.a} in this project.")
            b = fetch_live(project, source_id)
            print(f"stored the live page as snapshot {b}", file=sys.stderr)
        elif args.b.isdigit():
            b = int(args.b)
        else:
            raise InvalidInputError(f"'{args.b}' is neither a snapshot id nor 'live'.")
        comparison = compare_snapshots(project, args.a, b)
    if args.json:
        json.dump(comparison_json(comparison), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for side, snap in (("a", comparison.a), ("b", comparison.b)):
        when = snap.captured_at or snap.fetched_at
        print(
            f"{side}: snapshot {snap.id}, {snap.archive}, {when}, {snap.archive_url or ''}".rstrip(
                ", "
            )
        )
    print(comparison.summary())
    for number, line in enumerate(inline(comparison.diff), 1):
        print(f"{number}. {line}")
    return 0
