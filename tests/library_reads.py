"""Watching the library for whole reads (every vector, the whole vocabulary): what a small
write must not cost the processes that keep them. Shared by tests/library and tests/gui."""

from __future__ import annotations

from typing import Any

import pytest


def watch_whole_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, every library opened records its whole-library reads in the list returned."""
    from workbench.core.library import store

    made: list[str] = []
    real = store.Library.open.__func__  # type: ignore[attr-defined]

    def opened(cls: type, *args: Any, **kwargs: Any) -> Any:
        lib = real(cls, *args, **kwargs)

        def trace(sql: str) -> None:
            if "FROM entries ORDER BY id" in sql or sql.endswith("FROM entries_vocab"):
                made.append(sql)

        lib._db.set_trace_callback(trace)
        return lib

    monkeypatch.setattr(store.Library, "open", classmethod(opened))
    return made
