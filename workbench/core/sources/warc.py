"""Import captured pages from web archive files: WARC (.warc, .warc.gz) and WACZ (.wacz).

Fact-checkers get these from Webrecorder, ArchiveWeb.page, Browsertrix, ArchiveBox or wget.
Every HTTP(S) 'response' record becomes a Snapshot (archive="warc"); 'revisit' records become
one too when the capture they point to is in the same file. Archive files are hostile input:
records can be damaged, truncated, gigantic or zip bombs, so every record is read with a size
cap, damaged records are skipped with a warning, and a WACZ is read in place, never extracted.

Public API:
- import_warc(path) -> WarcImport(snapshots, warnings)
- read_warc(path, *, warnings=None) -> list[Snapshot]
- latest_by_url(snapshots, before=None) -> dict[str, Snapshot]
- capture_for(snapshots, url, before=None) -> Snapshot | None
- url_key(url) -> str
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import threading
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from workbench.core.errors import InvalidInputError, LoadError, WorkbenchError
from workbench.core.net.urls import is_web_url
from workbench.core.sources.snapshot import Snapshot

MAX_RECORD_BYTES = 20 * 1024 * 1024  # one page; matches trafilatura's MAX_FILE_SIZE
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # all kept bodies together (they stay in memory)
MAX_WACZ_ENTRIES = 10_000
MAX_WACZ_RATIO = 200  # uncompressed/compressed size of one zip entry; text rarely passes 20
MAX_WARNINGS = 50
# warcio's readline joins a long line piece by piece, which is quadratic: a 400 KB .warc.gz
# holding one huge header line ran for minutes. Header lines are short (URLs included), so a
# line longer than this is damage; and no record may cost more reading than its size cap plus
# this much, whatever its headers say.
MAX_HEADER_LINE = 64 * 1024
_INFLATE_STEP = 256 * 1024  # most bytes one fill may inflate
RECORD_WORK_SLACK = 4 * 1024 * 1024
_CHUNK = 64 * 1024
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/"


class ImportCancelled(WorkbenchError):
    """The person cancelled a WARC import; nothing from the file was stored."""


class _RecordTooCostly(Exception):
    """A header line or a record asked for more reading than any real capture needs."""


@dataclass(frozen=True)
class WarcImport:
    """What an import produced: the captures, and one sentence per thing that was skipped."""

    snapshots: tuple[Snapshot, ...]
    warnings: tuple[str, ...]


def import_warc(
    path: str | Path,
    *,
    max_record_bytes: int = MAX_RECORD_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    cancel: threading.Event | None = None,
) -> WarcImport:
    """Read every HTTP(S) capture of a .warc, .warc.gz or .wacz file.

    Raises LoadError when the file is missing, is not a web archive, or nothing in it is readable,
    and ImportCancelled as soon as `cancel` is set (it is looked at every block read).
    """
    path = Path(path)
    sink = _Sink(
        max_record_bytes=max_record_bytes,
        max_total_bytes=max_total_bytes,
        cancel=cancel or threading.Event(),
    )
    kind = _sniff(path)
    if kind == "wacz":
        _read_wacz(path, sink)
    else:
        with _open_file(path) as fh:
            _read_archive(fh, path.name, kind == "gzip", sink)
    snapshots = sink.finish()
    if not snapshots and sink.damaged:
        raise LoadError(f"The WARC file is damaged: {sink.damaged[0]}.")
    return WarcImport(snapshots=tuple(snapshots), warnings=tuple(sink.warnings()))


def read_warc(
    path: str | Path,
    *,
    warnings: list[str] | None = None,
    max_record_bytes: int = MAX_RECORD_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
) -> list[Snapshot]:
    """The captures of a web archive file; skipped records are described in `warnings` if given."""
    result = import_warc(path, max_record_bytes=max_record_bytes, max_total_bytes=max_total_bytes)
    if warnings is not None:
        warnings.extend(result.warnings)
    return list(result.snapshots)


# --- choosing a capture -------------------------------------------------------------------------


def latest_by_url(snapshots: Iterable[Snapshot], before: str | None = None) -> dict[str, Snapshot]:
    """For each original URL, the capture closest before `before` (the article's date).

    `before` is an ISO date or datetime; a bare date counts the whole day, because an article
    dated 12 March may have been written at any hour of it. With no capture before it, the
    earliest one after it is chosen and flagged "after-publication". Successful (2xx) captures
    are preferred over redirects and errors. With before=None the newest capture wins.
    """
    cutoff = _cutoff(before) if before else None
    groups: dict[str, list[Snapshot]] = {}
    for snap in snapshots:
        groups.setdefault(snap.original_url, []).append(snap)
    return {url: _choose(group, cutoff) for url, group in groups.items()}


def capture_for(
    snapshots: Iterable[Snapshot], url: str, before: str | None = None
) -> Snapshot | None:
    """The capture of `url` to read beside a claim, matching URLs loosely (see url_key)."""
    key = url_key(url)
    matching = [s for s in snapshots if url_key(s.original_url) == key]
    if not matching:
        return None
    return _choose(matching, _cutoff(before) if before else None)


def url_key(url: str) -> str:
    """A URL reduced to what identifies the page: no scheme, "www.", fragment, default port or
    trailing slash, host in lower case. Cited links and archived URLs differ in exactly these."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = parts.port if parts.port not in (None, 80, 443) else None
    path = parts.path.rstrip("/") or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{f':{port}' if port else ''}{path}{query}"


def _choose(group: list[Snapshot], cutoff: str | None) -> Snapshot:
    ok = [s for s in group if s.http_status is not None and 200 <= s.http_status < 300]
    pool = ok or group
    dated = sorted((s for s in pool if s.captured_at), key=lambda s: s.captured_at or "")
    if not dated:
        return pool[0]
    if cutoff is None:
        return dated[-1]
    before = [s for s in dated if (s.captured_at or "") <= cutoff]
    if before:
        return before[-1]
    after = dated[0]
    days = _days_between(cutoff, after.captured_at or cutoff)
    plural = "s" if days != 1 else ""
    note = f"Captured {days} day{plural} after the article's date; the page may have changed since."
    flags = (
        after.flags if "after-publication" in after.flags else (*after.flags, "after-publication")
    )
    return dataclasses.replace(after, flags=flags, note=note)


def _cutoff(before: str) -> str:
    text = before.strip()
    try:
        if len(text) == 10:
            day = datetime.strptime(text, "%Y-%m-%d")
            return day.strftime("%Y-%m-%dT23:59:59Z")
        return _iso_utc(datetime.fromisoformat(text))
    except ValueError:
        raise InvalidInputError(
            f"{before!r} is not a date; use YYYY-MM-DD or an ISO date and time."
        ) from None


def _days_between(earlier: str, later: str) -> int:
    first = datetime.fromisoformat(earlier)
    second = datetime.fromisoformat(later)
    return max(0, (second.date() - first.date()).days)


# --- opening and sniffing -----------------------------------------------------------------------


def _open_file(path: Path) -> IO[bytes]:
    try:
        return path.open("rb")
    except OSError as exc:
        raise LoadError(f"{path} could not be opened ({exc.strerror or exc}).") from None


def _sniff(path: Path) -> str:
    """'plain', 'gzip' or 'wacz' from the first bytes; the extension is only a hint."""
    if not path.exists():
        raise LoadError(f"There is no file at {path}.")
    if path.is_dir():
        raise LoadError(f"{path} is a folder; choose a .warc, .warc.gz or .wacz file.")
    with _open_file(path) as fh:
        head = fh.read(4096)
    if not head:
        raise LoadError(f"{path.name} is empty; there is nothing to import.")
    if head.startswith(b"PK\x03\x04"):
        return "wacz"
    if head.startswith(b"\x1f\x8b"):
        try:
            start = zlib.decompressobj(wbits=31).decompress(head, 64)
        except zlib.error:
            raise LoadError(
                f"The WARC file is damaged: {path.name} is compressed but cannot be decompressed."
            ) from None
        if start.lstrip().startswith(_WARC_MAGIC):
            return "gzip"
    elif head.lstrip().startswith(_WARC_MAGIC):
        return "plain"
    raise LoadError(f"{path.name} is not a web archive; choose a .warc, .warc.gz or .wacz file.")


def _read_wacz(path: Path, sink: _Sink) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise LoadError(f"{path.name} is not a readable WACZ file (the zip is damaged).") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_WACZ_ENTRIES:
            raise LoadError(
                f"{path.name} holds {len(infos)} files, more than the {MAX_WACZ_ENTRIES} "
                "a WACZ import accepts."
            )
        warcs = [i for i in infos if _is_wacz_warc(i)]
        if not warcs:
            raise LoadError(f"{path.name} holds no WARC files under archive/; it is not a WACZ.")
        for info in warcs:
            if sink.stopped:
                break
            reason = _refuse_entry(info)
            if reason:
                sink.damage(f"the entry {info.filename} in {path.name} was skipped: {reason}")
                continue
            label = f"{path.name}/{info.filename}"
            try:
                with archive.open(info) as fh:
                    head = fh.read(2)
                    fh.seek(0)
                    _read_archive(fh, label, head == b"\x1f\x8b", sink)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
                sink.damage(f"the entry {label} could not be read to the end ({_reason(exc)})")


def _is_wacz_warc(info: zipfile.ZipInfo) -> bool:
    name = info.filename.lower()
    return (
        name.startswith("archive/") and not info.is_dir() and name.endswith((".warc", ".warc.gz"))
    )


def _refuse_entry(info: zipfile.ZipInfo) -> str | None:
    if info.flag_bits & 0x1:
        return "it is encrypted"
    if info.compress_size == 0:
        return None if info.file_size == 0 else "its sizes are inconsistent"
    if info.file_size / info.compress_size > MAX_WACZ_RATIO:
        return "it expands more than a real archive would (possible zip bomb)"
    return None


# --- reading records ----------------------------------------------------------------------------


def _read_archive(fh: IO[bytes], label: str, is_gzip: bool, sink: _Sink) -> None:
    start = fh.tell()
    if is_gzip and _one_gzip_stream(fh):
        # Made with `gzip whole.warc`: valid, but records cannot be found by gzip member, so
        # read the decompressed stream instead (GzipFile keeps memory bounded).
        fh.seek(start)
        with gzip.GzipFile(fileobj=fh, mode="rb") as plain:
            tolerant = _TolerantReader(plain)
            _scan(tolerant, label, False, sink)  # type: ignore[arg-type]
        if tolerant.cut_short:
            sink.damage(
                f"the file {label} ends early (it is truncated), so later records are missing"
            )
        return
    fh.seek(start)
    _scan(fh, label, is_gzip, sink)


class _TolerantReader:
    """A GzipFile that reports a truncated end as end of data instead of raising EOFError.

    warcio takes EOFError to mean "no more records" and would silently drop the record being
    read; this way the partial record is seen as cut short and reported.
    """

    def __init__(self, inner: gzip.GzipFile) -> None:
        self.inner = inner
        self.cut_short = False

    def read(self, size: int = -1) -> bytes:
        # read1() so that bytes decoded before the error are returned, not lost in a buffer.
        wanted = size if size >= 0 else 1 << 62
        parts: list[bytes] = []
        got = 0
        while got < wanted and not self.cut_short:
            try:
                chunk = self.inner.read1(min(wanted - got, _CHUNK))
            except EOFError:
                self.cut_short = True
                break
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
        return b"".join(parts)

    def tell(self) -> int:
        return self.inner.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        try:
            return self.inner.seek(offset, whence)
        except EOFError:
            self.cut_short = True
            return self.inner.tell()


def _one_gzip_stream(fh: IO[bytes]) -> bool:
    """Whether the first gzip member runs to the end of the file (no member per record)."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        while not inflater.eof:
            chunk = fh.read(_CHUNK)
            if not chunk:
                return True
            inflater.decompress(chunk, 1)
            # Only the member boundary matters, so drain output in bounded steps.
            while inflater.unconsumed_tail and not inflater.eof:
                inflater.decompress(inflater.unconsumed_tail, _CHUNK)
    except zlib.error:
        return False
    return not inflater.unused_data and not fh.read(1)


def _scan(fh: IO[bytes], label: str, is_gzip: bool, sink: _Sink) -> None:
    """Feed every record to the sink; after a damaged record, resume at the next record start."""
    pos: int | None = fh.tell()
    while pos is not None and not sink.stopped:
        fh.seek(pos)
        iterator = _QuietArchiveIterator(fh, sink)
        current: int | None = None
        try:
            for record in iterator:
                current = iterator.offset
                sink.take(record, label)
                current = None
                if sink.stopped:
                    return
                iterator.reader.new_record()
        except ImportCancelled:
            raise
        except Exception as exc:  # warcio raises assorted types on damaged input
            failed = current if current is not None else iterator.offset
            sink.damage(
                f"a damaged record at byte {failed} of {label} was skipped ({_reason(exc)})"
            )
            pos = _next_record_start(fh, max(failed, pos) + 1, is_gzip)
            continue
        # warcio ends quietly when a record's headers run into the end of the file; anything
        # but blank lines left after the last record is a damaged record.
        end = iterator.offset
        fh.seek(end)
        if not fh.read(_CHUNK).strip():
            return
        sink.damage(f"the data at byte {end} of {label} is not a complete record and was skipped")
        pos = _next_record_start(fh, max(end, pos) + 1, is_gzip)


class _QuietArchiveIterator(ArchiveIterator):
    """warcio's iterator without its own stderr output.

    On a record whose Content-Length is wrong, warcio writes a three-line "WARNING: Record not
    followed by newline" to sys.stderr. The importer reports damaged records itself, in one
    sentence, so that text must not reach the terminal (the CLI promises one line on stderr).
    This is warcio 1.7/1.8's _consume_blanklines with the write left out.
    """

    def __init__(self, fileobj: IO[bytes], sink: _Sink) -> None:
        super().__init__(fileobj)
        self.reader: _BoundedReader = _BoundedReader(
            self.fh, sink.cancel, sink.max_record_bytes + RECORD_WORK_SLACK
        )

    def _consume_blanklines(self) -> tuple[bytes | None, int]:
        empty_size = 0
        first_line = True
        while True:
            line = self.reader.readline()
            if len(line) == 0:
                return None, empty_size
            if len(line.rstrip()) == 0 or first_line:
                empty_size += len(line)
                if len(line.rstrip()) != 0:
                    self.err_count += 1  # the damage itself is reported by _scan
                first_line = False
                continue
            return line, empty_size


class _BoundedReader(DecompressingBufferedReader):  # type: ignore[misc]
    """warcio's reader with a linear readline, a cap on line length and on work per record,
    and Cancel looked at on every block."""

    def __init__(self, stream: IO[bytes], cancel: threading.Event, record_work: int) -> None:
        super().__init__(stream)
        self._cancel = cancel
        self._record_work = record_work
        self._record_start = 0
        self._tail = b""  # compressed input not yet inflated (see _decompress)

    def new_record(self) -> None:
        self._record_start = self.num_read

    def _fillbuff(self, block_size: int | None = None) -> None:
        if self._cancel.is_set():
            raise ImportCancelled("The import was cancelled; nothing from the file was stored.")
        if self._tail and (not self.buff or self.buff.tell() >= self.buff_size):
            data, self._tail = self._tail, b""
            self._process_read(data)  # the rest of the last block, before reading more
        else:
            super()._fillbuff(block_size)
        if self.num_read - self._record_start > self._record_work:
            raise _RecordTooCostly(f"it is larger than {_human(self._record_work)}")

    def _decompress(self, data: bytes) -> bytes:
        # warcio inflates a whole block at once: 16 KB of a bomb is 16 MB. Inflate at most
        # _INFLATE_STEP per fill and keep the rest of the input for the next one.
        decompressor = self.decompressor
        if decompressor is None or not data or not hasattr(decompressor, "unconsumed_tail"):
            return bytes(super()._decompress(data))
        try:
            out = decompressor.decompress(data, _INFLATE_STEP)
        except zlib.error:
            return bytes(super()._decompress(data))  # warcio's own fallbacks and messages
        # At the member's end zlib has moved what follows (the next member) to unused_data,
        # where warcio's read_next_member takes it from; the same bytes may also be left in
        # unconsumed_tail, and feeding them again appended the next record to unused_data
        # once more per fill (a record read two, three times over).
        self._tail = b"" if decompressor.eof else decompressor.unconsumed_tail
        return out

    def rem_length(self) -> int:
        return int(super().rem_length()) + len(self._tail)

    def readline(self, length: int | None = None) -> bytes:
        if length == 0:
            return b""
        limit = min(length, MAX_HEADER_LINE) if length else MAX_HEADER_LINE
        self._fillbuff()
        if self.empty():
            return b""
        parts: list[bytes] = []
        got = 0
        while True:
            piece = self.buff.readline(limit - got)
            parts.append(piece)
            got += len(piece)
            if piece.endswith(b"\n"):
                break
            if got >= limit:
                if length and length <= MAX_HEADER_LINE:
                    break  # the caller's own limit, as warcio's readline would
                raise _RecordTooCostly(f"a header line is longer than {_human(MAX_HEADER_LINE)}")
            self._fillbuff()
            if self.empty():
                break
        return b"".join(parts)


def _next_record_start(fh: IO[bytes], offset: int, is_gzip: bool) -> int | None:
    """The offset of the next gzip member or 'WARC/' line at or after `offset`, if any."""
    marker = _GZIP_MAGIC if is_gzip else b"\n" + _WARC_MAGIC
    fh.seek(offset)
    carry = b""
    base = offset
    while True:
        chunk = fh.read(1024 * 1024)
        if not chunk:
            return None
        data = carry + chunk
        found = data.find(marker)
        if found >= 0:
            return base + found + (0 if is_gzip else 1)
        keep = len(marker) - 1
        carry = data[-keep:]
        base += len(data) - len(carry)


def _reason(exc: BaseException) -> str:
    """A few words on why a record could not be read, for the warning sentence."""
    text = str(exc)
    if isinstance(exc, zlib.error):
        return "its compressed data is corrupt"
    if isinstance(exc, EOFError):
        return "the file ends in the middle of it"
    if text.startswith(("Unknown archive format", "Invalid WARC record")):
        return "it does not start with a WARC header"
    if isinstance(exc, _RecordTooCostly):
        return text
    if isinstance(exc, StatusAndHeadersParserException):
        return "its headers cannot be parsed"
    return "its headers or data cannot be read"


@dataclass
class _Revisit:
    url: str
    record_id: str | None
    captured_at: str | None
    status: int | None
    content_type: str | None
    label: str
    refers_to: str | None
    digest: str | None
    target: tuple[str, str | None]


@dataclass
class _Sink:
    """Collects captures and warnings; enforces the size caps; resolves revisits at the end."""

    max_record_bytes: int
    max_total_bytes: int
    cancel: threading.Event = field(default_factory=threading.Event)
    snapshots: list[Snapshot] = field(default_factory=list)
    revisits: list[_Revisit] = field(default_factory=list)
    by_id: dict[str, Snapshot] = field(default_factory=dict)
    by_digest: dict[str, Snapshot] = field(default_factory=dict)
    by_target: dict[tuple[str, str | None], Snapshot] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)
    total: int = 0
    stopped: bool = False

    def damage(self, sentence: str) -> None:
        self.damaged.append(sentence)

    def skip(self, sentence: str) -> None:
        self.skipped.append(sentence)

    def take(self, record: ArcWarcRecord, label: str) -> None:
        if record.format != "warc" or record.rec_type not in ("response", "revisit"):
            return
        url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip()
        if not is_web_url(url):
            return
        http = record.http_headers
        has_http = http is not None and http.protocol.upper().startswith("HTTP/")
        status = _int_or_none(http.get_statuscode()) if has_http else None
        content_type = http.get_header("Content-Type") if has_http else None
        captured_at = _warc_date(record.rec_headers.get_header("WARC-Date"))
        record_id = _record_id(record.rec_headers.get_header("WARC-Record-ID"))
        if record.rec_type == "revisit":  # may omit HTTP headers: the original has them
            self._take_revisit(record, url, record_id, captured_at, status, content_type, label)
            return
        if not has_http:
            self.skip(f"The capture of {url} in {label} has no HTTP response and was skipped.")
            return
        body = self._read_body(record, url, label)
        if body is None:
            return
        snap = Snapshot(
            original_url=url,
            archive="warc",
            archive_url=f"warc:{label}#{record_id}" if record_id else None,
            captured_at=captured_at,
            http_status=status,
            content_type=content_type,
            body=body,
        )
        self._keep(snap, record, url, record_id)

    def _read_body(self, record: ArcWarcRecord, url: str, label: str) -> bytes | None:
        stream = record.content_stream()
        parts: list[bytes] = []
        size = 0
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > self.max_record_bytes:
                cap = _human(self.max_record_bytes)
                self.skip(f"The capture of {url} in {label} is larger than {cap} and was skipped.")
                return None
            parts.append(chunk)
        if _short(record):
            self.damage(f"the capture of {url} in {label} is cut short and was skipped")
            return None
        body = b"".join(parts)
        if self.total + len(body) > self.max_total_bytes:
            cap = _human(self.max_total_bytes)
            self.skip(f"The import stopped at {cap} of pages; the rest of {label} was not read.")
            self.stopped = True
            return None
        self.total += len(body)
        return body

    def _keep(self, snap: Snapshot, record: ArcWarcRecord, url: str, record_id: str | None) -> None:
        self.snapshots.append(snap)
        if record_id:
            self.by_id[record_id] = snap
        digest = record.rec_headers.get_header("WARC-Payload-Digest")
        if digest:
            self.by_digest.setdefault(digest.strip(), snap)
        self.by_target[(url, snap.captured_at)] = snap

    def _take_revisit(
        self,
        record: ArcWarcRecord,
        url: str,
        record_id: str | None,
        captured_at: str | None,
        status: int | None,
        content_type: str | None,
        label: str,
    ) -> None:
        headers = record.rec_headers
        target_url = headers.get_header("WARC-Refers-To-Target-URI") or url
        target_date = _warc_date(headers.get_header("WARC-Refers-To-Date"))
        digest = headers.get_header("WARC-Payload-Digest")
        self.revisits.append(
            _Revisit(
                url=url,
                record_id=record_id,
                captured_at=captured_at,
                status=status,
                content_type=content_type,
                label=label,
                refers_to=_record_id(headers.get_header("WARC-Refers-To")),
                digest=digest.strip() if digest else None,
                target=(target_url.strip(), target_date),
            )
        )

    def finish(self) -> list[Snapshot]:
        """The captures in file order, with revisits resolved against the originals."""
        for visit in self.revisits:
            original = self._original_of(visit)
            if original is None:
                self.skip(
                    f"A revisit of {visit.url} in {visit.label} points to a capture that is not "
                    "in this file and was skipped."
                )
                continue
            # A 304 revisit means "unchanged": the page is the original's, with its status.
            ok = visit.status is not None and 200 <= visit.status < 300
            self.snapshots.append(
                Snapshot(
                    original_url=visit.url,
                    archive="warc",
                    archive_url=(
                        f"warc:{visit.label}#{visit.record_id}" if visit.record_id else None
                    ),
                    captured_at=visit.captured_at,
                    http_status=visit.status if ok else original.http_status,
                    content_type=visit.content_type or original.content_type,
                    body=original.body,
                    flags=("revisit",),
                    note=f"Unchanged since the capture of {original.captured_at or 'earlier'}.",
                )
            )
        return self.snapshots

    def _original_of(self, visit: _Revisit) -> Snapshot | None:
        if visit.refers_to and visit.refers_to in self.by_id:
            return self.by_id[visit.refers_to]
        if visit.target in self.by_target:
            return self.by_target[visit.target]
        if visit.digest and visit.digest in self.by_digest:
            return self.by_digest[visit.digest]
        return None

    def warnings(self) -> list[str]:
        sentences = [*self.skipped, *(_sentence(d) for d in self.damaged)]
        if len(sentences) > MAX_WARNINGS:
            rest = len(sentences) - MAX_WARNINGS
            sentences = [*sentences[:MAX_WARNINGS], f"{rest} more records were skipped."]
        return sentences


def _short(record: ArcWarcRecord) -> bool:
    """Whether the record ended before its Content-Length (a truncated file or record)."""
    raw = record.raw_stream
    limit = getattr(raw, "limit", None)
    if not isinstance(limit, int):
        return False
    with contextlib.suppress(Exception):
        while limit > 0:
            if not raw.read(_CHUNK):
                break
            limit = raw.limit
    return limit > 0


def _human(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _record_id(value: str | None) -> str | None:
    if not value:
        return None
    return value.strip().strip("<>") or None


def _warc_date(value: str | None) -> str | None:
    """WARC-Date (W3C ISO 8601, or 14 digits in ARC-derived files) as YYYY-MM-DDTHH:MM:SSZ."""
    if not value:
        return None
    text = value.strip()
    try:
        if text.isdigit() and len(text) >= 14:
            return _iso_utc(datetime.strptime(text[:14], "%Y%m%d%H%M%S"))
        return _iso_utc(datetime.fromisoformat(text))
    except ValueError:
        return None


def _iso_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
