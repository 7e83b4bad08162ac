"""Settings for every network call made by the archive package.

The numbers here (rate limits, quotas, timeouts) are observed, not promised, by the Internet
Archive and change often, so they live in one frozen value instead of in code. Tests build a
settings value with tiny timeouts and pauses, pointed at a fake archive on 127.0.0.1.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

DEFAULT_USER_AGENT = (
    "Workbench/0.1 (fact-checking desktop workbench; fetches one archived copy per cited source)"
)

ENV_URLS = {
    "wayback_url": "WORKBENCH_WAYBACK_URL",
    "availability_url": "WORKBENCH_AVAILABILITY_URL",
    "memento_url": "WORKBENCH_MEMENTO_URL",
}


def host_port(url: str) -> str:
    """'host:port' of a URL, with the scheme's default port filled in and the host lowercased."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


@dataclass(frozen=True)
class ArchiveSettings:
    wayback_url: str = "https://web.archive.org"
    availability_url: str = "https://archive.org"
    memento_url: str = "https://timetravel.mementoweb.org"
    user_agent: str = DEFAULT_USER_AGENT
    proxy: str = ""  # "http://host:port" for every request; empty: requests' own (HTTPS_PROXY)

    connect_timeout_s: float = 5.0
    read_timeout_s: float = 30.0  # per socket read; a slow drip is cut by deadline_s instead
    deadline_s: float = 60.0  # wall clock for one request and its body
    memento_timeout_s: float = 10.0  # the aggregator is often slow; failure there means "unknown"

    max_wire_bytes: int = 10 * 1024 * 1024
    max_body_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5

    archive_concurrency: int = 2  # per archive host; IA limits are per IP, shared by all threads
    host_concurrency: int = 4  # per other host (live pages)
    cdx_per_minute: float = 24.0  # 80 % of IA's observed 30/min shared CDX + timemap pool
    cdx_burst: int = 4

    retry_after_cap_s: float = 120.0  # longer waits are recorded ("retry after"), never slept
    default_429_pause_s: float = 60.0  # IA sent no Retry-After as of 2023
    retries: int = 3  # tries in all for 5xx and connection errors
    backoff_base_s: float = 0.5
    backoff_max_s: float = 8.0

    # "host:port" values that may be loopback/private; the service base URLs are always allowed.
    allowed_private_hosts: frozenset[str] = field(default_factory=frozenset)

    cdx_window_days: int = 365  # captures searched on each side of the publication date
    cdx_limit: int = 1000
    # A source's full capture history (issue 14) is read in pages of this many rows, each its
    # own request in the CDX pool, and stops at cdx_history_max distinct captures (the user is
    # told): 20 pages, under a minute at 24 lookups a minute.
    cdx_history_page_rows: int = 500
    cdx_history_max: int = 10_000
    # The CDX budget (~24 a minute) is the bottleneck; an index answer that found captures is
    # reused for this long within the process (retries, per-claim fetches). 0 turns it off.
    cdx_cache_s: float = 24 * 3600.0
    grace_hours: float = 24.0  # article dates often lack a time zone while captures are UTC
    nearest_capture_window_hours: float = 24.0  # how far Wayback may hop to another timestamp
    max_candidates: int = 4  # memento fetches tried per source
    save_poll_interval_s: float = 5.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> ArchiveSettings:
        """Defaults, then WORKBENCH_*_URL from the environment, then explicit overrides.

        Only the environment: workbench.core.settings.archive_settings() adds the person's
        settings file and every other WORKBENCH_<NAME> network variable."""
        source = os.environ if env is None else env
        values: dict[str, Any] = {}
        for name, variable in ENV_URLS.items():
            if source.get(variable):
                values[name] = source[variable].rstrip("/")
        if source.get("WORKBENCH_USER_AGENT"):
            values["user_agent"] = source["WORKBENCH_USER_AGENT"]
        values.update(overrides)
        return cls(**values)

    @property
    def service_hosts(self) -> frozenset[str]:
        """host:port of the configured archive services."""
        urls = (self.wayback_url, self.availability_url, self.memento_url)
        return frozenset(host_port(url) for url in urls)

    @property
    def private_hosts_allowed(self) -> frozenset[str]:
        return self.service_hosts | frozenset(h.lower() for h in self.allowed_private_hosts)

    def concurrency_for(self, hostport: str) -> int:
        if hostport in self.service_hosts:
            return self.archive_concurrency
        return self.host_concurrency
