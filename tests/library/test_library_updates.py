"""A process keeps the library's vectors and vocabulary; after a small write (a verdict edited,
undone, redone; another window's write; a team mirror's pull) it updates them from the changes
log instead of reading everything again, and ends where a fresh read would."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from library_reads import watch_whole_reads

from workbench.core.library import store
from workbench.core.library.model import KIND_PROJECT, FactCheck
from workbench.core.library.store import Library

FEED = [
    FactCheck(f"The harbour levy rose by {i}% in {2000 + i}.", url=f"https://x.example/{i}")
    for i in range(30)
] + [
    FactCheck("Dogs were banned from every park in Riverton.", url="https://x.example/dogs"),
    FactCheck(
        "A shark swam down the flooded highway.", url="https://x.example/shark", title="Shark"
    ),
]


def fresh(path: Path) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """What a process that never read the library gets."""
    store._MATRIX_CACHE.clear()
    store._VOCAB_CACHE.clear()
    with Library.open(path) as lib:
        ids, matrix = lib.vectors()
        return ids.copy(), matrix.copy(), dict(lib.document_frequencies())


def kept(path: Path) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    with Library.open(path) as lib:
        ids, matrix = lib.vectors()
        return ids, matrix, lib.document_frequencies()


def assert_same(a: tuple[np.ndarray, np.ndarray, dict[str, int]], b: tuple) -> None:
    assert a[0].tolist() == b[0].tolist()
    assert np.array_equal(a[1], b[1])
    assert a[2] == b[2]


@pytest.fixture()
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The whole-library reads made (of every vector, of the whole vocabulary)."""
    return watch_whole_reads(monkeypatch)


def verdicts(*texts: str, rating: str = "False") -> dict[int, FactCheck]:
    return {i + 1: FactCheck(t, rating=rating) for i, t in enumerate(texts)}


def test_small_writes_update_what_a_process_keeps(tmp_path: Path, reads: list[str]) -> None:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.add_imported(FEED, "feed")
        lib.sync_project("/p.wbproj", verdicts("The mayor owns three yachts."))
    kept(path)  # read once (and the verdict embedded)
    reads.clear()

    steps = [
        # a verdict added, its rating changed, its words changed (as undo and redo do too)
        lambda lib: lib.sync_project(
            "/p.wbproj", verdicts("The mayor owns three yachts.", "Bridge tolls doubled in 2019.")
        ),
        lambda lib: lib.sync_project(
            "/p.wbproj",
            verdicts(
                "The mayor owns three yachts.", "Bridge tolls doubled in 2019.", rating="True"
            ),
        ),
        lambda lib: lib.sync_project(
            "/p.wbproj", verdicts("The mayor owns four yachts.", "Bridge tolls doubled in 2019.")
        ),
        lambda lib: lib.sync_project("/p.wbproj", verdicts("The mayor owns four yachts.")),
        # a second project (another window), a small import and its removal
        lambda lib: lib.sync_project("/q.wbproj", verdicts("Riverton banned dogs from parks.")),
        lambda lib: lib.add_imported(
            [FactCheck("Ferries stop at midnight.", url="https://f")], "f2"
        ),
        lambda lib: lib.remove_origin("import", "f2"),
        lambda lib: lib.remove_origin(KIND_PROJECT, "/q.wbproj"),
    ]
    for step in steps:
        with Library.open(path) as other:  # another connection, as another window's job
            step(other)
        after = kept(path)
        assert not reads, reads  # nothing read whole
        assert_same(after, fresh(path))
        kept(path)  # fresh() emptied the caches: fill them again
        reads.clear()
    assert "yacht" in after[2] and "ferri" not in after[2] and "riverton" in after[2]


def test_a_mirrors_small_pull_updates_and_a_gap_reads_again(
    tmp_path: Path, reads: list[str]
) -> None:
    path = tmp_path / "mirror.sqlite"
    checks = Library.embed_checks([(f"k{i}", c) for i, c in enumerate(FEED)])
    rows = [
        (f"k{i}", "import", "feed", None, f"d{i}", checks[f"k{i}"], c) for i, c in enumerate(FEED)
    ]
    with Library.open(path) as lib:
        lib.apply_changes(rows, [], {"server_seq": "1"})
    kept(path)
    reads.clear()
    with Library.open(path) as lib:
        changed = (
            "k0",
            "import",
            "feed",
            None,
            "e0",
            None,
            FactCheck("Tolls fell by 3%.", url="u"),
        )
        lib.apply_changes([changed], ["k1", "k2"], {"server_seq": "2"})
    after = kept(path)
    assert not reads, reads
    assert_same(after, fresh(path))
    kept(path)
    reads.clear()
    # A write that was not logged (an older Workbench, or a large one): everything is read again.
    db = sqlite3.connect(path)
    db.execute("UPDATE entries SET rating = 'Odd' WHERE id = 5")
    db.execute(store._BUMP)
    db.commit()
    db.close()
    kept(path)
    assert len(reads) == 2  # the vectors and the vocabulary, whole


def test_the_log_keeps_the_last_writes_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "LOG_KEEP", 3)
    monkeypatch.setattr(store, "LOG_AT_MOST", 5)
    with Library.open(tmp_path / "lib.sqlite") as lib:
        for i in range(6):
            lib.sync_project("/p.wbproj", verdicts(f"Claim number {i} is here."))
        generations = {row[0] for row in lib._db.execute("SELECT generation FROM changes")}
        assert generations == set(range(lib.generation() - 2, lib.generation() + 1))
        lib.add_imported(FEED, "feed")  # 32 entries: more than LOG_AT_MOST, not logged
        assert lib.generation() not in {
            row[0] for row in lib._db.execute("SELECT generation FROM changes")
        }


@pytest.mark.parametrize("held", [False, True])
def test_vectors_updated_equal_a_fresh_matrix_and_spare_rows_in_use(held: bool) -> None:
    """Rows replaced, removed, added between others or after them, all at once or none: the
    update equals the matrix made anew. Rows in use (a view held, as by a search in another
    thread) are never changed; unheld, the update works in place."""
    from workbench.core.embedding import DIMENSIONS

    rng = np.random.default_rng(7)
    in_place = 0
    for trial in range(300):
        n = int(rng.integers(0, 12))
        ids = np.sort(rng.choice(40, n, replace=False)) + 1
        rows = rng.standard_normal((n, DIMENSIONS)).astype(np.float16)
        table = {int(i): rows[k] for k, i in enumerate(ids)}
        start = store._Vectors.of(1, ids, rows)
        start.ids[start.n :] = -1  # the room: never read
        changed = sorted({int(i) for i in rng.choice(60, int(rng.integers(0, 6))) + 1})
        for i in changed:
            roll = rng.random()
            if roll < 0.3:
                table.pop(i, None)
            elif roll < 0.5 and i in table:
                pass  # the same vector (a rating changed)
            else:
                table[i] = rng.standard_normal(DIMENSIONS).astype(np.float16)
        new_ids = np.asarray([i for i in changed if i in table], dtype=np.int64)
        new_rows = np.asarray([table[i] for i in new_ids], dtype=np.float16)
        new_rows = new_rows.reshape(-1, DIMENSIONS)
        views = start.view() if held else None
        copies = (start.view()[0].copy(), start.view()[1].copy())
        buffer = id(start.rows)  # not a reference: one would count as a holder
        got = start.updated(2, changed, new_ids, new_rows)
        in_place += id(got.rows) == buffer
        got_ids, got_rows = got.view()
        want = sorted(table)
        assert got_ids.tolist() == want, trial
        expected = np.asarray([table[i] for i in want], dtype=np.float32)
        assert np.array_equal(got_rows, expected.reshape(-1, DIMENSIONS)), trial
        if views is not None:
            assert np.array_equal(views[0], copies[0]) and np.array_equal(views[1], copies[1])
    assert in_place > 100  # held or not, most updates (appends; in place when unheld) copy nothing
