"""Opening a team project off the UI thread: the window stays responsive while the server is
reached, and the person can cancel.

A server that never answers (a host that drops packets, a port that listens but never replies)
would hold a blocking connect for the whole connect timeout (10 s). So the job first reaches
the server with core's cancellable `reach` (psycopg's asyncio connection, given up within
50 ms of Cancel), then opens the Project (a second, quick connect: the server has just
answered) and reads its article and claims, all on the worker thread. The opened Project is
handed to the UI thread with the job's result and never touched by the worker again: psycopg
connections may be used from any thread (one at a time, which the hand-over guarantees), so
the window keeps it, as it keeps one it opened itself. A cancelled or failed job closes what
it opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from workbench.core.project.backends import team_label
from workbench.gui.workers import Job, JobCancelled, Report


@dataclass(frozen=True)
class TeamOpened:
    """A team project opened on the worker: the window installs it (closing its own then)."""

    project: Any  # workbench.core.project.store.Project
    article: Any
    claims: list[Any]


@dataclass(frozen=True)
class PasswordNeeded:
    """The server asks for a password that the URL, PGPASSWORD and ~/.pgpass did not give."""

    url: str
    message: str

    @property
    def login(self) -> str:
        return urlsplit(self.url.strip()).username or "your login"


def server_of(url: str) -> str:
    """host:port of a team URL, for "Connecting to …" (never the login or password)."""
    parts = urlsplit(url.strip())
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # a port that is not a number: the open says so in one line
        port = ""
    return f"{parts.hostname or 'localhost'}{port}"


def open_team_job(url: str) -> Job:
    """Reach the server, open the project and read its article and claims; finishes with a
    TeamOpened, or a PasswordNeeded when the server asks for one."""
    host = server_of(url)

    def check() -> None:
        if job.is_cancelled:
            raise JobCancelled

    def work(report: Report) -> TeamOpened | PasswordNeeded:
        # Imported here, on the worker: psycopg's first import takes ~0.3 s of the UI thread.
        from workbench.core.project.backends.postgres import PasswordNeededError, reach
        from workbench.core.project.store import Project

        report(f"Connecting to {host}…", 0.05)
        try:
            reach(url, check)
        except PasswordNeededError as exc:
            return PasswordNeeded(url, str(exc))
        report("Reading the project", 0.3)
        project = Project.open(url)
        try:
            article = project.article()
            report("Reading the claims", 0.5)
            claims = project.claims()
            check()
        except BaseException:
            project.close()
            raise
        return TeamOpened(project, article, claims)

    name = team_label(url)[0] or "the team project"
    job = Job(f"Opening {name}", work)
    job.cancelled_message = f"Cancelled; {name} was not opened."
    return job
