"""`workbench library import`: read ClaimReview files into the library, one report per file."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from workbench.core.library.model import KIND_IMPORT, FactCheck, ImportReport
from workbench.core.library.shapes import BadRow, read_file
from workbench.core.library.store import Library

MAX_PROBLEMS = 20


def origin_of(path: Path) -> str:
    """How an imported file is remembered (for `library remove --source`)."""
    return str(path.expanduser().resolve())


def import_file(library: Library, path: Path) -> ImportReport:
    """Add every usable ClaimReview in path; unusable entries are counted, not fatal."""
    bad: list[BadRow] = []

    def good() -> Iterator[FactCheck]:
        for item in read_file(path):
            if isinstance(item, BadRow):
                bad.append(item)
            else:
                yield item

    report = library.add_imported(good(), origin_of(path))
    return ImportReport(
        report.added,
        report.updated,
        report.unchanged,
        len(bad),
        tuple(str(b) for b in bad[:MAX_PROBLEMS]),
    )


def import_files(
    library: Library,
    paths: Sequence[Path],
    progress: Callable[[int, int, Path], None] | None = None,
) -> list[tuple[Path, ImportReport]]:
    results = []
    for done, path in enumerate(paths):
        if progress:
            progress(done, len(paths), path)
        results.append((path, import_file(library, path)))
    return results


def remove_source(library: Library, path: Path) -> int:
    return library.remove_origin(KIND_IMPORT, origin_of(path))
