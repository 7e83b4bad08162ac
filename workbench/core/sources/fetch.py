"""Fill a project's sources with snapshots: from imported web archives first, then the network.

This is the one place that joins the archive fetcher, the WARC importer, text extraction and
the project file, so the CLI and the window behave the same. Network work runs in worker
threads (archive.service.fetch_many); every result is written to the project from the calling
thread, one transaction each, so a crash mid-batch keeps everything fetched so far.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.article.decode import decode_bytes
from workbench.core.article.extract import extract_page
from workbench.core.errors import LoadError
from workbench.core.net.errors import FailureKind, FetchFailure
from workbench.core.net.settings import ArchiveSettings
from workbench.core.project.records import SourceRecord
from workbench.core.project.schema import ARTICLE_SOURCE_KEY
from workbench.core.project.store import Project, stored_json
from workbench.core.settings import archive_settings
from workbench.core.sources.archive.service import fetch_many
from workbench.core.sources.checks import FLAG_SENTENCES, Check, check_snapshot
from workbench.core.sources.pdftext import PdfStatus, read_pdf
from workbench.core.sources.snapshot import Snapshot
from workbench.core.sources.warc import capture_for, import_warc

HTML_TYPES = ("text/html", "application/xhtml+xml")
WARC_SUFFIXES = (".warc", ".warc.gz", ".wacz")
WARC_META_KEY = "warc_files"

PDF_FLAGS = {
    PdfStatus.PARTIAL: "partial-text",
    PdfStatus.EMPTY: "no-text",
    PdfStatus.FAILED: "no-text",
}

# (done, total, message) after each source, from the thread that called fetch_sources.
FetchProgress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Readable:
    text: str
    title: str
    author: str
    published: str | None
    checks: tuple[Check, ...] = ()  # (flag, note clause) about the extraction itself


@dataclass
class FetchSummary:
    fetched: list[int] = field(default_factory=list)  # source ids that got a snapshot
    failed: list[tuple[int, str]] = field(default_factory=list)  # (source id, reason)
    from_warc: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # already had a snapshot
    cancelled: bool = False

    def describe(self) -> str:
        parts = [f"{len(self.fetched)} fetched"]
        if self.from_warc:
            parts.append(f"{len(self.from_warc)} from web archive files")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        if self.skipped:
            parts.append(f"{len(self.skipped)} already stored")
        if self.cancelled:
            parts.append("cancelled")
        return ", ".join(parts)


@dataclass(frozen=True)
class WarcSummary:
    captures: int
    matched: list[int]  # source ids that got a snapshot from the file
    warnings: tuple[str, ...]
    already: list[int] = field(default_factory=list)  # had a capture here, already stored

    def describe(self) -> str:
        parts = [f"{self.captures} captures read"]
        if self.matched or not self.already:
            parts.append(f"{len(self.matched)} matched the project's sources")
        if self.already:
            parts.append(f"{len(self.already)} already stored")
        text = ", ".join(parts)
        if self.warnings:
            text += f"; {len(self.warnings)} damaged records skipped"
        return text


def readable(snapshot: Snapshot) -> Readable:
    """Readable text and metadata of a snapshot, decoded by us (never by trafilatura)."""
    ctype = (snapshot.content_type or "").split(";")[0].strip().lower()
    if ctype == "application/pdf" or snapshot.body.startswith(b"%PDF-"):
        return _pdf_readable(snapshot.body)
    is_html = ctype in HTML_TYPES or not ctype
    decoded = decode_bytes(snapshot.body, declared=snapshot.encoding, is_html=is_html)
    if not is_html and ctype.startswith("text/"):
        return Readable(decoded.text, "", "", None)
    max_date = snapshot.captured_at[:10] if snapshot.captured_at else None
    page = extract_page(decoded.text, url=snapshot.original_url, max_date=max_date)
    return Readable(page.text, page.title, page.author, page.published)


def _pdf_readable(body: bytes) -> Readable:
    """A PDF's text; without a PDF library it is stored as evidence with no text, unflagged."""
    result = read_pdf(body)
    flag = PDF_FLAGS.get(result.status)
    checks = ((flag, f"{FLAG_SENTENCES[flag]} ({result.reason})"),) if flag else ()
    return Readable(result.text, "", "", None, checks)


def checked_snapshot(snapshot: Snapshot, cited_url: str) -> tuple[Snapshot, Readable]:
    """The snapshot with its checks' flags, and its readable text, both read from the body.
    Every stored snapshot goes through here: a fetch, a WARC import and a JSON import."""
    try:
        found = readable(snapshot)
    except LoadError:
        found = Readable("", "", "", None)
    checks = [
        *found.checks,
        *check_snapshot(snapshot, found.text, found.title, cited_url=cited_url),
    ]
    return with_checks(snapshot, checks), found


def store_snapshot(project: Project, source_id: int, snapshot: Snapshot) -> int:
    snapshot, found = checked_snapshot(snapshot, project.source(source_id).url)
    return project.add_snapshot(
        source_id,
        snapshot,
        text=found.text,
        title=found.title,
        author=found.author,
        published=found.published,
    )


def with_checks(snapshot: Snapshot, checks: list[Check]) -> Snapshot:
    """The snapshot with the checks' flags added and their clauses appended to its note."""
    flags = list(snapshot.flags)
    notes = [snapshot.note] if snapshot.note else []
    for flag, clause in checks:
        if flag not in flags:
            flags.append(flag)
        if clause and not any(clause in note for note in notes):
            notes.append(clause)  # the fetcher may have said it already ("answered HTTP 404")
    return dataclasses.replace(snapshot, flags=tuple(flags), note="; ".join(notes))


def sources_to_fetch(
    project: Project,
    *,
    claim_id: int | None = None,
    source_ids: list[int] | None = None,
    refetch: bool = False,
) -> tuple[list[SourceRecord], list[int]]:
    """Sources bearing on live claims (or one claim, or exactly the given ids), and the ids
    skipped as already stored."""
    if source_ids is not None:
        candidates = [project.source(sid) for sid in dict.fromkeys(source_ids)]
    elif claim_id is not None:
        project.claim(claim_id)  # a claim that does not exist is an error, not 0 fetched
        candidates = [link.source for link in project.claim_sources(claim_id)]
    else:
        candidates = [s for s in project.sources() if project.source_claims(s.id)]
    stored = {snap.source_id for snap in project.snapshots()}
    todo = [s for s in candidates if refetch or s.id not in stored]
    skipped = [s.id for s in candidates if not refetch and s.id in stored]
    return todo, skipped


def import_warc_into(
    project: Project, path: str | Path, *, cancel: threading.Event | None = None
) -> WarcSummary:
    """Store a web archive's captures for the project's sources, and remember the file so later
    fetches look there before going to the network. Cancel stops the reading (ImportCancelled)
    before anything is stored."""
    path = Path(path)
    result = import_warc(path, cancel=cancel)
    if not result.snapshots:
        why = f": {result.warnings[0]}" if result.warnings else ""
        raise LoadError(f"{path.name} holds no readable web page captures{why}")
    published = project.article().published
    stored = {snap.source_id for snap in project.snapshots()}
    matched: list[int] = []
    already: list[int] = []
    for source in project.sources():
        capture = capture_for(result.snapshots, source.url, before=published)
        if capture is None:
            continue
        if source.id in stored:
            already.append(source.id)
            continue
        store_snapshot(project, source.id, capture)
        matched.append(source.id)
    _remember_warc(project, path)
    return WarcSummary(len(result.snapshots), matched, result.warnings, already)


def fetch_sources(
    project: Project,
    *,
    claim_id: int | None = None,
    source_ids: list[int] | None = None,
    refetch: bool = False,
    settings: ArchiveSettings | None = None,
    cancel: threading.Event | None = None,
    progress: FetchProgress | None = None,
    workers: int = 8,
) -> FetchSummary:
    """Find and store a snapshot for every source that has none (or all, with refetch).

    Web archive files come first; then the archive chain, concurrently. A source stopped by
    Cancel is left as it was: nothing is wrong with it, so no error is recorded."""
    todo, skipped = sources_to_fetch(
        project, claim_id=claim_id, source_ids=source_ids, refetch=refetch
    )
    summary = FetchSummary(skipped=skipped)
    report = progress or (lambda _done, _total, _msg: None)
    total = len(todo)
    published = project.article().published
    todo = _from_remembered_warcs(project, todo, published, summary)
    done = total - len(todo)
    by_url: dict[str, list[int]] = {}
    for source in todo:
        by_url.setdefault(source.url, []).append(source.id)

    def on_result(url: str, outcome: Snapshot | FetchFailure) -> None:
        nonlocal done
        for source_id in by_url.get(url, []):
            done += 1
            if isinstance(outcome, FetchFailure) and outcome.kind is FailureKind.CANCELLED:
                continue
            if isinstance(outcome, FetchFailure):
                project.record_fetch_error(source_id, outcome.kind.value, str(outcome))
                summary.failed.append((source_id, str(outcome)))
                report(done, total, f"Failed: {url} — {outcome}")
            else:
                store_snapshot(project, source_id, outcome)
                summary.fetched.append(source_id)
                report(done, total, f"Fetched {url} ({outcome.archive})")

    if by_url:
        fetch_many(
            [(url, published) for url in by_url],
            settings=settings or archive_settings(),
            cancel=cancel,
            workers=workers,
            on_result=on_result,
        )
    summary.cancelled = bool(cancel and cancel.is_set())
    return summary


def _remember_warc(project: Project, path: Path) -> None:
    files = remembered_warcs(project)
    resolved = str(path.resolve())
    if resolved not in files:
        files.append(resolved)
        project.set_meta(WARC_META_KEY, json.dumps(files))


def warcs_beside_article(project: Project) -> list[Path]:
    """Web archive files in the article's own folder: newsrooms keep captures of an article's
    sources with it, and this is how the sample article's cited pages are found offline."""
    location = project.meta().get(ARTICLE_SOURCE_KEY, "")
    if not location or location.lower().startswith(("http://", "https://")):
        return []
    folder = Path(location).parent
    if not folder.is_dir():
        return []
    return sorted(
        p.resolve()
        for p in folder.iterdir()
        if p.is_file() and p.name.lower().endswith(WARC_SUFFIXES)
    )


def remembered_warcs(project: Project) -> list[str]:
    stored = project.meta().get(WARC_META_KEY) or "[]"
    return [str(p) for p in stored_json(stored, "The list of imported web-archive files", list)]


def _from_remembered_warcs(
    project: Project, todo: list[SourceRecord], published: str | None, summary: FetchSummary
) -> list[SourceRecord]:
    """Serve what the project's imported archive files hold; return what is still missing."""
    files = [Path(p) for p in remembered_warcs(project) if Path(p).is_file()]
    files += [p for p in warcs_beside_article(project) if p not in files]
    if not files or not todo:
        return todo
    captures: list[Snapshot] = []
    for path in files:
        try:
            captures.extend(import_warc(path).snapshots)
        except LoadError:
            continue  # the file moved or broke since import; the network is the fallback
    remaining = []
    for source in todo:
        capture = capture_for(captures, source.url, before=published)
        if capture is None:
            remaining.append(source)
            continue
        store_snapshot(project, source.id, capture)
        summary.from_warc.append(source.id)
    return remaining
