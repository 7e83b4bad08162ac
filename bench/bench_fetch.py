"""Fetch N sources from the fake archive with injected latency: sequential vs fetch_many.

Each source costs two requests (CDX lookup, then the id_ memento), so with 200 ms latency a
sequential run takes about N x 0.4 s. fetch_many runs workers in parallel but SafeClient keeps
the archive's per-host limit (2 at a time by default), so the ideal concurrent time is
sequential / archive_concurrency; the printed efficiency compares against that ideal.

Each run starts cold: the process-wide CDX cache (wayback.CDX_CACHE) is emptied before it, and
the index lookups each run made are counted and printed. (Before, the sequential run filled the
cache and the concurrent run skipped every lookup, so it looked faster than its ideal.)

The fake's CDX rate limit is lifted here; against the real Wayback Machine the CDX budget
(24/min by default) is the bottleneck: 50 sources need about two minutes whatever the workers.

    python bench/bench_fetch.py [--sources 50] [--latency 0.2] [--workers 8] [--per-host 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "archive"))

from fake_archive import FakeArchive, fast_settings

from workbench.core.net.http import SafeClient
from workbench.core.sources.archive.service import fetch_many, find_snapshot
from workbench.core.sources.archive.wayback import CDX_CACHE
from workbench.core.sources.snapshot import Snapshot

PUBLISHED = "2024-03-15"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per response")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--per-host", type=int, default=2, help="archive_concurrency")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON last")
    args = parser.parse_args()

    with FakeArchive() as fake:
        urls = [f"https://news.example/story-{i}" for i in range(args.sources)]
        for i, url in enumerate(urls):
            fake.add_capture(url, f"202403{1 + i % 14:02d}120000", body=f"<p>{i}</p>".encode())
        fake.latency_s = args.latency
        settings = fast_settings(
            fake, archive_concurrency=args.per_host, deadline_s=30.0, read_timeout_s=10.0
        )

        CDX_CACHE.clear()
        before = len(fake.requests("cdx"))
        with SafeClient(settings) as client:
            started = time.monotonic()
            sequential = [find_snapshot(url, PUBLISHED, client=client) for url in urls]
            sequential_s = time.monotonic() - started
        cdx_sequential = len(fake.requests("cdx")) - before

        CDX_CACHE.clear()
        before = len(fake.requests("cdx"))
        with SafeClient(settings) as client:
            started = time.monotonic()
            concurrent = fetch_many(
                [(url, PUBLISHED) for url in urls], client=client, workers=args.workers
            )
            concurrent_s = time.monotonic() - started
        cdx_concurrent = len(fake.requests("cdx")) - before
    if cdx_concurrent < args.sources or cdx_sequential < args.sources:
        # A run that skipped lookups measures the cache, not the fetcher: refuse to report it.
        sys.exit(
            f"index lookups: {cdx_sequential} sequential, {cdx_concurrent} concurrent, "
            f"fewer than the {args.sources} sources; a run was not cold"
        )

    ok_sequential = sum(isinstance(s, Snapshot) for s in sequential)
    ok_concurrent = sum(isinstance(s, Snapshot) for s in concurrent.values())
    ideal_s = sequential_s / min(args.per_host, args.workers)
    print(
        f"sources: {args.sources}, latency {args.latency * 1000:.0f} ms/response, "
        f"workers {args.workers}, per-host limit {args.per_host}"
    )
    print(
        f"sequential find_snapshot: {sequential_s:6.2f} s  "
        f"({ok_sequential} snapshots, {cdx_sequential} index lookups)"
    )
    print(
        f"fetch_many:               {concurrent_s:6.2f} s  "
        f"({ok_concurrent} snapshots, {cdx_concurrent} index lookups)"
    )
    print(
        f"speed-up: {sequential_s / concurrent_s:.2f}x; "
        f"ideal under the per-host limit {ideal_s:.2f} s -> {concurrent_s / ideal_s:.2f}x ideal"
    )
    if args.json:  # one line for bench/run.py
        figures = {
            "sources": args.sources,
            "latency_s": args.latency,
            "workers": args.workers,
            "per_host": args.per_host,
            "sequential_s": round(sequential_s, 3),
            "concurrent_s": round(concurrent_s, 3),
            "ok_sequential": ok_sequential,
            "ok_concurrent": ok_concurrent,
            "speedup": round(sequential_s / concurrent_s, 2),
            "of_ideal": round(concurrent_s / ideal_s, 2),
            "cdx_sequential": cdx_sequential,
            "cdx_concurrent": cdx_concurrent,
        }
        print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
