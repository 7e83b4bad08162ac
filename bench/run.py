"""Run every benchmark and print one table of figures (the table in docs/benchmarks.md).

    python bench/run.py [--markdown docs/benchmarks.md] [--quick]

Each bench script runs as its own process with a timeout and `--json`; its last stdout line is
a JSON dict of figures, parsed here. A script that is missing, fails or times out shows as
such in its rows instead of stopping the run. `--quick` shrinks the scale project (for a smoke
run); the published table uses the defaults. The whole run takes a few minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bare import BARE_WINDOW, timing_env
from _table import last_json_line

HERE = Path(__file__).resolve().parent

Figures = dict[str, Any]
Row = tuple[str, str, str]  # what, Workbench, beside it (or a note)


@dataclass
class Bench:
    name: str
    args: list[str]
    timeout: float
    figures: Figures = field(default_factory=dict)
    seconds: float = 0.0
    problem: str = ""  # "missing", "timed out after N s", "failed: <last stderr line>"


def run_bench(bench: Bench) -> Bench:
    script = HERE / bench.name
    if not script.exists():
        bench.problem = "missing"
        return bench
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, str(script), *bench.args, "--json"],
            capture_output=True,
            text=True,
            timeout=bench.timeout,
            env=env,
            cwd=HERE.parent,
            check=False,
        )
    except subprocess.TimeoutExpired:
        bench.problem = f"timed out after {bench.timeout:.0f} s"
        return bench
    bench.seconds = time.perf_counter() - started
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        bench.problem = f"failed: {last[:120]}"
        return bench
    try:
        bench.figures = last_json_line(done.stdout)
    except ValueError as exc:
        bench.problem = f"failed: {exc}"
    return bench


def bare_window() -> tuple[Figures, float]:
    """Wall time of a bare QMainWindow process (best of 3), and its in-process time."""
    env = timing_env()
    best: tuple[float, Figures] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(3):
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", BARE_WINDOW, str(Path(tmp) / "bare.png")],
                capture_output=True,
                text=True,
                timeout=60,
                env=env,
                check=True,
            )
            wall = time.perf_counter() - started
            if best is None or wall < best[0]:
                best = (wall, last_json_line(done.stdout))
    assert best is not None
    return best[1], best[0]


# ---------------------------------------------------------------------- formatting
def ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:,.0f} ms"


def secs(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:,.0f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def rate(kb_s: float | None) -> str:
    return "–" if kb_s is None else f"{kb_s:,.0f} KB/s"


def mb(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} MB"


def problem_rows(bench: Bench, what: str) -> list[Row]:
    return [(what, f"not measured ({bench.name} {bench.problem})", "")]


def segment_rows(b: Bench) -> list[Row]:
    if b.problem:
        return problem_rows(b, "split into sentences")
    f = b.figures
    rows: list[Row] = [
        (
            f"split {f['text_bytes'] / 1e6:.1f} MB into sentences",
            f"{secs(f['ours_s'])} ({rate(f['ours_kb_s'])})",
            "pysbd: minutes (super-linear), not run",
        )
    ]
    for key in sorted(k for k in f if k.startswith("pysbd_") and k.endswith("kb_kb_s")):
        kb = key.removeprefix("pysbd_").removesuffix("kb_kb_s")
        rows.append(
            (
                f"split {kb} KB (same text)",
                rate(f.get(f"ours_{kb}kb_kb_s")),
                f"pysbd {f.get('pysbd_version', '')}: {rate(f[key])}",
            )
        )
    return rows


def claims_rows(b: Bench) -> list[Row]:
    if b.problem:
        return problem_rows(b, "find_claims, 1 MB")
    f = b.figures
    return [
        (
            f"find_claims on {f['text_bytes'] / 1e6:.1f} MB ({f['claims']:,} claims), warm",
            secs(f["warm_s"]),
            f"CPU {secs(f['warm_cpu_s'])}; first call {secs(f['first_s'])} (loads the model)",
        ),
        (
            f"check-worthiness ({f['bases']}), leave-one-debate-out on 19 CLEF-2019 debates: "
            "MAP / P@10 / AUC",
            f"{f['cv_map']:.3f} / {f['cv_p10']:.3f} / {f['cv_auc']:.3f}",
            f"rule-based score: MAP {f['cv_rule_map']:.3f}; CLEF-2019 best primary run "
            "(test set) 0.166",
        ),
    ]


def extract_rows(b: Bench) -> list[Row]:
    if b.problem:
        return problem_rows(b, "article extraction, readability test pages")
    f = b.figures
    version = f"trafilatura {f['trafilatura_version']}"
    rows: list[Row] = []
    for key, what in (
        ("f1", f"body F1, {f['ours_f1_n']} readability test pages"),
        ("f1_real", f"body F1, {f['ours_f1_real_n']} real sites among them"),
        ("title", f"title matches ({f['ours_title_n']} pages)"),
        ("byline", f"byline matches ({f['ours_byline_n']} pages)"),
        ("date", f"date matches ({f['ours_date_n']} pages)"),
    ):
        rows.append((what, f"{f[f'ours_{key}']:.3f}", f"{version}: {f[f'trafilatura_{key}']:.3f}"))
    rows.append(
        (
            "pages given no text",
            str(f["ours_empty"]),
            f"{version}: {f['trafilatura_empty']}",
        )
    )
    return rows


def new_rows(b: Bench) -> list[Row]:
    if b.problem:
        return problem_rows(b, "workbench new, 1 MB")
    f = b.figures
    what = f"`workbench new` on {f['article_bytes'] / 1e6:.1f} MB ({f['claims']:,} claims)"
    return [
        (f"{what}: process end to end", secs(f["cli_s"]), f"best of {f['runs']}"),
        (
            f"{what}: new_project() in-process",
            secs(f["in_process_s"]),
            f"first call {secs(f['in_process_first_s'])}",
        ),
    ]


def gui_rows(b: Bench, bare: Figures | None, bare_wall: float | None) -> list[Row]:
    f = b.figures
    if b.problem:
        return [("window shown (process start to first frame)", f"not measured ({b.problem})", "")]
    if f.get("startup_bare_shown_wall_s"):  # measured in the same loop as Workbench: the fair ratio
        shown_row = (
            "window shown with the seed project (process start to first frame)",
            f"{ms(f['startup_shown_wall_s'])} (every feature built, picture saved: "
            f"{ms(f['startup_picture_wall_s'])}; process ended {ms(f['startup_wall_s'])})",
            f"bare PySide6 window shown: {ms(f['startup_bare_shown_wall_s'])}; ratio "
            f"{f['startup_ratio']:.1f}× (picture saved: {ms(f['startup_bare_picture_wall_s'])}, "
            f"{f['startup_picture_ratio']:.1f}×; ended {ms(f['startup_bare_wall_s'])})",
        )
    else:
        ratio = f.get("startup_wall_s", 0) / bare_wall if bare_wall else None
        shown_row = (
            "window shown with the seed project (process start to picture)",
            ms(f.get("startup_wall_s")),
            f"bare PySide6 window: {ms(bare_wall)}" + (f"; ratio {ratio:.1f}×" if ratio else ""),
        )
    return [
        shown_row,
        (
            "20,000-claim project: main window load + show",
            ms(f.get("main window: load_project + show")),
            "",
        ),
        (
            "20,000 claims in the window: text filter / min-score filter",
            f"{ms(f.get(next((k for k in f if k.startswith('filter: text')), '')))} / "
            f"{ms(f.get('filter: min score 0.5'))}",
            "",
        ),
    ]


def scale_rows(b: Bench) -> list[Row]:
    if b.problem:
        return problem_rows(b, "20,000-claim project")
    f = b.figures
    size = f"{f['claims']:,} claims, {f['snapshots']:,} snapshots, {f['file_mb']:.0f} MB file"
    reads = f["body_reads"]
    listing = sum(reads[k] for k in ("list_claims", "filter_score", "filter_text", "report_html"))
    return [
        (f"open ({size})", ms(f["open_s"]), ""),
        ("list all claims", ms(f["list_claims_s"]), f"peak {mb(f['list_claims_peak_mb'])} traced"),
        (
            "filter: min score / text",
            f"{ms(f['filter_score_s'])} / {ms(f['filter_text_s'])}",
            f"snapshot bodies read while listing and reporting: {listing}",
        ),
        (
            f"report of {f['claims']:,} claims: html / csv",
            f"{secs(f['report_html_s'])} / {secs(f['report_csv_s'])}",
            f"peak {mb(f['report_html_peak_mb'])} / {mb(f['report_csv_peak_mb'])} traced",
        ),
        (
            "JSON export, every body included",
            secs(f["export_json_s"]),
            f"peak {mb(f['export_json_peak_mb'])} traced "
            f"({f['snapshot_body_mb']:.0f} MB of bodies + {f['snapshot_text_mb']:.0f} MB text)",
        ),
        ("peak memory of the scale run (max RSS)", mb(f["max_rss_mb"]), ""),
    ]


def fetch_rows(b: Bench) -> list[Row]:
    if b.problem:
        return problem_rows(b, "fetch 50 sources")
    f = b.figures
    return [
        (
            f"fetch {f['sources']} sources, fake archive at {f['latency_s'] * 1000:.0f} ms",
            f"{secs(f['concurrent_s'])} ({f['ok_concurrent']} stored)",
            f"sequential: {secs(f['sequential_s'])} ({f['speedup']:.1f}x; "
            f"per-host limit {f['per_host']}; cold index, {f['cdx_concurrent']} lookups)",
        )
    ]


def report_rows(b: Bench) -> list[Row]:
    if b.problem:
        return problem_rows(b, "report of 5,000 claims")
    f = b.figures
    order = ("html", "pdf", "md", "csv", "json", "claimreview")
    formats = [fmt for fmt in order if f"{fmt}_s" in f and f"{fmt}_mb" in f]
    return [
        (
            f"report of {f['claims']:,} claims: {fmt}",
            secs(f[f"{fmt}_s"]),
            f"{f[f'{fmt}_mb']:.1f} MB",
        )
        for fmt in formats
    ]


def diff_rows(b: Bench) -> list[Row]:
    if b.problem:
        return problem_rows(b, "word diff of two 200 KB pages")
    f = b.figures
    return [
        (
            f"word diff of two {f['a_kb']:.0f} KB pages ({f['a_words']:,} words)",
            f"{secs(f['ours_s'])} (best of 3)",
            f"difflib SequenceMatcher: {secs(f['difflib_s'])}",
        ),
        (
            "two copies compared as the review pane does (diff + 2 quotations checked in each)",
            f"{secs(f['compare_s'])} (best of 3; in a worker thread)",
            "",
        ),
    ]


def library_rows(b: Bench) -> list[Row]:
    if b.problem:
        return problem_rows(b, "fact-check library")
    f = b.figures

    def quality(method: str) -> str:
        return (
            f"MAP@1 {f[f'{method}_map1']:.3f}, MAP@5 {f[f'{method}_map5']:.3f}, "
            f"P@1 {f[f'{method}_p1']:.3f}"
        )

    return [
        (
            f"checked before? CLEF-2020 2a dev ({f['queries']} tweets, "
            f"{f['collection']:,} Snopes claims)",
            quality("hybrid"),
            f"plain BM25: {quality('plain')}; FTS5 BM25 alone: {quality('bm25')}; "
            f"vectors alone: MAP@5 {f['vector_map5']:.3f}",
        ),
        (
            'checked before? the shown "N% likely the same claim" (dev, first 3 matches)',
            f"Brier {f['brier']:.3f} ({f['strength_shown']:.0f} shown)",
            f"claim in the library: {f['brier_present']:.3f}, not in it: "
            f"{f['brier_absent']:.3f}; fitted on train (bench/calibrate_library.py); the "
            f're-ranker\'s score, shown before as "N% match": {f["brier_uncalibrated"]:.3f}',
        ),
        (
            f"library import, {f['scale']:,} ClaimReviews (JSON Lines, CLI)",
            f"{secs(f['import_scale_s'])} (CPU {secs(f['import_scale_cpu_s'])})",
            f"{f['library_mb']:.0f} MB file; 10,375: {secs(f['import_10k_s'])}, "
            f"again (unchanged) {secs(f['reimport_10k_s'])}",
        ),
        (
            f"match 100 claims against {f['scale']:,} fact checks",
            f"first search {secs(f['match_100_cold_s'])} (CPU "
            f"{secs(f['match_100_cold_cpu_s'])}); again {secs(f['match_100_warm_s'])} "
            f"(CPU {secs(f['match_100_warm_cpu_s'])})",
            f"WordLlama load: {secs(f['model_load_s'])} (CPU {secs(f['model_load_cpu_s'])}); "
            "a window loads it and reads the vectors and vocabulary while idle, then its first "
            f"search takes {secs(f.get('match_100_preloaded_s'))} (CPU "
            f"{secs(f.get('match_100_preloaded_cpu_s'))}); after a verdict edit its "
            f"library is up to date in {secs(f.get('edit_refresh_s'))} (CPU "
            f"{secs(f.get('edit_refresh_cpu_s'))}) and the next search takes "
            f"{secs(f.get('match_100_after_edit_s'))} (CPU "
            f"{secs(f.get('match_100_after_edit_cpu_s'))}); load average "
            f"{f['load_average']:.1f} on {os.cpu_count()} CPUs during the run",
        ),
    ]


def built_app_rows(b: Bench) -> list[Row]:
    if b.problem:
        return problem_rows(b, "built app start-up")
    f = b.figures
    return [
        (
            "built app (dist/workbench): process start to window shown",
            f"{ms(f['built_wall_s'])} (CPU {ms(f['built_cpu_s'])}; in process "
            f"{ms(f['built_since_import_s'])})",
            f"source install: {ms(f['source_wall_s'])} (CPU {ms(f['source_cpu_s'])}; in process "
            f"{ms(f['source_since_import_s'])}); build {mb(f['size_mb'])} unpacked",
        )
    ]


def team_rows(b: Bench) -> list[Row]:
    if b.problem:
        return problem_rows(b, "team project on PostgreSQL")
    f = b.figures
    return [
        (
            f"team project: {f['clients']} clients x {f['edits_per_client']} edits at once",
            f"p50 {f['edit_p50_ms']:.0f} ms, p95 {f['edit_p95_ms']:.0f} ms per edit; "
            f"{f['edits_per_s']:.0f} edits/s",
            f"{f['edits_lost']} lost, {f['edit_errors']} errors ({f['server']})",
        ),
        (
            "team project: an edit's notification reaching another client",
            f"p50 {f['notify_p50_ms']:.0f} ms, p95 {f['notify_p95_ms']:.0f} ms",
            f"LISTEN/NOTIFY, {f['notify_samples']} edits; goal p95 < 1 s",
        ),
        (
            f"team project of {f['big_claims']:,} claims: open and read what the window shows",
            secs(f["open_show_s"]),
            f"copy file to server {secs(f['copy_up_s'])}, back {secs(f['copy_down_s'])}",
        ),
    ]


def team_library_rows(b: Bench) -> list[Row]:
    if b.problem:
        return problem_rows(b, "team library on PostgreSQL")
    f = b.figures
    return [
        (
            f"team library: import {f['scale']:,} ClaimReviews to the server (CLI, --server)",
            f"{secs(f['import_s'])} (client CPU {secs(f['import_cpu_s'])})",
            f"server table {f['server_mb']:.0f} MB; load average {f['load_average']:.1f}",
        ),
        (
            f"team library: a new desk's first pull of {f['scale']:,} entries (library stats)",
            f"{secs(f['first_pull_s'])} (CPU {secs(f['first_pull_cpu_s'])})",
            f"mirror {f['mirror_mb']:.0f} MB; nothing new to pull: {secs(f['nothing_new_s'])}",
        ),
        (
            "team library: a verdict written until it is in another desk's mirror",
            f"p50 {f['verdict_p50_ms']:.0f} ms, max {f['verdict_max_ms']:.0f} ms",
            f"LISTEN/NOTIFY then pull, {f['verdicts']} verdicts",
        ),
    ]


def machine() -> list[str]:
    try:
        from PySide6 import QtCore
        from PySide6 import __version__ as pyside

        qt = f"PySide6 {pyside}, Qt {QtCore.qVersion()}"
    except ImportError:
        qt = "PySide6 not installed"
    cpu = platform.processor() or platform.machine()
    return [
        f"Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"Machine: {platform.platform()}, {cpu}, {os.cpu_count()} CPUs",
        f"Python {platform.python_version()} ({platform.python_implementation()}), {qt}",
    ]


def table(rows: list[Row]) -> list[str]:
    header: Row = ("what", "Workbench", "beside it / note")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]

    def line(r: Row) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return [line(header), rule, *(line(r) for r in rows)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--quick", action="store_true", help="a smaller scale project")
    args = parser.parse_args()
    scale_args = ["--claims", "2000", "--sources", "200", "--snapshots", "200"]
    benches = {
        "segment": Bench("bench_segment.py", [], 180),
        "new": Bench("bench_new.py", [], 120),
        "claims": Bench("bench_claims.py", [], 180),
        "extract": Bench("bench_extract.py", [], 600),
        "gui": Bench("bench_gui.py", [], 180),
        "scale": Bench("bench_scale.py", scale_args if args.quick else [], 300),
        "fetch": Bench("bench_fetch.py", ["--sources", "50", "--latency", "0.2"], 180),
        "report": Bench("bench_report.py", ["--claims", "5000"], 240),
        "diff": Bench("bench_diff.py", [], 120),
        "library": Bench("bench_library.py", ["--scale", "20000"] if args.quick else [], 900),
        "built": Bench("bench_built_app.py", [], 180),
        "team": Bench(
            "bench_team.py",
            ["--clients", "5", "--edits", "40", "--claims", "2000"] if args.quick else [],
            900,
        ),
        "team_library": Bench(
            "bench_team_library.py", ["--scale", "20000"] if args.quick else [], 900
        ),
    }
    started = time.perf_counter()
    for bench in benches.values():
        print(f"running {bench.name} ...", file=sys.stderr, flush=True)
        run_bench(bench)
        status = bench.problem or f"{bench.seconds:.0f} s"
        print(f"  {bench.name}: {status}", file=sys.stderr, flush=True)
    try:
        bare, bare_wall = bare_window()
    except (subprocess.SubprocessError, ValueError, OSError):
        bare, bare_wall = None, None
    builders: list[Callable[[], list[Row]]] = [
        lambda: segment_rows(benches["segment"]),
        lambda: new_rows(benches["new"]),
        lambda: claims_rows(benches["claims"]),
        lambda: extract_rows(benches["extract"]),
        lambda: gui_rows(benches["gui"], bare, bare_wall),
        lambda: scale_rows(benches["scale"]),
        lambda: fetch_rows(benches["fetch"]),
        lambda: report_rows(benches["report"]),
        lambda: diff_rows(benches["diff"]),
        lambda: library_rows(benches["library"]),
        lambda: built_app_rows(benches["built"]),
        lambda: team_rows(benches["team"]),
        lambda: team_library_rows(benches["team_library"]),
    ]
    rows = [row for build in builders for row in build()]
    lines = [
        *machine(),
        f"Run: python bench/run.py ({time.perf_counter() - started:.0f} s in all)",
        "",
        *table(rows),
    ]
    print("\n".join(lines))
    if args.markdown:
        write_markdown(args.markdown, lines)
    return 0


def write_markdown(path: Path, lines: list[str]) -> None:
    """Replace the generated part of the page (between the markers) with the new table."""
    start, end = "<!-- bench/run.py output: start -->", "<!-- bench/run.py output: end -->"
    block = "\n".join(
        [
            start,
            "",
            *(f"{line}  " if line and not line.startswith("|") else line for line in lines),
            "",
            end,
        ]
    )
    old = path.read_text("utf-8") if path.exists() else f"{start}\n{end}\n"
    if start in old and end in old:
        head, rest = old.split(start, 1)
        new = head + block + rest.split(end, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(new, "utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
