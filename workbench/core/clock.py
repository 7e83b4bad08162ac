"""Time as it is stored everywhere: UTC ISO 8601 with seconds."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now_iso() -> str:
    """The current time as UTC ISO 8601 with seconds, the format stored everywhere."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
