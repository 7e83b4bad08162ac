"""Words shared by every message the program writes."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str = "") -> str:
    """'1 claim', '2 claims', '1,200 copies': the number with the noun agreeing with it."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
