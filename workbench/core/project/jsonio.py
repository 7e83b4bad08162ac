"""The whole project as one JSON document, and back into a new project file.

The format is described in docs/project-json.md ("format": "workbench-project", "version": 1).
Export keeps everything an audit needs: the article and its original bytes, links, every claim
(deleted ones too) with its full verdict history, sources with their evaluation, claim-source
links, the event log, and every snapshot with its body, so the evidence survives the trip.

Import writes a new project: Project.create makes the file with the article and the scale,
then the rest is inserted with its original ids in one transaction on that file's connection.
(store.py has no bulk-insert methods for claims with history, sources, snapshots or events,
and adding them there would widen the store's API for this one use.) Import checks what it
can: spans inside the text, known statuses and relations, ratings on the scale, and each
snapshot body against its SHA-256. Any failure removes the half-made file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from workbench.core.article.model import Article, Link
from workbench.core.clock import utc_now_iso
from workbench.core.errors import InvalidInputError, ProjectError
from workbench.core.project.records import RELATIONS, STATUSES, claim_json
from workbench.core.project.scales import scale_from_dict
from workbench.core.project.store import Project, remove_quietly

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
            }
            for c in claims
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
    body = zlib.decompress(row["body"]) if row["body"] else b""
    out = {k: row[k] for k in _SNAPSHOT_FIELDS}
    out["flags"] = json.loads(row["flags"] or "[]")
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


def _rows(conn: sqlite3.Connection, sql: str) -> list[dict[str, Any]]:
    cur = conn.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur]


def write_export(project: Project, path: str | Path, *, now: str | None = None) -> Path:
    path = Path(path)
    try:
        with path.open("w", encoding="utf-8") as fh:
            write_export_to(project, fh, now=now)
    except OSError as exc:
        raise ProjectError(
            f"The export could not be written to {path}: {exc.strerror or exc}."
        ) from None
    return path


# ---------------------------------------------------------------------- import
def read_export(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInputError(f"There is no file {path}.") from None
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
    except (KeyError, TypeError) as exc:
        raise InvalidInputError(f"The export is incomplete: it has no {exc}.") from None
    project = Project.create(path, article, [], scale=scale, overwrite=overwrite)
    try:
        _fill(project, data, claims, sources, snapshots, events, now or utc_now_iso())
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
    links = tuple(Link(k["start"], k["end"], k["href"], k["text"]) for k in a.get("links", []))
    for k in links:
        if not (0 <= k.start <= k.end <= len(text)):
            raise InvalidInputError(
                f"A link in the export ({k.href}) points outside the article text."
            )
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
    conn = project.conn
    text = data["article"]["text"]
    ratings = {r.id for r in project.scale.ratings}
    conn.execute("BEGIN IMMEDIATE")
    try:
        article_id = _restore_article(conn, data)
        for c in claims:
            _insert_claim(conn, article_id, c, text, ratings)
        for s in sources:
            _insert_source(conn, s)
        for c in claims:
            for link in c.get("source_links", []):
                _insert_link(conn, c["id"], link)
        for snap in snapshots:
            _insert_snapshot(conn, snap)
        for e in events:
            conn.execute(
                "INSERT INTO events(id, claim_id, source_id, at, actor, action, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    e["id"],
                    e["claim_id"],
                    e["source_id"],
                    e["at"],
                    e["actor"],
                    e["action"],
                    json.dumps(e.get("detail") or {}, ensure_ascii=False),
                ),
            )
        info = data.get("project") or {}
        if info.get("created"):
            conn.execute("UPDATE meta SET value = ? WHERE key = 'created'", (info["created"],))
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('imported_at', ?)", (now,))
        conn.execute("COMMIT")
    except (KeyError, TypeError, ValueError) as exc:
        conn.execute("ROLLBACK")
        raise InvalidInputError(
            f"The export cannot be imported: a record lacks or misstates {exc}."
        ) from None
    except sqlite3.IntegrityError as exc:
        conn.execute("ROLLBACK")
        raise InvalidInputError(
            f"The export cannot be imported: its records contradict each other ({exc})."
        ) from None
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    project._article_cache = None  # the article row now carries the exported id and times


def _restore_article(conn: sqlite3.Connection, data: dict[str, Any]) -> int:
    """Give the article made by Project.create its exported id, load time and stored hash."""
    a = data["article"]
    article_id = int(a.get("id") or 1)
    # Links point at the article; the foreign key is checked at COMMIT, once both have moved.
    conn.execute("PRAGMA defer_foreign_keys = ON")
    conn.execute(
        "UPDATE links SET article_id = ? WHERE article_id = (SELECT min(id) FROM articles)",
        (article_id,),
    )
    conn.execute(
        "UPDATE articles SET id = ?, loaded_at = COALESCE(?, loaded_at) WHERE id = (SELECT min(id) FROM articles)",
        (article_id, a.get("loaded_at")),
    )
    raw_hash = conn.execute(
        "SELECT raw_sha256 FROM articles WHERE id = ?", (article_id,)
    ).fetchone()[0]
    if a.get("raw_sha256") and a["raw_sha256"] != raw_hash:
        raise InvalidInputError("The export's article bytes do not match their SHA-256.")
    return article_id


def _insert_claim(
    conn: sqlite3.Connection, article_id: int, c: dict[str, Any], text: str, ratings: set[str]
) -> None:
    if not (0 <= c["start"] < c["end"] <= len(text)):
        raise InvalidInputError(f"Claim {c['id']} in the export points outside the article text.")
    if c["status"] not in STATUSES:
        raise InvalidInputError(
            f"Claim {c['id']} in the export has an unknown status '{c['status']}'."
        )
    conn.execute(
        'INSERT INTO claims(id, article_id, start, "end", text, kind, score, reasons, quotes, status, '
        "status_note, origin, deleted, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            c["id"],
            article_id,
            c["start"],
            c["end"],
            c["text"],
            c["kind"],
            float(c["score"]),
            json.dumps(list(c.get("reasons", []))),
            json.dumps(
                [
                    {"start": q["start"], "end": q["end"], "speaker": q.get("speaker")}
                    for q in c.get("quotes", [])
                ]
            ),
            c["status"],
            c.get("status_note") or "",
            c.get("origin") or "auto",
            int(bool(c.get("deleted"))),
            c.get("created_at") or "",
            c.get("updated_at") or "",
        ),
    )
    for v in c.get("verdicts", []):
        if v["rating"] is not None and v["rating"] not in ratings:
            raise InvalidInputError(
                f"Claim {c['id']} has a verdict '{v['rating']}' that is not on the exported scale."
            )
        conn.execute(
            "INSERT INTO verdicts(id, claim_id, rating, rationale, reviewer, note, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                v["id"],
                c["id"],
                v["rating"],
                v["rationale"] or "",
                v["reviewer"] or "",
                v.get("note") or "",
                v["created_at"],
            ),
        )


def _insert_source(conn: sqlite3.Connection, s: dict[str, Any]) -> None:
    evaluation = s.get("evaluation")
    conn.execute(
        "INSERT INTO sources(id, url, title, publisher, published, notes, evaluation, fetch_error, "
        "fetch_error_kind, fetch_attempted_at, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            s["id"],
            s["url"],
            s.get("title") or "",
            s.get("publisher") or "",
            s.get("published"),
            s.get("notes") or "",
            json.dumps(evaluation, sort_keys=True) if evaluation is not None else None,
            s.get("fetch_error"),
            s.get("fetch_error_kind"),
            s.get("fetch_attempted_at"),
            s.get("created_at"),
        ),
    )


def _insert_link(conn: sqlite3.Connection, claim_id: int, link: dict[str, Any]) -> None:
    if link["relation"] not in RELATIONS:
        raise InvalidInputError(
            f"Claim {claim_id} has a source relation '{link['relation']}' that is not known."
        )
    conn.execute(
        "INSERT INTO claim_sources(claim_id, source_id, relation, note, created_at) VALUES (?, ?, ?, ?, ?)",
        (
            claim_id,
            link["source_id"],
            link["relation"],
            link.get("note") or "",
            link.get("created_at"),
        ),
    )


def _insert_snapshot(conn: sqlite3.Connection, snap: dict[str, Any]) -> None:
    try:
        body = base64.b64decode(snap.get("body_base64") or "", validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInputError(
            f"Snapshot {snap['id']} in the export has a body that is not valid base64."
        ) from None
    if hashlib.sha256(body).hexdigest() != snap["sha256"]:
        raise InvalidInputError(
            f"Snapshot {snap['id']} in the export does not match its SHA-256; the evidence was altered."
        )
    values = [snap.get(k) for k in _SNAPSHOT_FIELDS]
    conn.execute(
        f"INSERT INTO snapshots({', '.join(_SNAPSHOT_FIELDS)}, flags, body) "
        f"VALUES ({', '.join('?' * (len(_SNAPSHOT_FIELDS) + 2))})",
        (*values, json.dumps(list(snap.get("flags", []))), zlib.compress(body, 6)),
    )
