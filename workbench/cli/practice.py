"""`workbench exercise`, `grade` and `evaluate`: practice mode from the command line.

    workbench exercise PROJECT EXERCISE_FILE KEY_FILE [--no-sources] [--force]
    workbench grade KEY_FILE SUBMISSION... [--json] [--csv FILE]
    workbench evaluate PROJECT SOURCE_ID --kind news --behind "Reuters" --independent yes
                       --corroborated unsure [--note TEXT]
    workbench evaluate PROJECT SOURCE_ID --clear

`grade` grades every submission it can; one it must refuse is named on stderr with the reason,
the others are still graded, and the exit status is then 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from workbench.cli.common import BY_HELP, PROJECT_HELP, add_note_option, count_claims
from workbench.core.errors import InvalidInputError

EXIT_SOME_REFUSED = 1


def register(subparsers: Any) -> None:
    from workbench.core.project.evaluation import ANSWERS, KINDS

    p = subparsers.add_parser("exercise", help="make a student exercise and its answer key")
    p.add_argument("project", help="the instructor's project (.wbproj)")
    p.add_argument("exercise_file", help="the exercise project to write (.wbproj)")
    p.add_argument("key_file", help="the answer key to write (.json)")
    p.add_argument(
        "--no-sources",
        action="store_true",
        help="leave out the sources the article itself links to (kept by default)",
    )
    p.add_argument("--force", action="store_true", help="overwrite existing files")
    p.set_defaults(handler=cmd_exercise)

    p = subparsers.add_parser("grade", help="grade student submissions against an answer key")
    p.add_argument("key_file", help="the answer key (.json)")
    p.add_argument("submissions", nargs="+", metavar="SUBMISSION", help="students' projects")
    p.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    p.add_argument("--csv", metavar="FILE", help="also write the class table as CSV")
    p.set_defaults(handler=cmd_grade)

    answers = "/".join(ANSWERS)
    p = subparsers.add_parser("evaluate", help="record the lateral-reading checklist of a source")
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("source_id", type=int, help="the source's number (see `workbench sources`)")
    p.add_argument("--kind", help=f"kind of source: {', '.join(KINDS)}")
    p.add_argument("--behind", default="", help="who is behind the source")
    p.add_argument("--independent", help=f"independent of the claim's author? {answers}")
    p.add_argument("--corroborated", help=f"corroborated by other sources? {answers}")
    add_note_option(p, "anything else worth noting", dest="notes")
    p.add_argument("--clear", action="store_true", help="remove the source's evaluation")
    p.add_argument("--by", help=BY_HELP)
    p.set_defaults(handler=cmd_evaluate)


# ---------------------------------------------------------------------- exercise
def cmd_exercise(args: argparse.Namespace) -> int:
    from workbench.core.practice.exercise import make_exercise
    from workbench.core.project.store import Project

    with Project.open(args.project) as project:
        key = make_exercise(
            project,
            args.exercise_file,
            args.key_file,
            include_cited_sources=not args.no_sources,
            overwrite=args.force,
        )
    rated = sum(1 for c in key.claims if c.rating is not None)
    print(f"Exercise written to {args.exercise_file} ({count_claims(len(key.claims))})")
    rated_words = "1 rated claim" if rated == 1 else f"{rated} rated claims"
    print(f"Answer key written to {args.key_file} ({rated_words})")
    return 0


# ---------------------------------------------------------------------- grade
def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _decimal(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_table(rows: list[Any]) -> str:
    """The class table for a terminal: one submission per line, columns aligned."""
    header = ("student", "file", "rated", "exact", "within 1", "kappa", "sources")
    lines = [header] + [
        (
            r.student,
            r.file,
            f"{r.rated}/{r.key_rated}",
            _percent(r.exact),
            _percent(r.within_one),
            _decimal(r.kappa),
            _percent(r.source_agreement),
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    # Text columns left-aligned, figures right-aligned so they line up by their last digit.
    return "\n".join(
        "  ".join(
            cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i]) for i, cell in enumerate(line)
        ).rstrip()
        for line in lines
    )


def cmd_grade(args: argparse.Namespace) -> int:
    from workbench.core.practice.exercise import load_key
    from workbench.core.practice.grade import class_csv, class_row, grade_files

    key = load_key(args.key_file)
    graded, refused = grade_files(key, args.submissions)
    for r in refused:
        print(f"workbench: {r.reason}", file=sys.stderr)
    rows = [class_row(f) for f in graded]
    if args.csv and not refused:
        from workbench.core.files import write_text_atomic

        # Only a complete run replaces the table: a missing submission must not cost the class
        # last week's results (and a half-written file is never seen).
        write_text_atomic(args.csv, class_csv(rows), what="The class table")
    if args.json:
        json.dump([r.to_dict() for r in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif rows:
        print(format_table(rows))
    if args.csv and refused:
        print(f"workbench: {args.csv} was not written because of the above.", file=sys.stderr)
    elif args.csv:
        print(f"Class table written to {args.csv}", file=sys.stderr)
    return EXIT_SOME_REFUSED if refused else 0


# ---------------------------------------------------------------------- evaluate
def cmd_evaluate(args: argparse.Namespace) -> int:
    from workbench.core.project.evaluation import record_evaluation, summary
    from workbench.core.project.store import Project

    answers = {
        "kind": args.kind,
        "independent": args.independent,
        "corroborated": args.corroborated,
    }
    if args.clear and (any(answers.values()) or args.behind or args.notes):
        raise InvalidInputError("Give either --clear or the checklist answers, not both.")
    data = None if args.clear else {**answers, "behind": args.behind, "notes": args.notes}
    with Project.open(args.project) as project:
        evaluation = record_evaluation(project, args.source_id, data, actor=args.by)
    print(f"Source {args.source_id}: {summary(evaluation)}")
    return 0
