"""Every capture of a source over time: the archives' listings, the project's WARC files and
the stored snapshots, as one timeline around the article's date; and fetching one more of them.

Listing reads the Wayback index's whole history of the page (`collapse=digest`, so identical
captures are one row), page by page with resume keys up to a bound the user is told about, the
Memento aggregator's TimeMap once (other archives; its failure means "unknown"), and reads the
web-archive files the project knows. Both network calls go through SafeClient, whose per-host
token buckets hold the CDX/TimeMap pool and playback rates of ../shared/research/archives.md.
The listing is stored (table `captures`), so the timeline opens later without the network.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from workbench.core.article.load import LoadError
from workbench.core.clock import utc_now_iso
from workbench.core.errors import InvalidInputError, NotFoundError
from workbench.core.net.errors import FailureKind, FetchFailure
from workbench.core.net.http import SafeClient
from workbench.core.net.settings import ArchiveSettings
from workbench.core.project.records import CaptureRecord, SnapshotRecord, SourceRecord
from workbench.core.project.store import Project
from workbench.core.settings import archive_settings
from workbench.core.sources.archive.memento import aggregator_timemap, fetch_uri_m
from workbench.core.sources.archive.select import (
    Capture,
    describe_gap,
    parse_published,
    parse_timestamp,
    same_resource,
    timestamp14,
)
from workbench.core.sources.archive.service import accepted_type, live_snapshot
from workbench.core.sources.archive.wayback import (
    Memento,
    cdx_history,
    fetch_memento,
    playback_url,
)
from workbench.core.sources.archive_words import (
    archive_in_words,
    capture_time_in_words,
    timestamp_in_words,
)
from workbench.core.sources.fetch import (
    remembered_warcs,
    store_snapshot,
    warcs_beside_article,
)
from workbench.core.sources.snapshot import Snapshot
from workbench.core.sources.warc import import_warc, url_key

WAYBACK, WARC = "wayback", "warc"


@dataclass(frozen=True)
class TimelineEntry:
    """One capture on the timeline: listed by an archive, stored as a snapshot, or both."""

    archive: str
    archive_url: str | None
    timestamp: str  # 14 digits, UTC
    captured_at: str  # ISO 8601, UTC
    http_status: int | None
    digest: str
    duplicates: int  # identical captures folded into this one
    listed: bool  # an archive (or a WARC file) lists it
    snapshot_id: int | None  # stored in the project
    relation: str  # "captured 3 days before the article", or "" when the date is unknown
    after_article: bool

    def label(self) -> str:
        status = f"HTTP {self.http_status}" if self.http_status else "status unknown"
        stored = f"snapshot {self.snapshot_id}" if self.snapshot_id else "not fetched"
        return f"{self.captured_at}  {self.archive}  {status}  {stored}"


@dataclass(frozen=True)
class Timeline:
    source: SourceRecord
    published: str | None  # the article's date
    entries: tuple[TimelineEntry, ...]
    problems: tuple[str, ...] = ()  # archives not asked, or listings cut short: sentences
    listed_at: str | None = None  # when the archives were last asked

    def entry_for(self, snapshot_id: int) -> TimelineEntry | None:
        return next((e for e in self.entries if e.snapshot_id == snapshot_id), None)


# ---------------------------------------------------------------------- the timeline
def timeline(project: Project, source_id: int, problems: tuple[str, ...] = ()) -> Timeline:
    """The stored listing and stored snapshots of a source, merged, oldest first. No network."""
    source = project.source(source_id)
    published = project.article().published
    listed = project.capture_listing(source_id)
    snapshots = project.snapshots(source_id)
    entries: dict[tuple[str, str], TimelineEntry] = {}
    for row in listed:
        entries[(row.archive, row.timestamp)] = _from_listing(row, published)
    for snap in snapshots:
        key = (snap.archive, _ts14(snap.captured_at or snap.fetched_at))
        if snap.archive == "live":
            key = ("live", _ts14(snap.fetched_at))
        found = entries.get(key) or _match_by_url(entries, snap)
        if found is not None:
            entries[(found.archive, found.timestamp)] = replace(found, snapshot_id=snap.id)
        else:
            entries[key] = _from_snapshot(snap, published)
    ordered = sorted(entries.values(), key=lambda e: (e.timestamp, e.archive))
    listed_at = max((row.listed_at for row in listed), default=None)
    return Timeline(source, published, tuple(ordered), problems, listed_at)


def _match_by_url(
    entries: dict[tuple[str, str], TimelineEntry], snap: SnapshotRecord
) -> TimelineEntry | None:
    if not snap.archive_url:
        return None
    return next((e for e in entries.values() if e.archive_url == snap.archive_url), None)


def _from_listing(row: CaptureRecord, published: str | None) -> TimelineEntry:
    relation, after = _relation(row.timestamp, published)
    return TimelineEntry(
        archive=row.archive,
        archive_url=row.archive_url,
        timestamp=row.timestamp,
        captured_at=row.captured_at or _iso(row.timestamp),
        http_status=row.http_status,
        digest=row.digest,
        duplicates=row.duplicates,
        listed=True,
        snapshot_id=None,
        relation=relation,
        after_article=after,
    )


def _from_snapshot(snap: SnapshotRecord, published: str | None) -> TimelineEntry:
    when = snap.captured_at or snap.fetched_at
    ts = _ts14(when)
    relation, after = _relation(ts, published)
    return TimelineEntry(
        archive=snap.archive,
        archive_url=snap.archive_url,
        timestamp=ts,
        captured_at=_iso(ts),
        http_status=snap.http_status,
        digest=snap.sha256,
        duplicates=0,
        listed=False,
        snapshot_id=snap.id,
        relation=relation,
        after_article=after,
    )


def _relation(ts: str, published: str | None) -> tuple[str, bool]:
    article = parse_published(published)
    if article is None:
        return "", False
    gap = (parse_timestamp(ts) - article).total_seconds()
    return describe_gap(gap), gap > 24 * 3600


def _ts14(value: str | None) -> str:
    moment = parse_published(value)
    return timestamp14(moment) if moment else "00000000000000"


def _iso(ts: str) -> str:
    return parse_timestamp(ts).isoformat().replace("+00:00", "Z")


# ---------------------------------------------------------------------- asking the archives
def list_captures(
    project: Project,
    source_id: int,
    *,
    settings: ArchiveSettings | None = None,
    client: SafeClient | None = None,
    cancel: threading.Event | None = None,
) -> Timeline:
    """Ask the archives (and read the project's WARC files) for every capture of the source,
    store the listing, and return the timeline. An archive that fails keeps its old listing
    and is named in `problems`; only a cancel raises."""
    source = project.source(source_id)
    owned = client is None
    client = client or SafeClient(settings or archive_settings())
    problems: list[str] = []
    try:
        published = project.article().published
        for archive, ask in (
            (WAYBACK, lambda: _wayback_rows(client, source.url, published, cancel)),
            ("memento", lambda: (_memento_rows(client, source.url, cancel), [])),
        ):
            try:
                rows, notes = ask()
            except FetchFailure as failure:
                if failure.kind is FailureKind.CANCELLED:
                    raise
                problems.append(_problem(archive, failure))
                continue
            problems += notes
            archives = {row["archive"] for row in rows}
            if archive == WAYBACK:
                archives.add(WAYBACK)
            else:  # every other archive the aggregator answered for is replaced
                archives |= {
                    r.archive for r in project.capture_listing(source_id) if r.archive != WAYBACK
                }
                archives -= {WARC}
            project.set_capture_listing(source_id, archives, rows)
    finally:
        if owned:
            client.close()
    warc_rows, warc_problems = _warc_rows(project, source.url)
    problems += warc_problems
    project.set_capture_listing(source_id, [WARC], warc_rows)
    return timeline(project, source_id, tuple(problems))


def _problem(archive: str, failure: FetchFailure) -> str:
    if archive == WAYBACK:
        return f"The Wayback Machine could not be asked: {failure.reason}"
    return f"Other archives are unknown: {failure.reason}"


def _wayback_rows(
    client: SafeClient, url: str, published: str | None, cancel: threading.Event | None
) -> tuple[list[dict[str, object]], list[str]]:
    """The index's distinct captures of `url`, all of them up to the settings' bound, and a
    sentence when the bound was reached."""
    history = cdx_history(client, url, cancel=cancel)
    captures = history.captures
    notes: list[str] = []
    if not history.complete:
        notes.append(_bound_note(client, url, published, captures, cancel))
        if published:  # the captures around the article matter most: list them as well
            captures = sorted(
                {
                    c.timestamp: c for c in captures + _around(client, url, published, cancel)
                }.values(),
                key=lambda c: c.timestamp,
            )
    rows: list[dict[str, object]] = []
    for capture in captures:
        if rows and capture.digest and rows[-1]["digest"] == capture.digest:
            # the index folds identical neighbours, but not across its resume pages
            rows[-1]["duplicates"] = int(rows[-1]["duplicates"]) + 1  # type: ignore[call-overload]
            continue
        rows.append(
            _row(
                capture,
                playback_url(client.settings.wayback_url, capture.timestamp, capture.original, ""),
            )
        )
    return rows, notes


def _bound_note(
    client: SafeClient,
    url: str,
    published: str | None,
    captures: list[Capture],
    cancel: threading.Event | None,
) -> str:
    most = client.settings.cdx_history_max
    last = captures[-1].captured_at[:10] if captures else "?"
    note = (
        f"The Wayback Machine has more than {most:,} distinct captures of {url}; "
        f"only the oldest {most:,} (to {last})"
    )
    if published:
        days = client.settings.cdx_window_days
        return note + f" and those within {days} days of the article are listed."
    return note + " are listed."


def _around(
    client: SafeClient, url: str, published: str, cancel: threading.Event | None
) -> list[Capture]:
    moment = parse_published(published)
    if moment is None:
        return []
    window = timedelta(days=client.settings.cdx_window_days)
    return cdx_history(
        client, url, start=moment - window, end=moment + window, cancel=cancel
    ).captures


def _memento_rows(
    client: SafeClient, url: str, cancel: threading.Event | None
) -> list[dict[str, object]]:
    wayback = f"{client.settings.wayback_url}/web/"
    rows = []
    for capture in aggregator_timemap(client, url, cancel=cancel):
        if (capture.uri_m or "").startswith(wayback):
            continue  # the Wayback Machine's own captures come from its index
        rows.append(_row(capture, capture.uri_m or ""))
    return rows


def _row(capture: Capture, archive_url: str) -> dict[str, object]:
    return {
        "archive": capture.archive,
        "original_url": capture.original,
        "archive_url": archive_url,
        "timestamp": capture.timestamp,
        "captured_at": capture.captured_at,
        "digest": capture.digest,
        "http_status": capture.status,
        "mimetype": capture.mimetype,
        "length": capture.length,
        "duplicates": 0,
    }


def _warc_files(project: Project) -> list[Path]:
    files = [Path(p) for p in remembered_warcs(project) if Path(p).is_file()]
    return files + [p for p in warcs_beside_article(project) if p not in files]


def _warc_snapshots(project: Project, url: str) -> tuple[list[Snapshot], list[str]]:
    key = url_key(url)
    found: list[Snapshot] = []
    problems = []
    for path in _warc_files(project):
        try:
            found += [s for s in import_warc(path).snapshots if url_key(s.original_url) == key]
        except LoadError as exc:
            problems.append(f"{path.name} could not be read: {exc}")
    return found, problems


def _warc_rows(project: Project, url: str) -> tuple[list[dict[str, object]], list[str]]:
    snapshots, problems = _warc_snapshots(project, url)
    rows: dict[str, dict[str, object]] = {}
    for snap in sorted(snapshots, key=lambda s: s.captured_at or ""):
        if not snap.archive_url or not snap.captured_at:
            continue
        rows[snap.archive_url] = {
            "archive": WARC,
            "original_url": snap.original_url,
            "archive_url": snap.archive_url,
            "timestamp": _ts14(snap.captured_at),
            "captured_at": snap.captured_at,
            "digest": snap.sha256,
            "http_status": snap.http_status,
            "mimetype": (snap.content_type or "").split(";")[0],
            "length": snap.size,
            "duplicates": 0,
        }
    return list(rows.values()), problems


# ---------------------------------------------------------------------- fetching one capture
@dataclass(frozen=True)
class Fetched:
    snapshot_id: int
    entry: TimelineEntry
    already_stored: bool
    asked: str  # the timestamp the user gave

    def describe(self) -> str:
        """What happened, as the window says captures: 'Fetched the capture of 2015-03-01
        10:00:00 UTC from the Wayback Machine (11 months before the article) and stored it as
        snapshot 1.'"""
        entry = self.entry
        when = capture_time_in_words(entry.captured_at)
        around = f" ({entry.relation.removeprefix('captured ')})" if entry.relation else ""
        capture = f"{when} from {archive_in_words(entry.archive)}{around}"
        if self.already_stored:
            return f"The capture of {capture} is already stored as snapshot {self.snapshot_id}."
        if entry.timestamp != self.asked.ljust(14, "0"):
            return (
                f"Fetched the capture closest to {timestamp_in_words(self.asked)}: {capture}; "
                f"stored as snapshot {self.snapshot_id}."
            )
        return f"Fetched the capture of {capture} and stored it as snapshot {self.snapshot_id}."


def choose_entry(entries: tuple[TimelineEntry, ...], at: str) -> TimelineEntry:
    """The capture at `at` (1-14 digits: exact, else the closest listed one)."""
    if not at.isdigit() or not 1 <= len(at) <= 14:
        raise InvalidInputError(f"'{at}' is not a capture time; give YYYYMMDDhhmmss (or a prefix).")
    listed = [e for e in entries if e.listed or e.snapshot_id]
    if not listed:
        raise NotFoundError(
            "No capture of this source is known; list them first (`workbench captures`)."
        )
    exact = [e for e in listed if e.timestamp == at.ljust(14, "0") or e.timestamp == at]
    if exact:
        return exact[0]
    target = parse_timestamp(at)
    return min(listed, key=lambda e: abs((parse_timestamp(e.timestamp) - target).total_seconds()))


def fetch_capture(
    project: Project,
    source_id: int,
    at: str,
    *,
    settings: ArchiveSettings | None = None,
    client: SafeClient | None = None,
    cancel: threading.Event | None = None,
) -> Fetched:
    """Store the capture of the source at `at` as one more snapshot (listing first if the
    archives were never asked). A capture already stored is not fetched again."""
    settings = settings or archive_settings()
    owned = client is None
    client = client or SafeClient(settings)
    try:
        current = timeline(project, source_id)
        if not any(e.listed for e in current.entries):
            current = list_captures(project, source_id, client=client, cancel=cancel)
        entry = choose_entry(current.entries, at)
        if entry.snapshot_id is not None:
            return Fetched(entry.snapshot_id, entry, True, at)
        snapshot = _fetch_entry(project, current, entry, client, cancel)
        snapshot_id = store_snapshot(project, source_id, snapshot)
        return Fetched(snapshot_id, replace(entry, snapshot_id=snapshot_id), False, at)
    finally:
        if owned:
            client.close()


def _fetch_entry(
    project: Project,
    current: Timeline,
    entry: TimelineEntry,
    client: SafeClient,
    cancel: threading.Event | None,
) -> Snapshot:
    url = current.source.url
    if entry.archive == WARC:
        snapshots, _ = _warc_snapshots(project, url)
        found = next((s for s in snapshots if s.archive_url == entry.archive_url), None)
        if found is None:
            raise NotFoundError(f"The web archive file holding {entry.archive_url} is gone.")
        return replace(found, original_url=url, fetched_at=utc_now_iso())
    row = next(
        r
        for r in project.capture_listing(current.source.id)
        if r.timestamp == entry.timestamp and r.archive == entry.archive
    )
    capture = Capture(
        timestamp=row.timestamp,
        original=row.original_url or url,
        status=row.http_status,
        mimetype=row.mimetype,
        digest=row.digest,
        archive=row.archive,
        uri_m=None if row.archive == WAYBACK else row.archive_url,
    )
    if capture.archive == WAYBACK:
        memento = fetch_memento(client, capture, cancel=cancel)
    else:
        memento = fetch_uri_m(client, capture, cancel=cancel)
    return _snapshot(memento, url, current.published, client.settings)


def _snapshot(
    memento: Memento, url: str, published: str | None, settings: ArchiveSettings
) -> Snapshot:
    """A fetched capture as a snapshot, flagged the way the fetch chain flags its copies."""
    content_type = accepted_type(memento.content_type, memento.body, url)
    flags: list[str] = []
    notes: list[str] = []
    moment = parse_published(memento.memento_datetime) or memento.capture.moment
    article = parse_published(published)
    if article is not None:
        gap = (moment - article).total_seconds()
        notes.append(describe_gap(gap))
        if gap > settings.grace_hours * 3600:
            flags.append("after-publication")
    if memento.archived_redirect:
        flags.append("redirected")
        notes.append("the page redirected when it was captured")
    if memento.status >= 400:
        flags.append("archived-error")
        notes.append(f"the page already answered HTTP {memento.status} when captured")
    if memento.capture.archive == WAYBACK:
        landed = memento.original or memento.capture.original
        if not same_resource(landed, url):
            notes.append(f"the capture is of {landed}")
        archive_url = playback_url(settings.wayback_url, timestamp14(moment), landed, "")
    else:
        archive_url = memento.uri_m
    return Snapshot(
        original_url=url,
        archive=memento.capture.archive,
        archive_url=archive_url,
        captured_at=memento.memento_datetime,
        http_status=memento.status,
        content_type=content_type,
        body=memento.body,
        encoding=memento.charset,
        flags=tuple(flags),
        note="; ".join(notes),
    )


def fetch_live(
    project: Project,
    source_id: int,
    *,
    settings: ArchiveSettings | None = None,
    client: SafeClient | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """Store the live page of the source now, to compare with its captures."""
    url = project.source(source_id).url
    owned = client is None
    client = client or SafeClient(settings or archive_settings())
    try:
        snapshot = live_snapshot(client, url, cancel=cancel)
    finally:
        if owned:
            client.close()
    return store_snapshot(project, source_id, snapshot)
