"""Nothing reported saved is ever lost: a child edits a project and is SIGKILLed at random.

Every Project edit is one BEGIN IMMEDIATE transaction in a WAL file with synchronous=FULL,
so an edit that has returned is on disk, and an edit cut off by the kill is all there or
not there at all. The child prints "saved <op>" only after the call returned; after each
kill the parent opens the file, runs SQLite's integrity check and looks for every such op.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import pytest
from reliability_helpers import HERE, child_env, seed_project

from workbench.core.project.store import Project

ROUNDS = 25
SEED = 20240611


def run_until_killed(path: Path, first_op: int, delay: float, seed: int) -> list[str]:
    """Start the child, let it edit for `delay` seconds after it is ready, SIGKILL it."""
    child = subprocess.Popen(
        [sys.executable, str(HERE / "crash_child.py"), str(path), str(first_op), str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    try:
        assert child.stdout is not None
        ready = child.stdout.readline().strip()
        if ready != "ready":
            child.kill()
            _, err = child.communicate(timeout=10)
            pytest.fail(f"the child did not start: {ready!r} {err[-2000:]}")
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL, f"the child ended on its own: {err[-2000:]}"
    return [line for line in out.splitlines() if line.startswith("saved ")]


def notes_of(details: Iterable[str], key: str) -> set[str]:
    return {json.loads(d).get(key, "") for d in details}


def check_saved(path: Path, saved: list[str]) -> None:
    """Integrity is ok, every reported op is in the file, and no edit is half there."""
    with Project.open(path) as project:
        conn = project.conn
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        rationales = {r[0] for r in conn.execute("SELECT rationale FROM verdicts")}
        urls = {r[0] for r in conn.execute("SELECT url FROM sources")}
        links = set(conn.execute("SELECT claim_id, source_id FROM claim_sources").fetchall())
        claim_ids = {r[0] for r in conn.execute("SELECT id FROM claims")}

        def events(action: str) -> list[str]:
            rows = conn.execute("SELECT detail FROM events WHERE action = ?", (action,))
            return [r[0] for r in rows]

        status_notes = notes_of(events("status"), "note")
        split_ids = {json.loads(d)["new_claim"] for d in events("split")}
        for line in saved:
            _, op, kind, detail = line.split(" ", 3)
            tag = f"op-{op}"
            if kind == "verdict":
                assert tag in rationales, line
            elif kind == "source":
                claim_id, source_id = map(int, detail.split(":"))
                assert f"https://example.org/{tag}" in urls, line
                assert (claim_id, source_id) in links, line
            elif kind == "status":
                assert tag in status_notes, line
            else:
                assert int(detail) in claim_ids and int(detail) in split_ids, line
        # All or nothing: each row an edit wrote has the event the same transaction wrote.
        verdict_notes = notes_of(events("verdict"), "rationale")
        assert {r for r in rationales if r.startswith("op-")} == {
            n for n in verdict_notes if n.startswith("op-")
        }
        source_urls = {json.loads(d)["url"] for d in events("source")}
        assert {u for u in urls if "/op-" in u} <= source_urls
        assert split_ids <= claim_ids


def test_sigkill_at_random_moments_loses_nothing_reported_saved(tmp_path: Path) -> None:
    path = seed_project(tmp_path / "crash.wbproj")
    rng = random.Random(SEED)
    saved: list[str] = []
    for round_no in range(ROUNDS):
        delay = rng.uniform(0.02, 0.3)
        saved += run_until_killed(path, round_no * 100_000, delay, rng.randrange(1 << 30))
        check_saved(path, saved)
    # The kills must have landed among edits, or the test proves nothing.
    assert len(saved) >= ROUNDS * 2
    kinds = {line.split()[2] for line in saved}
    assert kinds == {"verdict", "source", "status", "split"}
