"""`-o /dev/null`, `-o /dev/stdout` or a named pipe: the report or export is written into it,
never renamed over it (run as root, the rename made /dev/null a plain file for every program
on the machine)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from test_report_fixtures import build_small

from workbench.core.files import write_text_atomic
from workbench.core.report.export import write_report


def _drain(fifo: Path, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with fifo.open("rb") as fh:
            into.append(fh.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_a_report_to_a_named_pipe_goes_into_the_pipe(tmp_path: Path, fmt: str) -> None:
    project = build_small(tmp_path / "p.wbproj")
    fifo = tmp_path / "out.pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _drain(fifo, got)
    try:
        write_report(project, fmt, fifo)
    finally:
        project.close()
    reader.join(timeout=10)
    assert stat.S_ISFIFO(fifo.stat().st_mode), "the pipe was replaced by a plain file"
    assert got and len(got[0]) > 100
    assert not [p for p in tmp_path.iterdir() if ".writing-" in p.name]


def test_a_plain_file_is_still_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    target.write_text("old", encoding="utf-8")
    write_text_atomic(target, "new", what="The table")
    assert target.read_text(encoding="utf-8") == "new"
