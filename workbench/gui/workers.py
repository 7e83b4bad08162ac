"""Background jobs: long loads and splits run on a QThreadPool, never on the UI thread.

A Job wraps a plain function `fn(report)`; `report(step, fraction)` emits progress and is
also where cancellation takes effect (it raises JobCancelled), so core code needs no Qt.
Results cross back to the UI thread through queued signals.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from workbench.core.article.model import Article
from workbench.core.errors import WorkbenchError

Report = Callable[[str, float], None]


class JobCancelled(Exception):
    """Raised inside a job's report() once the user pressed Cancel."""


class JobSignals(QObject):
    progress = Signal(str, float)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Job(QRunnable):
    """One unit of background work with progress, cancel and a one-line error."""

    def __init__(self, title: str, fn: Callable[[Report], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps it until its signals are delivered
        self.title = title
        self.cancelled_message = "Cancelled; nothing was saved."  # said in the status bar
        self.signals = JobSignals()
        self._fn = fn
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, step: str, fraction: float) -> None:
        # Work that reached its end is kept: cancelling then would only lose a finished result.
        if self._cancel.is_set() and fraction < 1.0:
            raise JobCancelled
        self.signals.progress.emit(step, float(fraction))

    def run(self) -> None:
        try:
            self.report("Starting", 0.0)
            result = self._fn(self.report)
        except JobCancelled:
            self.signals.cancelled.emit()
        except WorkbenchError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # a bug: say so plainly, keep the trace for whoever reports it
            traceback.print_exc(file=sys.stderr)
            self.signals.failed.emit(f"Something went wrong ({type(exc).__name__}: {exc}).")
        else:
            self.signals.finished.emit(result)


class JobRunner(QObject):
    """Starts jobs on the global pool and keeps each alive until it has finished."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool.globalInstance()
        self._active: set[Job] = set()

    def start(self, job: Job) -> Job:
        self._active.add(job)
        for signal in (job.signals.finished, job.signals.failed, job.signals.cancelled):
            signal.connect(lambda *_args, j=job: self._active.discard(j))
        self._pool.start(job)
        return job

    def active(self) -> list[Job]:
        return list(self._active)

    def wait(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)


def new_project_job(
    target: Path,
    source: str | Path | Article,
    scale: str | None = None,
    *,
    overwrite: bool = False,
) -> Job:
    """Load (file or URL), split into claims and write `target`; finishes with the path."""
    from workbench.core.project.create import new_project
    from workbench.core.project.scales import DEFAULT_SCALE

    def work(report: Report) -> Path:
        project = new_project(
            target, source, scale=scale or DEFAULT_SCALE, overwrite=overwrite, progress=report
        )
        project.close()  # the UI thread opens its own connection: Project is per-thread
        return target

    name = source.title if isinstance(source, Article) else Path(str(source)).name
    return Job(f"Loading {name or 'the article'}", work)


def read_project_job(path: Path) -> Job:
    """Read a large project's article and claims off the UI thread; finishes with both."""
    from workbench.core.project.store import Project

    def work(report: Report) -> tuple[Any, list[Any]]:
        report("Reading the project", 0.1)
        with Project.open(path) as project:
            article = project.article()
            report("Reading the claims", 0.4)
            claims = project.claims()
        report("Done", 1.0)
        return article, claims

    return Job(f"Opening {path.name}", work)
