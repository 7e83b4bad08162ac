"""Connections that check where they land, and a watch that ends a stalled request.

Two holes closed here, both below requests, inside urllib3's connection:

* DNS rebinding. Checking a host name's addresses before a request and connecting afterwards
  resolves the name twice; a hostile name server answers a public address the first time and
  127.0.0.1 the second. `GuardedHTTPConnection` resolves once, refuses every address on this
  machine or a private network before connecting to it, and checks the connected peer again
  before any byte of the request is written. It fails closed: a peer that cannot be read is
  refused.
* Stalls outside the body. requests' timeouts are per socket read, so a server that drips one
  header byte at a time holds a fetch for as long as it likes. A `Watch` runs beside each
  request; when the wall-clock deadline passes or the user cancels it shuts the socket down,
  which ends any blocked read at once. Connecting is done in short slices so Cancel also ends
  a connect that hangs.
"""

from __future__ import annotations

import errno
import ipaddress
import select
import socket
import threading
import time
from contextlib import suppress
from typing import Any

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

CGNAT = ipaddress.ip_network("100.64.0.0/10")
POLL_S = 0.1  # how often a watch and a connect look at Cancel and the deadline
_CURRENT = threading.local()  # the Watch of the request running on this thread


def is_public_address(address: str) -> bool:
    """True when an IP may be fetched: not loopback, private, link-local, CGNAT, multicast..."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and (ip.ipv4_mapped or ip.sixtofour or ip.teredo):
        return False  # an IPv4 address in disguise; refuse rather than unwrap
    if ip.version == 4 and ip in CGNAT:
        return False
    blocked = (
        ip.is_private,
        ip.is_loopback,
        ip.is_link_local,
        ip.is_multicast,
        ip.is_reserved,
        ip.is_unspecified,
        not ip.is_global,
    )
    return not any(blocked)


class Stopped(Exception):
    """The watch ended the request: `reason` is 'cancelled' or 'deadline'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PeerRefused(Exception):
    """The host name led to this computer or a private network; nothing was sent."""


class Watch:
    """Ends one request when its deadline passes or `cancel` is set, whatever stage it is in."""

    def __init__(
        self, cancel: threading.Event, seconds: float, allowed: frozenset[str] = frozenset()
    ) -> None:
        self.cancel = cancel
        self.end = time.monotonic() + seconds
        self.allowed = allowed  # "host:port" values that may be private (tests, local archives)
        self.reason: str | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fetch-watch", daemon=True)

    def __enter__(self) -> Watch:
        _CURRENT.watch = self
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        _CURRENT.watch = None

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def check(self) -> None:
        """Raise Stopped if the request must end now."""
        if self.reason is None:
            if self.cancel.is_set():
                self.reason = "cancelled"
            elif self.remaining() <= 0:
                self.reason = "deadline"
        if self.reason is not None:
            raise Stopped(self.reason)

    def register(self, sock: socket.socket) -> None:
        with self._lock:
            if sock not in self._sockets:
                self._sockets.append(sock)
            stopped = self.reason is not None
        if stopped:
            _shut(sock)

    def _run(self) -> None:
        while not self._done.wait(min(POLL_S, max(0.0, self.remaining()))):
            try:
                self.check()
            except Stopped:
                with self._lock:
                    sockets = list(self._sockets)
                for sock in sockets:
                    _shut(sock)
                return


def getaddrinfo_watched(
    host: str, port: int | None, watch: Watch | None, **kwargs: Any
) -> list[Any]:
    """socket.getaddrinfo that Cancel and the deadline can interrupt: a slow name server would
    otherwise hold a fetch for as long as the system resolver waits (often 10 s or more). The
    lookup runs on a helper thread; an abandoned one ends by itself when the resolver answers."""
    if watch is None:
        return socket.getaddrinfo(host, port, **kwargs)
    answer: dict[str, Any] = {}
    done = threading.Event()

    def lookup() -> None:
        try:
            answer["infos"] = socket.getaddrinfo(host, port, **kwargs)
        except BaseException as exc:  # handed to the waiting thread below
            answer["error"] = exc
        finally:
            done.set()

    threading.Thread(target=lookup, name="fetch-resolve", daemon=True).start()
    while not done.wait(POLL_S):
        watch.check()
    if "error" in answer:
        raise answer["error"]
    return list(answer["infos"])


def current_watch() -> Watch | None:
    return getattr(_CURRENT, "watch", None)


def _shut(sock: socket.socket) -> None:
    # shutdown() wakes a thread blocked in recv() on this socket; close() alone does not.
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _GuardMixin:
    """Replaces urllib3's _new_conn: resolve once, refuse private addresses, connect in slices."""

    host: str
    port: int
    timeout: Any
    socket_options: Any
    source_address: Any
    proxy: Any
    _dns_host: str

    def _new_conn(self) -> socket.socket:
        watch = current_watch()
        hostport = f"{self.host.strip('[]').lower()}:{self.port}"
        # Through a proxy the peer is the proxy, which the user chose: only the name check in
        # SafeClient.check_destination applies then.
        may_be_private = self.proxy is not None or (watch is not None and hostport in watch.allowed)
        try:
            infos = getaddrinfo_watched(self._dns_host, self.port, watch, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc  # type: ignore[arg-type]
        refused = False
        last_error: OSError | None = None
        for family, kind, proto, _name, address in infos:
            if not may_be_private and not is_public_address(str(address[0])):
                refused = True
                continue
            sock = socket.socket(family, kind, proto)
            try:
                self._connect(sock, address, watch)
                if not may_be_private:
                    _check_peer(sock)
            except BaseException as exc:
                sock.close()
                if isinstance(exc, PeerRefused):
                    refused = True
                    continue
                if isinstance(exc, OSError) and not isinstance(exc, TimeoutError):
                    last_error = exc
                    continue
                raise
            if watch is not None:
                watch.register(sock)
            return sock
        if refused and last_error is None:
            raise PeerRefused(self.host)
        raise NewConnectionError(  # type: ignore[arg-type]
            self, f"Failed to establish a new connection: {last_error or 'no address'}"
        )

    def _connect(self, sock: socket.socket, address: Any, watch: Watch | None) -> None:
        for option in self.socket_options or ():
            sock.setsockopt(*option)
        if self.source_address:
            sock.bind(self.source_address)
        limit = self.timeout if isinstance(self.timeout, int | float) else None
        end = time.monotonic() + (limit if limit is not None else 3600.0)
        sock.setblocking(False)
        error = sock.connect_ex(address)
        while error in (errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EALREADY, errno.EAGAIN):
            if watch is not None:
                watch.check()
            left = end - time.monotonic()
            if left <= 0:
                raise ConnectTimeoutError(  # type: ignore[arg-type]
                    self, f"Connection to {self.host} timed out. (connect timeout={limit})"
                )
            _, writable, _ = select.select([], [sock], [], min(left, POLL_S))
            if writable:
                error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                break
        if error:
            raise OSError(error, f"could not connect to {self.host}")
        sock.settimeout(limit)

    def request(self, *args: Any, **kwargs: Any) -> Any:
        # A pooled connection made by an earlier request: this request's watch must see it.
        watch = current_watch()
        sock = getattr(self, "sock", None)
        if watch is not None and sock is not None:
            watch.register(sock)
        return super().request(*args, **kwargs)  # type: ignore[misc]


def _check_peer(sock: socket.socket) -> None:
    """The address actually connected to must be public too; unreadable counts as refused."""
    try:
        peer = sock.getpeername()[0]
    except OSError:
        raise PeerRefused("unknown peer") from None
    if not is_public_address(str(peer)):
        raise PeerRefused(str(peer))


class GuardedHTTPConnection(_GuardMixin, HTTPConnection):
    pass


class GuardedHTTPSConnection(_GuardMixin, HTTPSConnection):
    pass


class GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


GUARDED_POOLS: dict[str, Any] = {
    "http": GuardedHTTPConnectionPool,
    "https": GuardedHTTPSConnectionPool,
}
