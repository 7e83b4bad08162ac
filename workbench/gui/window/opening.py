"""Deciding what a path or URL means: a project to open, or an article to start one from."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from workbench.core.errors import WorkbenchError
from workbench.core.project.store import PROJECT_SUFFIX, SQLITE_MAGIC, Project


def is_url(text: str) -> bool:
    return text.strip().lower().startswith(("http://", "https://"))


def is_project_file(path: Path) -> bool:
    """A .wbproj, or any SQLite file (opening it then says whether it is a project)."""
    if path.suffix.lower() == PROJECT_SUFFIX:
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _same_article(project_path: Path, digest: str) -> bool:
    try:
        with Project.open(project_path) as project:
            return project.article().raw_sha256 == digest
    except WorkbenchError:
        return False


def project_for_article(article: Path) -> tuple[Path, bool]:
    """Where the project of an article file lives: (path, already holds this article).

    NAME.wbproj beside the article; if that exists for another article (or another version of
    it), NAME-2.wbproj, NAME-3.wbproj and so on. Reads the article's bytes (raises OSError).
    """
    digest = hashlib.sha256(article.read_bytes()).hexdigest()
    n = 1
    while True:
        suffix = "" if n == 1 else f"-{n}"
        candidate = article.with_name(f"{article.stem}{suffix}{PROJECT_SUFFIX}")
        if not candidate.exists():
            return candidate, False
        if _same_article(candidate, digest):
            return candidate, True
        n += 1


def documents_dir() -> Path:
    """The user's Documents folder when there is one, else the home folder.

    Not the working directory: started from a desktop menu it is often / (not writable), and
    started from a terminal it may be a source checkout, where the sample got copied once."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if folder and os.path.isdir(folder):
        return Path(folder)
    return Path.home()


def project_folder(project: Project) -> Path:
    """Where to offer files about a project: beside its file, or the Documents folder for a
    team project (its `path` is only its name, so "beside" it was wherever the window was
    started: the export, copy and web archive dialogs opened there)."""
    return documents_dir() if project.is_team else project.path.parent


def project_name_for_url(url: str) -> str:
    stem = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    stem = Path(stem).stem or "article"
    return f"{stem}{PROJECT_SUFFIX}"


def free_path(path: Path) -> Path:
    """path, or path-2, path-3 … whichever does not exist yet."""
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate
