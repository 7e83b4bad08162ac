"""WARC/WACZ import: the sample archive, hand-made archives, and damaged or hostile files."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import io
import json
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from workbench.core.errors import InvalidInputError, LoadError
from workbench.core.sources import warc
from workbench.core.sources.snapshot import Snapshot
from workbench.core.sources.warc import (
    capture_for,
    import_warc,
    latest_by_url,
    read_warc,
    url_key,
)

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
ARTICLE_DATE = "2026-03-12T07:30:00Z"


# --- building archives --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rec:
    url: str
    body: bytes = b"<html><body><p>Hello</p></body></html>"
    date: str = "2026-03-01T10:00:00Z"
    kind: str = "response"
    status: str = "200 OK"
    content_type: str = "text/html; charset=utf-8"
    raw_http: bytes | None = None  # a complete HTTP response, written as-is
    record_id: str | None = None
    extra: tuple[tuple[str, str], ...] = ()


def warc_bytes(records: list[Rec], *, gz: bool = True) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for rec in records:
        headers = {"WARC-Date": rec.date, **dict(rec.extra)}
        if rec.record_id:
            headers["WARC-Record-ID"] = f"<{rec.record_id}>"
        if rec.kind == "revisit":
            record = writer.create_revisit_record(
                rec.url,
                digest=dict(rec.extra)["WARC-Payload-Digest"],
                refers_to_uri=dict(rec.extra).get("WARC-Refers-To-Target-URI", rec.url),
                refers_to_date=dict(rec.extra).get("WARC-Refers-To-Date", ""),
                http_headers=StatusAndHeaders(
                    rec.status, [("Content-Type", rec.content_type)], protocol="HTTP/1.1"
                ),
                warc_headers_dict={
                    k: v for k, v in headers.items() if not k.startswith("WARC-Refers-To")
                },
            )
            record.rec_headers.remove_header("WARC-Payload-Digest")
            record.rec_headers.add_header(
                "WARC-Payload-Digest", dict(rec.extra)["WARC-Payload-Digest"]
            )
        elif rec.raw_http is not None:
            record = writer.create_warc_record(
                rec.url,
                rec.kind,
                payload=io.BytesIO(rec.raw_http),
                length=len(rec.raw_http),
                warc_headers_dict=headers,
            )
        elif rec.kind in ("response",):
            http = StatusAndHeaders(
                rec.status,
                [("Content-Type", rec.content_type), ("Content-Length", str(len(rec.body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                rec.url,
                rec.kind,
                payload=io.BytesIO(rec.body),
                http_headers=http,
                warc_headers_dict=headers,
            )
        else:  # resource, metadata: no HTTP headers
            record = writer.create_warc_record(
                rec.url,
                rec.kind,
                payload=io.BytesIO(rec.body),
                length=len(rec.body),
                warc_content_type="text/plain",
                warc_headers_dict=headers,
            )
        writer.write_record(record)
    return out.getvalue()


def three_pages() -> list[Rec]:
    return [
        Rec(f"http://example.org/page-{i}", body=b"<p>page %d</p>" % i * 40, record_id=f"urn:x:{i}")
        for i in range(3)
    ]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def make_wacz(tmp_path: Path, entries: dict[str, bytes], name: str = "crawl.wacz") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        for entry, data in entries.items():
            compression = zipfile.ZIP_STORED if entry.endswith(".gz") else zipfile.ZIP_DEFLATED
            zf.writestr(entry, data, compress_type=compression)
    return path


def load_sample_builder():
    spec = importlib.util.spec_from_file_location(
        "make_sample_warc", SAMPLE / "make_sample_warc.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_sample_warc", module)  # dataclasses look their module up
    spec.loader.exec_module(sys.modules["make_sample_warc"])
    return sys.modules["make_sample_warc"]


# --- the sample archive -------------------------------------------------------------------------


def cited_links() -> list[str]:
    soup = BeautifulSoup((SAMPLE / "sample-article.html").read_bytes(), "lxml")
    return [a["href"] for a in soup.select(".story-body a[href]")]


def test_every_cited_link_of_the_sample_article_has_a_capture():
    snapshots = read_warc(SAMPLE / "cited-pages.warc.gz")
    links = cited_links()
    assert len(links) == 6
    captured = {s.original_url for s in snapshots}
    assert set(links) == captured
    assert len(snapshots) == 6  # request and warcinfo records are not captures
    for snap in snapshots:
        assert snap.archive == "warc"
        assert snap.http_status == 200
        assert snap.content_type == "text/html; charset=utf-8"
        assert snap.archive_url.startswith("warc:cited-pages.warc.gz#urn:uuid:")
        assert b"fictional" in snap.body.lower()


def test_sample_capture_dates_are_before_the_article_except_one():
    snapshots = read_warc(SAMPLE / "cited-pages.warc.gz")
    dates = {s.original_url: s.captured_at for s in snapshots}
    assert dates["http://council.example.org/meetings/2026-03-03/minutes"] == "2026-03-05T14:12:09Z"
    after = [url for url, date in dates.items() if date > ARTICLE_DATE]
    assert after == ["http://www.example.com/regional-transport-fund/awards/2026"]
    chosen = latest_by_url(snapshots, before="2026-03-12")
    flagged = [url for url, snap in chosen.items() if "after-publication" in snap.flags]
    assert flagged == after
    assert "8 days after" in chosen[after[0]].note


def test_sample_bodies_are_the_pages_as_written_and_their_hashes_are_stable():
    builder = load_sample_builder()
    snapshots = {s.original_url: s for s in read_warc(SAMPLE / "cited-pages.warc.gz")}
    for page in builder.PAGES:
        # The Coastal Courier page was stored gzip-encoded and chunked; the body is decoded.
        assert snapshots[page.url].body == page.html()
        assert snapshots[page.url].sha256 == hashlib.sha256(page.html()).hexdigest()
    minutes = snapshots["http://council.example.org/meetings/2026-03-03/minutes"]
    assert minutes.sha256 == "c5940b832819e07ca37b2645b40a21c7266f1564f26986183b9fee2f18d5a6eb"


def test_sample_archive_is_reproducible_from_its_script(tmp_path):
    builder = load_sample_builder()
    rebuilt = tmp_path / "again.warc.gz"
    assert builder.main(["make_sample_warc.py", str(rebuilt)]) == 0
    committed = (SAMPLE / "cited-pages.warc.gz").read_bytes()
    assert rebuilt.read_bytes() == committed
    assert len(committed) < 50_000


# --- formats ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("gz", "name"), [(True, "crawl.warc.gz"), (False, "crawl.warc")])
def test_gzip_and_plain_warc_give_the_same_captures(tmp_path, gz, name):
    result = import_warc(write(tmp_path, name, warc_bytes(three_pages(), gz=gz)))
    assert result.warnings == ()
    assert [s.original_url for s in result.snapshots] == [
        "http://example.org/page-0",
        "http://example.org/page-1",
        "http://example.org/page-2",
    ]
    first = result.snapshots[0]
    assert first.body == b"<p>page 0</p>" * 40
    assert first.captured_at == "2026-03-01T10:00:00Z"
    assert first.archive_url == f"warc:{name}#urn:x:0"


def test_whole_file_gzip_is_read_too(tmp_path):
    # `gzip crawl.warc` makes one gzip stream instead of one member per record.
    path = write(tmp_path, "crawl.warc.gz", gzip.compress(warc_bytes(three_pages(), gz=False)))
    assert len(read_warc(path)) == 3


def test_warc_dates_with_fractions_and_offsets_become_utc_seconds(tmp_path):
    records = [
        Rec("http://example.org/a", date="2026-03-01T10:00:00.123456Z"),
        Rec("http://example.org/b", date="2026-03-01T12:00:00+02:00"),
        Rec("http://example.org/c", date="not a date"),
    ]
    snaps = read_warc(write(tmp_path, "d.warc", warc_bytes(records, gz=False)))
    assert [s.captured_at for s in snaps] == ["2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", None]


def test_chunked_gzip_encoded_payload_is_decoded(tmp_path):
    html = b"<html><body>" + b"<p>The bridge will cost 48.6 million.</p>" * 50 + b"</body></html>"
    packed = gzip.compress(html, mtime=0)
    chunked = b"".join(
        b"%x\r\n%s\r\n" % (len(packed[i : i + 300]), packed[i : i + 300])
        for i in range(0, len(packed), 300)
    )
    raw = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + chunked + b"0\r\n\r\n"
    )
    snaps = read_warc(
        write(tmp_path, "c.warc.gz", warc_bytes([Rec("https://example.org/", raw_http=raw)]))
    )
    assert snaps[0].body == html
    assert snaps[0].sha256 == hashlib.sha256(html).hexdigest()


def test_only_http_responses_and_revisits_become_captures(tmp_path):
    records = [
        Rec("dns:example.org", kind="resource", body=b"20260301 example.org 93.184.216.34"),
        Rec("http://example.org/notes", kind="metadata", body=b"outlinks: none"),
        Rec("urn:pageinfo:http://example.org/", kind="resource", body=b"{}"),
        Rec("http://example.org/missing", status="404 Not Found"),
        Rec("ftp://example.org/file"),
    ]
    snaps = read_warc(write(tmp_path, "mixed.warc.gz", warc_bytes(records)))
    assert [(s.original_url, s.http_status) for s in snaps] == [("http://example.org/missing", 404)]


def test_revisit_takes_the_body_of_the_capture_it_points_to(tmp_path):
    original = Rec("http://example.org/story", body=b"<p>first version</p>", record_id="urn:x:orig")
    digest = "sha1:ORIGINALDIGEST"
    records = [
        Rec(
            original.url,
            body=original.body,
            record_id="urn:x:orig",
            extra=(("WARC-Payload-Digest", digest),),
        ),
        Rec(
            original.url,
            kind="revisit",
            date="2026-03-09T08:00:00Z",
            status="304 Not Modified",
            record_id="urn:x:visit",
            extra=(
                ("WARC-Payload-Digest", digest),
                ("WARC-Refers-To-Target-URI", original.url),
                ("WARC-Refers-To-Date", "2026-03-01T10:00:00Z"),
            ),
        ),
        Rec(
            "http://example.org/elsewhere",
            kind="revisit",
            record_id="urn:x:lost",
            extra=(("WARC-Payload-Digest", "sha1:NOTHERE"),),
        ),
    ]
    result = import_warc(write(tmp_path, "r.warc.gz", warc_bytes(records)))
    assert len(result.snapshots) == 2
    visit = result.snapshots[1]
    assert visit.body == b"<p>first version</p>"
    assert visit.captured_at == "2026-03-09T08:00:00Z"
    assert visit.http_status == 200  # "not modified" means the original's page and status
    assert "revisit" in visit.flags
    assert visit.archive_url == "warc:r.warc.gz#urn:x:visit"
    assert len(result.warnings) == 1
    assert "http://example.org/elsewhere" in result.warnings[0]
    assert "not in this file" in result.warnings[0]


def test_wacz_reads_the_warcs_under_archive(tmp_path):
    path = make_wacz(
        tmp_path,
        {
            "datapackage.json": json.dumps({"profile": "data-package", "resources": []}).encode(),
            "pages/pages.jsonl": b'{"format": "json-pages-1.0"}\n',
            "archive/data.warc.gz": warc_bytes(three_pages()[:2]),
            "archive/more.warc": warc_bytes(three_pages()[2:], gz=False),
            "indexes/index.cdx": b"",
        },
    )
    snaps = read_warc(path)
    assert [s.original_url for s in snaps] == [
        "http://example.org/page-0",
        "http://example.org/page-1",
        "http://example.org/page-2",
    ]
    assert snaps[0].archive_url == "warc:crawl.wacz/archive/data.warc.gz#urn:x:0"
    assert snaps[2].archive_url == "warc:crawl.wacz/archive/more.warc#urn:x:2"


def test_wacz_without_warcs_is_refused(tmp_path):
    path = make_wacz(tmp_path, {"datapackage.json": b"{}", "pages/pages.jsonl": b""})
    with pytest.raises(LoadError, match="holds no WARC files"):
        read_warc(path)


def test_wacz_entry_that_expands_like_a_zip_bomb_is_skipped(tmp_path):
    bomb = b"WARC/1.0\r\n" + b"\0" * 5_000_000
    path = make_wacz(
        tmp_path, {"archive/bomb.warc": bomb, "archive/good.warc.gz": warc_bytes(three_pages())}
    )
    warnings: list[str] = []
    snaps = read_warc(path, warnings=warnings)
    assert len(snaps) == 3
    assert any("archive/bomb.warc" in w and "zip bomb" in w for w in warnings)


def test_wacz_with_too_many_entries_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(warc, "MAX_WACZ_ENTRIES", 3)
    entries = {f"pages/{i}.json": b"{}" for i in range(4)}
    entries["archive/a.warc.gz"] = warc_bytes(three_pages())
    with pytest.raises(LoadError, match="more than the 3"):
        read_warc(make_wacz(tmp_path, entries))


# --- damaged and hostile files ------------------------------------------------------------------


def test_broken_record_is_skipped_with_a_warning(tmp_path):
    data = warc_bytes(three_pages(), gz=False)
    second = data.index(b"WARC/1.0", 10)
    broken = data[:second] + b"XARC/1.0" + data[second + 8 :]
    warnings: list[str] = []
    snaps = read_warc(write(tmp_path, "broken.warc", broken), warnings=warnings)
    assert [s.original_url for s in snaps] == [
        "http://example.org/page-0",
        "http://example.org/page-2",
    ]
    assert len(warnings) == 1
    assert f"byte {second}" in warnings[0] and "broken.warc" in warnings[0]
    assert warnings[0].endswith(".")


def test_corrupt_gzip_member_is_skipped_and_the_rest_read(tmp_path):
    data = warc_bytes(three_pages())
    second = data.index(b"\x1f\x8b\x08", 10)
    corrupt = data[: second + 20] + b"\xff" * 40 + data[second + 60 :]
    result = import_warc(write(tmp_path, "corrupt.warc.gz", corrupt))
    assert [s.original_url for s in result.snapshots] == [
        "http://example.org/page-0",
        "http://example.org/page-2",
    ]
    assert len(result.warnings) == 1


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_file_keeps_the_complete_records(tmp_path, gz):
    data = warc_bytes(three_pages(), gz=gz)
    result = import_warc(write(tmp_path, "cut.warc", data[:-150]))
    assert [s.original_url for s in result.snapshots] == [
        "http://example.org/page-0",
        "http://example.org/page-1",
    ]
    assert len(result.warnings) == 1
    assert "skipped" in result.warnings[0]


def test_file_truncated_inside_its_only_record_is_damaged(tmp_path):
    data = warc_bytes(three_pages()[:1], gz=True)
    with pytest.raises(LoadError, match=r"^The WARC file is damaged: "):
        read_warc(write(tmp_path, "cut.warc.gz", data[: len(data) // 2]))


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body>Just a web page</body></html>",
        gzip.compress(b"a,b,c\n1,2,3\n"),
        b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
    ],
)
def test_a_file_that_is_not_a_web_archive_is_refused_plainly(tmp_path, content):
    with pytest.raises(LoadError) as caught:
        read_warc(write(tmp_path, "notes.warc.gz", content))
    message = str(caught.value)
    assert message == (
        "notes.warc.gz is not a web archive; choose a .warc, .warc.gz or .wacz file."
    )


def test_missing_empty_and_folder_paths_are_refused(tmp_path):
    with pytest.raises(LoadError, match="There is no file at"):
        read_warc(tmp_path / "nowhere.warc")
    with pytest.raises(LoadError, match="is empty"):
        read_warc(write(tmp_path, "empty.warc", b""))
    with pytest.raises(LoadError, match="is a folder"):
        read_warc(tmp_path)


def test_a_zip_that_is_not_a_wacz_is_refused(tmp_path):
    path = tmp_path / "x.wacz"
    path.write_bytes(b"PK\x03\x04" + b"garbage" * 10)
    with pytest.raises(LoadError, match="not a readable WACZ"):
        read_warc(path)


def test_record_over_the_size_cap_is_skipped(tmp_path):
    records = [Rec("http://example.org/big", body=b"x" * 5000), *three_pages()]
    warnings: list[str] = []
    snaps = read_warc(
        write(tmp_path, "big.warc.gz", warc_bytes(records)),
        warnings=warnings,
        max_record_bytes=1500,
    )
    assert len(snaps) == 3
    assert warnings == [
        "The capture of http://example.org/big in big.warc.gz is larger than 1 KB and was skipped."
    ]


def test_total_cap_stops_the_import_with_a_warning(tmp_path):
    result = import_warc(
        write(tmp_path, "many.warc.gz", warc_bytes(three_pages())), max_total_bytes=1000
    )
    assert len(result.snapshots) == 1  # each body is 520 bytes
    assert result.warnings and "import stopped" in result.warnings[-1]


# --- choosing a capture -------------------------------------------------------------------------


def snap(url: str, date: str | None, status: int = 200) -> Snapshot:
    return Snapshot(url, "warc", None, date, status, "text/html", body=(date or "").encode())


def test_latest_by_url_picks_the_capture_closest_before_the_date():
    snaps = [
        snap("http://a.example/", "2026-03-01T00:00:00Z"),
        snap("http://a.example/", "2026-03-10T00:00:00Z"),
        snap("http://a.example/", "2026-03-14T00:00:00Z"),
        snap("http://b.example/", "2026-03-12T23:00:00Z"),
    ]
    chosen = latest_by_url(snaps, before="2026-03-12")
    assert chosen["http://a.example/"].captured_at == "2026-03-10T00:00:00Z"
    # a bare date counts the whole day: the article may have been written late on it
    assert chosen["http://b.example/"].captured_at == "2026-03-12T23:00:00Z"
    assert chosen["http://b.example/"].flags == ()
    newest = latest_by_url(snaps)
    assert newest["http://a.example/"].captured_at == "2026-03-14T00:00:00Z"
    by_time = latest_by_url(snaps, before="2026-03-12T12:00:00+00:00")
    assert "after-publication" in by_time["http://b.example/"].flags


def test_latest_by_url_prefers_successful_captures_and_flags_later_ones():
    snaps = [
        snap("http://a.example/", "2026-03-05T00:00:00Z", status=503),
        snap("http://a.example/", "2026-03-20T00:00:00Z"),
    ]
    chosen = latest_by_url(snaps, before="2026-03-12")["http://a.example/"]
    assert chosen.captured_at == "2026-03-20T00:00:00Z"
    assert "after-publication" in chosen.flags
    assert chosen.note.startswith("Captured 8 days after")


def test_latest_by_url_rejects_a_date_it_cannot_read():
    with pytest.raises(InvalidInputError, match="is not a date"):
        latest_by_url([snap("http://a.example/", None)], before="last Tuesday")


def test_capture_for_matches_cited_links_loosely():
    snaps = read_warc(SAMPLE / "cited-pages.warc.gz")
    found = capture_for(
        snaps,
        "https://example.com/ridgeway-engineering/reports/millbrook-bridge-feasibility/#summary",
    )
    assert found is not None
    assert found.original_url.endswith("millbrook-bridge-feasibility")
    assert capture_for(snaps, "http://example.com/elsewhere") is None
    assert url_key("HTTPS://WWW.Example.org:443/a/?q=1#x") == "example.org/a?q=1"
