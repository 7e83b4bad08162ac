"""The desk's fact-check library on a team server: import, a desk's first pull, a verdict
reaching another desk's mirror.

    python bench/bench_team_library.py [--scale 100000] [--json]

A throwaway server is started as the tests do (tests/pgserver.py, fsync off: the figures are the
client's and the server's work, not a disk's flushes). The feed is bench_library.py's scale feed
(the Snopes claims of ../shared/data/claim-retrieval, varied so that every entry differs).

1. An editor imports it with `workbench library import FEED --server URL` (one process; wall
   and the client's CPU; the importing desk embeds each entry once and sends its vector).
2. Another desk's first `workbench library stats --server URL`: its empty mirror pulls every
   entry (wall and CPU); then the same command again, with nothing new to pull.
3. 20 verdicts, each written as `workbench verdict` writes it (sync_project of the project) while
   the other desk's listener hears the change and pulls it: time from the write starting to the
   entry being in the other desk's mirror.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # its test server
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _table import emit_json
from bench_library import scale_feed
from pgserver import PgServer

from workbench.core.library.model import FactCheck
from workbench.core.library.projects import project_checks
from workbench.core.library.store import Library
from workbench.core.library.team import LibraryListener, TeamLibrary, team_origin
from workbench.core.project.backends.postgres_roles import add_member, init_team
from workbench.core.project.create import new_project
from workbench.core.project.store import Project

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sample_data" / "russia-islamic-state-syria-rebels.txt"


def cli(args: list[str], data: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one `workbench` process on the desk whose data folder is `data`."""
    env = dict(os.environ, WORKBENCH_LIBRARY=str(data / "library.sqlite"), PYTHONPATH=str(ROOT))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        stdout=subprocess.DEVNULL,
        env=env,
        check=True,
        cwd=ROOT,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def verdict_journeys(editor: str, checker_project: str, tmp: Path) -> list[float]:
    """Seconds from a verdict's write to its entry in the other desk's mirror, 20 times."""
    other = TeamLibrary(editor, tmp / "other-desk.sqlite")  # used by the listener's thread
    arrived = threading.Event()

    def heard() -> None:
        with other.mirror() as mirror:  # SQLite connections stay in their thread
            if other.pull(mirror):
                arrived.set()

    with Project.open(checker_project) as project:
        claims = project.claims()[:20]
        for claim in claims:
            project.set_verdict(claim.id, "false")
        checks = project_checks(project)
    heard()
    listener = LibraryListener(editor, heard).start()
    time.sleep(1.0)  # listening
    writer = TeamLibrary(checker_project)
    times: list[float] = []
    shown: dict[int, FactCheck] = {}
    try:
        for claim in claims:
            shown[claim.id] = checks[claim.id]
            arrived.clear()
            began = time.perf_counter()
            writer.sync_project("desk", shown)
            if not arrived.wait(10):
                raise RuntimeError("the change did not reach the other desk in 10 s")
            times.append(time.perf_counter() - began)
    finally:
        listener.stop()
        writer.close()
        other.close()
    with Library.open(tmp / "other-desk.sqlite") as mirror:
        assert len(mirror.project_entries(team_origin("desk"))) == len(claims)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=int, default=100_000, help="fact checks in the feed")
    parser.add_argument("--json", action="store_true", help="figures as JSON on the last line")
    args = parser.parse_args()
    server = PgServer().start()
    figures: dict[str, Any] = {"scale": args.scale}
    try:
        owner = server.create_database("bench_library")
        project = f"{owner}?project=desk"
        new_project(project, SEED).close()
        init_team(project)
        add_member(owner, "ed", "editor", "ed-pw")
        add_member(owner, "ana", "checker", "ana-pw")
        editor = server.url("bench_library", "ed", "ed-pw")
        checker = server.url("bench_library", "ana", "ana-pw")
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            feed = tmp / "feed.jsonl"
            scale_feed(feed, args.scale)
            (tmp / "a").mkdir()
            (tmp / "b").mkdir()
            wall, cpu = cli(["library", "import", str(feed), "--server", editor], tmp / "a")
            figures |= {"import_s": wall, "import_cpu_s": cpu}
            wall, cpu = cli(["library", "stats", "--server", checker], tmp / "b")
            figures |= {"first_pull_s": wall, "first_pull_cpu_s": cpu}
            mirror = next((tmp / "b").rglob("*.sqlite"))
            figures["mirror_mb"] = sum(p.stat().st_size for p in mirror.parent.iterdir()) / 1e6
            wall, cpu = cli(["library", "stats", "--server", checker], tmp / "b")
            figures |= {"nothing_new_s": wall, "nothing_new_cpu_s": cpu}
            journeys = verdict_journeys(editor, f"{checker}?project=desk", tmp)
            figures["verdict_p50_ms"] = statistics.median(journeys) * 1000
            figures["verdict_max_ms"] = max(journeys) * 1000
            figures["verdicts"] = len(journeys)
        import psycopg

        with psycopg.connect(owner) as conn:
            size = conn.execute(
                "SELECT pg_total_relation_size('workbench_library.entries')"
            ).fetchone()[0]
        figures["server_mb"] = size / 1e6
        figures["load_average"] = os.getloadavg()[0]
    finally:
        server.remove()
    if args.json:
        emit_json(figures)
    else:
        for key, value in figures.items():
            print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
