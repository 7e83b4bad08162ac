"""Archive subcommands: fetch snapshots of sources, import web archive files, list sources."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from workbench.cli.common import JSON_HELP, PROJECT_HELP
from workbench.core.errors import InvalidInputError
from workbench.core.project.records import SnapshotRecord, SourceRecord
from workbench.core.project.store import Project


def register(sub: Any) -> None:
    p = sub.add_parser("fetch", help="find and store archived copies of the project's sources")
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("--claim", type=int, metavar="ID", help="only the sources of this claim")
    p.add_argument("--refetch", action="store_true", help="fetch again even if already stored")
    p.add_argument("--source", type=int, metavar="SOURCE_ID", help="with --at: this source")
    p.add_argument(
        "--at",
        metavar="TIMESTAMP",
        help="store the capture of --source at this time (YYYYMMDDhhmmss or a prefix; the "
        "closest listed capture when none is exactly then)",
    )
    p.set_defaults(handler=cmd_fetch)

    p = sub.add_parser("import-warc", help="store captures from a WARC or WACZ file")
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("file", help="a .warc, .warc.gz or .wacz file")
    p.set_defaults(handler=cmd_import_warc)

    p = sub.add_parser("sources", help="each source with its claims and its snapshot")
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(handler=cmd_sources)


def cmd_fetch(args: argparse.Namespace) -> int:
    # Here, not at the top: trafilatura, warcio and numpy cost ~0.6 s, and `workbench FILE`
    # (the window) imports every command module to read its arguments.
    from workbench.core.sources.fetch import fetch_sources

    if args.at is not None or args.source is not None:
        return _fetch_at(args)
    with Project.open(args.project) as project:
        summary = fetch_sources(
            project,
            claim_id=args.claim,
            refetch=args.refetch,
            progress=lambda done, total, msg: print(f"[{done}/{total}] {msg}", file=sys.stderr),
        )
    print(summary.describe())
    return 0 if not summary.failed else 3


def _fetch_at(args: argparse.Namespace) -> int:
    from workbench.core.sources.captures import fetch_capture

    if args.at is None or args.source is None:
        raise InvalidInputError("--source and --at go together: which source, and when.")
    with Project.open(args.project) as project:
        fetched = fetch_capture(project, args.source, args.at)
    print(fetched.describe())
    return 0


def cmd_import_warc(args: argparse.Namespace) -> int:
    from workbench.core.sources.fetch import import_warc_into  # see cmd_fetch

    with Project.open(args.project) as project:
        summary = import_warc_into(project, args.file)
    for warning in summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(summary.describe())
    return 0


def snapshot_json(snap: SnapshotRecord | None, source: SourceRecord) -> dict[str, Any] | None:
    """The snapshot keys of `sources --json`; a failed fetch with no copy still shows its error."""
    if snap is None:
        if not source.fetch_error:
            return None
        return {
            "archive": None,
            "archive_url": None,
            "captured_at": None,
            "fetched_at": source.fetch_attempted_at,
            "http_status": None,
            "sha256": None,
            "size": None,
            "title": None,
            "flags": [],
            "note": "",
            "error": source.fetch_error,
            "error_kind": source.fetch_error_kind,
        }
    return {
        "archive": snap.archive,
        "archive_url": snap.archive_url,
        "captured_at": snap.captured_at,
        "fetched_at": snap.fetched_at,
        "http_status": snap.http_status,
        "sha256": snap.sha256,
        "size": snap.size,
        "title": snap.title,
        "flags": list(snap.flags),
        "note": snap.note,
        "error": source.fetch_error,
        "error_kind": source.fetch_error_kind,
    }


def cmd_sources(args: argparse.Namespace) -> int:
    rows = []
    with Project.open(args.project, readonly=True) as project:
        for source in project.sources():
            claims = project.source_claims(source.id)
            snap = project.latest_snapshot(source.id)
            rows.append(
                {
                    "id": source.id,
                    "url": source.url,
                    "title": source.title,
                    "claims": [{"id": cid, "relation": rel} for cid, rel in claims],
                    "snapshot": snapshot_json(snap, source),
                }
            )
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for row in rows:
        snap = row["snapshot"]
        claims = ", ".join(f"{c['id']} ({c['relation']})" for c in row["claims"]) or "no claims"
        print(f"{row['id']}\t{row['url']}\tclaims: {claims}")
        if snap is None:
            print("\tno snapshot yet")
        elif snap["archive"] is None:
            print(f"\tfailed: {snap['error']}")
        else:
            when = snap["captured_at"] or "capture time unknown"
            print(f"\t{snap['archive']} {when} sha256 {snap['sha256'][:16]}… {snap['size']} bytes")
            if snap["note"]:
                print(f"\t{snap['note']}")
    return 0
