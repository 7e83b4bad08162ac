"""Find the archived copy of a cited page that best matches an article's date, and fetch it.

The chain, stopping at the first usable copy: the Wayback CDX index (the primary source) ->
the availability API (a hint, only when the index had nothing) -> the Memento aggregator (other
archives; failure there means "unknown") -> the live page, labelled as not archived.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from workbench.core.clock import utc_now_iso
from workbench.core.net.errors import FailureKind, FetchFailure
from workbench.core.net.http import SafeClient
from workbench.core.net.settings import ArchiveSettings
from workbench.core.sources.archive.memento import fetch_uri_m, timetravel_closest
from workbench.core.sources.archive.select import (
    ACCEPTED_TYPES,
    Capture,
    Ranked,
    describe_gap,
    parse_published,
    rank_captures,
)
from workbench.core.sources.archive.wayback import (
    Memento,
    availability,
    cdx_captures,
    fetch_memento,
    playback_url,
)
from workbench.core.sources.snapshot import Snapshot

Progress = Callable[[str], None]
Outcome = Snapshot | FetchFailure
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid", "igshid"})
LIVE_NOTE = "Live copy, not archived"

# Which failure explains best why no copy was found, most useful first.
FAILURE_PRIORITY = (
    FailureKind.RATE_LIMITED,
    FailureKind.UNSUPPORTED_TYPE,
    FailureKind.BLOCKED_BY_ARCHIVE,
    FailureKind.TOO_LARGE,
    FailureKind.BOMB,
    FailureKind.TIMEOUT,
    FailureKind.SERVER_ERROR,
    FailureKind.NETWORK,
    FailureKind.REDIRECT_BLOCKED,
    FailureKind.REDIRECT_LOOP,
    FailureKind.DECODE_ERROR,
    FailureKind.HTTP_ERROR,
    FailureKind.NOT_A_MEMENTO,
    FailureKind.NO_CAPTURE,
)


# Failures that say something about the page itself, worth reporting over "no copy".
CONTENT_KINDS = frozenset(
    {
        FailureKind.UNSUPPORTED_TYPE,
        FailureKind.TOO_LARGE,
        FailureKind.BOMB,
        FailureKind.RATE_LIMITED,
    }
)


def normalise_url(url: str) -> str:
    """The URL to look up: no fragment, no utm_* or click-id tracking parameters."""
    parts = urlsplit(url.strip())
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def effective_type(content_type: str | None, body: bytes) -> str | None:
    """The declared media type, or a sniffed one when the archive lost the header."""
    if content_type:
        return content_type
    head = body[:512].lstrip()
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"<"):
        return "text/html"
    return None


def accepted_type(declared: str | None, body: bytes, url: str) -> str:
    """The copy's media type when Workbench keeps such copies (web pages, text, PDF)."""
    content_type = effective_type(declared, body)
    if content_type not in ACCEPTED_TYPES:
        raise FetchFailure(
            FailureKind.UNSUPPORTED_TYPE,
            f"The copy of {url} is {content_type or 'of an unknown type'}, not a web page, text "
            "or PDF, so Workbench did not keep it.",
            retryable=False,
            url=url,
        )
    return content_type


def live_snapshot(
    client: SafeClient,
    url: str,
    *,
    lookup: str | None = None,
    cancel: threading.Event | None = None,
) -> Snapshot:
    """The page as it is now, labelled live so it is never taken for an archived copy.
    `lookup` is the address to ask when it differs from the cited one (a normalised URL)."""
    result = client.get(lookup or url, purpose="live", cancel=cancel, require_ok=True)
    return Snapshot(
        original_url=url,
        archive="live",
        archive_url=None,
        captured_at=utc_now_iso(),
        http_status=result.status,
        content_type=accepted_type(result.content_type, result.body, url),
        body=result.body,
        encoding=result.charset,
        flags=("live",),
        note=LIVE_NOTE,
        landed_url=result.final_url,
    )


def find_snapshot(
    url: str,
    published_at: str | None,
    *,
    client: SafeClient | None = None,
    settings: ArchiveSettings | None = None,
    cancel: threading.Event | None = None,
    progress: Progress | None = None,
) -> Snapshot:
    """The best copy of `url` for an article published at `published_at`, or FetchFailure."""
    owned = client is None
    client = client or SafeClient(settings)
    try:
        return _Finder(url, published_at, client, cancel, progress).run()
    finally:
        if owned:
            client.close()


def fetch_many(
    sources: Iterable[tuple[str, str | None]],
    *,
    client: SafeClient | None = None,
    settings: ArchiveSettings | None = None,
    workers: int = 8,
    cancel: threading.Event | None = None,
    on_result: Callable[[str, Outcome], None] | None = None,
) -> dict[str, Outcome]:
    """find_snapshot for many (url, published_at) pairs at once, politely.

    One client is shared so per-host limits and 429 pauses hold across all workers.
    `on_result(url, outcome)` is called in the calling thread as each source finishes.
    """
    owned = client is None
    client = client or SafeClient(settings)
    cancel = cancel or threading.Event()

    def one(url: str, published: str | None) -> tuple[str, Outcome]:
        try:
            return url, find_snapshot(url, published, client=client, cancel=cancel)
        except FetchFailure as failure:
            return url, failure

    results: dict[str, Outcome] = {}
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures = [pool.submit(one, url, published) for url, published in sources]
            for future in as_completed(futures):
                url, outcome = future.result()
                results[url] = outcome
                if on_result is not None:
                    on_result(url, outcome)
    finally:
        if owned:
            client.close()
    return results


class _Finder:
    """One source's walk down the chain, remembering why each step failed."""

    def __init__(
        self,
        url: str,
        published_at: str | None,
        client: SafeClient,
        cancel: threading.Event | None,
        progress: Progress | None,
    ) -> None:
        self.url = url
        self.lookup = normalise_url(url)
        self.published = parse_published(published_at)
        self.client = client
        self.settings = client.settings
        self.cancel = cancel or threading.Event()
        self.progress = progress or (lambda message: None)
        self.failures: list[FetchFailure] = []
        self.unknown: list[FetchFailure] = []  # the aggregator's failures: "unknown", not "none"
        self.live_failure: FetchFailure | None = None
        self.fetches = 0
        self.cdx_found = False
        self.blocked = False

    def run(self) -> Snapshot:
        for step in (self._from_cdx, self._from_availability, self._from_aggregator):
            self._check_cancel()
            snapshot = self._guard(step, self.failures)
            if snapshot is not None:
                return snapshot
        self._check_cancel()
        try:
            return self._live()
        except FetchFailure as failure:
            if failure.kind is FailureKind.CANCELLED:
                raise
            self.live_failure = failure
        raise self._final_failure()

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            raise FetchFailure(FailureKind.CANCELLED, "The fetch was cancelled.", retryable=False)

    def _guard(
        self, step: Callable[[], Snapshot | None], sink: list[FetchFailure]
    ) -> Snapshot | None:
        try:
            return step()
        except FetchFailure as failure:
            if failure.kind is FailureKind.CANCELLED:
                raise
            sink.append(failure)
            return None

    # ---- the chain ------------------------------------------------------------------------

    def _from_cdx(self) -> Snapshot | None:
        self.progress(f"Looking up {self.lookup} in the Wayback Machine index")
        window = timedelta(days=self.settings.cdx_window_days)
        centre = self.published or datetime.now(UTC)
        try:
            captures = self._cdx(centre - window, centre + window)
            if not captures:  # widen once before giving up on the index
                captures = self._cdx(centre - 5 * window, centre + 5 * window)
        except FetchFailure as failure:
            self.blocked = failure.kind is FailureKind.BLOCKED_BY_ARCHIVE
            raise
        self.cdx_found = bool(captures)
        ranked = rank_captures(captures, self.published, grace_hours=self.settings.grace_hours)
        return self._try(ranked, fetch_memento)

    def _cdx(self, start: datetime, end: datetime) -> list[Capture]:
        return cdx_captures(self.client, self.lookup, start, end, cancel=self.cancel)

    def _from_availability(self) -> Snapshot | None:
        if self.cdx_found or self.blocked:
            return None  # the index is better than this hint; a blocked site stays blocked
        self.progress("Asking the Wayback availability service")
        capture = availability(self.client, self.lookup, self.published, cancel=self.cancel)
        if capture is None:
            return None
        ranked = rank_captures([capture], self.published, grace_hours=self.settings.grace_hours)
        return self._try(ranked, fetch_memento)

    def _from_aggregator(self) -> Snapshot | None:
        self.progress("Asking the Memento aggregator about other archives")
        try:
            captures = timetravel_closest(
                self.client, self.lookup, self.published, cancel=self.cancel
            )
        except FetchFailure as failure:
            if failure.kind is FailureKind.CANCELLED:
                raise
            self.unknown.append(failure)  # the chain continues; other archives are "unknown"
            return None
        wayback_prefix = f"{self.settings.wayback_url}/web/"
        others = [c for c in captures if not (c.uri_m or "").startswith(wayback_prefix)]
        ranked = rank_captures(others, self.published, grace_hours=self.settings.grace_hours)
        return self._try(ranked, fetch_uri_m)

    def _try(self, ranked: list[Ranked], fetch: Callable[..., Memento]) -> Snapshot | None:
        for candidate in ranked:
            if self.fetches >= self.settings.max_candidates:
                break
            self.fetches += 1
            capture = candidate.capture
            self.progress(f"Fetching the copy from {capture.captured_at} ({capture.archive})")
            try:
                return self._snapshot(fetch(self.client, capture, cancel=self.cancel))
            except FetchFailure as failure:
                if failure.kind is FailureKind.CANCELLED:
                    raise
                self.failures.append(failure)
                if failure.kind is FailureKind.RATE_LIMITED:
                    break  # the whole host is paused; its other copies must wait too
        return None

    def _live(self) -> Snapshot:
        self.progress(f"No archived copy found; fetching the live page {self.lookup}")
        return live_snapshot(self.client, self.url, lookup=self.lookup, cancel=self.cancel)

    # ---- results --------------------------------------------------------------------------

    def _snapshot(self, memento: Memento) -> Snapshot:
        content_type = accepted_type(memento.content_type, memento.body, self.url)
        capture = memento.capture
        flags: list[str] = []
        notes: list[str] = []
        if self.published is not None:
            moment = parse_published(memento.memento_datetime) or capture.moment
            gap = (moment - self.published).total_seconds()
            notes.append(describe_gap(gap))
            if gap > self.settings.grace_hours * 3600:
                flags.append("after-publication")
        if memento.archived_redirect:
            flags.append("redirected")
            notes.append("the page redirected when it was captured")
        if memento.status >= 400:
            flags.append("archived-error")
            notes.append(f"the page already answered HTTP {memento.status} when captured")
        if capture.archive == "wayback":
            # After an archived redirect the copy is of the page it landed on (its Link
            # rel="original"); linking that lets a reader, and the redirected-home check, see it.
            landed = memento.original or capture.original
            archive_url = playback_url(
                self.settings.wayback_url, _timestamp_of(memento), landed, ""
            )
        else:
            archive_url = memento.uri_m
        note = "; ".join(notes)  # e.g. "captured 3 days after the article"
        return Snapshot(
            original_url=self.url,
            archive=capture.archive,
            archive_url=archive_url,
            captured_at=memento.memento_datetime,
            http_status=memento.status,
            content_type=content_type,
            body=memento.body,
            encoding=memento.charset,
            flags=tuple(flags),
            note=note,
        )

    def _final_failure(self) -> FetchFailure:
        found = [*self.failures, *([self.live_failure] if self.live_failure else [])]
        retryable = any(f.retryable for f in [*found, *self.unknown])
        if not found:  # defensive: run() only gets here after the live step failed
            return FetchFailure(
                FailureKind.NO_CAPTURE, f"No copy of {self.url} could be found.", url=self.url
            )
        # The archives' failures explain the missing copy; the live page's only when none failed.
        pool = self.failures or found
        primary = min(pool, key=lambda f: FAILURE_PRIORITY.index(f.kind))
        kind = primary.kind
        if not self.failures and kind not in CONTENT_KINDS:
            kind = FailureKind.NO_CAPTURE  # no archive had a copy; the live page is unreachable
        if primary is self.live_failure:
            reason = f"No archive has a usable copy of {self.url}, and the live page failed: "
            reason += primary.reason[:1].lower() + primary.reason[1:]
        else:
            reason = f"{primary.reason.rstrip('.')}; the live page could not be used either."
        retry_at = primary.retry_at or next((f.retry_at for f in found if f.retry_at), None)
        return FetchFailure(
            kind,
            reason,
            retryable=retryable,
            http_status=primary.http_status,
            retry_at=retry_at,
            url=self.url,
        )


def _timestamp_of(memento: Memento) -> str:
    moment = parse_published(memento.memento_datetime)
    if moment is None:
        return memento.capture.timestamp
    return moment.strftime("%Y%m%d%H%M%S")
