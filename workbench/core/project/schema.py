"""The project file's tables, its version, and the steps that bring older files up to date.

Tables are created through sqlite-utils so the schema stays readable as Python; indexes cover
the queries the views run on every refresh (claims in article order, newest verdict per claim,
sources per claim).
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

APP_ID = "workbench"
SCHEMA_VERSION = 1
# meta key: where the article was loaded from (a path or URL), to find WARC files beside it
ARTICLE_SOURCE_KEY = "article_source"


def create_schema(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["articles"].create(
        {
            "id": int,
            "title": str,
            "byline": str,
            "published": str,
            "url": str,
            "text": str,
            "raw": bytes,
            "raw_sha256": str,
            "source_kind": str,
            "encoding": str,
            "loaded_at": str,
        },
        pk="id",
        not_null=["text"],
    )
    db["links"].create(
        {"id": int, "article_id": int, "start": int, "end": int, "href": str, "text": str},
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["claims"].create(
        {
            "id": int,
            "article_id": int,
            "start": int,
            "end": int,
            "text": str,
            "kind": str,
            "score": float,
            "reasons": str,  # JSON list of strings
            "quotes": str,  # JSON list of {start, end, speaker}
            "status": str,
            "status_note": str,
            "origin": str,
            "deleted": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null=["start", "end", "text", "status"],
        defaults={"status": "unchecked", "status_note": "", "origin": "auto", "deleted": 0},
    )
    db["sources"].create(
        {
            "id": int,
            "url": str,
            "title": str,
            "publisher": str,
            "published": str,
            "notes": str,
            "evaluation": str,  # JSON object, or NULL when not evaluated
            "fetch_error": str,
            "fetch_error_kind": str,
            "fetch_attempted_at": str,
            "created_at": str,
        },
        pk="id",
        not_null=["url"],
        defaults={"title": "", "publisher": "", "notes": ""},
    )
    db["claim_sources"].create(
        {
            "claim_id": int,
            "source_id": int,
            "relation": str,
            "note": str,
            "created_at": str,
        },
        pk=("claim_id", "source_id"),
        foreign_keys=[("claim_id", "claims", "id"), ("source_id", "sources", "id")],
        defaults={"relation": "cited", "note": ""},
    )
    db["verdicts"].create(
        {
            "id": int,
            "claim_id": int,
            "rating": str,
            "rationale": str,
            "reviewer": str,
            "note": str,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("claim_id", "claims", "id")],
        defaults={"rationale": "", "note": ""},
    )
    db["events"].create(
        {
            "id": int,
            "claim_id": int,
            "source_id": int,
            "at": str,
            "actor": str,
            "action": str,
            "detail": str,  # JSON object
        },
        pk="id",
    )
    db["snapshots"].create(
        {
            "id": int,
            "source_id": int,
            "original_url": str,
            "archive": str,
            "archive_url": str,
            "captured_at": str,
            "fetched_at": str,
            "http_status": int,
            "content_type": str,
            "sha256": str,
            "size": int,
            "body": bytes,  # zlib-compressed original bytes
            "encoding": str,
            "text": str,
            "title": str,
            "author": str,
            "published": str,
            "flags": str,  # JSON list
            "note": str,
        },
        pk="id",
        foreign_keys=[("source_id", "sources", "id")],
    )
    db["claims"].create_index(["article_id", "deleted", "start"])
    db["verdicts"].create_index(["claim_id", "id"])
    db["claim_sources"].create_index(["source_id"])
    db["sources"].create_index(["url"], unique=True)
    db["events"].create_index(["claim_id", "id"])
    db["snapshots"].create_index(["source_id", "id"])
    db["links"].create_index(["article_id", "start"])


# Each step takes a file at version N to N + 1 inside one transaction; the caller keeps a backup.
MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {}
