"""A ClaimReview feed file for tests: the JSON Lines shape aggregators publish."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path


def write_feed(path: Path, rows: Iterable[tuple[str, str, str]]) -> Path:
    """One ClaimReview per (url, claim reviewed, rating) by "Example Desk"."""
    path.write_text(
        "\n".join(
            json.dumps(
                {
                    "@type": "ClaimReview",
                    "url": url,
                    "claimReviewed": claim,
                    "reviewRating": {"alternateName": rating},
                    "author": {"name": "Example Desk"},
                }
            )
            for url, claim, rating in rows
        ),
        "utf-8",
    )
    return path
