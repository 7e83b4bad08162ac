"""A fetched copy of a source page, before it is stored in a project.

Both the archive fetcher (Wayback, Memento, live) and the WARC importer produce Snapshot values;
the project stores them with their extracted text. The SHA-256 is of `body` exactly as received
(after transfer decoding), so an editor can later show the evidence was not altered.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from workbench.core.clock import utc_now_iso


@dataclass(frozen=True)
class Snapshot:
    original_url: str
    archive: str  # "wayback", "memento:<archive host>", "warc", "live"
    archive_url: str | None  # where the capture can be seen; None for live copies
    captured_at: str | None  # UTC ISO 8601 of the capture (None when unknown)
    http_status: int | None
    content_type: str | None
    body: bytes = field(repr=False)
    fetched_at: str = field(default_factory=utc_now_iso)
    encoding: str | None = None  # charset the body was decoded with, when known
    flags: tuple[str, ...] = ()  # e.g. "after-publication", "live", "soft-404", "paywall"
    note: str = ""  # a sentence for the reader, e.g. "captured 3 days after the article"
    landed_url: str | None = None  # where a live fetch ended after redirects (not stored)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def size(self) -> int:
        return len(self.body)
