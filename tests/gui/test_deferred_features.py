"""Issue 15 item 7: `workbench FILE` paints its first frame before the features are built."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.core.settings import Settings


def test_features_follow_the_first_frame_and_catch_up(
    qtbot: Any, tmp_path: Path, seed_project: Path
) -> None:
    from workbench.gui.app import ensure_app
    from workbench.gui.window.main_window import MainWindow

    ensure_app()
    window = MainWindow(settings=Settings(tmp_path / "s.ini"), persist=False, defer_features=True)
    qtbot.addWidget(window)
    window.load_project(seed_project)  # opened before the features exist
    assert window.features == {}
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert "Sources" not in titles and "Help" in titles  # the window's own menus are there
    with qtbot.waitSignal(window.featuresInstalled, timeout=5000):
        window.show()
    assert window.first_paint_at is not None  # installed after the first paint
    assert {"sources", "editing", "practice"} <= set(window.features)
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles.index("Sources") < titles.index("Help")
    # The features know the project and the claim opened before them.
    queue = window.features["editing"].queue_model
    assert queue.rowCount() >= 0 and window.features["editing"].act_preview.isEnabled()
    sources = window.features["sources"]
    sources.show_review()
    assert sources.review.claim_id == window.current_claim_id()
    window.close()
