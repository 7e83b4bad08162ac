"""Team projects on a localhost PostgreSQL server: concurrent editing, notification latency,
opening and copying a 20,000-claim project.

    python bench/bench_team.py [--clients 20 --edits 200 --claims 20000] [--json]

A throwaway server is started as the tests do (tests/pgserver.py: Debian's postgresql in a temp
folder, removed afterwards), with fsync and synchronous_commit off: on a shared CI disk the
flushes would dominate, so the figures are the client's and the server's work, not the disk's
(a production server with fsync on adds its disk's flush time to every edit).

1. N client processes, each logged in as its own checker, make E verdict edits each on random
   claims of one team project, all at once. Every edit's latency is timed; at the end the
   verdict rows are counted: lost = edits reported saved − rows found.
2. Notification: one client edits, another listens (LISTEN/NOTIFY); time from the start of the
   edit to the event arriving in the listener, over 200 edits.
3. A 20,000-claim project: copy file → server, open it and read what the window shows (article
   and all claims), copy server → file.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import queue
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # its test server
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _table import create_synthetic_project, emit_json
from pgserver import PgServer

from workbench.core.project.backends.postgres import parse_url
from workbench.core.project.backends.postgres_roles import add_member, init_team
from workbench.core.project.copy import copy_project
from workbench.core.project.live import TeamListener
from workbench.core.project.store import Project

HERE = Path(__file__).resolve().parent
RATINGS = ("true", "mostly-true", "half-true", "mostly-false", "false")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _client(url: str, edits: int, seed: int, start: Any, out: Any) -> None:
    rng = random.Random(seed)
    latencies: list[float] = []
    errors: list[str] = []
    saved = 0
    with Project.open(url) as project:
        ids = [c.id for c in project.claims()]
        start.wait()
        for _ in range(edits):
            began = time.perf_counter()
            try:
                project.set_verdict(rng.choice(ids), rng.choice(RATINGS), f"edit by client {seed}")
                saved += 1
            except Exception as exc:  # counted and reported, never hidden
                errors.append(str(exc))
            latencies.append(time.perf_counter() - began)
    out.put((saved, latencies, errors))


def concurrent_edits(server: PgServer, url: str, clients: int, edits: int) -> dict[str, Any]:
    project = parse_url(url).project
    database = server.url("bench")
    urls = []
    for i in range(clients):
        login = f"checker{i}"
        add_member(database, login, "checker", f"pw-{i}")
        urls.append(server.url("bench", login, f"pw-{i}") + f"?project={project}")
    with Project.open(url) as p:
        before = int(p.conn.execute("SELECT count(*) FROM verdicts").fetchone()[0])
    ctx = mp.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=_client, args=(u, edits, i, start, out)) for i, u in enumerate(urls)
    ]
    for proc in procs:
        proc.start()
    time.sleep(2.0)  # every client connected and has read the claims
    began = time.perf_counter()
    start.set()
    results = [out.get(timeout=600) for _ in procs]
    wall = time.perf_counter() - began
    for proc in procs:
        proc.join()
    saved = sum(r[0] for r in results)
    latencies = [x for r in results for x in r[1]]
    errors = [e for r in results for e in r[2]]
    with Project.open(url) as p:
        after = int(p.conn.execute("SELECT count(*) FROM verdicts").fetchone()[0])
        authors = int(
            p.conn.execute(
                "SELECT count(DISTINCT reviewer) FROM verdicts WHERE reviewer LIKE 'checker%'"
            ).fetchone()[0]
        )
    return {
        "clients": clients,
        "edits_per_client": edits,
        "edits_saved": saved,
        "edits_lost": saved - (after - before),
        "edit_errors": len(errors),
        "error_sample": errors[:3],
        "edit_p50_ms": pct(latencies, 0.5) * 1000,
        "edit_p95_ms": pct(latencies, 0.95) * 1000,
        "edits_per_s": saved / wall,
        "distinct_authors": authors,
    }


def notification_latency(url: str, samples: int) -> dict[str, Any]:
    arrived: queue.Queue[tuple[float, Any]] = queue.Queue()
    listener = TeamListener(url, lambda e: arrived.put((time.perf_counter(), e))).start()
    delays = []
    try:
        with Project.open(url) as p:
            ids = [c.id for c in p.claims()[:50]]
            for i in range(samples):
                began = time.perf_counter()
                p.set_verdict(
                    ids[i % len(ids)], RATINGS[i % len(RATINGS)], f"n{i}", advance_status=False
                )
                while True:
                    at, event = arrived.get(timeout=10)
                    if event.action == "verdict" and event.detail.get("rationale") == f"n{i}":
                        delays.append(at - began)
                        break
    finally:
        listener.stop()
    return {
        "notify_samples": samples,
        "notify_p50_ms": statistics.median(delays) * 1000,
        "notify_p95_ms": pct(delays, 0.95) * 1000,
    }


def big_project(server: PgServer, claims: int, folder: Path) -> dict[str, Any]:
    rng = random.Random(7)
    sentences = [
        f"The ministry reported {rng.randint(2, 9999)} cases in district {i} on day {i % 365}."
        for i in range(claims)
    ]
    path = folder / "big.wbproj"
    create_synthetic_project(path, sentences, "Scale", lambda: rng.random())
    url = server.url("bench") + "?project=big"
    began = time.perf_counter()
    copy_project(path, url)
    up = time.perf_counter() - began
    began = time.perf_counter()
    with Project.open(url) as p:
        article, listed = p.article(), p.claims()
    shown = time.perf_counter() - began
    assert len(listed) == claims and article.text
    began = time.perf_counter()
    copy_project(url, folder / "back.wbproj")
    down = time.perf_counter() - began
    return {"big_claims": claims, "copy_up_s": up, "open_show_s": shown, "copy_down_s": down}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    server = PgServer().start()
    try:
        server.create_database("bench")
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            seed = HERE.parent / "sample_data" / "russia-islamic-state-syria-rebels.txt"
            from workbench.core.project.create import new_project

            url = server.url("bench") + "?project=desk"
            new_project(url, seed).close()
            init_team(url)
            figures = concurrent_edits(server, url, args.clients, args.edits)
            figures |= notification_latency(url, args.samples)
            figures |= big_project(server, args.claims, folder)
    finally:
        server.remove()
    figures["server"] = "PostgreSQL (Debian package), localhost, fsync and synchronous_commit off"
    if not args.json:
        for key, value in figures.items():
            print(f"{key}: {value}")
    emit_json(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
