"""Choosing the capture closest to, ideally before, an article's date."""

from __future__ import annotations

from datetime import UTC, datetime

from workbench.core.sources.archive.select import (
    Capture,
    describe_gap,
    is_candidate,
    parse_published,
    parse_timestamp,
    rank_captures,
    same_resource,
)

URL = "https://example.org/story"


def cap(ts: str, status: int | None = 200, mimetype: str = "text/html") -> Capture:
    return Capture(timestamp=ts, original=URL, status=status, mimetype=mimetype)


def test_newest_before_publication_wins_then_oldest_after() -> None:
    captures = [
        cap("20240101000000"),
        cap("20240301000000"),
        cap("20240320000000"),
        cap("20240310000000"),
        cap("20240401000000"),
    ]
    ranked = rank_captures(captures, "2024-03-15")
    assert [r.capture.timestamp[:8] for r in ranked] == [
        "20240310",
        "20240301",
        "20240101",
        "20240320",
        "20240401",
    ]
    assert not ranked[0].after_publication and ranked[3].after_publication
    assert ranked[0].label == "captured 5 days before the article"
    assert ranked[3].label == "captured 5 days after the article"


def test_grace_period_covers_a_date_without_time() -> None:
    # Published "2024-03-15" (midnight UTC assumed); a capture that evening still counts as before.
    ranked = rank_captures([cap("20240315200000"), cap("20240310000000")], "2024-03-15")
    assert ranked[0].capture.timestamp == "20240315200000"
    assert not ranked[0].after_publication
    late = rank_captures([cap("20240317000000")], "2024-03-15")
    assert late[0].after_publication


def test_only_readable_2xx_and_redirects_are_candidates() -> None:
    assert is_candidate(cap("20240101000000"))
    assert is_candidate(cap("20240101000000", mimetype="application/pdf"))
    assert is_candidate(cap("20240101000000", status=None, mimetype="warc/revisit"))
    assert is_candidate(cap("20240101000000", status=301))
    assert not is_candidate(cap("20240101000000", status=404))
    assert not is_candidate(cap("20240101000000", status=503))
    assert not is_candidate(cap("20240101000000", mimetype="image/png"))


def test_redirect_rows_rank_after_pages() -> None:
    ranked = rank_captures([cap("20240314000000", status=302), cap("20240101000000")], "2024-03-15")
    assert [r.capture.status for r in ranked] == [200, 302]


def test_without_a_date_newest_first() -> None:
    ranked = rank_captures([cap("20200101000000"), cap("20230101000000")], None)
    assert ranked[0].capture.timestamp.startswith("2023") and ranked[0].label == ""


def test_gap_descriptions() -> None:
    assert describe_gap(3 * 86400) == "captured 3 days after the article"
    assert describe_gap(-86400) == "captured 1 day before the article"
    assert describe_gap(5 * 3600) == "captured 5 hours after the article"
    assert describe_gap(600) == "captured within an hour of the article"
    assert describe_gap(90 * 86400) == "captured 3 months after the article"
    assert describe_gap(-800 * 86400) == "captured 2 years before the article"


def test_dates_and_timestamps() -> None:
    assert parse_timestamp("2024") == datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_published("2024-03-05T10:00:00+01:00") == datetime(2024, 3, 5, 9, tzinfo=UTC)
    assert parse_published("2024-03-05T10:00:00Z") == datetime(2024, 3, 5, 10, tzinfo=UTC)
    assert parse_published("not a date") is None and parse_published(None) is None


def test_same_resource_folds_scheme_www_case_and_port() -> None:
    assert same_resource("http://WWW.Example.org:80/a/", "https://example.org/a")
    assert not same_resource("https://example.org/a", "https://example.org/b")
