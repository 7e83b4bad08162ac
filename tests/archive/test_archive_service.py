"""find_snapshot and fetch_many: the whole chain against the fake archive."""

from __future__ import annotations

import hashlib
import threading
import time

import pytest
from fake_archive import FakeArchive, Reply, fast_settings, url_key

from workbench.core.net.errors import FailureKind, FetchFailure
from workbench.core.net.http import SafeClient
from workbench.core.sources.archive.service import fetch_many, find_snapshot, normalise_url
from workbench.core.sources.snapshot import Snapshot

PUBLISHED = "2024-03-15"
PAGE = b"<html><head><title>Story</title></head><body>The claim.</body></html>"


@pytest.fixture
def url(fake: FakeArchive) -> str:
    """The cited page: on the fake's live site (404 unless a test adds it), never the internet."""
    return fake.live_url("story")


def failure_of(url: str, client: SafeClient, **kwargs: object) -> FetchFailure:
    with pytest.raises(FetchFailure) as caught:
        find_snapshot(url, PUBLISHED, client=client, **kwargs)  # type: ignore[arg-type]
    return caught.value


def test_best_capture_before_publication(fake: FakeArchive, client: SafeClient, url: str) -> None:
    fake.add_capture(url, "20240310000000", body=PAGE)
    fake.add_capture(url, "20240320000000", body=b"<p>changed later</p>")
    steps: list[str] = []
    snap = find_snapshot(url, PUBLISHED, client=client, progress=steps.append)
    assert isinstance(snap, Snapshot)
    assert (snap.archive, snap.captured_at, snap.http_status) == (
        "wayback",
        "2024-03-10T00:00:00Z",
        200,
    )
    assert snap.body == PAGE and snap.sha256 == hashlib.sha256(PAGE).hexdigest()
    assert snap.archive_url == f"{fake.base_url}/web/20240310000000/{url}"
    assert snap.flags == () and snap.note == "captured 5 days before the article"
    assert snap.content_type == "text/html" and snap.original_url == url
    assert steps and "Wayback Machine index" in steps[0]
    # The availability hint is not needed when the index answered.
    assert fake.requests("available") == []


def test_capture_after_publication_is_flagged(
    fake: FakeArchive, client: SafeClient, url: str
) -> None:
    fake.add_capture(url, "20240318000000", body=PAGE)
    snap = find_snapshot(url, PUBLISHED, client=client)
    assert "after-publication" in snap.flags
    assert snap.note == "captured 3 days after the article"


def test_availability_empty_but_cdx_has_captures(
    fake: FakeArchive, client: SafeClient, url: str
) -> None:
    fake.add_capture(url, "20240310000000", body=PAGE)
    fake.script("available", Reply(body=b'{"archived_snapshots": {}}'))
    assert find_snapshot(url, PUBLISHED, client=client).archive == "wayback"


def test_empty_index_falls_back_to_availability(
    fake: FakeArchive, client: SafeClient, url: str
) -> None:
    fake.add_capture(url, "20240310000000", body=PAGE)
    fake.script("cdx", Reply(body=b"[]"), Reply(body=b"[]"))  # a flaky, empty index
    snap = find_snapshot(url, PUBLISHED, client=client)
    assert snap.archive == "wayback" and snap.body == PAGE
    assert len(fake.requests("cdx")) == 2  # asked, then widened once
    assert len(fake.requests("available")) == 1


def test_empty_index_then_other_archive(fake: FakeArchive, client: SafeClient, url: str) -> None:
    fake.add_other_memento(url, "20240312000000", body=b"<p>elsewhere</p>")
    snap = find_snapshot(url, PUBLISHED, client=client)
    assert snap.archive == "memento:127.0.0.1"
    assert snap.archive_url and "/oa/20240312000000/" in snap.archive_url
    assert snap.body == b"<p>elsewhere</p>" and snap.captured_at == "2024-03-12T00:00:00Z"


def test_nothing_archived_falls_back_to_the_live_page(
    fake: FakeArchive, client: SafeClient, url: str
) -> None:
    fake.live["story"] = Reply(body=PAGE)
    snap = find_snapshot(url + "?utm_source=x#section", PUBLISHED, client=client)
    assert (snap.archive, snap.archive_url, snap.flags) == ("live", None, ("live",))
    assert snap.note == "Live copy, not archived" and snap.body == PAGE
    assert fake.requests("live")[0].path == "/live/story"  # no fragment, no tracker


def test_never_archived_and_live_gone(fake: FakeArchive, client: SafeClient, url: str) -> None:
    failure = failure_of(fake.live_url("gone"), client)
    assert failure.kind is FailureKind.NO_CAPTURE
    assert "No archive has a usable copy" in str(failure) and "HTTP 404" in str(failure)


def test_blocked_site_skips_availability(fake: FakeArchive, client: SafeClient, url: str) -> None:
    fake.blocked.add(url_key(url))
    failure = failure_of(url, client)
    assert failure.kind is FailureKind.BLOCKED_BY_ARCHIVE
    assert "excluded" in str(failure)
    assert fake.requests("available") == []


def test_unplayable_candidate_moves_to_the_next(
    fake: FakeArchive, client: SafeClient, url: str
) -> None:
    fake.add_capture(url, "20240310000000", body=b"<p>best</p>")
    fake.add_capture(url, "20240301000000", body=b"<p>second</p>")
    fake.script("web", *[Reply(status=503)] * 3)  # best candidate: the archive keeps failing
    snap = find_snapshot(url, PUBLISHED, client=client)
    assert snap.body == b"<p>second</p>"


def test_excluded_playback_is_not_kept(fake: FakeArchive, client: SafeClient, url: str) -> None:
    fake.add_capture(url, "20240310000000", body=PAGE)
    fake.excluded.add(url_key(url))
    failure = failure_of(url, client)
    assert failure.kind is FailureKind.NOT_A_MEMENTO


def test_at_most_four_candidates_are_fetched(
    fake: FakeArchive, client: SafeClient, url: str
) -> None:
    for day in range(1, 8):
        fake.add_capture(url, f"202403{day:02d}000000")
    fake.script("web", *[Reply(status=404, body=b"Hrm.")] * 7)
    failure_of(url, client)
    assert len(fake.requests("web")) == 4


def test_non_html_is_refused(fake: FakeArchive, client: SafeClient, url: str) -> None:
    fake.add_capture(url, "20240310000000", mimetype="text/html")
    fake.script(
        "web",
        Reply(
            body=b"\x89PNG...",
            content_type="image/png",
            headers=[("Memento-Datetime", "Sun, 10 Mar 2024 00:00:00 GMT")],
        ),
    )
    failure = failure_of(url, client)
    assert failure.kind is FailureKind.UNSUPPORTED_TYPE and "image/png" in str(failure)


def test_live_image_is_unsupported(fake: FakeArchive, client: SafeClient, url: str) -> None:
    fake.live["pic"] = Reply(body=b"\x89PNG", content_type="image/png")
    failure = failure_of(fake.live_url("pic"), client)
    assert failure.kind is FailureKind.UNSUPPORTED_TYPE


def test_pdf_is_accepted(fake: FakeArchive, client: SafeClient, url: str) -> None:
    fake.add_capture(url, "20240310000000", body=b"%PDF-1.7 ...", mimetype="application/pdf")
    assert find_snapshot(url, PUBLISHED, client=client).content_type == "application/pdf"


def test_cdx_429_pauses_the_host_then_continues(fake: FakeArchive, url: str) -> None:
    fake.add_capture(url, "20240310000000", body=PAGE)
    fake.script("cdx", Reply(status=429, body=b"Too Many Requests"))
    with SafeClient(fast_settings(fake, default_429_pause_s=0.4)) as client:
        snap = find_snapshot(url, PUBLISHED, client=client)
    assert snap.body == PAGE
    log = fake.requests()
    first, rest = log[0], log[1:]
    assert first.route == "cdx" and rest
    assert all(r.at - first.at >= 0.38 for r in rest)  # nothing reached the host in the pause


def test_rate_limit_beyond_the_cap_is_recorded(
    fake: FakeArchive, client: SafeClient, url: str
) -> None:
    fake.add_capture(url, "20240310000000", body=PAGE)
    fake.script("cdx", Reply(status=429, headers=[("Retry-After", "3600")]))
    started = time.monotonic()
    failure = failure_of(url, client)
    assert failure.kind is FailureKind.RATE_LIMITED and failure.retry_at and failure.retryable
    assert time.monotonic() - started < 1.0


def test_aggregator_timeout_is_unknown_and_the_chain_goes_on(
    fake: FakeArchive, client: SafeClient, url: str
) -> None:
    fake.live["story"] = Reply(body=PAGE)
    fake.script("timetravel", Reply(body=b"{}", delay_s=5))
    started = time.monotonic()
    snap = find_snapshot(fake.live_url("story"), PUBLISHED, client=client)
    assert snap.archive == "live"
    assert time.monotonic() - started < client.settings.memento_timeout_s + 1.0


def test_cancel_during_a_pause(fake: FakeArchive, url: str) -> None:
    fake.script("cdx", Reply(status=429))
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    started = time.monotonic()
    with (
        SafeClient(fast_settings(fake, default_429_pause_s=1.5)) as client,
        pytest.raises(FetchFailure) as caught,
    ):
        find_snapshot(url, PUBLISHED, client=client, cancel=cancel)
    assert caught.value.kind is FailureKind.CANCELLED
    assert time.monotonic() - started < 0.8


def test_normalise_url() -> None:
    assert (
        normalise_url("https://example.org/a?utm_source=t&id=3&fbclid=z#frag")
        == "https://example.org/a?id=3"
    )


def test_fetch_many_reports_each_result(fake: FakeArchive, client: SafeClient, url: str) -> None:
    urls = [fake.live_url(f"s{i}") for i in range(6)]
    for url in urls[:5]:
        fake.add_capture(url, "20240310000000", body=url.encode())
    seen: list[tuple[str, object]] = []
    results = fetch_many(
        [(u, PUBLISHED) for u in urls],
        client=client,
        workers=4,
        on_result=lambda url, outcome: seen.append((url, outcome)),
    )
    assert set(results) == set(urls) and len(seen) == 6
    assert all(isinstance(results[u], Snapshot) for u in urls[:5])
    assert results[urls[0]].body == urls[0].encode()  # type: ignore[union-attr]
    assert isinstance(results[urls[5]], FetchFailure)


def test_fetch_many_cancelled(fake: FakeArchive, client: SafeClient, url: str) -> None:
    cancel = threading.Event()
    cancel.set()
    results = fetch_many([(url, None), (fake.live_url("b"), None)], client=client, cancel=cancel)
    assert all(
        isinstance(r, FetchFailure) and r.kind is FailureKind.CANCELLED for r in results.values()
    )
    assert fake.requests() == []


def test_availability_429_and_garbage_do_not_stop_the_chain(
    fake: FakeArchive, client: SafeClient, url: str
) -> None:
    fake.live["story"] = Reply(body=PAGE)
    fake.script("available", Reply(status=429), Reply(status=429))
    assert find_snapshot(url, PUBLISHED, client=client).archive == "live"
    fake.script("available", Reply(body=b"<html>maintenance</html>"))
    assert find_snapshot(url, PUBLISHED, client=client).archive == "live"
