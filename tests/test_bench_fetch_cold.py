"""Issue 10.23: the fetch benchmark measures the fetcher, not the index cache: each of its runs
starts cold and makes one index lookup per source."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_each_fetch_benchmark_run_starts_with_a_cold_index_cache() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_fetch.py"), "--sources", "4",
         "--latency", "0", "--json"],
        capture_output=True, text=True, timeout=120, check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["cdx_sequential"] == 4
    assert figures["cdx_concurrent"] == 4  # the warm cache made this 0
    assert figures["ok_concurrent"] == figures["ok_sequential"] == 4
