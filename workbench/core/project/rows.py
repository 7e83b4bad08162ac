"""The store's insert path: every row of a project file is written by one of these functions.

Project (store.py) uses them for edits, and so do the two places that build a project file in
one go: JSON import (jsonio.py) and exercise creation (practice/exercise.py). Before, those
two had INSERT statements of their own and skipped the checks the store makes, so an imported
project could hold a file: source, a forged snapshot text or a date that is not a date. Here
each value is checked once, whoever writes it: a bad one raises InvalidInputError naming it.
(Claim kinds are checked by the import itself: tests and other rooms make claims of kinds
the finder does not give.)

The functions take an open connection and never commit: the caller's transaction decides.
Ids are given when a file is rebuilt with its own ids (import, exercise); otherwise SQLite
chooses them.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import zlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from workbench.core.article.model import Article
from workbench.core.claims.model import ClaimCandidate, Quote
from workbench.core.errors import InvalidInputError
from workbench.core.net.urls import kept_url, require_web_url, web_url
from workbench.core.project.evaluation import check_stored_evaluation
from workbench.core.project.records import RELATIONS, STATUSES
from workbench.core.sources.snapshot import Snapshot

# What a claim's last re-anchoring found (schema.CLAIM_ANCHOR_COLUMNS), and where a kept text of
# the article came from.
ANCHOR_STATES = ("exact", "moved", "changed", "gone", "new")
VERSION_ORIGINS = ("loaded", "file", "live", "archive")


def _insert(conn: Any, table: str, values: dict[str, Any]) -> int:
    """INSERT one row; an id of None is left out so the engine chooses it (SQLite's rowid and
    PostgreSQL's identity column alike). Returns the row's id."""
    if "id" in values and values["id"] is None:
        del values["id"]
    cur = conn.execute(_insert_sql(table, tuple(values)), tuple(values.values()))
    return int(getattr(cur, "lastrowid", 0) or 0)


@functools.cache
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{name}"' if name == "end" else name for name in columns)
    return f"INSERT INTO {table}({names}) VALUES ({', '.join('?' for _ in columns)})"


def check_date(value: object, what: str, *, optional: bool = True) -> str | None:
    """An ISO 8601 date or date-time as given, or InvalidInputError."""
    if value is None or value == "":
        if optional:
            return None
        raise InvalidInputError(f"{what} has no date.")
    text = str(value)
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInputError(f"{what} has {text[:40]!r}, which is not an ISO date.") from None
    return text


def check_choice(value: object, allowed: Iterable[str], what: str) -> str:
    if isinstance(allowed, tuple | frozenset | set) and value in allowed:
        return str(value)  # the common case, without copying `allowed`
    allowed = tuple(allowed)
    if value not in allowed:
        raise InvalidInputError(
            f"{what} is {str(value)[:40]!r}; it must be one of: {', '.join(allowed)}."
        )
    return str(value)


def insert_meta_rows(conn: Any, items: Iterable[tuple[str, str]]) -> None:
    conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", list(items))


def insert_article_row(conn: Any, article: Article, now: str) -> int:
    """The article, its first version and its links (only http(s) links are kept as links)."""
    article_id = _insert(
        conn,
        "articles",
        {
            "title": article.title,
            "byline": article.byline,
            "published": article.published,
            "url": kept_url(article.url) if article.url else None,
            "text": article.text,
            "raw": article.raw,
            "raw_sha256": hashlib.sha256(article.raw).hexdigest(),
            "source_kind": article.source_kind,
            "encoding": article.encoding,
            "loaded_at": now,
        },
    )
    conn.execute(
        "INSERT INTO article_versions(article_id, version, title, byline, published, url, text, "
        "raw, raw_sha256, source_kind, encoding, loaded_at, origin) "
        "SELECT id, 1, title, byline, published, url, text, raw, raw_sha256, source_kind, "
        "encoding, loaded_at, 'loaded' FROM articles WHERE id = ?",
        (article_id,),
    )
    links = [(lk, kept) for lk in article.links if (kept := kept_url(lk.href)) is not None]
    for lk, kept in links:
        if not 0 <= lk.start <= lk.end <= len(article.text):
            raise InvalidInputError(f"A link ({kept}) points outside the article text.")
    conn.executemany(
        'INSERT INTO links(article_id, start, "end", href, text) VALUES (?, ?, ?, ?, ?)',
        [(article_id, lk.start, lk.end, kept, lk.text) for lk, kept in links],
    )
    return article_id


def quotes_json(quotes: Iterable[Quote]) -> str:
    return json.dumps([{"start": q.start, "end": q.end, "speaker": q.speaker} for q in quotes])


def insert_claim_row(
    conn: Any,
    article_id: int,
    cand: ClaimCandidate,
    origin: str,
    now: str,
    *,
    claim_id: int | None = None,
    article_length: int | None = None,
    status: str = "unchecked",
    status_note: str = "",
    deleted: bool = False,
    created_at: str | None = None,
    updated_at: str | None = None,
    anchor: Mapping[str, Any] | None = None,
    assigned_to: str | None = None,
) -> int:
    """`anchor` (rebuilt files only): state, detail and version of the claim's last re-anchoring."""
    what = f"Claim {claim_id}" if claim_id is not None else "The claim"
    check_choice(status, STATUSES, f"{what}'s status")
    anchor_state = (anchor or {}).get("state")
    if anchor_state is not None:
        check_choice(anchor_state, ANCHOR_STATES, f"{what}'s re-anchoring")
    score = float(cand.score)
    if not math.isfinite(score):
        raise InvalidInputError(f"{what}'s score is {score}, which is not a number.")
    # Project's own edits check spans before they get here; a rebuilt file passes the length.
    # A claim a revision removed keeps an empty span where it stood.
    empty_ok = anchor_state == "gone"
    if article_length is not None and not (
        0 <= cand.start <= cand.end <= article_length and (cand.start < cand.end or empty_ok)
    ):
        raise InvalidInputError(f"{what} points outside the article text.")
    for quote in cand.quotes:
        if not cand.start <= quote.start <= quote.end <= cand.end:
            raise InvalidInputError(f"A quotation of {what.lower()} lies outside the claim.")
    return _insert(
        conn,
        "claims",
        {
            "id": claim_id,
            "article_id": article_id,
            "start": cand.start,
            "end": cand.end,
            "text": cand.text,
            "kind": cand.kind,
            "score": score,
            "reasons": json.dumps([str(r) for r in cand.reasons]),
            "quotes": quotes_json(cand.quotes),
            "status": status,
            "status_note": status_note,
            "origin": origin,
            "deleted": int(deleted),
            "created_at": check_date(created_at, f"{what}'s creation") or now,
            "updated_at": check_date(updated_at, f"{what}'s last change") or now,
            "anchor_state": anchor_state,
            "anchor_detail": _json_or_none((anchor or {}).get("detail")),
            "anchor_version": _int_or_none((anchor or {}).get("version"), f"{what}'s version"),
            "assigned_to": assigned_to or None,
        },
    )


def _json_or_none(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _int_or_none(value: object, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(f"{what} is {str(value)[:40]!r}, which is not a whole number.")
    return value


def insert_article_version_row(
    conn: Any, article_id: int, version: int, fields: Mapping[str, Any], raw: bytes
) -> int:
    """One kept text of the article (rebuilt files; a refresh copies the article row instead)."""
    what = f"Article version {version}"
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInputError(f"{what} is not a version number.")
    if not isinstance(fields.get("text"), str):
        raise InvalidInputError(f"{what} has no text.")
    raw_sha256 = hashlib.sha256(raw).hexdigest()
    if fields.get("raw_sha256") and fields["raw_sha256"] != raw_sha256:
        raise InvalidInputError(f"{what}'s bytes do not match their SHA-256.")
    origin = check_choice(fields.get("origin") or "loaded", VERSION_ORIGINS, f"{what}'s origin")
    archive_url = fields.get("archive_url")
    if archive_url:
        require_web_url(archive_url, what=f"{what}'s archived copy")
    return _insert(
        conn,
        "article_versions",
        {
            "article_id": article_id,
            "version": version,
            "title": str(fields.get("title") or ""),
            "byline": str(fields.get("byline") or ""),
            "published": fields.get("published"),
            "url": kept_url(fields["url"]) if fields.get("url") else None,
            "text": fields["text"],
            "raw": raw,
            "raw_sha256": raw_sha256,
            "source_kind": fields.get("source_kind"),
            "encoding": fields.get("encoding"),
            "loaded_at": check_date(fields.get("loaded_at"), f"{what}'s load time"),
            "origin": origin,
            "archive_url": archive_url or None,
            "captured_at": check_date(fields.get("captured_at"), f"{what}'s capture"),
        },
    )


def insert_capture_row(conn: Any, source_id: int, row: Mapping[str, Any]) -> int:
    """One capture an archive listed for a source (a listing, not content)."""
    what = f"A capture of source {source_id}"
    require_web_url(row.get("archive_url"), what=f"{what}'s archive address")
    if row.get("original_url"):
        require_web_url(row["original_url"], what=f"{what}'s page address")
    timestamp = str(row.get("timestamp") or "")
    if not timestamp.isdigit() or not 4 <= len(timestamp) <= 14:
        raise InvalidInputError(f"{what} has the timestamp {timestamp[:20]!r}, which is none.")
    status = row.get("http_status")
    if status is not None and not (isinstance(status, int) and 100 <= status <= 599):
        raise InvalidInputError(f"{what} has HTTP status {status!r}, which is none.")
    return _insert(
        conn,
        "captures",
        {
            "source_id": source_id,
            "archive": str(row.get("archive") or ""),
            "original_url": row.get("original_url"),
            "archive_url": row["archive_url"],
            "timestamp": timestamp,
            "captured_at": check_date(row.get("captured_at"), f"{what}'s time"),
            "digest": row.get("digest"),
            "http_status": status,
            "mimetype": row.get("mimetype"),
            "length": _int_or_none(row.get("length"), f"{what}'s length"),
            "duplicates": _int_or_none(row.get("duplicates"), f"{what}'s count") or 0,
            "listed_at": check_date(row.get("listed_at"), f"{what}'s listing time"),
        },
    )


def insert_verdict_row(
    conn: Any,
    claim_id: int,
    rating: str | None,
    rationale: str,
    reviewer: str,
    note: str,
    created_at: str,
    *,
    verdict_id: int | None = None,
) -> int:
    return _insert(
        conn,
        "verdicts",
        {
            "id": verdict_id,
            "claim_id": claim_id,
            "rating": rating,
            "rationale": rationale,
            "reviewer": reviewer,
            "note": note,
            "created_at": check_date(created_at, f"A verdict on claim {claim_id}", optional=False),
        },
    )


def insert_source_row(
    conn: Any,
    url: str,
    created_at: str,
    *,
    source_id: int | None = None,
    title: str = "",
    publisher: str = "",
    published: str | None = None,
    notes: str = "",
    evaluation: Mapping[str, Any] | None = None,
    fetch_error: str | None = None,
    fetch_error_kind: str | None = None,
    fetch_attempted_at: str | None = None,
) -> int:
    """A source row; only an http(s) address may be a source (core/net/urls.py)."""
    url = require_web_url(url, what="The source address")
    what = f"Source {source_id}" if source_id is not None else "The source"
    return _insert(
        conn,
        "sources",
        {
            "id": source_id,
            "url": url,
            "title": title,
            "publisher": publisher,
            "published": published,
            "notes": notes,
            "evaluation": (
                json.dumps(check_stored_evaluation(evaluation, what), sort_keys=True)
                if evaluation is not None
                else None
            ),
            "fetch_error": fetch_error,
            "fetch_error_kind": fetch_error_kind,
            "fetch_attempted_at": check_date(fetch_attempted_at, f"{what}'s last fetch"),
            "created_at": check_date(created_at, what, optional=False),
        },
    )


def insert_claim_source_row(
    conn: Any,
    claim_id: int,
    source_id: int,
    relation: str,
    note: str,
    created_at: str,
) -> None:
    check_choice(relation, RELATIONS, f"The relation of claim {claim_id} to source {source_id}")
    _insert(
        conn,
        "claim_sources",
        {
            "claim_id": claim_id,
            "source_id": source_id,
            "relation": relation,
            "note": note,
            "created_at": check_date(created_at, "A source link"),
        },
    )


def insert_snapshot_row(
    conn: Any,
    source_id: int,
    snapshot: Snapshot,
    *,
    text: str,
    title: str,
    author: str,
    published: str | None,
    snapshot_id: int | None = None,
) -> int:
    """A stored copy. `text`, `title`, `author` and `published` must have been read from the
    body by the caller (core/sources/fetch.readable), never taken from elsewhere."""
    what = f"Snapshot {snapshot_id}" if snapshot_id is not None else "The snapshot"
    if hashlib.sha256(snapshot.body).hexdigest() != snapshot.sha256:
        raise InvalidInputError(f"{what} does not match its SHA-256; the evidence was altered.")
    original_url = require_web_url(snapshot.original_url, what=f"{what}'s page address")
    archive_url = snapshot.archive_url
    if archive_url and not (web_url(archive_url) or archive_url.startswith("warc:")):
        raise InvalidInputError(f"{what}'s archive address {archive_url[:60]!r} is not one.")
    if snapshot.http_status is not None and not 100 <= int(snapshot.http_status) <= 599:
        raise InvalidInputError(f"{what} has HTTP status {snapshot.http_status}, which is none.")
    return _insert(
        conn,
        "snapshots",
        {
            "id": snapshot_id,
            "source_id": source_id,
            "original_url": original_url,
            "archive": snapshot.archive,
            "archive_url": archive_url,
            "captured_at": check_date(snapshot.captured_at, f"{what}'s capture"),
            "fetched_at": check_date(snapshot.fetched_at, f"{what}'s fetch", optional=False),
            "http_status": snapshot.http_status,
            "content_type": snapshot.content_type,
            "sha256": snapshot.sha256,
            "size": len(snapshot.body),
            "body": zlib.compress(snapshot.body, 6),
            "encoding": snapshot.encoding,
            "text": text,
            "title": title,
            "author": author,
            "published": published,
            "flags": json.dumps([str(f) for f in snapshot.flags]),
            "note": snapshot.note,
        },
    )


def insert_event_row(
    conn: Any,
    claim_id: int | None,
    source_id: int | None,
    at: str,
    actor: str | None,
    action: str,
    detail: Mapping[str, Any],
    *,
    event_id: int | None = None,
) -> int:
    return _insert(
        conn,
        "events",
        {
            "id": event_id,
            "claim_id": claim_id,
            "source_id": source_id,
            "at": check_date(at, "An event", optional=False),
            "actor": actor,
            "action": action,
            "detail": json.dumps(dict(detail), ensure_ascii=False),
        },
    )
