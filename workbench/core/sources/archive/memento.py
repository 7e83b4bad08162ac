"""Memento (RFC 7089): TimeMaps and the Time Travel aggregator.

The aggregator finds copies in archives other than the Wayback Machine, but it is often slow
or down, so it gets a short deadline and one try, and its failure means "unknown", not "none".
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from workbench.core.net.errors import FailureKind, FetchFailure
from workbench.core.net.http import SafeClient
from workbench.core.sources.archive.linkformat import original_from_link, parse_link_format
from workbench.core.sources.archive.select import Capture, parse_published, timestamp14
from workbench.core.sources.archive.wayback import Memento, memento_datetime_of


def archive_name(uri_m: str) -> str:
    """'memento:arquivo.pt' from a URI-M; the Wayback Machine is plain 'wayback'."""
    host = (urlsplit(uri_m).hostname or "unknown").lower()
    return f"memento:{host}"


def _capture_from_memento(uri_m: str, when: str, original: str) -> Capture | None:
    moment = parse_published(when)
    if moment is None:
        return None
    return Capture(
        timestamp=timestamp14(moment), original=original, archive=archive_name(uri_m), uri_m=uri_m
    )


def timemap(
    client: SafeClient, url: str, *, cancel: threading.Event | None = None
) -> list[Capture]:
    """Captures listed in the Wayback Machine's link-format TimeMap (counts against CDX limits)."""
    result = client.get(
        f"{client.settings.wayback_url}/web/timemap/link/{url}",
        purpose="timemap",
        cancel=cancel,
        require_ok=True,
    )
    captures = []
    for link in parse_link_format(result.body.decode("utf-8", "replace")):
        moment = _http_date(link.param("datetime")) if "memento" in link.rel else None
        if moment is not None:
            captures.append(Capture(timestamp14(moment), url, uri_m=link.uri))
    return sorted(captures, key=lambda c: c.timestamp)


def _http_date(value: str | None) -> datetime | None:
    try:
        return parsedate_to_datetime(value or "")
    except (TypeError, ValueError):
        return None


def timetravel_closest(
    client: SafeClient,
    url: str,
    at: datetime | None,
    *,
    cancel: threading.Event | None = None,
) -> list[Capture]:
    """Mementos the Time Travel aggregator knows near `at`: closest first, then prev/next.

    An empty list means the aggregator knows none; a FetchFailure means "unknown".
    """
    settings = client.settings
    when = timestamp14(at or datetime.now(UTC))
    result = client.get(
        f"{settings.memento_url}/api/json/{when}/{url}",
        purpose="aggregator",
        cancel=cancel,
        deadline_s=settings.memento_timeout_s,
        tries=1,
    )
    if result.status == 404:
        return []
    if not result.ok:
        raise FetchFailure(
            FailureKind.HTTP_ERROR,
            f"The Memento aggregator answered HTTP {result.status}; other archives are unknown.",
            retryable=True,
            http_status=result.status,
            url=url,
        )
    try:
        mementos = json.loads(result.body).get("mementos", {})
    except (ValueError, AttributeError) as exc:
        raise FetchFailure(
            FailureKind.DECODE_ERROR,
            "The Memento aggregator gave an answer Workbench could not read.",
            retryable=True,
            url=url,
        ) from exc
    captures: dict[str, Capture] = {}
    for key in ("closest", "prev", "next"):
        entry = mementos.get(key) if isinstance(mementos, dict) else None
        if not isinstance(entry, dict):
            continue
        uris = entry.get("uri")
        uri = uris[0] if isinstance(uris, list) and uris else uris
        if isinstance(uri, str) and uri not in captures:
            capture = _capture_from_memento(uri, str(entry.get("datetime", "")), url)
            if capture is not None:
                captures[uri] = capture
    return list(captures.values())


def fetch_uri_m(
    client: SafeClient, capture: Capture, *, cancel: threading.Event | None = None
) -> Memento:
    """Fetch a memento from any Memento-compliant archive; it must carry Memento-Datetime."""
    if not capture.uri_m:
        raise ValueError("fetch_uri_m needs a capture with a URI-M")
    result = client.get(capture.uri_m, purpose="memento", cancel=cancel)
    if not result.headers.get("Memento-Datetime"):
        raise FetchFailure(
            FailureKind.NOT_A_MEMENTO,
            f"{archive_name(capture.uri_m).split(':', 1)[1]} did not answer with an archived "
            f"copy of {capture.original} (HTTP {result.status}).",
            retryable=result.status >= 500,
            http_status=result.status,
            url=capture.original,
        )
    return Memento(
        capture=capture,
        uri_m=result.final_url,
        memento_datetime=memento_datetime_of(result, capture),
        status=result.status,
        content_type=result.content_type,
        charset=result.charset,
        body=result.body,
        headers=result.headers,
        hops=result.hops,
        original=original_from_link(result.headers.get("Link", "")),
    )


AGGREGATOR_TIMEMAPS = 5  # a TimeMap index names one TimeMap per archive; follow this many


def aggregator_timemap(
    client: SafeClient, url: str, *, cancel: threading.Event | None = None
) -> list[Capture]:
    """Captures of `url` in every archive the Memento aggregator knows, from its link-format
    TimeMap (an index of per-archive TimeMaps is followed one level). Short deadline, one try:
    a FetchFailure means "other archives unknown", an empty list "none known"."""
    settings = client.settings
    pending = [f"{settings.memento_url}/timemap/link/{url}"]
    seen: set[str] = set()
    captures: dict[str, Capture] = {}
    while pending and len(seen) < AGGREGATOR_TIMEMAPS:
        address = pending.pop(0)
        seen.add(address)
        result = client.get(
            address,
            purpose="aggregator",
            cancel=cancel,
            deadline_s=settings.memento_timeout_s,
            tries=1,
        )
        if result.status == 404:
            continue
        if not result.ok:
            raise FetchFailure(
                FailureKind.HTTP_ERROR,
                f"The Memento aggregator answered HTTP {result.status}; other archives are unknown.",
                retryable=True,
                http_status=result.status,
                url=url,
            )
        for link in parse_link_format(result.body.decode("utf-8", "replace")):
            rels = link.rel
            if "timemap" in rels and link.uri not in seen and link.uri not in pending:
                pending.append(link.uri)
            elif "memento" in rels and link.uri not in captures:
                moment = _http_date(link.param("datetime"))
                if moment is not None:
                    captures[link.uri] = Capture(
                        timestamp14(moment), url, archive=archive_name(link.uri), uri_m=link.uri
                    )
    return sorted(captures.values(), key=lambda c: c.timestamp)
