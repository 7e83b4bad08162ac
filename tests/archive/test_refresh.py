"""`workbench refresh` on an article URL whose text changes between two loads (issue 14)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fake_archive import FakeArchive, LoggedRequest, Reply

from workbench.cli.main import main
from workbench.core.project.store import Project

FIRST = [
    "The council approved the budget on Tuesday after a long debate.",
    "Spending on roads rises by 12 per cent this year, the finance officer said.",
    "The mayor promised a new bridge over the estuary by 2028.",
    "Officials expect the harbour to reopen in May after the repairs.",
]
SECOND = [
    FIRST[0],
    "Spending on roads rises by 14 per cent this year, the finance officer said.",
    FIRST[3],
    "A new ferry service will start in June, the operator announced on Friday.",
]


def html(paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<html><head><title>Council budget</title>"
        '<meta name="author" content="A. Writer"><meta name="date" content="2026-03-12">'
        f"</head><body><article><h1>Council budget</h1>{body}</article></body></html>"
    ).encode()


@pytest.fixture()
def site(fake: FakeArchive, monkeypatch: pytest.MonkeyPatch) -> FakeArchive:
    for name in ("WORKBENCH_WAYBACK_URL", "WORKBENCH_AVAILABILITY_URL", "WORKBENCH_MEMENTO_URL"):
        monkeypatch.setenv(name, fake.base_url)
    loads: list[int] = []

    def article(_request: LoggedRequest, _params: dict[str, str]) -> Reply:
        loads.append(1)
        return Reply(body=html(FIRST if len(loads) == 1 else SECOND))

    fake.live["budget"] = article
    return fake


def test_refresh_from_the_article_url(
    tmp_path: Path, site: FakeArchive, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "b.wbproj")
    assert main(["new", path, site.live_url("budget")]) == 0
    capsys.readouterr()
    assert main(["claims", path, "--json"]) == 0
    claims = {c["text"]: c["id"] for c in json.loads(capsys.readouterr().out)}
    assert set(FIRST) <= set(claims)
    assert main(["verdict", path, str(claims[FIRST[1]]), "true", "--note", "Minutes."]) == 0
    capsys.readouterr()

    assert main(["refresh", path]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Version 2 kept (")
    assert out[0].endswith(
        "claims: 2 unchanged, 0 moved, 1 changed in the revision, 1 gone from the revision; "
        "1 new claim"
    )
    assert (
        f"claim {claims[FIRST[1]]}: changed in the revision: Spending on roads rises by [-12-]{{+14+}} per cent this year, the finance officer said."
        in out
    )
    assert f"claim {claims[FIRST[2]]}: gone from the revision: {FIRST[2]}" in out
    assert out[-1].endswith(f"new in the revision: {SECOND[3]}")

    assert main(["claims", path, "--json"]) == 0
    after = {c["id"]: c for c in json.loads(capsys.readouterr().out)}
    assert after[claims[FIRST[1]]]["anchor"] == "changed"
    assert after[claims[FIRST[1]]]["span_text"] == SECOND[1]
    assert after[claims[FIRST[1]]]["verdict"] == "true"
    assert after[claims[FIRST[0]]]["anchor"] == "exact"
    assert after[claims[FIRST[2]]]["anchor"] == "gone"
    assert after[claims[FIRST[2]]]["span_text"] == ""

    assert main(["refresh", path, "--json"]) == 0  # a third load: the same text again
    data = json.loads(capsys.readouterr().out)
    assert data["version"] is None and data["summary"].startswith("No revision")


def _ts(moment: datetime) -> str:
    return moment.strftime("%Y%m%d%H%M%S")


def _project(tmp_path: Path, site: FakeArchive, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "b.wbproj")
    assert main(["new", path, site.live_url("budget")]) == 0
    capsys.readouterr()
    return path


def test_refresh_from_the_newest_archived_capture(
    tmp_path: Path, site: FakeArchive, capsys: pytest.CaptureFixture[str]
) -> None:
    """--from-archive: the newest capture made after the text the project holds, replayed raw;
    captures from before it (older texts) are not a revision."""
    path = _project(tmp_path, site, capsys)
    url = site.live_url("budget")
    now = datetime.now(UTC)
    site.add_capture(url, _ts(now - timedelta(days=30)), body=html(FIRST[:2]))
    site.add_capture(url, _ts(now + timedelta(hours=1)), body=html([*FIRST, "An early edit."]))
    newest = _ts(now + timedelta(hours=2))
    site.add_capture(url, newest, body=html(SECOND))

    assert main(["refresh", path, "--from-archive", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == 2
    assert data["location"] == f"{site.base_url}/web/{newest}/{url}"
    assert data["counts"] == {"exact": 2, "moved": 0, "changed": 1, "gone": 1}
    assert [c["text"] for c in data["new_claims"]] == [SECOND[3]]
    assert len(site.requests("live")) == 1  # the live page was loaded once, by `new`
    (cdx,) = site.requests("cdx")
    assert cdx.query["collapse"] == ["digest"] and cdx.query["from"][0] > _ts(now)[:12]
    with Project.open(path, readonly=True) as project:
        version = project.article_versions()[-1]
        assert (version.origin, version.archive_url) == ("archive", data["location"])
        assert version.captured_at == (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert project.article().text.count(SECOND[3]) == 1

    # Nothing newer than the capture now held: said in one line, nothing changes.
    assert main(["refresh", path, "--from-archive"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"workbench: The Wayback Machine has no capture of {url} after ")
    assert err.endswith("(the capture the project holds).")


def test_refresh_from_the_capture_closest_to_a_time(
    tmp_path: Path, site: FakeArchive, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _project(tmp_path, site, capsys)
    url = site.live_url("budget")
    site.add_capture(url, "20260301090000", body=html(FIRST))
    site.add_capture(url, "20260315090000", body=html(SECOND))
    site.add_capture(url, "20260401090000", body=html([*FIRST, "A later paragraph."]))
    assert main(["refresh", path, "--from-archive", "2026031"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Version 2 kept (")
    assert out[-1].endswith(f"new in the revision: {SECOND[3]}")
    with Project.open(path, readonly=True) as project:
        assert project.article_versions()[-1].captured_at == "2026-03-15T09:00:00Z"

    assert main(["refresh", path, "--from-archive", "1999"]) == 1
    assert capsys.readouterr().err.strip() == (
        f"workbench: The Wayback Machine has no capture of {url} within a year of 1999."
    )
    assert main(["refresh", path, "--from-archive", "March"]) == 1
    assert "is not a capture time" in capsys.readouterr().err


def test_refresh_from_archive_needs_the_article_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "a.html"
    article.write_bytes(html(FIRST))
    path = str(tmp_path / "f.wbproj")
    assert main(["new", path, str(article)]) == 0
    capsys.readouterr()
    assert main(["refresh", path, "--from-archive"]) == 1
    assert "made from a file and has no URL" in capsys.readouterr().err


def test_refresh_from_archive_of_an_article_made_from_a_saved_page(
    tmp_path: Path, fake: FakeArchive, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    """A saved page names its URL (canonical link) but not when it was saved: the captures
    after the article's date are the candidates, and the newest is taken."""
    for name in ("WORKBENCH_WAYBACK_URL", "WORKBENCH_AVAILABILITY_URL", "WORKBENCH_MEMENTO_URL"):
        monkeypatch.setenv(name, fake.base_url)
    url = "https://news.example.org/budget"
    link = f'<link rel="canonical" href="{url}">'.encode()
    saved = tmp_path / "budget.html"
    saved.write_bytes(html(FIRST).replace(b"</head>", link + b"</head>"))
    path = str(tmp_path / "s.wbproj")
    assert main(["new", path, str(saved)]) == 0
    fake.add_capture(url, "20260301000000", body=html(FIRST[:1]))  # before the article
    fake.add_capture(url, "20260313120000", body=html(SECOND))
    capsys.readouterr()
    assert main(["refresh", path, "--from-archive"]) == 0
    assert capsys.readouterr().out.startswith("Version 2 kept (")
    (cdx,) = fake.requests("cdx")
    assert cdx.query["from"] == ["20260312000001"]
    assert main(["refresh", path, "--from-archive"]) == 1
    assert "after 2026-03-13 12:00 UTC (the capture the project holds)" in capsys.readouterr().err
