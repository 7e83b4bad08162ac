"""GUI figures: start-up to a shown window, and a 20,000-claim project loaded and filtered.

    python bench/bench_gui.py [--json]   (offscreen when there is no display)

Prints timings; asserts nothing (tests assert behaviour, benchmarks print figures).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sample_data" / "russia-islamic-state-syria-rebels.txt"
N_CLAIMS = 20_000
FIGURES: dict[str, float] = {}  # label -> seconds, printed as JSON with --json (bench/run.py)


def timed(label: str, fn: Callable[[], Any]) -> Any:
    t = time.perf_counter()
    result = fn()
    FIGURES[label] = round(time.perf_counter() - t, 4)
    print(f"  {label:<46} {1000 * FIGURES[label]:8.1f} ms")
    return result


def startup(tmp: Path, rounds: int = 7) -> None:
    """Best wall times of `workbench screenshot` and of a bare PySide6 window, taken in turns in
    the same loop (after one warm-up each), so a busy machine slows both alike.

    Three moments, each from the moment the process is started: the window shown (its first
    frame painted: for Workbench the article, claims, claim panel and its menus, as
    `workbench FILE` shows them before the features are built), the picture saved (Workbench
    with every feature built), and the process ended. The ratio is the window shown against
    the bare window shown; the other two are printed beside it."""
    from _bare import BARE_WINDOW, timing_env

    from workbench.core.project.create import new_project

    project = tmp / "seed.wbproj"
    new_project(project, SEED).close()
    env = timing_env()
    ours_cmd = [sys.executable, "-m", "workbench", "screenshot", str(project), str(tmp / "s.png")]
    bare_cmd = [sys.executable, "-c", BARE_WINDOW, str(tmp / "bare.png")]

    def run(cmd: list[str], timings: str) -> dict[str, float]:
        spawned = time.time()
        t = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t
        out = done.stderr if timings == "stderr" else done.stdout
        figures = json.loads(out.strip().splitlines()[-1])
        # Moments the process wrote down (time.time() at *_at) become seconds since its start.
        found = {
            k.removesuffix("_at") + "_wall_s": v - spawned
            for k, v in figures.items()
            if k.endswith("_at")
        }
        found.update({k: v for k, v in figures.items() if k.endswith("_s")}, exit_wall_s=wall)
        return found

    run([*ours_cmd, "--timings"], "stderr")  # warm-up: byte code written, files cached
    run(bare_cmd, "stdout")
    ours, bare = [], []
    for _ in range(rounds):
        ours.append(run([*ours_cmd, "--timings"], "stderr"))
        bare.append(run(bare_cmd, "stdout"))

    def best(runs: list[dict[str, float]], key: str) -> float:
        return round(min(r[key] for r in runs), 4)

    shown, bare_shown = best(ours, "first_frame_wall_s"), best(bare, "shown_wall_s")
    picture, bare_picture = best(ours, "saved_wall_s"), best(bare, "saved_wall_s")
    ended, bare_ended = best(ours, "exit_wall_s"), best(bare, "exit_wall_s")
    FIGURES.update(
        startup_shown_wall_s=shown,
        startup_bare_shown_wall_s=bare_shown,
        startup_ratio=round(shown / bare_shown, 2),
        startup_picture_wall_s=picture,
        startup_bare_picture_wall_s=bare_picture,
        startup_picture_ratio=round(picture / bare_picture, 2),
        startup_wall_s=ended,
        startup_bare_wall_s=bare_ended,
        startup_bare_since_import_s=best(bare, "since_import_s"),
    )
    for key in ("first_frame_s", "since_import_s", "qt_start_s", "open_and_show_s"):
        FIGURES[f"startup_{key}"] = best(ours, key)
    print(
        f"Start-up with the seed project (best of {rounds} processes, in turns with a bare window)"
    )
    print(f"  {'':<46} {'Workbench':>10} {'bare':>9} {'ratio':>7}")
    for label, a, b in (
        ("window shown (first frame), from process start", shown, bare_shown),
        ("  every feature built, picture saved", picture, bare_picture),
        ("  process ended", ended, bare_ended),
    ):
        print(f"  {label:<46} {1000 * a:8.1f}ms {1000 * b:7.1f}ms {a / b:6.1f}x")
    print("  target: window shown within 3x the bare window")
    print(
        f"  {'in process: imports to picture':<46} {1000 * FIGURES['startup_since_import_s']:8.1f} ms"
    )
    print(f"  {'in process: QApplication':<46} {1000 * FIGURES['startup_qt_start_s']:8.1f} ms")
    print(
        f"  {'in process: open project and show':<46} {1000 * FIGURES['startup_open_and_show_s']:8.1f} ms"
    )


def synthetic_project(tmp: Path) -> Path:
    from workbench.core.article.model import Article
    from workbench.core.claims.finder import ClaimCandidate
    from workbench.core.project.store import Project

    parts: list[str] = []
    claims: list[ClaimCandidate] = []
    pos = 0
    for i in range(N_CLAIMS):
        sentence = f"Minister {i % 97} said unemployment rose by {i % 13}.{i % 10} percent in {1990 + i % 30}."
        claims.append(
            ClaimCandidate(pos, pos + len(sentence), sentence, "fact", (i % 100) / 100, ("number",))
        )
        sep = "\n\n" if i % 8 == 7 else " "
        parts.append(sentence + sep)
        pos += len(sentence) + len(sep)
    text = "".join(parts)
    article = Article("Synthetic", "Bench", "2024-01-01", None, text, raw=text.encode())
    path = tmp / "big.wbproj"
    Project.create(path, article, claims).close()
    print(
        f"Synthetic project: {N_CLAIMS} claims, {len(text) / 1e6:.1f} M characters, "
        f"{path.stat().st_size / 1e6:.1f} MB"
    )
    return path


def big_project(path: Path) -> None:
    from PySide6.QtCore import Qt

    from workbench.core.project.store import Project
    from workbench.core.settings import Settings
    from workbench.gui.app import ensure_app
    from workbench.gui.article.view import ArticleView
    from workbench.gui.claims.model import ClaimsFilter, ClaimsModel
    from workbench.gui.window.main_window import MainWindow

    app = ensure_app()
    project = timed("Project.open", lambda: Project.open(path))
    claims = timed("project.claims() (20,000 records)", project.claims)
    article = project.article()
    model = ClaimsModel()
    proxy = ClaimsFilter()
    proxy.setSourceModel(model)
    timed("model.set_claims + proxy", lambda: model.set_claims(claims, project.scale))
    timed("filter: text 'minister 42 '", lambda: (proxy.set_text("minister 42 "), proxy.rowCount()))
    print(f"    -> {proxy.rowCount()} rows")
    timed("filter: clear text", lambda: (proxy.set_text(""), proxy.rowCount()))
    timed("filter: min score 0.5", lambda: (proxy.set_min_score(0.5), proxy.rowCount()))
    print(f"    -> {proxy.rowCount()} rows")
    timed("sort by worth (descending)", lambda: proxy.sort(2, Qt.SortOrder.DescendingOrder))
    view = ArticleView()
    view.resize(800, 600)
    timed(
        "article view: text + highlights", lambda: view.set_article(article, claims, project.scale)
    )
    view.show()
    timed("article view: first paint", app.processEvents)
    one = claims[10_000]
    project.set_verdict(one.id, "false", "bench")
    updated = project.claim(one.id)
    timed(
        "one edit: model row + highlight",
        lambda: (model.update_claim(updated), view.update_claim(updated)),
    )
    project.close()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(Path(tmp) / "s.ini")
        window = MainWindow(settings=settings, persist=False)
        window.resize(1400, 900)
        timed(
            "main window: load_project + show",
            lambda: (window.load_project(path), window.show(), app.processEvents()),
        )
        timed(
            "main window: J (next claim)",
            lambda: (window.claim_actions.move(1), app.processEvents()),
        )
        timed(
            "main window: press 1 (verdict)",
            lambda: (window.claim_actions.rate("true"), app.processEvents()),
        )
        window.close()


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="bench-gui-") as tmp:
        startup(Path(tmp))
        path = synthetic_project(Path(tmp))
        big_project(path)
    if "--json" in sys.argv[1:]:
        print(json.dumps(FIGURES, sort_keys=True))


if __name__ == "__main__":
    main()
