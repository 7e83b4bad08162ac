"""The project file's tables, its version, and the steps that bring older files up to date.

Tables are created through sqlite-utils so the schema stays readable as Python; indexes cover
the queries the views run on every refresh (claims in article order, newest verdict per claim,
sources per claim).

Version 2 (issue 14) adds what pages changing over time needs: `article_versions` keeps every
text the article has had (the `articles` row always holds the newest, so everything that reads
the article is unchanged), claims say how they were re-anchored after a revision, and
`captures` remembers the archives' capture listings of each source so a timeline opens without
asking the archives again.

Version 3 (issue 11) gives claims an `assigned_to` (the login of the checker a claim is
assigned to, NULL when unassigned), so a desk can split an article's claims.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only annotations here; the store imports it where a file is written
    import sqlite_utils

APP_ID = "workbench"
SCHEMA_VERSION = 3
# meta key: where the article was loaded from (a path or URL), to find WARC files beside it
ARTICLE_SOURCE_KEY = "article_source"
REFUSED_LINKS_KEY = "refused_links"  # meta: JSON list of the article's non-web link targets


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
            **CLAIM_ANCHOR_COLUMNS,
            "assigned_to": str,
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
    _create_article_versions(db)
    _create_captures(db)
    db["claims"].create_index(["article_id", "deleted", "start"])
    db["verdicts"].create_index(["claim_id", "id"])
    db["claim_sources"].create_index(["source_id"])
    db["sources"].create_index(["url"], unique=True)
    db["events"].create_index(["claim_id", "id"])
    db["snapshots"].create_index(["source_id", "id"])
    db["links"].create_index(["article_id", "start"])


# Each step takes a file at version N to N + 1 inside one transaction; the caller keeps a backup.
MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {}


# How each claim fared when the article was last re-loaded: NULL (never re-anchored), "exact"
# (same words, same place), "moved" (same words elsewhere), "changed" (the sentence was edited;
# anchor_detail holds the word diff), "gone" (no longer in the text; the span is empty where it
# stood), "new" (a sentence the revision added). anchor_version is the article version the span
# points into.
CLAIM_ANCHOR_COLUMNS: dict[str, type] = {
    "anchor_state": str,
    "anchor_detail": str,  # JSON object: the selectors used, the old span and text, the word diff
    "anchor_version": int,
}


def _create_article_versions(db: sqlite_utils.Database) -> None:
    """Every text the article has had; version 1 is the text the project was made from."""
    # Database.create_table, not Table.create: the latter commits, and a migration step must
    # stay inside the caller's transaction.
    db.create_table(
        "article_versions",
        {
            "id": int,
            "article_id": int,
            "version": int,
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
            "origin": str,  # "loaded" (the first text); a refresh: "file", "live" or "archive"
            "archive_url": str,  # the capture a refresh read, when it came from an archive
            "captured_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null=["text"],
    )
    db["article_versions"].create_index(["article_id", "version"], unique=True)


def _create_captures(db: sqlite_utils.Database) -> None:
    """The captures the archives list for a source (one row per distinct capture: identical
    Wayback captures collapse into one, counted in `duplicates`). A listing, not content: the
    content is a snapshot once the user fetches it."""
    db.create_table(
        "captures",
        {
            "id": int,
            "source_id": int,
            "archive": str,
            "original_url": str,
            "archive_url": str,
            "timestamp": str,  # 14 digits, UTC, as the archive names it
            "captured_at": str,  # the same moment as ISO 8601
            "digest": str,  # the archive's payload digest, when it gives one
            "http_status": int,
            "mimetype": str,
            "length": int,
            "duplicates": int,  # identical captures folded into this row
            "listed_at": str,
        },
        pk="id",
        foreign_keys=[("source_id", "sources", "id")],
        not_null=["source_id", "archive", "archive_url", "timestamp"],
        defaults={"duplicates": 0},
    )
    db["captures"].create_index(["source_id", "archive_url"], unique=True)


def _migrate_1_to_2(db: sqlite_utils.Database) -> None:
    for name, kind in CLAIM_ANCHOR_COLUMNS.items():
        db["claims"].add_column(name, kind)
    _create_article_versions(db)
    _create_captures(db)
    # The text the project was made from becomes version 1.
    db.execute(
        "INSERT INTO article_versions(article_id, version, title, byline, published, url, text, "
        "raw, raw_sha256, source_kind, encoding, loaded_at, origin) "
        "SELECT id, 1, title, byline, published, url, text, raw, raw_sha256, source_kind, "
        "encoding, loaded_at, 'loaded' FROM articles"
    )


MIGRATIONS[1] = _migrate_1_to_2


def _migrate_2_to_3(db: sqlite_utils.Database) -> None:
    db["claims"].add_column("assigned_to", str)


MIGRATIONS[2] = _migrate_2_to_3
