"""`workbench refresh` on an article URL whose text changes between two loads (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_archive import FakeArchive, LoggedRequest, Reply

from workbench.cli.main import main

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
