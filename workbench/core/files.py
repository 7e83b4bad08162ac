"""Writing a file so that a reader sees the old one or the whole new one, never half of either."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.core.errors import ProjectError


def write_text_atomic(
    path: str | Path, text: str, *, what: str, newline: str | None = None
) -> Path:
    """Write `text` to a temporary file beside `path`, then rename it into place.

    A failure (disk full, a folder that vanished) leaves any existing file as it was and raises a
    ProjectError naming `what` ("The class table") and the reason.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.writing-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8", newline=newline) as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ProjectError(
            f"{what} could not be written to {path}: {exc.strerror or exc}."
        ) from None
    return path
