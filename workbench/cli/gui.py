"""`workbench screenshot PATH OUT.png`: render the window for a project or article, offscreen.

Used for the README's screenshot, for checking the look in CI, and by bench/bench_gui.py to
time start-up (--timings prints the in-process figures as JSON on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from workbench.core.errors import InvalidInputError, ProjectError

_STARTED = time.perf_counter()  # as close to process start as this module gets


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "screenshot", help="save a picture of the window for a project or article (offscreen)"
    )
    p.add_argument("path", help="a project (.wbproj) or an article file")
    p.add_argument("out", help="the PNG to write")
    p.add_argument("--claim", type=int, default=None, metavar="N", help="select claim N")
    p.add_argument("--size", default="1400x900", metavar="WxH", help="window size (1400x900)")
    p.add_argument("--timings", action="store_true", help="print start-up timings on stderr")
    p.set_defaults(handler=cmd_screenshot)


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(x) for x in text.lower().split("x", 1))
    except ValueError:
        raise InvalidInputError(
            f"'{text}' is not a size; write it as WIDTHxHEIGHT, e.g. 1400x900."
        ) from None
    if not (320 <= w <= 8000 and 240 <= h <= 8000):
        raise InvalidInputError(f"{w}x{h} is not a sensible window size.")
    return w, h


def screenshot(
    path: Path, out: Path, *, claim: int | None = None, size: tuple[int, int] = (1400, 900)
) -> dict[str, float]:
    """Render the window for `path` into `out`; returns timings in seconds."""
    from workbench.gui.app import ensure_app, ensure_headless_if_needed

    ensure_headless_if_needed()
    t0 = time.perf_counter()
    app = ensure_app()
    from workbench.core.settings import Settings
    from workbench.gui.window.main_window import MainWindow
    from workbench.gui.window.opening import is_project_file

    t_qt = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="workbench-shot-") as tmp:
        # A throwaway settings file: a screenshot shows the default layout, and leaves no trace.
        settings = Settings(Path(tmp) / "settings.ini")
        # As `workbench FILE` opens it: the first frame, then the features (timed apart).
        window = MainWindow(settings=settings, persist=False, defer_features=True)
        window.ask.error = _raise_error  # type: ignore[method-assign]
        window.resize(*size)
        project_path = path
        if not is_project_file(path):
            from workbench.core.project.create import new_project

            project_path = Path(tmp) / "article.wbproj"
            new_project(project_path, path).close()
        window.load_project(project_path)
        window.show()
        if claim is not None:
            if window.model.claim(claim) is None:
                raise InvalidInputError(f"There is no claim {claim} in {path.name}.")
            window.select_claim(claim)
        app.processEvents()
        t_first = window.first_paint_at or time.perf_counter()
        window.install_deferred_features()
        if claim is not None:
            window.select_claim(claim)
        app.processEvents()
        t_shown = time.perf_counter()
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out), "PNG"):
            raise ProjectError(f"The picture could not be written to {out}.")
        saved_pc, saved_at = time.perf_counter(), time.time()
        window.close()
    # Seconds since this module was imported, and (*_at) the moments as time.time(), so a
    # benchmark can count from the moment it started the process.
    return {
        "first_frame_s": t_first - _STARTED,
        "since_import_s": t_shown - _STARTED,
        "qt_start_s": t_qt - t0,
        "open_and_show_s": t_shown - t_qt,
        "first_frame_at": saved_at - (saved_pc - t_first),
        "saved_at": saved_at,
    }


def _raise_error(title: str, message: str) -> None:
    raise ProjectError(message)


def cmd_screenshot(args: argparse.Namespace) -> int:
    size = parse_size(args.size)
    path = Path(args.path)
    if not path.exists():
        raise ProjectError(f"There is no file at {path}.")
    timings = screenshot(path, Path(args.out), claim=args.claim, size=size)
    print(f"Saved {args.out} ({size[0]}x{size[1]})")
    if args.timings:
        print(json.dumps(timings), file=sys.stderr)
    return 0
