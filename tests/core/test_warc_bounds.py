"""Issue 10.6: a WARC record costs at most a bounded amount of reading, a header line cannot
make warcio's readline quadratic, and Cancel stops an import."""

from __future__ import annotations

import gzip
import io
import random
import threading
from pathlib import Path
from typing import Any

import pytest
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from workbench.core.sources.warc import ImportCancelled, import_warc

LONG_LINE = 8 * 1024 * 1024


def _good_record(writer: WARCWriter, url: str) -> None:
    body = b"<html><body><p>The figure was 60 targets.</p></body></html>"
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
    writer.write_record(record)


def _long_header_warc(path: Path) -> None:
    """A good record, then one gzip member whose header line is 8 MB long, then a good one."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    _good_record(writer, "https://example.org/first")
    member = b"WARC/1.0\r\nWARC-Type: response\r\nX-Long: " + b"a" * LONG_LINE + b"\r\n\r\n"
    out.write(gzip.compress(member))
    _good_record(writer, "https://example.org/last")
    path.write_bytes(out.getvalue())


def _count_line_bytes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Bytes returned by every readline of warcio's reader (the work the parsers do on lines).
    The reader's own class is patched, so this counts before and after the fix alike."""
    total = [0]
    for cls in {DecompressingBufferedReader, *DecompressingBufferedReader.__subclasses__()}:
        original = cls.readline

        def counting(self: Any, length: int | None = None, _original: Any = original) -> bytes:
            line = _original(self, length)
            total[0] += len(line)
            return line

        monkeypatch.setattr(cls, "readline", counting)
    return total


def test_a_long_header_line_is_damage_and_reading_stays_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "long.warc.gz"
    _long_header_warc(path)
    assert path.stat().st_size < 100_000  # small on disk, 8 MB once decompressed
    line_bytes = _count_line_bytes(monkeypatch)
    result = import_warc(path)
    urls = sorted(s.original_url for s in result.snapshots)
    assert urls == ["https://example.org/first", "https://example.org/last"]
    assert any("header line is longer than" in w for w in result.warnings), result.warnings
    # The work bound: the 8 MB line is given up after its first 64 KB, not read whole.
    assert line_bytes[0] < LONG_LINE / 8


def test_cancel_stops_an_import(tmp_path: Path) -> None:
    path = tmp_path / "long.warc.gz"
    _long_header_warc(path)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ImportCancelled, match="cancelled"):
        import_warc(path, cancel=cancel)


def test_work_per_record_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A record far larger than the import keeps is not read to its end: reading stops at the
    record cap plus RECORD_WORK_SLACK, and the next record is still found."""
    from workbench.core.sources import warc

    monkeypatch.setattr(warc, "RECORD_WORK_SLACK", 64 * 1024)
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    # Incompressible, so the reader gets it block by block (a run of one byte would arrive
    # in one block: warcio inflates a whole block at once, a bound of its own).
    huge = b"<p>" + random.Random(7).randbytes(3 * 1024 * 1024).hex().encode() + b"</p>"
    writer.write_record(
        writer.create_warc_record(
            "https://example.org/huge", "response", payload=io.BytesIO(huge), http_headers=http
        )
    )
    _good_record(writer, "https://example.org/last")
    path = tmp_path / "huge.warc.gz"
    path.write_bytes(out.getvalue())
    read = [0]
    original = DecompressingBufferedReader._process_read

    def counting(self: Any, data: bytes) -> None:
        original(self, data)
        read[0] += self.buff_size

    monkeypatch.setattr(DecompressingBufferedReader, "_process_read", counting)
    result = import_warc(path, max_record_bytes=100 * 1024)
    assert [s.original_url for s in result.snapshots] == ["https://example.org/last"]
    assert read[0] < 2 * 1024 * 1024  # not the 6 MB of the huge record


def test_a_compressed_bomb_is_not_inflated_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One gzip block of a run of one byte inflates a thousandfold; warcio inflated a whole
    block at once, so reading stopped only after tens of MB. Now each fill inflates at most
    256 KB and the record's work cap applies between them."""
    from workbench.core.sources import warc

    monkeypatch.setattr(warc, "RECORD_WORK_SLACK", 64 * 1024)
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    bomb = b"<p>" + b"x" * (64 * 1024 * 1024) + b"</p>"
    writer.write_record(
        writer.create_warc_record(
            "https://example.org/bomb", "response", payload=io.BytesIO(bomb), http_headers=http
        )
    )
    _good_record(writer, "https://example.org/last")
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(out.getvalue())
    assert path.stat().st_size < 200_000  # 64 MB inflated
    read = [0]
    original = DecompressingBufferedReader._process_read

    def counting(self: Any, data: bytes) -> None:
        original(self, data)
        read[0] += self.buff_size

    monkeypatch.setattr(DecompressingBufferedReader, "_process_read", counting)
    result = import_warc(path, max_record_bytes=100 * 1024)
    assert [s.original_url for s in result.snapshots] == ["https://example.org/last"]
    assert read[0] < 2 * 1024 * 1024  # not the 64 MB of the bomb


def test_a_record_after_a_compressed_bomb_is_read_once(tmp_path: Path) -> None:
    """A response whose gzip-encoded body inflates to 1 GB (2.5 KB on disk), then a good one:
    the bomb is skipped at the cap, and the good record is one capture, not three (the end of
    the bomb's member left the next member to be fed again on every fill)."""
    bomb = gzip.compress(bytes(1024 * 1024 * 1024), 9)
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
    http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        "https://example.org/bomb", "response", payload=io.BytesIO(bomb), http_headers=http
    )
    writer.write_record(record)
    _good_record(writer, "https://example.org/after")
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(out.getvalue())
    result = import_warc(path)
    assert [s.original_url for s in result.snapshots] == ["https://example.org/after"]
    assert any("larger than" in w for w in result.warnings)
