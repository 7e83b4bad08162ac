"""`workbench library …` as a user runs it: import, search (one claim or a JSON Lines batch),
stats, remove; mistakes end in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli.main import main

ROOT = Path(__file__).resolve().parents[2]

FEED = [
    {
        "@type": "ClaimReview",
        "url": "https://x.example/1",
        "claimReviewed": "The bridge cost 40 million euros.",
        "reviewRating": {"alternateName": "Mostly true"},
        "author": {"name": "Desk A"},
        "datePublished": "2023-05-01",
    },
    {
        "@type": "ClaimReview",
        "url": "https://x.example/2",
        "claimReviewed": "The mayor owns three yachts.",
        "reviewRating": {"alternateName": "False"},
        "author": {"name": "Desk B"},
    },
]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in FEED) + "\n{broken\n", "utf-8")
    return path


def test_import_search_stats_remove(
    feed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["library", "import", str(feed)], capsys)
    assert code == 0
    assert out.strip() == f"{feed}: 2 added, 0 updated, 0 unchanged, 1 bad"
    assert "line 3: not JSON" in err
    code, out, _ = run(["library", "import", str(feed)], capsys)
    assert "0 added, 0 updated, 2 unchanged, 1 bad" in out

    code, out, _ = run(["library", "search", "Does the mayor own 3 yachts?", "--json"], capsys)
    data = json.loads(out)
    best = data["matches"][0]
    assert (best["url"], best["rating"], best["publisher"]) == (
        "https://x.example/2",
        "False",
        "Desk B",
    )
    assert 0 < best["score"] <= 1

    queries = tmp_path / "q.jsonl"
    queries.write_text(
        json.dumps({"id": "b", "text": "bridge cost 40 million"})
        + "\n"
        + json.dumps({"id": 7, "text": "mayor yachts"})
        + "\n",
        "utf-8",
    )
    code, out, _ = run(
        ["library", "search", "--queries", str(queries), "--json", "--limit", "1"], capsys
    )
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == ["b", 7]
    assert [line["matches"][0]["url"] for line in lines] == [
        "https://x.example/1",
        "https://x.example/2",
    ]
    assert set(lines[0]["matches"][0]) >= {
        "url",
        "claim_reviewed",
        "rating",
        "publisher",
        "date",
        "score",
        "same_claim",
        "shown_as",
    }
    assert lines[0]["matches"][0]["shown_as"] in {"match", "related", "hidden"}
    assert len(lines[0]["matches"]) == 1

    code, out, _ = run(["library", "search", "mayor yachts"], capsys)
    first = out.splitlines()[0].split("\t")
    # The first column: the chance that it checks this very claim, as a percentage.
    assert (
        int(first[0].strip(" <>%")) >= 50
        and first[0].endswith("%")
        and first[1:]
        == [
            "False · Desk B",
            "The mayor owns three yachts.",
            "https://x.example/2",
        ]
    )

    # One ranker alone (for comparison) has no calibrated chance: its own score, no same_claim.
    code, out, _ = run(["library", "search", "mayor yachts", "--method", "bm25", "--json"], capsys)
    assert code == 0 and not {"same_claim", "shown_as"} & set(json.loads(out)["matches"][0])
    code, out, _ = run(["library", "search", "mayor yachts", "--method", "bm25"], capsys)
    assert float(out.splitlines()[0].split("\t")[0]) >= 0  # a score, not a percentage

    code, out, _ = run(["library", "stats"], capsys)
    assert out.splitlines()[0].startswith("2 fact checks in ")
    assert os.environ["WORKBENCH_LIBRARY"] in out

    code, out, _ = run(["library", "remove", "--source", str(feed)], capsys)
    assert out.strip() == f"2 fact checks from {feed} removed"
    code, out, _ = run(["library", "search", "mayor yachts"], capsys)
    assert out.strip() == "No fact check in the library matches."


def test_project_verdicts_through_the_cli(
    tmp_path: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "seed.wbproj"
    assert run(["new", str(project), str(seed_path)], capsys)[0] == 0
    assert run(["verdict", str(project), "1", "false"], capsys)[0] == 0
    _, out, _ = run(["library", "add", str(project)], capsys)
    # `workbench verdict` indexed it already.
    assert out.strip() == f"{project}: 0 added, 0 updated, 1 unchanged"
    _, out, _ = run(["library", "remove", "--project", str(project)], capsys)
    assert out.startswith("1 fact checks")


def test_mistakes_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["library", "import", str(tmp_path / "missing.json")], capsys)
    assert code == 1 and err.strip() == f"workbench: No such file: {tmp_path / 'missing.json'}."
    bad = tmp_path / "bad.json"
    bad.write_text("{\n  broken", "utf-8")
    code, _, err = run(["library", "import", str(bad)], capsys)
    assert code == 1 and err.startswith("workbench: Not valid JSON") and err.count("\n") == 1
    code, _, err = run(["library", "search"], capsys)
    assert code == 1 and "--queries" in err
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": 1}\n', "utf-8")
    code, _, err = run(["library", "search", "--queries", str(queries), "--json"], capsys)
    assert code == 1 and "line 1" in err


def test_library_file_never_defaults_to_home_in_tests(tmp_path: Path, feed: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "WORKBENCH_LIBRARY"}
    env["WORKBENCH_SETTINGS_DIR"] = str(tmp_path / "settings")
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "library", "import", str(feed)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "settings" / "factcheck-library.sqlite").exists()


def _project_entries(project: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    from workbench.core.library.projects import project_origin
    from workbench.core.library.store import Library

    with Library.open() as library:
        ids = library.project_entries(project_origin(project))
        found = library.entries(sorted(ids.values()))
    return sorted(
        (e.check.claim_reviewed[:20], e.check.rating, e.check.sources) for e in found.values()
    )


def test_verdicts_and_sources_from_the_cli_reach_the_library(
    tmp_path: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "seed.wbproj"
    assert run(["new", str(project), str(seed_path)], capsys)[0] == 0
    library = Path(os.environ["WORKBENCH_LIBRARY"])
    run(["source", str(project), "1", "https://example.org/before"], capsys)
    assert not library.exists()  # nothing rated yet: no library file is made for nothing

    code, out, err = run(["verdict", str(project), "1", "false"], capsys)
    assert code == 0 and err == ""
    [(text, rating, sources)] = _project_entries(project)
    assert rating == "False" and "https://example.org/before" in sources
    _, out, _ = run(["library", "search", text, "--json"], capsys)
    assert json.loads(out)["matches"][0]["rating"] == "False"

    run(["verdict", str(project), "1", "true"], capsys)
    run(["source", str(project), "1", "https://example.org/after"], capsys)
    [(_, rating, sources)] = _project_entries(project)
    assert rating == "True" and "https://example.org/after" in sources
    run(["verdict", str(project), "2", "false"], capsys)
    assert [r for _, r, _ in _project_entries(project)] == ["False", "True"]


def test_a_library_that_cannot_be_written_does_not_lose_the_verdict(
    tmp_path: Path,
    seed_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = tmp_path / "seed.wbproj"
    assert run(["new", str(project), str(seed_path)], capsys)[0] == 0
    monkeypatch.setenv("WORKBENCH_LIBRARY", str(tmp_path))  # a folder, not a file
    code, out, err = run(["verdict", str(project), "1", "false"], capsys)
    assert code == 0 and out.strip() == "Claim 1: False (checked)"
    assert err.count("\n") == 1 and "cannot be opened" in err
    assert f"workbench library add {project}" in err
    _, out, _ = run(["claims", str(project)], capsys)
    assert "\tfalse\t" in out.splitlines()[0]


def test_nested_too_deeply_or_too_large_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """100,000 brackets (a .json) or 5,000 nested objects (a JSON Lines line, a page's JSON-LD
    block): before, a RecursionError traceback. A file past MAX_BYTES was read whole anyway."""
    import workbench.core.library.shapes as shapes

    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    code, out, err = run(["library", "import", str(deep)], capsys)
    assert (code, out) == (1, "")
    assert err == "workbench: deep.json is nested too deeply to be a ClaimReview file.\n"

    nested = '{"a": ' * 5_000 + "1" + "}" * 5_000
    lines = tmp_path / "deep.jsonl"
    lines.write_text(json.dumps(FEED[0]) + "\n" + nested + "\n", "utf-8")
    code, out, err = run(["library", "import", str(lines)], capsys)
    assert code == 0
    assert out == f"{lines}: 1 added, 0 updated, 0 unchanged, 1 bad\n"
    assert err == "  bad entry: line 2: nested too deeply to be a ClaimReview entry\n"

    page = tmp_path / "page.html"
    script = '<script type="application/ld+json">{}</script>'
    page.write_text(script.format(json.dumps(FEED[1])) + script.format(nested), "utf-8")
    code, out, err = run(["library", "import", str(page)], capsys)
    assert code == 0 and out.endswith(": 1 added, 0 updated, 0 unchanged, 1 bad\n")
    assert err == "  bad entry: JSON-LD block 2: nested too deeply to be a ClaimReview\n"

    monkeypatch.setattr(shapes, "MAX_BYTES", lines.stat().st_size - 1)
    code, out, err = run(["library", "import", str(lines)], capsys)
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert err.startswith("workbench: deep.jsonl is larger than ")
    assert "split it into smaller files" in err
