"""Start-up of the self-contained build beside the source install: process start to window shown.

    python bench/bench_built_app.py [--app dist/workbench] [--json]

Both run `workbench screenshot` of the sample project offscreen, best of 3 processes each: the
built program (`dist/workbench/workbench`, made by `python packaging/build.py`) and
`python -m workbench` from this checkout. Wall time, and the process's CPU time (user + system),
which other work on a shared machine disturbs much less. Also reports the build folder's
unpacked size.
Prints figures; asserts nothing. Exits 2 with a message when there is no build to measure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "sample-article.html"
RUNS = 3


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def best_of(cmd: list[str], env: dict[str, str]) -> tuple[float, float, dict[str, float]]:
    """(wall, CPU, in-process timings) of the run with the least wall time."""
    runs = []
    for _ in range(RUNS):
        cpu, t = children_cpu_s(), time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        wall, cpu = time.perf_counter() - t, children_cpu_s() - cpu
        runs.append((wall, cpu, json.loads(done.stderr.strip().splitlines()[-1])))
    return min(runs, key=lambda r: r[0])


def folder_mb(folder: Path) -> float:
    # Symbolic links (Qt's libraries are linked from the folder's top) are not counted twice.
    files = (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return sum(p.stat().st_size for p in files) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--app", type=Path, default=ROOT / "dist" / "workbench")
    parser.add_argument("--json", action="store_true", help="end with a JSON line of figures")
    args = parser.parse_args()
    exe = args.app / "workbench"
    if not exe.is_file():
        print(f"no build at {args.app}; make one with `python packaging/build.py`", file=sys.stderr)
        return 2
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    figures: dict[str, float] = {"size_mb": round(folder_mb(args.app), 1)}
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "sample.wbproj"
        subprocess.run(
            [str(exe), "new", str(project), str(SAMPLE)], env=env, check=True, capture_output=True
        )
        shot = str(Path(tmp) / "shot.png")
        for name, cmd in (
            ("built", [str(exe)]),
            ("source", [sys.executable, "-m", "workbench"]),
        ):
            wall, cpu, inside = best_of([*cmd, "screenshot", str(project), shot, "--timings"], env)
            figures[f"{name}_wall_s"] = round(wall, 4)
            figures[f"{name}_cpu_s"] = round(cpu, 4)
            figures[f"{name}_since_import_s"] = round(inside["since_import_s"], 4)
            print(
                f"{name:>7}: process start to window shown {wall * 1000:7.0f} ms "
                f"(CPU {cpu * 1000:.0f} ms; in process {inside['since_import_s'] * 1000:.0f} ms), "
                f"best of {RUNS}"
            )
    figures["load_average"] = round(os.getloadavg()[0], 2)
    print(
        f"   size: {figures['size_mb']:.0f} MB unpacked; load average {figures['load_average']:.1f}"
    )
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
