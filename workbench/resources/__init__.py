"""Package data: rating scales, report templates, style sheets, icons.

Kept inside the package so an installed wheel finds it the same way a checkout does.
"""

from importlib.resources import files
from importlib.resources.abc import Traversable


def resource(*parts: str) -> Traversable:
    """A file or folder under workbench/resources, from a checkout or an installed wheel."""
    node = files(__name__)
    for part in parts:
        node = node / part
    return node
