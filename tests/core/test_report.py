"""Verdict reports: every format checked against the project it was made from."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from test_report_fixtures import BODY_A, HOSTILE, build_small

from workbench.cli.main import main
from workbench.core.csvout import csv_cell
from workbench.core.errors import InvalidInputError, NotFoundError
from workbench.core.report.claimreview import claim_reviews
from workbench.core.report.data import (
    FLAG_NO_SOURCES,
    FLAG_NOT_APPROVED,
    FLAG_RETURNED,
    FLAG_UNCHECKED,
    gather,
)
from workbench.core.report.export import ReportOptions, render, report_data, write_report
from workbench.core.report.formats import md_escape, safe_url

NOW = "2024-04-01T12:00:00Z"


@pytest.fixture()
def project(tmp_path: Path):
    with build_small(tmp_path / "small.wbproj") as p:
        yield p


# ---------------------------------------------------------------------- gathered data
def test_gather_counts_and_inclusion(project) -> None:
    data = gather(project, now=NOW)
    assert data.total_claims == 6
    assert data.rated_claims == 4
    # check-worthy: scores 0.9, 0.8, 0.7, 0.6, 0.55 (claim 5 scores 0.1)
    assert (data.worthy_claims, data.worthy_rated) == (5, 4)
    assert [c.id for c in data.claims] == [1, 2, 3, 4, 6]  # claim 5: unrated, not worthy
    assert [c.number for c in data.claims] == [1, 2, 3, 4, 6]
    counts = {c.key: c.count for c in data.by_rating}
    assert counts == {
        "true": 1,
        "mostly-true": 0,
        "half-true": 1,
        "partly-false": 0,
        "mostly-false": 0,
        "false": 1,
        "misleading": 1,
        "unverifiable": 0,
    }
    statuses = {c.key: c.count for c in data.by_status}
    assert statuses == {
        "unchecked": 2,
        "in_progress": 0,
        "checked": 1,
        "approved": 2,
        "returned": 1,
    }
    assert data.reviewers == ("alice", "carol", "bob")  # current verdicts only, first-rated first
    assert data.last_verdict_at == max(c.claim.rated_at for c in data.claims if c.claim.rated_at)
    all_data = gather(project, include="all", now=NOW)
    assert [c.id for c in all_data.claims] == [1, 2, 3, 4, 5, 6]


def test_flags_and_sources(project) -> None:
    by_id = {c.id: c for c in gather(project, include="all").claims}
    assert by_id[1].flags == ()
    assert by_id[3].flags == (FLAG_NOT_APPROVED,)
    assert by_id[4].flags == (FLAG_NOT_APPROVED, FLAG_RETURNED, FLAG_NO_SOURCES)
    assert by_id[6].flags == (FLAG_UNCHECKED,)
    urls = [s.url for s in by_id[1].sources]
    assert urls == ["https://stats.example.org/labour", "https://ons.example.gov/labour"]
    ons = by_id[1].sources[1]
    assert ons.relation == "supports"
    assert ons.publisher == "Office for National Statistics"
    assert ons.captured_at == "2024-03-16T00:00:00Z"
    assert ons.archive_url.startswith("https://web.archive.org/web/2024")
    import hashlib

    assert ons.sha256 == hashlib.sha256(BODY_A).hexdigest()
    assert by_id[1].sources[0].sha256 is None  # the cited link was never fetched


# ---------------------------------------------------------------------- HTML
class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_self_contained_escaped_and_complete(project) -> None:
    html = render(project, "html", ReportOptions(now=NOW))
    parsed = _Collect()
    parsed.feed(html)
    tags = [t for t, _ in parsed.tags]
    # No script, no external resources: nothing is fetched when the file is opened.
    assert "script" not in tags
    assert not any(a.get("src") for _, a in parsed.tags)
    assert not [a for t, a in parsed.tags if t == "link"]
    # Hostile text shows as text: no injected element, no javascript: link.
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    hrefs = [a["href"] for t, a in parsed.tags if t == "a"]
    assert all(h.startswith("https://") for h in hrefs)
    text = " ".join(parsed.text)
    assert HOSTILE in text  # shown in full, as text
    # Each included claim appears once, anchored, with its verdict and sources.
    anchors = [a["id"] for t, a in parsed.tags if t == "article"]
    assert anchors == ["claim-1", "claim-2", "claim-3", "claim-4", "claim-6"]
    for label in ("True", "False", "Misleading", "Half true"):
        assert f"Verdict: {label}." in text
    assert "https://ons.example.gov/labour" in hrefs
    assert "bac909ed" in html or "SHA-256" in html
    assert text.count("UNCHECKED") >= 2  # summary flag and claim 6
    assert text.count("NOT YET APPROVED") == 2  # claims 3 and 4
    assert "RETURNED TO CHECKER" in text
    assert "Checked by" in text and "alice, carol, bob" in text
    assert "Report made" in text and "2024-04-01 12:00 UTC" in text
    # The scale, with each rating's description.
    for rating in project.scale.ratings:
        assert rating.description in text
    # The chart is inline SVG in scale colours.
    assert html.count("<svg") == 1
    assert 'fill="#1b7837"' in html  # True's colour
    assert "4 of 6 claims have a verdict (67%)" in text  # what the chart counts
    assert "Of the 5 check-worthy claims (score 0.50 or more), 4 have a verdict (80%)" in text


def test_template_override_replaces_only_given_files(project, tmp_path: Path) -> None:
    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "report.css").write_text("body { color: #123456; }", encoding="utf-8")
    html = render(project, "html", ReportOptions(template_dir=custom))
    assert "#123456" in html
    assert "Claim by claim" in html  # the shipped report.html.j2 is still used
    (custom / "report.md.j2").write_text("{{ data.claims|length }} claims", encoding="utf-8")
    assert render(project, "md", ReportOptions(template_dir=custom)) == "5 claims"
    with pytest.raises(NotFoundError):
        render(project, "html", ReportOptions(template_dir=tmp_path / "missing"))
    (custom / "report.md.j2").write_text("{{ nope.nothing }}", encoding="utf-8")
    with pytest.raises(InvalidInputError):
        render(project, "md", ReportOptions(template_dir=custom))


def test_a_template_cannot_reach_python(project, tmp_path: Path) -> None:
    """A shared template folder is a document, not a program: a template that reaches for
    Python's internals to run a command is refused in one line, and nothing runs."""
    custom = tmp_path / "tpl"
    custom.mkdir()
    ran = tmp_path / "ran"
    (custom / "report.md.j2").write_text(
        "{{ cycler.__init__.__globals__.os.system('touch " + str(ran) + "') }}", encoding="utf-8"
    )
    with pytest.raises(InvalidInputError, match="cannot be used"):
        render(project, "md", ReportOptions(template_dir=custom))
    assert not ran.exists()


# ---------------------------------------------------------------------- Markdown
def test_markdown_content_and_escaping(project) -> None:
    md = render(project, "md", ReportOptions(now=NOW))
    headings = re.findall(r"^### Claim (\d+)(.*)$", md, flags=re.M)
    assert [int(n) for n, _ in headings] == [1, 2, 3, 4, 6]
    assert headings[0][1] == ": True"
    assert "NOT YET APPROVED" in headings[2][1]
    assert "UNCHECKED" in headings[4][1]
    assert "<script>" not in md
    assert "[link](javascript:" not in md  # only the inert escaped form \\[link\\](...) is there
    assert "<https://ons.example.gov/labour>" in md
    assert "| True | 1 |" in md and "| No verdict | 2 |" in md
    assert "**4 of 6 claims have a verdict (67%)**" in md
    assert "Of the 5 check-worthy claims (score 0.50 or more), 4 have a verdict (80%)" in md
    # The archive line stays inside its list item (indented continuation).
    assert "\n  Archived copy: <https://web.archive.org/" in md


def test_md_escape_and_safe_url() -> None:
    assert md_escape("# x\n- y") == "\\# x - y"
    assert md_escape("<b>") == "&lt;b&gt;"
    assert md_escape("[a](b)") == "\\[a\\](b)"
    assert safe_url("javascript:alert(1)") == ""
    assert safe_url("https://x.org/a b>") == "https://x.org/a%20b%3E"


# ---------------------------------------------------------------------- CSV
def test_csv_rows_match_project(project) -> None:
    rows = list(csv.DictReader(io.StringIO(render(project, "csv"))))
    assert list(rows[0]) == [
        "id", "start", "end", "claim", "kind", "score", "status", "verdict_label",
        "verdict_id", "rationale", "rated_by", "rated_at", "sources", "flags",
    ]  # fmt: skip
    assert [int(r["id"]) for r in rows] == [1, 2, 3, 4, 6]
    by_id = {int(r["id"]): r for r in rows}
    for c in project.claims():
        if c.id not in by_id:
            continue
        row = by_id[c.id]
        assert (int(row["start"]), int(row["end"])) == (c.start, c.end)
        assert row["verdict_id"] == (c.rating or "")
        assert row["status"] == c.status
    assert (
        by_id[1]["sources"] == "https://stats.example.org/labour | https://ons.example.gov/labour"
    )
    assert by_id[2]["verdict_label"] == "False" and by_id[2]["rated_by"] == "alice"
    assert by_id[4]["flags"] == "NOT YET APPROVED; RETURNED TO CHECKER; NO SOURCES"
    assert by_id[6]["flags"] == "UNCHECKED" and by_id[6]["verdict_label"] == ""
    assert by_id[3]["claim"] == project.claim(3).text


def test_csv_defuses_formulas() -> None:
    assert csv_cell("=SUM(A1)") == "'=SUM(A1)"
    assert csv_cell("@cmd") == "'@cmd"
    assert csv_cell("plain") == "plain"


# ---------------------------------------------------------------------- ClaimReview
def test_claimreview_has_googles_required_fields(project) -> None:
    reviews = json.loads(render(project, "claimreview"))
    rated = [c for c in project.claims() if c.rating]
    assert len(reviews) == len(rated) == 4
    for review, claim in zip(reviews, rated, strict=True):
        # Required by Google: claimReviewed, reviewRating.alternateName, url.
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"] == claim.text
        assert review["url"] == f"https://news.example.com/budget#claim-{claim.id}"
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        assert rating["alternateName"] == project.scale.rating(claim.rating).label
        # Recommended: the review's author and date, the claim's appearance, author and date.
        assert review["author"] == {"@type": "Person", "name": claim.rated_by}
        assert review["datePublished"] == claim.rated_at
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["appearance"]["url"] == "https://news.example.com/budget"
        assert item["appearance"]["headline"].startswith("Budget speech")
        assert item["author"] == {"@type": "Person", "name": "Jane Writer"}
        assert item["datePublished"] == "2024-03-15"
        value = project.scale.value(claim.rating)
        if value is None:
            assert set(rating) == {"@type", "alternateName"}  # Misleading: no number
        else:
            assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (
                value,
                6,
                1,
            )
            assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert reviews[0]["reviewRating"]["ratingValue"] == 6  # True
    assert reviews[1]["reviewRating"]["ratingValue"] == 1  # False


def test_claimreview_options(project) -> None:
    data = gather(project)
    reviews = claim_reviews(
        data, review_url="https://checks.example.org/budget#top", organization="Example Checks",
        approved_only=True,
    )  # fmt: skip
    assert [r["url"] for r in reviews] == [
        "https://checks.example.org/budget#claim-1",
        "https://checks.example.org/budget#claim-2",
    ]
    assert all(r["author"] == {"@type": "Organization", "name": "Example Checks"} for r in reviews)


# ---------------------------------------------------------------------- API and CLI
def test_formats_and_errors(project, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError):
        render(project, "docx")
    with pytest.raises(InvalidInputError):
        render(project, "pdf")
    out = write_report(project, "csv", tmp_path / "r.csv")
    assert out.read_bytes().count(b"\r\n") == 6  # header + 5 claims
    assert json.loads(render(project, "json"))["format"] == "workbench-project"


def test_cli_report_and_import(project, tmp_path: Path, capsys) -> None:
    path = str(project.path)
    assert main(["report", path, "--format", "md"]) == 0
    assert "### Claim 1: True" in capsys.readouterr().out
    assert main(["report", path, "--format", "csv", "--all"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 7
    assert main(["report", path, "--format", "pdf"]) == 1
    assert "-o FILE" in capsys.readouterr().err
    out = tmp_path / "r.html"
    assert main(["report", path, "-f", "html", "-o", str(out)]) == 0
    assert out.read_text("utf-8").startswith("<!doctype html>")
    exported = tmp_path / "p.json"
    assert main(["report", path, "-f", "json", "-o", str(exported)]) == 0
    assert main(["import-json", str(exported), str(tmp_path / "copy.wbproj")]) == 0
    assert capsys.readouterr().out.startswith("6 claims")
    assert main(["import-json", str(exported), str(tmp_path / "copy.wbproj")]) == 1
    assert "already exists" in capsys.readouterr().err


def test_source_evaluations_appear_beside_their_sources(project) -> None:
    from workbench.core.project.evaluation import record_evaluation

    source = next(s for s in project.sources() if s.url == "https://schools.example.org/report")
    record_evaluation(
        project,
        source.id,
        {"kind": "news", "behind": "Schools Weekly", "independent": "yes", "corroborated": "no"},
    )
    html = render(project, "html", ReportOptions(now=NOW, include="all"))
    md = render(project, "md", ReportOptions(now=NOW, include="all"))
    for text in (html, md):
        assert "Source evaluation: News report" in text
        assert "Schools Weekly" in text
        # The fixture's other evaluation is not a checklist: flagged, never a crash.
        assert "Source evaluation: Evaluation incomplete" in text
        assert text.count("Source evaluation:") == 2


def test_the_summary_says_what_its_chart_counts_and_the_check_worthy_apart(
    tmp_path: Path, seed_path: Path
) -> None:
    """An editor read '0 of 2 check-worthy claims have a verdict (0%)' above a chart of three
    verdicts (those claims scored under the check-worthy line). The summary now leads with
    what the chart counts, verdicts on all claims, and says the check-worthy ones apart; in
    HTML, the PDF's document and Markdown alike."""
    from workbench.core.project.create import new_project
    from workbench.core.report.data import CHECK_WORTHY
    from workbench.core.report.pdf import PDF_TEMPLATE, render_template

    def said(project: Any) -> list[str]:
        pages = [
            render(project, "html", ReportOptions(now=NOW)),
            render_template(PDF_TEMPLATE, report_data(project, ReportOptions(now=NOW))),
            render(project, "md", ReportOptions(now=NOW)).replace("**", ""),
        ]
        words = [" ".join(re.sub(r"<[^>]+>", " ", page).split()) for page in pages]
        return [re.sub(r" ([,.:])", r"\1", text) for text in words]

    with new_project(tmp_path / "seed.wbproj", seed_path) as project:
        claims = project.claims()
        total = len(claims)
        worthy = [c for c in claims if c.score >= CHECK_WORTHY]
        assert len(worthy) >= 2  # the seed article's
        for claim in [c for c in claims if c.score < CHECK_WORTHY][:3]:
            project.set_verdict(claim.id, "false", "Checked")
        for text in said(project):
            assert (
                f"3 of {total} claims have a verdict ({3 / total:.0%}), counted by rating below. "
                f"Of the {len(worthy)} check-worthy claims (score 0.50 or more), 0 have a "
                f"verdict (0%): {len(worthy)} UNCHECKED."
            ) in text, text[:3000]
        project.set_verdict(worthy[0].id, "true", "Checked")
        for text in said(project):
            assert f"4 of {total} claims have a verdict" in text
            assert f"Of the {len(worthy)} check-worthy claims (score 0.50 or more), 1 has a" in text
        for claim in worthy[1:]:
            project.set_verdict(claim.id, "true", "Checked")
        for text in said(project):
            assert f"All {len(worthy)} check-worthy claims (score 0.50 or more) have a" in text
            assert "UNCHECKED." not in text


@pytest.mark.parametrize("published", ["2016-01-15", None])
def test_the_report_cites_the_copy_nearest_the_article_not_the_newest_fetched(
    tmp_path: Path, published: str | None
) -> None:
    """The report cited a source's newest stored copy, so fetching a capture made years
    after the article in the History tab (to see how the page changed) silently made it the
    report's evidence. It cites the archived copy made nearest the article on or before its
    date (else the first after it); with no article date, the newest as before. Citations
    (Copy citation) follow the same choice."""
    from workbench.core.article.model import Article
    from workbench.core.claims.finder import ClaimCandidate
    from workbench.core.project.store import Project
    from workbench.core.report.citation import cited_copy
    from workbench.core.sources.fetch import store_snapshot
    from workbench.core.sources.snapshot import Snapshot

    text = "Traffic rose by 12 per cent last year."
    article = Article("Port", "", published, None, text, (), text.encode())
    claim = ClaimCandidate(0, len(text), text, "statistic", 0.9)
    url = "https://port.example.org/reports/annual"
    with Project.create(tmp_path / "p.wbproj", article, [claim]) as project:
        claim_id = project.claims()[0].id
        source_id = project.attach_source(claim_id, url)
        project.set_verdict(claim_id, "true", "The report says so.")
        stored = {}
        # As a checker stores them: the fetch's choice, a later one, then an older one.
        for when in ("2015-12-01T10:00:00Z", "2019-05-02T10:00:00Z", "2015-03-01T10:00:00Z"):
            page = f"<html><body><p>Traffic rose ({when}).</p></body></html>".encode()
            archived = f"https://web.archive.org/web/{when[:4]}/{url}"
            snap = Snapshot(url, "wayback", archived, when, 200, "text/html", page)
            stored[when] = store_snapshot(project, source_id, snap)
        live = Snapshot(url, "live", None, "2026-01-01T00:00:00Z", 200, "text/html", b"<p>x</p>")
        store_snapshot(project, source_id, live)  # a live copy is cited only when alone
        expected = "2015-12-01T10:00:00Z" if published else "2015-03-01T10:00:00Z"
        source = report_data(project, ReportOptions(now=NOW)).claims[0].sources[0]
        assert source.captured_at == expected
        chosen = cited_copy(project, source_id).snapshot
        assert chosen is not None and chosen.captured_at == expected
        assert f"captured {expected[:10]}" in render(project, "md", ReportOptions(now=NOW))
