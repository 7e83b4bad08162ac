"""The bare PySide6 window that start-up is compared with, and the environment both run in."""

from __future__ import annotations

import os
import tempfile

# A bare PySide6 window, timed like `workbench screenshot --timings`: from the interpreter's
# start to a shown main window grabbed to a PNG; it writes down (time.time()) when its window
# was shown and when the picture was saved, as Workbench does.
BARE_WINDOW = """
import json, sys, time
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("bare window"))
window.resize(1200, 800)
window.show()
app.processEvents()
shown = time.time()
window.grab().save(sys.argv[1])
print(json.dumps({"since_import_s": time.perf_counter() - t0, "shown_at": shown,
                  "saved_at": time.time()}))
"""

# Byte code is cached as an installed program's is (pip compiles on install): without it every
# run would compile Workbench's modules and time the compiler (PYTHONDONTWRITEBYTECODE is set
# in some shells and CI images). Each process of a run shares one cache folder.
_PYCACHE = tempfile.mkdtemp(prefix="workbench-bench-pyc-")


def timing_env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = _PYCACHE
    return env
