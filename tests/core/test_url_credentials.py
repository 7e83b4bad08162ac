"""An address typed or linked with a user name and password in it
(https://bob:hunter2@host/...): the password is never kept in the project, never shown in a
report or export, and never sent to the web archives with the address."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from test_report_fixtures import article_and_claims

from workbench.core.article.model import Link
from workbench.core.net.urls import kept_url, shown
from workbench.core.project.create import _source_location
from workbench.core.project.jsonio import write_export
from workbench.core.project.store import Project
from workbench.core.report.export import render

SECRET = "hunter2"
ARTICLE = f"https://bob:{SECRET}@news.example.com/budget"
LINKED = f"https://ann:{SECRET}@stats.example.org/labour"


def _project(tmp_path: Path) -> Project:
    article, claims = article_and_claims()
    link = article.links[0]
    article = dataclasses.replace(
        article, url=ARTICLE, links=(Link(link.start, link.end, LINKED, link.text),)
    )
    return Project.create(tmp_path / "p.wbproj", article, claims)


def test_no_password_is_kept_from_the_article_or_its_links(tmp_path: Path) -> None:
    with _project(tmp_path) as project:
        assert project.article().url == "https://news.example.com/budget"
        assert [s.url for s in project.sources()] == ["https://stats.example.org/labour"]
        sid = project.attach_source(1, f"https://carl:{SECRET}@data.example.net/table")
        same = project.attach_source(2, "https://data.example.net/table")
        assert sid == same  # one source, found by the address alone
        for fmt in ("html", "md", "csv", "claimreview"):
            assert SECRET not in render(project, fmt), fmt
        out = write_export(project, tmp_path / "export.json")
        assert SECRET not in out.read_text("utf-8")
    assert SECRET.encode() not in (tmp_path / "p.wbproj").read_bytes()


def test_the_typed_article_address_is_kept_without_its_password() -> None:
    assert _source_location(ARTICLE) == "https://news.example.com/budget"
    assert kept_url(ARTICLE) == "https://news.example.com/budget"
    assert kept_url("https://news.example.com/a@b") == "https://news.example.com/a@b"


def test_a_refused_address_is_named_without_its_password() -> None:
    assert SECRET not in shown(f"ftp://bob:{SECRET}@files.example.org/x")
    assert json.dumps(shown("ftp://files.example.org/x")) == json.dumps(
        "'ftp://files.example.org/x'"
    )
