"""Issue 15 item 7: the window's first frame does not wait for libraries it does not use.

`workbench FILE` imports the CLI (every command module, to read the arguments), the window and
its features. None of them may import at module level what only fetching, importing web
archives, writing project files, team projects or report rendering need: each of these costs
0.1-0.6 s of start-up (measured with `python -X importtime`; bench/bench_gui.py times it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = (
    "trafilatura",
    "sqlite_utils",
    "numpy",
    "warcio",
    "psycopg",
    "requests",
    "wordllama",
    "jinja2",  # report templates: only when a report or its preview is rendered
    "charset_normalizer",  # guessing a page's encoding: only when a stored copy is read
)

FIRST_FRAME = """
import json, sys
import workbench.cli.main as cli
cli.build_parser()
from workbench.gui.app import ensure_app
from workbench.gui.window.main_window import MainWindow
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in %r)))
"""
# The features are built right after the first frame, and before `workbench screenshot` saves
# its picture: the fact-check library's matching (numpy) loads in its own job, later.
FEATURES = FIRST_FRAME.replace(
    "print(",
    "import importlib\n"
    "from workbench.gui.window.features import FEATURE_MODULES\n"
    "for module in FEATURE_MODULES.values(): importlib.import_module(module)\n"
    "print(",
)


def _loaded(probe: str, heavy: tuple[str, ...]) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", probe % (heavy,)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return sorted({m.split(".")[0] for m in json.loads(done.stdout.strip().splitlines()[-1])})


def test_the_first_frame_imports_none_of_the_heavy_libraries() -> None:
    assert _loaded(FIRST_FRAME, HEAVY) == []


def test_the_features_import_none_of_them_either() -> None:
    assert _loaded(FEATURES, HEAVY) == []


def test_the_claim_finder_is_compiled_only_when_claims_are_found() -> None:
    """The finder compiles some thirty patterns at import; showing a project never finds claims
    (the store names its types from core/claims/model.py and reads a span on first use)."""
    probe = FEATURES.replace(
        'print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in %r)))',
        "print(json.dumps(sorted(m for m in sys.modules if m.endswith(%r))))",
    )
    assert probe != FEATURES  # the probe lists modules by name now
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", probe % ("claims.finder",)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
