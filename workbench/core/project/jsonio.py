"""The whole project as one JSON document, and back into a new project file.

The format is described in docs/project-json.md ("format": "workbench-project", "version": 1).
Export keeps everything an audit needs: the article and its original bytes, links, every claim
(deleted ones too) with its full verdict history, sources with their evaluation, claim-source
links, the event log, and every snapshot with its body, so the evidence survives the trip.

Import writes a new project: Project.create makes the file with the article and the scale,
then the rest goes in with its original ids, in one transaction, through the store's insert
path (rows.py), which checks every value as it does for a project built here: spans inside the
text, known kinds, statuses and relations, ISO dates, http(s) addresses only, ratings on the
scale, each snapshot body against its SHA-256. A snapshot's text, title and flags are read
from its body again; the exported ones are never trusted. Any failure removes the half-made
file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from workbench.core.article.model import Article, Link
from workbench.core.claims.finder import KINDS, ClaimCandidate, Quote
from workbench.core.clock import utc_now_iso
from workbench.core.errors import InvalidInputError, ProjectError
from workbench.core.files import atomic_text_file
from workbench.core.net.urls import web_url
from workbench.core.project import rows
from workbench.core.project.records import claim_json
from workbench.core.project.scales import scale_from_dict
from workbench.core.project.schema import REFUSED_LINKS_KEY
from workbench.core.project.store import Project, inflate_body, remove_quietly, stored_json
from workbench.core.sources.fetch import checked_snapshot
from workbench.core.sources.snapshot import Snapshot

FORMAT = "workbench-project"
VERSION = 1


# ---------------------------------------------------------------------- export
def export_project(
    project: Project, *, now: str | None = None, with_snapshots: bool = True
) -> dict[str, Any]:
    """The whole project as a dict. For files, prefer write_export_to: it streams the
    snapshots (the bulk of a project) one at a time instead of holding them all."""
    meta = project.meta()
    art = project.article()
    claims = project.claims(include_deleted=True)
    verdicts = _rows(project.conn, "SELECT * FROM verdicts ORDER BY claim_id, id")
    links = _rows(
        project.conn, "SELECT * FROM claim_sources ORDER BY claim_id, created_at, source_id"
    )
    anchors = {
        row["id"]: {
            "detail": (
                stored_json(row["anchor_detail"], f"Claim {row['id']}'s anchoring", dict)
                if row["anchor_detail"]
                else None
            ),
            "version": row["anchor_version"],
        }
        for row in _rows(
            project.conn,
            "SELECT id, anchor_detail, anchor_version FROM claims "
            "WHERE anchor_detail IS NOT NULL OR anchor_version IS NOT NULL",
        )
    }
    history: dict[int, list[dict[str, Any]]] = {}
    for v in verdicts:
        history.setdefault(v["claim_id"], []).append(
            {k: v[k] for k in ("id", "rating", "rationale", "reviewer", "note", "created_at")}
        )
    attached: dict[int, list[dict[str, Any]]] = {}
    for row in links:
        attached.setdefault(row["claim_id"], []).append(
            {k: row[k] for k in ("source_id", "relation", "note", "created_at")}
        )
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now or utc_now_iso(),
        "project": {
            "created": meta.get("created"),
            "app_version": meta.get("app_version"),
            "schema_version": int(meta.get("schema_version", "0")),
            "imported_at": meta.get("imported_at"),
        },
        "scale": project.scale.to_dict(),
        "article": {
            "id": art.id,
            "title": art.title,
            "byline": art.byline,
            "published": art.published,
            "url": art.url,
            "text": art.text,
            "links": [
                {"start": k.start, "end": k.end, "href": k.href, "text": k.text} for k in art.links
            ],
            # Not links any more, but the person importing is told of them as at load time.
            "refused_links": stored_json(
                meta.get(REFUSED_LINKS_KEY) or "[]", "The list of refused links", list
            ),
            "source_kind": art.source_kind,
            "encoding": art.encoding,
            "raw_sha256": art.raw_sha256,
            "raw_base64": base64.b64encode(project.article_raw()).decode("ascii"),
            "loaded_at": art.loaded_at,
        },
        "claims": [
            {
                **claim_json(c, art.text),
                "score": c.score,  # full precision: claim_json rounds for display
                "deleted": c.deleted,
                "created_at": c.created_at,
                "updated_at": c.updated_at,
                "verdicts": history.get(c.id, []),
                "source_links": attached.get(c.id, []),
                "anchor_detail": anchors.get(c.id, {}).get("detail"),
                "anchor_version": anchors.get(c.id, {}).get("version"),
            }
            for c in claims
        ],
        "article_versions": _article_versions(project, art.id),
        "captures": [
            {k: row[k] for k in _CAPTURE_FIELDS}
            for row in _rows(project.conn, "SELECT * FROM captures ORDER BY source_id, id")
        ],
        "sources": [
            {
                "id": s.id,
                "url": s.url,
                "title": s.title,
                "publisher": s.publisher,
                "published": s.published,
                "notes": s.notes,
                "evaluation": s.evaluation,
                "fetch_error": s.fetch_error,
                "fetch_error_kind": s.fetch_error_kind,
                "fetch_attempted_at": s.fetch_attempted_at,
                "created_at": s.created_at,
            }
            for s in project.sources()
        ],
        "snapshots": list(_snapshots(project)) if with_snapshots else _SNAPSHOTS_HERE,
        "events": [
            {
                "id": e.id,
                "claim_id": e.claim_id,
                "source_id": e.source_id,
                "at": e.at,
                "actor": e.actor,
                "action": e.action,
                "detail": e.detail,
            }
            for e in project.history()
        ],
    }


# Stands where the snapshots go while the rest of the document is serialised.
_SNAPSHOTS_HERE = "\u0000snapshots-stream\u0000"


def _snapshots(project: Project) -> Iterator[dict[str, Any]]:
    """One snapshot at a time, body included: the cursor never holds more than one row."""
    cur = project.conn.execute("SELECT * FROM snapshots ORDER BY id")
    names = [d[0] for d in cur.description]
    for row in cur:
        yield _snapshot_json(dict(zip(names, row, strict=True)))


def write_export_to(project: Project, out: TextIO, *, now: str | None = None) -> None:
    """Write the same JSON as json.dumps(export_project(...), indent=2), streaming snapshots,
    so exporting tens of MB of evidence needs memory for one snapshot, not all of them."""
    head = export_project(project, now=now, with_snapshots=False)
    text = json.dumps(head, ensure_ascii=False, indent=2)
    marker = json.dumps(_SNAPSHOTS_HERE)
    before, after = text.split(marker, 1)
    out.write(before)
    first = True
    for snap in _snapshots(project):
        item = json.dumps(snap, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        out.write(("[\n    " if first else ",\n    ") + item)
        first = False
    out.write("[]" if first else "\n  ]")
    out.write(after + "\n")


def _snapshot_json(row: dict[str, Any]) -> dict[str, Any]:
    try:
        body = inflate_body(row["body"] or b"", row["id"], row["size"])
    except ProjectError:
        raise ProjectError(
            f"Snapshot {row['id']}'s stored copy is damaged, so the project cannot be exported; "
            "fetch that source again or delete the snapshot."
        ) from None
    out = {k: row[k] for k in _SNAPSHOT_FIELDS}
    out["flags"] = stored_json(row["flags"] or "[]", f"Snapshot {row['id']}'s flags", list)
    out["body_base64"] = base64.b64encode(body).decode("ascii")
    return out


_SNAPSHOT_FIELDS = (
    "id",
    "source_id",
    "original_url",
    "archive",
    "archive_url",
    "captured_at",
    "fetched_at",
    "http_status",
    "content_type",
    "sha256",
    "size",
    "encoding",
    "text",
    "title",
    "author",
    "published",
    "note",
)


# Every text the article has had (a refresh keeps the old ones), with the bytes each came from.
_VERSION_FIELDS = (
    "version", "title", "byline", "published", "url", "text", "raw_sha256", "source_kind",
    "encoding", "loaded_at", "origin", "archive_url", "captured_at",
)  # fmt: skip
_CAPTURE_FIELDS = (
    "source_id", "archive", "original_url", "archive_url", "timestamp", "captured_at", "digest",
    "http_status", "mimetype", "length", "duplicates", "listed_at",
)  # fmt: skip


def _article_versions(project: Project, article_id: int) -> list[dict[str, Any]]:
    rows_ = _rows(
        project.conn,
        f"SELECT {', '.join(_VERSION_FIELDS)}, raw FROM article_versions "
        f"WHERE article_id = {int(article_id)} ORDER BY version",
    )
    return [
        {
            **{k: row[k] for k in _VERSION_FIELDS},
            "raw_base64": base64.b64encode(row["raw"] or b"").decode("ascii"),
        }
        for row in rows_
    ]


def _rows(conn: sqlite3.Connection, sql: str) -> list[dict[str, Any]]:
    cur = conn.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur]


def write_export(project: Project, path: str | Path, *, now: str | None = None) -> Path:
    path = Path(path)
    with atomic_text_file(path, what="The export") as fh:
        write_export_to(project, fh, now=now)
    return path


# ---------------------------------------------------------------------- import
# What a hand-edited or hostile export raises where a value has the wrong type or size (an
# object where text belongs, an id past SQLite's 64 bits): said in one line, never a traceback.
_MISSHAPEN = (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError)


def read_export(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInputError(f"There is no file {path}.") from None
    except RecursionError:  # thousands of nested brackets: no export is built like that
        raise InvalidInputError(f"{path.name} is nested too deeply to be an export.") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidInputError(f"{path.name} is not a readable JSON file ({exc}).") from None
    return data


def import_project(
    data: dict[str, Any], path: str | Path, *, overwrite: bool = False, now: str | None = None
) -> Project:
    """A new project at path holding everything in an export; ids are kept as exported."""
    _check_header(data)
    try:
        article = _article(data["article"])
        scale = scale_from_dict(data["scale"], origin="The exported scale")
        claims = list(data["claims"])
        sources = list(data["sources"])
        snapshots = list(data["snapshots"])
        events = list(data["events"])
    except _MISSHAPEN as exc:
        raise InvalidInputError(f"The export is incomplete or misshapen: {exc}.") from None
    try:
        project = Project.create(path, article, [], scale=scale, overwrite=overwrite)
    except _MISSHAPEN as exc:
        raise InvalidInputError(f"The export's article cannot be stored: {exc}.") from None
    try:
        _fill(project, data, claims, sources, snapshots, events, now or utc_now_iso())
        if article.refused_links:
            project.set_meta(REFUSED_LINKS_KEY, json.dumps(list(article.refused_links)))
    except BaseException:
        project.close()
        for suffix in ("", "-wal", "-shm"):
            remove_quietly(Path(f"{path}{suffix}"))
        raise
    return project


def import_file(
    json_path: str | Path, project_path: str | Path, *, overwrite: bool = False
) -> Project:
    return import_project(read_export(json_path), project_path, overwrite=overwrite)


def _check_header(data: Any) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInputError(
            'This JSON is not a Workbench project export (no "format": "workbench-project").'
        )
    version = data.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise InvalidInputError(
            f"This export is version {version}; this Workbench reads version {VERSION}, update it to import."
        )


def _article(a: dict[str, Any]) -> Article:
    try:
        raw = base64.b64decode(a.get("raw_base64") or "", validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInputError("The export's article bytes are not valid base64.") from None
    text = a["text"]
    for key in ("text", "title", "byline", "published", "url", "source_kind", "encoding"):
        if not isinstance(a.get(key), str | None) or not isinstance(text, str):
            raise InvalidInputError(f"The export's article {key} is not text.")
    links = tuple(Link(k["start"], k["end"], k["href"], k["text"]) for k in a.get("links", []))
    for k in links:
        if not (0 <= k.start <= k.end <= len(text)):
            raise InvalidInputError(
                f"A link in the export ({k.href}) points outside the article text."
            )
    # A hand-edited or foreign export may link to file:, javascript: ...; those stay text (the
    # insert path keeps only web links) and are named like links refused when an article loads.
    refused = [str(u) for u in a.get("refused_links") or []]
    refused += [k.href for k in links if web_url(k.href) is None]
    return Article(
        title=a.get("title") or "",
        byline=a.get("byline") or "",
        published=a.get("published"),
        url=a.get("url"),
        text=text,
        links=links,
        raw=raw,
        source_kind=a.get("source_kind") or "text",
        encoding=a.get("encoding"),
        refused_links=tuple(dict.fromkeys(refused)),
    )


def _fill(
    project: Project,
    data: dict[str, Any],
    claims: list[dict[str, Any]],
    sources: list[dict[str, Any]],
    snapshots: list[dict[str, Any]],
    events: list[dict[str, Any]],
    now: str,
) -> None:
    """Everything after the article, through the store's insert path (rows.py), so an import
    is checked like a project built here. One transaction: all of it or none."""
    conn = project.conn
    text = data["article"]["text"]
    ratings = {r.id for r in project.scale.ratings}
    try:
        with project.transaction():
            article_id = _restore_article(conn, data)
            if data.get("article_versions"):  # exports before issue 14 have only the text
                _restore_versions(conn, article_id, data["article_versions"])
            for c in claims:
                _insert_claim(conn, article_id, c, len(text), ratings, now)
            for s in sources:
                _insert_source(conn, s)
            for c in claims:
                for link in c.get("source_links", []):
                    rows.insert_claim_source_row(
                        conn,
                        int(c["id"]),
                        int(link["source_id"]),
                        link["relation"],
                        link.get("note") or "",
                        link.get("created_at") or now,
                    )
            for row in data.get("captures", []):
                if int(row["source_id"]) not in {int(s["id"]) for s in sources}:
                    raise InvalidInputError("A capture listing names a source the export lacks.")
                rows.insert_capture_row(conn, int(row["source_id"]), row)
            urls = {int(s["id"]): s["url"] for s in sources}
            for snap in snapshots:
                _insert_snapshot(conn, snap, urls)
            for e in events:
                rows.insert_event_row(
                    conn,
                    e["claim_id"],
                    e["source_id"],
                    e["at"],
                    e["actor"],
                    e["action"],
                    e.get("detail") or {},
                    event_id=int(e["id"]),
                )
            info = data.get("project") or {}
            if info.get("created"):
                created = rows.check_date(info["created"], "The project's creation")
                conn.execute("UPDATE meta SET value = ? WHERE key = 'created'", (created,))
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('imported_at', ?)", (now,)
            )
    except _MISSHAPEN as exc:
        raise InvalidInputError(
            f"The export cannot be imported: a record lacks or misstates {exc}."
        ) from None
    except ProjectError as exc:
        raise InvalidInputError(
            f"The export cannot be imported: its records contradict each other ({exc})."
        ) from None
    project._article_cache = None  # the article row now carries the exported id and times


def _restore_article(conn: sqlite3.Connection, data: dict[str, Any]) -> int:
    """Give the article made by Project.create its exported id, load time and stored hash."""
    a = data["article"]
    article_id = int(a.get("id") or 1)
    loaded_at = rows.check_date(a.get("loaded_at"), "The article's load time")
    # Links and the first version point at the article; the foreign keys are checked at COMMIT.
    conn.execute("PRAGMA defer_foreign_keys = ON")
    for table in ("links", "article_versions"):
        conn.execute(
            f"UPDATE {table} SET article_id = ? WHERE article_id = (SELECT min(id) FROM articles)",
            (article_id,),
        )
    conn.execute(
        "UPDATE articles SET id = ?, loaded_at = COALESCE(?, loaded_at) WHERE id = (SELECT min(id) FROM articles)",
        (article_id, loaded_at),
    )
    raw_hash = conn.execute(
        "SELECT raw_sha256 FROM articles WHERE id = ?", (article_id,)
    ).fetchone()[0]
    if a.get("raw_sha256") and a["raw_sha256"] != raw_hash:
        raise InvalidInputError("The export's article bytes do not match their SHA-256.")
    return article_id


def _restore_versions(
    conn: sqlite3.Connection, article_id: int, versions: list[dict[str, Any]]
) -> None:
    """The exported versions replace the one Project.create made from the current text."""
    conn.execute("DELETE FROM article_versions WHERE article_id = ?", (article_id,))
    for v in versions:
        try:
            raw = base64.b64decode(v.get("raw_base64") or "", validate=True)
        except binascii.Error:
            raise InvalidInputError(
                f"Article version {v.get('version')}'s bytes are not valid base64."
            ) from None
        rows.insert_article_version_row(conn, article_id, v["version"], v, raw)


def _insert_claim(
    conn: sqlite3.Connection,
    article_id: int,
    c: dict[str, Any],
    length: int,
    ratings: set[str],
    now: str,
) -> None:
    claim_id = int(c["id"])
    # The kinds the claim finder gives; a hand-made export may say anything.
    rows.check_choice(c["kind"], KINDS, f"Claim {claim_id}'s kind")
    candidate = ClaimCandidate(
        start=int(c["start"]),
        end=int(c["end"]),
        text=str(c["text"]),
        kind=c["kind"],
        score=float(c["score"]),
        reasons=tuple(str(r) for r in c.get("reasons", [])),
        quotes=tuple(
            Quote(int(q["start"]), int(q["end"]), q.get("speaker")) for q in c.get("quotes", [])
        ),
    )
    rows.insert_claim_row(
        conn,
        article_id,
        candidate,
        c.get("origin") or "auto",
        now,
        claim_id=claim_id,
        article_length=length,
        status=c["status"],
        status_note=c.get("status_note") or "",
        deleted=bool(c.get("deleted")),
        created_at=c.get("created_at") or None,
        updated_at=c.get("updated_at") or None,
        anchor={
            "state": c.get("anchor"),
            "detail": c.get("anchor_detail"),
            "version": c.get("anchor_version"),
        },
        assigned_to=c.get("assigned_to"),
    )
    for v in c.get("verdicts", []):
        if v["rating"] is not None and v["rating"] not in ratings:
            raise InvalidInputError(
                f"Claim {claim_id} has a verdict '{v['rating']}' that is not on the exported scale."
            )
        rows.insert_verdict_row(
            conn,
            claim_id,
            v["rating"],
            v["rationale"] or "",
            v["reviewer"] or "",
            v.get("note") or "",
            v["created_at"],
            verdict_id=int(v["id"]),
        )


def _insert_source(conn: sqlite3.Connection, s: dict[str, Any]) -> None:
    rows.insert_source_row(
        conn,
        s["url"],
        s.get("created_at") or "",
        source_id=int(s["id"]),
        title=s.get("title") or "",
        publisher=s.get("publisher") or "",
        published=s.get("published"),
        notes=s.get("notes") or "",
        evaluation=s.get("evaluation"),
        fetch_error=s.get("fetch_error"),
        fetch_error_kind=s.get("fetch_error_kind"),
        fetch_attempted_at=s.get("fetch_attempted_at"),
    )


def _insert_snapshot(conn: sqlite3.Connection, snap: dict[str, Any], urls: dict[int, str]) -> None:
    """A snapshot is stored as if it had just been fetched: its readable text, title and the
    checks' flags are worked out from the body again (the exported `text` is never trusted: the
    review pane's passages and quotation checks read it), and the body must match its SHA-256."""
    snapshot_id = int(snap["id"])
    try:
        body = base64.b64decode(snap.get("body_base64") or "", validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInputError(
            f"Snapshot {snapshot_id} in the export has a body that is not valid base64."
        ) from None
    if hashlib.sha256(body).hexdigest() != snap["sha256"]:
        raise InvalidInputError(
            f"Snapshot {snapshot_id} in the export does not match its SHA-256; the evidence was altered."
        )
    source_id = int(snap["source_id"])
    if source_id not in urls:
        raise InvalidInputError(
            f"Snapshot {snapshot_id} belongs to source {source_id}, which is not in the export."
        )
    status = snap.get("http_status")
    snapshot = Snapshot(
        original_url=snap["original_url"],
        archive=str(snap["archive"]),
        archive_url=snap.get("archive_url"),
        captured_at=snap.get("captured_at"),
        http_status=int(status) if status is not None else None,
        content_type=snap.get("content_type"),
        body=body,
        fetched_at=snap["fetched_at"],
        encoding=snap.get("encoding"),
        flags=tuple(str(f) for f in snap.get("flags", [])),
        note=snap.get("note") or "",
    )
    snapshot, found = checked_snapshot(snapshot, urls[source_id])
    rows.insert_snapshot_row(
        conn,
        source_id,
        snapshot,
        text=found.text,
        title=found.title,
        author=found.author,
        published=found.published,
        snapshot_id=snapshot_id,
    )
