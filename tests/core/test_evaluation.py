"""The lateral-reading checklist: validation messages, one-line summaries, storage on a source,
and the `evaluate` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli.main import main
from workbench.core.article.model import Article
from workbench.core.claims.finder import ClaimCandidate
from workbench.core.errors import InvalidInputError, NotFoundError
from workbench.core.project.evaluation import (
    KINDS,
    SourceEvaluation,
    evaluation_of,
    record_evaluation,
    summary,
    validate_evaluation,
)
from workbench.core.project.store import Project

TEXT = "The minister said exports grew by 8 percent."
GOOD = {"kind": "news", "behind": "Reuters", "independent": "yes", "corroborated": "unsure"}


@pytest.fixture()
def project(tmp_path: Path) -> Project:
    article = Article("T", "", None, None, TEXT, raw=TEXT.encode())
    p = Project.create(
        tmp_path / "p.wbproj", article, [ClaimCandidate(0, len(TEXT), TEXT, "fact", 0.8)]
    )
    p.attach_source(1, "https://example.org/exports")
    yield p
    p.close()


def test_validate_accepts_ids_labels_and_any_case() -> None:
    ev = validate_evaluation(
        {
            "kind": "  News Report ",
            "behind": "  Reuters ",
            "independent": "YES",
            "corroborated": "Unsure",
        }
    )
    assert ev == SourceEvaluation("news", "yes", "unsure", "Reuters", "")
    assert validate_evaluation({**GOOD, "kind": "Primary document"}).kind == "primary"
    assert {validate_evaluation({**GOOD, "kind": k}).kind for k in KINDS} == set(KINDS)
    assert ev.to_dict() == {
        "behind": "Reuters",
        "kind": "news",
        "independent": "yes",
        "corroborated": "unsure",
        "notes": "",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**GOOD, "kind": "blog"}, "'blog' is not a kind of source; use one of: primary, official"),
        ({**GOOD, "independent": "maybe"}, "'maybe' is not an answer to 'independent of the"),
        ({**GOOD, "corroborated": "no way"}, "use yes, no or unsure"),
        ({k: v for k, v in GOOD.items() if k != "kind"}, "needs an answer for 'kind'"),
        ({**GOOD, "corroborated": ""}, "needs an answer for 'corroborated'"),
        ({**GOOD, "score": 3}, "has no field score"),
        ({**GOOD, "behind": "x" * 301}, "'behind' is 301 characters long; keep it under 300"),
        ({**GOOD, "notes": 42}, "'notes' must be text"),
    ],
)
def test_validate_refuses_with_a_clear_sentence(data: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        validate_evaluation(data)
    assert message in str(info.value)
    assert str(info.value).endswith(".") and "\n" not in str(info.value)


def test_summary_lines() -> None:
    assert summary(GOOD) == "News report · independent · corroboration unclear · by: Reuters"
    assert (
        summary({"kind": "official", "independent": "no", "corroborated": "yes"})
        == "Official statement · not independent · corroborated"
    )
    ev = SourceEvaluation("social", "unsure", "no", "an anonymous account")
    assert summary(ev) == (
        "Social media · independence unclear · not corroborated · by: an anonymous account"
    )
    assert summary(None) == "Not evaluated"
    assert summary({"kind": "news"}) == "Evaluation incomplete"


def test_record_stores_json_and_clears(project: Project) -> None:
    source_id = project.sources()[0].id
    assert evaluation_of(project.source(source_id)) is None
    ev = record_evaluation(project, source_id, {**GOOD, "notes": " wire copy "}, actor="sam")
    assert ev is not None and ev.notes == "wire copy"
    raw = project.conn.execute("SELECT evaluation FROM sources WHERE id = ?", (source_id,))
    assert json.loads(raw.fetchone()[0]) == ev.to_dict()
    assert evaluation_of(project.source(source_id)) == ev
    assert project.history()[-1].action == "source-edit" and project.history()[-1].actor == "sam"
    with pytest.raises(InvalidInputError):
        record_evaluation(project, source_id, {**GOOD, "kind": "rumour"})
    assert evaluation_of(project.source(source_id)) == ev  # a refused edit changes nothing
    assert record_evaluation(project, source_id, None) is None
    assert project.source(source_id).evaluation is None
    with pytest.raises(NotFoundError):
        record_evaluation(project, 999, GOOD)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_evaluate(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path, source_id = str(project.path), str(project.sources()[0].id)
    args = ["evaluate", path, source_id, "--kind", "news", "--behind", "Reuters"]
    args += ["--independent", "yes", "--corroborated", "unsure", "--notes", "checked the wire"]
    code, out, err = run(args, capsys)
    assert code == 0, err
    assert out.strip() == (
        f"Source {source_id}: News report · independent · corroboration unclear · by: Reuters"
    )
    stored = project.source(int(source_id)).evaluation
    assert stored is not None and stored["notes"] == "checked the wire"

    code, _, err = run([*args[:4], "blog", *args[5:]], capsys)
    assert code == 1 and "'blog' is not a kind of source" in err and "Traceback" not in err
    code, _, err = run(["evaluate", path, source_id, "--kind", "news"], capsys)
    assert code == 1 and "needs an answer for 'independent'" in err
    code, _, err = run(["evaluate", path, "99", *args[3:]], capsys)
    assert code == 1 and "no source 99" in err
    code, _, err = run(["evaluate", path, source_id, "--clear", "--kind", "news"], capsys)
    assert code == 1 and "not both" in err

    code, out, _ = run(["evaluate", path, source_id, "--clear"], capsys)
    assert code == 0 and out.strip() == f"Source {source_id}: Not evaluated"
    assert project.source(int(source_id)).evaluation is None
