"""A mid-sized project (2,000 claims, 200 snapshots): listing and reporting never read bodies.

Snapshot bodies are stored compressed and read only by Project.snapshot_body, so opening a
project, listing or filtering its claims and rendering the verdict report must cost memory in
proportion to the claims, not to the archived pages. bench/bench_scale.py measures the same
at 20,000 claims; this test asserts the behaviour at a size that runs in a few seconds.
"""

from __future__ import annotations

import importlib.util
import sys
import tracemalloc
from pathlib import Path
from types import ModuleType

import pytest
from reliability_helpers import ROOT

from workbench.core.project.store import Project
from workbench.core.report.export import render

CLAIMS, SOURCES, SNAPSHOTS = 2_000, 200, 200
BODY_KB = 300  # 60 MB of bodies in all: loading them would dwarf everything else


def bench_scale() -> ModuleType:
    path = ROOT / "bench" / "bench_scale.py"
    spec = importlib.util.spec_from_file_location("bench_scale", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_scale"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scale() -> ModuleType:
    return bench_scale()


@pytest.fixture(scope="module")
def built(scale: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("scale") / "scale.wbproj"
    stored = scale.build(path, CLAIMS, SOURCES, SNAPSHOTS, text_kb=5, body_kb=BODY_KB)
    return path, stored["body_bytes"]


@pytest.mark.parametrize("fmt", ["html", "csv", "md", "claimreview"])
def test_listing_and_reports_never_read_snapshot_bodies(
    scale: ModuleType, built: tuple[Path, int], fmt: str
) -> None:
    path, body_bytes = built
    with Project.open(path) as project:
        watch = scale.BodyWatch(project)
        tracemalloc.start()
        try:
            claims = project.claims()
            filtered = project.claims(min_score=0.5)
            text = render(project, fmt)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        project.conn.set_trace_callback(None)
    assert len(claims) == CLAIMS and 0 < len(filtered) < CLAIMS
    assert "Claim 1998:" in text  # the last rated claim: the report covers them all
    assert watch.reads == 0 and watch.statements == [], watch.statements[:1]
    # Generous: the whole report in memory is fine, the archived pages are not.
    assert peak < body_bytes / 2, f"peak {peak / 1e6:.1f} MB vs {body_bytes / 1e6:.1f} MB"


def test_the_watch_does_see_a_body_read(scale: ModuleType, built: tuple[Path, int]) -> None:
    # Guards the test above: reading a snapshot the way the review pane does is noticed.
    path, _ = built
    with Project.open(path) as project:
        watch = scale.BodyWatch(project)
        snapshot = project.snapshots()[0]
        assert len(project.snapshot_body(snapshot.id)) > BODY_KB * 1000
        project.conn.set_trace_callback(None)
    assert watch.reads == 1 and len(watch.statements) == 1


def test_the_project_json_export_carries_every_body(built: tuple[Path, int]) -> None:
    # The one output that must read bodies: the lossless export.
    path, body_bytes = built
    with Project.open(path) as project:
        text = render(project, "json")
    assert text.count('"body_base64"') == SNAPSHOTS
    assert len(text) > body_bytes  # base64 of every body is in it
