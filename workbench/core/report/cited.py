"""Which stored copy of a source a report cites.

A source may have many stored copies: the one "Fetch cited sources" chose, and any the
fact-checker fetched later in the History tab to see how the page changed. The report (and a
citation) used the newest stored, so fetching a capture made years after the article, only to
compare, silently changed the report's evidence to it. The cited copy is now chosen as the
fetch chooses (core/sources/archive/select.py): the archived copy made nearest the article's
date on or before it, what the article's author could have seen; else the first one after it;
with no article date, the newest.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Protocol, TypeVar

from workbench.core.sources.archive.select import parse_published


class StoredCopy(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def archive(self) -> str: ...
    @property
    def archive_url(self) -> str | None: ...
    @property
    def captured_at(self) -> str | None: ...


Copy = TypeVar("Copy", bound=StoredCopy)


def cited_copy_of(copies: Sequence[Copy], published: str | None) -> Copy | None:
    """The copy to cite among one source's stored copies (see the module's note)."""
    archived = [c for c in copies if c.archive != "live" and c.archive_url]
    pool = archived or list(copies)
    if not pool:
        return None
    newest = max(pool, key=lambda c: c.id)
    moment = parse_published(published)
    if moment is None:
        return newest
    if len((published or "").strip()) <= 10:  # a day: any time on it is "on the date"
        moment += timedelta(days=1)
    dated = [(when, c) for c in pool if (when := parse_published(c.captured_at)) is not None]
    before = [(when, c.id, c) for when, c in dated if when <= moment]
    if before:
        return max(before, key=lambda t: (t[0], t[1]))[2]
    after = [(when, c.id, c) for when, c in dated]
    return min(after, key=lambda t: (t[0], -t[1]))[2] if after else newest
