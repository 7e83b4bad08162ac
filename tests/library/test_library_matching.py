"""Matching claims against the library: paraphrases found, disagreeing numbers marked down, and
the user's own verdicts indexed and kept current."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.library.matching import Matcher
from workbench.core.library.model import FactCheck
from workbench.core.library.projects import index_project, remove_project
from workbench.core.library.store import Library
from workbench.core.library.text import clean_query, number_conflict, numbers
from workbench.core.project.create import new_project

LIBRARY = [
    FactCheck(
        "Unemployment in the region rose to 41% last year.",
        url="https://x.example/41",
        rating="False",
        publisher="Desk A",
    ),
    FactCheck(
        "Unemployment in the region rose to 14% last year.",
        url="https://x.example/14",
        rating="True",
        publisher="Desk B",
    ),
    FactCheck(
        "The city council banned dogs from all public parks.",
        url="https://x.example/dogs",
        rating="Misleading",
        publisher="Desk C",
    ),
    FactCheck(
        "A photo shows a shark swimming on a flooded highway after the hurricane.",
        url="https://x.example/shark",
        rating="Fake",
        publisher="Desk D",
    ),
]


def library(tmp_path: Path) -> Library:
    lib = Library.open(tmp_path / "lib.sqlite")
    lib.add_imported(LIBRARY, "test")
    return lib


def test_numbers_are_read_with_their_units() -> None:
    assert numbers("Rose 14% to $3.5 billion in 2019, up 1,200 from 7") == {
        "14%",
        "$3.5bn",
        "2019",
        "1200",
    }
    assert numbers("14 per cent of 41 percent") == {"14%", "41%"}
    assert number_conflict("It rose to 14%", "It rose to 41%") == (1.0, {"41%"})
    assert number_conflict("It rose to 14%", "It rose to 14% in 2020")[1] == {"2020"}
    assert number_conflict("It rose sharply", "It rose to 41%") == (0.0, set())


def test_number_mismatch_lowers_a_match(tmp_path: Path) -> None:
    with library(tmp_path) as lib:
        matches = Matcher(lib).search("Regional unemployment went up to 14% last year", 4)
    by_url = {m.entry.check.url: m for m in matches}
    right, wrong = by_url["https://x.example/14"], by_url["https://x.example/41"]
    assert matches[0] is right
    assert wrong.differing_numbers == ("41%",) and right.differing_numbers == ()
    # The wording is as close; only the figure differs, and it costs at least a third.
    assert abs(wrong.semantic - right.semantic) < 0.1
    assert wrong.score < right.score * 0.67


def test_paraphrase_found_by_meaning_and_words(tmp_path: Path) -> None:
    with library(tmp_path) as lib:
        matcher = Matcher(lib)
        (best, *_) = matcher.search(
            "Is it true that a shark was seen swimming on a flooded highway?"
        )
        assert best.entry.check.url == "https://x.example/shark"
        assert best.entry.check.rating == "Fake" and best.score > 0.5
        assert matcher.search("dogs banned in parks by the council")[0].entry.check.publisher == (
            "Desk C"
        )
        assert matcher.search_many(["anything"], 3, method="bm25") == [[]]


def test_tweet_tails_hashtags_and_joined_names_are_cleaned() -> None:
    text = "JoeBiden owns a mansion #BigHouse pic.twitter.com/x1 — Some One (@someone) May 5, 2020"
    assert clean_query(text) == "Joe Biden owns a mansion Big House — Some One."


def test_project_verdicts_are_indexed_and_follow_changes(tmp_path: Path, seed_path: Path) -> None:
    project = new_project(tmp_path / "seed.wbproj", seed_path)
    with project, Library.open(tmp_path / "lib.sqlite") as lib:
        claim = project.claims()[0]
        project.set_verdict(claim.id, "false", "The ministry denied it", reviewer="A. Checker")
        project.attach_source(claim.id, "https://source.example/denial", relation="refutes")
        report = index_project(lib, project)
        assert (report.added, report.updated) == (1, 0)
        (match,) = Matcher(lib).search(claim.text, 1)
        assert match.entry.kind == "project" and match.entry.claim_id == claim.id
        assert match.entry.check.rating == "False"
        assert match.entry.check.who == "A. Checker"
        assert match.entry.check.sources == ("https://source.example/denial",)
        assert match.entry.check.rationale == "The ministry denied it"

        project.set_verdict(claim.id, "true", "Confirmed after all", reviewer="A. Checker")
        assert index_project(lib, project).updated == 1
        (match,) = Matcher(lib).search(claim.text, 1)
        assert match.entry.check.rating == "True"
        assert match.entry.check.rationale == "Confirmed after all"
        # Unchanged project: nothing rewritten.
        assert index_project(lib, project).unchanged == 1

        project.set_verdict(claim.id, None)
        index_project(lib, project)
        assert lib.count() == 0

        project.set_verdict(claim.id, "false")
        index_project(lib, project)
        assert remove_project(lib, project.path) == 1


def test_own_entry_can_be_excluded(tmp_path: Path) -> None:
    with library(tmp_path) as lib:
        matcher = Matcher(lib)
        (first,) = matcher.search("The city council banned dogs from all public parks.", 1)
        (again,) = matcher.search_many(
            ["The city council banned dogs from all public parks."], 1, exclude=[{first.entry.id}]
        )
        assert all(m.entry.id != first.entry.id for m in again)


def test_a_version_1_library_gains_its_vocabulary_table(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite"
    with Library.open(path) as lib:
        lib.add_imported(LIBRARY, "test")
    db = sqlite3.connect(path)
    db.execute("DROP TABLE IF EXISTS entries_vocab")
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    with Library.open(path) as lib:
        assert lib.count() == len(LIBRARY)
        assert Matcher(lib).search("dogs banned from parks")[0].entry.check.publisher == "Desk C"


def test_soft_overlap_meets_other_forms_of_a_word_half_way() -> None:
    from workbench.core.library.soft import SoftOverlap, word_rows

    query = ["vaping", "causes", "cancer", "students"]
    near = frozenset({"vape", "cancer", "student"})
    far = frozenset({"bridge", "budget", "council"})
    soft = SoftOverlap(query, [1.0, 0.5, 2.0, 1.0], set(near | far))
    assert soft.mean_best(near) > soft.mean_best(far) + 0.2
    assert soft.query_side(near) > soft.query_side(far) + 0.2
    # Exact words come closest (vectors are unit length); no words: nothing found.
    assert abs(soft.best["cancer"] - 1.0) < 1e-5
    assert soft.mean_best(frozenset()) == 0.0 and soft.query_side(frozenset()) == 0.0
    assert SoftOverlap([], [], set(near)).mean_best(near) == 0.0
    # A word keeps its row (embedded once per process).
    first = word_rows(["vape", "cancer"])[1]
    matrix, again = word_rows(["cancer", "vape", "unseen-word-here"])
    assert again[:2] == first[::-1] and matrix.shape[0] > max(again)


def test_matching_features_are_the_shipped_models(tmp_path: Path) -> None:
    from workbench.core.library.matching import ABSOLUTE, FEATURES, ranker_weights

    model = ranker_weights()
    assert model["features"] == list(FEATURES) and FEATURES[-1] == "number_conflict"
    assert len(model["relative"]["weights"]) == len(FEATURES)
    assert model["absolute"]["features"] == [FEATURES[i] for i in ABSOLUTE]
    with library(tmp_path) as lib:
        [pool] = Matcher(lib).candidates(["Vaping unemployment rose to 41%"])
    assert pool and all(len(c.features) == len(FEATURES) for c in pool)


def test_a_small_library_searches_every_word_a_large_one_skips_common_ones() -> None:
    from workbench.core.library.matching import fts_query

    frequencies = {"mayor": 2, "yacht": 1, "own": 3, "three": 2}
    query = "The mayor owns three yachts"
    # Eight entries: every word counts (it used to keep only the rarest, "yachts").
    assert fts_query(query, frequencies, 8) == '"mayor" OR "owns" OR "three" OR "yachts"'
    big = {"mayor": 40, "yacht": 30, "own": 9_000, "three": 20_000, "harbour": 25}
    longer = "The mayor owns three yachts in the harbour"
    assert fts_query(longer, big, 100_000) == '"mayor" OR "yachts" OR "harbour"'
    # Words in more than 1% of the entries go, but never the three rarest: a query of common
    # words alone would otherwise be left with one of them.
    assert fts_query(query, big, 100_000) == '"mayor" OR "owns" OR "yachts"'
    common = {"covid": 9_000, "vaccine": 4_000, "mandate": 1_500, "school": 3_000}
    assert fts_query("COVID vaccine mandate at school", common, 100_000) == (
        '"vaccine" OR "mandate" OR "school"'
    )


def test_the_nearest_vectors_are_found_by_blocks_exactly() -> None:
    """top_columns searches only the blocks whose maxima are largest; it must pick the same
    columns as partitioning whole rows, also with a partial last block and planted winners in
    one block (where a wrong block choice would lose them)."""
    import numpy as np

    from workbench.core.library.matching import TOP_BLOCK, top_columns

    rng = np.random.default_rng(13)
    for columns in (40, 1_000, 20 * TOP_BLOCK * 4, 100_037):
        sims = rng.standard_normal((9, columns)).astype(np.float32)
        sims[0, 5:35] = 10.0 + np.arange(30)  # one block holds every winner of row 0
        found = top_columns(sims, 30)
        expected = np.argpartition(sims, -30, axis=1)[:, -30:]
        assert found.shape == (9, min(30, columns))
        for got, want in zip(found.tolist(), expected.tolist(), strict=True):
            assert set(got) == set(want)


def test_verdicts_without_a_vector_are_embedded_from_the_words_they_still_have(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search embeds the verdicts written without a vector in the same read of the table as
    the others' vectors. A verdict whose words change while it is being embedded (another
    window, a `workbench verdict`) keeps no vector made from its old words, and the next
    search embeds its new ones."""
    import numpy as np

    from workbench.core.embedding import embed

    origin = str(tmp_path / "desk.wbproj")
    dogs = FactCheck("Dogs were banned from every park in the city", rating="False")
    yachts = FactCheck("The mayor owns three yachts", rating="True")
    four = FactCheck("The mayor owns four yachts", rating="True")
    with library(tmp_path) as lib, Library.open(lib.path) as other:
        lib.sync_project(origin, {1: dogs, 2: yachts})
        real = Library._embed_many

        def embed_while_edited(items: list[tuple[str, FactCheck]]) -> dict[str, bytes]:
            other.sync_project(origin, {1: dogs, 2: four})
            return real(items)

        monkeypatch.setattr(Library, "_embed_many", staticmethod(embed_while_edited))
        ids, _ = lib.vectors()
        monkeypatch.undo()
        assert len(ids) == lib.count() == len(LIBRARY) + 2
        stored = dict(lib._db.execute("SELECT claim_id, vector FROM entries WHERE claim_id > 0"))
        assert stored[1] is not None and stored[2] is None
        entry = lib.project_entries(origin)[2]
        ids, matrix = lib.vectors()  # the last read was not kept: someone wrote meanwhile
        assert len(ids) == lib.count()
        vector = matrix[list(ids).index(entry)]
        assert np.allclose(vector, embed([four.claim_reviewed])[0], atol=2e-3)
        generation = lib.generation()
        again = lib.vectors()[1]  # kept (the same buffer), and nothing written
        assert again.base is matrix.base and lib.generation() == generation


def test_a_search_pauses_the_cycle_collector_and_leaves_it_as_it_was(tmp_path: Path) -> None:
    """Overlapping searches (a window's preload and its first match) pause it once and the last
    to finish restores it; a process that had turned it off keeps it off."""
    import gc

    from workbench.core.library.matching import gc_paused

    seen: list[bool] = []
    with library(tmp_path) as lib:
        real = lib.texts

        def texts(ids: list[int]) -> dict[int, tuple[str, str]]:
            seen.append(gc.isenabled())
            return real(ids)

        lib.texts = texts  # type: ignore[method-assign]
        assert gc.isenabled()
        Matcher(lib).search("dogs banned from parks")
        assert seen and not any(seen) and gc.isenabled()
        with gc_paused():
            with gc_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()  # the other search still runs
        assert gc.isenabled()
        gc.disable()
        try:
            Matcher(lib).search("dogs banned from parks")
            assert not gc.isenabled()
        finally:
            gc.enable()


def test_warm_up_keeps_the_vectors_and_vocabulary_and_stops_between_steps(tmp_path: Path) -> None:
    """What a window reads while idle, so that its first match waits for none of it; a window
    being closed stops it between steps (`between` raises)."""
    from workbench.core.library import store
    from workbench.core.library.matching import warm_up

    with library(tmp_path) as lib:
        key = str(lib.path.resolve())
    calls: list[int] = []

    class Cancelled(Exception):
        """Stands in for the window job's cancellation."""

    def between() -> None:
        calls.append(1)
        if len(calls) == 2:
            raise Cancelled

    with pytest.raises(Cancelled):
        warm_up(lib.path, between=between)
    assert key not in store._MATRIX_CACHE
    warm_up(lib.path)
    assert key in store._MATRIX_CACHE and key in store._VOCAB_CACHE
    warm_up(tmp_path / "none.sqlite")  # no library there: nothing read, no file made
    assert not (tmp_path / "none.sqlite").exists()


def test_a_practice_exercise_stays_out_of_the_library(tmp_path: Path, seed_path: Path) -> None:
    """A student's ratings are answers, not fact checks: indexed, they came back as "checked
    before" in the instructor's project and in the next student's exercise."""
    from workbench.core.library.projects import PRACTICE_NOT_INDEXED, project_origin
    from workbench.core.practice.exercise import make_exercise
    from workbench.core.project.store import Project

    instructor = new_project(tmp_path / "seed.wbproj", seed_path)
    exercise_path = tmp_path / "exercise.wbproj"
    with instructor:
        make_exercise(instructor, exercise_path, tmp_path / "key.json")
    with Project.open(exercise_path) as exercise, Library.open(tmp_path / "lib.sqlite") as lib:
        claim = exercise.claims()[0]
        exercise.set_verdict(claim.id, "false", "A student's answer")
        # What an earlier version indexed from the exercise goes too.
        lib.sync_project(project_origin(exercise_path), {claim.id: FactCheck(claim.text)})
        report = index_project(lib, exercise)
        assert report.problems == (PRACTICE_NOT_INDEXED,)
        assert lib.count() == 0


def test_the_chance_of_the_same_claim_rises_with_the_score_within_0_and_1() -> None:
    """The calibration keeps the ranking's order (increasing) and is a probability."""
    import numpy as np

    from workbench.core.library.matching import calibration, same_claim

    assert calibration()["slope"] > 0
    scores = np.concatenate([[0.0, 1e-12, 1e-6], np.linspace(0, 1, 2001), [1 - 1e-12, 1.0]])
    likely = same_claim(np.sort(scores))
    assert np.all(np.diff(likely) >= 0) and np.all((likely >= 0) & (likely <= 1))
    assert np.all(np.isfinite(likely))
    # Not the raw score: a "0.9" of the re-ranker is far from a 90% chance (dev: 23% were).
    assert same_claim([0.9])[0] < 0.5 < same_claim([0.999])[0]


def test_claims_of_one_article_are_not_each_others_earlier_checks(tmp_path: Path) -> None:
    """The Harbour Town sample opened twice (or a revision of it): the verdict on claim 2 ("the
    budget was passed by seven votes to two") is claim 2's earlier check, not claim 1's ("a
    £48.6 million budget approved") nor claim 3's. Every claim of an article used to share its
    headline as the verdict's title, and claim 1 showed "96% match"."""
    from workbench.core.library.projects import index_project_file
    from workbench.core.sample import SAMPLE_ARTICLE, sample_folder

    article = sample_folder() / SAMPLE_ARTICLE
    with new_project(tmp_path / "first.wbproj", article) as first:
        first.set_verdict(2, "mostly-true", "The minutes say 7-2")
    with Library.open(tmp_path / "lib.sqlite") as lib:
        index_project_file(lib, tmp_path / "first.wbproj")
        with new_project(tmp_path / "again.wbproj", article) as again:
            claims = {c.id: c.text for c in again.claims()}
        assert claims[2].startswith("The budget was passed by seven votes to two")
        found = dict(zip(claims, Matcher(lib).search_many(list(claims.values()), 3), strict=True))
    (same,) = found[2]
    assert same.strength == "match" and same.likely > 0.9 and same.entry.claim_id == 2
    for claim_id, matches in found.items():
        if claim_id != 2:
            assert all(m.strength != "match" for m in matches), (claim_id, matches)
    assert not found[1][0].strength and found[1][0].likely < 0.2


def test_a_version_2_library_drops_the_headline_of_project_verdicts(
    tmp_path: Path, seed_path: Path
) -> None:
    """Libraries written before version 3 kept the article's headline as each verdict's title,
    with a vector made from it: upgrading clears both (the next search embeds the claim alone)
    and leaves imported fact checks' titles alone."""
    import sqlite3

    path = tmp_path / "old.sqlite"
    project = new_project(tmp_path / "seed.wbproj", seed_path)
    with project, Library.open(path) as lib:
        lib.add_imported(
            [FactCheck("Dogs were banned from parks.", url="https://d", title="Dogs")], "t"
        )
        project.set_verdict(project.claims()[0].id, "false")
        index_project(lib, project)
        Matcher(lib).search("anything", 1)  # embeds the verdict
    db = sqlite3.connect(path)
    db.execute("UPDATE entries SET title = 'The headline' WHERE kind = 'project'")
    db.execute("DROP TABLE changes")
    db.execute("PRAGMA user_version=2")
    db.commit()
    db.close()
    with Library.open(path) as lib:
        rows = dict(lib._db.execute("SELECT kind, title FROM entries").fetchall())
        assert rows == {"import": "Dogs", "project": ""}
        assert (
            lib._db.execute("SELECT vector FROM entries WHERE kind='project'").fetchone()[0] is None
        )
        assert lib._db.execute("PRAGMA user_version").fetchone()[0] == 4
        tables = {row[0] for row in lib._db.execute("SELECT name FROM sqlite_master")}
        assert "changes" in tables  # version 4
        (match,) = Matcher(lib).search("Dogs banned", 1)
        assert match.entry.check.title == "Dogs"
        assert lib._db.execute("SELECT vector FROM entries WHERE kind='project'").fetchone()[0]


def test_a_rated_claim_keeps_its_published_earlier_check(tmp_path: Path) -> None:
    """The claim's own verdict is left out of its pool before the features are computed: it
    used to stay in as the "best" candidate every other fact check was measured against, so
    rating a claim turned the published check of the same claim from a match into 33%."""
    with library(tmp_path) as lib:
        claim = "The council has banned dogs from every public park in the city."
        lib.sync_project("/desk.wbproj", {1: FactCheck(claim, rating="False")})
        mine = set(lib.project_entries("/desk.wbproj").values())
        (found,) = Matcher(lib).search_many([claim], 3, exclude=[mine])
    assert found[0].entry.check.publisher == "Desk C" and found[0].strength == "match"
    assert all(m.entry.id not in mine for m in found)


def test_a_stored_vector_of_the_wrong_size_is_made_again_not_a_failed_search(
    tmp_path: Path,
) -> None:
    """A team mirror that pulled a damaged vector before pulls checked them (7 bytes, not 512):
    search raised ValueError on every query. Now the vector is embedded again from the words."""
    with library(tmp_path) as lib:
        lib._db.execute(
            "UPDATE entries SET vector = ? WHERE url = 'https://x.example/dogs'", (b"\0" * 7,)
        )
        lib._db.commit()
        matches = Matcher(lib).search("Dogs are banned from the city's parks")
        assert matches[0].entry.check.url == "https://x.example/dogs"
        sizes = {len(v) for (v,) in lib._db.execute("SELECT vector FROM entries")}
        assert sizes == {512}
