"""Read-only values handed out by a Project: what the views and reports show."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.core.article.model import Link
from workbench.core.claims.model import Quote

STATUSES = ("unchecked", "in_progress", "checked", "approved", "returned")
STATUS_LABELS = {
    "unchecked": "Unchecked",
    "in_progress": "In progress",
    "checked": "Checked",
    "approved": "Approved",
    "returned": "Returned",
}
# "previously checked": an earlier fact check of the same claim, attached from the library.
RELATIONS = ("cited", "supports", "refutes", "context", "previously checked")


@dataclass(frozen=True)
class StoredArticle:
    id: int
    title: str
    byline: str
    published: str | None
    url: str | None
    text: str
    links: tuple[Link, ...]
    source_kind: str
    encoding: str | None
    raw_sha256: str
    loaded_at: str


@dataclass(frozen=True)
class ClaimRecord:
    id: int
    start: int
    end: int
    text: str  # the wording as checked; equals the span text unless edited
    kind: str
    score: float
    reasons: tuple[str, ...]
    quotes: tuple[Quote, ...]
    status: str
    status_note: str
    origin: str  # "auto", "user", "split", "merge"
    rating: str | None  # current verdict (newest verdict row), None when unrated
    rationale: str
    rated_by: str | None
    rated_at: str | None
    source_count: int
    created_at: str
    updated_at: str
    deleted: bool = False
    # how the claim fared when the article was last revised (schema.CLAIM_ANCHOR_COLUMNS)
    anchor_state: str | None = None
    assigned_to: str | None = None  # the checker's login, None when unassigned


@dataclass(frozen=True)
class SourceRecord:
    id: int
    url: str
    title: str
    publisher: str
    published: str | None
    notes: str
    evaluation: dict[str, Any] | None
    fetch_error: str | None
    fetch_error_kind: str | None
    fetch_attempted_at: str | None
    created_at: str


@dataclass(frozen=True)
class ClaimSource:
    claim_id: int
    source: SourceRecord
    relation: str
    note: str
    created_at: str


@dataclass(frozen=True)
class VerdictRecord:
    id: int
    claim_id: int
    rating: str | None
    rationale: str
    reviewer: str
    created_at: str
    note: str = ""


@dataclass(frozen=True)
class EventRecord:
    id: int
    claim_id: int | None
    source_id: int | None
    at: str
    actor: str
    action: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SnapshotRecord:
    """A stored snapshot without its body (bodies are read on demand, never all at once)."""

    id: int
    source_id: int
    original_url: str
    archive: str
    archive_url: str | None
    captured_at: str | None
    fetched_at: str
    http_status: int | None
    content_type: str | None
    sha256: str
    size: int
    encoding: str | None
    title: str
    author: str
    published: str | None
    flags: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class ArticleVersion:
    """One text the article has had (without the text itself: read it with
    Project.article_version_text)."""

    id: int
    version: int
    title: str
    byline: str
    published: str | None
    url: str | None
    raw_sha256: str
    source_kind: str
    encoding: str | None
    loaded_at: str
    origin: str  # "loaded", "live" or "archive"
    archive_url: str | None
    captured_at: str | None
    chars: int


@dataclass(frozen=True)
class ClaimAnchor:
    """Where a claim stands in a revised text: the outcome of re-anchoring it."""

    claim_id: int
    state: str  # "exact" | "moved" | "changed" | "gone"
    start: int
    end: int
    quotes: tuple[Quote, ...]
    detail: dict[str, Any]


@dataclass(frozen=True)
class CaptureRecord:
    """A capture an archive listed for a source (a listing row, not stored content)."""

    id: int
    source_id: int
    archive: str
    original_url: str
    archive_url: str
    timestamp: str
    captured_at: str | None
    digest: str
    http_status: int | None
    mimetype: str
    length: int | None
    duplicates: int
    listed_at: str


def claim_json(claim: ClaimRecord, text: str) -> dict[str, Any]:
    """The stable JSON shape of a claim, shared by `claims --json` and the JSON report."""
    return {
        "id": claim.id,
        "start": claim.start,
        "end": claim.end,
        "text": claim.text,
        "span_text": text[claim.start : claim.end],
        "kind": claim.kind,
        "score": round(claim.score, 4),
        "reasons": list(claim.reasons),
        "quotes": [
            {"start": q.start, "end": q.end, "text": text[q.start : q.end], "speaker": q.speaker}
            for q in claim.quotes
        ],
        "status": claim.status,
        "status_note": claim.status_note,
        "verdict": claim.rating,
        "rationale": claim.rationale,
        "rated_by": claim.rated_by,
        "rated_at": claim.rated_at,
        "sources": claim.source_count,
        "origin": claim.origin,
        "anchor": claim.anchor_state,
        "assigned_to": claim.assigned_to,
    }
