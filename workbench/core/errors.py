"""Errors a person can act on.

Every failure the user can cause or fix (a missing file, an unreachable URL, a project file
that is not one) is raised as a WorkbenchError subclass whose message is one plain sentence.
The CLI prints that sentence and exits non-zero; the GUI shows it and keeps running.
"""


class WorkbenchError(Exception):
    """Base class: str(error) is a message for a person, not a traceback."""


class LoadError(WorkbenchError):
    """An article could not be loaded (missing, empty, binary, too large, unreadable)."""


class NetworkError(WorkbenchError):
    """A URL could not be fetched (unreachable, timed out, refused, too large)."""


class ProjectError(WorkbenchError):
    """A project file cannot be opened or changed (not a project, newer version, locked)."""


class NotFoundError(WorkbenchError):
    """A claim, source or other record named by the user does not exist."""


class InvalidInputError(WorkbenchError):
    """A value given by the user is not acceptable (unknown rating, bad span, bad status)."""


class WorkbenchWarning(UserWarning):
    """Something a person should hear about that does not stop the work (a broken scale file
    beside the project). Issued with warnings.warn; the CLI prints it as one line."""
