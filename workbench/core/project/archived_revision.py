"""The article's revision from the Wayback Machine instead of the live page: the newest capture
of the article's URL made after the text the project holds (or the capture closest to a time
the person gives), replayed raw (`id_`) and kept as a version through `refresh_article`.

Useful when the article is gone or paywalled now, and to see what readers saw on a given day.
The index and playback requests go through SafeClient, so the CDX pool and playback rates of
../shared/research/archives.md hold here as for sources.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from workbench.core.article.decode import decode_bytes
from workbench.core.article.load import article_from_html, article_from_text
from workbench.core.article.model import Article
from workbench.core.errors import InvalidInputError, NotFoundError
from workbench.core.net.http import SafeClient
from workbench.core.net.settings import ArchiveSettings
from workbench.core.project.revisions import Revision, refresh_article
from workbench.core.project.store import Project
from workbench.core.settings import archive_settings
from workbench.core.sources.archive.select import (
    Capture,
    parse_published,
    parse_timestamp,
    timestamp14,
)
from workbench.core.sources.archive.wayback import Memento, cdx_history, fetch_memento, playback_url

AROUND_DAYS = 365  # a capture asked for by time is looked for this far on each side of it
HTML_TYPES = ("text/html", "application/xhtml+xml")


def refresh_from_archive(
    project: Project,
    at: str | None = None,
    *,
    settings: ArchiveSettings | None = None,
    client: SafeClient | None = None,
    cancel: threading.Event | None = None,
    actor: str | None = None,
) -> Revision:
    """Load the article from an archived capture of its URL and keep it as a version when its
    text changed. `at` (1-14 digits): the capture closest to that time; None: the newest
    capture made after the text the project holds (see held_since)."""
    url = project.article().url
    if not url:
        raise InvalidInputError(
            "The article was made from a file and has no URL, so no archive holds it; "
            "give the revision with --from."
        )
    owned = client is None
    client = client or SafeClient(settings or archive_settings())
    try:
        capture = _choose(client, url, at, held_since(project), cancel)
        memento = fetch_memento(client, capture, cancel=cancel)
    finally:
        if owned:
            client.close()
    archive_url = playback_url(
        client.settings.wayback_url,
        timestamp14(parse_published(memento.memento_datetime) or capture.moment),
        memento.original or capture.original,
        "",
    )
    return refresh_article(
        project,
        location=archive_url,
        article=_article(memento, url),
        origin="archive",
        archive_url=archive_url,
        captured_at=memento.memento_datetime,
        actor=actor,
    )


def held_since(project: Project) -> tuple[datetime | None, str]:
    """Since when the text the project holds is known to be current, and how to say it: its
    capture time; else, loaded from the web, when it was loaded; else (a file, saved at some
    unknown time) the article's date."""
    newest = project.article_versions()[-1]
    if newest.captured_at:
        return parse_published(newest.captured_at), "the capture the project holds"
    if newest.source_kind == "url" or newest.origin == "live":
        return parse_published(newest.loaded_at), "when the text the project holds was loaded"
    published = project.article().published
    return parse_published(published), "the article's date; its text came from a file"


def _choose(
    client: SafeClient,
    url: str,
    at: str | None,
    held: tuple[datetime | None, str],
    cancel: threading.Event | None,
) -> Capture:
    if at is not None:
        if not at.isdigit() or not 1 <= len(at) <= 14:
            raise InvalidInputError(
                f"'{at}' is not a capture time; give YYYYMMDDhhmmss (or a prefix)."
            )
        target = parse_timestamp(at)
        window = timedelta(days=AROUND_DAYS)
        found = _readable(cdx_history(client, url, start=target - window, end=target + window,
                                      cancel=cancel).captures)  # fmt: skip
        if not found:
            raise NotFoundError(
                f"The Wayback Machine has no capture of {url} within a year of {at}."
            )
        return min(found, key=lambda c: abs((c.moment - target).total_seconds()))
    since, what = held
    after = since + timedelta(seconds=1) if since else None
    found = _readable(cdx_history(client, url, start=after, cancel=cancel).captures)
    if not found:
        when = f" after {since:%Y-%m-%d %H:%M} UTC ({what})" if since else ""
        raise NotFoundError(f"The Wayback Machine has no capture of {url}{when}.")
    return found[-1]


def _readable(captures: list[Capture]) -> list[Capture]:
    """Captures of a page that answered 2xx (redirects and errors hold no article text)."""
    return [c for c in captures if c.status is not None and 200 <= c.status < 300]


def _article(memento: Memento, url: str) -> Article:
    kind = (memento.content_type or "text/html").split(";")[0].strip().lower()
    if memento.status >= 300:
        raise NotFoundError(
            f"The capture of {url} from {memento.memento_datetime} is an archived HTTP "
            f"{memento.status} page, not the article."
        )
    if kind in HTML_TYPES:
        html = decode_bytes(memento.body, declared=memento.charset, is_html=True).text
        return article_from_html(html, url=url)
    if kind == "text/plain":
        return article_from_text(decode_bytes(memento.body, declared=memento.charset).text, url=url)
    raise InvalidInputError(f"The capture of {url} is a {kind} file, not an article page.")
