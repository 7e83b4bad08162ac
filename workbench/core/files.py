"""Writing a file so that a reader sees the old one or the whole new one, never half of either."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from workbench.core.errors import ProjectError


def write_text_atomic(
    path: str | Path, text: str, *, what: str, newline: str | None = None
) -> Path:
    """Write `text` to a temporary file beside `path`, then rename it into place.

    A failure (disk full, a folder that vanished) leaves any existing file as it was and raises a
    ProjectError naming `what` ("The class table") and the reason.
    """
    with atomic_text_file(path, what=what, newline=newline) as fh:
        fh.write(text)
    return Path(path)


@contextmanager
def atomic_text_file(
    path: str | Path, *, what: str, newline: str | None = None
) -> Iterator[TextIO]:
    """A text file to stream into that appears at `path` only once the block ends without error.

    Streaming writers (the JSON export writes one snapshot at a time) would otherwise leave half a
    file where the user asked for one when a later step fails; here any exception, not only an
    OSError, removes the temporary file and leaves an existing `path` untouched.
    """
    path = Path(path)
    if path.exists() and not path.is_file() and not path.is_dir():
        # /dev/null, /dev/stdout, a named pipe: written into, never renamed over. Replacing
        # them made /dev/null a plain file for every program on the machine (as root).
        try:
            with path.open("w", encoding="utf-8", newline=newline) as fh:
                yield fh
        except OSError as exc:
            raise ProjectError(
                f"{what} could not be written to {path}: {exc.strerror or exc}."
            ) from None
        return
    tmp = path.with_name(f".{path.name}.writing-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8", newline=newline) as fh:
            yield fh
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ProjectError(
            f"{what} could not be written to {path}: {exc.strerror or exc}."
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
