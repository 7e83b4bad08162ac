"""A careful HTTP client for archives and cited pages.

Everything fetched here comes from pages we do not control, so every fetch is bounded: a
wall-clock deadline (requests' timeout is per socket read, so a slow drip would never time out),
capped wire and decoded sizes, one layer of gzip/deflate undone by us with a size limit, and
redirects followed by hand so each hop can be refused if it points at this machine or its network.
Hosts are treated politely: a per-host concurrency limit, a token bucket for the Wayback index,
and a pause of the whole host after a 429, shared by every thread using the same client.
"""

from __future__ import annotations

import email.utils
import ipaddress
import random
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

from workbench.core.net.errors import FailureKind, FetchFailure, iso_after
from workbench.core.net.guard import (
    GUARDED_POOLS,
    PeerRefused,
    Stopped,
    Watch,
    getaddrinfo_watched,
    is_public_address,
)
from workbench.core.net.settings import ArchiveSettings, host_port
from workbench.core.net.urls import NOT_WEB_REASON, web_url
from workbench.core.settings import archive_settings

MIN_URLLIB3 = (2, 6, 3)  # CVE-2025-66471, CVE-2025-66418, CVE-2026-21441: unbounded decompression
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({500, 502, 503, 504, 520, 521, 522, 523, 524})  # 52x: seen at IA
RATE_LIMITED_PURPOSES = frozenset({"cdx", "timemap"})  # IA's shared CDX/timemap pool
CHUNK_SIZE = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"
PER_HOST_HEADERS = ("authorization", "proxy-authorization", "cookie")

PURPOSE_NOUNS = {
    "page": "the page",
    "live": "the live page",
    "cdx": "the Wayback Machine index",
    "timemap": "the archive's list of captures",
    "availability": "the Wayback availability service",
    "memento": "the archived copy",
    "aggregator": "the Memento aggregator",
    "save": "Save Page Now",
}


def urllib3_version_ok(version: str = urllib3.__version__) -> bool:
    numbers = []
    for part in version.split(".")[:3]:
        digits = "".join(ch for ch in part if ch.isdigit())
        numbers.append(int(digits or 0))
    return tuple(numbers) >= MIN_URLLIB3


@dataclass(frozen=True)
class HttpResult:
    url: str  # as asked for
    final_url: str  # after redirects
    status: int
    headers: CaseInsensitiveDict[str] = field(repr=False)
    body: bytes = field(repr=False)  # after Content-Encoding was undone
    content_type: str | None  # lowercased media type without parameters
    charset: str | None  # from the Content-Type header, when given
    elapsed: float  # seconds for the whole call, redirects included
    hops: tuple[str, ...] = ()  # URLs that redirected, in order

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """('text/html', 'utf-8') from 'text/html; charset="UTF-8"'."""
    if not value:
        return None, None
    media, *params = value.split(";")
    charset = None
    for param in params:
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").lower() or None
    return media.strip().lower() or None, charset


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()


def _wait(cancel: threading.Event, seconds: float, url: str) -> None:
    """Sleep that ends at once when the user cancels."""
    if seconds > 0 and cancel.wait(seconds):
        raise _cancelled(url)
    if cancel.is_set():
        raise _cancelled(url)


def _cancelled(url: str) -> FetchFailure:
    return FetchFailure(FailureKind.CANCELLED, "The fetch was cancelled.", retryable=False, url=url)


class HostGate:
    """Per-host politeness shared by all threads: concurrency slots, 429 pauses, rate buckets."""

    def __init__(self, settings: ArchiveSettings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._paused_until: dict[str, float] = {}  # time.time() values
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last monotonic)

    def pause(self, hostport: str, seconds: float) -> None:
        with self._lock:
            until = time.time() + seconds
            self._paused_until[hostport] = max(until, self._paused_until.get(hostport, 0.0))

    def paused_for(self, hostport: str) -> float:
        with self._lock:
            return max(0.0, self._paused_until.get(hostport, 0.0) - time.time())

    def wait_until_unpaused(self, hostport: str, cancel: threading.Event, url: str) -> None:
        while (left := self.paused_for(hostport)) > 0:
            if left > self._settings.retry_after_cap_s:
                raise _rate_limited(url, hostport, left)
            _wait(cancel, min(left, 0.5), url)

    def take_token(self, key: str, cancel: threading.Event, url: str) -> None:
        rate = self._settings.cdx_per_minute / 60.0
        burst = float(max(1, self._settings.cdx_burst))
        while True:
            with self._lock:
                tokens, last = self._buckets.get(key, (burst, time.monotonic()))
                now = time.monotonic()
                tokens = min(burst, tokens + (now - last) * rate)
                if tokens >= 1.0:
                    self._buckets[key] = (tokens - 1.0, now)
                    return
                self._buckets[key] = (tokens, now)
                needed = (1.0 - tokens) / rate
            _wait(cancel, min(needed, 0.5), url)

    @contextmanager
    def slot(self, hostport: str, cancel: threading.Event, url: str) -> Iterator[None]:
        with self._lock:
            semaphore = self._slots.get(hostport)
            if semaphore is None:
                semaphore = threading.BoundedSemaphore(self._settings.concurrency_for(hostport))
                self._slots[hostport] = semaphore
        while not semaphore.acquire(timeout=0.05):
            if cancel.is_set():
                raise _cancelled(url)
        try:
            yield
        finally:
            semaphore.release()


def _rate_limited(
    url: str, hostport: str, seconds: float, status: int | None = None
) -> FetchFailure:
    retry_at = iso_after(seconds)
    host = hostport.rsplit(":", 1)[0]
    return FetchFailure(
        FailureKind.RATE_LIMITED,
        f"{host} asked Workbench to slow down; try again after {retry_at}.",
        http_status=status,
        retry_at=retry_at,
        url=url,
    )


@dataclass(frozen=True)
class _Call:
    """What stays the same for every hop and try of one get() call."""

    purpose: str
    cancel: threading.Event
    deadline_s: float
    tries: int


class _Retry(Exception):
    """Internal: this attempt failed in a way that another attempt may fix."""

    def __init__(self, failure: FetchFailure, result: HttpResult | None = None) -> None:
        super().__init__(str(failure))
        self.failure = failure
        self.result = result


class _RateLimitedOnce(Exception):
    def __init__(self, pause: float, status: int) -> None:
        super().__init__(f"429, pause {pause}")
        self.pause = pause
        self.status = status


class BodyDecoder:
    """Undo at most one layer of gzip/deflate while streaming, refusing more than max_body bytes.

    Wayback sometimes sends an empty `content-encoding:` next to `Content-Encoding: gzip`, and
    `id_` captures keep the upstream encoding whatever was asked, so the gzip magic bytes are
    sniffed when the header is empty, and a body labelled gzip that is not gzip is passed through.
    """

    def __init__(
        self, content_encoding: str | None, max_body: int, *, sniff: bool, url: str
    ) -> None:
        tokens = [t.strip().lower() for t in (content_encoding or "").split(",")]
        self._codings = [t for t in tokens if t and t != "identity"]
        self._max_body = max_body
        self._sniff = sniff
        self._url = url
        self._mode: str | None = None  # "identity" | "zlib" | "raw-deflate"
        self._pending = b""
        self._out = bytearray()
        self._inflater: zlib._Decompress | None = None
        self.compressed = False
        if len(self._codings) > 1:
            raise FetchFailure(
                FailureKind.BOMB,
                "The server compressed the page more than once, which Workbench refuses to unpack.",
                url=url,
            )
        if self._codings and self._codings[0] not in ("gzip", "x-gzip", "deflate"):
            raise FetchFailure(
                FailureKind.DECODE_ERROR,
                f"The server compressed the page with {self._codings[0]!r}, "
                "which Workbench cannot read.",
                url=url,
            )

    def feed(self, data: bytes) -> None:
        if self._mode is None:
            self._pending += data
            if len(self._pending) < 2:
                return
            data, self._pending = self._pending, b""
            self._choose_mode(data[:2])
        if self._mode == "identity":
            self._append(data)
        else:
            self._inflate(data)

    def finish(self) -> bytes:
        if self._mode is None:
            data, self._pending = self._pending, b""
            self._choose_mode(data[:2])
            if data:
                self.feed(data)
        if self._inflater is not None and not self._inflater.eof and self._out:
            # A truncated stream still yields what was decompressed; flush the rest.
            self._append(self._inflater.flush())
        return bytes(self._out)

    def _choose_mode(self, head: bytes) -> None:
        coding = self._codings[0] if self._codings else None
        looks_gzip = head == GZIP_MAGIC
        looks_zlib = len(head) == 2 and head[0] & 0x0F == 8 and (head[0] * 256 + head[1]) % 31 == 0
        if coding in ("gzip", "x-gzip"):
            self._mode = "zlib" if looks_gzip or looks_zlib else "identity"
        elif coding == "deflate":
            self._mode = "zlib" if looks_zlib or looks_gzip else "raw-deflate"
        else:
            self._mode = "zlib" if self._sniff and looks_gzip else "identity"
        if self._mode != "identity":
            self.compressed = True
            self._inflater = zlib.decompressobj(47 if self._mode == "zlib" else -15)

    def _inflate(self, data: bytes) -> None:
        assert self._inflater is not None
        while data:
            room = self._max_body - len(self._out) + 1
            try:
                chunk = self._inflater.decompress(data, room)
            except zlib.error as exc:
                raise FetchFailure(
                    FailureKind.DECODE_ERROR,
                    "The page's compressed data is damaged and could not be unpacked.",
                    url=self._url,
                ) from exc
            self._append(chunk)
            if self._inflater.eof and self._inflater.unused_data.startswith(GZIP_MAGIC):
                # A multi-member gzip file (legal, rare): same layer, same size budget.
                data = self._inflater.unused_data
                self._inflater = zlib.decompressobj(47)
            else:
                data = self._inflater.unconsumed_tail

    def _append(self, chunk: bytes) -> None:
        self._out += chunk
        if len(self._out) > self._max_body:
            if self.compressed:
                raise FetchFailure(
                    FailureKind.BOMB,
                    f"The page unpacks to more than {_mb(self._max_body)}, "
                    "so Workbench stopped reading it.",
                    url=self._url,
                )
            raise _too_large(self._url, self._max_body)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _too_large(url: str, limit: int) -> FetchFailure:
    return FetchFailure(
        FailureKind.TOO_LARGE,
        f"The page is larger than {_mb(limit)}, so Workbench stopped downloading it.",
        url=url,
    )


def _blocked(url: str, why: str) -> FetchFailure:
    return FetchFailure(
        FailureKind.REDIRECT_BLOCKED,
        f"Workbench refused to fetch {_short(url)} because {why}.",
        retryable=False,
        url=url,
    )


def _short(url: str, limit: int = 80) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


class SafeClient:
    """Thread-safe bounded HTTP GET. One requests.Session per thread over a shared pool."""

    def __init__(self, settings: ArchiveSettings | None = None) -> None:
        if not urllib3_version_ok():
            raise FetchFailure(
                FailureKind.NETWORK,
                f"urllib3 {urllib3.__version__} is too old to download safely; "
                "install urllib3 2.6.3 or newer.",
                retryable=False,
            )
        self.settings = settings or archive_settings()
        pool_size = max(16, self.settings.host_concurrency, self.settings.archive_concurrency)
        self._adapter = _GuardedAdapter(
            pool_connections=32, pool_maxsize=pool_size, pool_block=True, max_retries=0
        )
        self._local = threading.local()
        self.gate = HostGate(self.settings)

    def close(self) -> None:
        self._adapter.close()

    def __enter__(self) -> SafeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- public API ---------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        purpose: str = "page",
        cancel: threading.Event | None = None,
        follow_redirects: bool = True,
        require_ok: bool = False,
        deadline_s: float | None = None,
        tries: int | None = None,
    ) -> HttpResult:
        """GET `url` within the limits of the settings; see the module docstring.

        `deadline_s` and `tries` override the settings for one call (the Memento aggregator is
        given a short deadline and one try, since its failure only means "unknown").
        """
        call = _Call(
            purpose=purpose,
            cancel=cancel or threading.Event(),
            deadline_s=self.settings.deadline_s if deadline_s is None else deadline_s,
            tries=max(1, self.settings.retries if tries is None else tries),
        )
        started = time.monotonic()
        request_headers = dict(headers or {})
        first_origin = _origin(url)
        hops: list[str] = []
        seen = {url}
        current = url
        while True:
            result = self._fetch_with_retries(current, request_headers, call)
            location = result.headers.get("Location")
            if not follow_redirects or result.status not in REDIRECT_STATUSES or not location:
                break
            target = urljoin(current, location.strip())
            if len(hops) >= self.settings.max_redirects:
                raise FetchFailure(
                    FailureKind.REDIRECT_LOOP,
                    f"{_short(url)} redirected more than {self.settings.max_redirects} times.",
                    url=url,
                )
            if target in seen:
                raise FetchFailure(
                    FailureKind.REDIRECT_LOOP,
                    f"{_short(url)} redirects in a circle and never reaches a page.",
                    url=url,
                )
            try:
                self.check_destination(target, watch=Watch(call.cancel, call.deadline_s))
            except Stopped as stopped:
                raise self._stopped_failure(target, call, stopped.reason) from None
            if _origin(target) != first_origin:
                # Keys and cookies meant for one host must never reach another.
                request_headers = {
                    k: v for k, v in request_headers.items() if k.lower() not in PER_HOST_HEADERS
                }
            seen.add(target)
            hops.append(current)
            current = target
        final = HttpResult(
            url=url,
            final_url=current,
            status=result.status,
            headers=result.headers,
            body=result.body,
            content_type=result.content_type,
            charset=result.charset,
            elapsed=time.monotonic() - started,
            hops=tuple(hops),
        )
        if require_ok and not final.ok:
            noun = PURPOSE_NOUNS.get(purpose, "the page")
            raise FetchFailure(
                FailureKind.HTTP_ERROR,
                f"The server answered HTTP {final.status} for {noun} at {_short(current)}.",
                retryable=final.status in RETRY_STATUSES,
                http_status=final.status,
                url=url,
            )
        return final

    def check_destination(self, url: str, *, watch: Watch | None = None) -> None:
        """Refuse non-web schemes and addresses on this machine or its private network.

        With a `watch`, Cancel and the deadline also interrupt the name lookup."""
        if web_url(url) is None:
            raise _blocked(url, NOT_WEB_REASON)
        parts = urlsplit(url)
        hostport = host_port(url)
        if hostport in self.settings.private_hosts_allowed:
            return
        for address in self._resolve(parts.hostname or "", url, watch):
            if not is_public_address(address):
                raise _blocked(url, "it points to this computer or a private network")

    # ---- one request, retried -----------------------------------------------------------

    def _fetch_with_retries(self, url: str, headers: dict[str, str], call: _Call) -> HttpResult:
        hostport = host_port(url)
        attempts = call.tries
        rate_limit_retry_used = False
        attempt = 0
        while True:
            attempt += 1
            try:
                result = self._attempt(url, headers, call)
            except _RateLimitedOnce as limited:
                if limited.pause > self.settings.retry_after_cap_s or rate_limit_retry_used:
                    raise _rate_limited(url, hostport, limited.pause, limited.status) from None
                rate_limit_retry_used = True  # one retry after the pause, never blind loops
                attempt -= 1
                continue
            except _Retry as retry:
                if attempt >= attempts:
                    if retry.result is not None:
                        return retry.result  # a final 5xx is returned; callers decide
                    raise retry.failure from None
                _wait(call.cancel, self._backoff(attempt), url)
                continue
            return result

    def _backoff(self, attempt: int) -> float:
        base = self.settings.backoff_base_s * (2 ** (attempt - 1))
        return min(self.settings.backoff_max_s, base) * random.uniform(0.5, 1.0)

    def _attempt(self, url: str, headers: dict[str, str], call: _Call) -> HttpResult:
        purpose, cancel = call.purpose, call.cancel
        try:
            self.check_destination(url, watch=Watch(cancel, call.deadline_s))
        except Stopped as stopped:
            raise self._stopped_failure(url, call, stopped.reason) from None
        hostport = host_port(url)
        self.gate.wait_until_unpaused(hostport, cancel, url)
        if purpose in RATE_LIMITED_PURPOSES:
            self.gate.take_token(f"{hostport}/{purpose}", cancel, url)
        with self.gate.slot(hostport, cancel, url):
            if cancel.is_set():
                raise _cancelled(url)
            result = self._request(url, headers, call)
        if result.status == 429:
            pause = parse_retry_after(result.headers.get("Retry-After"))
            pause = self.settings.default_429_pause_s if pause is None else pause
            self.gate.pause(hostport, pause)
            raise _RateLimitedOnce(pause, 429)
        if result.status in RETRY_STATUSES:
            noun = PURPOSE_NOUNS.get(purpose, "the page")
            failure = FetchFailure(
                FailureKind.SERVER_ERROR,
                f"The server for {noun} failed with HTTP {result.status}; try again later.",
                http_status=result.status,
                url=url,
            )
            raise _Retry(failure, result)
        return result

    def _request(self, url: str, headers: dict[str, str], call: _Call) -> HttpResult:
        """One GET under a Watch: the deadline and Cancel hold while connecting, while the
        headers arrive and while the body is read, not only between body chunks."""
        allowed = frozenset(self.settings.private_hosts_allowed)
        with Watch(call.cancel, call.deadline_s, allowed) as watch:
            try:
                result = self._request_watched(url, headers, call, watch)
                if watch.reason is not None:
                    # The watch shut the socket mid-answer; http.client may then return what it
                    # had (a status line and a cut header) as if it were complete.
                    raise Stopped(watch.reason)
                return result
            except Stopped as stopped:
                raise self._stopped_failure(url, call, stopped.reason) from None
            except (FetchFailure, _Retry) as failure:
                if watch.reason is not None:  # the watch broke the socket; say why
                    raise self._stopped_failure(url, call, watch.reason) from failure
                raise

    def _stopped_failure(self, url: str, call: _Call, reason: str) -> FetchFailure:
        if reason == "cancelled":
            return _cancelled(url)
        return self._timeout_failure(url, call, deadline=True)

    def _request_watched(
        self, url: str, headers: dict[str, str], call: _Call, watch: Watch
    ) -> HttpResult:
        settings = self.settings
        purpose = call.purpose
        deadline = _Deadline(call.deadline_s)
        started = time.monotonic()
        timeout = (
            min(settings.connect_timeout_s, call.deadline_s),
            min(settings.read_timeout_s, call.deadline_s),
        )
        try:
            response = self._session().get(
                url, headers=headers, stream=True, allow_redirects=False, timeout=timeout
            )
        except PeerRefused as exc:
            raise _blocked(url, "it resolved to this computer or a private network") from exc
        except requests.exceptions.RequestException as exc:
            watch.check()  # a socket shut by the watch: cancelled or past the deadline
            if isinstance(exc, requests.exceptions.ConnectTimeout):
                raise _Retry(
                    self._network_failure(url, purpose, "did not answer in time", True)
                ) from exc
            if isinstance(exc, requests.exceptions.ReadTimeout):
                raise _Retry(self._timeout_failure(url, call)) from exc
            if isinstance(exc, requests.exceptions.InvalidURL):
                raise _blocked(url, "the address is not valid") from exc
            raise _Retry(self._network_failure(url, purpose, "could not be reached", True)) from exc
        try:
            body = self._read_body(response, url, call, deadline)
        finally:
            response.close()
        content_type, charset = parse_content_type(response.headers.get("Content-Type"))
        return HttpResult(
            url=url,
            final_url=url,
            status=response.status_code,
            headers=CaseInsensitiveDict(response.headers),
            body=body,
            content_type=content_type,
            charset=charset,
            elapsed=time.monotonic() - started,
        )

    def _read_body(
        self,
        response: requests.Response,
        url: str,
        call: _Call,
        deadline: _Deadline,
    ) -> bytes:
        settings = self.settings
        cancel = call.cancel
        declared = response.headers.get("Content-Length", "")
        if declared.strip().isdigit() and int(declared) > settings.max_wire_bytes:
            raise _too_large(url, settings.max_wire_bytes)
        media, _ = parse_content_type(response.headers.get("Content-Type"))
        decoder = BodyDecoder(
            response.headers.get("Content-Encoding"),
            settings.max_body_bytes,
            sniff=not (media or "").endswith(("gzip", "x-gzip")),
            url=url,
        )
        raw = response.raw
        wire = 0
        while True:
            if cancel.is_set():
                raise _cancelled(url)
            left = deadline.remaining()
            if left <= 0:
                raise self._timeout_failure(url, call, deadline=True)
            _set_socket_timeout(raw, min(settings.read_timeout_s, left))
            try:
                chunk = raw.read1(CHUNK_SIZE, decode_content=False)
            except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as exc:
                if deadline.remaining() <= 0.05:
                    raise self._timeout_failure(url, call, deadline=True) from exc
                raise _Retry(self._timeout_failure(url, call)) from exc
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                raise _Retry(
                    self._network_failure(url, call.purpose, "broke off the download", True)
                ) from exc
            if not chunk:
                break
            wire += len(chunk)
            if wire > settings.max_wire_bytes:
                raise _too_large(url, settings.max_wire_bytes)
            decoder.feed(chunk)
        return decoder.finish()

    # ---- helpers ------------------------------------------------------------------------

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.mount("http://", self._adapter)
            session.mount("https://", self._adapter)
            session.headers.update(
                {
                    "User-Agent": self.settings.user_agent,
                    "Accept-Encoding": "gzip, deflate",  # the only codings BodyDecoder undoes
                    "Accept": "text/html,application/xhtml+xml,text/plain,application/pdf,"
                    "application/json,application/link-format;q=0.9,*/*;q=0.5",
                }
            )
            if self.settings.proxy:
                session.proxies = {"http": self.settings.proxy, "https": self.settings.proxy}
            # No cookie ever persists between fetches: each capture is fetched as a stranger.
            session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
            self._local.session = session
        return session

    def _resolve(self, host: str, url: str, watch: Watch | None = None) -> list[str]:
        try:
            return [str(ipaddress.ip_address(host.strip("[]")))]
        except ValueError:
            pass
        try:
            infos = getaddrinfo_watched(host, None, watch, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchFailure(
                FailureKind.NETWORK,
                f"The host {host} could not be found; check the address or the connection.",
                url=url,
            ) from exc
        return [str(info[4][0]) for info in infos]

    def _timeout_failure(self, url: str, call: _Call, *, deadline: bool = False) -> FetchFailure:
        noun = PURPOSE_NOUNS.get(call.purpose, "the page")
        limit = call.deadline_s if deadline else min(self.settings.read_timeout_s, call.deadline_s)
        return FetchFailure(
            FailureKind.TIMEOUT,
            f"{noun[0].upper()}{noun[1:]} took longer than {limit:g} seconds, "
            "so Workbench gave up; try again later.",
            url=url,
        )

    def _network_failure(self, url: str, purpose: str, what: str, retryable: bool) -> FetchFailure:
        noun = PURPOSE_NOUNS.get(purpose, "the page")
        host = urlsplit(url).hostname or url
        return FetchFailure(
            FailureKind.NETWORK,
            f"The server for {noun} ({host}) {what}; check the connection and try again.",
            retryable=retryable,
            url=url,
        )


class _GuardedAdapter(HTTPAdapter):
    """An adapter whose connections check their peer at connect time (see guard.py)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = GUARDED_POOLS

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS managers use their own connections
            manager.pool_classes_by_scheme = GUARDED_POOLS
        return manager


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    try:
        return parts.scheme, host_port(url)
    except ValueError:
        return parts.scheme, parts.netloc


def _set_socket_timeout(raw: urllib3.response.BaseHTTPResponse, seconds: float) -> None:
    """Shorten the next socket read so one stalled read cannot outlive the deadline."""
    connection = getattr(raw, "connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        with suppress(OSError):
            sock.settimeout(max(0.01, seconds))
