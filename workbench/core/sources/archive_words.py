"""Archives and capture times as sentences name them, for messages and the project's history.

The window's History tab lists captures as "2015-03-01 10:00:00" under "Captured (UTC)" and
names the archives ("Wayback Machine"); messages about one capture say it the same way, not
as the stored values ("2015-03-01T10:00:00Z (wayback)"). Light on purpose: `workbench history`
imports it, and the fetching machinery stays out of that command.
"""

from __future__ import annotations

_NAMES = {"wayback": "the Wayback Machine", "warc": "a web archive file", "live": "the live page"}


def archive_in_words(archive: str | None) -> str:
    """'the Wayback Machine', 'arquivo.pt' (a Memento archive by its host), 'a web archive file'."""
    if not archive:
        return "an archive"
    return _NAMES.get(archive, archive.removeprefix("memento:"))


def capture_time_in_words(iso: str | None) -> str:
    """'2015-03-01 10:00:00 UTC' from '2015-03-01T10:00:00Z' (the History tab's list shows the
    same digits under "Captured (UTC)"); 'an unknown time' when there is none."""
    if not iso:
        return "an unknown time"
    return iso.replace("T", " ").removesuffix("Z").removesuffix("+00:00") + " UTC"


def timestamp_in_words(timestamp: str) -> str:
    """An archive timestamp as typed (1-14 digits: a prefix is a year, a month, a day...) in the
    same form: '2019', '2019-05', '2019-05-02', '2019-05-02 10:00 UTC'."""
    if not timestamp.isdigit() or len(timestamp) not in (4, 6, 8, 10, 12, 14):
        return timestamp
    parts = [timestamp[0:4], timestamp[4:6], timestamp[6:8]]
    day = "-".join(p for p in parts if p)
    clock = ":".join(p for p in (timestamp[8:10], timestamp[10:12], timestamp[12:14]) if p)
    if len(timestamp) == 10:
        clock += ":00"
    return f"{day} {clock} UTC" if clock else day
