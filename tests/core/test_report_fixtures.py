"""Projects for the report tests: a small hand-made one with hostile text, and the seed article.

Kept as a module of builders (no tests) so test_report*.py and test_project_json.py share them.
"""

from __future__ import annotations

from pathlib import Path

from workbench.core.article.model import Article, Link
from workbench.core.claims.finder import ClaimCandidate, Quote
from workbench.core.project.store import Project
from workbench.core.sources.snapshot import Snapshot

HOSTILE = (
    '<script>alert("x")</script> & =HYPERLINK("http://evil") *bold* [link](javascript:alert(1))'
)

SENTENCES = (
    "Unemployment fell to 3.9% in March, the lowest level in a decade.",
    "The minister said “we built 200 schools” during the campaign.",
    f"Critics claim {HOSTILE} is everywhere.",
    "Exports doubled between 2010 and 2020.",
    "The weather was pleasant.",
    "Crime rose by 12% last year according to police figures.",
)
SCORES = (0.9, 0.8, 0.7, 0.6, 0.1, 0.55)
KINDS = ("fact", "quotation", "attribution", "fact", "opinion", "fact")

BODY_A = b"<html><body>Labour market statistics, March: 3.9%</body></html>"
BODY_B = b"\x00\x01binary evidence\xff"


def article_and_claims() -> tuple[Article, list[ClaimCandidate]]:
    text = " ".join(SENTENCES)
    cands = []
    pos = 0
    for sentence, score, kind in zip(SENTENCES, SCORES, KINDS, strict=True):
        start = text.index(sentence, pos)
        end = start + len(sentence)
        quotes = ()
        if "“" in sentence:
            q0 = text.index("“", start)
            quotes = (Quote(q0, text.index("”", q0) + 1, "The minister"),)
        cands.append(ClaimCandidate(start, end, sentence, kind, score, ("number",), quotes))
        pos = end
    link_start = text.index("3.9%")
    links = (Link(link_start, link_start + 4, "https://stats.example.org/labour", "3.9%"),)
    article = Article(
        title=f"Budget speech {HOSTILE}",
        byline="Jane Writer",
        published="2024-03-15",
        url="https://news.example.com/budget",
        text=text,
        links=links,
        raw=text.encode("utf-8"),
        source_kind="text",
        encoding="utf-8",
    )
    return article, cands


def build_small(path: Path) -> Project:
    """Six claims: two approved, one checked (not approved), one returned, two unrated.

    Claim ids 1..6 follow article order. Claim 5 scores 0.1 (not check-worthy, unrated),
    claim 6 scores 0.55 (check-worthy, unrated).
    """
    article, cands = article_and_claims()
    project = Project.create(path, article, cands)
    # Claim 1: cited link from the article + a supporting source with a snapshot; approved.
    project.set_verdict(1, "true", "ONS figures confirm 3.9%.", reviewer="alice")
    src = project.attach_source(
        1,
        "https://ons.example.gov/labour",
        relation="supports",
        note="Table A01",
        title="ONS labour market",
    )
    project.update_source(
        src, publisher="Office for National Statistics", evaluation={"reliability": "high"}
    )
    project.add_snapshot(
        src,
        Snapshot(
            original_url="https://ons.example.gov/labour",
            archive="wayback",
            archive_url="https://web.archive.org/web/20240316000000/https://ons.example.gov/labour",
            captured_at="2024-03-16T00:00:00Z",
            http_status=200,
            content_type="text/html",
            body=BODY_A,
            fetched_at="2024-03-20T10:00:00Z",
        ),
        text="Labour market statistics",
        title="ONS labour market",
    )
    project.set_status(1, "approved", actor="editor-ed")
    # Claim 2: first rated mostly-true, then changed to false (history of two verdicts).
    project.set_verdict(2, "mostly-true", "First look.", reviewer="bob")
    project.set_verdict(2, "false", "Only 120 schools were built.", reviewer="alice")
    src2 = project.attach_source(2, "https://schools.example.org/report", relation="refutes")
    project.add_snapshot(
        src2,
        Snapshot(
            original_url="https://schools.example.org/report",
            archive="live",
            archive_url=None,
            captured_at=None,
            http_status=200,
            content_type="application/octet-stream",
            body=BODY_B,
            fetched_at="2024-03-21T09:30:00Z",
        ),
    )
    project.set_status(2, "approved", actor="editor-ed")
    # Claim 3: hostile text, rated outside the ordinal order, with a hostile rationale; checked only.
    project.set_verdict(3, "misleading", HOSTILE, reviewer="carol")
    project.attach_source(3, "https://blog.example.net/post", relation="context", note=HOSTILE)
    # Claim 4: rated, then sent back by the editor.
    project.set_verdict(4, "half-true", "Depends on the base year.", reviewer="bob")
    project.set_status(4, "returned", note="Check the base year", actor="editor-ed")
    return project
