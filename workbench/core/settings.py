"""The person's settings: every name, type, default and migration in one place.

Used by the window (Settings dialog, layout, recent projects, reviewer name) and by the CLI
(network settings for fetches) alike. Values live in one INI file a person can read and edit:
`$WORKBENCH_SETTINGS_DIR/settings.ini`, else the platform's configuration folder. A network
setting can also be given for one run as an environment variable named `WORKBENCH_<NAME>`
(for example `WORKBENCH_DEADLINE_S=90`); the environment wins over the file, the file over the
default.

The file carries a version. `MIGRATIONS[n]` turns a version-n mapping of names to text into
version n+1; version 0 is the layout of the bare QSettings keys the window used to write
(`reviewer`, `recent`, `window/geometry`, ...), which the GUI reads once and hands to
`Settings.migrate()`.
"""

from __future__ import annotations

import base64
import configparser
import json
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from workbench.core.errors import InvalidInputError
from workbench.core.net.settings import ArchiveSettings

SETTINGS_DIR_ENV = "WORKBENCH_SETTINGS_DIR"  # tests and portable installs keep settings here
FILE_NAME = "settings.ini"
VERSION = 1
ENV_PREFIX = "WORKBENCH_"
MAX_RECENT = 10
MAX_LAST_CLAIMS = 50

_NET = ArchiveSettings()  # the network defaults live with the client's settings


@dataclass(frozen=True)
class Setting:
    """One setting. `env` settings may be given as WORKBENCH_<NAME>; `label` ones are in the
    Settings dialog, under `section`."""

    name: str
    type: type
    default: Any
    section: str
    label: str = ""
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    env: bool = False
    url: bool = False  # must be an http(s) address

    @property
    def env_name(self) -> str:
        return ENV_PREFIX + self.name.upper()


def _net(name: str, label: str, help: str, **kw: Any) -> Setting:
    default = getattr(_NET, name)
    section = "archives" if name.endswith("_url") else "network"
    return Setting(name, type(default), default, section, label, help, env=True, **kw)


SETTINGS: tuple[Setting, ...] = (
    _net("deadline_s", "Deadline for one download (s)", "Wall-clock limit for one request and its body.", minimum=1, maximum=3600),
    _net("connect_timeout_s", "Connect timeout (s)", "How long to wait for a server to answer the connection.", minimum=0.5, maximum=300),
    _net("read_timeout_s", "Read timeout (s)", "How long one read may stall before the download is given up.", minimum=0.5, maximum=600),
    _net("memento_timeout_s", "Memento aggregator timeout (s)", "The aggregator is often slow; past this its answer counts as unknown.", minimum=0.5, maximum=600),
    _net("retries", "Tries for a failing server", "Tries in all after a server error or a dropped connection.", minimum=1, maximum=10),
    _net("archive_concurrency", "Downloads at once per archive", "The Internet Archive limits requests per address; keep this low.", minimum=1, maximum=16),
    _net("host_concurrency", "Downloads at once per other site", "Live pages: parallel downloads from one site.", minimum=1, maximum=32),
    _net("cdx_per_minute", "Wayback index lookups per minute", "The index is shared and rate-limited (about 30 a minute).", minimum=1, maximum=600),
    _net("cdx_history_max", "Most captures listed per source", "A source's capture history stops after this many distinct captures (each 500 cost one index lookup).", minimum=100, maximum=150000),
    Setting("proxy", str, "", "network", "Proxy", "http://host:port for every download; empty: none (or the system's HTTPS_PROXY).", env=True, url=True),
    _net("user_agent", "User agent", "How Workbench names itself to servers."),
    _net("wayback_url", "Wayback Machine", "Base address of the Wayback Machine (or a mirror).", url=True),
    _net("availability_url", "Availability service", "Base address of the Wayback availability service.", url=True),
    _net("memento_url", "Memento aggregator", "Base address of the Memento Time Travel aggregator.", url=True),
    Setting("reviewer", str, "", "user", "Reviewer name", "Recorded with each verdict; empty: WORKBENCH_USER or the login name."),
    Setting("organization", str, "", "user", "Organization", "Publisher named in ClaimReview exports; empty: each verdict's reviewer."),
    Setting("recent_projects", list, [], "user"),
    Setting("window_geometry", bytes, b"", "window"),
    Setting("window_state", bytes, b"", "window"),
    Setting("last_claims", dict, {}, "window"),
    Setting("claims_share", float, 0.41, "window", minimum=0.05, maximum=0.95),
)  # fmt: skip

BY_NAME = {s.name: s for s in SETTINGS}
NETWORK = tuple(s for s in SETTINGS if s.section in ("network", "archives"))


# ---------------------------------------------------------------------- text <-> values
def encode(setting: Setting, value: Any) -> str:
    if setting.type is bool:
        return "true" if value else "false"
    if setting.type is bytes:
        return base64.b64encode(bytes(value)).decode("ascii")
    if setting.type in (list, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def decode(setting: Setting, text: str) -> Any:
    """The typed value of `text`; InvalidInputError (one sentence) when it is not one."""
    text = text.strip()
    what = setting.label or setting.name
    try:
        if setting.type is bool:
            if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(text)
            value: Any = text.lower() in ("true", "1", "yes")
        elif setting.type is int:
            value = int(text)
        elif setting.type is float:
            value = float(text)
        elif setting.type is bytes:
            value = base64.b64decode(text.encode("ascii"), validate=True)
        elif setting.type in (list, dict):
            value = json.loads(text) if text else setting.type()
            if not isinstance(value, setting.type):
                raise ValueError(text)
        else:
            value = text
    except (ValueError, TypeError) as exc:
        raise InvalidInputError(f"{what}: '{text}' is not a {_type_word(setting)}.") from exc
    return check(setting, value)


def check(setting: Setting, value: Any) -> Any:
    what = setting.label or setting.name
    if setting.minimum is not None and value < setting.minimum:
        raise InvalidInputError(f"{what} must be at least {setting.minimum:g}.")
    if setting.maximum is not None and value > setting.maximum:
        raise InvalidInputError(f"{what} must be at most {setting.maximum:g}.")
    if setting.url and value:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInputError(f"{what} must be an http or https address, not '{value}'.")
        value = value.rstrip("/")
    return value


def _type_word(setting: Setting) -> str:
    return {int: "whole number", float: "number", bool: "yes or no"}.get(setting.type, "value")


# ---------------------------------------------------------------------- migrations
def _from_qsettings(old: Mapping[str, Any]) -> dict[str, Any]:
    """Version 0 (bare QSettings keys) to 1."""
    new: dict[str, Any] = {}
    if old.get("reviewer"):
        new["reviewer"] = str(old["reviewer"])
    recent = old.get("recent")
    if recent:
        new["recent_projects"] = [recent] if isinstance(recent, str) else [str(p) for p in recent]
    for key, name in (("window/geometry", "window_geometry"), ("window/state", "window_state")):
        if old.get(key):
            new[name] = bytes(old[key])
    last = {k.split("/", 1)[1]: v for k, v in old.items() if k.startswith("lastClaim/")}
    claims: dict[str, int] = {}
    for key, value in last.items():
        try:
            claims[key] = int(value)
        except (TypeError, ValueError):
            continue
    if claims:
        new["last_claims"] = claims
    return new


# MIGRATIONS[n]: the values of version n -> those of version n + 1
MIGRATIONS: dict[int, Callable[[Mapping[str, Any]], dict[str, Any]]] = {0: _from_qsettings}


def default_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get(SETTINGS_DIR_ENV, "").strip():
        return Path(env[SETTINGS_DIR_ENV].strip())
    if sys.platform == "win32":
        return Path(env.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "Workbench"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Workbench"
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "workbench"


class Settings:
    """The settings file: typed get/set, written through at once (atomically).

    Another window may write the same file; each write re-reads it first, so only the key
    being set changes."""

    def __init__(self, path: Path | None = None, env: Mapping[str, str] | None = None) -> None:
        self.env = os.environ if env is None else env
        self.path = Path(path) if path is not None else default_dir(self.env) / FILE_NAME
        self.problems: list[str] = []  # values in the file that were not usable (defaults used)

    def exists(self) -> bool:
        return self.path.exists()

    # ------------------------------------------------------------------ reading
    def _read(self) -> configparser.ConfigParser:
        parser = configparser.ConfigParser(interpolation=None)
        parser.optionxform = str  # type: ignore[assignment, method-assign]
        try:
            parser.read(self.path, encoding="utf-8")
        except (OSError, UnicodeDecodeError, configparser.Error) as exc:
            self.problems.append(f"{self.path} could not be read ({exc}); using the defaults.")
        return parser

    def stored(self, name: str) -> Any:
        """The value in the file, else the default (ignoring the environment)."""
        setting = BY_NAME[name]
        parser = self._read()
        if not parser.has_option(setting.section, name):
            return _copy(setting.default)
        try:
            return decode(setting, parser.get(setting.section, name))
        except InvalidInputError as exc:
            self.problems.append(f"{self.path}: {exc}")
            return _copy(setting.default)

    def env_value(self, name: str) -> Any | None:
        """The value given as WORKBENCH_<NAME> for this run, if any (InvalidInputError if bad)."""
        setting = BY_NAME[name]
        if not setting.env:
            return None
        text = self.env.get(setting.env_name, "").strip()
        if not text:
            return None
        try:
            return decode(setting, text)
        except InvalidInputError as exc:
            raise InvalidInputError(f"{setting.env_name}: {exc}") from None

    def get(self, name: str) -> Any:
        """The value in effect: environment, else the file, else the default."""
        from_env = self.env_value(name)
        return from_env if from_env is not None else self.stored(name)

    def archive_settings(self, **overrides: Any) -> ArchiveSettings:
        """The network settings in effect, for every fetch and download."""
        names = {f.name for f in fields(ArchiveSettings)}
        values = {s.name: self.get(s.name) for s in NETWORK if s.name in names}
        values.update(overrides)
        return ArchiveSettings(**values)

    # ------------------------------------------------------------------ writing
    def set(self, name: str, value: Any) -> None:
        self.update({name: value})

    def update(self, values: Mapping[str, Any]) -> None:
        """Check and store several values in one write; a default value is stored as absent."""
        parser = self._read()
        for name, value in values.items():
            setting = BY_NAME[name]
            value = check(setting, value)
            if value == setting.default:
                if parser.has_section(setting.section):
                    parser.remove_option(setting.section, name)
                continue
            if not parser.has_section(setting.section):
                parser.add_section(setting.section)
            parser.set(setting.section, name, encode(setting, value))
        if not parser.has_section("meta"):
            parser.add_section("meta")
        parser.set("meta", "version", str(VERSION))
        self._write(parser)

    def _write(self, parser: configparser.ConfigParser) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".settings-", suffix=".ini", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write("# Workbench settings; see the README's Settings section.\n")
                parser.write(out)
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def migrate(self, values: Mapping[str, Any], version: int = 0) -> None:
        """Bring values written by an older version up to date and store them."""
        while version < VERSION:
            values = MIGRATIONS[version](values)
            version += 1
        usable = {}
        for name, value in values.items():
            try:
                usable[name] = check(BY_NAME[name], value)
            except InvalidInputError as exc:
                self.problems.append(str(exc))
        self.update(usable)

    # ------------------------------------------------------------------ lists
    def add_recent(self, path: str) -> None:
        items = [path] + [p for p in self.get("recent_projects") if p != path]
        self.set("recent_projects", items[:MAX_RECENT])

    def set_last_claim(self, key: str, claim_id: int) -> None:
        claims = dict(self.get("last_claims"))
        claims.pop(key, None)
        claims[key] = claim_id
        self.set("last_claims", dict(list(claims.items())[-MAX_LAST_CLAIMS:]))


def _copy(value: Any) -> Any:
    return type(value)(value) if isinstance(value, list | dict) else value


def user_settings() -> Settings:
    """The settings of the person running Workbench."""
    return Settings()


def archive_settings(**overrides: Any) -> ArchiveSettings:
    """Network settings from the person's file and WORKBENCH_<NAME> variables."""
    return user_settings().archive_settings(**overrides)
