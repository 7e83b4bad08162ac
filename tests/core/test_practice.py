"""Practice mode: exercise and key creation, nothing of the key in the exercise, grading
against hand-computed scores, the class table, and the `exercise` / `grade` commands."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from workbench.cli.main import main
from workbench.core.article.model import Article, Link
from workbench.core.claims.finder import ClaimCandidate
from workbench.core.errors import InvalidInputError, NotFoundError, ProjectError
from workbench.core.practice.exercise import (
    KEY_FORMAT,
    exercise_id,
    key_from_dict,
    load_key,
    make_exercise,
)
from workbench.core.practice.grade import (
    ClaimFeedback,
    Outcome,
    claim_scores,
    class_csv,
    class_row,
    compare,
    grade_file,
    grade_files,
)
from workbench.core.practice.stats import cohen_kappa, linear_weighted_kappa
from workbench.core.project.evaluation import record_evaluation
from workbench.core.project.scales import find_scale
from workbench.core.project.store import Project
from workbench.core.sources.snapshot import Snapshot

SENTENCES = [
    "The council approved a budget of 40 million on Monday.",
    "Unemployment fell to 4 percent last year.",
    "The mayor said the bridge opened in 1990.",
    "Crime rose by 12 percent in the city.",
    "The river flooded twice in 2019.",
    "Tax revenue doubled since 2010.",
    "The school has 900 pupils.",
    "Bus fares will rise in June.",
    "The park covers 30 hectares.",
]
TEXT = " ".join(SENTENCES)
BUDGET = "https://example.gov/budget"
RESEARCH = "https://factcheck.example/research"
JOBS = "https://stats.example/jobs"

# The instructor's verdicts on claims 1..8 (claim 8 left unrated, claim 9 deleted).
KEY_RATINGS = {
    1: "true",
    2: "true",
    3: "false",
    4: "false",
    5: "mostly-true",
    6: "false",
    7: "false",
}
# Alice's ratings (claim 7 left unrated, claim 8 rated although the key does not rate it).
ALICE = {
    1: "true",
    2: "mostly-true",
    3: "false",
    4: "true",
    5: "mostly-true",
    6: "false",
    8: "true",
}
SECRETS = [
    "EARLIER-RATIONALE",
    "STATUS-NOTE-SECRET",
    "LINK-NOTE-SECRET",
    "SOURCE-NOTE-SECRET",
    "PUBLISHER-SECRET",
    "CITED-TITLE-SECRET",
    "CITED-NOTE-SECRET",
    "SNAPSHOT-TEXT-SECRET",
    "EVAL-BEHIND-SECRET",
    "instructor-name",
    RESEARCH,
    JOBS,
] + [f"KEY-RATIONALE-{i}" for i in KEY_RATINGS]


def _article() -> Article:
    start = TEXT.index("budget")
    return Article(
        title="City news",
        byline="A. Reporter",
        published="2024-01-02",
        url="https://news.example/city",
        text=TEXT,
        links=(Link(start, start + 6, BUDGET, "budget"),),
        raw=TEXT.encode(),
        source_kind="text",
        encoding="utf-8",
    )


def _candidates() -> list[ClaimCandidate]:
    out, pos = [], 0
    for i, sentence in enumerate(SENTENCES):
        start = TEXT.index(sentence, pos)
        pos = start + len(sentence)
        out.append(ClaimCandidate(start, pos, sentence, "fact", 0.5 + i / 100, ("number",), ()))
    return out


def _evaluate(project: Project, url: str, kind: str, independent: str, corroborated: str) -> None:
    source_id = next(s.id for s in project.sources() if s.url == url)
    data = {"kind": kind, "independent": independent, "corroborated": corroborated}
    record_evaluation(project, source_id, {**data, "behind": "EVAL-BEHIND-SECRET"})


@pytest.fixture()
def instructor(tmp_path: Path) -> Project:
    """A finished check with every kind of instructor data the exercise must not carry."""
    p = Project.create(tmp_path / "instructor.wbproj", _article(), _candidates())
    who = "instructor-name"
    p.set_verdict(1, "mostly-false", "EARLIER-RATIONALE", reviewer=who)
    for claim_id, rating in KEY_RATINGS.items():
        p.set_verdict(claim_id, rating, f"KEY-RATIONALE-{claim_id}", reviewer=who)
    p.set_status(3, "returned", note="STATUS-NOTE-SECRET", actor=who)
    p.attach_source(1, BUDGET, relation="supports", note="LINK-NOTE-SECRET", actor=who)
    budget_id = next(s.id for s in p.sources() if s.url == BUDGET)
    p.update_source(budget_id, notes="CITED-NOTE-SECRET", title="CITED-TITLE-SECRET")
    p.attach_source(4, RESEARCH, relation="refutes", actor=who)
    p.attach_source(2, JOBS, relation="supports", actor=who)
    research_id = next(s.id for s in p.sources() if s.url == RESEARCH)
    p.update_source(research_id, notes="SOURCE-NOTE-SECRET", publisher="PUBLISHER-SECRET")
    _evaluate(p, BUDGET, "official", "no", "yes")
    _evaluate(p, RESEARCH, "news", "yes", "yes")
    _evaluate(p, JOBS, "primary", "yes", "no")
    snap = Snapshot(BUDGET, "live", None, None, 200, "text/plain", b"SNAPSHOT-TEXT-SECRET body")
    p.add_snapshot(budget_id, snap, text="SNAPSHOT-TEXT-SECRET")
    p.delete_claim(9, actor=who)
    yield p
    p.close()


@pytest.fixture()
def made(instructor: Project, tmp_path: Path) -> tuple[Path, Path]:
    exercise, key = tmp_path / "exercise.wbproj", tmp_path / "key.json"
    make_exercise(instructor, exercise, key)
    return exercise, key


def _submit(exercise: Path, path: Path, ratings: dict[int, str], who: str) -> Path:
    shutil.copy(exercise, path)
    with Project.open(path) as p:
        for claim_id, rating in ratings.items():
            p.set_verdict(claim_id, rating, f"{who} thinks {claim_id}", reviewer=who)
    return path


@pytest.fixture()
def alice(made: tuple[Path, Path], tmp_path: Path) -> Path:
    path = _submit(made[0], tmp_path / "alice.wbproj", ALICE, "alice")
    with Project.open(path) as p:
        p.attach_source(4, RESEARCH + "/", relation="refutes")  # same source, trailing slash
        p.attach_source(5, "https://student.example/only", relation="context")
        _evaluate(p, BUDGET, "official", "no", "unsure")  # kind and independent match
        _evaluate(p, RESEARCH + "/", "news", "yes", "yes")  # all three match
        _evaluate(p, "https://student.example/only", "other", "no", "no")  # not in key
    return path


# ---------------------------------------------------------------------- the exercise file
def _all_text_cells(path: Path) -> list[tuple[str, str, str]]:
    """(table, column, value) for every text or blob cell of every table in the file."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        cells = []
        for table in tables:
            cur = conn.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cur.description]
            for row in cur:
                for name, value in zip(names, row, strict=True):
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "replace")
                    if isinstance(value, str):
                        cells.append((table, name, value))
        return cells
    finally:
        conn.close()


def test_exercise_holds_nothing_of_the_key(made: tuple[Path, Path]) -> None:
    exercise, _ = made
    cells = _all_text_cells(exercise)
    assert any(t == "articles" for t, _, _ in cells)  # the scan really reads the file
    for secret in SECRETS:
        leaks = [(t, c) for t, c, v in cells if secret in v]
        assert not leaks, f"{secret!r} leaked into {leaks}"
    # The ratings appear only in the scale definition, which the student needs to rate at all.
    conn = sqlite3.connect(exercise)
    scale_json = conn.execute("SELECT value FROM meta WHERE key = 'scale'").fetchone()[0]
    conn.close()
    for rating in set(KEY_RATINGS.values()) | {"mostly-false"}:
        leaks = [(t, c) for t, c, v in cells if rating in v and v != scale_json]
        assert not leaks, f"{rating!r} appears in {leaks}"
    # Belt and braces: not in the file's bytes at all (no free page, no journal left over).
    raw = exercise.read_bytes()
    for secret in SECRETS:
        assert secret.encode() not in raw
    assert not Path(f"{exercise}-wal").exists()
    conn = sqlite3.connect(exercise)
    try:
        for table in ("verdicts", "events", "snapshots"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
        assert (
            conn.execute("SELECT count(*) FROM sources WHERE evaluation IS NOT NULL").fetchone()[0]
            == 0
        )
        notes = conn.execute("SELECT notes, title, publisher FROM sources").fetchall()
        assert notes == [("", "", "")]
        statuses = conn.execute("SELECT DISTINCT status, status_note FROM claims").fetchall()
        assert statuses == [("unchecked", "")]
    finally:
        conn.close()


def test_exercise_keeps_article_claims_and_cited_links(
    instructor: Project, made: tuple[Path, Path]
) -> None:
    exercise, key_path = made
    key = load_key(key_path)
    with Project.open(exercise) as ex:
        assert ex.article().text == TEXT and ex.article_raw() == TEXT.encode()
        assert ex.article().links == instructor.article().links
        got = [(c.id, c.start, c.end, c.text, c.kind, c.score) for c in ex.claims()]
        want = [(c.id, c.start, c.end, c.text, c.kind, c.score) for c in instructor.claims()]
        assert got == want and len(got) == 8  # the deleted claim 9 is not carried over
        assert all(c.rating is None and c.status == "unchecked" for c in ex.claims())
        cited = ex.claim_sources(1)
        assert [(s.source.url, s.relation, s.note) for s in cited] == [
            (BUDGET, "cited", "Linked in the article as “budget”")
        ]
        assert [s.url for s in ex.sources()] == [BUDGET]
        assert exercise_id(ex) == key.exercise_id
        assert ex.scale.id == "truth6"
        assert ex.history() == []


def test_exercise_without_sources(instructor: Project, tmp_path: Path) -> None:
    make_exercise(
        instructor, tmp_path / "e.wbproj", tmp_path / "k.json", include_cited_sources=False
    )
    with Project.open(tmp_path / "e.wbproj") as ex:
        assert ex.sources() == [] and ex.claim_sources(1) == []


def test_answer_key_holds_the_instructors_decisions(made: tuple[Path, Path]) -> None:
    _, key_path = made
    data = json.loads(key_path.read_text("utf-8"))
    assert data["format"] == KEY_FORMAT and data["version"] == 1
    assert data["article"]["sha256"] == hashlib.sha256(TEXT.encode()).hexdigest()
    assert data["scale"]["id"] == "truth6"
    claims = {c["id"]: c for c in data["claims"]}
    assert sorted(claims) == [1, 2, 3, 4, 5, 6, 7, 8]
    for claim_id, rating in KEY_RATINGS.items():
        assert claims[claim_id]["rating"] == rating
        assert claims[claim_id]["rationale"] == f"KEY-RATIONALE-{claim_id}"  # newest verdict
    assert claims[8]["rating"] is None
    assert (claims[1]["start"], claims[1]["end"]) == (0, len(SENTENCES[0]))
    assert {"url": RESEARCH, "relation": "refutes"} in claims[4]["sources"]
    assert data["source_evaluations"][RESEARCH] == {
        "behind": "EVAL-BEHIND-SECRET",
        "kind": "news",
        "independent": "yes",
        "corroborated": "yes",
        "notes": "",
    }
    assert sorted(data["source_evaluations"]) == sorted([BUDGET, RESEARCH, JOBS])


def test_make_exercise_refuses_to_overwrite(instructor: Project, made: tuple[Path, Path]) -> None:
    exercise, key = made
    before = key.read_bytes()
    with pytest.raises(ProjectError, match="already exists"):
        make_exercise(instructor, exercise, key.with_name("other.json"))
    assert not key.with_name("other.json").exists()
    with pytest.raises(InvalidInputError, match="the project the exercise is made from"):
        make_exercise(instructor, instructor.path, key, overwrite=True)
    make_exercise(instructor, exercise, key, overwrite=True)
    assert key.read_bytes() != before  # a new exercise id


def test_load_key_refuses_bad_files(tmp_path: Path, made: tuple[Path, Path]) -> None:
    with pytest.raises(NotFoundError, match="no answer key"):
        load_key(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(InvalidInputError, match="its JSON is broken"):
        load_key(bad)
    data = json.loads(made[1].read_text("utf-8"))
    with pytest.raises(InvalidInputError, match="not a Workbench answer key"):
        key_from_dict({**data, "format": "something-else"})
    with pytest.raises(InvalidInputError, match="version 2"):
        key_from_dict({**data, "version": 2})
    with pytest.raises(InvalidInputError, match="damaged"):
        key_from_dict({k: v for k, v in data.items() if k != "claims"})
    data["claims"][0]["rating"] = "pants-on-fire"
    with pytest.raises(InvalidInputError, match="not on its scale"):
        key_from_dict(data)


# ---------------------------------------------------------------------- statistics
def test_cohen_kappa_two_by_two_by_hand() -> None:
    # Rows: rater A, columns: rater B.      B yes   B no   total
    #                               A yes      20      5      25
    #                               A no       10     15      25
    #                               total      30     20      50
    # p_o = (20 + 15) / 50 = 0.7
    # p_e = (25*30 + 25*20) / 50² = (750 + 500) / 2500 = 0.5
    # kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_kappa_degenerate_and_empty_cases() -> None:
    assert cohen_kappa([]) is None
    # Both used one and the same label throughout: p_e == 1, defined as 1.0 (they agreed).
    assert cohen_kappa([("a", "a")] * 3) == 1.0
    assert cohen_kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)
    assert linear_weighted_kappa([], 6) is None
    assert linear_weighted_kappa([(2, 2)] * 4, 6) == 1.0
    assert linear_weighted_kappa([(0, 0), (5, 5), (3, 3)], 6) == pytest.approx(1.0)


def _item(key: str | None, student: str | None) -> ClaimFeedback:
    scale = find_scale("truth6")
    step = scale.step(key, student) if key and student else None
    outcome = Outcome.AGREE if key == student else Outcome.DIFFER
    return ClaimFeedback(1, 0, 1, "x", outcome, key, "", "", student, "", "", step)


def test_within_one_counts_outside_the_order_only_when_identical() -> None:
    scale = find_scale("truth6")
    items = [
        _item("misleading", "misleading"),  # identical: exact and within one
        _item("misleading", "unverifiable"),  # both outside the order: neither
        _item("true", "misleading"),  # one outside: neither
        _item("true", "mostly-true"),  # one step on the order: within one only
        _item("true", "half-true"),  # two steps: neither
    ]
    scores = claim_scores(scale, items)
    assert scores["exact"] == pytest.approx(1 / 5)
    assert scores["within_one"] == pytest.approx(2 / 5)
    # Weighted kappa only sees the two ordinal pairs (0, 1) and (0, 2), six steps, w = |i-j|/5:
    # observed = (1/5 + 2/5) / 2 = 3/10
    # expected = [2*1*(1/5) + 2*1*(2/5)] / 2² = (6/5) / 4 = 3/10   (key: 0 twice; student: 1, 2)
    # weighted kappa = 1 - (3/10) / (3/10) = 0: no better than chance.
    assert scores["weighted_kappa"] == pytest.approx(0.0)
    # Plain kappa sees all five pairs: p_o = 1/5; key labels m,m,t,t,t; student m,u,m,mt,ht
    # p_e = (2*2 [misleading] + 3*0 [true]) / 25 = 4/25; kappa = (1/5 - 4/25) / (21/25) = 1/21
    assert scores["kappa"] == pytest.approx(1 / 21)


# ---------------------------------------------------------------------- grading
def test_feedback_claim_by_claim(made: tuple[Path, Path], alice: Path) -> None:
    key = load_key(made[1])
    feedback = grade_file(key, alice)
    assert feedback.student == "alice"
    outcomes = [(f.claim_id, f.outcome) for f in feedback.claims]
    assert outcomes == [
        (1, Outcome.AGREE),
        (2, Outcome.ONE_STEP),
        (3, Outcome.AGREE),
        (4, Outcome.DIFFER),
        (5, Outcome.AGREE),
        (6, Outcome.AGREE),
        (7, Outcome.NOT_RATED),
        (8, Outcome.NOT_IN_KEY),
    ]
    c4 = feedback.claims[3]
    assert (c4.key_label, c4.student_label, c4.step) == ("False", "True", 5)
    assert (c4.key_rationale, c4.student_rationale) == ("KEY-RATIONALE-4", "alice thinks 4")
    assert c4.text == SENTENCES[3]


def test_scores_against_a_hand_computed_example(made: tuple[Path, Path], alice: Path) -> None:
    key = load_key(made[1])
    s = grade_file(key, alice).scores
    # Key-rated claims: 1..7 (7 claims). Alice rated 1..6 of them.
    # Identical: 1, 3, 5, 6 -> exact = 4/7. One step: claim 2 -> within one = 5/7.
    assert (s.key_rated, s.rated) == (7, 6)
    assert s.exact == pytest.approx(4 / 7)
    assert s.within_one == pytest.approx(5 / 7)
    # Kappa over the 6 claims both rated. Rows: key, columns: Alice.
    #                  true  mostly-true  false   total
    #   true             1        1         0       2      (claims 1, 2)
    #   mostly-true      0        1         0       1      (claim 5)
    #   false            1        0         2       3      (claims 4; 3, 6)
    #   total            2        2         2       6
    # p_o = (1 + 1 + 2) / 6 = 2/3
    # p_e = (2*2 + 1*2 + 3*2) / 36 = 12/36 = 1/3
    # kappa = (2/3 - 1/3) / (1 - 1/3) = (1/3) / (2/3) = 0.5
    assert s.kappa == pytest.approx(0.5)
    # Linear weights on the six ordinal steps (true=0, mostly-true=1, false=5), w = |i-j|/5.
    # Observed weighted disagreement: claim 2 (0 vs 1) 1/5, claim 4 (5 vs 0) 5/5
    #   -> (1/5 + 1) / 6 = 1/5
    # Expected: sum of row_i * col_j * w_ij / 36
    #   = [2*2*(1/5) + 2*2*1 + 1*2*(1/5) + 1*2*(4/5) + 3*2*1 + 3*2*(4/5)] / 36
    #   = (4/5 + 4 + 2/5 + 8/5 + 6 + 24/5) / 36 = (88/5) / 36 = 22/45
    # weighted kappa = 1 - (1/5) / (22/45) = 1 - 9/22 = 13/22
    assert s.weighted_kappa == pytest.approx(13 / 22)
    # Sources both evaluated: budget (kind, independent match: 2/3) and research (3/3).
    # The student-only source and the key-only jobs source are not scored: 5/6.
    assert s.sources_compared == 2
    assert s.source_agreement == pytest.approx(5 / 6)


def test_source_feedback_side_by_side(made: tuple[Path, Path], alice: Path) -> None:
    feedback = grade_file(load_key(made[1]), alice)
    by_url = {s.url: s for s in feedback.sources}
    assert sorted(by_url) == sorted([BUDGET, RESEARCH, JOBS])
    assert by_url[BUDGET].matched == ("kind", "independent")
    assert by_url[BUDGET].share == pytest.approx(2 / 3)
    assert by_url[BUDGET].student is not None and by_url[BUDGET].student["corroborated"] == "unsure"
    assert by_url[RESEARCH].share == 1.0
    assert by_url[JOBS].student is None and by_url[JOBS].share is None


def test_claims_are_matched_by_id_and_span(made: tuple[Path, Path], tmp_path: Path) -> None:
    path = _submit(made[0], tmp_path / "dave.wbproj", {}, "dave")
    with Project.open(path) as p:
        p.set_claim_span(1, 0, 20)  # same id, different span: no longer the key's claim 1
        p.set_verdict(1, "true", "", reviewer="dave")
    feedback = grade_file(load_key(made[1]), path)
    firsts = [(f.claim_id, f.start, f.end, f.outcome) for f in feedback.claims if f.claim_id == 1]
    assert firsts == [
        (1, 0, 20, Outcome.NOT_IN_KEY),
        (1, 0, len(SENTENCES[0]), Outcome.NOT_RATED),
    ]
    assert feedback.scores.rated == 0 and feedback.scores.kappa is None


def test_submission_for_another_key_is_refused(
    instructor: Project, made: tuple[Path, Path], alice: Path, tmp_path: Path
) -> None:
    other = make_exercise(instructor, tmp_path / "other.wbproj", tmp_path / "other.json")
    with pytest.raises(
        InvalidInputError, match="made from a different exercise than this answer key"
    ):
        grade_file(other, alice)
    with pytest.raises(InvalidInputError, match="not an exercise project"):
        compare(other, instructor)


def test_class_table_and_csv(made: tuple[Path, Path], alice: Path, tmp_path: Path) -> None:
    bob = _submit(made[0], tmp_path / "bob.wbproj", {1: "true"}, "bob")
    carol = _submit(made[0], tmp_path / "carol-draft.wbproj", {}, "carol")
    stray = tmp_path / "stray.wbproj"
    shutil.copy(made[0], stray)
    with Project.open(stray) as p:
        p.conn.execute("UPDATE meta SET value = '{\"id\": \"elsewhere\"}' WHERE key = 'exercise'")
    graded, refused = grade_files(load_key(made[1]), [alice, bob, carol, stray])
    assert [r.file for r in refused] == [stray]
    assert "different exercise" in refused[0].reason
    rows = [class_row(f) for f in graded]
    # Bob: 1 of 7 identical; kappa over one pair (true, true): p_e = 1, degenerate, so 1.0.
    # Carol rated nothing: named after her file, shares 0, kappa undefined (blank).
    assert class_csv(rows) == (
        "student,file,rated,exact,within_one,kappa,source_agreement\n"
        "alice,alice.wbproj,6,0.5714,0.7143,0.5000,0.8333\n"
        "bob,bob.wbproj,1,0.1429,0.1429,1.0000,\n"
        "carol-draft,carol-draft.wbproj,0,0.0000,0.0000,,\n"
    )


# ---------------------------------------------------------------------- CLI
def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_exercise_writes_both_and_refuses_overwrite(
    instructor: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ex, key = tmp_path / "cli.wbproj", tmp_path / "cli.json"
    code, out, err = run(["exercise", str(instructor.path), str(ex), str(key)], capsys)
    assert code == 0, err
    assert "8 claims" in out and "7 rated claims" in out
    assert ex.exists() and load_key(key).exercise_id
    code, _, err = run(["exercise", str(instructor.path), str(ex), str(key)], capsys)
    assert code == 1 and "already exists" in err and "Traceback" not in err
    code, _, _ = run(["exercise", str(instructor.path), str(ex), str(key), "--force"], capsys)
    assert code == 0
    code, _, _ = run(
        ["exercise", str(instructor.path), str(ex), str(key), "--force", "--no-sources"], capsys
    )
    with Project.open(ex) as p:
        assert code == 0 and p.sources() == []


def test_cli_grade_table_json_and_csv(
    made: tuple[Path, Path], alice: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bob = _submit(made[0], tmp_path / "bob.wbproj", {1: "true"}, "bob")
    csv_path = tmp_path / "class.csv"
    code, out, err = run(
        ["grade", str(made[1]), str(alice), str(bob), "--csv", str(csv_path)], capsys
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == [
        "student",
        "file",
        "rated",
        "exact",
        "within",
        "1",
        "kappa",
        "sources",
    ]
    assert lines[1].split() == ["alice", "alice.wbproj", "6/7", "57%", "71%", "0.50", "83%"]
    assert lines[2].split() == ["bob", "bob.wbproj", "1/7", "14%", "14%", "1.00", "-"]
    assert csv_path.read_text("utf-8").startswith("student,file,rated,exact,within_one,kappa")
    code, out, _ = run(["grade", str(made[1]), str(alice), "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and len(data) == 1
    assert data[0]["student"] == "alice" and data[0]["kappa"] == pytest.approx(0.5)
    assert data[0]["exact"] == pytest.approx(4 / 7)


def test_cli_grade_refuses_foreign_submission(
    instructor: Project, made: tuple[Path, Path], alice: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["grade", str(made[1]), str(alice), str(instructor.path)], capsys)
    assert code == 1
    assert "instructor.wbproj is not an exercise project" in err and "Traceback" not in err
    assert "alice.wbproj" in out  # the good submission is still graded
    code, _, err = run(["grade", str(made[0]), str(alice)], capsys)
    assert code == 1 and "not a Workbench answer key" in err


def test_unfinished_instructor_evaluation_stops_the_exercise(
    instructor: Project, tmp_path: Path
) -> None:
    source_id = next(s.id for s in instructor.sources() if s.url == JOBS)
    instructor.update_source(source_id, evaluation={"kind": "news"})  # written by another tool
    ex, key = tmp_path / "e.wbproj", tmp_path / "k.json"
    with pytest.raises(InvalidInputError, match=f"Source {source_id} .* unfinished evaluation"):
        make_exercise(instructor, ex, key)
    assert not ex.exists() and not key.exists()


def test_grading_leaves_the_students_file_untouched(made: tuple[Path, Path], alice: Path) -> None:
    """Grading opens submissions read-only: not even the journal mode of the file changes."""
    import sqlite3

    conn = sqlite3.connect(alice)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = alice.read_bytes()
    grade_file(load_key(made[1]), alice)
    assert alice.read_bytes() == before
    assert not alice.with_name(alice.name + "-wal").exists()
