"""The command line as a person uses it (issue 10, items 14-18 and 21): typos, wrong ids, broken
scale files, partial runs and the words printed."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from workbench.cli.main import build_parser, main
from workbench.core.project.store import Project

CHECKLIST = ["--kind", "news", "--independent", "yes", "--corroborated", "unsure"]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def project(tmp_path: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "seed.wbproj"
    assert main(["new", str(path), str(seed_path)]) == 0
    capsys.readouterr()
    return path


# ---------------------------------------------------------------------- 14: broken scale files
def test_a_broken_scale_file_beside_the_project_is_a_warning(
    tmp_path: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "broken.scale.json").write_text("{not json", encoding="utf-8")
    code, out, err = run(["new", str(tmp_path / "p.wbproj"), str(seed_path)], capsys)
    assert code == 0, err
    assert "claims" in out
    assert "warning" in err and "broken.scale.json" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_scales_lists_the_good_ones_and_warns_of_the_broken_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken.scale.json").write_text(json.dumps({"id": "x"}), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["scales"], capsys)
    assert code == 0
    assert "truth6" in out and "evidence3" in out
    assert "broken.scale.json" in err and "not a valid rating scale" in err


def test_asking_for_the_broken_scale_by_id_names_the_broken_file(
    tmp_path: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "ours.scale.json").write_text("{not json", encoding="utf-8")
    code, _, err = run(
        ["new", str(tmp_path / "p.wbproj"), str(seed_path), "--scale", "ours"], capsys
    )
    assert code == 1
    assert "no rating scale 'ours'" in err and "ours.scale.json" in err


# ---------------------------------------------------------------------- 15: mistyped commands
@pytest.mark.parametrize(
    ("typed", "meant"), [("scale", "scales"), ("clams", "claims"), ("histroy", "history")]
)
def test_a_mistyped_command_suggests_the_right_one(
    typed: str,
    meant: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main([typed])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert f"did you mean '{meant}'?" in err and "Traceback" not in err


def test_a_word_that_is_neither_file_nor_command_nor_url_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["zzqx.txt"])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert "no file or command 'zzqx.txt'" in err


def test_a_mistyped_command_with_arguments_suggests_too(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["claim", str(project)])
    assert exc.value.code == 2
    assert "did you mean 'claims'?" in capsys.readouterr().err


def test_an_existing_file_or_url_still_opens_the_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str | None] = []
    import workbench.gui.app as app

    monkeypatch.setattr(app, "run", lambda target=None: opened.append(target) or 0)
    article = tmp_path / "scale"  # a file that happens to be named like a command's typo
    article.write_text("Text.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["scale"]) == 0
    assert main(["https://example.org/a"]) == 0
    assert opened == ["scale", "https://example.org/a"]


# ---------------------------------------------------------------------- 16: every id is checked
@pytest.mark.parametrize(
    "args",
    [
        ["history", "{p}", "999"],
        ["fetch", "{p}", "--claim", "999"],
        ["verdict", "{p}", "999", "true"],
        ["source", "{p}", "999", "https://example.org/x"],
        ["status", "{p}", "999", "checked"],
        ["evaluate", "{p}", "999", "--clear"],
        ["evaluate", "{p}", "999", "--kind", "news"],
        ["screenshot", "{p}", "{out}", "--claim", "999"],
    ],
)
def test_an_id_that_does_not_exist_is_one_line_and_exit_1(
    args: list[str], project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [a.format(p=project, out=tmp_path / "x.png") for a in args]
    code, out, err = run(argv, capsys)
    assert code == 1, (out, err)
    assert "999" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("command", ["history", "verdict", "status", "evaluate", "source"])
def test_an_id_that_is_not_a_number_is_a_usage_error(
    command: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, str(project), "twelve", "x"])
    assert exc.value.code == 2
    assert "twelve" in capsys.readouterr().err


# ---------------------------------------------------------------------- 17: grade writes or not
def test_grade_with_a_missing_submission_leaves_the_old_csv_alone(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exercise, key = tmp_path / "ex.wbproj", tmp_path / "key.json"
    assert main(["exercise", str(project), str(exercise), str(key)]) == 0
    csv = tmp_path / "class.csv"
    csv.write_text("last week's table\n", encoding="utf-8")
    code, _, err = run(
        ["grade", str(key), str(exercise), str(tmp_path / "gone.wbproj"), "--csv", str(csv)],
        capsys,
    )
    assert code == 1
    assert "gone.wbproj" in err
    assert "Class table written" not in err and "was not written" in err
    assert csv.read_text("utf-8") == "last week's table\n"
    assert sorted(p.name for p in tmp_path.iterdir() if "class" in p.name) == ["class.csv"]

    code, _, err = run(["grade", str(key), str(exercise), "--csv", str(csv)], capsys)
    assert code == 0, err
    assert "Class table written" in err
    assert csv.read_text("utf-8").startswith("student")


# ---------------------------------------------------------------------- 18: readable history
def test_project_history_is_sentences_with_the_claim_number(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["verdict", str(project), "3", "mostly-true", "--note", "Checked", "--by", "Ann"]) == 0
    )
    assert main(["status", str(project), "3", "approved", "--by", "Ed"]) == 0
    assert main(["source", str(project), "5", "https://example.org/a", "--note", "para 2"]) == 0
    assert main(["evaluate", str(project), "1", *CHECKLIST, "--by", "Bo"]) == 0
    capsys.readouterr()
    code, out, _ = run(["history", str(project)], capsys)
    assert code == 0
    lines = out.strip().splitlines()
    assert not any("=" in line or "[" in line or "{" in line for line in lines), out
    assert any("claim 3" in line and "Mostly true" in line and "Ann" in line for line in lines)
    assert any("Ann moved claim 3 from Unchecked to Checked" in line for line in lines)
    assert any("Ed moved claim 3 from Checked to Approved" in line for line in lines)
    assert any("claim 5" in line and "https://example.org/a" in line for line in lines)
    assert any("source 1" in line and "Bo" in line for line in lines)
    code, one, _ = run(["history", str(project), "3"], capsys)
    assert code == 0 and len(one.strip().splitlines()) == 3
    assert all(line in lines for line in one.strip().splitlines())


def test_a_rationale_before_any_rating_is_not_a_cleared_verdict(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The window saves a rationale typed before a rating as a verdict without one; the history
    said 'cleared the verdict' for it. A verdict taken back still reads so."""
    from workbench.core.project.store import Project

    with Project.open(project) as p:
        p.set_verdict(3, None, "Two sources disagree", reviewer="Ann")
        p.set_verdict(3, "false", "Two sources disagree", reviewer="Ann")
        p.set_verdict(3, None, "", reviewer="Ann")
    code, out, _ = run(["history", str(project), "3"], capsys)
    assert code == 0
    lines = out.strip().splitlines()
    assert "Ann wrote a rationale for claim 3, not rated yet — “Two sources disagree”" in lines[0]
    assert "cleared" not in lines[0]
    assert "Ann cleared the verdict on claim 3" in lines[-2]
    assert "Ann moved claim 3 from Checked to In progress" in lines[-1]  # no verdict: not done


def test_history_says_what_each_verdict_row_changed(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The rationale box saves a verdict row at each pause in typing, with the rating as it
    is: a rationale edited on a rated claim read "rated claim 3 False" again, and one
    removed from an unrated claim read "cleared the verdict". Said now as the claim panel's
    history says it: what changed."""
    from workbench.core.project.store import Project

    with Project.open(project) as p:
        p.set_verdict(4, None, "Draft", reviewer="Ann")
        p.set_verdict(4, None, "", reviewer="Ann")
        p.set_verdict(3, "false", "", reviewer="Ann")
        p.set_verdict(3, "false", "The ministry's table", reviewer="Ann")
        p.set_verdict(3, "false", "The ministry's table, 2015", reviewer="Ann")
        p.set_verdict(3, "mostly-false", "The ministry's table, 2015", reviewer="Ann")
        p.set_verdict(3, "false", "The ministry's table, 2015", reviewer="Ann", note="undo")
        p.set_verdict(3, "false", "", reviewer="Ann")
        p.set_verdict(3, None, "", reviewer="Ann")
    code, out, _ = run(["history", str(project)], capsys)
    assert code == 0
    said = [line.split("  ", 1)[1] for line in out.strip().splitlines() if "Ann" in line]
    assert said == [
        "Ann wrote a rationale for claim 4, not rated yet — “Draft”",
        "Ann removed the rationale of claim 4, not rated yet",
        "Ann rated claim 3 False",
        "Ann moved claim 3 from Unchecked to Checked",
        "Ann wrote a rationale for claim 3 — “The ministry's table”",
        "Ann edited the rationale of claim 3 — “The ministry's table, 2015”",
        "Ann rated claim 3 Mostly false",
        "Ann undid an edit of claim 3: verdict back to False",
        "Ann removed the rationale of claim 3",
        "Ann cleared the verdict on claim 3",
        "Ann moved claim 3 from Checked to In progress",
    ]


# ---------------------------------------------------------------------- 21: small things
def test_one_claim_is_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "one.txt"
    article.write_text("The bridge cost 40 million euros in 2019.\n", encoding="utf-8")
    code, out, _ = run(["new", str(tmp_path / "one.wbproj"), str(article)], capsys)
    assert code == 0
    assert out.startswith("1 claim\t")


def test_note_and_notes_are_the_same_option_everywhere(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verdict", str(project), "3", "true", "--notes", "plural works"]) == 0
    assert main(["source", str(project), "3", "https://example.org/a", "--notes", "p2"]) == 0
    assert main(["status", str(project), "3", "returned", "--notes", "why"]) == 0
    assert main(["evaluate", str(project), "1", *CHECKLIST, "--note", "singular"]) == 0
    capsys.readouterr()
    _, out, _ = run(["history", str(project), "--json"], capsys)
    assert "plural works" in out and "p2" in out and "why" in out
    with Project.open(project, readonly=True) as p:
        assert p.source(1).evaluation["notes"] == "singular"


@pytest.mark.parametrize("name", ["ours.scale.json", "ours.txt", "ours"])
def test_a_scale_file_that_cannot_be_read_says_so(
    name: str, tmp_path: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Bytes that are not UTF-8 cannot be read on any platform, by any user (root reads a chmod-0
    # file, so permissions would not make a test that fails here).
    scale = tmp_path / name
    scale.write_bytes(b"\xff\xfe\x00{")
    code, _, err = run(
        ["new", str(tmp_path / "p.wbproj"), str(seed_path), "--scale", str(scale)], capsys
    )
    assert code == 1
    assert "cannot be read" in err and "no rating scale" not in err


def test_a_scale_file_with_any_name_is_read(
    tmp_path: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scale = tmp_path / "ours.txt"
    scale.write_text(
        (Path(__file__).parents[2] / "workbench/resources/scales/evidence3.json").read_text(
            "utf-8"
        ),
        encoding="utf-8",
    )
    code, _, err = run(
        ["new", str(tmp_path / "p.wbproj"), str(seed_path), "--scale", str(scale)], capsys
    )
    assert code == 0, err


def test_a_scale_path_that_is_missing_says_there_is_no_file(
    tmp_path: Path, seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "gone.scale.json"
    code, _, err = run(
        ["new", str(tmp_path / "p.wbproj"), str(seed_path), "--scale", str(missing)], capsys
    )
    assert code == 1
    assert "no rating scale file at" in err and "gone.scale.json" in err


def _all_parsers(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(parser.prog, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _all_parsers(sub)
    return found


def test_every_argument_has_help_text() -> None:
    missing = [
        f"{prog} {action.dest}"
        for prog, parser in _all_parsers(build_parser())
        for action in parser._actions
        if not action.help and not isinstance(action, argparse._SubParsersAction)
    ]
    assert missing == []


def test_each_command_alone_parses_as_with_every_command() -> None:
    """`workbench COMMAND ...` builds only that command's module: the map of commands to
    modules stays in step with what the modules register, and the help is the same."""
    from workbench.cli.main import COMMAND_MODULES, OWN_COMMANDS

    full = dict(_commands(build_parser()))
    assert sorted(full) == sorted([*OWN_COMMANDS, *COMMAND_MODULES])
    for name, parser in full.items():
        alone = build_parser(name)
        assert name in _commands(alone)
        assert _commands(alone)[name].format_help() == parser.format_help()
        module = COMMAND_MODULES.get(name)
        # Only the command's own module (or main's commands) were registered.
        expected = (
            {n for n, m in COMMAND_MODULES.items() if m == module} if module else set(OWN_COMMANDS)
        )
        assert set(_commands(alone)) == expected


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)
