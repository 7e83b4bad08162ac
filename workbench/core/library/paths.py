"""Where the fact-check library lives: one SQLite file in the user's data folder.

WORKBENCH_LIBRARY names the file itself (a desk's shared copy, or a test's temporary one);
otherwise WORKBENCH_SETTINGS_DIR (the folder the window keeps its settings in, set by tests
and portable installs) holds it; otherwise the platform's per-user data folder does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

LIBRARY_ENV = "WORKBENCH_LIBRARY"
SETTINGS_ENV = "WORKBENCH_SETTINGS_DIR"
FILE_NAME = "factcheck-library.sqlite"


def library_path() -> Path:
    explicit = os.environ.get(LIBRARY_ENV, "").strip()
    if explicit:
        return Path(explicit).expanduser()
    settings = os.environ.get(SETTINGS_ENV, "").strip()
    if settings:
        return Path(settings).expanduser() / FILE_NAME
    return _data_dir() / FILE_NAME


def _data_dir() -> Path:
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming") / "Workbench"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "Workbench"
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "Workbench"
