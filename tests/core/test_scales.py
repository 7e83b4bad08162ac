"""Rating scales: the built-in ones, newsroom scales beside a project, and bad scale files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.core.errors import InvalidInputError, NotFoundError
from workbench.core.project.scales import (
    ScaleFileWarning,
    available_scales,
    builtin_scales,
    find_scale,
)

OURS = {
    "id": "newsroom4",
    "name": "Our four-step scale",
    "ratings": [
        {"id": "correct", "label": "Correct", "color": "#1b7837"},
        {"id": "needs-context", "label": "Needs context", "color": "#c2a83e"},
        {"id": "wrong", "label": "Wrong", "color": "#b2182b"},
        {"id": "satire", "label": "Satire", "color": "#888888", "ordinal": False},
    ],
}


def test_builtin_scales_have_the_required_steps() -> None:
    scales = builtin_scales()
    truth = scales["truth6"]
    labels = [r.label for r in truth.ordinal]
    assert (labels[0], labels[-1]) == ("True", "False")
    assert len(truth.ordinal) == 6
    assert {r.label for r in truth.ratings if not r.ordinal} == {"Misleading", "Unverifiable"}
    evidence = scales["evidence3"]
    assert [r.label for r in evidence.ratings] == ["Supported", "Refuted", "Not enough evidence"]


def test_values_and_steps_follow_the_order() -> None:
    truth = find_scale("truth6")
    assert truth.value("true") == 6 and truth.value("false") == 1
    assert truth.value("misleading") is None
    assert truth.step("true", "half-true") == 2
    assert truth.step("true", "unverifiable") is None
    assert truth.rating("Mostly TRUE").id == "mostly-true"  # labels work as well as ids
    with pytest.raises(InvalidInputError, match="not a rating"):
        truth.rating("sort of")


def test_a_newsroom_scale_beside_the_project_is_found(tmp_path: Path) -> None:
    (tmp_path / "ours.scale.json").write_text(json.dumps(OURS), encoding="utf-8")
    scales = available_scales(tmp_path)
    assert "newsroom4" in scales and "truth6" in scales
    ours = find_scale("newsroom4", tmp_path)
    assert [r.id for r in ours.ordinal] == ["correct", "needs-context", "wrong"]
    by_path = find_scale(str(tmp_path / "ours.scale.json"))
    assert by_path == ours


def test_unknown_and_broken_scales_say_why(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no rating scale 'nope'"):
        find_scale("nope", tmp_path)
    (tmp_path / "broken.scale.json").write_text("{not json", encoding="utf-8")
    with pytest.warns(ScaleFileWarning, match="cannot be read"):
        assert "truth6" in available_scales(tmp_path)
    (tmp_path / "broken.scale.json").write_text(json.dumps({"id": "x"}), encoding="utf-8")
    with pytest.warns(ScaleFileWarning, match="not a valid rating scale"):
        assert "truth6" in available_scales(tmp_path)
    twice = {**OURS, "ratings": [OURS["ratings"][0], OURS["ratings"][0]]}
    (tmp_path / "broken.scale.json").write_text(json.dumps(twice), encoding="utf-8")
    with pytest.warns(ScaleFileWarning, match="same rating twice"):
        assert "truth6" in available_scales(tmp_path)


def test_cli_new_with_a_scale_file(tmp_path: Path, seed_path: Path) -> None:
    from workbench.cli.main import main
    from workbench.core.project.store import Project

    scale_file = tmp_path / "ours.scale.json"
    scale_file.write_text(json.dumps(OURS), encoding="utf-8")
    project = tmp_path / "p.wbproj"
    assert main(["new", str(project), str(seed_path), "--scale", str(scale_file)]) == 0
    with Project.open(project) as p:
        assert p.scale.id == "newsroom4"
        claim = p.claims()[0].id
    assert main(["verdict", str(project), str(claim), "Needs context"]) == 0
