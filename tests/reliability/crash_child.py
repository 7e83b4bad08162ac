"""Child process for test_crash_safety: edits a project in a loop until it is killed.

    python crash_child.py PROJECT FIRST_OP_ID SEED

Prints "ready" once the project is open, then, for each edit, "saved <op id> <kind> <detail>"
AFTER the Project call has returned (so the parent knows the edit was reported saved). The
parent kills this process with SIGKILL at a random moment and checks every reported edit.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from workbench.core.claims.finder import analyse_span
from workbench.core.project.store import Project

KINDS = ("verdict", "source", "status", "split")
RATINGS = ("true", "false", "half-true", "mostly-false")


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def split_point(text: str, start: int, end: int) -> int | None:
    """A space near the middle of a claim long enough to split into two worded parts."""
    if end - start < 40:
        return None
    at = text.find(" ", (start + end) // 2, end - 5)
    return at if at > start + 5 else None


def edit(project: Project, op: int, rng: random.Random) -> str:
    """One edit named by op; returns what the parent needs to find it again."""
    claims = project.claims()
    claim = rng.choice(claims)
    kind = KINDS[op % len(KINDS)]
    if kind == "split":
        text = project.article().text
        for candidate in rng.sample(claims, len(claims)):
            at = split_point(text, candidate.start, candidate.end)
            if at is not None:
                new_id = project.split_claim(candidate.id, at, actor=f"op-{op}")
                return f"split {new_id}"
        kind = "verdict"  # nothing left to split: any other edit will do
    if kind == "verdict":
        project.set_verdict(claim.id, rng.choice(RATINGS), f"op-{op}")
        return f"verdict {claim.id}"
    if kind == "source":
        source_id = project.attach_source(claim.id, f"https://example.org/op-{op}")
        return f"source {claim.id}:{source_id}"
    project.set_status(claim.id, rng.choice(("in_progress", "returned")), note=f"op-{op}")
    return f"status {claim.id}"


def main() -> int:
    path, first, seed = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    # A window has its check-worthiness model loaded long before anyone splits a claim; load
    # it before "ready" so the kills land among edits rather than in the first model load.
    analyse_span("The council met on Monday.", 0, 26)
    with Project.open(path) as project:
        say("ready")
        op = first
        while True:
            detail = edit(project, op, rng)
            say(f"saved {op} {detail}")
            op += 1


if __name__ == "__main__":
    raise SystemExit(main())
