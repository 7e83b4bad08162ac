"""A project export edited by hand or built to harm: every misshapen value is one line, and no
half-made project is left behind."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_report_fixtures import build_small

from workbench.core.errors import InvalidInputError
from workbench.core.project.jsonio import export_project, import_project


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    project = build_small(tmp_path_factory.mktemp("export") / "a.wbproj")
    try:
        return export_project(project)
    finally:
        project.close()


# (where, value): an object where text belongs, ids past SQLite's 64 bits, lists for records.
MISSHAPEN = [
    (("article",), None),
    (("project",), 1),
    (("article", "title"), 10**30),
    (("article", "text"), None),
    (("claims", 0, "id"), 10**30),
    (("article_versions", 0), None),
    (("sources", 0, "title"), 10**30),
    (("snapshots", 0, "original_url"), 1),
    (("snapshots", 0, "content_type"), 1),
    (("events", 0, "actor"), 10**30),
]


@pytest.mark.parametrize(("where", "value"), MISSHAPEN, ids=lambda v: str(v))
def test_a_misshapen_value_is_one_line_and_leaves_nothing(
    exported: dict[str, Any], tmp_path: Path, where: tuple[Any, ...], value: Any
) -> None:
    data = copy.deepcopy(exported)
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    target = tmp_path / "imported.wbproj"
    with pytest.raises(InvalidInputError) as caught:
        import_project(data, target)
    assert "\n" not in str(caught.value)
    assert not list(tmp_path.iterdir())


def test_deeply_nested_json_is_one_line_from_the_command_line(tmp_path: Path) -> None:
    export = tmp_path / "deep.json"
    export.write_text('{"format": "workbench-project", "a": ' + "[" * 100_000 + "]" * 100_000 + "}")
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "import-json", str(export), str(tmp_path / "p.wbproj")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "nested too deeply" in done.stderr
