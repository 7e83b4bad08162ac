"""The Internet Archive's Wayback Machine: the CDX index, the availability hint, raw playback
(`id_`) with the Memento rules, and Save Page Now for one user-chosen URL.

Rule for playback: a response without `Memento-Datetime` is the Wayback Machine talking about
itself ("Hrm...", "excluded", a hop to another capture), never an archived page, whatever its status.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit

from requests.structures import CaseInsensitiveDict

from workbench.core.net.errors import FailureKind, FetchFailure
from workbench.core.net.http import REDIRECT_STATUSES, HttpResult, SafeClient
from workbench.core.sources.archive.linkformat import original_from_link
from workbench.core.sources.archive.select import Capture, iso, parse_timestamp, timestamp14

CDX_FIELDS = "timestamp,original,statuscode,mimetype,digest,length"
CDX_MAX_PAGES = 10
PLAYBACK_PATH = re.compile(r"^/web/(?P<ts>\d{1,14})(?P<mode>[a-z]{2}_)?/(?P<url>.+)$")
WATCH_JOB = re.compile(r"""spn\.watchJob\(\s*["'](?P<job>spn2-[0-9a-fA-F]+)["']""")
# SPN2 status_ext values after which the same request may succeed later (IABot's list).
SAVE_RETRYABLE = frozenset(
    {
        "error:user-session-limit",
        "error:soft-time-limit-exceeded",
        "error:proxy-error",
        "error:browsing-timeout",
        "error:no-browsers-available",
        "error:redis-error",
        "error:capture-location-error",
        "error:celery",
    }
)


@dataclass(frozen=True)
class Memento:
    """An archived copy as the archive replayed it, with the archived status and headers."""

    capture: Capture  # what was asked for
    uri_m: str  # the URL that answered with the memento
    memento_datetime: str  # UTC ISO 8601, from the Memento-Datetime header
    status: int  # the archived HTTP status (an archived 404 is content, not an error)
    content_type: str | None
    charset: str | None
    body: bytes = field(repr=False)
    headers: CaseInsensitiveDict[str] = field(repr=False)
    hops: tuple[str, ...] = ()
    archived_redirect: bool = False  # the original site redirected at crawl time
    original: str | None = None  # Link rel="original", when given


@dataclass(frozen=True)
class SaveJob:
    job_id: str
    url: str


@dataclass(frozen=True)
class SaveStatus:
    job_id: str
    status: str  # "pending" | "success" | "error"
    timestamp: str | None = None
    archive_url: str | None = None
    message: str = ""
    status_ext: str | None = None
    retryable: bool = False


# ---- CDX ---------------------------------------------------------------------------------


class _CdxCache:
    """Index answers that found captures, per (index, url, window), for settings.cdx_cache_s.

    Empty answers are never kept: a page archived a minute ago (Save Page Now) must be found
    on the next try. Shared by all threads: the CDX limit is per IP, not per worker."""

    MAX_ENTRIES = 5_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, ...], tuple[float, tuple[Capture, ...]]] = {}

    def get(self, key: tuple[str, ...], ttl: float) -> list[Capture] | None:
        with self._lock:
            hit = self._entries.get(key)
            if hit is None or time.monotonic() - hit[0] > ttl:
                return None
            return list(hit[1])

    def put(self, key: tuple[str, ...], captures: list[Capture]) -> None:
        if not captures:
            return
        with self._lock:
            if len(self._entries) >= self.MAX_ENTRIES:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = (time.monotonic(), tuple(captures))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


CDX_CACHE = _CdxCache()


def cdx_captures(
    client: SafeClient,
    url: str,
    start: datetime | None,
    end: datetime | None,
    *,
    limit: int | None = None,
    cancel: threading.Event | None = None,
) -> list[Capture]:
    """Captures of `url` between start and end, one per day, oldest first."""
    settings = client.settings
    limit = max(1, min(limit or settings.cdx_limit, 1000))
    params = {
        "url": url,
        "output": "json",
        "fl": CDX_FIELDS,
        "collapse": "timestamp:8",  # one row per day: the window is never cut short by the limit
        "limit": str(limit),
        "showResumeKey": "true",
    }
    if start is not None:
        params["from"] = timestamp14(start)
    if end is not None:
        params["to"] = timestamp14(end)
    key = (
        settings.wayback_url,
        url,
        params.get("from", ""),
        params.get("to", ""),
        str(limit),
    )
    if settings.cdx_cache_s > 0:
        cached = CDX_CACHE.get(key, settings.cdx_cache_s)
        if cached is not None:
            return cached
    captures = _query_cdx(client, url, params, limit, cancel)
    if settings.cdx_cache_s > 0:
        CDX_CACHE.put(key, captures)
    return captures


def _query_cdx(
    client: SafeClient,
    url: str,
    params: dict[str, str],
    limit: int,
    cancel: threading.Event | None,
) -> list[Capture]:
    settings = client.settings
    captures: list[Capture] = []
    previous: list[Any] | None = None
    resume: str | None = None
    for _ in range(CDX_MAX_PAGES):
        query = dict(params, resumeKey=resume) if resume else params
        result = client.get(
            f"{settings.wayback_url}/cdx/search/cdx?{urlencode(query)}",
            purpose="cdx",
            cancel=cancel,
        )
        _raise_for_cdx(result, url)
        rows, resume = _cdx_rows(result, url)
        for row in rows:
            if row == previous:  # the server repeats lines across resume pages
                continue
            previous = row
            capture = _capture_from_row(row)
            if capture is not None:
                captures.append(capture)
        if not resume or len(captures) >= limit:
            break
    return captures[:limit]


def _raise_for_cdx(result: HttpResult, url: str) -> None:
    if result.status == 200:
        return
    runtime_error = result.headers.get("X-Archive-Wayback-Runtime-Error", "")
    blocked = "AccessControlException" in runtime_error or b"AccessControlException" in result.body
    if result.status == 403 or blocked:
        raise FetchFailure(
            FailureKind.BLOCKED_BY_ARCHIVE,
            f"The Wayback Machine does not show copies of {url} (the site is excluded).",
            retryable=False,
            http_status=result.status,
            url=url,
        )
    kind = FailureKind.SERVER_ERROR if result.status >= 500 else FailureKind.HTTP_ERROR
    raise FetchFailure(
        kind,
        f"The Wayback Machine index answered HTTP {result.status} for {url}.",
        retryable=result.status >= 500,
        http_status=result.status,
        url=url,
    )


def _cdx_rows(result: HttpResult, url: str) -> tuple[list[list[Any]], str | None]:
    """Data rows (header row dropped) and the resume key, from a JSON CDX answer."""
    if not result.body.strip():
        return [], None
    try:
        table = json.loads(result.body)
    except ValueError as exc:
        raise _not_json("The Wayback Machine index", url) from exc
    if not isinstance(table, list):
        raise _not_json("The Wayback Machine index", url)
    resume = None
    if len(table) >= 2 and table[-2] == [] and isinstance(table[-1], list) and table[-1]:
        resume, table = str(table[-1][0]), table[:-2]
    rows = [row for row in table[1:] if isinstance(row, list) and row]
    header = table[0] if table else []
    if header and header != CDX_FIELDS.split(","):
        rows = [_reorder(row, header) for row in rows]
    return rows, resume


def _reorder(row: list[Any], header: list[Any]) -> list[Any]:
    named = dict(zip(header, row, strict=False))
    return [named.get(name, "") for name in CDX_FIELDS.split(",")]


def _capture_from_row(row: list[Any]) -> Capture | None:
    try:
        timestamp, original, status, mimetype, digest, length = (str(v) for v in row[:6])
        parse_timestamp(timestamp)
    except ValueError:
        return None  # a malformed row is skipped, not fatal
    return Capture(
        timestamp=timestamp,
        original=original,
        status=int(status) if status.isdigit() else None,  # "-" on revisit rows
        mimetype=mimetype.lower(),
        digest=digest,
        length=int(length) if length.isdigit() else None,
    )


def _not_json(what: str, url: str) -> FetchFailure:
    return FetchFailure(
        FailureKind.DECODE_ERROR,
        f"{what} gave an answer Workbench could not read for {url}; try again later.",
        retryable=True,
        url=url,
    )


# ---- availability (a hint only) ----------------------------------------------------------


def availability(
    client: SafeClient,
    url: str,
    at: datetime | None,
    *,
    cancel: threading.Event | None = None,
) -> Capture | None:
    """The capture the availability API calls closest to `at`; None when it knows none.

    It is flaky (sporadic empty answers for archived URLs), so an empty answer proves nothing.
    """
    # It answers {} for "https://host/path" where "host/path" works (internetarchive/wayback#296).
    query = {"url": re.sub(r"^https?://", "", url)}
    if at is not None:
        query["timestamp"] = timestamp14(at)
    result = client.get(
        f"{client.settings.availability_url}/wayback/available?{urlencode(query)}",
        purpose="availability",
        cancel=cancel,
        require_ok=True,
    )
    try:
        closest = json.loads(result.body).get("archived_snapshots", {}).get("closest")
    except (ValueError, AttributeError) as exc:
        raise _not_json("The Wayback availability service", url) from exc
    if not isinstance(closest, dict) or not closest.get("available"):
        return None
    timestamp = str(closest.get("timestamp", ""))
    status = str(closest.get("status", ""))
    match = PLAYBACK_PATH.match(urlsplit(str(closest.get("url", ""))).path)
    if not timestamp.isdigit():
        return None
    return Capture(
        timestamp=timestamp,
        original=match.group("url") if match else url,
        status=int(status) if status.isdigit() else None,
    )


# ---- playback ----------------------------------------------------------------------------


def playback_url(wayback_url: str, timestamp: str, original: str, mode: str = "id_") -> str:
    return f"{wayback_url}/web/{timestamp}{mode}/{original}"


def fetch_memento(
    client: SafeClient, capture: Capture, *, cancel: threading.Event | None = None
) -> Memento:
    """The raw archived bytes of `capture` (id_ mode), following archived redirects.

    The Wayback Machine's own hop to another timestamp is accepted only within the configured
    window (24 h): months away, it is a different version of the page, not the one asked for.
    """
    settings = client.settings
    window = timedelta(hours=settings.nearest_capture_window_hours)
    url = playback_url(settings.wayback_url, capture.timestamp, capture.original)
    seen = {url}
    hops: list[str] = []
    archived_redirect = False
    while True:
        result = client.get(url, purpose="memento", cancel=cancel, follow_redirects=False)
        has_datetime = bool(result.headers.get("Memento-Datetime"))
        location = result.headers.get("Location")
        if result.status in REDIRECT_STATUSES and location:
            target = _playback_target(settings.wayback_url, url, location, capture)
            if target in seen:
                raise FetchFailure(
                    FailureKind.REDIRECT_LOOP,
                    f"The archived copies of {capture.original} redirect in a circle.",
                    url=capture.original,
                )
            if len(hops) >= settings.max_redirects:
                raise FetchFailure(
                    FailureKind.REDIRECT_LOOP,
                    f"The archived copy of {capture.original} redirected more than "
                    f"{settings.max_redirects} times.",
                    url=capture.original,
                )
            if has_datetime:
                archived_redirect = True  # the site itself redirected at crawl time
            else:
                _check_hop_window(target, capture, window)
            seen.add(target)
            hops.append(url)
            url = target
            continue
        if not has_datetime:
            raise _not_a_memento(result, capture)
        return Memento(
            capture=capture,
            uri_m=url,
            memento_datetime=memento_datetime_of(result, capture),
            status=result.status,
            content_type=result.content_type,
            charset=result.charset,
            body=result.body,
            headers=result.headers,
            hops=tuple(hops),
            archived_redirect=archived_redirect,
            original=original_from_link(result.headers.get("Link", "")),
        )


def _playback_target(wayback_url: str, current: str, location: str, capture: Capture) -> str:
    """The next playback URL, forced to id_ mode; refused when it leaves the archive's /web/."""
    target = urljoin(current, location.strip())
    parts, base = urlsplit(target), urlsplit(wayback_url)
    match = PLAYBACK_PATH.match(parts.path)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or match is None:
        raise FetchFailure(
            FailureKind.REDIRECT_BLOCKED,
            f"The archived copy of {capture.original} redirected outside the archive, "
            "which Workbench does not follow.",
            retryable=False,
            url=capture.original,
        )
    rest = match.group("url") + (f"?{parts.query}" if parts.query else "")
    return playback_url(wayback_url, match.group("ts"), rest)


def _check_hop_window(target: str, capture: Capture, window: timedelta) -> None:
    match = PLAYBACK_PATH.match(urlsplit(target).path)
    assert match is not None  # checked by _playback_target
    moved = abs(parse_timestamp(match.group("ts")) - capture.moment)
    if moved > window:
        raise FetchFailure(
            FailureKind.NO_CAPTURE,
            f"The Wayback Machine has no copy of {capture.original} from {capture.captured_at}; "
            f"its nearest is {iso(parse_timestamp(match.group('ts')))}.",
            retryable=False,
            url=capture.original,
        )


def _not_a_memento(result: HttpResult, capture: Capture) -> FetchFailure:
    text = result.body[:4096].decode("utf-8", "replace")
    if result.status == 404 or "has not archived that URL" in text:
        return FetchFailure(
            FailureKind.NO_CAPTURE,
            f"The Wayback Machine has no playable copy of {capture.original}.",
            retryable=False,
            http_status=result.status,
            url=capture.original,
        )
    if result.status == 403:
        return FetchFailure(
            FailureKind.BLOCKED_BY_ARCHIVE,
            f"The Wayback Machine refuses to show copies of {capture.original}.",
            retryable=False,
            http_status=403,
            url=capture.original,
        )
    if result.status >= 500:
        return FetchFailure(
            FailureKind.SERVER_ERROR,
            f"The Wayback Machine failed with HTTP {result.status} replaying "
            f"{capture.original}; try again later.",
            http_status=result.status,
            url=capture.original,
        )
    why = " (the URL is excluded from the archive)" if "excluded" in text else ""
    return FetchFailure(
        FailureKind.NOT_A_MEMENTO,
        f"The Wayback Machine answered with a page of its own{why}, "
        f"not an archived copy of {capture.original}.",
        retryable=False,
        http_status=result.status,
        url=capture.original,
    )


def memento_datetime_of(result: HttpResult, capture: Capture) -> str:
    try:
        return iso(parsedate_to_datetime(result.headers["Memento-Datetime"]))
    except (TypeError, ValueError, KeyError):
        return capture.captured_at


# ---- Save Page Now (one URL, started by the user) ------------------------------------------


def save_page_now(
    client: SafeClient, url: str, *, cancel: threading.Event | None = None
) -> SaveJob:
    """Ask the Wayback Machine to capture `url` now; poll the job with poll_save()."""
    result = client.get(f"{client.settings.wayback_url}/save/{url}", purpose="save", cancel=cancel)
    text = result.body[:200_000].decode("utf-8", "replace")
    match = WATCH_JOB.search(text)
    if result.ok and match:
        return SaveJob(job_id=match.group("job"), url=url)
    raise FetchFailure(
        FailureKind.HTTP_ERROR,
        f"Save Page Now did not start a capture of {url}: {_spn_message(text, result.status)}",
        retryable=result.status in (429, 502, 503, 504, 509, 520) or "try again" in text.lower(),
        http_status=result.status,
        url=url,
    )


def _spn_message(text: str, status: int) -> str:
    for pattern in (
        r"already captured \d+ times today",
        r"same snapshot had been made [^.<]+",
        r"limit of active sessions[^.<]*",
    ):
        found = re.search(pattern, text, re.I)
        if found:
            return found.group(0).strip() + "."
    return f"it answered HTTP {status}."


def poll_save(
    client: SafeClient, job: SaveJob, *, cancel: threading.Event | None = None
) -> SaveStatus:
    """One look at a Save Page Now job."""
    result = client.get(
        f"{client.settings.wayback_url}/save/status/{quote(job.job_id)}",
        purpose="save",
        cancel=cancel,
        require_ok=True,
        headers={"Accept": "application/json"},
    )
    try:
        answer = json.loads(result.body)
    except ValueError as exc:
        raise _not_json("Save Page Now", job.url) from exc
    status = str(answer.get("status", "error"))
    timestamp = answer.get("timestamp")
    status_ext = answer.get("status_ext")
    archive_url = None
    if status == "success" and timestamp:
        original = answer.get("original_url") or job.url
        archive_url = playback_url(client.settings.wayback_url, str(timestamp), original, "")
    return SaveStatus(
        job_id=job.job_id,
        status=status,
        timestamp=str(timestamp) if timestamp else None,
        archive_url=archive_url,
        message=str(answer.get("message", "")),
        status_ext=str(status_ext) if status_ext else None,
        retryable=status_ext in SAVE_RETRYABLE,
    )


def wait_for_save(
    client: SafeClient,
    job: SaveJob,
    *,
    cancel: threading.Event | None = None,
    max_polls: int = 60,
) -> SaveStatus:
    """Poll until the job is no longer pending (or max_polls), waiting between polls."""
    cancel = cancel or threading.Event()
    status = poll_save(client, job, cancel=cancel)
    for _ in range(max_polls - 1):
        if status.status != "pending":
            break
        if cancel.wait(client.settings.save_poll_interval_s):
            raise FetchFailure(FailureKind.CANCELLED, "The fetch was cancelled.", retryable=False)
        status = poll_save(client, job, cancel=cancel)
    return status


@dataclass(frozen=True)
class CdxHistory:
    """A source's listing from the index: the distinct captures, oldest first, and whether the
    listing stopped at the bound before the index ran out."""

    captures: list[Capture]
    complete: bool
    pages: int  # index requests made


def cdx_history(
    client: SafeClient,
    url: str,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    most: int | None = None,
    cancel: threading.Event | None = None,
) -> CdxHistory:
    """Every distinct capture of `url` (between start and end when given), oldest first: the
    timeline of issue 14.

    `collapse=digest` makes the index fold runs of identical captures into their first row, so
    a page crawled daily for a year without changing is one row. The answer is read in pages of
    `cdx_history_page_rows` rows, each continued with its resume key (small pages keep each
    request cheap for the index; research/archives.md), and every page is one request against
    the CDX rate pool, so a long history costs time, not a ban. The listing stops after `most`
    captures (settings.cdx_history_max); `complete` says whether it did. Not cached: the user
    asked for a fresh listing.
    """
    settings = client.settings
    most = max(1, most or settings.cdx_history_max)
    page_rows = max(1, min(settings.cdx_history_page_rows, most))
    params = {
        "url": url,
        "output": "json",
        "fl": CDX_FIELDS,
        "collapse": "digest",
        "limit": str(page_rows),
        "showResumeKey": "true",
    }
    if start is not None:
        params["from"] = timestamp14(start)
    if end is not None:
        params["to"] = timestamp14(end)
    captures: list[Capture] = []
    previous: list[Any] | None = None
    resume: str | None = None
    pages = 0
    while True:
        query = dict(params, resumeKey=resume) if resume else params
        result = client.get(
            f"{settings.wayback_url}/cdx/search/cdx?{urlencode(query)}",
            purpose="cdx",
            cancel=cancel,
        )
        pages += 1
        _raise_for_cdx(result, url)
        rows, resume = _cdx_rows(result, url)
        for row in rows:
            if row == previous:  # the server repeats lines across resume pages
                continue
            previous = row
            capture = _capture_from_row(row)
            if capture is not None:
                captures.append(capture)
        if not resume:
            return CdxHistory(captures[:most], len(captures) <= most, pages)
        if len(captures) >= most:
            return CdxHistory(captures[:most], False, pages)
