"""Small helpers shared by the bench scripts: a `--json` line of figures, timing, memory."""

from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def emit_json(figures: dict[str, Any]) -> None:
    """The figures as one JSON object on the last line of stdout (what bench/run.py parses)."""
    sys.stdout.flush()
    print(json.dumps(figures, sort_keys=True))


def last_json_line(stdout: str) -> dict[str, Any]:
    """The JSON dict a bench script printed last; ValueError when there is none."""
    for line in reversed(stdout.strip().splitlines()):
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            data = json.loads(line)
            if isinstance(data, dict):
                return data
    raise ValueError("the script printed no JSON line")


def max_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@dataclass
class Measured:
    seconds: float = 0.0
    peak_mb: float = 0.0  # peak of Python allocations while it ran (tracemalloc)


@contextmanager
def measure(traced: bool = True) -> Iterator[Measured]:
    """Wall time and, when traced, the peak traced Python memory of the block."""
    result = Measured()
    if traced:
        tracemalloc.start()
        tracemalloc.reset_peak()
    started = time.perf_counter()
    try:
        yield result
    finally:
        result.seconds = time.perf_counter() - started
        if traced:
            result.peak_mb = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
            tracemalloc.stop()


def best_of(run: Callable[[], T], repeats: int) -> tuple[float, T]:
    """The fastest of `repeats` runs, and the last run's result."""
    best, value = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        value = run()
        best = min(best, time.perf_counter() - started)
    return best, value  # type: ignore[return-value]


def create_synthetic_project(
    path: Any, sentences: list[str], title: str, scores: Callable[[], float]
) -> None:
    """A project whose article is the sentences joined by spaces, one fact claim per sentence."""
    from workbench.core.article.model import Article
    from workbench.core.claims.finder import ClaimCandidate
    from workbench.core.project.store import Project

    text = " ".join(sentences)
    cands, pos = [], 0
    for s in sentences:
        start = text.index(s, pos)
        pos = start + len(s)
        cands.append(ClaimCandidate(start, pos, s, "fact", scores(), ("number",)))
    article = Article(title, "A. Writer", "2024-01-01", "https://example.com/a", text)
    Project.create(path, article, cands).close()
