"""Report time for a 5,000-claim project in each format.

    python bench/bench_report.py [--claims N] [--json]

The project is built with direct SQL (thousands of one-edit transactions would time the
disk, not the report): half the claims rated, each with two sources, a third of the sources
with a snapshot.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sqlite3
import sys
import tempfile
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _table import create_synthetic_project, emit_json

from workbench.core.project.jsonio import export_project, import_project
from workbench.core.project.store import Project
from workbench.core.report.export import FORMATS, write_report

RATINGS = ("true", "mostly-true", "half-true", "false", "misleading")


def build(path: Path, n: int) -> Project:
    rng = random.Random(7)
    sentences = [f"Claim number {i} says that {rng.randint(1, 999)} things rose." for i in range(n)]
    create_synthetic_project(path, sentences, "Bench article", rng.random)
    conn = sqlite3.connect(path)
    now = "2024-02-01T00:00:00Z"
    with conn:
        for i in range(1, n + 1):
            if i % 2:
                conn.execute(
                    "INSERT INTO verdicts(claim_id, rating, rationale, reviewer, note, created_at) "
                    "VALUES (?, ?, 'Because.', 'bench', '', ?)",
                    (i, RATINGS[i % len(RATINGS)], now),
                )
                conn.execute("UPDATE claims SET status = 'checked' WHERE id = ?", (i,))
            for k in range(2):
                cur = conn.execute(
                    "INSERT INTO sources(url, title, publisher, notes, created_at) "
                    "VALUES (?, 'Source', 'Pub', '', ?)",
                    (f"https://src.example.org/{i}/{k}", now),
                )
                sid = cur.lastrowid
                conn.execute(
                    "INSERT INTO claim_sources(claim_id, source_id, relation, note, created_at) "
                    "VALUES (?, ?, 'supports', '', ?)",
                    (i, sid, now),
                )
                if (i + k) % 3 == 0:
                    body = f"<html>source {i} {k}</html>".encode()
                    conn.execute(
                        "INSERT INTO snapshots(source_id, original_url, archive, archive_url, "
                        "captured_at, fetched_at, http_status, content_type, sha256, size, body, "
                        "text, title, author, flags, note) VALUES "
                        "(?, ?, 'wayback', ?, ?, ?, 200, 'text/html', ?, ?, ?, '', '', '', '[]', '')",
                        (
                            sid,
                            f"https://src.example.org/{i}/{k}",
                            f"https://web.archive.org/web/2024/https://src.example.org/{i}/{k}",
                            now,
                            now,
                            hashlib.sha256(body).hexdigest(),
                            len(body),
                            zlib.compress(body),
                        ),
                    )
    conn.close()
    return Project.open(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON last")
    args = parser.parse_args()
    figures: dict[str, float | int] = {"claims": args.claims}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        project = build(folder / "bench.wbproj", args.claims)
        print(f"built {args.claims} claims in {time.perf_counter() - t0:.2f} s")
        for fmt in FORMATS:
            out = folder / f"report.{fmt}"
            t0 = time.perf_counter()
            write_report(project, fmt, out)
            took = time.perf_counter() - t0
            print(f"{fmt:12s} {took:7.2f} s  {out.stat().st_size / 1e6:7.2f} MB")
            figures[f"{fmt}_s"] = round(took, 3)
            figures[f"{fmt}_mb"] = round(out.stat().st_size / 1e6, 2)
        t0 = time.perf_counter()
        data = export_project(project)
        with import_project(data, folder / "copy.wbproj"):
            pass
        took = time.perf_counter() - t0
        print(f"{'json import':12s} {took:7.2f} s  (export + import)")
        figures["json_round_trip_s"] = round(took, 3)
        project.close()
    if args.json:
        emit_json(figures)


if __name__ == "__main__":
    main()
