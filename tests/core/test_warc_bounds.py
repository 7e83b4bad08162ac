"""Issue 10.6: a WARC record costs at most a bounded amount of reading, a header line cannot
make warcio's readline quadratic, and Cancel stops an import."""

from __future__ import annotations

import gzip
import io
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
