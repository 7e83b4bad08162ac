"""Memento link-format parsing, TimeMaps and the Time Travel aggregator."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from fake_archive import FakeArchive, Reply

from workbench.core.net.errors import FailureKind, FetchFailure
from workbench.core.net.http import SafeClient
from workbench.core.sources.archive.linkformat import parse_link_format
from workbench.core.sources.archive.memento import (
    archive_name,
    fetch_uri_m,
    timemap,
    timetravel_closest,
)

URL = "https://example.org/story"


def test_link_format_with_commas_inside_quotes() -> None:
    text = (
        '<http://example.org/a>; rel="original",\n'
        '<http://arch.example/timemap/link/http://example.org/a>; rel="self"; '
        'type="application/link-format"; from="Tue, 20 Jun 2000 18:02:59 GMT",\n'
        "<http://arch.example/web/20000620180259/http://example.org/a>; "
        'rel="first memento"; datetime="Tue, 20 Jun 2000 18:02:59 GMT",\n'
        "<http://arch.example/web/2001/http://example.org/a?x=1,2>; rel=memento; "
        'datetime="Wed, 21 Mar 2001 10:00:00 GMT"; title="say \\"hi\\", ok"'
    )
    links = parse_link_format(text)
    assert [link.rel for link in links] == [
        ("original",),
        ("self",),
        ("first", "memento"),
        ("memento",),
    ]
    assert links[1].param("from") == "Tue, 20 Jun 2000 18:02:59 GMT"
    assert links[3].uri.endswith("?x=1,2")
    assert links[3].param("title") == 'say "hi", ok'
    assert links[2].param("datetime") == "Tue, 20 Jun 2000 18:02:59 GMT"


def test_link_format_tolerates_garbage() -> None:
    assert parse_link_format("") == []
    assert [link.uri for link in parse_link_format('junk <a>; rel="x" junk, <b>')] == ["a", "b"]
    assert parse_link_format("<unterminated") == []


def test_archive_name_from_uri_m_host() -> None:
    assert archive_name("https://arquivo.pt/wayback/2020/http://x/") == "memento:arquivo.pt"


def test_timemap_lists_captures(fake: FakeArchive, client: SafeClient) -> None:
    fake.add_capture(URL, "20240301000000")
    fake.add_capture(URL, "20230301000000")
    captures = timemap(client, URL)
    assert [c.timestamp for c in captures] == ["20230301000000", "20240301000000"]
    assert captures[0].uri_m and "/web/20230301000000/" in captures[0].uri_m


def test_timetravel_closest_and_fetch(fake: FakeArchive, client: SafeClient) -> None:
    fake.add_other_memento(URL, "20240302000000", body=b"<p>elsewhere</p>")
    found = timetravel_closest(client, URL, datetime(2024, 3, 1, tzinfo=UTC))
    assert len(found) == 1
    capture = found[0]
    assert capture.timestamp == "20240302000000" and capture.archive == "memento:127.0.0.1"
    memento = fetch_uri_m(client, capture)
    assert memento.body == b"<p>elsewhere</p>"
    assert memento.memento_datetime == "2024-03-02T00:00:00Z"


def test_timetravel_knows_nothing(fake: FakeArchive, client: SafeClient) -> None:
    assert timetravel_closest(client, URL, None) == []


def test_timetravel_timeout_is_quick_and_unknown(fake: FakeArchive, client: SafeClient) -> None:
    fake.script("timetravel", Reply(body=b"{}", delay_s=5))
    started = time.monotonic()
    with pytest.raises(FetchFailure) as caught:
        timetravel_closest(client, URL, None)
    assert caught.value.kind is FailureKind.TIMEOUT
    assert time.monotonic() - started < client.settings.memento_timeout_s + 0.5
    assert len(fake.requests("timetravel")) == 1  # one try only


def test_uri_m_without_memento_datetime(fake: FakeArchive, client: SafeClient) -> None:
    fake.add_other_memento(URL, "20240302000000")
    (capture,) = timetravel_closest(client, URL, None)
    fake.script("other", Reply(body=b"<p>a landing page</p>"))
    with pytest.raises(FetchFailure) as caught:
        fetch_uri_m(client, capture)
    assert caught.value.kind is FailureKind.NOT_A_MEMENTO
