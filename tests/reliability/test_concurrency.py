"""Two writers on one project at once: no "database is locked" reaches the user, no write lost.

Each edit takes the write lock with BEGIN IMMEDIATE and SQLite waits up to the busy timeout
(10 s) for the other writer, so concurrent edits queue instead of failing.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from reliability_helpers import HERE, child_env, run_cli, seed_project

from workbench.core.project.store import Project

COMMANDS_PER_CHILD = 120  # through cli.main in one process: real contention, little start-up
CLI_RUNS_PER_SIDE = 6  # separate `workbench` processes, the way a user (or a script) runs them
EDITS_PER_THREAD = 150


def counts(path: Path) -> tuple[int, int, int]:
    with Project.open(path) as p:
        verdicts = p.conn.execute("SELECT count(*) FROM verdicts").fetchone()[0]
        sources = p.conn.execute("SELECT count(*) FROM sources").fetchone()[0]
        events = p.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    return verdicts, sources, events


def test_two_processes_running_cli_commands_in_parallel(tmp_path: Path) -> None:
    path = seed_project(tmp_path / "shared.wbproj")
    before = counts(path)
    children = [
        subprocess.Popen(
            [
                sys.executable,
                str(HERE / "cli_loop_child.py"),
                str(path),
                tag,
                str(COMMANDS_PER_CHILD),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        for tag in ("a", "b")
    ]
    results = [child.communicate(timeout=120) for child in children]
    for child, (_, err) in zip(children, results, strict=True):
        assert child.returncode == 0, err
        assert "locked" not in err and "busy" not in err, err
    verdicts, sources, _ = counts(path)
    assert verdicts - before[0] == 2 * COMMANDS_PER_CHILD // 2
    assert sources - before[1] == 2 * COMMANDS_PER_CHILD // 2


def test_separate_workbench_processes_in_parallel(tmp_path: Path) -> None:
    path = seed_project(tmp_path / "shared.wbproj")
    before = counts(path)

    def side(tag: str) -> list[subprocess.CompletedProcess[str]]:
        runs = []
        for i in range(CLI_RUNS_PER_SIDE):
            if i % 2:
                runs.append(run_cli("source", path, str(i + 1), f"https://example.org/{tag}/{i}"))
            else:
                runs.append(run_cli("verdict", path, str(i + 1), "false", "--note", f"{tag}{i}"))
        return runs

    with ThreadPoolExecutor(4) as pool:
        # Four streams of processes at once: each one opens, edits and closes the file.
        done = [run for runs in pool.map(side, ("a", "b", "c", "d")) for run in runs]
    for run in done:
        assert run.returncode == 0, run.stderr
        assert run.stderr == ""
    verdicts, sources, _ = counts(path)
    assert verdicts - before[0] == 4 * CLI_RUNS_PER_SIDE // 2
    assert sources - before[1] == 4 * CLI_RUNS_PER_SIDE // 2


def test_two_project_objects_in_threads(tmp_path: Path) -> None:
    path = seed_project(tmp_path / "shared.wbproj")
    before = counts(path)
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def writer(tag: str) -> None:
        try:
            with Project.open(path) as project:
                ids = [c.id for c in project.claims()]
                start.wait()
                for i in range(EDITS_PER_THREAD):
                    claim_id = ids[i % len(ids)]
                    if i % 3 == 0:
                        project.attach_source(claim_id, f"https://example.org/{tag}/{i}")
                    else:
                        project.set_verdict(claim_id, "true", f"{tag}-{i}")
                    project.claims()  # readers interleave with the other writer's commits
        except BaseException as exc:  # reported below, with the thread's own error
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(tag,)) for tag in ("x", "y")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    verdicts, sources, events = counts(path)
    per_thread_sources = len(range(0, EDITS_PER_THREAD, 3))
    assert sources - before[1] == 2 * per_thread_sources
    assert verdicts - before[0] == 2 * (EDITS_PER_THREAD - per_thread_sources)
    assert events - before[2] >= 2 * EDITS_PER_THREAD  # one event per edit, at least
    with Project.open(path) as p:
        rationales = {v for (v,) in p.conn.execute("SELECT rationale FROM verdicts")}
    expected = {f"{t}-{i}" for t in "xy" for i in range(EDITS_PER_THREAD) if i % 3}
    assert expected <= rationales
