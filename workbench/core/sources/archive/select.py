"""Which capture of a cited page best shows what the article's author could have read.

The best capture is the newest one at or before the article's publication (plus a grace period,
because article dates often lack a time or zone while archive timestamps are UTC); when none
exists, the oldest one after it, labelled with the gap so the reader knows it may have changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

ACCEPTED_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "application/pdf"})
UNKNOWN_TYPES = frozenset({"", "unk", "unknown", "warc/revisit"})  # decided after fetching


@dataclass(frozen=True)
class Capture:
    """One archived copy known from an index (CDX row, availability answer, TimeMap entry)."""

    timestamp: str  # 14 digits, UTC
    original: str  # the URL as the archive recorded it
    status: int | None = None  # archived HTTP status; None for revisits or when unknown
    mimetype: str = ""
    digest: str = ""
    length: int | None = None
    archive: str = "wayback"  # or "memento:<archive host>"
    uri_m: str | None = None  # where to fetch it, for archives other than the Wayback Machine

    @property
    def moment(self) -> datetime:
        return parse_timestamp(self.timestamp)

    @property
    def captured_at(self) -> str:
        return iso(self.moment)


@dataclass(frozen=True)
class Ranked:
    capture: Capture
    gap_s: float  # capture time minus publication time; 0 when the date is unknown
    after_publication: bool  # later than publication + grace
    label: str  # "captured 3 days after the article"


def parse_timestamp(ts: str) -> datetime:
    """A 1-14 digit archive timestamp as an aware UTC datetime (missing parts are the minimum)."""
    padded = (ts + "00000101000000"[len(ts) :])[:14]
    return datetime.strptime(padded, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def timestamp14(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_published(value: str | None) -> datetime | None:
    """An article date ("2024-03-05", "2024-03-05T10:00:00+01:00", "...Z") as UTC, or None."""
    if not value or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_candidate(capture: Capture) -> bool:
    """2xx pages of readable types, revisits and unknown types; 3xx kept as redirected copies."""
    mimetype = capture.mimetype.lower().split(";")[0].strip()
    if mimetype not in ACCEPTED_TYPES and mimetype not in UNKNOWN_TYPES:
        return False
    return capture.status is None or 200 <= capture.status < 400


def rank_captures(
    captures: list[Capture], published_at: datetime | str | None, *, grace_hours: float = 24.0
) -> list[Ranked]:
    """Best first: newest <= publication + grace, then oldest after; 3xx rows after all others."""
    published = (
        parse_published(published_at) if isinstance(published_at, str | None) else published_at
    )
    unique = {c.timestamp: c for c in captures if is_candidate(c)}.values()
    if published is None:
        ordered = sorted(unique, key=lambda c: c.timestamp, reverse=True)
        ranked = [Ranked(c, 0.0, False, "") for c in ordered]
    else:
        limit = published + timedelta(hours=grace_hours)
        before = sorted((c for c in unique if c.moment <= limit), key=lambda c: c.timestamp)
        after = sorted((c for c in unique if c.moment > limit), key=lambda c: c.timestamp)
        ranked = [_ranked(c, published, False) for c in reversed(before)]
        ranked += [_ranked(c, published, True) for c in after]
    redirected = [r for r in ranked if _is_redirect(r.capture)]
    return [r for r in ranked if not _is_redirect(r.capture)] + redirected


def _is_redirect(capture: Capture) -> bool:
    return capture.status is not None and 300 <= capture.status < 400


def _ranked(capture: Capture, published: datetime, after: bool) -> Ranked:
    gap = (capture.moment - published).total_seconds()
    return Ranked(capture, gap, after, describe_gap(gap))


def describe_gap(seconds: float) -> str:
    """'captured 3 days after the article', 'captured 5 hours before the article'."""
    side = "after" if seconds > 0 else "before"
    span = abs(seconds)
    if span < 3600:
        return "captured within an hour of the article"
    for unit, size in (("year", 365 * 86400), ("month", 30 * 86400), ("day", 86400)):
        if span >= size * (2 if unit == "month" else 1):
            count = round(span / size)
            return f"captured {count} {unit}{'s' if count != 1 else ''} {side} the article"
    hours = round(span / 3600)
    return f"captured {hours} hour{'s' if hours != 1 else ''} {side} the article"


def same_resource(a: str, b: str) -> bool:
    """URLs equal after folding scheme, 'www.', host case, default ports and a trailing slash."""
    return _fold(a) == _fold(b)


def _fold(url: str) -> str:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/") or ""
    return f"{host}{port}{path}" + (f"?{parts.query}" if parts.query else "")
