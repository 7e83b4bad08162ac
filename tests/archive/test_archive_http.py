"""SafeClient against a real local HTTP server playing hostile and failing hosts."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import tracemalloc

import pytest
from fake_archive import FakeArchive, Reply, fast_settings

from workbench.core.errors import NetworkError
from workbench.core.net.errors import FailureKind, FetchFailure
from workbench.core.net.http import (
    HttpResult,
    SafeClient,
    is_public_address,
    parse_content_type,
    parse_retry_after,
    urllib3_version_ok,
)
from workbench.core.net.settings import ArchiveSettings

PAGE = b"<html><head><title>T</title></head><body>Hello</body></html>"


def failure_of(client: SafeClient, url: str, **kwargs: object) -> FetchFailure:
    with pytest.raises(FetchFailure) as caught:
        client.get(url, **kwargs)  # type: ignore[arg-type]
    return caught.value


# ---- settings and errors -------------------------------------------------------------------


def test_settings_defaults_and_environment() -> None:
    defaults = ArchiveSettings()
    assert defaults.wayback_url == "https://web.archive.org"
    assert (defaults.connect_timeout_s, defaults.read_timeout_s) == (5.0, 30.0)
    assert defaults.max_redirects == 5 and defaults.retry_after_cap_s == 120
    env = {
        "WORKBENCH_WAYBACK_URL": "http://127.0.0.1:8001/",
        "WORKBENCH_AVAILABILITY_URL": "http://127.0.0.1:8002",
        "WORKBENCH_MEMENTO_URL": "http://localhost:8003",
    }
    settings = ArchiveSettings.from_env(env, deadline_s=3.0)
    assert settings.wayback_url == "http://127.0.0.1:8001"
    assert settings.deadline_s == 3.0
    assert settings.service_hosts == {"127.0.0.1:8001", "127.0.0.1:8002", "localhost:8003"}
    assert settings.concurrency_for("127.0.0.1:8001") == 2
    assert settings.concurrency_for("example.org:443") == 4


def test_fetch_failure_is_a_network_error_with_a_sentence() -> None:
    failure = FetchFailure(FailureKind.TIMEOUT, "The page took too long.", http_status=None)
    assert isinstance(failure, NetworkError)
    assert str(failure) == "The page took too long."
    assert failure.retryable
    assert not FetchFailure(FailureKind.BOMB, "x").retryable


def test_urllib3_is_recent_enough() -> None:
    assert urllib3_version_ok()
    assert not urllib3_version_ok("2.6.2")
    assert urllib3_version_ok("2.6.3") and urllib3_version_ok("3.0.0rc1")


def test_small_parsers() -> None:
    assert parse_content_type('Text/HTML; charset="UTF-8"') == ("text/html", "utf-8")
    assert parse_content_type(None) == (None, None)
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 30) == 30
    assert parse_retry_after("soon") is None


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.2",
        "10.1.2.3",
        "192.168.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "::ffff:8.8.8.8",
        "fc00::1",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public_address(address)


def test_public_addresses_are_allowed() -> None:
    assert is_public_address("93.184.216.34") and is_public_address("2606:2800:220:1::1")


# ---- plain fetching ------------------------------------------------------------------------


def test_get_returns_body_type_and_headers(fake: FakeArchive, client: SafeClient) -> None:
    fake.live["a"] = Reply(body=PAGE, headers=[("X-Thing", "1")])
    result = client.get(fake.live_url("a"))
    assert isinstance(result, HttpResult)
    assert (result.status, result.body, result.content_type, result.charset) == (
        200,
        PAGE,
        "text/html",
        "utf-8",
    )
    assert result.headers["x-thing"] == "1"
    assert result.ok and result.hops == ()
    sent = fake.requests("live")[0].headers
    assert sent["User-Agent"].startswith("Workbench/")


def test_non_2xx_is_returned_unless_ok_is_required(fake: FakeArchive, client: SafeClient) -> None:
    assert client.get(fake.live_url("missing")).status == 404
    failure = failure_of(client, fake.live_url("missing"), require_ok=True)
    assert failure.kind is FailureKind.HTTP_ERROR and failure.http_status == 404
    assert "HTTP 404" in str(failure) and not failure.retryable


def test_503_twice_then_200_is_retried(fake: FakeArchive, client: SafeClient) -> None:
    fake.script("live", Reply(status=503), Reply(status=503))
    fake.live["a"] = Reply(body=PAGE)
    assert client.get(fake.live_url("a")).body == PAGE
    assert len(fake.requests("live")) == 3


def test_5xx_after_all_tries_is_returned(fake: FakeArchive, client: SafeClient) -> None:
    fake.script("live", *[Reply(status=502)] * 3)
    assert client.get(fake.live_url("a")).status == 502
    assert len(fake.requests("live")) == 3


def test_connection_refused_is_a_retryable_network_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = ArchiveSettings(
        allowed_private_hosts=frozenset({f"127.0.0.1:{port}"}),
        connect_timeout_s=0.5,
        backoff_base_s=0.01,
        backoff_max_s=0.02,
    )
    with SafeClient(settings) as client:
        failure = failure_of(client, f"http://127.0.0.1:{port}/x")
    assert failure.kind is FailureKind.NETWORK and failure.retryable


# ---- deadlines and cancel ------------------------------------------------------------------


def test_slow_drip_is_cut_at_the_deadline(fake: FakeArchive, client: SafeClient) -> None:
    # 40 bytes every 0.1 s never trips a per-read timeout; only the wall-clock deadline helps.
    fake.live["drip"] = Reply(body=b"x" * 4000, drip_bytes=40, drip_interval_s=0.1)
    started = time.monotonic()
    failure = failure_of(client, fake.live_url("drip"))
    assert failure.kind is FailureKind.TIMEOUT
    assert time.monotonic() - started < client.settings.deadline_s + 0.6
    assert len(fake.requests("live")) == 1  # a deadline is not retried


def test_stalled_answer_times_out(fake: FakeArchive, client: SafeClient) -> None:
    fake.live["stall"] = Reply(body=PAGE, delay_s=3)
    started = time.monotonic()
    failure = failure_of(client, fake.live_url("stall"))
    assert failure.kind is FailureKind.TIMEOUT and failure.retryable
    assert time.monotonic() - started < 3 * client.settings.read_timeout_s + 1


def test_cancel_during_backoff_is_immediate(fake: FakeArchive) -> None:
    settings = fast_settings(fake, backoff_base_s=10.0, backoff_max_s=10.0)
    fake.script("live", *[Reply(status=503)] * 3)
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    started = time.monotonic()
    with SafeClient(settings) as client:
        failure = failure_of(client, fake.live_url("a"), cancel=cancel)
    assert failure.kind is FailureKind.CANCELLED
    assert time.monotonic() - started < 1.0


def test_cancel_during_download(fake: FakeArchive, client: SafeClient) -> None:
    fake.live["drip"] = Reply(body=b"x" * 400, drip_bytes=10, drip_interval_s=0.05)
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    started = time.monotonic()
    failure = failure_of(client, fake.live_url("drip"), cancel=cancel)
    assert failure.kind is FailureKind.CANCELLED
    assert time.monotonic() - started < 0.6


# ---- sizes and compression -----------------------------------------------------------------


def test_broken_double_content_encoding_is_decoded(fake: FakeArchive, client: SafeClient) -> None:
    # Wayback's bug: an empty content-encoding header next to the real one.
    headers = [("content-encoding", ""), ("Content-Encoding", "gzip")]
    fake.live["gz"] = Reply(body=gzip.compress(PAGE), headers=headers)
    assert client.get(fake.live_url("gz")).body == PAGE


def test_gzip_is_sniffed_when_the_header_is_empty(fake: FakeArchive, client: SafeClient) -> None:
    fake.live["gz"] = Reply(body=gzip.compress(PAGE), headers=[("Content-Encoding", "")])
    assert client.get(fake.live_url("gz")).body == PAGE


def test_gzip_label_on_plain_bytes_passes_through(fake: FakeArchive, client: SafeClient) -> None:
    fake.live["plain"] = Reply(body=PAGE, headers=[("Content-Encoding", "gzip")])
    assert client.get(fake.live_url("plain")).body == PAGE


def test_deflate_is_decoded(fake: FakeArchive, client: SafeClient) -> None:
    import zlib

    fake.live["z"] = Reply(body=zlib.compress(PAGE), headers=[("Content-Encoding", "deflate")])
    assert client.get(fake.live_url("z")).body == PAGE


def test_gzip_bomb_stops_with_bounded_memory(fake: FakeArchive, client: SafeClient) -> None:
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)  # ~200 KB on the wire
    fake.live["bomb"] = Reply(body=bomb, headers=[("Content-Encoding", "gzip")])
    tracemalloc.start()
    try:
        failure = failure_of(client, fake.live_url("bomb"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert failure.kind is FailureKind.BOMB
    assert peak < 5 * client.settings.max_body_bytes  # far below the 200 MB it unpacks to


def test_nested_encodings_are_refused(fake: FakeArchive, client: SafeClient) -> None:
    body = gzip.compress(gzip.compress(PAGE))
    fake.live["nested"] = Reply(body=body, headers=[("Content-Encoding", "gzip, gzip")])
    assert failure_of(client, fake.live_url("nested")).kind is FailureKind.BOMB


def test_unknown_encoding_is_a_decode_error(fake: FakeArchive, client: SafeClient) -> None:
    fake.live["br"] = Reply(body=b"\x0b\x02\x80", headers=[("Content-Encoding", "br")])
    assert failure_of(client, fake.live_url("br")).kind is FailureKind.DECODE_ERROR


@pytest.mark.parametrize("send_length", [True, False])
def test_body_over_the_cap_is_too_large(
    fake: FakeArchive, client: SafeClient, send_length: bool
) -> None:
    fake.live["big"] = Reply(
        body=b"a" * (client.settings.max_wire_bytes + 10), send_length=send_length
    )
    failure = failure_of(client, fake.live_url("big"))
    assert failure.kind is FailureKind.TOO_LARGE and not failure.retryable


# ---- redirects -----------------------------------------------------------------------------


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status=status, headers=[("Location", location)])


def test_redirects_are_followed_and_recorded(fake: FakeArchive, client: SafeClient) -> None:
    fake.live["a"] = redirect("/live/b", 301)
    fake.live["b"] = redirect(fake.live_url("c"))
    fake.live["c"] = Reply(body=PAGE)
    result = client.get(fake.live_url("a"))
    assert result.body == PAGE and result.final_url == fake.live_url("c")
    assert result.hops == (fake.live_url("a"), fake.live_url("b"))


def test_redirect_not_followed_when_asked(fake: FakeArchive, client: SafeClient) -> None:
    fake.live["a"] = redirect("/live/b")
    result = client.get(fake.live_url("a"), follow_redirects=False)
    assert result.status == 302 and result.headers["Location"] == "/live/b"


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2:{port}/x",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "ftp://example.org/file",
        "http://127.0.0.1:1/other-port",
        "http://[::1]:{port}/x",
        "http://[::ffff:127.0.0.1]:{port}/x",
        "http://localhost:{port}/x",
    ],
)
def test_redirects_to_private_targets_are_blocked(
    fake: FakeArchive, client: SafeClient, target: str
) -> None:
    port = fake.hostport.rsplit(":", 1)[1]
    fake.live["evil"] = redirect(target.format(port=port))
    failure = failure_of(client, fake.live_url("evil"))
    assert failure.kind is FailureKind.REDIRECT_BLOCKED and not failure.retryable
    assert "refused" in str(failure)
    assert len(fake.requests()) == 1


def test_private_first_address_is_blocked_too(client: SafeClient) -> None:
    assert failure_of(client, "http://10.0.0.1/admin").kind is FailureKind.REDIRECT_BLOCKED


def test_redirect_loop_and_too_many_hops(fake: FakeArchive, client: SafeClient) -> None:
    fake.live["a"] = redirect("/live/b")
    fake.live["b"] = redirect("/live/a")
    loop = failure_of(client, fake.live_url("a"))
    assert loop.kind is FailureKind.REDIRECT_LOOP and "circle" in str(loop)
    for i in range(10):
        fake.live[f"hop{i}"] = redirect(f"/live/hop{i + 1}")
    long = failure_of(client, fake.live_url("hop0"))
    assert long.kind is FailureKind.REDIRECT_LOOP and "more than 5" in str(long)


def test_credentials_are_dropped_when_the_host_changes(fake: FakeArchive) -> None:
    with FakeArchive() as other:
        other.live["x"] = Reply(body=PAGE)
        fake.live["same"] = redirect("/live/away")
        fake.live["away"] = redirect(other.live_url("x"))
        settings = fast_settings(fake, allowed_private_hosts=frozenset({other.hostport}))
        secret = {"Authorization": "LOW a:b", "Cookie": "s=1", "X-Keep": "yes"}
        with SafeClient(settings) as client:
            assert client.get(fake.live_url("same"), headers=secret).body == PAGE
        first_hop = fake.requests("live")[1].headers
        assert first_hop["Authorization"] == "LOW a:b"  # same host: kept
        arrived = other.requests("live")[0].headers
        assert "Authorization" not in arrived and "Cookie" not in arrived
        assert arrived["X-Keep"] == "yes"


# ---- politeness ----------------------------------------------------------------------------


def test_per_host_concurrency_is_limited(fake: FakeArchive) -> None:
    lock = threading.Lock()
    state = {"now": 0, "max": 0}

    def slow(request: object, params: object) -> Reply:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.1)
        with lock:
            state["now"] -= 1
        return Reply(body=PAGE)

    fake.live["slow"] = slow
    with SafeClient(fast_settings(fake, archive_concurrency=2)) as client:
        threads = [
            threading.Thread(target=client.get, args=(fake.live_url("slow"),)) for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert state["max"] == 2


def test_429_pauses_the_whole_host_then_retries_once(fake: FakeArchive) -> None:
    settings = fast_settings(fake, default_429_pause_s=0.4)
    fake.script("live", Reply(status=429, body=b"Too Many Requests"))
    fake.live["a"] = Reply(body=PAGE)
    fake.live["b"] = Reply(body=PAGE)
    with SafeClient(settings) as client:
        other = threading.Thread(target=lambda: (time.sleep(0.1), client.get(fake.live_url("b"))))
        other.start()
        assert client.get(fake.live_url("a")).body == PAGE
        other.join()
    times = [r.at for r in fake.requests("live")]
    assert len(times) == 3
    # Nothing reached the host during the pause, from either thread.
    assert min(times[1:]) - times[0] >= 0.38


def test_second_429_is_recorded_with_a_retry_time(fake: FakeArchive, client: SafeClient) -> None:
    fake.script("live", Reply(status=429), Reply(status=429))
    failure = failure_of(client, fake.live_url("a"))
    assert failure.kind is FailureKind.RATE_LIMITED and failure.retryable
    assert failure.retry_at and failure.http_status == 429
    assert len(fake.requests("live")) == 2


def test_retry_after_over_the_cap_is_recorded_not_slept(
    fake: FakeArchive, client: SafeClient
) -> None:
    fake.script("live", Reply(status=429, headers=[("Retry-After", "3600")]))
    started = time.monotonic()
    failure = failure_of(client, fake.live_url("a"))
    assert failure.kind is FailureKind.RATE_LIMITED
    assert failure.retry_at and "try again after" in str(failure)
    # The host stays paused: the next call fails at once without touching the network.
    again = failure_of(client, fake.live_url("b"))
    assert again.kind is FailureKind.RATE_LIMITED
    assert time.monotonic() - started < 0.5
    assert len(fake.requests("live")) == 1


def test_cdx_purpose_uses_the_rate_bucket(fake: FakeArchive) -> None:
    settings = fast_settings(fake, cdx_per_minute=600.0, cdx_burst=1)  # one every 0.1 s
    fake.live["a"] = Reply(body=PAGE)
    with SafeClient(settings) as client:
        for _ in range(4):
            client.get(fake.live_url("a"), purpose="cdx")
    times = [r.at for r in fake.requests("live")]
    # Three waits of 0.1 s; without the bucket the four arrive within milliseconds. The slack
    # covers the first request's connection set-up, which delays its arrival on a busy machine.
    assert times[-1] - times[0] >= 0.25
