"""The Wayback Machine: CDX index, availability, raw playback rules and Save Page Now."""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from fake_archive import FakeArchive, Reply

from workbench.core.net.errors import FailureKind, FetchFailure
from workbench.core.net.http import SafeClient
from workbench.core.sources.archive.select import Capture
from workbench.core.sources.archive.wayback import (
    SaveJob,
    availability,
    cdx_captures,
    fetch_memento,
    poll_save,
    save_page_now,
    wait_for_save,
)

URL = "https://example.org/story"
START = datetime(2023, 1, 1, tzinfo=UTC)
END = datetime(2025, 1, 1, tzinfo=UTC)


def capture(ts: str, url: str = URL) -> Capture:
    return Capture(timestamp=ts, original=url, status=200, mimetype="text/html")


# ---- CDX ---------------------------------------------------------------------------------


def test_cdx_query_and_rows(fake: FakeArchive, client: SafeClient) -> None:
    fake.add_capture(URL, "20240301101010", body=b"<p>one</p>")
    fake.add_capture(URL, "20240301202020")  # same day: collapsed
    fake.add_capture(URL, "20240302000000", mimetype="application/pdf")
    fake.add_capture(URL, "20220101000000")  # outside the window
    rows = cdx_captures(client, URL, START, END)
    assert [r.timestamp for r in rows] == ["20240301101010", "20240302000000"]
    first = rows[0]
    assert (first.status, first.mimetype, first.length) == (200, "text/html", 10)
    assert first.digest and first.original == URL
    query = fake.requests("cdx")[0].query
    assert query["output"] == ["json"] and query["collapse"] == ["timestamp:8"]
    assert query["from"] == ["20230101000000"] and query["to"] == ["20250101000000"]
    assert query["fl"] == ["timestamp,original,statuscode,mimetype,digest,length"]
    assert int(query["limit"][0]) <= 1000


def test_cdx_empty_is_an_empty_list(fake: FakeArchive, client: SafeClient) -> None:
    assert cdx_captures(client, URL, START, END) == []


def test_cdx_answers_with_captures_are_reused_not_empty_ones(
    fake: FakeArchive, client: SafeClient
) -> None:
    """The CDX budget is ~24 a minute: a retry must not spend it again on the same question,
    but a page archived since an empty answer (Save Page Now) must be found at once."""
    assert cdx_captures(client, URL, START, END) == []
    fake.add_capture(URL, "20240301101010")
    first = cdx_captures(client, URL, START, END)
    again = cdx_captures(client, URL, START, END)
    assert first == again and len(first) == 1
    assert len(fake.requests("cdx")) == 2  # the empty answer was asked again; the hit was not
    cdx_captures(client, URL, START, datetime(2025, 6, 1, tzinfo=UTC))  # another window
    assert len(fake.requests("cdx")) == 3


def test_cdx_cache_can_be_turned_off(fake: FakeArchive, settings: Any) -> None:
    fake.add_capture(URL, "20240301101010")
    with SafeClient(dataclasses.replace(settings, cdx_cache_s=0)) as uncached:
        cdx_captures(uncached, URL, START, END)
        cdx_captures(uncached, URL, START, END)
    assert len(fake.requests("cdx")) == 2


def test_cdx_resume_pages_skip_a_repeated_row(fake: FakeArchive, client: SafeClient) -> None:
    for day in range(1, 8):
        fake.add_capture(URL, f"202403{day:02d}000000")
    fake.cdx_page_size = 3
    fake.cdx_repeat_on_resume = True
    rows = cdx_captures(client, URL, START, END)
    assert [r.timestamp[6:8] for r in rows] == ["01", "02", "03", "04", "05", "06", "07"]
    assert len(fake.requests("cdx")) >= 3
    assert "resumeKey" in fake.requests("cdx")[1].query


def test_cdx_revisit_rows(fake: FakeArchive, client: SafeClient) -> None:
    fake.add_capture(URL, "20240301000000", status=None)
    (row,) = cdx_captures(client, URL, START, END)
    assert row.status is None and row.mimetype == "warc/revisit"


def test_cdx_blocked_site(fake: FakeArchive, client: SafeClient) -> None:
    fake.blocked.add("example.org/story")
    with pytest.raises(FetchFailure) as caught:
        cdx_captures(client, URL, START, END)
    assert caught.value.kind is FailureKind.BLOCKED_BY_ARCHIVE and not caught.value.retryable
    assert caught.value.http_status == 403


def test_cdx_not_json(fake: FakeArchive, client: SafeClient) -> None:
    fake.script("cdx", Reply(body=b"<html>oops</html>"))
    with pytest.raises(FetchFailure) as caught:
        cdx_captures(client, URL, START, END)
    assert caught.value.kind is FailureKind.DECODE_ERROR


def test_cdx_503_twice_then_200(fake: FakeArchive, client: SafeClient) -> None:
    fake.add_capture(URL, "20240301000000")
    fake.script("cdx", Reply(status=503), Reply(status=503))
    assert len(cdx_captures(client, URL, START, END)) == 1
    assert len(fake.requests("cdx")) == 3


def test_cdx_slow_drip_times_out_quickly(fake: FakeArchive, client: SafeClient) -> None:
    fake.script("cdx", Reply(body=b"[" + b" " * 2000 + b"]", drip_bytes=20, drip_interval_s=0.1))
    started = time.monotonic()
    with pytest.raises(FetchFailure) as caught:
        cdx_captures(client, URL, START, END)
    assert caught.value.kind is FailureKind.TIMEOUT
    assert time.monotonic() - started < client.settings.deadline_s + 0.6


# ---- availability -------------------------------------------------------------------------


def test_availability_closest_is_a_hint(fake: FakeArchive, client: SafeClient) -> None:
    fake.add_capture(URL, "20240301000000")
    found = availability(client, URL, datetime(2024, 3, 2, tzinfo=UTC))
    assert found is not None and found.timestamp == "20240301000000" and found.status == 200
    assert found.original == URL
    # It is asked without the scheme, which IA answers more reliably.
    assert fake.requests("available")[0].query["url"] == ["example.org/story"]


def test_availability_empty_and_broken(fake: FakeArchive, client: SafeClient) -> None:
    assert availability(client, URL, None) is None
    fake.script("available", Reply(body=b"<html>not json</html>"))
    with pytest.raises(FetchFailure) as caught:
        availability(client, URL, None)
    assert caught.value.kind is FailureKind.DECODE_ERROR


# ---- playback ------------------------------------------------------------------------------


def test_memento_is_fetched_raw_with_its_headers(fake: FakeArchive, client: SafeClient) -> None:
    fake.add_capture(URL, "20240301000000", body=b"<p>archived</p>")
    memento = fetch_memento(client, capture("20240301000000"))
    assert memento.body == b"<p>archived</p>"  # id_ mode: no banner
    assert memento.memento_datetime == "2024-03-01T00:00:00Z"
    assert memento.original == URL and memento.status == 200
    assert "id_/" in fake.requests("web")[0].path


def test_nearest_capture_hop_within_24h_is_accepted(fake: FakeArchive, client: SafeClient) -> None:
    fake.add_capture(URL, "20240301100000", body=b"<p>near</p>")
    memento = fetch_memento(client, capture("20240301000000"))
    assert memento.body == b"<p>near</p>"
    assert memento.memento_datetime == "2024-03-01T10:00:00Z"
    assert len(memento.hops) == 1 and not memento.archived_redirect


def test_nearest_capture_hop_beyond_24h_is_refused(fake: FakeArchive, client: SafeClient) -> None:
    fake.add_capture(URL, "20240601000000")
    with pytest.raises(FetchFailure) as caught:
        fetch_memento(client, capture("20240301000000"))
    assert caught.value.kind is FailureKind.NO_CAPTURE
    assert "2024-06-01" in str(caught.value)
    assert len(fake.requests("web")) == 1  # the far capture was not downloaded


def test_archived_redirect_chain_is_followed(fake: FakeArchive, client: SafeClient) -> None:
    target = "https://example.org/new-home"
    fake.add_capture(URL, "20240301000000", status=301, redirect_to=target)
    fake.add_capture(target, "20240301000500", body=b"<p>moved here</p>")
    memento = fetch_memento(client, capture("20240301000000"))
    assert memento.body == b"<p>moved here</p>" and memento.archived_redirect
    assert len(memento.hops) == 2  # archived 301, then the hop to the target's capture


def test_circular_archived_redirects(fake: FakeArchive, client: SafeClient) -> None:
    other = "https://example.org/b"
    fake.add_capture(URL, "20240301000000", status=302, redirect_to=other)
    fake.add_capture(other, "20240301000000", status=302, redirect_to=URL)
    with pytest.raises(FetchFailure) as caught:
        fetch_memento(client, capture("20240301000000"))
    assert caught.value.kind is FailureKind.REDIRECT_LOOP


def test_excluded_200_is_not_a_memento(fake: FakeArchive, client: SafeClient) -> None:
    fake.add_capture(URL, "20240301000000")
    fake.excluded.add("example.org/story")
    with pytest.raises(FetchFailure) as caught:
        fetch_memento(client, capture("20240301000000"))
    assert caught.value.kind is FailureKind.NOT_A_MEMENTO and caught.value.http_status == 200
    assert "excluded" in str(caught.value)


def test_never_archived_404(fake: FakeArchive, client: SafeClient) -> None:
    with pytest.raises(FetchFailure) as caught:
        fetch_memento(client, capture("20240301000000"))
    assert caught.value.kind is FailureKind.NO_CAPTURE and caught.value.http_status == 404


def test_memento_of_an_archived_404_is_content(fake: FakeArchive, client: SafeClient) -> None:
    fake.add_capture(URL, "20240301000000", status=404, body=b"<p>gone</p>")
    memento = fetch_memento(client, capture("20240301000000"))
    assert memento.status == 404 and memento.body == b"<p>gone</p>"


def test_broken_gzip_headers_on_a_memento(fake: FakeArchive, client: SafeClient) -> None:
    fake.add_capture(URL, "20240301000000", body=b"<p>zipped</p>", gzip_broken=True)
    assert fetch_memento(client, capture("20240301000000")).body == b"<p>zipped</p>"


def test_redirect_out_of_the_archive_is_refused(fake: FakeArchive, client: SafeClient) -> None:
    fake.script("web", Reply(status=302, headers=[("Location", "http://169.254.169.254/")]))
    with pytest.raises(FetchFailure) as caught:
        fetch_memento(client, capture("20240301000000"))
    assert caught.value.kind is FailureKind.REDIRECT_BLOCKED


# ---- Save Page Now ------------------------------------------------------------------------


def test_save_page_now_pending_then_success(fake: FakeArchive, client: SafeClient) -> None:
    job = save_page_now(client, URL)
    assert job.job_id.startswith("spn2-") and len(job.job_id) == 45
    fake.save_statuses.extend([{"status": "pending"}, {"status": "pending"}])
    status = wait_for_save(client, job)
    assert status.status == "success" and status.archive_url
    assert status.archive_url.startswith(f"{fake.base_url}/web/{status.timestamp}/")
    assert len(fake.requests("save_status")) == 3


def test_save_errors_permanent_and_retryable(fake: FakeArchive, client: SafeClient) -> None:
    job = SaveJob(job_id="spn2-" + "0" * 40, url=URL)
    fake.save_statuses.append(
        {"status": "error", "status_ext": "error:too-many-daily-captures", "message": "Limit."}
    )
    daily = poll_save(client, job)
    assert daily.status == "error" and not daily.retryable and daily.message == "Limit."
    fake.save_statuses.append({"status": "error", "status_ext": "error:user-session-limit"})
    assert poll_save(client, job).retryable


def test_save_refused_with_a_message(fake: FakeArchive, client: SafeClient) -> None:
    page = b"<p>This URL has been already captured 10 times today. Please try again tomorrow.</p>"
    fake.script("save", Reply(status=200, body=page))
    with pytest.raises(FetchFailure) as caught:
        save_page_now(client, URL)
    assert "already captured 10 times today" in str(caught.value)


def test_cancel_while_waiting_for_a_save(fake: FakeArchive) -> None:
    from fake_archive import fast_settings

    fake.save_statuses.extend([{"status": "pending"}] * 5)
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    started = time.monotonic()
    with SafeClient(fast_settings(fake, save_poll_interval_s=30.0)) as client:
        job = save_page_now(client, URL)
        with pytest.raises(FetchFailure) as caught:
            wait_for_save(client, job, cancel=cancel)
    assert caught.value.kind is FailureKind.CANCELLED
    assert time.monotonic() - started < 1.0
