"""JSON files that come from elsewhere (a scale in a shared folder, an instructor's answer key)
built to break the program: ratings that are not objects, thousands of nested brackets. One
warning or one error line, never a traceback; a broken scale never blocks the others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli.main import main
from workbench.core.errors import InvalidInputError
from workbench.core.practice.exercise import load_key

DEEP = '{"id": "deep", "ratings": ' + "[" * 100_000 + "]" * 100_000 + "}"
NOT_OBJECTS = json.dumps({"id": "flat", "ratings": ["true", "false"]})


@pytest.mark.parametrize("text", [DEEP, NOT_OBJECTS], ids=["nested", "not-objects"])
def test_a_hostile_scale_beside_the_project_is_one_warning(
    tmp_path: Path, seed_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    (tmp_path / "shared.scale.json").write_text(text, encoding="utf-8")
    code = main(["new", str(tmp_path / "p.wbproj"), str(seed_path)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "shared.scale.json" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "workbench-answer-key", "a": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "[" * 100_000,
    ],
    ids=["nested", "unclosed"],
)
def test_a_hostile_answer_key_is_one_line(tmp_path: Path, text: str) -> None:
    key = tmp_path / "key.json"
    key.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        load_key(key)
    assert "\n" not in str(caught.value)
