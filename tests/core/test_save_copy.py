"""Project.save_copy: a consistent copy through SQLite's backup API, errors in the core's types."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.errors import InvalidInputError, ProjectError
from workbench.core.project.create import new_project
from workbench.core.project.store import Project


@pytest.fixture()
def project(tmp_path: Path, seed_path: Path) -> Project:
    return new_project(tmp_path / "seed.wbproj", seed_path)


def test_the_copy_is_a_project_with_the_same_claims(project: Project, tmp_path: Path) -> None:
    claim = project.claims()[2]
    project.set_verdict(claim.id, "true", "Checked against the minutes.")
    target = project.save_copy(tmp_path / "copy.wbproj")
    with Project.open(target) as copy:
        assert [c.text for c in copy.claims()] == [c.text for c in project.claims()]
        assert copy.claim(claim.id).rating == "true"
    assert not list(tmp_path.glob(".*.partial"))
    project.close()


def test_a_copy_over_itself_is_refused(project: Project) -> None:
    with pytest.raises(InvalidInputError, match="different file"):
        project.save_copy(project.path)
    assert Project.open(project.path).claims()  # the project is untouched
    project.close()


def test_an_unwritable_place_is_a_project_error(project: Project, tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="could not be written"):
        project.save_copy(tmp_path / "no-such-folder" / "copy.wbproj")
    project.close()
