"""Build the self-contained one-folder app: `python packaging/build.py` -> dist/workbench/workbench.

Needs the `package` extra (`pip install .[package]`). The folder runs on a Linux machine with no
Python and none of the project's dependencies: copy it anywhere and run `workbench` inside it.
Prints the build time and the unpacked size; exits non-zero if the built program does not start.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import elf  # packaging/, beside this script
import icu_data

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "workbench.spec"
LINUX = ROOT / "packaging" / "linux"
SIZE_GOAL_MB = 200


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build(dist: Path, work: Path) -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ModuleNotFoundError:
        raise SystemExit(
            "build: PyInstaller is not installed; run `python -m pip install '.[package]'` first."
        ) from None
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(SPEC),
        ],
        cwd=ROOT,
        check=True,
    )
    return dist / "workbench"


def shrink(folder: Path) -> list[str]:
    """Strip the libraries where that is safe, and cut Qt's ICU data to what Qt can use; one
    line per step saying what it did."""
    internal = folder / "_internal"
    if shutil.which("strip") is None:
        return [
            "not stripped: binutils' strip not found",
            icu_data.trim(internal / "PySide6" / "Qt" / "lib"),
        ]
    saved, refused = elf.strip_libraries(internal)
    lines = [f"stripped: {saved / 1e6:.1f} MB of symbols dropped"]
    if refused:
        lines[0] += f"; left whole, the loader refuses them stripped: {', '.join(refused)}"
    lines.append(icu_data.trim(internal / "PySide6" / "Qt" / "lib"))
    return lines


def add_desktop_files(folder: Path) -> None:
    """The desktop entry, MIME type and icons beside the program, with the script installing them."""
    share = folder / "share"
    (share / "icons").mkdir(parents=True, exist_ok=True)
    for name in ("workbench.desktop", "workbench-mime.xml"):
        shutil.copy2(LINUX / name, share / name)
    for icon in (ROOT / "workbench" / "resources" / "icons").iterdir():
        shutil.copy2(icon, share / "icons" / icon.name)
    shutil.copy2(LINUX / "install-desktop.sh", folder / "install-desktop.sh")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dist", type=Path, default=ROOT / "dist", help="where dist/workbench goes"
    )
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's scratch"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    folder = build(args.dist.resolve(), args.work.resolve())
    report = shrink(folder)
    add_desktop_files(folder)
    seconds = time.perf_counter() - started
    shutil.rmtree(args.work, ignore_errors=True)
    exe = folder / "workbench"
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    size_mb = folder_size(folder) / 1e6
    verdict = "within" if size_mb < SIZE_GOAL_MB else "OVER"
    print(*report, sep="\n")
    print(f"built {exe} ({version.stdout.strip()}) in {seconds:.0f} s")
    print(f"size unpacked: {size_mb:.0f} MB ({verdict} the {SIZE_GOAL_MB} MB goal)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
