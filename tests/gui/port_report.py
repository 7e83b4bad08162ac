"""The port authority's annual report: one cited page whose archived copies differ (the figure
edited, the quotation removed), and a two-claim project citing it, for the History tab's and the
review pane's Changes tests."""

from __future__ import annotations

from pathlib import Path

from workbench.core.article.model import Article
from workbench.core.claims.finder import ClaimCandidate, Quote
from workbench.core.project.store import Project
from workbench.core.sources.fetch import store_snapshot
from workbench.core.sources.snapshot import Snapshot

QUOTE = "We expect the harbour to close by 2029"
TEXT = f'Traffic rose by 12 per cent. "{QUOTE}," the report warned.'


def page(figure: str, quote: bool, extra: str = "") -> bytes:
    """The report as archived: `figure` per cent, with or without the quotation."""
    said = f"<p>&ldquo;{QUOTE},&rdquo; the report warned the council.</p>" if quote else ""
    return (
        "<html><head><title>Annual report</title></head><body><article><h1>Annual report</h1>"
        f"<p>Traffic through the port rose by {figure} per cent last year, the port authority "
        f"said in its annual report.</p>{said}<p>The authority publishes its figures every "
        f"spring, audited by the regional office before they appear here.</p>{extra}"
        "</article></body></html>"
    ).encode()


def port_project(path: Path, url: str, copies: tuple[tuple[str, bytes], ...] = ()) -> Path:
    """A statistic and a quotation, both citing `url`, with `copies` (capture time, page) of it
    stored as Wayback snapshots."""
    q = TEXT.index(QUOTE)
    second = TEXT.index('"')
    claims = [
        ClaimCandidate(0, second - 1, TEXT[: second - 1], "statistic", 0.9),
        ClaimCandidate(second, len(TEXT), TEXT[second:], "quote", 0.8,
                       quotes=(Quote(q, q + len(QUOTE), "the report"),)),
    ]  # fmt: skip
    article = Article("Port", "", "2016-01-15", None, TEXT, (), TEXT.encode())
    with Project.create(path, article, claims) as project:
        for claim in project.claims():
            source_id = project.attach_source(claim.id, url)
        for when, body in copies:
            archived = f"https://archive.example.org/web/{when[:4]}/{url}"
            snapshot = Snapshot(url, "wayback", archived, when, 200, "text/html", body)
            store_snapshot(project, source_id, snapshot)
    return path
