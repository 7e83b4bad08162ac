"""Render the README's History screenshots (issue 14), offscreen.

    python docs/make_history_screenshot.py
    # writes docs/screenshot-history.png (the timeline) and docs/screenshot-review-diff.png
    # (two copies compared in the Sources review pane)

DEMONSTRATION data: the Harbour Town sample article and its WARC, plus captures of the
engineering study that the test suite's fake archive (tests/archive/fake_archive.py, on
127.0.0.1) serves: an earlier issue of the page, the one in the sample WARC, and a later one in
which the closure warning was taken out and the forecast changed. Every host is an example.*
address; nothing here is a real archive's record.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("WORKBENCH_USER", "Demo Checker")

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "tests" / "archive"))

STUDY = "http://www.example.com/ridgeway-engineering/reports/millbrook-bridge-feasibility"


def study_versions() -> tuple[bytes, bytes, bytes]:
    from workbench.core.sources.warc import read_warc

    body = next(
        s.body
        for s in read_warc(ROOT / "sample_data" / "cited-pages.warc.gz")
        if s.original_url == STUDY
    )
    earlier = body.replace(b"issue 3, January 2026", b"issue 2, November 2025").replace(
        b"12,400 vehicles", b"11,900 vehicles"
    )
    later = re.sub(rb"Without\s+replacement,.*?by\s+2029\.", b"", body, flags=re.S)
    later = later.replace(b"issue 3, January 2026", b"issue 4, April 2026")
    later = later.replace(b"12,400 vehicles", b"12,900 vehicles")
    return earlier, body, later


def main() -> int:
    from fake_archive import FakeArchive

    from workbench.core.net.settings import ArchiveSettings
    from workbench.core.project.create import new_project
    from workbench.core.sources.captures import fetch_capture, list_captures
    from workbench.core.sources.fetch import fetch_sources
    from workbench.gui.app import ensure_app

    app = ensure_app()
    folder = Path(tempfile.mkdtemp(prefix="workbench-history-"))
    for name in ("sample-article.html", "cited-pages.warc.gz"):
        shutil.copy(ROOT / "sample_data" / name, folder / name)
    path = folder / "sample-article.wbproj"
    earlier, same, later = study_versions()
    with FakeArchive() as fake:
        fake.add_capture(STUDY, "20251120083000", body=earlier)
        fake.add_capture(STUDY, "20260301120000", body=same)
        fake.add_capture(STUDY, "20260310120000", body=same)  # identical: folded by the index
        fake.add_capture(STUDY, "20260420091500", body=later)
        fake.add_other_memento(STUDY, "20260215100000", body=earlier)
        settings = ArchiveSettings(
            wayback_url=fake.base_url, availability_url=fake.base_url, memento_url=fake.base_url
        )
        with new_project(path, folder / "sample-article.html") as project:
            fetch_sources(project, settings=settings)
            source_id = next(s.id for s in project.sources() if s.url == STUDY)
            list_captures(project, source_id, settings=settings)
            fetch_capture(project, source_id, "20260420091500", settings=settings)
            fetch_capture(project, source_id, "20251120083000", settings=settings)
            # the claim quoting the study's closure warning cites the study as well, so the
            # diff's summary says what became of the quotation
            quoting = next(c.id for c in project.claims() if "closure to all vehicles" in c.text)
            project.attach_source(quoting, STUDY)

    from workbench.core.settings import Settings
    from workbench.gui.window.main_window import MainWindow

    window = MainWindow(settings=Settings(path.with_suffix(".ini")), persist=False)
    window.resize(1400, 900)
    window.load_project(path)
    window.show()
    window.select_claim(quoting)
    history = window.features["history"]
    history.show()
    app.processEvents()
    view = history.view
    stored = [i for i, e in enumerate(view.timeline.entries) if e.snapshot_id]
    # the WARC copy the article was checked against, and the later one without the warning
    warc_row = next(i for i in stored if view.timeline.entries[i].archive == "warc")
    view.select_rows([warc_row, stored[-1]])
    # Compare: the diff of those two copies in the Sources review pane, at 1400 x 900
    view.compare_button.click()
    _save(window, app, "screenshot-review-diff.png")

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDockWidget

    for dock in window.findChildren(QDockWidget):  # room for the list of captures
        if window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea:
            dock.hide()
    window.resize(1400, 960)
    history.show()
    view.select_rows([warc_row, stored[-1]])
    _save(window, app, "screenshot-history.png")
    window.close()
    return 0


def _save(window: object, app: object, name: str) -> None:
    window.statusBar().clearMessage()  # type: ignore[attr-defined]
    for _ in range(5):
        app.processEvents()  # type: ignore[attr-defined]
    out = DOCS / name
    window.grab().save(str(out), "PNG")  # type: ignore[attr-defined]
    print("wrote", out.relative_to(ROOT))


if __name__ == "__main__":
    raise SystemExit(main())
