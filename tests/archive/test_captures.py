"""Every capture of a source over time (issue 14): the timeline from the Wayback index with
collapse=digest and a second archive's TimeMap, fetching captures on request, the word diff of
two of them with the quotation check in each, and the live page beside a capture."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from fake_archive import FakeArchive, Reply

from workbench.core.article.model import Article
from workbench.core.claims.finder import ClaimCandidate, Quote
from workbench.core.errors import InvalidInputError
from workbench.core.net.settings import ArchiveSettings
from workbench.core.project.store import Project
from workbench.core.sources.captures import fetch_capture, fetch_live, list_captures, timeline
from workbench.core.sources.compare import compare_snapshots, quotation_history

REPORT = "https://port.example.org/reports/annual"
QUOTE = "We expect the harbour to close by 2029"
ARTICLE = (
    "Traffic through the port rose by 12 per cent last year. "
    f'"{QUOTE}," the port authority report warned.'
)
FILLER = (
    "<p>The authority publishes its figures every spring. They cover cargo, passengers and "
    "the fishing fleet, and are audited by the regional office before they appear here.</p>"
)


def page(figure: str, quote: bool) -> bytes:
    said = f"<p>&ldquo;{QUOTE},&rdquo; the report warned the council.</p>" if quote else ""
    return (
        "<html><head><title>Annual report</title></head><body><article><h1>Annual report</h1>"
        f"<p>Traffic through the port rose by {figure} per cent last year, the port authority "
        f"said in its annual report.</p>{said}{FILLER}</article></body></html>"
    ).encode()


V1, V2, V3 = page("12", True), page("14", True), page("14", False)


@pytest.fixture()
def archive(fake: FakeArchive) -> FakeArchive:
    fake.add_capture(REPORT, "20150301100000", body=V1)
    fake.add_capture(REPORT, "20150601100000", body=V1)  # identical: folded into the first
    fake.add_capture(REPORT, "20160901100000", body=V2)  # the figure edited
    fake.add_capture(REPORT, "20190502100000", body=V3)  # the quotation removed
    fake.add_capture(REPORT, "20190601100000", body=V3)  # identical again
    fake.add_other_memento(REPORT, "20150410120000", body=V1)
    fake.add_other_memento(REPORT, "20180101000000", body=V2)
    return fake


@pytest.fixture()
def project(tmp_path: Path) -> Project:
    q_start = ARTICLE.index(QUOTE)
    second = ARTICLE.index('"')
    claims = [
        ClaimCandidate(0, second - 1, ARTICLE[: second - 1], "statistic", 0.9),
        ClaimCandidate(
            second,
            len(ARTICLE),
            ARTICLE[second:],
            "quote",
            0.8,
            quotes=(Quote(q_start, q_start + len(QUOTE), "the port authority report"),),
        ),
    ]
    article = Article("Port", "A. Writer", "2016-01-15", None, ARTICLE, (), ARTICLE.encode())
    p = Project.create(tmp_path / "p.wbproj", article, claims)
    for claim in p.claims():
        p.attach_source(claim.id, REPORT)
    yield p
    p.close()


def _source(project: Project) -> int:
    return project.sources()[0].id


def test_timeline_lists_distinct_captures_of_both_archives(
    project: Project, archive: FakeArchive, settings: ArchiveSettings
) -> None:
    found = list_captures(project, _source(project), settings=settings)
    assert found.problems == ()
    assert [(e.archive, e.timestamp, e.relation) for e in found.entries] == [
        ("wayback", "20150301100000", "captured 11 months before the article"),
        ("memento:127.0.0.1", "20150410120000", "captured 9 months before the article"),
        ("wayback", "20160901100000", "captured 8 months after the article"),
        ("memento:127.0.0.1", "20180101000000", "captured 2 years after the article"),
        ("wayback", "20190502100000", "captured 3 years after the article"),
    ]
    assert [e.after_article for e in found.entries] == [False, False, True, True, True]
    assert all(e.snapshot_id is None and e.listed for e in found.entries)
    cdx = archive.requests("cdx")
    assert len(cdx) == 1 and cdx[0].query["collapse"] == ["digest"]
    assert "from" not in cdx[0].query  # the whole history, not a window before the article
    # The listing is kept: the timeline opens again without asking anyone.
    before = len(archive.requests())
    assert timeline(project, _source(project)).entries == found.entries
    assert len(archive.requests()) == before


def _old_page(n: int) -> bytes:
    return f"<html><body><p>Edition {n} of the annual report.</p></body></html>".encode()


def test_a_long_history_is_read_page_by_page_with_resume_keys(
    project: Project, fake: FakeArchive, settings: ArchiveSettings
) -> None:
    """Every distinct capture, from years before the article, across several index pages; the
    identical captures inside and across pages fold into one row."""
    for year in range(2001, 2013):
        fake.add_capture(REPORT, f"{year}0101000000", body=_old_page(year))
        fake.add_capture(REPORT, f"{year}0102000000", body=_old_page(year))  # same again
    fake.add_capture(REPORT, "20160901100000", body=V2)
    fake.cdx_repeat_on_resume = True  # the real index repeats a line on the next page
    paged = dataclasses.replace(settings, cdx_history_page_rows=5)
    found = list_captures(project, _source(project), settings=paged)
    wayback = [e for e in found.entries if e.archive == "wayback"]
    assert [e.timestamp[:4] for e in wayback] == [str(y) for y in range(2001, 2013)] + ["2016"]
    assert found.problems == ()
    cdx = fake.requests("cdx")
    assert len(cdx) >= 3 and all(r.query["limit"] == ["5"] for r in cdx)
    assert "resumeKey" not in cdx[0].query and all("resumeKey" in r.query for r in cdx[1:])


def test_the_bound_is_said_and_the_captures_around_the_article_are_still_listed(
    project: Project, fake: FakeArchive, settings: ArchiveSettings
) -> None:
    for n in range(30):  # thirty distinct captures long before the article (2016-01-15)
        fake.add_capture(REPORT, f"2005{n // 28 + 1:02d}{n % 28 + 1:02d}000000", body=_old_page(n))
    fake.add_capture(REPORT, "20151201000000", body=V1)
    fake.add_capture(REPORT, "20160901100000", body=V2)
    bounded = dataclasses.replace(settings, cdx_history_page_rows=4, cdx_history_max=10)
    found = list_captures(project, _source(project), settings=bounded)
    wayback = [e.timestamp for e in found.entries if e.archive == "wayback"]
    assert len(wayback) == 12
    assert wayback[-2:] == ["20151201000000", "20160901100000"]
    (note,) = found.problems
    assert note == (
        f"The Wayback Machine has more than 10 distinct captures of {REPORT}; only the oldest 10 "
        "(to 2005-01-10) and those within 365 days of the article are listed."
    )
    # three pages for the ten oldest, then one query around the article's date
    cdx = fake.requests("cdx")
    assert len(cdx) == 4
    assert cdx[-1].query["from"] == ["20150115000000"] and cdx[-1].query["to"] == ["20170114000000"]


def test_a_failing_archive_is_named_and_keeps_its_old_listing(
    project: Project, archive: FakeArchive, settings: ArchiveSettings
) -> None:
    list_captures(project, _source(project), settings=settings)
    archive.script("aggregator_timemap", Reply(status=503, body=b"busy"))
    again = list_captures(project, _source(project), settings=settings)
    assert len(again.problems) == 1 and again.problems[0].startswith("Other archives are unknown")
    assert len(again.entries) == 5  # the second archive's two captures are still listed


def test_fetch_at_stores_captures_and_the_diff_shows_what_changed(
    project: Project, archive: FakeArchive, settings: ArchiveSettings
) -> None:
    sid = _source(project)
    first = fetch_capture(project, sid, "20150301100000", settings=settings)  # lists first
    assert not first.already_stored
    # Said as the History tab lists captures, not as stored ("2015-03-01T10:00:00Z (wayback)").
    assert first.describe() == (
        "Fetched the capture of 2015-03-01 10:00:00 UTC from the Wayback Machine (11 months "
        f"before the article) and stored it as snapshot {first.snapshot_id}."
    )
    last = fetch_capture(project, sid, "2019", settings=settings)
    assert last.entry.timestamp == "20190502100000"
    assert last.describe() == (
        "Fetched the capture closest to 2019: 2019-05-02 10:00:00 UTC from the Wayback Machine "
        f"(3 years after the article); stored as snapshot {last.snapshot_id}."
    )
    other = fetch_capture(project, sid, "20180101000000", settings=settings)
    assert project.snapshot_text(other.snapshot_id).count("14 per cent") == 1
    again = fetch_capture(project, sid, "20150301100000", settings=settings)
    assert again.already_stored and again.snapshot_id == first.snapshot_id
    assert again.describe() == (
        "The capture of 2015-03-01 10:00:00 UTC from the Wayback Machine (11 months before the "
        f"article) is already stored as snapshot {first.snapshot_id}."
    )

    stored = {e.timestamp: e.snapshot_id for e in timeline(project, sid).entries}
    assert stored["20150301100000"] == first.snapshot_id
    assert stored["20160901100000"] is None

    comparison = compare_snapshots(project, first.snapshot_id, last.snapshot_id)
    assert [(p.removed, p.added) for p in comparison.diff.passages] == [
        ("12", "14"),
        (f"\u201c{QUOTE},\u201d the report warned the council.", ""),
    ]
    claim_with_quote = project.claims()[1].id
    assert comparison.summary() == (
        f"14 words changed in 2 passages; the quotation in claim {claim_with_quote} is in the "
        "older copy only"
    )
    backwards = compare_snapshots(project, last.snapshot_id, first.snapshot_id)
    # compared the other way round, the older copy is still the one that has it
    assert backwards.summary() == comparison.summary()
    first = backwards.diff.passages[0]
    assert (first.removed, first.added) == ("14", "12")


def test_the_quotation_is_checked_in_every_stored_capture(
    project: Project, archive: FakeArchive, settings: ArchiveSettings
) -> None:
    sid = _source(project)
    for at in ("20150301100000", "20160901100000", "20190502100000"):
        fetch_capture(project, sid, at, settings=settings)
    [history] = quotation_history(project, sid)
    assert history.claim_id == project.claims()[1].id
    assert [status for _, status in history.statuses] == ["verbatim", "verbatim", "not_found"]
    snaps = {s.id: s for s in project.snapshots(sid)}
    assert history.describe(snaps) == (
        "found in the 2015-03-01 copy, found in the 2016-09-01 copy, absent in the 2019-05-02 copy"
    )


def test_a_capture_beside_the_live_page(
    tmp_path: Path, fake: FakeArchive, settings: ArchiveSettings
) -> None:
    url = fake.live_url("report")
    fake.add_capture(url, "20150301100000", body=V1)
    fake.live["report"] = Reply(body=V3)
    article = Article("Port", "", "2016-01-15", None, ARTICLE, (), ARTICLE.encode())
    with Project.create(tmp_path / "live.wbproj", article, []) as project:
        project.add_claim(0, 20)
        sid = project.attach_source(project.claims()[0].id, url)
        old = fetch_capture(project, sid, "2015", settings=settings)
        live = fetch_live(project, sid, settings=settings)
        snap = project.latest_snapshot(sid)
        assert snap is not None and snap.id == live and snap.archive == "live"
        comparison = compare_snapshots(project, old.snapshot_id, live)
        assert comparison.summary() == "14 words changed in 2 passages"
        entries = timeline(project, sid).entries
        assert [(e.archive, e.snapshot_id is not None) for e in entries] == [
            ("wayback", True),
            ("live", True),
        ]


def test_a_bad_time_is_a_clear_message(
    project: Project, archive: FakeArchive, settings: ArchiveSettings
) -> None:
    with pytest.raises(InvalidInputError, match="not a capture time"):
        fetch_capture(project, _source(project), "March 2015", settings=settings)


# ---------------------------------------------------------------------- the command line
@pytest.fixture()
def env(archive: FakeArchive, monkeypatch: pytest.MonkeyPatch) -> FakeArchive:
    for name in ("WORKBENCH_WAYBACK_URL", "WORKBENCH_AVAILABILITY_URL", "WORKBENCH_MEMENTO_URL"):
        monkeypatch.setenv(name, archive.base_url)
    return archive


def test_cli_captures_fetch_at_and_diff(
    project: Project, env: FakeArchive, capsys: pytest.CaptureFixture[str]
) -> None:
    from workbench.cli.main import main

    path, sid = str(project.path), str(_source(project))
    quoting = project.claims()[1].id
    project.close()
    assert main(["captures", path, sid]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == REPORT
    assert out[1] == "article published 2016-01-15; 5 captures"
    assert out[2].split() == ["20150301100000", "wayback", "200", "not", "fetched", "captured",
                              "11", "months", "before", "the", "article"]  # fmt: skip
    assert out[4] == "  ---- 2016-01-15  the article ----"
    assert out[-1] == f"claim {quoting}, “{QUOTE}”: no stored copy"

    assert main(["fetch", path, "--source", sid, "--at", "20150301100000"]) == 0
    assert capsys.readouterr().out == (
        "Fetched the capture of 2015-03-01 10:00:00 UTC from the Wayback Machine (11 months "
        "before the article) and stored it as snapshot 1.\n"
    )
    assert main(["fetch", path, "--source", sid, "--at", "20190502"]) == 0
    assert "snapshot 2" in capsys.readouterr().out
    assert main(["history", path]) == 0  # the project's history says it the same way
    told = [line for line in capsys.readouterr().out.splitlines() if "stored" in line]
    assert told[0].endswith(
        "stored the capture of 2015-03-01 10:00:00 UTC from the Wayback Machine as snapshot 1 "
        f"of source {sid} (sha256 {project_digest(path, 1)[:12]}…)"
    ), told
    assert main(["fetch", path, "--source", sid]) == 1
    assert "--source and --at go together" in capsys.readouterr().err

    assert main(["diff", path, "1", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2] == (
        f"14 words changed in 2 passages; the quotation in claim {quoting} is in the older "
        "copy only"
    )
    assert out[3].startswith("1. ") and "[-12-]{+14+}" in out[3]

    assert main(["diff", path, "1", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["words_changed"] == 14
    assert data["quotations"] == [
        {"claim": quoting, "quote": QUOTE, "a": "verbatim", "b": "not_found"}
    ]
    assert [p["added"] for p in data["passages"]] == ["14", ""]

    assert main(["captures", path, sid, "--json", "--offline"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["snapshot"] for c in data["captures"]] == [1, None, None, None, 2]
    assert data["quotations"][0]["in_snapshots"] == {"1": "verbatim", "2": "not_found"}

    assert main(["diff", path, "1", "yesterday"]) == 1
    assert "neither a snapshot id nor 'live'" in capsys.readouterr().err


def test_cli_captures_says_when_the_bound_is_reached(
    project: Project,
    env: FakeArchive,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The person's bound (here WORKBENCH_CDX_HISTORY_MAX; the settings file works the same)
    reaches `workbench captures`, which warns on stderr and still lists the article's time."""
    from workbench.cli.main import main

    for n in range(120):  # 120 distinct captures in 2005, long before the article
        env.add_capture(REPORT, f"2005{n // 28 + 1:02d}{n % 28 + 1:02d}000000", body=_old_page(n))
    monkeypatch.setenv("WORKBENCH_CDX_HISTORY_MAX", "100")
    path, sid = str(project.path), str(_source(project))
    project.close()
    assert main(["captures", path, sid, "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    note = (
        f"The Wayback Machine has more than 100 distinct captures of {REPORT}; only the oldest "
        "100 (to 2005-04-16) and those within 365 days of the article are listed."
    )
    assert f"warning: {note}" in captured.err.splitlines()
    assert data["problems"] == [note]
    wayback = [c["timestamp"] for c in data["captures"] if c["archive"] == "wayback"]
    assert len(wayback) == 102  # the oldest 100, then the two within a year of the article
    assert wayback[-2:] == ["20150301100000", "20160901100000"]


def project_digest(path: str, snapshot_id: int) -> str:
    with Project.open(path, readonly=True) as project:
        return next(s.sha256 for s in project.snapshots() if s.id == snapshot_id)
