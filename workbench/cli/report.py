"""`workbench report` and `workbench import-json`: verdict reports and JSON round trips.

    workbench report PROJECT --format html|pdf|md|csv|json|claimreview [-o FILE] [--all]
                     [--template DIR] [--review-url URL] [--organization NAME] [--approved-only]
    workbench import-json FILE.json PROJECT [--force]

Text formats go to stdout without -o; a PDF needs -o.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from workbench.cli.common import PROJECT_HELP, count_claims
from workbench.core.errors import InvalidInputError


def register(subparsers: Any) -> None:
    from workbench.core.report.export import FORMATS

    p = subparsers.add_parser(
        "report", help="write the verdict report (HTML, PDF, Markdown, CSV, JSON, ClaimReview)"
    )
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("--format", "-f", choices=FORMATS, default="html", help="report format (html)")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write here instead of stdout (required for pdf)"
    )
    p.add_argument(
        "--all", action="store_true", help="every claim, not only rated and check-worthy ones"
    )
    p.add_argument(
        "--template", metavar="DIR", help="a folder of templates overriding the shipped ones"
    )
    p.add_argument(
        "--review-url", metavar="URL", help="ClaimReview: page publishing the fact check"
    )
    p.add_argument(
        "--organization", metavar="NAME", help="ClaimReview: publish as this organisation"
    )
    p.add_argument("--approved-only", action="store_true", help="ClaimReview: only approved claims")
    p.add_argument(
        "--citation-style",
        choices=("apa", "chicago", "mla"),
        help="write each source as a citation in this style (naming its archived copy)",
    )
    p.set_defaults(handler=cmd_report)

    p = subparsers.add_parser("import-json", help="create a project from a JSON export")
    p.add_argument(
        "json_file", metavar="FILE.json", help="a JSON export (`workbench report -f json`)"
    )
    p.add_argument("project", help="the new project file (.wbproj)")
    p.add_argument("--force", action="store_true", help="overwrite an existing project file")
    p.set_defaults(handler=cmd_import_json)


def cmd_report(args: argparse.Namespace) -> int:
    from workbench.core.project.store import Project
    from workbench.core.report.export import ReportOptions, render, write_report

    options = ReportOptions(
        include="all" if args.all else "default",
        template_dir=args.template,
        review_url=args.review_url,
        organization=args.organization,
        approved_only=args.approved_only,
        citation_style=args.citation_style,
    )
    if args.format == "pdf" and not args.output:
        raise InvalidInputError("A PDF report needs a file to write to; give one with -o FILE.")
    with Project.open(args.project, readonly=True) as project:
        if args.output:
            path = write_report(project, args.format, args.output, options)
            print(f"{args.format} report written to {path}", file=sys.stderr)
        elif args.format == "json":
            from workbench.core.project.jsonio import write_export_to

            write_export_to(project, sys.stdout)  # streamed: snapshots never all in memory
        else:
            sys.stdout.write(render(project, args.format, options))
    return 0


def cmd_import_json(args: argparse.Namespace) -> int:
    from workbench.core.project.create import refused_links_note
    from workbench.core.project.jsonio import import_file

    with import_file(args.json_file, args.project, overwrite=args.force) as project:
        print(f"{count_claims(project.claim_count())}\t{project.location}")
        note = refused_links_note(project)
    if note:
        print(f"warning: {note}", file=sys.stderr)
    return 0
