"""Background jobs for archived sources: fetch, retry, import a web archive, Save Page Now.

Each job opens its own Project on the file (a Project belongs to one thread) and closes it at
the end; the window re-reads through check_external_changes() afterwards. Cancelling sets a
threading.Event the core waits on, so a cancelled fetch ends with a summary of what was stored
(every stored copy is its own transaction), never with a half-written row.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.net.errors import FailureKind, FetchFailure
from workbench.core.net.settings import ArchiveSettings
from workbench.core.project.store import Project

if TYPE_CHECKING:
    from workbench.core.sources.archive.wayback import SaveStatus
    from workbench.core.sources.fetch import FetchProgress, FetchSummary, WarcSummary

# The fetch machinery (HTTP client, archives, HTML extraction, web archive files) is imported
# by the job that runs it, in its thread: loading it costs ~0.6 s the window's first frame
# does not need.
from workbench.gui.workers import Job

SettingsFactory = Callable[[], ArchiveSettings]


class EventJob(Job):
    """A Job whose Cancel also sets a threading.Event handed to the core function."""

    def __init__(self, title: str, fn: Callable[[threading.Event, FetchProgress], Any]) -> None:
        super().__init__(title, lambda _report: fn(self.cancel_event, self._progress))
        self.cancel_event = threading.Event()

    def cancel(self) -> None:
        super().cancel()
        self.cancel_event.set()

    def _progress(self, done: int, total: int, message: str) -> None:
        # Emitted directly: Job.report() would raise once cancelled, and a fetch that is
        # winding down must still return its summary of what it stored.
        fraction = done / total if total else 0.0
        step = f"{done} of {total}" if total else message
        self.signals.progress.emit(step, min(fraction, 0.99))


@dataclass(frozen=True)
class SaveResult:
    """How a Save Page Now request ended, and the fetch that followed a successful capture."""

    url: str
    status: SaveStatus | None  # None when cancelled before the archive answered
    fetch: FetchSummary | None
    cancelled: bool = False


def failed_source_ids(project: Project) -> list[int]:
    """Sources of live claims whose last fetch failed."""
    return [s.id for s in project.sources() if s.fetch_error and project.source_claims(s.id)]


def fetch_job(
    path: str | Path,
    settings: SettingsFactory,
    *,
    claim_id: int | None = None,
    only_failed: bool = False,
) -> EventJob:
    """All sources of live claims (or of one claim) that have no copy; or retry the failed."""
    title = "Retrying failed fetches" if only_failed else "Fetching cited sources"
    if claim_id is not None:
        title = f"Fetching the sources of claim {claim_id}"

    def work(cancel: threading.Event, progress: FetchProgress) -> FetchSummary:
        from workbench.core.sources.fetch import fetch_sources

        with Project.open(path) as project:
            if only_failed:
                return fetch_sources(
                    project,
                    source_ids=failed_source_ids(project),
                    refetch=True,
                    settings=settings(),
                    cancel=cancel,
                    progress=progress,
                )
            return fetch_sources(
                project, claim_id=claim_id, settings=settings(), cancel=cancel, progress=progress
            )

    return EventJob(title, work)


def import_warc_job(path: str | Path, archive_file: Path) -> EventJob:
    def work(cancel: threading.Event, progress: FetchProgress) -> WarcSummary:
        from workbench.core.sources.fetch import import_warc_into

        progress(0, 0, "reading the file")
        with Project.open(path) as project:
            return import_warc_into(project, archive_file, cancel=cancel)

    return EventJob(f"Importing {archive_file.name}", work)


def save_page_now_job(
    path: str | Path, source_id: int, url: str, settings: SettingsFactory
) -> EventJob:
    """Ask the Internet Archive to capture one live page, wait for it, then fetch the source."""

    def work(cancel: threading.Event, progress: FetchProgress) -> SaveResult:
        from workbench.core.net.http import SafeClient
        from workbench.core.sources.archive.wayback import save_page_now, wait_for_save
        from workbench.core.sources.fetch import fetch_sources

        chosen = settings()
        try:
            with SafeClient(chosen) as client:
                job = save_page_now(client, url, cancel=cancel)
                progress(0, 0, "waiting for the capture")
                status = wait_for_save(client, job, cancel=cancel)
        except FetchFailure as failure:
            if failure.kind == FailureKind.CANCELLED:
                return SaveResult(url, None, None, cancelled=True)
            raise
        if status.status != "success":
            return SaveResult(url, status, None)
        with Project.open(path) as project:
            summary = fetch_sources(
                project,
                source_ids=[source_id],
                refetch=True,
                settings=chosen,
                cancel=cancel,
                progress=progress,
            )
        return SaveResult(url, status, summary, cancelled=summary.cancelled)

    return EventJob("Requesting an archive capture", work)


def live_page_job(path: str | Path, source_id: int, settings: SettingsFactory) -> EventJob:
    """Store the source's live page now as one more copy (returns its snapshot id), to
    compare with a capture."""

    def work(cancel: threading.Event, progress: FetchProgress) -> int:
        from workbench.core.sources.captures import fetch_live

        progress(0, 0, "fetching the live page")
        with Project.open(path) as project:
            return fetch_live(project, source_id, settings=settings(), cancel=cancel)

    return EventJob("Fetching the live page", work)
