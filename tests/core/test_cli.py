"""Every CLI command, run as a user would: exact commands, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def seed_project(tmp_path: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    project = tmp_path / "seed.wbproj"
    code, _out, _ = run(["new", str(project), str(seed_path)], capsys)
    assert code == 0
    return project


def test_new_prints_claim_count_and_path(
    tmp_path: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "seed.wbproj"
    code, out, err = run(["new", str(project), str(seed_path)], capsys)
    assert code == 0, err
    count, path = out.strip().split("\t")
    assert int(count.split()[0]) > 40
    assert Path(path) == project and project.exists()


def test_new_refuses_to_overwrite_without_force(
    seed_project: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["new", str(seed_project), str(seed_path)], capsys)
    assert code == 1 and "already exists" in err and "Traceback" not in err
    code, _, _ = run(["new", str(seed_project), str(seed_path), "--force"], capsys)
    assert code == 0


def test_article_json(seed_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["article", str(seed_project), "--json"], capsys)
    data = json.loads(out)
    assert code == 0
    assert data["title"] == "Russia Teams Up With Islamic State Against Syria’s Rebels"
    assert data["byline"] == "Kyle Orton"
    assert data["published"] == "2015-10-11"
    assert "Pingback" not in data["text"]
    assert set(data) >= {"title", "byline", "published", "url", "text", "links"}


def test_claims_json_and_min_score(seed_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["claims", str(seed_project), "--json"], capsys)
    claims = json.loads(out)
    assert code == 0 and claims
    needed = {
        "id",
        "start",
        "end",
        "text",
        "kind",
        "score",
        "reasons",
        "quotes",
        "status",
        "verdict",
    }
    assert needed <= set(claims[0])
    _, out, _ = run(["article", str(seed_project), "--json"], capsys)
    text = json.loads(out)["text"]
    for c in claims:
        assert text[c["start"] : c["end"]] == c["text"]
    _, out, _ = run(["claims", str(seed_project), "--json", "--min-score", "0.6"], capsys)
    high = json.loads(out)
    assert 0 < len(high) < len(claims)
    assert all(c["score"] >= 0.6 for c in high)
    code, out, _ = run(["claims", str(seed_project)], capsys)
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == len(claims)
    assert lines[0].split("\t")[0] == str(claims[0]["id"])


def test_verdict_and_source_commands(
    seed_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(["claims", str(seed_project), "--json"], capsys)
    cid = json.loads(out)[0]["id"]
    code, out, err = run(
        ["verdict", str(seed_project), str(cid), "mostly-true", "--note", "Close.", "--by", "Ann"],
        capsys,
    )
    assert code == 0, err
    assert "Mostly true" in out
    code, out, err = run(
        [
            "source",
            str(seed_project),
            str(cid),
            "https://example.org/report",
            "--relation",
            "supports",
            "--note",
            "para 3",
        ],
        capsys,
    )
    assert code == 0, err
    _, out, _ = run(["claims", str(seed_project), "--json"], capsys)
    claim = next(c for c in json.loads(out) if c["id"] == cid)
    assert claim["verdict"] == "mostly-true"
    assert claim["rationale"] == "Close."
    assert claim["rated_by"] == "Ann"
    assert claim["sources"] >= 1
    code, out, _ = run(["history", str(seed_project), str(cid)], capsys)
    assert code == 0 and "rated claim" in out and "attached source" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["verdict", "{p}", "1", "sort-of"], "not a rating"),
        (["verdict", "{p}", "99999", "true"], "no claim 99999"),
        (["source", "{p}", "1", "not a url"], "web address"),
        (["claims", "{missing}"], "no project file"),
        (["claims", "{seed}"], "not a Workbench project"),
        (["new", "{out}", "{missing}"], ""),
    ],
)
def test_user_mistakes_give_one_line_and_non_zero_exit(
    seed_project: Path,
    seed_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    subst = {
        "{p}": str(seed_project),
        "{missing}": str(tmp_path / "missing.txt"),
        "{seed}": str(seed_path),
        "{out}": str(tmp_path / "out.wbproj"),
    }
    code, _out, err = run([subst.get(a, a) for a in args], capsys)
    assert code != 0
    assert err.startswith("workbench: ") and err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in err


def test_console_script_runs_as_a_process(tmp_path: Path, seed_path: Path) -> None:
    """The installed entry point and `python -m workbench` behave the same, no traceback."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-m", "workbench", "claims", str(tmp_path / "none.wbproj")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith("workbench: ") and "Traceback" not in proc.stderr
