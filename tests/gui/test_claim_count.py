"""The status bar counts claims in words that agree with the number."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.core.project.create import new_project


def test_one_claim_is_one_claim(window: Any, tmp_path: Path) -> None:
    path = tmp_path / "one.wbproj"
    article = tmp_path / "one.txt"
    article.write_text("The council spent 4.2 million euros on the new bridge in 2023.\n")
    new_project(path, article).close()
    window.open_project(path)
    assert window.claims_table.count_label.text() == "1 claim"
