"""Scale: open, list, filter, report and export a 20,000-claim project with 2,000 snapshots.

    python bench/bench_scale.py [--claims N --sources N --snapshots N] [--json]

The project is built with direct SQL (20,000 one-edit transactions would time the disk, not
the queries): every claim a sentence of one long article, half of them rated, 2,000 sources
each attached to ten claims, one snapshot per source of ~20 KB extracted text and a ~30 KB
HTML body (stored compressed). Each step is timed without tracing, then run again under
tracemalloc for its peak Python memory. Listing and reporting must not read snapshot bodies:
every SQL statement is watched, and a statement that reads `body` in those steps is an error.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sqlite3
import sys
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _table import create_synthetic_project, emit_json, max_rss_mb, measure

from workbench.core.project.jsonio import write_export
from workbench.core.project.store import Project
from workbench.core.report.export import render, write_report

RATINGS = ("true", "mostly-true", "half-true", "mostly-false", "false")
NOW = "2024-02-01T00:00:00Z"
VOCABULARY = tuple(
    [
        "ministry",
        "officials",
        "said",
        "the",
        "convoy",
        "reached",
        "northern",
        "province",
        "after",
        "talks",
        "stalled",
        "while",
        "observers",
        "counted",
        "sixty",
        "strikes",
        "across",
        "three",
        "districts",
        "and",
        "aid",
        "agencies",
        "reported",
        "shortages",
        "of",
        "fuel",
        "water",
        "and",
        "medicine",
        "in",
        "towns",
        "near",
        "the",
        "border",
        "according",
        "to",
        "local",
        "councils",
    ]
)


def sentence(rng: random.Random, i: int) -> str:
    words = rng.choices(VOCABULARY, k=rng.randint(8, 18))
    return f"Claim {i}: {' '.join(words).capitalize()} in {1990 + i % 35}."


def page_text(rng: random.Random, size: int) -> str:
    """About `size` characters of prose-like text, drawn from a pool of sentences (fast, and
    repetitive enough to compress about as well as real pages do)."""
    pool = _sentence_pool()
    average = sum(map(len, pool)) / len(pool)
    return "".join(rng.choices(pool, k=int(size / average) + 1))


_POOL: list[str] = []


def _sentence_pool() -> list[str]:
    if not _POOL:
        rng = random.Random(7)
        _POOL.extend(
            " ".join(rng.choices(VOCABULARY, k=rng.randint(10, 30))).capitalize() + ". "
            for _ in range(2_000)
        )
    return _POOL


def build(
    path: Path,
    claims: int = 20_000,
    sources: int = 2_000,
    snapshots: int = 2_000,
    text_kb: int = 20,
    body_kb: int = 30,
) -> dict[str, int]:
    """Write the project; returns the sizes stored (bytes of snapshot text and bodies)."""
    rng = random.Random(20_000)
    sentences = [sentence(rng, i) for i in range(claims)]
    create_synthetic_project(path, sentences, "Scale article", rng.random)
    stored = {"text_bytes": 0, "body_bytes": 0}
    conn = sqlite3.connect(path)
    with conn:
        for i in range(1, claims + 1, 2):
            conn.execute(
                "INSERT INTO verdicts(claim_id, rating, rationale, reviewer, note, created_at) "
                "VALUES (?, ?, 'Checked against the ministry statement.', 'bench', '', ?)",
                (i, RATINGS[i % len(RATINGS)], NOW),
            )
            conn.execute("UPDATE claims SET status = 'checked' WHERE id = ?", (i,))
        per_source = max(1, claims // max(1, sources))
        for s in range(1, sources + 1):
            url = f"https://src.example.org/{s}"
            conn.execute(
                "INSERT INTO sources(id, url, title, publisher, notes, created_at) "
                "VALUES (?, ?, ?, 'Publisher', '', ?)",
                (s, url, f"Source {s}", NOW),
            )
            for k in range(per_source):
                conn.execute(
                    "INSERT INTO claim_sources(claim_id, source_id, relation, note, created_at) "
                    "VALUES (?, ?, 'supports', '', ?)",
                    (1 + ((s - 1) * per_source + k) % claims, s, NOW),
                )
        for n in range(snapshots):
            source_id = 1 + n % sources
            extracted = page_text(rng, text_kb * 1024)
            body = (
                "<html><body><article><p>"
                + page_text(rng, body_kb * 1024).replace(". ", ".</p><p>")
                + "</p></article></body></html>"
            ).encode()
            stored["text_bytes"] += len(extracted.encode())
            stored["body_bytes"] += len(body)
            conn.execute(
                "INSERT INTO snapshots(source_id, original_url, archive, archive_url, captured_at, "
                "fetched_at, http_status, content_type, sha256, size, body, text, title, author, "
                "flags, note) VALUES (?, ?, 'wayback', ?, ?, ?, 200, 'text/html', ?, ?, ?, ?, "
                "'Page', '', '[]', '')",
                (
                    source_id,
                    f"https://src.example.org/{source_id}",
                    f"https://web.archive.org/web/2024/https://src.example.org/{source_id}",
                    NOW,
                    NOW,
                    hashlib.sha256(body).hexdigest(),
                    len(body),
                    zlib.compress(body, 6),
                    extracted,
                ),
            )
    conn.close()
    return stored


class BodyWatch:
    """Counts SQL statements that read snapshot bodies, and calls of snapshot_body()."""

    def __init__(self, project: Project) -> None:
        self.reads = 0
        self.statements: list[str] = []
        project.conn.set_trace_callback(self._statement)
        original = project.snapshot_body

        def counted(snapshot_id: int) -> bytes:
            self.reads += 1
            return original(snapshot_id)

        project.snapshot_body = counted  # type: ignore[method-assign]

    def _statement(self, sql: str) -> None:
        lowered = " ".join(sql.lower().split())
        if "snapshots" in lowered and ("body" in lowered or "select *" in lowered):
            self.statements.append(sql)

    @property
    def touched(self) -> bool:
        return bool(self.reads or self.statements)


def steps(project: Project, out: Path) -> dict[str, Callable[[], Any]]:
    """The operations measured, by name; each returns something so nothing is optimised away.
    The JSON steps write files the way the CLI and the window do (streamed, one snapshot at a
    time)."""
    return {
        "list_claims": lambda: len(project.claims()),
        "filter_score": lambda: len(project.claims(min_score=0.5)),
        "filter_text": lambda: sum("convoy" in c.text.lower() for c in project.claims()),
        "report_html": lambda: len(render(project, "html")),
        "report_csv": lambda: len(render(project, "csv")),
        "report_json": lambda: write_report(project, "json", out / "report.json").stat().st_size,
        "export_json": lambda: write_export(project, out / "export.json").stat().st_size,
    }


STEP_NAMES = (
    "list_claims",
    "filter_score",
    "filter_text",
    "report_html",
    "report_csv",
    "report_json",
    "export_json",
)
# Steps that may read snapshot bodies: the JSON export is the whole project, bodies included.
READS_BODIES = {"report_json", "export_json"}


def run(
    claims: int, sources: int, snapshots: int, *, out: Path, trace: bool = True
) -> dict[str, Any]:
    path = out / "scale.wbproj"
    with measure(traced=False) as built:
        stored = build(path, claims, sources, snapshots)
    figures: dict[str, Any] = {
        "claims": claims,
        "sources": sources,
        "snapshots": snapshots,
        "build_s": round(built.seconds, 2),
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "snapshot_text_mb": round(stored["text_bytes"] / 1e6, 1),
        "snapshot_body_mb": round(stored["body_bytes"] / 1e6, 1),
    }
    with measure(traced=False) as opened:
        project = Project.open(path)
        project.claim_count()
    figures["open_s"] = round(opened.seconds, 3)
    figures["body_reads"] = {}
    with project:
        for name, step in steps(project, out).items():
            watch = BodyWatch(project)
            with measure(traced=False) as timed:
                step()
            figures[f"{name}_s"] = round(timed.seconds, 3)
            if trace:
                with measure(traced=True) as traced:
                    step()
                figures[f"{name}_peak_mb"] = round(traced.peak_mb, 1)
            project.conn.set_trace_callback(None)
            figures["body_reads"][name] = watch.reads + len(watch.statements)
            if watch.touched and name not in READS_BODIES:
                raise SystemExit(f"{name} read snapshot bodies: {watch.statements[:1]}")
    figures["max_rss_mb"] = round(max_rss_mb(), 1)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--sources", type=int, default=2_000)
    parser.add_argument("--snapshots", type=int, default=2_000)
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc passes")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON last")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures = run(
            args.claims, args.sources, args.snapshots, out=Path(tmp), trace=not args.no_trace
        )
    print(
        f"{figures['claims']:,} claims, {figures['sources']:,} sources, "
        f"{figures['snapshots']:,} snapshots: file {figures['file_mb']} MB "
        f"(snapshot text {figures['snapshot_text_mb']} MB, bodies {figures['snapshot_body_mb']} "
        f"MB before compression), built in {figures['build_s']} s"
    )
    print(f"{'open':14s} {figures['open_s']:8.3f} s")
    for name in STEP_NAMES:
        peak = figures.get(f"{name}_peak_mb")
        peak_text = f"  peak {peak:7.1f} MB traced" if peak is not None else ""
        reads = figures["body_reads"][name]
        print(f"{name:14s} {figures[name + '_s']:8.3f} s{peak_text}  body reads: {reads}")
    print(f"max RSS {figures['max_rss_mb']} MB")
    if args.json:
        emit_json(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
