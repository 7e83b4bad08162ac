"""The claim panel says why a claim scores as it does: its signals and the model's main reasons."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_panel_shows_the_signals_and_the_models_main_contributions(
    qtbot: Any, window: Any, seed_project: Path
) -> None:
    window.open_path(str(seed_project))
    qtbot.waitUntil(window.has_project)
    claim = next(c for c in window.project.claims() if "60-70 Iranians" in c.text)
    window.select_claim(claim.id)
    qtbot.waitUntil(lambda: window.current_claim_id() == claim.id)
    meta = window.panel.meta.text()
    assert f"check-worthiness {claim.score:.2f}" in meta
    assert "number ×" in meta
    model_part = meta.split("model: ", 1)[1]
    contributions = [r.removeprefix("model: ") for r in claim.reasons if r.startswith("model: ")]
    assert contributions and model_part == ", ".join(contributions)
    assert "model ×" not in meta
