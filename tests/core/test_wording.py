"""Counts agree with their nouns everywhere a message counts something."""

from __future__ import annotations

from workbench.core.wording import counted


def test_one_is_singular_and_others_plural() -> None:
    assert counted(1, "claim") == "1 claim"
    assert counted(0, "claim") == "0 claims"
    assert counted(2, "copy", "copies") == "2 copies"
    assert counted(1200, "word") == "1,200 words"
