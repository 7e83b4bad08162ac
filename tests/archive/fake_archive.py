"""A fake of every service the archive package talks to, on 127.0.0.1, for tests and benchmarks.

One stdlib ThreadingHTTPServer plays the Wayback CDX index, the availability API, playback
(`/web/<ts>id_/<url>`), the link-format TimeMap, Save Page Now, the Time Travel aggregator, a second
archive the aggregator points to (`/oa/...`), and a "live" web site (`/live/...`).

Behaviour is the archive's by default (captures added with `add_capture`), and any route can be
given a scripted queue of replies (`script("cdx", Reply(status=503), ...)`) consumed one per
request, to play faults: 429s, 5xx, slow drips, hangs, resets. Every request is logged with its
monotonic arrival time; `latency_s` delays every answer.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from workbench.core.net.settings import ArchiveSettings

HRM_PAGE = (
    b"<html><body><p>Hrm.</p><p>The Wayback Machine has not archived that URL.</p></body></html>"
)
EXCLUDED_PAGE = (
    b"<html><body><p>Sorry.</p><p>This URL has been excluded from the Wayback Machine.</p>"
    b"</body></html>"
)

ROUTES = (
    ("cdx", re.compile(r"^/cdx/search/cdx$")),
    ("available", re.compile(r"^/wayback/available$")),
    ("timemap", re.compile(r"^/web/timemap/link/(?P<url>.+)$")),
    ("web", re.compile(r"^/web/(?P<ts>\d{1,14})(?P<mode>[a-z]{2}_)?/(?P<url>.+)$")),
    ("timetravel", re.compile(r"^/api/json/(?P<ts>\d{1,14})/(?P<url>.+)$")),
    ("aggregator_timemap", re.compile(r"^/timemap/link/(?P<url>.+)$")),
    ("other", re.compile(r"^/oa/(?P<ts>\d{14})(?P<mode>[a-z]{2}_)?/(?P<url>.+)$")),
    ("save_status", re.compile(r"^/save/status/(?P<job>[\w-]+)$")),
    ("save", re.compile(r"^/save/(?P<url>.+)$")),
    ("live", re.compile(r"^/live/(?P<path>.*)$")),
)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str | None = "text/html; charset=utf-8"
    delay_s: float = 0.0  # before the status line
    drip_bytes: int = 0  # > 0: send the body this many bytes at a time ...
    drip_interval_s: float = 0.0  # ... with this pause between pieces
    send_length: bool = True
    reset: bool = False  # close the connection without any answer


@dataclass
class Capture:
    url: str
    timestamp: str  # 14 digits, UTC
    body: bytes = b"<html><head><title>Archived</title></head><body>archived</body></html>"
    status: int | None = 200  # None: a revisit row ("-" in the CDX)
    mimetype: str = "text/html"
    redirect_to: str | None = None  # an archived redirect to this original URL
    gzip_broken: bool = False  # gzip body with Wayback's doubled Content-Encoding header

    @property
    def digest(self) -> str:
        return base64.b32encode(hashlib.sha1(self.body).digest()).decode()


@dataclass(frozen=True)
class LoggedRequest:
    at: float  # time.monotonic() on arrival
    method: str
    route: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


Handler = Callable[["LoggedRequest", dict[str, str]], Reply]


def url_key(url: str) -> str:
    """How the fake folds URLs, like a SURT: no scheme, no www., lowercase host."""
    url = re.sub(r"^[a-z]+:/+", "", url.strip(), flags=re.I)
    host, _, rest = url.partition("/")
    host = host.lower().removeprefix("www.")
    return f"{host}/{rest}".rstrip("/")


def http_date(ts: str) -> str:
    moment = datetime.strptime(ts, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return format_datetime(moment, usegmt=True)


def _seconds(ts: str) -> float:
    padded = (ts + "00000101000000"[len(ts) :])[:14]
    return datetime.strptime(padded, "%Y%m%d%H%M%S").replace(tzinfo=UTC).timestamp()


class FakeArchive:
    def __init__(self) -> None:
        self.captures: dict[str, list[Capture]] = {}
        self.other_captures: dict[str, list[Capture]] = {}
        self.blocked: set[str] = set()
        self.excluded: set[str] = set()
        self.live: dict[str, Reply | Handler] = {}
        self.scripts: dict[str, deque[Reply | Handler]] = {}
        self.log: list[LoggedRequest] = []
        self.latency_s = 0.0
        self.cdx_page_size: int | None = None  # rows per page when showResumeKey=true
        self.cdx_repeat_on_resume = False  # repeat the last row at the top of the next page
        self.save_statuses: deque[dict[str, object]] = deque()
        self.save_jobs: dict[str, str] = {}
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self._server = _QuietServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # ---- life cycle --------------------------------------------------------------------

    def start(self) -> FakeArchive:
        self._thread.start()
        return self

    def close(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeArchive:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def hostport(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    # ---- scripting ----------------------------------------------------------------------

    def add_capture(self, url: str, timestamp: str, **kwargs: object) -> Capture:
        capture = Capture(url=url, timestamp=timestamp, **kwargs)  # type: ignore[arg-type]
        with self._lock:
            rows = self.captures.setdefault(url_key(url), [])
            rows.append(capture)
            rows.sort(key=lambda c: c.timestamp)
        return capture

    def add_other_memento(self, url: str, timestamp: str, **kwargs: object) -> Capture:
        capture = Capture(url=url, timestamp=timestamp, **kwargs)  # type: ignore[arg-type]
        with self._lock:
            rows = self.other_captures.setdefault(url_key(url), [])
            rows.append(capture)
            rows.sort(key=lambda c: c.timestamp)
        return capture

    def script(self, route: str, *replies: Reply | Handler) -> None:
        with self._lock:
            self.scripts.setdefault(route, deque()).extend(replies)

    def requests(self, route: str | None = None) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.log if route is None or r.route == route]

    def live_url(self, path: str) -> str:
        return f"{self.base_url}/live/{path}"

    # ---- dispatch -----------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> Reply:
        parts = urlsplit(raw_path)
        route, params = "unknown", {}
        for name, pattern in ROUTES:
            match = pattern.match(parts.path)
            if match:
                route, params = name, {k: v for k, v in match.groupdict().items() if v}
                break
        if "url" in params and parts.query and route != "cdx":
            params["url"] += "?" + parts.query
        query = parse_qs(parts.query)
        if method == "POST" and body:
            query.update(parse_qs(body.decode("latin-1")))
        request = LoggedRequest(time.monotonic(), method, route, raw_path, query, headers)
        with self._lock:
            self.log.append(request)
            queue = self.scripts.get(route)
            scripted = queue.popleft() if queue else None
        if scripted is not None:
            return scripted if isinstance(scripted, Reply) else scripted(request, params)
        handler = getattr(self, f"_route_{route}", None)
        if handler is None:
            return Reply(status=404, body=b"no such route")
        return handler(request, params)

    # ---- the Wayback Machine ---------------------------------------------------------------

    def _rows(self, key: str) -> list[Capture]:
        with self._lock:
            return list(self.captures.get(key, []))

    def _route_cdx(self, request: LoggedRequest, params: dict[str, str]) -> Reply:
        q = {k: v[-1] for k, v in request.query.items()}
        key = url_key(q.get("url", ""))
        if key in self.blocked:
            return Reply(
                status=403,
                body=b"org.archive.wayback.exception.AdministrativeAccessControlException: "
                b"Blocked Site Error",
                headers=[
                    ("X-Archive-Wayback-Runtime-Error", "AdministrativeAccessControlException")
                ],
                content_type="text/plain",
            )
        low = (q.get("from", "") + "00000000000000")[:14]
        high = (q.get("to", "") + "99999999999999")[:14]
        rows = [c for c in self._rows(key) if low <= c.timestamp <= high]
        if q.get("collapse", "").startswith("timestamp:"):
            width = int(q["collapse"].split(":")[1])
            collapsed: list[Capture] = []
            for c in rows:
                if not collapsed or collapsed[-1].timestamp[:width] != c.timestamp[:width]:
                    collapsed.append(c)
            rows = collapsed
        elif q.get("collapse") == "digest":  # like the real index: adjacent rows only
            rows = [c for i, c in enumerate(rows) if i == 0 or rows[i - 1].digest != c.digest]
        paged = q.get("showResumeKey") == "true"
        size = self.cdx_page_size
        limit = int(q.get("limit", "0") or 0)
        if paged and limit > 0:  # like the real index: the limit is each page's length
            size = min(size or limit, limit)
        elif "limit" in q:
            rows = rows[:limit] if limit >= 0 else rows[limit:]
        start = int(q.get("resumeKey", "0") or 0)
        if start and self.cdx_repeat_on_resume:
            start -= 1
        rows = rows[start:]
        resume: str | None = None
        if paged and size and len(rows) > size:
            rows, resume = rows[:size], str(start + size)
        fields = q.get("fl", "urlkey,timestamp,original,mimetype,statuscode,digest,length")
        table = [[self._field(c, f) for f in fields.split(",")] for c in rows]
        if q.get("output") != "json":
            text = "\n".join(" ".join(row) for row in table)
            return Reply(body=(text + "\n").encode() if text else b"", content_type="text/plain")
        out: list[list[str]] = [fields.split(","), *table] if table else []
        if resume is not None:
            out += [[], [resume]]
        return Reply(body=json.dumps(out).encode(), content_type="application/json")

    @staticmethod
    def _field(c: Capture, name: str) -> str:
        values = {
            "urlkey": url_key(c.url),
            "timestamp": c.timestamp,
            "original": c.url,
            "mimetype": "warc/revisit" if c.status is None else c.mimetype,
            "statuscode": "-" if c.status is None else str(c.status),
            "digest": c.digest,
            "length": str(len(c.body)),
        }
        return values[name]

    def _route_available(self, request: LoggedRequest, params: dict[str, str]) -> Reply:
        q = {k: v[-1] for k, v in request.query.items()}
        url = q.get("url", "")
        rows = [c for c in self._rows(url_key(url)) if c.status is not None]
        snapshots: dict[str, object] = {}
        if rows:
            target = _seconds(q["timestamp"]) if q.get("timestamp") else time.time()
            best = min(rows, key=lambda c: abs(_seconds(c.timestamp) - target))
            # Like IA: an http:// URL and the status as a string.
            snapshots["closest"] = {
                "available": True,
                "url": f"http://{self.hostport}/web/{best.timestamp}/{best.url}",
                "timestamp": best.timestamp,
                "status": str(best.status),
            }
        answer = {"url": url, "archived_snapshots": snapshots}
        return Reply(body=json.dumps(answer).encode(), content_type="application/json")

    def _route_web(self, request: LoggedRequest, params: dict[str, str]) -> Reply:
        url, ts, mode = params["url"], params["ts"], params.get("mode", "")
        key = url_key(url)
        if key in self.excluded:
            return Reply(status=200, body=EXCLUDED_PAGE)
        rows = self._rows(key)
        if not rows:
            return Reply(status=404, body=HRM_PAGE)
        exact = [c for c in rows if c.timestamp == ts]
        if not exact:
            nearest = min(rows, key=lambda c: abs(_seconds(c.timestamp) - _seconds(ts)))
            location = f"/web/{nearest.timestamp}{mode}/{nearest.url}"
            return Reply(status=302, headers=[("Location", location)], body=b"")
        return self._memento(exact[0], mode, f"{self.base_url}/web")

    def _memento(self, c: Capture, mode: str, prefix: str) -> Reply:
        headers = [
            ("Memento-Datetime", http_date(c.timestamp)),
            (
                "Link",
                f'<{c.url}>; rel="original", '
                f'<{prefix}/timemap/link/{c.url}>; rel="timemap"; type="application/link-format", '
                f'<{prefix}/{c.timestamp}/{c.url}>; rel="memento"; datetime="{http_date(c.timestamp)}"',
            ),
            ("X-Archive-Src", f"fake-{c.timestamp}.warc.gz"),
            ("X-Archive-Orig-Server", "nginx"),
        ]
        if c.redirect_to:
            headers.append(("Location", f"{prefix}/{c.timestamp}{mode}/{c.redirect_to}"))
            return Reply(status=c.status or 301, headers=headers, content_type=None)
        body = c.body
        if c.gzip_broken:
            body = gzip.compress(body)
            headers += [("content-encoding", ""), ("Content-Encoding", "gzip")]
        if not mode:  # view mode: the banner and rewriting we must never store
            body = b"<!-- BEGIN WAYBACK TOOLBAR INSERT -->" + body
        return Reply(status=c.status or 200, body=body, headers=headers, content_type=c.mimetype)

    def _route_timemap(self, request: LoggedRequest, params: dict[str, str]) -> Reply:
        url = params["url"]
        prefix = f"{self.base_url}/web"
        lines = [
            f'<{url}>; rel="original"',
            f'<{prefix}/timemap/link/{url}>; rel="self"; type="application/link-format"',
        ]
        for c in self._rows(url_key(url)):
            lines.append(
                f'<{prefix}/{c.timestamp}/{c.url}>; rel="memento"; '
                f'datetime="{http_date(c.timestamp)}"'
            )
        return Reply(body=",\n".join(lines).encode(), content_type="application/link-format")

    # ---- Save Page Now ------------------------------------------------------------------

    def _route_save(self, request: LoggedRequest, params: dict[str, str]) -> Reply:
        job = "spn2-" + hashlib.sha1(params["url"].encode()).hexdigest()
        with self._lock:
            self.save_jobs[job] = params["url"]
        page = (
            "<html><body><p>Saving page now...</p><script>"
            f'spn.watchJob("{job}", "/_static/",6000);</script></body></html>'
        )
        return Reply(body=page.encode())

    def _route_save_status(self, request: LoggedRequest, params: dict[str, str]) -> Reply:
        job = params["job"]
        with self._lock:
            status = self.save_statuses.popleft() if self.save_statuses else None
            url = self.save_jobs.get(job)
        if status is None:
            ts = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
            status = {"status": "success", "job_id": job, "timestamp": ts, "original_url": url}
        if status.get("status") == "success" and url:
            self.add_capture(url, str(status["timestamp"]))
        return Reply(body=json.dumps(status).encode(), content_type="application/json")

    # ---- the aggregator and a second archive ------------------------------------------------

    def _route_timetravel(self, request: LoggedRequest, params: dict[str, str]) -> Reply:
        url, ts = params["url"], params["ts"]
        with self._lock:
            rows = list(self.other_captures.get(url_key(url), []))
        if not rows:
            return Reply(
                status=404, body=b'{"error": "not found"}', content_type="application/json"
            )
        best = min(rows, key=lambda c: abs(_seconds(c.timestamp) - _seconds(ts)))
        uri = f"{self.base_url}/oa/{best.timestamp}/{best.url}"
        entry = {
            "datetime": datetime.strptime(best.timestamp, "%Y%m%d%H%M%S").strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
            "uri": [uri],
        }
        answer = {"original_uri": url, "mementos": {"closest": entry, "first": entry}}
        return Reply(body=json.dumps(answer).encode(), content_type="application/json")

    def _route_aggregator_timemap(self, request: LoggedRequest, params: dict[str, str]) -> Reply:
        """The aggregator's link-format TimeMap: the second archive's mementos (`/oa/...`)."""
        url = params["url"]
        with self._lock:
            rows = list(self.other_captures.get(url_key(url), []))
        if not rows:
            return Reply(status=404, body=b"no mementos", content_type="text/plain")
        lines = [f'<{url}>; rel="original"']
        lines += [
            f'<{self.base_url}/oa/{c.timestamp}/{c.url}>; rel="memento"; '
            f'datetime="{http_date(c.timestamp)}"'
            for c in rows
        ]
        return Reply(body=",\n".join(lines).encode(), content_type="application/link-format")

    def _route_other(self, request: LoggedRequest, params: dict[str, str]) -> Reply:
        with self._lock:
            rows = [
                c
                for c in self.other_captures.get(url_key(params["url"]), [])
                if c.timestamp == params["ts"]
            ]
        if not rows:
            return Reply(status=404, body=b"not archived here")
        return self._memento(rows[0], "id_", f"{self.base_url}/oa")

    # ---- a live web site ------------------------------------------------------------------

    def _route_live(self, request: LoggedRequest, params: dict[str, str]) -> Reply:
        page = self.live.get(params.get("path", ""))
        if page is None:
            return Reply(status=404, body=b"<html><body>Not found</body></html>")
        return page if isinstance(page, Reply) else page(request, params)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # Clients that hang up early (timeouts, cancels) are the point of many tests.
        pass


def _make_handler(fake: FakeArchive) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out separately: avoid 40 ms stalls

        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items()}
            reply = fake.handle(method, self.path, headers, body)
            if not self._pause(fake.latency_s + reply.delay_s):
                return
            if reply.reset:
                self.close_connection = True
                return
            try:
                self._send(reply)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def _pause(self, seconds: float) -> bool:
            return not (seconds > 0 and fake.stopping.wait(seconds))

        def _send(self, reply: Reply) -> None:
            self.send_response(reply.status)
            if reply.content_type:
                self.send_header("Content-Type", reply.content_type)
            for name, value in reply.headers:
                self.send_header(name, value)
            if reply.send_length:
                self.send_header("Content-Length", str(len(reply.body)))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if not reply.drip_bytes:
                self.wfile.write(reply.body)
                return
            for start in range(0, len(reply.body), reply.drip_bytes):
                self.wfile.write(reply.body[start : start + reply.drip_bytes])
                self.wfile.flush()
                if not self._pause(reply.drip_interval_s):
                    return

    return _Handler


def fast_settings(fake: FakeArchive, **changes: object) -> ArchiveSettings:
    """Settings pointed at the fake with tiny timeouts and pauses, so failure tests stay fast."""
    values: dict[str, object] = {
        "wayback_url": fake.base_url,
        "availability_url": fake.base_url,
        "memento_url": fake.base_url,
        "connect_timeout_s": 1.0,
        "read_timeout_s": 0.5,
        "deadline_s": 1.0,
        "memento_timeout_s": 0.5,
        "max_wire_bytes": 1024 * 1024,
        "max_body_bytes": 2 * 1024 * 1024,
        "archive_concurrency": 4,
        "cdx_per_minute": 60000.0,
        "retry_after_cap_s": 2.0,
        "default_429_pause_s": 0.3,
        "backoff_base_s": 0.01,
        "backoff_max_s": 0.05,
        "save_poll_interval_s": 0.01,
    }
    values.update(changes)
    return ArchiveSettings(**values)  # type: ignore[arg-type]
