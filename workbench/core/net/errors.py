"""Why fetching an archived (or live) copy failed, in words a fact-checker can act on."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from enum import StrEnum

from workbench.core.errors import NetworkError


class FailureKind(StrEnum):
    NO_CAPTURE = "no-capture"
    NOT_A_MEMENTO = "not-a-memento"
    BLOCKED_BY_ARCHIVE = "blocked-by-archive"
    RATE_LIMITED = "rate-limited"
    SERVER_ERROR = "server-error"
    TIMEOUT = "timeout"
    TOO_LARGE = "too-large"
    BOMB = "bomb"
    REDIRECT_LOOP = "redirect-loop"
    REDIRECT_BLOCKED = "redirect-blocked"
    UNSUPPORTED_TYPE = "unsupported-type"
    DECODE_ERROR = "decode-error"
    NETWORK = "network"
    CANCELLED = "cancelled"
    HTTP_ERROR = "http-error"


# Kinds where trying again later can succeed without anyone changing anything.
RETRYABLE_KINDS = frozenset(
    {FailureKind.RATE_LIMITED, FailureKind.SERVER_ERROR, FailureKind.TIMEOUT, FailureKind.NETWORK}
)


def iso_after(seconds: float) -> str:
    """UTC ISO 8601 time `seconds` from now, the format stored everywhere."""
    moment = datetime.fromtimestamp(time.time() + seconds, UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


class FetchFailure(NetworkError):
    """A fetch that ended without a usable copy. str(failure) == failure.reason."""

    def __init__(
        self,
        kind: FailureKind,
        reason: str,
        *,
        retryable: bool | None = None,
        http_status: int | None = None,
        retry_at: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.retryable = kind in RETRYABLE_KINDS if retryable is None else retryable
        self.http_status = http_status
        self.retry_at = retry_at
        self.url = url

    def __str__(self) -> str:
        return self.reason

    def __repr__(self) -> str:
        return (
            f"FetchFailure({self.kind.name}, {self.reason!r}, retryable={self.retryable}, "
            f"http_status={self.http_status}, retry_at={self.retry_at!r})"
        )
