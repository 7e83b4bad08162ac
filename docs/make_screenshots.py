"""Render the README's screenshots from the bundled sample articles, offscreen.

    python docs/make_screenshots.py            # writes docs/screenshot-*.png and docs/report-*.png

The verdicts, rationales and sources set here are DEMONSTRATION data for the pictures: the
rationales say what a checker would look for, and every source URL is on example.org, so no
picture passes off invented evidence as real.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("WORKBENCH_USER", "Demo Checker")
# The pictures use a throwaway fact-check library holding only the demo feed, never yours.
os.environ["WORKBENCH_LIBRARY"] = str(Path(tempfile.mkdtemp(prefix="workbench-lib-")) / "l.sqlite")

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SEED = ROOT / "sample_data" / "russia-islamic-state-syria-rebels.txt"
SAMPLE_HTML = ROOT / "sample_data" / "sample-article.html"
SAMPLE_WARC = ROOT / "sample_data" / "cited-pages.warc.gz"
SIZE = (1400, 900)

CHECKER, OTHER, EDITOR = "Demo Checker", "Second Checker", "Demo Editor"
# (claim text starts with, rating, reviewer, rationale)
SEED_VERDICTS = (
    ("Hussein Hamedani, a senior General", "true", CHECKER,
     "Demo: the IRGC's own announcement of his death is the primary source to attach."),
    ("Gen. Hamedani is among the 60-70", "half-true", CHECKER,
     "Demo: 60-70 needs a dated casualty count; '140 since 2011' is the author's sum."),
    ("Iranian State propaganda claimed", "true", OTHER,
     "Demo: the quoted wording should be found verbatim in the state media report."),
    ("On Friday, Russia announced", "half-true", CHECKER,
     "Demo: the ministry's statement supports the quote; the kill figure is its own claim."),
    ("Since Russia’s intervention began on September 30", "partly-false", OTHER,
     "Demo: 'deliberately' is an inference the cited reports do not show."),
    ("UPDATE 2: On Dec. 17, 2015, Bloomberg reported", "true", CHECKER,
     "Demo: attach the archived Bloomberg report of that date."),
)  # fmt: skip


def _claim(project, starts: str) -> int:
    for claim in project.claims():
        if claim.text.startswith(starts):
            return claim.id
    raise SystemExit(f"no claim starts with {starts!r}")


def seed_project(folder: Path) -> Path:
    from workbench.core.project.create import new_project

    article = folder / SEED.name
    shutil.copy(SEED, article)
    path = article.with_suffix(".wbproj")
    with new_project(path, article) as project:
        for starts, rating, who, why in SEED_VERDICTS:
            project.set_verdict(_claim(project, starts), rating, why, reviewer=who)
        announced = _claim(project, "On Friday, Russia announced")
        project.attach_source(
            announced,
            "https://example.org/ministry-of-defence-briefing-2015-10-09",
            relation="supports",
            note="Demo source for the screenshot",
            actor=CHECKER,
        )
        project.set_status(_claim(project, "Hussein Hamedani"), "approved", actor=EDITOR)
        project.set_status(
            _claim(project, "Iranian State propaganda"),
            "returned",
            note="Which outlet? Attach the state media report before this is approved.",
            actor=EDITOR,
        )
    return path


def sample_project(folder: Path) -> Path:
    """The sample HTML article with its cited pages from the sample WARC beside it."""
    from workbench.core.project.create import new_project
    from workbench.core.sources.fetch import fetch_sources

    shutil.copy(SAMPLE_HTML, folder / SAMPLE_HTML.name)
    shutil.copy(SAMPLE_WARC, folder / SAMPLE_WARC.name)
    path = folder / "sample-article.wbproj"
    with new_project(path, folder / SAMPLE_HTML.name) as project:
        summary = fetch_sources(project)
        print("sample sources:", summary.describe())
    return path


STUDENT = "Demo Student"
# (claim text starts with, the student's rating, rationale): some agree with the demo key,
# some are a step off, one differs.
STUDENT_RATINGS = (
    ("Hussein Hamedani, a senior General", "true", "Demo: found the announcement of his death."),
    ("Gen. Hamedani is among the 60-70", "mostly-true", "Demo: the count seems right to me."),
    ("Iranian State propaganda claimed", "true", "Demo: the wording is in the report."),
    ("On Friday, Russia announced", "false", "Demo: I could not find the statement."),
    ("Since Russia’s intervention began on September 30", "mostly-false", "Demo: no proof."),
)


def practice_shot(folder: Path, seed: Path, app) -> None:
    """A student's exercise compared with the demo answer key (the seed's demo verdicts)."""
    from workbench.core.practice.exercise import load_key, make_exercise
    from workbench.core.practice.grade import compare
    from workbench.core.project.store import Project

    exercise, key_path = folder / "exercise.wbproj", folder / "answer-key.json"
    with Project.open(seed) as project:
        make_exercise(project, exercise, key_path)
    submission = folder / "demo-student.wbproj"
    shutil.copy(exercise, submission)
    with Project.open(submission) as project:
        for starts, rating, why in STUDENT_RATINGS:
            project.set_verdict(_claim(project, starts), rating, why, reviewer=STUDENT)
    window = window_for(submission, app)
    practice = window.features.get("practice")
    if practice is None:
        window.close()
        return
    key = load_key(key_path)
    with Project.open(submission) as project:
        practice.show_feedback(compare(key, project), key.scale)
    window.select_claim(_claim(window.project, "Gen. Hamedani is among"))
    save(window, "screenshot-feedback.png", app)
    # The student's verdicts go into the fact-check library (the "your desk" matches in the
    # library picture) by a job that starts after the window paints; let it run before closing.
    window.features["library"].wait()
    window.close()


def library_shot(seed: Path, app) -> None:
    """Checked before: the demo ClaimReview feed (fictional fact checks) against the seed."""
    import time

    from workbench.core.library.importing import import_file
    from workbench.core.library.store import Library

    with Library.open() as library:
        import_file(library, ROOT / "sample_data" / "fact-checks-demo.jsonl")
    window = window_for(seed, app)
    feature = window.features["library"]
    feature.refresh()
    deadline = time.monotonic() + 120
    while (feature.running is not None or not feature.results) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)
    window.select_claim(_claim(window.project, "At least 2,000 civilians"))
    app.processEvents()
    window.panel.ensureWidgetVisible(feature.widget, 0, 0)
    save(window, "screenshot-library.png", app)
    window.close()


def window_for(path: Path, app):
    from workbench.core.settings import Settings
    from workbench.gui.window.main_window import MainWindow

    settings = Settings(path.with_suffix(".ini"))
    window = MainWindow(settings=settings, persist=False)
    window.resize(*SIZE)
    window.load_project(path)
    window.show()
    app.processEvents()
    return window


def save(window, name: str, app) -> None:
    window.statusBar().clearMessage()
    for _ in range(5):
        app.processEvents()
    out = DOCS / name
    window.grab().save(str(out), "PNG")
    print("wrote", out.relative_to(ROOT))


def main() -> int:
    from workbench.gui.app import ensure_app

    app = ensure_app()
    folder = Path(tempfile.mkdtemp(prefix="workbench-shots-"))
    seed = seed_project(folder)

    window = window_for(seed, app)
    with_source = _claim(window.project, "On Friday, Russia announced")
    window.select_claim(with_source)
    save(window, "screenshot-main.png", app)

    editor = window.features.get("editing")
    if editor is not None:
        editor.show_queue()
        window.select_claim(_claim(window.project, "Gen. Hamedani is among"))
        save(window, "screenshot-editor.png", app)
    window.close()

    sample = sample_project(folder)
    window = window_for(sample, app)
    sources = window.features.get("sources")
    misquoted = 12
    window.select_claim(misquoted)
    if sources is not None and hasattr(sources, "show_review"):
        sources.show_review()
    save(window, "screenshot-review.png", app)
    window.close()

    practice_shot(folder, seed, app)
    library_shot(seed, app)

    for fmt, name in (("html", "report.html"), ("pdf", "report.pdf")):
        subprocess.run(
            [sys.executable, "-m", "workbench", "report", str(seed), "-f", fmt, "-o",
             str(folder / name)],
            check=True,
        )  # fmt: skip
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(folder / "report.pdf"),
             str(folder / "page")],
            check=True,
        )  # fmt: skip
        page = next(folder.glob("page*.png"))
        shutil.copy(page, DOCS / "report-pdf.png")
        print("wrote docs/report-pdf.png")
    else:
        print("pdftoppm not installed (apt-get install poppler-utils): report-pdf.png kept")
    if shutil.which("wkhtmltoimage"):
        subprocess.run(
            ["wkhtmltoimage", "--quiet", "--width", "1000", "--height", "1300",
             str(folder / "report.html"), str(DOCS / "report-html.png")],
            check=True,
        )  # fmt: skip
        print("wrote docs/report-html.png")
    else:
        print("wkhtmltoimage not installed (apt-get install wkhtmltopdf): report-html.png kept")
    print("reports in", folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
