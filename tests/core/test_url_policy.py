"""Issue 10.1: one URL policy for the whole program (only http and https, everywhere)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.article.load import article_from_html, article_from_text, article_from_url
from workbench.core.errors import InvalidInputError, LoadError
from workbench.core.net.errors import FetchFailure
from workbench.core.net.http import SafeClient
from workbench.core.net.urls import is_web_url, require_web_url, typed_web_url, web_url
from workbench.core.project.create import new_project
from workbench.core.report.formats import safe_url

NOT_WEB = [
    "file:///usr/bin/xcalc",
    "smb://host/share",
    "ms-msdt:/id PCWDiagnostic",
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "ftp://example.org/file",
    "java\tscript:alert(1)",
    "http://",
    "https:///path-only",
    "http://exa mple.org/",
    "http://example.org:99999/",
    "//example.org/relative",
    "example.org",
    "",
]
WEB = ["http://example.org", "https://example.org/a?b=c#d", "HTTPS://Example.org/x"]


@pytest.mark.parametrize("url", NOT_WEB)
def test_only_http_and_https_are_web_addresses(url: str) -> None:
    assert web_url(url) is None and not is_web_url(url)
    with pytest.raises(InvalidInputError, match="only http:// and https://"):
        require_web_url(url)
    assert safe_url(url) == ""


@pytest.mark.parametrize("url", WEB)
def test_web_addresses_pass_unchanged(url: str) -> None:
    assert web_url(f"  {url} ") == url


def test_article_links_to_other_schemes_stay_plain_text() -> None:
    page = (
        "<html><body><article><h1>T</h1><p>Run <a href='file:///usr/bin/xcalc'>this tool</a>, "
        "see <a href='smb://host/share'>the share</a>, <a href='ms-msdt:/id x'>help</a> and "
        "<a href='https://example.org/ok'>a web page</a>. "
        + "Filler sentence here. " * 20
        + "</p></article></body></html>"
    )
    article = article_from_html(page, url="https://example.org/article")
    assert [lk.href for lk in article.links] == ["https://example.org/ok"]
    assert "this tool" in article.text and "the share" in article.text


def test_relative_links_without_a_base_are_not_links() -> None:
    page = "<html><body><article><p>" + "Words here. " * 30 + "<a href='/x'>rel</a></p>"
    article = article_from_html(page + "</article></body></html>")
    assert article.links == ()


def test_a_canonical_address_that_is_not_web_is_ignored() -> None:
    page = (
        "<html><head><link rel='canonical' href='file:///etc/passwd'></head><body><article><p>"
        + "Words here. " * 30
        + "</p></article></body></html>"
    )
    assert article_from_html(page, url="https://example.org/a").url == "https://example.org/a"


def test_plain_text_links_are_only_web_addresses() -> None:
    article = article_from_text("Title\n\nSee https://example.org/a and http:// there.")
    assert [lk.href for lk in article.links] == ["https://example.org/a"]


def test_sources_are_only_web_addresses(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("Title\n\nThe rate rose by 5 percent in 2020, the office said.\n")
    project = new_project(tmp_path / "a.wbproj", text)
    claim = project.claims()[0].id
    for url in ("file:///etc/passwd", "smb://host/share", "http://exa mple.org/"):
        with pytest.raises(InvalidInputError, match="not a web address"):
            project.attach_source(claim, url)
    assert project.attach_source(claim, " https://example.org/a ") > 0
    assert [s.source.url for s in project.claim_sources(claim)] == ["https://example.org/a"]
    project.close()


def test_article_from_url_refuses_other_schemes() -> None:
    for url in ("file:///etc/passwd", "http://", "http://exa mple.org/"):
        with pytest.raises(LoadError, match="not a web address"):
            article_from_url(url)


def test_fetching_refuses_other_schemes() -> None:
    with SafeClient() as client:
        for url in ("file:///etc/passwd", "ftp://example.org/", "http://example.org:0x50/"):
            with pytest.raises(FetchFailure, match="only http:// and https://"):
                client.check_destination(url)


PAGE_WITH_BAD_LINKS = (
    "<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1><p>"
    + "The port handled 4 million tonnes in 2023, the authority said. " * 5
    + "See <a href='file:///usr/bin/xcalc'>the tool</a> and <a href='smb://host/share'>the "
    "share</a> and <a href='https://example.org/ok'>the report</a>.</p></article></body></html>"
)


def test_loading_says_which_links_were_kept_as_text(tmp_path: Path) -> None:
    import subprocess
    import sys

    page = tmp_path / "harbour.html"
    page.write_text(PAGE_WITH_BAD_LINKS)
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "new", str(tmp_path / "h.wbproj"), str(page)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "2 links in the article ('file:///usr/bin/xcalc', 'smb://host/share')" in warnings[0]
    assert "kept as plain text" in warnings[0]


def test_imported_exports_name_the_links_kept_as_text(tmp_path: Path, capsys) -> None:
    """A link to another scheme in a JSON export (hand-edited, or from another tool) stays text
    like one in a loaded article, and the import says so instead of dropping it silently; the
    note survives the next export and import."""
    import json

    from workbench.cli.main import main
    from workbench.core.project.jsonio import export_project, import_project
    from workbench.core.project.store import Project

    page = tmp_path / "harbour.html"
    page.write_text(PAGE_WITH_BAD_LINKS)
    with new_project(tmp_path / "h.wbproj", page) as project:
        data = export_project(project)
    web = data["article"]["links"][0]
    data["article"]["refused_links"] = []
    data["article"]["links"].append({**web, "href": "javascript:alert(1)"})
    exported = tmp_path / "edited.json"
    exported.write_text(json.dumps(data))
    assert main(["import-json", str(exported), str(tmp_path / "copy.wbproj")]) == 0
    err = capsys.readouterr().err
    assert "A link in the article ('javascript:alert(1)') is not a web address" in err
    with Project.open(tmp_path / "copy.wbproj") as copy:
        assert all(k.href.startswith("http") for k in copy.article().links)
        again = export_project(copy)
    assert again["article"]["refused_links"] == ["javascript:alert(1)"]
    with import_project(again, tmp_path / "copy2.wbproj") as second:
        assert "javascript:alert(1)" in second.meta()["refused_links"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("www.example.org/traffic-count-2025", "https://www.example.org/traffic-count-2025"),
        ("  example.org:8080/a?b=1 ", "https://example.org:8080/a?b=1"),
        ("news.bbc.co.uk", "https://news.bbc.co.uk"),
        ("http://example.org/x", "http://example.org/x"),  # a scheme typed is kept
        ("javascript:alert(1)", None),
        ("ftp://example.org/x", None),
        ("localhost/x", None),  # no dot: a word, not an address
        ("Reuters report of 12 May", None),
        ("example.org/a b", None),
        ("", None),
    ],
)
def test_a_typed_address_without_a_scheme_gets_https(typed: str, expected: str | None) -> None:
    """What people type or copy from an address bar: "www.example.org/page" is a web address
    (https:// added, as a browser does); other schemes and plain words still are not."""
    assert typed_web_url(typed) == expected
