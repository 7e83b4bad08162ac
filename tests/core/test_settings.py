"""Typed, versioned settings: one file, WORKBENCH_<NAME> for a run, migrations from QSettings."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from workbench.core.errors import InvalidInputError
from workbench.core.net.http import SafeClient
from workbench.core.settings import SETTINGS, VERSION, Settings, archive_settings


def test_defaults_then_the_file_then_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    assert Settings(path, env={}).get("deadline_s") == 60.0
    Settings(path, env={}).set("deadline_s", 90)
    assert Settings(path, env={}).get("deadline_s") == 90.0
    run = Settings(path, env={"WORKBENCH_DEADLINE_S": "12.5"})
    assert run.get("deadline_s") == 12.5
    assert run.stored("deadline_s") == 90.0
    assert "version = " + str(VERSION) in path.read_text()


def test_every_network_setting_has_a_variable_and_reaches_the_client(tmp_path: Path) -> None:
    env = {
        "WORKBENCH_DEADLINE_S": "7",
        "WORKBENCH_CONNECT_TIMEOUT_S": "2",
        "WORKBENCH_HOST_CONCURRENCY": "9",
        "WORKBENCH_PROXY": "http://127.0.0.1:3128",
        "WORKBENCH_USER_AGENT": "Newsroom bot",
        "WORKBENCH_WAYBACK_URL": "http://127.0.0.1:8080/",
    }
    net = Settings(tmp_path / "s.ini", env=env).archive_settings()
    assert (net.deadline_s, net.connect_timeout_s, net.host_concurrency) == (7.0, 2.0, 9)
    assert net.proxy == "http://127.0.0.1:3128" and net.user_agent == "Newsroom bot"
    assert net.wayback_url == "http://127.0.0.1:8080"
    names = {s.env_name for s in SETTINGS if s.env}
    for wanted in ("DEADLINE_S", "READ_TIMEOUT_S", "ARCHIVE_CONCURRENCY", "MEMENTO_URL"):
        assert "WORKBENCH_" + wanted in names


def test_bad_values_are_named_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    with pytest.raises(InvalidInputError, match=r"WORKBENCH_DEADLINE_S: .*'soon' is not a number"):
        Settings(path, env={"WORKBENCH_DEADLINE_S": "soon"}).get("deadline_s")
    with pytest.raises(InvalidInputError, match="must be at least 1"):
        Settings(path, env={}).set("deadline_s", 0)
    with pytest.raises(InvalidInputError, match="http or https"):
        Settings(path, env={}).set("wayback_url", "file:///etc")
    path.write_text("[network]\ndeadline_s = forever\n")
    broken = Settings(path, env={})
    assert broken.get("deadline_s") == 60.0  # the default, and the problem is reported
    assert "forever" in broken.problems[0]


def test_a_write_keeps_what_another_window_wrote(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    first, second = Settings(path, env={}), Settings(path, env={})
    first.set("reviewer", "Ana")
    second.add_recent("/p/one.wbproj")
    first.set_last_claim("key", 7)
    assert Settings(path, env={}).get("reviewer") == "Ana"
    assert Settings(path, env={}).get("recent_projects") == ["/p/one.wbproj"]
    assert Settings(path, env={}).get("last_claims") == {"key": 7}
    assert not list(tmp_path.glob(".settings-*"))  # written atomically, nothing left behind


def test_version_0_the_old_qsettings_keys_are_migrated(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "s.ini", env={})
    settings.migrate(
        {
            "reviewer": "Bo",
            "recent": "/p/only.wbproj",  # QSettings gives a one-item list as a string
            "window/geometry": b"\x01\xd9\xd0\xcb",
            "lastClaim/_p_only_wbproj": "12",
            "lastClaim/broken": "x",
        },
        version=0,
    )
    assert settings.get("reviewer") == "Bo"
    assert settings.get("recent_projects") == ["/p/only.wbproj"]
    assert settings.get("window_geometry") == b"\x01\xd9\xd0\xcb"
    assert settings.get("last_claims") == {"_p_only_wbproj": 12}


def test_the_default_client_uses_the_persons_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_SETTINGS_DIR", str(tmp_path))
    Settings().set("deadline_s", 42)
    assert archive_settings().deadline_s == 42.0
    with SafeClient() as client:
        assert client.settings.deadline_s == 42.0


class _Proxy(BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:  # a forward proxy is sent the absolute URL
        type(self).seen.append(self.path)
        body = b"through the proxy"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def proxy() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_proxy_setting_carries_every_download(tmp_path: Path, proxy: str) -> None:
    target = "http://127.0.0.1:9/page"  # nothing listens there: only the proxy can answer
    net = Settings(tmp_path / "s.ini", env={"WORKBENCH_PROXY": proxy}).archive_settings(
        allowed_private_hosts=frozenset({"127.0.0.1:9"}), retries=1
    )
    with SafeClient(net) as client:
        result = client.get(target)
    assert result.body == b"through the proxy"
    assert _Proxy.seen[-1] == target


def test_the_cli_shows_and_changes_the_same_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from workbench.cli.main import main as cli_main

    monkeypatch.setenv("WORKBENCH_SETTINGS_DIR", str(tmp_path))
    assert cli_main(["settings", "set", "deadline_s", "90"]) == 0
    assert Settings().get("deadline_s") == 90.0
    monkeypatch.setenv("WORKBENCH_HOST_CONCURRENCY", "6")
    assert cli_main(["settings"]) == 0
    out = capsys.readouterr().out
    assert "deadline_s = 90.0  (settings file)" in out
    assert "host_concurrency = 6  (from WORKBENCH_HOST_CONCURRENCY)" in out
    assert cli_main(["settings", "set", "retries", "many"]) == 1
    assert "'many' is not a whole number" in capsys.readouterr().err
    assert cli_main(["settings", "unset", "deadline_s"]) == 0
    assert Settings().get("deadline_s") == 60.0
