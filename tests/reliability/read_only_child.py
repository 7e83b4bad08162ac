"""Run inside a private mount namespace where the project's folder is mounted read-only.

argv: FOLDER, then a JSON list of commands. Each command is a list: ["cli", ARGS...] runs
`python3 -m workbench ARGS...`; ["window", PROJECT, ARTICLE] opens the window offscreen on the
project, tries to rate a claim, then starts a project from an article in the same folder.
Prints one JSON list of {"rc", "out", "err"} (or the window's error messages).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def _read_only_mount(folder: str) -> None:
    subprocess.run(["mount", "--bind", folder, folder], check=True)
    subprocess.run(["mount", "-o", "remount,bind,ro", folder], check=True)


def _window(project: str, article: str) -> dict[str, Any]:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from workbench.gui import commands as cmd
    from workbench.gui.app import ensure_app
    from workbench.gui.window.main_window import MainWindow

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "gui"))
    from conftest import FakeAsk  # the GUI tests' canned dialogs

    ensure_app()
    ask = FakeAsk()
    window = MainWindow(ask=ask, persist=False)  # type: ignore[arg-type]
    opened = window.open_project(Path(project))
    claim = window.project.claims()[0] if opened else None
    rated = False
    if claim is not None:
        rated = window.push(cmd.SetVerdict(window, claim, window.project.scale.ratings[0].id, ""))
    window.new_from_article(Path(article))
    loop = QEventLoop()
    deadline = QTimer()
    deadline.singleShot(20_000, loop.quit)
    poll = QTimer()
    poll.timeout.connect(lambda: window.job is None and loop.quit())
    poll.start(50)
    loop.exec()
    QCoreApplication.processEvents()
    return {"opened": opened, "rated": rated, "errors": ask.errors}


def main() -> None:
    folder, commands = sys.argv[1], json.loads(sys.argv[2])
    _read_only_mount(folder)
    results: list[Any] = []
    for command in commands:
        if command[0] == "window":
            results.append(_window(command[1], command[2]))
            continue
        done = subprocess.run(
            [sys.executable, "-m", "workbench", *command[1:]],
            capture_output=True,
            text=True,
            timeout=120,
        )
        results.append({"rc": done.returncode, "out": done.stdout, "err": done.stderr})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
