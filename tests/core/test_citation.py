"""Citations naming the original URL, the archived copy and its capture time, and the access
date (issue 14). Each expected string was checked by hand against the style."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.core.article.model import Article
from workbench.core.errors import InvalidInputError
from workbench.core.project.store import Project
from workbench.core.report.citation import STYLES, cite
from workbench.core.sources.snapshot import Snapshot

URL = "http://www.example.com/ridgeway-engineering/reports/millbrook-bridge-feasibility"
ARCHIVED = f"https://web.archive.example.org/web/20260305101500/{URL}"


@pytest.fixture()
def project(tmp_path: Path) -> Project:
    text = "The bridge would carry 14,000 vehicles a day."
    p = Project.create(tmp_path / "c.wbproj", Article("T", "", None, None, text), [])
    p.add_claim(0, len(text))
    sid = p.attach_source(p.claims()[0].id, URL)
    p.update_source(
        sid,
        title="Millbrook Bridge replacement: feasibility study",
        publisher="Ridgeway Engineering",
        published="2026-02-20",
    )
    snap = Snapshot(
        original_url=URL,
        archive="wayback",
        archive_url=ARCHIVED,
        captured_at="2026-03-05T10:15:00Z",
        http_status=200,
        content_type="text/html",
        body=b"<html><body><p>Study</p></body></html>",
        fetched_at="2026-03-14T09:30:00Z",
    )
    p.add_snapshot(sid, snap, text="Study")
    yield p
    p.close()


EXPECTED = {
    "apa": (
        "Ridgeway Engineering. (2026, February 20). Millbrook Bridge replacement: feasibility "
        "study. Internet Archive, captured 5 March 2026, 10:15 UTC; accessed 14 March 2026 "
        f"({ARCHIVED}). {URL}"
    ),
    "chicago": (
        "Ridgeway Engineering. 2026. “Millbrook Bridge Replacement: Feasibility Study”. "
        f"February 20. {ARCHIVED}. Internet Archive, captured 5 March "
        f"2026, 10:15 UTC; accessed 14 March 2026. {URL}."
    ),
    "mla": (
        "Ridgeway Engineering. Millbrook Bridge Replacement: Feasibility Study. 20 Feb. 2026, "
        "Internet Archive, captured 5 March 2026, 10:15 UTC; "
        f"accessed 14 March 2026, {ARCHIVED}, {URL}."
    ),
    "bibtex": (
        "@online{source-1,\n"
        "  title = {Millbrook Bridge replacement: feasibility study},\n"
        "  author = {{Ridgeway Engineering}},\n"
        "  organization = {Ridgeway Engineering},\n"
        "  date = {2026-02-20},\n"
        f"  url = {{{URL}}},\n"
        "  urldate = {2026-03-14},\n"
        f"  note = {{Archived in Internet Archive on 2026-03-05 10:15 UTC at {ARCHIVED}}},\n"
        "}"
    ),
    "ris": (
        "TY  - ELEC\n"
        "TI  - Millbrook Bridge replacement: feasibility study\n"
        "AU  - Ridgeway Engineering\n"
        "PB  - Ridgeway Engineering\n"
        "PY  - 2026\n"
        "DA  - 2026/02/20\n"
        f"UR  - {URL}\n"
        "Y2  - 2026/03/14\n"
        "DB  - Internet Archive\n"
        f"N1  - Archived in Internet Archive on 2026-03-05 10:15 UTC at {ARCHIVED}\n"
        "ER  -"
    ),
}


@pytest.mark.parametrize("style", sorted(EXPECTED))
def test_each_style_against_a_hand_checked_string(project: Project, style: str) -> None:
    assert cite(project, 1, style) == EXPECTED[style]


def test_csl_json_keeps_each_fact_in_its_field(project: Project) -> None:
    [item] = json.loads(cite(project, 1, "csl-json"))
    assert item == {
        "id": "source-1",
        "type": "webpage",
        "title": "Millbrook Bridge replacement: feasibility study",
        "author": [{"literal": "Ridgeway Engineering"}],
        "URL": URL,
        "issued": {"date-parts": [[2026, 2, 20]]},
        "accessed": {"date-parts": [[2026, 3, 14]]},
        "archive": "Internet Archive",
        "archive_location": ARCHIVED,
        "note": "Archived copy captured 2026-03-05T10:15:00Z",
    }


def test_every_style_names_the_four_facts(project: Project) -> None:
    for style in (s for s in STYLES if s != "csl-json"):  # its fields are checked above
        text = cite(project, 1, style)
        assert URL in text and ARCHIVED in text, style
        assert any(x in text for x in ("2026-03-05", "5 March 2026")), style
        assert any(x in text for x in ("2026-03-14", "2026/03/14", "14 March 2026")), style


def test_an_unknown_style_is_a_clear_message(project: Project) -> None:
    with pytest.raises(InvalidInputError, match="not a citation style"):
        cite(project, 1, "harvard")


def test_the_report_writes_sources_in_the_chosen_style(project: Project) -> None:
    from workbench.core.report.export import ReportOptions, render

    html = render(project, "html", ReportOptions(include="all", citation_style="apa"))
    assert f'<span class="citation">{EXPECTED["apa"]}</span>' in html
    plain = render(project, "html", ReportOptions(include="all"))
    assert 'class="citation"' not in plain
    with pytest.raises(InvalidInputError, match="not a citation style for a report"):
        render(project, "html", ReportOptions(include="all", citation_style="ris"))


def test_an_archived_address_that_is_not_web_is_not_cited_as_a_link() -> None:
    """The citation's archive link follows the one URL policy (core/net/urls.py): a stored
    archive address with another scheme (an older or hand-edited project) is not a link."""
    from workbench.core.report.citation import CitedCopy

    for bad in ("javascript:alert(1)", "file:///etc/passwd", "http://"):
        copy = CitedCopy.__new__(CitedCopy)
        object.__setattr__(copy, "snapshot", _Snap(archive="wayback", archive_url=bad))
        assert copy.archived_url is None, bad
    good = CitedCopy.__new__(CitedCopy)
    object.__setattr__(good, "snapshot", _Snap(archive="wayback", archive_url="https://a.org/x"))
    assert good.archived_url == "https://a.org/x"


class _Snap:
    def __init__(self, archive: str, archive_url: str) -> None:
        self.archive = archive
        self.archive_url = archive_url


def test_a_date_guessed_from_the_page_is_not_cited(project: Project) -> None:
    project.update_source(1, published=None)
    project.conn.execute("UPDATE snapshots SET published = '2025-01-01'")
    assert "(n.d.)" in cite(project, 1, "apa")
    assert "2025" not in cite(project, 1, "bibtex")
