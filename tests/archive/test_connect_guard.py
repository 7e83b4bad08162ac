"""Issue 10.3 and 10.5: the connected peer is checked before a byte is sent (DNS rebinding),
and the deadline and Cancel hold while connecting and while headers arrive, not only in the body.

The servers here are raw sockets on 127.0.0.1 so they can misbehave on purpose: answer HTTP/1.0
with Connection: close, or drip a header one byte at a time.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from workbench.core.net.errors import FailureKind, FetchFailure
from workbench.core.net.http import SafeClient
from workbench.core.net.settings import ArchiveSettings

PUBLIC = "93.184.216.34"


class RawServer:
    """Accepts connections on 127.0.0.1 and runs `serve(conn)` for each; records what arrives."""

    def __init__(self, serve: Callable[[socket.socket], None]) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.received = bytearray()
        self.connections = 0
        self._serve = serve
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        self.listener.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            with contextlib.suppress(OSError):
                self._serve(conn)

    def read_request(self, conn: socket.socket) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        self.received += data
        return data

    def close(self) -> None:
        self._stop.set()
        self.listener.close()


@pytest.fixture
def server_factory() -> Iterator[Callable[[Callable[[RawServer, socket.socket], None]], RawServer]]:
    servers: list[RawServer] = []

    def make(serve: Callable[[RawServer, socket.socket], None]) -> RawServer:
        holder: list[RawServer] = []
        server = RawServer(lambda conn: serve(holder[0], conn))
        holder.append(server)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


def _http10_close(server: RawServer, conn: socket.socket) -> None:
    server.read_request(conn)
    conn.sendall(b"HTTP/1.0 200 OK\r\nConnection: close\r\n\r\nsecret from this computer")


def _rebinding_resolver(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    """A name server that answers a public address first and 127.0.0.1 after that."""
    real = socket.getaddrinfo
    answers: list[str] = []

    def resolve(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != name:
            return real(host, port, *args, **kwargs)
        address = PUBLIC if not answers else "127.0.0.1"
        answers.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return answers


def test_rebinding_to_loopback_is_refused_before_any_byte_is_sent(
    monkeypatch: pytest.MonkeyPatch, server_factory: Any
) -> None:
    server = server_factory(_http10_close)
    answers = _rebinding_resolver(monkeypatch, "rebind.example")
    with SafeClient(ArchiveSettings(retries=1)) as client, pytest.raises(FetchFailure) as caught:
        client.get(f"http://rebind.example:{server.port}/")
    assert caught.value.kind is FailureKind.REDIRECT_BLOCKED
    assert "private network" in str(caught.value)
    assert answers[0] == PUBLIC and "127.0.0.1" in answers[1:]
    time.sleep(0.2)
    assert server.connections == 0 and bytes(server.received) == b""


def test_allowed_private_hosts_still_connect(server_factory: Any) -> None:
    server = server_factory(_http10_close)
    settings = ArchiveSettings(allowed_private_hosts=frozenset({f"127.0.0.1:{server.port}"}))
    with SafeClient(settings) as client:
        result = client.get(f"http://127.0.0.1:{server.port}/")
    assert result.body == b"secret from this computer"


def _drip_headers(server: RawServer, conn: socket.socket) -> None:
    server.read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    for _ in range(200):  # 20 s of header, one byte each 0.1 s: no single read ever times out
        conn.sendall(b"X")
        time.sleep(0.1)


def _drip_settings(port: int, **changes: Any) -> ArchiveSettings:
    values: dict[str, Any] = {
        "allowed_private_hosts": frozenset({f"127.0.0.1:{port}"}),
        "read_timeout_s": 0.5,
        "deadline_s": 1.0,
        "retries": 1,
    }
    values.update(changes)
    return ArchiveSettings(**values)


def test_deadline_covers_dripping_headers(server_factory: Any) -> None:
    server = server_factory(_drip_headers)
    with SafeClient(_drip_settings(server.port)) as client:
        started = time.monotonic()
        with pytest.raises(FetchFailure) as caught:
            client.get(f"http://127.0.0.1:{server.port}/")
    assert caught.value.kind is FailureKind.TIMEOUT
    assert time.monotonic() - started < 1.0 + 0.6


def test_cancel_ends_a_fetch_while_headers_drip(server_factory: Any) -> None:
    server = server_factory(_drip_headers)
    cancel = threading.Event()
    with SafeClient(_drip_settings(server.port, deadline_s=30.0)) as client:
        threading.Timer(0.3, cancel.set).start()
        started = time.monotonic()
        with pytest.raises(FetchFailure) as caught:
            client.get(f"http://127.0.0.1:{server.port}/", cancel=cancel)
    assert caught.value.kind is FailureKind.CANCELLED
    assert time.monotonic() - started < 0.3 + 1.0


def test_cancel_ends_a_connect_that_hangs(monkeypatch: pytest.MonkeyPatch) -> None:
    # A listener whose backlog is full and that never accepts: the kernel drops further SYNs,
    # so a connect to it hangs until its timeout.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = int(listener.getsockname()[1])
    fillers = []
    for _ in range(8):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    time.sleep(0.2)
    probe = socket.socket()
    probe.settimeout(0.5)
    try:
        probe.connect(("127.0.0.1", port))
        hangs = False
    except TimeoutError:
        hangs = True
    finally:
        probe.close()
    assert hangs, "a full backlog should make a connect hang on this system"
    cancel = threading.Event()
    settings = _drip_settings(port, connect_timeout_s=30.0, deadline_s=30.0)
    try:
        with SafeClient(settings) as client:
            threading.Timer(0.3, cancel.set).start()
            started = time.monotonic()
            with pytest.raises(FetchFailure) as caught:
                client.get(f"http://127.0.0.1:{port}/", cancel=cancel)
        assert caught.value.kind is FailureKind.CANCELLED
        assert time.monotonic() - started < 0.3 + 1.0
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


def test_cancel_ends_a_slow_name_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name server that takes 5 s to answer: Cancel still ends the fetch within a second."""
    real = socket.getaddrinfo

    def slow(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "slow.example":
            time.sleep(5)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, 80))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    cancel = threading.Event()
    with SafeClient(ArchiveSettings(retries=1, deadline_s=30.0)) as client:
        threading.Timer(0.3, cancel.set).start()
        started = time.monotonic()
        with pytest.raises(FetchFailure) as caught:
            client.get("http://slow.example/", cancel=cancel)
    assert caught.value.kind is FailureKind.CANCELLED
    assert time.monotonic() - started < 0.3 + 1.0


def test_the_deadline_covers_a_slow_name_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def slow(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "slow.example":
            time.sleep(5)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    with SafeClient(ArchiveSettings(retries=1, deadline_s=0.5)) as client:
        started = time.monotonic()
        with pytest.raises(FetchFailure) as caught:
            client.get("http://slow.example/")
    assert caught.value.kind is FailureKind.TIMEOUT
    assert time.monotonic() - started < 0.5 + 1.0
