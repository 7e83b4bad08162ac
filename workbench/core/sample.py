"""The sample article (Harbour Town) and the web archive of its cited pages, wherever they ship.

In a checkout or an editable install they are in sample_data/ at the repository's root; the
self-contained build carries them inside its folder. Help ▸ Open the sample article copies both
into a folder the user can write to, so the project is saved beside them and Fetch cited sources
finds the archive file next to the article, offline.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from workbench.core.errors import NotFoundError, ProjectError

SAMPLE_ARTICLE = "sample-article.html"
SAMPLE_FILES = (SAMPLE_ARTICLE, "cited-pages.warc.gz", "README.md")


def sample_folder() -> Path:
    """The folder holding the shipped sample files."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)  # set by the PyInstaller build
    if bundle:
        candidates.append(Path(bundle) / "sample_data")
    candidates.append(Path(__file__).resolve().parents[2] / "sample_data")
    for folder in candidates:
        if (folder / SAMPLE_ARTICLE).is_file():
            return folder
    raise NotFoundError("The sample article is not part of this installation.")


def copy_sample(dest: Path) -> Path:
    """Copy the sample files into `dest` (kept if already there); returns the article's path."""
    source = sample_folder()
    try:
        dest.mkdir(parents=True, exist_ok=True)
        for name in SAMPLE_FILES:
            if (source / name).is_file() and not (dest / name).exists():
                shutil.copy2(source / name, dest / name)
    except OSError as exc:
        raise ProjectError(
            f"The sample could not be copied to {dest}: {exc.strerror or exc}."
        ) from None
    return dest / SAMPLE_ARTICLE
